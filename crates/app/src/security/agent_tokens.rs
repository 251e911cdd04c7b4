//! Agent tokens (AGT-1): how the agent apps (PC, mobile, web) stay signed
//! in, separately from admin sessions.
//!
//! An agent app holds a random 256-bit token and sends it as
//! `Authorization: Bearer <64 hex digits>`; there is no cookie, so a browser
//! never attaches it on its own and no CSRF token is needed. Like admin
//! sessions ([`super::sessions`]) the token is kept in the key-value store
//! under its SHA-256 (a copy of the store grants nothing), under its own key
//! prefix, so an admin session token is never an agent token and the
//! reverse. Expiry works the same way: a token idle for
//! `session_lifetime_minutes` is gone, none lives longer than
//! [`ABSOLUTE_LIFETIME_SECS`], and the renewal is written at most once per
//! [`RENEW_EVERY_SECS`].
//!
//! The token records the agent's `session_epoch` when it was issued; the
//! pipeline compares it with the agent's row on every request, so disabling,
//! deleting or changing the password of an agent (each bumps the epoch)
//! signs every app of that agent out at once.

pub use super::token_store::{ABSOLUTE_LIFETIME_SECS, RENEW_EVERY_SECS, Sliding};
use crate::random;
use crate::security::token_store::TokenStore;
use serde::{Deserialize, Serialize};
use switchboard_storage::{KeyValue, StorageError};

/// Hex digits in a token (32 random bytes).
pub const TOKEN_LEN: usize = 64;

const STORE: TokenStore = TokenStore {
    prefix: "agent-token",
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentToken {
    pub agent_id: i64,
    pub tenant_id: i64,
    /// The agent's `session_epoch` when the token was issued.
    pub epoch: i64,
    /// The session ID of the login and logout events (HIST-4).
    pub session: String,
    /// `pc`, `mobile` or `web`.
    pub platform: String,
    pub created_at: i64,
    pub last_seen: i64,
}

impl Sliding for AgentToken {
    fn created_at(&self) -> i64 {
        self.created_at
    }
    fn last_seen(&self) -> i64 {
        self.last_seen
    }
    fn seen(&mut self, now: i64) {
        self.last_seen = now;
    }
}

/// What a new token is issued for.
pub struct NewToken<'a> {
    pub agent_id: i64,
    pub tenant_id: i64,
    pub epoch: i64,
    pub session: &'a str,
    pub platform: &'a str,
}

/// Issues a token; returns it (for the app) and its record.
pub async fn create(
    kv: &dyn KeyValue,
    new: &NewToken<'_>,
    now: i64,
) -> Result<(String, AgentToken), StorageError> {
    let token = random::hex_token(TOKEN_LEN / 2)?;
    let record = AgentToken {
        agent_id: new.agent_id,
        tenant_id: new.tenant_id,
        epoch: new.epoch,
        session: new.session.to_owned(),
        platform: new.platform.to_owned(),
        created_at: now,
        last_seen: now,
    };
    STORE.save(kv, &token, &record).await?;
    Ok((token, record))
}

/// The live record for `token`, renewed if due (see [`TokenStore::load`]).
pub async fn load(
    kv: &dyn KeyValue,
    token: &str,
    now: i64,
    idle_secs: i64,
) -> Result<Option<AgentToken>, StorageError> {
    STORE.load(kv, token, now, idle_secs).await
}

pub async fn delete(kv: &dyn KeyValue, token: &str) -> Result<(), StorageError> {
    STORE.delete(kv, token).await
}

/// The token of an `Authorization: Bearer <token>` header. None when the
/// header is missing, sent more than once, of another scheme, or not a
/// token this module could have issued (64 lower-case hex digits).
pub fn bearer(headers: &switchboard_http::HeaderMap) -> Option<&str> {
    let mut values = headers
        .get_all(switchboard_http::header::AUTHORIZATION)
        .iter();
    let value = values.next()?.to_str().ok()?;
    if values.next().is_some() {
        return None;
    }
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer")
        && token.len() == TOKEN_LEN
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
    .then_some(token)
}

/// Deletes the ended agent tokens (CB-5); returns how many.
pub async fn sweep(kv: &dyn KeyValue, now: i64, idle_secs: i64) -> Result<i64, StorageError> {
    STORE.sweep(kv, now, idle_secs).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(created_at: i64, last_seen: i64) -> AgentToken {
        AgentToken {
            agent_id: 1,
            tenant_id: 1,
            epoch: 0,
            session: "s".into(),
            platform: "pc".into(),
            created_at,
            last_seen,
        }
    }

    #[test]
    fn tokens_expire_when_idle_and_absolutely() {
        let r = record(0, 100);
        assert!(r.is_live(100 + 599, 600));
        assert!(!r.is_live(100 + 600, 600));
        assert_eq!(r.expires_at(600), 700);
        let old = record(0, ABSOLUTE_LIFETIME_SECS - 1);
        assert!(!old.is_live(ABSOLUTE_LIFETIME_SECS, 600));
        assert_eq!(old.expires_at(600), ABSOLUTE_LIFETIME_SECS);
    }

    fn req(values: &[&str]) -> switchboard_http::HeaderMap {
        let mut req = switchboard_http::HeaderMap::new();
        for v in values {
            req.append(
                switchboard_http::header::AUTHORIZATION,
                switchboard_http::HeaderValue::from_str(v)
                    .unwrap_or_else(|_| switchboard_http::HeaderValue::from_static("invalid")),
            );
        }
        req
    }

    #[test]
    fn only_one_well_formed_bearer_token_counts() {
        let t = "a".repeat(64);
        let ok = format!("Bearer {t}");
        assert_eq!(bearer(&req(&[&ok])), Some(t.as_str()));
        assert_eq!(bearer(&req(&[&format!("bearer  {t} ")])), Some(t.as_str()));
        assert_eq!(bearer(&req(&[])), None);
        assert_eq!(bearer(&req(&[&ok, &ok])), None, "sent twice");
        assert_eq!(bearer(&req(&[&format!("Basic {t}")])), None);
        assert_eq!(bearer(&req(&[&format!("Bearer {}", "A".repeat(64))])), None);
        assert_eq!(bearer(&req(&[&format!("Bearer {}", "a".repeat(63))])), None);
        assert_eq!(bearer(&req(&["Bearer"])), None);
    }
}
