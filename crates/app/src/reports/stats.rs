//! The statistics read model (SPEC section 4, STAT-1..6; issue 17).
//!
//! Figures come from two places that count with the same SQL
//! (`reports::metrics`): the hourly roll-up (`stat_hour_*`, filled by
//! `worker::rollup`) for every hour before its watermark, and the records
//! themselves (`calls`, `agent_states`, `consultations`, in quarter-hour
//! buckets) for the rest — the current hour, or everything for a time zone
//! whose offset is not a whole number of hours. So today's statistics are
//! the dashboard's figures to the call.
//!
//! A [`Cube`] holds the buckets of a window; each report ([`Report`])
//! groups it by period (hour / day / month in the tenant's zone) and its
//! key (queue, consultation type, agent). [`build`] has SQLite sum the
//! rolled-up hours per period and key ([`rolled_queries`]: a 31-day request
//! by day reads 31 rows per key, not 744) and reads only the tables its
//! report shows; [`cube`] reads the hours themselves (the roll-up's tests
//! compare them with the records).

use super::metrics::{self, BUCKET_MS, COUNTS_SQL, Counts, HISTOGRAM_SQL, counts_from};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use switchboard_storage::{Row, Sql, StorageError, Value};

/// One roll-up bucket.
pub const HOUR_MS: i64 = 3_600_000;

/// The agent states of STAT-6, in the order of its columns.
pub const STATES: [&str; 7] = [
    "ready",
    "away",
    "after_call_work",
    "dialing",
    "ringing",
    "on_call",
    "logged_out",
];

/// Calls of tenant `?2` started in `[?3, ?4)` by `step_ms` bucket, queue
/// (and agent): `tenant_id, bucket, [agent_id,] digit, menu_id,` the 13
/// [`Counts`] columns (threshold `?1`) and the 11 of [`HISTOGRAM_SQL`].
pub fn calls_select(by_agent: bool, step_ms: i64) -> String {
    let agent = if by_agent { "agent_id, " } else { "" };
    format!(
        "SELECT tenant_id, (started_ms / {step_ms}) * {step_ms}, {agent}digit, menu_id, \
         {COUNTS_SQL}, {HISTOGRAM_SQL} FROM calls INDEXED BY calls_started \
         WHERE tenant_id = ?2 AND started_ms >= ?3 AND started_ms < ?4 \
         GROUP BY 2, {agent}digit, menu_id"
    )
}

/// Agent state time of tenant `?2` within `[?3, ?4)` (both multiples of
/// `step_ms`) per bucket, agent and state: intervals clipped to the bucket
/// (one still open counts up to `?5`, now); how many started in it; for
/// `ringing`, how many ended without the agent going on a call (missed).
pub fn states_select(step_ms: i64) -> String {
    format!(
        "WITH RECURSIVE b(at) AS (SELECT ?3 UNION ALL SELECT at + {step_ms} FROM b WHERE at + {step_ms} < ?4), \
         s AS (SELECT tenant_id, agent, agent_id, state, started_ms, ended_ms FROM agent_states \
               WHERE tenant_id = ?2 AND started_ms < ?4 AND COALESCE(ended_ms, 9223372036854775807) > ?3) \
         SELECT s.tenant_id, b.at, s.agent_id, s.state, \
           SUM(MAX(0, MIN(COALESCE(s.ended_ms, ?5), b.at + {step_ms}) - MAX(s.started_ms, b.at))), \
           COUNT(CASE WHEN s.started_ms >= b.at THEN 1 END), \
           COUNT(CASE WHEN s.state = 'ringing' AND s.started_ms >= b.at AND s.ended_ms IS NOT NULL \
                 AND NOT EXISTS (SELECT 1 FROM agent_states n WHERE n.tenant_id = s.tenant_id \
                   AND n.agent = s.agent AND n.started_ms = s.ended_ms AND n.state = 'on_call') THEN 1 END) \
         FROM b JOIN s ON s.started_ms < b.at + {step_ms} AND COALESCE(s.ended_ms, 9223372036854775807) > b.at \
         GROUP BY b.at, s.agent_id, s.state"
    )
}

/// Consultations of tenant `?2` saved in `[?3, ?4)` per bucket, type and
/// agent.
pub fn types_select(step_ms: i64) -> String {
    format!(
        "SELECT tenant_id, (created_ms / {step_ms}) * {step_ms}, type_id, agent_id, COUNT(*) \
         FROM consultations WHERE tenant_id = ?2 AND created_ms >= ?3 AND created_ms < ?4 \
         GROUP BY 2, type_id, agent_id"
    )
}

/// The call figures of one bucket and key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallRow {
    pub bucket_ms: i64,
    pub agent_id: Option<i64>,
    pub digit: Option<i64>,
    pub menu_id: Option<i64>,
    pub counts: Counts,
    /// STAT-3: answered calls' and abandoned calls' waits in
    /// [`metrics::WAIT_BINS_MS`].
    pub wait_hist: [i64; 5],
    pub abandon_hist: [i64; 5],
    pub callbacks_handled: i64,
}

impl CallRow {
    fn read(r: &Row, by_agent: bool) -> Result<CallRow, StorageError> {
        let mut at = 1;
        let bucket_ms = r.i64(at)?;
        at += 1;
        let agent_id = if by_agent {
            at += 1;
            r.opt_i64(at - 1)?
        } else {
            None
        };
        let digit = r.opt_i64(at)?;
        let menu_id = r.opt_i64(at + 1)?;
        at += 2;
        let counts = counts_from(r, at)?;
        at += 13;
        let mut wait_hist = [0; 5];
        let mut abandon_hist = [0; 5];
        for i in 0..5 {
            wait_hist[i] = r.i64(at + i)?;
            abandon_hist[i] = r.i64(at + 5 + i)?;
        }
        Ok(CallRow {
            bucket_ms,
            agent_id,
            digit,
            menu_id,
            counts,
            wait_hist,
            abandon_hist,
            callbacks_handled: r.i64(at + 10)?,
        })
    }

    pub fn add(&mut self, o: &CallRow) {
        self.counts.add(&o.counts);
        for i in 0..5 {
            self.wait_hist[i] += o.wait_hist[i];
            self.abandon_hist[i] += o.abandon_hist[i];
        }
        self.callbacks_handled += o.callbacks_handled;
    }
}

/// Time in one state of one agent in one bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateRow {
    pub bucket_ms: i64,
    pub agent_id: Option<i64>,
    pub state: String,
    pub duration_ms: i64,
    pub entries: i64,
    pub missed: i64,
}

/// Consultations of one type by one agent in one bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRow {
    pub bucket_ms: i64,
    pub type_id: Option<i64>,
    pub agent_id: i64,
    pub consultations: i64,
}

/// Everything a window holds, in buckets (hours from the roll-up, quarter
/// hours after its watermark).
#[derive(Debug, Clone, Default)]
pub struct Cube {
    /// Per queue and agent when read with `by_agent`, else per queue.
    pub calls: Vec<CallRow>,
    pub states: Vec<StateRow>,
    pub types: Vec<TypeRow>,
    /// Where the roll-up was read up to (the rest came from the records).
    pub rolled_until_ms: i64,
}

/// The roll-up's watermark, if it ever ran.
pub async fn watermark(db: &dyn Sql) -> Result<Option<i64>, StorageError> {
    db.query_row("SELECT rolled_until_ms FROM rollup_state WHERE id = 1", &[])
        .await?
        .map(|r| r.i64(0))
        .transpose()
}

/// Whether every hour of `tz` between `from_ms` and `to_ms` starts on a
/// UTC hour (so hourly buckets are the zone's hours).
pub fn whole_hour_zone(tz: &TimeZone, from_ms: i64, to_ms: i64) -> bool {
    [from_ms, to_ms - 1].iter().all(|&ms| {
        Timestamp::from_millisecond(ms)
            .map(|t| tz.to_offset(t).seconds() % 3600 == 0)
            .unwrap_or(false)
    })
}

/// Reads the cube of tenant `tenant_id` for `[from_ms, to_ms)`.
pub async fn cube(
    db: &dyn Sql,
    tenant_id: i64,
    tz: &TimeZone,
    window: metrics::Window,
    now_ms: i64,
    by_agent: bool,
    threshold_seconds: i64,
) -> Result<Cube, StorageError> {
    let (from_ms, to_ms) = (window.from_ms, window.to_ms);
    let mark = watermark(db).await?.unwrap_or(i64::MIN);
    let split = if whole_hour_zone(tz, from_ms, to_ms) {
        mark.clamp(from_ms, to_ms)
    } else {
        from_ms
    };
    let mut cube = Cube {
        rolled_until_ms: split,
        ..Cube::default()
    };
    if split > from_ms {
        let table = if by_agent {
            "stat_hour_agent"
        } else {
            "stat_hour_queue"
        };
        let agent = if by_agent { "agent_id, " } else { "" };
        let q = format!(
            "SELECT tenant_id, hour_ms, {agent}digit, menu_id, total_inbound, offered, answered, abandoned, \
             callbacks, answered_within, wait_answered_ms, wait_abandoned_ms, longest_wait_ms, talk_ms, \
             talked, outbound, internal, wait_h0, wait_h1, wait_h2, wait_h3, wait_h4, abandon_h0, \
             abandon_h1, abandon_h2, abandon_h3, abandon_h4, callbacks_handled FROM {table} \
             WHERE tenant_id = ?1 AND hour_ms >= ?2 AND hour_ms < ?3"
        );
        let p: Vec<Value> = vec![tenant_id.into(), from_ms.into(), split.into()];
        for r in db.query(&q, &p).await?.iter() {
            cube.calls.push(CallRow::read(r, by_agent)?);
        }
        let q = "SELECT hour_ms, agent_id, state, duration_ms, entries, missed FROM stat_hour_state \
                 WHERE tenant_id = ?1 AND hour_ms >= ?2 AND hour_ms < ?3";
        for r in db.query(q, &p).await?.iter() {
            cube.states.push(state_row(r, 0)?);
        }
        let q = "SELECT hour_ms, type_id, agent_id, consultations FROM stat_hour_type \
                 WHERE tenant_id = ?1 AND hour_ms >= ?2 AND hour_ms < ?3";
        for r in db.query(q, &p).await?.iter() {
            cube.types.push(type_row(r, 0)?);
        }
    }
    if split < to_ms {
        let p: Vec<Value> = vec![
            (threshold_seconds * 1000).into(),
            tenant_id.into(),
            split.into(),
            to_ms.into(),
        ];
        for r in db
            .query(&calls_select(by_agent, BUCKET_MS), &p)
            .await?
            .iter()
        {
            cube.calls.push(CallRow::read(r, by_agent)?);
        }
        for r in db.query(&types_select(BUCKET_MS), &p).await?.iter() {
            cube.types.push(type_row(r, 1)?);
        }
        let mut p = p;
        p.push(now_ms.into());
        for r in db.query(&states_select(BUCKET_MS), &p).await?.iter() {
            cube.states.push(state_row(r, 1)?);
        }
    }
    Ok(cube)
}

fn state_row(r: &Row, at: usize) -> Result<StateRow, StorageError> {
    Ok(StateRow {
        bucket_ms: r.i64(at)?,
        agent_id: r.opt_i64(at + 1)?,
        state: r.text(at + 2)?,
        duration_ms: r.i64(at + 3)?,
        entries: r.i64(at + 4)?,
        missed: r.i64(at + 5)?,
    })
}

fn type_row(r: &Row, at: usize) -> Result<TypeRow, StorageError> {
    Ok(TypeRow {
        bucket_ms: r.i64(at)?,
        type_id: r.opt_i64(at + 1)?,
        agent_id: r.i64(at + 2)?,
        consultations: r.i64(at + 3)?,
    })
}

/// Hour, day or month of the tenant's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Hour,
    Day,
    Month,
}

/// The six tables of SPEC section 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Report {
    /// STAT-1 tenant inbound/outbound and answer rate.
    Tenant,
    /// STAT-2 per queue.
    Queues,
    /// STAT-3 waits and abandons per queue.
    Waits,
    /// STAT-4 per consultation type.
    Types,
    /// STAT-5 per agent.
    Agents,
    /// STAT-6 time per agent state.
    States,
}

impl Report {
    pub const ALL: [Report; 6] = [
        Report::Tenant,
        Report::Queues,
        Report::Waits,
        Report::Types,
        Report::Agents,
        Report::States,
    ];

    pub fn parse(s: &str) -> Option<Report> {
        Report::ALL.into_iter().find(|r| r.name() == s)
    }

    pub fn name(self) -> &'static str {
        match self {
            Report::Tenant => "tenant",
            Report::Queues => "queues",
            Report::Waits => "waits",
            Report::Types => "types",
            Report::Agents => "agents",
            Report::States => "states",
        }
    }

    /// The figures of a row, in column order: (key, kind).
    pub fn columns(self) -> Vec<(String, Kind)> {
        let c = |k: &str, kind| (k.to_owned(), kind);
        match self {
            Report::Tenant => vec![
                c("total_inbound", Kind::Count),
                c("offered", Kind::Count),
                c("answered", Kind::Count),
                c("abandoned", Kind::Count),
                c("callbacks", Kind::Count),
                c("answered_within", Kind::Count),
                c("outbound", Kind::Count),
                c("internal", Kind::Count),
                c("answer_rate", Kind::Percent),
                c("service_level", Kind::Percent),
            ],
            Report::Queues => vec![
                c("total_inbound", Kind::Count),
                c("offered", Kind::Count),
                c("answered", Kind::Count),
                c("abandoned", Kind::Count),
                c("callbacks", Kind::Count),
                c("answered_within", Kind::Count),
                c("answer_rate", Kind::Percent),
                c("service_level", Kind::Percent),
                c("average_wait_ms", Kind::Duration),
                c("average_talk_ms", Kind::Duration),
            ],
            Report::Waits => {
                let mut v = vec![
                    c("offered", Kind::Count),
                    c("answered", Kind::Count),
                    c("abandoned", Kind::Count),
                    c("average_wait_ms", Kind::Duration),
                    c("longest_wait_ms", Kind::Duration),
                    c("average_abandon_wait_ms", Kind::Duration),
                ];
                for b in BIN_NAMES {
                    v.push(c(&format!("wait_{b}"), Kind::Count));
                }
                for b in BIN_NAMES {
                    v.push(c(&format!("abandon_{b}"), Kind::Count));
                }
                v
            }
            Report::Types => vec![c("consultations", Kind::Count)],
            Report::Agents => vec![
                c("answered", Kind::Count),
                c("missed", Kind::Count),
                c("outbound", Kind::Count),
                c("talk_ms", Kind::Duration),
                c("after_call_work_ms", Kind::Duration),
                c("callbacks_handled", Kind::Count),
            ],
            Report::States => STATES
                .iter()
                .map(|s| c(&format!("{s}_ms"), Kind::Duration))
                .collect(),
        }
    }

    /// What a row is per besides its period.
    fn key(self) -> Option<&'static str> {
        match self {
            Report::Tenant => None,
            Report::Queues | Report::Waits => Some("queue"),
            Report::Types => Some("type"),
            Report::Agents | Report::States => Some("agent"),
        }
    }
}

/// The histogram bins' names, after [`metrics::WAIT_BINS_MS`].
pub const BIN_NAMES: [&str; 5] = ["0_10", "10_20", "20_30", "30_60", "60_plus"];

/// How a figure is shown and exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Count,
    /// Milliseconds, shown as 분:초.
    Duration,
    /// Percent with one decimal; `null` when the whole is empty.
    Percent,
}

/// One statistics request.
#[derive(Debug, Clone)]
pub struct Request {
    pub tenant_id: i64,
    pub tz: TimeZone,
    pub window: metrics::Window,
    pub granularity: Granularity,
    pub report: Report,
    pub queue: Option<i64>,
    pub agent: Option<i64>,
    pub now_ms: i64,
    pub threshold_seconds: i64,
}

/// One report's answer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Table {
    pub report: Report,
    pub granularity: Granularity,
    pub key: Option<&'static str>,
    pub columns: Vec<Column>,
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
    pub totals: serde_json::Map<String, serde_json::Value>,
    /// Up to where the hourly roll-up was read (the rest is live).
    pub rolled_until_ms: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Column {
    pub key: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, Default)]
struct Acc {
    call: CallRow,
    /// Per state: time, entries, missed.
    states: std::collections::BTreeMap<String, (i64, i64, i64)>,
    consultations: i64,
}

/// The start (ms) and label of the period `ms` falls in.
pub fn period(ms: i64, tz: &TimeZone, g: Granularity) -> Option<(i64, String)> {
    let z = Timestamp::from_millisecond(ms)
        .ok()?
        .to_zoned_datetime(tz.clone());
    let start = match g {
        Granularity::Hour => z
            .with()
            .minute(0)
            .second(0)
            .subsec_nanosecond(0)
            .build()
            .ok()?,
        Granularity::Day => z.start_of_day().ok()?,
        Granularity::Month => z.first_of_month().ok()?.start_of_day().ok()?,
    };
    let label = match g {
        Granularity::Hour => start.strftime("%Y-%m-%d %H:00").to_string(),
        Granularity::Day => start.strftime("%Y-%m-%d").to_string(),
        Granularity::Month => start.strftime("%Y-%m").to_string(),
    };
    Some((start.timestamp().as_millisecond(), label))
}

fn figures(report: Report, a: &Acc) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value as J;
    let c = &a.call.counts;
    let state = |s: &str| a.states.get(s).copied().unwrap_or_default();
    let mut m = serde_json::Map::new();
    let avg = |sum: i64, n: i64| -> J { if n > 0 { (sum / n).into() } else { J::Null } };
    for (key, _) in report.columns() {
        let v: J = match key.as_str() {
            "total_inbound" => c.total_inbound.into(),
            "offered" => c.offered.into(),
            "answered" => c.answered.into(),
            "abandoned" => c.abandoned.into(),
            "callbacks" => c.callbacks.into(),
            "answered_within" => c.answered_within.into(),
            "outbound" => c.outbound.into(),
            "internal" => c.internal.into(),
            "answer_rate" => c.answer_rate().into(),
            "service_level" => c.service_level().into(),
            "average_wait_ms" => avg(c.wait_answered_ms, c.answered),
            "average_talk_ms" => avg(c.talk_ms, c.talked),
            "longest_wait_ms" => c.longest_wait_ms.into(),
            "average_abandon_wait_ms" => avg(c.wait_abandoned_ms, c.abandoned),
            "consultations" => a.consultations.into(),
            "missed" => state("ringing").2.into(),
            "talk_ms" => c.talk_ms.into(),
            "after_call_work_ms" => state("after_call_work").0.into(),
            "callbacks_handled" => a.call.callbacks_handled.into(),
            k => {
                if let Some(i) = BIN_NAMES.iter().position(|b| k == format!("wait_{b}")) {
                    a.call.wait_hist[i].into()
                } else if let Some(i) = BIN_NAMES.iter().position(|b| k == format!("abandon_{b}")) {
                    a.call.abandon_hist[i].into()
                } else if let Some(s) = k.strip_suffix("_ms") {
                    state(s).0.into()
                } else {
                    J::Null
                }
            }
        };
        m.insert(key, v);
    }
    m
}

async fn names(
    db: &dyn Sql,
    q: &str,
    tenant_id: i64,
) -> Result<std::collections::BTreeMap<i64, String>, StorageError> {
    db.query(q, &[tenant_id.into()])
        .await?
        .iter()
        .map(|r| Ok((r.i64(0)?, r.text(1)?)))
        .collect()
}

/// One report of `req`.
pub async fn build(db: &dyn Sql, req: &Request) -> Result<Table, StorageError> {
    use std::collections::BTreeMap;
    let report = req.report;
    let cube = grouped_cube(db, req).await?;
    let key_of_call = |r: &CallRow| match report {
        Report::Queues | Report::Waits => r.digit,
        Report::Agents | Report::States => r.agent_id,
        _ => None,
    };
    let mut periods: BTreeMap<(i64, Option<i64>), (String, Acc)> = BTreeMap::new();
    let mut totals = Acc::default();
    // Many rows share a bucket: its period is computed once.
    let periods_of = std::cell::RefCell::new(BTreeMap::<i64, Option<(i64, String)>>::new());
    let slot = |ms: i64, key: Option<i64>| -> Option<(i64, Option<i64>, String)> {
        let (start, label) = periods_of
            .borrow_mut()
            .entry(ms)
            .or_insert_with(|| period(ms, &req.tz, req.granularity))
            .clone()?;
        Some((start, key, label))
    };
    let mut place = Vec::new();
    for r in &cube.calls {
        if req.queue.is_some() && r.digit != req.queue {
            continue;
        }
        if req.agent.is_some() && r.agent_id != req.agent {
            continue;
        }
        // A queue is a menu where calls were queued.
        if matches!(report, Report::Queues | Report::Waits)
            && (r.digit.is_none() || r.counts.offered == 0)
        {
            continue;
        }
        if matches!(report, Report::Agents) && r.agent_id.is_none() {
            continue;
        }
        if let Some(s) = slot(r.bucket_ms, key_of_call(r)) {
            place.push((s, 0usize, Some(r), None, None));
        }
    }
    if matches!(report, Report::Agents | Report::States) && req.queue.is_none() {
        for r in &cube.states {
            if req.agent.is_some() && r.agent_id != req.agent || r.agent_id.is_none() {
                continue;
            }
            if let Some(s) = slot(r.bucket_ms, r.agent_id) {
                place.push((s, 1, None, Some(r), None));
            }
        }
    }
    if report == Report::Types {
        for r in &cube.types {
            if req.agent.is_some() && Some(r.agent_id) != req.agent {
                continue;
            }
            if let Some(s) = slot(r.bucket_ms, r.type_id) {
                place.push((s, 2, None, None, Some(r)));
            }
        }
    }
    for ((start, key, label), _, call, state, ty) in place {
        let (_, acc) = periods
            .entry((start, key))
            .or_insert_with(|| (label, Acc::default()));
        for a in [acc, &mut totals] {
            if let Some(c) = call {
                a.call.add(c);
            }
            if let Some(s) = state {
                let e = a.states.entry(s.state.clone()).or_default();
                e.0 += s.duration_ms;
                e.1 += s.entries;
                e.2 += s.missed;
            }
            if let Some(t) = ty {
                a.consultations += t.consultations;
            }
        }
    }
    let names = match report {
        Report::Queues | Report::Waits => {
            names(
                db,
                "SELECT digit, queue FROM ars_menus WHERE tenant_id = ?1 AND queue IS NOT NULL",
                req.tenant_id,
            )
            .await?
        }
        Report::Types => {
            names(
                db,
                "SELECT id, name FROM consultation_types WHERE tenant_id = ?1",
                req.tenant_id,
            )
            .await?
        }
        Report::Agents | Report::States => {
            names(
                db,
                "SELECT id, name FROM agents WHERE tenant_id = ?1",
                req.tenant_id,
            )
            .await?
        }
        Report::Tenant => BTreeMap::new(),
    };
    let mut rows = Vec::with_capacity(periods.len());
    for ((start, key), (label, acc)) in &periods {
        let mut m = serde_json::Map::new();
        m.insert("period".into(), label.clone().into());
        m.insert("start_ms".into(), (*start).into());
        if let Some(k) = report.key() {
            m.insert(k.into(), (*key).into());
            m.insert(
                "name".into(),
                key.and_then(|k| names.get(&k).cloned()).into(),
            );
        }
        m.extend(figures(report, acc));
        rows.push(m);
    }
    Ok(Table {
        report,
        granularity: req.granularity,
        key: report.key(),
        columns: report
            .columns()
            .into_iter()
            .map(|(key, kind)| Column { key, kind })
            .collect(),
        rows,
        totals: figures(report, &totals),
        rolled_until_ms: cube.rolled_until_ms,
    })
}

/// The periods of `g` in `tz` that overlap `[from_ms, to_ms)`: each one's
/// start and end (ms), in order. The first may start before `from_ms` (a
/// month), the last end after `to_ms`.
pub fn periods(tz: &TimeZone, g: Granularity, from_ms: i64, to_ms: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let Some((mut start, _)) = period(from_ms, tz, g) else {
        return out;
    };
    while start < to_ms {
        let Some(end) = next_period(start, tz, g) else {
            break;
        };
        out.push((start, end));
        start = end;
    }
    out
}

/// The start (ms) of the period after the one starting at `start_ms`.
fn next_period(start_ms: i64, tz: &TimeZone, g: Granularity) -> Option<i64> {
    let z = Timestamp::from_millisecond(start_ms)
        .ok()?
        .to_zoned_datetime(tz.clone());
    let next = match g {
        // Hours are physical time: 01:00 twice on a DST night.
        Granularity::Hour => z.checked_add(jiff::Span::new().hours(1)).ok()?.timestamp(),
        Granularity::Day => crate::time::day_start(z.date().tomorrow().ok()?, tz)?,
        Granularity::Month => crate::time::day_start(
            z.date()
                .first_of_month()
                .checked_add(jiff::Span::new().months(1))
                .ok()?,
            tz,
        )?,
    };
    let next = next.as_millisecond();
    (next > start_ms).then_some(next)
}

/// A roll-up table's (`h`) figure columns summed over rows, in the order of
/// its columns (`longest_wait_ms` by maximum): hours summed per period in a
/// request (SQL, not Rust: a 31-day request by day reads 31 × keys rows,
/// not 744 × keys), and agents summed per queue by the roll-up.
pub const ROLLED_SUMS: &str = "SUM(h.total_inbound), SUM(h.offered), SUM(h.answered), \
    SUM(h.abandoned), SUM(h.callbacks), SUM(h.answered_within), SUM(h.wait_answered_ms), \
    SUM(h.wait_abandoned_ms), MAX(h.longest_wait_ms), SUM(h.talk_ms), SUM(h.talked), \
    SUM(h.outbound), SUM(h.internal), SUM(h.wait_h0), SUM(h.wait_h1), SUM(h.wait_h2), \
    SUM(h.wait_h3), SUM(h.wait_h4), SUM(h.abandon_h0), SUM(h.abandon_h1), SUM(h.abandon_h2), \
    SUM(h.abandon_h3), SUM(h.abandon_h4), SUM(h.callbacks_handled)";

/// The periods as a table `p(s, e)` from a JSON parameter `?4`
/// (`[[start, end], …]`), clipped to the hours `[?2, ?3)`, joined to the
/// roll-up table `h` for tenant `?1`.
const PERIODS_JOIN: &str = "WITH p(s, e) AS (SELECT MAX(json_extract(value, '$[0]'), ?2), \
    MIN(json_extract(value, '$[1]'), ?3) FROM json_each(?4)) ";

/// What a report reads of the roll-up and the records.
#[derive(Debug, Clone, Copy)]
struct Reads {
    calls: bool,
    states: bool,
    types: bool,
}

impl Reads {
    fn of(req: &Request) -> Reads {
        Reads {
            calls: matches!(
                req.report,
                Report::Tenant | Report::Queues | Report::Waits | Report::Agents
            ),
            states: matches!(req.report, Report::Agents | Report::States) && req.queue.is_none(),
            types: req.report == Report::Types,
        }
    }
}

/// The statements that read `req`'s rolled-up hours `[from_ms, split)`
/// grouped by period and the report's key, filtered as asked: what
/// [`build`] runs (and the bench runs on raw SQLite beside it). Each
/// statement's rows have the layout of the matching live read
/// ([`calls_select`], [`states_select`], [`types_select`]) with the
/// period's start as the bucket.
pub fn rolled_queries(req: &Request, split: i64) -> Vec<(RolledKind, String, Vec<Value>)> {
    let reads = Reads::of(req);
    let by_agent = req.agent.is_some() || req.report == Report::Agents;
    let spans: Vec<String> = periods(&req.tz, req.granularity, req.window.from_ms, split)
        .iter()
        .map(|(s, e)| format!("[{s},{e}]"))
        .collect();
    let spans = format!("[{}]", spans.join(","));
    let mut params: Vec<Value> = vec![
        req.tenant_id.into(),
        req.window.from_ms.into(),
        split.into(),
        spans.into(),
    ];
    let mut filters = String::new();
    if let Some(a) = req.agent {
        params.push(a.into());
        filters.push_str(&format!(" AND h.agent_id = ?{}", params.len()));
    }
    let agent_filter = filters.clone();
    if let Some(d) = req.queue {
        params.push(d.into());
        filters.push_str(&format!(" AND h.digit = ?{}", params.len()));
    }
    // CROSS JOIN keeps the periods outside (SQLite does not reorder it),
    // each clipped to the window: one index range per period (a constant
    // bound here would have SQLite scan the whole window per period).
    let from =
        "FROM p CROSS JOIN {table} h ON h.tenant_id = ?1 AND h.hour_ms >= p.s AND h.hour_ms < p.e";
    let mut out = Vec::new();
    if reads.calls {
        let table = if by_agent {
            "stat_hour_agent"
        } else {
            "stat_hour_queue"
        };
        // The key columns of a live row: [agent,] digit, menu. A filtered
        // key is the filter's value (the maximum of one value).
        let agent = match (by_agent, req.report) {
            (false, _) => "",
            (true, Report::Agents) => "h.agent_id, ",
            (true, _) => "MAX(h.agent_id), ",
        };
        let filtered_digit = if req.queue.is_some() {
            "MAX(h.digit)"
        } else {
            "NULL"
        };
        let (digit, group, only) = match req.report {
            Report::Queues | Report::Waits => (
                "h.digit",
                ", h.digit",
                // A queue is a menu where calls were queued.
                " AND h.digit IS NOT NULL AND h.offered > 0",
            ),
            Report::Agents => (
                filtered_digit,
                ", h.agent_id",
                " AND h.agent_id IS NOT NULL",
            ),
            _ => (filtered_digit, "", ""),
        };
        let keys = format!("{agent}{digit}, NULL");
        out.push((
            RolledKind::Calls { by_agent },
            format!(
                "{PERIODS_JOIN}SELECT ?1, p.s, {keys}, {ROLLED_SUMS} {}{filters}{only} GROUP BY p.s{group}",
                from.replace("{table}", table)
            ),
            params.clone(),
        ));
    }
    if reads.states {
        out.push((
            RolledKind::States,
            format!(
                "{PERIODS_JOIN}SELECT p.s, h.agent_id, h.state, SUM(h.duration_ms), SUM(h.entries), \
                 SUM(h.missed) {}{agent_filter} AND h.agent_id IS NOT NULL \
                 GROUP BY p.s, h.agent_id, h.state",
                from.replace("{table}", "stat_hour_state")
            ),
            params.iter().take(4 + usize::from(req.agent.is_some())).cloned().collect(),
        ));
    }
    if reads.types {
        // The agent column is the filter's agent when filtered (and unused
        // otherwise).
        out.push((
            RolledKind::Types,
            format!(
                "{PERIODS_JOIN}SELECT p.s, h.type_id, MAX(h.agent_id), SUM(h.consultations) \
                 {}{agent_filter} GROUP BY p.s, h.type_id",
                from.replace("{table}", "stat_hour_type")
            ),
            params
                .iter()
                .take(4 + usize::from(req.agent.is_some()))
                .cloned()
                .collect(),
        ));
    }
    out
}

/// Which rows a [`rolled_queries`] statement gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RolledKind {
    Calls { by_agent: bool },
    States,
    Types,
}

/// Where `req` switches from the roll-up to the records: the watermark
/// within the window, or the window's start for a zone whose hours are not
/// UTC hours.
pub fn split_of(req: &Request, mark: Option<i64>) -> i64 {
    let (from_ms, to_ms) = (req.window.from_ms, req.window.to_ms);
    if whole_hour_zone(&req.tz, from_ms, to_ms) {
        mark.unwrap_or(i64::MIN).clamp(from_ms, to_ms)
    } else {
        from_ms
    }
}

/// The cube `req` needs, its rolled-up part already summed per period (see
/// [`rolled_queries`]), the live part in quarter hours.
async fn grouped_cube(db: &dyn Sql, req: &Request) -> Result<Cube, StorageError> {
    let split = split_of(req, watermark(db).await?);
    let reads = Reads::of(req);
    let by_agent = req.agent.is_some() || req.report == Report::Agents;
    let mut cube = Cube {
        rolled_until_ms: split,
        ..Cube::default()
    };
    if split > req.window.from_ms {
        for (kind, q, p) in rolled_queries(req, split) {
            let rows = db.query(&q, &p).await?;
            for r in rows.iter() {
                match kind {
                    RolledKind::Calls { by_agent } => cube.calls.push(CallRow::read(r, by_agent)?),
                    RolledKind::States => cube.states.push(state_row(r, 0)?),
                    RolledKind::Types => cube.types.push(type_row(r, 0)?),
                }
            }
        }
    }
    if split < req.window.to_ms {
        let p: Vec<Value> = vec![
            (req.threshold_seconds * 1000).into(),
            req.tenant_id.into(),
            split.into(),
            req.window.to_ms.into(),
        ];
        if reads.calls {
            for r in db
                .query(&calls_select(by_agent, BUCKET_MS), &p)
                .await?
                .iter()
            {
                cube.calls.push(CallRow::read(r, by_agent)?);
            }
        }
        if reads.types {
            for r in db.query(&types_select(BUCKET_MS), &p).await?.iter() {
                cube.types.push(type_row(r, 1)?);
            }
        }
        if reads.states {
            let mut p = p;
            p.push(req.now_ms.into());
            for r in db.query(&states_select(BUCKET_MS), &p).await?.iter() {
                cube.states.push(state_row(r, 1)?);
            }
        }
    }
    Ok(cube)
}
