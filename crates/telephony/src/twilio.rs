//! Twilio's request signature (TEL-3, the Twilio variant), as Twilio
//! documents it ("Secure webhooks"): the full URL Twilio requested (scheme,
//! host, path and query, exactly as configured in its console), followed by
//! every POST parameter sorted by name, each written as name then value with
//! no separator (a name sent several times: its distinct values sorted, as
//! Twilio's own libraries do); HMAC-SHA1 of that string keyed with the
//! account's auth token, base64. The header is `X-Twilio-Signature`.
//!
//! Behind a proxy the URL the app sees differs from the one Twilio called,
//! so the caller of [`verify`] passes the public URL (a configured base +
//! the path and query), never the request's own.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const SIGNATURE_HEADER: &str = "x-twilio-signature";

/// The signature Twilio sends for a POST to `url` with form `params`;
/// `None` for an empty auth token (which verifies nothing).
pub fn sign(auth_token: &str, url: &str, params: &[(String, String)]) -> Option<String> {
    let mut mac = mac(auth_token)?;
    mac.update(url.as_bytes());
    for (name, value) in canonical(params) {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    Some(STANDARD.encode(mac.finalize().into_bytes()))
}

/// Whether `signature` is Twilio's for this request, compared in constant
/// time; always false for an empty auth token or a header that is not
/// base64 of 20 bytes.
pub fn verify(auth_token: &str, url: &str, params: &[(String, String)], signature: &str) -> bool {
    let Some(mut mac) = mac(auth_token) else {
        return false;
    };
    let Ok(sent) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    mac.update(url.as_bytes());
    for (name, value) in canonical(params) {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    mac.verify_slice(&sent).is_ok()
}

fn mac(key: &str) -> Option<Hmac<Sha1>> {
    if key.is_empty() {
        return None;
    }
    <Hmac<Sha1> as Mac>::new_from_slice(key.as_bytes()).ok()
}

/// The parameters in signing order: by name, then by value; a name and
/// value sent twice count once.
fn canonical(params: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut sorted: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    sorted.sort_unstable();
    sorted.dedup();
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    /// Twilio's documented example, its parameters deliberately out of order.
    fn documented() -> Vec<(String, String)> {
        params(&[
            ("Digits", "1234"),
            ("To", "+18005551212"),
            ("From", "+14158675309"),
            ("Caller", "+14158675309"),
            ("CallSid", "CA1234567890ABCDE"),
        ])
    }

    #[test]
    fn twilios_documented_example_gives_its_documented_signature() {
        assert_eq!(
            sign(TOKEN, URL, &documented()).as_deref(),
            Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        );
        assert!(verify(
            TOKEN,
            URL,
            &documented(),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn a_name_sent_several_times_signs_its_distinct_values_in_order() {
        // The vector Twilio's libraries test repeated parameters with.
        let repeated = params(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ]);
        assert!(verify(
            TOKEN,
            URL,
            &repeated,
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        ));
    }

    #[test]
    fn anything_changed_is_refused() {
        let good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
        assert!(!verify("54321", URL, &documented(), good), "wrong token");
        assert!(!verify("", URL, &documented(), good), "no token");
        assert!(
            !verify(
                TOKEN,
                "https://mycompany.com/myapp.php?foo=1&bar=3",
                &documented(),
                good
            ),
            "another URL"
        );
        assert!(
            !verify(
                TOKEN,
                "http://mycompany.com/myapp.php?foo=1&bar=2",
                &documented(),
                good
            ),
            "another scheme (a proxy's view of the URL)"
        );
        let mut tampered = documented();
        tampered[0].1 = "9999".into();
        assert!(!verify(TOKEN, URL, &tampered, good), "another digit");
        let mut extra = documented();
        extra.push(("Extra".into(), "1".into()));
        assert!(!verify(TOKEN, URL, &extra, good), "a parameter added");
        // Reordering the *values* across names is not reordering parameters.
        let mut swapped = documented();
        swapped[1].1 = "+14158675309".into();
        swapped[2].1 = "+18005551212".into();
        assert!(
            !verify(TOKEN, URL, &swapped, good),
            "values swapped between names"
        );
        for bad in ["", "not base64!", "RSOYDt4T1cUTdK1PDd93/VVr8B8", "AAAA"] {
            assert!(!verify(TOKEN, URL, &documented(), bad), "{bad:?}");
        }
    }
}
