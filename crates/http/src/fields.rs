//! Collecting per-field errors while parsing a request, so one 422 names
//! every offending field at once (UI-4).

use crate::ApiError;
use std::collections::BTreeMap;
use switchboard_domain::Invalid;

#[derive(Debug, Default)]
pub struct FieldErrors(BTreeMap<String, Invalid>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// The parsed value, or `None` with the refusal recorded under `field`.
    pub fn take<T>(&mut self, field: &str, parsed: Result<T, Invalid>) -> Option<T> {
        parsed.map_err(|m| self.add(field, m)).ok()
    }

    /// Like [`take`](Self::take) for an optional input: absent stays `None`.
    pub fn take_opt<T>(&mut self, field: &str, parsed: Option<Result<T, Invalid>>) -> Option<T> {
        parsed.and_then(|p| self.take(field, p))
    }

    pub fn add(&mut self, field: &str, invalid: Invalid) {
        self.0.insert(field.to_owned(), invalid);
    }

    /// Whether no field was refused so far.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(422)` when any field was refused.
    pub fn check(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.0))
        }
    }

    pub fn into_error(self) -> ApiError {
        ApiError::validation(self.0)
    }
}
