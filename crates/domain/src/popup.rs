//! The incoming-call popup URL (SVC-5, 수신팝업): a URL template the agent
//! app fills with the call's data and opens when a call rings, typically
//! the tenant's CRM page for the caller.
//!
//! Why it is this strict:
//! - **https only.** The URL carries the customer's phone number; over
//!   plain http it would travel readable on the agent's network. Other
//!   schemes (`javascript:`, `file:`, `data:` …) would make the agent app
//!   run or open something other than a web page.
//! - **Placeholders only where data belongs.** `{caller}` and friends may
//!   appear in the path, query and fragment, never in the host, so the data
//!   of a call cannot choose which server receives it; and a user-info part
//!   (`https://crm.example.com@evil.example/`) is refused, as it exists
//!   mostly to disguise the real host.
//! - **Only known placeholders.** A misspelt `{calller}` would otherwise be
//!   sent literally and the CRM page would silently find no customer; the
//!   error names the unknown placeholder. Braces are for placeholders only:
//!   a literal brace in a URL must be written `%7B` / `%7D` anyway (RFC
//!   3986), so a lone `{` or `}` is refused as unbalanced.
//! - **Values are percent-encoded** as a whole (everything but `A–Z a–z
//!   0–9 - . _ ~`), so a value cannot add a query parameter, a path segment
//!   or a fragment, wherever in the URL its placeholder stands.

use crate::{FieldCode, Invalid};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use std::fmt;

/// The most characters a template may have. Browsers handle longer URLs,
/// but a popup URL this long is a mistake (a pasted page, not an address).
pub const POPUP_URL_MAX: usize = 2000;

/// What is encoded in a value: everything but RFC 3986's unreserved
/// characters.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A piece of call data a template may contain, written `{name}` with the
/// name exactly as below (case matters: `{callid}` is refused as unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Placeholder {
    /// `{caller}`: the caller's number, digits only.
    #[serde(rename = "caller")]
    Caller,
    /// `{callId}`: the call's ID, as in the call history.
    #[serde(rename = "callId")]
    CallId,
    /// `{dialed}`: the number the caller dialled (the representative number).
    #[serde(rename = "dialed")]
    Dialed,
    /// `{agent}`: the login ID of the agent taking the call.
    #[serde(rename = "agent")]
    Agent,
    /// `{queue}`: the name of the menu (queue) the call came through.
    #[serde(rename = "queue")]
    Queue,
}

impl Placeholder {
    pub const ALL: [Placeholder; 5] = [
        Placeholder::Caller,
        Placeholder::CallId,
        Placeholder::Dialed,
        Placeholder::Agent,
        Placeholder::Queue,
    ];

    /// The name written between braces.
    pub const fn name(self) -> &'static str {
        match self {
            Placeholder::Caller => "caller",
            Placeholder::CallId => "callId",
            Placeholder::Dialed => "dialed",
            Placeholder::Agent => "agent",
            Placeholder::Queue => "queue",
        }
    }

    fn from_name(name: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// The data of one call, to fill a template with. Values are given raw;
/// [`PopupUrlTemplate::render`] encodes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PopupValues<'a> {
    pub caller: &'a str,
    pub call_id: &'a str,
    pub dialed: &'a str,
    pub agent: &'a str,
    pub queue: &'a str,
}

impl PopupValues<'static> {
    /// Made-up values for [`PopupUrlTemplate::preview`]; the queue name is
    /// Korean so the preview shows how non-ASCII values are encoded.
    pub const SAMPLE: PopupValues<'static> = PopupValues {
        caller: "01012345678",
        call_id: "c-20260102-000123",
        dialed: "07012345678",
        agent: "agent01",
        queue: "상담 대기",
    };
}

impl PopupValues<'_> {
    fn get(&self, p: Placeholder) -> &str {
        match p {
            Placeholder::Caller => self.caller,
            Placeholder::CallId => self.call_id,
            Placeholder::Dialed => self.dialed,
            Placeholder::Agent => self.agent,
            Placeholder::Queue => self.queue,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Value(Placeholder),
}

/// A checked popup URL template (see the module documentation).
/// Serialises as the template text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct PopupUrlTemplate {
    text: String,
    #[serde(skip)]
    segments: Vec<Segment>,
}

impl From<PopupUrlTemplate> for String {
    fn from(t: PopupUrlTemplate) -> String {
        t.text
    }
}

fn url_format(message: &str) -> Invalid {
    Invalid::new(FieldCode::UrlFormat, message)
}

impl PopupUrlTemplate {
    pub fn parse(input: &str) -> Result<PopupUrlTemplate, crate::ParseError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(Invalid::required("Enter the popup address."));
        }
        if text.chars().count() > POPUP_URL_MAX {
            return Err(Invalid::too_long(POPUP_URL_MAX));
        }
        if text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || crate::is_hidden_char(c))
        {
            return Err(url_format(
                "Remove spaces and invisible characters; encode a space as %20.",
            ));
        }
        // A `%` must start an escape: a stray one would swallow the
        // first two characters of a value put after it (`%{caller}`).
        let bytes = text.as_bytes();
        let stray_percent = bytes.iter().enumerate().any(|(i, b)| {
            *b == b'%'
                && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        });
        if stray_percent {
            return Err(url_format(
                "Write a % sign as %25; a % must start an escape such as %20.",
            ));
        }
        if text.contains(['"', '<', '>', '\\', '^', '`', '|']) {
            return Err(url_format(
                "Percent-encode the characters \" < > \\ ^ ` | in the address.",
            ));
        }

        // Scheme: compared without case, as URL schemes are.
        let rest = match text.get(..8) {
            Some(scheme) if scheme.eq_ignore_ascii_case("https://") => &text[8..],
            _ => {
                return Err(Invalid::new(
                    FieldCode::HttpsOnly,
                    "Use an address starting with https://.",
                )
                .with("scheme", "https://"));
            }
        };

        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        check_authority(&rest[..authority_end])?;

        let segments = segments(text)?;
        Ok(PopupUrlTemplate {
            text: text.to_owned(),
            segments,
        })
    }

    /// The template as entered (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The placeholders the template uses, in order of first use.
    pub fn placeholders(&self) -> Vec<Placeholder> {
        let mut used = Vec::new();
        for s in &self.segments {
            if let Segment::Value(p) = s
                && !used.contains(p)
            {
                used.push(*p);
            }
        }
        used
    }

    /// The URL for one call: each placeholder replaced by its value,
    /// percent-encoded.
    pub fn render(&self, values: &PopupValues<'_>) -> String {
        let mut url = String::with_capacity(self.text.len() + 32);
        for s in &self.segments {
            match s {
                Segment::Literal(text) => url.push_str(text),
                Segment::Value(p) => url.extend(utf8_percent_encode(values.get(*p), VALUE)),
            }
        }
        url
    }

    /// The URL rendered with [`PopupValues::SAMPLE`], shown to the admin
    /// next to the field.
    pub fn preview(&self) -> String {
        self.render(&PopupValues::SAMPLE)
    }
}

impl fmt::Display for PopupUrlTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `host[:port]`: a DNS name (ASCII; internationalised names in their
/// `xn--` form) or an IP literal, no user info, no placeholders.
fn check_authority(authority: &str) -> Result<(), Invalid> {
    if authority.contains(['{', '}']) {
        return Err(url_format(
            "Placeholders can be used in the path and query, not in the host name.",
        ));
    }
    if authority.contains('@') {
        return Err(url_format("Remove the user name part (…@) of the address."));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6
            .split_once(']')
            .ok_or_else(|| url_format("Close the IPv6 address with ]."))?;
        if inside.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(url_format("Not a valid IPv6 address."));
        }
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or_else(|| url_format("Only a :port may follow the IPv6 address."))?,
            ),
        };
        (None, port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(authority), None),
        }
    };
    if let Some(port) = port
        && !(port.parse::<u16>().is_ok_and(|p| p > 0) && port.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(url_format("The port must be a number from 1 to 65535."));
    }
    if let Some(host) = host {
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        let host = host.strip_suffix('.').unwrap_or(host);
        if host.is_empty() || host.len() > 253 || !host.split('.').all(label_ok) {
            return Err(url_format("Enter a host name such as crm.example.com."));
        }
    }
    Ok(())
}

/// Splits the template into literal text and placeholders.
fn segments(text: &str) -> Result<Vec<Segment>, Invalid> {
    let unbalanced = || {
        Invalid::new(
            FieldCode::UnbalancedBraces,
            "Every { needs a matching }; write a literal brace as %7B or %7D.",
        )
    };
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let open = rest.find('{');
        let close = rest.find('}');
        match (open, close) {
            (None, None) => {
                out.push(Segment::Literal(rest.to_owned()));
                break;
            }
            (Some(o), Some(c)) if o < c => {
                let name = &rest[o + 1..c];
                if name.contains('{') {
                    return Err(unbalanced());
                }
                let p = Placeholder::from_name(name).ok_or_else(|| {
                    let allowed: Vec<String> = Placeholder::ALL
                        .iter()
                        .map(|p| format!("{{{}}}", p.name()))
                        .collect();
                    let allowed = allowed.join(", ");
                    Invalid::new(
                        FieldCode::UnknownPlaceholder,
                        format!("{{{name}}} is not a placeholder; use {allowed}."),
                    )
                    .with("placeholder", format!("{{{name}}}"))
                    .with("allowed", allowed)
                })?;
                if o > 0 {
                    out.push(Segment::Literal(rest[..o].to_owned()));
                }
                out.push(Segment::Value(p));
                rest = &rest[c + 1..];
            }
            _ => return Err(unbalanced()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> PopupUrlTemplate {
        PopupUrlTemplate::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn code(s: &str) -> FieldCode {
        PopupUrlTemplate::parse(s).expect_err(s).code
    }

    #[test]
    fn a_percent_sign_must_start_an_escape() {
        assert_eq!(code("https://x.example/%{caller}"), FieldCode::UrlFormat);
        assert_eq!(code("https://x.example/a%2"), FieldCode::UrlFormat);
        assert!(PopupUrlTemplate::parse("https://x.example/a%20b/{caller}").is_ok());
    }

    #[test]
    fn a_crm_template_renders_with_encoded_values() {
        let t = parse("https://crm.example.co.kr/popup?tel={caller}&call={callId}&to={dialed}");
        assert_eq!(
            t.placeholders(),
            [
                Placeholder::Caller,
                Placeholder::CallId,
                Placeholder::Dialed
            ]
        );
        let values = PopupValues {
            caller: "01012345678",
            call_id: "abc/123",
            dialed: "07012345678",
            agent: "kim",
            queue: "sales",
        };
        assert_eq!(
            t.render(&values),
            "https://crm.example.co.kr/popup?tel=01012345678&call=abc%2F123&to=07012345678"
        );
    }

    #[test]
    fn values_cannot_change_the_structure_of_the_url() {
        let t = parse("https://crm.example.com/customers/{caller}?agent={agent}#q={queue}");
        let hostile = PopupValues {
            caller: "../admin?x=1#",
            call_id: "",
            dialed: "",
            agent: "kim&role=owner",
            queue: "상담 대기 100%",
        };
        assert_eq!(
            t.render(&hostile),
            "https://crm.example.com/customers/..%2Fadmin%3Fx%3D1%23?agent=kim%26role%3Downer\
             #q=%EC%83%81%EB%8B%B4%20%EB%8C%80%EA%B8%B0%20100%25"
        );
    }

    #[test]
    fn preview_uses_sample_values() {
        let t = parse(
            "https://crm.example.com/p?c={caller}&id={callId}&a={agent}&q={queue}&d={dialed}",
        );
        assert_eq!(
            t.preview(),
            "https://crm.example.com/p?c=01012345678&id=c-20260102-000123&a=agent01\
             &q=%EC%83%81%EB%8B%B4%20%EB%8C%80%EA%B8%B0&d=07012345678"
        );
        // Without placeholders the template is the URL.
        assert_eq!(
            parse("https://crm.example.com/").preview(),
            "https://crm.example.com/"
        );
    }

    #[test]
    fn only_https_is_accepted() {
        assert_eq!(
            code("http://crm.example.com/?t={caller}"),
            FieldCode::HttpsOnly
        );
        for other in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,hi",
            "ftp://example.com/",
            "crm.example.com/popup",
            "//crm.example.com/popup",
            "https:/crm.example.com",
        ] {
            assert_eq!(code(other), FieldCode::HttpsOnly, "{other}");
        }
        assert!(PopupUrlTemplate::parse("HTTPS://CRM.example.com/").is_ok());
    }

    #[test]
    fn unknown_placeholders_are_named() {
        let err = PopupUrlTemplate::parse("https://crm.example.com/?t={calller}").unwrap_err();
        assert_eq!(err.code, FieldCode::UnknownPlaceholder);
        assert_eq!(err.params[0], ("placeholder", "{calller}".to_owned()));
        assert_eq!(
            err.params[1].1,
            "{caller}, {callId}, {dialed}, {agent}, {queue}"
        );
        // Names are case-sensitive, as documented: {callid} is a typo.
        assert_eq!(
            code("https://x.example/{callid}"),
            FieldCode::UnknownPlaceholder
        );
        assert_eq!(code("https://x.example/{}"), FieldCode::UnknownPlaceholder);
        assert_eq!(code("https://x.example/{ caller }"), FieldCode::UrlFormat);
    }

    #[test]
    fn unbalanced_braces_are_refused() {
        for bad in [
            "https://x.example/{caller",
            "https://x.example/caller}",
            "https://x.example/{{caller}}",
            "https://x.example/{caller}}",
            "https://x.example/{cal{caller}",
            "https://x.example/}{",
        ] {
            assert_eq!(code(bad), FieldCode::UnbalancedBraces, "{bad}");
        }
        // Encoded braces are literal text.
        assert!(PopupUrlTemplate::parse("https://x.example/%7Bcaller%7D").is_ok());
    }

    #[test]
    fn the_host_is_fixed_and_plain() {
        for bad in [
            "https://{caller}.example.com/",
            "https://crm.example.com{caller}/",
            "https://crm.example.com@evil.example/",
            "https://user:pw@crm.example.com/",
            "https:///path",
            "https://crm..example.com/",
            "https://-crm.example.com/",
            "https://crm_1.example.com/",
            "https://crm.example.com:0/",
            "https://crm.example.com:65536/",
            "https://crm.example.com:+443/",
            "https://crm.example.com:/",
            "https://[::1/",
            "https://[not-ip]/",
            "https://[::1]x/",
            "https://고객.example.com/",
        ] {
            assert_eq!(code(bad), FieldCode::UrlFormat, "{bad}");
        }
        for good in [
            "https://crm.example.com",
            "https://crm.example.com:8443/popup/{caller}",
            "https://crm/popup?tel={caller}",
            "https://10.0.0.5/popup",
            "https://[2001:db8::1]:8443/popup",
            "https://[::1]/",
            "https://xn--3e0b707e.example/?q={queue}",
            "https://crm.example.com./",
            "https://crm.example.com?tel={caller}",
            "https://crm.example.com#tel={caller}",
        ] {
            assert!(PopupUrlTemplate::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn spaces_controls_and_unsafe_characters_are_refused() {
        for bad in [
            "https://crm.example.com/a b",
            "https://crm.example.com/a\tb",
            "https://crm.example.com/a\u{0}b",
            "https://crm.example.com/a\u{202e}b",
            "https://crm.example.com/\"onmouseover",
            "https://crm.example.com/<script>",
            "https://crm.example.com/a\\b",
        ] {
            assert_eq!(code(bad), FieldCode::UrlFormat, "{bad:?}");
        }
        // Korean in the path is allowed; browsers encode it.
        assert!(PopupUrlTemplate::parse("https://crm.example.com/고객/{caller}").is_ok());
    }

    #[test]
    fn length_and_emptiness() {
        assert_eq!(code("   "), FieldCode::Required);
        let base = "https://crm.example.com/";
        let ok = format!("{base}{}", "a".repeat(POPUP_URL_MAX - base.len()));
        assert!(PopupUrlTemplate::parse(&ok).is_ok());
        let err = PopupUrlTemplate::parse(&format!("{ok}a")).unwrap_err();
        assert_eq!(err.code, FieldCode::TooLong);
        assert_eq!(err.params, vec![("max", "2000".to_owned())]);
    }

    #[test]
    fn serialises_as_the_template() {
        let t = parse("  https://crm.example.com/?t={caller}  ");
        assert_eq!(t.as_str(), "https://crm.example.com/?t={caller}");
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            "https://crm.example.com/?t={caller}"
        );
    }
}
