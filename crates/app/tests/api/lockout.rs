//! Sign-in lockout policy (AUTH-3): nobody who can reach the sign-in form can
//! keep a real admin out, and from outside a tenant's allowlist an existing
//! login ID looks exactly like an unknown one.
#![allow(clippy::unwrap_used)]

use crate::support::{self, OPERATOR_PASSWORD, TestApp, TestResponse, assert_error};
use futures::executor::block_on;
use serde_json::json;
use switchboard_storage::Sql;

fn allow_only(owner: &support::Session, rule: &str) {
    let resp = owner.put(
        "/api/settings/access",
        json!({ "rules": [{ "rule": rule }] }),
    );
    assert_eq!(resp.status, 200, "{}", resp.json_body());
}

fn answer(resp: &TestResponse) -> (u16, serde_json::Value, Option<String>) {
    let body = resp.json_body();
    (
        resp.status,
        body["error"].clone(),
        resp.header("retry-after").map(str::to_owned),
    )
}

fn count(app: &TestApp, sql: &str) -> i64 {
    block_on(app.db.query_row(sql, &[]))
        .unwrap()
        .unwrap()
        .i64(0)
        .unwrap()
}

#[test]
fn guesses_from_outside_the_allowlist_do_not_lock_the_real_admin() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("beta");
    allow_only(&owner, "127.0.0.1");
    // The owner mistyped once from the office.
    assert_error(
        &app.login_from("beta-owner", "typo-password", "127.0.0.1"),
        401,
        "invalid_credentials",
    );
    for _ in 0..12 {
        let resp = app.login_from("BETA-Owner ", "wrong-password", "198.51.100.66");
        assert!(resp.status == 401 || resp.status == 429, "{resp:?}");
    }
    // The right password from the allowed address gets straight in.
    app.owner_of("beta");
}

#[test]
fn guesses_from_one_address_do_not_keep_the_admin_out_elsewhere() {
    let app = TestApp::with_operator();
    for _ in 0..12 {
        app.login_from("operator", "wrong-password", "198.51.100.66");
    }
    // The guesser's address is locked for this account…
    assert_error(
        &app.login_from("operator", OPERATOR_PASSWORD, "198.51.100.66"),
        429,
        "too_many_attempts",
    );
    // …and for the account as a whole, but an address with no recent failure
    // still gets its first attempt, and the right password works.
    app.login_at("operator", OPERATOR_PASSWORD, "203.0.113.5");
    // A second clean address that guesses wrong once is then held to the
    // account's lock (which the success above cleared: 401, not 429).
    assert_error(
        &app.login_from("operator", "wrong-password", "203.0.113.6"),
        401,
        "invalid_credentials",
    );
    app.advance(1);
    app.login_at("operator", OPERATOR_PASSWORD, "203.0.113.6");
}

#[test]
fn the_account_lock_refuses_addresses_that_failed_while_it_lasts() {
    let app = TestApp::with_operator();
    // Six addresses, one failure each: the account as a whole locks.
    for i in 1..=6 {
        app.login_from("operator", "wrong-password", &format!("198.51.100.{i}"));
    }
    // An address that already failed may not try again while it lasts…
    assert_error(
        &app.login_from("operator", OPERATOR_PASSWORD, "198.51.100.1"),
        429,
        "too_many_attempts",
    );
    // …a fresh one gets one try, and a wrong one ends its turn.
    assert_error(
        &app.login_from("operator", "wrong-password", "198.51.100.7"),
        401,
        "invalid_credentials",
    );
    assert_error(
        &app.login_from("operator", OPERATOR_PASSWORD, "198.51.100.7"),
        429,
        "too_many_attempts",
    );
}

#[test]
fn attempts_from_a_locked_address_do_not_count_against_the_account() {
    let app = TestApp::with_operator();
    for i in 0..21 {
        app.login_from(&format!("nobody{i}"), "wrong-password", "198.51.100.9");
    }
    for _ in 0..10 {
        assert_error(
            &app.login_from("operator", "wrong-password", "198.51.100.9"),
            429,
            "too_many_attempts",
        );
    }
    app.advance(61);
    app.login_at("operator", OPERATOR_PASSWORD, "198.51.100.9");
}

#[test]
fn outside_the_allowlist_a_real_login_id_looks_like_an_unknown_one() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("beta");
    allow_only(&owner, "127.0.0.1");
    let mut real = Vec::new();
    let mut unknown = Vec::new();
    // Two addresses, enough attempts to meet every lock.
    for peer in [
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.1",
        "198.51.100.2",
    ] {
        for _ in 0..4 {
            real.push(answer(&app.login_from(
                "beta-owner",
                "owner-pass-123",
                peer,
            )));
        }
    }
    let app2 = TestApp::with_operator();
    let (_, owner2) = app2.tenant("beta");
    allow_only(&owner2, "127.0.0.1");
    for peer in [
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.1",
        "198.51.100.2",
    ] {
        for _ in 0..4 {
            unknown.push(answer(&app2.login_from(
                "beta-nobody",
                "owner-pass-123",
                peer,
            )));
        }
    }
    assert_eq!(real, unknown);
    assert_eq!(real[0].0, 401);
    assert!(real.iter().any(|a| a.0 == 429), "{real:?}");
    // The tenant still sees the refusal in its history.
    let history = owner.get("/api/history/audit?action=access.ip_denied");
    assert_eq!(history.json_body()["items"][0]["login_id"], "beta-owner");
}

const SPELLINGS: [&str; 6] = [
    "OPERATOR",
    "operator",
    "Operator",
    "oPerator",
    " operator",
    "OPERATOR ",
];

#[test]
fn the_lock_for_one_address_uses_the_folded_login_id() {
    let app = TestApp::with_operator();
    for id in SPELLINGS {
        app.login_from(id, "wrong-password", "198.51.100.3");
    }
    // A success elsewhere clears the account-wide count, not this address's.
    app.login_at("operator", OPERATOR_PASSWORD, "203.0.113.1");
    assert_error(
        &app.login_from("Operator", OPERATOR_PASSWORD, "198.51.100.3"),
        429,
        "too_many_attempts",
    );
}

#[test]
fn the_account_wide_lock_uses_the_folded_login_id() {
    let app = TestApp::with_operator();
    for (i, id) in SPELLINGS.iter().enumerate() {
        app.login_from(id, "wrong-password", &format!("198.51.100.{}", i + 1));
    }
    assert_error(
        &app.login_from("OPERATOR", OPERATOR_PASSWORD, "198.51.100.1"),
        429,
        "too_many_attempts",
    );
}

#[test]
fn an_ipv6_client_is_one_address_per_64() {
    let app = TestApp::with_operator();
    for i in 0..21 {
        app.login_from(
            &format!("nobody{i}"),
            "wrong-password",
            &format!("2001:db8:1:2::{i:x}"),
        );
    }
    assert_error(
        &app.login_from("operator", OPERATOR_PASSWORD, "2001:db8:1:2:ffff::1"),
        429,
        "too_many_attempts",
    );
    app.login_at("operator", OPERATOR_PASSWORD, "2001:db8:1:3::1");
}

#[test]
fn a_successful_sign_in_never_sets_or_keeps_the_address_lock() {
    let app = TestApp::with_operator();
    for i in 0..20 {
        app.login_from(&format!("nobody{i}"), "wrong-password", "203.0.113.50");
    }
    // The 21st attempt would lock the address; being right, it does not.
    app.login_at("operator", OPERATOR_PASSWORD, "203.0.113.50");
    app.login_at("operator", OPERATOR_PASSWORD, "203.0.113.50");
}

#[test]
fn refused_sign_ins_for_unknown_accounts_are_aggregated_and_throttle_rows_expire() {
    let app = TestApp::with_operator();
    for i in 0..200 {
        let resp = app.login_from(
            &format!("nobody{i}"),
            "wrong-password",
            &format!("2001:db8:0:{i:x}::1"),
        );
        assert_error(&resp, 401, "invalid_credentials");
    }
    let logins = app
        .audit_rows()
        .into_iter()
        .filter(|(a, _, _)| a == "auth.login")
        .count();
    assert_eq!(logins, 1, "the first refusal of the hour only");
    assert_eq!(
        count(&app, "SELECT SUM(refusals) FROM signin_refusals"),
        200
    );
    assert!(count(&app, "SELECT COUNT(*) FROM login_throttle") >= 400);
    // A day later, the next attempt clears what has run out.
    app.advance(24 * 3600 + 1);
    app.login_from("nobody-else", "wrong-password", "198.51.100.1");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM login_throttle"), 3);
    // A new hour gets its own first record.
    assert_eq!(
        app.audit_rows()
            .into_iter()
            .filter(|(a, _, _)| a == "auth.login")
            .count(),
        2
    );
}

#[test]
fn address_rows_expire_after_their_window() {
    let app = TestApp::with_operator();
    app.login_from("nobody", "wrong-password", "198.51.100.1");
    app.advance(901);
    app.login_from("nobody", "wrong-password", "198.51.100.2");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM login_throttle WHERE key = 'ip:198.51.100.1'"
        ),
        0
    );
    // Account rows live for their own (longer) window.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM login_throttle WHERE key = 'account:nobody'"
        ),
        1
    );
}

#[test]
fn failed_sign_ins_by_others_do_not_block_a_signed_in_admins_password_change() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    for i in 0..8 {
        let resp = app.login_from("acme-owner", &format!("guess-{i}-xxxx"), "203.0.113.9");
        assert!(matches!(resp.status, 401 | 429), "{}", resp.json_body());
    }
    let change = owner.post(
        "/api/auth/password",
        json!({ "current_password": "owner-pass-123", "new_password": "brand-new-pass-1" }),
    );
    assert_eq!(change.status, 200, "{}", change.json_body());
}
