//! Work management (SVC-4) and the incoming-call popup (SVC-5):
//! `GET/PUT /api/settings/work` and `GET /api/settings/work/popup-preview`.
#![allow(clippy::unwrap_used)]

use crate::support::{TestApp, assert_error, work_body};
use serde_json::json;

const WORK: &str = "/api/settings/work";

/// `template` URL-encoded as a query value.
fn preview_path(template: &str) -> String {
    let encoded: String = template
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{WORK}/popup-preview?template={encoded}")
}

#[test]
fn svc_4_defaults_before_the_first_save() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let resp = owner.get(WORK);
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    assert_eq!(
        resp.json_body(),
        json!({
            "state_after_login": "ready",
            "state_after_call": "after_call_work",
            "acw_limit_seconds": null,
            "popup_url_template": null,
            "popup_preview": null,
        })
    );
}

#[test]
fn svc_4_svc_5_settings_are_saved_and_read_back() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let saved = owner.put(WORK, work_body());
    assert_eq!(saved.status, 200, "{}", saved.json_body());
    let expected = json!({
        "state_after_login": "away",
        "state_after_call": "after_call_work",
        "acw_limit_seconds": 30,
        "popup_url_template": "https://crm.example.com/popup?tel={caller}&call={callId}",
        "popup_preview": "https://crm.example.com/popup?tel=01012345678&call=c-20260102-000123",
    });
    assert_eq!(saved.json_body(), expected);
    assert_eq!(owner.get(WORK).json_body(), expected);
    // Null and empty clear the limit and the popup; the template is trimmed.
    for cleared in [json!(null), json!("  ")] {
        let resp = owner.put(
            WORK,
            json!({
                "state_after_login": "ready",
                "state_after_call": "ready",
                "acw_limit_seconds": null,
                "popup_url_template": cleared,
            }),
        );
        assert_eq!(resp.status, 200, "{}", resp.json_body());
        let read = owner.get(WORK).json_body();
        assert_eq!(read["state_after_call"], "ready");
        assert_eq!(read["acw_limit_seconds"], json!(null));
        assert_eq!(read["popup_url_template"], json!(null));
        assert_eq!(read["popup_preview"], json!(null));
    }
    // Absent optional fields mean null too.
    let resp = owner.put(
        WORK,
        json!({ "state_after_login": "away", "state_after_call": "after_call_work" }),
    );
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    assert_eq!(resp.json_body()["acw_limit_seconds"], json!(null));
}

#[test]
fn svc_5_an_http_popup_url_is_refused_with_https_only() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let mut body = work_body();
    body["popup_url_template"] = json!("http://crm.example.com/popup?tel={caller}");
    let resp = owner.put(WORK, body);
    assert_error(&resp, 422, "validation_failed");
    let field = &resp.json_body()["error"]["fields"]["popup_url_template"];
    assert_eq!(field["code"], "https_only", "{field}");
    assert_eq!(field["params"]["scheme"], "https://");
    // Nothing was saved.
    assert_eq!(
        owner.get(WORK).json_body()["popup_url_template"],
        json!(null)
    );
    // The preview refuses it the same way, under `template`.
    let resp = owner.get(&preview_path("http://crm.example.com/?t={caller}"));
    assert_error(&resp, 422, "validation_failed");
    assert_eq!(
        resp.json_body()["error"]["fields"]["template"]["code"],
        "https_only"
    );
}

#[test]
fn svc_5_an_unknown_placeholder_is_refused_by_name() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let mut body = work_body();
    body["popup_url_template"] = json!("https://crm.example.com/popup?tel={calller}");
    let resp = owner.put(WORK, body);
    assert_error(&resp, 422, "validation_failed");
    let field = &resp.json_body()["error"]["fields"]["popup_url_template"];
    assert_eq!(field["code"], "unknown_placeholder", "{field}");
    assert_eq!(field["params"]["placeholder"], "{calller}");
    assert_eq!(
        field["params"]["allowed"],
        "{caller}, {callId}, {dialed}, {agent}, {queue}"
    );
    let resp = owner.get(&preview_path("https://crm.example.com/{callid}"));
    assert_error(&resp, 422, "validation_failed");
    let field = &resp.json_body()["error"]["fields"]["template"];
    assert_eq!(field["code"], "unknown_placeholder");
    assert_eq!(field["params"]["placeholder"], "{callid}");
    // No template at all: required.
    let resp = owner.get(&format!("{WORK}/popup-preview"));
    assert_eq!(
        resp.json_body()["error"]["fields"]["template"]["code"],
        "required"
    );
}

#[test]
fn svc_5_the_preview_renders_sample_values_percent_encoded() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let template = "https://crm.example.com/p?q={queue}&c={caller}&q2={queue}&a={agent}#d={dialed}";
    let resp = viewer.get(&preview_path(template));
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    assert_eq!(
        resp.json_body(),
        json!({
            "url": "https://crm.example.com/p?q=%EC%83%81%EB%8B%B4%20%EB%8C%80%EA%B8%B0\
                    &c=01012345678&q2=%EC%83%81%EB%8B%B4%20%EB%8C%80%EA%B8%B0&a=agent01\
                    #d=07012345678",
            "placeholders": ["queue", "caller", "agent", "dialed"],
        })
    );
    // The saved settings show the same preview.
    let mut body = work_body();
    body["popup_url_template"] = json!(template);
    let saved = owner.put(WORK, body);
    assert_eq!(
        saved.json_body()["popup_preview"],
        resp.json_body()["url"],
        "{}",
        saved.json_body()
    );
    // Previews change nothing and leave no history.
    assert!(
        app.audit_rows()
            .iter()
            .all(|(action, _, _)| action != "work.popup_preview")
    );
}

#[test]
fn svc_4_an_acw_limit_out_of_range_is_refused() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    for bad in [json!(0), json!(-5), json!(3601)] {
        let mut body = work_body();
        body["acw_limit_seconds"] = bad.clone();
        let resp = owner.put(WORK, body);
        assert_error(&resp, 422, "validation_failed");
        let field = &resp.json_body()["error"]["fields"]["acw_limit_seconds"];
        assert_eq!(field["code"], "number_range", "{bad}: {field}");
        assert_eq!(field["params"], json!({ "min": "1", "max": "3600" }));
    }
    for good in [1, 3600] {
        let mut body = work_body();
        body["acw_limit_seconds"] = json!(good);
        let resp = owner.put(WORK, body);
        assert_eq!(resp.json_body()["acw_limit_seconds"], good);
    }
    // Every refused field at once, states included.
    let resp = owner.put(
        WORK,
        json!({
            "state_after_login": "after_call_work",
            "state_after_call": "away",
            "acw_limit_seconds": 0,
            "popup_url_template": "https://x.example/{caller",
        }),
    );
    let fields = resp.json_body()["error"]["fields"].clone();
    assert_eq!(fields["state_after_login"]["code"], "invalid_choice");
    assert_eq!(
        fields["state_after_login"]["params"]["options"],
        "ready, away"
    );
    assert_eq!(fields["state_after_call"]["code"], "invalid_choice");
    assert_eq!(
        fields["state_after_call"]["params"]["options"],
        "ready, after_call_work"
    );
    assert_eq!(fields["acw_limit_seconds"]["code"], "number_range");
    assert_eq!(fields["popup_url_template"]["code"], "unbalanced_braces");
    // The read-only preview is not part of the body.
    let mut body = work_body();
    body["popup_preview"] = json!("https://crm.example.com/");
    let resp = owner.put(WORK, body);
    assert_eq!(
        resp.json_body()["error"]["fields"]["popup_preview"]["code"],
        "unknown_field"
    );
}

#[test]
fn svc_4_a_viewer_can_read_but_not_change() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let manager = owner.add_admin("acme-manager", "manager");
    assert_eq!(viewer.get(WORK).status, 200);
    assert_error(&viewer.put(WORK, work_body()), 403, "forbidden");
    assert_eq!(viewer.get(WORK).json_body()["state_after_login"], "ready");
    // Managers change it (SVC is "everything but contract and access").
    assert_eq!(manager.put(WORK, work_body()).status, 200);
}

#[test]
fn svc_4_changes_are_audited_with_before_and_after() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    assert_eq!(owner.put(WORK, work_body()).status, 200);
    let mut second = work_body();
    second["state_after_call"] = json!("ready");
    second["popup_url_template"] = json!(null);
    assert_eq!(owner.put(WORK, second).status, 200);
    let history = owner
        .get("/api/history/audit?action=work.update")
        .json_body();
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{history}");
    let first = &items[1]["detail"];
    assert_eq!(first["before"]["state_after_login"], "ready", "{first}");
    assert_eq!(first["before"]["popup_url_template"], json!(null));
    assert_eq!(first["after"]["state_after_login"], "away");
    let last = &items[0]["detail"];
    assert_eq!(last["before"]["state_after_call"], "after_call_work");
    assert_eq!(
        last["before"]["popup_url_template"],
        "https://crm.example.com/popup?tel={caller}&call={callId}"
    );
    assert_eq!(last["after"]["state_after_call"], "ready");
    assert_eq!(last["after"]["popup_url_template"], json!(null));
    // A refused change leaves the settings as they were.
    let mut bad = work_body();
    bad["acw_limit_seconds"] = json!(9999);
    assert_eq!(owner.put(WORK, bad).status, 422);
    assert_eq!(owner.get(WORK).json_body()["state_after_call"], "ready");
}
