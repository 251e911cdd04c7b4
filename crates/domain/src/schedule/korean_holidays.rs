//! Korea's public holidays (공휴일) for 2025–2030, built in so a tenant can
//! import a year's national holidays with one click (ARS-5).
//!
//! # Sources
//!
//! - Which days are holidays, and the substitute-holiday (대체공휴일) rules:
//!   「공휴일에 관한 법률」 (Public Holidays Act; amended 10 February 2026 to
//!   make 제헌절 a holiday again, and in April 2026 to make 노동절, 1 May, a
//!   holiday, both from 2026 on and both with substitute days) and
//!   「관공서의 공휴일에 관한 규정」 (Regulations on Holidays of Government
//!   Offices) 제2조·제3조.
//! - Lunar dates (설날, 부처님오신날, 추석) and the announced lists of 2025,
//!   2026 and 2027: the 월력요항 (calendar essentials) that 한국천문연구원
//!   (KASI) computes and the government publishes each June for the next
//!   year. The lunar dates of 2028–2030 are KASI's Korean lunisolar
//!   calendar (the same tables the 월력요항 come from), checked against two
//!   independent conversions of that calendar.
//! - Election days: 「공직선거법」 제34조. An election at the end of a term
//!   is on the first Wednesday from the 70th (president), 50th (National
//!   Assembly) or 30th (local) day before the term ends; if that day is a
//!   holiday, or the day before or after it is one, it moves to the
//!   Wednesday of the next week. Such election days are public holidays
//!   (관공서 규정 제2조). Elections after a vacancy (궐위·보궐선거) are not fixed in advance and
//!   become holidays only when designated, like 2025-06-03.
//! - Temporary holidays (임시공휴일) are designated by the cabinet at short
//!   notice; only those already designated are listed (2025-01-27 and the
//!   2025-06-03 presidential election).
//!
//! # Substitute holidays (대체공휴일), as the rules stand
//!
//! - 설날 and 추석 (three days each): a day of the three that falls on a
//!   Sunday or on another holiday gives one substitute day.
//! - 3·1절, 노동절 (from 2026), 어린이날, 부처님오신날, 제헌절 (from 2026),
//!   광복절, 개천절, 한글날, 기독탄신일: falling on a Saturday, a Sunday or
//!   another holiday gives one substitute day.
//! - 1월 1일, 현충일, election days and temporary holidays give none.
//! - The substitute is the first following weekday that is not a holiday
//!   (substitutes already given count as holidays). A date carrying two
//!   holidays gives one substitute, not two: that is how 2025-05-05
//!   (어린이날 and 부처님오신날) was settled, with 2025-05-06 only, named
//!   after 부처님 오신 날; the same reading gives 2028-10-05 for 추석 on
//!   개천절 (2028-10-03).
//!
//! Future years can still change: a temporary holiday may be designated, or
//! the law amended. The list is data to import and then edit, not an
//! authority; a tenant sees and can change every imported day.

use super::holiday::{Holiday, HolidayKind};
use jiff::civil::{Date, Weekday, date};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

/// The years [`national_holidays`] knows.
pub const NATIONAL_HOLIDAY_YEARS: RangeInclusive<i16> = 2025..=2030;

/// Solar dates of the lunar holidays, from KASI's lunisolar calendar:
/// (설날 = 1/1, 부처님오신날 = 4/8, 추석 = 8/15 of the lunar year).
const LUNAR: [(Date, Date, Date); 6] = [
    (date(2025, 1, 29), date(2025, 5, 5), date(2025, 10, 6)),
    (date(2026, 2, 17), date(2026, 5, 24), date(2026, 9, 25)),
    (date(2027, 2, 7), date(2027, 5, 13), date(2027, 9, 15)),
    (date(2028, 1, 27), date(2028, 5, 2), date(2028, 10, 3)),
    (date(2029, 2, 13), date(2029, 5, 20), date(2029, 9, 22)),
    (date(2030, 2, 3), date(2030, 5, 9), date(2030, 9, 12)),
];

/// Days that are holidays in one year only: designated temporary holidays
/// and election days fixed by 공직선거법 제34조 (see the module docs; the
/// test `election_days_follow_the_election_act` re-derives each).
const ONE_OFF: [(Date, &str, HolidayKind); 6] = [
    (date(2025, 1, 27), "임시공휴일", HolidayKind::Temporary),
    (
        date(2025, 6, 3),
        "임시공휴일(대통령선거)",
        HolidayKind::Temporary,
    ),
    // Local term ends 2026-06-30; from 05-31 the first Wednesday.
    (date(2026, 6, 3), "전국동시지방선거", HolidayKind::National),
    // 22nd National Assembly term ends 2028-05-29; from 04-09.
    (date(2028, 4, 12), "국회의원선거", HolidayKind::National),
    // The 21st president took office on 2025-06-04 after the early
    // election, so the term ends 2030-06-03; from 03-25.
    (date(2030, 3, 27), "대통령선거", HolidayKind::National),
    // From 05-31 the first Wednesday is 06-05, but 06-06 (현충일) is the day
    // after, so it moves a week (제34조②), as in 2018.
    (date(2030, 6, 12), "전국동시지방선거", HolidayKind::National),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Substitute {
    /// No substitute day.
    Never,
    /// On a Sunday or another holiday (설날, 추석).
    SundayOrOverlap,
    /// On a Saturday, a Sunday or another holiday.
    WeekendOrOverlap,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    date: Date,
    name: &'static str,
    kind: HolidayKind,
    rule: Substitute,
    /// The substitute day's name.
    substitute: &'static str,
    /// Lunar holidays name a shared substitute (see the module docs).
    lunar: bool,
}

/// Every public holiday of `year` other than Sundays, in date order, with
/// its Korean name as the 월력요항 lists it. Empty outside
/// [`NATIONAL_HOLIDAY_YEARS`].
pub fn national_holidays(year: i16) -> Vec<(Date, &'static str)> {
    entries(year)
        .into_iter()
        .map(|e| (e.date, e.name))
        .collect()
}

/// The same days as holidays to import, one per date: kind `national`, or
/// `temporary` for 임시공휴일, each repeating `once`. Two holidays on one day
/// (개천절 and 추석 on 3 October 2028) become one entry named after both, as a
/// tenant can hold only one holiday per day.
pub fn national_holiday_list(year: i16) -> Vec<Holiday> {
    let mut days: Vec<(Date, HolidayKind, String)> = Vec::new();
    for e in entries(year) {
        match days.iter_mut().find(|(d, _, _)| *d == e.date) {
            Some((_, kind, name)) => {
                name.push('·');
                name.push_str(e.name);
                if e.kind == HolidayKind::Temporary {
                    *kind = e.kind;
                }
            }
            None => days.push((e.date, e.kind, e.name.to_owned())),
        }
    }
    days.into_iter()
        .map(|(date, kind, name)| Holiday::builtin(date, kind, name))
        .collect()
}

fn entries(year: i16) -> Vec<Entry> {
    let Some(&(seollal, buddha, chuseok)) = LUNAR.iter().find(|l| l.0.year() == year) else {
        return Vec::new();
    };
    let mut base: Vec<Entry> = Vec::new();
    let mut add = |day: Option<Date>, name, rule, substitute, lunar| {
        if let Some(date) = day {
            base.push(Entry {
                date,
                name,
                kind: HolidayKind::National,
                rule,
                substitute,
                lunar,
            });
        }
    };
    let fixed = |month, day| Date::new(year, month, day).ok();
    use Substitute::{Never, SundayOrOverlap as Sunday, WeekendOrOverlap as Weekend};

    add(fixed(1, 1), "1월 1일", Never, "", false);
    for (day, name) in [
        (seollal.yesterday().ok(), "설날 전날"),
        (Some(seollal), "설날"),
        (seollal.tomorrow().ok(), "설날 다음 날"),
    ] {
        add(day, name, Sunday, "대체공휴일(설날)", true);
    }
    add(fixed(3, 1), "3·1절", Weekend, "대체공휴일(3·1절)", false);
    if year >= 2026 {
        add(fixed(5, 1), "노동절", Weekend, "대체공휴일(노동절)", false);
    }
    add(
        fixed(5, 5),
        "어린이날",
        Weekend,
        "대체공휴일(어린이날)",
        false,
    );
    add(
        Some(buddha),
        "부처님 오신 날",
        Weekend,
        "대체공휴일(부처님 오신 날)",
        true,
    );
    add(fixed(6, 6), "현충일", Never, "", false);
    if year >= 2026 {
        add(fixed(7, 17), "제헌절", Weekend, "대체공휴일(제헌절)", false);
    }
    add(fixed(8, 15), "광복절", Weekend, "대체공휴일(광복절)", false);
    for (day, name) in [
        (chuseok.yesterday().ok(), "추석 전날"),
        (Some(chuseok), "추석"),
        (chuseok.tomorrow().ok(), "추석 다음 날"),
    ] {
        add(day, name, Sunday, "대체공휴일(추석)", true);
    }
    add(fixed(10, 3), "개천절", Weekend, "대체공휴일(개천절)", false);
    add(fixed(10, 9), "한글날", Weekend, "대체공휴일(한글날)", false);
    add(
        fixed(12, 25),
        "기독탄신일",
        Weekend,
        "대체공휴일(기독탄신일)",
        false,
    );
    for (date, name, kind) in ONE_OFF.iter().filter(|o| o.0.year() == year) {
        base.push(Entry {
            date: *date,
            name,
            kind: *kind,
            rule: Never,
            substitute: "",
            lunar: false,
        });
    }

    // One substitute per date that triggers one (module docs).
    let mut triggers: BTreeMap<Date, Entry> = BTreeMap::new();
    for e in &base {
        let overlap = base.iter().filter(|o| o.date == e.date).count() > 1;
        let weekday = e.date.weekday();
        let due = match e.rule {
            Never => false,
            Sunday => weekday == Weekday::Sunday || overlap,
            Weekend => matches!(weekday, Weekday::Saturday | Weekday::Sunday) || overlap,
        };
        if due {
            triggers
                .entry(e.date)
                .and_modify(|t| {
                    if e.lunar && !t.lunar {
                        *t = *e;
                    }
                })
                .or_insert(*e);
        }
    }
    let mut taken: BTreeSet<Date> = base.iter().map(|e| e.date).collect();
    let mut all = base.clone();
    for (day, trigger) in triggers {
        let free = (1..=14)
            .filter_map(|n| day.checked_add(jiff::Span::new().days(n)).ok())
            .find(|d| {
                !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && !taken.contains(d)
            });
        if let Some(free) = free {
            taken.insert(free);
            all.push(Entry {
                date: free,
                name: trigger.substitute,
                kind: HolidayKind::National,
                rule: Never,
                substitute: "",
                lunar: false,
            });
        }
    }
    // Stable: a date's holidays keep the order above.
    all.sort_by_key(|e| e.date);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(year: i16) -> Vec<String> {
        national_holidays(year)
            .into_iter()
            .map(|(d, n)| format!("{d} {n}"))
            .collect()
    }

    /// The 월력요항 lists as announced (2025, 2026, 2027).
    #[test]
    fn ars_5_announced_years_match_the_wollyeogyohang() {
        assert_eq!(
            listed(2025),
            [
                "2025-01-01 1월 1일",
                "2025-01-27 임시공휴일",
                "2025-01-28 설날 전날",
                "2025-01-29 설날",
                "2025-01-30 설날 다음 날",
                "2025-03-01 3·1절",
                "2025-03-03 대체공휴일(3·1절)",
                "2025-05-05 어린이날",
                "2025-05-05 부처님 오신 날",
                "2025-05-06 대체공휴일(부처님 오신 날)",
                "2025-06-03 임시공휴일(대통령선거)",
                "2025-06-06 현충일",
                "2025-08-15 광복절",
                "2025-10-03 개천절",
                "2025-10-05 추석 전날",
                "2025-10-06 추석",
                "2025-10-07 추석 다음 날",
                "2025-10-08 대체공휴일(추석)",
                "2025-10-09 한글날",
                "2025-12-25 기독탄신일",
            ]
        );
        assert_eq!(
            listed(2026),
            [
                "2026-01-01 1월 1일",
                "2026-02-16 설날 전날",
                "2026-02-17 설날",
                "2026-02-18 설날 다음 날",
                "2026-03-01 3·1절",
                "2026-03-02 대체공휴일(3·1절)",
                "2026-05-01 노동절",
                "2026-05-05 어린이날",
                "2026-05-24 부처님 오신 날",
                "2026-05-25 대체공휴일(부처님 오신 날)",
                "2026-06-03 전국동시지방선거",
                "2026-06-06 현충일",
                "2026-07-17 제헌절",
                "2026-08-15 광복절",
                "2026-08-17 대체공휴일(광복절)",
                "2026-09-24 추석 전날",
                "2026-09-25 추석",
                "2026-09-26 추석 다음 날",
                "2026-10-03 개천절",
                "2026-10-05 대체공휴일(개천절)",
                "2026-10-09 한글날",
                "2026-12-25 기독탄신일",
            ]
        );
        assert_eq!(
            listed(2027),
            [
                "2027-01-01 1월 1일",
                "2027-02-06 설날 전날",
                "2027-02-07 설날",
                "2027-02-08 설날 다음 날",
                "2027-02-09 대체공휴일(설날)",
                "2027-03-01 3·1절",
                "2027-05-01 노동절",
                "2027-05-03 대체공휴일(노동절)",
                "2027-05-05 어린이날",
                "2027-05-13 부처님 오신 날",
                "2027-06-06 현충일",
                "2027-07-17 제헌절",
                "2027-07-19 대체공휴일(제헌절)",
                "2027-08-15 광복절",
                "2027-08-16 대체공휴일(광복절)",
                "2027-09-14 추석 전날",
                "2027-09-15 추석",
                "2027-09-16 추석 다음 날",
                "2027-10-03 개천절",
                "2027-10-04 대체공휴일(개천절)",
                "2027-10-09 한글날",
                "2027-10-11 대체공휴일(한글날)",
                "2027-12-25 기독탄신일",
                "2027-12-27 대체공휴일(기독탄신일)",
            ]
        );
    }

    /// Not announced yet: the rules applied to KASI's lunar dates.
    #[test]
    fn ars_5_later_years_follow_the_rules() {
        let has = |year, day: &str| listed(year).iter().any(|l| l == day);
        // 2028: 추석 falls on 개천절; one substitute after the three days.
        assert!(has(2028, "2028-10-03 개천절") && has(2028, "2028-10-03 추석"));
        assert!(has(2028, "2028-10-05 대체공휴일(추석)"));
        assert!(!has(2028, "2028-10-06 대체공휴일(개천절)"));
        assert!(has(2028, "2028-01-26 설날 전날") && has(2028, "2028-01-28 설날 다음 날"));
        assert!(has(2028, "2028-05-02 부처님 오신 날"));
        assert!(has(2028, "2028-04-12 국회의원선거"));
        // 2029: 어린이날 on Saturday, 부처님 오신 날 and 추석 다음 날 on Sunday.
        assert!(has(2029, "2029-05-07 대체공휴일(어린이날)"));
        assert!(has(2029, "2029-05-21 대체공휴일(부처님 오신 날)"));
        assert!(has(2029, "2029-09-23 추석 다음 날") && has(2029, "2029-09-24 대체공휴일(추석)"));
        assert!(has(2029, "2029-02-13 설날"));
        // 2030: 설날 on Sunday, 어린이날 on Sunday, two elections.
        assert!(has(2030, "2030-02-03 설날") && has(2030, "2030-02-05 대체공휴일(설날)"));
        assert!(has(2030, "2030-05-06 대체공휴일(어린이날)"));
        assert!(has(2030, "2030-09-12 추석") && has(2030, "2030-05-09 부처님 오신 날"));
        assert!(has(2030, "2030-03-27 대통령선거") && has(2030, "2030-06-12 전국동시지방선거"));
        // Saturdays of 설날/추석 give nothing (2026-09-26); 현충일 never does.
        assert!(!listed(2026).iter().any(|l| l.contains("대체공휴일(추석)")));
        assert!(!listed(2027).iter().any(|l| l.contains("현충일)")));

        let counts: Vec<usize> = (2028..=2030).map(|y| national_holidays(y).len()).collect();
        assert_eq!(counts, [19, 20, 21]);
        assert!(national_holidays(2024).is_empty() && national_holidays(2031).is_empty());
    }

    #[test]
    fn every_substitute_is_a_free_weekday() {
        for year in NATIONAL_HOLIDAY_YEARS {
            let days = national_holidays(year);
            for (d, name) in &days {
                if name.starts_with("대체공휴일") {
                    assert!(!matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday));
                    assert_eq!(days.iter().filter(|(o, _)| o == d).count(), 1, "{d}");
                }
            }
        }
    }

    /// 공직선거법 제34조 applied to each term's end reproduces [`ONE_OFF`]'s
    /// election days.
    #[test]
    fn election_days_follow_the_election_act() {
        fn election(term_end: Date, days_before: i64) -> Date {
            let from = term_end
                .checked_sub(jiff::Span::new().days(days_before))
                .unwrap();
            let wed = (0..7)
                .map(|n| from.checked_add(jiff::Span::new().days(n)).unwrap())
                .find(|d| d.weekday() == Weekday::Wednesday)
                .unwrap();
            let holiday = |d: Date| {
                national_holidays(d.year())
                    .iter()
                    .any(|(h, n)| *h == d && !n.contains("선거"))
            };
            let near = [wed.yesterday().unwrap(), wed, wed.tomorrow().unwrap()];
            if near.into_iter().any(holiday) {
                wed.checked_add(jiff::Span::new().days(7)).unwrap()
            } else {
                wed
            }
        }
        assert_eq!(election(date(2026, 6, 30), 30), date(2026, 6, 3));
        assert_eq!(election(date(2028, 5, 29), 50), date(2028, 4, 12));
        assert_eq!(election(date(2030, 6, 3), 70), date(2030, 3, 27));
        assert_eq!(election(date(2030, 6, 30), 30), date(2030, 6, 12));
        // The rule as it was last applied: 2024-04-10, 2022-06-01, 2018-06-13.
        assert_eq!(election(date(2024, 5, 29), 50), date(2024, 4, 10));
        assert_eq!(election(date(2022, 6, 30), 30), date(2022, 6, 1));
    }

    #[test]
    fn the_import_list_marks_temporary_holidays() {
        for year in NATIONAL_HOLIDAY_YEARS {
            let list = national_holiday_list(year);
            let mut dates: Vec<_> = list.iter().map(|h| h.date()).collect();
            dates.sort();
            dates.dedup();
            assert_eq!(dates.len(), list.len(), "{year}: one entry per date");
        }
        let merged = national_holiday_list(2028);
        let oct3 = merged
            .iter()
            .find(|h| h.date() == jiff::civil::date(2028, 10, 3))
            .map(|h| h.name().to_owned());
        assert!(
            oct3.as_deref()
                .is_some_and(|n| n.contains("개천절") && n.contains("추석")),
            "{oct3:?}"
        );
        let list = national_holiday_list(2025);
        let temp: Vec<_> = list
            .iter()
            .filter(|h| h.kind() == HolidayKind::Temporary)
            .map(|h| h.date().to_string())
            .collect();
        assert_eq!(temp, ["2025-01-27", "2025-06-03"]);
        assert!(
            list.iter()
                .all(|h| h.repeat() == super::super::Repeat::Once)
        );
    }
}
