//! The timer-driven worker (RUN-4): the `callback-worker` cron component calls
//! [`tick`] on every cron event. Callback dialing (CB-2), statistics roll-up
//! (CB-4) and housekeeping (CB-5) will run here; for now a tick brings the
//! schema up to date and records when it ran, which `/api/health` reports.

use crate::context::Host;
use crate::schema;
use switchboard_storage::{KeyValue, StorageError};

const LAST_TICK_KEY: &str = "worker:last_tick";

#[derive(Debug, Clone, PartialEq)]
pub struct TickReport {
    pub schema_version: i64,
    pub at: String,
}

pub async fn tick(host: &Host) -> Result<TickReport, StorageError> {
    let schema_version = schema::migrate(host.db.as_ref()).await?;
    let at = host.now().to_string();
    host.kv.set(LAST_TICK_KEY, at.as_bytes()).await?;
    Ok(TickReport { schema_version, at })
}

/// When the worker last ran, if ever.
pub async fn last_tick(kv: &dyn KeyValue) -> Result<Option<String>, StorageError> {
    Ok(kv
        .get(LAST_TICK_KEY)
        .await?
        .map(|v| String::from_utf8_lossy(&v).into_owned()))
}
