//! Signed provider requests (TEL-1).
//!
//! The provider signs each request with the deployment's shared secret:
//! `X-Switchboard-Timestamp: <unix seconds>` and
//! `X-Switchboard-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`.
//! Signing the timestamp with the body stops a captured request from being
//! replayed later than [`TOLERANCE_SECS`] (or sent from a clock that far in
//! the future); comparing in constant time (`hmac`'s `verify_slice`) stops
//! the signature from being guessed byte by byte through response timing.
//! An empty secret refuses everything: a deployment that has not set one
//! accepts no events rather than unsigned ones.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far the timestamp may be from the server's clock, either way.
pub const TOLERANCE_SECS: i64 = 300;
pub const TIMESTAMP_HEADER: &str = "x-switchboard-timestamp";
pub const SIGNATURE_HEADER: &str = "x-switchboard-signature";

/// Why a request is not accepted as the provider's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No secret is configured: every request is refused.
    NoSecret,
    /// A header is missing or not of the documented form.
    Malformed,
    /// The timestamp is more than [`TOLERANCE_SECS`] from now.
    Stale,
    /// The signature does not match.
    Mismatch,
}

/// The signature header value for `body` sent at `timestamp` (for the
/// provider simulator and tests); `None` for an empty secret.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let mut mac = mac(secret)?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("v1={hex}"))
}

/// HMAC-SHA256 keyed with `secret`; `None` for an empty one (HMAC itself
/// takes keys of any length).
fn mac(secret: &str) -> Option<Hmac<Sha256>> {
    if secret.is_empty() {
        return None;
    }
    <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).ok()
}

/// Checks a request's timestamp and signature headers against its raw body.
pub fn verify(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), Refusal> {
    let checked = check_headers(secret, timestamp, signature, now)?;
    let mut mac = checked.mac;
    mac.update(checked.timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&checked.sent)
        .map_err(|_| Refusal::Mismatch)
}

/// What the headers alone can decide, before any body byte is read: a
/// secret is configured, both headers are well formed, and the timestamp is
/// within the window. A request refused here is answered without reading
/// its body; one that passes still needs [`verify`] over the body.
pub fn precheck(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    now: i64,
) -> Result<(), Refusal> {
    check_headers(secret, timestamp, signature, now).map(|_| ())
}

struct Checked<'a> {
    mac: Hmac<Sha256>,
    timestamp: &'a str,
    sent: Vec<u8>,
}

fn check_headers<'a>(
    secret: &str,
    timestamp: Option<&'a str>,
    signature: Option<&str>,
    now: i64,
) -> Result<Checked<'a>, Refusal> {
    let mac = mac(secret).ok_or(Refusal::NoSecret)?;
    let ts_text = timestamp.ok_or(Refusal::Malformed)?.trim();
    if ts_text.is_empty() || !ts_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Refusal::Malformed);
    }
    let ts: i64 = ts_text.parse().map_err(|_| Refusal::Malformed)?;
    let hex = signature
        .and_then(|s| s.trim().strip_prefix("v1="))
        .ok_or(Refusal::Malformed)?;
    let sent = decode_hex(hex).ok_or(Refusal::Malformed)?;
    if (now - ts).abs() > TOLERANCE_SECS {
        return Err(Refusal::Stale);
    }
    Ok(Checked {
        mac,
        timestamp: ts_text,
        sent,
    })
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the headers alone decide, before the body (issue 14, finding 2):
    /// a fresh timestamp and a well-formed `v1=` pass; the body is not looked
    /// at, so a wrong signature over a well-formed header still passes here.
    #[test]
    fn the_precheck_decides_from_the_headers_alone() {
        let now = 1_800_000_000;
        let ts = now.to_string();
        let well_formed = format!("v1={}", "a".repeat(64));
        assert_eq!(precheck("s", Some(&ts), Some(&well_formed), now), Ok(()));
        assert_eq!(
            precheck("", Some(&ts), Some(&well_formed), now),
            Err(Refusal::NoSecret)
        );
        assert_eq!(
            precheck("s", None, Some(&well_formed), now),
            Err(Refusal::Malformed)
        );
        assert_eq!(precheck("s", Some(&ts), None, now), Err(Refusal::Malformed));
        assert_eq!(
            precheck("s", Some("12a"), Some(&well_formed), now),
            Err(Refusal::Malformed)
        );
        assert_eq!(
            precheck("s", Some(&ts), Some("v1=abc"), now),
            Err(Refusal::Malformed)
        );
        assert_eq!(
            precheck("s", Some(&ts), Some(&"a".repeat(64)), now),
            Err(Refusal::Malformed)
        );
        let stale = (now - TOLERANCE_SECS - 1).to_string();
        assert_eq!(
            precheck("s", Some(&stale), Some(&well_formed), now),
            Err(Refusal::Stale)
        );
        let edge = (now - TOLERANCE_SECS).to_string();
        assert_eq!(precheck("s", Some(&edge), Some(&well_formed), now), Ok(()));
    }

    const SECRET: &str = "whsec-test-secret";
    const NOW: i64 = 1_790_000_000;
    const BODY: &[u8] = br#"{"id":"evt_1","type":"call.received"}"#;

    fn check(ts: i64, sig: &str, body: &[u8]) -> Result<(), Refusal> {
        verify(SECRET, Some(&ts.to_string()), Some(sig), body, NOW)
    }

    #[test]
    fn tel_1_a_signed_request_within_five_minutes_is_accepted() {
        for ts in [NOW, NOW - TOLERANCE_SECS, NOW + TOLERANCE_SECS] {
            assert_eq!(
                check(ts, &sign(SECRET, ts, BODY).unwrap(), BODY),
                Ok(()),
                "{ts}"
            );
        }
    }

    #[test]
    fn tel_1_older_or_newer_than_five_minutes_is_refused() {
        for ts in [NOW - TOLERANCE_SECS - 1, NOW + TOLERANCE_SECS + 1] {
            assert_eq!(
                check(ts, &sign(SECRET, ts, BODY).unwrap(), BODY),
                Err(Refusal::Stale)
            );
        }
    }

    #[test]
    fn tel_1_a_changed_body_timestamp_or_secret_does_not_match() {
        let sig = sign(SECRET, NOW, BODY).unwrap();
        assert_eq!(check(NOW, &sig, b"{}"), Err(Refusal::Mismatch));
        assert_eq!(check(NOW - 1, &sig, BODY), Err(Refusal::Mismatch));
        let other = sign("another-secret", NOW, BODY).unwrap();
        assert_eq!(check(NOW, &other, BODY), Err(Refusal::Mismatch));
    }

    #[test]
    fn tel_1_missing_or_malformed_headers_and_no_secret_are_refused() {
        let sig = sign(SECRET, NOW, BODY).unwrap();
        let ts = NOW.to_string();
        assert_eq!(
            verify(SECRET, None, Some(&sig), BODY, NOW),
            Err(Refusal::Malformed)
        );
        assert_eq!(
            verify(SECRET, Some(&ts), None, BODY, NOW),
            Err(Refusal::Malformed)
        );
        for bad in [&sig[3..], "v2=00", "v1=zz", "v1=", &format!("{sig}00")] {
            assert_eq!(
                verify(SECRET, Some(&ts), Some(bad), BODY, NOW),
                Err(Refusal::Malformed),
                "{bad}"
            );
        }
        for bad_ts in ["", "-5", "1e9", "١٢٣"] {
            assert_eq!(
                verify(SECRET, Some(bad_ts), Some(&sig), BODY, NOW),
                Err(Refusal::Malformed),
                "{bad_ts}"
            );
        }
        assert_eq!(
            verify("", Some(&ts), Some(&sig), BODY, NOW),
            Err(Refusal::NoSecret)
        );
        assert_eq!(sign("", NOW, BODY), None);
    }
}
