//! The route table, matched by `matchit` (the radix router under axum).
//!
//! Patterns use `{name}` captures, exactly as the OpenAPI document writes
//! paths, so a test can compare the two sets. A literal segment beats a
//! capture at the same place (`/api/users/me` before `/api/users/{id}`).
//! Every route carries metadata `M` that the application defines (who may
//! call it, its body limit, its summary); the router itself only matches.

use crate::{ApiError, Request, Response};
use http::Method;
use switchboard_storage::BoxFuture;

/// A route handler. Handlers are plain `async fn(&C, Request)` wrapped by the
/// [`handler!`](crate::handler) macro.
pub type Handler<C> = for<'a> fn(&'a C, Request) -> BoxFuture<'a, Result<Response, ApiError>>;

pub struct Route<C, M> {
    pub method: Method,
    pub pattern: &'static str,
    pub meta: M,
    pub handler: Handler<C>,
}

pub struct Router<C, M> {
    routes: Vec<Route<C, M>>,
    /// Pattern → indices into `routes` (one per method).
    matcher: matchit::Router<Vec<usize>>,
    /// Patterns matchit refused (a conflict); a test requires none.
    errors: Vec<String>,
}

pub enum Match<'r, C, M> {
    Found(&'r Route<C, M>, Vec<(String, String)>),
    /// The path exists, but not for this method: the routes it has.
    MethodNotAllowed(Vec<&'r Route<C, M>>),
    NotFound,
}

impl<C, M> Default for Router<C, M> {
    fn default() -> Self {
        Self {
            routes: Vec::new(),
            matcher: matchit::Router::new(),
            errors: Vec::new(),
        }
    }
}

impl<C, M> Router<C, M> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a route.
    pub fn route(
        mut self,
        method: Method,
        pattern: &'static str,
        meta: M,
        handler: Handler<C>,
    ) -> Self {
        let idx = self.routes.len();
        self.routes.push(Route {
            method,
            pattern,
            meta,
            handler,
        });
        let known = self
            .routes
            .iter()
            .take(idx)
            .position(|r| r.pattern == pattern);
        match known {
            Some(_) => {
                if let Ok(m) = self.matcher.at_mut(pattern) {
                    m.value.push(idx);
                }
            }
            None => {
                if let Err(e) = self.matcher.insert(pattern, vec![idx]) {
                    self.errors.push(format!("{pattern}: {e}"));
                }
            }
        }
        self
    }

    pub fn routes(&self) -> &[Route<C, M>] {
        &self.routes
    }

    /// Patterns that could not be added (conflicting captures).
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    /// The route for `method` and `path` (`path` as sent, escapes intact; the
    /// captured parameters come back decoded). HEAD is served by GET routes.
    pub fn find(&self, method: &Method, path: &str) -> Match<'_, C, M> {
        let Ok(found) = self.matcher.at(path) else {
            return Match::NotFound;
        };
        let candidates = || found.value.iter().filter_map(|i| self.routes.get(*i));
        let chosen = candidates().find(|r| r.method == *method).or_else(|| {
            (*method == Method::HEAD)
                .then(|| candidates().find(|r| r.method == Method::GET))
                .flatten()
        });
        match chosen {
            Some(route) => Match::Found(
                route,
                found
                    .params
                    .iter()
                    .map(|(k, v)| (k.to_owned(), crate::decode_path(v)))
                    .collect(),
            ),
            None => Match::MethodNotAllowed(candidates().collect()),
        }
    }
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
    use crate::{PathParams, RequestExt, ResponseExt};
    use bytes::Bytes;
    use futures::executor::block_on;

    async fn show(_: &(), req: Request) -> Result<Response, ApiError> {
        Ok(Response::ok(&req.param("id")))
    }

    async fn me(_: &(), _: Request) -> Result<Response, ApiError> {
        Ok(Response::ok(&"me"))
    }

    fn router() -> Router<(), ()> {
        Router::new()
            .route(Method::GET, "/api/users/{id}", (), handler!(show))
            .route(Method::GET, "/api/users/me", (), handler!(me))
            .route(Method::DELETE, "/api/users/{id}", (), handler!(show))
    }

    /// Matches and runs a request the way the application's pipeline does.
    fn dispatch(method: Method, path: &str) -> Result<serde_json::Value, ApiError> {
        let router = router();
        assert!(router.errors().is_empty(), "{:?}", router.errors());
        match router.find(&method, path) {
            Match::Found(route, params) => {
                let mut req = http::Request::new(Bytes::new());
                req.extensions_mut().insert(PathParams(params));
                let resp = block_on((route.handler)(&(), req))?;
                let body = block_on(resp.into_body().collect()).unwrap();
                Ok(serde_json::from_slice(&body).unwrap())
            }
            Match::MethodNotAllowed(routes) => {
                let allowed: Vec<Method> = routes.iter().map(|r| r.method.clone()).collect();
                Err(ApiError::method_not_allowed(&allowed))
            }
            Match::NotFound => Err(ApiError::not_found()),
        }
    }

    fn get(path: &str) -> Result<serde_json::Value, ApiError> {
        dispatch(Method::GET, path)
    }

    #[test]
    fn captures_and_decodes_parameters() {
        assert_eq!(get("/api/users/a%20b").unwrap(), serde_json::json!("a b"));
    }

    #[test]
    fn literal_segments_win_over_captures() {
        assert_eq!(get("/api/users/me").unwrap(), serde_json::json!("me"));
    }

    #[test]
    fn wrong_method_lists_the_allowed_ones() {
        let err = dispatch(Method::POST, "/api/users/7").unwrap_err();
        assert_eq!(err.status, http::StatusCode::METHOD_NOT_ALLOWED);
        assert!(err.message.contains("GET, DELETE"), "{}", err.message);
        let resp = err.into_response();
        assert_eq!(resp.header_str("allow"), Some("GET, DELETE"));
    }

    #[test]
    fn unknown_paths_and_empty_captures_are_404() {
        assert_eq!(get("/api/users/").unwrap_err().status, 404);
        assert_eq!(get("/api/users/1/extra").unwrap_err().status, 404);
        assert_eq!(get("/nope").unwrap_err().status, 404);
    }

    #[test]
    fn head_is_served_by_get_routes() {
        assert!(dispatch(Method::HEAD, "/api/users/me").is_ok());
    }
}
