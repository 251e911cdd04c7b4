//! Business hours in SQL (ARS-4): one row per tenant holding the week in
//! the JSON shape of [`BusinessHours`]. The stored JSON is parsed again when
//! read, so code holding a [`BusinessHours`] holds checked hours.

use crate::time::fmt_utc;
use switchboard_domain::schedule::BusinessHours;
use switchboard_storage::{Sql, StorageError};

/// The saved hours; `None` until the first save.
pub async fn load(db: &dyn Sql, tenant_id: i64) -> Result<Option<BusinessHours>, StorageError> {
    let Some(row) = db
        .query_row(
            "SELECT hours FROM business_hours WHERE tenant_id = ?",
            &[tenant_id.into()],
        )
        .await?
    else {
        return Ok(None);
    };
    serde_json::from_str(&row.text(0)?)
        .map(Some)
        .map_err(|e| StorageError::new(format!("stored business hours: {e}")))
}

/// Saves `hours` whole.
pub async fn save(
    db: &dyn Sql,
    tenant_id: i64,
    hours: &BusinessHours,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    let json = serde_json::to_string(hours)
        .map_err(|e| StorageError::new(format!("business hours to JSON: {e}")))?;
    db.execute(
        "INSERT INTO business_hours (tenant_id, hours, updated_at) VALUES (?, ?, ?) \
         ON CONFLICT (tenant_id) DO UPDATE SET hours = excluded.hours, updated_at = excluded.updated_at",
        &[tenant_id.into(), json.into(), fmt_utc(now).into()],
    )
    .await?;
    Ok(())
}
