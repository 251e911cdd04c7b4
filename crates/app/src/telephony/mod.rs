//! The telephony provider's side of the app (SPEC section 7). The contract
//! itself (signatures, event types) is the `switchboard-telephony` crate,
//! shared with the provider simulator; here is what the app does with it:
//! [`ingest`] stores events and keeps the call, agent and callback records
//! they describe up to date; [`live`] reads the floor they leave.

pub mod ingest;
pub mod live;

pub use switchboard_telephony::signature;
