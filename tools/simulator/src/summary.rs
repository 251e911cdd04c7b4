//! What a run sent, counted from the events themselves with the metric
//! definitions of SPEC section 11, so a test can compare the app's stored
//! figures with the truth:
//!
//! - *offered* (per queue digit) = calls that entered a queue (`call.queued`);
//! - *answered* = offered calls connected to an agent (`call.answered`);
//! - *callback* = offered calls that asked to be called back
//!   (`callback.requested`) before being answered;
//! - *abandoned* = offered calls ended without answer or callback;
//! - *total inbound* = every inbound call (`call.received`), including
//!   out-of-hours and information-only calls.
//!
//! A call's result follows the same precedence as the app's `calls.result`:
//! internal, outbound, answered, callback, abandoned, holiday,
//! out-of-hours, information.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use switchboard_telephony::WireEvent;

#[derive(Debug, Clone, Default)]
struct Facts {
    received: bool,
    outbound: bool,
    internal: bool,
    queued: Option<u8>,
    menu: Option<u8>,
    answered: bool,
    callback: bool,
    ended: bool,
    hours: Option<String>,
}

/// Per queue digit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueueCounts {
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub callback: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Events the app acknowledged (stored or duplicate).
    pub events_sent: u64,
    /// Of those, how many the app stored, saw before, or could not route.
    pub stored: u64,
    pub duplicate: u64,
    pub unrouted: u64,
    /// Inbound calls (SPEC 11 "total inbound").
    pub total_inbound: u64,
    /// Every call by its result (`answered`, `abandoned`, `callback`,
    /// `out_of_hours`, `holiday`, `information`, `outbound`, `internal`,
    /// or `in_progress`).
    pub results: BTreeMap<String, u64>,
    /// Queue digit → counts.
    pub queues: BTreeMap<u8, QueueCounts>,
    pub recordings: u64,
    pub callbacks_requested: u64,
    pub callback_attempts: BTreeMap<String, u64>,
    /// Agents who signed in at least once; and how many were signed in
    /// when the run ended.
    pub agents_logged_in: u64,
    pub agents_logged_in_at_end: u64,
}

/// Counts events as they are sent.
#[derive(Debug, Default)]
pub struct Tally {
    calls: HashMap<String, Facts>,
    order: Vec<String>,
    events: u64,
    recordings: u64,
    callbacks: u64,
    attempts: BTreeMap<String, u64>,
    agents_seen: BTreeSet<String>,
    signed_in: BTreeSet<String>,
    pub stored: u64,
    pub duplicate: u64,
    pub unrouted: u64,
}

impl Tally {
    pub fn observe(&mut self, e: &WireEvent) {
        self.events += 1;
        match e.kind.as_str() {
            "agent.login" => {
                if let Some(a) = &e.agent {
                    self.agents_seen.insert(a.clone());
                    self.signed_in.insert(a.clone());
                }
                return;
            }
            "agent.logout" => {
                if let Some(a) = &e.agent {
                    self.signed_in.remove(a);
                }
                return;
            }
            "recording.ready" => self.recordings += 1,
            "callback.attempt" => {
                *self
                    .attempts
                    .entry(e.result.clone().unwrap_or_default())
                    .or_default() += 1;
                return;
            }
            _ => {}
        }
        let Some(call) = &e.call else { return };
        if !e.kind.starts_with("call.") && e.kind != "callback.requested" {
            return;
        }
        if !self.calls.contains_key(call) {
            self.order.push(call.clone());
        }
        let f = self.calls.entry(call.clone()).or_default();
        match e.kind.as_str() {
            "call.received" => {
                f.received = true;
                f.hours = e.hours.clone();
            }
            "call.outbound" => f.outbound = true,
            "call.internal" => f.internal = true,
            "call.menu" => f.menu = e.digit,
            "call.queued" => f.queued = f.queued.or(e.digit),
            "call.answered" => f.answered = true,
            "call.abandoned" | "call.ended" => f.ended = true,
            "callback.requested" => {
                f.callback = true;
                self.callbacks += 1;
            }
            _ => {}
        }
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            events_sent: self.events,
            stored: self.stored,
            duplicate: self.duplicate,
            unrouted: self.unrouted,
            recordings: self.recordings,
            callbacks_requested: self.callbacks,
            callback_attempts: self.attempts.clone(),
            agents_logged_in: self.agents_seen.len() as u64,
            agents_logged_in_at_end: self.signed_in.len() as u64,
            ..Summary::default()
        };
        for id in &self.order {
            let Some(f) = self.calls.get(id) else {
                continue;
            };
            let inbound = !f.outbound && !f.internal;
            if inbound {
                s.total_inbound += 1;
            }
            let result = result(f);
            *s.results.entry(result.into()).or_default() += 1;
            if let (true, Some(d)) = (inbound, f.queued) {
                let q = s.queues.entry(d).or_default();
                q.offered += 1;
                match result {
                    "answered" => q.answered += 1,
                    "abandoned" => q.abandoned += 1,
                    "callback" => q.callback += 1,
                    _ => {}
                }
            }
        }
        s
    }
}

fn result(f: &Facts) -> &'static str {
    if !f.ended {
        "in_progress"
    } else if f.internal {
        "internal"
    } else if f.outbound {
        "outbound"
    } else if f.answered {
        "answered"
    } else if f.callback {
        "callback"
    } else if f.queued.is_some() {
        "abandoned"
    } else {
        match f.hours.as_deref() {
            Some("holiday") => "holiday",
            Some("closed") => "out_of_hours",
            _ => "information",
        }
    }
}

impl Summary {
    /// A table for people.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let line = |out: &mut String, k: &str, v: String| {
            out.push_str(&format!("  {k:<28} {v}\n"));
        };
        out.push_str("simulator summary\n");
        line(&mut out, "events sent", self.events_sent.to_string());
        line(
            &mut out,
            "  stored / duplicate / unrouted",
            format!("{} / {} / {}", self.stored, self.duplicate, self.unrouted),
        );
        line(&mut out, "total inbound", self.total_inbound.to_string());
        for (k, v) in &self.results {
            line(&mut out, &format!("  result {k}"), v.to_string());
        }
        line(&mut out, "recordings", self.recordings.to_string());
        line(
            &mut out,
            "callbacks requested",
            self.callbacks_requested.to_string(),
        );
        for (k, v) in &self.callback_attempts {
            line(&mut out, &format!("  callback attempt {k}"), v.to_string());
        }
        line(
            &mut out,
            "agents logged in (at end)",
            format!(
                "{} ({})",
                self.agents_logged_in, self.agents_logged_in_at_end
            ),
        );
        out.push_str("  queue  offered  answered  abandoned  callback\n");
        for (d, q) in &self.queues {
            out.push_str(&format!(
                "  {d:>5}  {:>7}  {:>8}  {:>9}  {:>8}\n",
                q.offered, q.answered, q.abandoned, q.callback
            ));
        }
        out
    }
}
