//! The call flow's steps in SQL (TEL-3, HIST-1): what the engine decided for
//! a call, kept for the call's timeline. Migration 0021 also lets the first
//! step's `hours` classify the call.

use switchboard_storage::{Sql, StorageError};

/// One decided step.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowStep<'a> {
    pub tenant_id: i64,
    pub call_id: &'a str,
    pub line: &'a str,
    pub at_ms: i64,
    pub position: String,
    pub input: String,
    pub decision: &'a str,
    pub digit: Option<u8>,
    pub queue: Option<&'a str>,
    pub hours: Option<&'a str>,
}

pub async fn record(db: &dyn Sql, s: &FlowStep<'_>) -> Result<(), StorageError> {
    db.execute(
        "INSERT INTO call_flow_steps (tenant_id, call_id, line, at_ms, position, input, decision, digit, queue, hours) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            s.tenant_id.into(),
            s.call_id.into(),
            s.line.into(),
            s.at_ms.into(),
            s.position.as_str().into(),
            s.input.as_str().into(),
            s.decision.into(),
            s.digit.map(i64::from).into(),
            s.queue.into(),
            s.hours.into(),
        ],
    )
    .await?;
    Ok(())
}

/// How many steps a call has had: bounds a call that loops for ever.
pub async fn count(db: &dyn Sql, tenant_id: i64, call_id: &str) -> Result<i64, StorageError> {
    let row = db
        .query_row(
            "SELECT COUNT(*) FROM call_flow_steps WHERE tenant_id = ? AND call_id = ?",
            &[tenant_id.into(), call_id.into()],
        )
        .await?;
    match row {
        Some(r) => r.i64(0),
        None => Ok(0),
    }
}
