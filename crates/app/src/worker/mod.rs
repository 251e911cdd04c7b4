//! The timer-driven worker (RUN-4): the `callback-worker` cron component calls
//! [`tick`] on every cron event. Callback dialing (CB-2), statistics roll-up
//! (CB-4) and housekeeping (CB-5) will run here; for now a tick brings the
//! schema up to date and records when it ran, which `/api/health` reports.

pub mod rollup;

use crate::runtime::host::Host;
use crate::runtime::schema;
use switchboard_storage::{Sql, StorageError};

#[derive(Debug, Clone, PartialEq)]
pub struct TickReport {
    pub schema_version: i64,
    pub at: String,
}

pub async fn tick(host: &Host) -> Result<TickReport, StorageError> {
    let schema_version = schema::migrate(host.db.as_ref()).await?;
    let at = host.now().to_string();
    host.db
        .execute(
            "INSERT INTO worker_state (id, last_tick) VALUES (1, ?) \
             ON CONFLICT (id) DO UPDATE SET last_tick = excluded.last_tick",
            &[at.clone().into()],
        )
        .await?;
    Ok(TickReport { schema_version, at })
}

/// When the worker last ran, if ever.
pub async fn last_tick(db: &dyn Sql) -> Result<Option<String>, StorageError> {
    let row = db
        .query_row("SELECT last_tick FROM worker_state WHERE id = 1", &[])
        .await?;
    row.map(|r| r.text(0)).transpose()
}
