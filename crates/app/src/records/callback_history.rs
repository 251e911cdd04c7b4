//! The callback history in SQL (HIST-3): requests with their attempts. Every
//! function takes the tenant ID and filters by it. (An admin's delete of an
//! open request, and everything the worker does, is `records/callbacks.rs`.)
//!
//! Attempts are read in one place, [`attempts`]: today from the event log
//! (`callback.attempt` events, with the agent of the outbound call that
//! made each); the callback worker's own attempt records will be read here
//! too when they exist, and nothing else changes.

use serde::Serialize;
use switchboard_storage::{Sql, StorageError, Value};

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// `requested`, `completed`, `deleted` or `failed`.
    pub status: Option<String>,
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    /// Digits the number starts with.
    pub number_prefix: Option<String>,
    /// `(requested_ms, id)` of the last row shown.
    pub after: Option<(i64, i64)>,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Callback {
    pub id: i64,
    pub call_id: String,
    /// The call's row in the call history, when it is known.
    pub call: Option<i64>,
    pub number: String,
    pub digit: i64,
    pub queue: Option<String>,
    pub requested_ms: i64,
    pub status: String,
    pub attempt_count: i64,
    pub last_result: Option<String>,
    pub done_ms: Option<i64>,
    pub done_by: Option<String>,
    pub attempts: Vec<Attempt>,
}

/// One attempt to call a customer back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    pub at_ms: i64,
    /// `completed`, `no_answer`, `busy`, `failed`.
    pub result: String,
    pub agent_login: Option<String>,
    pub agent_name: Option<String>,
}

pub async fn search(
    db: &dyn Sql,
    tenant_id: i64,
    f: &Filter,
) -> Result<Vec<Callback>, StorageError> {
    let mut cond = String::from("b.tenant_id = ?");
    let mut params: Vec<Value> = vec![tenant_id.into()];
    let mut and = |c: &str, v: Vec<Value>| {
        cond.push_str(" AND ");
        cond.push_str(c);
        params.extend(v);
    };
    if let Some(s) = &f.status {
        and("b.status = ?", vec![s.as_str().into()]);
    }
    if let Some(from) = f.from_ms {
        and("b.requested_ms >= ?", vec![from.into()]);
    }
    if let Some(until) = f.until_ms {
        and("b.requested_ms < ?", vec![until.into()]);
    }
    if let Some(p) = &f.number_prefix {
        and(
            "b.number >= ? AND b.number < ?",
            vec![p.as_str().into(), format!("{p}:").into()],
        );
    }
    if let Some((ms, id)) = f.after {
        and(
            "(b.requested_ms, b.id) < (?, ?)",
            vec![ms.into(), id.into()],
        );
    }
    params.push(f.limit.into());
    let sql = format!(
        "SELECT b.id, b.call_id, k.id, b.number, b.digit, m.queue, b.requested_ms, b.status, \
           b.attempts, b.last_result, b.done_ms, a.name \
         FROM callbacks b \
         LEFT JOIN calls k ON k.tenant_id = b.tenant_id AND k.call_id = b.call_id \
         LEFT JOIN ars_menus m ON m.tenant_id = b.tenant_id AND m.digit = b.digit AND m.kind = 'agents' \
         LEFT JOIN agents a ON a.id = b.done_by_agent_id AND a.tenant_id = b.tenant_id \
         WHERE {cond} ORDER BY b.requested_ms DESC, b.id DESC LIMIT ?"
    );
    let rows = db.query(&sql, &params).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows.iter() {
        out.push(Callback {
            id: r.i64(0)?,
            call_id: r.text(1)?,
            call: r.opt_i64(2)?,
            number: r.text(3)?,
            digit: r.i64(4)?,
            queue: r.opt_text(5)?,
            requested_ms: r.i64(6)?,
            status: r.text(7)?,
            attempt_count: r.i64(8)?,
            last_result: r.opt_text(9)?,
            done_ms: r.opt_i64(10)?,
            done_by: r.opt_text(11)?,
            attempts: Vec::new(),
        });
    }
    for c in &mut out {
        c.attempts = attempts(db, tenant_id, c.id).await?;
    }
    Ok(out)
}

/// Callback `id`'s attempts, oldest first: when, by whom, how it ended.
pub async fn attempts(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<Vec<Attempt>, StorageError> {
    let rows = db
        .query(
            "SELECT e.at_ms, e.result, k.agent, a.name FROM telephony_events e \
             LEFT JOIN calls k ON k.tenant_id = e.tenant_id AND k.call_id = e.call_id \
             LEFT JOIN agents a ON a.id = k.agent_id AND a.tenant_id = e.tenant_id \
             WHERE e.tenant_id = ? AND e.callback_id = ? AND e.type = 'callback.attempt' \
             ORDER BY e.at_ms, e.seq",
            &[tenant_id.into(), id.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Attempt {
                at_ms: r.i64(0)?,
                result: r.text(1)?,
                agent_login: r.opt_text(2)?,
                agent_name: r.opt_text(3)?,
            })
        })
        .collect()
}
