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

/// The consultation history's filters (HIST-2): the call history's (on the
/// consultation's call, `calls.from_ms`/`until_ms` unused) plus the
/// consultation's time, agent and type, or exactly the rows `ids`.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub calls: crate::records::calls::Filter,
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub agent_id: Option<i64>,
    pub type_id: Option<i64>,
    pub ids: Option<Vec<i64>>,
    /// Only the consultations of this call (the call's detail).
    pub call_id: Option<String>,
    /// `(created_ms, id)` of the last row shown.
    pub after: Option<Cursor>,
    pub limit: i64,
}

/// One row of the consultation history.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HistoryRow {
    pub id: i64,
    /// The call's row (for its detail).
    pub call: i64,
    pub call_id: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub agent_id: i64,
    pub agent_login: String,
    pub agent_name: String,
    pub type_id: Option<i64>,
    pub type_name: Option<String>,
    pub memo: String,
    pub number: Option<String>,
    pub direction: String,
    pub result: Option<String>,
    pub queue: Option<String>,
    pub talk_ms: Option<i64>,
    /// The call's recordings, oldest first.
    pub recording_ids: Vec<i64>,
}

/// A page of the consultation history, newest first.
pub async fn history(
    db: &dyn Sql,
    tenant_id: i64,
    f: &HistoryFilter,
) -> Result<Vec<HistoryRow>, StorageError> {
    let calls = crate::records::calls::Filter {
        from_ms: None,
        until_ms: None,
        agent_id: None,
        after: None,
        ..f.calls.clone()
    };
    let (mut cond, mut params) = crate::records::calls::conditions(tenant_id, &calls);
    let mut and = |c: &str, v: Vec<Value>| {
        cond.push_str(" AND ");
        cond.push_str(c);
        params.extend(v);
    };
    and("c.tenant_id = ?", vec![tenant_id.into()]);
    if let Some(from) = f.from_ms {
        and("c.created_ms >= ?", vec![from.into()]);
    }
    if let Some(until) = f.until_ms {
        and("c.created_ms < ?", vec![until.into()]);
    }
    if let Some(a) = f.agent_id {
        and("c.agent_id = ?", vec![a.into()]);
    }
    if let Some(t) = f.type_id {
        and("c.type_id = ?", vec![t.into()]);
    }
    if let Some(ids) = &f.ids {
        let marks = vec!["?"; ids.len().max(1)].join(", ");
        let mut v: Vec<Value> = ids.iter().map(|i| (*i).into()).collect();
        if v.is_empty() {
            v.push(0_i64.into());
        }
        and(&format!("c.id IN ({marks})"), v);
    }
    if let Some(call) = &f.call_id {
        and("c.call_id = ?", vec![call.as_str().into()]);
    }
    if let Some((ms, id)) = f.after {
        and("(c.created_ms, c.id) < (?, ?)", vec![ms.into(), id.into()]);
    }
    params.push(f.limit.into());
    let sql = format!(
        "SELECT c.id, k.id, c.call_id, c.created_ms, c.updated_ms, c.agent_id, a.login_id, a.name, \
           c.type_id, t.name, c.memo, k.caller, k.direction, k.result, m.queue, k.talk_ms, \
           (SELECT group_concat(r.id) FROM (SELECT r.id FROM recordings r \
              WHERE r.tenant_id = c.tenant_id AND r.call_id = c.call_id ORDER BY r.at_ms, r.id) r) \
         FROM consultations c \
         JOIN calls k ON k.tenant_id = c.tenant_id AND k.call_id = c.call_id \
         JOIN agents a ON a.id = c.agent_id AND a.tenant_id = c.tenant_id \
         LEFT JOIN consultation_types t ON t.id = c.type_id AND t.tenant_id = c.tenant_id \
         LEFT JOIN ars_menus m ON m.tenant_id = k.tenant_id AND m.digit = k.digit AND m.kind = 'agents' \
         WHERE {cond} ORDER BY c.created_ms DESC, c.id DESC LIMIT ?"
    );
    let rows = db.query(&sql, &params).await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryRow {
                id: r.i64(0)?,
                call: r.i64(1)?,
                call_id: r.text(2)?,
                created_ms: r.i64(3)?,
                updated_ms: r.i64(4)?,
                agent_id: r.i64(5)?,
                agent_login: r.text(6)?,
                agent_name: r.text(7)?,
                type_id: r.opt_i64(8)?,
                type_name: r.opt_text(9)?,
                memo: r.text(10)?,
                number: r.opt_text(11)?,
                direction: r.text(12)?,
                result: r.opt_text(13)?,
                queue: r.opt_text(14)?,
                talk_ms: r.opt_i64(15)?,
                recording_ids: r
                    .opt_text(16)?
                    .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// A call's consultations with their agents, for the call's detail.
pub async fn of_call(
    db: &dyn Sql,
    tenant_id: i64,
    call_id: &str,
) -> Result<Vec<HistoryRow>, StorageError> {
    let f = HistoryFilter {
        call_id: Some(call_id.to_owned()),
        limit: 100,
        ..HistoryFilter::default()
    };
    history(db, tenant_id, &f).await
}
