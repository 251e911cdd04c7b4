//! The telephony provider's signed events (TEL-1, TEL-2).

use super::{Req, TestApp, TestResponse};
use futures::executor::block_on;
use switchboard_http::Method;

impl TestApp {
    /// Posts `event` (one event's JSON, or `{"events": [...]}`) to
    /// `POST /hooks/events`, signed now with the `webhook_secret` variable,
    /// as the telephony provider does.
    pub fn post_events(&self, event: &serde_json::Value) -> TestResponse {
        let secret = self
            .vars()
            .0
            .iter()
            .rev()
            .find(|(n, _)| n == "webhook_secret")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let body = serde_json::to_vec(event).unwrap();
        let ts = self.now().as_second();
        let signature = switchboard_telephony::signature::sign(&secret, ts, &body).unwrap();
        self.send(
            Req::new(Method::POST, "/hooks/events")
                .with_header("content-type", "application/json")
                .with_header("x-switchboard-timestamp", &ts.to_string())
                .with_header("x-switchboard-signature", &signature)
                .with_body(body),
        )
    }

    /// Stores a `recording.ready` event for the tenant whose representative
    /// number is `line` (see [`super::ars_body`]); returns the recording's ID.
    pub fn recording_ready(&self, event_id: &str, line: &str, url: &str, format: &str) -> i64 {
        let resp = self.post_events(&serde_json::json!({
            "id": event_id,
            "type": "recording.ready",
            "at": "2026-11-30T00:58:00Z",
            "line": line,
            "call": format!("call-{event_id}"),
            "url": url,
            "duration_seconds": 183.5,
            "format": format,
        }));
        assert_eq!(resp.status, 200, "{}", resp.json_body());
        let row = block_on(switchboard_storage::Sql::query_row(
            self.db.as_ref(),
            "SELECT id FROM recordings WHERE event_id = ?",
            &[event_id.into()],
        ))
        .unwrap()
        .unwrap_or_else(|| panic!("no recording from {event_id}: {}", resp.json_body()));
        row.i64(0).unwrap()
    }
}
