//! A small path router.
//!
//! Patterns are literal segments and `{name}` captures, written exactly as the
//! OpenAPI document writes paths, so a test can compare the two sets. Every
//! route carries metadata `M` that the application defines (who may call it,
//! its body limit, its summary); the router itself only matches.

use crate::{ApiError, Method, Request, Response};
use switchboard_storage::BoxFuture;

/// A route handler. Handlers are plain `async fn(&C, Request)` wrapped by the
/// [`handler!`](crate::handler) macro.
pub type Handler<C> = for<'a> fn(&'a C, Request) -> BoxFuture<'a, Result<Response, ApiError>>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Capture(&'static str),
}

pub struct Route<C, M> {
    pub method: Method,
    pub pattern: &'static str,
    pub meta: M,
    pub handler: Handler<C>,
    segments: Vec<Segment>,
}

pub struct Router<C, M> {
    routes: Vec<Route<C, M>>,
}

pub enum Match<'r, C, M> {
    Found(&'r Route<C, M>, Vec<(&'static str, String)>),
    /// The path exists, but not for this method.
    MethodNotAllowed(Vec<Method>),
    NotFound,
}

impl<C, M> Default for Router<C, M> {
    fn default() -> Self {
        Self { routes: Vec::new() }
    }
}

fn parse_pattern(pattern: &'static str) -> Vec<Segment> {
    pattern
        .trim_start_matches('/')
        .split('/')
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Capture(name),
                None => Segment::Literal(s.to_owned()),
            },
        )
        .collect()
}

impl<C, M> Router<C, M> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a route. Routes are matched in the order added, so a literal
    /// segment added first wins over a capture at the same place.
    pub fn route(
        mut self,
        method: Method,
        pattern: &'static str,
        meta: M,
        handler: Handler<C>,
    ) -> Self {
        self.routes.push(Route {
            method,
            pattern,
            meta,
            handler,
            segments: parse_pattern(pattern),
        });
        self
    }

    pub fn routes(&self) -> &[Route<C, M>] {
        &self.routes
    }

    pub fn find(&self, method: Method, path: &str) -> Match<'_, C, M> {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut allowed = Vec::new();
        for route in &self.routes {
            let Some(params) = matches(&route.segments, &parts) else {
                continue;
            };
            let head_as_get = method == Method::Head && route.method == Method::Get;
            if route.method == method || head_as_get {
                return Match::Found(route, params);
            }
            allowed.push(route.method);
        }
        if allowed.is_empty() {
            Match::NotFound
        } else {
            allowed.sort();
            allowed.dedup();
            Match::MethodNotAllowed(allowed)
        }
    }
}

fn matches(segments: &[Segment], parts: &[&str]) -> Option<Vec<(&'static str, String)>> {
    if segments.len() != parts.len() {
        return None;
    }
    let mut params = Vec::new();
    for (segment, part) in segments.iter().zip(parts) {
        match segment {
            Segment::Literal(lit) if lit == part => {}
            Segment::Capture(name) if !part.is_empty() => {
                params.push((*name, crate::percent_decode(part)));
            }
            _ => return None,
        }
    }
    Some(params)
}

/// Wraps an `async fn(&C, Request) -> Result<Response, ApiError>` as a
/// [`Handler`].
#[macro_export]
macro_rules! handler {
    ($f:path) => {
        |cx, req| ::std::boxed::Box::pin($f(cx, req))
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    async fn show(_: &(), req: Request) -> Result<Response, ApiError> {
        Ok(Response::ok(&req.param("id")))
    }

    async fn me(_: &(), _: Request) -> Result<Response, ApiError> {
        Ok(Response::ok(&"me"))
    }

    fn router() -> Router<(), ()> {
        Router::new()
            .route(Method::Get, "/api/users/me", (), handler!(me))
            .route(Method::Get, "/api/users/{id}", (), handler!(show))
            .route(Method::Delete, "/api/users/{id}", (), handler!(show))
    }

    /// Matches and runs a request the way the application's pipeline does.
    fn dispatch(method: Method, path: &str) -> Result<Response, ApiError> {
        let router = router();
        let mut req = Request::new(method, path);
        match router.find(method, path) {
            Match::Found(route, params) => {
                req.params = params;
                block_on((route.handler)(&(), req))
            }
            Match::MethodNotAllowed(allowed) => Err(ApiError::method_not_allowed(&allowed)),
            Match::NotFound => Err(ApiError::not_found()),
        }
    }

    fn get(path: &str) -> Result<Response, ApiError> {
        dispatch(Method::Get, path)
    }

    #[test]
    fn captures_and_decodes_parameters() {
        let resp = get("/api/users/a%20b").unwrap();
        assert_eq!(resp.json_body(), serde_json::json!("a b"));
    }

    #[test]
    fn earlier_literal_routes_win() {
        assert_eq!(
            get("/api/users/me").unwrap().json_body(),
            serde_json::json!("me")
        );
    }

    #[test]
    fn wrong_method_lists_the_allowed_ones() {
        let err = dispatch(Method::Post, "/api/users/7").unwrap_err();
        assert_eq!(err.status, 405);
        assert!(err.message.contains("GET, DELETE"), "{}", err.message);
    }

    #[test]
    fn unknown_paths_and_empty_captures_are_404() {
        assert_eq!(get("/api/users/").unwrap_err().status, 404);
        assert_eq!(get("/api/users/1/extra").unwrap_err().status, 404);
        assert_eq!(get("/nope").unwrap_err().status, 404);
    }

    #[test]
    fn head_is_served_by_get_routes() {
        let resp = dispatch(Method::Head, "/api/users/me");
        assert!(resp.is_ok());
    }
}
