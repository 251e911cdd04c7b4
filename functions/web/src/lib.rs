//! The `web` component: the static UI, the API document and application status.
//! Thin on purpose: the logic lives in `switchboard-app`.

use spin_sdk::http::Request;
use switchboard_spin::http::SpinResponse;

#[spin_sdk::http_service]
async fn handle(req: Request) -> SpinResponse {
    let component = &switchboard_app::components::web::COMPONENT;
    switchboard_spin::handle(component, req, Some(switchboard_spin::STATIC_ROOT)).await
}
