//! Holidays (휴일관리, ARS-5): dates on which no consultation is possible,
//! whatever the business hours say.
//!
//! A holiday is a date, a kind (the tenant's own holiday, a national
//! holiday, a temporary holiday), a name, and whether it repeats.
//!
//! - `once` matches its date only.
//! - `yearly` matches the same month and day every year, before and after
//!   the year it was entered with (the year is kept only so the UI can show
//!   what was typed). A yearly holiday on 29 February therefore applies on
//!   29 February of leap years only; it does not move to 28 February or
//!   1 March in other years. That is what a person who closes "on 29
//!   February" means, and it keeps the rule free of guesses.
//!
//! Korean national holidays with lunar dates (설날, 추석, 부처님오신날) and
//! substitute days move every year, so they are imported per year as `once`
//! holidays of kind `national` (see [`super::korean_holidays`]).
//!
//! # JSON
//!
//! ```json
//! {"date": "2026-05-05", "kind": "national", "repeat": "once", "name": "어린이날"}
//! ```
//!
//! `kind` is `holiday`, `national` or `temporary` (default `holiday`);
//! `repeat` is `yearly` or `once` (default `once`); `name` is 1–50
//! characters. Refusals are keyed `date`, `kind`, `repeat`, `name`.

use super::refusals::FieldRefusals;
use crate::{FieldCode, Invalid};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Longest holiday name, in characters.
pub const MAX_HOLIDAY_NAME: usize = 50;

/// What sort of day off it is (휴일 / 공휴일 / 임시휴일).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// The tenant's own day off (창립기념일, a company outing).
    Holiday,
    /// A national public holiday (공휴일).
    National,
    /// A temporary holiday (임시공휴일 or a one-off closure).
    Temporary,
}

impl HolidayKind {
    pub const ALL: [HolidayKind; 3] = [
        HolidayKind::Holiday,
        HolidayKind::National,
        HolidayKind::Temporary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HolidayKind::Holiday => "holiday",
            HolidayKind::National => "national",
            HolidayKind::Temporary => "temporary",
        }
    }

    pub fn parse(input: &str) -> Result<HolidayKind, Invalid> {
        let s = input.trim();
        HolidayKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                Invalid::new(
                    FieldCode::InvalidChoice,
                    "Choose holiday, national or temporary.",
                )
                .with("options", "holiday, national, temporary")
            })
    }
}

/// Whether a holiday comes back every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    /// Same month and day every year.
    Yearly,
    /// That date only.
    Once,
}

impl Repeat {
    pub fn as_str(self) -> &'static str {
        match self {
            Repeat::Yearly => "yearly",
            Repeat::Once => "once",
        }
    }

    pub fn parse(input: &str) -> Result<Repeat, Invalid> {
        match input.trim() {
            "yearly" => Ok(Repeat::Yearly),
            "once" => Ok(Repeat::Once),
            _ => Err(
                Invalid::new(FieldCode::InvalidChoice, "Choose yearly or once.")
                    .with("options", "yearly, once"),
            ),
        }
    }
}

/// A checked holiday. Built by [`Holiday::parse`], by deserialising the
/// documented JSON, or from the built-in national holidays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "HolidayInput")]
pub struct Holiday {
    #[serde(serialize_with = "as_display")]
    date: Date,
    kind: HolidayKind,
    repeat: Repeat,
    name: String,
}

fn as_display<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

impl Holiday {
    pub fn parse(input: &HolidayInput) -> Result<Holiday, FieldRefusals> {
        let mut refusals = FieldRefusals::new();
        let date = match input.date.as_deref().map(str::trim) {
            None | Some("") => {
                refusals.add("date", Invalid::required("Enter a date."));
                None
            }
            Some(s) => s
                .parse::<Date>()
                .map_err(|_| refusals.add("date", Invalid::date_format()))
                .ok(),
        };
        let kind = match input.kind.as_deref() {
            None => Some(HolidayKind::Holiday),
            Some(s) => HolidayKind::parse(s)
                .map_err(|e| refusals.add("kind", e))
                .ok(),
        };
        let repeat = match input.repeat.as_deref() {
            None => Some(Repeat::Once),
            Some(s) => Repeat::parse(s).map_err(|e| refusals.add("repeat", e)).ok(),
        };
        let name = parse_name(input.name.as_deref().unwrap_or(""))
            .map_err(|e| refusals.add("name", e))
            .ok();
        refusals.finish(|| {
            Some(Holiday {
                date: date?,
                kind: kind?,
                repeat: repeat?,
                name: name?,
            })
        })
    }

    /// A built-in national holiday: trusted data, a `once` holiday.
    pub(crate) fn builtin(date: Date, kind: HolidayKind, name: String) -> Holiday {
        Holiday {
            date,
            kind,
            repeat: Repeat::Once,
            name,
        }
    }

    pub fn date(&self) -> Date {
        self.date
    }

    pub fn kind(&self) -> HolidayKind {
        self.kind
    }

    pub fn repeat(&self) -> Repeat {
        self.repeat
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the holiday falls on this (tenant-local) date.
    pub fn applies_on(&self, day: Date) -> bool {
        match self.repeat {
            Repeat::Once => self.date == day,
            // 29 February exists only in leap years, so a yearly 29 February
            // holiday matches only there, as the module documents.
            Repeat::Yearly => self.date.month() == day.month() && self.date.day() == day.day(),
        }
    }
}

fn parse_name(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Invalid::required("Enter a name."));
    }
    if s.chars().count() > MAX_HOLIDAY_NAME {
        return Err(Invalid::too_long(MAX_HOLIDAY_NAME));
    }
    crate::visible_text(s)?;
    Ok(s.to_owned())
}

impl TryFrom<HolidayInput> for Holiday {
    type Error = FieldRefusals;

    fn try_from(input: HolidayInput) -> Result<Self, Self::Error> {
        Holiday::parse(&input)
    }
}

/// A holiday as received, before checking.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayInput {
    #[serde(default, deserialize_with = "crate::present")]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "crate::present")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "crate::present")]
    pub repeat: Option<String>,
    #[serde(default, deserialize_with = "crate::present")]
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use serde_json::json;

    fn holiday(v: serde_json::Value) -> Result<Holiday, FieldRefusals> {
        Holiday::parse(&serde_json::from_value(v).unwrap())
    }

    #[test]
    fn ars_5_holidays_parse_and_round_trip() {
        let h = holiday(json!({"date": "2026-05-05", "kind": "national", "repeat": "yearly", "name": " 어린이날 "}))
            .unwrap();
        assert_eq!(
            (h.date(), h.kind(), h.repeat(), h.name()),
            (
                date(2026, 5, 5),
                HolidayKind::National,
                Repeat::Yearly,
                "어린이날"
            )
        );
        let json = serde_json::to_value(&h).unwrap();
        assert_eq!(
            json,
            json!({"date": "2026-05-05", "kind": "national", "repeat": "yearly", "name": "어린이날"})
        );
        assert_eq!(serde_json::from_value::<Holiday>(json).unwrap(), h);

        let d = holiday(json!({"date": "2026-03-02", "name": "창립기념일"})).unwrap();
        assert_eq!((d.kind(), d.repeat()), (HolidayKind::Holiday, Repeat::Once));
    }

    #[test]
    fn ars_5_refusals_name_each_field() {
        let e = holiday(
            json!({"date": "2027-02-29", "kind": "festival", "repeat": "weekly", "name": "  "}),
        )
        .unwrap_err();
        assert_eq!(e.get("date").unwrap().code, FieldCode::DateFormat);
        assert_eq!(e.get("kind").unwrap().code, FieldCode::InvalidChoice);
        assert_eq!(e.get("repeat").unwrap().code, FieldCode::InvalidChoice);
        assert_eq!(e.get("name").unwrap().code, FieldCode::Required);
        let e = holiday(json!({"name": "가".repeat(51)})).unwrap_err();
        assert_eq!(e.get("date").unwrap().code, FieldCode::Required);
        assert_eq!(e.get("name").unwrap().code, FieldCode::TooLong);
        let e = holiday(json!({"date": "2026-01-01", "name": "a\u{202e}b"})).unwrap_err();
        assert_eq!(e.get("name").unwrap().code, FieldCode::ControlCharacters);
    }

    #[test]
    fn ars_5_yearly_matches_month_and_day_and_29_february_only_in_leap_years() {
        let once = holiday(json!({"date": "2026-10-01", "name": "워크숍"})).unwrap();
        assert!(once.applies_on(date(2026, 10, 1)));
        assert!(!once.applies_on(date(2027, 10, 1)));

        let yearly =
            holiday(json!({"date": "2026-10-01", "repeat": "yearly", "name": "창립기념일"}))
                .unwrap();
        assert!(yearly.applies_on(date(2025, 10, 1)));
        assert!(yearly.applies_on(date(2030, 10, 1)));
        assert!(!yearly.applies_on(date(2030, 10, 2)));

        let leap =
            holiday(json!({"date": "2024-02-29", "repeat": "yearly", "name": "윤일"})).unwrap();
        assert!(leap.applies_on(date(2028, 2, 29)));
        assert!(!leap.applies_on(date(2027, 2, 28)));
        assert!(!leap.applies_on(date(2027, 3, 1)));
        assert!(!leap.applies_on(date(2028, 2, 28)));
    }
}
