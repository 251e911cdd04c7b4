//! The `hooks` component: the telephony provider's signed event webhook and
//! call-flow endpoint (SPEC section 7), and the prompt audio the provider
//! plays to callers (ARS-2).

use super::health;
use crate::records::audio;
use crate::runtime::context::Cx;
use crate::runtime::routes::{Access, AppRouter, Audit, RouteMeta};
use crate::runtime::routes::{Component, public, route_table};
use crate::telephony::ingest::{self, Outcome, Source};
use serde_json::json;
use switchboard_http::{ApiError, ErrorCode, Request, RequestExt, Response, ResponseExt};
use switchboard_telephony::event::{BodyError, parse_body};

/// The largest event request: [`switchboard_telephony::MAX_BATCH`] events of
/// about 1 KiB each.
pub const EVENTS_BODY_LIMIT: usize = 1024 * 1024;

const EVENTS: RouteMeta = RouteMeta {
    body_limit: EVENTS_BODY_LIMIT,
    ..RouteMeta::new(Access::Provider, "hooks.events").audit(Audit::Never)
};

/// A call-flow request is a few short fields.
pub const FLOW_BODY_LIMIT: usize = 16 * 1024;

const FLOW: RouteMeta = RouteMeta {
    body_limit: FLOW_BODY_LIMIT,
    ..RouteMeta::new(Access::Provider, "hooks.flow").audit(Audit::Never)
};

pub const COMPONENT: Component = Component {
    name: "hooks",
    prefixes: &["/hooks"],
    routes,
};

fn routes() -> AppRouter {
    route_table! {
        GET  "/hooks/health", health::META => health::health;
        POST "/hooks/events", EVENTS => events;
        POST "/hooks/flow", FLOW => flow;
        GET  "/hooks/audio/{token}", public("hooks.audio").audit(Audit::Never) => audio;
    }
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
    let (tenant_id, meta) = audio::by_token(cx.db(), token)
        .await?
        .ok_or_else(ApiError::not_found)?;
    crate::runtime::send_audio::send(cx.db(), tenant_id, &meta, &req).await
}

/// TEL-1, TEL-2: the provider's signed events, one or a batch. The pipeline
/// has checked the signature; here the body is parsed (a batch with one bad
/// event is refused whole, 422, naming `events[i].field`) and stored in one
/// statement before the answer. The answer lists each event's outcome:
/// `stored`, `duplicate` (its ID was seen before; nothing changed),
/// `unrouted` (no tenant has that `line`) or `unknown_type`; the last two
/// are kept, never dropped.
async fn events(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    require_json(&req)?;
    let parsed = parse_body(req.body()).map_err(|e| match e {
        BodyError::NotJson(why) => ApiError::bad_request(
            ErrorCode::InvalidJson,
            format!("Send one event or {{\"events\": [...]}} as JSON: {why}"),
        ),
        BodyError::Fields(fields) => ApiError::validation(fields.into_iter().collect()),
    })?;
    let outcomes =
        ingest::store(cx.db(), &parsed, Source::Provider, cx.now.as_millisecond()).await?;
    let count = |o: Outcome| outcomes.iter().filter(|x| **x == o).count();
    let results: Vec<_> = parsed
        .iter()
        .zip(&outcomes)
        .map(|(e, o)| json!({ "id": e.id, "status": o }))
        .collect();
    Ok(Response::ok(&json!({
        "stored": count(Outcome::Stored),
        "duplicate": count(Outcome::Duplicate),
        "unrouted": count(Outcome::Unrouted),
        "unknown_type": count(Outcome::UnknownType),
        "results": results,
    })))
}

/// The call-flow request (`docs/webhooks.md`, "Call flow").
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FlowBody {
    call: String,
    line: String,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    from: Option<String>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    at: Option<String>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    digits: Option<String>,
}

/// The longest `digits` looked at: a provider reports one key per gather;
/// anything longer is refused rather than parsed.
const DIGITS_MAX: usize = 32;

/// TEL-3, ARS-7: what to do next with a call, signed like the events. The
/// answer follows the tenant's saved ARS settings, hours, holidays and the
/// load on the chosen queue (`telephony::flow`); a number no company holds
/// now is answered `{"unrouted": true, "actions": [{"reject": {}}]}`.
async fn flow(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    use switchboard_domain::callflow::{Input, Position};
    use switchboard_domain::{FieldCode, Invalid, RepresentativeNumber};
    use switchboard_telephony::event::{check_ident, party_number};
    require_json(&req)?;
    let body: FlowBody = req.json()?;
    let mut fields = switchboard_http::FieldErrors::new();
    // The same rules as the events of the same call (`docs/webhooks.md`).
    let call = fields.take("call", check_ident(&body.call).map(|()| body.call.as_str()));
    let line = fields.take("line", RepresentativeNumber::parse(&body.line));
    let from = fields.take_opt("from", body.from.as_deref().map(party_number));
    let at = fields.take(
        "at",
        body.at.as_deref().map_or(Ok(Position::Start), |a| {
            Position::parse(a).ok_or_else(|| {
                Invalid::new(
                    FieldCode::InvalidValue,
                    "Send back the `next` of the last gather (start, menu.0 …).",
                )
            })
        }),
    );
    let digits = fields.take(
        "digits",
        match body.digits.as_deref() {
            Some(d) if d.chars().count() > DIGITS_MAX => Err(Invalid::too_long(DIGITS_MAX)),
            d => Ok(d),
        },
    );
    let (Some(call), Some(line), Some(at), Some(digits)) = (call, line, at, digits) else {
        return Err(fields.into_error());
    };
    fields.check()?;
    let request = crate::telephony::flow::FlowRequest {
        call: call.to_owned(),
        line: line.as_str().to_owned(),
        // `anonymous` cannot be called back.
        from: from.filter(|f| f != "anonymous"),
        input: Input::parse(digits, at != Position::Start),
        at,
    };
    match crate::telephony::flow::serve(cx.db(), &request, cx.now).await? {
        crate::telephony::flow::Served::Unrouted => {
            eprintln!(
                "[hooks] flow for unrouted line {} (call {})",
                request.line, request.call
            );
            Ok(Response::ok(&json!({
                "call": request.call,
                "unrouted": true,
                "actions": [{ "reject": {} }],
            })))
        }
        crate::telephony::flow::Served::Step { answer, .. } => Ok(Response::ok(&answer)),
    }
}

/// The provider's routes take JSON only (`415` otherwise, parameters such
/// as `charset` allowed).
fn require_json(req: &Request) -> Result<(), ApiError> {
    let media = req.header("content-type").unwrap_or("");
    let media = media.split(';').next().unwrap_or("").trim();
    if media.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(ApiError::unsupported_media_type("application/json"))
    }
}
