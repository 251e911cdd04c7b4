//! How long a tenant's call records are kept (CB-5): the provider's events,
//! calls, consultations, recordings' entries, callback requests, agent
//! sessions and state intervals older than this many days are deleted by
//! the worker's housekeeping — never before the statistics have rolled up
//! their hours (the hourly buckets are kept).
//!
//! Per tenant, not platform-wide: how long a company keeps its customers'
//! numbers and consultation memos is that company's decision (it answers for
//! the personal data it holds, and its legal duties differ: a shop keeps
//! complaint records for three years, another wants the minimum).

use crate::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionDays(u32);

impl Default for RetentionDays {
    /// About 13 months: a year of history to compare with, and a month's
    /// margin.
    fn default() -> Self {
        RetentionDays(400)
    }
}

impl RetentionDays {
    /// At least the consultation history's default view (3 months) with a
    /// margin; at most 5 years.
    pub const RANGE: (i64, i64) = (100, 1825);

    pub fn new(days: i64) -> Result<Self, Invalid> {
        if (Self::RANGE.0..=Self::RANGE.1).contains(&days) {
            u32::try_from(days)
                .map(RetentionDays)
                .map_err(|_| Invalid::number_range(Self::RANGE.0, Self::RANGE.1))
        } else {
            Err(Invalid::number_range(Self::RANGE.0, Self::RANGE.1))
        }
    }

    pub const fn days(self) -> i64 {
        self.0 as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_100_days_and_5_years_default_400() {
        assert_eq!(RetentionDays::default().days(), 400);
        assert_eq!(RetentionDays::new(100).unwrap().days(), 100);
        assert_eq!(RetentionDays::new(1825).unwrap().days(), 1825);
        for bad in [0, 99, 1826, -1] {
            let e = RetentionDays::new(bad).unwrap_err();
            assert_eq!(e.code, crate::FieldCode::NumberRange, "{bad}");
        }
    }
}
