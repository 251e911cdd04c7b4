//! When an agent app session was last seen (CB-5, MON-7, HIST-4): written
//! when the app signs in and whenever its token's renewal is written (at
//! most every 5 minutes), read by housekeeping to log out sessions whose
//! app went silent, at the time it was last seen.

use switchboard_storage::{Sql, StorageError};

pub async fn seen(
    db: &dyn Sql,
    tenant_id: i64,
    session: &str,
    agent: &str,
    at_ms: i64,
) -> Result<(), StorageError> {
    db.execute(
        "INSERT INTO agent_presence (tenant_id, session, agent, last_seen_ms) VALUES (?, ?, ?, ?) \
         ON CONFLICT (tenant_id, session) DO UPDATE SET \
         last_seen_ms = MAX(last_seen_ms, excluded.last_seen_ms)",
        &[tenant_id.into(), session.into(), agent.into(), at_ms.into()],
    )
    .await?;
    Ok(())
}

/// An open session whose app has been silent too long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silent {
    pub tenant_id: i64,
    pub session: String,
    pub agent: String,
    pub last_seen_ms: i64,
}

/// Open sessions (no logout yet) last seen at or before `seen_before_ms`,
/// or signed in at or before `login_before_ms` (the token's absolute
/// lifetime), up to `limit`.
pub async fn silent(
    db: &dyn Sql,
    seen_before_ms: i64,
    login_before_ms: i64,
    limit: i64,
) -> Result<Vec<Silent>, StorageError> {
    let rows = db
        .query(
            "SELECT p.tenant_id, p.session, p.agent, p.last_seen_ms FROM agent_presence p \
             JOIN agent_sessions s ON s.tenant_id = p.tenant_id AND s.session = p.session \
             WHERE s.logout_ms IS NULL AND (p.last_seen_ms <= ?1 OR s.login_ms <= ?2) \
             ORDER BY p.last_seen_ms LIMIT ?3",
            &[seen_before_ms.into(), login_before_ms.into(), limit.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Silent {
                tenant_id: r.i64(0)?,
                session: r.text(1)?,
                agent: r.text(2)?,
                last_seen_ms: r.i64(3)?,
            })
        })
        .collect()
}

/// Forgets presence rows of sessions that have ended.
pub async fn forget_ended(db: &dyn Sql) -> Result<(), StorageError> {
    db.execute(
        "DELETE FROM agent_presence WHERE EXISTS (SELECT 1 FROM agent_sessions s \
         WHERE s.tenant_id = agent_presence.tenant_id AND s.session = agent_presence.session \
         AND s.logout_ms IS NOT NULL)",
        &[],
    )
    .await?;
    Ok(())
}

/// Open sessions the provider reported (an `agent.login` event; no agent
/// app signed in, so no presence row) whose agent has not been seen since
/// `seen_before_ms`, up to `limit`. Seen = the later of the session's login,
/// the agent's last state change (`agent_states`, from the provider's
/// `agent.state` events: ready, ringing, on call, after-call work …) and the
/// session's last event.
pub async fn silent_reported(
    db: &dyn Sql,
    seen_before_ms: i64,
    limit: i64,
) -> Result<Vec<Silent>, StorageError> {
    let rows = db
        .query(
            "SELECT tenant_id, session, agent, seen FROM (\
               SELECT s.tenant_id, s.session, s.agent, MAX(s.login_ms, \
                 COALESCE((SELECT MAX(a.started_ms) FROM agent_states a \
                   WHERE a.tenant_id = s.tenant_id AND a.agent = s.agent), 0), \
                 COALESCE((SELECT MAX(e.at_ms) FROM telephony_events e \
                   WHERE e.tenant_id = s.tenant_id AND e.session = s.session), 0)) AS seen \
               FROM agent_sessions s INDEXED BY agent_sessions_open \
               WHERE s.logout_ms IS NULL AND s.login_ms IS NOT NULL AND s.login_ms <= ?1 \
                 AND NOT EXISTS (SELECT 1 FROM agent_presence p \
                   WHERE p.tenant_id = s.tenant_id AND p.session = s.session)) \
             WHERE seen <= ?1 ORDER BY seen LIMIT ?2",
            &[seen_before_ms.into(), limit.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Silent {
                tenant_id: r.i64(0)?,
                session: r.text(1)?,
                agent: r.text(2)?,
                last_seen_ms: r.i64(3)?,
            })
        })
        .collect()
}
