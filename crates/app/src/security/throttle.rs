//! Sign-in back-off (AUTH-3): repeated failures lock an account name and a
//! client address for a growing time, and the refusal says when to retry.
//!
//! - per account: 5 failures are free; each further one locks the account for
//!   30 s, 60 s, 120 s … up to 15 minutes; a success resets it;
//! - per client address: 20 failures within 15 minutes are free, then 60 s,
//!   120 s … up to 15 minutes (one address guessing many accounts).
//!
//! Counters live in the key-value store, shared by all instances. The store
//! has no atomic increment, so two simultaneous failures may count once; the
//! back-off still grows, and exactness is not worth a SQL write per attempt.
//! Accounts are keyed by the login ID as typed (folded), whether or not it
//! exists, so the lock reveals nothing about which accounts exist.

use serde::{Deserialize, Serialize};
use switchboard_storage::{KeyValue, StorageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub free_failures: i64,
    pub base_lock_secs: i64,
    pub max_lock_secs: i64,
    /// Failures older than this are forgotten (when not locked).
    pub window_secs: i64,
}

pub const ACCOUNT: Policy = Policy {
    free_failures: 5,
    base_lock_secs: 30,
    max_lock_secs: 900,
    window_secs: 24 * 3600,
};

pub const ADDRESS: Policy = Policy {
    free_failures: 20,
    base_lock_secs: 60,
    max_lock_secs: 900,
    window_secs: 900,
};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Counter {
    failures: i64,
    first_at: i64,
    locked_until: i64,
}

pub fn account_key(login_id: &str) -> String {
    format!("throttle:account:{login_id}")
}

pub fn address_key(ip: &str) -> String {
    format!("throttle:ip:{ip}")
}

async fn read(kv: &dyn KeyValue, key: &str) -> Result<Counter, StorageError> {
    Ok(kv
        .get(key)
        .await?
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default())
}

/// Seconds until `key` may try again, if it is locked now.
pub async fn locked_for(
    kv: &dyn KeyValue,
    key: &str,
    now: i64,
) -> Result<Option<i64>, StorageError> {
    let c = read(kv, key).await?;
    Ok((c.locked_until > now).then(|| c.locked_until - now))
}

/// Records a failure; returns the lock it caused, in seconds, if any.
pub async fn fail(
    kv: &dyn KeyValue,
    key: &str,
    policy: Policy,
    now: i64,
) -> Result<Option<i64>, StorageError> {
    let mut c = read(kv, key).await?;
    if c.failures > 0 && c.locked_until <= now && now - c.first_at > policy.window_secs {
        c = Counter::default();
    }
    if c.failures == 0 {
        c.first_at = now;
    }
    c.failures += 1;
    let over = c.failures - policy.free_failures;
    let lock = (over > 0).then(|| {
        let doublings = u32::try_from(over - 1).unwrap_or(u32::MAX).min(20);
        (policy.base_lock_secs.saturating_mul(1i64 << doublings)).min(policy.max_lock_secs)
    });
    if let Some(secs) = lock {
        c.locked_until = now + secs;
    }
    let json = serde_json::to_vec(&c).map_err(|e| StorageError::new(e.to_string()))?;
    kv.set(key, &json).await?;
    Ok(lock)
}

/// Forgets the failures of `key` (after a successful sign-in).
pub async fn reset(kv: &dyn KeyValue, key: &str) -> Result<(), StorageError> {
    kv.delete(key).await
}
