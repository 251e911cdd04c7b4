//! The timer-driven worker (RUN-4): the `callback-worker` cron component
//! calls [`tick`] every 10 seconds; an operator runs the same tick on demand
//! (`POST /api/operator/worker/tick`) and tests call [`tick_with`].
//!
//! A tick brings the schema up to date, then runs its [`STEPS`] in order —
//! `callbacks.rs` (CB-2, CB-3: settle outcomes, expire, claim with a lease,
//! dial), `housekeeping.rs` (CB-5); the statistics roll-up (CB-4) is one more
//! entry in that list — and records when it ran and what each step did
//! (`worker_state`, read by [`status`]). Each step is bounded in batch size
//! and time ([`Limits`]), so a tick stays well inside the 10 s schedule; a
//! step that fails is reported and logged, and the next step runs.

pub mod callbacks;
pub mod housekeeping;
pub mod provider;
pub mod step;

pub use step::{Counts, Limits, StepFn, TickCx};

pub mod rollup;

use crate::runtime::host::Host;
use crate::runtime::schema;
use provider::{HttpProvider, Provider};
use serde::{Deserialize, Serialize};
use std::time::Instant;
use switchboard_storage::{KeyValue, Sql, StorageError};

/// The tick's steps, in order: callbacks (CB-2/3), the statistics roll-up
/// (CB-4), housekeeping (CB-5).
pub const STEPS: &[(&str, StepFn)] = &[
    ("callbacks", callbacks::run),
    ("rollup", rollup::step),
    ("housekeeping", housekeeping::run),
];

/// One step's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    pub name: String,
    pub duration_ms: u64,
    #[serde(flatten)]
    pub counts: Counts,
    /// The step's own failure, if it stopped.
    pub failed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TickReport {
    pub schema_version: i64,
    pub at: String,
    pub worker: String,
    pub duration_ms: u64,
    pub steps: Vec<StepReport>,
}

impl TickReport {
    /// A count summed over the steps.
    pub fn count(&self, name: &str) -> i64 {
        self.steps.iter().map(|s| s.counts.get(name)).sum()
    }
}

/// The tick the cron component runs: the provider is the runtime's
/// outbound HTTP to `provider_api_url`, when both are there.
pub async fn tick(host: &Host) -> Result<TickReport, StorageError> {
    let config = host.config().await;
    let provider = match (&host.http, config.provider_api_url.trim()) {
        (Some(client), base)
            if !base.is_empty() && base != crate::runtime::config::PROVIDER_API_UNSET =>
        {
            Some(HttpProvider {
                client: client.clone(),
                base: base.to_owned(),
                token: config.provider_api_token.clone(),
            })
        }
        _ => None,
    };
    tick_with(
        host,
        provider.as_ref().map(|p| p as &dyn Provider),
        Limits::default(),
    )
    .await
}

/// A tick with the given provider and limits (tests).
pub async fn tick_with(
    host: &Host,
    provider: Option<&dyn Provider>,
    limits: Limits,
) -> Result<TickReport, StorageError> {
    let config = host.config().await;
    run_tick(
        host.db.as_ref(),
        host.kv.as_ref(),
        config.session_lifetime_minutes,
        host.now(),
        provider,
        limits,
    )
    .await
}

/// The tick itself, on the stores it is given (the cron component's host,
/// or the operator's on-demand request).
pub async fn run_tick(
    db: &dyn Sql,
    kv: &dyn KeyValue,
    session_lifetime_minutes: i64,
    now: jiff::Timestamp,
    provider: Option<&dyn Provider>,
    limits: Limits,
) -> Result<TickReport, StorageError> {
    let started = Instant::now();
    let schema_version = schema::migrate(db).await?;
    let cx = TickCx {
        db,
        kv,
        session_lifetime_minutes,
        now,
        provider,
        worker: format!("w-{}", crate::random::hex_token(6)?),
        now_ms: now.as_millisecond(),
        limits,
        started,
    };
    let mut steps = Vec::with_capacity(STEPS.len());
    for (name, step) in STEPS {
        let t = Instant::now();
        let (counts, failed) = match step(&cx).await {
            Ok(c) => (c, None),
            Err(e) => {
                eprintln!("worker: step {name} failed: {e}");
                (Counts::default(), Some(e.to_string()))
            }
        };
        steps.push(StepReport {
            name: (*name).to_owned(),
            duration_ms: u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX),
            counts,
            failed,
        });
    }
    let report = TickReport {
        schema_version,
        at: now.to_string(),
        worker: cx.worker.clone(),
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        steps,
    };
    let json = serde_json::to_string(&report).map_err(|e| StorageError::new(e.to_string()))?;
    db.execute(
            "INSERT INTO worker_state (id, last_tick, report) VALUES (1, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET last_tick = excluded.last_tick, report = excluded.report",
            &[report.at.clone().into(), json.into()],
        )
        .await?;
    Ok(report)
}

/// When the worker last ran, if ever.
pub async fn last_tick(db: &dyn Sql) -> Result<Option<String>, StorageError> {
    let row = db
        .query_row("SELECT last_tick FROM worker_state WHERE id = 1", &[])
        .await?;
    row.map(|r| r.text(0)).transpose()
}

/// A worker is stalled when its last tick is older than this (six missed
/// 10-second ticks).
pub const STALLED_AFTER_SECS: i64 = 60;

/// The worker as the operator (and the dashboard's stalled warning) sees
/// it: the last tick, its steps' durations and counts, and whether it is
/// stalled at `now`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub last_tick: Option<String>,
    pub stalled: bool,
    pub last_report: Option<TickReport>,
}

pub async fn status(db: &dyn Sql, now: jiff::Timestamp) -> Result<Status, StorageError> {
    let row = db
        .query_row(
            "SELECT last_tick, report FROM worker_state WHERE id = 1",
            &[],
        )
        .await?;
    let (last_tick, report) = match row {
        Some(r) => (Some(r.text(0)?), r.opt_text(1)?),
        None => (None, None),
    };
    let stalled = match last_tick.as_deref().map(str::parse::<jiff::Timestamp>) {
        Some(Ok(t)) => now.as_second() - t.as_second() > STALLED_AFTER_SECS,
        _ => true,
    };
    Ok(Status {
        last_tick,
        stalled,
        last_report: report.and_then(|j| serde_json::from_str(&j).ok()),
    })
}
