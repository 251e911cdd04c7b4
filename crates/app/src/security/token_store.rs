//! Where bearer secrets live: admin sessions ([`super::sessions`]) and agent
//! tokens ([`super::agent_tokens`]) are both a random token held by the
//! client and a record in the key-value store under the token's SHA-256 (a
//! copy of the store grants nothing), each kind under its own key prefix so
//! one is never taken for the other.
//!
//! Expiry slides: a record idle for the configured lifetime is gone, none
//! lives longer than [`ABSOLUTE_LIFETIME_SECS`]. Every key-value write is a
//! durable commit, so the renewal is written at most once per
//! [`RENEW_EVERY_SECS`] (or a quarter of the idle lifetime), not on every
//! request.

use crate::security::sha256_hex;
use serde::Serialize;
use serde::de::DeserializeOwned;
use switchboard_storage::{KeyValue, StorageError};

pub const ABSOLUTE_LIFETIME_SECS: i64 = 24 * 3600;
pub const RENEW_EVERY_SECS: i64 = 300;

/// A record whose life is measured from its creation and its last use
/// (Unix seconds).
pub trait Sliding {
    fn created_at(&self) -> i64;
    fn last_seen(&self) -> i64;
    fn seen(&mut self, now: i64);

    /// When it ends unless it is used again first.
    fn expires_at(&self, idle_secs: i64) -> i64 {
        (self.last_seen() + idle_secs).min(self.created_at() + ABSOLUTE_LIFETIME_SECS)
    }

    fn is_live(&self, now: i64, idle_secs: i64) -> bool {
        now < self.expires_at(idle_secs)
    }
}

/// The records of one kind, under `<prefix>:<sha256 of the token>`.
pub struct TokenStore {
    pub prefix: &'static str,
}

impl TokenStore {
    fn key(&self, token: &str) -> String {
        format!("{}:{}", self.prefix, sha256_hex(token.as_bytes()))
    }

    pub async fn save<T: Serialize>(
        &self,
        kv: &dyn KeyValue,
        token: &str,
        record: &T,
    ) -> Result<(), StorageError> {
        let json = serde_json::to_vec(record).map_err(|e| StorageError::new(e.to_string()))?;
        kv.set(&self.key(token), &json).await
    }

    /// The live record for `token`, renewed if due. Expired records are
    /// deleted on sight; malformed ones read as absent.
    pub async fn load<T: Sliding + Serialize + DeserializeOwned>(
        &self,
        kv: &dyn KeyValue,
        token: &str,
        now: i64,
        idle_secs: i64,
    ) -> Result<Option<T>, StorageError> {
        let key = self.key(token);
        let Some(bytes) = kv.get(&key).await? else {
            return Ok(None);
        };
        let Ok(mut record) = serde_json::from_slice::<T>(&bytes) else {
            return Ok(None);
        };
        if !record.is_live(now, idle_secs) {
            kv.delete(&key).await?;
            return Ok(None);
        }
        if now - record.last_seen() >= RENEW_EVERY_SECS.min(idle_secs / 4) {
            record.seen(now);
            // The store has no compare-and-set; re-checking just before the
            // write narrows the window in which a concurrent sign-out could
            // be undone by this renewal to the two calls' distance.
            if kv.exists(&key).await? {
                self.save(kv, token, &record).await?;
            }
        }
        Ok(Some(record))
    }

    pub async fn delete(&self, kv: &dyn KeyValue, token: &str) -> Result<(), StorageError> {
        kv.delete(&self.key(token)).await
    }
}
