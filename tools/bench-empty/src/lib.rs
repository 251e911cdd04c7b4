//! The empty handler: what Spin itself costs per request on this machine.
//! `scripts/bench.sh` serves it with `tools/bench-empty/spin.toml` and reports
//! the app's rates as a fraction of this one's.

use spin_sdk::http::{Request, StatusCode};

#[spin_sdk::http_service]
async fn handle(_req: Request) -> StatusCode {
    StatusCode::OK
}
