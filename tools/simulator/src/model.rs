//! The traffic model: a discrete-event simulation of one tenant's contact
//! center, advanced one instant at a time. Each instant's actions emit the
//! provider events that describe them ([`WireEvent`]s, in the order a real
//! provider would send them) and schedule later actions.
//!
//! What it models:
//! - inbound calls arriving as a Poisson process whose rate follows an
//!   hourly profile (thinning against the peak rate), in the tenant's time
//!   zone;
//! - the IVR: a greeting, then a menu digit (agent-connect queues, weighted
//!   towards the first, and information menus), a few hang-ups in the IVR,
//!   and out-of-hours calls when `open` hours are given;
//! - queues served first-come first-served by ready agents (the longest idle
//!   agent takes the call), ringing, the odd missed ring (the agent goes
//!   away for a moment and the call goes back to the head of its queue);
//! - callers' patience (exponential): a caller who runs out of it abandons;
//!   in a queue with callback, a caller still waiting when the callback
//!   prompt plays may ask to be called back instead;
//! - talk and after-call-work times (log-normal), recordings of answered
//!   calls, agents' breaks and re-logins, outbound and internal calls;
//! - callback dials the app's worker asks for ([`Sim::originate`]).
//!
//! Every random draw comes from one seeded stream in a fixed order, so the
//! same [`Config`] gives the same events.

use crate::random::{Random, ms};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::collections::{BTreeMap, HashMap, VecDeque};
use switchboard_telephony::{AttemptResult, EventType, WireEvent};

/// An agent-connect menu: its digit and whether it offers callbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Queue {
    pub digit: u8,
    pub callback: bool,
}

/// How the arrival rate moves through the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// A contact center's usual day: quiet at night, peaks mid-morning and
    /// mid-afternoon, a dip at lunch. `rate` is calls per hour at 10:00.
    Office,
    /// The same rate at every hour (demos at any time of day).
    Flat,
}

/// The office profile: arrival rate at each hour of the day, relative to
/// the rate at 10:00.
pub const OFFICE_PROFILE: [f64; 24] = [
    0.03, 0.02, 0.02, 0.02, 0.02, 0.03, 0.05, 0.15, 0.45, 0.90, 1.00, 0.95, 0.55, 0.80, 0.95, 0.90,
    0.80, 0.60, 0.30, 0.15, 0.10, 0.08, 0.05, 0.04,
];

#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    /// The tenant's representative number, as the provider writes it.
    pub line: String,
    /// Agents' login IDs (they must exist in the tenant).
    pub agents: Vec<String>,
    pub queues: Vec<Queue>,
    /// Digits of information menus.
    pub info_digits: Vec<u8>,
    /// Inbound calls per hour (at the profile's 1.0).
    pub rate_per_hour: f64,
    pub profile: Profile,
    /// Opening hours as minutes of the day `[from, to)`; `None`: always open.
    pub open: Option<(u32, u32)>,
    /// The simulated clock's zero.
    pub start: Timestamp,
    pub tz: TimeZone,
    /// Stop after this many inbound calls.
    pub max_calls: Option<u64>,
    /// Stop new arrivals after this much simulated time.
    pub duration_ms: Option<i64>,
    /// Mean patience of a waiting caller, seconds.
    pub patience_s: f64,
    pub talk_median_s: f64,
    pub acw_median_s: f64,
    /// Seconds of waiting after which the callback prompt plays.
    pub callback_offer_s: f64,
    /// Share of callers still waiting then who take the callback.
    pub callback_take: f64,
    /// Share of callers choosing an information menu (when there is one).
    pub info_share: f64,
    /// Outbound / internal calls per logged-in agent per hour.
    pub outbound_per_agent_hour: f64,
    pub internal_per_agent_hour: f64,
    /// Share of answered calls that are recorded.
    pub recorded_share: f64,
    /// Base URL of the simulator's recording server.
    pub recording_base: String,
}

impl Config {
    /// A sensible default model for `line` and `agents`.
    pub fn new(seed: u64, line: &str, agents: Vec<String>, start: Timestamp) -> Self {
        Config {
            seed,
            line: line.to_owned(),
            agents,
            queues: vec![
                Queue {
                    digit: 1,
                    callback: true,
                },
                Queue {
                    digit: 2,
                    callback: true,
                },
                Queue {
                    digit: 3,
                    callback: false,
                },
            ],
            info_digits: vec![9],
            rate_per_hour: 120.0,
            profile: Profile::Office,
            open: None,
            start,
            tz: TimeZone::get("Asia/Seoul").unwrap_or(TimeZone::UTC),
            max_calls: None,
            duration_ms: None,
            patience_s: 90.0,
            talk_median_s: 150.0,
            acw_median_s: 20.0,
            callback_offer_s: 30.0,
            callback_take: 0.35,
            info_share: 0.12,
            outbound_per_agent_hour: 0.6,
            internal_per_agent_hour: 0.2,
            recorded_share: 0.9,
            recording_base: "http://127.0.0.1:3900".into(),
        }
    }
}

/// A callback dial the app asked for, with the outcome already drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Originate {
    pub callback_id: i64,
    pub number: String,
    pub agent: String,
    pub outcome: AttemptResult,
}

/// One event and its simulated time (ms since the start).
#[derive(Debug, Clone, PartialEq)]
pub struct Timed {
    pub t_ms: i64,
    pub event: WireEvent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AgentIs {
    LoggedOut,
    Ready,
    Away,
    Ringing(usize),
    Dialing(usize),
    OnCall(usize),
    AfterCallWork,
}

struct Agent {
    login: String,
    is: AgentIs,
    session: Option<String>,
    sessions: u32,
    /// When the agent last became ready (the longest idle takes a call).
    ready_since: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Ivr,
    Waiting,
    Ringing(usize),
    Talking,
    Done,
}

struct Call {
    id: String,
    from: String,
    digit: Option<u8>,
    phase: Phase,
    /// Agents on the call (for internal calls, both).
    agents: Vec<usize>,
    answered_ms: Option<i64>,
    /// The callback this dial is for, and how it ends.
    callback: Option<(i64, AttemptResult)>,
    /// The agent who dialled (outbound calls).
    dialler: Option<String>,
}

#[derive(Debug, Clone)]
enum Action {
    Arrival,
    Login(usize),
    Menu(usize),
    HangUpInIvr(usize),
    InfoEnd(usize),
    OutOfHoursEnd(usize),
    GiveUp(usize),
    CallbackPrompt(usize),
    /// The call, the agent, and whether the agent misses it.
    RingEnd(usize, usize, bool),
    TalkEnd(usize),
    AcwEnd(usize),
    BreakStart(usize),
    BreakEnd(usize),
    OutboundTry(usize),
    DialEnd(usize),
    InternalTry(usize),
    Originate(Originate),
}

/// The simulation's own record of the outcomes it decided, per queue digit
/// (the truth the event-derived summary must agree with).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decided {
    pub inbound: u64,
    /// digit → (offered, answered, abandoned, callback)
    pub queues: BTreeMap<u8, (u64, u64, u64, u64)>,
    pub outbound: u64,
    pub internal: u64,
}

pub struct Sim {
    cfg: Config,
    rng: Random,
    actions: BTreeMap<(i64, u64), Action>,
    seq: u64,
    now: i64,
    events: u64,
    agents: Vec<Agent>,
    calls: Vec<Call>,
    waiting: HashMap<u8, VecDeque<usize>>,
    arrivals: u64,
    arrivals_over: bool,
    finished: bool,
    peak: f64,
    pub decided: Decided,
    out: Vec<WireEvent>,
}

impl Sim {
    pub fn new(cfg: Config) -> Self {
        let mut rng = Random::new(cfg.seed);
        let peak = match cfg.profile {
            Profile::Office => OFFICE_PROFILE.iter().copied().fold(0.0, f64::max),
            Profile::Flat => 1.0,
        } * cfg.rate_per_hour;
        let agents = cfg
            .agents
            .iter()
            .map(|login| Agent {
                login: login.clone(),
                is: AgentIs::LoggedOut,
                session: None,
                sessions: 0,
                ready_since: 0,
            })
            .collect::<Vec<_>>();
        let mut sim = Sim {
            rng: Random::new(0),
            actions: BTreeMap::new(),
            seq: 0,
            now: 0,
            events: 0,
            agents,
            calls: Vec::new(),
            waiting: HashMap::new(),
            arrivals: 0,
            arrivals_over: false,
            finished: false,
            peak,
            decided: Decided::default(),
            out: Vec::new(),
            cfg,
        };
        // Agents sign in over the first 20 seconds; calls start after.
        for a in 0..sim.agents.len() {
            let at = rng.between(0, 20_000);
            sim.schedule(at, Action::Login(a));
        }
        sim.rng = rng;
        let first = sim.next_arrival_gap(25_000);
        sim.schedule(25_000 + first, Action::Arrival);
        sim
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Simulated ms of the next pending action.
    pub fn next_time(&self) -> Option<i64> {
        self.actions.keys().next().map(|(t, _)| *t)
    }

    /// True once a bounded run has ended: every call over, every agent
    /// signed out.
    pub fn finished(&self) -> bool {
        self.finished
    }

    pub fn now_ms(&self) -> i64 {
        self.now
    }

    /// Runs every action of the next instant; returns its time and events.
    pub fn step(&mut self) -> Option<(i64, Vec<WireEvent>)> {
        let t = self.next_time()?;
        self.now = t;
        while let Some(entry) = self.actions.first_entry() {
            if entry.key().0 != t {
                break;
            }
            let action = entry.remove();
            self.run(action);
        }
        self.maybe_finish();
        Some((t, std::mem::take(&mut self.out)))
    }

    /// Every event of a bounded run (tests; `None` if it never ends within
    /// `max_events`).
    pub fn run_to_end(mut self, max_events: usize) -> Option<(Vec<Timed>, Decided)> {
        let mut all = Vec::new();
        while let Some((t, events)) = self.step() {
            all.extend(events.into_iter().map(|event| Timed { t_ms: t, event }));
            if all.len() > max_events {
                return None;
            }
        }
        self.finished.then_some((all, self.decided))
    }

    /// Schedules a callback dial the app asked for, at simulated `at_ms`
    /// (not before the current instant).
    pub fn originate(&mut self, at_ms: i64, order: Originate) {
        let at = at_ms.max(self.now);
        self.schedule(at, Action::Originate(order));
    }

    /// Ends the run now (Ctrl-C): every signed-in agent signs out, so the
    /// app does not keep them on the floor; returns those events.
    pub fn sign_out_all(&mut self) -> Vec<WireEvent> {
        for a in 0..self.agents.len() {
            if self.agents[a].is != AgentIs::LoggedOut {
                self.logout(a);
            }
        }
        self.finished = true;
        self.actions.clear();
        std::mem::take(&mut self.out)
    }

    fn schedule(&mut self, t: i64, action: Action) {
        self.seq += 1;
        self.actions.insert((t, self.seq), action);
    }

    fn after(&mut self, delay_ms: i64, action: Action) {
        self.schedule(self.now + delay_ms.max(0), action);
    }

    // ---- emitting ------------------------------------------------------

    fn emit(&mut self, kind: EventType, fill: impl FnOnce(&mut WireEvent)) {
        self.events += 1;
        let at = self
            .cfg
            .start
            .checked_add(jiff::SignedDuration::from_millis(self.now))
            .unwrap_or(self.cfg.start);
        let mut e = WireEvent {
            // Zero-padded so the app's tie-break by event ID at one instant
            // follows the order they were emitted in.
            id: format!("sim{}-{:09}", self.cfg.seed, self.events),
            kind: kind.as_str().into(),
            at: rfc3339(at, &self.cfg.tz),
            line: self.cfg.line.clone(),
            ..WireEvent::default()
        };
        fill(&mut e);
        self.out.push(e);
    }

    fn emit_state(&mut self, a: usize, state: &str) {
        let login = self.agents[a].login.clone();
        self.emit(EventType::AgentState, |e| {
            e.agent = Some(login);
            e.state = Some(state.into());
        });
    }

    fn emit_call(&mut self, kind: EventType, c: usize, fill: impl FnOnce(&mut WireEvent)) {
        let id = self.calls[c].id.clone();
        self.emit(kind, |e| {
            e.call = Some(id);
            fill(e);
        });
    }

    // ---- the model -----------------------------------------------------

    fn hour_factor(&self, t: i64) -> f64 {
        match self.cfg.profile {
            Profile::Flat => 1.0,
            Profile::Office => {
                let hour = self.local(t).hour();
                OFFICE_PROFILE[usize::try_from(hour).unwrap_or(0) % 24]
            }
        }
    }

    fn local(&self, t: i64) -> jiff::civil::DateTime {
        let ts = self
            .cfg
            .start
            .checked_add(jiff::SignedDuration::from_millis(t))
            .unwrap_or(self.cfg.start);
        ts.to_zoned_datetime(self.cfg.tz.clone()).datetime()
    }

    fn is_open(&self, t: i64) -> bool {
        match self.cfg.open {
            None => true,
            Some((from, to)) => {
                let d = self.local(t);
                let minute = u32::try_from(d.hour()).unwrap_or(0) * 60
                    + u32::try_from(d.minute()).unwrap_or(0);
                (from..to).contains(&minute)
            }
        }
    }

    /// The gap to the next arrival after `from` (thinning a Poisson process
    /// at the peak rate by the hour's share of it).
    fn next_arrival_gap(&mut self, from: i64) -> i64 {
        if self.peak <= 0.0 {
            return i64::MAX / 4;
        }
        let mean_ms = 3_600_000.0 / self.peak;
        let mut t = from;
        for _ in 0..100_000 {
            t += ms(self.rng.exponential(mean_ms) / 1000.0, 1);
            let keep = self.hour_factor(t) * self.cfg.rate_per_hour / self.peak;
            if self.rng.chance(keep) {
                break;
            }
        }
        t - from
    }

    fn arrivals_allowed(&self) -> bool {
        !self.arrivals_over
            && self.cfg.max_calls.is_none_or(|max| self.arrivals < max)
            && self.cfg.duration_ms.is_none_or(|d| self.now < d)
    }

    fn run(&mut self, action: Action) {
        match action {
            Action::Arrival => self.arrival(),
            Action::Login(a) => self.login(a),
            Action::Menu(c) => self.menu(c),
            Action::HangUpInIvr(c) | Action::InfoEnd(c) | Action::OutOfHoursEnd(c) => {
                self.end_call(c);
            }
            Action::GiveUp(c) => self.give_up(c),
            Action::CallbackPrompt(c) => self.callback_prompt(c),
            Action::RingEnd(c, a, missed) => self.ring_end(c, a, missed),
            Action::TalkEnd(c) => self.talk_end(c),
            Action::AcwEnd(a) => {
                if self.agents[a].is == AgentIs::AfterCallWork {
                    self.become_ready(a);
                }
            }
            Action::BreakStart(a) => self.break_start(a),
            Action::BreakEnd(a) => {
                if self.agents[a].is == AgentIs::Away {
                    self.become_ready(a);
                }
            }
            Action::OutboundTry(a) => self.outbound_try(a),
            Action::DialEnd(c) => self.dial_end(c),
            Action::InternalTry(a) => self.internal_try(a),
            Action::Originate(o) => self.originate_now(o),
        }
    }

    fn new_call(&mut self, from: String) -> usize {
        let n = self.calls.len() + 1;
        self.calls.push(Call {
            id: format!("sim{}-c{:07}", self.cfg.seed, n),
            from,
            digit: None,
            phase: Phase::Ivr,
            agents: Vec::new(),
            answered_ms: None,
            callback: None,
            dialler: None,
        });
        self.calls.len() - 1
    }

    fn random_mobile(&mut self) -> String {
        let a = self.rng.between(2000, 9999);
        let b = self.rng.between(1000, 9999);
        format!("010-{a}-{b}")
    }

    fn arrival(&mut self) {
        if !self.arrivals_allowed() {
            self.arrivals_over = true;
            return;
        }
        self.arrivals += 1;
        self.decided.inbound += 1;
        let from = self.random_mobile();
        let c = self.new_call(from.clone());
        let open = self.is_open(self.now);
        self.emit_call(EventType::CallReceived, c, |e| {
            e.from = Some(from);
            e.hours = Some(if open { "open" } else { "closed" }.into());
        });
        if !open {
            let d = self.rng.between(8_000, 15_000);
            self.after(d, Action::OutOfHoursEnd(c));
        } else if self.rng.chance(0.03) {
            let d = self.rng.between(2_000, 8_000);
            self.after(d, Action::HangUpInIvr(c));
        } else {
            let d = self.rng.between(4_000, 12_000);
            self.after(d, Action::Menu(c));
        }
        let gap = self.next_arrival_gap(self.now);
        self.after(gap, Action::Arrival);
    }

    fn login(&mut self, a: usize) {
        if self.finished || self.agents[a].is != AgentIs::LoggedOut {
            return;
        }
        let seed = self.cfg.seed;
        let agent = &mut self.agents[a];
        agent.sessions += 1;
        let session = format!("sim{seed}-{}-{}", agent.login, agent.sessions);
        agent.session = Some(session.clone());
        let login = agent.login.clone();
        let (platform, ip) = match self.rng.weighted(&[0.7, 0.2, 0.1]) {
            0 => ("pc", format!("203.0.113.{}", 10 + a % 200)),
            1 => ("mobile", format!("198.51.100.{}", 10 + a % 200)),
            _ => ("web", format!("192.0.2.{}", 10 + a % 200)),
        };
        self.emit(EventType::AgentLogin, |e| {
            e.agent = Some(login);
            e.session = Some(session);
            e.platform = Some(platform.into());
            e.ip = Some(ip);
        });
        self.become_ready(a);
        let brk = ms(self.rng.exponential(75.0 * 60.0), 60_000);
        self.after(brk, Action::BreakStart(a));
        if self.cfg.outbound_per_agent_hour > 0.0 {
            let d = ms(
                self.rng
                    .exponential(3600.0 / self.cfg.outbound_per_agent_hour),
                1000,
            );
            self.after(d, Action::OutboundTry(a));
        }
        if self.cfg.internal_per_agent_hour > 0.0 && self.agents.len() > 1 {
            let d = ms(
                self.rng
                    .exponential(3600.0 / self.cfg.internal_per_agent_hour),
                1000,
            );
            self.after(d, Action::InternalTry(a));
        }
    }

    fn become_ready(&mut self, a: usize) {
        self.agents[a].is = AgentIs::Ready;
        self.agents[a].ready_since = self.now;
        self.emit_state(a, "ready");
        self.dispatch();
    }

    /// Offers waiting calls to ready agents: the oldest waiting call (over
    /// every queue) to the agent idle longest.
    fn dispatch(&mut self) {
        loop {
            let Some(a) = (0..self.agents.len())
                .filter(|a| self.agents[*a].is == AgentIs::Ready)
                .min_by_key(|a| (self.agents[*a].ready_since, *a))
            else {
                return;
            };
            let Some(c) = self.oldest_waiting() else {
                return;
            };
            if let Some(digit) = self.calls[c].digit
                && let Some(q) = self.waiting.get_mut(&digit)
            {
                q.retain(|x| *x != c);
            }
            self.offer(c, a);
        }
    }

    fn oldest_waiting(&self) -> Option<usize> {
        // Call indexes grow with arrival, and a call sent back after a
        // missed ring keeps its index: the smallest is the oldest.
        self.waiting
            .values()
            .filter_map(|q| q.front().copied())
            .min()
    }

    fn offer(&mut self, c: usize, a: usize) {
        self.calls[c].phase = Phase::Ringing(a);
        self.agents[a].is = AgentIs::Ringing(c);
        self.emit_state(a, "ringing");
        let login = self.agents[a].login.clone();
        self.emit_call(EventType::CallOffered, c, |e| e.agent = Some(login));
        let missed = self.rng.chance(0.04);
        let d = if missed {
            15_000
        } else {
            self.rng.between(2_000, 8_000)
        };
        self.after(d, Action::RingEnd(c, a, missed));
    }

    fn ring_end(&mut self, c: usize, a: usize, missed: bool) {
        if self.calls[c].phase != Phase::Ringing(a) {
            return; // the caller gave up while it rang
        }
        if missed {
            // Not picked up: the agent steps away, the call goes back to
            // the head of its queue.
            self.agents[a].is = AgentIs::Away;
            self.emit_state(a, "away");
            let d = self.rng.between(20_000, 60_000);
            self.after(d, Action::BreakEnd(a));
            self.calls[c].phase = Phase::Waiting;
            if let Some(digit) = self.calls[c].digit {
                self.waiting.entry(digit).or_default().push_front(c);
            }
            self.dispatch();
            return;
        }
        let login = self.agents[a].login.clone();
        self.emit_call(EventType::CallAnswered, c, |e| e.agent = Some(login));
        self.emit_state(a, "on_call");
        self.agents[a].is = AgentIs::OnCall(c);
        self.calls[c].phase = Phase::Talking;
        self.calls[c].agents = vec![a];
        self.calls[c].answered_ms = Some(self.now);
        if let Some(d) = self.calls[c].digit {
            self.decided.queues.entry(d).or_default().1 += 1;
        }
        let talk = ms(self.rng.log_normal(self.cfg.talk_median_s, 0.6), 10_000);
        self.after(talk.min(3_600_000), Action::TalkEnd(c));
    }

    fn menu(&mut self, c: usize) {
        let infos = self.cfg.info_digits.len();
        let queues = self.cfg.queues.len();
        let info = infos > 0 && (queues == 0 || self.rng.chance(self.cfg.info_share));
        if info {
            let digit = self.cfg.info_digits[self.rng.index(infos)];
            self.calls[c].digit = Some(digit);
            self.emit_call(EventType::CallMenu, c, |e| e.digit = Some(digit));
            let d = self.rng.between(15_000, 45_000);
            self.after(d, Action::InfoEnd(c));
            return;
        }
        if queues == 0 {
            self.end_call(c);
            return;
        }
        // The first queue gets the most calls: weights n, n-1, …, 1.
        let weights: Vec<f64> = (0..queues).map(|i| (queues - i) as f64).collect();
        let q = self.cfg.queues[self.rng.weighted(&weights)];
        self.calls[c].digit = Some(q.digit);
        self.calls[c].phase = Phase::Waiting;
        self.emit_call(EventType::CallMenu, c, |e| e.digit = Some(q.digit));
        self.emit_call(EventType::CallQueued, c, |e| e.digit = Some(q.digit));
        self.decided.queues.entry(q.digit).or_default().0 += 1;
        self.waiting.entry(q.digit).or_default().push_back(c);
        let patience = ms(self.rng.exponential(self.cfg.patience_s), 1_000);
        self.after(patience, Action::GiveUp(c));
        if q.callback {
            self.after(ms(self.cfg.callback_offer_s, 0), Action::CallbackPrompt(c));
        }
        self.dispatch();
    }

    fn unqueue(&mut self, c: usize) {
        match self.calls[c].phase {
            Phase::Waiting => {
                if let Some(d) = self.calls[c].digit
                    && let Some(q) = self.waiting.get_mut(&d)
                {
                    q.retain(|x| *x != c);
                }
            }
            Phase::Ringing(a) => {
                self.agents[a].is = AgentIs::Ready;
                self.emit_state(a, "ready");
            }
            _ => {}
        }
    }

    fn give_up(&mut self, c: usize) {
        if !matches!(self.calls[c].phase, Phase::Waiting | Phase::Ringing(_)) {
            return;
        }
        self.emit_call(EventType::CallAbandoned, c, |_| {});
        self.unqueue(c);
        self.end_call(c);
        if let Some(d) = self.calls[c].digit {
            self.decided.queues.entry(d).or_default().2 += 1;
        }
        self.dispatch();
    }

    fn callback_prompt(&mut self, c: usize) {
        if self.calls[c].phase != Phase::Waiting || !self.rng.chance(self.cfg.callback_take) {
            return;
        }
        let (number, digit) = (self.calls[c].from.clone(), self.calls[c].digit);
        self.emit_call(EventType::CallbackRequested, c, |e| {
            e.number = Some(number);
            e.digit = digit;
        });
        self.unqueue(c);
        self.end_call(c);
        if let Some(d) = digit {
            self.decided.queues.entry(d).or_default().3 += 1;
        }
    }

    fn end_call(&mut self, c: usize) {
        if self.calls[c].phase == Phase::Done {
            return;
        }
        self.emit_call(EventType::CallEnded, c, |_| {});
        self.calls[c].phase = Phase::Done;
    }

    fn talk_end(&mut self, c: usize) {
        let agents = std::mem::take(&mut self.calls[c].agents);
        let answered = self.calls[c].answered_ms;
        self.end_call(c);
        if let Some((callback, result)) = self.calls[c].callback {
            let id = self.calls[c].id.clone();
            self.emit(EventType::CallbackAttempt, |e| {
                e.callback = Some(callback);
                e.call = Some(id);
                e.result = Some(result.as_str().into());
            });
        }
        if let Some(answered) = answered
            && self.rng.chance(self.cfg.recorded_share)
        {
            let talk_ms = self.now - answered;
            let id = self.calls[c].id.clone();
            let url = format!(
                "{}/recordings/{id}/{talk_ms}.wav",
                self.cfg.recording_base.trim_end_matches('/')
            );
            #[allow(clippy::cast_precision_loss)]
            let secs = talk_ms as f64 / 1000.0;
            self.emit_call(EventType::RecordingReady, c, |e| {
                e.url = Some(url);
                e.duration_seconds = Some(secs);
                e.format = Some("wav".into());
            });
        }
        for a in agents {
            if answered.is_some() {
                self.agents[a].is = AgentIs::AfterCallWork;
                self.emit_state(a, "after_call_work");
                let acw = ms(self.rng.log_normal(self.cfg.acw_median_s, 0.5), 3_000);
                self.after(acw.min(600_000), Action::AcwEnd(a));
            } else {
                self.become_ready(a);
            }
        }
    }

    fn break_start(&mut self, a: usize) {
        if self.draining() || self.agents[a].is == AgentIs::LoggedOut {
            return;
        }
        if self.agents[a].is != AgentIs::Ready {
            self.after(120_000, Action::BreakStart(a));
            return;
        }
        if self.rng.chance(0.2) {
            // Signs out for a while (a meeting, a shift change) and back in.
            self.logout(a);
            let d = self.rng.between(10 * 60_000, 30 * 60_000);
            self.after(d, Action::Login(a));
            return;
        }
        self.agents[a].is = AgentIs::Away;
        self.emit_state(a, "away");
        let d = self.rng.between(5 * 60_000, 15 * 60_000);
        self.after(d, Action::BreakEnd(a));
        let next = ms(self.rng.exponential(75.0 * 60.0), 60_000);
        self.after(d + next, Action::BreakStart(a));
    }

    fn logout(&mut self, a: usize) {
        let login = self.agents[a].login.clone();
        let session = self.agents[a].session.take().unwrap_or_default();
        self.agents[a].is = AgentIs::LoggedOut;
        self.emit(EventType::AgentLogout, |e| {
            e.agent = Some(login);
            e.session = Some(session);
        });
    }

    fn draining(&self) -> bool {
        self.arrivals_over || !self.arrivals_allowed()
    }

    fn outbound_try(&mut self, a: usize) {
        if self.draining() || self.agents[a].is == AgentIs::LoggedOut {
            return;
        }
        if self.agents[a].is == AgentIs::Ready {
            let to = if self.rng.chance(0.5) {
                self.random_mobile()
            } else {
                format!(
                    "02-{}-{}",
                    self.rng.between(200, 999),
                    self.rng.between(1000, 9999)
                )
            };
            self.dial(a, to, None);
        }
        let d = ms(
            self.rng
                .exponential(3600.0 / self.cfg.outbound_per_agent_hour),
            1000,
        );
        self.after(d, Action::OutboundTry(a));
    }

    fn dial(&mut self, a: usize, to: String, callback: Option<(i64, AttemptResult)>) {
        let c = self.new_call(to.clone());
        self.calls[c].callback = callback;
        self.calls[c].phase = Phase::Ringing(usize::MAX);
        let login = self.agents[a].login.clone();
        self.calls[c].dialler = Some(login.clone());
        let known = self.agents[a].is == AgentIs::Ready;
        if known {
            self.agents[a].is = AgentIs::Dialing(c);
            self.emit_state(a, "dialing");
            self.calls[c].agents = vec![a];
        }
        self.emit_call(EventType::CallOutbound, c, |e| {
            e.agent = Some(login);
            e.to = Some(to);
            e.callback = callback.map(|(id, _)| id);
        });
        self.decided.outbound += 1;
        let d = match callback.map(|(_, r)| r) {
            Some(AttemptResult::NoAnswer) => 30_000,
            Some(AttemptResult::Busy | AttemptResult::Failed) => 4_000,
            _ => self.rng.between(5_000, 20_000),
        };
        self.after(d, Action::DialEnd(c));
    }

    fn dial_end(&mut self, c: usize) {
        let answered = match self.calls[c].callback {
            Some((_, result)) => result == AttemptResult::Completed,
            None => self.rng.chance(0.65),
        };
        if !answered {
            self.talk_end(c);
            return;
        }
        let agents = self.calls[c].agents.clone();
        for a in &agents {
            self.agents[*a].is = AgentIs::OnCall(c);
            self.emit_state(*a, "on_call");
        }
        // The customer picked up: the dialling agent is connected.
        if let Some(login) = self.calls[c].dialler.clone() {
            self.emit_call(EventType::CallAnswered, c, |e| e.agent = Some(login));
        }
        self.calls[c].phase = Phase::Talking;
        self.calls[c].answered_ms = Some(self.now);
        let talk = ms(
            self.rng.log_normal(self.cfg.talk_median_s * 0.8, 0.6),
            10_000,
        );
        self.after(talk.min(3_600_000), Action::TalkEnd(c));
    }

    fn internal_try(&mut self, a: usize) {
        if self.draining() || self.agents[a].is == AgentIs::LoggedOut {
            return;
        }
        let others: Vec<usize> = (0..self.agents.len())
            .filter(|b| *b != a && self.agents[*b].is == AgentIs::Ready)
            .collect();
        if self.agents[a].is == AgentIs::Ready && !others.is_empty() {
            let b = others[self.rng.index(others.len())];
            let c = self.new_call(String::new());
            self.agents[a].is = AgentIs::OnCall(c);
            self.agents[b].is = AgentIs::OnCall(c);
            self.calls[c].agents = vec![a, b];
            self.calls[c].phase = Phase::Talking;
            self.emit_state(a, "dialing");
            self.emit_state(b, "ringing");
            let (from, to) = (self.agents[a].login.clone(), self.agents[b].login.clone());
            self.emit_call(EventType::CallInternal, c, |e| {
                e.agent = Some(from);
                e.to_agent = Some(to);
            });
            self.emit_state(a, "on_call");
            self.emit_state(b, "on_call");
            self.decided.internal += 1;
            let d = self.rng.between(20_000, 120_000);
            self.after(d, Action::TalkEnd(c));
        }
        let d = ms(
            self.rng
                .exponential(3600.0 / self.cfg.internal_per_agent_hour),
            1000,
        );
        self.after(d, Action::InternalTry(a));
    }

    fn originate_now(&mut self, o: Originate) {
        let a = self.agents.iter().position(|x| x.login == o.agent);
        match a {
            Some(a) => self.dial(a, o.number, Some((o.callback_id, o.outcome))),
            None => {
                // An agent this simulator does not play: the call still
                // happens, without state changes.
                let c = self.new_call(o.number.clone());
                self.calls[c].callback = Some((o.callback_id, o.outcome));
                self.calls[c].phase = Phase::Ringing(usize::MAX);
                self.calls[c].dialler = Some(o.agent.clone());
                let agent = o.agent.clone();
                self.emit_call(EventType::CallOutbound, c, |e| {
                    e.agent = Some(agent);
                    e.to = Some(o.number);
                    e.callback = Some(o.callback_id);
                });
                self.decided.outbound += 1;
                self.after(5_000, Action::DialEnd(c));
            }
        }
    }

    /// A bounded run ends when arrivals are over, no call is in progress
    /// and no agent is busy: everyone signs out and nothing else happens.
    fn maybe_finish(&mut self) {
        if self.finished || !self.draining() {
            return;
        }
        self.arrivals_over = true;
        let calls_over = self.calls.iter().all(|c| c.phase == Phase::Done);
        let agents_idle = self
            .agents
            .iter()
            .all(|a| matches!(a.is, AgentIs::Ready | AgentIs::Away | AgentIs::LoggedOut));
        // Scheduled originates still run.
        let originates = self
            .actions
            .values()
            .any(|x| matches!(x, Action::Originate(_)));
        if !(calls_over && agents_idle) || originates {
            return;
        }
        for a in 0..self.agents.len() {
            if self.agents[a].is != AgentIs::LoggedOut {
                self.logout(a);
            }
        }
        self.finished = true;
        self.actions.clear();
    }
}

/// `at` in the tenant's zone, with milliseconds and the offset.
pub fn rfc3339(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}
