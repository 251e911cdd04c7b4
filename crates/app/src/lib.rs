//! Switchboard's application logic, independent of the runtime.
//!
//! A Spin component (or the native dev server, or a test) builds a [`Host`]
//! from its stores and calls [`serve`] with the [`Component`] it is; the cron
//! component calls [`worker::tick`]. Folders say what a file is, and the
//! layers only point down this list (`scripts/module-cycles.py --layers`
//! prints the edges; it fails on any circle between files):
//!
//! | folder | what is there | requirements |
//! | --- | --- | --- |
//! | `components/` | one folder per `functions/<name>`: its route table (`mod.rs`) and a handler file per resource | UI-1 (`web.rs`), AUTH-1..3 (`accounts/`), MON-1..7 (`dashboard/`: the dashboard, wallboard links, callbacks from abandoned calls), STAT-* to come, HIST-1..5, TEL-4 (`history/`), TEL-1..3, ARS-2 audio (`hooks.rs`), ARS-*, SVC-*, CON-*, ACC-1 (`settings/`), AGT-1 (`agent/`) |
//! | `worker/` | the timer's tick (`mod.rs`: the list of steps, the report, `status`), what a step gets (`step.rs`), one file per step (`callbacks.rs`, `housekeeping.rs`, `rollup.rs`: the statistics roll-up), the provider's dial contract (`provider.rs`) | RUN-4, CB-2..5 |
//! | `runtime/` | what every request runs on: `pipeline.rs` (request ID, route match, migrations, body limit, access, audit, errors, headers), `context.rs` (the `Cx` a handler gets), `host.rs` (what an instance keeps), `routes.rs` (`Component`, `RouteMeta`, `Access`, `Audit`), `config.rs`, `schema.rs` + `../migrations/`, `static_files.rs`, `openapi.rs` | RUN-1..3, RUN-5, UI-6 |
//! | `reports/` | the screens' read models: `metrics.rs` (SPEC section 11 stated once: every figure of every screen and export), the live floor (`floor.rs`), the dashboard (`dashboard.rs`), the statistics (`stats.rs`: roll-up buckets + live records) and their CSV/XLSX files (`export.rs`), many rows read as one inside Spin (`packed.rs`), and the history reads to come | MON-1..7, HIST-1..4, STAT-1..6 |
//! | `telephony/` | what the app does with the provider's events: `ingest.rs` (the log and its projections), `agent_events.rs` (the agent app's own events through the same log) | TEL-1..3, TEL-5 |
//! | `records/` | one file per table family, named as its handler file is: SQL in, parsed rows out, `StorageError` only | AUTH-1/2 (`accounts`, `tenants`), ACC-1 (`access_list`), ARS-1/2/6 (`ars`, `audio`, `numbers`: the number inventory), ARS-3 (`menus`), ARS-4/5 (`hours`, `holidays`, `schedule_state`), SVC-1/2 (`agents`), SVC-3 (`consultation_types`), SVC-4/5 (`work`), CON-1..3 (`contract`), AUD-1 (`audit`), TEL-4 (`recordings`), MON (`service_level`, `queue_targets`, `wallboard_links`, `abandoned`), AGT-1 (`agent_work`, `consultations`), CB-2/3 (`callbacks`: leases, attempts, transitions, policy; `attempts_for` for HIST-3), CB-5 (`agent_presence`, `retention`: the per-company setting and the deletion past it), HIST-1..4 (`calls`, `agent_sessions`, `callback_history`) |
//! | `security/` | passwords, admin sessions and agent tokens (`token_store.rs`), sign-in throttle, client address, response headers | AUTH-3, ACC-1 |
//! | `time.rs`, `random.rs` | leaves every layer uses: stored-time text and ranges; tokens and IDs | |
//!
//! `docs/requirements.md` lists every requirement ID with the file that
//! implements it and the tests that cover it.

pub mod components;
pub mod random;
pub mod records;
pub mod reports;
pub mod runtime;
pub mod security;
pub mod telephony;
pub mod time;
pub mod worker;

pub use components::{COMPONENTS, Component, mount_for};
pub use runtime::config::{Config, Variables};
pub use runtime::context::Cx;
pub use runtime::host::{Clock, Host};
pub use runtime::pipeline::serve;
pub use runtime::routes::RouteMeta;
