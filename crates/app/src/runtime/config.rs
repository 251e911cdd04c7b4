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
    /// The components `spin.toml` hands it to; empty: every component.
    /// Secrets go only where they are used (the `web` component gets none).
    pub only: &'static [&'static str],
}

impl Variable {
    /// Whether `component` receives this variable (a test holds `spin.toml`
    /// to it).
    pub fn reaches(&self, component: &str) -> bool {
        self.only.is_empty() || self.only.contains(&component)
    }
}

pub const VARIABLES: &[Variable] = &[
    Variable {
        name: "session_lifetime_minutes",
        default: Some("480"),
        secret: false,
        doc: "Idle minutes after which an admin session expires (renewed while used).",
        only: &[],
    },
    Variable {
        name: "bootstrap_operator_login",
        default: Some("operator"),
        secret: false,
        doc: "Login ID of the platform operator account created on first start.",
        only: &[],
    },
    Variable {
        name: "bootstrap_operator_password",
        default: Some(""),
        secret: true,
        doc: "Password of that account; when empty, no operator is created.",
        only: &["accounts"],
    },
    Variable {
        name: "trusted_proxies",
        default: Some(""),
        secret: false,
        doc: "Comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is believed.",
        only: &[],
    },
    Variable {
        name: "webhook_secret",
        default: Some(""),
        secret: true,
        doc: "Shared HMAC-SHA256 secret for telephony webhooks; empty refuses every webhook.",
        only: &["hooks"],
    },
    Variable {
        name: "provider_api_url",
        default: Some(PROVIDER_API_UNSET),
        secret: false,
        doc: "Origin of the telephony provider's API, without a path (callback dialing: POST {url}/originate); also the callback worker's and the operator tick's allowed_outbound_hosts. The default reaches nothing.",
        only: &[],
    },
    Variable {
        name: "provider_api_token",
        default: Some(""),
        secret: true,
        doc: "Bearer token for the provider API.",
        only: &["history", "callback-worker", "accounts"],
    },
    Variable {
        name: "provider_recordings_origin",
        default: Some(RECORDINGS_ORIGIN_UNSET),
        secret: false,
        doc: "The one origin (scheme://host[:port]) recordings are fetched from; also the history component's allowed_outbound_hosts. The default reaches nothing.",
        only: &["history"],
    },
    Variable {
        name: "storage_selftest",
        default: Some("false"),
        secret: false,
        doc: "When true, POST /api/system/storage-selftest runs the storage conformance suite (tests only).",
        only: &[],
    },
];

/// The default of `provider_api_url`: Spin refuses an empty
/// `allowed_outbound_hosts` entry, so it is a reserved `.invalid` origin
/// the app treats as "not configured" (callbacks then wait).
pub const PROVIDER_API_UNSET: &str = "https://provider.invalid";

/// The default of `provider_recordings_origin`: Spin refuses an empty
/// `allowed_outbound_hosts` entry, so the default is an origin under the
/// reserved `.invalid` domain (RFC 6761), which never resolves; the app
/// treats it as "not configured".
pub const RECORDINGS_ORIGIN_UNSET: &str = "https://recordings.invalid";

/// The settings one request needs, read once per request. Its `Debug` shows
/// whether each secret is set, never the secret.
#[derive(Clone, PartialEq)]
pub struct Config {
    pub session_lifetime_minutes: i64,
    pub bootstrap_operator_login: String,
    pub bootstrap_operator_password: String,
    pub trusted_proxies: String,
    pub webhook_secret: String,
    pub provider_api_url: String,
    pub provider_api_token: String,
    pub provider_recordings_origin: String,
    pub storage_selftest: bool,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secret = |s: &str| {
            if s.is_empty() {
                "<empty>"
            } else {
                "<redacted>"
            }
        };
        f.debug_struct("Config")
            .field("session_lifetime_minutes", &self.session_lifetime_minutes)
            .field("bootstrap_operator_login", &self.bootstrap_operator_login)
            .field(
                "bootstrap_operator_password",
                &secret(&self.bootstrap_operator_password),
            )
            .field("trusted_proxies", &self.trusted_proxies)
            .field("webhook_secret", &secret(&self.webhook_secret))
            .field("provider_api_url", &self.provider_api_url)
            .field("provider_api_token", &secret(&self.provider_api_token))
            .field(
                "provider_recordings_origin",
                &self.provider_recordings_origin,
            )
            .field("storage_selftest", &self.storage_selftest)
            .finish()
    }
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
            provider_recordings_origin: RECORDINGS_ORIGIN_UNSET.to_owned(),
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
                "provider_recordings_origin" => c.provider_recordings_origin = value,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_secret() {
        let vars = MapVariables::default()
            .with("bootstrap_operator_password", "op-secret-value")
            .with("webhook_secret", "hook-secret-value")
            .with("provider_api_token", "token-secret-value")
            .with("provider_api_url", "https://provider.example");
        let c = futures::executor::block_on(Config::load(&vars));
        let text = format!("{c:?}");
        for secret in ["op-secret-value", "hook-secret-value", "token-secret-value"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains("<redacted>") && text.contains("https://provider.example"));
        for var in VARIABLES.iter().filter(|v| v.secret) {
            assert!(!var.only.is_empty(), "{} reaches every component", var.name);
            assert!(!var.reaches("web"), "{}", var.name);
        }
    }
}
