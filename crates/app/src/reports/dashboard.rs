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
use crate::records::queue_targets::{self, Targets};
use crate::records::tenants::{self, TenantScope};
use crate::records::{agents, menus, service_level};
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

pub async fn settings(db: &dyn Sql, tenant_id: i64) -> Result<Settings, StorageError> {
    let targets: BTreeMap<i64, Targets> = queue_targets::list(db, tenant_id)
        .await?
        .into_iter()
        .collect();
    let queues = menus::list(db, tenant_id)
        .await?
        .into_iter()
        .filter_map(|m| match m.kind {
            menus::MenuKind::Agents { queue, .. } => Some(QueueInfo {
                menu_id: m.id,
                digit: m.digit,
                name: queue,
                targets: targets.get(&m.id).copied().unwrap_or_default(),
            }),
            menus::MenuKind::Info(_) => None,
        })
        .collect();
    let agents = agents::list(db, tenant_id)
        .await?
        .into_iter()
        .map(|a| AgentInfo {
            id: a.id,
            login_id: a.login_id,
            name: a.name,
        })
        .collect();
    Ok(Settings {
        sl_threshold_seconds: service_level::load(db, tenant_id)
            .await?
            .unwrap_or(metrics::DEFAULT_SL_THRESHOLD_SECONDS),
        contracted_lines: tenants::contracted_lines(db, tenant_id).await?,
        queues,
        agents,
    })
}

/// What changes whenever anything the dashboard shows could have changed
/// (except the clock; the page counts live durations itself): a short hex
/// digest, the ETag's content.
pub async fn version(
    db: &dyn Sql,
    tenant: &TenantScope,
    settings: &Settings,
    now: Timestamp,
) -> Result<String, StorageError> {
    let seq = db
        .query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM telephony_events WHERE tenant_id = ?",
            &[tenant.id.into()],
        )
        .await?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(0);
    let today = tenant.today(now);
    let from = Window::day(today, &tenant.time_zone)
        .map(|w| w.from_ms)
        .unwrap_or(0);
    let callbacks = db
        .query_row(
            "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(attempts), 0), \
             COUNT(CASE WHEN status = 'requested' THEN 1 END) \
             FROM callbacks WHERE tenant_id = ? AND requested_ms >= ?",
            &[tenant.id.into(), from.into()],
        )
        .await?
        .map(|r| -> Result<String, StorageError> {
            Ok(format!(
                "{}.{}.{}.{}",
                r.i64(0)?,
                r.i64(1)?,
                r.i64(2)?,
                r.i64(3)?
            ))
        })
        .transpose()?
        .unwrap_or_default();
    let settings = serde_json::to_string(settings).unwrap_or_default();
    // The local hour too: MON-6's "day so far" reaches one more hour.
    let hour = metrics::local_hour(now.as_millisecond(), &tenant.time_zone).unwrap_or(0);
    let digest = crate::security::sha256_hex(
        format!(
            "{seq}|{callbacks}|{today}T{hour}|{settings}|{}",
            tenant.time_zone_name()
        )
        .as_bytes(),
    );
    Ok(digest[..24].to_owned())
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
    let yesterday_rows = metrics::counts(
        db,
        tenant.id,
        yesterday,
        Filter::default(),
        Group {
            bucket: true,
            ..Group::default()
        },
        threshold,
    )
    .await?;
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
    let yesterday_hours = by_hour(&yesterday_rows, tz);
    let now_hour = metrics::local_hour(now_ms, tz).unwrap_or(23);
    let mut day = Counts::default();
    let mut hours = Vec::with_capacity(24);
    for hour in 0..24i8 {
        let t = today_hours.get(&hour).copied().unwrap_or_default();
        let y = yesterday_hours.get(&hour).copied().unwrap_or_default();
        day.add(&t);
        let future = hour > now_hour;
        hours.push(Hour {
            hour,
            inbound_today: t.total_inbound,
            inbound_yesterday: y.total_inbound,
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
    let per_agent = metrics::counts(
        db,
        tenant.id,
        window,
        Filter::default(),
        Group {
            agent: true,
            ..Group::default()
        },
        threshold,
    )
    .await?;
    let mut agent_counts: BTreeMap<String, i64> =
        AGENT_STATES.iter().map(|s| ((*s).to_owned(), 0)).collect();
    let mut agents = Vec::new();
    let mut listed = std::collections::BTreeSet::new();
    let calls_of = |id: Option<i64>| {
        per_agent
            .iter()
            .find(|g| id.is_some() && g.agent_id == id)
            .map(|g| (g.counts.answered, g.counts.outbound))
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
    let q = format!(
        "SELECT {ABANDONED_COLUMNS} FROM calls INDEXED BY calls_started WHERE tenant_id = ?1 \
         AND started_ms >= ?2 AND started_ms < ?3 AND {} \
         ORDER BY started_ms DESC, id DESC LIMIT ?4",
        metrics::sql::ABANDONED
    );
    let rows = db
        .query(
            &q,
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
    let contacts = db
        .query(
            "SELECT caller, direction, started_ms, answered_ms IS NOT NULL FROM calls \
             INDEXED BY calls_started WHERE tenant_id = ?1 AND started_ms >= ?2 \
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
