//! One file per table family: SQL in, parsed rows out. Every function takes
//! the tenant ID where the table has one and filters by it. No HTTP here:
//! errors are `StorageError`, and a handler decides what a client is told.

pub mod abandoned;
pub mod access_list;
pub mod accounts;
pub mod agent_presence;
pub mod agent_sessions;
pub mod agent_work;
pub mod agents;
pub mod ars;
pub mod audio;
pub mod audit;
pub mod callback_history;
pub mod callbacks;
pub mod calls;
pub mod consultation_types;
pub mod consultations;
pub mod contract;
pub mod flow_steps;
pub mod holidays;
pub mod hours;
pub mod menus;
pub mod numbers;
pub mod queue_targets;
pub mod recordings;
pub mod retention;
pub mod schedule_state;
pub mod service_level;
pub mod tenants;
pub mod wallboard_links;
pub mod work;
