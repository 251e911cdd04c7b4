//! One module per Spin component. Each exposes a [`Component`]: its name, the
//! URL prefixes `spin.toml` routes to it, and its routes.

pub mod accounts;
pub mod agent;
pub mod dashboard;
pub mod health;
pub mod history;
pub mod hooks;
pub mod settings;
pub mod sign_in;
pub mod web;

pub use crate::runtime::routes::Component;

/// Every HTTP component. `spin.toml` and the dev server mount exactly these;
/// a test checks the manifest agrees.
pub const COMPONENTS: &[&Component] = &[
    &accounts::COMPONENT,
    &agent::COMPONENT,
    &dashboard::COMPONENT,
    &history::COMPONENT,
    &hooks::COMPONENT,
    &settings::COMPONENT,
    &web::COMPONENT,
];

/// The component that serves `path`, by longest prefix, as Spin chooses.
/// Paths under no API prefix go to the web component (static files).
pub fn mount_for(path: &str) -> &'static Component {
    COMPONENTS
        .iter()
        .flat_map(|c| c.prefixes.iter().map(move |p| (*p, *c)))
        .filter(|(prefix, _)| path == *prefix || path.starts_with(&format!("{prefix}/")))
        .max_by_key(|(prefix, _)| prefix.len())
        .map_or(&web::COMPONENT, |(_, c)| c)
}
