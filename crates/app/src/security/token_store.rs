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

    /// Deletes this kind's records that have ended (CB-5: their clients
    /// never came back to have them deleted on sight) and malformed ones;
    /// returns how many. Reads every key of the store, so the worker runs
    /// it hourly.
    pub async fn sweep(
        &self,
        kv: &dyn KeyValue,
        now: i64,
        idle_secs: i64,
    ) -> Result<i64, StorageError> {
        #[derive(serde::Deserialize)]
        struct Stamp {
            created_at: i64,
            last_seen: i64,
        }
        impl Sliding for Stamp {
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
        let prefix = format!("{}:", self.prefix);
        let mut swept = 0;
        for key in kv.keys().await? {
            if !key.starts_with(&prefix) {
                continue;
            }
            let Some(bytes) = kv.get(&key).await? else {
                continue;
            };
            let live = serde_json::from_slice::<Stamp>(&bytes)
                .map(|s| s.is_live(now, idle_secs))
                .unwrap_or(false);
            if !live {
                kv.delete(&key).await?;
                swept += 1;
            }
        }
        Ok(swept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use serde::Deserialize;
    use std::cell::Cell;
    use switchboard_storage::BoxFuture;
    use switchboard_storage_native::NativeKv;

    /// A key-value store that counts writes.
    struct Counting {
        inner: NativeKv,
        sets: Cell<u32>,
    }

    impl KeyValue for Counting {
        fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>, StorageError>> {
            self.inner.get(key)
        }
        fn set<'a>(
            &'a self,
            key: &'a str,
            value: &'a [u8],
        ) -> BoxFuture<'a, Result<(), StorageError>> {
            self.sets.set(self.sets.get() + 1);
            self.inner.set(key, value)
        }
        fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StorageError>> {
            self.inner.delete(key)
        }
        fn exists<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool, StorageError>> {
            self.inner.exists(key)
        }
        fn keys(&self) -> BoxFuture<'_, Result<Vec<String>, StorageError>> {
            self.inner.keys()
        }
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Rec {
        who: i64,
        created_at: i64,
        last_seen: i64,
    }

    impl Sliding for Rec {
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

    const STORE: TokenStore = TokenStore { prefix: "test" };
    /// Ten minutes idle: renewal is due after a quarter of it (150 s).
    const IDLE: i64 = 600;

    fn kv() -> Counting {
        Counting {
            inner: NativeKv::in_memory().unwrap_or_else(|e| panic!("{e}")),
            sets: Cell::new(0),
        }
    }

    fn load(kv: &Counting, token: &str, now: i64) -> Option<Rec> {
        block_on(STORE.load::<Rec>(kv, token, now, IDLE)).unwrap_or_else(|e| panic!("{e}"))
    }

    fn save(kv: &Counting, token: &str, who: i64, at: i64) {
        let rec = Rec {
            who,
            created_at: at,
            last_seen: at,
        };
        block_on(STORE.save(kv, token, &rec)).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn each_token_finds_its_own_record_under_a_hashed_key() {
        let kv = kv();
        save(&kv, "token-a", 1, 0);
        save(&kv, "token-b", 2, 0);
        assert_eq!(load(&kv, "token-a", 10).map(|r| r.who), Some(1));
        assert_eq!(load(&kv, "token-b", 10).map(|r| r.who), Some(2));
        assert_eq!(load(&kv, "token-c", 10), None);
        let keys = block_on(kv.keys()).unwrap_or_default();
        assert!(
            keys.iter()
                .all(|k| k.starts_with("test:") && !k.contains("token"))
        );
    }

    #[test]
    fn an_idle_record_expires_and_is_deleted_on_sight() {
        let kv = kv();
        save(&kv, "t", 1, 1000);
        assert!(load(&kv, "t", 1000 + IDLE - 1).is_some());
        let kv = self::kv();
        save(&kv, "t", 1, 1000);
        assert_eq!(load(&kv, "t", 1000 + IDLE), None);
        assert!(
            block_on(kv.keys()).unwrap_or_default().is_empty(),
            "deleted"
        );
    }

    #[test]
    fn use_renews_the_record_once_due_and_not_before() {
        let kv = kv();
        let t0 = 1_800_000_000;
        save(&kv, "t", 1, t0);
        assert_eq!(kv.sets.get(), 1);
        assert_eq!(load(&kv, "t", t0 + 100).map(|r| r.last_seen), Some(t0));
        assert_eq!(kv.sets.get(), 1, "not due: no write");
        assert_eq!(
            load(&kv, "t", t0 + 200).map(|r| r.last_seen),
            Some(t0 + 200)
        );
        assert_eq!(kv.sets.get(), 2, "due after a quarter of the idle time");
        // Renewed, it outlives its first idle window …
        assert!(load(&kv, "t", t0 + 700).is_some());
        // … but never the absolute lifetime.
        let kv = self::kv();
        save(&kv, "t", 1, 0);
        let mut now = 0;
        while now < ABSOLUTE_LIFETIME_SECS - 200 {
            now += 200;
            assert!(load(&kv, "t", now).is_some(), "{now}");
        }
        assert_eq!(load(&kv, "t", ABSOLUTE_LIFETIME_SECS), None);
    }
}
