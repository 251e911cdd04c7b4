//! Uploaded prompt audio in SQL (ARS-2). Every function takes the tenant ID
//! and filters by it, so a handler cannot reach another tenant's file by ID.

use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_domain::AudioFormat;
use switchboard_storage::{Row, Sql, StorageError, Value};

/// A file's description, without its bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudioMeta {
    pub id: i64,
    pub name: String,
    pub format: String,
    pub mime_type: String,
    pub size: i64,
    /// What the content check found (sample rate, channels, duration …).
    pub info: serde_json::Value,
    /// The unguessable name the telephony provider fetches it under
    /// (`/hooks/audio/{token}`).
    pub token: String,
    pub created_at: String,
}

const COLUMNS: &str = "id, name, format, mime_type, size, info, token, created_at";

fn from_row(r: &Row) -> Result<AudioMeta, StorageError> {
    Ok(AudioMeta {
        id: r.i64(0)?,
        name: r.text(1)?,
        format: r.text(2)?,
        mime_type: r.text(3)?,
        size: r.i64(4)?,
        info: serde_json::from_str(&r.text(5)?).unwrap_or(serde_json::Value::Null),
        token: r.text(6)?,
        created_at: r.text(7)?,
    })
}

pub async fn list(db: &dyn Sql, tenant_id: i64) -> Result<Vec<AudioMeta>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM audio_files WHERE tenant_id = ? ORDER BY id");
    db.query(&sql, &[tenant_id.into()])
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn get(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<Option<AudioMeta>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM audio_files WHERE id = ? AND tenant_id = ?");
    db.query_row(&sql, &[id.into(), tenant_id.into()])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The file published under `token`, with its tenant: for the telephony
/// provider, which knows no tenant and no session, only the URL.
pub async fn by_token(db: &dyn Sql, token: &str) -> Result<Option<(i64, AudioMeta)>, StorageError> {
    let sql = format!("SELECT tenant_id, {COLUMNS} FROM audio_files WHERE token = ?");
    let Some(row) = db.query_row(&sql, &[token.into()]).await? else {
        return Ok(None);
    };
    let tenant_id = row.i64(0)?;
    let rest = Row(row.0.into_iter().skip(1).collect());
    Ok(Some((tenant_id, from_row(&rest)?)))
}

pub struct NewAudio<'a> {
    pub name: &'a str,
    pub format: &'a AudioFormat,
    pub data: &'a [u8],
    pub token: &'a str,
}

pub async fn insert(
    db: &dyn Sql,
    tenant_id: i64,
    a: &NewAudio<'_>,
    now: jiff::Timestamp,
) -> Result<AudioMeta, StorageError> {
    let info = serde_json::to_string(a.format).map_err(|e| StorageError::new(e.to_string()))?;
    let size = i64::try_from(a.data.len()).map_err(|e| StorageError::new(e.to_string()))?;
    let rows = db
        .query(
            "INSERT INTO audio_files (tenant_id, token, name, format, mime_type, size, info, data, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            &[
                tenant_id.into(),
                a.token.into(),
                a.name.into(),
                a.format.extension().into(),
                a.format.mime_type().into(),
                size.into(),
                info.into(),
                Value::Blob(a.data.to_vec()),
                fmt_utc(now).into(),
            ],
        )
        .await?;
    let id = rows
        .first()
        .ok_or_else(|| StorageError::new("no id returned"))?
        .i64(0)?;
    get(db, tenant_id, id)
        .await?
        .ok_or_else(|| StorageError::new("inserted audio vanished"))
}

/// `len` bytes of the file from `start` (0-based), read in SQL so that only
/// the requested part leaves the database.
pub async fn bytes(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
    start: u64,
    len: u64,
) -> Result<Vec<u8>, StorageError> {
    let to_i64 = |n: u64| i64::try_from(n).map_err(|e| StorageError::new(e.to_string()));
    let row = db
        .query_row(
            "SELECT substr(data, ?, ?) FROM audio_files WHERE id = ? AND tenant_id = ?",
            &[
                to_i64(start + 1)?.into(),
                to_i64(len)?.into(),
                id.into(),
                tenant_id.into(),
            ],
        )
        .await?
        .ok_or_else(|| StorageError::new("audio vanished"))?;
    match row.value(0)? {
        Value::Blob(b) => Ok(b.clone()),
        Value::Null => Ok(Vec::new()),
        other => Err(StorageError::new(format!(
            "audio data: expected a blob, found {other:?}"
        ))),
    }
}

/// What uses file `id`: the greeting and menus' messages (`"greeting"`,
/// `"menu 3"` for the menu on digit 3).
pub async fn users_of(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<Vec<String>, StorageError> {
    let rows = db
        .query(
            "SELECT 'greeting' FROM ars_settings WHERE tenant_id = ? AND greeting_audio_id = ? \
             UNION ALL SELECT 'menu ' || digit FROM ars_menus WHERE tenant_id = ? AND message_audio_id = ?",
            &[tenant_id.into(), id.into(), tenant_id.into(), id.into()],
        )
        .await?;
    rows.iter().map(|r| r.text(0)).collect()
}

/// Deletes file `id` unless something uses it (checked in the same
/// statement). Returns whether it was deleted.
pub async fn delete_unused(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<bool, StorageError> {
    // `RETURNING`, not the affected-row count: libSQL behind Spin reports 0.
    let deleted = db
        .query_row(
            "DELETE FROM audio_files WHERE id = ? AND tenant_id = ? \
             AND NOT EXISTS (SELECT 1 FROM ars_settings WHERE greeting_audio_id = audio_files.id) \
             AND NOT EXISTS (SELECT 1 FROM ars_menus WHERE message_audio_id = audio_files.id) \
             RETURNING id",
            &[id.into(), tenant_id.into()],
        )
        .await?;
    Ok(deleted.is_some())
}
