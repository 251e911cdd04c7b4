//! Switchboard's application logic, independent of the runtime.
//!
//! A Spin component (or the native dev server, or a test) builds a [`Host`]
//! from its stores and calls [`serve`] with the [`Component`] it is. Where a
//! requirement lives follows from the folder names:
//!
//! - `areas/` — one module per component: its routes and handlers.
//! - `pipeline.rs` — what happens to every request: request ID, migrations,
//!   route match, access checks, body limits, error mapping.
//! - `config.rs` — Spin variables and their defaults (RUN-5).
//! - `security/` — passwords, sessions, sign-in back-off, client addresses
//!   (AUTH-3, ACC-1); `audit.rs` — the work history (AUD-1).
//! - `accounts.rs`, `tenants.rs`, `access_list.rs` — their SQL (AUTH-1/2);
//!   `ars.rs`, `audio_files.rs`, `menus.rs`, `agents.rs`,
//!   `consultation_types.rs`, `work_settings.rs` … — the settings' SQL
//!   (SPEC section 6).
//! - `schema.rs` + `migrations/` — numbered SQL migrations (RUN-3).
//! - `static_files.rs` — the web UI's files (UI-1).
//! - `telephony/` — the telephony provider's signed requests (TEL-1);
//!   `recordings.rs` — call recordings' metadata (TEL-4).

pub mod access_list;
pub mod accounts;
pub mod agent_events;
pub mod agent_work;
pub mod agents;
pub mod areas;
pub mod ars;
pub mod audio_files;
pub mod audit;
pub mod business_hours;
pub mod config;
pub mod consultation_types;
pub mod consultations;
pub mod context;
pub mod contract;
pub mod holidays;
pub mod menus;
pub mod openapi;
pub mod pipeline;
pub mod random;
pub mod recordings;
pub mod schedule_state;
pub mod schema;
pub mod security;
pub mod static_files;
pub mod telephony;
pub mod tenants;
pub mod time;
pub mod work_settings;
pub mod worker;

pub use areas::{COMPONENTS, Component, mount_for};
pub use config::{Config, Variables};
pub use context::{Cx, Host, RouteMeta};
pub use pipeline::serve;
