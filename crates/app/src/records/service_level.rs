//! The service-level threshold in SQL (SPEC section 11): one row per tenant
//! in `service_level_settings`; no row is the default
//! ([`crate::reports::metrics::DEFAULT_SL_THRESHOLD_SECONDS`]).

use crate::time::fmt_utc;
use switchboard_storage::{Sql, StorageError};

/// The tenant's threshold in seconds, or `None` before the first save.
pub async fn load(db: &dyn Sql, tenant_id: i64) -> Result<Option<i64>, StorageError> {
    db.query_row(
        "SELECT threshold_seconds FROM service_level_settings WHERE tenant_id = ?",
        &[tenant_id.into()],
    )
    .await?
    .map(|r| r.i64(0))
    .transpose()
}

pub async fn save(
    db: &dyn Sql,
    tenant_id: i64,
    seconds: i64,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    db.execute(
        "INSERT INTO service_level_settings (tenant_id, threshold_seconds, updated_at) \
         VALUES (?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET \
         threshold_seconds = excluded.threshold_seconds, updated_at = excluded.updated_at",
        &[tenant_id.into(), seconds.into(), fmt_utc(now).into()],
    )
    .await?;
    Ok(())
}
