//! The decision: settings, hours, position, input and load in; a [`Step`]
//! out. See the module documentation of [`super`] for the flow.

use super::phrases::{Phrase, phrase};
use super::position::Position;
use crate::schedule::{ClosedReason, Status};
use crate::{CALLBACK_DIGIT, PromptKind, PromptLanguage, TtsText, default_prompt};

/// How many times the menu (or a message's "1 or 2") is offered before the
/// call is ended politely: the first time and two repeats.
pub const MAX_TRIES: u8 = 3;

/// How long a gather waits for a digit, in seconds.
pub const GATHER_TIMEOUT_SECONDS: u32 = 5;

/// Something the caller hears: text read out in its language, or an
/// uploaded file (its ID; the endpoint turns it into a URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spoken {
    Text {
        text: String,
        language: PromptLanguage,
    },
    Audio {
        file_id: i64,
    },
}

impl Spoken {
    /// A saved prompt, read in the language its text is written in: Korean
    /// when it has Hangul, English otherwise.
    pub fn text(t: &TtsText) -> Spoken {
        let hangul = t.as_str().chars().any(|c| {
            ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{3131}'..='\u{318E}').contains(&c)
        });
        Spoken::Text {
            text: t.as_str().to_owned(),
            language: if hangul {
                PromptLanguage::Korean
            } else {
                PromptLanguage::English
            },
        }
    }

    fn phrase(p: &Phrase, language: PromptLanguage) -> Spoken {
        Spoken::Text {
            text: phrase(p, language),
            language,
        }
    }
}

/// One entry of the menu (ARS-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowMenu {
    pub digit: u8,
    pub kind: FlowMenuKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowMenuKind {
    /// Connect to the agents of `queue`; `callback`: offer a callback when
    /// they are busy (and while the center is closed).
    Agents { queue: String, callback: bool },
    /// Play a message, then "1 to hear again, 2 for the start".
    Info(Spoken),
}

/// What the flow needs of a tenant's saved settings (ARS-2, ARS-3, ARS-6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowSettings {
    /// The language of the phrases no admin sets (the greeting's).
    pub language: PromptLanguage,
    pub greeting: Spoken,
    pub out_of_hours: Spoken,
    pub connecting: Spoken,
    pub busy: Spoken,
    pub callback: Spoken,
    /// An expected wait above this many seconds counts as busy (ARS-6).
    pub busy_wait_seconds: u32,
    /// Ordered by digit.
    pub menus: Vec<FlowMenu>,
    /// Whether this caller can be called back (the network gave their
    /// number): without it no callback is offered, busy or closed.
    pub can_call_back: bool,
}

impl FlowSettings {
    /// The polite flow of a tenant that has saved no ARS settings yet: the
    /// default prompts for its name, no menu (so: "we cannot connect your
    /// call right now"), never an error.
    pub fn defaults(company: &str, language: PromptLanguage) -> FlowSettings {
        let prompt = |kind| Spoken::text(&default_prompt(kind, language, company));
        FlowSettings {
            language,
            greeting: prompt(PromptKind::Greeting),
            out_of_hours: prompt(PromptKind::OutOfHours),
            connecting: prompt(PromptKind::Connecting),
            busy: prompt(PromptKind::AgentsBusy),
            callback: prompt(PromptKind::Callback),
            busy_wait_seconds: 60,
            menus: Vec::new(),
            can_call_back: true,
        }
    }

    fn menu(&self, digit: u8) -> Option<&FlowMenu> {
        self.menus.iter().find(|m| m.digit == digit)
    }

    /// Where a callback booked while the center is closed goes: the first
    /// agents menu (by digit) that allows callbacks; none (or a caller who
    /// cannot be called back), no offer.
    pub fn closed_callback_queue(&self) -> Option<(u8, &str)> {
        if !self.can_call_back {
            return None;
        }
        self.menus.iter().find_map(|m| match &m.kind {
            FlowMenuKind::Agents {
                queue,
                callback: true,
            } => Some((m.digit, queue.as_str())),
            _ => None,
        })
    }
}

/// The load on a queue when the caller chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueLoad {
    /// Agents assigned to the queue (SVC-2) who are ready now.
    pub ready_agents: u32,
    /// How long the caller can expect to wait, in seconds.
    pub expected_wait_seconds: u32,
}

/// The caller's answer to the last gather.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The first request of a step (no gather answered).
    None,
    /// Nothing pressed in time.
    Timeout,
    /// One key: `0`–`9`, `*` or `#`.
    Key(char),
    /// Anything else the provider reported (several keys, garbage).
    Invalid,
}

impl Input {
    /// The provider's `Digits`: absent is [`Input::Timeout`] when a gather
    /// was answered, else [`Input::None`]; one key of `0-9*#` is a key;
    /// anything else (however long) is [`Input::Invalid`].
    pub fn parse(digits: Option<&str>, gathered: bool) -> Input {
        match digits.map(str::trim) {
            None | Some("") if gathered => Input::Timeout,
            None | Some("") => Input::None,
            Some(d) => {
                let mut chars = d.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if c.is_ascii_digit() || c == '*' || c == '#' => Input::Key(c),
                    _ => Input::Invalid,
                }
            }
        }
    }

    fn digit(self) -> Option<u8> {
        match self {
            Input::Key(c) => c.to_digit(10).and_then(|d| u8::try_from(d).ok()),
            _ => None,
        }
    }
}

/// What the provider does next, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Read or play this.
    Say(Spoken),
    /// Play `prompts` while waiting up to `timeout_seconds` for one key,
    /// then ask again at `then` with what was pressed (or nothing).
    Gather {
        prompts: Vec<Spoken>,
        timeout_seconds: u32,
        then: Position,
    },
    /// Put the caller in `queue`'s line for an agent.
    Enqueue { queue: String },
    /// Book a callback to the caller's number for the agents of menu
    /// `digit` (`queue`) (CB-1): the endpoint creates the request through
    /// the same code as a manager's from the dashboard.
    BookCallback { digit: u8, queue: String },
    /// End the call.
    Hangup,
}

/// How the call meets the center when it starts (the `hours` of
/// `call.received`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hours {
    Open,
    Closed,
    Holiday,
}

impl Hours {
    pub fn as_str(self) -> &'static str {
        match self {
            Hours::Open => "open",
            Hours::Closed => "closed",
            Hours::Holiday => "holiday",
        }
    }
}

/// One answer of the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub actions: Vec<Action>,
    /// For the call's timeline (HIST-1): what was decided, as a code the UI
    /// names (`flow.menu`, `flow.enqueue` …), with the digit and queue.
    pub decision: &'static str,
    pub digit: Option<u8>,
    pub queue: Option<String>,
    /// Set on a call's first step: how it met the center.
    pub hours: Option<Hours>,
}

impl Step {
    fn new(decision: &'static str, actions: Vec<Action>) -> Step {
        Step {
            actions,
            decision,
            digit: None,
            queue: None,
            hours: None,
        }
    }

    fn digit(mut self, digit: u8) -> Step {
        self.digit = Some(digit);
        self
    }

    fn queue(mut self, queue: &str) -> Step {
        self.queue = Some(queue.to_owned());
        self
    }
}

/// What happens next for a call at `at` that answered `input`, with the
/// center `status` now and `load` telling how busy the queue of a menu
/// digit is.
pub fn next(
    settings: &FlowSettings,
    status: &Status,
    at: Position,
    input: Input,
    load: &dyn Fn(u8) -> QueueLoad,
) -> Step {
    match at {
        Position::Start => start(settings, status),
        Position::Menu { tries } => menu_choice(settings, tries, input, load),
        Position::Info { digit, tries } => info_choice(settings, status, digit, tries, input),
        Position::BusyOffer { digit } => busy_choice(settings, status, digit, input),
        Position::ClosedOffer => closed_choice(settings, status, input),
    }
}

fn say_phrase(settings: &FlowSettings, p: &Phrase) -> Spoken {
    Spoken::phrase(p, settings.language)
}

/// Goodbye and hang up, recorded as `decision` (also the endpoint's answer
/// to a call past its step limit).
pub fn goodbye(settings: &FlowSettings, decision: &'static str) -> Step {
    Step::new(
        decision,
        vec![
            Action::Say(say_phrase(settings, &Phrase::Goodbye)),
            Action::Hangup,
        ],
    )
}

fn menu_list(settings: &FlowSettings) -> Spoken {
    let entries = settings
        .menus
        .iter()
        .map(|m| {
            let queue = match &m.kind {
                FlowMenuKind::Agents { queue, .. } => Some(queue.clone()),
                FlowMenuKind::Info(_) => None,
            };
            (m.digit, queue)
        })
        .collect();
    say_phrase(settings, &Phrase::MenuList(entries))
}

fn gather(prompts: Vec<Spoken>, then: Position) -> Action {
    Action::Gather {
        prompts,
        timeout_seconds: GATHER_TIMEOUT_SECONDS,
        then,
    }
}

/// A new call: closed (holiday first, as the evaluator says) or the greeting
/// and the menu.
fn start(settings: &FlowSettings, status: &Status) -> Step {
    let (hours, mut step) = match status {
        Status::Open if settings.menus.is_empty() => (
            Hours::Open,
            Step::new(
                "flow.no_menu",
                vec![
                    Action::Say(settings.greeting.clone()),
                    Action::Say(say_phrase(settings, &Phrase::NoService)),
                    Action::Hangup,
                ],
            ),
        ),
        Status::Open => (
            Hours::Open,
            Step::new(
                "flow.menu",
                vec![gather(
                    vec![settings.greeting.clone(), menu_list(settings)],
                    Position::Menu { tries: 0 },
                )],
            ),
        ),
        Status::Closed(reason) => {
            let (hours, prompt, decision) = match reason {
                ClosedReason::Holiday { name, kind } => (
                    Hours::Holiday,
                    say_phrase(
                        settings,
                        &Phrase::Holiday {
                            name: name.clone(),
                            kind: *kind,
                        },
                    ),
                    "flow.holiday",
                ),
                ClosedReason::DayOff | ClosedReason::OutOfHours => {
                    (Hours::Closed, settings.out_of_hours.clone(), "flow.closed")
                }
            };
            let actions = match settings.closed_callback_queue() {
                Some(_) => vec![gather(
                    vec![prompt, settings.callback.clone()],
                    Position::ClosedOffer,
                )],
                None => vec![Action::Say(prompt), Action::Hangup],
            };
            (hours, Step::new(decision, actions))
        }
    };
    step.hours = Some(hours);
    step
}

fn menu_choice(
    settings: &FlowSettings,
    tries: u8,
    input: Input,
    load: &dyn Fn(u8) -> QueueLoad,
) -> Step {
    let chosen = input.digit().and_then(|d| settings.menu(d));
    let Some(menu) = chosen else {
        let why = match input {
            Input::Timeout | Input::None => Phrase::NoInput,
            _ => Phrase::WrongDigit,
        };
        return retry_or_goodbye(settings, tries, why, |tries| {
            (Position::Menu { tries }, menu_list(settings))
        });
    };
    match &menu.kind {
        FlowMenuKind::Info(message) => Step::new(
            "flow.info",
            vec![gather(
                vec![message.clone(), say_phrase(settings, &Phrase::InfoRepeat)],
                Position::Info {
                    digit: menu.digit,
                    tries: 0,
                },
            )],
        )
        .digit(menu.digit),
        FlowMenuKind::Agents { queue, callback } => {
            let now = load(menu.digit);
            let short_wait =
                now.ready_agents > 0 && now.expected_wait_seconds <= settings.busy_wait_seconds;
            let step = if short_wait {
                Step::new(
                    "flow.enqueue",
                    vec![
                        Action::Say(settings.connecting.clone()),
                        Action::Enqueue {
                            queue: queue.clone(),
                        },
                    ],
                )
            } else if *callback && settings.can_call_back {
                Step::new(
                    "flow.busy_offer",
                    vec![gather(
                        vec![settings.busy.clone(), settings.callback.clone()],
                        Position::BusyOffer { digit: menu.digit },
                    )],
                )
            } else {
                Step::new(
                    "flow.busy_hold",
                    vec![
                        Action::Say(settings.busy.clone()),
                        Action::Enqueue {
                            queue: queue.clone(),
                        },
                    ],
                )
            };
            step.digit(menu.digit).queue(queue)
        }
    }
}

/// Says why and offers `again` once more, or ends the call after
/// [`MAX_TRIES`] offers.
fn retry_or_goodbye(
    settings: &FlowSettings,
    tries: u8,
    why: Phrase,
    again: impl Fn(u8) -> (Position, Spoken),
) -> Step {
    let tries = tries.saturating_add(1);
    if tries >= MAX_TRIES {
        return goodbye(settings, "flow.give_up");
    }
    let (then, prompt) = again(tries);
    Step::new(
        "flow.retry",
        vec![gather(vec![say_phrase(settings, &why), prompt], then)],
    )
}

fn info_choice(
    settings: &FlowSettings,
    status: &Status,
    digit: u8,
    tries: u8,
    input: Input,
) -> Step {
    // The menu changed under the call: start again from what is saved now.
    let Some(FlowMenu {
        kind: FlowMenuKind::Info(message),
        ..
    }) = settings.menu(digit)
    else {
        return start(settings, status).without_hours();
    };
    match input {
        Input::Key('1') => Step::new(
            "flow.info",
            vec![gather(
                vec![message.clone(), say_phrase(settings, &Phrase::InfoRepeat)],
                Position::Info { digit, tries: 0 },
            )],
        )
        .digit(digit),
        Input::Key('2') => start(settings, status).without_hours(),
        other => {
            let why = match other {
                Input::Timeout | Input::None => Phrase::NoInput,
                _ => Phrase::WrongDigit,
            };
            retry_or_goodbye(settings, tries, why, |tries| {
                (
                    Position::Info { digit, tries },
                    say_phrase(settings, &Phrase::InfoRepeat),
                )
            })
            .digit(digit)
        }
    }
}

impl Step {
    /// A return to the start later in a call does not classify it again.
    fn without_hours(mut self) -> Step {
        self.hours = None;
        self
    }
}

fn busy_choice(settings: &FlowSettings, status: &Status, digit: u8, input: Input) -> Step {
    let Some(FlowMenu {
        kind: FlowMenuKind::Agents { queue, callback },
        ..
    }) = settings.menu(digit)
    else {
        return start(settings, status).without_hours();
    };
    // The offer is checked again as saved now: the position comes from the
    // provider, and an admin may have turned callbacks off since.
    if *callback && settings.can_call_back && input == Input::Key(char::from(b'0' + CALLBACK_DIGIT))
    {
        return booked(settings, digit, queue).digit(digit);
    }
    // Anything else: the caller stays in line.
    Step::new(
        "flow.busy_hold",
        vec![Action::Enqueue {
            queue: queue.clone(),
        }],
    )
    .digit(digit)
    .queue(queue)
}

fn closed_choice(settings: &FlowSettings, status: &Status, input: Input) -> Step {
    // Open again (or never closed: the position comes from the provider):
    // the caller starts from the greeting.
    if status.is_open() {
        return start(settings, status).without_hours();
    }
    match settings.closed_callback_queue() {
        Some((digit, queue)) if input == Input::Key(char::from(b'0' + CALLBACK_DIGIT)) => {
            booked(settings, digit, queue).digit(digit)
        }
        _ => goodbye(settings, "flow.goodbye"),
    }
}

fn booked(settings: &FlowSettings, digit: u8, queue: &str) -> Step {
    Step::new(
        "flow.callback",
        vec![
            Action::BookCallback {
                digit,
                queue: queue.to_owned(),
            },
            Action::Say(say_phrase(settings, &Phrase::CallbackBooked)),
            Action::Hangup,
        ],
    )
    .queue(queue)
}
