//! The `agent` component: the API of the agent apps (PC, mobile, web).
//! Thin on purpose: the logic lives in `switchboard-app`.

use spin_sdk::http::Request;
use switchboard_spin::http::SpinResponse;

#[spin_sdk::http_service]
async fn handle(req: Request) -> SpinResponse {
    switchboard_spin::serve(&switchboard_app::components::agent::COMPONENT, req).await
}
