//! Just enough HTTP/1.1 for a development server: a request line, headers, a
//! `Content-Length` body (no chunked uploads), and a response with
//! `Connection: close`.

use std::io::{BufRead, Write};
use switchboard_http::{ApiError, MAX_BODY_BYTES, Method, Request, Response};

const MAX_HEADER_BYTES: usize = 64 * 1024;

fn bad(message: &str) -> Response {
    ApiError::bad_request("bad_request", message).into_response()
}

/// Reads one request; `Ok(None)` when the client closed without sending one.
pub fn read_request(reader: &mut impl BufRead) -> Result<Option<Request>, Response> {
    let mut line = String::new();
    let mut header_bytes = 0;
    if reader
        .read_line(&mut line)
        .map_err(|_| bad("unreadable request"))?
        == 0
    {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(bad("malformed request line"));
    };
    let method =
        Method::parse(method).ok_or_else(|| ApiError::method_not_allowed(&[]).into_response())?;
    let mut req = Request::new(method, target);
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .map_err(|_| bad("unreadable headers"))?;
        header_bytes += n;
        if header_bytes > MAX_HEADER_BYTES {
            return Err(bad("headers too large"));
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if n == 0 || trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            req = req.with_header(name.trim(), value.trim());
        }
    }
    if req
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        return Err(
            ApiError::new(411, "length_required", "Send a Content-Length body.").into_response(),
        );
    }
    let length = match req.header("content-length") {
        None => 0,
        Some(v) => v.parse::<usize>().map_err(|_| bad("bad Content-Length"))?,
    };
    if length > MAX_BODY_BYTES {
        return Err(ApiError::payload_too_large(MAX_BODY_BYTES).into_response());
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|_| bad("body shorter than Content-Length"))?;
    req.body = body;
    Ok(Some(req))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "",
    }
}

pub fn write_response(out: &mut impl Write, resp: &Response) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (name, value) in &resp.headers {
        if name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("connection") {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        resp.body.len()
    ));
    out.write_all(head.as_bytes())?;
    out.write_all(&resp.body)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_request_with_a_body() {
        let raw = b"POST /api/x?a=1 HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        let req = read_request(&mut &raw[..]).unwrap().unwrap();
        assert_eq!(
            (req.method, req.path.as_str(), req.query.as_str()),
            (Method::Post, "/api/x", "a=1")
        );
        assert_eq!(req.header("content-type"), Some("application/json"));
        assert_eq!(req.body, b"{}");
    }

    #[test]
    fn refuses_chunked_and_oversized_bodies() {
        let chunked = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(read_request(&mut &chunked[..]).unwrap_err().status, 411);
        let huge = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        assert_eq!(read_request(&mut huge.as_bytes()).unwrap_err().status, 413);
    }
}
