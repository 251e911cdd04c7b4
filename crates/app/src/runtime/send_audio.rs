//! Serving an uploaded prompt file (ARS-2) with `Range`, the one way both
//! its readers get it: admins playing it on the settings page, and the
//! telephony provider fetching it under `/hooks/audio/{token}`.

use crate::records::audio::{self, AudioMeta};
use switchboard_http::{ApiError, Body, ByteRange, Request, RequestExt, Response};
use switchboard_storage::Sql;

/// The file's bytes (the part a `Range` asks for) with its type.
pub async fn send(
    db: &dyn Sql,
    tenant_id: i64,
    meta: &AudioMeta,
    req: &Request,
) -> Result<Response, ApiError> {
    let total = u64::try_from(meta.size).unwrap_or(0);
    let range = ByteRange::parse(req.header("range"), total)?;
    let bytes = if range.is_empty() {
        Vec::new()
    } else {
        audio::bytes(db, tenant_id, meta.id, range.start, range.len()).await?
    };
    let content_type = if meta.format == "mp3" {
        "audio/mpeg"
    } else {
        "audio/wav"
    };
    Ok(range.respond(content_type, Body::from(bytes)))
}
