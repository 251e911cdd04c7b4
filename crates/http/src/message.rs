//! Request and response values.

use crate::{ApiError, query_pairs};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
}

impl Method {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_uppercase().as_str() {
            "GET" => Self::Get,
            "HEAD" => Self::Head,
            "POST" => Self::Post,
            "PUT" => Self::Put,
            "PATCH" => Self::Patch,
            "DELETE" => Self::Delete,
            "OPTIONS" => Self::Options,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Head => "HEAD",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
        }
    }

    /// GET, HEAD and OPTIONS change nothing; everything else needs CSRF
    /// protection and leaves an audit record.
    pub fn is_safe(self) -> bool {
        matches!(self, Self::Get | Self::Head | Self::Options)
    }
}

/// An incoming request, already read into memory (adapters enforce
/// [`crate::MAX_BODY_BYTES`] while reading).
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    /// The path without the query string, percent-encoding intact.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    /// Header names are lower-case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The peer address as the runtime reports it (not forwarded headers).
    pub peer_addr: Option<IpAddr>,
    /// Path parameters, filled in by the router.
    pub params: Vec<(&'static str, String)>,
}

impl Request {
    pub fn new(method: Method, target: &str) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Self {
            method,
            path: path.to_owned(),
            query: query.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
            peer_addr: None,
            params: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    pub fn with_json(self, value: &impl Serialize) -> Self {
        let body = serde_json::to_vec(value).unwrap_or_default();
        self.with_header("content-type", "application/json")
            .with_body(body)
    }

    pub fn with_peer(mut self, addr: IpAddr) -> Self {
        self.peer_addr = Some(addr);
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Every value of a header, in order, joined with `, ` (the form HTTP
    /// gives repeated list headers such as `X-Forwarded-For`).
    pub fn header_values(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// The last value of a header. Spin appends its own `spin-*` headers
    /// after the client's, so for those the last value is the runtime's.
    pub fn last_header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query_pairs(&self) -> Vec<(String, String)> {
        query_pairs(&self.query)
    }

    /// The last value of a query parameter (later values win, as in most
    /// frameworks).
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// A path parameter captured by the router.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A path parameter parsed as an integer ID; anything else answers 404,
    /// because a malformed ID names no resource.
    pub fn id_param(&self, name: &str) -> Result<i64, ApiError> {
        self.param(name)
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v > 0)
            .ok_or_else(ApiError::not_found)
    }

    /// The body as JSON of type `T`: 415 unless the content type is JSON, 400
    /// for malformed JSON, 422 naming the field for a value of the wrong
    /// shape. (The size limit is the route's, checked before the handler.)
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let content_type = self.header("content-type").unwrap_or("");
        let mime = content_type.split(';').next().unwrap_or("").trim();
        if !mime.eq_ignore_ascii_case("application/json") {
            return Err(ApiError::unsupported_media_type("application/json"));
        }
        serde_json::from_slice(&self.body).map_err(json_error)
    }
}

/// The first value of a header (names compare case-insensitively).
fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn json_error(err: serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match err.classify() {
        Category::Data => {
            // serde names the field in its message: "missing field `x`" or
            // "unknown field `x`"; pull it out for the field map.
            let text = err.to_string();
            let field = text
                .split('`')
                .nth(1)
                .filter(|f| !f.contains(' '))
                .unwrap_or("body")
                .to_owned();
            let message = text.split(" at line").next().unwrap_or(&text).to_owned();
            ApiError::field(&field, message)
        }
        _ => ApiError::bad_request("invalid_json", format!("The body is not valid JSON: {err}")),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A JSON body. Serialising our own response types cannot fail; if it
    /// ever did, the client gets an empty object rather than a panic.
    pub fn json(status: u16, value: &impl Serialize) -> Self {
        let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        Self::new(status)
            .with_header("content-type", "application/json")
            .with_body(body)
    }

    pub fn ok(value: &impl Serialize) -> Self {
        Self::json(200, value)
    }

    pub fn created(value: &impl Serialize) -> Self {
        Self::json(201, value)
    }

    pub fn no_content() -> Self {
        Self::new(204)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Replaces every header of that name.
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
    }

    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body parsed as JSON, for tests and the dev tools.
    pub fn json_body(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
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

    fn post(body: &str) -> Request {
        Request::new(Method::Post, "/x")
            .with_header("Content-Type", "application/json; charset=utf-8")
            .with_body(body)
    }

    #[test]
    fn a_missing_field_is_named_in_fields() {
        let err = post(r#"{"login_id":"a"}"#).json::<Login>().unwrap_err();
        assert_eq!(err.status, 422);
        assert!(err.fields.contains_key("password"), "{err:?}");
    }

    #[test]
    fn malformed_json_is_a_400() {
        let err = post("{nope").json::<Login>().unwrap_err();
        assert_eq!((err.status, err.code.as_str()), (400, "invalid_json"));
    }

    #[test]
    fn a_body_that_is_not_json_is_a_415() {
        let req = Request::new(Method::Post, "/x").with_body("a=b");
        assert_eq!(req.json::<Login>().unwrap_err().status, 415);
    }

    #[test]
    fn the_last_query_value_wins() {
        let req = Request::new(Method::Get, "/x?a=1&a=2");
        assert_eq!(req.query_param("a").as_deref(), Some("2"));
        assert_eq!(req.query_param("b"), None);
    }

    #[test]
    fn a_malformed_id_names_no_resource() {
        let mut req = Request::new(Method::Get, "/x");
        req.params.push(("id", "12abc".into()));
        assert_eq!(req.id_param("id").unwrap_err().status, 404);
    }
}
