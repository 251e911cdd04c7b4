//! What happens to every request, in order:
//!
//! 1. a request ID (the client's `X-Request-Id` if it is sane, else a new one);
//! 2. migrations, so whichever component is hit first creates the schema;
//! 3. route match (404 / 405 as JSON);
//! 4. the route's declared access rule;
//! 5. the route's body limit;
//! 6. the handler;
//! 7. errors become the JSON error body; 5xx details go to the log only;
//! 8. common headers: request ID, `no-store`, `nosniff`.

use crate::areas::Component;
use crate::config::Config;
use crate::context::{Access, Cx, Host};
use crate::{random, schema, static_files};
use switchboard_http::{ApiError, Match, Method, Request, Response};

fn request_id(req: &Request) -> String {
    req.header("x-request-id")
        .filter(|id| {
            !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(|| random::hex_token(12), str::to_owned)
}

/// Serves one request as `component`.
pub async fn serve(component: &Component, host: &Host, req: Request) -> Response {
    let request_id = request_id(&req);
    let is_head = req.method == Method::Head;
    let result = handle(component, host, req, &request_id).await;
    let mut resp = result.unwrap_or_else(|err| {
        if let Some(detail) = &err.internal_detail {
            eprintln!(
                "[{}] request {request_id}: {} {detail}",
                component.name, err.status
            );
        }
        err.into_response()
    });
    if is_head {
        resp.body.clear();
    }
    resp.set_header("x-request-id", &request_id);
    resp.set_header("x-content-type-options", "nosniff");
    if resp.header("cache-control").is_none() {
        resp.set_header("cache-control", "no-store");
    }
    resp
}

async fn handle(
    component: &Component,
    host: &Host,
    mut req: Request,
    request_id: &str,
) -> Result<Response, ApiError> {
    let router = (component.routes)();
    let (route, params) = match router.find(req.method, &req.path) {
        Match::Found(route, params) => (route, params),
        Match::MethodNotAllowed(allowed) => return Err(ApiError::method_not_allowed(&allowed)),
        Match::NotFound => return not_found(host, &req),
    };
    let schema_version = schema::migrate(host.db.as_ref()).await?;
    let config = Config::load(host.vars.as_ref()).await;
    if route.meta.access == Access::SelfTest && !config.storage_selftest {
        return Err(ApiError::not_found());
    }
    if req.body.len() > route.meta.body_limit {
        return Err(ApiError::payload_too_large(route.meta.body_limit));
    }
    let cx = Cx {
        db: host.db.clone(),
        kv: host.kv.clone(),
        config,
        now: host.now,
        component: component.name,
        request_id: request_id.to_owned(),
        schema_version,
        client_ip: req.peer_addr,
    };
    req.params = params;
    (route.handler)(&cx, req).await
}

/// Paths no route claims: static files for the UI (only where the host
/// mounts them), a JSON 404 for anything API-shaped.
fn not_found(host: &Host, req: &Request) -> Result<Response, ApiError> {
    let api_shaped = ["/api/", "/hooks/", "/agent-api/"]
        .iter()
        .any(|p| req.path.starts_with(p));
    match &host.static_root {
        Some(root) if !api_shaped && matches!(req.method, Method::Get | Method::Head) => {
            static_files::serve(root, &req.path)
        }
        _ => Err(ApiError::not_found()),
    }
}
