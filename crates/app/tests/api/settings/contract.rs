//! The contract (CON-1..3): what it shows, licence/plan changes once a
//! calendar day and never below the active agents, company information,
//! the termination request. The test clock stands at 2026-11-30 10:00 in
//! Seoul; tenants are made with 10 licences on plan `basic`.
#![allow(clippy::unwrap_used)]

use crate::support::{TestApp, assert_error};
use serde_json::json;

const CONTRACT: &str = "/api/settings/contract";
const LICENCES: &str = "/api/settings/contract/licences";

#[test]
fn con_1_the_contract_shows_company_period_plan_and_licences_to_owners_only() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let c = owner.get(CONTRACT).json_body();
    assert_eq!(c["company"]["name"], "acme");
    assert_eq!(
        c["service_period"],
        json!({ "start": "2026-01-01", "end": "2026-12-31" })
    );
    assert_eq!(c["plan"], "basic");
    assert_eq!(c["licence_count"], 10);
    assert_eq!(c["active_agents"], 0);
    assert_eq!(c["status"], "active");
    assert_eq!(c["service_state"], "active");
    assert_eq!(c["licence_change"]["possible_from"], "2026-11-30");
    assert_eq!(c["termination"]["state"], "none");
    for role in ["manager", "viewer"] {
        let s = owner.add_admin(&format!("acme-{role}"), role);
        assert_error(&s.get(CONTRACT), 403, "forbidden");
        assert_error(
            &s.put(LICENCES, json!({ "licence_count": 5 })),
            403,
            "forbidden",
        );
    }
}

#[test]
fn con_2_a_second_licence_change_the_same_day_is_refused_with_the_next_date() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let first = owner.put(LICENCES, json!({ "licence_count": 20, "plan": "premium" }));
    assert_eq!(first.status, 200, "{}", first.json_body());
    assert_eq!(first.json_body()["licence_count"], 20);
    assert_eq!(first.json_body()["plan"], "premium");
    assert_eq!(
        first.json_body()["licence_change"]["possible_from"],
        "2026-12-01"
    );
    let second = owner.put(LICENCES, json!({ "licence_count": 25 }));
    assert_error(&second, 409, "change_limit");
    assert_eq!(second.json_body()["error"]["params"]["next"], "2026-12-01");
    // The same values again are no change, and not refused.
    let same = owner.put(LICENCES, json!({ "licence_count": 20 }));
    assert_eq!(same.status, 200);
    // Midnight in Seoul is 15:00 UTC: 13:59 UTC is still the same day there.
    app.advance(12 * 3600 + 59 * 60); // 2026-11-30T13:59Z = 22:59 KST
    let owner = app.owner_of("acme");
    assert_error(
        &owner.put(LICENCES, json!({ "licence_count": 25 })),
        409,
        "change_limit",
    );
    app.advance(2 * 3600); // 2026-11-30T15:59Z = 2026-12-01 00:59 KST
    let next_day = owner.put(LICENCES, json!({ "licence_count": 25 }));
    assert_eq!(next_day.status, 200, "{}", next_day.json_body());
    let history = owner
        .get("/api/history/audit?action=contract.licences")
        .json_body();
    let detail = &history["items"][0]["detail"];
    assert_eq!(detail["before"]["licence_count"], 20);
    assert_eq!(detail["after"]["licence_count"], 25);
}

#[test]
fn con_2_licences_cannot_go_below_the_active_agents() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    for i in 0..3 {
        let r = owner.post("/api/settings/agents", json!({ "login_id": format!("agent{i}"), "name": "상담사", "password": "agent-pass-123" }));
        assert_eq!(r.status, 201, "{}", r.json_body());
    }
    let resp = owner.put(LICENCES, json!({ "licence_count": 2 }));
    assert_error(&resp, 409, "licences_in_use");
    assert_eq!(resp.json_body()["error"]["params"]["active"], "3");
    // The refusal used up nothing: lowering to exactly the active agents works.
    let ok = owner.put(LICENCES, json!({ "licence_count": 3 }));
    assert_eq!(ok.status, 200, "{}", ok.json_body());
    assert_eq!(ok.json_body()["active_agents"], 3);
    let bad = owner.put(
        LICENCES,
        json!({ "licence_count": 0, "plan": "Premium Plus!" }),
    );
    assert_error(&bad, 422, "validation_failed");
    let fields = bad.json_body()["error"]["fields"].clone();
    assert_eq!(fields["licence_count"]["code"], "number_range");
    assert_eq!(fields["plan"]["code"], "plan_format");
}

#[test]
fn con_1_company_information_is_checked_and_audited() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let bad = owner.put(
        "/api/settings/contract/company",
        json!({ "name": "", "phone": "12345", "email": "nope" }),
    );
    assert_error(&bad, 422, "validation_failed");
    let fields = bad.json_body()["error"]["fields"].clone();
    assert_eq!(fields["name"]["code"], "required");
    assert_eq!(fields["phone"]["code"], "phone_number");
    assert_eq!(fields["email"]["code"], "email");
    let ok = owner.put(
        "/api/settings/contract/company",
        json!({ "name": "에이크미", "representative": "홍길동", "phone": "0212345678",
                     "email": "ops@acme.co.kr", "address": "서울특별시 중구" }),
    );
    assert_eq!(ok.status, 200, "{}", ok.json_body());
    assert_eq!(ok.json_body()["company"]["phone"], "02-1234-5678");
    assert_eq!(ok.json_body()["company"]["name"], "에이크미");
    let history = owner
        .get("/api/history/audit?action=contract.company")
        .json_body();
    assert_eq!(history["items"][0]["detail"]["before"]["name"], "acme");
    assert_eq!(history["items"][0]["detail"]["after"]["name"], "에이크미");
}

#[test]
fn con_3_a_termination_request_can_be_made_once_and_withdrawn() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let path = "/api/settings/contract/termination";
    let made = owner.post(path, json!({ "reason": "사업 종료" }));
    assert_eq!(made.status, 200, "{}", made.json_body());
    let t = &made.json_body()["termination"];
    assert_eq!(t["state"], "requested");
    assert_eq!(t["request"]["reason"], "사업 종료");
    assert_eq!(t["request"]["requested_by"], "acme-owner");
    assert_error(&owner.post(path, json!({})), 409, "termination_pending");
    let withdrawn = owner.delete(path);
    assert_eq!(withdrawn.status, 200);
    assert_eq!(withdrawn.json_body()["termination"]["state"], "none");
    assert_error(&owner.delete(path), 404, "not_found");
    let history = owner
        .get("/api/history/audit?action=contract.termination_withdraw")
        .json_body();
    // The newest record is the refused second withdrawal; the one before it
    // is the withdrawal with its before/after.
    assert_eq!(
        history["items"][1]["detail"]["before"]["state"],
        "requested"
    );
    assert_eq!(history["items"][1]["detail"]["after"]["state"], "none");
}
