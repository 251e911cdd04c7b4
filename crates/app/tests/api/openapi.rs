//! The API document and the routers describe the same API.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use switchboard_app::{COMPONENTS, openapi};

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
