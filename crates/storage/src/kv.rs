//! The key-value trait, shaped after Spin's `key-value` interface.

use crate::{BoxFuture, Result};

/// Spin key-value semantics: `set` overwrites, `get` of a missing key is
/// `None`, `delete` of a missing key succeeds, keys are UTF-8 strings and
/// values are bytes. There is no expiry and no compare-and-swap, so callers
/// store expiry times inside values and never rely on atomic read-modify-write.
pub trait KeyValue {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>>>;
    fn set<'a>(&'a self, key: &'a str, value: &'a [u8]) -> BoxFuture<'a, Result<()>>;
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<()>>;
    fn exists<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool>>;
    /// Every key in the store. Spin offers no prefix scan; this is for
    /// housekeeping, never for request paths.
    fn keys(&self) -> BoxFuture<'_, Result<Vec<String>>>;
}
