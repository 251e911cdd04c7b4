//! Admin sessions (AUTH-3), kept in the key-value store so that any instance
//! can validate them.
//!
//! The browser holds a random 256-bit token in the `sb_session` cookie
//! (HttpOnly, SameSite=Strict); over https it is `__Host-sb_session`, which
//! browsers accept only with `Secure`, `Path=/` and no `Domain`, so a sibling
//! subdomain or a plain-http page cannot plant one. A request carrying the
//! session cookie twice is refused (no "first one wins"). The store holds the
//! session under the token's SHA-256, so a copy of the store grants nothing.
//! Each session carries its own CSRF token, which state-changing requests
//! must echo in `X-CSRF-Token`.
//!
//! Expiry slides: a session idle for `session_lifetime_minutes` is gone, and
//! none lives longer than [`ABSOLUTE_LIFETIME_SECS`]; the store and its
//! renewal rule are [`super::token_store`], shared with agent tokens.

use crate::random;
use crate::security::token_store::{Sliding, TokenStore};
use serde::{Deserialize, Serialize};
use switchboard_storage::{KeyValue, StorageError};

pub use crate::security::token_store::{ABSOLUTE_LIFETIME_SECS, RENEW_EVERY_SECS};

pub const COOKIE_NAME: &str = "sb_session";
pub const SECURE_COOKIE_NAME: &str = "__Host-sb_session";

const STORE: TokenStore = TokenStore { prefix: "session" };

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub user_id: i64,
    /// The account's `session_epoch` when the session began; a password
    /// change bumps the epoch and so ends older sessions.
    pub epoch: i64,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen: i64,
}

impl Sliding for Session {
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

/// Starts a session and returns its token (for the cookie) and the session.
pub async fn create(
    kv: &dyn KeyValue,
    user_id: i64,
    epoch: i64,
    now: i64,
) -> Result<(String, Session), StorageError> {
    let token = random::hex_token(32)?;
    let session = Session {
        user_id,
        epoch,
        csrf: random::hex_token(24)?,
        created_at: now,
        last_seen: now,
    };
    STORE.save(kv, &token, &session).await?;
    Ok((token, session))
}

/// The live session for `token`, renewed if due (see [`TokenStore::load`]).
pub async fn load(
    kv: &dyn KeyValue,
    token: &str,
    now: i64,
    idle_secs: i64,
) -> Result<Option<Session>, StorageError> {
    STORE.load(kv, token, now, idle_secs).await
}

pub async fn delete(kv: &dyn KeyValue, token: &str) -> Result<(), StorageError> {
    STORE.delete(kv, token).await
}

/// The session cookie's name: `__Host-` prefixed over https.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// The values of every `Cookie` header of `req` (HTTP/2 may send several).
pub fn cookie_headers(headers: &switchboard_http::HeaderMap) -> Vec<&str> {
    headers
        .get_all(switchboard_http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect()
}

/// The session token from the `Cookie` headers: the one cookie named
/// [`cookie_name`]. None when it is missing, empty, oversized or present more
/// than once (an attacker-planted duplicate must not shadow, or be shadowed
/// by, the real one).
pub fn token_from_cookies<'a>(
    headers: impl IntoIterator<Item = &'a str>,
    https: bool,
) -> Option<&'a str> {
    let name = cookie_name(https);
    let mut found = headers
        .into_iter()
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(n, _)| n.trim() == name)
        .map(|(_, value)| value.trim());
    let token = found.next()?;
    if found.next().is_some() {
        return None;
    }
    Some(token).filter(|v| !v.is_empty() && v.len() <= 128)
}

/// The `Set-Cookie` value that stores `token` in the browser.
pub fn cookie(token: &str, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the cookie.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// Deletes the ended admin sessions (CB-5); returns how many.
pub async fn sweep(kv: &dyn KeyValue, now: i64, idle_secs: i64) -> Result<i64, StorageError> {
    STORE.sweep(kv, now, idle_secs).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(header: &str, https: bool) -> Option<&str> {
        token_from_cookies([header], https)
    }

    #[test]
    fn reads_the_session_cookie_among_others() {
        assert_eq!(token("a=1; sb_session=abc; b=2", false), Some("abc"));
        assert_eq!(token("sb_session=", false), None);
        assert_eq!(token("other=1", false), None);
        assert_eq!(token_from_cookies([], false), None);
        assert_eq!(token("__Host-sb_session=abc", true), Some("abc"));
        assert_eq!(token("sb_session=abc", true), None);
        assert_eq!(token("__Host-sb_session=abc", false), None);
    }

    #[test]
    fn a_duplicated_session_cookie_is_no_session() {
        assert_eq!(token("sb_session=bogus; sb_session=real", false), None);
        assert_eq!(token("sb_session=real; sb_session=bogus", false), None);
        assert_eq!(
            token_from_cookies(["sb_session=real", "sb_session=bogus"], false),
            None
        );
        assert_eq!(
            token_from_cookies(["a=1", "sb_session=real"], false),
            Some("real")
        );
    }

    #[test]
    fn cookies_are_http_only_strict_and_secure_over_https() {
        assert_eq!(
            cookie("t", false),
            "sb_session=t; Path=/; HttpOnly; SameSite=Strict"
        );
        assert_eq!(
            cookie("t", true),
            "__Host-sb_session=t; Path=/; HttpOnly; SameSite=Strict; Secure"
        );
        assert!(clear_cookie(false).contains("Max-Age=0"));
        assert!(clear_cookie(true).starts_with("__Host-sb_session=;"));
    }

    #[test]
    fn sessions_expire_when_idle_and_absolutely() {
        let s = Session {
            user_id: 1,
            epoch: 0,
            csrf: "c".into(),
            created_at: 0,
            last_seen: 100,
        };
        assert!(s.is_live(100 + 599, 600));
        assert!(!s.is_live(100 + 600, 600));
        let old = Session {
            last_seen: ABSOLUTE_LIFETIME_SECS - 1,
            ..s
        };
        assert!(!old.is_live(ABSOLUTE_LIFETIME_SECS, 600));
    }
}
