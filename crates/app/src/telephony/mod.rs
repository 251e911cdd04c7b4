//! The telephony provider's side of the app (SPEC section 7): how its
//! requests are authenticated. The event webhook and the call flow (issue 9)
//! build on [`signature`].

pub mod signature;
