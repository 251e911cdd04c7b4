//! The screens' read models: what the dashboard, history and statistics
//! show, read from the records the telephony events leave. `metrics.rs` is
//! SPEC section 11, stated once: every figure of every screen and export
//! counts with it.

pub mod dashboard;
pub mod export;
pub mod floor;
pub mod metrics;
pub mod packed;
pub mod stats;
