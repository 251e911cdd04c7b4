//! Randomness from the host (WASI `random` inside Spin, the OS natively).

use switchboard_storage::StorageError;

/// `n` random bytes as lower-case hex. A host without randomness is an
/// error, never a predictable fallback: these become session tokens.
pub fn hex_token(n: usize) -> Result<String, StorageError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| StorageError::new(format!("no randomness: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}
