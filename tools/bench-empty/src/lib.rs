//! The baselines: what Spin itself costs per request on this machine.
//! `scripts/bench.sh` serves this component with `tools/bench-empty/spin.toml`
//! and reports the app's rates as a fraction of the empty handler's.
//!
//! - `/` answers 200 and does nothing else;
//! - `/kv` also reads one key from the `default` key-value store, opened once
//!   per instance: the least a signed-in request pays (its session lives in
//!   the key-value store, SPEC RUN-3).

use spin_sdk::http::{Request, StatusCode};
use spin_sdk::key_value::Store;
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    static STORE: RefCell<Option<Rc<Store>>> = const { RefCell::new(None) };
}

async fn store() -> Option<Rc<Store>> {
    if let Some(s) = STORE.with(|s| s.borrow().clone()) {
        return Some(s);
    }
    let s = Rc::new(Store::open_default().await.ok()?);
    STORE.with(|slot| *slot.borrow_mut() = Some(s.clone()));
    Some(s)
}

#[spin_sdk::http_service]
async fn handle(req: Request) -> StatusCode {
    if req.uri().path() == "/kv" {
        let Some(store) = store().await else {
            return StatusCode::INTERNAL_SERVER_ERROR;
        };
        if store.get("bench").await.is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR;
        }
    }
    StatusCode::OK
}
