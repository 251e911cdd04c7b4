//! `application/x-www-form-urlencoded` decoding for query strings and form
//! bodies (the Twilio-style call flow posts forms), on `serde_urlencoded`,
//! and percent-decoding of path segments on `percent-encoding`.

use crate::ApiError;
use serde::de::DeserializeOwned;
use switchboard_domain::{FieldCode, Invalid};

/// Decoded `name=value` pairs in order; a malformed escape is kept as typed.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// A query string or form body as `T`: 422 naming the field when a value
/// does not fit.
pub fn decode_form<T: DeserializeOwned>(input: &[u8]) -> Result<T, ApiError> {
    serde_urlencoded::from_bytes(input).map_err(|e| {
        let text = e.to_string();
        let field = crate::message::field_named_in(&text);
        let code = if text.starts_with("missing field") {
            FieldCode::Required
        } else if text.starts_with("unknown field") {
            FieldCode::UnknownField
        } else {
            FieldCode::InvalidValue
        };
        ApiError::field(&field, Invalid::new(code, text))
    })
}

/// A path segment with `%XX` escapes decoded (invalid UTF-8 replaced).
pub fn decode_path(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_plus_in_pairs_in_order() {
        assert_eq!(
            query_pairs("b=2&a=x%20y+z&flag&&c=%3D&k=%ED%95%9C"),
            vec![
                ("b".into(), "2".into()),
                ("a".into(), "x y z".into()),
                ("flag".into(), String::new()),
                ("c".into(), "=".into()),
                ("k".into(), "한".into()),
            ]
        );
    }

    #[test]
    fn path_segments_decode_escapes_but_not_plus() {
        assert_eq!(decode_path("a%20b+c"), "a b+c");
        assert_eq!(decode_path("%2e%2e"), "..");
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Form {
        #[serde(rename = "CallSid")]
        call_sid: String,
        digits: Option<u8>,
    }

    #[test]
    fn a_form_decodes_into_a_type_and_names_a_bad_field() {
        let f: Form = decode_form(b"CallSid=CA1&digits=3").unwrap();
        assert_eq!((f.call_sid.as_str(), f.digits), ("CA1", Some(3)));
        let err = decode_form::<Form>(b"digits=3").unwrap_err();
        assert_eq!(err.fields["CallSid"].code, FieldCode::Required);
    }
}
