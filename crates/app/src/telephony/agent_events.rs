//! The events the agent API stores on an agent's behalf (AGT-1): login,
//! logout and state changes, as the provider would send them (TEL-2). They
//! go through the same event log as the provider's
//! ([`crate::telephony::ingest`], source `agent_app`), so login history
//! (HIST-4, `agent_sessions`) and the live agent states (MON-7,
//! `agent_states`) are kept by the same triggers whoever reported them.

use crate::random;
use crate::telephony::ingest::{self, Outcome, Source};
use std::net::{IpAddr, Ipv4Addr};
use switchboard_domain::LoginId;
use switchboard_storage::{Sql, StorageError};
use switchboard_telephony::{AgentState, Event, EventBody, Platform};

/// A fresh ID: `app-` and 32 random hex digits, so it can never collide
/// with another event (the provider's IDs are its own).
pub fn new_id() -> Result<String, StorageError> {
    Ok(format!("app-{}", random::hex_token(16)?))
}

/// A stored login ID as the event type holds it.
fn agent(login_id: &str) -> Result<LoginId, StorageError> {
    LoginId::parse(login_id)
        .map_err(|e| StorageError::new(format!("stored agent login ID {login_id:?}: {e}")))
}

/// What an agent did, to be stored as one event.
pub enum Act<'a> {
    Login {
        session: &'a str,
        platform: Platform,
        ip: Option<IpAddr>,
    },
    Logout {
        session: &'a str,
    },
    State(AgentState),
}

/// Stores what agent `login_id` of `tenant_id` did at `at_ms`.
pub async fn store(
    db: &dyn Sql,
    tenant_id: i64,
    login_id: &str,
    act: Act<'_>,
    at_ms: i64,
) -> Result<(), StorageError> {
    let agent = agent(login_id)?;
    let body = match act {
        Act::Login {
            session,
            platform,
            ip,
        } => EventBody::AgentLogin {
            agent,
            session: session.to_owned(),
            platform,
            // The runtime always knows the peer; a host that does not
            // (some tests) records the unspecified address.
            ip: ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        },
        Act::Logout { session } => EventBody::AgentLogout {
            agent,
            session: session.to_owned(),
        },
        Act::State(state) => EventBody::AgentState { agent, state },
    };
    let event = Event {
        id: new_id()?,
        at_ms,
        // Ingest records the tenant's representative number.
        line: String::new(),
        body,
    };
    let outcomes = ingest::store(db, &[event], Source::AgentApp { tenant_id }, at_ms).await?;
    match outcomes.as_slice() {
        [Outcome::Stored] => Ok(()),
        other => Err(StorageError::new(format!(
            "agent event not stored: {other:?}"
        ))),
    }
}

/// Closes every session agent `agent_id` still has open (HIST-4), which
/// also starts `logged_out` on the floor (MON-7): for an agent disabled,
/// deleted or given a new password by an admin, whose apps are signed out
/// at that moment (their tokens stop working on their next request).
pub async fn sign_out_everywhere(
    db: &dyn Sql,
    tenant_id: i64,
    agent_id: i64,
    login_id: &str,
    at_ms: i64,
) -> Result<(), StorageError> {
    let open = db
        .query(
            "SELECT session FROM agent_sessions \
             WHERE tenant_id = ? AND agent_id = ? AND logout_ms IS NULL",
            &[tenant_id.into(), agent_id.into()],
        )
        .await?;
    for row in &open {
        let session = row.text(0)?;
        store(
            db,
            tenant_id,
            login_id,
            Act::Logout { session: &session },
            at_ms,
        )
        .await?;
    }
    Ok(())
}
