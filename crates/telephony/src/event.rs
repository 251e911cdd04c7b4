//! Call and agent events (TEL-2): the wire form and the typed form.
//!
//! A request body is one event object, or `{"events": [...]}` with up to
//! [`MAX_BATCH`] of them. Every event has an envelope: `id` (unique per
//! provider, the idempotency key), `type`, `at` (RFC 3339 instant when it
//! happened at the provider) and `line` (the tenant's representative number:
//! the number dialled for inbound calls, the caller ID for outbound ones;
//! agent events name it too). The rest depends on the type; unknown extra
//! fields are ignored so the provider can add some without breaking us.
//!
//! An event whose envelope is valid but whose `type` this version does not
//! know parses as [`EventBody::Unknown`]: it is kept (with its JSON) rather
//! than refused, so a provider that adds a type does not see every batch
//! containing one refused and redelivered for ever. A *known* type with a
//! missing or wrong field refuses the whole batch (`fields` names
//! `events[3].agent` and so on): batches are atomic.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Map, Value};
use std::net::IpAddr;
use switchboard_domain::{FieldCode, Invalid, LoginId, PhoneNumber, RepresentativeNumber};

/// The most events one request may carry.
pub const MAX_BATCH: usize = 500;
/// Longest event ID, call ID or session ID.
pub const ID_MAX: usize = 100;
/// Longest recording URL.
pub const URL_MAX: usize = 2000;

macro_rules! wire_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)*
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($wire => Some($name::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

wire_enum! {
    /// Every event type this version understands.
    pub enum EventType {
        /// An inbound call reached the tenant's representative number.
        CallReceived = "call.received",
        /// The caller pressed a menu digit.
        CallMenu = "call.menu",
        /// The call entered a queue (an agent-connect menu).
        CallQueued = "call.queued",
        /// The call rings at an agent.
        CallOffered = "call.offered",
        /// An agent answered.
        CallAnswered = "call.answered",
        /// The caller hung up while waiting in a queue.
        CallAbandoned = "call.abandoned",
        /// The call ended.
        CallEnded = "call.ended",
        /// An agent started an outbound call (dialling).
        CallOutbound = "call.outbound",
        /// An agent called another agent's extension.
        CallInternal = "call.internal",
        /// The caller asked to be called back.
        CallbackRequested = "callback.requested",
        /// One attempt of a callback finished.
        CallbackAttempt = "callback.attempt",
        /// A call's recording can be fetched from the provider.
        RecordingReady = "recording.ready",
        /// An agent signed in to the phone system.
        AgentLogin = "agent.login",
        /// An agent signed out.
        AgentLogout = "agent.logout",
        /// An agent's state changed.
        AgentState = "agent.state",
    }
}

wire_enum! {
    /// The service state the call flow found when the call arrived.
    pub enum Hours {
        Open = "open",
        Closed = "closed",
        Holiday = "holiday",
    }
}

wire_enum! {
    /// How one callback attempt ended.
    pub enum AttemptResult {
        Completed = "completed",
        NoAnswer = "no_answer",
        Busy = "busy",
        Failed = "failed",
    }
}

wire_enum! {
    pub enum RecordingFormat {
        Mp3 = "mp3",
        Wav = "wav",
    }
}

wire_enum! {
    /// Where an agent works from (HIST-4).
    pub enum Platform {
        Pc = "pc",
        Mobile = "mobile",
        Web = "web",
    }
}

wire_enum! {
    /// An agent's state (MON-7). `logged_out` is never sent: it starts with
    /// `agent.logout`.
    pub enum AgentState {
        Ready = "ready",
        Away = "away",
        AfterCallWork = "after_call_work",
        Dialing = "dialing",
        Ringing = "ringing",
        OnCall = "on_call",
        LoggedOut = "logged_out",
    }
}

/// One event as the provider writes it: every field any type uses, each
/// optional. The simulator builds these; the app never trusts one and goes
/// through [`parse_body`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WireEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub at: String,
    pub line: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digit: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// A checked event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The provider's unique ID (the idempotency key).
    pub id: String,
    /// When it happened, in milliseconds since the Unix epoch (UTC).
    pub at_ms: i64,
    /// The tenant's representative number, as stored digits.
    pub line: String,
    pub body: EventBody,
}

/// A number of the other party: a valid Korean number in stored digits when
/// it is one, otherwise the digits (and `+`) as sent, or `anonymous`.
pub type PartyNumber = String;

/// What a checked event says. Call IDs are the provider's.
#[derive(Debug, Clone, PartialEq)]
pub enum EventBody {
    CallReceived {
        call: String,
        from: PartyNumber,
        hours: Hours,
    },
    CallMenu {
        call: String,
        digit: u8,
    },
    CallQueued {
        call: String,
        digit: u8,
    },
    CallOffered {
        call: String,
        agent: LoginId,
    },
    CallAnswered {
        call: String,
        agent: LoginId,
    },
    CallAbandoned {
        call: String,
    },
    CallEnded {
        call: String,
    },
    CallOutbound {
        call: String,
        agent: LoginId,
        to: PartyNumber,
        callback: Option<i64>,
    },
    CallInternal {
        call: String,
        agent: LoginId,
        to_agent: LoginId,
    },
    CallbackRequested {
        call: String,
        number: PartyNumber,
        digit: u8,
    },
    CallbackAttempt {
        callback: i64,
        call: Option<String>,
        result: AttemptResult,
    },
    RecordingReady {
        call: String,
        url: String,
        duration_ms: i64,
        format: RecordingFormat,
    },
    AgentLogin {
        agent: LoginId,
        session: String,
        platform: Platform,
        ip: IpAddr,
    },
    AgentLogout {
        agent: LoginId,
        session: String,
    },
    AgentState {
        agent: LoginId,
        state: AgentState,
    },
    /// A type this version does not know: kept with its JSON, not applied.
    Unknown {
        kind: String,
        json: String,
    },
}

impl EventBody {
    /// The wire `type` of the event.
    pub fn type_name(&self) -> &str {
        match self {
            EventBody::Unknown { kind, .. } => kind,
            known => known.known_type().map_or("", EventType::as_str),
        }
    }

    pub fn known_type(&self) -> Option<EventType> {
        Some(match self {
            EventBody::CallReceived { .. } => EventType::CallReceived,
            EventBody::CallMenu { .. } => EventType::CallMenu,
            EventBody::CallQueued { .. } => EventType::CallQueued,
            EventBody::CallOffered { .. } => EventType::CallOffered,
            EventBody::CallAnswered { .. } => EventType::CallAnswered,
            EventBody::CallAbandoned { .. } => EventType::CallAbandoned,
            EventBody::CallEnded { .. } => EventType::CallEnded,
            EventBody::CallOutbound { .. } => EventType::CallOutbound,
            EventBody::CallInternal { .. } => EventType::CallInternal,
            EventBody::CallbackRequested { .. } => EventType::CallbackRequested,
            EventBody::CallbackAttempt { .. } => EventType::CallbackAttempt,
            EventBody::RecordingReady { .. } => EventType::RecordingReady,
            EventBody::AgentLogin { .. } => EventType::AgentLogin,
            EventBody::AgentLogout { .. } => EventType::AgentLogout,
            EventBody::AgentState { .. } => EventType::AgentState,
            EventBody::Unknown { .. } => return None,
        })
    }
}

/// Why a body was refused as a whole.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyError {
    /// Not JSON, or JSON that is neither an event nor `{"events": [...]}`.
    NotJson(String),
    /// Field problems, named like `events[2].agent` (`agent` for a single event).
    Fields(Vec<(String, Invalid)>),
}

/// Parses a request body: one event or `{"events": [...]}`.
pub fn parse_body(body: &[u8]) -> Result<Vec<Event>, BodyError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| BodyError::NotJson(e.to_string()))?;
    let Value::Object(mut top) = value else {
        return Err(BodyError::NotJson("expected a JSON object".into()));
    };
    let mut problems = Vec::new();
    let events = match top.remove("events") {
        None => match parse_event(&top, "", &mut problems) {
            Some(e) => vec![e],
            None => Vec::new(),
        },
        Some(Value::Array(items)) => {
            if items.is_empty() {
                problems.push((
                    "events".into(),
                    Invalid::required("Send at least one event."),
                ));
            } else if items.len() > MAX_BATCH {
                problems.push((
                    "events".into(),
                    Invalid::new(FieldCode::TooMany, format!("At most {MAX_BATCH} events."))
                        .with("max", MAX_BATCH),
                ));
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate().take(MAX_BATCH) {
                let prefix = format!("events[{i}].");
                match item {
                    Value::Object(obj) => {
                        if let Some(e) = parse_event(obj, &prefix, &mut problems) {
                            out.push(e);
                        }
                    }
                    _ => problems.push((format!("events[{i}]"), invalid_value("an event object"))),
                }
            }
            out
        }
        Some(_) => {
            problems.push(("events".into(), invalid_value("an array of events")));
            Vec::new()
        }
    };
    if problems.is_empty() {
        Ok(events)
    } else {
        Err(BodyError::Fields(problems))
    }
}

fn invalid_value(what: &str) -> Invalid {
    Invalid::new(FieldCode::InvalidValue, format!("Expected {what}."))
}

/// Reads one event's fields, recording every problem under `prefix`.
struct Fields<'a> {
    obj: &'a Map<String, Value>,
    prefix: &'a str,
    problems: &'a mut Vec<(String, Invalid)>,
}

impl Fields<'_> {
    fn fail(&mut self, name: &str, invalid: Invalid) {
        self.problems
            .push((format!("{}{name}", self.prefix), invalid));
    }

    /// A string field; `None` (and a problem when required) otherwise.
    fn string(&mut self, name: &str, required: bool) -> Option<String> {
        match self.obj.get(name) {
            None | Some(Value::Null) => {
                if required {
                    self.fail(name, Invalid::required(format!("`{name}` is required.")));
                }
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.fail(name, invalid_value("a string"));
                None
            }
        }
    }

    fn ident(&mut self, name: &str, required: bool) -> Option<String> {
        let s = self.string(name, required)?;
        match check_ident(&s) {
            Ok(()) => Some(s),
            Err(invalid) => {
                self.fail(name, invalid);
                None
            }
        }
    }

    fn login(&mut self, name: &str) -> Option<LoginId> {
        let s = self.string(name, true)?;
        LoginId::parse(&s).map_err(|e| self.fail(name, e)).ok()
    }

    fn party(&mut self, name: &str) -> Option<PartyNumber> {
        let s = self.string(name, true)?;
        party_number(&s).map_err(|e| self.fail(name, e)).ok()
    }

    fn choice<T: Copy>(
        &mut self,
        name: &str,
        parse: fn(&str) -> Option<T>,
        all: &[&str],
        default: Option<T>,
    ) -> Option<T> {
        let Some(s) = self.string(name, default.is_none()) else {
            return default;
        };
        let parsed = parse(&s);
        if parsed.is_none() {
            self.fail(
                name,
                Invalid::new(
                    FieldCode::InvalidChoice,
                    format!("One of {}.", all.join(", ")),
                )
                .with("options", all.join(", ")),
            );
        }
        parsed
    }

    fn integer(&mut self, name: &str, min: i64, max: i64, required: bool) -> Option<i64> {
        match self.obj.get(name) {
            None | Some(Value::Null) => {
                if required {
                    self.fail(name, Invalid::required(format!("`{name}` is required.")));
                }
                None
            }
            // JSON (and JSON Schema) does not tell `7` from `7.0`: a whole
            // number written with a fraction is that integer.
            Some(Value::Number(n)) => match n
                .as_i64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| {
                            f.fract() == 0.0
                                && *f > -9.223_372_036_854_776e18
                                && *f < 9.223_372_036_854_776e18
                        })
                        .map(|f| f as i64)
                })
                .filter(|v| (min..=max).contains(v))
            {
                Some(v) => Some(v),
                None => {
                    self.fail(name, Invalid::number_range(min, max));
                    None
                }
            },
            Some(_) => {
                self.fail(name, invalid_value("a whole number"));
                None
            }
        }
    }

    fn digit(&mut self, name: &str) -> Option<u8> {
        self.integer(name, 0, 9, true)
            .and_then(|d| u8::try_from(d).ok())
    }
}

fn parse_event(
    obj: &Map<String, Value>,
    prefix: &str,
    problems: &mut Vec<(String, Invalid)>,
) -> Option<Event> {
    let before = problems.len();
    let mut f = Fields {
        obj,
        prefix,
        problems,
    };
    let id = f.ident("id", true);
    let kind = f.string("type", true);
    let at_ms = f.string("at", true).and_then(|s| match parse_instant(&s) {
        Some(ms) => Some(ms),
        None => {
            f.fail(
                "at",
                Invalid::new(FieldCode::InstantFormat, "Expected an RFC 3339 instant."),
            );
            None
        }
    });
    let line = f
        .string("line", true)
        .and_then(|s| match RepresentativeNumber::parse(&s) {
            Ok(n) => Some(n.as_str().to_owned()),
            Err(e) => {
                f.fail("line", e);
                None
            }
        });
    let body = match kind.as_deref().map(|k| (k, EventType::parse(k))) {
        None => None,
        Some((_, Some(t))) => parse_known(t, &mut f),
        Some((k, None)) => {
            // A type name is an identifier like the known ones (the API
            // document states the same pattern).
            if check_ident(k).is_err() {
                f.fail("type", invalid_value("an event type"));
                None
            } else {
                Some(EventBody::Unknown {
                    kind: k.to_owned(),
                    json: Value::Object(obj.clone()).to_string(),
                })
            }
        }
    };
    if f.problems.len() != before {
        return None;
    }
    Some(Event {
        id: id?,
        at_ms: at_ms?,
        line: line?,
        body: body?,
    })
}

fn parse_known(t: EventType, f: &mut Fields<'_>) -> Option<EventBody> {
    use EventType as T;
    let call = |f: &mut Fields<'_>| f.ident("call", true);
    Some(match t {
        T::CallReceived => {
            let call = call(f);
            let from = f.party("from");
            let hours = f.choice(
                "hours",
                Hours::parse,
                &names(Hours::ALL, Hours::as_str),
                Some(Hours::Open),
            );
            EventBody::CallReceived {
                call: call?,
                from: from?,
                hours: hours?,
            }
        }
        T::CallMenu | T::CallQueued => {
            let call = call(f)?;
            let digit = f.digit("digit")?;
            if t == T::CallMenu {
                EventBody::CallMenu { call, digit }
            } else {
                EventBody::CallQueued { call, digit }
            }
        }
        T::CallOffered | T::CallAnswered => {
            let call = call(f);
            let agent = f.login("agent");
            let (call, agent) = (call?, agent?);
            if t == T::CallOffered {
                EventBody::CallOffered { call, agent }
            } else {
                EventBody::CallAnswered { call, agent }
            }
        }
        T::CallAbandoned => EventBody::CallAbandoned { call: call(f)? },
        T::CallEnded => EventBody::CallEnded { call: call(f)? },
        T::CallOutbound => {
            let call = call(f);
            let agent = f.login("agent");
            let to = f.party("to");
            let callback = f.integer("callback", 1, i64::MAX, false);
            EventBody::CallOutbound {
                call: call?,
                agent: agent?,
                to: to?,
                callback,
            }
        }
        T::CallInternal => {
            let call = call(f);
            let agent = f.login("agent");
            let to_agent = f.login("to_agent");
            EventBody::CallInternal {
                call: call?,
                agent: agent?,
                to_agent: to_agent?,
            }
        }
        T::CallbackRequested => {
            let call = call(f);
            let number = f.party("number");
            let digit = f.digit("digit");
            EventBody::CallbackRequested {
                call: call?,
                number: number?,
                digit: digit?,
            }
        }
        T::CallbackAttempt => {
            let callback = f.integer("callback", 1, i64::MAX, true);
            let call = f.ident("call", false);
            let result = f.choice(
                "result",
                AttemptResult::parse,
                &names(AttemptResult::ALL, AttemptResult::as_str),
                None,
            );
            EventBody::CallbackAttempt {
                callback: callback?,
                call,
                result: result?,
            }
        }
        T::RecordingReady => {
            let call = call(f);
            let url = f.string("url", true).and_then(|u| match check_url(&u) {
                Ok(()) => Some(u),
                Err(e) => {
                    f.fail("url", e);
                    None
                }
            });
            let duration_ms = duration_ms(f);
            let format = f.choice(
                "format",
                RecordingFormat::parse,
                &names(RecordingFormat::ALL, RecordingFormat::as_str),
                None,
            );
            EventBody::RecordingReady {
                call: call?,
                url: url?,
                duration_ms: duration_ms?,
                format: format?,
            }
        }
        T::AgentLogin => {
            let agent = f.login("agent");
            let session = f.ident("session", true);
            let platform = f.choice(
                "platform",
                Platform::parse,
                &names(Platform::ALL, Platform::as_str),
                None,
            );
            let ip = f
                .string("ip", true)
                .and_then(|s| match s.trim().parse::<IpAddr>() {
                    Ok(ip) => Some(ip),
                    Err(_) => {
                        f.fail(
                            "ip",
                            Invalid::new(FieldCode::IpRule, "Expected an IP address."),
                        );
                        None
                    }
                });
            EventBody::AgentLogin {
                agent: agent?,
                session: session?,
                platform: platform?,
                ip: ip?,
            }
        }
        T::AgentLogout => {
            let agent = f.login("agent");
            let session = f.ident("session", true);
            EventBody::AgentLogout {
                agent: agent?,
                session: session?,
            }
        }
        T::AgentState => {
            let agent = f.login("agent");
            // `logged_out` begins with agent.logout only.
            let sendable: Vec<&str> = AgentState::ALL
                .iter()
                .filter(|s| **s != AgentState::LoggedOut)
                .map(|s| s.as_str())
                .collect();
            let state = f.choice(
                "state",
                |s| AgentState::parse(s).filter(|s| *s != AgentState::LoggedOut),
                &sendable,
                None,
            );
            EventBody::AgentState {
                agent: agent?,
                state: state?,
            }
        }
    })
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|t| name(*t)).collect()
}

fn duration_ms(f: &mut Fields<'_>) -> Option<i64> {
    const MAX_SECONDS: f64 = 86_400.0;
    match f.obj.get("duration_seconds") {
        None | Some(Value::Null) => {
            f.fail(
                "duration_seconds",
                Invalid::required("`duration_seconds` is required."),
            );
            None
        }
        Some(Value::Number(n)) => match n.as_f64().filter(|v| (0.0..=MAX_SECONDS).contains(v)) {
            // In range, so the cast cannot overflow.
            #[allow(clippy::cast_possible_truncation)]
            Some(v) => Some((v * 1000.0).round() as i64),
            None => {
                f.fail("duration_seconds", Invalid::number_range(0, 86_400));
                None
            }
        },
        Some(_) => {
            f.fail("duration_seconds", invalid_value("a number of seconds"));
            None
        }
    }
}

/// IDs are 1–100 characters of `A–Z a–z 0–9 . _ : -`: safe in URLs, logs
/// and file names, and long enough for any provider's UUIDs.
pub fn check_ident(s: &str) -> Result<(), Invalid> {
    if s.is_empty() {
        return Err(Invalid::required("The ID is empty."));
    }
    if s.len() > ID_MAX {
        return Err(Invalid::too_long(ID_MAX));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
    {
        return Err(invalid_value("an ID of letters, digits and . _ : -"));
    }
    Ok(())
}

/// RFC 3339 with an offset, as milliseconds since the epoch.
pub fn parse_instant(s: &str) -> Option<i64> {
    let ts: Timestamp = s.trim().parse().ok()?;
    Some(ts.as_millisecond())
}

/// The other party's number: a Korean number in stored digits when it is
/// one (so searching by number finds it however the provider wrote it),
/// otherwise up to 20 digits with an optional leading `+`, or `anonymous`.
pub fn party_number(s: &str) -> Result<PartyNumber, Invalid> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("anonymous") {
        return Ok("anonymous".into());
    }
    if let Ok(n) = PhoneNumber::parse(s) {
        return Ok(n.as_str().to_owned());
    }
    let digits = s.strip_prefix('+').unwrap_or(s);
    if (3..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err(Invalid::new(
            FieldCode::PhoneNumber,
            "Expected a phone number (digits, optional leading +) or `anonymous`.",
        ))
    }
}

/// Recording URLs are fetched by the app with the provider's credentials,
/// so only plain `http(s)` URLs without user info are accepted. Playback
/// fetches only URLs on the `provider_recordings_origin` variable's origin
/// (checked by the app, and Spin's `allowed_outbound_hosts`); others answer
/// `recording_url_refused`.
fn check_url(u: &str) -> Result<(), Invalid> {
    if u.len() > URL_MAX {
        return Err(Invalid::too_long(URL_MAX));
    }
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| Invalid::new(FieldCode::UrlFormat, "Expected an http(s) URL."))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty()
        || authority.contains('@')
        || u.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'\\')
    {
        return Err(Invalid::new(
            FieldCode::UrlFormat,
            "Expected an http(s) URL.",
        ));
    }
    Ok(())
}

impl Event {
    /// The wire form of a checked event (for the simulator and tests).
    pub fn to_wire(&self) -> WireEvent {
        let at = Timestamp::from_millisecond(self.at_ms)
            .map(|t| t.to_string())
            .unwrap_or_default();
        let mut w = WireEvent {
            id: self.id.clone(),
            kind: self.body.type_name().to_owned(),
            at,
            line: self.line.clone(),
            ..WireEvent::default()
        };
        match &self.body {
            EventBody::CallReceived { call, from, hours } => {
                w.call = Some(call.clone());
                w.from = Some(from.clone());
                w.hours = Some(hours.as_str().into());
            }
            EventBody::CallMenu { call, digit } | EventBody::CallQueued { call, digit } => {
                w.call = Some(call.clone());
                w.digit = Some(*digit);
            }
            EventBody::CallOffered { call, agent } | EventBody::CallAnswered { call, agent } => {
                w.call = Some(call.clone());
                w.agent = Some(agent.as_str().into());
            }
            EventBody::CallAbandoned { call } | EventBody::CallEnded { call } => {
                w.call = Some(call.clone());
            }
            EventBody::CallOutbound {
                call,
                agent,
                to,
                callback,
            } => {
                w.call = Some(call.clone());
                w.agent = Some(agent.as_str().into());
                w.to = Some(to.clone());
                w.callback = *callback;
            }
            EventBody::CallInternal {
                call,
                agent,
                to_agent,
            } => {
                w.call = Some(call.clone());
                w.agent = Some(agent.as_str().into());
                w.to_agent = Some(to_agent.as_str().into());
            }
            EventBody::CallbackRequested {
                call,
                number,
                digit,
            } => {
                w.call = Some(call.clone());
                w.number = Some(number.clone());
                w.digit = Some(*digit);
            }
            EventBody::CallbackAttempt {
                callback,
                call,
                result,
            } => {
                w.callback = Some(*callback);
                w.call = call.clone();
                w.result = Some(result.as_str().into());
            }
            EventBody::RecordingReady {
                call,
                url,
                duration_ms,
                format,
            } => {
                w.call = Some(call.clone());
                w.url = Some(url.clone());
                #[allow(clippy::cast_precision_loss)]
                let secs = *duration_ms as f64 / 1000.0;
                w.duration_seconds = Some(secs);
                w.format = Some(format.as_str().into());
            }
            EventBody::AgentLogin {
                agent,
                session,
                platform,
                ip,
            } => {
                w.agent = Some(agent.as_str().into());
                w.session = Some(session.clone());
                w.platform = Some(platform.as_str().into());
                w.ip = Some(ip.to_string());
            }
            EventBody::AgentLogout { agent, session } => {
                w.agent = Some(agent.as_str().into());
                w.session = Some(session.clone());
            }
            EventBody::AgentState { agent, state } => {
                w.agent = Some(agent.as_str().into());
                w.state = Some(state.as_str().into());
            }
            EventBody::Unknown { .. } => {}
        }
        w
    }
}

/// One example of every known type, for the documentation test and the
/// round-trip test.
pub fn examples() -> Vec<Event> {
    let agent = |s: &str| LoginId::parse(s).ok();
    let (Some(kim), Some(lee)) = (agent("kim"), agent("lee")) else {
        return Vec::new();
    };
    let at_ms = 1_772_409_600_000;
    let line = "07012345678".to_owned();
    let call = "c-20260302-0001".to_owned();
    let bodies = vec![
        EventBody::CallReceived {
            call: call.clone(),
            from: "01098765432".into(),
            hours: Hours::Open,
        },
        EventBody::CallMenu {
            call: call.clone(),
            digit: 1,
        },
        EventBody::CallQueued {
            call: call.clone(),
            digit: 1,
        },
        EventBody::CallOffered {
            call: call.clone(),
            agent: kim.clone(),
        },
        EventBody::CallAnswered {
            call: call.clone(),
            agent: kim.clone(),
        },
        EventBody::CallAbandoned { call: call.clone() },
        EventBody::CallEnded { call: call.clone() },
        EventBody::CallOutbound {
            call: "c-20260302-0002".into(),
            agent: kim.clone(),
            to: "0212345678".into(),
            callback: Some(17),
        },
        EventBody::CallInternal {
            call: "c-20260302-0003".into(),
            agent: kim.clone(),
            to_agent: lee.clone(),
        },
        EventBody::CallbackRequested {
            call: call.clone(),
            number: "01098765432".into(),
            digit: 1,
        },
        EventBody::CallbackAttempt {
            callback: 17,
            call: Some("c-20260302-0002".into()),
            result: AttemptResult::Completed,
        },
        EventBody::RecordingReady {
            call: call.clone(),
            url: "https://recordings.provider.example/r/c-20260302-0001.mp3".into(),
            duration_ms: 183_500,
            format: RecordingFormat::Mp3,
        },
        EventBody::AgentLogin {
            agent: kim.clone(),
            session: "s-8841".into(),
            platform: Platform::Pc,
            ip: IpAddr::from([203, 0, 113, 7]),
        },
        EventBody::AgentLogout {
            agent: kim.clone(),
            session: "s-8841".into(),
        },
        EventBody::AgentState {
            agent: kim,
            state: AgentState::Ready,
        },
    ];
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| Event {
            id: format!("evt-{:04}", i + 1),
            at_ms: at_ms + i64::try_from(i).unwrap_or(0) * 1000,
            line: line.clone(),
            body,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(json: &str) -> Result<Vec<Event>, BodyError> {
        parse_body(json.as_bytes())
    }

    fn fields(r: Result<Vec<Event>, BodyError>) -> Vec<(String, FieldCode)> {
        match r {
            Err(BodyError::Fields(f)) => f.into_iter().map(|(n, i)| (n, i.code)).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    const ENVELOPE: &str = r#""id":"e1","at":"2026-03-02T09:00:00+09:00","line":"070-1234-5678""#;

    #[test]
    fn a_whole_number_written_with_a_fraction_is_that_integer() {
        let whole = one(&format!(
            r#"{{{ENVELOPE},"type":"call.queued","call":"c1","digit":2.0}}"#
        ))
        .unwrap();
        let plain = one(&format!(
            r#"{{{ENVELOPE},"type":"call.queued","call":"c1","digit":2}}"#
        ))
        .unwrap();
        assert_eq!(whole, plain);
        assert!(
            one(&format!(
                r#"{{{ENVELOPE},"type":"call.queued","call":"c1","digit":2.5}}"#
            ))
            .is_err()
        );
    }

    #[test]
    fn a_single_event_and_a_batch_parse_the_same() {
        let single = one(&format!(
            r#"{{{ENVELOPE},"type":"call.ended","call":"c1"}}"#
        ))
        .unwrap();
        let batch = one(&format!(
            r#"{{"events":[{{{ENVELOPE},"type":"call.ended","call":"c1"}}]}}"#
        ))
        .unwrap();
        assert_eq!(single, batch);
        assert_eq!(single[0].line, "07012345678");
        assert_eq!(single[0].at_ms, 1_772_409_600_000);
    }

    #[test]
    fn a_known_type_with_missing_or_wrong_fields_names_each_one() {
        let r = one(&format!(
            r#"{{"events":[{{{ENVELOPE},"type":"call.ended","call":"c1"}},{{{ENVELOPE},"type":"call.answered","call":"bad id"}}]}}"#
        ));
        assert_eq!(
            fields(r),
            vec![
                ("events[1].call".to_owned(), FieldCode::InvalidValue),
                ("events[1].agent".to_owned(), FieldCode::Required)
            ]
        );
    }

    #[test]
    fn an_unknown_type_is_kept_with_its_json_not_refused() {
        let e = one(&format!(
            r#"{{{ENVELOPE},"type":"call.transferred","x":1}}"#
        ))
        .unwrap();
        match &e[0].body {
            EventBody::Unknown { kind, json } => {
                assert_eq!(kind, "call.transferred");
                assert!(json.contains(r#""x":1"#));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_envelope_is_always_checked() {
        let r = one(r#"{"type":"call.ended","call":"c1","at":"yesterday","line":"010-1234-5678"}"#);
        assert_eq!(
            fields(r),
            vec![
                ("id".to_owned(), FieldCode::Required),
                ("at".to_owned(), FieldCode::InstantFormat),
                ("line".to_owned(), FieldCode::RepresentativeNumber)
            ]
        );
    }

    #[test]
    fn batches_are_bounded_and_not_empty() {
        assert_eq!(
            fields(one(r#"{"events":[]}"#)),
            vec![("events".to_owned(), FieldCode::Required)]
        );
        let many =
            vec![format!(r#"{{{ENVELOPE},"type":"call.ended","call":"c1"}}"#); MAX_BATCH + 1];
        let r = one(&format!(r#"{{"events":[{}]}}"#, many.join(",")));
        assert_eq!(fields(r), vec![("events".to_owned(), FieldCode::TooMany)]);
        assert!(matches!(one("[1]"), Err(BodyError::NotJson(_))));
        assert!(matches!(one("not json"), Err(BodyError::NotJson(_))));
    }

    #[test]
    fn agents_cannot_be_put_into_logged_out_by_a_state_event() {
        let r = one(&format!(
            r#"{{{ENVELOPE},"type":"agent.state","agent":"kim","state":"logged_out"}}"#
        ));
        assert_eq!(
            fields(r),
            vec![("state".to_owned(), FieldCode::InvalidChoice)]
        );
    }

    #[test]
    fn party_numbers_are_normalised_when_korean_and_kept_otherwise() {
        assert_eq!(party_number("010-1234-5678").unwrap(), "01012345678");
        assert_eq!(party_number("+82 10 1234 5678").unwrap(), "01012345678");
        assert_eq!(party_number("+14155550100").unwrap(), "+14155550100");
        assert_eq!(party_number("Anonymous").unwrap(), "anonymous");
        assert!(party_number("12").is_err());
        assert!(party_number("<script>").is_err());
    }

    #[test]
    fn recording_urls_are_plain_http_without_credentials() {
        assert!(check_url("https://rec.example/r/1.mp3").is_ok());
        assert!(check_url("http://127.0.0.1:9000/r/1.mp3").is_ok());
        for bad in [
            "ftp://x/y",
            "https://user:pw@x/y",
            "https:///y",
            "https://x/a b",
            "javascript:alert(1)",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_type_round_trips_through_the_wire_form() {
        for example in crate::event::examples() {
            let json = serde_json::to_vec(&example.to_wire()).unwrap();
            let back = parse_body(&json).unwrap();
            assert_eq!(back, vec![example.clone()], "{}", example.body.type_name());
        }
    }
}
