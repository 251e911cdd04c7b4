//! [`HttpClient`] natively: one hyper 1 client connection per request over a
//! tokio `TcpStream`, for the dev server (the provider's recordings, TEL-4).
//!
//! Plain `http://` only: the dev server talks to the provider simulator or
//! a local test server. Fetching from a real provider over `https://` needs
//! Spin (whose host does TLS) or a TLS-enabled build of this client; such a
//! URL is refused here as [`OutboundError::Unsupported`], never sent in the
//! clear. Redirects are not followed. The answer's body streams: each chunk
//! is handed on as it arrives, and a server that stalls for
//! [`BETWEEN_CHUNKS`] ends the body with an error.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::time::Duration;
use switchboard_http::{
    Body, BodyError, HeaderValue, HttpClient, OutboundError, OutboundRequest, Response, header,
};
use switchboard_storage::BoxFuture;
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Connecting to the server.
const CONNECT: Duration = Duration::from_secs(5);
/// From sending the request to the answer's head.
const FIRST_BYTE: Duration = Duration::from_secs(15);
/// Between two chunks of the answer's body.
const BETWEEN_CHUNKS: Duration = Duration::from_secs(30);

#[derive(Debug, Default, Clone, Copy)]
pub struct NativeHttpClient;

impl HttpClient for NativeHttpClient {
    fn send(&self, req: OutboundRequest) -> BoxFuture<'_, Result<Response, OutboundError>> {
        Box::pin(send(req))
    }
}

async fn send(req: OutboundRequest) -> Result<Response, OutboundError> {
    let uri = req.uri().clone();
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => {
            return Err(OutboundError::Unsupported(
                "https needs Spin (or a TLS-enabled dev server build)".into(),
            ));
        }
        _ => return Err(OutboundError::Unsupported("not an http URL".into())),
    }
    let (Some(authority), Some(host)) = (uri.authority(), uri.host()) else {
        return Err(OutboundError::Unsupported("a URL without a host".into()));
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(80);
    let stream = timeout(CONNECT, TcpStream::connect((host, port)))
        .await
        .map_err(|_| OutboundError::Timeout)?
        .map_err(|e| OutboundError::Unreachable(e.to_string()))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| OutboundError::Unreachable(e.to_string()))?;
    tokio::spawn(async move {
        // Ends when the answer is read (or the reader gives up).
        let _ = conn.await;
    });
    let (mut parts, body) = req.into_parts();
    let host_header = HeaderValue::from_str(authority.as_str())
        .map_err(|e| OutboundError::Unsupported(e.to_string()))?;
    parts.headers.insert(header::HOST, host_header);
    // HTTP/1.1 sends the path (origin form), not the absolute URL.
    parts.uri = uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .parse()
        .map_err(|e: http::uri::InvalidUri| OutboundError::Unsupported(e.to_string()))?;
    let resp = timeout(
        FIRST_BYTE,
        sender.send_request(http::Request::from_parts(parts, Full::new(body))),
    )
    .await
    .map_err(|_| OutboundError::Timeout)?
    .map_err(|e| OutboundError::Unreachable(e.to_string()))?;
    let (parts, incoming) = resp.into_parts();
    Ok(Response::from_parts(parts, streamed(incoming, sender)))
}

/// The answer's body as it arrives. The connection's sender is kept with
/// it, so the connection lives until the body is read or dropped.
fn streamed<S: 'static>(incoming: Incoming, sender: S) -> Body {
    Body::from_stream(futures::stream::unfold(
        Some((incoming, sender)),
        |state| async move {
            let (mut body, sender) = state?;
            loop {
                match timeout(BETWEEN_CHUNKS, body.frame()).await {
                    Err(_) => {
                        return Some((Err(BodyError("the server stopped sending".into())), None));
                    }
                    Ok(None) => return None,
                    Ok(Some(Err(e))) => return Some((Err(BodyError(e.to_string())), None)),
                    Ok(Some(Ok(frame))) => {
                        if let Ok(data) = frame.into_data() {
                            return Some((Ok::<Bytes, BodyError>(data), Some((body, sender))));
                        }
                    }
                }
            }
        },
    ))
}

use switchboard_http::http;

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use http_body_util::StreamBody;
    use hyper::body::Frame;
    use hyper::server::conn::http1;
    use hyper::service::service_fn;
    use std::convert::Infallible;
    use std::net::SocketAddr;
    use std::sync::{Arc, Mutex};

    const CHUNK: usize = 64 * 1024;
    const CHUNKS: usize = 64; // 4 MiB

    fn byte(i: usize) -> u8 {
        (i % 251) as u8
    }

    type Seen = Arc<Mutex<Vec<(String, Option<String>, Option<String>)>>>;

    /// A file server on a random port: `CHUNKS` × `CHUNK` bytes, sent as a
    /// stream; honours `Range: bytes=a-b`. Records each request's path,
    /// `Authorization` and `Host`.
    async fn file_server() -> (SocketAddr, Seen) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Seen = Arc::default();
        let log = seen.clone();
        tokio::spawn(async move {
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                let log = log.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<Incoming>| {
                        let h = |n| {
                            req.headers()
                                .get(n)
                                .and_then(|v: &HeaderValue| v.to_str().ok())
                                .map(str::to_owned)
                        };
                        log.lock().unwrap().push((
                            req.uri().to_string(),
                            h("authorization"),
                            h("host"),
                        ));
                        let total = CHUNK * CHUNKS;
                        let range = h("range").and_then(|r| {
                            let (a, b) = r.strip_prefix("bytes=")?.split_once('-')?;
                            Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?))
                        });
                        let (start, end) = range.unwrap_or((0, total - 1));
                        let data: Vec<u8> = (start..=end).map(byte).collect();
                        let chunks: Vec<Result<Frame<Bytes>, Infallible>> = data
                            .chunks(CHUNK)
                            .map(|c| Ok(Frame::data(Bytes::copy_from_slice(c))))
                            .collect();
                        let mut resp =
                            hyper::Response::new(StreamBody::new(futures::stream::iter(chunks)));
                        let hs = resp.headers_mut();
                        hs.insert("content-length", (end - start + 1).into());
                        if range.is_some() {
                            *resp.status_mut() = hyper::StatusCode::PARTIAL_CONTENT;
                            resp.headers_mut().insert(
                                "content-range",
                                HeaderValue::from_str(&format!("bytes {start}-{end}/{total}"))
                                    .unwrap(),
                            );
                        }
                        async move { Ok::<_, Infallible>(resp) }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        (addr, seen)
    }

    fn get(url: &str, range: Option<&str>) -> OutboundRequest {
        let mut b = http::Request::get(url).header("authorization", "Bearer t0ken");
        if let Some(r) = range {
            b = b.header("range", r);
        }
        b.body(Bytes::new()).unwrap()
    }

    #[tokio::test]
    async fn streams_a_file_from_a_local_server_in_chunks() {
        let (addr, seen) = file_server().await;
        let resp = NativeHttpClient
            .send(get(&format!("http://{addr}/r/1.mp3?x=1"), None))
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let body = resp.into_body();
        assert!(!body.is_buffered(), "the body streams");
        let mut stream = std::pin::pin!(http_body_util::BodyDataStream::new(body));
        let (mut n, mut chunks) = (0usize, 0usize);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.unwrap();
            assert!(
                chunk.len() < CHUNK * CHUNKS / 4,
                "no chunk is the whole file"
            );
            assert!(chunk.iter().enumerate().all(|(i, b)| *b == byte(n + i)));
            n += chunk.len();
            chunks += 1;
        }
        assert_eq!(n, CHUNK * CHUNKS);
        assert!(chunks > 1);
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].0, "/r/1.mp3?x=1", "origin-form target");
        assert_eq!(seen[0].1.as_deref(), Some("Bearer t0ken"));
        assert_eq!(seen[0].2, Some(addr.to_string()));
    }

    #[tokio::test]
    async fn passes_a_range_and_the_partial_answer_back() {
        let (addr, _) = file_server().await;
        let resp = NativeHttpClient
            .send(get(
                &format!("http://{addr}/r/1.mp3"),
                Some("bytes=100-199"),
            ))
            .await
            .unwrap();
        assert_eq!(resp.status(), 206);
        assert_eq!(
            resp.headers()["content-range"],
            format!("bytes 100-199/{}", CHUNK * CHUNKS)
        );
        let body = resp.into_body().collect().await.unwrap();
        assert_eq!(body.to_vec(), (100..200).map(byte).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_closed_port_is_unreachable_and_https_is_not_sent() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let err = NativeHttpClient
            .send(get(&format!("http://127.0.0.1:{port}/x"), None))
            .await
            .unwrap_err();
        assert!(matches!(err, OutboundError::Unreachable(_)), "{err}");
        let err = NativeHttpClient
            .send(get("https://127.0.0.1:1/x", None))
            .await
            .unwrap_err();
        assert!(matches!(err, OutboundError::Unsupported(_)), "{err}");
    }
}
