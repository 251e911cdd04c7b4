//! Several recordings as one ZIP (HIST-2), streamed as it is built: each
//! recording is fetched from the provider in turn and its chunks go into
//! the archive (stored, not compressed: MP3 does not shrink) and on to the
//! browser as they arrive, so the component holds one chunk and the
//! archive's directory (a few dozen bytes per file), never a file or the
//! archive. A recording that cannot be fetched does not fail the download:
//! it is listed in `누락된 녹취.txt` (missing recordings) at the end, with
//! the reason. The archive is written by the `zip` crate's streaming writer
//! (data descriptors after each file, no seeking).

use super::recordings::provider_request;
use crate::records::recordings::{self, Recording};
use crate::runtime::context::Cx;
use bytes::Bytes;
use serde_json::json;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Write;
use std::rc::Rc;
use switchboard_http::{
    ApiError, Body, BodyError, FieldCode, HttpClient, Invalid, Method, Request, Response,
    ResponseExt, StatusCode, header,
};
use switchboard_storage::Sql;
use zip::ZipWriter;
use zip::write::{SimpleFileOptions, StreamWriter};

/// The most recordings one ZIP holds.
pub const MAX_FILES: usize = 2_000;
/// The manifest's name in the archive.
pub const MANIFEST: &str = "누락된 녹취.txt";

/// Where the zip writer writes: a buffer the stream empties after every
/// write.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

enum Phase {
    Next,
    File(i64, Body),
    Done,
}

struct State {
    db: Rc<dyn Sql>,
    http: Rc<dyn HttpClient>,
    config: Rc<crate::runtime::config::Config>,
    tenant_id: i64,
    tz: jiff::tz::TimeZone,
    ids: VecDeque<i64>,
    zip: Option<ZipWriter<StreamWriter<Sink>>>,
    sink: Sink,
    phase: Phase,
    missing: Vec<(i64, String)>,
}

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
}

fn name(rec: &Recording, tz: &jiff::tz::TimeZone) -> String {
    let when = jiff::Timestamp::from_millisecond(rec.at_ms)
        .map(|t| {
            t.to_zoned_datetime(tz.clone())
                .strftime("%Y%m%d-%H%M%S")
                .to_string()
        })
        .unwrap_or_default();
    let call: String = rec
        .call_id
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{}_{when}_{call}.{}", rec.id, rec.format)
}

fn broken(e: impl std::fmt::Display) -> BodyError {
    BodyError(format!("zip: {e}"))
}

impl State {
    /// Starts the next recording: its entry when the provider delivers,
    /// else a line in the manifest.
    async fn start(&mut self, id: i64) -> Result<(), BodyError> {
        let rec = match recordings::get(self.db.as_ref(), self.tenant_id, id).await {
            Ok(Some(rec)) => rec,
            Ok(None) => {
                self.missing.push((id, "no such recording".into()));
                return Ok(());
            }
            Err(e) => return Err(broken(e)),
        };
        let req = match provider_request(&self.config, &rec, Method::GET, None) {
            Ok(r) => r,
            Err(_) => {
                self.missing
                    .push((id, "stored outside the provider origin".into()));
                return Ok(());
            }
        };
        match self.http.send(req).await {
            Ok(resp) if resp.status() == StatusCode::OK => {
                let zip = self.zip.as_mut().ok_or_else(|| broken("closed"))?;
                zip.start_file(name(&rec, &self.tz), options())
                    .map_err(broken)?;
                self.phase = Phase::File(id, resp.into_body());
            }
            Ok(resp) => self.missing.push((
                id,
                format!("the provider answered {}", resp.status().as_u16()),
            )),
            Err(e) => self.missing.push((id, format!("the provider: {e}"))),
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), BodyError> {
        let Some(mut zip) = self.zip.take() else {
            return Ok(());
        };
        if !self.missing.is_empty() {
            zip.start_file(MANIFEST, options()).map_err(broken)?;
            let mut text = String::from(
                "다음 녹취는 가져오지 못했습니다. / These recordings could not be fetched.\r\n",
            );
            for (id, why) in &self.missing {
                text.push_str(&format!("{id}\t{why}\r\n"));
            }
            zip.write_all(text.as_bytes()).map_err(broken)?;
        }
        zip.finish().map_err(broken)?;
        Ok(())
    }

    /// The next piece of the archive, `None` at its end.
    async fn next(&mut self) -> Option<Result<Bytes, BodyError>> {
        loop {
            let ready = std::mem::take(&mut *self.sink.0.borrow_mut());
            if !ready.is_empty() {
                return Some(Ok(Bytes::from(ready)));
            }
            let step = match std::mem::replace(&mut self.phase, Phase::Next) {
                Phase::Done => {
                    self.phase = Phase::Done;
                    return None;
                }
                Phase::Next => match self.ids.pop_front() {
                    Some(id) => self.start(id).await,
                    None => {
                        self.phase = Phase::Done;
                        self.finish()
                    }
                },
                Phase::File(id, mut body) => match body.next_chunk().await {
                    Some(Ok(chunk)) => {
                        self.phase = Phase::File(id, body);
                        match self.zip.as_mut() {
                            Some(zip) => zip.write_all(&chunk).map_err(broken),
                            None => Err(broken("closed")),
                        }
                    }
                    Some(Err(e)) => {
                        // Part of it is in the archive already: the entry
                        // ends here and the manifest says it is cut.
                        self.missing.push((id, format!("cut off: {e}")));
                        Ok(())
                    }
                    None => Ok(()),
                },
            };
            if let Err(e) = step {
                self.phase = Phase::Done;
                return Some(Err(e));
            }
        }
    }
}

fn ids(req: &Request) -> Result<Vec<i64>, ApiError> {
    let bad = || {
        ApiError::field(
            "ids",
            Invalid::new(
                FieldCode::InvalidValue,
                format!("List 1 to {MAX_FILES} recording IDs, separated by commas."),
            ),
        )
    };
    let text = super::lookup::text(req, "ids").ok_or_else(bad)?;
    let mut ids: Vec<i64> = text
        .split(',')
        .map(|s| s.trim().parse::<i64>().ok().filter(|v| *v > 0))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(bad)?;
    ids.dedup();
    if ids.is_empty() || ids.len() > MAX_FILES {
        return Err(bad());
    }
    Ok(ids)
}

/// `GET /api/history/recordings/zip?ids=1,2,3`.
pub async fn zip(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    super::lookup::only(&req, super::lookup::ZIP_PARAMS)?;
    let tenant_id = cx.tenant_id()?;
    let ids = ids(&req)?;
    cx.http()?;
    let http = cx
        .http
        .clone()
        .ok_or_else(|| ApiError::internal("no http client"))?;
    cx.note(json!({ "recording_ids": ids }));
    let sink = Sink::default();
    let state = State {
        db: cx.db.clone(),
        http,
        config: cx.config.clone(),
        tenant_id,
        tz: cx.tenant()?.time_zone.clone(),
        ids: ids.into_iter().collect(),
        zip: Some(ZipWriter::new_stream(sink.clone())),
        sink,
        phase: Phase::Next,
        missing: Vec::new(),
    };
    let stream = futures_util::stream::unfold(state, |mut st| async move {
        st.next().await.map(|piece| (piece, st))
    });
    Ok(
        Response::body_of("application/zip", Body::from_stream(stream)).with_header(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"recordings.zip\"",
        ),
    )
}
