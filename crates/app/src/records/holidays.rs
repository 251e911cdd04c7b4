//! Holidays in SQL (ARS-5). Every function takes the tenant ID and filters
//! by it. Stored rows are parsed again into [`Holiday`] when read.
//!
//! Two holidays are the same day when they repeat the same way and fall on
//! the same `day_key`: the date for `once`, the month and day for `yearly`
//! (a yearly holiday entered as 2026-05-01 is the same as one entered as
//! 2027-05-01). The table's UNIQUE constraint enforces it.

use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_domain::schedule::{Holiday, HolidayInput, Repeat};
use switchboard_storage::{OrTaken, Row, Sql, Statement, StorageError};

/// A stored holiday with its ID.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredHoliday {
    pub id: i64,
    #[serde(flatten)]
    pub holiday: Holiday,
}

/// The key that makes two holidays the same day (see the module docs).
pub fn day_key(h: &Holiday) -> String {
    match h.repeat() {
        Repeat::Once => h.date().to_string(),
        Repeat::Yearly => h.date().strftime("%m-%d").to_string(),
    }
}

const COLUMNS: &str = "id, date, kind, repeat, name";

fn from_row(r: &Row) -> Result<StoredHoliday, StorageError> {
    let input = HolidayInput {
        date: Some(r.text(1)?),
        kind: Some(r.text(2)?),
        repeat: Some(r.text(3)?),
        name: Some(r.text(4)?),
    };
    Ok(StoredHoliday {
        id: r.i64(0)?,
        holiday: Holiday::parse(&input)
            .map_err(|e| StorageError::new(format!("stored holiday: {e}")))?,
    })
}

/// The tenant's holidays by date. With `year`, those that fall in it: the
/// `once` holidays dated that year and every `yearly` one.
pub async fn list(
    db: &dyn Sql,
    tenant_id: i64,
    year: Option<i16>,
) -> Result<Vec<StoredHoliday>, StorageError> {
    let rows = match year {
        None => {
            let sql =
                format!("SELECT {COLUMNS} FROM holidays WHERE tenant_id = ? ORDER BY date, id");
            db.query(&sql, &[tenant_id.into()]).await?
        }
        Some(y) => {
            let sql = format!(
                "SELECT {COLUMNS} FROM holidays WHERE tenant_id = ? \
                 AND (repeat = 'yearly' OR substr(date, 1, 4) = ?) ORDER BY substr(date, 6), id"
            );
            db.query(&sql, &[tenant_id.into(), format!("{y:04}").into()])
                .await?
        }
    };
    rows.iter().map(from_row).collect()
}

/// Every holiday of the tenant, for the evaluator.
pub async fn all(db: &dyn Sql, tenant_id: i64) -> Result<Vec<Holiday>, StorageError> {
    Ok(list(db, tenant_id, None)
        .await?
        .into_iter()
        .map(|s| s.holiday)
        .collect())
}

pub async fn get(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
) -> Result<Option<StoredHoliday>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM holidays WHERE id = ? AND tenant_id = ?");
    db.query_row(&sql, &[id.into(), tenant_id.into()])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

fn insert(tenant_id: i64, h: &Holiday, now: &str) -> Statement {
    Statement::new(
        "INSERT INTO holidays (tenant_id, date, kind, repeat, day_key, name, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            tenant_id.into(),
            h.date().to_string().into(),
            h.kind().as_str().into(),
            h.repeat().as_str().into(),
            day_key(h).into(),
            h.name().into(),
            now.into(),
            now.into(),
        ],
    )
}

/// Adds a holiday; the same day already there is `Ok(None)`.
pub async fn create(
    db: &dyn Sql,
    tenant_id: i64,
    h: &Holiday,
    now: jiff::Timestamp,
) -> Result<Option<i64>, StorageError> {
    let s = insert(tenant_id, h, &fmt_utc(now));
    let sql = format!("{} RETURNING id", s.sql);
    match db.query(&sql, &s.params).await {
        Err(e) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e),
        Ok(rows) => Ok(Some(
            rows.first()
                .ok_or_else(|| StorageError::new("no id returned"))?
                .i64(0)?,
        )),
    }
}

/// Adds several holidays in one transaction (an import).
/// Adds every holiday of `list` whose day is still free, in one transaction,
/// and says which were added: a day another request filled meanwhile is
/// skipped, not an error.
pub async fn create_all(
    db: &dyn Sql,
    tenant_id: i64,
    list: &[Holiday],
    now: jiff::Timestamp,
) -> Result<Vec<bool>, StorageError> {
    let now = fmt_utc(now);
    // Which days are taken is read first, not taken from the batch's
    // affected-row counts (libSQL behind Spin reports 0 for every write).
    // A day filled by another request between the read and the batch is
    // still skipped by `ON CONFLICT`; only its flag can then be wrong.
    let mut taken: std::collections::HashSet<(String, String)> = db
        .query(
            "SELECT repeat, day_key FROM holidays WHERE tenant_id = ?",
            &[tenant_id.into()],
        )
        .await?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?)))
        .collect::<Result<_, StorageError>>()?;
    let added: Vec<bool> = list
        .iter()
        .map(|h| taken.insert((h.repeat().as_str().to_owned(), day_key(h))))
        .collect();
    let statements: Vec<Statement> = list
        .iter()
        .map(|h| {
            let mut st = insert(tenant_id, h, &now);
            st.sql.push_str(" ON CONFLICT DO NOTHING");
            st
        })
        .collect();
    db.batch(&statements).await?;
    Ok(added)
}

/// Replaces holiday `id`; the same day as another holiday is `Ok(false)`.
pub async fn update(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
    h: &Holiday,
    now: jiff::Timestamp,
) -> Result<bool, StorageError> {
    Ok(db
        .execute(
            "UPDATE holidays SET date = ?, kind = ?, repeat = ?, day_key = ?, name = ?, updated_at = ? \
             WHERE id = ? AND tenant_id = ?",
            &[
                h.date().to_string().into(),
                h.kind().as_str().into(),
                h.repeat().as_str().into(),
                day_key(h).into(),
                h.name().into(),
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
        "DELETE FROM holidays WHERE id = ? AND tenant_id = ?",
        &[id.into(), tenant_id.into()],
    )
    .await?;
    Ok(())
}
