//! The storage seam.
//!
//! Switchboard keeps its system of record in SQLite and its sessions, idempotency
//! keys and caches in a key-value store (SPEC RUN-3). Inside Spin those are the
//! host's `sqlite` and `key-value` interfaces; in native tests and the dev server
//! they are rusqlite and a SQLite-backed store with the same semantics. Business
//! code only ever sees the two narrow traits in this crate, [`Sql`] and
//! [`KeyValue`], as trait objects, so no `cfg` ever reaches a handler.
//!
//! Both traits return boxed futures: the Spin host calls are `async`, and a boxed
//! future keeps the traits object-safe so handlers take `&dyn Sql` instead of
//! being generic over every store.

pub mod conformance;
mod kv;
mod migrate;
mod shared;
mod sql;

pub use kv::KeyValue;
pub use migrate::{Migration, migrate};
pub use shared::SharedConnection;
pub use sql::{Row, Rows, Sql, Statement, Value};

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// Settings SQLite keeps per connection and neither Spin nor rusqlite sets
/// for us. Both implementations run these whenever they open a connection
/// (once per component instance inside Spin).
pub const CONNECTION_PRAGMAS: [&str; 3] = [
    "PRAGMA busy_timeout = 5000",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
];

/// A boxed, non-`Send` future: Spin components are single-threaded.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A failure of the store itself (I/O, constraint, syntax). Never caused by a
/// client directly: request paths validate input before it reaches SQL, so the
/// HTTP layer maps this to a 500 and logs it.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageError {
    pub message: String,
}

impl StorageError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// True when the error is a SQLite uniqueness violation. Callers use it to
    /// turn a lost race ("login ID already taken") into a 409 rather than a 500.
    pub fn is_unique_violation(&self) -> bool {
        self.message.contains("UNIQUE constraint failed")
    }

    /// True when the database stayed locked by other writers past the
    /// connection's busy timeout (`SQLITE_BUSY`): overload, worth a retry.
    pub fn is_busy(&self) -> bool {
        self.message.contains("database is locked") || self.message.contains("database is busy")
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "storage error: {}", self.message)
    }
}

impl std::error::Error for StorageError {}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// Turns a UNIQUE violation into `Ok(None)`: for writes whose conflict is an
/// answer ("that digit is taken"), not a failure.
pub trait OrTaken<T> {
    fn or_taken(self) -> Result<Option<T>>;
}

impl<T> OrTaken<T> for Result<T> {
    fn or_taken(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_unique_violation() => Ok(None),
            Err(e) => Err(e),
        }
    }
}
