//! The API description (OpenAPI 3.1), kept by hand next to the code and served
//! at `/api/openapi.json`. `tests/api/openapi.rs` fails when a route exists in a
//! router but not here, or the reverse.

pub const DOCUMENT: &str = include_str!("../../openapi.json");
