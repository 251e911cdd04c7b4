//! The contract between Switchboard and its telephony provider (SPEC
//! section 7), in one crate so the app and the provider simulator
//! (`tools/simulator`) speak exactly the same language:
//!
//! - [`signature`]: how every provider request is signed (TEL-1);
//! - [`event`]: the call and agent events the provider posts (TEL-2), their
//!   wire form ([`WireEvent`]) and the typed values the app stores
//!   ([`Event`]), built only through [`parse_body`];
//! - [`twilio`]: Twilio's `X-Twilio-Signature` (the Twilio voice endpoint);
//! - [`twiml`]: a call-flow step as TwiML.
//!
//! The human-readable contract is `docs/webhooks.md`; the machine-readable
//! one is `docs/webhook-events.schema.json`. Tests check both against this
//! crate.

pub mod event;
pub mod signature;
pub mod twilio;
pub mod twiml;

pub use event::{
    AgentState, AttemptResult, Event, EventBody, EventType, Hours, MAX_BATCH, Platform,
    RecordingFormat, WireEvent, parse_body,
};
