//! The call flow served to the provider (TEL-3, ARS-7): loads what the
//! engine ([`switchboard_domain::callflow`]) needs — the tenant's saved ARS
//! settings and menu, whether the center is open now, the load on each
//! agents queue — asks it for the next step, carries out what the step
//! books (a callback request, CB-1), records the step for the call's
//! timeline (HIST-1) and renders it as the JSON the provider follows.
//!
//! Nothing is cached: each request reads the settings as saved, so a save
//! in the admin screens changes the very next answer (ARS-7).

use crate::records::ars::{self, Ars, Message};
use crate::records::menus::{self, Menu, MenuKind};
use crate::records::{abandoned, audio, callbacks, flow_steps, numbers, schedule_state, tenants};
use crate::reports::floor;
use serde_json::{Value as Json, json};
use switchboard_domain::PromptLanguage;
use switchboard_domain::callflow::{
    self, Action, FlowMenu, FlowMenuKind, FlowSettings, Input, Position, QueueLoad, Spoken, Step,
};
use switchboard_storage::{Sql, StorageError};

/// The most steps one call is served: a caller who keeps asking for a
/// message again is said goodbye to at the 40th.
pub const MAX_STEPS: i64 = 40;

/// One request of the flow, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowRequest {
    pub call: String,
    /// The dialled number (domestic digits).
    pub line: String,
    /// The caller's number (domestic digits), when the network gave one.
    pub from: Option<String>,
    pub at: Position,
    pub input: Input,
}

/// What the flow answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Served {
    /// No company holds the dialled number now: the provider rejects the
    /// call.
    Unrouted,
    /// The next step, rendered.
    Step {
        tenant_id: i64,
        step: Step,
        answer: Json,
    },
}

pub async fn serve(
    db: &dyn Sql,
    req: &FlowRequest,
    now: jiff::Timestamp,
) -> Result<Served, StorageError> {
    let now_ms = now.as_millisecond();
    // The company that already serves this call on this line (its own flow
    // steps: a call the provider has not reported yet stays with it when
    // the number changes hands mid-call), else the events' rule.
    let sql = format!(
        "SELECT COALESCE((SELECT tenant_id FROM call_flow_steps WHERE call_id = ? AND line = ? \
         ORDER BY id LIMIT 1), {}) AS tenant_id",
        numbers::EVENT_TENANT
    );
    let mut params = vec![req.call.as_str().into(), req.line.as_str().into()];
    params.extend(numbers::event_tenant_params(
        Some(&req.call),
        &req.line,
        now_ms,
    ));
    let tenant_id = match db.query_row(&sql, &params).await? {
        Some(r) => r.opt_i64(0)?,
        None => None,
    };
    let Some(tenant_id) = tenant_id else {
        return Ok(Served::Unrouted);
    };
    let Some(tenant) = tenants::by_id(db, tenant_id).await? else {
        return Ok(Served::Unrouted);
    };
    let scope = tenant.scope()?;
    let menus = menus::list(db, tenant_id).await?;
    let mut settings = match ars::load(db, tenant_id).await? {
        Some(saved) => flow_settings(&saved, &menus),
        None => FlowSettings::defaults(&tenant.name, PromptLanguage::Korean),
    };
    settings.can_call_back = req.from.is_some();
    let status = schedule_state::status_for(db, &scope, now).await?.status;
    let step = if flow_steps::count(db, tenant_id, &req.call).await? >= MAX_STEPS {
        callflow::goodbye(&settings, "flow.give_up")
    } else {
        let loads = queue_loads(db, tenant_id, &menus, req.at, now_ms).await?;
        let load = |digit: u8| {
            loads.iter().find(|(d, _)| *d == digit).map_or(
                QueueLoad {
                    ready_agents: 0,
                    expected_wait_seconds: u32::MAX,
                },
                |(_, l)| *l,
            )
        };
        callflow::next(&settings, &status, req.at, req.input, &load)
    };
    let mut booked = None;
    for action in &step.actions {
        if let Action::BookCallback { digit, .. } = action {
            booked = book_callback(db, tenant_id, req, &menus, *digit, now_ms).await?;
        }
    }
    flow_steps::record(
        db,
        &flow_steps::FlowStep {
            tenant_id,
            call_id: &req.call,
            line: &req.line,
            at_ms: now_ms,
            position: req.at.to_string(),
            input: input_text(req.input),
            decision: step.decision,
            digit: step.digit,
            queue: step.queue.as_deref(),
            hours: step.hours.map(|h| h.as_str()),
        },
    )
    .await?;
    let answer = render(db, tenant_id, &req.call, &step, booked).await?;
    Ok(Served::Step {
        tenant_id,
        step,
        answer,
    })
}

/// The engine's view of the saved settings.
fn flow_settings(a: &Ars, menus: &[Menu]) -> FlowSettings {
    let greeting = spoken(&a.greeting);
    let language = match &greeting {
        Spoken::Text { language, .. } => *language,
        Spoken::Audio { .. } => PromptLanguage::Korean,
    };
    FlowSettings {
        language,
        greeting,
        out_of_hours: Spoken::text(&a.out_of_hours),
        connecting: Spoken::text(&a.connecting),
        busy: Spoken::text(&a.busy),
        callback: Spoken::text(&a.callback),
        busy_wait_seconds: u32::try_from(a.busy_wait_seconds).unwrap_or(u32::MAX),
        menus: menus
            .iter()
            .filter_map(|m| {
                let digit = u8::try_from(m.digit).ok()?;
                let kind = match &m.kind {
                    MenuKind::Agents { queue, callback } => FlowMenuKind::Agents {
                        queue: queue.clone(),
                        callback: *callback,
                    },
                    MenuKind::Info(message) => FlowMenuKind::Info(spoken(message)),
                };
                Some(FlowMenu { digit, kind })
            })
            .collect(),
        can_call_back: true,
    }
}

fn spoken(m: &Message) -> Spoken {
    match m {
        Message::Text(t) => Spoken::text(t),
        Message::Audio(id) => Spoken::Audio { file_id: *id },
    }
}

/// The load on each agents queue, read only when the caller is choosing
/// from the menu: ready agents assigned to it who are not already owed to
/// a waiting caller, and the longest current wait as the expected one.
async fn queue_loads(
    db: &dyn Sql,
    tenant_id: i64,
    menus: &[Menu],
    at: Position,
    now_ms: i64,
) -> Result<Vec<(u8, QueueLoad)>, StorageError> {
    if !matches!(at, Position::Menu { .. }) {
        return Ok(Vec::new());
    }
    let waiting = floor::floor(db, tenant_id, now_ms).await?.queues;
    let mut loads = Vec::new();
    for m in menus {
        let (MenuKind::Agents { .. }, Ok(digit)) = (&m.kind, u8::try_from(m.digit)) else {
            continue;
        };
        let ready = callbacks::ready_agents(db, tenant_id, m.digit).await?.len();
        let (count, longest_ms) = waiting
            .iter()
            .find(|q| q.digit == Some(m.digit))
            .map_or((0, 0), |q| (q.waiting, q.longest_wait_ms));
        let free = i64::try_from(ready)
            .unwrap_or(i64::MAX)
            .saturating_sub(count);
        loads.push((
            digit,
            QueueLoad {
                ready_agents: u32::try_from(free.max(0)).unwrap_or(u32::MAX),
                expected_wait_seconds: u32::try_from(longest_ms / 1000).unwrap_or(u32::MAX),
            },
        ));
    }
    Ok(loads)
}

/// A callback request for the caller (CB-1), through the same statement as
/// a manager's request from the dashboard: one per call. Without a caller
/// number there is no one to call back, and nothing is booked.
async fn book_callback(
    db: &dyn Sql,
    tenant_id: i64,
    req: &FlowRequest,
    menus: &[Menu],
    digit: u8,
    now_ms: i64,
) -> Result<Option<i64>, StorageError> {
    let Some(number) = req.from.as_deref() else {
        return Ok(None);
    };
    let menu_id = menus
        .iter()
        .find(|m| m.digit == i64::from(digit))
        .map(|m| m.id);
    let (id, _, _) = abandoned::request_callback(
        db,
        tenant_id,
        &req.call,
        menu_id,
        number,
        i64::from(digit),
        now_ms,
    )
    .await?;
    Ok(Some(id))
}

fn input_text(input: Input) -> String {
    match input {
        Input::None => "none".into(),
        Input::Timeout => "timeout".into(),
        Input::Key(c) => c.to_string(),
        Input::Invalid => "invalid".into(),
    }
}

fn language_tag(l: PromptLanguage) -> &'static str {
    match l {
        PromptLanguage::Korean => "ko-KR",
        PromptLanguage::English => "en-US",
    }
}

async fn render_spoken(db: &dyn Sql, tenant_id: i64, s: &Spoken) -> Result<Json, StorageError> {
    Ok(match s {
        Spoken::Text { text, language } => {
            json!({ "say": { "text": text, "language": language_tag(*language) } })
        }
        Spoken::Audio { file_id } => match audio::get(db, tenant_id, *file_id).await? {
            Some(meta) => json!({ "play": { "url": format!("/hooks/audio/{}", meta.token) } }),
            // The file went between the load and now: a silent gap rather
            // than a broken call.
            None => json!({ "pause": { "seconds": 1 } }),
        },
    })
}

/// The step as the provider reads it (`docs/webhooks.md`, "Call flow").
async fn render(
    db: &dyn Sql,
    tenant_id: i64,
    call: &str,
    step: &Step,
    booked: Option<i64>,
) -> Result<Json, StorageError> {
    let mut actions = Vec::new();
    for action in &step.actions {
        actions.push(match action {
            Action::Say(s) => render_spoken(db, tenant_id, s).await?,
            Action::Gather {
                prompts,
                timeout_seconds,
                then,
            } => {
                let mut said = Vec::new();
                for p in prompts {
                    said.push(render_spoken(db, tenant_id, p).await?);
                }
                json!({ "gather": {
                    "num_digits": 1,
                    "timeout_seconds": timeout_seconds,
                    "prompts": said,
                    "next": then.to_string(),
                } })
            }
            Action::Enqueue { queue } => {
                json!({ "enqueue": { "queue": queue, "digit": step.digit } })
            }
            Action::BookCallback { digit, queue } => {
                json!({ "callback_booked": { "queue": queue, "digit": digit, "callback_id": booked } })
            }
            Action::Hangup => json!({ "hangup": {} }),
        });
    }
    Ok(json!({
        "call": call,
        "decision": step.decision,
        "hours": step.hours.map(|h| h.as_str()),
        "actions": actions,
    }))
}
