//! Call recordings in SQL (TEL-4): the metadata a `recording.ready` event
//! left in `recordings` (migration 0007). The audio stays at the provider;
//! `url` is where, and never leaves the server. Every function takes the
//! tenant ID and filters by it, so a handler cannot reach another tenant's
//! recording by ID.

use switchboard_storage::{Row, Sql, StorageError};

#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub id: i64,
    /// The provider's call ID.
    pub call_id: String,
    /// Where the provider serves the audio (not for browsers).
    pub url: String,
    pub duration_ms: i64,
    /// `mp3` or `wav` (the table's CHECK).
    pub format: String,
    pub at_ms: i64,
}

impl Recording {
    /// The media type the browser gets, from the format the event declared
    /// (not from the provider's answer).
    pub fn content_type(&self) -> &'static str {
        if self.format == "wav" {
            "audio/wav"
        } else {
            "audio/mpeg"
        }
    }
}

fn from_row(r: &Row) -> Result<Recording, StorageError> {
    Ok(Recording {
        id: r.i64(0)?,
        call_id: r.text(1)?,
        url: r.text(2)?,
        duration_ms: r.i64(3)?,
        format: r.text(4)?,
        at_ms: r.i64(5)?,
    })
}

pub async fn get(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<Option<Recording>, StorageError> {
    db.query_row(
        "SELECT id, call_id, url, duration_ms, format, at_ms FROM recordings
         WHERE id = ? AND tenant_id = ?",
        &[id.into(), tenant_id.into()],
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}
