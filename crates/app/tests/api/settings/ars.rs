//! ARS basics (ARS-1, ARS-2, ARS-6) and prompt audio, as an admin sees them
//! through the API.
#![allow(clippy::unwrap_used)]

use crate::support::{self, TestApp, ars_body, assert_error, wav};
use serde_json::json;
use switchboard_http::Method;

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn put_ars(s: &support::Session, body: serde_json::Value) -> support::TestResponse {
    s.put("/api/settings/ars", body)
}

#[test]
fn ars_1_numbers_are_stored_as_digits_and_shown_formatted() {
    let app = TestApp::with_operator();
    let (acme, owner) = app.tenant("acme");
    app.provision(acme, "010-1234-5678");
    let mut body = ars_body();
    body["representative_number"] = json!("070.1234.5678");
    body["caller_id"] = json!("+82 10 1234 5678");
    let resp = put_ars(&owner, body);
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    let shown = owner.get("/api/settings/ars").json_body();
    assert_eq!(shown["saved"], true);
    assert_eq!(shown["representative_number"], "070-1234-5678");
    assert_eq!(shown["representative_number_digits"], "07012345678");
    assert_eq!(shown["caller_id"], "010-1234-5678");
    assert_eq!(shown["caller_id_digits"], "01012345678");
    assert_eq!(shown["busy_wait_seconds"], 30);
}

#[test]
fn ars_1_2_6_every_invalid_field_is_named_with_its_code() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let resp = put_ars(
        &owner,
        json!({
            "representative_number": "010-1234-5678",
            "caller_id": "123",
            "greeting": { "kind": "text", "text": "   " },
            "out_of_hours": "x".repeat(201),
            "connecting": "ok",
            "busy": "ok\u{202e}",
            "busy_wait_seconds": 1,
            "callback": ""
        }),
    );
    assert_error(&resp, 422, "validation_failed");
    let fields = resp.json_body()["error"]["fields"].clone();
    for (field, code) in [
        ("representative_number", "representative_number"),
        ("caller_id", "phone_number"),
        ("greeting.text", "required"),
        ("out_of_hours", "too_long"),
        ("busy", "control_characters"),
        ("busy_wait_seconds", "number_range"),
        ("callback", "required"),
    ] {
        assert_eq!(fields[field]["code"], code, "{field} in {fields}");
    }
    assert!(fields.get("connecting").is_none());
    let mut body = ars_body();
    body["greeting"] = json!({ "kind": "video" });
    let resp = put_ars(&owner, body.clone());
    assert_eq!(
        resp.json_body()["error"]["fields"]["greeting.kind"]["code"],
        "invalid_choice"
    );
    body["greeting"] = json!({ "kind": "audio", "audio_id": 999 });
    let resp = put_ars(&owner, body);
    assert_eq!(
        resp.json_body()["error"]["fields"]["greeting.audio_id"]["code"],
        "no_such_item"
    );
    // Nothing was saved.
    assert_eq!(owner.get("/api/settings/ars").json_body()["saved"], false);
}

#[test]
fn ars_2_a_200_syllable_korean_greeting_is_accepted_and_201_refused() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let mut body = ars_body();
    body["greeting"] = json!({ "kind": "text", "text": "가".repeat(200) });
    let resp = put_ars(&owner, body.clone());
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    assert_eq!(resp.json_body()["greeting"]["chars"], 200);
    body["greeting"] = json!({ "kind": "text", "text": "가".repeat(201) });
    let resp = put_ars(&owner, body);
    assert_error(&resp, 422, "validation_failed");
    let field = &resp.json_body()["error"]["fields"]["greeting.text"];
    assert_eq!(field["code"], "too_long");
    assert_eq!(field["params"]["max"], "200");
}

#[test]
fn ars_2_6_default_texts_come_from_the_company_name() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    // Before any save the ARS plays the Korean defaults.
    let shown = owner.get("/api/settings/ars").json_body();
    assert_eq!(shown["saved"], false);
    assert!(
        shown["greeting"]["text"]
            .as_str()
            .unwrap()
            .contains("acme 고객센터")
    );
    assert_eq!(shown["busy_wait_seconds"], 60);
    let ko = owner.get("/api/settings/ars/defaults?lang=ko").json_body();
    assert!(ko["greeting"].as_str().unwrap().contains("acme"), "{ko}");
    for key in ["out_of_hours", "connecting", "busy", "callback"] {
        assert!(ko[key].as_str().is_some_and(|t| !t.is_empty()), "{key}");
    }
    let en = owner.get("/api/settings/ars/defaults?lang=en").json_body();
    assert!(
        en["greeting"]
            .as_str()
            .unwrap()
            .contains("thank you for calling acme")
    );
    let bad = owner.get("/api/settings/ars/defaults?lang=fr");
    assert_error(&bad, 422, "validation_failed");
    assert_eq!(
        bad.json_body()["error"]["fields"]["lang"]["code"],
        "invalid_choice"
    );
}

#[test]
fn ars_2_uploads_are_judged_by_content_not_by_declared_type() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let png = owner.upload_audio("logo", PNG.to_vec());
    assert_error(&png, 422, "validation_failed");
    assert_eq!(
        png.json_body()["error"]["fields"]["file"]["code"],
        "audio_format"
    );
    let text = owner.call_raw(Method::POST, "/api/settings/audio", "text/plain", wav(10));
    assert_error(&text, 415, "unsupported_media_type");
    let ok = owner.upload_audio("greeting", wav(4000));
    assert_eq!(ok.status, 201, "{}", ok.json_body());
    let meta = ok.json_body();
    assert_eq!(meta["format"], "wav");
    assert_eq!(meta["info"]["sample_rate"], 8000);
    assert_eq!(meta["info"]["duration_ms"], 500);
    assert_eq!(meta["token"].as_str().unwrap().len(), 64, "32 random bytes");
    assert_eq!(meta["name"], "greeting");
    let list = owner.get("/api/settings/audio").json_body();
    assert_eq!(list["items"][0]["id"], meta["id"]);
    // Over the limit: refused while the body arrives.
    let big = vec![0u8; switchboard_domain::AUDIO_MAX_BYTES as usize + 1];
    assert_error(&owner.upload_audio("big", big), 413, "payload_too_large");
}

#[test]
fn ars_2_playback_honours_range() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let file = wav(1000);
    let id = owner.upload_audio("g", file.clone()).json_body()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/settings/audio/{id}");
    let whole = owner.get(&path);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("content-type"), Some("audio/wav"));
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(whole.body, file);
    let part = app.send(
        support::Req::new(Method::GET, &path)
            .with_header("cookie", &owner.cookie)
            .with_header("range", "bytes=100-199")
            .with_peer(owner.peer),
    );
    assert_eq!(part.status, 206);
    assert_eq!(
        part.header("content-range").map(str::to_owned),
        Some(format!("bytes 100-199/{}", file.len()))
    );
    assert_eq!(part.body, file[100..200]);
    let past = app.send(
        support::Req::new(Method::GET, &path)
            .with_header("cookie", &owner.cookie)
            .with_header("range", "bytes=99999-")
            .with_peer(owner.peer),
    );
    assert_error(&past, 416, "range_not_satisfiable");
}

#[test]
fn ars_2_a_file_the_greeting_plays_cannot_be_deleted() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let id = owner.upload_audio("g", wav(100)).json_body()["id"]
        .as_i64()
        .unwrap();
    let mut body = ars_body();
    body["greeting"] = json!({ "kind": "audio", "audio_id": id });
    let saved = put_ars(&owner, body.clone());
    assert_eq!(saved.status, 200, "{}", saved.json_body());
    assert_eq!(saved.json_body()["greeting"]["audio"]["id"], id);
    let path = format!("/api/settings/audio/{id}");
    let refused = owner.delete(&path);
    assert_error(&refused, 409, "audio_in_use");
    assert_eq!(
        refused.json_body()["error"]["params"]["used_by"],
        "greeting"
    );
    body["greeting"] = json!({ "kind": "text", "text": "안녕하십니까" });
    assert_eq!(put_ars(&owner, body).status, 200);
    assert_eq!(owner.delete(&path).status, 204);
    assert_error(&owner.get(&path), 404, "not_found");
}

#[test]
fn ars_changes_are_audited_with_before_and_after() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    assert_eq!(put_ars(&owner, ars_body()).status, 200);
    let mut body = ars_body();
    body["busy_wait_seconds"] = json!(120);
    assert_eq!(put_ars(&owner, body).status, 200);
    let page = owner
        .get("/api/history/audit?action=ars.update")
        .json_body();
    let latest = &page["items"][0];
    assert_eq!(latest["target"], "ars");
    assert_eq!(latest["detail"]["before"]["busy_wait_seconds"], 30);
    assert_eq!(latest["detail"]["after"]["busy_wait_seconds"], 120);
    let id = owner.upload_audio("g", wav(100)).json_body()["id"]
        .as_i64()
        .unwrap();
    owner.delete(&format!("/api/settings/audio/{id}"));
    let page = owner.get("/api/history/audit?action=audio.").json_body();
    let actions: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["audio.delete", "audio.upload"]);
    assert_eq!(page["items"][0]["detail"]["before"]["id"], id);
}

#[test]
fn viewers_read_the_ars_but_cannot_change_it() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let manager = owner.add_admin("acme-manager", "manager");
    assert_eq!(viewer.get("/api/settings/ars").status, 200);
    assert_error(&put_ars(&viewer, ars_body()), 403, "forbidden");
    assert_error(&viewer.upload_audio("g", wav(10)), 403, "forbidden");
    assert_eq!(put_ars(&manager, ars_body()).status, 200);
}

#[test]
fn one_tenant_cannot_reach_anothers_audio() {
    let app = TestApp::with_operator();
    let (_, alpha) = app.tenant("alpha");
    let (_, bravo) = app.tenant("bravo");
    let id = bravo.upload_audio("b", wav(100)).json_body()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/settings/audio/{id}");
    assert_error(&alpha.get(&path), 404, "not_found");
    assert_error(&alpha.delete(&path), 404, "not_found");
    assert!(
        alpha.get("/api/settings/audio").json_body()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let mut body = ars_body();
    body["greeting"] = json!({ "kind": "audio", "audio_id": id });
    let resp = put_ars(&alpha, body);
    assert_eq!(
        resp.json_body()["error"]["fields"]["greeting.audio_id"]["code"],
        "no_such_item"
    );
    assert_eq!(bravo.get(&path).status, 200);
}

#[test]
fn ars_2_the_provider_fetches_an_upload_by_its_unguessable_url_without_a_session() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let file = wav(1000);
    let meta = owner.upload_audio("greeting", file.clone()).json_body();
    let token = meta["token"].as_str().unwrap().to_owned();
    let url = format!("/hooks/audio/{token}");

    // No cookie, no CSRF token, any address: the URL is the credential.
    let whole = app.send(support::Req::new(Method::GET, &url).with_peer([198, 51, 100, 7].into()));
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("content-type"), Some("audio/wav"));
    assert_eq!(whole.body, file);
    let part = app.send(support::Req::new(Method::GET, &url).with_header("range", "bytes=0-43"));
    assert_eq!(part.status, 206);
    assert_eq!(part.body, file[..44]);

    // A near miss, a malformed token and a deleted file all answer 404.
    let mut other = token.clone();
    other.replace_range(0..1, if token.starts_with('0') { "1" } else { "0" });
    for path in [
        format!("/hooks/audio/{other}"),
        "/hooks/audio/not-a-token".to_owned(),
        format!(
            "/hooks/audio/{}",
            token
                .to_uppercase()
                .replace(|c: char| c.is_ascii_digit(), "g")
        ),
    ] {
        assert_error(&app.get(&path), 404, "not_found");
    }
    let id = meta["id"].as_i64().unwrap();
    let gone = owner.delete(&format!("/api/settings/audio/{id}"));
    assert_eq!(gone.status, 204, "{}", gone.json_body());
    assert_error(&app.get(&url), 404, "not_found");
}

/// The publishing token is the file to whoever holds it: only those who
/// manage prompts see it (issue 14, finding 6).
#[test]
fn ars_2_viewers_see_prompt_files_without_their_publishing_token() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let up = owner.upload_audio("greeting", wav(800));
    assert_eq!(up.status, 201, "{}", up.json_body());
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let seen = viewer.get("/api/settings/audio").json_body();
    assert_eq!(seen["items"].as_array().unwrap().len(), 1);
    assert!(seen["items"][0].get("token").is_none(), "{seen}");
    assert_eq!(seen["items"][0]["name"], "greeting");
    let owners = owner.get("/api/settings/audio").json_body();
    assert_eq!(owners["items"][0]["token"].as_str().unwrap().len(), 64);
}

/// Each company has a prompt storage quota (issue 14, finding 5): 50 files
/// and 100 MiB by default, set by the operator; an upload past it is
/// refused with 409 `audio_quota_exceeded` and stores nothing.
#[test]
fn ars_2_uploads_past_the_companys_prompt_quota_are_refused() {
    let app = TestApp::with_operator();
    let (tenant_id, owner) = app.tenant("acme");
    let listed = owner.get("/api/settings/audio").json_body();
    assert_eq!(
        listed["quota"],
        json!({ "files": 50, "bytes": 104_857_600, "used_files": 0, "used_bytes": 0 })
    );

    // The operator lowers it to two files (and the smallest byte quota).
    let operator = app.operator();
    let path = format!("/api/operator/tenants/{tenant_id}/audio-quota");
    let set = operator.put(&path, json!({ "files": 2, "bytes": 5_242_880 }));
    assert_eq!(set.status, 200, "{}", set.json_body());
    assert_error(
        &operator.put(&path, json!({ "files": 0, "bytes": 1 })),
        422,
        "validation_failed",
    );
    // Only the operator sets quotas.
    assert_error(
        &owner.put(&path, json!({ "files": 99, "bytes": 5_242_880 })),
        403,
        "forbidden",
    );

    for name in ["one", "two"] {
        assert_eq!(owner.upload_audio(name, wav(800)).status, 201);
    }
    let third = owner.upload_audio("three", wav(800));
    assert_error(&third, 409, "audio_quota_exceeded");
    assert_eq!(third.json_body()["error"]["params"]["files"], "2");
    assert_eq!(
        owner.get("/api/settings/audio").json_body()["quota"]["used_files"],
        2,
        "the refused file was not stored"
    );

    // Bytes count too: one big file fills 5 MiB.
    let set = operator.put(&path, json!({ "files": 10, "bytes": 5_242_880 }));
    assert_eq!(set.status, 200);
    let big = owner.upload_audio("big", wav(2_620_000));
    assert_error(&big, 409, "audio_quota_exceeded");

    // Deleting frees room.
    let items = owner.get("/api/settings/audio").json_body()["items"].clone();
    let id = items[0]["id"].as_i64().unwrap();
    assert_eq!(
        owner.delete(&format!("/api/settings/audio/{id}")).status,
        204
    );
    assert_eq!(owner.upload_audio("again", wav(800)).status, 201);
}

/// A deleted prompt file's ID is never given to another file (issue 14,
/// finding 6): a form still open on the old file cannot point the greeting
/// at a new one by its number.
#[test]
fn ars_2_a_deleted_prompt_files_id_is_never_reused() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let first = owner.upload_audio("one", wav(800)).json_body()["id"]
        .as_i64()
        .unwrap();
    let second = owner.upload_audio("two", wav(800)).json_body()["id"]
        .as_i64()
        .unwrap();
    assert!(second > first);
    assert_eq!(
        owner
            .delete(&format!("/api/settings/audio/{second}"))
            .status,
        204
    );
    let third = owner.upload_audio("three", wav(800)).json_body()["id"]
        .as_i64()
        .unwrap();
    assert!(third > second, "{third} reuses a deleted file's ID");
    // The old ID names nothing: a greeting saved with it is refused (409:
    // the request is well-formed, the file is gone).
    let mut body = ars_body();
    body["greeting"] = json!({ "kind": "audio", "audio_id": second });
    let resp = owner.put("/api/settings/ars", body);
    assert_eq!(resp.status, 409, "{}", resp.json_body());
}

/// Nor does a viewer find the token in the greeting or menu settings, or in
/// the work history's details (issue 14, outside attack).
#[test]
fn ars_2_the_publishing_token_is_in_no_other_answer() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let up = owner.upload_audio("greeting", wav(800)).json_body();
    let token = up["token"].as_str().unwrap().to_owned();
    let mut body = ars_body();
    body["greeting"] = json!({ "kind": "audio", "audio_id": up["id"] });
    assert_eq!(owner.put("/api/settings/ars", body).status, 200);
    let viewer = owner.add_admin("acme-viewer", "viewer");
    for path in [
        "/api/settings/ars",
        "/api/settings/menus",
        "/api/history/audit",
    ] {
        let text = String::from_utf8(viewer.get(path).body).unwrap();
        assert!(!text.contains(&token), "{path} shows the token");
    }
    let text = String::from_utf8(owner.get("/api/history/audit").body).unwrap();
    assert!(!text.contains(&token), "the work history keeps the token");
}
