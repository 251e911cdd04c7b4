//! Requests and responses are the `http` crate's types; this module adds the
//! few helpers handlers use, as extension traits.
//!
//! - [`IncomingRequest`]: what an adapter hands the pipeline (body unread).
//! - [`Request`]: what a handler receives; the pipeline has read the body
//!   within the route's limit and put the path parameters and the peer
//!   address in the request's extensions.
//! - [`Response`]: a status, headers and a possibly streamed [`Body`].

use crate::{ApiError, Body};
use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::net::IpAddr;
use switchboard_domain::{ErrorCode, FieldCode, Invalid};

/// A request as it arrives, its body not yet read.
pub type IncomingRequest = http::Request<Body>;
/// A request as a handler sees it: the body read into memory.
pub type Request = http::Request<Bytes>;
pub type Response = http::Response<Body>;

/// The peer address as the runtime reports it (not forwarded headers); an
/// extension the adapters set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub IpAddr);

/// The path parameters the router captured, decoded; an extension.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathParams(pub Vec<(String, String)>);

/// Header lookups over a [`HeaderMap`] (names compare case-insensitively;
/// values that are not visible ASCII read as absent).
pub trait HeaderMapExt {
    /// The first value of a header.
    fn first(&self, name: &str) -> Option<&str>;
    /// The last value of a header. Spin appends its own `spin-*` headers
    /// after the client's, so for those the last value is the runtime's.
    fn last(&self, name: &str) -> Option<&str>;
    /// Every value of a header, in order, joined with `, ` (the form HTTP
    /// gives repeated list headers such as `X-Forwarded-For`).
    fn joined(&self, name: &str) -> Option<String>;
}

impl HeaderMapExt for HeaderMap {
    fn first(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.to_str().ok())
    }

    fn last(&self, name: &str) -> Option<&str> {
        self.get_all(name)
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
    }

    fn joined(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

/// What handlers ask of a request.
pub trait RequestExt {
    fn header(&self, name: &str) -> Option<&str>;
    fn peer_addr(&self) -> Option<IpAddr>;
    /// The raw query string, without `?`.
    fn query_str(&self) -> &str;
    /// The last value of a query parameter (later values win, as in most
    /// frameworks).
    fn query_param(&self, name: &str) -> Option<String>;
    /// A `true`/`false` query parameter: absent is `false`; anything else
    /// is 422 naming it (`?force=AAA` is a mistake, not a "no").
    fn query_flag(&self, name: &str) -> Result<bool, ApiError>;
    /// The query string as `T` (422 naming a field that does not fit).
    fn query<T: DeserializeOwned>(&self) -> Result<T, ApiError>;
    /// A path parameter captured by the router.
    fn param(&self, name: &str) -> Option<&str>;
    /// A path parameter parsed as a positive integer ID; anything else
    /// answers 404, because a malformed ID names no resource.
    fn id_param(&self, name: &str) -> Result<i64, ApiError>;
    /// The body as JSON of type `T`: 415 unless the content type is JSON, 400
    /// for malformed JSON, 422 naming the field for a value of the wrong
    /// shape. (The size limit is the route's, enforced while reading.)
    fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError>;
    /// The body as an `application/x-www-form-urlencoded` form of type `T`.
    fn form<T: DeserializeOwned>(&self) -> Result<T, ApiError>;
}

fn media_type(headers: &HeaderMap) -> &str {
    let content_type = headers.first("content-type").unwrap_or("");
    content_type.split(';').next().unwrap_or("").trim()
}

impl RequestExt for Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers().first(name)
    }

    fn peer_addr(&self) -> Option<IpAddr> {
        self.extensions().get::<PeerAddr>().map(|p| p.0)
    }

    fn query_str(&self) -> &str {
        self.uri().query().unwrap_or("")
    }

    fn query_param(&self, name: &str) -> Option<String> {
        crate::query_pairs(self.query_str())
            .into_iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    fn query_flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.query_param(name).as_deref() {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(_) => Err(ApiError::field(
                name,
                crate::Invalid::new(crate::FieldCode::InvalidChoice, "Use true or false.")
                    .with("options", "true, false"),
            )),
        }
    }

    fn query<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        crate::query::decode_form(self.query_str().as_bytes())
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.extensions()
            .get::<PathParams>()?
            .0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn id_param(&self, name: &str) -> Result<i64, ApiError> {
        self.param(name)
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v > 0)
            .ok_or_else(ApiError::not_found)
    }

    fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if !media_type(self.headers()).eq_ignore_ascii_case("application/json") {
            return Err(ApiError::unsupported_media_type("application/json"));
        }
        let mut value: serde_json::Value = serde_json::from_slice(self.body()).map_err(|e| {
            ApiError::bad_request(
                ErrorCode::InvalidJson,
                format!("The body is not valid JSON: {e}"),
            )
        })?;
        // serde reads a struct from an array too (`[null, null]`); every
        // JSON body this API takes is an object.
        if !value.is_object() {
            return Err(ApiError::field(
                "body",
                crate::Invalid::new(crate::FieldCode::InvalidValue, "Send a JSON object."),
            ));
        }
        integral_numbers(&mut value);
        serde_path_to_error::deserialize(value).map_err(json_error)
    }

    fn form<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if !media_type(self.headers()).eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            return Err(ApiError::unsupported_media_type(
                "application/x-www-form-urlencoded",
            ));
        }
        crate::query::decode_form(self.body())
    }
}

/// serde names a missing or unknown field in its message ("missing field
/// `x`"); this pulls it out, or says `body`.
pub(crate) fn field_named_in(text: &str) -> String {
    text.split('`')
        .nth(1)
        .filter(|f| !f.contains(' '))
        .unwrap_or("body")
        .to_owned()
}

/// Where in the document a value was refused, as the field map names it:
/// `rules.3.rule` for `rules[3].rule`. A missing or unknown field is the
/// one serde names, under the object it belongs to; any other refusal is the
/// value at the path. The path comes from the document's structure, never
/// from a value the client sent.
fn json_field(err: &serde_path_to_error::Error<serde_json::Error>, message: &str) -> String {
    let mut parts: Vec<String> = err
        .path()
        .iter()
        .filter_map(|seg| match seg {
            serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect();
    // serde's path ends at the unknown field itself, but at the object for a
    // missing one.
    if message.starts_with("missing field") {
        parts.push(field_named_in(message));
    }
    if parts.is_empty() {
        "body".to_owned()
    } else {
        parts.join(".")
    }
}

/// JSON does not tell `291` from `291.0` (JSON Schema calls both an
/// integer), so neither do we: a number with no fraction becomes an integer
/// before the body is read as its type, and `"files": 291.0` is 291 files.
fn integral_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            // Any whole float strictly inside i64's range (JSON Schema's
            // integers): ±2^63 are the first floats past it, and -2^63 is
            // also what `-9223372036854775809` rounds to, so it stays a
            // float (and is refused where an integer is wanted).
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f > -9.223_372_036_854_776e18
                && f < 9.223_372_036_854_776e18
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

fn json_error(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    use serde_json::error::Category;
    match err.inner().classify() {
        Category::Data => {
            let text = err.inner().to_string();
            let message = text.split(" at line").next().unwrap_or(&text).to_owned();
            let code = if message.starts_with("missing field") {
                FieldCode::Required
            } else if message.starts_with("unknown field") {
                FieldCode::UnknownField
            } else {
                FieldCode::InvalidValue
            };
            ApiError::field(&json_field(&err, &message), Invalid::new(code, message))
        }
        _ => ApiError::bad_request(
            ErrorCode::InvalidJson,
            format!("The body is not valid JSON: {}", err.inner()),
        ),
    }
}

/// How handlers build responses: `Response::ok(&value)`,
/// `Response::bytes(..).with_header(..)`.
pub trait ResponseExt: Sized {
    /// A JSON body. Serialising our own response types cannot fail; if it
    /// ever did, the client gets an empty object rather than a panic.
    fn json(status: StatusCode, value: &impl Serialize) -> Self;
    fn ok(value: &impl Serialize) -> Self {
        Self::json(StatusCode::OK, value)
    }
    fn created(value: &impl Serialize) -> Self {
        Self::json(StatusCode::CREATED, value)
    }
    fn no_content() -> Self;
    /// A 200 with a body of `content_type`, buffered or streamed.
    fn body_of(content_type: &'static str, body: impl Into<Body>) -> Self;
    /// Adds a header (our own values are always valid header text; one that
    /// is not is left out rather than failing the answer).
    fn with_header(self, name: HeaderName, value: &str) -> Self;
    fn with_status(self, status: StatusCode) -> Self;
    /// The first value of a header, as text.
    fn header_str(&self, name: &str) -> Option<&str>;
}

impl ResponseExt for Response {
    fn json(status: StatusCode, value: &impl Serialize) -> Self {
        let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        Self::body_of("application/json", body).with_status(status)
    }

    fn no_content() -> Self {
        Response::new(Body::empty()).with_status(StatusCode::NO_CONTENT)
    }

    fn body_of(content_type: &'static str, body: impl Into<Body>) -> Self {
        let mut resp = Response::new(body.into());
        resp.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        resp
    }

    fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers_mut().append(name, v);
        }
        self
    }

    fn with_status(mut self, status: StatusCode) -> Self {
        *self.status_mut() = status;
        self
    }

    fn header_str(&self, name: &str) -> Option<&str> {
        self.headers().first(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Login {
        login_id: String,
        password: String,
    }

    fn post(body: &'static str) -> Request {
        http::Request::post("/x")
            .header("Content-Type", "application/json; charset=utf-8")
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap()
    }

    #[test]
    fn a_missing_field_is_named_in_fields_with_its_code() {
        let err = post(r#"{"login_id":"a"}"#).json::<Login>().unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY, "{err:?}");
        assert_eq!(
            err.fields.keys().collect::<Vec<_>>(),
            ["password"],
            "{err:?}"
        );
        assert_eq!(err.fields["password"].code, FieldCode::Required);
        let err = post(r#"{"login_id":"a","password":"b","x":1}"#)
            .json::<Login>()
            .unwrap_err();
        assert_eq!(err.fields["x"].code, FieldCode::UnknownField);
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Rules {
        rules: Vec<Rule>,
        count: i64,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rule {
        rule: String,
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named_by_its_path_not_by_its_content() {
        let err = post(r#"{"rules":[],"count":"x`<img src=x>`"}"#)
            .json::<Rules>()
            .unwrap_err();
        assert_eq!(err.fields.keys().collect::<Vec<_>>(), ["count"]);
        assert_eq!(err.fields["count"].code, FieldCode::InvalidValue);
        let err = post(r#"{"rules":[{"rule":"a"},{"rule":7}],"count":1}"#)
            .json::<Rules>()
            .unwrap_err();
        assert_eq!(err.fields.keys().collect::<Vec<_>>(), ["rules.1.rule"]);
        let err = post(r#"{"rules":[{"rule":"a","extra":1}],"count":1}"#)
            .json::<Rules>()
            .unwrap_err();
        assert_eq!(err.fields.keys().collect::<Vec<_>>(), ["rules.0.extra"]);
        assert_eq!(err.fields["rules.0.extra"].code, FieldCode::UnknownField);
    }

    #[test]
    fn a_number_without_a_fraction_is_an_integer() {
        let rules = post(r#"{"rules":[],"count":291.0}"#)
            .json::<Rules>()
            .unwrap();
        assert_eq!(rules.count, 291);
        let err = post(r#"{"rules":[],"count":291.5}"#)
            .json::<Rules>()
            .unwrap_err();
        assert_eq!(err.fields["count"].code, FieldCode::InvalidValue);
    }

    #[test]
    fn malformed_json_is_a_400() {
        let err = post("{nope").json::<Login>().unwrap_err();
        assert_eq!(
            (err.status, err.code),
            (StatusCode::BAD_REQUEST, ErrorCode::InvalidJson)
        );
    }

    #[test]
    fn a_body_that_is_not_json_is_a_415() {
        let req = http::Request::post("/x").body(Bytes::from("a=b")).unwrap();
        assert_eq!(
            req.json::<Login>().unwrap_err().status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
    }

    #[test]
    fn the_last_query_value_wins() {
        let req = http::Request::get("/x?a=1&a=2").body(Bytes::new()).unwrap();
        assert_eq!(req.query_param("a").as_deref(), Some("2"));
        assert_eq!(req.query_param("b"), None);
    }

    #[test]
    fn a_malformed_id_names_no_resource() {
        let mut req = http::Request::get("/x").body(Bytes::new()).unwrap();
        req.extensions_mut()
            .insert(PathParams(vec![("id".into(), "12abc".into())]));
        assert_eq!(
            req.id_param("id").unwrap_err().status,
            StatusCode::NOT_FOUND
        );
    }

    #[test]
    fn repeated_headers_join_and_the_last_is_found() {
        let req = http::Request::get("/x")
            .header("x-forwarded-for", "1.1.1.1")
            .header("X-Forwarded-For", "2.2.2.2")
            .body(Bytes::new())
            .unwrap();
        let h = req.headers();
        assert_eq!(
            h.joined("x-forwarded-for").as_deref(),
            Some("1.1.1.1, 2.2.2.2")
        );
        assert_eq!(h.last("x-forwarded-for"), Some("2.2.2.2"));
        assert_eq!(h.first("x-forwarded-for"), Some("1.1.1.1"));
    }
}
