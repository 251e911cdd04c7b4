//! Business hours (ARS-4) and the open/closed status from the one
//! evaluator. The test clock stands at Monday 2026-11-30 10:00 in Seoul.
#![allow(clippy::unwrap_used)]

use crate::support::{self, TestApp, assert_error, lunch_break_hours};
use serde_json::json;

const HOURS: &str = "/api/settings/hours";

#[test]
fn ars_4_hours_09_12_and_13_18_are_saved_and_read_back() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let before = owner.get(HOURS).json_body();
    assert_eq!(
        before["groups"]["weekdays"]["available"], false,
        "closed until set"
    );
    let saved = owner.put(HOURS, lunch_break_hours());
    assert_eq!(saved.status, 200, "{}", saved.json_body());
    let read = owner.get(HOURS).json_body();
    assert_eq!(read, saved.json_body());
    assert_eq!(
        read["groups"]["weekdays"]["ranges"],
        json!([{ "start": "09:00", "end": "12:00" }, { "start": "13:00", "end": "18:00" }])
    );
    assert_eq!(read["groups"]["weekend"]["available"], false);
    // A day override is kept, and the change is audited with before/after.
    let mut with_saturday = lunch_break_hours();
    with_saturday["days"] = json!({ "sat": { "ranges": [{ "start": "10:00", "end": "13:00" }] } });
    let resp = owner.put(HOURS, with_saturday);
    assert_eq!(
        resp.json_body()["days"]["sat"]["ranges"][0]["start"],
        "10:00"
    );
    let history = owner
        .get("/api/history/audit?action=hours.update")
        .json_body();
    let last = &history["items"][0]["detail"];
    assert!(last["before"]["days"].get("sat").is_none(), "{last}");
    assert_eq!(last["after"]["days"]["sat"]["available"], true);
}

#[test]
fn ars_4_overlapping_and_malformed_ranges_are_refused_at_their_paths() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let body = json!({
        "groups": {
            "weekdays": { "ranges": [
                { "start": "09:00", "end": "12:00" }, { "start": "11:00", "end": "14:00" }] },
            "weekend": { "available": true, "ranges": [] }
        },
        "days": { "sat": { "ranges": [{ "start": "10:00", "end": "25:00" }] }, "xyz": {} }
    });
    let resp = owner.put(HOURS, body);
    assert_error(&resp, 422, "validation_failed");
    let fields = resp.json_body()["error"]["fields"].clone();
    assert_eq!(
        fields["groups.weekdays.ranges.1"]["code"], "time_ranges_overlap",
        "{fields}"
    );
    assert_eq!(
        fields["groups.weekdays.ranges.1"]["params"]["other"], "09:00–12:00",
        "{fields}"
    );
    assert_eq!(
        fields["groups.weekend.ranges"]["code"], "required",
        "{fields}"
    );
    assert_eq!(
        fields["days.sat.ranges.0.end"]["code"], "time_format",
        "{fields}"
    );
    assert_eq!(fields["days.xyz"]["code"], "unknown_field", "{fields}");
    // Nothing was saved.
    assert_eq!(
        owner.get(HOURS).json_body()["groups"]["weekdays"]["available"],
        false
    );
    // A viewer reads but does not change.
    let viewer = owner.add_admin("acme-viewer", "viewer");
    assert_eq!(viewer.get(HOURS).status, 200);
    assert_error(&viewer.put(HOURS, lunch_break_hours()), 403, "forbidden");
}

fn status(s: &support::Session, at: &str) -> serde_json::Value {
    let resp = s.get(&format!("{HOURS}/status?at={}", at.replace('+', "%2B")));
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    resp.json_body()
}

#[test]
fn ars_4_status_at_an_open_and_a_closed_instant() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    assert_eq!(owner.put(HOURS, lunch_break_hours()).status, 200);
    // Default instant: now, Monday 10:00 in Seoul.
    let now = owner.get(&format!("{HOURS}/status")).json_body();
    assert_eq!(now["open"], true, "{now}");
    assert_eq!(now["reason"], json!(null));
    assert_eq!(now["at"], "2026-11-30T10:00:00+09:00");
    assert_eq!(now["time_zone"], "Asia/Seoul");
    // Lunch break: closed, out of hours, open again at 13:00.
    let lunch = status(&owner, "2026-11-30T12:00:00+09:00");
    assert_eq!(lunch["open"], false);
    assert_eq!(lunch["reason"], "out_of_hours");
    assert_eq!(lunch["next_open"], "2026-11-30T13:00:00+09:00");
    // 17:59:59 is open, 18:00 is not (the end is exclusive).
    assert_eq!(status(&owner, "2026-11-30T08:59:59Z")["open"], true);
    let evening = status(&owner, "2026-11-30T18:00:00+09:00");
    assert_eq!(evening["open"], false);
    assert_eq!(evening["next_open"], "2026-12-01T09:00:00+09:00");
    // Saturday: the weekend group is off.
    let saturday = status(&owner, "2026-12-05T10:00:00+09:00");
    assert_eq!(saturday["reason"], "day_off");
    assert_eq!(saturday["next_open"], "2026-12-07T09:00:00+09:00");
    // A malformed instant is a field error.
    let bad = owner.get(&format!("{HOURS}/status?at=tomorrow"));
    assert_error(&bad, 422, "validation_failed");
    assert_eq!(
        bad.json_body()["error"]["fields"]["at"]["code"],
        "instant_format"
    );
}

#[test]
fn ars_4_before_hours_are_set_the_center_is_closed() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let s = owner.get(&format!("{HOURS}/status")).json_body();
    assert_eq!(s["open"], false);
    assert_eq!(s["reason"], "day_off");
    assert_eq!(s["next_open"], json!(null));
}
