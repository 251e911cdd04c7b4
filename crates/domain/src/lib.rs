//! Typed domain values. Each is constructed only through a parser that checks
//! it, so a handler holding a [`LoginId`] or an [`IpRule`] knows it is valid
//! and never re-checks. Parse errors are [`Invalid`] values (a code the UI
//! translates, an English message), attached to the offending field by the
//! caller.

mod account;
mod audio;
pub mod callback;
pub mod callflow;
pub mod codes;
mod consultation;
mod ip;
mod monitoring;
mod origin;
mod phone;
mod popup;
mod prompts;
pub mod retention;
mod role;
pub mod schedule;
mod tenant;
mod tts;
mod work;

pub use account::{AccountStatus, LoginId, NewPassword, PersonName, Switch};
pub use audio::{AUDIO_MAX_BYTES, AudioFormat, AudioQuota, Mp3Info, WavInfo, check_audio_size};
pub use callback::{AttemptOutcome, CallbackPolicy};
pub use consultation::{ChosenState, ConsultationMemo, MEMO_MAX};
pub use ip::{IpAllowlist, IpRule, canonical_ip as ip_canonical};
pub use monitoring::{ContractedLines, RateTarget, SlThreshold, WaitAlarm, WaitingAlarm};
pub use origin::Origin;
pub use phone::{CallerId, PhoneKind, PhoneNumber, RepresentativeNumber};
pub use popup::{POPUP_URL_MAX, Placeholder, PopupUrlTemplate, PopupValues};
pub use prompts::{
    CALLBACK_DIGIT, NAME_MAX as PROMPT_NAME_MAX, PromptKind, PromptLanguage, default_prompt,
    spoken_company_name,
};
pub use retention::RetentionDays;
pub use role::{Permission, Role};
pub use tenant::{
    CompanyField, Email, LicenceCount, Plan, ServicePeriod, TenantStatus, TimeZoneName,
};
pub use tts::{TtsText, grapheme_count};
pub use work::{AcwLimit, StateAfterCall, StateAfterLogin};

pub use codes::{ErrorCode, FieldCode, Invalid};

/// Why a value was refused: a code for the UI and a message (see [`codes`]).
pub type ParseError = Invalid;

/// Characters that change how surrounding text is shown without being seen:
/// bidirectional embeddings, overrides, isolates and marks, zero-width
/// spaces and joiners, word joiners and invisible operators, the byte-order
/// mark. Refused in names, where they could make one name look like another.
/// Refuses text a person could not read as typed: control characters, and
/// the invisible and text-direction characters of [`is_hidden_char`].
pub fn visible_text(s: &str) -> Result<(), Invalid> {
    if s.chars().any(char::is_control) {
        return Err(Invalid::new(
            FieldCode::ControlCharacters,
            "Remove control characters.",
        ));
    }
    if s.chars().any(is_hidden_char) {
        return Err(Invalid::new(
            FieldCode::ControlCharacters,
            "Remove invisible and text-direction characters.",
        ));
    }
    Ok(())
}

pub fn is_hidden_char(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}' // soft hyphen
            | '\u{034f}' // combining grapheme joiner
            | '\u{061c}'
            | '\u{115f}'..='\u{1160}' // Hangul choseong/jungseong fillers
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{3164}' // Hangul filler: a blank that looks like a name
            | '\u{feff}'
            | '\u{ffa0}' // halfwidth Hangul filler
            | '\u{e0000}'..='\u{e007f}' // tag characters
    )
}

/// For an optional field of a JSON body that may be left out but not sent
/// as `null` (the API document does not allow it): use with
/// `#[serde(default, deserialize_with = "switchboard_domain::present")]`.
/// Absent stays `None`; `null` is refused like any other wrong type.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <T as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// For a field that must be sent but may be `null`: without `default`, a
/// missing field is refused; `null` is `None`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer)
}
