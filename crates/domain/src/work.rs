//! Work management (SVC-4): the state an agent is put in after signing in
//! and after a call, and the optional limit on after-call work (후처리).

use crate::{FieldCode, Invalid};
use serde::Serialize;

/// The state after signing in: ready for calls at once, or away until the
/// agent says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StateAfterLogin {
    Ready,
    Away,
}

/// The state after a call: ready for the next one, or in after-call work
/// (wrap-up) until the agent ends it or the limit runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StateAfterCall {
    Ready,
    AfterCallWork,
}

fn choice<T: Copy>(input: &str, options: &[(&str, T)]) -> Result<T, Invalid> {
    options
        .iter()
        .find(|(name, _)| *name == input.trim())
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            let names = names.join(", ");
            Invalid::new(FieldCode::InvalidChoice, format!("Choose {names}."))
                .with("options", names)
        })
}

impl StateAfterLogin {
    const OPTIONS: [(&'static str, StateAfterLogin); 2] = [
        ("ready", StateAfterLogin::Ready),
        ("away", StateAfterLogin::Away),
    ];

    pub fn parse(input: &str) -> Result<StateAfterLogin, Invalid> {
        choice(input, &Self::OPTIONS)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            StateAfterLogin::Ready => "ready",
            StateAfterLogin::Away => "away",
        }
    }
}

impl StateAfterCall {
    const OPTIONS: [(&'static str, StateAfterCall); 2] = [
        ("ready", StateAfterCall::Ready),
        ("after_call_work", StateAfterCall::AfterCallWork),
    ];

    pub fn parse(input: &str) -> Result<StateAfterCall, Invalid> {
        choice(input, &Self::OPTIONS)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            StateAfterCall::Ready => "ready",
            StateAfterCall::AfterCallWork => "after_call_work",
        }
    }
}

/// How long after-call work may last before the agent is made ready again,
/// in seconds (1 second to 1 hour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct AcwLimit(u16);

impl AcwLimit {
    pub const MIN: i64 = 1;
    pub const MAX: i64 = 3600;

    pub fn new(seconds: i64) -> Result<AcwLimit, Invalid> {
        if (Self::MIN..=Self::MAX).contains(&seconds) {
            Ok(AcwLimit(seconds as u16))
        } else {
            Err(Invalid::number_range(Self::MIN, Self::MAX))
        }
    }

    pub const fn seconds(self) -> i64 {
        self.0 as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_parse_from_their_names_only() {
        assert_eq!(StateAfterLogin::parse("ready"), Ok(StateAfterLogin::Ready));
        assert_eq!(StateAfterLogin::parse(" away "), Ok(StateAfterLogin::Away));
        let err = StateAfterLogin::parse("after_call_work").unwrap_err();
        assert_eq!(err.code, FieldCode::InvalidChoice);
        assert_eq!(err.params, vec![("options", "ready, away".to_owned())]);
        assert_eq!(
            StateAfterCall::parse("after_call_work"),
            Ok(StateAfterCall::AfterCallWork)
        );
        assert_eq!(StateAfterCall::parse("ready"), Ok(StateAfterCall::Ready));
        assert_eq!(
            StateAfterCall::parse("Ready").unwrap_err().code,
            FieldCode::InvalidChoice
        );
        for s in [StateAfterLogin::Ready, StateAfterLogin::Away] {
            assert_eq!(StateAfterLogin::parse(s.as_str()), Ok(s));
        }
        for s in [StateAfterCall::Ready, StateAfterCall::AfterCallWork] {
            assert_eq!(StateAfterCall::parse(s.as_str()), Ok(s));
        }
    }

    #[test]
    fn the_acw_limit_is_one_second_to_an_hour() {
        assert_eq!(AcwLimit::new(1).unwrap().seconds(), 1);
        assert_eq!(AcwLimit::new(3600).unwrap().seconds(), 3600);
        for bad in [0, -1, 3601, i64::MAX] {
            let err = AcwLimit::new(bad).unwrap_err();
            assert_eq!(err.code, FieldCode::NumberRange, "{bad}");
            assert_eq!(
                err.params,
                vec![("min", "1".to_owned()), ("max", "3600".to_owned())]
            );
        }
    }
}
