//! Retention (CB-5): each tenant's setting (`retention_settings`, the
//! default of [`RetentionDays`] until saved) and the deletion of its
//! records past it, in bounded batches (`migrations/0017_retention.sql`).
//!
//! What the statistics still need is never deleted: a tenant's records are
//! deleted only before its *horizon*, the earliest of
//! - now minus its retention,
//! - the roll-up's watermark (`rollup_state.rolled_until_ms`: hours before
//!   it are in the hourly buckets; nothing is deleted before the first
//!   roll-up),
//! - the earliest hour of its records still marked to be recomputed
//!   (`rollup_dirty`),
//!
//! cut down to a whole hour. The horizon is written (`retention_state`)
//! before anything is deleted, and the roll-up never recomputes an hour
//! before it: those buckets stay as they were rolled. The work history
//! (AUD-1) is not deleted here: it is the append-only record of what admins
//! did.

use crate::time::fmt_utc;
use switchboard_domain::RetentionDays;
use switchboard_storage::{Sql, Statement, StorageError};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// The tenant's retention; the default until it saves one.
pub async fn days(db: &dyn Sql, tenant_id: i64) -> Result<RetentionDays, StorageError> {
    let row = db
        .query_row(
            "SELECT days FROM retention_settings WHERE tenant_id = ?",
            &[tenant_id.into()],
        )
        .await?;
    match row {
        None => Ok(RetentionDays::default()),
        Some(r) => RetentionDays::new(r.i64(0)?)
            .map_err(|e| StorageError::new(format!("stored retention: {e}"))),
    }
}

/// Whether the tenant saved a retention of its own.
pub async fn saved(db: &dyn Sql, tenant_id: i64) -> Result<bool, StorageError> {
    Ok(db
        .query_row(
            "SELECT 1 FROM retention_settings WHERE tenant_id = ?",
            &[tenant_id.into()],
        )
        .await?
        .is_some())
}

pub async fn save(
    db: &dyn Sql,
    tenant_id: i64,
    days: RetentionDays,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    db.execute(
        "INSERT INTO retention_settings (tenant_id, days, updated_at) VALUES (?, ?, ?) \
         ON CONFLICT (tenant_id) DO UPDATE SET days = excluded.days, updated_at = excluded.updated_at",
        &[tenant_id.into(), days.days().into(), fmt_utc(now).into()],
    )
    .await?;
    Ok(())
}

/// Every tenant with its retention in days.
pub async fn all(db: &dyn Sql) -> Result<Vec<(i64, i64)>, StorageError> {
    let rows = db
        .query(
            "SELECT t.id, COALESCE(r.days, ?) FROM tenants t \
             LEFT JOIN retention_settings r ON r.tenant_id = t.id ORDER BY t.id",
            &[RetentionDays::default().days().into()],
        )
        .await?;
    rows.iter().map(|r| Ok((r.i64(0)?, r.i64(1)?))).collect()
}

/// How far each tenant's records may have been deleted (the roll-up never
/// recomputes an hour before it).
pub async fn purged_until(db: &dyn Sql) -> Result<Vec<(i64, i64)>, StorageError> {
    let rows = db
        .query(
            "SELECT tenant_id, purged_until_ms FROM retention_state",
            &[],
        )
        .await?;
    rows.iter().map(|r| Ok((r.i64(0)?, r.i64(1)?))).collect()
}

/// The tenant's horizon at `now_ms` for `days` of retention (see the
/// module's documentation); `None` before the first roll-up.
pub async fn horizon(
    db: &dyn Sql,
    tenant_id: i64,
    days: i64,
    now_ms: i64,
) -> Result<Option<i64>, StorageError> {
    let Some(row) = db
        .query_row(
            "SELECT s.rolled_until_ms, (SELECT MIN(d.from_ms) FROM rollup_dirty d WHERE d.tenant_id = ?1) \
             FROM rollup_state s WHERE s.id = 1",
            &[tenant_id.into()],
        )
        .await?
    else {
        return Ok(None);
    };
    let mut h = (now_ms - days.saturating_mul(DAY_MS)).min(row.i64(0)?);
    if let Some(dirty) = row.opt_i64(1)? {
        h = h.min(dirty);
    }
    Ok(Some(h.div_euclid(HOUR_MS) * HOUR_MS))
}

/// Whether the tenant has anything older than `horizon_ms` to delete: one
/// read of each table's oldest entries (by index), so a tick with nothing
/// to delete writes nothing (every write is a commit).
pub async fn due(db: &dyn Sql, tenant_id: i64, horizon_ms: i64) -> Result<bool, StorageError> {
    let row = db
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM callbacks WHERE tenant_id = ?1 AND status <> 'requested' \
                              AND requested_ms < ?2) \
                 OR EXISTS (SELECT 1 FROM recordings WHERE tenant_id = ?1 AND at_ms < ?2) \
                 OR EXISTS (SELECT 1 FROM consultations WHERE tenant_id = ?1 AND created_ms < ?2) \
                 OR EXISTS (SELECT 1 FROM calls INDEXED BY calls_started WHERE tenant_id = ?1 \
                              AND started_ms < ?2 AND live IS NULL) \
                 OR EXISTS (SELECT 1 FROM agent_sessions WHERE tenant_id = ?1 AND login_ms < ?2 \
                              AND logout_ms IS NOT NULL AND logout_ms < ?2) \
                 OR EXISTS (SELECT 1 FROM agent_states WHERE tenant_id = ?1 \
                              AND COALESCE(ended_ms, 9223372036854775807) < ?2) \
                 OR COALESCE((SELECT received_ms FROM telephony_events WHERE tenant_id = ?1 \
                     ORDER BY seq LIMIT 1) < ?2, 0)",
            &[tenant_id.into(), horizon_ms.into()],
        )
        .await?;
    Ok(row
        .map(|r| r.opt_i64(0))
        .transpose()?
        .flatten()
        .unwrap_or(0)
        != 0)
}

/// Deletes up to `batch` rows of each of the tenant's record tables older
/// than `horizon_ms` (an hour start), after recording the horizon. Returns
/// (records deleted, events deleted).
pub async fn purge(
    db: &dyn Sql,
    tenant_id: i64,
    horizon_ms: i64,
    batch: i64,
) -> Result<(i64, i64), StorageError> {
    db.execute(
        "INSERT INTO retention_state (tenant_id, purged_until_ms) VALUES (?1, ?2) \
         ON CONFLICT (tenant_id) DO UPDATE SET \
         purged_until_ms = MAX(purged_until_ms, excluded.purged_until_ms)",
        &[tenant_id.into(), horizon_ms.into()],
    )
    .await?;
    let p = || vec![tenant_id.into(), horizon_ms.into(), batch.into()];
    // A finished callback request goes with its attempts and transitions,
    // in one transaction; the same rows are chosen by the same ordered scan.
    let done = "SELECT id FROM callbacks WHERE tenant_id = ?1 AND status <> 'requested' \
                AND requested_ms < ?2 ORDER BY requested_ms, id LIMIT ?3";
    let before = count(db, tenant_id, horizon_ms, batch, done).await?;
    db.batch(&[
        Statement::new(
            format!("DELETE FROM callback_attempts WHERE callback_id IN ({done})"),
            p(),
        ),
        Statement::new(
            format!("DELETE FROM callback_transitions WHERE callback_id IN ({done})"),
            p(),
        ),
        Statement::new(format!("DELETE FROM callbacks WHERE id IN ({done})"), p()),
    ])
    .await?;
    let mut records = before;
    for sql in [
        "DELETE FROM recordings WHERE id IN (SELECT id FROM recordings \
         WHERE tenant_id = ?1 AND at_ms < ?2 LIMIT ?3) RETURNING id",
        "DELETE FROM consultations WHERE id IN (SELECT id FROM consultations \
         WHERE tenant_id = ?1 AND created_ms < ?2 LIMIT ?3) RETURNING id",
        "DELETE FROM calls WHERE id IN (SELECT id FROM calls INDEXED BY calls_started \
         WHERE tenant_id = ?1 AND started_ms < ?2 AND live IS NULL LIMIT ?3) RETURNING id",
        "DELETE FROM agent_sessions WHERE id IN (SELECT id FROM agent_sessions \
         WHERE tenant_id = ?1 AND login_ms < ?2 AND logout_ms IS NOT NULL AND logout_ms < ?2 \
         LIMIT ?3) RETURNING id",
        "DELETE FROM agent_states WHERE id IN (SELECT id FROM agent_states \
         WHERE tenant_id = ?1 AND COALESCE(ended_ms, 9223372036854775807) < ?2 LIMIT ?3) \
         RETURNING id",
        // The call flow's steps (TEL-3), kept for the calls' timelines.
        "DELETE FROM call_flow_steps WHERE id IN (SELECT id FROM call_flow_steps \
         WHERE tenant_id = ?1 AND at_ms < ?2 LIMIT ?3) RETURNING id",
    ] {
        records += len(db.query(sql, &p()).await?.len());
    }
    // Consultations deleted above marked their hours to be recomputed; the
    // roll-up would drop those marks (before the horizon), and they would
    // hold the next horizon back: they go now.
    db.execute(
        "DELETE FROM rollup_dirty WHERE tenant_id = ?1 AND to_ms <= ?2",
        &[tenant_id.into(), horizon_ms.into()],
    )
    .await?;
    // The oldest events first: `seq` grows with the time they were received,
    // so looking at the oldest `batch` of them is enough (and bounded).
    let events = db
        .query(
            "DELETE FROM telephony_events WHERE seq IN (SELECT seq FROM \
             (SELECT seq, received_ms FROM telephony_events WHERE tenant_id = ?1 \
              ORDER BY seq LIMIT ?3) WHERE received_ms < ?2) RETURNING seq",
            &p(),
        )
        .await?;
    Ok((records, len(events.len())))
}

/// Events that reached no tenant (an unknown number), older than the
/// default retention.
pub async fn purge_unrouted(db: &dyn Sql, now_ms: i64, batch: i64) -> Result<i64, StorageError> {
    let before = now_ms - RetentionDays::default().days() * DAY_MS;
    if db
        .query_row(
            "SELECT 1 FROM telephony_events WHERE tenant_id IS NULL AND received_ms < ? LIMIT 1",
            &[before.into()],
        )
        .await?
        .is_none()
    {
        return Ok(0);
    }
    let rows = db
        .query(
            "DELETE FROM telephony_events WHERE seq IN (SELECT seq FROM telephony_events \
             WHERE tenant_id IS NULL AND received_ms < ? LIMIT ?) RETURNING seq",
            &[before.into(), batch.into()],
        )
        .await?;
    Ok(len(rows.len()))
}

async fn count(
    db: &dyn Sql,
    tenant_id: i64,
    horizon_ms: i64,
    batch: i64,
    select: &str,
) -> Result<i64, StorageError> {
    Ok(db
        .query_row(
            &format!("SELECT COUNT(*) FROM ({select})"),
            &[tenant_id.into(), horizon_ms.into(), batch.into()],
        )
        .await?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(0))
}

fn len(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
