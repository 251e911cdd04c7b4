//! The number inventory in SQL (ARS-1, TEL-1; issue 14, finding 1): which
//! tenant holds a telephone number from when until when. The platform
//! operator provisions and releases numbers; a tenant chooses its
//! representative number and caller ID among the numbers it holds now; the
//! event webhook finds an event's tenant as the holder of its `line` at the
//! event's time, or the company that already has the event's call
//! ([`EVENT_TENANT`]).

use crate::time::fmt_utc_ms;
use serde::Serialize;
use switchboard_domain::PhoneNumber;
use switchboard_storage::{Row, Sql, StorageError, Value};

/// SQL for the tenant an event on a line belongs to, as a scalar
/// subquery with five positional parameters ([`event_tenant_params`]): the
/// company that already has this call on this line, so a call that spans a
/// release (its recording, a callback request, its end arriving after the
/// number changed hands) stays whole with the company it started with;
/// otherwise the holder of the number at the event's time (`since_ms` NULL
/// is "since always": the number's first holder).
pub const EVENT_TENANT: &str = "COALESCE(\
     (SELECT tenant_id FROM calls WHERE call_id = ? AND line = ? ORDER BY id LIMIT 1), \
     (SELECT tenant_id FROM phone_numbers WHERE number = ? \
      AND (since_ms IS NULL OR since_ms <= ?) AND (until_ms IS NULL OR until_ms > ?)))";

/// The parameters of [`EVENT_TENANT`], in order.
pub fn event_tenant_params(call: Option<&str>, line: &str, at_ms: i64) -> Vec<Value> {
    vec![
        call.into(),
        line.into(),
        line.into(),
        at_ms.into(),
        at_ms.into(),
    ]
}

/// One holding: `number` was (or is) `tenant_id`'s from `since` until
/// `until` (both RFC 3339 in UTC; `since` None = since always, `until`
/// None = still held).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holding {
    pub id: i64,
    /// The digits, as events name the line.
    pub number: String,
    /// As Koreans write it (`070-1234-5678`).
    pub formatted: String,
    pub tenant_id: i64,
    pub tenant_name: String,
    pub since: Option<String>,
    pub until: Option<String>,
    pub current: bool,
}

const SELECT: &str = "SELECT p.id, p.number, p.tenant_id, t.name, p.since_ms, p.until_ms \
     FROM phone_numbers p JOIN tenants t ON t.id = p.tenant_id";

fn from_row(r: &Row) -> Result<Holding, StorageError> {
    let number = r.text(1)?;
    let formatted = PhoneNumber::parse(&number)
        .map(|n| n.formatted())
        .unwrap_or_else(|_| number.clone());
    let until_ms = r.opt_i64(5)?;
    Ok(Holding {
        id: r.i64(0)?,
        formatted,
        number,
        tenant_id: r.i64(2)?,
        tenant_name: r.text(3)?,
        since: r.opt_i64(4)?.map(fmt_utc_ms).transpose()?,
        until: until_ms.map(fmt_utc_ms).transpose()?,
        current: until_ms.is_none(),
    })
}

/// What the operator's list is narrowed to.
#[derive(Debug, Default, Clone)]
pub struct Filter<'a> {
    pub tenant_id: Option<i64>,
    /// Digits the number contains.
    pub digits: Option<&'a str>,
    pub current_only: bool,
}

/// Holdings, current first, then by number and time.
pub async fn list(db: &dyn Sql, f: &Filter<'_>) -> Result<Vec<Holding>, StorageError> {
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    let mut params: Vec<Value> = Vec::new();
    if let Some(t) = f.tenant_id {
        sql.push_str(" AND p.tenant_id = ?");
        params.push(t.into());
    }
    if let Some(d) = f.digits {
        sql.push_str(" AND instr(p.number, ?) > 0");
        params.push(d.into());
    }
    if f.current_only {
        sql.push_str(" AND p.until_ms IS NULL");
    }
    sql.push_str(" ORDER BY p.until_ms IS NOT NULL, p.number, COALESCE(p.since_ms, 0), p.id");
    db.query(&sql, &params)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn by_id(db: &dyn Sql, id: i64) -> Result<Option<Holding>, StorageError> {
    db.query_row(&format!("{SELECT} WHERE p.id = ?"), &[id.into()])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Whether `tenant_id` holds `number` now.
pub async fn holds(db: &dyn Sql, tenant_id: i64, number: &str) -> Result<bool, StorageError> {
    Ok(db
        .query_row(
            "SELECT 1 FROM phone_numbers WHERE tenant_id = ? AND number = ? AND until_ms IS NULL",
            &[tenant_id.into(), number.into()],
        )
        .await?
        .is_some())
}

/// Why a provisioning was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    /// Another holding of the number covers part of the requested time
    /// (its current holder, or a past one when `since` goes back).
    Overlaps,
}

/// Provisions `number` to `tenant_id` from `since_ms` (None: since always
/// when the number was never held, otherwise from `now_ms`). One statement:
/// the overlap check and the insert cannot be separated by another
/// operator's request; the partial unique index backs it for the current
/// holder.
pub async fn provision(
    db: &dyn Sql,
    number: &PhoneNumber,
    tenant_id: i64,
    since_ms: Option<i64>,
    now_ms: i64,
) -> Result<Result<Holding, Refused>, StorageError> {
    let rows = db
        .query(
            "INSERT INTO phone_numbers (number, tenant_id, since_ms, until_ms, created_at) \
             SELECT ?1, ?2, \
                    CASE WHEN ?3 IS NOT NULL THEN ?3 \
                         WHEN EXISTS (SELECT 1 FROM phone_numbers WHERE number = ?1) THEN ?4 \
                    END, NULL, ?5 \
             WHERE NOT EXISTS (SELECT 1 FROM phone_numbers WHERE number = ?1 \
                               AND (until_ms IS NULL OR until_ms > COALESCE(?3, ?4))) \
             RETURNING id",
            &[
                number.as_str().into(),
                tenant_id.into(),
                since_ms.into(),
                now_ms.into(),
                fmt_utc_ms(now_ms)?.into(),
            ],
        )
        .await;
    let rows = match rows {
        Err(e) if e.is_unique_violation() => return Ok(Err(Refused::Overlaps)),
        other => other?,
    };
    let Some(id) = rows.first().map(|r| r.i64(0)).transpose()? else {
        return Ok(Err(Refused::Overlaps));
    };
    by_id(db, id)
        .await?
        .map(Ok)
        .ok_or_else(|| StorageError::new("holding vanished after insert"))
}

/// Ends a current holding at `now_ms`; its history stays with the tenant.
/// The `phone_numbers_released` trigger takes the number out of the
/// tenant's ARS settings in the same statement. `None` when `id` is no
/// current holding.
pub async fn release(db: &dyn Sql, id: i64, now_ms: i64) -> Result<Option<Holding>, StorageError> {
    let rows = db
        .query(
            "UPDATE phone_numbers SET until_ms = MAX(?2, COALESCE(since_ms, 0) + 1) \
             WHERE id = ?1 AND until_ms IS NULL RETURNING id",
            &[id.into(), now_ms.into()],
        )
        .await?;
    match rows.first() {
        None => Ok(None),
        Some(_) => by_id(db, id).await,
    }
}
