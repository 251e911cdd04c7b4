//! A queue's SLA targets in SQL (`queue_targets`, one row per agent-connect
//! menu; every target optional). Removed with the menu (a trigger).

use crate::time::fmt_utc;
use serde::{Deserialize, Serialize};
use switchboard_storage::{Row, Sql, StorageError};

/// What a queue aims for: answer rate and service level (percent), and the
/// alarms for callers waiting and the longest current wait.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targets {
    pub answer_rate_pct: Option<i64>,
    pub service_level_pct: Option<i64>,
    pub waiting_max: Option<i64>,
    pub longest_wait_seconds: Option<i64>,
}

fn from_row(r: &Row, at: usize) -> Result<Targets, StorageError> {
    Ok(Targets {
        answer_rate_pct: r.opt_i64(at)?,
        service_level_pct: r.opt_i64(at + 1)?,
        waiting_max: r.opt_i64(at + 2)?,
        longest_wait_seconds: r.opt_i64(at + 3)?,
    })
}

/// Every queue's targets of the tenant, by menu ID.
pub async fn list(db: &dyn Sql, tenant_id: i64) -> Result<Vec<(i64, Targets)>, StorageError> {
    db.query(
        "SELECT menu_id, answer_rate_pct, service_level_pct, waiting_max, longest_wait_seconds \
         FROM queue_targets WHERE tenant_id = ? ORDER BY menu_id",
        &[tenant_id.into()],
    )
    .await?
    .iter()
    .map(|r| Ok((r.i64(0)?, from_row(r, 1)?)))
    .collect()
}

/// One queue's targets (all `None` when never set).
pub async fn get(db: &dyn Sql, tenant_id: i64, menu_id: i64) -> Result<Targets, StorageError> {
    Ok(db
        .query_row(
            "SELECT answer_rate_pct, service_level_pct, waiting_max, longest_wait_seconds \
             FROM queue_targets WHERE tenant_id = ? AND menu_id = ?",
            &[tenant_id.into(), menu_id.into()],
        )
        .await?
        .map(|r| from_row(&r, 0))
        .transpose()?
        .unwrap_or_default())
}

/// Replaces the targets of menu `menu_id` (the caller checked it is the
/// tenant's agent-connect menu).
pub async fn save(
    db: &dyn Sql,
    tenant_id: i64,
    menu_id: i64,
    t: &Targets,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    db.execute(
        "INSERT INTO queue_targets (menu_id, tenant_id, answer_rate_pct, service_level_pct, \
         waiting_max, longest_wait_seconds, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (menu_id) DO UPDATE SET answer_rate_pct = excluded.answer_rate_pct, \
         service_level_pct = excluded.service_level_pct, waiting_max = excluded.waiting_max, \
         longest_wait_seconds = excluded.longest_wait_seconds, updated_at = excluded.updated_at",
        &[
            menu_id.into(),
            tenant_id.into(),
            t.answer_rate_pct.into(),
            t.service_level_pct.into(),
            t.waiting_max.into(),
            t.longest_wait_seconds.into(),
            fmt_utc(now).into(),
        ],
    )
    .await?;
    Ok(())
}
