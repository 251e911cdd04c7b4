//! The one business-hours evaluator (ARS-4, ARS-5): open, or closed and why,
//! for a tenant at an instant. The call flow picks its prompt from the
//! reason (holiday greeting, out-of-hours prompt) and the callback worker
//! waits for [`next_open`] before dialling.
//!
//! # Rules
//!
//! 1. The instant is turned into the tenant's local date and wall-clock
//!    time in the tenant's time zone; everything else is wall-clock.
//! 2. A holiday on that local date closes the whole day, whatever the hours
//!    say ([`ClosedReason::Holiday`], the first matching holiday in the
//!    list given).
//! 3. Otherwise the day's entry decides (its own override, else its
//!    group's): unavailable is [`ClosedReason::DayOff`]; available is open
//!    when the local time lies in one of its ranges, start inclusive and end
//!    exclusive at second precision (`11:59:59` is in `09:00–12:00`,
//!    `12:00:00` is not; `23:59:59` is in `22:00–24:00`, and `00:00:00`
//!    belongs to the next day), and [`ClosedReason::OutOfHours`] otherwise.
//!
//! # Daylight saving
//!
//! Ranges are wall-clock, so on the day the clocks jump forward (New York,
//! second Sunday of March, 02:00 → 03:00) no instant has a local time from
//! 02:00 to 02:59: a range lying wholly inside the gap is not open that day,
//! and a range across it (`01:30–03:30`) is open one real hour less. On the
//! day the clocks fall back (first Sunday of November, 01:00–01:59 happens
//! twice), a range in the repeated hour is open during both passes. Korea
//! has no daylight saving today; the rules matter for tenants elsewhere.

use super::holiday::{Holiday, HolidayKind};
use super::hours::BusinessHours;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use serde::Serialize;

/// Open, or closed with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Open,
    Closed(ClosedReason),
}

impl Status {
    pub fn is_open(&self) -> bool {
        matches!(self, Status::Open)
    }
}

/// Why the center is closed, in the order the rules check it. Serialises as
/// `{"reason": "holiday", "name": "추석", "kind": "national"}`,
/// `{"reason": "day_off"}` or `{"reason": "out_of_hours"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ClosedReason {
    /// A holiday falls on the local date.
    Holiday { name: String, kind: HolidayKind },
    /// The day is marked unavailable.
    DayOff,
    /// The day has hours, but not now.
    OutOfHours,
}

/// Whether the center is open at `at`, evaluated in `tz` (module docs).
pub fn status(hours: &BusinessHours, holidays: &[Holiday], tz: TimeZone, at: Timestamp) -> Status {
    let local = at.to_zoned_datetime(tz);
    let day = local.date();
    if let Some(h) = holiday_on(holidays, day) {
        return Status::Closed(ClosedReason::Holiday {
            name: h.name().to_owned(),
            kind: h.kind(),
        });
    }
    let entry = hours.for_day(day.weekday());
    if !entry.is_available() {
        return Status::Closed(ClosedReason::DayOff);
    }
    let t = local.time();
    let second = u32::from(t.hour().unsigned_abs()) * 3600
        + u32::from(t.minute().unsigned_abs()) * 60
        + u32::from(t.second().unsigned_abs());
    if entry
        .open_ranges()
        .iter()
        .any(|r| r.contains_second(second))
    {
        Status::Open
    } else {
        Status::Closed(ClosedReason::OutOfHours)
    }
}

/// How far ahead [`next_open`] looks, in days.
pub const NEXT_OPEN_HORIZON_DAYS: i64 = 400;

/// The first instant at or after `at` at which [`status`] is open: `at`
/// itself when open now, `None` when nothing opens within
/// [`NEXT_OPEN_HORIZON_DAYS`] (every day off, or only holidays). When a
/// range starts inside a daylight-saving gap, the answer is the instant the
/// clocks jump, if the range is still running then; a range starting in a
/// repeated hour opens at its first pass, and again at its second.
pub fn next_open(
    hours: &BusinessHours,
    holidays: &[Holiday],
    tz: TimeZone,
    at: Timestamp,
) -> Option<Timestamp> {
    let is_open = |t: Timestamp| status(hours, holidays, tz.clone(), t).is_open();
    if is_open(at) {
        return Some(at);
    }
    let first_day = at.to_zoned_datetime(tz.clone()).date();
    for n in 0..=NEXT_OPEN_HORIZON_DAYS {
        let Ok(day) = first_day.checked_add(jiff::Span::new().days(n)) else {
            break;
        };
        if holiday_on(holidays, day).is_some() {
            continue;
        }
        for range in hours.for_day(day.weekday()).open_ranges() {
            let start = local_start(day, range.start().minutes());
            let found = start
                .into_iter()
                .flat_map(|dt| opening_instants(&tz, dt))
                .find(|&t| t > at && is_open(t));
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

fn holiday_on(holidays: &[Holiday], day: Date) -> Option<&Holiday> {
    holidays.iter().find(|h| h.applies_on(day))
}

/// The civil start of a range on a day (a start is never 24:00).
fn local_start(day: Date, minutes: u16) -> Option<DateTime> {
    let h = i8::try_from(minutes / 60).ok()?;
    let m = i8::try_from(minutes % 60).ok()?;
    jiff::civil::Time::new(h, m, 0, 0)
        .ok()
        .map(|t| day.to_datetime(t))
}

/// The instants at which the local clock reaches `dt`: one normally, two in
/// a repeated hour, and the moment of the jump when `dt` is skipped.
fn opening_instants(tz: &TimeZone, dt: DateTime) -> Vec<Timestamp> {
    let ambiguous = tz.to_ambiguous_timestamp(dt);
    let earlier = ambiguous.earlier().ok();
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } => earlier.into_iter().collect(),
        AmbiguousOffset::Fold { .. } => earlier.into_iter().chain(ambiguous.later().ok()).collect(),
        AmbiguousOffset::Gap { .. } => earlier
            .and_then(|e| tz.following(e).next())
            .map(|transition| transition.timestamp())
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::hours::BusinessHoursInput;
    use super::super::korean_holidays::national_holiday_list;
    use super::*;
    use jiff::civil::date;
    use serde_json::json;

    fn hours(v: serde_json::Value) -> BusinessHours {
        let input: BusinessHoursInput = serde_json::from_value(v).unwrap();
        BusinessHours::parse(&input).unwrap()
    }

    fn seoul() -> TimeZone {
        TimeZone::get("Asia/Seoul").unwrap()
    }

    fn new_york() -> TimeZone {
        TimeZone::get("America/New_York").unwrap()
    }

    /// An unambiguous local time in Seoul.
    fn kst(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8) -> Timestamp {
        date(y, mo, d)
            .at(h, mi, s, 0)
            .to_zoned_datetime(seoul())
            .unwrap()
            .timestamp()
    }

    fn utc(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// Weekdays 09–12 and 13–18, weekend off; Friday runs to midnight;
    /// Saturday has a morning shift; Sunday night and Monday early form a
    /// night shift across midnight.
    fn office() -> BusinessHours {
        hours(json!({
            "groups": {
                "weekdays": {"ranges": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]},
                "weekend": {"available": false}
            },
            "days": {
                "fri": {"ranges": [{"start": "09:00", "end": "15:00"}, {"start": "20:00", "end": "24:00"}]},
                "sun": {"ranges": [{"start": "22:00", "end": "24:00"}]},
                "wed": {"available": false, "ranges": [{"start": "09:00", "end": "18:00"}]}
            }
        }))
    }

    fn check(h: &BusinessHours, holidays: &[Holiday], at: Timestamp) -> Status {
        status(h, holidays, seoul(), at)
    }

    const OPEN: Status = Status::Open;
    const OUT: Status = Status::Closed(ClosedReason::OutOfHours);
    const OFF: Status = Status::Closed(ClosedReason::DayOff);

    #[test]
    fn ars_4_range_boundaries_start_inclusive_end_exclusive_and_split_ranges() {
        let h = office();
        // 2026-03-03 is a Tuesday (not a holiday here: no list passed).
        let day = |hh, mm, ss| check(&h, &[], kst(2026, 3, 3, hh, mm, ss));
        assert_eq!(day(8, 59, 59), OUT);
        assert_eq!(day(9, 0, 0), OPEN);
        assert_eq!(day(11, 59, 59), OPEN);
        assert_eq!(day(12, 0, 0), OUT);
        assert_eq!(day(12, 30, 0), OUT, "lunch break between 09–12 and 13–18");
        assert_eq!(day(13, 0, 0), OPEN);
        assert_eq!(day(17, 59, 59), OPEN);
        assert_eq!(day(18, 0, 0), OUT);
    }

    #[test]
    fn ars_4_midnight_edges_and_24_00_ends() {
        let h = office();
        // Friday 2026-03-06 runs 20:00–24:00; Saturday is off.
        assert_eq!(check(&h, &[], kst(2026, 3, 6, 23, 59, 59)), OPEN);
        assert_eq!(check(&h, &[], kst(2026, 3, 7, 0, 0, 0)), OFF);
        // Thursday ends at 18:00, so its last second is out of hours, and
        // Friday's 00:00 is too (Friday opens at 09:00).
        assert_eq!(check(&h, &[], kst(2026, 3, 5, 23, 59, 59)), OUT);
        assert_eq!(check(&h, &[], kst(2026, 3, 6, 0, 0, 0)), OUT);
        // Sunday 22:00–24:00 then Monday's own hours: 00:00 is Monday's.
        assert_eq!(check(&h, &[], kst(2026, 3, 8, 23, 59, 59)), OPEN);
        assert_eq!(check(&h, &[], kst(2026, 3, 9, 0, 0, 0)), OUT);
        assert_eq!(check(&h, &[], kst(2026, 3, 8, 21, 59, 59)), OUT);
    }

    #[test]
    fn ars_4_a_day_override_beats_its_group() {
        let h = office();
        // Friday's own 09–15 instead of the weekday 13–18 afternoon.
        assert_eq!(check(&h, &[], kst(2026, 3, 6, 16, 0, 0)), OUT);
        assert_eq!(check(&h, &[], kst(2026, 3, 5, 16, 0, 0)), OPEN);
        assert_eq!(check(&h, &[], kst(2026, 3, 6, 14, 30, 0)), OPEN);
        // Wednesday is marked unavailable although it keeps ranges.
        assert_eq!(check(&h, &[], kst(2026, 3, 4, 10, 0, 0)), OFF);
        // Sunday opens at night though the weekend group is off.
        assert_eq!(check(&h, &[], kst(2026, 3, 8, 22, 0, 0)), OPEN);
        assert_eq!(check(&h, &[], kst(2026, 3, 8, 10, 0, 0)), OUT);
    }

    #[test]
    fn ars_5_a_holiday_beats_open_hours() {
        let h = office();
        let holidays = national_holiday_list(2026);
        // 2026-05-05 (Tuesday) 어린이날, at 10:00, within weekday hours.
        assert_eq!(
            check(&h, &holidays, kst(2026, 5, 5, 10, 0, 0)),
            Status::Closed(ClosedReason::Holiday {
                name: "어린이날".into(),
                kind: HolidayKind::National
            })
        );
        // The substitute day for 3·1절 closes a Monday too; the next day opens.
        assert!(matches!(
            check(&h, &holidays, kst(2026, 3, 2, 10, 0, 0)),
            Status::Closed(ClosedReason::Holiday { .. })
        ));
        assert_eq!(check(&h, &holidays, kst(2026, 3, 3, 10, 0, 0)), OPEN);
        // A holiday covers the whole local day, to 23:59:59, not 00:00 after.
        let eve = check(&h, &holidays, kst(2026, 9, 25, 23, 59, 59));
        assert!(
            matches!(eve, Status::Closed(ClosedReason::Holiday { ref name, .. }) if name == "추석")
        );
    }

    #[test]
    fn ars_5_a_yearly_29_february_holiday_closes_leap_years_only() {
        let always = hours(json!({
            "groups": {
                "weekdays": {"ranges": [{"start": "00:00", "end": "24:00"}]},
                "weekend": {"ranges": [{"start": "00:00", "end": "24:00"}]}
            }
        }));
        let leap = Holiday::parse(
            &serde_json::from_value(
                json!({"date": "2024-02-29", "repeat": "yearly", "name": "윤일 휴무"}),
            )
            .unwrap(),
        )
        .unwrap();
        let holidays = [leap];
        let closed = check(&always, &holidays, kst(2028, 2, 29, 12, 0, 0));
        assert_eq!(
            closed,
            Status::Closed(ClosedReason::Holiday {
                name: "윤일 휴무".into(),
                kind: HolidayKind::Holiday
            })
        );
        assert_eq!(check(&always, &holidays, kst(2027, 2, 28, 12, 0, 0)), OPEN);
        assert_eq!(check(&always, &holidays, kst(2027, 3, 1, 12, 0, 0)), OPEN);
        assert_eq!(check(&always, &holidays, kst(2028, 3, 1, 0, 0, 0)), OPEN);
        assert_eq!(
            next_open(&always, &holidays, seoul(), kst(2028, 2, 29, 12, 0, 0)),
            Some(kst(2028, 3, 1, 0, 0, 0))
        );
    }

    #[test]
    fn evaluation_uses_the_tenants_time_zone() {
        let h = office();
        // 00:00 UTC on Tuesday 2026-03-03 is 09:00 in Seoul but 19:00 on
        // Monday in New York.
        let at = utc("2026-03-03T00:00:00Z");
        assert_eq!(status(&h, &[], seoul(), at), OPEN);
        assert_eq!(status(&h, &[], new_york(), at), OUT);
        // The holiday date is the tenant's local date: 2026-05-04T15:00Z is
        // already 어린이날 in Seoul, still 5월 4일 in New York.
        let holidays = national_holiday_list(2026);
        let at = utc("2026-05-04T15:00:00Z");
        assert!(matches!(
            status(&h, &holidays, seoul(), at),
            Status::Closed(ClosedReason::Holiday { .. })
        ));
        assert_eq!(status(&h, &holidays, new_york(), at), OPEN);
    }

    /// 2026-03-08, New York: 01:59:59 EST (06:59:59Z) is followed by
    /// 03:00:00 EDT (07:00:00Z); no instant is 02:xx local.
    #[test]
    fn ars_4_dst_spring_forward_skips_wall_clock_ranges() {
        let sunday = |ranges: serde_json::Value| {
            hours(json!({
                "groups": {"weekdays": {"available": false}, "weekend": {"available": false}},
                "days": {"sun": {"ranges": ranges}}
            }))
        };
        let ny = |h: &BusinessHours, t: &str| status(h, &[], new_york(), utc(t));

        // A range inside the gap never opens that day.
        let gap = sunday(json!([{"start": "02:00", "end": "02:45"}]));
        for t in [
            "2026-03-08T06:59:59Z",
            "2026-03-08T07:00:00Z",
            "2026-03-08T07:30:00Z",
        ] {
            assert_eq!(ny(&gap, t), OUT, "{t}");
        }
        // It opens next Sunday at 02:00 EDT = 06:00Z.
        assert_eq!(
            next_open(&gap, &[], new_york(), utc("2026-03-08T06:00:00Z")),
            Some(utc("2026-03-15T06:00:00Z"))
        );

        // A range across the gap is open on both sides of it, one real hour.
        let across = sunday(json!([{"start": "01:30", "end": "03:30"}]));
        assert_eq!(ny(&across, "2026-03-08T06:29:59Z"), OUT);
        assert_eq!(ny(&across, "2026-03-08T06:30:00Z"), OPEN, "01:30 EST");
        assert_eq!(ny(&across, "2026-03-08T06:59:59Z"), OPEN, "01:59:59 EST");
        assert_eq!(ny(&across, "2026-03-08T07:00:00Z"), OPEN, "03:00 EDT");
        assert_eq!(ny(&across, "2026-03-08T07:30:00Z"), OUT, "03:30 EDT");

        // A range starting in the gap opens when the clocks jump.
        let late = sunday(json!([{"start": "02:30", "end": "04:00"}]));
        assert_eq!(ny(&late, "2026-03-08T06:59:59Z"), OUT);
        assert_eq!(ny(&late, "2026-03-08T07:00:00Z"), OPEN);
        assert_eq!(
            next_open(&late, &[], new_york(), utc("2026-03-08T05:00:00Z")),
            Some(utc("2026-03-08T07:00:00Z"))
        );
    }

    /// 2026-11-01, New York: 01:00–01:59 local happens twice, first EDT
    /// (05:00–05:59Z) then EST (06:00–06:59Z).
    #[test]
    fn ars_4_dst_fall_back_repeats_the_hour() {
        let h = hours(json!({
            "groups": {"weekdays": {"available": false}, "weekend": {"available": false}},
            "days": {"sun": {"ranges": [{"start": "01:00", "end": "01:30"}]}}
        }));
        let ny = |t: &str| status(&h, &[], new_york(), utc(t));
        assert_eq!(ny("2026-11-01T04:59:59Z"), OUT, "00:59:59 EDT");
        assert_eq!(ny("2026-11-01T05:15:00Z"), OPEN, "01:15 EDT");
        assert_eq!(ny("2026-11-01T05:45:00Z"), OUT, "01:45 EDT");
        assert_eq!(ny("2026-11-01T06:15:00Z"), OPEN, "01:15 EST");
        assert_eq!(ny("2026-11-01T06:30:00Z"), OUT, "01:30 EST");
        // Closed at 01:45 EDT, it opens again at the second 01:00.
        assert_eq!(
            next_open(&h, &[], new_york(), utc("2026-11-01T05:45:00Z")),
            Some(utc("2026-11-01T06:00:00Z"))
        );
    }

    #[test]
    fn next_open_is_now_or_the_next_range_and_none_when_never() {
        let h = office();
        let holidays = national_holiday_list(2026);
        let now = kst(2026, 3, 3, 10, 0, 0);
        assert_eq!(next_open(&h, &holidays, seoul(), now), Some(now));
        // Lunch break → 13:00.
        assert_eq!(
            next_open(&h, &holidays, seoul(), kst(2026, 3, 3, 12, 30, 0)),
            Some(kst(2026, 3, 3, 13, 0, 0))
        );
        // Wednesday is off: from Tuesday evening, Thursday 09:00.
        assert_eq!(
            next_open(&h, &holidays, seoul(), kst(2026, 3, 3, 18, 0, 0)),
            Some(kst(2026, 3, 5, 9, 0, 0))
        );
        // Saturday → Sunday night's range.
        assert_eq!(
            next_open(&h, &holidays, seoul(), kst(2026, 3, 7, 12, 0, 0)),
            Some(kst(2026, 3, 8, 22, 0, 0))
        );
        // But Sunday 2026-03-01 is 3·1절 and Monday its substitute, so from
        // Saturday 02-28 the next opening is Tuesday 09:00.
        assert_eq!(
            next_open(&h, &holidays, seoul(), kst(2026, 2, 28, 12, 0, 0)),
            Some(kst(2026, 3, 3, 9, 0, 0))
        );
        let everything_holiday = Holiday::parse(
            &serde_json::from_value(json!({"date": "2026-01-01", "name": "x"})).unwrap(),
        )
        .unwrap();
        assert_eq!(
            next_open(
                &BusinessHours::always_closed(),
                &[everything_holiday],
                seoul(),
                now
            ),
            None
        );
    }

    #[test]
    fn closed_reasons_serialise_for_the_api() {
        let r = ClosedReason::Holiday {
            name: "추석".into(),
            kind: HolidayKind::National,
        };
        assert_eq!(
            serde_json::to_value(r).unwrap(),
            json!({"reason": "holiday", "name": "추석", "kind": "national"})
        );
        assert_eq!(
            serde_json::to_value(ClosedReason::OutOfHours).unwrap(),
            json!({"reason": "out_of_hours"})
        );
    }
}
