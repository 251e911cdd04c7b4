//! What the agent API reads and changes about one agent's work (AGT-1), in
//! SQL: the current state, the menus served, the calls that are the
//! agent's own, and callbacks. Every function takes the tenant ID and
//! filters by it.

use serde::Serialize;
use switchboard_storage::{Row, Sql, StorageError};

/// The state an agent is in now (MON-7): the latest interval of
/// `agent_states`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurrentState {
    pub state: String,
    pub since_ms: i64,
}

/// The agent's latest state, `None` before the first login.
pub async fn current_state(
    db: &dyn Sql,
    tenant_id: i64,
    login_id: &str,
) -> Result<Option<CurrentState>, StorageError> {
    // The same order the trigger that closes intervals uses.
    db.query_row(
        "SELECT state, started_ms FROM agent_states WHERE tenant_id = ? AND agent = ? \
         ORDER BY started_ms DESC, event_id DESC LIMIT 1",
        &[tenant_id.into(), login_id.into()],
    )
    .await?
    .map(|r| {
        Ok(CurrentState {
            state: r.text(0)?,
            since_ms: r.i64(1)?,
        })
    })
    .transpose()
}

/// An agent-connect menu the agent serves (SVC-2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServedMenu {
    pub id: i64,
    pub digit: i64,
    pub queue: String,
}

pub async fn served_menus(
    db: &dyn Sql,
    tenant_id: i64,
    agent_id: i64,
) -> Result<Vec<ServedMenu>, StorageError> {
    db.query(
        "SELECT m.id, m.digit, COALESCE(m.queue, '') FROM agent_menus am \
         JOIN ars_menus m ON m.id = am.menu_id \
         WHERE am.agent_id = ? AND m.tenant_id = ? AND m.kind = 'agents' ORDER BY m.digit",
        &[agent_id.into(), tenant_id.into()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(ServedMenu {
            id: r.i64(0)?,
            digit: r.i64(1)?,
            queue: r.text(2)?,
        })
    })
    .collect()
}

/// Whether `call_id` is the agent's own call: one they answered, placed
/// or made to another extension (`calls.agent_id`).
pub async fn is_own_call(
    db: &dyn Sql,
    tenant_id: i64,
    agent_id: i64,
    call_id: &str,
) -> Result<bool, StorageError> {
    Ok(db
        .query_row(
            "SELECT 1 FROM calls WHERE tenant_id = ? AND call_id = ? AND agent_id = ?",
            &[tenant_id.into(), call_id.into(), agent_id.into()],
        )
        .await?
        .is_some())
}

/// The data of a call its incoming popup shows (SVC-5).
#[derive(Debug, Clone, PartialEq)]
pub struct PopupFacts {
    pub caller: String,
    pub dialed: String,
    pub queue: String,
}

/// The popup data of `call_id` when the call was offered to or answered by
/// agent `login_id` (its events name the agent, since this agent was
/// created: a login ID of a deleted agent may be reused) or is the agent's
/// own (`calls.agent_id`); `None` otherwise.
pub async fn popup_facts(
    db: &dyn Sql,
    tenant_id: i64,
    agent_id: i64,
    login_id: &str,
    call_id: &str,
) -> Result<Option<PopupFacts>, StorageError> {
    db.query_row(
        "SELECT COALESCE(c.caller, ''), c.line, COALESCE(m.queue, '') FROM calls c \
         LEFT JOIN ars_menus m ON m.id = c.menu_id AND m.tenant_id = c.tenant_id \
         WHERE c.tenant_id = ?1 AND c.call_id = ?2 AND (c.agent_id = ?3 OR EXISTS ( \
           SELECT 1 FROM telephony_events e WHERE e.tenant_id = ?1 AND e.call_id = ?2 \
           AND e.type IN ('call.offered', 'call.answered') AND e.agent = ?4 \
           AND e.at_ms >= (SELECT CAST(strftime('%s', a.created_at) AS INTEGER) * 1000 \
                           FROM agents a WHERE a.id = ?3)))",
        &[
            tenant_id.into(),
            call_id.into(),
            agent_id.into(),
            login_id.into(),
        ],
    )
    .await?
    .map(|r| {
        Ok(PopupFacts {
            caller: r.text(0)?,
            dialed: r.text(1)?,
            queue: r.text(2)?,
        })
    })
    .transpose()
}

/// A callback request (CB-1) as the agent app shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    pub id: i64,
    pub call_id: String,
    pub number: String,
    pub status: String,
    pub requested_ms: i64,
    pub attempts: i64,
    pub done_ms: Option<i64>,
    pub done_by_agent_id: Option<i64>,
}

const CALLBACK: &str =
    "id, call_id, number, status, requested_ms, attempts, done_ms, done_by_agent_id";

fn callback_from_row(r: &Row) -> Result<Callback, StorageError> {
    Ok(Callback {
        id: r.i64(0)?,
        call_id: r.text(1)?,
        number: r.text(2)?,
        status: r.text(3)?,
        requested_ms: r.i64(4)?,
        attempts: r.i64(5)?,
        done_ms: r.opt_i64(6)?,
        done_by_agent_id: r.opt_i64(7)?,
    })
}

/// What became of marking a callback done.
pub enum Done {
    /// It was `requested` and is now `completed`.
    Completed(Callback),
    /// It is in another status already (completed, failed, deleted).
    NotOpen(Callback),
    /// The tenant has no such callback.
    Missing,
}

/// Marks callback `id` completed by agent `agent_id` at `now_ms`, only from
/// `requested` (decided inside the statement, so two agents at once cannot
/// both complete it).
pub async fn complete_callback(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
    agent_id: i64,
    now_ms: i64,
) -> Result<Done, StorageError> {
    let sql = format!(
        "UPDATE callbacks SET status = 'completed', done_ms = ?, done_by_agent_id = ? \
         WHERE id = ? AND tenant_id = ? AND status = 'requested' RETURNING {CALLBACK}"
    );
    let rows = db
        .query(
            &sql,
            &[now_ms.into(), agent_id.into(), id.into(), tenant_id.into()],
        )
        .await?;
    if let Some(r) = rows.first() {
        return Ok(Done::Completed(callback_from_row(r)?));
    }
    let sql = format!("SELECT {CALLBACK} FROM callbacks WHERE id = ? AND tenant_id = ?");
    Ok(
        match db.query_row(&sql, &[id.into(), tenant_id.into()]).await? {
            Some(r) => Done::NotOpen(callback_from_row(&r)?),
            None => Done::Missing,
        },
    )
}
