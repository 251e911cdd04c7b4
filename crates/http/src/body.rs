//! Message bodies that may be streamed.
//!
//! A [`Body`] is either one buffer or a stream of chunks. Request bodies
//! arrive as streams from the runtime and are read by the pipeline only after
//! the route is known, with that route's limit enforced *while* reading
//! ([`Body::read_limited`]): a chunked upload far over the limit is refused
//! after at most `limit + one chunk` bytes, never buffered whole. Response
//! bodies stream the same way (recordings, ZIPs, exports of 100 000 rows), so
//! nothing large ever sits whole in a component's memory.
//!
//! `Body` implements [`http_body::Body`], which is what both spin-sdk 6 and
//! hyper 1 take, so each adapter hands it over unchanged.

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream::LocalBoxStream;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A failure while producing or reading a body (a broken connection, a
/// storage error half-way through an export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError(pub String);

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "body: {}", self.0)
    }
}

impl std::error::Error for BodyError {}

enum Kind {
    Full(Option<Bytes>),
    Stream(LocalBoxStream<'static, Result<Bytes, BodyError>>),
}

/// A request or response body: one buffer, or a stream of chunks.
pub struct Body(Kind);

/// How long an incoming body may take to arrive whole, from its first read
/// (issue 14, finding 2). 120 s carries the largest body any route takes
/// (a 5 MiB prompt upload) at 350 kbit/s; a client slower than that, or
/// trickling on purpose, is answered `400 unreadable_body`.
pub const BODY_DEADLINE: std::time::Duration = std::time::Duration::from_secs(120);

/// Why [`Body::read_limited`] stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// More than the limit arrived (or was announced).
    TooLarge,
    /// The stream failed.
    Broken(BodyError),
}

impl Body {
    pub fn empty() -> Self {
        Body(Kind::Full(None))
    }

    /// A body produced chunk by chunk. The stream is polled only as fast as
    /// the client reads, so a producer holds one chunk at a time.
    pub fn from_stream(stream: impl Stream<Item = Result<Bytes, BodyError>> + 'static) -> Self {
        Body(Kind::Stream(stream.boxed_local()))
    }

    /// Wraps any `http_body::Body` (a runtime's incoming body) as a stream of
    /// its data frames; trailers are ignored.
    pub fn wrap<B>(body: B) -> Self
    where
        B: http_body::Body + 'static,
        B::Data: Into<Bytes>,
        B::Error: fmt::Display,
    {
        let frames = futures_util::stream::unfold(Box::pin(body), |mut body| async move {
            loop {
                let frame = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await?;
                match frame {
                    Ok(frame) => match frame.into_data() {
                        Ok(data) => return Some((Ok(data.into()), body)),
                        Err(_trailers) => continue,
                    },
                    Err(e) => return Some((Err(BodyError(e.to_string())), body)),
                }
            }
        });
        Self::from_stream(frames)
    }

    /// At most `max` bytes of this body: a chunk past it is cut and the
    /// stream ends there (a relay passing on no more than it promised).
    pub fn limited(self, max: u64) -> Body {
        let cap = usize::try_from(max).unwrap_or(usize::MAX);
        match self.0 {
            Kind::Full(None) => Body::empty(),
            Kind::Full(Some(b)) => Body(Kind::Full(Some(b.slice(..b.len().min(cap))))),
            Kind::Stream(stream) => Body::from_stream(futures_util::stream::unfold(
                (stream, cap),
                |(mut stream, left)| async move {
                    if left == 0 {
                        return None;
                    }
                    match stream.next().await? {
                        Ok(mut chunk) => {
                            chunk.truncate(left);
                            let left = left - chunk.len();
                            Some((Ok(chunk), (stream, left)))
                        }
                        Err(e) => Some((Err(e), (stream, 0))),
                    }
                },
            )),
        }
    }

    /// This body, failing with "took too long" if it has not ended when
    /// `deadline` resolves: an incoming body must arrive whole within
    /// [`BODY_DEADLINE`], so a client that trickles a byte at a time holds
    /// its request (and the part already buffered) for no longer than that.
    /// The runtime adapter gives the timer (Spin's monotonic clock, tokio's
    /// sleep natively); the timer starts when the body is first read.
    pub fn with_deadline(self, deadline: impl std::future::Future<Output = ()> + 'static) -> Body {
        let Kind::Stream(stream) = self.0 else {
            return self;
        };
        let deadline: Pin<Box<dyn std::future::Future<Output = ()>>> = Box::pin(deadline);
        Body::from_stream(futures_util::stream::unfold(
            Some((stream, deadline)),
            |state| async move {
                let (mut stream, mut deadline) = state?;
                let next =
                    match futures_util::future::select(stream.next(), deadline.as_mut()).await {
                        futures_util::future::Either::Left((next, _)) => Some(next),
                        futures_util::future::Either::Right(((), _)) => None,
                    };
                match next {
                    Some(Some(chunk)) => Some((chunk, Some((stream, deadline)))),
                    Some(None) => None,
                    None => Some((
                        Err(BodyError("the request body took too long to arrive".into())),
                        None,
                    )),
                }
            },
        ))
    }

    /// The next chunk, or `None` at the end: for a producer that passes a
    /// body on piece by piece (the recordings ZIP).
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, BodyError>> {
        match &mut self.0 {
            Kind::Full(b) => b.take().map(Ok),
            Kind::Stream(stream) => stream.next().await,
        }
    }

    /// Whether the body is known to be one buffer (not a stream).
    pub fn is_buffered(&self) -> bool {
        matches!(self.0, Kind::Full(_))
    }

    /// Reads the whole body, refusing it as soon as more than `limit` bytes
    /// have arrived.
    pub async fn read_limited(self, limit: usize) -> Result<Bytes, ReadError> {
        match self.0 {
            Kind::Full(None) => Ok(Bytes::new()),
            Kind::Full(Some(b)) if b.len() > limit => Err(ReadError::TooLarge),
            Kind::Full(Some(b)) => Ok(b),
            Kind::Stream(mut stream) => {
                let mut buf = Vec::new();
                while let Some(chunk) = stream.next().await {
                    let chunk = chunk.map_err(ReadError::Broken)?;
                    if buf.len() + chunk.len() > limit {
                        return Err(ReadError::TooLarge);
                    }
                    buf.extend_from_slice(&chunk);
                }
                Ok(Bytes::from(buf))
            }
        }
    }

    /// Reads the whole body without a limit: for tests and for bodies the
    /// application produced itself.
    pub async fn collect(self) -> Result<Bytes, BodyError> {
        self.read_limited(usize::MAX).await.map_err(|e| match e {
            ReadError::TooLarge => BodyError("too large".into()),
            ReadError::Broken(e) => e,
        })
    }
}

impl Default for Body {
    fn default() -> Self {
        Self::empty()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Full(b) => write!(f, "Body({} bytes)", b.as_ref().map_or(0, Bytes::len)),
            Kind::Stream(_) => f.write_str("Body(stream)"),
        }
    }
}

impl From<Bytes> for Body {
    fn from(b: Bytes) -> Self {
        Body(Kind::Full((!b.is_empty()).then_some(b)))
    }
}

impl From<Vec<u8>> for Body {
    fn from(b: Vec<u8>) -> Self {
        Bytes::from(b).into()
    }
}

impl From<String> for Body {
    fn from(s: String) -> Self {
        Bytes::from(s).into()
    }
}

impl From<&'static str> for Body {
    fn from(s: &'static str) -> Self {
        Bytes::from_static(s.as_bytes()).into()
    }
}

impl From<&'static [u8]> for Body {
    fn from(s: &'static [u8]) -> Self {
        Bytes::from_static(s).into()
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BodyError>>> {
        match &mut self.get_mut().0 {
            Kind::Full(b) => Poll::Ready(b.take().map(|b| Ok(http_body::Frame::data(b)))),
            Kind::Stream(s) => s
                .poll_next_unpin(cx)
                .map(|c| c.map(|r| r.map(http_body::Frame::data))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.0, Kind::Full(None))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match &self.0 {
            Kind::Full(b) => {
                http_body::SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64))
            }
            Kind::Stream(_) => http_body::SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    fn chunks(n: usize, size: usize) -> Body {
        Body::from_stream(futures_util::stream::iter(
            (0..n).map(move |_| Ok(Bytes::from(vec![b'x'; size]))),
        ))
    }

    #[test]
    fn a_buffer_exactly_at_the_limit_is_read() {
        assert_eq!(
            block_on(Body::from(vec![7u8; 10]).read_limited(10))
                .unwrap()
                .len(),
            10
        );
    }

    #[test]
    fn limited_passes_on_no_more_than_it_promised() {
        let cut = block_on(chunks(3, 10).limited(25).collect()).unwrap();
        assert_eq!(cut.len(), 25);
        assert_eq!(
            block_on(chunks(3, 10).limited(30).collect()).unwrap().len(),
            30
        );
        assert_eq!(
            block_on(chunks(3, 10).limited(0).collect()).unwrap().len(),
            0
        );
        assert_eq!(
            block_on(Body::from("abcdef").limited(3).collect()).unwrap(),
            Bytes::from("abc")
        );
    }

    #[test]
    fn next_chunk_hands_out_each_chunk_then_none() {
        let mut stream = chunks(2, 4);
        assert_eq!(block_on(stream.next_chunk()).unwrap().unwrap().len(), 4);
        assert_eq!(block_on(stream.next_chunk()).unwrap().unwrap().len(), 4);
        assert!(block_on(stream.next_chunk()).is_none());
        let mut buffer = Body::from("x");
        assert_eq!(
            block_on(buffer.next_chunk()).unwrap().unwrap(),
            Bytes::from("x")
        );
        assert!(block_on(buffer.next_chunk()).is_none());
    }

    #[test]
    fn a_body_says_what_it_is() {
        assert!(Body::from("x").is_buffered());
        assert!(!chunks(1, 1).is_buffered());
        assert_eq!(format!("{:?}", Body::from("abc")), "Body(3 bytes)");
        assert_eq!(format!("{:?}", chunks(1, 1)), "Body(stream)");
        assert_eq!(BodyError("cut".into()).to_string(), "body: cut");
        assert_eq!(
            block_on(Body::from(String::from("한글")).collect()).unwrap(),
            Bytes::from("한글")
        );
        assert_eq!(
            block_on(Body::from(&b"raw"[..]).collect()).unwrap(),
            Bytes::from("raw")
        );
        assert_eq!(block_on(Body::empty().collect()).unwrap(), Bytes::new());
    }

    /// What spin-sdk and hyper see through `http_body::Body`.
    #[test]
    fn the_http_body_view_matches_the_contents() {
        use http_body::Body as _;
        let mut b = Body::from("abc");
        assert_eq!(b.size_hint().exact(), Some(3));
        assert!(!b.is_end_stream());
        assert!(Body::empty().is_end_stream());
        assert_eq!(chunks(1, 1).size_hint().exact(), None);
        let frame = block_on(std::future::poll_fn(|cx| Pin::new(&mut b).poll_frame(cx)));
        let data = frame.unwrap().unwrap().into_data().unwrap();
        assert_eq!(data, Bytes::from("abc"));
        let mut s = chunks(1, 2);
        let frame = block_on(std::future::poll_fn(|cx| Pin::new(&mut s).poll_frame(cx)));
        assert_eq!(frame.unwrap().unwrap().into_data().unwrap().len(), 2);
        let wrapped = block_on(Body::wrap(Body::from("inner")).collect()).unwrap();
        assert_eq!(wrapped, Bytes::from("inner"));
    }

    #[test]
    fn a_body_that_ends_before_its_deadline_is_read_whole() {
        let body = chunks(4, 10).with_deadline(futures::future::pending());
        assert_eq!(block_on(body.read_limited(40)).unwrap().len(), 40);
    }

    #[test]
    fn a_body_still_arriving_at_its_deadline_is_refused() {
        // A client that sends one chunk and then nothing (a trickle at its
        // slowest): the deadline ends the read, with what came so far dropped.
        let trickle = Body::from_stream(
            futures_util::stream::iter([Ok(Bytes::from_static(b"x"))])
                .chain(futures_util::stream::pending()),
        );
        let read = block_on(trickle.with_deadline(async {}).read_limited(1 << 20));
        assert!(
            matches!(&read, Err(ReadError::Broken(BodyError(m))) if m.contains("too long")),
            "{read:?}"
        );
    }

    #[test]
    fn a_buffered_body_has_no_deadline_to_miss() {
        let body = Body::from("all here").with_deadline(async {});
        assert_eq!(block_on(body.collect()).unwrap(), Bytes::from("all here"));
    }

    #[test]
    fn a_stream_within_the_limit_is_read_whole() {
        let body = block_on(chunks(4, 10).read_limited(40)).unwrap();
        assert_eq!(body.len(), 40);
    }

    #[test]
    fn a_stream_over_the_limit_stops_at_the_first_chunk_past_it() {
        // An endless stream: reading must stop, not run out of memory.
        let endless = Body::from_stream(futures_util::stream::repeat_with(|| {
            Ok(Bytes::from_static(&[0u8; 1024]))
        }));
        assert_eq!(
            block_on(endless.read_limited(10_000)),
            Err(ReadError::TooLarge)
        );
    }

    #[test]
    fn a_buffer_over_the_limit_is_refused() {
        let body = Body::from(vec![0u8; 11]);
        assert_eq!(block_on(body.read_limited(10)), Err(ReadError::TooLarge));
    }

    #[test]
    fn a_broken_stream_is_reported() {
        let body = Body::from_stream(futures_util::stream::iter([
            Ok(Bytes::from_static(b"ab")),
            Err(BodyError("reset".into())),
        ]));
        assert!(matches!(
            block_on(body.read_limited(100)),
            Err(ReadError::Broken(_))
        ));
    }
}
