//! Consultations in SQL (AGT-1, HIST-2, STAT-4): what an agent saved about
//! a call, one record per call and agent. Every function takes the tenant
//! ID and filters by it.

use switchboard_domain::ConsultationMemo;
use switchboard_storage::{Row, Sql, StorageError, Value};

/// A consultation with its type's name and the call it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Consultation {
    pub id: i64,
    pub call_id: String,
    pub type_id: Option<i64>,
    /// The type's current name (archived types keep theirs).
    pub type_name: Option<String>,
    pub memo: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub call: Option<CallSummary>,
}

/// The call a consultation is about, as a history row shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallSummary {
    pub direction: String,
    pub caller: Option<String>,
    pub started_ms: i64,
    pub answered_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    pub talk_ms: Option<i64>,
}

const SELECT: &str = "SELECT c.id, c.call_id, c.type_id, t.name, c.memo, c.created_ms, \
    c.updated_ms, k.direction, k.caller, k.started_ms, k.answered_ms, k.ended_ms, k.talk_ms \
    FROM consultations c \
    LEFT JOIN consultation_types t ON t.id = c.type_id AND t.tenant_id = c.tenant_id \
    LEFT JOIN calls k ON k.tenant_id = c.tenant_id AND k.call_id = c.call_id";

fn from_row(r: &Row) -> Result<Consultation, StorageError> {
    let call = match r.opt_text(7)? {
        Some(direction) => Some(CallSummary {
            direction,
            caller: r.opt_text(8)?,
            started_ms: r.i64(9)?,
            answered_ms: r.opt_i64(10)?,
            ended_ms: r.opt_i64(11)?,
            talk_ms: r.opt_i64(12)?,
        }),
        None => None,
    };
    Ok(Consultation {
        id: r.i64(0)?,
        call_id: r.text(1)?,
        type_id: r.opt_i64(2)?,
        type_name: r.opt_text(3)?,
        memo: r.text(4)?,
        created_ms: r.i64(5)?,
        updated_ms: r.i64(6)?,
        call,
    })
}

/// Whether `type_id` may be saved on agent `agent_id`'s consultation of
/// `call_id`: a live type of the tenant, or the archived one it has now
/// (saving the memo again must not force a new type).
pub async fn type_allowed(
    db: &dyn Sql,
    tenant_id: i64,
    type_id: i64,
    call_id: &str,
    agent_id: i64,
) -> Result<bool, StorageError> {
    Ok(db
        .query_row(
            "SELECT 1 FROM consultation_types t WHERE t.id = ?1 AND t.tenant_id = ?2 \
             AND (t.archived = 0 OR t.id = (SELECT c.type_id FROM consultations c \
               WHERE c.tenant_id = ?2 AND c.call_id = ?3 AND c.agent_id = ?4))",
            &[
                type_id.into(),
                tenant_id.into(),
                call_id.into(),
                agent_id.into(),
            ],
        )
        .await?
        .is_some())
}

/// Saves agent `agent_id`'s consultation of `call_id` (created or
/// replaced), but only if the call is the agent's own (`calls.agent_id`),
/// checked in the same statement. `Ok(None)`: not the agent's call.
pub async fn save(
    db: &dyn Sql,
    tenant_id: i64,
    agent_id: i64,
    call_id: &str,
    type_id: Option<i64>,
    memo: &ConsultationMemo,
    now_ms: i64,
) -> Result<Option<Consultation>, StorageError> {
    let saved = db
        .query(
            "INSERT INTO consultations (tenant_id, call_id, agent_id, type_id, memo, created_ms, updated_ms) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6 WHERE EXISTS (SELECT 1 FROM calls \
               WHERE tenant_id = ?1 AND call_id = ?2 AND agent_id = ?3) \
             ON CONFLICT (tenant_id, call_id, agent_id) DO UPDATE SET \
               type_id = excluded.type_id, memo = excluded.memo, updated_ms = excluded.updated_ms \
             RETURNING id",
            &[
                tenant_id.into(),
                call_id.into(),
                agent_id.into(),
                type_id.into(),
                memo.as_str().into(),
                now_ms.into(),
            ],
        )
        .await?;
    let Some(id) = saved.first().map(|r| r.i64(0)).transpose()? else {
        return Ok(None);
    };
    let sql = format!("{SELECT} WHERE c.id = ? AND c.tenant_id = ?");
    db.query_row(&sql, &[id.into(), tenant_id.into()])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// A position in [`own`]'s order: (created_ms, id) of the last row shown.
pub type Cursor = (i64, i64);

/// Agent `agent_id`'s consultations created at or after `since_ms`, newest
/// first (created time, then ID: a stable order, so pages neither skip nor
/// repeat rows when new ones arrive), after `before` if given.
pub async fn own(
    db: &dyn Sql,
    tenant_id: i64,
    agent_id: i64,
    since_ms: i64,
    before: Option<Cursor>,
    limit: i64,
) -> Result<Vec<Consultation>, StorageError> {
    let mut params: Vec<Value> = vec![tenant_id.into(), agent_id.into(), since_ms.into()];
    let after = match before {
        Some((created_ms, id)) => {
            params.extend([created_ms.into(), id.into()]);
            " AND (c.created_ms, c.id) < (?, ?)"
        }
        None => "",
    };
    params.push(limit.into());
    let sql = format!(
        "{SELECT} WHERE c.tenant_id = ? AND c.agent_id = ? AND c.created_ms >= ?{after} \
         ORDER BY c.created_ms DESC, c.id DESC LIMIT ?"
    );
    db.query(&sql, &params)
        .await?
        .iter()
        .map(from_row)
        .collect()
}
