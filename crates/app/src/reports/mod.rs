//! The screens' read models: what the dashboard, history and statistics
//! show, read from the records the telephony events leave.

pub mod floor;
