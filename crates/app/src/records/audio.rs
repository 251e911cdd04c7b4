//! Uploaded prompt audio in SQL (ARS-2). Every function takes the tenant ID
//! and filters by it, so a handler cannot reach another tenant's file by ID.

use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_domain::{AudioFormat, AudioQuota};
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
    /// (`/hooks/audio/{token}`). Whoever holds it has the file, so it is
    /// never serialised with the rest (settings views, work-history
    /// details): only the prompt manager's own upload and list answers add
    /// it (`components/settings/audio.rs`).
    #[serde(skip)]
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

/// The company's prompt quota and what it uses of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub quota: AudioQuota,
    pub files: i64,
    pub bytes: i64,
}

impl Usage {
    /// The quota and its use, as the settings page and the operator see it.
    pub fn view(&self) -> serde_json::Value {
        serde_json::json!({
            "files": self.quota.files(),
            "bytes": self.quota.bytes(),
            "used_files": self.files,
            "used_bytes": self.bytes,
        })
    }
}

/// The quota of `tenant_id` and its files' count and total size.
pub async fn usage(db: &dyn Sql, tenant_id: i64) -> Result<Usage, StorageError> {
    let row = db
        .query_row(
            "SELECT t.audio_quota_files, t.audio_quota_bytes, \
               (SELECT COUNT(*) FROM audio_files WHERE tenant_id = t.id), \
               (SELECT COALESCE(SUM(size), 0) FROM audio_files WHERE tenant_id = t.id) \
             FROM tenants t WHERE t.id = ?",
            &[tenant_id.into()],
        )
        .await?
        .ok_or_else(|| StorageError::new(format!("no tenant {tenant_id}")))?;
    Ok(Usage {
        quota: AudioQuota::from_stored(row.opt_i64(0)?, row.opt_i64(1)?),
        files: row.i64(2)?,
        bytes: row.i64(3)?,
    })
}

/// Sets the company's quota (the operator's).
pub async fn set_quota(db: &dyn Sql, tenant_id: i64, q: AudioQuota) -> Result<(), StorageError> {
    let bytes = i64::try_from(q.bytes()).map_err(|e| StorageError::new(e.to_string()))?;
    db.execute(
        "UPDATE tenants SET audio_quota_files = ?, audio_quota_bytes = ? WHERE id = ?",
        &[i64::from(q.files()).into(), bytes.into(), tenant_id.into()],
    )
    .await
    .map(|_| ())
}

/// Stores the file if it fits the company's quota, checked in the same
/// statement (two uploads at once cannot both squeeze past it); `None` when
/// it does not fit.
pub async fn insert(
    db: &dyn Sql,
    tenant_id: i64,
    a: &NewAudio<'_>,
    now: jiff::Timestamp,
) -> Result<Option<AudioMeta>, StorageError> {
    let info = serde_json::to_string(a.format).map_err(|e| StorageError::new(e.to_string()))?;
    let size = i64::try_from(a.data.len()).map_err(|e| StorageError::new(e.to_string()))?;
    let rows = db
        .query(
            // The ID is above every file's and every deleted one's
            // (migration 0010): an ID never names two files.
            "INSERT INTO audio_files (id, tenant_id, token, name, format, mime_type, size, info, data, created_at) \
             SELECT MAX(COALESCE((SELECT MAX(id) FROM audio_files), 0), \
                        COALESCE((SELECT last FROM id_high_water WHERE name = 'audio_files'), 0)) + 1, \
               ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM tenants t WHERE t.id = ?1 \
               AND (SELECT COUNT(*) FROM audio_files WHERE tenant_id = ?1) \
                   < COALESCE(t.audio_quota_files, ?10) \
               AND (SELECT COALESCE(SUM(size), 0) FROM audio_files WHERE tenant_id = ?1) + ?6 \
                   <= COALESCE(t.audio_quota_bytes, ?11) \
             RETURNING id",
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
                i64::from(AudioQuota::DEFAULT.files()).into(),
                i64::try_from(AudioQuota::DEFAULT.bytes())
                    .map_err(|e| StorageError::new(e.to_string()))?
                    .into(),
            ],
        )
        .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let id = row.i64(0)?;
    get(db, tenant_id, id)
        .await?
        .map(Some)
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
