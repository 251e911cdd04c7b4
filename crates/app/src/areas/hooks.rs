//! The `hooks` component: the telephony provider's signed event webhook and
//! call-flow endpoint (SPEC section 7), and the prompt audio the provider
//! plays to callers (ARS-2).

use super::{Component, health};
use crate::audio_files;
use crate::context::{AppRouter, Audit, Cx, RouteMeta};
use switchboard_http::{ApiError, Method, Request, RequestExt, Response, handler};

pub const COMPONENT: Component = Component {
    name: "hooks",
    prefixes: &["/hooks"],
    routes,
};

fn routes() -> AppRouter {
    AppRouter::new()
        .route(
            Method::GET,
            "/hooks/health",
            health::META,
            handler!(health::health),
        )
        .route(
            Method::GET,
            "/hooks/audio/{token}",
            RouteMeta::public("hooks.audio").audit(Audit::Never),
            handler!(audio),
        )
}

/// An uploaded prompt, for the telephony provider to play (ARS-2). The URL
/// is the credential: a 64-hex-digit token drawn from the host's randomness
/// when the file was uploaded (256 bits, unguessable), so the provider needs
/// no session. Anything else that could be a token answers 404, as an
/// unknown one does. `Range` is honoured for players that seek.
async fn audio(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let token = req.param("token").unwrap_or_default();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::not_found());
    }
    let (tenant_id, meta) = audio_files::by_token(cx.db(), token)
        .await?
        .ok_or_else(ApiError::not_found)?;
    crate::areas::settings::audio::send_file(cx, tenant_id, &meta, &req).await
}
