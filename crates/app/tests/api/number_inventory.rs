//! ARS-1 and TEL-1 (issue 14, finding 1): telephone numbers are provisioned
//! to companies by the platform operator, a company chooses its
//! representative number and caller ID among its own, and events are routed
//! to the number's holder at the event's time — so no company can take over
//! another's line, and a released number's history stays where it was.
#![allow(clippy::unwrap_used)]

use crate::support::{self, CallScript, TestApp, assert_error};
use futures::executor::block_on;
use serde_json::json;
use switchboard_app::runtime::schema::MIGRATIONS;
use switchboard_storage::{Sql, Value};
use switchboard_storage_native::NativeSql;

const SECRET: &str = "whsec-number-tests";

fn app() -> TestApp {
    TestApp::with_operator().with_var("webhook_secret", SECRET)
}

fn count(app: &TestApp, sql: &str, params: &[Value]) -> i64 {
    block_on(app.db.query_row(sql, params))
        .unwrap()
        .unwrap()
        .i64(0)
        .unwrap()
}

fn calls_of(app: &TestApp, tenant: i64) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM calls WHERE tenant_id = ?",
        &[tenant.into()],
    )
}

/// The attack of finding 1: a manager of B types a number nobody set up
/// yet (company C's line to be). Refused, and C's calls on that line stay
/// out of B.
#[test]
fn a_manager_cannot_take_a_line_that_was_not_provisioned_to_the_company() {
    let app = app();
    app.tenant("alpha");
    let (bravo, b_owner) = app.tenant("bravo");
    let b_manager = b_owner.add_admin("bravo-manager", "manager");
    let mut ars = support::ars_body();
    ars["representative_number"] = json!("070-7777-0000");
    ars["caller_id"] = json!("02-7777-0000");
    let resp = b_manager.put("/api/settings/ars", ars);
    // Whether a number is held is the inventory's state now: 409.
    assert_error(&resp, 409, "conflict");
    let fields = &resp.json_body()["error"]["fields"];
    assert_eq!(fields["representative_number"]["code"], "number_not_held");
    assert_eq!(fields["caller_id"]["code"], "number_not_held");

    let answer = app.deliver_ok(CallScript::inbound("c-line", "010-1111-2222").line("07077770000"));
    assert_eq!(answer["unrouted"], 1, "{answer}");
    assert_eq!(calls_of(&app, bravo), 0);

    // When the operator sets C up with that line, C can enter it.
    let (charlie, c_owner) = app.tenant("charlie");
    app.provision(charlie, "070-7777-0000");
    let mut ars = support::ars_body();
    ars["representative_number"] = json!("070-7777-0000");
    ars["caller_id"] = json!(null);
    assert_eq!(c_owner.put("/api/settings/ars", ars).status, 200);
}

/// Another company's numbers are refused by the operator's inventory too.
#[test]
fn a_number_has_one_holder_at_a_time() {
    let app = app();
    app.tenant("alpha");
    let (bravo, b_owner) = app.tenant("bravo");
    let op = app.operator();
    let resp = op.post(
        "/api/operator/numbers",
        json!({ "number": support::ARS_LINE, "tenant_id": bravo }),
    );
    // Held by another company: a state, so 409 (issue 14, finding 7).
    assert_error(&resp, 409, "conflict");
    assert_eq!(
        resp.json_body()["error"]["fields"]["number"]["code"],
        "number_taken"
    );
    // Bravo's owner cannot enter alpha's number either.
    let resp = b_owner.put("/api/settings/ars", support::ars_body());
    assert_eq!(
        resp.json_body()["error"]["fields"]["representative_number"]["code"],
        "number_not_held"
    );
    // A back-dated holding that would overlap alpha's is refused as well.
    let id = op.get("/api/operator/numbers?q=07012345678").json_body()["items"][0]["id"]
        .as_i64()
        .unwrap();
    op.post(&format!("/api/operator/numbers/{id}/release"), json!({}));
    let resp = op.post(
        "/api/operator/numbers",
        json!({ "number": "07012345678", "tenant_id": bravo, "since": "2026-01-01" }),
    );
    assert_eq!(
        resp.json_body()["error"]["fields"]["number"]["code"],
        "number_taken",
        "alpha held it then"
    );
}

/// Releasing keeps history with the old company; the holder at each
/// event's time gets the event, whenever it arrives.
#[test]
fn events_follow_the_holder_at_the_events_time() {
    let app = app();
    let (alpha, a_owner) = app.tenant("alpha");
    assert_eq!(
        a_owner.put("/api/settings/ars", support::ars_body()).status,
        200
    );
    let (bravo, b_owner) = app.tenant("bravo");
    // A call to alpha, whose end is still to come.
    app.deliver_ok(CallScript::inbound("old", "010-1111-2222").queued(1));
    let op = app.operator();
    let holding = op
        .get(&format!(
            "/api/operator/numbers?tenant_id={alpha}&q=070-1234"
        ))
        .json_body()["items"][0]
        .clone();
    assert_eq!(holding["number"], "07012345678");
    assert_eq!(holding["formatted"], "070-1234-5678");
    assert_eq!(
        holding["since"],
        json!(null),
        "the first holder holds it since always"
    );

    // Released ten minutes later: alpha's ARS no longer names it.
    app.advance(600);
    let id = holding["id"].as_i64().unwrap();
    let released = op.post(&format!("/api/operator/numbers/{id}/release"), json!({}));
    assert_eq!(released.status, 200, "{}", released.json_body());
    assert_eq!(released.json_body()["current"], false);
    assert_error(
        &op.post(&format!("/api/operator/numbers/{id}/release"), json!({})),
        409,
        "number_released",
    );
    let shown = a_owner.get("/api/settings/ars").json_body();
    assert_eq!(shown["representative_number"], json!(null));

    // Between release and the next provisioning, the line is nobody's.
    app.advance(60);
    let between = CallScript::inbound("between", "010-3333-4444").starting_after(630);
    assert_eq!(app.deliver_ok(between)["unrouted"], 1);

    // Provisioned to bravo from now; bravo can choose it.
    app.advance(60);
    let given = op.post(
        "/api/operator/numbers",
        json!({ "number": "070-1234-5678", "tenant_id": bravo }),
    );
    assert_eq!(given.status, 201, "{}", given.json_body());
    assert_ne!(given.json_body()["since"], json!(null));
    let mut ars = support::ars_body();
    ars["caller_id"] = json!(null);
    assert_eq!(b_owner.put("/api/settings/ars", ars).status, 200);

    // The old call's late end (it happened before the release) is alpha's;
    // a new call is bravo's.
    let late = CallScript::later("old")
        .starting_after(120)
        .ended()
        .ids("old-late");
    let new = CallScript::inbound("new", "010-5555-6666").starting_after(800);
    app.deliver_ok(late);
    app.deliver_ok(new);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM calls WHERE tenant_id = ? AND call_id = 'old' AND ended_ms IS NOT NULL",
            &[alpha.into()]
        ),
        1
    );
    assert_eq!(calls_of(&app, alpha), 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM calls WHERE tenant_id = ? AND call_id = 'new'",
            &[bravo.into()]
        ),
        1
    );
    assert_eq!(calls_of(&app, bravo), 1);

    // Both sides of the inventory are in the work history.
    let actions: Vec<String> = app.audit_rows().into_iter().map(|(a, _, _)| a).collect();
    assert!(actions.iter().any(|a| a == "numbers.provision"));
    assert!(actions.iter().any(|a| a == "numbers.release"));
}

/// A company sees its own numbers (current first), never another's.
#[test]
fn a_company_lists_the_numbers_provisioned_to_it() {
    let app = app();
    app.tenant("alpha");
    let (bravo, b_owner) = app.tenant("bravo");
    app.provision(bravo, "1588-0000");
    let items = b_owner.get("/api/settings/numbers").json_body()["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    assert_eq!(items[0]["formatted"], "1588-0000");
    assert_eq!(items[0]["current"], true);
}

/// Migration 0011: numbers saved before the inventory existed become
/// provisioned to the companies that saved them, since always; a caller ID
/// another company already holds is cleared.
#[test]
fn existing_numbers_are_provisioned_to_their_companies_by_the_migration() {
    let db = NativeSql::in_memory().unwrap();
    let before = &MIGRATIONS[..MIGRATIONS.iter().position(|m| m.version == 11).unwrap()];
    block_on(switchboard_storage::migrate(&db, before)).unwrap();
    for (id, number, caller) in [
        (1, "07011112222", "0233334444"),
        (2, "07055556666", "07011112222"),
    ] {
        block_on(db.execute(
            "INSERT INTO tenants (id, name, plan, licence_count, service_start, service_end, created_at) \
             VALUES (?, ?, 'basic', 5, '2026-01-01', '2026-12-31', '2026-01-01T00:00:00Z')",
            &[Value::from(id), Value::from(format!("t{id}"))],
        ))
        .unwrap();
        block_on(db.execute(
            "INSERT INTO ars_settings (tenant_id, representative_number, caller_id, greeting_kind, greeting_text, \
             out_of_hours_text, connecting_text, busy_text, busy_wait_seconds, callback_text, updated_at) \
             VALUES (?, ?, ?, 'text', '안녕하세요', 'a', 'b', 'c', 30, 'd', '2026-01-01T00:00:00Z')",
            &[Value::from(id), Value::from(number), Value::from(caller)],
        ))
        .unwrap();
    }
    block_on(switchboard_storage::migrate(&db, MIGRATIONS)).unwrap();
    let held: Vec<(String, i64, bool)> = block_on(db.query(
        "SELECT number, tenant_id, since_ms IS NULL FROM phone_numbers ORDER BY number",
        &[],
    ))
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.text(0).unwrap(),
            r.i64(1).unwrap(),
            r.i64(2).unwrap() == 1,
        )
    })
    .collect();
    assert_eq!(
        held,
        vec![
            ("0233334444".into(), 1, true),
            ("07011112222".into(), 1, true),
            ("07055556666".into(), 2, true),
        ]
    );
    let caller_of_2 = block_on(db.query_row(
        "SELECT caller_id FROM ars_settings WHERE tenant_id = 2",
        &[],
    ))
    .unwrap()
    .unwrap()
    .opt_text(0)
    .unwrap();
    assert_eq!(
        caller_of_2, None,
        "tenant 1's number is not tenant 2's caller ID"
    );
}

/// Outside attack on this round: a call that spans a release stays whole
/// with the company it started with — its late recording and callback
/// request, stamped after the number changed hands, are not the next
/// holder's.
#[test]
fn a_call_that_spans_a_release_stays_with_its_company() {
    let app = app();
    let (alpha, _) = app.tenant("alpha");
    let (bravo, _) = app.tenant("bravo");
    app.deliver_ok(CallScript::inbound("spans", "010-7777-8888").queued(1));
    let op = app.operator();
    let id = op.get("/api/operator/numbers?q=07012345678").json_body()["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.advance(60);
    op.post(&format!("/api/operator/numbers/{id}/release"), json!({}));
    app.advance(1);
    let given = op.post(
        "/api/operator/numbers",
        json!({ "number": support::ARS_LINE, "tenant_id": bravo }),
    );
    assert_eq!(given.status, 201, "{}", given.json_body());
    app.advance(10);
    let late = CallScript::later("spans")
        .ids("spans-late")
        .starting_after(70)
        .callback_requested("010-7777-8888", 1)
        .ended()
        .recording_ready(
            "https://recordings.provider.example/r/spans.mp3",
            30.0,
            switchboard_telephony::RecordingFormat::Mp3,
        );
    let answer = app.deliver_ok(late);
    assert_eq!(answer["stored"], 3, "{answer}");
    for (table, what) in [
        ("calls", "the call"),
        ("recordings", "its recording"),
        ("callbacks", "its callback request"),
    ] {
        assert_eq!(
            count(
                &app,
                &format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = ?"),
                &[alpha.into()]
            ),
            1,
            "{what} stays with alpha"
        );
        assert_eq!(
            count(
                &app,
                &format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = ?"),
                &[bravo.into()]
            ),
            0,
            "{what} is not bravo's"
        );
    }
}

/// Outside attack on this round: the "held now" check is part of the save,
/// so a release that lands between the handler's check and the save cannot
/// leave a released number in the company's settings.
#[test]
fn a_number_released_before_the_save_is_not_saved() {
    use switchboard_app::records::ars;
    let app = app();
    let (alpha, owner) = app.tenant("alpha");
    assert_eq!(
        owner.put("/api/settings/ars", support::ars_body()).status,
        200
    );
    let settings = block_on(ars::load(app.db.as_ref(), alpha))
        .unwrap()
        .unwrap();
    let op = app.operator();
    let id = op.get("/api/operator/numbers?q=070-1234-5678").json_body()["items"][0]["id"]
        .as_i64()
        .unwrap();
    op.post(&format!("/api/operator/numbers/{id}/release"), json!({}));
    // The handler had checked before the release; the save now runs.
    let saved = block_on(ars::save(app.db.as_ref(), alpha, &settings, app.now())).unwrap();
    assert_eq!(saved, ars::Saved::NotHeld);
    assert_eq!(
        owner.get("/api/settings/ars").json_body()["representative_number"],
        json!(null)
    );
}

/// Outside attack on this round: a terminated company is given no numbers,
/// and terminating one releases its numbers, so no calls are stored where
/// no admin can see them.
#[test]
fn a_terminated_company_holds_no_numbers() {
    let app = app();
    let (alpha, _) = app.tenant("alpha");
    let op = app.operator();
    let resp = op.patch(
        &format!("/api/operator/tenants/{alpha}"),
        json!({ "status": "terminated" }),
    );
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    let held = op.get(&format!(
        "/api/operator/numbers?tenant_id={alpha}&current=true"
    ));
    assert_eq!(held.json_body()["items"], json!([]));
    app.advance(5);
    let answer = app.deliver_ok(CallScript::inbound("after", "010-1111-2222").starting_after(5));
    assert_eq!(answer["unrouted"], 1, "{answer}");
    let resp = op.post(
        "/api/operator/numbers",
        json!({ "number": "070-3333-4444", "tenant_id": alpha }),
    );
    assert_error(&resp, 422, "validation_failed");
    assert!(resp.json_body()["error"]["fields"]["tenant_id"].is_object());
    let detail = app.audit_rows();
    assert!(
        detail
            .iter()
            .any(|(a, _, o)| a == "tenants.update_status" && *o == 200)
    );
}

/// A back-dated holding starts on a real day (not year 0); the query is
/// sent once per parameter.
#[test]
fn since_and_the_query_are_checked() {
    let app = app();
    let (_, _) = app.tenant("alpha");
    let (bravo, _) = app.tenant("bravo");
    let op = app.operator();
    let resp = op.post(
        "/api/operator/numbers",
        json!({ "number": "070-9999-0000", "tenant_id": bravo, "since": "0000-01-01" }),
    );
    assert_eq!(
        resp.json_body()["error"]["fields"]["since"]["code"],
        "invalid_value"
    );
    assert_error(
        &op.get("/api/operator/numbers?tenant_id=1&tenant_id=2"),
        422,
        "validation_failed",
    );
    assert_error(
        &op.get("/api/operator/numbers?q="),
        422,
        "validation_failed",
    );
    assert_error(
        &op.get("/api/operator/numbers?current=AAA"),
        422,
        "validation_failed",
    );
    let found = op
        .get("/api/operator/numbers?q=0082%2070%201234")
        .json_body();
    assert_eq!(found["items"][0]["number"], "07012345678", "{found}");
}
