//! Configuration from Spin variables (RUN-5).
//!
//! Every setting is declared once in [`VARIABLES`] with its default; the test
//! suite checks that `spin.toml` declares the same names and defaults, so the
//! manifest and the code cannot drift. Secrets have no default and are
//! `required = true`-free in the manifest only where the feature that needs
//! them can be switched off (an empty webhook secret refuses every webhook).

use switchboard_storage::BoxFuture;

/// Where variables come from: Spin's `variables` interface in a component,
/// the environment or a map natively.
pub trait Variables {
    fn get<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Option<String>>;
}

/// A declared variable.
pub struct Variable {
    pub name: &'static str,
    pub default: Option<&'static str>,
    pub secret: bool,
    pub doc: &'static str,
}

pub const VARIABLES: &[Variable] = &[
    Variable {
        name: "session_lifetime_minutes",
        default: Some("480"),
        secret: false,
        doc: "Idle minutes after which an admin session expires (renewed while used).",
    },
    Variable {
        name: "bootstrap_operator_login",
        default: Some("operator"),
        secret: false,
        doc: "Login ID of the platform operator account created on first start.",
    },
    Variable {
        name: "bootstrap_operator_password",
        default: Some(""),
        secret: true,
        doc: "Password of that account; when empty, no operator is created.",
    },
    Variable {
        name: "trusted_proxies",
        default: Some(""),
        secret: false,
        doc: "Comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is believed.",
    },
    Variable {
        name: "webhook_secret",
        default: Some(""),
        secret: true,
        doc: "Shared HMAC-SHA256 secret for telephony webhooks; empty refuses every webhook.",
    },
    Variable {
        name: "provider_api_url",
        default: Some(""),
        secret: false,
        doc: "Base URL of the telephony provider's API (callback dialing, recordings).",
    },
    Variable {
        name: "provider_api_token",
        default: Some(""),
        secret: true,
        doc: "Bearer token for the provider API.",
    },
    Variable {
        name: "storage_selftest",
        default: Some("false"),
        secret: false,
        doc: "When true, POST /api/system/storage-selftest runs the storage conformance suite (tests only).",
    },
];

/// The settings one request needs, read once per request.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub session_lifetime_minutes: i64,
    pub bootstrap_operator_login: String,
    pub bootstrap_operator_password: String,
    pub trusted_proxies: String,
    pub webhook_secret: String,
    pub provider_api_url: String,
    pub provider_api_token: String,
    pub storage_selftest: bool,
}

fn default_of(name: &str) -> &'static str {
    VARIABLES
        .iter()
        .find(|v| v.name == name)
        .and_then(|v| v.default)
        .unwrap_or("")
}

impl Config {
    pub async fn load(vars: &dyn Variables) -> Config {
        let mut values = Vec::with_capacity(VARIABLES.len());
        for var in VARIABLES {
            let value = vars.get(var.name).await;
            values.push(value.unwrap_or_else(|| default_of(var.name).to_owned()));
        }
        Self::from_pairs(VARIABLES.iter().map(|v| v.name).zip(values))
    }

    fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, String)>) -> Config {
        let mut c = Config {
            session_lifetime_minutes: 480,
            bootstrap_operator_login: String::new(),
            bootstrap_operator_password: String::new(),
            trusted_proxies: String::new(),
            webhook_secret: String::new(),
            provider_api_url: String::new(),
            provider_api_token: String::new(),
            storage_selftest: false,
        };
        for (name, value) in pairs {
            let value = value.trim().to_owned();
            match name {
                "session_lifetime_minutes" => {
                    // One minute to one week; anything else falls back.
                    c.session_lifetime_minutes = value
                        .parse()
                        .ok()
                        .filter(|m| (1..=7 * 24 * 60).contains(m))
                        .unwrap_or(480);
                }
                "bootstrap_operator_login" => c.bootstrap_operator_login = value,
                "bootstrap_operator_password" => c.bootstrap_operator_password = value,
                "trusted_proxies" => c.trusted_proxies = value,
                "webhook_secret" => c.webhook_secret = value,
                "provider_api_url" => c.provider_api_url = value,
                "provider_api_token" => c.provider_api_token = value,
                "storage_selftest" => c.storage_selftest = value.eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
        c
    }
}

/// Variables from a fixed list, for tests and the dev server.
#[derive(Debug, Clone, Default)]
pub struct MapVariables(pub Vec<(String, String)>);

impl MapVariables {
    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.0.push((name.to_owned(), value.to_owned()));
        self
    }
}

impl Variables for MapVariables {
    fn get<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Option<String>> {
        Box::pin(async move {
            self.0
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        })
    }
}
