//! Storing events (TEL-1, TEL-2).
//!
//! A batch is one multi-row `INSERT … ON CONFLICT (event_id) DO NOTHING
//! RETURNING`: SQLite runs a single statement atomically, so the batch is
//! stored whole or not at all, and it is committed before the provider gets
//! its 2xx. The event row *is* the idempotency record (its `event_id` is
//! unique), so a redelivered event is skipped by the same statement and
//! never reaches the triggers that keep calls, agent states, sessions,
//! callbacks and recordings up to date (see `migrations/0007_telephony.sql`).
//! Which tenant an event belongs to is looked up in the same statement
//! (`records::numbers::EVENT_TENANT`, issue 14 finding 1): the company that
//! already has the event's call on that line, else the company the platform
//! operator had provisioned the `line` to at the event's time. So a number
//! released by one company and given to another keeps its old calls — and
//! their late recordings, callback requests and ends — with the old company. An event for a number nobody held then is stored with no
//! tenant ("unrouted") and reported as such.

use crate::records::numbers;
use serde::Serialize;
use std::collections::HashSet;
use switchboard_storage::{Sql, StorageError, Value};
use switchboard_telephony::{Event, EventBody};

/// Who sent the events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The telephony provider, through the signed webhook: the tenant is
    /// the holder of each event's `line` at the event's time.
    Provider,
    /// The agent app (AGT-1), on behalf of a signed-in agent of this tenant.
    /// Their `line` is ignored: the tenant's representative number is
    /// recorded.
    AgentApp { tenant_id: i64 },
}

/// What became of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Stored and applied to its tenant's records.
    Stored,
    /// Its ID was stored before (now or earlier in the same batch): nothing changed.
    Duplicate,
    /// Stored, but no tenant held its `line` at its time: kept for the
    /// operator, applied to nothing.
    Unrouted,
    /// Stored, but its `type` is unknown to this version: kept with its
    /// JSON, applied to nothing.
    UnknownType,
}

const COLUMNS: &str = "event_id, tenant_id, line, type, known, source, at_ms, received_ms, \
    call_id, agent, to_agent, number, digit, hours, callback_id, result, url, duration_ms, \
    format, session, platform, ip, state, json";
const PER_ROW: usize = 24;

/// Stores `events` atomically and says what became of each, in order.
pub async fn store(
    db: &dyn Sql,
    events: &[Event],
    source: Source,
    received_ms: i64,
) -> Result<Vec<Outcome>, StorageError> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    // The provider's events name their line, which finds the tenant; the
    // agent app's are the tenant's, and name its line for the record.
    let (tenant_expr, line_expr, source_name) = match source {
        Source::Provider => (numbers::EVENT_TENANT, "?", "provider"),
        Source::AgentApp { .. } => (
            "?",
            "COALESCE((SELECT representative_number FROM ars_settings WHERE tenant_id = ?), '')",
            "agent_app",
        ),
    };
    let row = format!(
        "(?, {tenant_expr}, {line_expr}, {})",
        ["?"; PER_ROW - 3].join(", ")
    );
    let sql = format!(
        "INSERT INTO telephony_events ({COLUMNS}) VALUES {} \
         ON CONFLICT (event_id) DO NOTHING RETURNING event_id, tenant_id",
        vec![row.as_str(); events.len()].join(", ")
    );
    let mut params = Vec::with_capacity(events.len() * PER_ROW);
    for e in events {
        let line = e.line.as_str();
        let (tenant, line) = match source {
            Source::Provider => (
                numbers::event_tenant_params(cols(&e.body).call.as_deref(), line, e.at_ms),
                Value::from(line),
            ),
            Source::AgentApp { tenant_id } => {
                (vec![Value::from(tenant_id)], Value::from(tenant_id))
            }
        };
        push_row(&mut params, e, tenant, line, source_name, received_ms);
    }
    let rows = db.query(&sql, &params).await?;
    let mut inserted = std::collections::HashMap::with_capacity(rows.len());
    for r in &rows {
        inserted.insert(r.text(0)?, r.opt_i64(1)?.is_some());
    }
    let mut seen = HashSet::with_capacity(events.len());
    Ok(events
        .iter()
        .map(|e| {
            let first = seen.insert(e.id.as_str());
            match inserted.get(&e.id) {
                Some(_) if !first => Outcome::Duplicate,
                None => Outcome::Duplicate,
                Some(false) => Outcome::Unrouted,
                Some(true) if matches!(e.body, EventBody::Unknown { .. }) => Outcome::UnknownType,
                Some(true) => Outcome::Stored,
            }
        })
        .collect())
}

/// The type-specific columns, in [`COLUMNS`] order after `received_ms`.
#[derive(Default)]
struct Cols {
    call: Option<String>,
    agent: Option<String>,
    to_agent: Option<String>,
    number: Option<String>,
    digit: Option<i64>,
    hours: Option<&'static str>,
    callback: Option<i64>,
    result: Option<&'static str>,
    url: Option<String>,
    duration_ms: Option<i64>,
    format: Option<&'static str>,
    session: Option<String>,
    platform: Option<&'static str>,
    ip: Option<String>,
    state: Option<&'static str>,
    json: Option<String>,
}

fn cols(body: &EventBody) -> Cols {
    let call = |c: &String| Some(c.clone());
    match body {
        EventBody::CallReceived {
            call: c,
            from,
            hours,
        } => Cols {
            call: call(c),
            number: Some(from.clone()),
            hours: Some(hours.as_str()),
            ..Cols::default()
        },
        EventBody::CallMenu { call: c, digit } | EventBody::CallQueued { call: c, digit } => Cols {
            call: call(c),
            digit: Some(i64::from(*digit)),
            ..Cols::default()
        },
        EventBody::CallOffered { call: c, agent } | EventBody::CallAnswered { call: c, agent } => {
            Cols {
                call: call(c),
                agent: Some(agent.as_str().to_owned()),
                ..Cols::default()
            }
        }
        EventBody::CallAbandoned { call: c } | EventBody::CallEnded { call: c } => Cols {
            call: call(c),
            ..Cols::default()
        },
        EventBody::CallOutbound {
            call: c,
            agent,
            to,
            callback,
        } => Cols {
            call: call(c),
            agent: Some(agent.as_str().to_owned()),
            number: Some(to.clone()),
            callback: *callback,
            ..Cols::default()
        },
        EventBody::CallInternal {
            call: c,
            agent,
            to_agent,
        } => Cols {
            call: call(c),
            agent: Some(agent.as_str().to_owned()),
            to_agent: Some(to_agent.as_str().to_owned()),
            ..Cols::default()
        },
        EventBody::CallbackRequested {
            call: c,
            number,
            digit,
        } => Cols {
            call: call(c),
            number: Some(number.clone()),
            digit: Some(i64::from(*digit)),
            ..Cols::default()
        },
        EventBody::CallbackAttempt {
            callback,
            call: c,
            result,
        } => Cols {
            // The attempt's own (outbound) call; the callback ID links the
            // attempt to its request.
            call: c.clone(),
            callback: Some(*callback),
            result: Some(result.as_str()),
            ..Cols::default()
        },
        EventBody::RecordingReady {
            call: c,
            url,
            duration_ms,
            format,
        } => Cols {
            call: call(c),
            url: Some(url.clone()),
            duration_ms: Some(*duration_ms),
            format: Some(format.as_str()),
            ..Cols::default()
        },
        EventBody::AgentLogin {
            agent,
            session,
            platform,
            ip,
        } => Cols {
            agent: Some(agent.as_str().to_owned()),
            session: Some(session.clone()),
            platform: Some(platform.as_str()),
            ip: Some(switchboard_domain::ip_canonical(*ip).to_string()),
            ..Cols::default()
        },
        EventBody::AgentLogout { agent, session } => Cols {
            agent: Some(agent.as_str().to_owned()),
            session: Some(session.clone()),
            ..Cols::default()
        },
        EventBody::AgentState { agent, state } => Cols {
            agent: Some(agent.as_str().to_owned()),
            state: Some(state.as_str()),
            ..Cols::default()
        },
        EventBody::Unknown { json, .. } => Cols {
            json: Some(json.clone()),
            ..Cols::default()
        },
    }
}

fn push_row(
    params: &mut Vec<Value>,
    e: &Event,
    tenant: Vec<Value>,
    line: Value,
    source: &str,
    received_ms: i64,
) {
    let c = cols(&e.body);
    params.push(Value::from(e.id.as_str()));
    params.extend(tenant);
    params.extend([
        line,
        Value::from(e.body.type_name()),
        Value::from(e.body.known_type().is_some()),
        Value::from(source),
        Value::from(e.at_ms),
        Value::from(received_ms),
        Value::from(c.call),
        Value::from(c.agent),
        Value::from(c.to_agent),
        Value::from(c.number),
        Value::from(c.digit),
        Value::from(c.hours),
        Value::from(c.callback),
        Value::from(c.result),
        Value::from(c.url),
        Value::from(c.duration_ms),
        Value::from(c.format),
        Value::from(c.session),
        Value::from(c.platform),
        Value::from(c.ip),
        Value::from(c.state),
        Value::from(c.json),
    ]);
}
