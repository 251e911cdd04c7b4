//! The contract in SQL (CON-1..3): licence/plan changes, termination
//! requests and company information. Every function takes the tenant ID
//! and filters by it.

use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_storage::{OrTaken, Sql, Statement, StorageError};

/// A licence/plan change about to be made.
pub struct LicenceChange<'a> {
    pub user_id: i64,
    /// The calendar day of the change in the tenant's time zone.
    pub local_date: String,
    pub plan_before: &'a str,
    pub plan_after: &'a str,
    pub licences_before: i64,
    pub licences_after: i64,
}

/// What [`change_licences`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOutcome {
    Changed,
    /// A change was already made on that day.
    AlreadyToday,
    /// More active agents than the new licence count.
    InUse,
}

/// The day of the tenant's latest licence change, if any.
pub async fn last_change_date(
    db: &dyn Sql,
    tenant_id: i64,
) -> Result<Option<String>, StorageError> {
    Ok(db
        .query_row(
            "SELECT MAX(local_date) FROM licence_changes WHERE tenant_id = ?",
            &[tenant_id.into()],
        )
        .await?
        .map(|r| r.opt_text(0))
        .transpose()?
        .flatten())
}

/// Records the change and applies it to the tenant, in one transaction.
/// Both rules hold inside it: the UNIQUE (tenant, day) constraint refuses a
/// second change the same day, and the change row is only written while the
/// active agents fit the new count — the tenant row is updated only when
/// that row was written.
pub async fn change_licences(
    db: &dyn Sql,
    tenant_id: i64,
    c: &LicenceChange<'_>,
    now: jiff::Timestamp,
) -> Result<ChangeOutcome, StorageError> {
    let at = fmt_utc(now);
    let statements = [
        Statement::new(
            "INSERT INTO licence_changes (tenant_id, user_id, local_date, plan_before, plan_after, \
             licences_before, licences_after, at) SELECT ?, ?, ?, ?, ?, ?, ?, ? \
             WHERE (SELECT COUNT(*) FROM agents WHERE tenant_id = ? AND status = 'active') <= ?",
            vec![
                tenant_id.into(),
                c.user_id.into(),
                c.local_date.as_str().into(),
                c.plan_before.into(),
                c.plan_after.into(),
                c.licences_before.into(),
                c.licences_after.into(),
                at.as_str().into(),
                tenant_id.into(),
                c.licences_after.into(),
            ],
        ),
        Statement::new(
            "UPDATE tenants SET licence_count = ?, plan = ? WHERE id = ? AND EXISTS \
             (SELECT 1 FROM licence_changes WHERE tenant_id = ? AND local_date = ? AND at = ?)",
            vec![
                c.licences_after.into(),
                c.plan_after.into(),
                tenant_id.into(),
                tenant_id.into(),
                c.local_date.as_str().into(),
                at.as_str().into(),
            ],
        ),
    ];
    match db.batch(&statements).await {
        Err(e) if e.is_unique_violation() => return Ok(ChangeOutcome::AlreadyToday),
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    // Whether the guarded insert happened is read back, never taken from an
    // affected-row count (libSQL behind Spin reports 0 for every write).
    let written = db
        .query_row(
            "SELECT 1 FROM licence_changes WHERE tenant_id = ? AND local_date = ? AND at = ?",
            &[
                tenant_id.into(),
                c.local_date.as_str().into(),
                at.as_str().into(),
            ],
        )
        .await?;
    Ok(if written.is_some() {
        ChangeOutcome::Changed
    } else {
        ChangeOutcome::InUse
    })
}

/// An open termination request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Termination {
    pub requested_at: String,
    pub requested_by: Option<String>,
    pub reason: String,
}

pub async fn termination(
    db: &dyn Sql,
    tenant_id: i64,
) -> Result<Option<Termination>, StorageError> {
    db.query_row(
        "SELECT t.requested_at, u.login_id, t.reason FROM termination_requests t \
         LEFT JOIN users u ON u.id = t.user_id WHERE t.tenant_id = ?",
        &[tenant_id.into()],
    )
    .await?
    .map(|r| {
        Ok(Termination {
            requested_at: r.text(0)?,
            requested_by: r.opt_text(1)?,
            reason: r.text(2)?,
        })
    })
    .transpose()
}

/// Opens a request; one already open is `Ok(false)`.
pub async fn request_termination(
    db: &dyn Sql,
    tenant_id: i64,
    user_id: i64,
    reason: &str,
    now: jiff::Timestamp,
) -> Result<bool, StorageError> {
    let inserted = db
        .execute(
            "INSERT INTO termination_requests (tenant_id, user_id, reason, requested_at) VALUES (?, ?, ?, ?)",
            &[
                tenant_id.into(),
                user_id.into(),
                reason.into(),
                fmt_utc(now).into(),
            ],
        )
        .await
        .or_taken()?;
    Ok(inserted.is_some())
}

/// Withdraws the open request; none open is `Ok(false)`.
pub async fn withdraw_termination(db: &dyn Sql, tenant_id: i64) -> Result<bool, StorageError> {
    // `RETURNING`, not the affected-row count: libSQL behind Spin reports 0.
    Ok(!db
        .query(
            "DELETE FROM termination_requests WHERE tenant_id = ? RETURNING tenant_id",
            &[tenant_id.into()],
        )
        .await?
        .rows
        .is_empty())
}

/// Company information as stored on the tenant row.
pub struct Company<'a> {
    pub name: &'a str,
    pub representative: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub address: &'a str,
}

pub async fn update_company(
    db: &dyn Sql,
    tenant_id: i64,
    c: &Company<'_>,
) -> Result<(), StorageError> {
    db.execute(
        "UPDATE tenants SET name = ?, representative = ?, phone = ?, email = ?, address = ? WHERE id = ?",
        &[
            c.name.into(),
            c.representative.into(),
            c.phone.into(),
            c.email.into(),
            c.address.into(),
            tenant_id.into(),
        ],
    )
    .await?;
    Ok(())
}
