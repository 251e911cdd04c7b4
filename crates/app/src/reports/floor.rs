//! The live floor as the events left it (MON-1, MON-5, MON-7): calls by
//! live state, who waits in which queue and for how long, and each agent's
//! current state. Three indexed reads (`calls_live`, the open interval of
//! each agent in `agent_states`), so the dashboard can ask every second.

use serde::Serialize;
use switchboard_storage::{Sql, StorageError, Value};

/// Callers waiting in one queue (an agent-connect menu) right now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueWait {
    pub digit: Option<i64>,
    pub menu_id: Option<i64>,
    pub waiting: i64,
    /// How long the caller who has waited longest has waited.
    pub longest_wait_ms: i64,
}

/// An agent's current state and since when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentNow {
    pub agent: String,
    pub agent_id: Option<i64>,
    pub state: String,
    pub since_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Floor {
    /// Calls in progress by live state (`ivr`, `waiting`, `ringing`,
    /// `dialing`, `talking`), and by direction for the resources panel.
    pub calls: Vec<(String, String, i64)>,
    pub queues: Vec<QueueWait>,
    pub agents: Vec<AgentNow>,
}

pub async fn floor(db: &dyn Sql, tenant_id: i64, now_ms: i64) -> Result<Floor, StorageError> {
    let t = [Value::from(tenant_id)];
    let calls = db
        .query(
            "SELECT live, direction, COUNT(*) FROM calls WHERE tenant_id = ? AND live IS NOT NULL \
             GROUP BY live, direction ORDER BY live, direction",
            &t,
        )
        .await?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?, r.i64(2)?)))
        .collect::<Result<_, StorageError>>()?;
    let queues = db
        .query(
            "SELECT digit, menu_id, COUNT(*), MIN(queued_ms) FROM calls \
             WHERE tenant_id = ? AND live = 'waiting' GROUP BY digit, menu_id ORDER BY digit",
            &t,
        )
        .await?
        .iter()
        .map(|r| {
            Ok(QueueWait {
                digit: r.opt_i64(0)?,
                menu_id: r.opt_i64(1)?,
                waiting: r.i64(2)?,
                longest_wait_ms: (now_ms - r.i64(3)?).max(0),
            })
        })
        .collect::<Result<_, StorageError>>()?;
    // One row per agent on the floor: read packed (see `reports::packed`).
    let agents = super::packed::query(
        db,
        "agent, agent_id, state, started_ms",
        "FROM agent_states WHERE tenant_id = ? AND ended_ms IS NULL ORDER BY agent",
        &t,
    )
    .await?
    .iter()
    .map(|r| {
        Ok(AgentNow {
            agent: r.text(0)?,
            agent_id: r.opt_i64(1)?,
            state: r.text(2)?,
            since_ms: r.i64(3)?,
        })
    })
    .collect::<Result<_, StorageError>>()?;
    Ok(Floor {
        calls,
        queues,
        agents,
    })
}

/// Live outbound calls that are callback attempts (MON-1's 콜백전환): the
/// live calls' partial index, then the few live rows.
pub async fn live_callback_dials(db: &dyn Sql, tenant_id: i64) -> Result<i64, StorageError> {
    Ok(db
        .query_row(
            "SELECT COUNT(*) FROM calls WHERE tenant_id = ? AND live IS NOT NULL \
             AND direction = 'outbound' AND callback_id IS NOT NULL",
            &[Value::from(tenant_id)],
        )
        .await?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(0))
}
