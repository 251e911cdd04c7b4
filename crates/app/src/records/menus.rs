//! The ARS menu in SQL (ARS-3). Every function takes the tenant ID and
//! filters by it.

use crate::records::ars::Message;
use crate::time::fmt_utc;
use switchboard_storage::{OrTaken, Row, Sql, Statement, StorageError, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum MenuKind {
    /// Connect to the agents serving `queue`; `callback` offers a callback
    /// when they are busy.
    Agents { queue: String, callback: bool },
    /// Play a message.
    Info(Message),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    pub id: i64,
    pub digit: i64,
    pub kind: MenuKind,
    /// How many agents are assigned (SVC-2).
    pub agents: i64,
}

const SELECT: &str = "SELECT m.id, m.digit, m.kind, m.queue, m.callback, m.message_kind, m.message_text, \
    m.message_audio_id, (SELECT COUNT(*) FROM agent_menus am JOIN agents a ON a.id = am.agent_id \
    WHERE am.menu_id = m.id AND a.status != 'deleted') FROM ars_menus m";

fn from_row(r: &Row) -> Result<Menu, StorageError> {
    let kind = match r.text(2)?.as_str() {
        "agents" => MenuKind::Agents {
            queue: r.opt_text(3)?.unwrap_or_default(),
            callback: r.i64(4)? != 0,
        },
        _ => MenuKind::Info(Message::from_columns(
            &r.opt_text(5)?.unwrap_or_default(),
            r.opt_text(6)?,
            r.opt_i64(7)?,
        )?),
    };
    Ok(Menu {
        id: r.i64(0)?,
        digit: r.i64(1)?,
        kind,
        agents: r.i64(8)?,
    })
}

pub async fn list(db: &dyn Sql, tenant_id: i64) -> Result<Vec<Menu>, StorageError> {
    let sql = format!("{SELECT} WHERE m.tenant_id = ? ORDER BY m.digit");
    db.query(&sql, &[tenant_id.into()])
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn get(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<Option<Menu>, StorageError> {
    let sql = format!("{SELECT} WHERE m.id = ? AND m.tenant_id = ?");
    db.query_row(&sql, &[id.into(), tenant_id.into()])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The columns a menu's kind fills: kind, queue, callback, message kind,
/// text and audio ID.
fn kind_values(k: &MenuKind) -> [Value; 6] {
    match k {
        MenuKind::Agents { queue, callback } => [
            "agents".into(),
            queue.as_str().into(),
            (*callback).into(),
            Value::Null,
            Value::Null,
            Value::Null,
        ],
        MenuKind::Info(m) => [
            "info".into(),
            Value::Null,
            false.into(),
            m.kind().into(),
            m.text().into(),
            m.audio_id().into(),
        ],
    }
}

/// Creates a menu; a digit already in use is `Ok(None)`.
pub async fn create(
    db: &dyn Sql,
    tenant_id: i64,
    digit: i64,
    kind: &MenuKind,
    now: jiff::Timestamp,
) -> Result<Option<i64>, StorageError> {
    let now = fmt_utc(now);
    let mut params: Vec<Value> = vec![tenant_id.into(), digit.into()];
    params.extend(kind_values(kind));
    params.extend([now.clone().into(), now.into()]);
    match db
        .query(
            "INSERT INTO ars_menus (tenant_id, digit, kind, queue, callback, message_kind, \
             message_text, message_audio_id, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            &params,
        )
        .await
    {
        Err(e) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e),
        Ok(rows) => Ok(Some(
            rows.first()
                .ok_or_else(|| StorageError::new("no id returned"))?
                .i64(0)?,
        )),
    }
}

/// Replaces menu `id`; with `drop_assignments` (the menu stops connecting
/// to agents) its assignments go in the same transaction. A digit in use is
/// `Ok(false)`.
pub async fn update(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
    digit: i64,
    kind: &MenuKind,
    drop_assignments: bool,
    now: jiff::Timestamp,
) -> Result<bool, StorageError> {
    let mut params: Vec<Value> = vec![digit.into()];
    params.extend(kind_values(kind));
    params.extend([fmt_utc(now).into(), id.into(), tenant_id.into()]);
    let mut statements = Vec::new();
    if drop_assignments {
        statements.push(unassign_all(tenant_id, id));
    }
    statements.push(Statement::new(
        "UPDATE ars_menus SET digit = ?, kind = ?, queue = ?, callback = ?, message_kind = ?, \
         message_text = ?, message_audio_id = ?, updated_at = ? WHERE id = ? AND tenant_id = ?",
        params,
    ));
    Ok(db.batch(&statements).await.or_taken()?.is_some())
}

fn unassign_all(tenant_id: i64, menu_id: i64) -> Statement {
    Statement::new(
        "DELETE FROM agent_menus WHERE menu_id = (SELECT id FROM ars_menus WHERE id = ? AND tenant_id = ?)",
        vec![menu_id.into(), tenant_id.into()],
    )
}

/// Deletes menu `id` and its assignments in one transaction.
pub async fn delete(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<(), StorageError> {
    db.batch(&[
        unassign_all(tenant_id, id),
        Statement::new(
            "DELETE FROM ars_menus WHERE id = ? AND tenant_id = ?",
            vec![id.into(), tenant_id.into()],
        ),
    ])
    .await?;
    Ok(())
}
