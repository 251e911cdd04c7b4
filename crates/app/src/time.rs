//! Times are stored in UTC as fixed-width RFC 3339 text (millisecond
//! precision), so that text order is time order in SQL; they are shown in the
//! tenant's time zone by the UI.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use switchboard_domain::{FieldCode, Invalid};
use switchboard_storage::StorageError;

/// `2026-11-30T01:02:03.004Z`.
pub fn fmt_utc(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A stored instant in Unix seconds as [`fmt_utc`] text. Out of range means
/// the stored value is corrupt: a storage error (500), not the client's.
pub fn fmt_utc_secs(secs: i64) -> Result<String, StorageError> {
    Timestamp::from_second(secs)
        .map(fmt_utc)
        .map_err(|e| StorageError::new(format!("stored time {secs} s out of range: {e}")))
}

/// A stored instant in Unix milliseconds (the event tables' unit) as
/// [`fmt_utc`] text.
pub fn fmt_utc_ms(ms: i64) -> Result<String, StorageError> {
    Timestamp::from_millisecond(ms)
        .map(fmt_utc)
        .map_err(|e| StorageError::new(format!("stored time {ms} ms out of range: {e}")))
}

/// The UTC instant a calendar day starts in `tz`.
pub fn day_start(date: Date, tz: &TimeZone) -> Option<Timestamp> {
    date.to_zoned_datetime(tz.clone())
        .ok()
        .map(|z| z.timestamp())
}

/// A `from`/`to` date pair (inclusive, in the tenant's zone) as a half-open
/// UTC range `[start, end)` of stored-time strings. Errors name the field.
/// A UTC range with either end open.
pub type Range = (Option<String>, Option<String>);

/// Which field was wrong, and why.
pub type FieldError = (&'static str, Invalid);

pub fn date_range(
    from: Option<&str>,
    to: Option<&str>,
    tz: &TimeZone,
) -> Result<Range, FieldError> {
    let parse = |s: &str, field: &'static str| {
        s.trim()
            .parse::<Date>()
            .map_err(|_| (field, Invalid::date_format()))
    };
    let start = match from.filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(parse(s, "from")?),
        None => None,
    };
    let end = match to.filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(parse(s, "to")?),
        None => None,
    };
    if let (Some(a), Some(b)) = (start, end)
        && b < a
    {
        return Err((
            "to",
            Invalid::new(
                FieldCode::EndBeforeStart,
                "The end date cannot be before the start date.",
            ),
        ));
    }
    let bound = |d: Date| day_start(d, tz).map(fmt_utc);
    let end_exclusive = end.and_then(|d| d.tomorrow().ok());
    Ok((start.and_then(bound), end_exclusive.and_then(bound)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_have_a_fixed_width() {
        let a: Timestamp = "2026-11-30T01:00:00Z".parse().unwrap();
        let b: Timestamp = "2026-11-30T01:00:00.5Z".parse().unwrap();
        assert_eq!(fmt_utc(a), "2026-11-30T01:00:00.000Z");
        assert!(fmt_utc(a) < fmt_utc(b));
    }

    #[test]
    fn a_seoul_day_is_converted_to_utc_bounds() {
        let tz = TimeZone::get("Asia/Seoul").unwrap();
        let (from, to) = date_range(Some("2026-11-30"), Some("2026-11-30"), &tz).unwrap();
        assert_eq!(from.as_deref(), Some("2026-11-29T15:00:00.000Z"));
        assert_eq!(to.as_deref(), Some("2026-11-30T15:00:00.000Z"));
        assert_eq!(date_range(Some("x"), None, &tz).unwrap_err().0, "from");
        assert_eq!(
            date_range(Some("2026-11-30"), Some("2026-11-01"), &tz)
                .unwrap_err()
                .0,
            "to"
        );
    }
}
