//! Web origins (`scheme://host[:port]`), for deciding where the server may
//! connect: a recording URL is fetched only when its origin is the one the
//! deployment allows (TEL-4).

use std::fmt;

/// An `http` or `https` origin with its host lowercased and its port
/// explicit (80 and 443 by default), so equal origins compare equal however
/// they were written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: &'static str,
    host: String,
    port: u16,
}

impl Origin {
    /// Reads a configured origin: `https://rec.example.com`,
    /// `http://127.0.0.1:9000` (a trailing `/` is allowed, any other path is
    /// not). `None` for anything else.
    pub fn parse(text: &str) -> Option<Origin> {
        let text = text.trim();
        let (origin, rest) = Self::split(text)?;
        (rest.is_empty() || rest == "/").then_some(origin)
    }

    /// The origin of an absolute `http(s)` URL; `None` for a URL that is not
    /// one, or that carries credentials (`user:pw@host`).
    pub fn of_url(url: &str) -> Option<Origin> {
        Self::split(url).map(|(origin, _)| origin)
    }

    /// The origin, and the rest of the text after its authority.
    fn split(text: &str) -> Option<(Origin, &str)> {
        let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(text, "https://") {
            ("https", rest)
        } else if let Some(rest) = strip_prefix_ignore_case(text, "http://") {
            ("http", rest)
        } else {
            return None;
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let (host, port) = match authority.rsplit_once(':') {
            // `[::1]:80` splits at the port; `[::1]` has no port.
            Some((host, port)) if !port.contains(']') => (host, Some(port)),
            _ => (authority, None),
        };
        let host_ok = !host.is_empty()
            && host.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':')
            })
            && (host.starts_with('[') == host.ends_with(']'))
            && (host.contains(':') == host.starts_with('['));
        if !host_ok {
            return None;
        }
        let port = match port {
            None => {
                if scheme == "https" {
                    443
                } else {
                    80
                }
            }
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse().ok().filter(|p| *p > 0)?
            }
            Some(_) => return None,
        };
        Some((
            Origin {
                scheme,
                host: host.to_ascii_lowercase(),
                port,
            },
            tail,
        ))
    }

    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::Origin;

    #[test]
    fn equal_origins_compare_equal_however_written() {
        let a = Origin::parse("https://Rec.Example.com").unwrap();
        assert_eq!(
            Some(a.clone()),
            Origin::parse("https://rec.example.com:443/")
        );
        assert_eq!(
            Some(a.clone()),
            Origin::of_url("HTTPS://rec.example.com/r/1.mp3?x=1")
        );
        assert_eq!(a.to_string(), "https://rec.example.com:443");
        assert_eq!(Origin::parse("http://127.0.0.1:9000").unwrap().port(), 9000);
        assert_eq!(
            Origin::of_url("http://[::1]:8080/a").unwrap().host(),
            "[::1]"
        );
        assert_eq!(Origin::of_url("http://[::1]/a").unwrap().port(), 80);
    }

    #[test]
    fn different_scheme_host_or_port_is_another_origin() {
        let a = Origin::parse("https://rec.example.com").unwrap();
        for other in [
            "http://rec.example.com/x",
            "https://rec.example.com:8443/x",
            "https://rec.example.com.evil.test/x",
            "https://evil.test/rec.example.com",
            "https://evil.test?https://rec.example.com",
        ] {
            assert_ne!(Origin::of_url(other), Some(a.clone()), "{other}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_plain_origin() {
        for bad in [
            "",
            "rec.example.com",
            "ftp://rec.example.com",
            "https://",
            "https://user:pw@rec.example.com",
            "https://rec.example.com:0",
            "https://rec.example.com:99999",
            "https://rec.example.com:x",
            "https://rec.example.com/path",
            "https://rec example.com",
            "https://[::1",
        ] {
            assert_eq!(Origin::parse(bad), None, "{bad}");
        }
        assert_eq!(Origin::of_url("https://user:pw@rec.example.com/a"), None);
    }
}
