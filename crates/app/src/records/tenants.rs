//! Tenants in SQL (AUTH-1, CON-1).

use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_domain::{
    CompanyField, Email, LicenceCount, Plan, ServicePeriod, TenantStatus, TimeZoneName,
};
use switchboard_storage::{Row, Sql, Statement, StorageError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tenant {
    pub id: i64,
    pub name: String,
    pub business_number: String,
    pub representative: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub time_zone: String,
    pub plan: String,
    pub licence_count: i64,
    pub service_start: String,
    pub service_end: String,
    pub status: TenantStatus,
    pub created_at: String,
    /// MON-1's total lines; `None` until the operator sets them.
    pub contracted_lines: Option<i64>,
}

const COLUMNS: &str = "id, name, business_number, representative, phone, email, address, time_zone, \
    plan, licence_count, service_start, service_end, status, created_at, contracted_lines";

fn from_row(r: &Row) -> Result<Tenant, StorageError> {
    Ok(Tenant {
        id: r.i64(0)?,
        name: r.text(1)?,
        business_number: r.text(2)?,
        representative: r.text(3)?,
        phone: r.text(4)?,
        email: r.text(5)?,
        address: r.text(6)?,
        time_zone: r.text(7)?,
        plan: r.text(8)?,
        licence_count: r.i64(9)?,
        service_start: r.text(10)?,
        service_end: r.text(11)?,
        status: parse_status(&r.text(12)?)?,
        created_at: r.text(13)?,
        contracted_lines: r.opt_i64(14)?,
    })
}

pub async fn by_id(db: &dyn Sql, id: i64) -> Result<Option<Tenant>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM tenants WHERE id = ?");
    db.query_row(&sql, &[id.into()])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn list(db: &dyn Sql) -> Result<Vec<Tenant>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM tenants ORDER BY id");
    db.query(&sql, &[]).await?.iter().map(from_row).collect()
}

/// A validated new tenant.
pub struct NewTenant {
    pub name: CompanyField,
    pub business_number: CompanyField,
    pub representative: CompanyField,
    pub phone: CompanyField,
    pub email: Email,
    pub address: CompanyField,
    pub time_zone: TimeZoneName,
    pub plan: Plan,
    pub licence_count: LicenceCount,
    pub period: ServicePeriod,
}

/// The statement that inserts `t` (run in a batch with its first owner).
pub fn insert(t: &NewTenant, now: jiff::Timestamp) -> Statement {
    Statement::new(
        "INSERT INTO tenants (name, business_number, representative, phone, email, address, time_zone, \
         plan, licence_count, service_start, service_end, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            t.name.as_str().into(),
            t.business_number.as_str().into(),
            t.representative.as_str().into(),
            t.phone.as_str().into(),
            t.email.as_str().into(),
            t.address.as_str().into(),
            t.time_zone.as_str().into(),
            t.plan.as_str().into(),
            i64::from(t.licence_count.get()).into(),
            t.period.start.to_string().into(),
            t.period.end.to_string().into(),
            fmt_utc(now).into(),
        ],
    )
}

/// The operator's change of a tenant's status and last day (CON-3).
pub struct StatusChange<'a> {
    pub status: TenantStatus,
    pub service_end: &'a str,
    /// The tenant was not terminated before: its admins' and agents'
    /// sessions end (their `session_epoch` moves on, so reactivating does
    /// not bring old sessions back).
    pub ends_sessions: bool,
    /// Now, in ms: when a terminated tenant's numbers are released.
    pub at_ms: i64,
}

/// Applies `c` to tenant `id` in one transaction. Terminating also closes
/// the tenant's open termination request (the request is carried out; the
/// table holds open requests only, the work history keeps both events).
/// The caller has read the tenant (tenants are never deleted); nothing here
/// depends on an affected-row count, which libSQL behind Spin reports as 0.
pub async fn set_status(db: &dyn Sql, id: i64, c: &StatusChange<'_>) -> Result<(), StorageError> {
    let mut statements = vec![Statement::new(
        "UPDATE tenants SET status = ?, service_end = ? WHERE id = ?",
        vec![c.status.as_str().into(), c.service_end.into(), id.into()],
    )];
    if c.status == TenantStatus::Terminated {
        statements.push(Statement::new(
            "DELETE FROM termination_requests WHERE tenant_id = ?",
            vec![id.into()],
        ));
        // Its numbers go back to the platform (issue 14, finding 1): calls
        // on them are no longer stored where no admin can see them.
        statements.push(Statement::new(
            "UPDATE phone_numbers SET until_ms = MAX(?, COALESCE(since_ms, 0) + 1) \
             WHERE tenant_id = ? AND until_ms IS NULL",
            vec![c.at_ms.into(), id.into()],
        ));
    }
    if c.ends_sessions {
        for table in ["users", "agents"] {
            statements.push(Statement::new(
                format!("UPDATE {table} SET session_epoch = session_epoch + 1 WHERE tenant_id = ?"),
                vec![id.into()],
            ));
        }
    }
    db.batch(&statements).await.map(|_| ())
}

/// Whether a tenant's admins may use the service (CON-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    Active,
    /// `status` is `terminated`.
    Terminated,
    /// The service period's last day has passed in the tenant's time zone.
    Expired,
}

fn parse_status(text: &str) -> Result<TenantStatus, StorageError> {
    TenantStatus::parse(text)
        .map_err(|_| StorageError::new(format!("stored tenant status {text:?}")))
}

/// What every request of a tenant's admin or agent needs of its company,
/// read with the account in the same query and parsed once: handlers hold
/// checked values (`cx.tenant()`), never the row's text.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantScope {
    pub id: i64,
    pub status: TenantStatus,
    /// The service period's last day, in the tenant's zone (CON-1).
    pub service_end: jiff::civil::Date,
    /// The zone the tenant's days, hours and reports are in.
    pub time_zone: jiff::tz::TimeZone,
}

impl TenantScope {
    /// From the tenant row's columns. A value that does not parse was never
    /// saved by this app: a storage error, not a guess.
    pub fn from_columns(
        id: i64,
        status: &str,
        service_end: &str,
        time_zone: &str,
    ) -> Result<TenantScope, StorageError> {
        Ok(TenantScope {
            id,
            status: parse_status(status)?,
            service_end: service_end.parse().map_err(|e| {
                StorageError::new(format!("stored service end {service_end:?}: {e}"))
            })?,
            time_zone: jiff::tz::TimeZone::get(time_zone)
                .map_err(|e| StorageError::new(format!("stored time zone {time_zone:?}: {e}")))?,
        })
    }

    /// The IANA name of the tenant's zone, as the API shows it.
    pub fn time_zone_name(&self) -> &str {
        self.time_zone.iana_name().unwrap_or("UTC")
    }

    /// The calendar day `now` falls on in the tenant's time zone.
    pub fn today(&self, now: jiff::Timestamp) -> jiff::civil::Date {
        now.to_zoned_datetime(self.time_zone.clone()).date()
    }

    /// Terminated, expired (the day after `service_end` has begun in the
    /// tenant's zone), or active.
    pub fn service_state(&self, now: jiff::Timestamp) -> ServiceState {
        if self.status == TenantStatus::Terminated {
            return ServiceState::Terminated;
        }
        if self.today(now) > self.service_end {
            ServiceState::Expired
        } else {
            ServiceState::Active
        }
    }
}

impl Tenant {
    /// The request-scope view of this row.
    pub fn scope(&self) -> Result<TenantScope, StorageError> {
        TenantScope::from_columns(
            self.id,
            self.status.as_str(),
            &self.service_end,
            &self.time_zone,
        )
    }
}

/// MON-1's total: the lines in the tenant's contract, `None` until the
/// operator sets them.
pub async fn contracted_lines(db: &dyn Sql, id: i64) -> Result<Option<i64>, StorageError> {
    Ok(db
        .query_row(
            "SELECT contracted_lines FROM tenants WHERE id = ?",
            &[id.into()],
        )
        .await?
        .map(|r| r.opt_i64(0))
        .transpose()?
        .flatten())
}

/// Sets (or with `None` clears) the contracted lines.
pub async fn set_contracted_lines(
    db: &dyn Sql,
    id: i64,
    lines: Option<i64>,
) -> Result<(), StorageError> {
    db.execute(
        "UPDATE tenants SET contracted_lines = ? WHERE id = ?",
        &[lines.into(), id.into()],
    )
    .await?;
    Ok(())
}
