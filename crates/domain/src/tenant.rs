//! A tenant's company and contract fields (CON-1).

use crate::{FieldCode, Invalid};
use serde::Serialize;

/// Free-text company information (name, representative, address …): trimmed,
/// at most `max` characters, no control, bidirectional-override or invisible
/// characters. `required` refuses empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompanyField(String);

impl CompanyField {
    pub fn parse(
        input: &str,
        max: usize,
        required: bool,
    ) -> Result<CompanyField, crate::ParseError> {
        let s = input.trim();
        if required && s.is_empty() {
            return Err(Invalid::required("This field is required."));
        }
        if s.chars().count() > max {
            return Err(Invalid::too_long(max));
        }
        crate::visible_text(s)?;
        Ok(CompanyField(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked loosely (one `@`, a dot in the domain, no
/// spaces): the real check is that mail arrives. Empty is allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, crate::ParseError> {
        let s = input.trim();
        if s.is_empty() {
            return Ok(Email(String::new()));
        }
        let ok = s.len() <= 254
            && !s.contains(char::is_whitespace)
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.contains('@')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if ok {
            Ok(Email(s.to_owned()))
        } else {
            Err(Invalid::new(
                FieldCode::Email,
                "Enter an e-mail address like name@example.com.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IANA time zone known to the bundled database, e.g. `Asia/Seoul`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub fn parse(input: &str) -> Result<TimeZoneName, crate::ParseError> {
        let s = input.trim();
        let s = if s.is_empty() { "Asia/Seoul" } else { s };
        jiff::tz::TimeZone::get(s)
            .map(|_| TimeZoneName(s.to_owned()))
            .map_err(|_| {
                Invalid::new(
                    FieldCode::TimeZone,
                    format!("\"{s}\" is not a known time zone (e.g. Asia/Seoul)."),
                )
            })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A plan (이용권) name: a short lower-case word such as `basic`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan(String);

impl Plan {
    pub fn parse(input: &str) -> Result<Plan, crate::ParseError> {
        let s = input.trim().to_ascii_lowercase();
        let ok = (1..=32).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(Plan(s))
        } else {
            Err(Invalid::new(
                FieldCode::PlanFormat,
                "Use a plan name of 1 to 32 letters, digits or -.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The number of agent licences: 1 to 10 000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LicenceCount(u32);

impl LicenceCount {
    pub fn new(n: i64) -> Result<LicenceCount, crate::ParseError> {
        u32::try_from(n)
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .map(LicenceCount)
            .ok_or_else(|| Invalid::number_range(1, 10_000))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// A service period: two calendar dates, start not after end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServicePeriod {
    pub start: jiff::civil::Date,
    pub end: jiff::civil::Date,
}

impl ServicePeriod {
    /// Errors are `(field, message)` so the caller can point at the field.
    pub fn parse(
        start: &str,
        end: &str,
    ) -> Result<ServicePeriod, (&'static str, crate::ParseError)> {
        let date = |s: &str, field| {
            s.trim()
                .parse::<jiff::civil::Date>()
                .map_err(|_| (field, Invalid::date_format()))
        };
        let start = date(start, "service_start")?;
        let end = date(end, "service_end")?;
        if end < start {
            return Err((
                "service_end",
                Invalid::new(
                    FieldCode::EndBeforeStart,
                    "The end cannot be before the start.",
                ),
            ));
        }
        Ok(ServicePeriod { start, end })
    }
}

/// Whether the operator keeps a tenant's service on (CON-3). A terminated
/// tenant's admins and agents cannot sign in; the operator still sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    Active,
    Terminated,
}

impl TenantStatus {
    pub fn parse(input: &str) -> Result<TenantStatus, crate::ParseError> {
        match input.trim() {
            "active" => Ok(TenantStatus::Active),
            "terminated" => Ok(TenantStatus::Terminated),
            _ => Err(
                Invalid::new(FieldCode::InvalidChoice, "Choose active or terminated.")
                    .with("options", "active, terminated"),
            ),
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            TenantStatus::Active => "active",
            TenantStatus::Terminated => "terminated",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_statuses_are_active_or_terminated() {
        for s in [TenantStatus::Active, TenantStatus::Terminated] {
            assert_eq!(TenantStatus::parse(s.as_str()), Ok(s));
        }
        let err = TenantStatus::parse("expired").unwrap_err();
        assert_eq!(err.code, FieldCode::InvalidChoice);
        assert_eq!(
            err.params,
            vec![("options", "active, terminated".to_owned())]
        );
    }

    #[test]
    fn time_zones_come_from_the_bundled_database() {
        assert_eq!(TimeZoneName::parse("").unwrap().as_str(), "Asia/Seoul");
        assert!(TimeZoneName::parse("Europe/Berlin").is_ok());
        assert!(TimeZoneName::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn service_periods_are_ordered() {
        assert!(ServicePeriod::parse("2026-01-01", "2026-12-31").is_ok());
        assert_eq!(
            ServicePeriod::parse("2026-02-01", "2026-01-01")
                .unwrap_err()
                .0,
            "service_end"
        );
        assert_eq!(
            ServicePeriod::parse("2026-13-01", "2026-12-31")
                .unwrap_err()
                .0,
            "service_start"
        );
    }

    #[test]
    fn licences_and_emails() {
        assert!(LicenceCount::new(0).is_err());
        assert_eq!(LicenceCount::new(25).unwrap().get(), 25);
        assert!(LicenceCount::new(10_001).is_err());
        assert!(Email::parse("ops@example.co.kr").is_ok());
        assert!(Email::parse("").is_ok());
        assert!(Email::parse("no-at.example.com").is_err());
        assert!(Email::parse("a@b").is_err());
    }

    #[test]
    fn company_fields_count_characters() {
        assert!(CompanyField::parse(&"가".repeat(100), 100, true).is_ok());
        assert!(CompanyField::parse(&"가".repeat(101), 100, true).is_err());
        assert!(CompanyField::parse("  ", 100, true).is_err());
        assert!(CompanyField::parse("", 100, false).is_ok());
        assert!(CompanyField::parse("Acme\u{202e}moc.evil", 100, true).is_err());
        assert!(CompanyField::parse("Ac\u{200b}me", 100, true).is_err());
    }
}
