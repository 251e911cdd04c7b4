//! The API document and the routers describe the same API.
#![allow(clippy::unwrap_used)]

use crate::support::{self, CallScript, Req, TestApp, TestResponse};
use std::cell::RefCell;
use std::collections::BTreeSet;
use switchboard_app::{COMPONENTS, runtime::openapi};
use switchboard_http::Method;

fn routed() -> BTreeSet<(String, String)> {
    COMPONENTS
        .iter()
        .flat_map(|c| {
            (c.routes)()
                .routes()
                .iter()
                .map(|r| (r.method.as_str().to_ascii_lowercase(), r.pattern.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn documented() -> BTreeSet<(String, String)> {
    let doc: serde_json::Value = serde_json::from_str(openapi::DOCUMENT).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                out.insert((method.clone(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_route_is_documented_and_every_documented_route_exists() {
    let routed = routed();
    let documented = documented();
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let phantom: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from openapi.json: {undocumented:?}"
    );
    assert!(
        phantom.is_empty(),
        "openapi.json documents routes no router has: {phantom:?}"
    );
}

/// Issue 14, finding 7: the document states every status the pipeline can
/// give an operation, whatever its handler does (422 for a query parameter
/// sent empty or twice, 503 busy; 404 where the path names an object; 400,
/// 413 and 415 where there is a body). `scripts/openapi-statuses.py` adds
/// them; this fails when a new route was documented without running it.
#[test]
fn every_operation_states_the_pipelines_statuses() {
    let doc: serde_json::Value = serde_json::from_str(openapi::DOCUMENT).unwrap();
    let mut missing = Vec::new();
    for (method, path) in documented() {
        let op = &doc["paths"][&path][&method];
        let mut needed = vec!["422", "503"];
        if path.contains('{') {
            needed.push("404");
        }
        if op["requestBody"].is_object() {
            needed.extend(["413", "415"]);
            if op["requestBody"]["content"]["application/json"].is_object() {
                needed.push("400");
            }
        }
        for status in needed {
            if op["responses"][status].is_null() {
                missing.push(format!("{method} {path}: {status}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "run python3 scripts/openapi-statuses.py; missing: {missing:?}"
    );
}

#[test]
fn every_route_lives_under_its_components_prefixes() {
    for component in COMPONENTS {
        for route in (component.routes)().routes() {
            assert!(
                component
                    .prefixes
                    .iter()
                    .any(|p| route.pattern == *p || route.pattern.starts_with(&format!("{p}/"))),
                "{} {} is outside {}'s prefixes {:?}",
                route.method.as_str(),
                route.pattern,
                component.name,
                component.prefixes
            );
            assert_eq!(
                switchboard_app::mount_for(route.pattern).name,
                component.name,
                "{} would be routed to another component",
                route.pattern
            );
        }
    }
}

#[test]
fn every_route_table_builds_without_conflicts() {
    for component in COMPONENTS {
        let router = (component.routes)();
        assert!(
            router.errors().is_empty(),
            "{}: {:?}",
            component.name,
            router.errors()
        );
    }
}

/// The codes the document lists are exactly the catalogue's.
#[test]
fn the_documented_error_codes_are_the_catalogue() {
    use switchboard_http::{ErrorCode, FieldCode};
    let doc: serde_json::Value = serde_json::from_str(openapi::DOCUMENT).unwrap();
    let listed = |schema: &str, path: &[&str]| -> BTreeSet<String> {
        let mut v = &doc["components"]["schemas"][schema];
        for p in path {
            v = &v[*p];
        }
        v["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    };
    let errors: BTreeSet<String> = ErrorCode::ALL.iter().map(|c| c.as_str().into()).collect();
    let fields: BTreeSet<String> = FieldCode::ALL.iter().map(|c| c.as_str().into()).collect();
    assert_eq!(
        listed("Error", &["properties", "error", "properties", "code"]),
        errors
    );
    assert_eq!(listed("FieldError", &["properties", "code"]), fields);
}

/// The state-changing operations that take no request body; every other
/// POST, PUT and PATCH must document its body. A new route fails here until
/// it documents one (with an example) or is added to this list.
const NO_BODY: &[(&str, &str)] = &[
    ("post", "/api/system/storage-selftest"),
    ("post", "/api/auth/logout"),
    ("post", "/api/settings/holidays/import"),
    ("post", "/api/agent/logout"),
    ("post", "/api/agent/callbacks/{id}/done"),
    ("post", "/api/operator/numbers/{id}/release"),
    ("post", "/api/dashboard/abandoned/{id}/callback"),
    ("post", "/api/operator/worker/tick"),
];

/// Every JSON request body the document describes has an `example`, and it
/// is what the walks over the route table send (`support::valid_body`): a
/// new route cannot walk with a made-up `{}` and see no real change.
#[test]
fn every_json_request_body_has_an_example() {
    let doc = support::bodies::document();
    let mut missing = Vec::new();
    let mut undocumented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !["post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let content = &op["requestBody"]["content"];
            if content.is_null() {
                if method != "delete" && !NO_BODY.contains(&(method.as_str(), path.as_str())) {
                    undocumented.push(format!("{method} {path}"));
                }
                continue;
            }
            let json = &content["application/json"];
            if !json.is_null() && !json["example"].is_object() {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(
        missing.is_empty() && undocumented.is_empty(),
        "openapi.json: give these JSON request bodies an `example` the route accepts: \
         {missing:?}; document the request body of these (or list them in NO_BODY): \
         {undocumented:?}"
    );
}

/// Every routed state-changing route gets its walk body from the document,
/// the unique fields included.
#[test]
fn every_state_changing_route_has_a_valid_body() {
    let mut with_body = BTreeSet::new();
    for component in COMPONENTS {
        for route in (component.routes)().routes() {
            if let Some(body) = support::valid_body(&route.method, route.pattern, "unique-1") {
                assert!(
                    body.is_object(),
                    "{} {}",
                    route.method.as_str(),
                    route.pattern
                );
                let method = route.method.as_str().to_ascii_lowercase();
                with_body.insert((method, route.pattern.to_owned()));
            }
        }
    }
    let doc = support::bodies::document();
    let documented: BTreeSet<(String, String)> = documented()
        .into_iter()
        .filter(|(m, p)| {
            !doc["paths"][p][m]["requestBody"]["content"]["application/json"].is_null()
        })
        .collect();
    assert_eq!(with_body, documented);
    for (method, pattern, pointer) in support::bodies::UNIQUE_FIELDS {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let body = support::valid_body(&method, pattern, "unique-1").unwrap();
        assert_eq!(body.pointer(pointer).unwrap(), "unique-1");
    }
}

/// The documented request examples played so far.
#[derive(Default)]
struct Examples(RefCell<BTreeSet<(String, String)>>);

impl Examples {
    /// Sends the example of `method pattern` to `path` through `send`, and
    /// asserts it is accepted.
    fn play(
        &self,
        method: Method,
        pattern: &str,
        path: &str,
        send: impl FnOnce(Method, &str, serde_json::Value) -> TestResponse,
    ) -> TestResponse {
        let body = support::bodies::example(&method, pattern).unwrap();
        let resp = send(method.clone(), path, body);
        assert!(
            resp.status < 300,
            "the example of {} {pattern}: {} {}",
            method.as_str(),
            resp.status,
            resp.json_body()
        );
        let key = (method.as_str().to_ascii_lowercase(), pattern.to_owned());
        self.0.borrow_mut().insert(key);
        resp
    }
}

/// Every documented request example is a request the API accepts, as
/// written, played in an order where each finds what it refers to (the
/// examples tell one story: tenant 1 with the representative number
/// 070-1234-5678, its agent kim, its viewer park-viewer). A new JSON body
/// fails here until its example is played below.
#[test]
fn every_documented_request_example_is_accepted() {
    let app = TestApp::with_operator().with_var("webhook_secret", "whsec-examples");
    let (tenant_id, owner) = app.tenant("acme");
    assert_eq!(tenant_id, 1, "the examples name tenant 1");
    let op = app.operator();
    let examples = Examples::default();
    let local = |method, path: &str, body| {
        let req = Req::new(method, path).with_json(&body);
        app.send(req.with_peer([127, 0, 0, 1].into()))
    };
    let by_owner = |method, pattern: &str, path: &str| {
        examples.play(method, pattern, path, |m, p, b| owner.call(m, p, Some(b)))
    };

    // The operator's.
    let tenants = "/api/operator/tenants";
    examples.play(Method::POST, tenants, tenants, |m, p, b| {
        op.call(m, p, Some(b))
    });
    let tenant = format!("{tenants}/{tenant_id}");
    examples.play(
        Method::PATCH,
        "/api/operator/tenants/{id}",
        &tenant,
        |m, p, b| op.call(m, p, Some(b)),
    );
    examples.play(
        Method::PUT,
        "/api/operator/tenants/{id}/audio-quota",
        &format!("{tenant}/audio-quota"),
        |m, p, b| op.call(m, p, Some(b)),
    );
    let numbers = "/api/operator/numbers";
    examples.play(Method::POST, numbers, numbers, |m, p, b| {
        op.call(m, p, Some(b))
    });
    examples.play(
        Method::PUT,
        "/api/operator/tenants/{id}/lines",
        &format!("{tenant}/lines"),
        |m, p, b| op.call(m, p, Some(b)),
    );

    // The owner's settings, each object made before it is changed.
    for (method, pattern) in [
        (Method::PUT, "/api/settings/access"),
        (Method::PUT, "/api/settings/ars"),
        (Method::PUT, "/api/settings/consultation-types/order"),
        (Method::PUT, "/api/settings/hours"),
        (Method::PUT, "/api/settings/contract/licences"),
        (Method::PUT, "/api/settings/contract/company"),
        (Method::POST, "/api/settings/contract/termination"),
        (Method::PUT, "/api/settings/work"),
        (Method::PUT, "/api/settings/work/service-level"),
        (Method::POST, "/api/dashboard/wallboard-links"),
        (Method::PUT, "/api/settings/work/callbacks"),
        (Method::PUT, "/api/settings/work/retention"),
    ] {
        by_owner(method, pattern, pattern);
    }
    for (collection, changes) in [
        ("/api/settings/menus", &["/{id}"][..]),
        ("/api/settings/agents", &["/{id}", "/{id}/menus"][..]),
        ("/api/settings/consultation-types", &["/{id}"][..]),
        ("/api/settings/holidays", &["/{id}"][..]),
    ] {
        let made = by_owner(Method::POST, collection, collection).json_body();
        for change in changes {
            let pattern = format!("{collection}{change}");
            let path = pattern.replace("{id}", &made["id"].to_string());
            let method = if change.ends_with("/menus") {
                Method::PUT
            } else {
                Method::PATCH
            };
            by_owner(method, &pattern, &path);
        }
        if collection == "/api/settings/menus" {
            let pattern = "/api/settings/menus/{id}/targets";
            let path = pattern.replace("{id}", &made["id"].to_string());
            by_owner(Method::PUT, pattern, &path);
        }
    }

    // Accounts: the viewer the owner adds signs in with the example's
    // password and changes it; the owner renames them and resets it.
    let viewer = by_owner(Method::POST, "/api/users", "/api/users").json_body();
    let login = "/api/auth/login";
    let signed_in = examples.play(Method::POST, login, login, local);
    let viewer_session = app.session_from(&signed_in, [127, 0, 0, 1].into());
    let password = "/api/auth/password";
    examples.play(Method::POST, password, password, |m, p, b| {
        viewer_session.call(m, p, Some(b))
    });
    let user = format!("/api/users/{}", viewer["id"]);
    by_owner(Method::PATCH, "/api/users/{id}", &user);
    let reset = format!("{user}/password");
    by_owner(Method::POST, "/api/users/{id}/password", &reset);

    // The provider's events, and the agent app of kim.
    examples.play(Method::POST, "/hooks/events", "/hooks/events", |_, _, b| {
        app.post_events(&b)
    });
    examples.play(Method::POST, "/hooks/flow", "/hooks/flow", |_, _, b| {
        app.post_flow(&b)
    });
    let login = "/api/agent/login";
    let kim = examples.play(Method::POST, login, login, local);
    let kim = app.agent_session_from(&kim, [127, 0, 0, 1].into());
    let state = "/api/agent/state";
    examples.play(Method::PUT, state, state, |m, p, b| kim.call(m, p, Some(b)));
    app.deliver_ok(
        CallScript::inbound("c-1", "010-9876-5432")
            .starting_at(app.now())
            .wait(5)
            .queued(1)
            .wait(4)
            .answered("kim"),
    );
    let consultation = "/api/agent/calls/{call_id}/consultation";
    let path = consultation.replace("{call_id}", "c-1");
    examples.play(Method::PUT, consultation, &path, |m, p, b| {
        kim.call(m, p, Some(b))
    });

    let doc = support::bodies::document();
    let with_body: BTreeSet<(String, String)> = documented()
        .into_iter()
        .filter(|(m, p)| {
            !doc["paths"][p][m]["requestBody"]["content"]["application/json"].is_null()
        })
        .collect();
    let played = examples.0.into_inner();
    let unplayed: Vec<_> = with_body.difference(&played).collect();
    assert!(
        unplayed.is_empty(),
        "play the examples of {unplayed:?} here"
    );
}
