//! What every request and tick runs on: the pipeline, the context handed to
//! handlers, the route table types, configuration, the schema, static files
//! and the API document.

pub mod config;
pub mod context;
pub mod host;
pub mod openapi;
pub mod pipeline;
pub mod routes;
pub mod schema;
pub mod send_audio;
pub mod static_files;
