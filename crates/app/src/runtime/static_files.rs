//! Serving the web UI's files (UI-1) from a directory: `static/` natively,
//! the directory Spin mounts for the `web` component inside it.

use std::path::{Path, PathBuf};
use switchboard_http::{ApiError, Response, ResponseExt, header};

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Maps a URL path to a file below `root`, refusing anything that could step
/// outside it. `/` and directories serve their `index.html`.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = switchboard_http::decode_path(url_path);
    let mut path = root.to_path_buf();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part == "." || part == ".." || part.contains('\\') || part.starts_with('.') {
            return None;
        }
        path.push(part);
    }
    if path.is_dir() {
        path.push("index.html");
    }
    Some(path)
}

/// The file for `url_path`, or a 404 (as JSON: the UI's API client reads it).
pub fn serve(root: &Path, url_path: &str) -> Result<Response, ApiError> {
    let path = resolve(root, url_path).ok_or_else(ApiError::not_found)?;
    let body = std::fs::read(&path).map_err(|_| ApiError::not_found())?;
    let cache = if path.extension().is_some_and(|e| e == "html") {
        "no-cache"
    } else {
        "public, max-age=300"
    };
    Ok(Response::body_of(content_type(&path), body).with_header(header::CACHE_CONTROL, cache))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_root() {
        let root = Path::new("/srv/static");
        assert!(resolve(root, "/../etc/passwd").is_none());
        assert!(resolve(root, "/a/%2e%2e/%2e%2e/etc/passwd").is_none());
        assert!(resolve(root, "/.git/config").is_none());
        assert_eq!(
            resolve(root, "/js/app.js"),
            Some(PathBuf::from("/srv/static/js/app.js"))
        );
    }
}
