//! HIST-1..4: the call, consultation, callback and agent login histories,
//! as an admin pages and filters them; the XLSX read back cell by cell; the
//! recordings ZIP unpacked and compared byte for byte with what the
//! provider served; every view and export in the work history.
#![allow(clippy::unwrap_used)]

use crate::support::{self, AgentScript, CallScript, Session, TestApp, assert_error};
use bytes::Bytes;
use futures::executor::block_on;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Read;
use std::rc::Rc;
use switchboard_http::{
    Body, ByteRange, HttpClient, OutboundError, OutboundRequest, Response, ResponseExt, StatusCode,
};
use switchboard_storage::{BoxFuture, Sql};
use switchboard_telephony::{AttemptResult, Hours, Platform, RecordingFormat};

const ORIGIN: &str = "https://rec.provider.example";

/// A provider that serves the files it was given (honouring `Range`) in
/// small chunks, and 404 for any other.
struct Files(HashMap<String, Vec<u8>>);

impl HttpClient for Files {
    fn send(&self, req: OutboundRequest) -> BoxFuture<'_, Result<Response, OutboundError>> {
        let file = self.0.get(&req.uri().to_string()).cloned();
        let range = req
            .headers()
            .get("range")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Box::pin(async move {
            let Some(file) = file else {
                return Ok(
                    Response::body_of("text/plain", "gone").with_status(StatusCode::NOT_FOUND)
                );
            };
            let r = ByteRange::parse(range.as_deref(), file.len() as u64).unwrap();
            let part = file[r.start as usize..(r.start + r.len()) as usize].to_vec();
            let chunks: Vec<Result<Bytes, _>> = part
                .chunks(700)
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect();
            Ok(r.respond(
                "audio/mpeg",
                Body::from_stream(futures::stream::iter(chunks)),
            ))
        })
    }
}

fn mp3(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(seed).wrapping_add(seed))
        .collect()
}

struct World {
    app: TestApp,
    owner: Session,
    files: HashMap<String, Vec<u8>>,
}

fn world() -> World {
    let files: HashMap<String, Vec<u8>> = [
        (format!("{ORIGIN}/r/c1.mp3"), mp3(3, 5000)),
        (format!("{ORIGIN}/r/c3.mp3"), mp3(7, 12_345)),
    ]
    .into_iter()
    .collect();
    let app = TestApp::with_operator()
        .with_var("webhook_secret", "hook-secret")
        .with_var("provider_api_token", "tok")
        .with_var("provider_recordings_origin", ORIGIN)
        .with_http_client(Rc::new(Files(files.clone())));
    let (_, owner) = app.tenant("acme");
    assert_eq!(
        owner.put("/api/settings/ars", support::ars_body()).status,
        200
    );
    for (digit, queue) in [(1, "일반 상담"), (2, "결제·환불")] {
        let r = owner.post(
            "/api/settings/menus",
            json!({ "digit": digit, "kind": "agents", "queue": queue }),
        );
        assert_eq!(r.status, 201, "{}", r.json_body());
    }
    owner.add_agent("kim");
    owner.add_agent("lee");
    World { app, owner, files }
}

/// Five calls, a minute apart, newest last:
/// c1 inbound 010-1234-5678 queue 1 answered by kim (recorded);
/// c2 inbound 02-1234-5678 queue 2 abandoned;
/// c3 kim's outbound to 010-9999-5678 (recorded, and a dead recording);
/// c4 kim's internal call to lee;
/// c5 inbound 010-5555-1234 out of hours.
fn five_calls(w: &World) {
    w.app.deliver_ok([
        CallScript::inbound("c1", "010-1234-5678")
            .menu(1)
            .wait(2)
            .queued(1)
            .wait(5)
            .offered("kim")
            .wait(3)
            .answered("kim")
            .wait(187)
            .ended()
            .wait(2)
            .recording_ready(&format!("{ORIGIN}/r/c1.mp3"), 187.0, RecordingFormat::Mp3),
        CallScript::inbound("c2", "02-1234-5678")
            .starting_after(60)
            .menu(2)
            .queued(2)
            .wait(40)
            .abandoned(),
        CallScript::outbound("c3", "kim", "010-9999-5678")
            .starting_after(120)
            .wait(4)
            .answered("kim")
            .wait(65)
            .ended()
            .recording_ready(&format!("{ORIGIN}/r/c3.mp3"), 65.0, RecordingFormat::Mp3)
            .recording_ready(
                &format!("{ORIGIN}/r/c3-lost.mp3"),
                1.0,
                RecordingFormat::Mp3,
            ),
        CallScript::internal("c4", "kim", "lee")
            .starting_after(180)
            .wait(10)
            .ended(),
        CallScript::inbound("c5", "010-5555-1234")
            .starting_after(240)
            .hours(Hours::Closed)
            .wait(8)
            .ended(),
    ]);
}

fn calls(s: &Session, query: &str) -> Vec<String> {
    let r = s.get(&format!("/api/history/calls?{query}"));
    assert_eq!(r.status, 200, "{query}: {}", r.json_body());
    r.json_body()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["call_id"].as_str().unwrap().to_owned())
        .collect()
}

fn agent_id(w: &World, login: &str) -> i64 {
    let list = w.owner.get("/api/settings/agents").json_body();
    let items = list["items"]
        .as_array()
        .or(list.as_array())
        .cloned()
        .unwrap();
    items.iter().find(|a| a["login_id"] == login).unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn hist_1_each_filter_alone_and_combined() {
    let w = world();
    five_calls(&w);
    let o = &w.owner;
    assert_eq!(calls(o, ""), ["c5", "c4", "c3", "c2", "c1"]);
    // Numbers in any format the admin types.
    for typed in [
        "010-1234",
        "01012345678",
        "+82 10 1234",
        "+82 010-1234-5678",
    ] {
        let q = format!("number={}", urlencode(typed));
        assert_eq!(calls(o, &q), ["c1"], "{typed}");
    }
    assert_eq!(calls(o, "number=5678"), ["c3", "c2", "c1"], "last digits");
    assert_eq!(calls(o, "number=9999-5678"), ["c3"]);
    assert_eq!(calls(o, "number=02"), ["c2"]);
    let kim = agent_id(&w, "kim");
    assert_eq!(calls(o, &format!("agent={kim}")), ["c4", "c3", "c1"]);
    assert_eq!(calls(o, "queue=2"), ["c2"]);
    assert_eq!(calls(o, "queue=1"), ["c1"]);
    assert_eq!(calls(o, "result=abandoned"), ["c2"]);
    assert_eq!(calls(o, "result=out_of_hours"), ["c5"]);
    assert_eq!(calls(o, "direction=outbound"), ["c3"]);
    assert_eq!(calls(o, "direction=internal"), ["c4"]);
    assert_eq!(calls(o, "direction=inbound"), ["c5", "c2", "c1"]);
    // Combined.
    assert_eq!(calls(o, &format!("agent={kim}&direction=inbound")), ["c1"]);
    assert_eq!(calls(o, "number=5678&direction=inbound"), ["c2", "c1"]);
    assert_eq!(calls(o, "number=010&result=answered"), ["c1"]);
    // Dates in the tenant's zone: START is 2026-11-30 10:00 in Seoul.
    assert_eq!(calls(o, "from=2026-11-30&to=2026-11-30").len(), 5);
    assert!(calls(o, "from=2026-12-01").is_empty());
    assert!(calls(o, "to=2026-11-29").is_empty());
    // Wrong values name their field.
    for (q, field) in [
        ("number=12", "number"),
        ("number=abc", "number"),
        ("queue=12", "queue"),
        ("result=lost", "result"),
        ("direction=up", "direction"),
        ("from=30.11.2026", "from"),
        ("cursor=zzz", "cursor"),
        ("limit=0", "limit"),
        ("agent=x", "agent"),
    ] {
        let r = o.get(&format!("/api/history/calls?{q}"));
        assert_error(&r, 422, "validation_failed");
        assert!(r.json_body()["error"]["fields"][field].is_object(), "{q}");
    }
    // The list says who took the call and in which queue, by name.
    let r = o.get("/api/history/calls?queue=1").json_body();
    let c1 = &r["items"][0];
    assert_eq!(c1["agent_name"], "상담사 kim");
    assert_eq!(c1["queue"], "일반 상담");
    assert_eq!(c1["talk_ms"], 187_000);
    assert_eq!(c1["recordings"], 1);
    assert_eq!(r["time_zone"], "Asia/Seoul");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn hist_1_pages_neither_skip_nor_repeat_while_calls_arrive() {
    let w = world();
    let script = |i: i64| {
        CallScript::inbound(&format!("p{i:02}"), "010-2222-3333")
            .starting_after(i * 10)
            .wait(5)
            .ended()
    };
    for i in 0..25 {
        w.app.deliver_ok(script(i));
    }
    // Two calls at the same instant: the ID breaks the tie.
    w.app.deliver_ok(
        CallScript::inbound("p-twin", "010-2222-3333")
            .starting_after(120)
            .wait(5)
            .ended(),
    );
    let expected = calls(&w.owner, "limit=200");
    assert_eq!(expected.len(), 26);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut arriving = 100;
    loop {
        let q = match &cursor {
            Some(c) => format!("limit=4&cursor={c}"),
            None => "limit=4".to_owned(),
        };
        let page = w.owner.get(&format!("/api/history/calls?{q}")).json_body();
        for c in page["items"].as_array().unwrap() {
            seen.push(c["call_id"].as_str().unwrap().to_owned());
        }
        // New calls arrive between pages.
        w.app.deliver_ok(script(arriving));
        arriving += 1;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, expected, "every row once, in order");
}

#[test]
fn hist_1_the_detail_has_the_timeline_in_the_tenants_zone_the_consultation_and_recordings() {
    let w = world();
    five_calls(&w);
    let kim = w
        .app
        .agent_login(w.owner.user["tenant_id"].as_i64().unwrap_or(1), "kim");
    let saved = kim.put(
        "/api/agent/calls/c1/consultation",
        json!({ "type_id": null, "memo": "배송 문의" }),
    );
    assert_eq!(saved.status, 200, "{}", saved.json_body());
    let list = w.owner.get("/api/history/calls?queue=1").json_body();
    let id = list["items"][0]["id"].as_i64().unwrap();
    let d = w.owner.get(&format!("/api/history/calls/{id}"));
    assert_eq!(d.status, 200, "{}", d.json_body());
    let d = d.json_body();
    let kinds: Vec<&str> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "call.received",
            "call.menu",
            "call.queued",
            "call.offered",
            "call.answered",
            "call.ended",
            "recording.ready"
        ]
    );
    assert_eq!(d["timeline"][0]["at"], "2026-11-30 10:00:00");
    assert_eq!(d["timeline"][4]["at"], "2026-11-30 10:00:10");
    assert_eq!(d["timeline"][1]["digit"], 1);
    assert_eq!(d["consultations"][0]["memo"], "배송 문의");
    assert_eq!(d["consultations"][0]["agent_name"], "상담사 kim");
    assert_eq!(d["recordings"].as_array().unwrap().len(), 1);
    assert!(
        !d.to_string().contains("provider.example"),
        "no provider URL"
    );
    assert_error(&w.owner.get("/api/history/calls/99999"), 404, "not_found");
}

/// Consultations on c1 (kim, type 배송) and c3 (kim, type 환불), and an
/// old one on c4 four months earlier.
fn consultations(w: &World) -> (i64, i64) {
    five_calls(w);
    let t = |name: &str| {
        let r = w
            .owner
            .post("/api/settings/consultation-types", json!({ "name": name }));
        r.json_body()["id"].as_i64().unwrap()
    };
    let (delivery, refund) = (t("배송"), t("환불"));
    let tenant = w.owner.user["tenant_id"].as_i64().unwrap_or(1);
    let kim = w.app.agent_login(tenant, "kim");
    let old = w.app.now();
    w.app
        .set_now(old - jiff::SignedDuration::from_hours(24 * 120));
    let kim_then = w.app.agent_login(tenant, "kim");
    let r = kim_then.put(
        "/api/agent/calls/c4/consultation",
        json!({ "type_id": null, "memo": "옛 상담" }),
    );
    assert_eq!(r.status, 200, "{}", r.json_body());
    w.app.set_now(old);
    for (call, ty, memo) in [
        ("c1", delivery, "=HYPERLINK(\"x\") 배송 지연"),
        ("c3", refund, "환불 안내"),
    ] {
        w.app.advance(60);
        let r = kim.put(
            &format!("/api/agent/calls/{call}/consultation"),
            json!({ "type_id": ty, "memo": memo }),
        );
        assert_eq!(r.status, 200, "{}", r.json_body());
    }
    (delivery, refund)
}

fn memos(s: &Session, q: &str) -> Vec<String> {
    let r = s.get(&format!("/api/history/consultations?{q}"));
    assert_eq!(r.status, 200, "{q}: {}", r.json_body());
    r.json_body()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["memo"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn hist_2_three_months_by_default_everything_on_request_and_the_type_filter() {
    let w = world();
    let (delivery, _) = consultations(&w);
    let o = &w.owner;
    assert_eq!(memos(o, ""), ["환불 안내", "=HYPERLINK(\"x\") 배송 지연"]);
    assert_eq!(memos(o, "all=true").len(), 3, "전체");
    assert_eq!(memos(o, &format!("type={delivery}")).len(), 1);
    assert_eq!(memos(o, "direction=outbound"), ["환불 안내"]);
    assert_eq!(memos(o, "number=010-1234"), ["=HYPERLINK(\"x\") 배송 지연"]);
    let page = o.get("/api/history/consultations?limit=1").json_body();
    let next = page["next_cursor"].as_str().unwrap();
    assert_eq!(
        memos(o, &format!("limit=1&cursor={next}")),
        ["=HYPERLINK(\"x\") 배송 지연"]
    );
}

fn read_xlsx(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range("상담이력").unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn hist_2_the_xlsx_holds_exactly_the_selected_rows_cell_by_cell_and_viewers_cannot_export() {
    let w = world();
    consultations(&w);
    let list = w.owner.get("/api/history/consultations").json_body();
    let c1 = list["items"][1].clone();
    let id = c1["id"].as_i64().unwrap();
    let r = w
        .owner
        .get(&format!("/api/history/consultations/export?ids={id}"));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains("consultations.xlsx")
    );
    let rows = read_xlsx(&r.body);
    assert_eq!(
        rows,
        vec![
            vec![
                "번호",
                "상담일시",
                "상담사",
                "상담사 아이디",
                "전화번호",
                "구분",
                "결과",
                "대기열",
                "상담유형",
                "통화시간",
                "메모",
                "녹취"
            ]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>(),
            vec![
                id.to_string(),
                "2026-11-30 10:01:00".into(),
                "상담사 kim".into(),
                "kim".into(),
                "010-1234-5678".into(),
                "수신".into(),
                "응대".into(),
                "일반 상담".into(),
                "배송".into(),
                "3:07".into(),
                // A formula is defused.
                "'=HYPERLINK(\"x\") 배송 지연".into(),
                "1".into(),
            ],
        ]
    );
    // All matching a filter: both rows of the default view.
    let all = read_xlsx(&w.owner.get("/api/history/consultations/export").body);
    assert_eq!(all.len(), 3);
    assert_eq!(all[1][10], "환불 안내");
    let en = w.owner.get(&format!(
        "/api/history/consultations/export?ids={id}&lang=en"
    ));
    assert!(String::from_utf8_lossy(&en.body).len() > 100);
    // A viewer looks, never downloads.
    let viewer = w.owner.add_admin("acme-viewer", "viewer");
    assert_eq!(viewer.get("/api/history/consultations").status, 200);
    assert_error(
        &viewer.get(&format!("/api/history/consultations/export?ids={id}")),
        403,
        "forbidden",
    );
    assert_error(
        &viewer.get("/api/history/recordings/zip?ids=1"),
        403,
        "forbidden",
    );
    // The export is in the work history with the rows it held.
    let audit = audit(&w.app, "consultations.export");
    assert!(audit.iter().any(|d| d["ids"] == json!([id])), "{audit:?}");
}

fn audit(app: &TestApp, action: &str) -> Vec<Value> {
    block_on(app.db.query(
        "SELECT COALESCE(detail, '{}') FROM audit_log WHERE action = ? ORDER BY id",
        &[action.into()],
    ))
    .unwrap()
    .iter()
    .map(|r| serde_json::from_str(&r.text(0).unwrap()).unwrap())
    .collect()
}

#[test]
fn hist_2_a_zip_of_recordings_streams_what_the_provider_served_and_lists_what_failed() {
    let w = world();
    five_calls(&w);
    let ids: Vec<i64> = block_on(w.app.db.query("SELECT id FROM recordings ORDER BY id", &[]))
        .unwrap()
        .iter()
        .map(|r| r.i64(0).unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    let q = ids
        .iter()
        .map(ToString::to_string)
        .chain(["99999".to_owned()])
        .collect::<Vec<_>>()
        .join(",");
    let r = w.owner.get(&format!("/api/history/recordings/zip?ids={q}"));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("application/zip"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.body.to_vec())).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    for (i, url) in [(0, "c1"), (1, "c3")] {
        let name = names
            .iter()
            .find(|n| n.starts_with(&format!("{}_", ids[i])))
            .unwrap()
            .clone();
        assert!(name.ends_with(&format!("_{url}.mp3")), "{name}");
        let mut got = Vec::new();
        zip.by_name(&name).unwrap().read_to_end(&mut got).unwrap();
        assert_eq!(got, w.files[&format!("{ORIGIN}/r/{url}.mp3")], "{name}");
    }
    let mut manifest = String::new();
    zip.by_name("누락된 녹취.txt")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    assert!(
        manifest.contains(&format!("{}\tthe provider answered 404", ids[2])),
        "{manifest}"
    );
    assert!(manifest.contains("99999\tno such recording"), "{manifest}");
    let a = audit(&w.app, "recordings.zip");
    assert_eq!(
        a.last().unwrap()["recording_ids"].as_array().unwrap().len(),
        4
    );
    assert_error(
        &w.owner.get("/api/history/recordings/zip?ids="),
        422,
        "validation_failed",
    );
}

#[test]
fn hist_3_callbacks_by_result_with_attempts_and_a_managers_audited_delete() {
    let w = world();
    w.app.deliver_ok([
        CallScript::inbound("cb1", "010-3333-4444")
            .queued(1)
            .wait(20)
            .callback_requested("010-3333-4444", 1)
            .ended(),
        CallScript::inbound("cb2", "010-7777-8888")
            .starting_after(30)
            .queued(2)
            .wait(20)
            .callback_requested("010-7777-8888", 2)
            .ended(),
    ]);
    let cb = |call: &str| {
        block_on(
            w.app
                .db
                .query_row("SELECT id FROM callbacks WHERE call_id = ?", &[call.into()]),
        )
        .unwrap()
        .unwrap()
        .i64(0)
        .unwrap()
    };
    let (cb1, cb2) = (cb("cb1"), cb("cb2"));
    // Two attempts on cb1 by kim: no answer, then reached.
    w.app.deliver_ok([
        CallScript::outbound("try1", "kim", "010-3333-4444")
            .callback_of(cb1)
            .starting_after(300)
            .wait(30)
            .callback_attempt(cb1, AttemptResult::NoAnswer)
            .ended(),
        CallScript::outbound("try2", "kim", "010-3333-4444")
            .callback_of(cb1)
            .starting_after(900)
            .wait(5)
            .answered("kim")
            .wait(60)
            .callback_attempt(cb1, AttemptResult::Completed)
            .ended(),
    ]);
    let list = |q: &str| {
        let r = w.owner.get(&format!("/api/history/callbacks?{q}"));
        assert_eq!(r.status, 200, "{}", r.json_body());
        r.json_body()["items"].as_array().unwrap().clone()
    };
    let done = list("status=completed");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0]["id"], cb1);
    let attempts = done[0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0]["result"], "no_answer");
    assert_eq!(attempts[0]["agent_name"], "상담사 kim");
    assert_eq!(attempts[1]["result"], "completed");
    assert_eq!(list("status=requested")[0]["id"], cb2);
    assert_eq!(list("number=010-7777").len(), 1);
    // A viewer cannot delete; a manager deletes a pending request, once.
    let viewer = w.owner.add_admin("acme-viewer", "viewer");
    assert_error(
        &viewer.delete(&format!("/api/history/callbacks/{cb2}")),
        403,
        "forbidden",
    );
    let manager = w.owner.add_admin("acme-manager", "manager");
    let r = manager.delete(&format!("/api/history/callbacks/{cb2}"));
    assert_eq!(r.status, 204);
    assert_eq!(list("status=deleted")[0]["id"], cb2);
    assert_error(
        &manager.delete(&format!("/api/history/callbacks/{cb2}")),
        409,
        "callback_not_open",
    );
    assert_error(
        &manager.delete(&format!("/api/history/callbacks/{cb1}")),
        409,
        "callback_not_open",
    );
    let a = audit(&w.app, "callbacks.delete");
    let done: Vec<&Value> = a
        .iter()
        .filter(|d| d["after"]["status"] == "deleted")
        .collect();
    assert_eq!(done.len(), 1, "{a:?}");
    assert_eq!(done[0]["number"], "01077778888");
    assert_eq!(done[0]["callback"], cb2);
}

#[test]
fn hist_4_agent_logins_with_platform_ip_length_open_sessions_and_deleted_agents_names() {
    let w = world();
    let lee = agent_id(&w, "lee");
    w.app.deliver_ok([
        AgentScript::login("kim", "s1", Platform::Pc, "203.0.113.7")
            .wait(3600)
            .logout(),
        AgentScript::login("lee", "s2", Platform::Mobile, "198.51.100.4")
            .starting_after(600)
            .wait(60)
            .logout(),
        AgentScript::login("kim", "s3", Platform::Pc, "203.0.113.7").starting_after(7200),
    ]);
    assert_eq!(
        w.owner
            .delete(&format!("/api/settings/agents/{lee}"))
            .status,
        204
    );
    let r = w.owner.get("/api/history/agent-sessions");
    assert_eq!(r.status, 200, "{}", r.json_body());
    let items = r.json_body()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["login_id"], "kim");
    assert_eq!(items[0]["open"], true, "{items:?}");
    assert_eq!(items[0]["length_ms"], Value::Null);
    assert_eq!(items[1]["login_id"], "lee");
    assert_eq!(
        items[1]["name"], "상담사 lee",
        "a deleted agent keeps the name"
    );
    assert_eq!(items[1]["agent_deleted"], true);
    assert_eq!(items[1]["platform"], "mobile");
    assert_eq!(items[2]["platform"], "pc");
    assert_eq!(items[2]["ip"], "203.0.113.7");
    assert_eq!(items[2]["length_ms"], 3_600_000);
    assert_eq!(items[2]["open"], false);
    let open = w
        .owner
        .get("/api/history/agent-sessions?open=true")
        .json_body();
    assert_eq!(open["items"].as_array().unwrap().len(), 1);
    let kim = agent_id(&w, "kim");
    let only = w
        .owner
        .get(&format!("/api/history/agent-sessions?agent={kim}"))
        .json_body();
    assert_eq!(only["items"].as_array().unwrap().len(), 2);
    assert_eq!(only["items"][1]["login_id"], "kim");
}

#[test]
fn every_history_view_and_export_is_in_the_work_history() {
    let w = world();
    five_calls(&w);
    let id = w.owner.get("/api/history/calls").json_body()["items"][0]["id"]
        .as_i64()
        .unwrap();
    for path in [
        "/api/history/calls?direction=inbound".to_owned(),
        format!("/api/history/calls/{id}"),
        "/api/history/consultations".to_owned(),
        "/api/history/consultations/export".to_owned(),
        "/api/history/callbacks".to_owned(),
        "/api/history/agent-sessions".to_owned(),
        "/api/history/recordings/zip?ids=1".to_owned(),
    ] {
        let r = w.owner.get(&path);
        assert_eq!(r.status, 200, "{path}");
    }
    for action in [
        "calls.view",
        "calls.detail",
        "consultations.view",
        "consultations.export",
        "callbacks.view",
        "agent_sessions.view",
        "recordings.zip",
    ] {
        assert!(!audit(&w.app, action).is_empty(), "{action} not recorded");
    }
    assert_eq!(
        audit(&w.app, "calls.view")
            .iter()
            .filter(|d| d["query"] == "direction=inbound")
            .count(),
        1
    );
}

#[test]
fn hist_1_a_common_number_prefix_walks_by_time_and_still_matches_only_that_prefix() {
    let w = world();
    five_calls(&w);
    let tenant: i64 = block_on(
        w.app
            .db
            .query_row("SELECT tenant_id FROM calls LIMIT 1", &[]),
    )
    .unwrap()
    .unwrap()
    .i64(0)
    .unwrap();
    // 2 500 older calls from 010 numbers: 010 is now a common prefix.
    block_on(w.app.db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2499) \
         INSERT INTO calls (tenant_id, call_id, line, first_ms, event_count, received_ms, \
           received_event, received_number, ended_ms) \
         SELECT ?, 'old' || i, '07012345678', 1700000000000 + i, 2, 1700000000000 + i, 'e' || i, \
           '0107777' || printf('%04d', i), 1700000001000 + i FROM n",
        &[tenant.into()],
    ))
    .unwrap();
    let got = calls(&w.owner, "number=010&limit=5");
    assert_eq!(got, ["c5", "c3", "c1", "old2499", "old2498"]);
    let r = w
        .owner
        .get("/api/history/calls?number=010&direction=outbound");
    assert_eq!(r.json_body()["items"].as_array().unwrap().len(), 1);
    // A rare prefix among them is still found.
    assert_eq!(calls(&w.owner, "number=010-7777-0042"), ["old42"]);
}

#[test]
fn every_history_list_refuses_a_filter_it_does_not_know_naming_it() {
    let w = world();
    let o = &w.owner;
    five_calls(&w);
    // A misspelt filter would otherwise show every row as if filtered.
    for path in [
        "/api/history/calls?agnet=3",
        "/api/history/calls?from=2026-11-30&reslt=answered",
        "/api/history/consultations?agnet=3",
        "/api/history/consultations/export?agnet=3",
        "/api/history/callbacks?state=failed",
        "/api/history/agent-sessions?agnet=3",
        "/api/history/audit?agnet=3",
        "/api/history/audit/export?agnet=3",
        "/api/history/recordings/zip?ids=1&agnet=3",
    ] {
        let r = o.get(path);
        assert_error(&r, 422, "validation_failed");
        let fields = &r.json_body()["error"]["fields"];
        let name = path
            .rsplit(['?', '&'])
            .next()
            .unwrap()
            .split('=')
            .next()
            .unwrap();
        assert_eq!(fields[name]["code"], "unknown_field", "{path}: {fields}");
        assert_eq!(fields.as_object().unwrap().len(), 1, "{path}");
    }
    // The known ones still work, together.
    assert_eq!(calls(o, "from=2026-11-30&to=2026-11-30&limit=50").len(), 5);
    let r = o.get("/api/history/consultations?all=true&type=1&limit=10");
    assert_eq!(r.status, 200, "{}", r.json_body());
    let r = o.get("/api/history/agent-sessions?open=true&limit=10");
    assert_eq!(r.status, 200, "{}", r.json_body());
    let r = o.get("/api/history/callbacks?status=failed&limit=10");
    assert_eq!(r.status, 200, "{}", r.json_body());
}
