//! The catalogue of every error code the API can send.
//!
//! Clients branch on codes, never on messages: the server's `message` is an
//! English explanation for logs and API users, while the web UI shows its own
//! Korean or English text for each code (`static/js/i18n/*.js`). A test walks
//! [`ErrorCode::ALL`] and [`FieldCode::ALL`] and fails when either dictionary
//! lacks a code, so a code added here without UI text cannot ship.
//!
//! - [`ErrorCode`]: the request as a whole (`error.code`).
//! - [`FieldCode`]: why one field was refused (`error.fields.<name>.code`),
//!   with optional `params` the UI puts into its text (`{max}` …).

use serde::Serialize;
use std::fmt;

/// Declares a code enum with its wire strings, `ALL` and `as_str()`.
macro_rules! catalogue {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every code, for the catalogue test and the API document.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The code as it travels in JSON.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

catalogue! {
    /// What went wrong with a request (`error.code`).
    pub enum ErrorCode {
        /// 400: the body is not JSON at all.
        InvalidJson = "invalid_json",
        /// 400: the body could not be read (the connection broke).
        UnreadableBody = "unreadable_body",
        /// 401: no live session.
        Unauthenticated = "unauthenticated",
        /// 401: sign-in refused.
        InvalidCredentials = "invalid_credentials",
        /// 401: a provider request without a valid, fresh signature (TEL-1).
        BadSignature = "bad_signature",
        /// 403: a state-changing request without this session's token.
        CsrfFailed = "csrf_failed",
        /// 403: the role lacks the permission.
        Forbidden = "forbidden",
        /// 403: a tenant page asked for by the platform operator.
        TenantOnly = "tenant_only",
        /// 403: the client address is not on the tenant's allowlist.
        IpNotAllowed = "ip_not_allowed",
        /// 403: one's own password is changed with the current one, not reset.
        UseChangePassword = "use_change_password",
        /// 404.
        NotFound = "not_found",
        /// 405.
        MethodNotAllowed = "method_not_allowed",
        /// 409: the login ID is in use.
        LoginIdTaken = "login_id_taken",
        /// 409: the change would leave the tenant without an active owner.
        LastOwner = "last_owner",
        /// 409: the allowlist would exclude the admin saving it.
        WouldLockYouOut = "would_lock_you_out",
        /// 409: well-formed, but at odds with what is stored now (see `fields`:
        /// a name or digit taken, an ID that no longer exists, a holiday already
        /// on that day); the same request may succeed after the state changes.
        Conflict = "conflict",
        /// 403: the current password given with a password change is wrong.
        WrongPassword = "wrong_password",
        /// 413.
        PayloadTooLarge = "payload_too_large",
        /// 415.
        UnsupportedMediaType = "unsupported_media_type",
        /// 416: a `Range` outside the resource.
        RangeNotSatisfiable = "range_not_satisfiable",
        /// 422: see `fields`.
        ValidationFailed = "validation_failed",
        /// 429: sign-in back-off.
        TooManyAttempts = "too_many_attempts",
        /// 500: a bug or an infrastructure failure.
        InternalError = "internal_error",
        /// 503: the database is busy with other writes; retry (`Retry-After`).
        Busy = "busy",
        // settings
        /// 409: the audio file is the greeting or a menu's message (`{used_by}`).
        AudioInUse = "audio_in_use",
        /// 409: the company's prompt storage is full (`{files}`, `{megabytes}`: its quota).
        AudioQuotaExceeded = "audio_quota_exceeded",
        /// 409: agents are assigned to the menu (`{agents}`); `?force=true` removes them.
        MenuInUse = "menu_in_use",
        /// 409: every licence has an active agent (`{limit}`).
        LicenceLimit = "licence_limit",
        /// 409: the licences or plan were already changed today (`{next}`: the date it is possible again).
        ChangeLimit = "change_limit",
        /// 409: fewer licences than active agents (`{active}`).
        LicencesInUse = "licences_in_use",
        /// 409: the number's holding was already released.
        NumberReleased = "number_released",
        /// 409: a termination request is already open.
        TerminationPending = "termination_pending",
        /// 403: the company's service was terminated; its admins cannot sign in.
        TenantTerminated = "tenant_terminated",
        /// 403: the company's service period ended (`{end}`); its admins cannot sign in.
        ServiceExpired = "service_expired",
        // recordings (TEL-4)
        /// 404: the provider no longer has the recording.
        RecordingGone = "recording_gone",
        /// 502: the provider could not be reached, failed or answered oddly.
        ProviderUnavailable = "provider_unavailable",
        /// 502: the recording's URL is outside the allowed provider origin; it is not fetched.
        RecordingUrlRefused = "recording_url_refused",
        /// 503: this server cannot reach the provider (no outbound HTTP).
        ProviderNotConfigured = "provider_not_configured",
        // agent API
        /// 409: the callback is not `requested` any more (`{status}`), so it cannot be marked done.
        CallbackNotOpen = "callback_not_open",
    }
}

catalogue! {
    /// Why a field was refused (`error.fields.<name>.code`).
    pub enum FieldCode {
        /// The field is missing or empty.
        Required = "required",
        /// The field is not known for this request.
        UnknownField = "unknown_field",
        /// The value has the wrong JSON type or shape.
        InvalidValue = "invalid_value",
        /// Fewer than `{min}` characters.
        TooShort = "too_short",
        /// More than `{max}` characters.
        TooLong = "too_long",
        /// Only spaces.
        Blank = "blank",
        /// Control characters, or invisible characters that disguise text.
        ControlCharacters = "control_characters",
        /// A login ID outside `a-z 0-9 . _ -`, or not starting with a letter or digit.
        LoginIdFormat = "login_id_format",
        /// A login ID of the wrong length (`{min}`–`{max}`).
        LoginIdLength = "login_id_length",
        /// The login ID is in use.
        Taken = "taken",
        /// Not one of `{options}`.
        InvalidChoice = "invalid_choice",
        /// Not an e-mail address.
        Email = "email",
        /// Not a known IANA time zone.
        TimeZone = "time_zone",
        /// Not a plan name.
        PlanFormat = "plan_format",
        /// A number outside `{min}`–`{max}`.
        NumberRange = "number_range",
        /// Not a `YYYY-MM-DD` date.
        DateFormat = "date_format",
        /// An end date before its start date.
        EndBeforeStart = "end_before_start",
        /// Not an IPv4/IPv6 address or CIDR range.
        IpRule = "ip_rule",
        /// A CIDR prefix longer than the address (`{max}`).
        IpPrefix = "ip_prefix",
        /// The same entry twice in one list.
        Duplicate = "duplicate",
        /// More than `{max}` entries in a list.
        TooMany = "too_many",
        /// The current password given is wrong.
        WrongPassword = "wrong_password",
        /// The new password equals the current one.
        SamePassword = "same_password",
        /// A paging cursor that no page produced.
        InvalidCursor = "invalid_cursor",
        // settings values
        /// Not a Korean number of an accepted range (070, 02, 031–064, 010, 15xx/16xx/18xx).
        PhoneNumber = "phone_number",
        /// A valid number that cannot be the representative (inbound) number: a mobile.
        RepresentativeNumber = "representative_number",
        /// The number is another company's (held by it in the number inventory).
        NumberTaken = "number_taken",
        /// The number is not provisioned to this company (the operator provisions numbers).
        NumberNotHeld = "number_not_held",
        /// A URL that does not start with `https://`.
        HttpsOnly = "https_only",
        /// A URL with spaces, unsafe characters, user info, or a bad host or port.
        UrlFormat = "url_format",
        /// A `{placeholder}` that is not one of `{allowed}`.
        UnknownPlaceholder = "unknown_placeholder",
        /// A `{` without its `}` or the reverse.
        UnbalancedBraces = "unbalanced_braces",
        /// An upload whose content is not a playable WAV or MP3 file.
        AudioFormat = "audio_format",
        /// A file larger than `{max}` MB.
        FileTooLarge = "file_too_large",
        // schedule
        /// Not a `HH:MM` time of day between 00:00 and 24:00.
        TimeFormat = "time_format",
        /// A time range whose end is not after its start.
        TimeRangeOrder = "time_range_order",
        /// A time range `{range}` overlapping another range `{other}` of the same day.
        TimeRangesOverlap = "time_ranges_overlap",
        // settings lists
        /// A reference to an item (an audio file, a menu) the tenant does not have.
        NoSuchItem = "no_such_item",
        /// A new order that does not list every item exactly once.
        OrderMismatch = "order_mismatch",
        /// Not an RFC 3339 instant (`2026-03-02T09:00:00+09:00`).
        InstantFormat = "instant_format",
        /// A holiday on that day (repeating the same way) exists already (`{name}`).
        HolidayExists = "holiday_exists",
    }
}

impl FieldCode {
    /// Codes that say a well-formed value is at odds with what is stored
    /// now (a name or digit taken, an ID that is gone, a holiday already on
    /// that day): a request refused only for these is a 409, not a 422.
    pub const fn is_state_conflict(self) -> bool {
        matches!(
            self,
            FieldCode::Taken
                | FieldCode::NoSuchItem
                | FieldCode::HolidayExists
                | FieldCode::NumberTaken
                | FieldCode::NumberNotHeld
                | FieldCode::OrderMismatch
        )
    }
}

/// Why a value was refused: a code the UI translates, an English message,
/// and the values the message mentions (`{"max": "50"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invalid {
    pub code: FieldCode,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "as_map")]
    pub params: Vec<(&'static str, String)>,
}

fn as_map<S: serde::Serializer>(
    params: &[(&'static str, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(params.iter().map(|(k, v)| (k, v)))
}

impl Invalid {
    pub fn new(code: FieldCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            params: Vec::new(),
        }
    }

    /// Adds a value the message mentions, e.g. `("max", 50)`.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    pub fn required(message: impl Into<String>) -> Self {
        Self::new(FieldCode::Required, message)
    }

    pub fn too_long(max: usize) -> Self {
        Self::new(FieldCode::TooLong, format!("Use at most {max} characters.")).with("max", max)
    }

    pub fn number_range(min: i64, max: i64) -> Self {
        Self::new(FieldCode::NumberRange, format!("Use {min} to {max}."))
            .with("min", min)
            .with("max", max)
    }

    pub fn date_format() -> Self {
        Self::new(FieldCode::DateFormat, "Enter a date as YYYY-MM-DD.")
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_words() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL.iter().map(|c| c.as_str()) {
            assert!(seen.insert(code), "{code} twice");
        }
        let mut seen = std::collections::HashSet::new();
        for code in FieldCode::ALL.iter().map(|c| c.as_str()) {
            assert!(seen.insert(code), "{code} twice");
            assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        }
    }

    #[test]
    fn an_invalid_value_serialises_its_code_and_params() {
        let json = serde_json::to_value(Invalid::too_long(50)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "too_long", "message": "Use at most 50 characters.", "params": {"max": "50"}})
        );
    }
}
