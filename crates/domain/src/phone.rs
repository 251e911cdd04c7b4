//! Korean telephone numbers (ARS-1): the tenant's representative number
//! (대표번호) and the caller ID shown on outbound calls (발신번호).
//!
//! Admins type numbers the way they see them printed — `02) 123-4567`,
//! `070.1234.5678`, `+82 10 1234 5678` — while the telephony provider, the
//! call history search and uniqueness checks need one spelling. So a number
//! is parsed once, stored as its digits in domestic form (`0212345678`), and
//! formatted with hyphens only for people (`02-1234-5678`).
//!
//! Only the number ranges a Korean contact center actually uses are
//! accepted; anything else (a typo, a foreign number, 080 free-call, 050x
//! personal numbers, 060 premium numbers) is refused rather than stored,
//! because a wrong number here silently loses calls.
//!
//! | kind | digits | shown as |
//! | --- | --- | --- |
//! | internet phone 070 | 11 | `070-1234-5678` |
//! | Seoul 02 | 9 or 10 | `02-123-4567`, `02-1234-5678` |
//! | other area codes 031–064 | 10 or 11 | `031-123-4567`, `051-1234-5678` |
//! | mobile 010 | 11 | `010-1234-5678` |
//! | service numbers 15xx, 16xx, 18xx | 8 | `1588-1234` |
//!
//! Which kinds may serve which purpose is decided here, once:
//! - a **representative number** ([`RepresentativeNumber`]) is the number
//!   customers dial and the ARS answers: a 070 internet number, a
//!   geographic number or a 15xx/16xx/18xx service number (which the
//!   carrier forwards to one of the former). A mobile number is refused: a
//!   handset cannot be a contact center's inbound line.
//! - a **caller ID** ([`CallerId`]) may be any valid number, mobiles
//!   included: Korean carriers only let through caller IDs the subscriber
//!   registered, and a small shop's registered number is often its mobile.

use crate::{FieldCode, Invalid};
use serde::Serialize;
use std::fmt;

/// Which range a number belongs to; decides its formatting and its uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    /// `070`: internet (VoIP) telephone, the usual contact-center line.
    Internet,
    /// `02`: Seoul.
    Seoul,
    /// `031`–`064`: the other geographic area codes.
    Area,
    /// `010`: mobile.
    Mobile,
    /// `15xx`, `16xx`, `18xx`: nationwide service numbers (전국대표번호).
    Service,
}

impl PhoneKind {
    /// Whether customers can be given this number to call the ARS.
    pub const fn can_be_representative(self) -> bool {
        !matches!(self, PhoneKind::Mobile)
    }
}

/// Area codes other than Seoul's, as allocated by the Ministry of Science
/// and ICT (세종 044 included).
const AREA_CODES: [&str; 16] = [
    "031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054", "055", "061",
    "062", "063", "064",
];

/// Longest input worth looking at: `+82 (0)31) 1234-5678` with generous
/// spacing fits; anything longer is not a phone number.
const MAX_INPUT: usize = 40;

/// A valid Korean telephone number, stored as digits in domestic form.
/// Serialises as those digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct PhoneNumber {
    digits: String,
    kind: PhoneKind,
}

impl From<PhoneNumber> for String {
    fn from(n: PhoneNumber) -> String {
        n.digits
    }
}

fn format_error() -> Invalid {
    Invalid::new(
        FieldCode::PhoneNumber,
        "Enter a Korean number such as 070-1234-5678, 02-123-4567, 010-1234-5678 or 1588-1234.",
    )
}

impl PhoneNumber {
    /// Parses any valid number (the rules of [`CallerId`]). Spaces, hyphens,
    /// dots and parentheses are ignored; a leading `+82` (or `0082`) stands
    /// for the domestic `0`, with or without a `(0)` after it.
    pub fn parse(input: &str) -> Result<PhoneNumber, crate::ParseError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Invalid::required("Enter a phone number."));
        }
        if s.len() > MAX_INPUT {
            return Err(format_error());
        }
        let (international, rest) = match s.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let mut digits = String::with_capacity(12);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(format_error()),
            }
        }
        let digits = if international {
            domestic(&digits).ok_or_else(format_error)?
        } else if let Some(international) = digits.strip_prefix("00") {
            domestic(international).ok_or_else(format_error)?
        } else {
            digits
        };
        let kind = classify(&digits).ok_or_else(format_error)?;
        Ok(PhoneNumber { digits, kind })
    }

    /// The digits in domestic form, e.g. `0212345678`: what is stored and
    /// sent to the telephony provider.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    pub fn kind(&self) -> PhoneKind {
        self.kind
    }

    /// The number as Koreans write it, e.g. `02-1234-5678`, `1588-1234`.
    pub fn formatted(&self) -> String {
        let d = self.digits.as_str();
        let prefix = match self.kind {
            PhoneKind::Service => 0,
            PhoneKind::Seoul => 2,
            PhoneKind::Internet | PhoneKind::Area | PhoneKind::Mobile => 3,
        };
        // The subscriber part splits as (3 or 4)-4.
        let (head, subscriber) = d.split_at(prefix);
        let (exchange, line) = subscriber.split_at(subscriber.len() - 4);
        if head.is_empty() {
            format!("{exchange}-{line}")
        } else {
            format!("{head}-{exchange}-{line}")
        }
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

/// The digits after the `82` country code, in domestic form: the trunk
/// `0` is added unless it was written as `+82 (0)…`. Only numbers that have
/// an area or mobile prefix are reachable this way; service numbers
/// (15xx…) cannot be dialled from abroad and so are refused with `+82`.
fn domestic(country_and_number: &str) -> Option<String> {
    let national = country_and_number.strip_prefix("82")?;
    if national.starts_with('0') {
        Some(national.to_owned())
    } else {
        Some(format!("0{national}"))
    }
}

/// The kind of a digit string in domestic form, or `None` when no accepted
/// range has that shape.
fn classify(d: &str) -> Option<PhoneKind> {
    let len = d.len();
    // A subscriber number never starts with 0 (that would dial a prefix),
    // so `02-0123-4567` is a typo. (Ranges starting with 1 are rare but
    // allocated in places, so they are not refused.)
    let subscriber_ok = |sub: &str| sub.starts_with(|c: char| ('1'..='9').contains(&c));
    if len == 8 && (d.starts_with("15") || d.starts_with("16") || d.starts_with("18")) {
        return Some(PhoneKind::Service);
    }
    if let Some(sub) = d.strip_prefix("02") {
        return ((sub.len() == 7 || sub.len() == 8) && subscriber_ok(sub))
            .then_some(PhoneKind::Seoul);
    }
    if let Some(sub) = d.strip_prefix("070") {
        return (sub.len() == 8 && subscriber_ok(sub)).then_some(PhoneKind::Internet);
    }
    if let Some(sub) = d.strip_prefix("010") {
        return (sub.len() == 8 && subscriber_ok(sub)).then_some(PhoneKind::Mobile);
    }
    let area = d.get(..3)?;
    let sub = d.get(3..)?;
    (AREA_CODES.contains(&area) && (sub.len() == 7 || sub.len() == 8) && subscriber_ok(sub))
        .then_some(PhoneKind::Area)
}

/// The number customers dial to reach the tenant's ARS (대표번호): any
/// [`PhoneKind`] that [`can_be_representative`](PhoneKind::can_be_representative).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct RepresentativeNumber(PhoneNumber);

impl RepresentativeNumber {
    pub fn parse(input: &str) -> Result<RepresentativeNumber, crate::ParseError> {
        let n = PhoneNumber::parse(input)?;
        if n.kind().can_be_representative() {
            Ok(RepresentativeNumber(n))
        } else {
            Err(Invalid::new(
                FieldCode::RepresentativeNumber,
                "A mobile number cannot be the representative number; use a 070, area-code or 15xx/16xx/18xx number.",
            ))
        }
    }

    pub fn number(&self) -> &PhoneNumber {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn formatted(&self) -> String {
        self.0.formatted()
    }
}

/// The number shown to customers on outbound calls (발신번호): any valid
/// number, mobiles included (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CallerId(PhoneNumber);

impl CallerId {
    pub fn parse(input: &str) -> Result<CallerId, crate::ParseError> {
        PhoneNumber::parse(input).map(CallerId)
    }

    pub fn number(&self) -> &PhoneNumber {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn formatted(&self) -> String {
        self.0.formatted()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> (String, String, PhoneKind) {
        let n = PhoneNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        (n.as_str().to_owned(), n.formatted(), n.kind())
    }

    #[test]
    fn real_shaped_numbers_are_normalised_and_formatted() {
        use PhoneKind::*;
        let cases = [
            ("070-1234-5678", "07012345678", "070-1234-5678", Internet),
            ("070 8765 4321", "07087654321", "070-8765-4321", Internet),
            ("07043210000", "07043210000", "070-4321-0000", Internet),
            ("02-123-4567", "021234567", "02-123-4567", Seoul),
            ("02-1234-5678", "0212345678", "02-1234-5678", Seoul),
            ("(02) 2100-2114", "0221002114", "02-2100-2114", Seoul),
            ("02)3456-7890", "0234567890", "02-3456-7890", Seoul),
            ("031-123-4567", "0311234567", "031-123-4567", Area),
            ("031-8000-1234", "03180001234", "031-8000-1234", Area),
            ("032.456.7890", "0324567890", "032-456-7890", Area),
            ("044-200-1234", "0442001234", "044-200-1234", Area),
            ("051-888-1234", "0518881234", "051-888-1234", Area),
            ("(064) 710-2114", "0647102114", "064-710-2114", Area),
            ("010-1234-5678", "01012345678", "010-1234-5678", Mobile),
            ("010 9999 0000", "01099990000", "010-9999-0000", Mobile),
            ("1588-1234", "15881234", "1588-1234", Service),
            ("1577 1000", "15771000", "1577-1000", Service),
            ("1644-0000", "16440000", "1644-0000", Service),
            ("1800.1188", "18001188", "1800-1188", Service),
            ("1899-5555", "18995555", "1899-5555", Service),
            ("  1544-9970  ", "15449970", "1544-9970", Service),
        ];
        for (input, digits, shown, kind) in cases {
            assert_eq!(
                ok(input),
                (digits.to_owned(), shown.to_owned(), kind),
                "{input}"
            );
        }
    }

    #[test]
    fn the_country_code_replaces_the_trunk_zero() {
        assert_eq!(ok("+82 10-1234-5678").0, "01012345678");
        assert_eq!(ok("+821012345678").0, "01012345678");
        assert_eq!(ok("+82 (0)2 1234 5678").0, "0212345678");
        assert_eq!(ok("+82-70-1234-5678").0, "07012345678");
        assert_eq!(ok("+82 31 123 4567").0, "0311234567");
        assert_eq!(ok("0082 2 123 4567").0, "021234567");
        // Service numbers cannot be reached from abroad.
        assert!(PhoneNumber::parse("+82 1588 1234").is_err());
        // Other countries are refused.
        assert!(PhoneNumber::parse("+1 212 555 1234").is_err());
        assert!(PhoneNumber::parse("+81 3 1234 5678").is_err());
    }

    #[test]
    fn other_shapes_are_refused_with_a_code() {
        for bad in [
            "12345",
            "02-12-3456",               // too short
            "02-12345-67890",           // too long
            "02-0123-4567",             // subscriber starts with 0
            "031-0123-4567",            // subscriber starts with 0
            "070-0123-4567",            // subscriber starts with 0
            "030-123-4567",             // no such area code
            "065-123-4567",             // no such area code
            "070-123-4567",             // 070 has 8 subscriber digits
            "010-123-4567",             // old 3-digit mobile exchange
            "011-123-4567",             // 2G prefixes are gone
            "080-123-4567",             // free-call: not accepted
            "0505-123-4567",            // personal numbers
            "060-700-1234",             // premium
            "1588-12345",               // service numbers have 8 digits
            "1688123",                  // too short
            "1700-1234",                // not a service range
            "1234-5678",                // not a service range
            "010-1234-5678 ext 2",      // letters
            "010/1234/5678",            // slash
            "０１０-１２３４-５６７８", // full-width digits
            "+",
            "82 10 1234 5678", // country code without +
            "+8210",
            "010-1234-5678-010-1234-5678-010-1234-5678",
        ] {
            let err = PhoneNumber::parse(bad).expect_err(bad);
            assert_eq!(err.code, FieldCode::PhoneNumber, "{bad}");
        }
        assert_eq!(
            PhoneNumber::parse("  ").unwrap_err().code,
            FieldCode::Required
        );
    }

    #[test]
    fn mobiles_are_caller_ids_but_not_representative_numbers() {
        for number in ["070-1234-5678", "02-123-4567", "051-123-4567", "1588-1234"] {
            assert!(RepresentativeNumber::parse(number).is_ok(), "{number}");
            assert!(CallerId::parse(number).is_ok(), "{number}");
        }
        let err = RepresentativeNumber::parse("010-1234-5678").unwrap_err();
        assert_eq!(err.code, FieldCode::RepresentativeNumber);
        assert_eq!(
            CallerId::parse("010-1234-5678").unwrap().formatted(),
            "010-1234-5678"
        );
        // A malformed number is a format error for both.
        assert_eq!(
            RepresentativeNumber::parse("abc").unwrap_err().code,
            FieldCode::PhoneNumber
        );
    }

    #[test]
    fn numbers_serialise_as_digits() {
        let n = RepresentativeNumber::parse("02-1234-5678").unwrap();
        assert_eq!(serde_json::to_value(&n).unwrap(), "0212345678");
        let c = CallerId::parse("010 1234 5678").unwrap();
        assert_eq!(serde_json::to_value(&c).unwrap(), "01012345678");
        assert_eq!(n.number().to_string(), "02-1234-5678");
    }

    #[test]
    fn formatting_then_parsing_gives_the_same_number() {
        for input in ["021234567", "0212345678", "0311234567", "15881234"] {
            let n = PhoneNumber::parse(input).unwrap();
            assert_eq!(PhoneNumber::parse(&n.formatted()).unwrap(), n);
        }
    }
}
