//! Single-range `Range` requests (RFC 9110 §14), so a browser can seek in a
//! recording: `206` with `Content-Range`, `416` when the range starts past
//! the end. A malformed or multi-range header is ignored and the whole
//! resource served, as the RFC allows.

use crate::{ApiError, Body, Response, ResponseExt};
use http::StatusCode;
use http::header::{ACCEPT_RANGES, CONTENT_LENGTH, CONTENT_RANGE};
use switchboard_domain::ErrorCode;

/// Which bytes of a resource of `total` bytes to send; `end` is inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub end: u64,
    pub total: u64,
    /// Whether the client asked for a part (206) or the whole (200).
    pub partial: bool,
}

impl ByteRange {
    pub fn whole(total: u64) -> Self {
        Self {
            start: 0,
            end: total.saturating_sub(1),
            total,
            partial: false,
        }
    }

    /// How many bytes the answer carries.
    pub fn len(&self) -> u64 {
        if self.total == 0 {
            0
        } else {
            self.end - self.start + 1
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads a `Range` header for a resource of `total` bytes.
    pub fn parse(header: Option<&str>, total: u64) -> Result<Self, ApiError> {
        let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
            return Ok(Self::whole(total));
        };
        if spec.contains(',') {
            return Ok(Self::whole(total));
        }
        let Some((first, last)) = spec.trim().split_once('-') else {
            return Ok(Self::whole(total));
        };
        // Digits only: `+5`, `-5` or `5-10` as a number is malformed syntax.
        let number = |s: &str| {
            let s = s.trim();
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u64>().ok())
                .flatten()
        };
        let (start, end) = match (first.trim().is_empty(), number(first), number(last)) {
            // bytes=-N: the last N bytes; the last 0 bytes is unsatisfiable.
            (true, _, Some(0)) => return Err(unsatisfiable(total)),
            (true, _, Some(n)) => (total.saturating_sub(n), total.saturating_sub(1)),
            (false, Some(a), None) if last.trim().is_empty() => (a, total.saturating_sub(1)),
            (false, Some(a), Some(b)) if a <= b => (a, b.min(total.saturating_sub(1))),
            _ => return Ok(Self::whole(total)),
        };
        if start >= total {
            return Err(unsatisfiable(total));
        }
        Ok(Self {
            start,
            end,
            total,
            partial: true,
        })
    }

    /// The answer carrying `body` (which must hold exactly these bytes).
    pub fn respond(&self, content_type: &'static str, body: Body) -> Response {
        let mut resp = Response::body_of(content_type, body)
            .with_header(ACCEPT_RANGES, "bytes")
            .with_header(CONTENT_LENGTH, &self.len().to_string());
        if self.partial {
            resp = resp.with_status(StatusCode::PARTIAL_CONTENT).with_header(
                CONTENT_RANGE,
                &format!("bytes {}-{}/{}", self.start, self.end, self.total),
            );
        }
        resp
    }
}

fn unsatisfiable(total: u64) -> ApiError {
    ApiError::new(
        StatusCode::RANGE_NOT_SATISFIABLE,
        ErrorCode::RangeNotSatisfiable,
        format!("The range is outside the {total} bytes of this resource."),
    )
    .with_header(CONTENT_RANGE, &format!("bytes */{total}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(h: &str, total: u64) -> (u64, u64, bool) {
        let r = ByteRange::parse(Some(h), total).unwrap();
        (r.start, r.end, r.partial)
    }

    #[test]
    fn reads_the_three_forms_of_a_single_range() {
        assert_eq!(part("bytes=0-99", 1000), (0, 99, true));
        assert_eq!(part("bytes=900-", 1000), (900, 999, true));
        assert_eq!(part("bytes=-100", 1000), (900, 999, true));
        assert_eq!(part("bytes=990-2000", 1000), (990, 999, true));
        assert_eq!(part("bytes=-5000", 1000), (0, 999, true));
    }

    #[test]
    fn malformed_or_multiple_ranges_serve_the_whole() {
        for h in [
            "bytes=0-1,5-9",
            "items=0-1",
            "bytes=x-y",
            "bytes=9-1",
            "bytes=-5-10",
            "bytes=--5",
            "bytes=-",
            "bytes=+5-+10",
        ] {
            assert_eq!(part(h, 1000), (0, 999, false), "{h}");
        }
        assert!(!ByteRange::parse(None, 10).unwrap().partial);
    }

    #[test]
    fn a_range_past_the_end_is_416_with_the_length() {
        let err = ByteRange::parse(Some("bytes=1000-"), 1000).unwrap_err();
        assert_eq!(err.status, StatusCode::RANGE_NOT_SATISFIABLE);
        let resp = err.into_response();
        assert_eq!(resp.header_str("content-range"), Some("bytes */1000"));
        assert!(ByteRange::parse(Some("bytes=-0"), 1000).is_err());
    }

    #[test]
    fn a_partial_answer_says_which_bytes() {
        let r = ByteRange::parse(Some("bytes=10-19"), 100).unwrap();
        let resp = r.respond("audio/mpeg", Body::from(vec![0u8; 10]));
        assert_eq!(resp.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(resp.header_str("content-range"), Some("bytes 10-19/100"));
        assert_eq!(resp.header_str("content-length"), Some("10"));
    }
}
