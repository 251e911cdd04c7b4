//! What the service-lookup pages (HIST-1..4) share: their query parameters
//! parsed into filters (every error names its field), keyset cursors, and
//! times in the tenant's zone.

use crate::records::calls::NumberMatch;
use crate::runtime::context::Cx;
use crate::time;
use jiff::tz::TimeZone;
use switchboard_http::{ApiError, FieldCode, Invalid, Request, RequestExt};

pub const PAGE: i64 = 50;
pub const MAX_PAGE: i64 = 200;

pub fn text(req: &Request, name: &str) -> Option<String> {
    req.query_param(name)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// The parameters each list reads (a misspelt filter is refused, not
/// silently ignored: `?agnet=3` would otherwise show every agent's rows as
/// if filtered).
pub const CALL_PARAMS: &[&str] = &[
    "from",
    "to",
    "number",
    "agent",
    "queue",
    "result",
    "direction",
    "cursor",
    "limit",
];
pub const CONSULTATION_PARAMS: &[&str] = &[
    "from",
    "to",
    "number",
    "agent",
    "queue",
    "result",
    "direction",
    "type",
    "all",
    "cursor",
    "limit",
];
pub const CONSULTATION_EXPORT_PARAMS: &[&str] = &[
    "from",
    "to",
    "number",
    "agent",
    "queue",
    "result",
    "direction",
    "type",
    "all",
    "ids",
    "lang",
];
pub const CALLBACK_PARAMS: &[&str] = &["status", "number", "from", "to", "cursor", "limit"];
pub const AGENT_SESSION_PARAMS: &[&str] = &["agent", "open", "from", "to", "cursor", "limit"];
pub const AUDIT_PARAMS: &[&str] = &[
    "user",
    "action",
    "target",
    "from",
    "to",
    "tenant_id",
    "cursor",
    "limit",
];
/// The export takes the search's parameters: its paging ones are accepted
/// and have no effect (the export holds every matching entry).
pub const AUDIT_EXPORT_PARAMS: &[&str] = AUDIT_PARAMS;
pub const ZIP_PARAMS: &[&str] = &["ids"];

/// Refuses a query parameter that is not one of `known` (422
/// `unknown_field` naming it, the list of known ones in the message), the
/// way a JSON body with an unknown field is refused.
pub fn only(req: &Request, known: &[&str]) -> Result<(), ApiError> {
    for (name, _) in switchboard_http::query_pairs(req.query_str()) {
        if !known.contains(&name.as_str()) {
            return Err(ApiError::field(
                &name,
                Invalid::new(
                    FieldCode::UnknownField,
                    format!("Not a filter here; use: {}.", known.join(", ")),
                ),
            ));
        }
    }
    Ok(())
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::field(field, Invalid::new(FieldCode::InvalidValue, message))
}

/// `limit` (1..=200, default 50).
pub fn limit(req: &Request) -> Result<i64, ApiError> {
    match text(req, "limit") {
        None => Ok(PAGE),
        Some(l) => l
            .parse::<i64>()
            .ok()
            .filter(|v| (1..=MAX_PAGE).contains(v))
            .ok_or_else(|| ApiError::field("limit", Invalid::number_range(1, MAX_PAGE))),
    }
}

/// A keyset cursor: `<ms>.<id>` of the last row of the previous page.
pub fn cursor(req: &Request) -> Result<Option<(i64, i64)>, ApiError> {
    let Some(c) = text(req, "cursor") else {
        return Ok(None);
    };
    c.split_once('.')
        .and_then(|(ms, id)| Some((ms.parse::<i64>().ok()?, id.parse::<i64>().ok()?)))
        .filter(|(_, id)| *id > 0)
        .map(Some)
        .ok_or_else(|| {
            ApiError::field(
                "cursor",
                Invalid::new(
                    FieldCode::InvalidCursor,
                    "Use the next_cursor of a previous page.",
                ),
            )
        })
}

pub fn next_cursor(ms: i64, id: i64) -> String {
    format!("{ms}.{id}")
}

/// Cuts a page fetched with `limit + 1` rows to `limit`, and says where the
/// next one starts.
pub fn page<T>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> (i64, i64),
) -> (Vec<T>, Option<String>) {
    let n = usize::try_from(limit).unwrap_or(0);
    if rows.len() > n {
        rows.truncate(n);
        let next = rows.last().map(|r| {
            let (ms, id) = key(r);
            next_cursor(ms, id)
        });
        (rows, next)
    } else {
        (rows, None)
    }
}

/// `from`/`to` (dates, inclusive, in `tz`) as a half-open range of Unix
/// milliseconds.
pub fn date_range_ms(req: &Request, tz: &TimeZone) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let (from, until) = time::date_range(
        req.query_param("from").as_deref(),
        req.query_param("to").as_deref(),
        tz,
    )
    .map_err(|(field, m)| ApiError::field(field, m))?;
    let ms = |s: Option<String>| {
        s.and_then(|s| s.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_millisecond())
    };
    Ok((ms(from), ms(until)))
}

/// A positive ID parameter.
pub fn id(req: &Request, name: &str) -> Result<Option<i64>, ApiError> {
    match text(req, name) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|v| *v > 0)
            .map(Some)
            .ok_or_else(|| invalid(name, "Use an ID from the list.")),
    }
}

/// One of `allowed`.
pub fn one_of(req: &Request, name: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
    match text(req, name) {
        None => Ok(None),
        Some(v) if allowed.contains(&v.as_str()) => Ok(Some(v)),
        Some(_) => Err(invalid(
            name,
            &format!("Use one of: {}.", allowed.join(", ")),
        )),
    }
}

/// The queue filter: a menu digit 0..=9.
pub fn queue(req: &Request) -> Result<Option<i64>, ApiError> {
    match text(req, "queue") {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=9).contains(d))
            .map(Some)
            .ok_or_else(|| ApiError::field("queue", Invalid::number_range(0, 9))),
    }
}

/// What an admin typed as a phone number, in any format (`010-1234`,
/// `01012345678`, `+82 10 1234`, `5678`), as stored digits: a number that
/// starts with 0 (or +82, which is 0 at home) is a prefix; other digits, at
/// least four, are the number's last digits (뒷번호). `None`: nothing typed.
pub fn number_match(typed: &str) -> Result<Option<NumberMatch>, &'static str> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || " -+().".contains(c))
    {
        return Err("Type digits, with spaces, hyphens or a leading +82 if you like.");
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let digits = if t.starts_with('+') {
        match digits.strip_prefix("82") {
            Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
            None => return Err("Only Korean numbers (+82) are stored."),
        }
    } else {
        digits
    };
    if digits.len() > 20 {
        return Err("A number has at most 20 digits.");
    }
    if digits.starts_with('0') && digits.len() >= 2 {
        Ok(Some(NumberMatch::Prefix(digits)))
    } else if digits.len() >= 4 {
        Ok(Some(NumberMatch::Tail(digits)))
    } else {
        Err("Type the number's start (from 0) or at least its last 4 digits.")
    }
}

pub fn number(req: &Request) -> Result<Option<NumberMatch>, ApiError> {
    match text(req, "number") {
        None => Ok(None),
        Some(t) => number_match(&t).map_err(|m| invalid("number", m)),
    }
}

pub fn zone(cx: &Cx) -> Result<TimeZone, ApiError> {
    Ok(cx.tenant()?.time_zone.clone())
}

pub fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name().unwrap_or("UTC").to_owned()
}

/// Unix milliseconds as the tenant reads them: `2026-12-07 14:03:09`.
pub fn local(ms: i64, tz: &TimeZone) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned_datetime(tz.clone())
                .strftime("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

pub const RESULTS: &[&str] = &[
    "answered",
    "abandoned",
    "callback",
    "holiday",
    "out_of_hours",
    "information",
    "outbound",
    "internal",
];
pub const DIRECTIONS: &[&str] = &["inbound", "outbound", "internal"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_in_any_format_the_admin_types_becomes_stored_digits() {
        let p = |s: &str| Some(NumberMatch::Prefix(s.to_owned()));
        assert_eq!(number_match("010-1234"), Ok(p("0101234")));
        assert_eq!(number_match("01012345678"), Ok(p("01012345678")));
        assert_eq!(number_match("+82 10 1234"), Ok(p("0101234")));
        assert_eq!(number_match("+82 010-1234"), Ok(p("0101234")));
        assert_eq!(number_match("(02) 555"), Ok(p("02555")));
        assert_eq!(
            number_match("5678"),
            Ok(Some(NumberMatch::Tail("5678".into())))
        );
        assert_eq!(number_match("  "), Ok(None));
        assert!(number_match("123").is_err());
        assert!(number_match("abc").is_err());
        assert!(number_match("+1 555 1234").is_err());
    }
}
