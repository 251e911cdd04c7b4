//! Randomness from the host (WASI `random` inside Spin, the OS natively).

use switchboard_storage::StorageError;

/// `n` random bytes as lower-case hex. A host without randomness is an
/// error, never a predictable fallback: these become session tokens.
pub fn hex_token(n: usize) -> Result<String, StorageError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| StorageError::new(format!("no randomness: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

thread_local! {
    /// This instance's request-ID prefix (drawn once) and counter.
    static REQUEST_IDS: std::cell::RefCell<(String, u64)> = const { std::cell::RefCell::new((String::new(), 0)) };
}

/// A new request ID: 12 hex digits drawn once per instance, then a counter
/// (24 characters). Request IDs only need to be unique in the logs, not
/// unguessable, so a request does not pay a call to the host's randomness.
pub fn request_id() -> String {
    REQUEST_IDS.with(|ids| {
        let mut ids = ids.borrow_mut();
        if ids.0.is_empty() {
            ids.0 = hex_token(6).unwrap_or_else(|_| "000000000000".to_owned());
        }
        ids.1 = ids.1.wrapping_add(1);
        format!("{}{:012x}", ids.0, ids.1 & 0xffff_ffff_ffff)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn request_ids_are_24_hex_digits_and_never_repeat_in_an_instance() {
        let a = super::request_id();
        let b = super::request_id();
        assert_eq!(a.len(), 24);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(a[..12], b[..12], "one prefix per instance");
    }
}
