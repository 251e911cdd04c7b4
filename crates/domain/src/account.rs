//! Account fields: login IDs, names, new passwords.

use crate::{FieldCode, Invalid};
use serde::Serialize;
use std::fmt;

/// A login ID: 3–32 characters of `a-z 0-9 . _ -`, starting with a letter or
/// digit. Upper-case input is folded to lower case, so `Kim` and `kim` are the
/// same account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct LoginId(String);

impl LoginId {
    pub fn parse(input: &str) -> Result<LoginId, crate::ParseError> {
        let s = input.trim().to_ascii_lowercase();
        let len = s.chars().count();
        if !(3..=32).contains(&len) {
            return Err(
                Invalid::new(FieldCode::LoginIdLength, "Use 3 to 32 characters.")
                    .with("min", 3)
                    .with("max", 32),
            );
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err(Invalid::new(
                FieldCode::LoginIdFormat,
                "Use only letters a–z, digits and . _ -",
            ));
        }
        if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(Invalid::new(
                FieldCode::LoginIdFormat,
                "Start with a letter or a digit.",
            ));
        }
        Ok(LoginId(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LoginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name: 1–50 characters after trimming, no control,
/// bidirectional-override or invisible characters (which could make a name
/// display as another's). Counted in characters, so Korean names count per
/// syllable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, crate::ParseError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Invalid::required("Enter a name."));
        }
        if s.chars().count() > 50 {
            return Err(Invalid::too_long(50));
        }
        crate::visible_text(s)?;
        Ok(PersonName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password being set: 10–128 characters, not only spaces. (Passwords
/// being checked at sign-in are compared as given, never parsed.)
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<NewPassword, crate::ParseError> {
        let len = input.chars().count();
        if len < 10 {
            return Err(
                Invalid::new(FieldCode::TooShort, "Use at least 10 characters.").with("min", 10),
            );
        }
        if len > 128 {
            return Err(Invalid::too_long(128));
        }
        if input.trim().is_empty() {
            return Err(Invalid::new(
                FieldCode::Blank,
                "A password cannot be only spaces.",
            ));
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// Whether an account (an admin's or an agent's) may be used: the two
/// states a manager can switch between. (Deleted accounts are gone from the
/// forms, so they are not a choice here.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    Active,
    Disabled,
}

impl Switch {
    pub fn parse(input: &str) -> Result<Switch, crate::ParseError> {
        match input {
            "active" => Ok(Switch::Active),
            "disabled" => Ok(Switch::Disabled),
            _ => Err(
                Invalid::new(FieldCode::InvalidChoice, "Choose active or disabled.")
                    .with("options", "active, disabled"),
            ),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Switch::Active => "active",
            Switch::Disabled => "disabled",
        }
    }
}

/// Where an account (an admin's or an agent's) stands, as stored. Read rows
/// carry this, never the text, so "is it active" is one match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Disabled,
    /// Kept for the history; can never sign in again.
    Deleted,
}

impl AccountStatus {
    pub fn parse(input: &str) -> Result<AccountStatus, crate::ParseError> {
        match input {
            "active" => Ok(AccountStatus::Active),
            "disabled" => Ok(AccountStatus::Disabled),
            "deleted" => Ok(AccountStatus::Deleted),
            _ => Err(
                Invalid::new(FieldCode::InvalidChoice, "Not an account status.")
                    .with("options", "active, disabled, deleted"),
            ),
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Disabled => "disabled",
            AccountStatus::Deleted => "deleted",
        }
    }

    pub const fn is_active(self) -> bool {
        matches!(self, AccountStatus::Active)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_account_statuses_read_back_and_nothing_else_does() {
        for s in [
            AccountStatus::Active,
            AccountStatus::Disabled,
            AccountStatus::Deleted,
        ] {
            assert_eq!(AccountStatus::parse(s.as_str()), Ok(s));
        }
        assert!(AccountStatus::parse("Active").is_err());
        assert!(AccountStatus::Active.is_active());
        assert!(!AccountStatus::Disabled.is_active());
        assert!(!AccountStatus::Deleted.is_active());
    }

    #[test]
    fn an_account_switches_between_active_and_disabled_only() {
        assert_eq!(Switch::parse("active"), Ok(Switch::Active));
        assert_eq!(
            Switch::parse("disabled").map(Switch::as_str),
            Ok("disabled")
        );
        assert_eq!(
            Switch::parse("deleted").unwrap_err().code,
            FieldCode::InvalidChoice
        );
    }

    #[test]
    fn login_ids_are_folded_and_checked() {
        assert_eq!(
            LoginId::parse(" Kim.Agent_1 ").unwrap().as_str(),
            "kim.agent_1"
        );
        assert!(LoginId::parse("ab").is_err());
        assert!(LoginId::parse(&"a".repeat(33)).is_err());
        assert!(LoginId::parse("김상담").is_err());
        assert!(LoginId::parse("-dash").is_err());
        assert!(LoginId::parse("a b c").is_err());
    }

    #[test]
    fn names_count_characters_not_bytes() {
        assert!(PersonName::parse(&"김".repeat(50)).is_ok());
        assert!(PersonName::parse(&"김".repeat(51)).is_err());
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse("a\u{0}b").is_err());
        for hidden in [
            '\u{202e}',
            '\u{2066}',
            '\u{200b}',
            '\u{200d}',
            '\u{feff}',
            '\u{2060}',
            '\u{3164}',
            '\u{00ad}',
            '\u{115f}',
            '\u{e0041}',
        ] {
            assert!(
                PersonName::parse(&format!("Kim{hidden}Lee")).is_err(),
                "{hidden:?}"
            );
        }
        assert!(PersonName::parse("김 상담-O'Neil").is_ok());
    }

    #[test]
    fn new_passwords_have_a_minimum_length_and_do_not_print() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse("          ").is_err());
        let p = NewPassword::parse("long enough pass").unwrap();
        assert_eq!(format!("{p:?}"), "NewPassword(***)");
    }
}
