//! The telephony provider's side of the app (SPEC section 7). The contract
//! itself (signatures, event types) is the `switchboard-telephony` crate,
//! shared with the provider simulator; here is what the app does with it:
//! [`ingest`] stores events and keeps the call, agent and callback records
//! they describe up to date; [`agent_events`] stores the agent app's own
//! login, logout and state events through the same log. What the screens
//! read from those records is in `reports/`.

pub mod agent_events;
pub mod flow;
pub mod ingest;

pub use switchboard_telephony::signature;
