//! Refusals of a nested input, each keyed by the path of the field it
//! belongs to (`days.sat.ranges.0.end`), so the UI can show every problem
//! next to its field at once instead of one error per round trip.

use crate::Invalid;
use std::fmt;

/// Every refused field of one input, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldRefusals(Vec<(String, Invalid)>);

impl FieldRefusals {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, invalid: Invalid) {
        self.0.push((field.into(), invalid));
    }

    /// Adds another input's refusals under `prefix` (`holidays.3` + `date`).
    pub fn nest(&mut self, prefix: &str, inner: FieldRefusals) {
        for (field, invalid) in inner.0 {
            self.0.push((format!("{prefix}.{field}"), invalid));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The refusal for one field path, if any (mostly for tests).
    pub fn get(&self, field: &str) -> Option<&Invalid> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, i)| i)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Invalid)> {
        self.0.iter().map(|(f, i)| (f.as_str(), i))
    }

    /// `Ok(value)` when nothing was refused.
    pub(crate) fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, FieldRefusals> {
        match value() {
            Some(v) if self.is_empty() => Ok(v),
            _ => Err(self),
        }
    }
}

impl IntoIterator for FieldRefusals {
    type Item = (String, Invalid);
    type IntoIter = std::vec::IntoIter<(String, Invalid)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for FieldRefusals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (field, invalid)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{field}: {invalid}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldRefusals {}
