//! SPEC 12: malformed input to any endpoint gets a 4xx with a JSON error,
//! never a 5xx. Walks every route of every component with a set of bad
//! bodies (and the API document's valid example), parameters and query
//! strings, signed in and not.
#![allow(clippy::unwrap_used)]

use crate::support::{self, Req, TestApp};
use switchboard_app::COMPONENTS;
use switchboard_http::Method;

const BODIES: [(&str, &[u8]); 8] = [
    ("application/json", b"{"),
    ("application/json", b"[]"),
    ("application/json", b"null"),
    (
        "application/json",
        b"{\"login_id\": 5, \"password\": [], \"rules\": \"x\", \"licence_count\": 1e999}",
    ),
    (
        "application/json",
        b"{\"rules\": [{\"rule\": \"\\u0000\"}], \"name\": \"\\ud800\"}",
    ),
    ("application/json", b"\xff\xfe\x00"),
    ("text/plain", b"hello"),
    ("application/x-www-form-urlencoded", b"a=b&c"),
];

const PARAMS: [&str; 4] = ["0", "-1", "99999999999999999999", "%zz"];
const QUERIES: [&str; 3] = [
    "from=2026-99-99&to=x",
    "cursor=-5&limit=0",
    "limit=abc&user=%ff%fe",
];

fn check(app: &TestApp, req: Req, label: &str) {
    let resp = app.send(req);
    assert!(
        resp.status < 500,
        "{label}: {} {}",
        resp.status,
        String::from_utf8_lossy(&resp.body)
    );
    if resp.status >= 400 {
        let body = resp.json_body();
        assert!(
            body["error"]["code"].is_string(),
            "{label}: not a JSON error: {}",
            String::from_utf8_lossy(&resp.body)
        );
    }
}

#[test]
fn no_malformed_request_gets_a_server_error() {
    let app = TestApp::with_operator();
    let (tenant_id, owner) = app.tenant("acme");
    owner.add_agent("acme-agent");
    let mut sent = 0;
    for component in COMPONENTS {
        for route in (component.routes)().routes() {
            // Fresh sessions per route: sign-out ends them.
            let owner = app.owner_of("acme");
            let op = app.operator();
            let agent = app.agent_login(tenant_id, "acme-agent");
            let valid = support::valid_body(&route.method, route.pattern, "malformed-walk")
                .map(|b| serde_json::to_vec(&b).unwrap());
            let paths: Vec<String> = if route.pattern.contains('{') {
                PARAMS
                    .iter()
                    .map(|p| support::fill(route.pattern, p))
                    .collect()
            } else {
                vec![route.pattern.to_owned()]
            };
            for path in &paths {
                for query in QUERIES {
                    // Anonymous, the tenant's owner, the operator, an agent app.
                    let callers = [
                        (None, false),
                        (Some(&owner), false),
                        (Some(&op), false),
                        (None, true),
                    ];
                    for (who, as_agent) in callers {
                        let mut bodies: Vec<Option<(&str, Vec<u8>)>> = vec![None];
                        if !route.method.is_safe() {
                            // The documented example too: a well-formed
                            // body meets the bad parameters and queries.
                            if let Some(valid) = &valid {
                                bodies.push(Some(("application/json", valid.clone())));
                            }
                            bodies.extend(BODIES.iter().map(|(ct, b)| Some((*ct, b.to_vec()))));
                        }
                        for body in bodies {
                            let target = format!("{path}?{query}");
                            let method = route.method.clone();
                            let mut req = match (who, as_agent) {
                                (Some(s), _) => s.req(method, &target),
                                (None, true) => agent.req(method, &target),
                                (None, false) => Req::new(method, &target),
                            };
                            let label = format!(
                                "{} {path}?{query} body {:?}",
                                route.method.as_str(),
                                body.as_ref()
                                    .map(|(ct, b)| (ct, String::from_utf8_lossy(b)))
                            );
                            if let Some((ct, bytes)) = body {
                                req = req.with_header("content-type", ct).with_body(bytes);
                            }
                            check(&app, req, &label);
                            sent += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(sent > 500, "sent {sent}");
}

#[test]
fn oversized_bodies_are_refused_before_any_handler() {
    let app = TestApp::new();
    let big = vec![b' '; switchboard_http::JSON_BODY_LIMIT + 1];
    let resp = app.send(
        Req::new(Method::POST, "/api/auth/login")
            .with_header("content-type", "application/json")
            .with_body(big),
    );
    support::assert_error(&resp, 413, "payload_too_large");
}

/// A declared `Content-Length` over the route's limit is refused before a
/// byte is read, whatever the method; one within it is read as usual.
#[test]
fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let app = TestApp::with_operator();
    let limit = switchboard_http::JSON_BODY_LIMIT;
    let login = |declared: usize, body: Vec<u8>| {
        app.send(
            Req::new(Method::POST, "/api/auth/login")
                .with_header("content-type", "application/json")
                .with_header("content-length", &declared.to_string())
                .with_body(body),
        )
    };
    support::assert_error(&login(limit + 1, b"{}".to_vec()), 413, "payload_too_large");
    let creds = br#"{"login_id":"operator","password":"operator-pass-123"}"#.to_vec();
    assert_eq!(login(creds.len(), creds.clone()).status, 200);
    let mut padded = creds;
    padded.resize(limit, b' ');
    assert_eq!(
        login(limit, padded).status,
        200,
        "exactly the limit is accepted"
    );
    // A GET announcing a body is held to the same limit.
    let get = app.send(
        Req::new(Method::GET, "/api/health")
            .with_header("content-length", &(limit + 1).to_string()),
    );
    support::assert_error(&get, 413, "payload_too_large");
    let chunked_get = app.send(
        Req::new(Method::GET, "/api/health")
            .with_header("transfer-encoding", "chunked")
            .with_body(vec![b' '; limit + 1]),
    );
    support::assert_error(&chunked_get, 413, "payload_too_large");
}

/// Issue 14, finding 7: a query parameter sent empty or twice is refused
/// (422 naming it) on every route, before its handler guesses; a flag is
/// `true` or `false`, nothing else.
#[test]
fn empty_repeated_and_malformed_query_parameters_are_refused() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    for path in [
        "/api/history/audit?to=",
        "/api/history/audit?user=a&user=b",
        "/api/settings/hours/status?at=",
        "/api/settings/work/popup-preview?template=",
        "/api/settings/holidays?year=2026&year=2027",
    ] {
        let resp = owner.get(path);
        support::assert_error(&resp, 422, "validation_failed");
        let fields = resp.json_body()["error"]["fields"].clone();
        let name = path.split(['?', '=']).nth(1).unwrap();
        assert!(fields[name].is_object(), "{path}: {fields}");
    }
    let menu = owner.post(
        "/api/settings/menus",
        serde_json::json!({ "digit": 1, "kind": "agents", "queue": "상담" }),
    );
    let id = menu.json_body()["id"].as_i64().unwrap();
    let resp = owner.delete(&format!("/api/settings/menus/{id}?force=AAA"));
    support::assert_error(&resp, 422, "validation_failed");
    assert_eq!(
        resp.json_body()["error"]["fields"]["force"]["code"],
        "invalid_choice"
    );
    assert_eq!(
        owner
            .delete(&format!("/api/settings/menus/{id}?force=false"))
            .status,
        204
    );
}
