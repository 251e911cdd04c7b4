//! Callback dialing rules (CB-2, CB-3): a tenant's callback policy (how many
//! attempts, how long between them, when a request expires) and what follows
//! one attempt's outcome. The callback worker applies them; the SQL only
//! stores the answer.

use crate::Invalid;
use serde::Serialize;

/// One number of the policy, checked against its range.
fn ranged(value: i64, min: i64, max: i64) -> Result<u32, Invalid> {
    if (min..=max).contains(&value) {
        u32::try_from(value).map_err(|_| Invalid::number_range(min, max))
    } else {
        Err(Invalid::number_range(min, max))
    }
}

/// A tenant's callback policy. [`CallbackPolicy::default`] applies until the
/// tenant saves its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CallbackPolicy {
    /// Dials per request, the first included (1–10; default 3).
    max_attempts: u32,
    /// Seconds from a failed attempt to the next (60 s – 24 h; default 600).
    retry_delay_seconds: u32,
    /// Hours after the request after which it is no longer dialled but
    /// failed as expired (1–168; default 24).
    expiry_hours: u32,
}

impl Default for CallbackPolicy {
    /// Three attempts, ten minutes apart, for at most a day.
    fn default() -> Self {
        CallbackPolicy {
            max_attempts: 3,
            retry_delay_seconds: 600,
            expiry_hours: 24,
        }
    }
}

impl CallbackPolicy {
    pub const ATTEMPTS: (i64, i64) = (1, 10);
    pub const RETRY_DELAY_SECONDS: (i64, i64) = (60, 86_400);
    pub const EXPIRY_HOURS: (i64, i64) = (1, 168);

    pub fn max_attempts(value: i64) -> Result<u32, Invalid> {
        ranged(value, Self::ATTEMPTS.0, Self::ATTEMPTS.1)
    }
    pub fn retry_delay(value: i64) -> Result<u32, Invalid> {
        ranged(
            value,
            Self::RETRY_DELAY_SECONDS.0,
            Self::RETRY_DELAY_SECONDS.1,
        )
    }
    pub fn expiry(value: i64) -> Result<u32, Invalid> {
        ranged(value, Self::EXPIRY_HOURS.0, Self::EXPIRY_HOURS.1)
    }

    /// A policy from three checked numbers (see the range checks above).
    pub fn new(
        max_attempts: i64,
        retry_delay_seconds: i64,
        expiry_hours: i64,
    ) -> Result<Self, Invalid> {
        Ok(CallbackPolicy {
            max_attempts: Self::max_attempts(max_attempts)?,
            retry_delay_seconds: Self::retry_delay(retry_delay_seconds)?,
            expiry_hours: Self::expiry(expiry_hours)?,
        })
    }

    pub const fn attempts(self) -> i64 {
        self.max_attempts as i64
    }
    pub const fn retry_delay_seconds(self) -> i64 {
        self.retry_delay_seconds as i64
    }
    pub const fn expiry_hours(self) -> i64 {
        self.expiry_hours as i64
    }

    /// When a request made at `requested_ms` expires.
    pub const fn expires_ms(self, requested_ms: i64) -> i64 {
        requested_ms + self.expiry_hours as i64 * 3_600_000
    }
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    /// The provider reported that the customer was reached.
    Completed,
    /// The provider reported no answer.
    NoAnswer,
    /// The provider reported the line busy.
    Busy,
    /// The provider reported the dial failed.
    Failed,
    /// The provider refused the request (4xx).
    Rejected,
    /// The provider answered 5xx, or could not be reached.
    ProviderError,
    /// The provider did not answer the request in time.
    Timeout,
    /// The provider accepted the dial but never reported how it ended.
    NoReport,
}

impl AttemptOutcome {
    pub const ALL: [AttemptOutcome; 8] = [
        AttemptOutcome::Completed,
        AttemptOutcome::NoAnswer,
        AttemptOutcome::Busy,
        AttemptOutcome::Failed,
        AttemptOutcome::Rejected,
        AttemptOutcome::ProviderError,
        AttemptOutcome::Timeout,
        AttemptOutcome::NoReport,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            AttemptOutcome::Completed => "completed",
            AttemptOutcome::NoAnswer => "no_answer",
            AttemptOutcome::Busy => "busy",
            AttemptOutcome::Failed => "failed",
            AttemptOutcome::Rejected => "rejected",
            AttemptOutcome::ProviderError => "provider_error",
            AttemptOutcome::Timeout => "timeout",
            AttemptOutcome::NoReport => "no_report",
        }
    }

    pub fn parse(s: &str) -> Option<AttemptOutcome> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// What becomes of a request after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Completed,
    /// Due again at this instant (ms).
    RetryAt(i64),
    /// Given up: the attempts are used up, or the next one would fall
    /// after the request expired.
    Failed(FailReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailReason {
    AttemptsUsedUp,
    Expired,
}

impl FailReason {
    pub const fn as_str(self) -> &'static str {
        match self {
            FailReason::AttemptsUsedUp => "attempts_used_up",
            FailReason::Expired => "expired",
        }
    }
}

/// After attempt number `made` (1 for the first) ended with `outcome` at
/// `now_ms`: completed, retried after the delay, or failed.
pub fn after_attempt(
    policy: CallbackPolicy,
    made: i64,
    outcome: AttemptOutcome,
    requested_ms: i64,
    now_ms: i64,
) -> Next {
    if outcome == AttemptOutcome::Completed {
        return Next::Completed;
    }
    if made >= policy.attempts() {
        return Next::Failed(FailReason::AttemptsUsedUp);
    }
    let at = now_ms + policy.retry_delay_seconds() * 1000;
    if at >= policy.expires_ms(requested_ms) {
        return Next::Failed(FailReason::Expired);
    }
    Next::RetryAt(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldCode;

    #[test]
    fn the_default_is_three_attempts_ten_minutes_apart_for_a_day() {
        let p = CallbackPolicy::default();
        assert_eq!(
            (p.attempts(), p.retry_delay_seconds(), p.expiry_hours()),
            (3, 600, 24)
        );
        assert_eq!(CallbackPolicy::new(3, 600, 24), Ok(p));
    }

    #[test]
    fn each_number_is_checked_against_its_range() {
        for (a, d, e) in [
            (0, 600, 24),
            (11, 600, 24),
            (3, 59, 24),
            (3, 86_401, 24),
            (3, 600, 0),
            (3, 600, 169),
        ] {
            let err = CallbackPolicy::new(a, d, e).unwrap_err();
            assert_eq!(err.code, FieldCode::NumberRange, "{a} {d} {e}");
        }
        assert!(CallbackPolicy::new(10, 86_400, 168).is_ok());
        assert!(CallbackPolicy::new(1, 60, 1).is_ok());
    }

    #[test]
    fn an_attempt_completes_retries_or_fails() {
        let p = CallbackPolicy::default();
        let t = 1_000_000;
        assert_eq!(
            after_attempt(p, 1, AttemptOutcome::Completed, t, t),
            Next::Completed
        );
        for o in [
            AttemptOutcome::NoAnswer,
            AttemptOutcome::Busy,
            AttemptOutcome::Failed,
            AttemptOutcome::Rejected,
            AttemptOutcome::ProviderError,
            AttemptOutcome::Timeout,
            AttemptOutcome::NoReport,
        ] {
            assert_eq!(
                after_attempt(p, 1, o, t, t),
                Next::RetryAt(t + 600_000),
                "{o:?}"
            );
            assert_eq!(after_attempt(p, 2, o, t, t + 5), Next::RetryAt(t + 600_005));
            assert_eq!(
                after_attempt(p, 3, o, t, t),
                Next::Failed(FailReason::AttemptsUsedUp)
            );
        }
        // A retry that would fall after the expiry fails the request now.
        let late = t + 24 * 3_600_000 - 600_000;
        assert_eq!(
            after_attempt(p, 1, AttemptOutcome::Busy, t, late),
            Next::Failed(FailReason::Expired)
        );
        assert_eq!(
            after_attempt(p, 1, AttemptOutcome::Busy, t, late - 1),
            Next::RetryAt(t + 24 * 3_600_000 - 1)
        );
    }

    #[test]
    fn outcomes_round_trip_by_name() {
        for o in AttemptOutcome::ALL {
            assert_eq!(AttemptOutcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(AttemptOutcome::parse("answered"), None);
    }
}
