//! Business hours (상담시간, ARS-4): when the center takes calls in an
//! ordinary week.
//!
//! Most centers have one timetable for weekdays and one for the weekend, and
//! a few days that differ (a short Friday, a Saturday morning shift). So the
//! model is two *groups*, weekdays (Mon–Fri) and weekend (Sat–Sun), plus
//! optional per-day *overrides*: a day's own entry replaces its group's
//! entry entirely. A center that sets every day on its own simply gives all
//! seven overrides. Each entry is either available with one or more ranges
//! (`09:00–12:00` and `13:00–18:00` for a lunch break) or unavailable all day.
//!
//! An unavailable entry keeps its ranges: switching a day off and on again
//! in the UI must not lose what was typed. The ranges are checked either
//! way, and ignored while the day is unavailable.
//!
//! # JSON
//!
//! ```json
//! {
//!   "groups": {
//!     "weekdays": {"available": true, "ranges": [
//!       {"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]},
//!     "weekend": {"available": false, "ranges": []}
//!   },
//!   "days": {
//!     "fri": {"available": true, "ranges": [{"start": "09:00", "end": "15:00"}]},
//!     "sat": {"available": true, "ranges": [{"start": "10:00", "end": "13:00"}]}
//!   }
//! }
//! ```
//!
//! Both groups are required; `days` and each of its keys (`mon` … `sun`) are
//! optional; `available` defaults to `true`, `ranges` to `[]`. Times are
//! `HH:MM`, the start inclusive and the end exclusive, `24:00` allowed as an
//! end. An available entry needs at least one range; ranges of one entry may
//! touch (`12:00` end, `12:00` start) but not overlap. Stored ranges are
//! sorted by start. Refusals are keyed by path: `groups.weekdays.ranges`,
//! `days.sat.ranges.1.end`, `days.sat.ranges.1` (an overlap, naming both
//! ranges in its params), `days.xyz` (not a day).

use super::clock::TimeRange;
use super::refusals::FieldRefusals;
use crate::{FieldCode, Invalid};
use jiff::civil::Weekday;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// At most this many ranges in one day's entry.
pub const MAX_RANGES_PER_DAY: usize = 12;

/// Day keys of the JSON shape, Monday first.
const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day_index(day: Weekday) -> usize {
    usize::from(day.to_monday_zero_offset().unsigned_abs())
}

/// One day's hours: available within its ranges, or unavailable all day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayHours {
    available: bool,
    ranges: Vec<TimeRange>,
}

impl DayHours {
    /// Unavailable all day, with no ranges kept.
    pub fn closed() -> DayHours {
        DayHours {
            available: false,
            ranges: Vec::new(),
        }
    }

    /// Checks an entry; refusals are keyed relative to it (`ranges`,
    /// `ranges.1.end`, `ranges.1`).
    pub fn parse(input: &DayInput) -> Result<DayHours, FieldRefusals> {
        let mut refusals = FieldRefusals::new();
        let available = input.available.unwrap_or(true);
        if input.ranges.len() > MAX_RANGES_PER_DAY {
            refusals.add(
                "ranges",
                Invalid::new(
                    FieldCode::TooMany,
                    format!("Use at most {MAX_RANGES_PER_DAY} ranges a day."),
                )
                .with("max", MAX_RANGES_PER_DAY),
            );
            return Err(refusals);
        }
        if available && input.ranges.is_empty() {
            refusals.add(
                "ranges",
                Invalid::required("Add a time range, or mark the day unavailable."),
            );
        }
        // Parsed ranges with their input position, for overlap messages.
        let mut ranges: Vec<(usize, TimeRange)> = Vec::new();
        for (i, r) in input.ranges.iter().enumerate() {
            let start = r.start.as_deref().unwrap_or("");
            let end = r.end.as_deref().unwrap_or("");
            let missing = [("start", start), ("end", end)]
                .into_iter()
                .filter(|(_, v)| v.trim().is_empty())
                .collect::<Vec<_>>();
            if !missing.is_empty() {
                for (field, _) in missing {
                    refusals.add(
                        format!("ranges.{i}.{field}"),
                        Invalid::required("Enter a time."),
                    );
                }
                continue;
            }
            match TimeRange::parse(start, end) {
                Ok(range) => {
                    if let Some((_, other)) = ranges.iter().find(|(_, o)| o.overlaps(range)) {
                        refusals.add(
                            format!("ranges.{i}"),
                            Invalid::new(
                                FieldCode::TimeRangesOverlap,
                                format!("{range} overlaps {other} on the same day."),
                            )
                            .with("range", range)
                            .with("other", other),
                        );
                    }
                    ranges.push((i, range));
                }
                Err((field, invalid)) => refusals.add(format!("ranges.{i}.{field}"), invalid),
            }
        }
        refusals.finish(|| {
            let mut ranges: Vec<TimeRange> = ranges.into_iter().map(|(_, r)| r).collect();
            ranges.sort();
            Some(DayHours { available, ranges })
        })
    }

    pub fn is_available(&self) -> bool {
        self.available
    }

    /// The ranges, sorted by start, kept even while the day is unavailable.
    pub fn ranges(&self) -> &[TimeRange] {
        &self.ranges
    }

    /// The ranges in force: none while the day is unavailable.
    pub fn open_ranges(&self) -> &[TimeRange] {
        if self.available { &self.ranges } else { &[] }
    }
}

/// A week of business hours: two groups and optional per-day overrides.
/// Built only by [`BusinessHours::parse`] (or deserialising the same JSON).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "BusinessHoursInput")]
pub struct BusinessHours {
    weekdays: DayHours,
    weekend: DayHours,
    /// Monday first.
    days: [Option<DayHours>; 7],
}

impl BusinessHours {
    pub fn parse(input: &BusinessHoursInput) -> Result<BusinessHours, FieldRefusals> {
        let mut refusals = FieldRefusals::new();
        let mut group = |name: &str, entry: Option<&DayInput>| match entry {
            None => {
                refusals.add(
                    format!("groups.{name}"),
                    Invalid::required("Set the hours of this group."),
                );
                None
            }
            Some(entry) => DayHours::parse(entry)
                .map_err(|e| refusals.nest(&format!("groups.{name}"), e))
                .ok(),
        };
        let groups = input.groups.as_ref();
        let weekdays = group("weekdays", groups.and_then(|g| g.weekdays.as_ref()));
        let weekend = group("weekend", groups.and_then(|g| g.weekend.as_ref()));

        let mut days: [Option<DayHours>; 7] = Default::default();
        for (key, entry) in &input.days {
            let Some(i) = DAY_KEYS.iter().position(|k| k == key) else {
                refusals.add(
                    format!("days.{key}"),
                    Invalid::new(
                        FieldCode::UnknownField,
                        "Use a day key: mon, tue, wed, thu, fri, sat or sun.",
                    ),
                );
                continue;
            };
            match DayHours::parse(entry) {
                Ok(hours) => days[i] = Some(hours),
                Err(e) => refusals.nest(&format!("days.{key}"), e),
            }
        }
        refusals.finish(|| {
            Some(BusinessHours {
                weekdays: weekdays?,
                weekend: weekend?,
                days,
            })
        })
    }

    /// Both groups and every day unavailable: a safe default before a tenant
    /// has set anything.
    pub fn always_closed() -> BusinessHours {
        BusinessHours {
            weekdays: DayHours::closed(),
            weekend: DayHours::closed(),
            days: Default::default(),
        }
    }

    /// The hours in force on a weekday: the day's own entry if it has one,
    /// otherwise its group's.
    pub fn for_day(&self, day: Weekday) -> &DayHours {
        let own = self.days.get(day_index(day)).and_then(Option::as_ref);
        own.unwrap_or(match day {
            Weekday::Saturday | Weekday::Sunday => &self.weekend,
            _ => &self.weekdays,
        })
    }

    pub fn weekdays(&self) -> &DayHours {
        &self.weekdays
    }

    pub fn weekend(&self) -> &DayHours {
        &self.weekend
    }

    /// A day's own entry, if it overrides its group.
    pub fn override_for(&self, day: Weekday) -> Option<&DayHours> {
        self.days.get(day_index(day)).and_then(Option::as_ref)
    }
}

impl TryFrom<BusinessHoursInput> for BusinessHours {
    type Error = FieldRefusals;

    fn try_from(input: BusinessHoursInput) -> Result<Self, Self::Error> {
        BusinessHours::parse(&input)
    }
}

/// Serialises to the JSON shape the module documents, days Monday first.
impl Serialize for BusinessHours {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Groups<'a>(&'a BusinessHours);
        impl Serialize for Groups<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("weekdays", &self.0.weekdays)?;
                m.serialize_entry("weekend", &self.0.weekend)?;
                m.end()
            }
        }
        struct Days<'a>(&'a [Option<DayHours>; 7]);
        impl Serialize for Days<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(None)?;
                for (key, day) in DAY_KEYS.iter().zip(self.0) {
                    if let Some(day) = day {
                        m.serialize_entry(key, day)?;
                    }
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("groups", &Groups(self))?;
        m.serialize_entry("days", &Days(&self.days))?;
        m.end()
    }
}

/// Business hours as received, before checking.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHoursInput {
    #[serde(default, deserialize_with = "crate::present")]
    pub groups: Option<GroupsInput>,
    #[serde(default)]
    pub days: BTreeMap<String, DayInput>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupsInput {
    #[serde(default, deserialize_with = "crate::present")]
    pub weekdays: Option<DayInput>,
    #[serde(default, deserialize_with = "crate::present")]
    pub weekend: Option<DayInput>,
}

/// One entry as received: `available` defaults to `true`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayInput {
    #[serde(default, deserialize_with = "crate::present")]
    pub available: Option<bool>,
    #[serde(default)]
    pub ranges: Vec<RangeInput>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeInput {
    #[serde(default, deserialize_with = "crate::present")]
    pub start: Option<String>,
    #[serde(default, deserialize_with = "crate::present")]
    pub end: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: serde_json::Value) -> Result<BusinessHours, FieldRefusals> {
        let input: BusinessHoursInput = serde_json::from_value(v).unwrap();
        BusinessHours::parse(&input)
    }

    fn lunch_break() -> serde_json::Value {
        json!({
            "groups": {
                "weekdays": {"ranges": [{"start": "13:00", "end": "18:00"}, {"start": "09:00", "end": "12:00"}]},
                "weekend": {"available": false}
            },
            "days": {
                "fri": {"ranges": [{"start": "09:00", "end": "15:00"}]},
                "sun": {"available": false, "ranges": [{"start": "10:00", "end": "12:00"}]}
            }
        })
    }

    #[test]
    fn ars_4_groups_and_overrides_round_trip_through_json() {
        let hours = parse(lunch_break()).unwrap();
        let mon = hours.for_day(Weekday::Monday);
        assert!(mon.is_available());
        assert_eq!(
            mon.ranges()
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>(),
            ["09:00–12:00", "13:00–18:00"],
            "stored sorted"
        );
        assert_eq!(hours.for_day(Weekday::Friday).ranges().len(), 1, "override");
        assert!(!hours.for_day(Weekday::Saturday).is_available());
        let sun = hours.for_day(Weekday::Sunday);
        assert!(!sun.is_available());
        assert_eq!(sun.ranges().len(), 1, "an unavailable day keeps its ranges");
        assert!(sun.open_ranges().is_empty());

        let json = serde_json::to_value(&hours).unwrap();
        assert_eq!(
            json,
            json!({
                "groups": {
                    "weekdays": {"available": true, "ranges": [
                        {"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]},
                    "weekend": {"available": false, "ranges": []}
                },
                "days": {
                    "fri": {"available": true, "ranges": [{"start": "09:00", "end": "15:00"}]},
                    "sun": {"available": false, "ranges": [{"start": "10:00", "end": "12:00"}]}
                }
            })
        );
        let back: BusinessHours = serde_json::from_value(json).unwrap();
        assert_eq!(back, hours);
    }

    #[test]
    fn ars_4_refusals_are_keyed_by_field_path() {
        let e = parse(json!({
            "groups": {
                "weekdays": {"ranges": [
                    {"start": "09:00", "end": "12:00"},
                    {"start": "11:00", "end": "13:00"},
                    {"start": "13:00", "end": "24:00"}
                ]}
            },
            "days": {
                "sat": {"ranges": [{"start": "10:00", "end": "09:00"}, {"start": "7:3", "end": "08:00"}, {"start": ""}]},
                "sun": {"available": true},
                "xyz": {"available": false}
            }
        }))
        .unwrap_err();
        let overlap = e.get("groups.weekdays.ranges.1").unwrap();
        assert_eq!(overlap.code, FieldCode::TimeRangesOverlap);
        assert_eq!(
            overlap.params,
            vec![
                ("range", "11:00–13:00".to_owned()),
                ("other", "09:00–12:00".to_owned())
            ]
        );
        assert!(
            e.get("groups.weekdays.ranges.2").is_none(),
            "13:00 touches, 24:00 is fine"
        );
        assert_eq!(e.get("groups.weekend").unwrap().code, FieldCode::Required);
        assert_eq!(
            e.get("days.sat.ranges.0.end").unwrap().code,
            FieldCode::TimeRangeOrder
        );
        assert_eq!(
            e.get("days.sat.ranges.1.start").unwrap().code,
            FieldCode::TimeFormat
        );
        assert_eq!(
            e.get("days.sat.ranges.2.start").unwrap().code,
            FieldCode::Required
        );
        assert_eq!(
            e.get("days.sat.ranges.2.end").unwrap().code,
            FieldCode::Required
        );
        assert_eq!(e.get("days.sun.ranges").unwrap().code, FieldCode::Required);
        assert_eq!(e.get("days.xyz").unwrap().code, FieldCode::UnknownField);
        assert_eq!(e.iter().count(), 8, "{e}");
    }

    #[test]
    fn missing_groups_and_too_many_ranges_are_refused() {
        let e = parse(json!({})).unwrap_err();
        assert!(e.get("groups.weekdays").is_some() && e.get("groups.weekend").is_some());

        let many: Vec<_> = (0..13)
            .map(|h| json!({"start": format!("{h:02}:00"), "end": format!("{h:02}:30")}))
            .collect();
        let e = parse(json!({
            "groups": {"weekdays": {"ranges": many}, "weekend": {"available": false}}
        }))
        .unwrap_err();
        assert_eq!(
            e.get("groups.weekdays.ranges").unwrap().code,
            FieldCode::TooMany
        );
    }

    #[test]
    fn unknown_fields_are_refused_by_the_input_shape() {
        let r: Result<BusinessHoursInput, _> =
            serde_json::from_value(json!({"groups": {"weekdays": {"open": true}}}));
        assert!(r.is_err());
        let r: Result<BusinessHours, _> = serde_json::from_value(json!({"groups": {}}));
        assert!(r.unwrap_err().to_string().contains("groups.weekdays"));
    }
}
