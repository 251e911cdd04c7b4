//! The agent's own state changes (AGT-1, MON-7): ready, away and
//! after-call work. The telephony-driven states (dialing, ringing, on call)
//! come from the provider's events, logged out from signing out.

use crate::records::agent_work::{self, CurrentState};
use crate::runtime::context::Cx;
use crate::telephony::agent_events::{self, Act};
use crate::time::fmt_utc_ms;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::ChosenState;
use switchboard_http::{ApiError, Request, RequestExt, Response, ResponseExt};
use switchboard_telephony::AgentState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    state: String,
}

pub(super) fn state_view(s: &CurrentState) -> Result<Value, ApiError> {
    Ok(json!({ "state": s.state, "since": fmt_utc_ms(s.since_ms)? }))
}

/// Stores an `agent.state` event: the new state starts now and the one
/// before it ends (`agent_states`). Answers the agent's current state.
pub async fn change(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let me = cx.agent()?;
    let body: Change = req.json()?;
    let chosen = ChosenState::parse(&body.state).map_err(|e| ApiError::field("state", e))?;
    let state = match chosen {
        ChosenState::Ready => AgentState::Ready,
        ChosenState::Away => AgentState::Away,
        ChosenState::AfterCallWork => AgentState::AfterCallWork,
    };
    let at_ms = cx.now.as_millisecond();
    agent_events::store(
        cx.db(),
        me.tenant_id,
        &me.login_id,
        Act::State(state),
        at_ms,
    )
    .await?;
    let current = agent_work::current_state(cx.db(), me.tenant_id, &me.login_id)
        .await?
        .ok_or_else(|| ApiError::internal("no state after storing one"))?;
    Ok(Response::ok(&state_view(&current)?))
}
