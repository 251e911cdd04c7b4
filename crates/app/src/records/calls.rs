//! Calls in SQL (HIST-1): the call history's rows, one call's detail and
//! its timeline (the event log). Every function takes the tenant ID and
//! filters by it.
//!
//! Pages are newest first by `(started_ms, id)`, a key that never repeats,
//! read after the last row shown (keyset paging): a call that arrives while
//! an admin pages lands before the first page and moves nothing, so no row
//! is skipped or shown twice, and a page 10 000 rows deep costs what the
//! first does (one seek on `calls_started`).

use serde::Serialize;
use switchboard_storage::{Row, Sql, StorageError, Value};

/// What the admin typed as a number, as the index can serve it
/// (migration 0013).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberMatch {
    /// Digits the number starts with (`010-1234` → `0101234`):
    /// `calls_caller`.
    Prefix(String),
    /// Digits the number ends with, at least four (`5678`):
    /// `calls_caller_tail` on the last four, then the whole suffix.
    Tail(String),
}

/// A number prefix with at least this many calls is walked in time order
/// rather than looked up on `calls_caller` (see [`search`]).
pub const COMMON_PREFIX: i64 = 2_000;

/// A position in the newest-first order: `(started_ms, id)` of the last
/// row shown.
pub type Cursor = (i64, i64);

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub number: Option<NumberMatch>,
    pub agent_id: Option<i64>,
    /// The queue, by its menu digit.
    pub digit: Option<i64>,
    pub result: Option<String>,
    pub direction: Option<String>,
    pub after: Option<Cursor>,
    pub limit: i64,
    /// Set by [`search`]: the number prefix is common (see
    /// [`COMMON_PREFIX`]).
    pub common_prefix: bool,
}

/// One row of the call history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallRow {
    pub id: i64,
    pub call_id: String,
    pub direction: String,
    pub number: Option<String>,
    pub line: String,
    pub started_ms: i64,
    pub answered_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    pub wait_ms: Option<i64>,
    pub talk_ms: Option<i64>,
    /// `answered`, `abandoned`, `callback`, … (0007); `None` while live.
    pub result: Option<String>,
    pub live: Option<String>,
    pub digit: Option<i64>,
    pub queue: Option<String>,
    pub agent_id: Option<i64>,
    /// The login ID the provider named.
    pub agent_login: Option<String>,
    /// The agent's name (a deleted agent keeps it).
    pub agent_name: Option<String>,
    pub to_agent: Option<String>,
    pub recordings: i64,
    pub consultations: i64,
}

const SELECT: &str = "SELECT k.id, k.call_id, k.direction, k.caller, k.line, k.started_ms, \
    k.answered_ms, k.ended_ms, k.wait_ms, k.talk_ms, k.result, k.live, k.digit, m.queue, \
    k.agent_id, k.agent, a.name, k.to_agent, \
    (SELECT COUNT(*) FROM recordings r WHERE r.tenant_id = k.tenant_id AND r.call_id = k.call_id), \
    (SELECT COUNT(*) FROM consultations c WHERE c.tenant_id = k.tenant_id AND c.call_id = k.call_id) \
    FROM calls k \
    LEFT JOIN ars_menus m ON m.tenant_id = k.tenant_id AND m.digit = k.digit AND m.kind = 'agents' \
    LEFT JOIN agents a ON a.id = k.agent_id AND a.tenant_id = k.tenant_id";

fn from_row(r: &Row) -> Result<CallRow, StorageError> {
    Ok(CallRow {
        id: r.i64(0)?,
        call_id: r.text(1)?,
        direction: r.text(2)?,
        number: r.opt_text(3)?,
        line: r.text(4)?,
        started_ms: r.i64(5)?,
        answered_ms: r.opt_i64(6)?,
        ended_ms: r.opt_i64(7)?,
        wait_ms: r.opt_i64(8)?,
        talk_ms: r.opt_i64(9)?,
        result: r.opt_text(10)?,
        live: r.opt_text(11)?,
        digit: r.opt_i64(12)?,
        queue: r.opt_text(13)?,
        agent_id: r.opt_i64(14)?,
        agent_login: r.opt_text(15)?,
        agent_name: r.opt_text(16)?,
        to_agent: r.opt_text(17)?,
        recordings: r.i64(18)?,
        consultations: r.i64(19)?,
    })
}

/// The `WHERE` of a filtered search over `calls k` (without the cursor),
/// and its parameters. Shared with the consultation history.
pub fn conditions(tenant_id: i64, f: &Filter) -> (String, Vec<Value>) {
    let mut sql = String::from("k.tenant_id = ?");
    let mut params: Vec<Value> = vec![tenant_id.into()];
    let mut and = |cond: &str, values: Vec<Value>| {
        sql.push_str(" AND ");
        sql.push_str(cond);
        params.extend(values);
    };
    if let Some(from) = f.from_ms {
        and("k.started_ms >= ?", vec![from.into()]);
    }
    if let Some(until) = f.until_ms {
        and("k.started_ms < ?", vec![until.into()]);
    }
    match &f.number {
        // ':' sorts right after '9': [p, p:) is every number starting p.
        // A prefix few calls have is a range seek on `calls_caller`. One
        // that many calls have (`010`, see [`search`]) is `+k.caller`,
        // which keeps SQLite off that index: the newest-first walk of
        // `calls_started` then stops at the page's last row instead of
        // sorting millions of matches (BENCHMARKS.md).
        Some(NumberMatch::Prefix(p)) if !f.common_prefix => and(
            "k.caller >= ? AND k.caller < ?",
            vec![p.as_str().into(), format!("{p}:").into()],
        ),
        Some(NumberMatch::Prefix(p)) => and(
            "+k.caller >= ? AND +k.caller < ?",
            vec![p.as_str().into(), format!("{p}:").into()],
        ),
        Some(NumberMatch::Tail(t)) => {
            let last4: String = t
                .chars()
                .skip(t.chars().count().saturating_sub(4))
                .collect();
            and(
                "substr(k.caller, -4) = ? AND substr(k.caller, -?) = ?",
                vec![
                    last4.into(),
                    i64::try_from(t.len()).unwrap_or(4).into(),
                    t.as_str().into(),
                ],
            );
        }
        None => {}
    }
    if let Some(a) = f.agent_id {
        and("k.agent_id = ?", vec![a.into()]);
    }
    if let Some(d) = f.digit {
        and("k.digit = ?", vec![d.into()]);
    }
    if let Some(r) = &f.result {
        and("k.result = ?", vec![r.as_str().into()]);
    }
    if let Some(d) = &f.direction {
        and("k.direction = ?", vec![d.as_str().into()]);
    }
    (sql, params)
}

/// One page of the call history, newest first, after `f.after`.
///
/// A number prefix is first counted on `calls_caller`, up to
/// [`COMMON_PREFIX`] calls (a bounded index range): a rare one is then read
/// from that index and its few matches sorted; a common one is found by
/// walking the calls newest first, where matches are dense enough that the
/// page fills quickly. Either way no query sorts or scans millions of rows.
pub async fn search(
    db: &dyn Sql,
    tenant_id: i64,
    f: &Filter,
) -> Result<Vec<CallRow>, StorageError> {
    let mut f = f.clone();
    if let Some(NumberMatch::Prefix(p)) = &f.number {
        let probe = db
            .query_row(
                "SELECT COUNT(*) FROM (SELECT 1 FROM calls INDEXED BY calls_caller \
                   WHERE tenant_id = ? AND caller >= ? AND caller < ? LIMIT ?)",
                &[
                    tenant_id.into(),
                    p.as_str().into(),
                    format!("{p}:").into(),
                    COMMON_PREFIX.into(),
                ],
            )
            .await?;
        f.common_prefix = probe.map(|r| r.i64(0)).transpose()?.unwrap_or(0) >= COMMON_PREFIX;
    }
    let f = &f;
    let (mut cond, mut params) = conditions(tenant_id, f);
    if let Some((ms, id)) = f.after {
        cond.push_str(" AND (k.started_ms, k.id) < (?, ?)");
        params.extend([ms.into(), id.into()]);
    }
    params.push(f.limit.into());
    let sql = format!("{SELECT} WHERE {cond} ORDER BY k.started_ms DESC, k.id DESC LIMIT ?");
    db.query(&sql, &params)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn get(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<Option<CallRow>, StorageError> {
    let sql = format!("{SELECT} WHERE k.id = ? AND k.tenant_id = ?");
    db.query_row(&sql, &[id.into(), tenant_id.into()])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// One event of a call's timeline: what the provider (or the agent app)
/// said happened, and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEvent {
    pub event_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub source: String,
    pub at_ms: i64,
    pub agent: Option<String>,
    pub to_agent: Option<String>,
    pub number: Option<String>,
    pub digit: Option<i64>,
    pub hours: Option<String>,
    pub result: Option<String>,
    pub duration_ms: Option<i64>,
    /// For a call-flow step (`source` = `flow`): the queue it concerns.
    pub queue: Option<String>,
}

/// Every event of call `call_id`, in time order (then arrival order), the
/// callback's attempts included, and the steps of the call flow Switchboard
/// served (TEL-3: `type` is the decision, `flow.menu` …, `source` `flow`).
pub async fn timeline(
    db: &dyn Sql,
    tenant_id: i64,
    call_id: &str,
) -> Result<Vec<TimelineEvent>, StorageError> {
    let rows = db
        .query(
            "SELECT e.event_id, e.type, e.source, e.at_ms, e.agent, e.to_agent, e.number, e.digit, \
               e.hours, e.result, e.duration_ms, NULL, 0 AS src, e.seq AS ord FROM telephony_events e \
             WHERE e.tenant_id = ?1 AND e.known = 1 AND (e.call_id = ?2 OR e.callback_id = \
               (SELECT b.id FROM callbacks b WHERE b.tenant_id = ?1 AND b.call_id = ?2)) \
             UNION ALL \
             SELECT 'flow-' || f.id, f.decision, 'flow', f.at_ms, NULL, NULL, NULL, f.digit, \
               f.hours, NULL, NULL, f.queue, 1, f.id FROM call_flow_steps f \
             WHERE f.tenant_id = ?1 AND f.call_id = ?2 \
             ORDER BY 4, 13, 14",
            &[tenant_id.into(), call_id.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(TimelineEvent {
                event_id: r.text(0)?,
                kind: r.text(1)?,
                source: r.text(2)?,
                at_ms: r.i64(3)?,
                agent: r.opt_text(4)?,
                to_agent: r.opt_text(5)?,
                number: r.opt_text(6)?,
                digit: r.opt_i64(7)?,
                hours: r.opt_text(8)?,
                result: r.opt_text(9)?,
                duration_ms: r.opt_i64(10)?,
                queue: r.opt_text(11)?,
            })
        })
        .collect()
}

/// A recording of a call, as the detail lists it (no URL).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordingRef {
    pub id: i64,
    pub duration_ms: i64,
    pub format: String,
    pub at_ms: i64,
}

pub async fn recordings_of(
    db: &dyn Sql,
    tenant_id: i64,
    call_id: &str,
) -> Result<Vec<RecordingRef>, StorageError> {
    let rows = db
        .query(
            "SELECT id, duration_ms, format, at_ms FROM recordings \
             WHERE tenant_id = ? AND call_id = ? ORDER BY at_ms, id",
            &[tenant_id.into(), call_id.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(RecordingRef {
                id: r.i64(0)?,
                duration_ms: r.i64(1)?,
                format: r.text(2)?,
                at_ms: r.i64(3)?,
            })
        })
        .collect()
}
