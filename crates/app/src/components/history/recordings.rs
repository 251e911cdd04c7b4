//! Call recordings (TEL-4): their metadata, playback and download.
//!
//! The audio stays at the provider. Switchboard fetches it with the
//! provider's credentials (`provider_api_token` as a bearer token) and
//! streams it on, so the browser never learns the provider's URL or token:
//!
//! - the URL's origin must be `provider_recordings_origin` (the same origin
//!   Spin's `allowed_outbound_hosts` lets the component reach); any other
//!   URL is refused before a request is made;
//! - the browser's `Range` goes to the provider, and the provider's `206`,
//!   `Content-Range`, `Content-Length` and `Accept-Ranges` come back, so a
//!   player can seek; no other provider header is passed on (no cookies,
//!   no `Location`, no `Server`), and `Content-Type` comes from the
//!   recording's declared format;
//! - a provider 404/410 is `recording_gone`, a 416 is a 416, anything else
//!   unexpected (redirects included: they are never followed) is 502
//!   `provider_unavailable`.
//!
//! Every view is in the work history with the recording's ID.

use crate::records::recordings::{self, Recording};
use crate::runtime::context::Cx;
use crate::time;
use bytes::Bytes;
use serde_json::json;
use switchboard_domain::{Origin, Permission};
use switchboard_http::{
    ApiError, ErrorCode, HeaderMapExt, Method, Request, RequestExt, Response, ResponseExt,
    StatusCode, header,
};

/// The longest `Range` header passed to the provider.
const RANGE_MAX: usize = 100;

async fn recording(cx: &Cx, req: &Request) -> Result<Recording, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    let rec = recordings::get(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    cx.note(json!({ "recording_id": rec.id, "call_id": rec.call_id }));
    Ok(rec)
}

fn at_text(at_ms: i64) -> String {
    jiff::Timestamp::from_millisecond(at_ms)
        .map(time::fmt_utc)
        .unwrap_or_default()
}

/// `GET /api/history/recordings/{id}`: what the recording is, not where.
pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let rec = recording(cx, &req).await?;
    Ok(Response::ok(&json!({
        "id": rec.id,
        "call_id": rec.call_id,
        "duration_ms": rec.duration_ms,
        "format": rec.format,
        "content_type": rec.content_type(),
        "at": at_text(rec.at_ms),
    })))
}

/// `GET /api/history/recordings/{id}/audio`: for the page's player. Those
/// who may download get what they ask for; a viewer (no `Download`) gets
/// the player's ranged requests only, each bounded to [`PLAYER_CHUNK`]
/// bytes, so the player route is no download (`Range: bytes=0-` or no
/// `Range` at all answers the first chunk, 206). Every chunk a viewer gets
/// is in the work history: one that skipped byte 0 to stay unrecorded
/// would otherwise let a viewer stitch the file together unseen.
pub async fn audio(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let rec = recording(cx, &req).await?;
    let asked = range_to_forward(&req);
    let resp = if cx.principal()?.user.role.allows(Permission::Download) {
        relay(cx, &req, &rec, asked, None).await?
    } else {
        let (range, _) = player_range(asked);
        relay(cx, &req, &rec, Some(&range), Some(PLAYER_CHUNK)).await?
    };
    Ok(resp.with_header(header::CONTENT_DISPOSITION, "inline"))
}

/// The most a viewer's player gets per request (TEL-4, AUTH-2): enough for
/// seconds of audio, never the file.
pub const PLAYER_CHUNK: u64 = 256 * 1024;

/// The bounded range a viewer's request becomes, and its first byte (0 for
/// a suffix range, which ends the file: the bound keeps it short).
fn player_range(asked: Option<&str>) -> (String, u64) {
    let spec = asked.and_then(|r| r.strip_prefix("bytes=")).unwrap_or("0-");
    let (first, last) = spec.split_once('-').unwrap_or(("0", ""));
    let last = last.parse::<u64>().ok();
    match first.parse::<u64>() {
        Ok(a) => {
            let end = a.saturating_add(PLAYER_CHUNK - 1);
            let b = last.map_or(end, |b| b.min(end));
            (format!("bytes={a}-{b}"), a)
        }
        // `-n`: the last n bytes.
        Err(_) => {
            let n = last.unwrap_or(PLAYER_CHUNK).min(PLAYER_CHUNK);
            (format!("bytes=-{n}"), 0)
        }
    }
}

/// `GET /api/history/recordings/{id}/download`: a file named after the call
/// and its time (in the tenant's time zone).
pub async fn download(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let rec = recording(cx, &req).await?;
    let name = file_name(cx, &rec).await?;
    let resp = relay(cx, &req, &rec, range_to_forward(&req), None).await?;
    Ok(resp.with_header(
        header::CONTENT_DISPOSITION,
        &format!("attachment; filename=\"{name}\""),
    ))
}

async fn file_name(cx: &Cx, rec: &Recording) -> Result<String, ApiError> {
    let zone = &cx.tenant()?.time_zone;
    let when = jiff::Timestamp::from_millisecond(rec.at_ms)
        .map(|t| {
            t.to_zoned_datetime(zone.clone())
                .strftime("%Y%m%d-%H%M%S")
                .to_string()
        })
        .unwrap_or_default();
    // The call ID is the provider's text: only safe characters reach the
    // header.
    let call: String = rec
        .call_id
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(format!("recording-{call}-{when}.{}", rec.format))
}

pub(super) fn provider_unavailable(detail: impl Into<String>) -> ApiError {
    let mut err = ApiError::new(
        StatusCode::BAD_GATEWAY,
        ErrorCode::ProviderUnavailable,
        "The telephony provider could not deliver the recording.",
    );
    err.internal_detail = Some(detail.into().into_boxed_str());
    err
}

/// The `Range` to pass on: one `bytes=` range of sane length, else none
/// (the whole recording).
fn range_to_forward(req: &Request) -> Option<&str> {
    req.header("range")
        .map(str::trim)
        .filter(|r| r.len() <= RANGE_MAX)
        .filter(|r| r.strip_prefix("bytes=").is_some_and(single_range))
}

/// `first-last`, `first-` or `-suffix` with `first <= last`: the one range
/// form the relay passes on. Several ranges (a multipart answer) and
/// malformed ones are ignored, as RFC 9110 allows: the whole file is sent.
fn single_range(spec: &str) -> bool {
    let Some((first, last)) = spec.split_once('-') else {
        return false;
    };
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    match (number(first), number(last)) {
        (Some(a), Some(b)) => a <= b,
        (Some(_), None) => last.is_empty(),
        (None, Some(_)) => first.is_empty(),
        (None, None) => false,
    }
}

/// A `Content-Range` of the form `bytes first-last/length` (or `*`), the
/// only one passed back to the browser.
fn content_range(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("bytes ") else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match rest.split_once('/') {
        Some((range, total)) => {
            (range == "*"
                || range
                    .split_once('-')
                    .is_some_and(|(a, b)| digits(a) && digits(b)))
                && (total == "*" || digits(total))
        }
        None => false,
    }
}

/// How many bytes a `bytes first-last/total` Content-Range covers.
fn span(content_range: &str) -> Option<u64> {
    let (range, _) = content_range.strip_prefix("bytes ")?.split_once('/')?;
    let (a, b) = range.split_once('-')?;
    let (a, b) = (a.parse::<u64>().ok()?, b.parse::<u64>().ok()?);
    b.checked_sub(a).map(|n| n + 1)
}

/// The provider request for `rec` (or its `range`), with the provider's
/// credentials, after checking that its URL is at the allowed origin.
pub(super) fn provider_request(
    config: &crate::runtime::config::Config,
    rec: &Recording,
    method: Method,
    range: Option<&str>,
) -> Result<http::Request<Bytes>, ApiError> {
    let allowed = Origin::parse(&config.provider_recordings_origin).filter(|_| {
        config.provider_recordings_origin != crate::runtime::config::RECORDINGS_ORIGIN_UNSET
    });
    if allowed.is_none() || Origin::of_url(&rec.url) != allowed {
        let mut err = ApiError::new(
            StatusCode::BAD_GATEWAY,
            ErrorCode::RecordingUrlRefused,
            "The recording is stored outside the provider origin this server may fetch from.",
        );
        err.internal_detail = Some(
            format!(
                "recording {}: its URL's origin is not provider_recordings_origin ({})",
                rec.id,
                allowed.map_or_else(|| "not set".to_owned(), |o| o.to_string())
            )
            .into_boxed_str(),
        );
        return Err(err);
    }
    let mut out = http::Request::builder()
        .method(method)
        .uri(rec.url.as_str())
        .header(header::ACCEPT, rec.content_type());
    if !config.provider_api_token.is_empty() {
        out = out.header(
            header::AUTHORIZATION,
            format!("Bearer {}", config.provider_api_token),
        );
    }
    if let Some(range) = range {
        out = out.header(header::RANGE, range);
    }
    out.body(Bytes::new())
        .map_err(|e| provider_unavailable(format!("recording {}: bad request: {e}", rec.id)))
}

/// Fetches the recording (or the `range` of it) and streams it on. With
/// `bound`, only a 206 of at most that many bytes is passed on: a provider
/// that ignores the range does not turn a viewer's play into a download.
async fn relay(
    cx: &Cx,
    req: &Request,
    rec: &Recording,
    range: Option<&str>,
    bound: Option<u64>,
) -> Result<Response, ApiError> {
    let method = if req.method() == Method::HEAD {
        Method::HEAD
    } else {
        Method::GET
    };
    let out = provider_request(&cx.config, rec, method, range)?;
    let client = cx.http()?;
    let resp = client
        .send(out)
        .await
        .map_err(|e| provider_unavailable(format!("recording {}: provider {e}", rec.id)))?;
    let (parts, body) = resp.into_parts();
    let from = &parts.headers;
    match parts.status {
        StatusCode::OK | StatusCode::PARTIAL_CONTENT => {
            // Bounded (a viewer's player): only a 206 whose Content-Range
            // spans at most the bound passes, and the bytes that leave are
            // at most what it promised, whatever the provider sends.
            let body = match bound {
                None => body,
                Some(max) => {
                    let promised = (parts.status == StatusCode::PARTIAL_CONTENT)
                        .then(|| from.first("content-range"))
                        .flatten()
                        .and_then(span)
                        .filter(|n| *n <= max)
                        .ok_or_else(|| {
                            provider_unavailable(format!(
                                "recording {}: the provider did not honour a bounded range",
                                rec.id
                            ))
                        })?;
                    if from
                        .first("content-length")
                        .is_some_and(|v| v.parse::<u64>().ok() != Some(promised))
                    {
                        return Err(provider_unavailable(format!(
                            "recording {}: Content-Length disagrees with Content-Range",
                            rec.id
                        )));
                    }
                    body.limited(promised)
                }
            };
            let mut resp = Response::body_of(rec.content_type(), body).with_status(parts.status);
            if let Some(len) = from
                .first("content-length")
                .filter(|v| v.parse::<u64>().is_ok())
            {
                resp = resp.with_header(header::CONTENT_LENGTH, len);
            }
            let ranges = from
                .first("accept-ranges")
                .filter(|v| *v == "bytes" || *v == "none");
            if let Some(ranges) = ranges {
                resp = resp.with_header(header::ACCEPT_RANGES, ranges);
            }
            if parts.status == StatusCode::PARTIAL_CONTENT {
                let Some(range) = from
                    .first("content-range")
                    .filter(|v| content_range(v) && !v.starts_with("bytes */"))
                else {
                    return Err(provider_unavailable(format!(
                        "recording {}: 206 without Content-Range",
                        rec.id
                    )));
                };
                resp = resp.with_header(header::CONTENT_RANGE, range);
            }
            Ok(resp)
        }
        StatusCode::NOT_FOUND | StatusCode::GONE => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::RecordingGone,
            "The telephony provider no longer has this recording.",
        )),
        StatusCode::RANGE_NOT_SATISFIABLE => {
            let err = ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                ErrorCode::RangeNotSatisfiable,
                "The range is outside the recording.",
            );
            Ok(match from
                .first("content-range")
                .filter(|v| content_range(v) && v.starts_with("bytes */"))
            {
                Some(range) => err.with_header(header::CONTENT_RANGE, range),
                None => err,
            }
            .into_response())
        }
        status => Err(provider_unavailable(format!(
            "recording {}: the provider answered {status}",
            rec.id
        ))),
    }
}

use switchboard_http::http;

#[cfg(test)]
mod tests {
    use super::{content_range, range_to_forward, single_range};
    use bytes::Bytes;

    fn with_range(v: &str) -> switchboard_http::Request {
        switchboard_http::http::Request::get("/x")
            .header("range", v)
            .body(Bytes::new())
            .unwrap()
    }

    #[test]
    fn only_byte_ranges_are_passed_on() {
        assert_eq!(
            range_to_forward(&with_range("bytes=100-199")),
            Some("bytes=100-199")
        );
        assert_eq!(
            range_to_forward(&with_range("bytes=-500")),
            Some("bytes=-500")
        );
        for bad in ["items=1-2", "bytes=", "bytes=1-2\r\nX: y", "bytes=a-b"] {
            if let Ok(v) = switchboard_http::HeaderValue::from_str(bad) {
                let mut req = with_range("bytes=0-1");
                req.headers_mut().insert("range", v);
                assert_eq!(range_to_forward(&req), None, "{bad}");
            }
        }
        let long = format!("bytes={}", "1-2,".repeat(40));
        assert_eq!(range_to_forward(&with_range(&long)), None);
    }

    #[test]
    fn only_one_well_formed_range_is_relayed() {
        for ok in ["0-99", "100-199", "5-5", "4990-", "-10"] {
            assert!(single_range(ok), "{ok}");
        }
        for bad in [
            "", "-", "5-1", "--1", "0-1,5-6", "a-b", "1-2 ", " 1-2", "1--2",
        ] {
            assert!(!single_range(bad), "{bad}");
        }
    }

    #[test]
    fn only_a_well_formed_content_range_is_passed_back() {
        for ok in ["bytes 0-9/10", "bytes 0-9/*", "bytes */5000"] {
            assert!(content_range(ok), "{ok}");
        }
        for bad in [
            "bytes 0-9/10, <script>",
            "bytes 0-9",
            "items 0-9/10",
            "bytes a-b/10",
            "bytes 0-9/ten",
        ] {
            assert!(!content_range(bad), "{bad}");
        }
    }
}

#[cfg(test)]
mod player_tests {
    use super::*;

    #[test]
    fn a_viewers_request_becomes_one_bounded_chunk() {
        let last = PLAYER_CHUNK - 1;
        assert_eq!(player_range(None), (format!("bytes=0-{last}"), 0));
        assert_eq!(
            player_range(Some("bytes=0-")),
            (format!("bytes=0-{last}"), 0)
        );
        assert_eq!(
            player_range(Some("bytes=1000-")),
            (format!("bytes=1000-{}", 1000 + last), 1000)
        );
        assert_eq!(
            player_range(Some("bytes=10-20")),
            ("bytes=10-20".into(), 10)
        );
        assert_eq!(
            player_range(Some("bytes=0-99999999")),
            (format!("bytes=0-{last}"), 0)
        );
        assert_eq!(player_range(Some("bytes=-100")), ("bytes=-100".into(), 0));
        assert_eq!(
            player_range(Some("bytes=-99999999")),
            (format!("bytes=-{PLAYER_CHUNK}"), 0)
        );
    }

    #[test]
    fn a_content_range_spans_its_inclusive_bytes() {
        assert_eq!(span("bytes 0-99/1000"), Some(100));
        assert_eq!(span("bytes 5-5/*"), Some(1));
        assert_eq!(span("bytes 9-5/1000"), None);
        assert_eq!(span("bytes */1000"), None);
    }
}
