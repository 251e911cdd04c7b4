//! The metric definitions of SPEC section 11, stated once. The dashboard
//! (MON-*), the statistics (STAT-*) and every export count with these and
//! nothing else, so two screens can never disagree.
//!
//! | figure | definition (one row of `calls`, see `migrations/0007_telephony.sql`) |
//! | --- | --- |
//! | total inbound (총인입) | every inbound call reaching the representative number: `direction = 'inbound'`, out-of-hours, holiday, information-only and `lost` calls included |
//! | offered (인입/상담요청) | calls that entered a queue: `queued_ms IS NOT NULL`, except `lost` calls |
//! | answered (응대) | offered calls connected to an agent: offered and `answered_ms IS NOT NULL` |
//! | abandoned (포기) | offered calls the caller ended while waiting: `result = 'abandoned'` (a call converted to a callback is *not* abandoned) |
//! | callback conversions (콜백전환) | inbound calls whose caller asked for a callback and that no agent answered: `callback_ms IS NOT NULL`, not answered |
//! | answered within the threshold | answered and `wait_ms <= threshold` (the tenant's setting, default 20 s) |
//! | answer rate (응대율) | answered / offered |
//! | service level (SL) | answered within the threshold / offered |
//! | wait | answered (or abandoned) − queued (`wait_ms`, a generated column) |
//! | talk | ended − answered (`talk_ms`) |
//! | after-call work (후처리) | time in the `after_call_work` agent state |
//!
//! A call that the worker closes as `lost` (its `call.ended` never came;
//! `result = 'lost'`) counts in total inbound only: never as offered,
//! answered or abandoned, so a provider's missing event cannot move a rate.
//!
//! A call belongs to the window its start (`started_ms`) falls in: the
//! `calls_started` index `(tenant_id, started_ms)` reads exactly the window,
//! so a figure costs what the window holds, not the whole history.
//!
//! The API is counts, not rates: [`Counts`] are sums over calls, so counts
//! of quarter-hours add up to hours and days, queues to the tenant, and the
//! rates ([`Counts::answer_rate`], [`Counts::service_level`]) are taken from
//! the sums at the end. [`counts`] reads them grouped as asked ([`Group`]),
//! for one tenant, a [`Window`], optionally one queue or agent ([`Filter`]).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;
use switchboard_storage::{Row, Sql, StorageError, Value};

/// The service-level threshold before a tenant sets one (SPEC section 11).
pub const DEFAULT_SL_THRESHOLD_SECONDS: i64 = 20;

/// The smallest time bucket [`counts`] groups by: a quarter of an hour, so
/// every time zone's hours (offsets are multiples of 15 minutes) are whole
/// buckets.
pub const BUCKET_MS: i64 = 15 * 60 * 1000;

/// The definitions as SQL over one row of `calls`, each 1 or 0 (or a
/// duration). Statistics and exports that need a figure per call use these
/// fragments; figures over many calls use [`counts`].
pub mod sql {
    /// Not closed as `lost` by the worker.
    pub const NOT_LOST: &str = "COALESCE(result, '') <> 'lost'";
    /// Total inbound (총인입).
    pub const INBOUND: &str = "(direction = 'inbound')";
    /// Offered: entered a queue, not `lost`.
    pub const OFFERED: &str = "(queued_ms IS NOT NULL AND COALESCE(result, '') <> 'lost')";
    /// Answered: offered and connected to an agent.
    pub const ANSWERED: &str =
        "(queued_ms IS NOT NULL AND answered_ms IS NOT NULL AND COALESCE(result, '') <> 'lost')";
    /// Abandoned: offered, ended by the caller while waiting, not converted
    /// to a callback (the `result` column says exactly that).
    pub const ABANDONED: &str = "(result = 'abandoned')";
    /// Callback conversion: the caller asked for a callback, no agent
    /// answered.
    pub const CALLBACK: &str = "(direction = 'inbound' AND callback_ms IS NOT NULL \
         AND answered_ms IS NULL AND COALESCE(result, '') <> 'lost')";
    /// Answered within the threshold; binds one parameter, the threshold in
    /// milliseconds.
    pub const ANSWERED_WITHIN: &str = "(queued_ms IS NOT NULL AND answered_ms IS NOT NULL \
         AND COALESCE(result, '') <> 'lost' AND wait_ms <= ?)";
}

/// Calls whose start is in `[from_ms, to_ms)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Window {
    /// The calendar day `date` in `tz` (23 or 25 hours on a DST change).
    pub fn day(date: Date, tz: &TimeZone) -> Option<Window> {
        let from = crate::time::day_start(date, tz)?;
        let to = crate::time::day_start(date.tomorrow().ok()?, tz)?;
        Some(Window {
            from_ms: from.as_millisecond(),
            to_ms: to.as_millisecond(),
        })
    }

    /// Today in `tz` up to `now` (the start of today to the end of today:
    /// calls cannot start later than now anyway).
    pub fn today(now: Timestamp, tz: &TimeZone) -> Option<Window> {
        Window::day(now.to_zoned_datetime(tz.clone()).date(), tz)
    }
}

/// Only one queue (the menu digit the call was queued at) and/or agent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub digit: Option<i64>,
    pub agent_id: Option<i64>,
}

/// What [`counts`] groups by; every field false gives one total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Group {
    /// By [`BUCKET_MS`] bucket of the call's start.
    pub bucket: bool,
    /// By queue (menu digit and the menu it resolved to).
    pub queue: bool,
    /// By the agent who answered (or dialled).
    pub agent: bool,
}

/// The sums one group of calls gives; every field adds up across groups
/// (`longest_wait_ms` by maximum).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total_inbound: i64,
    pub offered: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub callbacks: i64,
    pub answered_within: i64,
    /// Sum of the waits of answered calls, and of abandoned calls.
    pub wait_answered_ms: i64,
    pub wait_abandoned_ms: i64,
    /// The longest wait of an answered or abandoned call.
    pub longest_wait_ms: i64,
    /// Sum of talk time, and how many answered calls have ended (have one).
    pub talk_ms: i64,
    pub talked: i64,
    /// Outbound calls (direction `outbound`) and internal calls.
    pub outbound: i64,
    pub internal: i64,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.total_inbound += o.total_inbound;
        self.offered += o.offered;
        self.answered += o.answered;
        self.abandoned += o.abandoned;
        self.callbacks += o.callbacks;
        self.answered_within += o.answered_within;
        self.wait_answered_ms += o.wait_answered_ms;
        self.wait_abandoned_ms += o.wait_abandoned_ms;
        self.longest_wait_ms = self.longest_wait_ms.max(o.longest_wait_ms);
        self.talk_ms += o.talk_ms;
        self.talked += o.talked;
        self.outbound += o.outbound;
        self.internal += o.internal;
    }

    /// Answer rate (응대율) = answered / offered, in percent; `None` when
    /// nothing was offered (shown as "—", never as 0 % or 100 %).
    pub fn answer_rate(&self) -> Option<f64> {
        percent(self.answered, self.offered)
    }

    /// Service level = answered within the threshold / offered, in percent.
    pub fn service_level(&self) -> Option<f64> {
        percent(self.answered_within, self.offered)
    }

    /// Average wait of answered calls, in milliseconds.
    pub fn average_answer_wait_ms(&self) -> Option<i64> {
        (self.answered > 0).then(|| self.wait_answered_ms / self.answered)
    }

    /// Average talk time of answered, ended calls, in milliseconds.
    pub fn average_talk_ms(&self) -> Option<i64> {
        (self.talked > 0).then(|| self.talk_ms / self.talked)
    }
}

/// `part / whole` in percent, rounded to one decimal; `None` for an empty
/// whole.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| ((part as f64) * 1000.0 / (whole as f64)).round() / 10.0)
}

/// One group's key and counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouped {
    /// The bucket's start (ms), with [`Group::bucket`].
    pub bucket_ms: Option<i64>,
    /// The queue's digit and menu, with [`Group::queue`] (`None` for calls
    /// that never chose one).
    pub digit: Option<i64>,
    pub menu_id: Option<i64>,
    /// With [`Group::agent`].
    pub agent_id: Option<i64>,
    pub counts: Counts,
}

/// The select list of [`Counts`], in field order; binds one parameter (the
/// threshold in milliseconds, `?1`). The statistics roll-up stores exactly
/// these columns per hour (`stat_hour_queue`, `stat_hour_agent`).
pub const COUNTS_SQL: &str = "COUNT(CASE WHEN direction = 'inbound' THEN 1 END), \
    COUNT(CASE WHEN queued_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' THEN 1 END), \
    COUNT(CASE WHEN queued_ms IS NOT NULL AND answered_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' THEN 1 END), \
    COUNT(CASE WHEN result = 'abandoned' THEN 1 END), \
    COUNT(CASE WHEN direction = 'inbound' AND callback_ms IS NOT NULL AND answered_ms IS NULL AND COALESCE(result, '') <> 'lost' THEN 1 END), \
    COUNT(CASE WHEN queued_ms IS NOT NULL AND answered_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' AND wait_ms <= ?1 THEN 1 END), \
    COALESCE(SUM(CASE WHEN queued_ms IS NOT NULL AND answered_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' THEN wait_ms END), 0), \
    COALESCE(SUM(CASE WHEN result = 'abandoned' THEN wait_ms END), 0), \
    COALESCE(MAX(CASE WHEN (answered_ms IS NOT NULL OR result = 'abandoned') AND COALESCE(result, '') <> 'lost' THEN wait_ms END), 0), \
    COALESCE(SUM(CASE WHEN queued_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' THEN talk_ms END), 0), \
    COUNT(CASE WHEN queued_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' THEN talk_ms END), \
    COUNT(CASE WHEN direction = 'outbound' THEN 1 END), \
    COUNT(CASE WHEN direction = 'internal' THEN 1 END)";

/// The lower bounds of STAT-3's wait and abandon histograms: 0–10, 10–20,
/// 20–30, 30–60 and 60 s or more (a wait of exactly 10 s is in 10–20).
pub const WAIT_BINS_MS: [i64; 5] = [0, 10_000, 20_000, 30_000, 60_000];

/// The select list of STAT-3's histograms (waits of answered calls in
/// [`WAIT_BINS_MS`], then waits of abandoned calls) and STAT-5's callbacks
/// handled (outbound calls dialled for a callback request): 11 columns.
pub const HISTOGRAM_SQL: &str = "\
    COUNT(CASE WHEN queued_ms IS NOT NULL AND answered_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' AND wait_ms < 10000 THEN 1 END), \
    COUNT(CASE WHEN queued_ms IS NOT NULL AND answered_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' AND wait_ms >= 10000 AND wait_ms < 20000 THEN 1 END), \
    COUNT(CASE WHEN queued_ms IS NOT NULL AND answered_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' AND wait_ms >= 20000 AND wait_ms < 30000 THEN 1 END), \
    COUNT(CASE WHEN queued_ms IS NOT NULL AND answered_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' AND wait_ms >= 30000 AND wait_ms < 60000 THEN 1 END), \
    COUNT(CASE WHEN queued_ms IS NOT NULL AND answered_ms IS NOT NULL AND COALESCE(result, '') <> 'lost' AND wait_ms >= 60000 THEN 1 END), \
    COUNT(CASE WHEN result = 'abandoned' AND wait_ms < 10000 THEN 1 END), \
    COUNT(CASE WHEN result = 'abandoned' AND wait_ms >= 10000 AND wait_ms < 20000 THEN 1 END), \
    COUNT(CASE WHEN result = 'abandoned' AND wait_ms >= 20000 AND wait_ms < 30000 THEN 1 END), \
    COUNT(CASE WHEN result = 'abandoned' AND wait_ms >= 30000 AND wait_ms < 60000 THEN 1 END), \
    COUNT(CASE WHEN result = 'abandoned' AND wait_ms >= 60000 THEN 1 END), \
    COUNT(CASE WHEN direction = 'outbound' AND outbound_callback IS NOT NULL THEN 1 END)";

/// [`Counts`] read from `r` at column `at` (the [`COUNTS_SQL`] columns).
pub fn counts_from(r: &Row, at: usize) -> Result<Counts, StorageError> {
    Ok(Counts {
        total_inbound: r.i64(at)?,
        offered: r.i64(at + 1)?,
        answered: r.i64(at + 2)?,
        abandoned: r.i64(at + 3)?,
        callbacks: r.i64(at + 4)?,
        answered_within: r.i64(at + 5)?,
        wait_answered_ms: r.i64(at + 6)?,
        wait_abandoned_ms: r.i64(at + 7)?,
        longest_wait_ms: r.i64(at + 8)?,
        talk_ms: r.i64(at + 9)?,
        talked: r.i64(at + 10)?,
        outbound: r.i64(at + 11)?,
        internal: r.i64(at + 12)?,
    })
}

/// The [`Counts`] of a tenant's calls that started in `window`, grouped as
/// `group` says, for `filter`, with the service-level threshold
/// `threshold_seconds`. One read of the window through `calls_started`.
pub async fn counts(
    db: &dyn Sql,
    tenant_id: i64,
    window: Window,
    filter: Filter,
    group: Group,
    threshold_seconds: i64,
) -> Result<Vec<Grouped>, StorageError> {
    let mut keys = Vec::new();
    if group.bucket {
        keys.push(format!("(started_ms / {BUCKET_MS}) * {BUCKET_MS}"));
    }
    if group.queue {
        keys.push("digit".to_owned());
        keys.push("menu_id".to_owned());
    }
    if group.agent {
        keys.push("agent_id".to_owned());
    }
    let mut params: Vec<Value> = vec![
        (threshold_seconds * 1000).into(),
        tenant_id.into(),
        window.from_ms.into(),
        window.to_ms.into(),
    ];
    let mut filters = String::new();
    if let Some(d) = filter.digit {
        filters.push_str(" AND digit = ?");
        params.push(d.into());
    }
    if let Some(a) = filter.agent_id {
        filters.push_str(" AND agent_id = ?");
        params.push(a.into());
    }
    let key_list = keys.join(", ");
    let (select_keys, group_by) = if keys.is_empty() {
        (String::new(), String::new())
    } else {
        (format!("{key_list}, "), format!(" GROUP BY {key_list}"))
    };
    let rest = format!(
        "FROM calls INDEXED BY calls_started \
         WHERE tenant_id = ?2 AND started_ms >= ?3 AND started_ms < ?4{filters}{group_by}"
    );
    // Numbered parameters: the filters after ?4 take ?5, ?6.
    let rest = number_rest(&rest, 5);
    // One row however many groups (see `reports::packed`).
    let rows =
        super::packed::query(db, &format!("{select_keys}{COUNTS_SQL}"), &rest, &params).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows.iter() {
        let mut at = 0;
        let mut take = |on: bool| -> Result<Option<i64>, StorageError> {
            if !on {
                return Ok(None);
            }
            let v = r.opt_i64(at)?;
            at += 1;
            Ok(v)
        };
        let bucket_ms = take(group.bucket)?;
        let digit = take(group.queue)?;
        let menu_id = take(group.queue)?;
        let agent_id = take(group.agent)?;
        let counts = counts_from(r, at)?;
        // A window without calls still gives one row of zeros without
        // grouping; leave it out so an empty window is an empty list.
        if keys.is_empty() && counts == Counts::default() {
            continue;
        }
        out.push(Grouped {
            bucket_ms,
            digit,
            menu_id,
            agent_id,
            counts,
        });
    }
    Ok(out)
}

/// Gives each bare `?` in `q` a number from `next` on (so that numbered and
/// bare parameters never mix).
fn number_rest(q: &str, mut next: usize) -> String {
    let mut out = String::with_capacity(q.len() + 8);
    let mut chars = q.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '?' && !chars.peek().is_some_and(char::is_ascii_digit) {
            out.push_str(&next.to_string());
            next += 1;
        }
    }
    out
}

/// MON-7's two figures per agent (the agent who answered or dialled) for
/// calls that started in `window`: inbound calls answered ([`sql::ANSWERED`])
/// and outbound calls dialled (the `outbound` of [`Counts`]), as
/// `(agent_id, answered, outbound)`. Two columns instead of the whole
/// [`Counts`], read as one row.
pub async fn answered_and_outbound_by_agent(
    db: &dyn Sql,
    tenant_id: i64,
    window: Window,
) -> Result<Vec<(i64, i64, i64)>, StorageError> {
    let columns = format!(
        "agent_id, COUNT(CASE WHEN {} THEN 1 END), COUNT(CASE WHEN direction = 'outbound' THEN 1 END)",
        sql::ANSWERED
    );
    let rest = "FROM calls INDEXED BY calls_started WHERE tenant_id = ?1 AND started_ms >= ?2 \
                AND started_ms < ?3 AND agent_id IS NOT NULL GROUP BY agent_id";
    super::packed::query(
        db,
        &columns,
        rest,
        &[tenant_id.into(), window.from_ms.into(), window.to_ms.into()],
    )
    .await?
    .iter()
    .map(|r| Ok((r.i64(0)?, r.i64(1)?, r.i64(2)?)))
    .collect()
}

/// The sum of `rows`' counts.
pub fn total<'a>(rows: impl IntoIterator<Item = &'a Grouped>) -> Counts {
    let mut c = Counts::default();
    for r in rows {
        c.add(&r.counts);
    }
    c
}

/// Time in the after-call-work state (후처리) per agent, within `window`
/// (intervals clipped to it; one still open counts up to `now_ms`).
pub async fn after_call_work(
    db: &dyn Sql,
    tenant_id: i64,
    window: Window,
    now_ms: i64,
    filter: Filter,
) -> Result<Vec<(Option<i64>, i64)>, StorageError> {
    let mut params: Vec<Value> = vec![
        tenant_id.into(),
        window.from_ms.into(),
        window.to_ms.into(),
        now_ms.into(),
    ];
    let mut extra = "";
    if let Some(a) = filter.agent_id {
        extra = " AND agent_id = ?5";
        params.push(a.into());
    }
    let q = format!(
        "SELECT agent_id, SUM(MAX(0, MIN(COALESCE(ended_ms, ?4), ?3) - MAX(started_ms, ?2))) \
         FROM agent_states WHERE tenant_id = ?1 AND state = 'after_call_work' \
         AND started_ms < ?3 AND COALESCE(ended_ms, ?4) > ?2{extra} \
         GROUP BY agent_id ORDER BY agent_id"
    );
    db.query(&q, &params)
        .await?
        .iter()
        .map(|r| Ok((r.opt_i64(0)?, r.i64(1)?)))
        .collect()
}

/// The local hour (0–23) of the instant `ms` in `tz`.
pub fn local_hour(ms: i64, tz: &TimeZone) -> Option<i8> {
    Timestamp::from_millisecond(ms)
        .ok()
        .map(|t| t.to_zoned_datetime(tz.clone()).hour())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_taken_from_sums_and_empty_is_none() {
        let a = Counts {
            offered: 3,
            answered: 2,
            answered_within: 1,
            ..Counts::default()
        };
        assert_eq!(a.answer_rate(), Some(66.7));
        assert_eq!(a.service_level(), Some(33.3));
        assert_eq!(Counts::default().answer_rate(), None);
        let mut b = a;
        b.add(&Counts {
            offered: 1,
            answered: 1,
            answered_within: 1,
            ..Counts::default()
        });
        assert_eq!(b.answer_rate(), Some(75.0));
        assert_eq!(b.service_level(), Some(50.0));
    }

    #[test]
    fn bare_parameters_are_numbered_after_the_numbered_ones() {
        assert_eq!(
            number_rest("a = ?2 AND b = ? AND c = ?", 5),
            "a = ?2 AND b = ?5 AND c = ?6"
        );
    }

    #[test]
    fn a_seoul_day_starts_at_fifteen_utc() {
        let tz = TimeZone::get("Asia/Seoul").unwrap();
        let w = Window::day("2026-11-30".parse().unwrap(), &tz).unwrap();
        assert_eq!(
            Timestamp::from_millisecond(w.from_ms).unwrap().to_string(),
            "2026-11-29T15:00:00Z"
        );
        assert_eq!(w.to_ms - w.from_ms, 24 * 3600 * 1000);
    }
}
