//! A test harness: the real pipeline over in-memory rusqlite stores, with the
//! clock and the variables under the test's control.
#![allow(dead_code, clippy::unwrap_used)]

use futures::executor::block_on;
use std::path::PathBuf;
use std::rc::Rc;
use switchboard_app::config::MapVariables;
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::{Method, Request, Response};
use switchboard_storage_native::{NativeKv, NativeSql};

pub struct TestApp {
    pub db: Rc<NativeSql>,
    pub kv: Rc<NativeKv>,
    pub vars: MapVariables,
    pub now: jiff::Timestamp,
    pub static_root: Option<PathBuf>,
}

impl TestApp {
    pub fn new() -> Self {
        Self {
            db: Rc::new(NativeSql::in_memory().unwrap()),
            kv: Rc::new(NativeKv::in_memory().unwrap()),
            vars: MapVariables::default(),
            now: "2026-11-30T01:00:00Z".parse().unwrap(),
            static_root: None,
        }
    }

    pub fn with_var(mut self, name: &str, value: &str) -> Self {
        self.vars = self.vars.with(name, value);
        self
    }

    pub fn host(&self) -> Host {
        Host {
            db: self.db.clone(),
            kv: self.kv.clone(),
            vars: Rc::new(self.vars.clone()),
            now: self.now,
            static_root: self.static_root.clone(),
        }
    }

    /// Sends `req` to the component `spin.toml` routes its path to.
    pub fn send(&self, req: Request) -> Response {
        let component = mount_for(&req.path);
        block_on(serve(component, &self.host(), req))
    }

    pub fn get(&self, path: &str) -> Response {
        self.send(Request::new(Method::Get, path))
    }

    pub fn post_json(&self, path: &str, body: serde_json::Value) -> Response {
        self.send(Request::new(Method::Post, path).with_json(&body))
    }
}

/// Asserts the response is a JSON error with `status` and `code`.
pub fn assert_error(resp: &Response, status: u16, code: &str) {
    let body = resp.json_body();
    assert_eq!(resp.status, status, "body: {body}");
    assert_eq!(resp.header("content-type"), Some("application/json"));
    assert_eq!(body["error"]["code"], code, "body: {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}
