//! Wallboard links in SQL (`wallboard_links`): a random token per link, of
//! which only the SHA-256 is kept; revoked links stay listed (with when)
//! and stop answering.

use crate::security::sha256_hex;
use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_storage::{Row, Sql, StorageError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub id: i64,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

fn from_row(r: &Row) -> Result<Link, StorageError> {
    Ok(Link {
        id: r.i64(0)?,
        label: r.text(1)?,
        created_at: r.text(2)?,
        revoked_at: r.opt_text(3)?,
    })
}

pub async fn list(db: &dyn Sql, tenant_id: i64) -> Result<Vec<Link>, StorageError> {
    db.query(
        "SELECT id, label, created_at, revoked_at FROM wallboard_links \
         WHERE tenant_id = ? ORDER BY id DESC",
        &[tenant_id.into()],
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn get(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<Option<Link>, StorageError> {
    db.query_row(
        "SELECT id, label, created_at, revoked_at FROM wallboard_links \
         WHERE tenant_id = ? AND id = ?",
        &[tenant_id.into(), id.into()],
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Stores a link for `token`; returns it.
pub async fn create(
    db: &dyn Sql,
    tenant_id: i64,
    token: &str,
    label: &str,
    created_by: i64,
    now: jiff::Timestamp,
) -> Result<Link, StorageError> {
    let row = db
        .query_row(
            "INSERT INTO wallboard_links (tenant_id, token_sha256, label, created_by, created_at) \
             VALUES (?, ?, ?, ?, ?) RETURNING id, label, created_at, revoked_at",
            &[
                tenant_id.into(),
                sha256_hex(token.as_bytes()).into(),
                label.into(),
                created_by.into(),
                fmt_utc(now).into(),
            ],
        )
        .await?
        .ok_or_else(|| StorageError::new("insert returned no row"))?;
    from_row(&row)
}

/// Revokes link `id` (once: a revoked link keeps its first revocation time).
pub async fn revoke(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    db.execute(
        "UPDATE wallboard_links SET revoked_at = COALESCE(revoked_at, ?) \
         WHERE tenant_id = ? AND id = ?",
        &[fmt_utc(now).into(), tenant_id.into(), id.into()],
    )
    .await?;
    Ok(())
}

/// The tenant and link a live (not revoked) token opens.
pub async fn open(db: &dyn Sql, token: &str) -> Result<Option<(i64, Link)>, StorageError> {
    db.query_row(
        "SELECT tenant_id, id, label, created_at, revoked_at FROM wallboard_links \
         WHERE token_sha256 = ? AND revoked_at IS NULL",
        &[sha256_hex(token.as_bytes()).into()],
    )
    .await?
    .map(|r| {
        Ok((
            r.i64(0)?,
            Link {
                id: r.i64(1)?,
                label: r.text(2)?,
                created_at: r.text(3)?,
                revoked_at: r.opt_text(4)?,
            },
        ))
    })
    .transpose()
}
