//! What an agent writes about a call (AGT-1): the consultation memo, and
//! the states an agent may choose in the app.

use crate::{FieldCode, Invalid};

/// The most characters a memo may have (characters, not bytes: Korean
/// text counts per character).
pub const MEMO_MAX: usize = 2000;

/// A checked consultation memo: at most [`MEMO_MAX`] characters, several
/// lines allowed (line breaks are stored as `\n`), no other control
/// characters and no invisible or text-direction characters (which could
/// make a memo read differently from what was typed). May be empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationMemo(String);

impl ConsultationMemo {
    pub fn parse(input: &str) -> Result<ConsultationMemo, Invalid> {
        let text = input.replace("\r\n", "\n");
        let text = text.trim();
        if text.chars().count() > MEMO_MAX {
            return Err(Invalid::too_long(MEMO_MAX));
        }
        if text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(Invalid::new(
                FieldCode::ControlCharacters,
                "Remove control characters; line breaks are fine.",
            ));
        }
        if text.chars().any(crate::is_hidden_char) {
            return Err(Invalid::new(
                FieldCode::ControlCharacters,
                "Remove invisible and text-direction characters.",
            ));
        }
        Ok(ConsultationMemo(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A state an agent sets in the app (MON-7). Dialing, ringing and on-call
/// come from the telephony provider; logged-out from signing out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChosenState {
    Ready,
    Away,
    AfterCallWork,
}

impl ChosenState {
    const OPTIONS: [(&'static str, ChosenState); 3] = [
        ("ready", ChosenState::Ready),
        ("away", ChosenState::Away),
        ("after_call_work", ChosenState::AfterCallWork),
    ];

    pub fn parse(input: &str) -> Result<ChosenState, Invalid> {
        let input = input.trim();
        Self::OPTIONS
            .iter()
            .find(|(name, _)| *name == input)
            .map(|(_, s)| *s)
            .ok_or_else(|| {
                let names = Self::OPTIONS.map(|(n, _)| n).join(", ");
                Invalid::new(FieldCode::InvalidChoice, format!("Choose {names}."))
                    .with("options", names)
            })
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ChosenState::Ready => "ready",
            ChosenState::Away => "away",
            ChosenState::AfterCallWork => "after_call_work",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memos_keep_lines_and_refuse_what_hides_text() {
        let m = ConsultationMemo::parse(" 배송 문의\r\n재통화 요청 \n").unwrap();
        assert_eq!(m.as_str(), "배송 문의\n재통화 요청");
        assert_eq!(ConsultationMemo::parse("").unwrap().as_str(), "");
        assert!(ConsultationMemo::parse(&"가".repeat(MEMO_MAX)).is_ok());
        let long = ConsultationMemo::parse(&"가".repeat(MEMO_MAX + 1)).unwrap_err();
        assert_eq!(long.code, FieldCode::TooLong);
        for bad in ["a\u{0}b", "tab\there", "a\u{202e}b", "bell\u{7}"] {
            assert_eq!(
                ConsultationMemo::parse(bad).unwrap_err().code,
                FieldCode::ControlCharacters,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn only_the_states_an_agent_chooses_parse() {
        assert_eq!(ChosenState::parse("away").unwrap(), ChosenState::Away);
        assert_eq!(
            ChosenState::parse("after_call_work").unwrap().as_str(),
            "after_call_work"
        );
        for provider_only in ["on_call", "ringing", "dialing", "logged_out", ""] {
            let e = ChosenState::parse(provider_only).unwrap_err();
            assert_eq!(e.code, FieldCode::InvalidChoice);
        }
    }
}
