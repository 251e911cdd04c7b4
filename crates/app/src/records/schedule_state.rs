//! Whether a tenant is open at an instant (ARS-4, ARS-5): the app-level
//! door to the one evaluator, [`schedule::status`]. It loads what the
//! evaluator needs — the tenant's time zone, business hours and holidays —
//! so the settings screen, the call flow and the callback worker all ask
//! the same question the same way.

use crate::records::tenants::TenantScope;
use crate::records::{holidays, hours};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use switchboard_domain::schedule::{self, BusinessHours, Status};
use switchboard_storage::{Sql, StorageError};

/// The answer for one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleState {
    pub status: Status,
    /// The first open instant at or after the asked one, if any within
    /// [`schedule::NEXT_OPEN_HORIZON_DAYS`].
    pub next_open: Option<Timestamp>,
    /// The tenant's time zone the answer was evaluated in.
    pub time_zone: TimeZone,
}

/// Open or closed (and why) at `at`, and when it opens next. Hours never
/// saved count as always closed.
pub async fn status_for(
    db: &dyn Sql,
    tenant: &TenantScope,
    at: Timestamp,
) -> Result<ScheduleState, StorageError> {
    let tenant_id = tenant.id;
    let tz = tenant.time_zone.clone();
    let hours = hours::load(db, tenant_id)
        .await?
        .unwrap_or_else(BusinessHours::always_closed);
    let holidays = holidays::all(db, tenant_id).await?;
    Ok(ScheduleState {
        status: schedule::status(&hours, &holidays, tz.clone(), at),
        next_open: schedule::next_open(&hours, &holidays, tz.clone(), at),
        time_zone: tz,
    })
}
