//! Sign-in and request security (AUTH-3, ACC-1): password hashing, sessions,
//! sign-in back-off and how the client's address is determined.

pub mod agent_tokens;
pub mod client_ip;
pub mod headers;
pub mod passwords;
pub mod refusals;
pub mod sessions;
pub mod throttle;
pub mod token_store;

/// Compares two secrets in time independent of where they first differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn secrets_differing_in_several_places_never_compare_equal() {
        assert!(constant_time_eq(b"token", b"token"));
        assert!(!constant_time_eq(b"token", b"tokem"));
        assert!(!constant_time_eq(b"token", b"token2"));
        // Two differences that cancel out under XOR must still differ.
        assert!(!constant_time_eq(b"aa", b"``"));
    }
}
