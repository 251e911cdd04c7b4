//! The app's API tests, as one test binary: each area is a module, and
//! `support` is the harness they share (the real pipeline over in-memory
//! rusqlite stores, the clock and the variables under the test's control).
//!
//! One binary links the app and rusqlite once instead of once per file, so
//! the incremental test build stays short. Add a test to the module of its
//! area (or a new module here), never as a new file directly under `tests/`:
//! `layout::the_api_tests_are_one_binary` fails on one.

mod support;

mod access_before_body;
mod access_list;
mod agent_api;
mod audit_completeness;
mod call_flow;
mod callback_worker;
mod dashboard;
mod error_texts;
mod foundation;
mod hardening;
mod instance_reuse;
mod layout;
mod lockout;
mod malformed_input;
mod manifest;
mod number_inventory;
mod openapi;
mod recordings;
mod role_walk;
mod roles_and_tenancy;
mod service_history;
mod settings;
mod sign_in;
mod stats;
mod telephony_events;
mod work_history;
