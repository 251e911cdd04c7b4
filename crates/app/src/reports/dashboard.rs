//! The monitoring dashboard's read model (SPEC section 3, MON-1..7): one
//! answer holding everything the page shows for a tenant, built from the
//! live floor ([`super::floor`]) and today's and yesterday's counts
//! ([`super::metrics`]).
//!
//! What keeps it flat as history grows: every read is either the live floor
//! (partial index `calls_live`, the open agent-state intervals) or one range
//! of `calls_started` over today (and yesterday, for MON-2's comparison):
//! a tenant's size is a day's calls, never its history. Today is read once,
//! grouped by quarter hour and queue; hours, queues, the day's totals and
//! the trend are sums of those groups in Rust.
//!
//! [`version`] is what changes when anything shown could have: the
//! tenant's latest event, today's callback requests, the settings the page
//! shows, and the date. The handler turns it into an ETag, so a poll that
//! finds nothing new costs a few indexed reads and answers 304.

use super::floor;
use super::metrics::{self, Counts, Filter, Group, Window};
use crate::records::queue_targets::Targets;
use crate::records::tenants::TenantScope;
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;
use switchboard_storage::{Sql, StorageError};

/// How many of today's abandoned calls the list shows (newest first).
pub const ABANDONED_LIMIT: i64 = 200;

/// A queue as the settings name it, with its targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueInfo {
    pub menu_id: i64,
    pub digit: i64,
    pub name: String,
    pub targets: Targets,
}

/// An agent as the settings name them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentInfo {
    pub id: i64,
    pub login_id: String,
    pub name: String,
}

/// The settings the figures depend on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    pub sl_threshold_seconds: i64,
    pub contracted_lines: Option<i64>,
    pub queues: Vec<QueueInfo>,
    pub agents: Vec<AgentInfo>,
}

/// The settings the figures depend on and everything else the version is
/// made of, in ONE statement returning ONE row: inside Spin every row of a
/// result crosses into the component on its own (~70 µs each on the bench
/// machine), so the agents' list alone (200 rows, plus their menus through
/// `agents::list`) cost 14 ms a request; as one JSON row it costs one
/// crossing. Columns: queues (agents menus with their targets), agents,
/// the SL threshold, the contracted lines, the latest event's `seq`, and
/// today's callback requests (count, latest ID, attempts, open ones).
const SNAPSHOT_SQL: &str = "SELECT \
    (SELECT json_group_array(json_array(id, digit, queue, a, s, w, l)) FROM \
       (SELECT m.id, m.digit, COALESCE(m.queue, '') AS queue, t.answer_rate_pct AS a, \
        t.service_level_pct AS s, t.waiting_max AS w, t.longest_wait_seconds AS l \
        FROM ars_menus m LEFT JOIN queue_targets t ON t.tenant_id = m.tenant_id AND t.menu_id = m.id \
        WHERE m.tenant_id = ?1 AND m.kind = 'agents' ORDER BY m.digit)), \
    (SELECT json_group_array(json_array(id, login_id, name)) FROM \
       (SELECT id, login_id, name FROM agents WHERE tenant_id = ?1 AND status != 'deleted' \
        ORDER BY login_id)), \
    (SELECT threshold_seconds FROM service_level_settings WHERE tenant_id = ?1), \
    (SELECT contracted_lines FROM tenants WHERE id = ?1), \
    (SELECT COALESCE(MAX(seq), 0) FROM telephony_events WHERE tenant_id = ?1), \
    (SELECT COUNT(*) || '.' || COALESCE(MAX(id), 0) || '.' || COALESCE(SUM(attempts), 0) || '.' \
        || COUNT(CASE WHEN status = 'requested' THEN 1 END) \
     FROM callbacks WHERE tenant_id = ?1 AND requested_ms >= ?2)";

type QueueJson = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

fn json_col<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StorageError> {
    serde_json::from_str(text).map_err(|e| StorageError::new(format!("dashboard {what}: {e}")))
}

/// What [`SNAPSHOT_SQL`] read: the settings and the raw text the version
/// digests.
struct Snapshot {
    settings: Settings,
    raw: String,
}

async fn read_snapshot(
    db: &dyn Sql,
    tenant_id: i64,
    today_ms: i64,
) -> Result<Snapshot, StorageError> {
    let row = db
        .query_row(SNAPSHOT_SQL, &[tenant_id.into(), today_ms.into()])
        .await?
        .ok_or_else(|| StorageError::new("dashboard snapshot: no row"))?;
    let (queues_json, agents_json) = (row.text(0)?, row.text(1)?);
    let mut queues: Vec<QueueInfo> = json_col::<Vec<QueueJson>>(&queues_json, "queues")?
        .into_iter()
        .map(|(menu_id, digit, name, a, s, w, l)| QueueInfo {
            menu_id,
            digit,
            name,
            targets: Targets {
                answer_rate_pct: a,
                service_level_pct: s,
                waiting_max: w,
                longest_wait_seconds: l,
            },
        })
        .collect();
    queues.sort_by_key(|q| q.digit);
    let mut agents: Vec<AgentInfo> =
        json_col::<Vec<(i64, String, String)>>(&agents_json, "agents")?
            .into_iter()
            .map(|(id, login_id, name)| AgentInfo { id, login_id, name })
            .collect();
    agents.sort_by(|a, b| a.login_id.cmp(&b.login_id));
    let settings = Settings {
        sl_threshold_seconds: row
            .opt_i64(2)?
            .unwrap_or(metrics::DEFAULT_SL_THRESHOLD_SECONDS),
        contracted_lines: row.opt_i64(3)?,
        queues,
        agents,
    };
    let raw = format!(
        "{}|{}|{}|{}|{queues_json}|{agents_json}",
        row.i64(4)?,
        row.text(5)?,
        settings.sl_threshold_seconds,
        settings
            .contracted_lines
            .map_or_else(String::new, |n| n.to_string()),
    );
    Ok(Snapshot { settings, raw })
}

/// The settings the figures depend on (one read, see [`SNAPSHOT_SQL`]).
pub async fn settings(db: &dyn Sql, tenant_id: i64) -> Result<Settings, StorageError> {
    Ok(read_snapshot(db, tenant_id, i64::MAX).await?.settings)
}

/// The settings and the version of everything the dashboard shows, in one
/// read: what changes whenever anything shown could have changed (except
/// the clock; the page counts live durations itself) — the tenant's latest
/// event, today's callback requests, the settings shown, the date and the
/// local hour, the time zone — as a short hex digest, the ETag's content.
pub async fn snapshot(
    db: &dyn Sql,
    tenant: &TenantScope,
    now: Timestamp,
) -> Result<(Settings, String), StorageError> {
    let today = tenant.today(now);
    let from = Window::day(today, &tenant.time_zone)
        .map(|w| w.from_ms)
        .unwrap_or(0);
    let snap = read_snapshot(db, tenant.id, from).await?;
    // The local hour too: MON-6's "day so far" reaches one more hour.
    let hour = metrics::local_hour(now.as_millisecond(), &tenant.time_zone).unwrap_or(0);
    let digest = crate::security::sha256_hex(
        format!("{}|{today}T{hour}|{}", snap.raw, tenant.time_zone_name()).as_bytes(),
    );
    Ok((snap.settings, digest[..24].to_owned()))
}

/// How a figure stands against its target: `ok` (green), `warn` (amber:
/// close), `bad` (red: missed), `none` (no target or no figure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    Ok,
    Warn,
    Bad,
    None,
}

/// How far above a rate target a figure is still amber, in points.
pub const RATE_MARGIN_POINTS: f64 = 5.0;
/// From which share of an alarm a count or wait is amber.
pub const ALARM_SHARE: f64 = 0.8;

/// A rate (higher is better) against a target in percent: below it red,
/// within [`RATE_MARGIN_POINTS`] above it amber.
pub fn grade_rate(value: Option<f64>, target_pct: Option<i64>) -> Grade {
    match (value, target_pct) {
        (Some(v), Some(t)) if v < t as f64 => Grade::Bad,
        (Some(v), Some(t)) if v < t as f64 + RATE_MARGIN_POINTS => Grade::Warn,
        (Some(_), Some(_)) => Grade::Ok,
        _ => Grade::None,
    }
}

/// A count or wait (lower is better) against its alarm: at or over it red,
/// from [`ALARM_SHARE`] of it amber.
pub fn grade_alarm(value: i64, alarm: Option<i64>) -> Grade {
    match alarm {
        Some(a) if value >= a => Grade::Bad,
        Some(a) if (value as f64) >= (a as f64) * ALARM_SHARE => Grade::Warn,
        Some(_) => Grade::Ok,
        None => Grade::None,
    }
}

/// MON-1: lines in use now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lines {
    pub contracted: Option<i64>,
    pub in_use: i64,
    /// Live inbound calls (상담요청).
    pub consultation: i64,
    /// Live internal calls (내선통화).
    pub internal: i64,
    /// Live callback dial-outs (콜백전환).
    pub callback: i64,
    /// Other live outbound calls of agents.
    pub outbound: i64,
}

/// The figures of one group of calls as the page shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub total_inbound: i64,
    /// Consultation requests (상담요청) = offered.
    pub offered: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub callbacks: i64,
    pub answered_within: i64,
    pub answer_rate: Option<f64>,
    pub service_level: Option<f64>,
    pub average_wait_ms: Option<i64>,
    pub average_talk_ms: Option<i64>,
}

impl From<&Counts> for Figures {
    fn from(c: &Counts) -> Self {
        Figures {
            total_inbound: c.total_inbound,
            offered: c.offered,
            answered: c.answered,
            abandoned: c.abandoned,
            callbacks: c.callbacks,
            answered_within: c.answered_within,
            answer_rate: c.answer_rate(),
            service_level: c.service_level(),
            average_wait_ms: c.average_answer_wait_ms(),
            average_talk_ms: c.average_talk_ms(),
        }
    }
}

/// MON-4 and MON-5 for one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueNow {
    pub menu_id: Option<i64>,
    pub digit: Option<i64>,
    pub name: Option<String>,
    #[serde(flatten)]
    pub today: Figures,
    /// MON-5: callers waiting now, and the longest current wait.
    pub waiting: i64,
    pub longest_wait_ms: i64,
    pub targets: Targets,
    pub grades: QueueGrades,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueGrades {
    pub answer_rate: Grade,
    pub service_level: Grade,
    pub waiting: Grade,
    pub longest_wait: Grade,
}

/// One hour of the day (MON-2, MON-6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hour {
    pub hour: i8,
    /// MON-2: inbound calls today and yesterday in this hour.
    pub inbound_today: i64,
    pub inbound_yesterday: i64,
    /// MON-6: this hour's offered/answered/within and rates, and the day's
    /// rates up to the end of this hour.
    pub offered: i64,
    pub answered: i64,
    pub answered_within: i64,
    pub answer_rate: Option<f64>,
    pub service_level: Option<f64>,
    pub day_answer_rate: Option<f64>,
    pub day_service_level: Option<f64>,
}

/// MON-7: one agent now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentRow {
    pub agent_id: Option<i64>,
    pub login_id: String,
    pub name: Option<String>,
    /// `ready`, `away`, `after_call_work`, `dialing`, `ringing`, `on_call`,
    /// `logged_out`.
    pub state: String,
    /// Since when (ms); `None` for an agent without any event yet.
    pub since_ms: Option<i64>,
    /// Inbound calls answered today, outbound calls dialled today.
    pub answered_today: i64,
    pub outbound_today: i64,
}

/// A row of today's abandoned calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AbandonedRow {
    pub id: i64,
    pub call_id: String,
    pub caller: Option<String>,
    pub digit: Option<i64>,
    pub menu_id: Option<i64>,
    pub queue: Option<String>,
    pub started_ms: i64,
    pub abandoned_ms: Option<i64>,
    pub wait_ms: Option<i64>,
    /// The caller called again later today (and whether that was answered).
    pub called_again: bool,
    pub called_again_answered: bool,
    /// An agent called the number later today.
    pub called_back: bool,
    /// The callback request made for this call, if any.
    pub callback_id: Option<i64>,
    pub callback_status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub version: String,
    pub now_ms: i64,
    pub date: String,
    pub time_zone: String,
    pub sl_threshold_seconds: i64,
    pub lines: Lines,
    pub summary: Figures,
    pub queues: Vec<QueueNow>,
    pub hours: Vec<Hour>,
    pub agent_counts: BTreeMap<String, i64>,
    pub agents: Vec<AgentRow>,
    /// `None` on the wallboard (no callers' numbers on a wall).
    pub abandoned: Option<Vec<AbandonedRow>>,
}

/// Every agent state MON-7 counts, in the order the page shows them.
pub const AGENT_STATES: [&str; 7] = [
    "ready",
    "on_call",
    "ringing",
    "dialing",
    "after_call_work",
    "away",
    "logged_out",
];

/// Hourly counts of one day: local hour → counts.
fn by_hour(rows: &[metrics::Grouped], tz: &jiff::tz::TimeZone) -> BTreeMap<i8, Counts> {
    let mut out: BTreeMap<i8, Counts> = BTreeMap::new();
    for r in rows {
        let Some(hour) = r.bucket_ms.and_then(|b| metrics::local_hour(b, tz)) else {
            continue;
        };
        out.entry(hour).or_default().add(&r.counts);
    }
    out
}

/// MON-2's yesterday: inbound calls per local hour of `window`, a day that
/// is over. Its hours come from the statistics roll-up (`stat_hour_queue`,
/// a few hundred rows) wherever the roll-up is exact for them, the rest from
/// the calls themselves:
/// - exact: hours before the roll-up's watermark, in a zone whose hours are
///   UTC hours (as `reports::stats` reads it);
/// - not exact: an hour with a change mark (`rollup_dirty`): a late or
///   reordered event for yesterday marks its hour in the same write that
///   stores it (a trigger of migration 0015), so from that hour on the day
///   is read from the calls until the worker's next tick has recomputed the
///   buckets and cleared the mark. The rule: a late event for yesterday is
///   in the very next answer, as any event is (its `seq` moves the version).
///
/// So a computation reads yesterday's ~11 000 calls only while the worker
/// is behind or a late event waits for its tick; otherwise 24 buckets.
async fn inbound_by_hour(
    db: &dyn Sql,
    tenant_id: i64,
    tz: &jiff::tz::TimeZone,
    window: Window,
    threshold: i64,
) -> Result<BTreeMap<i8, i64>, StorageError> {
    use super::stats::{HOUR_MS, whole_hour_zone};
    let mut out: BTreeMap<i8, i64> = BTreeMap::new();
    let mut raw_from = window.from_ms;
    if whole_hour_zone(tz, window.from_ms, window.to_ms) {
        // One row: the watermark, the earliest change mark within the day,
        // and the day's buckets (packed) up to the watermark.
        let row = db
            .query_row(
                "SELECT w.at, \
                 (SELECT MIN(from_ms) FROM rollup_dirty WHERE tenant_id = ?1 AND from_ms < ?3 AND to_ms > ?2), \
                 (SELECT '[' || COALESCE(group_concat(j, ','), '') || ']' FROM \
                    (SELECT json_array(hour_ms, SUM(total_inbound)) AS j FROM stat_hour_queue \
                     WHERE tenant_id = ?1 AND hour_ms >= ?2 AND hour_ms < MIN(?3, w.at) GROUP BY hour_ms)) \
                 FROM (SELECT COALESCE((SELECT rolled_until_ms FROM rollup_state WHERE id = 1), ?2) AS at) w",
                &[tenant_id.into(), window.from_ms.into(), window.to_ms.into()],
            )
            .await?;
        if let Some(row) = row {
            let mark = row.i64(0)?.clamp(window.from_ms, window.to_ms);
            let dirty = row
                .opt_i64(1)?
                .map(|d| d.max(window.from_ms).div_euclid(HOUR_MS) * HOUR_MS);
            raw_from = dirty.map_or(mark, |d| d.min(mark)).max(window.from_ms);
            for r in super::packed::unpack(&row.text(2)?)? {
                let hour_ms = r.i64(0)?;
                if hour_ms >= raw_from {
                    continue;
                }
                if let Some(h) = metrics::local_hour(hour_ms, tz) {
                    *out.entry(h).or_default() += r.i64(1)?;
                }
            }
        }
    }
    if raw_from < window.to_ms {
        let rows = metrics::counts(
            db,
            tenant_id,
            Window {
                from_ms: raw_from,
                to_ms: window.to_ms,
            },
            Filter::default(),
            Group {
                bucket: true,
                ..Group::default()
            },
            threshold,
        )
        .await?;
        for (h, c) in by_hour(&rows, tz) {
            *out.entry(h).or_default() += c.total_inbound;
        }
    }
    Ok(out)
}

/// The dashboard of `tenant` at `now`; `with_abandoned` false leaves the
/// callers' list out (the wallboard).
pub async fn build(
    db: &dyn Sql,
    tenant: &TenantScope,
    settings: &Settings,
    version: String,
    now: Timestamp,
    with_abandoned: bool,
) -> Result<Dashboard, StorageError> {
    let tz = &tenant.time_zone;
    let now_ms = now.as_millisecond();
    let today = tenant.today(now);
    let window = Window::day(today, tz)
        .ok_or_else(|| StorageError::new(format!("no day {today} in the tenant's zone")))?;
    let yesterday = today
        .yesterday()
        .ok()
        .and_then(|d| Window::day(d, tz))
        .ok_or_else(|| StorageError::new(format!("no day before {today}")))?;
    let threshold = settings.sl_threshold_seconds;
    let grouped = Group {
        bucket: true,
        queue: true,
        agent: false,
    };
    let today_rows =
        metrics::counts(db, tenant.id, window, Filter::default(), grouped, threshold).await?;
    let yesterday_inbound = inbound_by_hour(db, tenant.id, tz, yesterday, threshold).await?;
    let live = floor::floor(db, tenant.id, now_ms).await?;

    // MON-1.
    let mut lines = Lines {
        contracted: settings.contracted_lines,
        in_use: 0,
        consultation: 0,
        internal: 0,
        callback: 0,
        outbound: 0,
    };
    for (_, direction, n) in &live.calls {
        lines.in_use += n;
        match direction.as_str() {
            "inbound" => lines.consultation += n,
            "internal" => lines.internal += n,
            _ => {}
        }
    }
    let live_callbacks = floor::live_callback_dials(db, tenant.id).await?;
    let outbound_live: i64 = live
        .calls
        .iter()
        .filter(|(_, d, _)| d == "outbound")
        .map(|(_, _, n)| n)
        .sum();
    lines.callback = live_callbacks.min(outbound_live);
    lines.outbound = outbound_live - lines.callback;

    // MON-3.
    let summary = metrics::total(&today_rows);

    // MON-4 and MON-5: the settings' queues in digit order, then any queue
    // with calls today that no longer has its menu.
    let mut queue_counts: BTreeMap<(Option<i64>, Option<i64>), Counts> = BTreeMap::new();
    for r in &today_rows {
        if r.digit.is_some() {
            queue_counts
                .entry((r.digit, r.menu_id))
                .or_default()
                .add(&r.counts);
        }
    }
    let mut queues = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let waiting_of = |digit: Option<i64>, menu_id: Option<i64>| {
        live.queues
            .iter()
            .filter(|q| q.digit == digit && (menu_id.is_none() || q.menu_id == menu_id))
            .fold((0, 0), |(n, w), q| {
                (n + q.waiting, w.max(q.longest_wait_ms))
            })
    };
    for q in &settings.queues {
        let c = queue_counts
            .get(&(Some(q.digit), Some(q.menu_id)))
            .copied()
            .unwrap_or_default();
        seen.insert((Some(q.digit), Some(q.menu_id)));
        let (waiting, longest) = waiting_of(Some(q.digit), Some(q.menu_id));
        queues.push(queue_now(
            Some(q.menu_id),
            Some(q.digit),
            Some(q.name.clone()),
            &c,
            waiting,
            longest,
            q.targets,
        ));
    }
    for ((digit, menu_id), c) in &queue_counts {
        if seen.contains(&(*digit, *menu_id)) || c.offered == 0 {
            continue;
        }
        let (waiting, longest) = waiting_of(*digit, *menu_id);
        queues.push(queue_now(
            *menu_id,
            *digit,
            None,
            c,
            waiting,
            longest,
            Targets::default(),
        ));
    }

    // MON-2 and MON-6.
    let today_hours = by_hour(&today_rows, tz);
    let now_hour = metrics::local_hour(now_ms, tz).unwrap_or(23);
    let mut day = Counts::default();
    let mut hours = Vec::with_capacity(24);
    for hour in 0..24i8 {
        let t = today_hours.get(&hour).copied().unwrap_or_default();
        let y = yesterday_inbound.get(&hour).copied().unwrap_or_default();
        day.add(&t);
        let future = hour > now_hour;
        hours.push(Hour {
            hour,
            inbound_today: t.total_inbound,
            inbound_yesterday: y,
            offered: t.offered,
            answered: t.answered,
            answered_within: t.answered_within,
            answer_rate: t.answer_rate(),
            service_level: t.service_level(),
            day_answer_rate: if future { None } else { day.answer_rate() },
            day_service_level: if future { None } else { day.service_level() },
        });
    }

    // MON-7.
    let per_agent = metrics::answered_and_outbound_by_agent(db, tenant.id, window).await?;
    let mut agent_counts: BTreeMap<String, i64> =
        AGENT_STATES.iter().map(|s| ((*s).to_owned(), 0)).collect();
    let mut agents = Vec::new();
    let mut listed = std::collections::BTreeSet::new();
    let calls_of = |id: Option<i64>| {
        per_agent
            .iter()
            .find(|(agent, _, _)| Some(*agent) == id)
            .map(|(_, answered, outbound)| (*answered, *outbound))
            .unwrap_or((0, 0))
    };
    for a in &settings.agents {
        let now_state = live
            .agents
            .iter()
            .find(|s| s.agent_id == Some(a.id))
            .or_else(|| live.agents.iter().find(|s| s.agent == a.login_id));
        let (state, since) = match now_state {
            Some(s) => (s.state.clone(), Some(s.since_ms)),
            None => ("logged_out".to_owned(), None),
        };
        *agent_counts.entry(state.clone()).or_default() += 1;
        listed.insert(a.login_id.clone());
        let (answered, outbound) = calls_of(Some(a.id));
        agents.push(AgentRow {
            agent_id: Some(a.id),
            login_id: a.login_id.clone(),
            name: Some(a.name.clone()),
            state,
            since_ms: since,
            answered_today: answered,
            outbound_today: outbound,
        });
    }
    // Agents the provider names that the settings do not know (yet): shown,
    // so the floor adds up, unless they are logged out.
    for s in &live.agents {
        if listed.contains(&s.agent) || s.state == "logged_out" {
            continue;
        }
        *agent_counts.entry(s.state.clone()).or_default() += 1;
        let (answered, outbound) = calls_of(s.agent_id);
        agents.push(AgentRow {
            agent_id: s.agent_id,
            login_id: s.agent.clone(),
            name: None,
            state: s.state.clone(),
            since_ms: Some(s.since_ms),
            answered_today: answered,
            outbound_today: outbound,
        });
    }

    let abandoned = if with_abandoned {
        Some(abandoned_today(db, tenant.id, window, settings).await?)
    } else {
        None
    };

    Ok(Dashboard {
        version,
        now_ms,
        date: today.to_string(),
        time_zone: tenant.time_zone_name().to_owned(),
        sl_threshold_seconds: threshold,
        lines,
        summary: Figures::from(&summary),
        queues,
        hours,
        agent_counts,
        agents,
        abandoned,
    })
}

fn queue_now(
    menu_id: Option<i64>,
    digit: Option<i64>,
    name: Option<String>,
    c: &Counts,
    waiting: i64,
    longest_wait_ms: i64,
    targets: Targets,
) -> QueueNow {
    let grades = QueueGrades {
        answer_rate: grade_rate(c.answer_rate(), targets.answer_rate_pct),
        service_level: grade_rate(c.service_level(), targets.service_level_pct),
        waiting: grade_alarm(waiting, targets.waiting_max),
        longest_wait: grade_alarm(longest_wait_ms / 1000, targets.longest_wait_seconds),
    };
    QueueNow {
        menu_id,
        digit,
        name,
        today: Figures::from(c),
        waiting,
        longest_wait_ms,
        targets,
        grades,
    }
}

/// A call of `[window)` the definitions call abandoned, by row ID.
pub struct AbandonedCall {
    pub id: i64,
    pub call_id: String,
    pub caller: Option<String>,
    pub digit: Option<i64>,
    pub menu_id: Option<i64>,
    pub started_ms: i64,
    pub abandoned_ms: Option<i64>,
    pub wait_ms: Option<i64>,
}

const ABANDONED_COLUMNS: &str =
    "id, call_id, caller, digit, menu_id, started_ms, COALESCE(abandoned_ms, ended_ms), wait_ms";

fn abandoned_from(r: &switchboard_storage::Row) -> Result<AbandonedCall, StorageError> {
    Ok(AbandonedCall {
        id: r.i64(0)?,
        call_id: r.text(1)?,
        caller: r.opt_text(2)?,
        digit: r.opt_i64(3)?,
        menu_id: r.opt_i64(4)?,
        started_ms: r.i64(5)?,
        abandoned_ms: r.opt_i64(6)?,
        wait_ms: r.opt_i64(7)?,
    })
}

/// One of the tenant's abandoned calls (any day), by row ID.
pub async fn abandoned_call(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
) -> Result<Option<AbandonedCall>, StorageError> {
    let q = format!(
        "SELECT {ABANDONED_COLUMNS} FROM calls WHERE tenant_id = ? AND id = ? AND {}",
        metrics::sql::ABANDONED
    );
    db.query_row(&q, &[tenant_id.into(), id.into()])
        .await?
        .as_ref()
        .map(abandoned_from)
        .transpose()
}

/// Today's abandoned calls, newest first (at most [`ABANDONED_LIMIT`]),
/// with what happened since: the caller called again, an agent called
/// them, a callback request exists.
async fn abandoned_today(
    db: &dyn Sql,
    tenant_id: i64,
    window: Window,
    settings: &Settings,
) -> Result<Vec<AbandonedRow>, StorageError> {
    // Up to 200 rows, then today's contacts of those callers: both read
    // packed (one row each, see `reports::packed`).
    let rest = format!(
        "FROM calls INDEXED BY calls_started WHERE tenant_id = ?1 \
         AND started_ms >= ?2 AND started_ms < ?3 AND {} \
         ORDER BY started_ms DESC, id DESC LIMIT ?4",
        metrics::sql::ABANDONED
    );
    let rows = super::packed::query(
        db,
        ABANDONED_COLUMNS,
        &rest,
        &[
            tenant_id.into(),
            window.from_ms.into(),
            window.to_ms.into(),
            ABANDONED_LIMIT.into(),
        ],
    )
    .await?
    .iter()
    .map(abandoned_from)
    .collect::<Result<Vec<_>, _>>()?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Later calls with the same callers today: one read of today.
    let contacts = super::packed::query(
        db,
        "caller, direction, started_ms, answered_ms IS NOT NULL",
        "FROM calls INDEXED BY calls_started WHERE tenant_id = ?1 AND started_ms >= ?2 \
         AND started_ms < ?3 AND direction IN ('inbound', 'outbound') \
         AND caller IN (SELECT caller FROM calls INDEXED BY calls_started \
             WHERE tenant_id = ?1 AND started_ms >= ?2 AND started_ms < ?3 AND result = 'abandoned')",
        &[tenant_id.into(), window.from_ms.into(), window.to_ms.into()],
    )
    .await?;
    let mut later: BTreeMap<String, Vec<(bool, i64, bool)>> = BTreeMap::new();
    let callers: std::collections::BTreeSet<&str> =
        rows.iter().filter_map(|r| r.caller.as_deref()).collect();
    for r in contacts.iter() {
        let caller = r.text(0)?;
        if callers.contains(caller.as_str()) {
            later.entry(caller).or_default().push((
                r.text(1)? == "inbound",
                r.i64(2)?,
                r.i64(3)? != 0,
            ));
        }
    }
    let callbacks: BTreeMap<String, (i64, String)> = db
        .query(
            "SELECT call_id, id, status FROM callbacks WHERE tenant_id = ? AND requested_ms >= ?",
            &[tenant_id.into(), window.from_ms.into()],
        )
        .await?
        .iter()
        .map(|r| Ok((r.text(0)?, (r.i64(1)?, r.text(2)?))))
        .collect::<Result<_, StorageError>>()?;
    Ok(rows
        .into_iter()
        .map(|a| {
            let after = a
                .caller
                .as_ref()
                .and_then(|c| later.get(c))
                .map(Vec::as_slice)
                .unwrap_or_default();
            let again: Vec<_> = after
                .iter()
                .filter(|(inbound, at, _)| *inbound && *at > a.started_ms)
                .collect();
            let called_back = after
                .iter()
                .any(|(inbound, at, _)| !*inbound && *at > a.started_ms);
            let cb = callbacks.get(&a.call_id);
            AbandonedRow {
                id: a.id,
                queue: settings
                    .queues
                    .iter()
                    .find(|q| Some(q.menu_id) == a.menu_id)
                    .map(|q| q.name.clone()),
                call_id: a.call_id,
                caller: a.caller,
                digit: a.digit,
                menu_id: a.menu_id,
                started_ms: a.started_ms,
                abandoned_ms: a.abandoned_ms,
                wait_ms: a.wait_ms,
                called_again: !again.is_empty(),
                called_again_answered: again.iter().any(|(_, _, answered)| *answered),
                called_back,
                callback_id: cb.map(|c| c.0),
                callback_status: cb.map(|c| c.1.clone()),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_grade_against_their_target_with_an_amber_margin() {
        assert_eq!(grade_rate(Some(79.9), Some(80)), Grade::Bad);
        assert_eq!(grade_rate(Some(80.0), Some(80)), Grade::Warn);
        assert_eq!(grade_rate(Some(84.9), Some(80)), Grade::Warn);
        assert_eq!(grade_rate(Some(85.0), Some(80)), Grade::Ok);
        assert_eq!(grade_rate(None, Some(80)), Grade::None);
        assert_eq!(grade_rate(Some(50.0), None), Grade::None);
    }

    #[test]
    fn alarms_turn_amber_at_four_fifths_and_red_at_the_alarm() {
        assert_eq!(grade_alarm(3, Some(5)), Grade::Ok);
        assert_eq!(grade_alarm(4, Some(5)), Grade::Warn);
        assert_eq!(grade_alarm(5, Some(5)), Grade::Bad);
        assert_eq!(grade_alarm(9, None), Grade::None);
    }
}
