//! Holidays (ARS-5): the tenant's days off, the import of a year's Korean
//! national holidays, and their effect on the open/closed status.
#![allow(clippy::unwrap_used)]

use crate::support::{self, TestApp, assert_error};
use serde_json::json;
use switchboard_domain::schedule::national_holidays;

const HOLIDAYS: &str = "/api/settings/holidays";

#[test]
fn ars_5_importing_2026_adds_every_national_holiday_once() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let expected = national_holidays(2026).len();
    assert!(expected > 10);
    let first = owner.post_empty(&format!("{HOLIDAYS}/import?year=2026"));
    assert_eq!(first.status, 200, "{}", first.json_body());
    assert_eq!(first.json_body()["added"], expected);
    assert_eq!(first.json_body()["skipped"], 0);
    let listed = owner.get(&format!("{HOLIDAYS}?year=2026")).json_body();
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), expected);
    assert!(items.iter().all(|h| h["repeat"] == "once"));
    assert!(
        items
            .iter()
            .any(|h| h["date"] == "2026-09-25" && h["kind"] == "national"),
        "추석 2026: {listed}"
    );
    // The second import adds nothing.
    let second = owner.post_empty(&format!("{HOLIDAYS}/import?year=2026"));
    assert_eq!(second.json_body()["added"], 0);
    assert_eq!(second.json_body()["skipped"], expected);
    // Another year's list is empty.
    assert_eq!(
        owner.get(&format!("{HOLIDAYS}?year=2027")).json_body()["items"],
        json!([])
    );
}

#[test]
fn ars_5_import_skips_days_already_off_and_refuses_unknown_years() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    // A yearly company holiday on 1 March covers 삼일절 of every year.
    let own = owner.post(
        HOLIDAYS,
        json!({ "date": "2020-03-01", "repeat": "yearly", "name": "창립기념일" }),
    );
    assert_eq!(own.status, 201, "{}", own.json_body());
    let resp = owner.post_empty(&format!("{HOLIDAYS}/import?year=2027"));
    assert_eq!(resp.json_body()["skipped"], 1, "{}", resp.json_body());
    assert_eq!(resp.json_body()["skipped_days"][0]["date"], "2027-03-01");
    // (`?year=` empty is refused before the handler: see `malformed_input`.)
    for year in ["2024", "2031", "abc"] {
        let resp = owner.post_empty(&format!("{HOLIDAYS}/import?year={year}"));
        assert_error(&resp, 422, "validation_failed");
        let field = &resp.json_body()["error"]["fields"]["year"];
        assert_eq!(field["code"], "number_range", "{year}");
        assert_eq!(field["params"], json!({ "min": "2025", "max": "2030" }));
    }
}

#[test]
fn ars_5_holidays_are_checked_unique_per_day_and_editable() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let bad = owner.post(
        HOLIDAYS,
        json!({ "date": "2026-02-30", "kind": "vacation", "repeat": "weekly", "name": "" }),
    );
    assert_error(&bad, 422, "validation_failed");
    let fields = bad.json_body()["error"]["fields"].clone();
    for (f, code) in [
        ("date", "date_format"),
        ("kind", "invalid_choice"),
        ("repeat", "invalid_choice"),
        ("name", "required"),
    ] {
        assert_eq!(fields[f]["code"], code, "{f} in {fields}");
    }
    let made = owner.post(
        HOLIDAYS,
        json!({ "date": "2026-05-15", "kind": "temporary", "name": "워크숍" }),
    );
    assert_eq!(made.status, 201);
    let id = made.json_body()["id"].as_i64().unwrap();
    assert_eq!(made.json_body()["repeat"], "once");
    let dup = owner.post(
        HOLIDAYS,
        json!({ "date": "2026-05-15", "name": "또 워크숍" }),
    );
    assert_error(&dup, 409, "conflict");
    let field = &dup.json_body()["error"]["fields"]["date"];
    assert_eq!(field["code"], "holiday_exists");
    assert_eq!(field["params"]["name"], "워크숍");
    // A yearly holiday on the same day is another rule and is accepted.
    let yearly = owner.post(
        HOLIDAYS,
        json!({ "date": "2026-05-15", "repeat": "yearly", "name": "스승의 날 휴무" }),
    );
    assert_eq!(yearly.status, 201);
    let renamed = owner.patch(
        &format!("{HOLIDAYS}/{id}"),
        json!({ "name": "전사 워크숍" }),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.json_body());
    assert_eq!(
        renamed.json_body()["kind"],
        "temporary",
        "unsent fields kept"
    );
    let history = owner
        .get("/api/history/audit?action=holidays.update")
        .json_body();
    assert_eq!(history["items"][0]["detail"]["before"]["name"], "워크숍");
    assert_eq!(
        history["items"][0]["detail"]["after"]["name"],
        "전사 워크숍"
    );
    assert_eq!(owner.delete(&format!("{HOLIDAYS}/{id}")).status, 204);
    assert_error(&owner.delete(&format!("{HOLIDAYS}/{id}")), 404, "not_found");
}

#[test]
fn ars_5_a_holiday_closes_the_center_whatever_the_hours_say() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    owner.put("/api/settings/hours", support::lunch_break_hours());
    owner.post_empty(&format!("{HOLIDAYS}/import?year=2026"));
    // 2026-09-25 (Friday) is 추석; 09-24..26 are the 추석 holidays.
    let s = owner
        .get("/api/settings/hours/status?at=2026-09-25T10:00:00%2B09:00")
        .json_body();
    assert_eq!(s["open"], false, "{s}");
    assert_eq!(s["reason"], "holiday");
    assert_eq!(s["holiday"]["kind"], "national");
    assert_eq!(s["next_open"], "2026-09-28T09:00:00+09:00");
}

#[test]
fn ars_5_every_year_imports_even_where_two_holidays_share_a_day() {
    // 2025-05-05 is 어린이날 and 부처님오신날; 2028-10-03 개천절 and 추석.
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    for year in 2025..=2030 {
        let days: std::collections::BTreeSet<_> = national_holidays(year)
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        let resp = owner.post_empty(&format!("{HOLIDAYS}/import?year={year}"));
        assert_eq!(resp.status, 200, "{year}: {}", resp.json_body());
        assert_eq!(resp.json_body()["added"], days.len(), "{year}");
    }
    let listed = owner.get(&format!("{HOLIDAYS}?year=2028")).json_body();
    let oct3 = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["date"] == "2028-10-03")
        .cloned()
        .unwrap();
    let name = oct3["name"].as_str().unwrap();
    assert!(name.contains("개천절") && name.contains("추석"), "{name}");
}

/// Two imports at once: both read "nothing there yet", then the second's
/// inserts meet the first's rows. Those days are skipped, not a 500.
#[test]
fn ars_5_an_import_racing_another_skips_the_days_the_other_added() {
    let app = TestApp::with_operator();
    let (tenant_id, _) = app.tenant("acme");
    let list = switchboard_domain::schedule::national_holiday_list(2027);
    let now = app.now();
    let first = futures::executor::block_on(switchboard_app::records::holidays::create_all(
        app.db.as_ref(),
        tenant_id,
        &list,
        now,
    ))
    .unwrap();
    assert!(first.iter().all(|added| *added));
    let second = futures::executor::block_on(switchboard_app::records::holidays::create_all(
        app.db.as_ref(),
        tenant_id,
        &list,
        now,
    ))
    .unwrap();
    assert!(second.iter().all(|added| !*added), "{second:?}");
}
