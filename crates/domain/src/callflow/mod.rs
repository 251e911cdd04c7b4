//! The call flow engine (ARS-7, TEL-3): what a caller hears next.
//!
//! The provider asks, step by step, what to do with a call; the answer
//! follows the tenant's saved ARS settings (greeting, menu, prompts), the
//! business-hours evaluator ([`crate::schedule::status`]) and the load on the
//! queue the caller chose. This module is the whole decision and nothing
//! else: no storage, no clock, no wire format. The endpoints (Switchboard
//! JSON, Twilio TwiML) load the settings, measure the load, call [`next`]
//! and render its [`Step`]; so a saved setting changes the next call's
//! answer at once (ARS-7), and one table of tests covers both wire formats.
//!
//! # The flow
//!
//! ```text
//! start ──greeting──▶ open?  ──▶ menu (gather 1 digit)
//!                     closed ──▶ out-of-hours / holiday prompt
//!                                 └─ callback offered? ─▶ gather ─1─▶ callback booked, goodbye
//! menu ─digit of an agents menu─▶ ready agent and short wait? ─▶ "connecting" + enqueue
//!                                 otherwise "agents busy" ─▶ callback allowed? ─▶ gather ─1─▶ callback
//!                                                                                  └ else ─▶ enqueue (hold)
//! menu ─digit of an information menu─▶ message, then "1 to hear again, 2 for the start"
//! no or wrong digit ─▶ said again, at most [`MAX_TRIES`] times, then goodbye and hang up
//! ```
//!
//! Where the call stands between two requests is a [`Position`], which the
//! provider hands back with the caller's input (a Twilio action URL carries
//! it as a query parameter, the JSON contract as a field): the engine keeps
//! no state of its own, so any instance can answer any step.

mod engine;
mod phrases;
mod position;

pub use engine::{
    Action, FlowMenu, FlowMenuKind, FlowSettings, GATHER_TIMEOUT_SECONDS, Hours, Input, MAX_TRIES,
    QueueLoad, Spoken, Step, goodbye, next,
};
pub use phrases::{Phrase, phrase};
pub use position::Position;

#[cfg(test)]
mod tests;
