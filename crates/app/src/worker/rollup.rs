//! The statistics roll-up (CB-4): the worker's tick calls [`run`], which
//! fills the hourly buckets of `migrations/0015_statistics_rollup.sql` from
//! the watermark `rollup_state.rolled_until_ms`.
//!
//! One run
//! 1. recomputes the hours before the watermark that changed since they were
//!    rolled up (`rollup_dirty`, written by triggers: a late or reordered
//!    event, a call closed as lost, a consultation saved), at most
//!    [`Budget::dirty`] marks — except hours before the tenant's retention
//!    horizon (`records::retention`): their records may be deleted, so the
//!    bucket rolled while they were complete stays, and the mark is dropped;
//! 2. rolls complete hours from the watermark on, at most [`Budget::hours`]
//!    of them, so a long downtime is caught up in bounded steps (the report
//!    says whether it is still behind).
//!
//! A bucket is always recomputed from its records (delete the tenant's
//! hours, insert the GROUP BY of `reports::stats`, which counts with
//! `reports::metrics`), never added to: running twice changes nothing. Each
//! tenant's hours are one transaction together with the watermark or the
//! marks they clear, so a failed run leaves the previous state. The cost of
//! a run is the records of the hours it rolls, not the history.

use crate::reports::metrics::DEFAULT_SL_THRESHOLD_SECONDS;
use crate::reports::stats::{HOUR_MS, ROLLED_SUMS, calls_select, states_select, types_select};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use switchboard_storage::{Sql, Statement, StorageError, Value};

/// How much one run may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Complete hours rolled past the watermark per run.
    pub hours: i64,
    /// Change marks (`rollup_dirty` rows) handled per run.
    pub dirty: i64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            hours: 24,
            dirty: 500,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RollupReport {
    /// Hours rolled past the watermark.
    pub hours_rolled: i64,
    /// Tenant-hours recomputed because they changed after being rolled.
    pub hours_recomputed: i64,
    /// The watermark after the run.
    pub rolled_until_ms: i64,
    /// Complete hours still waiting (a later run continues).
    pub hours_behind: i64,
    /// Change marks still waiting.
    pub dirty_left: i64,
}

const QUEUE_COLS: &str = "tenant_id, hour_ms, digit, menu_id, total_inbound, offered, answered, \
    abandoned, callbacks, answered_within, wait_answered_ms, wait_abandoned_ms, longest_wait_ms, \
    talk_ms, talked, outbound, internal, wait_h0, wait_h1, wait_h2, wait_h3, wait_h4, abandon_h0, \
    abandon_h1, abandon_h2, abandon_h3, abandon_h4, callbacks_handled";

/// The statements that recompute tenant `tenant_id`'s hours `[from_ms,
/// to_ms)` (both whole hours, before `now_ms`).
fn recompute(
    tenant_id: i64,
    threshold_seconds: i64,
    from_ms: i64,
    to_ms: i64,
    now_ms: i64,
) -> Vec<Statement> {
    let range = || -> Vec<Value> { vec![tenant_id.into(), from_ms.into(), to_ms.into()] };
    let calls = || -> Vec<Value> {
        vec![
            (threshold_seconds * 1000).into(),
            tenant_id.into(),
            from_ms.into(),
            to_ms.into(),
        ]
    };
    let mut states = calls();
    states.push(now_ms.into());
    let agent_cols = QUEUE_COLS.replacen("hour_ms, ", "hour_ms, agent_id, ", 1);
    let mut out = Vec::with_capacity(8);
    for table in [
        "stat_hour_queue",
        "stat_hour_agent",
        "stat_hour_state",
        "stat_hour_type",
    ] {
        out.push(Statement::new(
            format!("DELETE FROM {table} WHERE tenant_id = ?1 AND hour_ms >= ?2 AND hour_ms < ?3"),
            range(),
        ));
    }
    // The calls are read once, per agent and queue; the per-queue table is
    // that table summed over the agents (every figure adds up; the longest
    // wait by maximum).
    out.push(Statement::new(
        format!(
            "INSERT INTO stat_hour_agent ({agent_cols}) {}",
            calls_select(true, HOUR_MS)
        ),
        calls(),
    ));
    out.push(Statement::new(
        format!(
            "INSERT INTO stat_hour_queue ({QUEUE_COLS}) SELECT h.tenant_id, h.hour_ms, h.digit, \
             h.menu_id, {ROLLED_SUMS} FROM stat_hour_agent h WHERE h.tenant_id = ?1 AND h.hour_ms >= ?2 \
             AND h.hour_ms < ?3 GROUP BY h.hour_ms, h.digit, h.menu_id"
        ),
        range(),
    ));
    out.push(Statement::new(
        format!(
            "INSERT INTO stat_hour_state (tenant_id, hour_ms, agent_id, state, duration_ms, entries, missed) {}",
            states_select(HOUR_MS)
        ),
        states,
    ));
    out.push(Statement::new(
        format!(
            "INSERT INTO stat_hour_type (tenant_id, hour_ms, type_id, agent_id, consultations) {}",
            types_select(HOUR_MS)
        ),
        calls(),
    ));
    out
}

async fn thresholds(db: &dyn Sql) -> Result<BTreeMap<i64, i64>, StorageError> {
    let rows = db
        .query(
            "SELECT t.id, COALESCE(s.threshold_seconds, ?1) FROM tenants t \
             LEFT JOIN service_level_settings s ON s.tenant_id = t.id ORDER BY t.id",
            &[DEFAULT_SL_THRESHOLD_SECONDS.into()],
        )
        .await?;
    rows.iter().map(|r| Ok((r.i64(0)?, r.i64(1)?))).collect()
}

fn floor_hour(ms: i64) -> i64 {
    ms.div_euclid(HOUR_MS) * HOUR_MS
}

/// Where a first run starts: the hour of the earliest record, or the
/// current hour when there is none.
async fn first_watermark(db: &dyn Sql, current_hour: i64) -> Result<i64, StorageError> {
    let mut min: Option<i64> = None;
    for q in [
        "SELECT MIN(started_ms) FROM calls",
        "SELECT MIN(started_ms) FROM agent_states",
        "SELECT MIN(created_ms) FROM consultations",
    ] {
        if let Some(m) = db
            .query_row(q, &[])
            .await?
            .map(|r| r.opt_i64(0))
            .transpose()?
            .flatten()
        {
            min = Some(min.map_or(m, |x: i64| x.min(m)));
        }
    }
    Ok(min.map_or(current_hour, |m| floor_hour(m).min(current_hour)))
}

/// One roll-up run at `now` within `budget`.
pub async fn run(
    db: &dyn Sql,
    now: jiff::Timestamp,
    budget: Budget,
) -> Result<RollupReport, StorageError> {
    let now_ms = now.as_millisecond();
    let current_hour = floor_hour(now_ms);
    let mark = match crate::reports::stats::watermark(db).await? {
        Some(m) => m,
        None => {
            let start = first_watermark(db, current_hour).await?;
            db.execute(
                "INSERT INTO rollup_state (id, rolled_until_ms, updated_ms) VALUES (1, ?1, ?2) \
                 ON CONFLICT (id) DO NOTHING",
                &[start.into(), now_ms.into()],
            )
            .await?;
            crate::reports::stats::watermark(db).await?.unwrap_or(start)
        }
    };
    let thresholds = thresholds(db).await?;
    let threshold = |t: i64| {
        thresholds
            .get(&t)
            .copied()
            .unwrap_or(DEFAULT_SL_THRESHOLD_SECONDS)
    };
    let mut report = RollupReport::default();

    // 1. Hours that changed after they were rolled.
    let marks = db
        .query(
            "SELECT tenant_id, from_ms, to_ms FROM rollup_dirty ORDER BY tenant_id, from_ms LIMIT ?1",
            &[budget.dirty.into()],
        )
        .await?;
    let purged: BTreeMap<i64, i64> = crate::records::retention::purged_until(db)
        .await?
        .into_iter()
        .collect();
    let mut by_tenant: BTreeMap<i64, (BTreeSet<i64>, Vec<Statement>)> = BTreeMap::new();
    for r in marks.iter() {
        let (tenant, from, to) = (r.i64(0)?, r.i64(1)?, r.i64(2)?);
        let entry = by_tenant.entry(tenant).or_default();
        let mut h = floor_hour(from).max(purged.get(&tenant).copied().unwrap_or(i64::MIN));
        while h < to.min(mark) {
            entry.0.insert(h);
            h += HOUR_MS;
        }
        entry.1.push(Statement::new(
            "DELETE FROM rollup_dirty WHERE tenant_id = ?1 AND from_ms = ?2 AND to_ms = ?3",
            vec![tenant.into(), from.into(), to.into()],
        ));
    }
    for (tenant, (hours, clear)) in by_tenant {
        let mut statements = Vec::new();
        // Runs of consecutive hours, one recomputation each.
        let mut run_start: Option<(i64, i64)> = None;
        for &h in &hours {
            run_start = match run_start {
                Some((a, b)) if b == h => Some((a, h + HOUR_MS)),
                Some((a, b)) => {
                    statements.extend(recompute(tenant, threshold(tenant), a, b, now_ms));
                    Some((h, h + HOUR_MS))
                }
                None => Some((h, h + HOUR_MS)),
            };
        }
        if let Some((a, b)) = run_start {
            statements.extend(recompute(tenant, threshold(tenant), a, b, now_ms));
        }
        statements.extend(clear);
        db.batch(&statements).await?;
        report.hours_recomputed += i64::try_from(hours.len()).unwrap_or(i64::MAX);
    }

    // 2. Complete hours past the watermark.
    let until = current_hour.min(mark + budget.hours.max(0) * HOUR_MS);
    if until > mark {
        let mut statements = Vec::new();
        for (&tenant, &t) in &thresholds {
            statements.extend(recompute(tenant, t, mark, until, now_ms));
        }
        statements.push(Statement::new(
            "UPDATE rollup_state SET rolled_until_ms = ?1, updated_ms = ?2 WHERE id = 1",
            vec![until.into(), now_ms.into()],
        ));
        db.batch(&statements).await?;
        report.hours_rolled = (until - mark) / HOUR_MS;
    }
    report.rolled_until_ms = until.max(mark);
    report.hours_behind = (current_hour - report.rolled_until_ms).max(0) / HOUR_MS;
    report.dirty_left = db
        .query_row("SELECT COUNT(*) FROM rollup_dirty", &[])
        .await?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(0);
    Ok(report)
}

/// The roll-up as a step of the worker's tick (RUN-4): one bounded
/// [`run`] with the default [`Budget`], its figures as the step's counts.
pub fn step<'a>(
    cx: &'a super::step::TickCx<'a>,
) -> switchboard_storage::BoxFuture<'a, Result<super::step::Counts, StorageError>> {
    Box::pin(async move {
        let report = run(cx.db, cx.now, Budget::default()).await?;
        let mut c = super::step::Counts::default();
        c.add("hours_rolled", report.hours_rolled);
        c.add("hours_recomputed", report.hours_recomputed);
        c.add("hours_behind", report.hours_behind);
        Ok(c)
    })
}
