//! Sign-in back-off (AUTH-3): repeated failures lock an account name and a
//! client address for a growing time, and the refusal says when to retry.
//!
//! Three counters, each "N free failures, then one attempt per lock period,
//! the lock doubling up to 15 minutes":
//!
//! - per client address ([`address_key`], IPv6 by /64): 20 failures within 15
//!   minutes, then 60 s, 120 s … (one address guessing many accounts). It is
//!   checked first; an attempt it refuses counts nowhere else.
//! - per account *and* address ([`account_at_key`], IPv4 exact, IPv6 by /64):
//!   5 failures, then 30 s, 60 s … This is the lock a guesser meets, and it
//!   keeps out only the guesser's own address.
//! - per account ([`account_key`]): 5 failures, then 30 s, 60 s …, but it
//!   refuses only addresses that have failed for this account in the last 24
//!   hours: an address with no recent failure still gets its first attempt, so
//!   a real admin signing in from their usual place is never kept out by
//!   someone else's guesses. It counts only attempts that passed the address
//!   lock and the tenant's IP allowlist; refusals from outside the allowlist
//!   count under [`outside_key`] instead, which locks nobody real.
//!
//! Every attempt is counted *before* its password is checked, in one atomic
//! SQL statement, and a success clears the account's counts. So parallel
//! guesses cannot slip past a lock: once the free attempts are used, exactly
//! one attempt per lock period reaches the password check. Accounts are keyed
//! by the login ID as typed (folded), whether or not it exists, so a lock
//! reveals nothing about which accounts exist. Rows whose lock and window have
//! both ended are deleted on the next attempt ([`expire`]), so the table holds
//! at most a window's worth of attempts.

use std::net::IpAddr;
use switchboard_storage::{Sql, StorageError, Value};

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

/// The whole account, wherever the attempts come from.
pub fn account_key(login_id: &str) -> String {
    format!("account:{login_id}")
}

/// Attempts on an account from outside its tenant's allowlist: counted like
/// [`account_key`] (so the answers look the same as for any other account)
/// but never refusing an attempt from inside the list.
/// Attempts at the current password on the change-password form, which only
/// the account's own signed-in sessions can make.
pub fn password_change_key(user_id: i64) -> String {
    format!("password-change:{user_id}")
}

pub fn outside_key(login_id: &str) -> String {
    format!("outside:{login_id}")
}

/// One account from one address (IPv4 exact, IPv6 by /64).
pub fn account_at_key(login_id: &str, ip: Option<IpAddr>) -> String {
    format!("account:{login_id}@{}", prefix(ip))
}

/// An agent of the agent apps (AGT-1), from anywhere: keyed by tenant and
/// login ID as typed (folded), like admin accounts, in their own namespace
/// (agent and admin login IDs are separate).
pub fn agent_key(tenant_id: i64, login_id: &str) -> String {
    format!("agent:{tenant_id}:{login_id}")
}

/// One agent from one address (IPv4 exact, IPv6 by /64).
pub fn agent_at_key(tenant_id: i64, login_id: &str, ip: Option<IpAddr>) -> String {
    format!("agent:{tenant_id}:{login_id}@{}", prefix(ip))
}

/// IPv6 clients usually hold a whole /64, so that is one bucket.
pub fn address_key(ip: Option<IpAddr>) -> String {
    format!("ip:{}", prefix(ip))
}

fn prefix(ip: Option<IpAddr>) -> String {
    match ip {
        Some(IpAddr::V6(v6)) => {
            let net = u128::from(v6) & (u128::MAX << 64);
            format!("{}/64", std::net::Ipv6Addr::from(net))
        }
        Some(v4) => v4.to_string(),
        None => "unknown".to_owned(),
    }
}

/// What an attempt may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Check the password. `locks_for` is the lock this attempt set, which
    /// stands if the password turns out wrong; `failures` is the count
    /// including this attempt (1: the first in the window).
    Proceed {
        locks_for: Option<i64>,
        failures: i64,
    },
    /// Refused without checking: locked for this many more seconds.
    Locked(i64),
}

/// Counts an attempt against `key` (atomically) and says whether it may
/// proceed.
pub async fn attempt(
    db: &dyn Sql,
    key: &str,
    p: Policy,
    now: i64,
) -> Result<Attempt, StorageError> {
    // ?1 key, ?2 now, ?3 window, ?4 free failures, ?5 base lock, ?6 max lock.
    // The new failure count restarts when the window has passed unlocked.
    let fresh = "(locked_until <= ?2 AND ?2 - first_at > ?3)";
    let next = format!("(CASE WHEN {fresh} THEN 1 ELSE failures + 1 END)");
    let lock = format!(
        "(CASE WHEN {next} > ?4 THEN ?2 + MIN(?6, ?5 * (1 << MIN({next} - ?4 - 1, 20))) ELSE 0 END)"
    );
    let sql = format!(
        "INSERT INTO login_throttle (key, failures, first_at, locked_until) VALUES (?1, 1, ?2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = {next}, \
           first_at = CASE WHEN {fresh} THEN ?2 ELSE first_at END, \
           locked_until = {lock} \
         WHERE locked_until <= ?2 \
         RETURNING locked_until, failures"
    );
    let params: [Value; 6] = [
        key.into(),
        now.into(),
        p.window_secs.into(),
        p.free_failures.into(),
        p.base_lock_secs.into(),
        p.max_lock_secs.into(),
    ];
    match db.query_row(&sql, &params).await? {
        Some(row) => {
            let until = row.i64(0)?;
            Ok(Attempt::Proceed {
                locks_for: (until > now).then_some(until - now),
                failures: row.i64(1)?,
            })
        }
        None => {
            let row = db
                .query_row(
                    "SELECT locked_until FROM login_throttle WHERE key = ?",
                    &[key.into()],
                )
                .await?;
            // The row can vanish between the two statements (expired and
            // deleted by a concurrent attempt): then the lock has just ended.
            let until = row.map_or(Ok(now), |r| r.i64(0))?;
            Ok(Attempt::Locked((until - now).max(1)))
        }
    }
}

/// The three counters one sign-in passes, admin or agent alike: the client
/// address, the account from this address, the account from anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInKeys {
    pub address: String,
    pub here: String,
    pub anywhere: String,
}

/// What the gate decided before the password is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Refused without checking the password, for this many seconds.
    Locked(i64),
    /// Check the password, then tell the gate how it went.
    Open(OpenGate),
}

/// A sign-in the gate let through, with the lock a wrong password leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenGate {
    keys: SignInKeys,
    /// The longest lock this attempt set on any counter: it stands if the
    /// password is wrong, and is what the refusal announces.
    pub lock_if_wrong: Option<i64>,
}

/// Counts a sign-in attempt against its three counters, in order, and says
/// whether the password may be checked. The one gate of admin and agent
/// sign-in (AUTH-3, AGT-1):
///
/// 1. the address: an attempt it refuses counts nowhere else;
/// 2. the account from this address: the lock a guesser meets;
/// 3. the account from anywhere, whose lock refuses only addresses that
///    have failed for it recently, so the owner's first try from their
///    usual place gets through.
pub async fn gate(db: &dyn Sql, keys: SignInKeys, now: i64) -> Result<Gate, StorageError> {
    expire(db, now).await?;
    let mut lock_if_wrong = match attempt(db, &keys.address, ADDRESS, now).await? {
        Attempt::Locked(secs) => return Ok(Gate::Locked(secs)),
        Attempt::Proceed { locks_for, .. } => locks_for,
    };
    let failures_here = match attempt(db, &keys.here, ACCOUNT, now).await? {
        Attempt::Locked(secs) => return Ok(Gate::Locked(secs)),
        Attempt::Proceed {
            locks_for,
            failures,
        } => {
            lock_if_wrong = lock_if_wrong.max(locks_for);
            failures
        }
    };
    match attempt(db, &keys.anywhere, ACCOUNT, now).await? {
        Attempt::Locked(_) if failures_here == 1 => {}
        Attempt::Locked(secs) => return Ok(Gate::Locked(secs)),
        Attempt::Proceed { locks_for, .. } => lock_if_wrong = lock_if_wrong.max(locks_for),
    }
    Ok(Gate::Open(OpenGate {
        keys,
        lock_if_wrong,
    }))
}

impl OpenGate {
    /// The password was right: the account's counts are forgotten and the
    /// address gets its attempt back.
    pub async fn passed(&self, db: &dyn Sql) -> Result<(), StorageError> {
        reset(db, &self.keys.here).await?;
        reset(db, &self.keys.anywhere).await?;
        refund(db, &self.keys.address, ADDRESS).await
    }
}

/// Forgets the count of `key` (after a successful sign-in).
pub async fn reset(db: &dyn Sql, key: &str) -> Result<(), StorageError> {
    db.execute("DELETE FROM login_throttle WHERE key = ?", &[key.into()])
        .await
        .map(|_| ())
}

/// Gives back the attempt a successful sign-in used from an address, so an
/// office full of people signing in behind one NAT address is not locked; a
/// lock this very attempt set is lifted with it (a success never locks).
pub async fn refund(db: &dyn Sql, key: &str, p: Policy) -> Result<(), StorageError> {
    db.execute(
        "UPDATE login_throttle SET \
           locked_until = CASE WHEN failures - 1 <= ?2 THEN 0 ELSE locked_until END, \
           failures = MAX(failures - 1, 0) \
         WHERE key = ?1",
        &[key.into(), p.free_failures.into()],
    )
    .await
    .map(|_| ())
}

/// Deletes rows whose lock has ended and whose window has passed: they would
/// restart from nothing anyway. Cheap (the table holds one window's worth).
pub async fn expire(db: &dyn Sql, now: i64) -> Result<(), StorageError> {
    db.execute(
        "DELETE FROM login_throttle WHERE locked_until <= ?1 AND \
           ?1 - first_at > CASE WHEN key LIKE 'ip:%' THEN ?2 ELSE ?3 END",
        &[
            now.into(),
            ADDRESS.window_secs.into(),
            ACCOUNT.window_secs.into(),
        ],
    )
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use switchboard_storage_native::NativeSql;

    fn db() -> NativeSql {
        let db = NativeSql::in_memory().unwrap_or_else(|e| panic!("{e}"));
        block_on(crate::runtime::schema::migrate(&db)).unwrap_or_else(|e| panic!("{e}"));
        db
    }

    fn try_at(db: &NativeSql, key: &str, p: Policy, now: i64) -> Attempt {
        block_on(attempt(db, key, p, now)).unwrap_or_else(|e| panic!("{e}"))
    }

    const T0: i64 = 1_800_000_000;

    #[test]
    fn a_lock_says_exactly_how_long_it_has_left() {
        let db = db();
        for i in 0..5 {
            assert!(matches!(
                try_at(&db, "k", ACCOUNT, T0 + i),
                Attempt::Proceed {
                    locks_for: None,
                    ..
                }
            ));
        }
        assert_eq!(
            try_at(&db, "k", ACCOUNT, T0 + 10),
            Attempt::Proceed {
                locks_for: Some(30),
                failures: 6
            }
        );
        assert_eq!(try_at(&db, "k", ACCOUNT, T0 + 25), Attempt::Locked(15));
        assert_eq!(try_at(&db, "k", ACCOUNT, T0 + 39), Attempt::Locked(1));
    }

    #[test]
    fn account_failures_count_for_a_day_address_failures_for_fifteen_minutes() {
        let db = db();
        for i in 0..5 {
            try_at(&db, "account", ACCOUNT, T0 + i);
        }
        // Two hours later the account's five failures still count …
        assert!(matches!(
            try_at(&db, "account", ACCOUNT, T0 + 2 * 3600),
            Attempt::Proceed {
                locks_for: Some(_),
                failures: 6
            }
        ));
        // … a day later they are forgotten.
        let db = self::db();
        for i in 0..5 {
            try_at(&db, "account", ACCOUNT, T0 + i);
        }
        assert!(matches!(
            try_at(&db, "account", ACCOUNT, T0 + 24 * 3600 + 10),
            Attempt::Proceed {
                locks_for: None,
                failures: 1
            }
        ));
        let db = self::db();
        for i in 0..20 {
            try_at(&db, "ip", ADDRESS, T0 + i);
        }
        assert!(matches!(
            try_at(&db, "ip", ADDRESS, T0 + 16 * 60),
            Attempt::Proceed {
                locks_for: None,
                failures: 1
            }
        ));
    }

    #[test]
    fn every_counter_is_its_own() {
        let keys = [
            account_key("kim"),
            account_key("lee"),
            outside_key("kim"),
            outside_key("lee"),
            password_change_key(1),
            password_change_key(2),
            account_at_key("kim", Some(IpAddr::from([203, 0, 113, 7]))),
            account_at_key("kim", Some(IpAddr::from([203, 0, 113, 8]))),
            agent_key(1, "kim"),
            agent_key(2, "kim"),
            address_key(Some(IpAddr::from([203, 0, 113, 7]))),
        ];
        let distinct: std::collections::BTreeSet<&String> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
        // An IPv6 client is one /64.
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap_or(IpAddr::from([0; 4]));
        let b: IpAddr = "2001:db8:1:2:ffff::9"
            .parse()
            .unwrap_or(IpAddr::from([0; 4]));
        assert_eq!(address_key(Some(a)), address_key(Some(b)));
    }
}
