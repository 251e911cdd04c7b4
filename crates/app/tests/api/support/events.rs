//! The telephony provider's signed events (TEL-1, TEL-2, `docs/webhooks.md`),
//! built the way a call or an agent's shift unfolds:
//!
//! ```ignore
//! let call = CallScript::inbound("c1", "010-9876-5432")
//!     .wait(8).menu(1)
//!     .wait(1).queued(1)
//!     .wait(12).offered("kim")
//!     .wait(3).answered("kim")
//!     .wait(180).ended();
//! let kim = AgentScript::login("kim", "s1", Platform::Pc, "203.0.113.7")
//!     .wait(60).state(AgentState::OnCall)
//!     .wait(240).logout();
//! app.deliver_ok([call.events(), kim.events()]);
//! ```
//!
//! A script starts at the harness's clock start ([`super::START`]) unless
//! told otherwise, names the representative number [`super::ARS_LINE`], and
//! each step happens at the script's clock, which [`CallScript::wait`] moves
//! on; steps without a wait between them share an instant. Event IDs are
//! `<call>-01`, `<call>-02`, … (`<agent>-<session>-01`, … for agents) unless
//! [`CallScript::ids`] or [`CallScript::id`] say otherwise. The events go to
//! `POST /hooks/events` signed, through [`TestApp::post_events`], or
//! straight to the ingest as checked [`Event`]s ([`CallScript::checked`]).

use super::{Req, TestApp, TestResponse};
use futures::executor::block_on;
use serde_json::{Value as Json, json};
use switchboard_http::Method;
use switchboard_telephony::{
    AgentState, AttemptResult, Event, EventType, Hours, Platform, RecordingFormat, WireEvent,
    parse_body,
};

/// The steps of one script, at offsets from its start.
#[derive(Clone, Debug)]
struct Timeline {
    start_ms: i64,
    line: String,
    prefix: String,
    /// The script's clock, as an offset from its start.
    clock_ms: i64,
    steps: Vec<Step>,
}

#[derive(Clone, Debug)]
struct Step {
    offset_ms: i64,
    id: Option<String>,
    event: WireEvent,
}

impl Timeline {
    fn new(prefix: String) -> Self {
        Timeline {
            start_ms: super::START_MS,
            line: super::ARS_LINE.to_owned(),
            prefix,
            clock_ms: 0,
            steps: Vec::new(),
        }
    }

    fn push(&mut self, kind: EventType, event: WireEvent) {
        self.steps.push(Step {
            offset_ms: self.clock_ms,
            id: None,
            event: WireEvent {
                kind: kind.as_str().to_owned(),
                ..event
            },
        });
    }

    fn first_of(&mut self, kind: EventType) -> &mut WireEvent {
        &mut self
            .steps
            .iter_mut()
            .find(|s| s.event.kind == kind.as_str())
            .unwrap_or_else(|| panic!("the script has no {}", kind.as_str()))
            .event
    }

    fn events(&self) -> Vec<WireEvent> {
        self.steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let at = jiff::Timestamp::from_millisecond(self.start_ms + step.offset_ms).unwrap();
                WireEvent {
                    id: step
                        .id
                        .clone()
                        .unwrap_or_else(|| format!("{}-{:02}", self.prefix, i + 1)),
                    at: at.to_string(),
                    line: self.line.clone(),
                    ..step.event.clone()
                }
            })
            .collect()
    }
}

/// What the settings every script shares look like on both kinds.
macro_rules! timeline_settings {
    ($t:ty) => {
        impl $t {
            /// The script starts at `at` instead of the harness's start.
            pub fn starting_at(mut self, at: jiff::Timestamp) -> Self {
                self.t.start_ms = at.as_millisecond();
                self
            }

            /// The script starts `secs` seconds after the harness's start.
            pub fn starting_after(mut self, secs: i64) -> Self {
                self.t.start_ms = super::START_MS + secs * 1000;
                self
            }

            /// Every event names `line` as the tenant's representative
            /// number (as written: the app normalises it).
            pub fn line(mut self, line: &str) -> Self {
                self.t.line = line.to_owned();
                self
            }

            /// Event IDs are `<prefix>-01`, `<prefix>-02`, ….
            pub fn ids(mut self, prefix: &str) -> Self {
                self.t.prefix = prefix.to_owned();
                self
            }

            /// The last step so far has the event ID `id`.
            pub fn id(mut self, id: &str) -> Self {
                self.t.steps.last_mut().expect("a step to name").id = Some(id.to_owned());
                self
            }

            /// The next steps happen `secs` seconds later.
            pub fn wait(mut self, secs: i64) -> Self {
                self.t.clock_ms += secs * 1000;
                self
            }

            /// The events, in the order scripted.
            pub fn events(&self) -> Vec<WireEvent> {
                self.t.events()
            }

            /// The events as the app's ingest takes them (checked by the
            /// same parser as the webhook).
            pub fn checked(&self) -> Vec<Event> {
                checked(&self.events())
            }
        }

        impl IntoEvents for $t {
            fn into_events(self) -> Vec<WireEvent> {
                self.events()
            }
        }

        impl IntoEvents for &$t {
            fn into_events(self) -> Vec<WireEvent> {
                self.events()
            }
        }
    };
}

/// The provider's events about one call.
#[derive(Clone, Debug)]
pub struct CallScript {
    t: Timeline,
    call: String,
}

timeline_settings!(CallScript);

impl CallScript {
    fn new(call: &str) -> Self {
        CallScript {
            t: Timeline::new(call.to_owned()),
            call: call.to_owned(),
        }
    }

    fn step(mut self, kind: EventType, event: WireEvent) -> Self {
        let event = WireEvent {
            call: Some(self.call.clone()),
            ..event
        };
        self.t.push(kind, event);
        self
    }

    /// The provider's ID of the call.
    pub fn call_id(&self) -> &str {
        &self.call
    }

    /// `call.received`: `from` called the tenant's representative number.
    pub fn inbound(call: &str, from: &str) -> Self {
        Self::new(call).received(from)
    }

    /// `call.outbound`: `agent` dials `to`.
    pub fn outbound(call: &str, agent: &str, to: &str) -> Self {
        Self::new(call).step(
            EventType::CallOutbound,
            WireEvent {
                agent: Some(agent.to_owned()),
                to: Some(to.to_owned()),
                ..WireEvent::default()
            },
        )
    }

    /// `call.internal`: `agent` calls `to_agent`'s extension.
    pub fn internal(call: &str, agent: &str, to_agent: &str) -> Self {
        Self::new(call).step(
            EventType::CallInternal,
            WireEvent {
                agent: Some(agent.to_owned()),
                to_agent: Some(to_agent.to_owned()),
                ..WireEvent::default()
            },
        )
    }

    /// Events of a call whose start this script does not send (it came
    /// earlier, or never).
    pub fn later(call: &str) -> Self {
        Self::new(call)
    }

    /// `call.received` (usually through [`CallScript::inbound`]).
    pub fn received(self, from: &str) -> Self {
        self.step(
            EventType::CallReceived,
            WireEvent {
                from: Some(from.to_owned()),
                ..WireEvent::default()
            },
        )
    }

    /// The call flow found the service `hours` when the call arrived
    /// (`call.received`'s optional field; open when not sent).
    pub fn hours(mut self, hours: Hours) -> Self {
        self.t.first_of(EventType::CallReceived).hours = Some(hours.as_str().to_owned());
        self
    }

    /// The outbound call is an attempt of callback `id`.
    pub fn callback_of(mut self, id: i64) -> Self {
        self.t.first_of(EventType::CallOutbound).callback = Some(id);
        self
    }

    /// `call.menu`: the caller pressed `digit`.
    pub fn menu(self, digit: u8) -> Self {
        self.step(
            EventType::CallMenu,
            WireEvent {
                digit: Some(digit),
                ..WireEvent::default()
            },
        )
    }

    /// `call.queued`: the call waits in the queue of menu `digit`.
    pub fn queued(self, digit: u8) -> Self {
        self.step(
            EventType::CallQueued,
            WireEvent {
                digit: Some(digit),
                ..WireEvent::default()
            },
        )
    }

    /// `call.offered`: the call rings at `agent`.
    pub fn offered(self, agent: &str) -> Self {
        self.step(
            EventType::CallOffered,
            WireEvent {
                agent: Some(agent.to_owned()),
                ..WireEvent::default()
            },
        )
    }

    /// `call.answered` by `agent` (for outbound calls: the customer
    /// answered `agent`'s call).
    pub fn answered(self, agent: &str) -> Self {
        self.step(
            EventType::CallAnswered,
            WireEvent {
                agent: Some(agent.to_owned()),
                ..WireEvent::default()
            },
        )
    }

    /// `call.abandoned`: the caller hung up while waiting.
    pub fn abandoned(self) -> Self {
        self.step(EventType::CallAbandoned, WireEvent::default())
    }

    /// `call.ended`.
    pub fn ended(self) -> Self {
        self.step(EventType::CallEnded, WireEvent::default())
    }

    /// `callback.requested`: the caller asked to be called back on `number`
    /// from the queue of menu `digit`.
    pub fn callback_requested(self, number: &str, digit: u8) -> Self {
        self.step(
            EventType::CallbackRequested,
            WireEvent {
                number: Some(number.to_owned()),
                digit: Some(digit),
                ..WireEvent::default()
            },
        )
    }

    /// `callback.attempt`: this (outbound) call was an attempt of callback
    /// `id`, which ended with `result`.
    pub fn callback_attempt(self, id: i64, result: AttemptResult) -> Self {
        self.step(
            EventType::CallbackAttempt,
            WireEvent {
                callback: Some(id),
                result: Some(result.as_str().to_owned()),
                ..WireEvent::default()
            },
        )
    }

    /// `recording.ready`: the call's recording, `seconds` long, is at `url`.
    pub fn recording_ready(self, url: &str, seconds: f64, format: RecordingFormat) -> Self {
        self.step(
            EventType::RecordingReady,
            WireEvent {
                url: Some(url.to_owned()),
                duration_seconds: Some(seconds),
                format: Some(format.as_str().to_owned()),
                ..WireEvent::default()
            },
        )
    }
}

/// The provider's events about one agent's session at the phone system.
#[derive(Clone, Debug)]
pub struct AgentScript {
    t: Timeline,
    agent: String,
    session: String,
}

timeline_settings!(AgentScript);

impl AgentScript {
    fn step(mut self, kind: EventType, event: WireEvent) -> Self {
        let event = WireEvent {
            agent: Some(self.agent.clone()),
            ..event
        };
        self.t.push(kind, event);
        self
    }

    /// `agent.login`: `agent` signs in on `platform` from `ip`, opening
    /// `session`.
    pub fn login(agent: &str, session: &str, platform: Platform, ip: &str) -> Self {
        let script = AgentScript {
            t: Timeline::new(format!("{agent}-{session}")),
            agent: agent.to_owned(),
            session: session.to_owned(),
        };
        script.step(
            EventType::AgentLogin,
            WireEvent {
                session: Some(session.to_owned()),
                platform: Some(platform.as_str().to_owned()),
                ip: Some(ip.to_owned()),
                ..WireEvent::default()
            },
        )
    }

    /// Events of an agent whose sign-in this script does not send.
    pub fn later(agent: &str, session: &str) -> Self {
        AgentScript {
            t: Timeline::new(format!("{agent}-{session}")),
            agent: agent.to_owned(),
            session: session.to_owned(),
        }
    }

    /// `agent.state`: the agent is now `state`.
    pub fn state(self, state: AgentState) -> Self {
        self.step(
            EventType::AgentState,
            WireEvent {
                state: Some(state.as_str().to_owned()),
                ..WireEvent::default()
            },
        )
    }

    /// `agent.logout` of the script's session.
    pub fn logout(self) -> Self {
        let session = self.session.clone();
        self.step(
            EventType::AgentLogout,
            WireEvent {
                session: Some(session),
                ..WireEvent::default()
            },
        )
    }
}

/// What [`TestApp::deliver`] sends: scripts, events, or several of them.
pub trait IntoEvents {
    fn into_events(self) -> Vec<WireEvent>;
}

impl IntoEvents for WireEvent {
    fn into_events(self) -> Vec<WireEvent> {
        vec![self]
    }
}

impl IntoEvents for Vec<WireEvent> {
    fn into_events(self) -> Vec<WireEvent> {
        self
    }
}

impl<T: IntoEvents, const N: usize> IntoEvents for [T; N] {
    fn into_events(self) -> Vec<WireEvent> {
        self.into_iter().flat_map(IntoEvents::into_events).collect()
    }
}

/// `{"events": [...]}`, the body of a batch.
pub fn batch(events: impl IntoEvents) -> Json {
    json!({ "events": events.into_events() })
}

/// Wire events checked into what the ingest stores.
pub fn checked(events: &[WireEvent]) -> Vec<Event> {
    parse_body(&serde_json::to_vec(&json!({ "events": events })).unwrap()).unwrap()
}

impl TestApp {
    /// Posts `event` (one event's JSON, or `{"events": [...]}`) to
    /// `POST /hooks/events`, signed now with the `webhook_secret` variable,
    /// as the telephony provider does.
    pub fn post_events(&self, event: &Json) -> TestResponse {
        self.post_signed("/hooks/events", event)
    }

    /// Asks `POST /hooks/flow` what to do next for a call (TEL-3), signed
    /// as the provider signs.
    pub fn post_flow(&self, request: &Json) -> TestResponse {
        self.post_signed("/hooks/flow", request)
    }

    /// Posts `body` to the provider route `path`, signed now with the
    /// `webhook_secret` variable.
    pub fn post_signed(&self, path: &str, body: &Json) -> TestResponse {
        let event = body;
        let secret = self
            .vars()
            .0
            .iter()
            .rev()
            .find(|(n, _)| n == "webhook_secret")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let body = serde_json::to_vec(event).unwrap();
        let ts = self.now().as_second();
        let signature = switchboard_telephony::signature::sign(&secret, ts, &body).unwrap();
        self.send(
            Req::new(Method::POST, path)
                .with_header("content-type", "application/json")
                .with_header("x-switchboard-timestamp", &ts.to_string())
                .with_header("x-switchboard-signature", &signature)
                .with_body(body),
        )
    }

    /// Delivers `events` as one signed batch; returns the answer.
    pub fn deliver(&self, events: impl IntoEvents) -> TestResponse {
        self.post_events(&batch(events))
    }

    /// Delivers `events` as one signed batch and asserts it was taken;
    /// returns the answer's body (`stored`, `duplicate`, `results`, …).
    pub fn deliver_ok(&self, events: impl IntoEvents) -> Json {
        let resp = self.deliver(events);
        assert_eq!(resp.status, 200, "{}", resp.json_body());
        resp.json_body()
    }

    /// Stores a `recording.ready` event for the tenant whose representative
    /// number is `line` (see [`super::ars_body`]); returns the recording's ID.
    pub fn recording_ready(&self, event_id: &str, line: &str, url: &str, format: &str) -> i64 {
        let format = RecordingFormat::parse(format).unwrap();
        let ready = CallScript::later(&format!("call-{event_id}"))
            .line(line)
            .starting_at("2026-11-30T00:58:00Z".parse().unwrap())
            .recording_ready(url, 183.5, format)
            .id(event_id);
        let resp = self.deliver(ready);
        assert_eq!(resp.status, 200, "{}", resp.json_body());
        let row = block_on(switchboard_storage::Sql::query_row(
            self.db.as_ref(),
            "SELECT id FROM recordings WHERE event_id = ?",
            &[event_id.into()],
        ))
        .unwrap()
        .unwrap_or_else(|| panic!("no recording from {event_id}: {}", resp.json_body()));
        row.i64(0).unwrap()
    }
}
