//! What every step of the tick is given ([`TickCx`]), what it may do
//! ([`Limits`]) and what it reports ([`Counts`]). A step is a [`StepFn`]
//! listed in `super::STEPS`.

use super::provider::Provider;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Instant;
use switchboard_storage::{BoxFuture, KeyValue, Sql, StorageError};

/// How much one tick may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Requests one tick dials at most.
    pub dial_batch: i64,
    /// A step starts no new unit of work (a dial, a batch) past this many
    /// milliseconds since the tick began.
    pub budget_ms: u128,
    /// How long a claim holds a request: longer than a whole tick.
    pub lease_ms: i64,
    /// An accepted dial whose outcome has not been reported after this
    /// long is settled as `no_report`.
    pub report_limit_ms: i64,
    /// A live call with no event for this long is closed as `lost`.
    pub lost_after_ms: i64,
    /// Rows one housekeeping statement deletes at most.
    pub cleanup_batch: i64,
    /// A provider-reported agent session with nothing heard of its agent
    /// for this long is logged out at the time it was last seen.
    pub agent_silent_ms: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            dial_batch: 50,
            budget_ms: 6_000,
            lease_ms: 60_000,
            report_limit_ms: 2 * 3_600_000,
            lost_after_ms: 3 * 3_600_000,
            cleanup_batch: 5_000,
            agent_silent_ms: 12 * 3_600_000,
        }
    }
}

/// What one tick is given.
pub struct TickCx<'a> {
    pub db: &'a dyn Sql,
    pub kv: &'a dyn KeyValue,
    /// The admin session and agent token idle lifetime, in minutes.
    pub session_lifetime_minutes: i64,
    pub now: jiff::Timestamp,
    /// `None`: no provider configured; callbacks wait.
    pub provider: Option<&'a dyn Provider>,
    /// This tick's worker ID (what `claimed_by` holds).
    pub worker: String,
    pub now_ms: i64,
    pub limits: Limits,
    pub started: Instant,
}

impl TickCx<'_> {
    /// Whether the step may start another unit of work.
    pub fn in_budget(&self) -> bool {
        self.started.elapsed().as_millis() < self.limits.budget_ms
    }
}

/// What a step did: named counts, and the failures it stepped over (one
/// tenant's, one request's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub counts: BTreeMap<String, i64>,
    pub errors: Vec<String>,
}

impl Counts {
    pub fn add(&mut self, name: &str, n: i64) {
        *self.counts.entry(name.to_owned()).or_insert(0) += n;
    }
    pub fn get(&self, name: &str) -> i64 {
        self.counts.get(name).copied().unwrap_or(0)
    }
    pub fn error(&mut self, what: String) {
        eprintln!("worker: {what}");
        self.errors.push(what);
    }
}

/// A step of the tick.
pub type StepFn = for<'a> fn(&'a TickCx<'a>) -> BoxFuture<'a, Result<Counts, StorageError>>;
