//! Wall-clock times of day and the ranges built from them (ARS-4).
//!
//! Business hours are what a person reads on a sign at the door, so they are
//! wall-clock minutes, not durations: `09:00–18:00` means "while the local
//! clock shows 09:00 up to, not including, 18:00", whatever the date or the
//! daylight-saving offset. Minute precision is all a schedule needs, and
//! `24:00` exists only so a range can run to the very end of the day
//! (`22:00–24:00`) without a second range starting at `00:00`.

use crate::{FieldCode, Invalid};
use serde::Serialize;
use std::fmt;

/// Minutes in a day; `24:00` is this many minutes after midnight.
pub(crate) const DAY_MINUTES: u16 = 24 * 60;

/// A wall-clock time at minute precision, `00:00` to `24:00` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u16);

impl ClockTime {
    /// Parses `HH:MM` (one or two hour digits, two minute digits). Hours
    /// 0–23 with minutes 0–59, or exactly `24:00`.
    pub fn parse(input: &str) -> Result<ClockTime, Invalid> {
        let refuse = || {
            Invalid::new(
                FieldCode::TimeFormat,
                format!(
                    "\"{}\" is not a time; use HH:MM from 00:00 to 24:00.",
                    input.trim()
                ),
            )
        };
        let (h, m) = input.trim().split_once(':').ok_or_else(refuse)?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !(1..=2).contains(&h.len()) || m.len() != 2 || !digits(h) || !digits(m) {
            return Err(refuse());
        }
        let h: u16 = h.parse().map_err(|_| refuse())?;
        let m: u16 = m.parse().map_err(|_| refuse())?;
        match (h, m) {
            (24, 0) => Ok(ClockTime(DAY_MINUTES)),
            (0..=23, 0..=59) => Ok(ClockTime(h * 60 + m)),
            _ => Err(refuse()),
        }
    }

    /// Minutes after midnight, 0 to 1440.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A half-open wall-clock range `[start, end)`: open at `start`, closed
/// again at `end`. `start < end`, so a range never crosses midnight; a night
/// shift is two ranges on two days (`22:00–24:00` and `00:00–06:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TimeRange {
    start: ClockTime,
    end: ClockTime,
}

impl TimeRange {
    /// Parses both ends. A refusal names the field it belongs to (`start`
    /// or `end`) so the caller can point at it.
    pub fn parse(start: &str, end: &str) -> Result<TimeRange, (&'static str, Invalid)> {
        let start = ClockTime::parse(start).map_err(|e| ("start", e))?;
        let end = ClockTime::parse(end).map_err(|e| ("end", e))?;
        TimeRange::new(start, end).map_err(|e| ("end", e))
    }

    pub fn new(start: ClockTime, end: ClockTime) -> Result<TimeRange, Invalid> {
        if end <= start {
            return Err(Invalid::new(
                FieldCode::TimeRangeOrder,
                format!("The end ({end}) must be after the start ({start})."),
            ));
        }
        Ok(TimeRange { start, end })
    }

    pub fn start(self) -> ClockTime {
        self.start
    }

    pub fn end(self) -> ClockTime {
        self.end
    }

    /// Whether the two ranges share a minute. Touching ranges
    /// (`09:00–12:00`, `12:00–13:00`) do not.
    pub fn overlaps(self, other: TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether a wall-clock second of the day (0 to 86 399) lies in the
    /// range: the start minute counts, the end minute does not.
    pub fn contains_second(self, second_of_day: u32) -> bool {
        let start = u32::from(self.start.0) * 60;
        let end = u32::from(self.end.0) * 60;
        (start..end).contains(&second_of_day)
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_at_minute_precision_up_to_24_00() {
        assert_eq!(ClockTime::parse("09:30").unwrap().minutes(), 570);
        assert_eq!(ClockTime::parse(" 9:05 ").unwrap().to_string(), "09:05");
        assert_eq!(ClockTime::parse("00:00").unwrap().minutes(), 0);
        assert_eq!(ClockTime::parse("24:00").unwrap().minutes(), 1440);
        for bad in [
            "",
            "9",
            "24:01",
            "25:00",
            "12:60",
            "12:5",
            "123:00",
            "12:00:00",
            "-1:00",
            "+9:00",
            "９:００",
            "12.00",
            "twelve",
        ] {
            let e = ClockTime::parse(bad).unwrap_err();
            assert_eq!(e.code, FieldCode::TimeFormat, "{bad}");
        }
    }

    #[test]
    fn ranges_run_forward_and_end_exclusive() {
        let r = TimeRange::parse("09:00", "12:00").unwrap();
        assert!(r.contains_second(9 * 3600));
        assert!(r.contains_second(12 * 3600 - 1));
        assert!(!r.contains_second(12 * 3600));
        assert!(!r.contains_second(9 * 3600 - 1));
        let late = TimeRange::parse("22:00", "24:00").unwrap();
        assert!(late.contains_second(86_399));

        let (field, e) = TimeRange::parse("12:00", "12:00").unwrap_err();
        assert_eq!((field, e.code), ("end", FieldCode::TimeRangeOrder));
        let (field, _) = TimeRange::parse("18:00", "09:00").unwrap_err();
        assert_eq!(field, "end");
        let (field, e) = TimeRange::parse("24:00", "24:00").unwrap_err();
        assert_eq!((field, e.code), ("end", FieldCode::TimeRangeOrder));
        let (field, e) = TimeRange::parse("x", "24:00").unwrap_err();
        assert_eq!((field, e.code), ("start", FieldCode::TimeFormat));
    }

    #[test]
    fn touching_ranges_do_not_overlap() {
        let a = TimeRange::parse("09:00", "12:00").unwrap();
        let b = TimeRange::parse("12:00", "13:00").unwrap();
        let c = TimeRange::parse("11:59", "13:00").unwrap();
        assert!(!a.overlaps(b));
        assert!(a.overlaps(c) && c.overlaps(a));
        assert_eq!(a.to_string(), "09:00–12:00");
    }
}
