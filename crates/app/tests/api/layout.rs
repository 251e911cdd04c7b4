//! The API tests stay one binary (see `main.rs`).

use std::path::Path;

/// Every file directly under `crates/app/tests` would be linked as a test
/// binary of its own (with the app and rusqlite), and a directory with a
/// `main.rs` likewise; only `api/` may be one.
#[test]
fn the_api_tests_are_one_binary() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut others = Vec::new();
    for entry in std::fs::read_dir(&tests).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let is_binary = if path.is_dir() {
            path.join("main.rs").exists()
        } else {
            name.ends_with(".rs")
        };
        if is_binary && name != "api" {
            others.push(name);
        }
    }
    assert!(
        others.is_empty(),
        "{others:?}: move these tests into a module of tests/api (one binary)"
    );
}
