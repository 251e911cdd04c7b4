//! What happens to every request, in order:
//!
//! 1. a request ID (the client's `X-Request-Id` if it is sane, else a new one);
//! 2. route match (404 / 405 as JSON); unmatched non-API paths are UI files;
//! 3. migrations, so whichever component is hit first creates the schema;
//! 4. the client address (trusted proxies only);
//! 5. the route's declared access rule, decided from the headers alone:
//!    session, CSRF, role, IP allowlist (admin routes), the agent token, or
//!    the provider's signature headers and timestamp. A request refused here
//!    is answered before any byte of its body is read;
//! 6. the body, within the route's limit (a declared length over it is
//!    refused unread), and on provider routes the signature over it;
//! 7. the handler;
//! 8. the work-history record (every change, and reads the route marks);
//! 9. errors become the JSON error body; 5xx details go to the log only;
//! 10. common headers: request ID, `no-store`, and the security headers
//!     (`security::headers`: CSP, frame-ancestors, `X-Frame-Options`, `nosniff`).

use crate::records::audit::{self, Actor};
use crate::records::tenants::TenantScope;
use crate::records::{access_list, accounts, agents};
use crate::runtime::context::{AgentPrincipal, AuditNote, Cx, Principal, service_refusal};
use crate::runtime::host::Host;
use crate::runtime::routes::{Access, Audit, Component, RouteMeta};
use crate::runtime::static_files;
use crate::security::{self, agent_tokens, client_ip, constant_time_eq, sessions};
use crate::{random, time};
use bytes::Bytes;
use std::cell::RefCell;
use switchboard_http::http::request::Parts;
use switchboard_http::{
    ApiError, Body, ErrorCode, FieldCode, HeaderMap, HeaderMapExt, HeaderValue, IncomingRequest,
    Invalid, Match, Method, PathParams, PeerAddr, ReadError, Request, Response, Route, header,
};

fn request_id(headers: &HeaderMap) -> String {
    headers
        .first("x-request-id")
        .filter(|id| {
            !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(random::request_id, str::to_owned)
}

/// Serves one request as `component`.
pub async fn serve(component: &Component, host: &Host, req: IncomingRequest) -> Response {
    let request_id = request_id(req.headers());
    let is_head = req.method() == Method::HEAD;
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
        *resp.body_mut() = Body::empty();
    }
    security::headers::apply(&mut resp);
    let headers = resp.headers_mut();
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        headers.insert("x-request-id", id);
    }
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    resp
}

/// Reads the body within the route's limit: a declared length over it is
/// refused before reading, a stream (chunked upload) as soon as it passes it.
async fn read_body(
    method: &Method,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    // A GET, HEAD or OPTIONS announcing no body has none: not reading the
    // (empty) stream spares the runtime a round trip on most requests.
    let announced = headers.contains_key(header::CONTENT_LENGTH)
        || headers.contains_key(header::TRANSFER_ENCODING);
    if method.is_safe() && !announced {
        return Ok(Bytes::new());
    }
    let declared = headers
        .first("content-length")
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::payload_too_large(limit));
    }
    body.read_limited(limit).await.map_err(|e| match e {
        ReadError::TooLarge => ApiError::payload_too_large(limit),
        ReadError::Broken(_) => ApiError::bad_request(
            ErrorCode::UnreadableBody,
            "The request body could not be read.",
        ),
    })
}

async fn handle(
    component: &Component,
    host: &Host,
    req: IncomingRequest,
    request_id: &str,
) -> Result<Response, ApiError> {
    let router = host.router(component);
    let (route, params) = match router.find(req.method(), req.uri().path()) {
        Match::Found(route, params) => (route, params),
        Match::MethodNotAllowed(routes) => {
            // A switched-off self-test route does not exist for any method.
            let config = host.config().await;
            let live: Vec<Method> = routes
                .iter()
                .filter(|r| config.storage_selftest || r.meta.access != Access::SelfTest)
                .map(|r| r.method.clone())
                .collect();
            return Err(if live.is_empty() {
                ApiError::not_found()
            } else {
                ApiError::method_not_allowed(&live)
            });
        }
        Match::NotFound => return not_found(host, req.method(), req.uri().path()),
    };
    let schema_version = host.schema_version().await?;
    let config = host.config().await;
    if route.meta.access == Access::SelfTest && !config.storage_selftest {
        return Err(ApiError::not_found());
    }
    let (parts, body) = req.into_parts();
    let (trusted, bad) = client_ip::parse_trusted(&config.trusted_proxies);
    if !bad.is_empty() {
        eprintln!(
            "[{}] trusted_proxies: ignoring invalid entries {bad:?}",
            component.name
        );
    }
    let peer = parts.extensions.get::<PeerAddr>().map(|p| p.0);
    let peer_trusted = peer.is_some_and(|p| trusted.iter().any(|r| r.contains(p)));
    let headers = &parts.headers;
    let https = headers
        .last("spin-full-url")
        .is_some_and(|u| u.starts_with("https:"))
        || (peer_trusted
            && headers
                .last("x-forwarded-proto")
                .is_some_and(|p| p.eq_ignore_ascii_case("https")));
    let mut cx = Cx {
        db: host.db.clone(),
        kv: host.kv.clone(),
        client_ip: client_ip::client_ip(
            peer,
            headers.joined("x-forwarded-for").as_deref(),
            &trusted,
        ),
        config,
        now: host.now(),
        component: component.name,
        request_id: request_id.to_owned(),
        schema_version,
        https,
        principal: None,
        agent: None,
        tenant: None,
        audit: RefCell::new(AuditNote::default()),
        http: host.http.clone(),
    };
    let method = parts.method.clone();
    let path = parts.uri.path().to_owned();

    // Access is decided from the headers alone: a request that may not call
    // the route is answered before any byte of its body is read, so an
    // anonymous client cannot make the server hold a body.
    let result = match authorize(&mut cx, &route.meta, &parts).await {
        Ok(()) => match check_query(parts.uri.query().unwrap_or("")) {
            Ok(()) => run(&cx, route, params, parts, body).await,
            Err(err) => Err(err),
        },
        Err(err) => Err(err),
    };
    let wants_record = match route.meta.audit {
        Audit::Always => true,
        Audit::Changes => !method.is_safe(),
        Audit::Never => false,
    };
    let refused_by_allowlist = matches!(&result, Err(e) if e.code == ErrorCode::IpNotAllowed);
    // Anonymous noise (no session, no sign-in) is not history: it would let
    // anyone fill the append-only table.
    let someone = cx.principal.is_some() || cx.audit.borrow().actor.is_some();
    if (wants_record || refused_by_allowlist) && someone && !cx.audit.borrow().skip {
        let outcome = match &result {
            Ok(resp) => resp.status().as_u16(),
            Err(err) => err.status.as_u16(),
        };
        let action = if refused_by_allowlist {
            "access.ip_denied"
        } else {
            route.meta.action
        };
        record(&cx, action, &path, outcome).await;
    }
    result
}

/// Every query parameter is sent once and with a value (issue 14, finding
/// 7): `?to=` or `?to=a&to=b` is a client's mistake to be told about (422
/// naming the parameter), not something to guess at by dropping or picking
/// one. Handlers then read each parameter as absent or present-and-single.
fn check_query(query: &str) -> Result<(), ApiError> {
    let pairs = switchboard_http::query_pairs(query);
    let mut seen = std::collections::HashSet::with_capacity(pairs.len());
    for (name, value) in &pairs {
        if value.is_empty() {
            return Err(ApiError::field(
                name,
                Invalid::new(
                    FieldCode::InvalidValue,
                    "Leave the parameter out instead of sending it empty.",
                ),
            ));
        }
        if !seen.insert(name.as_str()) {
            return Err(ApiError::field(
                name,
                Invalid::new(FieldCode::InvalidValue, "Send the parameter once."),
            ));
        }
    }
    Ok(())
}

/// Reads the body within the route's limit, checks the provider's signature
/// over it where the route is the provider's, and runs the handler.
async fn run(
    cx: &Cx,
    route: &Route<Cx, RouteMeta>,
    params: Vec<(String, String)>,
    parts: Parts,
    body: Body,
) -> Result<Response, ApiError> {
    let body = read_body(&parts.method, &parts.headers, body, route.meta.body_limit).await?;
    if route.meta.access == Access::Provider {
        provider_signed(cx, &parts.headers, Some(&body))?;
    }
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(PathParams(params));
    (route.handler)(cx, req).await
}

/// Writes the work-history record. A failure here is logged, not returned:
/// the action itself already happened.
async fn record(cx: &Cx, action: &str, path: &str, outcome: u16) {
    let note = cx.audit.borrow().clone();
    let actor = note.actor.unwrap_or_else(|| match &cx.principal {
        Some(p) => Actor {
            tenant_id: p.user.tenant_id,
            user_id: Some(p.user.id),
            login_id: p.user.login_id.clone(),
        },
        None => Actor::default(),
    });
    let entry = audit::Record {
        actor,
        at: time::fmt_utc(cx.now),
        client_ip: cx.client_ip_text(),
        action: note.action.unwrap_or(action).to_owned(),
        target: note.target.unwrap_or_else(|| path.to_owned()),
        outcome,
        detail: note.detail,
    };
    if let Err(e) = audit::append(cx.db(), &entry).await {
        eprintln!(
            "[{}] request {}: audit record lost: {e}",
            cx.component, cx.request_id
        );
    }
}

/// Applies the route's access rule and, when it needs a session, sets
/// `cx.principal`.
async fn authorize(cx: &mut Cx, meta: &RouteMeta, req: &Parts) -> Result<(), ApiError> {
    let permission = match meta.access {
        Access::Public | Access::SelfTest => return Ok(()),
        // The headers now; the signature over the body once it is read.
        Access::Provider => return provider_signed(cx, &req.headers, None),
        Access::Agent => {
            let (agent, tenant) = agent_signed_in(cx, req).await?;
            cx.agent = Some(agent);
            cx.tenant = Some(tenant);
            return Ok(());
        }
        Access::SignedIn | Access::Session => None,
        Access::Needs(p) => Some(p),
    };
    let (principal, tenant_scope) = signed_in(cx, req, meta.access != Access::Session).await?;
    cx.tenant = tenant_scope;
    if !req.method.is_safe() {
        let sent = req.headers.first("x-csrf-token").unwrap_or("");
        if !constant_time_eq(sent.as_bytes(), principal.csrf.as_bytes()) {
            cx.principal = Some(principal);
            return Err(ApiError::forbidden(
                ErrorCode::CsrfFailed,
                "The request lacks this session's X-CSRF-Token header. Reload the page and try again.",
            ));
        }
    }
    let tenant = principal.user.tenant_id;
    let role = principal.user.role;
    cx.principal = Some(principal);
    if let Some(tenant_id) = tenant
        && meta.access != Access::Session
    {
        check_allowlist(cx, tenant_id).await?;
    }
    if let Some(p) = permission
        && !role.allows(p)
    {
        return Err(ApiError::forbidden(
            ErrorCode::Forbidden,
            "Your role does not allow this.",
        ));
    }
    Ok(())
}

/// TEL-1: the request carries the provider's signature over its raw body,
/// made at most five minutes from now. A refusal stores nothing: the handler
/// never runs. Without `body`, what the headers alone decide (a secret, both
/// headers well formed, a fresh timestamp), so a request without them is
/// refused before its body is read; the body then waits within the route's
/// limit (1 MiB) for the signature over it.
fn provider_signed(cx: &Cx, headers: &HeaderMap, body: Option<&[u8]>) -> Result<(), ApiError> {
    use crate::telephony::signature::{self, Refusal};
    let timestamp = headers.first(signature::TIMESTAMP_HEADER);
    let sent = headers.first(signature::SIGNATURE_HEADER);
    let secret = &cx.config.webhook_secret;
    match body {
        None => signature::precheck(secret, timestamp, sent, cx.unix_now()),
        Some(body) => signature::verify(secret, timestamp, sent, body, cx.unix_now()),
    }
    .map_err(|refusal| {
        let why = match refusal {
            Refusal::NoSecret => "No webhook secret is configured; every event is refused.",
            Refusal::Malformed => "The signature headers are missing or malformed.",
            Refusal::Stale => "The timestamp is more than five minutes from the server's clock.",
            Refusal::Mismatch => "The signature does not match the body.",
        };
        ApiError::unauthorized(why).with_code(ErrorCode::BadSignature)
    })
}

/// ACC-1: refuses the request when the tenant's allowlist excludes the
/// client (the pipeline then records `access.ip_denied`).
pub(crate) async fn check_allowlist(cx: &Cx, tenant_id: i64) -> Result<(), ApiError> {
    let list = access_list::allowlist(cx.db(), tenant_id).await?;
    if list.allows(cx.client_ip) {
        return Ok(());
    }
    Err(ApiError::forbidden(
        ErrorCode::IpNotAllowed,
        format!(
            "Your address ({}) is not on this company's access list.",
            cx.client_ip_text()
        ),
    )
    .with_param("ip", cx.client_ip_text()))
}

/// The admin whose live session the request carries. With `gate`, an
/// admin of a terminated or expired tenant is refused (CON-3; sign-out
/// passes without it).
async fn signed_in(
    cx: &Cx,
    req: &Parts,
    gate: bool,
) -> Result<(Principal, Option<TenantScope>), ApiError> {
    let expired =
        || ApiError::unauthorized("Sign in first; your session has ended or never began.");
    let token = sessions::token_from_cookies(sessions::cookie_headers(&req.headers), cx.https)
        .ok_or_else(expired)?;
    let idle = cx.config.session_lifetime_minutes.saturating_mul(60);
    let session = sessions::load(cx.kv(), token, cx.unix_now(), idle)
        .await?
        .ok_or_else(expired)?;
    let (user, tenant) = accounts::by_id_with_tenant(cx.db(), session.user_id)
        .await?
        .filter(|(u, _)| u.status.is_active() && u.session_epoch == session.epoch)
        .ok_or_else(expired)?;
    if gate
        && let Some(t) = &tenant
        && let Some(refusal) = service_refusal(t, cx.now)
    {
        return Err(refusal);
    }
    let principal = Principal {
        user,
        csrf: session.csrf,
        token: token.to_owned(),
    };
    Ok((principal, tenant))
}

/// AGT-1: the agent whose live token the request carries in
/// `Authorization: Bearer …`. Only that header counts: an admin's session
/// cookie is no agent credential. A token outlives nothing that should end
/// it: an agent no longer active, or whose session epoch moved on (disabled,
/// deleted, new password), is refused and its token deleted (the admin's
/// change closed its session in the records),
/// and an agent of a terminated or expired tenant is refused (CON-3). No
/// CSRF check: nothing sends the header without the app's say (see
/// [`Access::Agent`]). The tenant's IP allowlist (ACC-1) governs the admin
/// API and UI only.
async fn agent_signed_in(cx: &Cx, req: &Parts) -> Result<(AgentPrincipal, TenantScope), ApiError> {
    let expired = || {
        ApiError::unauthorized("Sign in to the agent app; your session has ended or never began.")
    };
    let secret = agent_tokens::bearer(&req.headers).ok_or_else(expired)?;
    let idle = cx.config.session_lifetime_minutes.saturating_mul(60);
    let token = agent_tokens::load(cx.kv(), secret, cx.unix_now(), idle)
        .await?
        .ok_or_else(expired)?;
    let account = agents::account_by_id(cx.db(), token.tenant_id, token.agent_id)
        .await?
        .ok_or_else(expired)?;
    if !(account.status.is_active() && account.session_epoch == token.epoch) {
        // Signed out: the admin's change already closed the session in the
        // login history and on the floor (`agent_events::sign_out_everywhere`);
        // an event here would land on whoever holds the login ID now.
        agent_tokens::delete(cx.kv(), secret).await?;
        return Err(expired());
    }
    if let Some(refusal) = service_refusal(&account.tenant, cx.now) {
        return Err(refusal);
    }
    let tenant = account.tenant;
    let agent = AgentPrincipal {
        agent_id: account.id,
        tenant_id: account.tenant_id,
        login_id: account.login_id,
        name: account.name,
        tenant_name: account.tenant_name,
        token,
        secret: secret.to_owned(),
    };
    Ok((agent, tenant))
}

/// Paths no route claims: static files for the UI (only where the host
/// mounts them), a JSON 404 for anything API-shaped.
fn not_found(host: &Host, method: &Method, path: &str) -> Result<Response, ApiError> {
    let api_shaped = ["/api/", "/hooks/", "/agent-api/"]
        .iter()
        .any(|p| path.starts_with(p));
    match &host.static_root {
        Some(root) if !api_shaped && (method == Method::GET || method == Method::HEAD) => {
            static_files::serve(root, path)
        }
        _ => Err(ApiError::not_found()),
    }
}
