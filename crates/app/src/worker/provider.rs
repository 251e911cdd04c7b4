//! The provider's dial contract (CB-2), as the worker sees it: one narrow
//! capability, [`Provider::originate`], so native tests hand the tick a fake
//! provider (202, 4xx, 5xx, timeout) and the cron component hands it
//! [`HttpProvider`] over the runtime's outbound HTTP.
//!
//! The contract: `POST {provider_api_url}/originate` with
//! `{"callback_id", "number", "agent"}`, `Authorization: Bearer
//! {provider_api_token}` and `Idempotency-Key: cb-{callback}-{attempt}`.
//! A 2xx (the simulator answers 202 `{"status":"dialing"}`) means the dial
//! is under way and its outcome follows as a `callback.attempt` event; a
//! request sent again with the same key (after a worker died between
//! sending and recording the answer) must not dial again.

use std::rc::Rc;
use switchboard_http::{HttpClient, OutboundError, RequestTimeout, http};
use switchboard_storage::BoxFuture;

/// One dial to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Originate {
    pub callback_id: i64,
    /// Digits only, as stored.
    pub number: String,
    /// The agent's login ID.
    pub agent: String,
    /// `cb-{callback}-{attempt}`: the same for a re-sent attempt.
    pub key: String,
}

/// What the provider answered: its status and the start of its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// How long the worker waits for the provider to answer a dial request
/// (connecting included) before recording the attempt as `timeout`.
pub const DIAL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// How much of an answer's body is kept with the attempt.
pub const ANSWER_KEEP: usize = 300;

/// The dial capability.
pub trait Provider {
    fn originate<'a>(
        &'a self,
        order: &'a Originate,
    ) -> BoxFuture<'a, Result<Answer, OutboundError>>;
}

/// [`Provider`] over the runtime's outbound HTTP.
pub struct HttpProvider {
    pub client: Rc<dyn HttpClient>,
    /// `provider_api_url` without a trailing slash.
    pub base: String,
    pub token: String,
}

impl Provider for HttpProvider {
    fn originate<'a>(
        &'a self,
        order: &'a Originate,
    ) -> BoxFuture<'a, Result<Answer, OutboundError>> {
        Box::pin(async move {
            let body = serde_json::json!({
                "callback_id": order.callback_id,
                "number": order.number,
                "agent": order.agent,
            });
            let req = http::Request::builder()
                .method(http::Method::POST)
                .uri(format!("{}/originate", self.base.trim_end_matches('/')))
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {}", self.token))
                .header("idempotency-key", &order.key)
                .extension(RequestTimeout(DIAL_TIMEOUT))
                .body(bytes::Bytes::from(body.to_string()))
                .map_err(|e| OutboundError::Unsupported(e.to_string()))?;
            let resp = self.client.send(req).await?;
            let status = resp.status().as_u16();
            let text = match resp.into_body().read_limited(4096).await {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => format!("(body unreadable: {e:?})"),
            };
            Ok(Answer {
                status,
                body: keep(&text),
            })
        })
    }
}

/// The first [`ANSWER_KEEP`] characters of `s`.
pub fn keep(s: &str) -> String {
    s.chars().take(ANSWER_KEEP).collect()
}
