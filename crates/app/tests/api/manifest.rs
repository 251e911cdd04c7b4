//! `spin.toml` agrees with the code: the same components, routes and
//! variables (RUN-1, RUN-2, RUN-5).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use switchboard_app::COMPONENTS;
use switchboard_app::runtime::config::VARIABLES;

fn manifest() -> toml::Table {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spin.toml");
    std::fs::read_to_string(path).unwrap().parse().unwrap()
}

#[test]
fn the_manifest_is_version_2_with_a_cron_worker() {
    let m = manifest();
    assert_eq!(m["spin_manifest_version"].as_integer(), Some(2));
    let cron = m["trigger"]["cron"].as_array().unwrap();
    assert_eq!(cron.len(), 1);
    assert_eq!(cron[0]["component"].as_str(), Some("callback-worker"));
    let expr = cron[0]["cron_expression"].as_str().unwrap();
    assert_eq!(
        expr.split_whitespace().count(),
        6,
        "seconds-first cron expression"
    );
}

#[test]
fn http_routes_in_the_manifest_are_the_component_prefixes() {
    let m = manifest();
    let in_manifest: BTreeSet<(String, String)> = m["trigger"]["http"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["component"].as_str().unwrap().to_owned(),
                t["route"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut in_code: BTreeSet<(String, String)> = COMPONENTS
        .iter()
        .flat_map(|c| {
            c.prefixes.iter().map(move |p| {
                // A prefix with a file-like last segment is an exact route.
                let route = if p.ends_with(".json") || *p == "/api/health" {
                    (*p).to_owned()
                } else {
                    format!("{p}/...")
                };
                (c.name.to_owned(), route)
            })
        })
        .collect();
    in_code.insert(("web".into(), "/...".into()));
    assert_eq!(in_manifest, in_code);
}

#[test]
fn every_component_builds_its_own_crate_and_opens_the_default_stores() {
    let m = manifest();
    let components = m["component"].as_table().unwrap();
    let mut names: Vec<&str> = COMPONENTS.iter().map(|c| c.name).collect();
    names.push("callback-worker");
    assert_eq!(components.len(), names.len());
    for name in names {
        let c = &components[name];
        let crate_name = format!("switchboard-{name}");
        let wasm = format!(
            "target/wasm32-wasip2/release/{}.wasm",
            crate_name.replace('-', "_")
        );
        assert_eq!(c["source"].as_str(), Some(wasm.as_str()), "{name}");
        assert!(
            c["build"]["command"]
                .as_str()
                .unwrap()
                .ends_with(&format!("-p {crate_name}")),
            "{name}"
        );
        assert_eq!(
            c["sqlite_databases"].as_array().unwrap()[0].as_str(),
            Some("default")
        );
        assert_eq!(
            c["key_value_stores"].as_array().unwrap()[0].as_str(),
            Some("default")
        );
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../../functions/{name}/Cargo.toml"))
                .exists(),
            "functions/{name} exists"
        );
    }
}

#[test]
fn variables_and_their_defaults_match_the_code() {
    let m = manifest();
    let declared = m["variables"].as_table().unwrap();
    let names: BTreeSet<&str> = declared.keys().map(String::as_str).collect();
    let in_code: BTreeSet<&str> = VARIABLES.iter().map(|v| v.name).collect();
    assert_eq!(names, in_code);
    for var in VARIABLES {
        let d = &declared[var.name];
        assert_eq!(
            d.get("default").and_then(|v| v.as_str()),
            var.default,
            "{}",
            var.name
        );
        assert_eq!(
            d.get("secret").and_then(|v| v.as_bool()).unwrap_or(false),
            var.secret,
            "{}",
            var.name
        );
    }
    // Every component maps exactly the variables that reach it: secrets
    // only where they are used.
    for (name, component) in m["component"].as_table().unwrap() {
        let vars = component["variables"].as_table().unwrap();
        let mapped: BTreeSet<&str> = vars.keys().map(String::as_str).collect();
        let expected: BTreeSet<&str> = VARIABLES
            .iter()
            .filter(|v| v.reaches(name))
            .map(|v| v.name)
            .collect();
        assert_eq!(mapped, expected, "component {name}");
        for var in VARIABLES.iter().filter(|v| v.reaches(name)) {
            assert_eq!(
                vars.get(var.name).and_then(|v| v.as_str()),
                Some(format!("{{{{ {} }}}}", var.name).as_str()),
                "component {name} maps {}",
                var.name
            );
        }
    }
    let web = m["component"]["web"]["variables"].as_table().unwrap();
    for var in VARIABLES.iter().filter(|v| v.secret) {
        assert!(!web.contains_key(var.name), "web receives {}", var.name);
    }
}
