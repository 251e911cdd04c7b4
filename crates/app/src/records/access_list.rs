//! A tenant's IP allowlist in SQL (ACC-1).

use serde::Serialize;
use switchboard_domain::{IpAllowlist, IpRule};
use switchboard_storage::{Sql, Statement, StorageError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub rule: IpRule,
    pub note: String,
}

pub async fn load(db: &dyn Sql, tenant_id: i64) -> Result<Vec<Entry>, StorageError> {
    let rows = db
        .query(
            "SELECT rule, note FROM ip_allowlist WHERE tenant_id = ? ORDER BY position",
            &[tenant_id.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                rule: IpRule::parse(&r.text(0)?).map_err(|e| StorageError::new(e.message))?,
                note: r.text(1)?,
            })
        })
        .collect()
}

pub async fn allowlist(db: &dyn Sql, tenant_id: i64) -> Result<IpAllowlist, StorageError> {
    Ok(IpAllowlist::new(
        load(db, tenant_id)
            .await?
            .into_iter()
            .map(|e| e.rule)
            .collect(),
    ))
}

/// Replaces the list in one transaction.
pub async fn replace(db: &dyn Sql, tenant_id: i64, entries: &[Entry]) -> Result<(), StorageError> {
    let mut statements = vec![Statement::new(
        "DELETE FROM ip_allowlist WHERE tenant_id = ?",
        vec![tenant_id.into()],
    )];
    for (position, e) in entries.iter().enumerate() {
        statements.push(Statement::new(
            "INSERT INTO ip_allowlist (tenant_id, position, rule, note) VALUES (?, ?, ?, ?)",
            vec![
                tenant_id.into(),
                i64::try_from(position).unwrap_or(i64::MAX).into(),
                e.rule.to_string().into(),
                e.note.as_str().into(),
            ],
        ));
    }
    db.batch(&statements).await?;
    Ok(())
}
