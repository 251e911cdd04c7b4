//! Consultation types in SQL (SVC-3). Every function takes the tenant ID and
//! filters by it.
//!
//! How often a type was used comes from the consultations agents saved
//! (AGT-1); a type in use is archived instead of deleted, so the history
//! keeps its name.

use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_storage::{OrTaken, Row, Sql, Statement, StorageError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsultationType {
    pub id: i64,
    pub name: String,
    pub position: i64,
    pub archived: bool,
    /// Consultations saved with this type.
    pub used: i64,
}

/// The use count of `t` (see the module documentation).
const USED: &str =
    "(SELECT COUNT(*) FROM consultations c WHERE c.tenant_id = t.tenant_id AND c.type_id = t.id)";

fn from_row(r: &Row) -> Result<ConsultationType, StorageError> {
    Ok(ConsultationType {
        id: r.i64(0)?,
        name: r.text(1)?,
        position: r.i64(2)?,
        archived: r.i64(3)? != 0,
        used: r.i64(4)?,
    })
}

pub async fn list(db: &dyn Sql, tenant_id: i64) -> Result<Vec<ConsultationType>, StorageError> {
    let sql = format!(
        "SELECT t.id, t.name, t.position, t.archived, {USED} FROM consultation_types t \
         WHERE t.tenant_id = ? ORDER BY t.archived, t.position, t.id"
    );
    db.query(&sql, &[tenant_id.into()])
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn get(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
) -> Result<Option<ConsultationType>, StorageError> {
    let sql = format!(
        "SELECT t.id, t.name, t.position, t.archived, {USED} FROM consultation_types t \
         WHERE t.id = ? AND t.tenant_id = ?"
    );
    db.query_row(&sql, &[id.into(), tenant_id.into()])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Adds a type at the end of the list; a live name in use is `Ok(None)`.
pub async fn create(
    db: &dyn Sql,
    tenant_id: i64,
    name: &str,
    now: jiff::Timestamp,
) -> Result<Option<i64>, StorageError> {
    let now = fmt_utc(now);
    match db
        .query(
            "INSERT INTO consultation_types (tenant_id, name, position, created_at, updated_at) \
             SELECT ?, ?, COALESCE(MAX(position), -1) + 1, ?, ? FROM consultation_types WHERE tenant_id = ? \
             RETURNING id",
            &[
                tenant_id.into(),
                name.into(),
                now.clone().into(),
                now.into(),
                tenant_id.into(),
            ],
        )
        .await
    {
        Err(e) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e),
        Ok(rows) => Ok(Some(
            rows.first()
                .ok_or_else(|| StorageError::new("no id returned"))?
                .i64(0)?,
        )),
    }
}

/// Renames and/or (un)archives type `id`; a live name in use is `Ok(false)`.
pub async fn update(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
    name: Option<&str>,
    archived: Option<bool>,
    now: jiff::Timestamp,
) -> Result<bool, StorageError> {
    Ok(db
        .execute(
            "UPDATE consultation_types SET name = COALESCE(?, name), archived = COALESCE(?, archived), \
             updated_at = ? WHERE id = ? AND tenant_id = ?",
            &[
                name.into(),
                archived.into(),
                fmt_utc(now).into(),
                id.into(),
                tenant_id.into(),
            ],
        )
        .await
        .or_taken()?
        .is_some())
}

pub async fn delete(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<(), StorageError> {
    db.execute(
        "DELETE FROM consultation_types WHERE id = ? AND tenant_id = ?",
        &[id.into(), tenant_id.into()],
    )
    .await?;
    Ok(())
}

/// Sets the order of the live types to `ids` in one transaction.
pub async fn reorder(db: &dyn Sql, tenant_id: i64, ids: &[i64]) -> Result<(), StorageError> {
    let statements: Vec<Statement> = ids
        .iter()
        .zip(0i64..)
        .map(|(id, position)| {
            Statement::new(
                "UPDATE consultation_types SET position = ? WHERE id = ? AND tenant_id = ?",
                vec![position.into(), (*id).into(), tenant_id.into()],
            )
        })
        .collect();
    db.batch(&statements).await?;
    Ok(())
}
