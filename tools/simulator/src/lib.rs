//! The provider simulator (SPEC TEL-5): see `README.md` "The provider
//! simulator". The library holds the model, the player, the provider-API
//! server and the summary so they are tested natively; `main.rs` is the CLI.

pub mod client;
pub mod model;
pub mod play;
pub mod random;
pub mod server;
pub mod setup;
pub mod summary;
pub mod wav;
