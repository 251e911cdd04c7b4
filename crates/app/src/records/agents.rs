//! Agents in SQL (SVC-1, SVC-2). Every function takes the tenant ID and
//! filters by it. Only `active` agents take a licence, and the licence
//! limit is checked inside the statement that adds or re-enables an agent,
//! so two requests at once cannot exceed it.

use crate::records::tenants::TenantScope;
use crate::security::passwords;
use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_domain::{AccountStatus, LoginId, NewPassword, PersonName};
use switchboard_storage::{Row, Sql, Statement, StorageError, Value};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agent {
    pub id: i64,
    pub login_id: String,
    pub name: String,
    pub status: String,
    /// The agent-connect menus the agent serves (SVC-2).
    pub menus: Vec<i64>,
    pub created_at: String,
}

/// Active agents counted against the tenant's licences, as one condition.
const SEAT_FREE: &str = "(SELECT COUNT(*) FROM agents WHERE tenant_id = ? AND status = 'active') \
    < (SELECT licence_count FROM tenants WHERE id = ?)";

fn from_row(r: &Row) -> Result<Agent, StorageError> {
    Ok(Agent {
        id: r.i64(0)?,
        login_id: r.text(1)?,
        name: r.text(2)?,
        status: r.text(3)?,
        menus: Vec::new(),
        created_at: r.text(4)?,
    })
}

async fn with_menus(
    db: &dyn Sql,
    tenant_id: i64,
    mut agents: Vec<Agent>,
) -> Result<Vec<Agent>, StorageError> {
    let rows = db
        .query(
            "SELECT am.agent_id, am.menu_id FROM agent_menus am JOIN agents a ON a.id = am.agent_id \
             WHERE a.tenant_id = ? ORDER BY am.menu_id",
            &[tenant_id.into()],
        )
        .await?;
    for r in &rows {
        let (agent, menu) = (r.i64(0)?, r.i64(1)?);
        if let Some(a) = agents.iter_mut().find(|a| a.id == agent) {
            a.menus.push(menu);
        }
    }
    Ok(agents)
}

/// The tenant's agents, deleted ones left out.
pub async fn list(db: &dyn Sql, tenant_id: i64) -> Result<Vec<Agent>, StorageError> {
    let rows = db
        .query(
            "SELECT id, login_id, name, status, created_at FROM agents \
             WHERE tenant_id = ? AND status != 'deleted' ORDER BY login_id",
            &[tenant_id.into()],
        )
        .await?;
    let agents = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    with_menus(db, tenant_id, agents).await
}

pub async fn get(db: &dyn Sql, tenant_id: i64, id: i64) -> Result<Option<Agent>, StorageError> {
    let row = db
        .query_row(
            "SELECT id, login_id, name, status, created_at FROM agents \
             WHERE id = ? AND tenant_id = ? AND status != 'deleted'",
            &[id.into(), tenant_id.into()],
        )
        .await?;
    let Some(agent) = row.as_ref().map(from_row).transpose()? else {
        return Ok(None);
    };
    Ok(with_menus(db, tenant_id, vec![agent]).await?.pop())
}

/// (active agents, licences).
pub async fn seats(db: &dyn Sql, tenant_id: i64) -> Result<(i64, i64), StorageError> {
    let row = db
        .query_row(
            "SELECT (SELECT COUNT(*) FROM agents WHERE tenant_id = ? AND status = 'active'), \
             (SELECT licence_count FROM tenants WHERE id = ?)",
            &[tenant_id.into(), tenant_id.into()],
        )
        .await?
        .ok_or_else(|| StorageError::new("no such tenant"))?;
    Ok((row.i64(0)?, row.i64(1)?))
}

pub enum Created {
    Agent(i64),
    LoginIdTaken,
    NoSeat,
}

pub async fn create(
    db: &dyn Sql,
    tenant_id: i64,
    login_id: &LoginId,
    name: &PersonName,
    password: &NewPassword,
    now: jiff::Timestamp,
) -> Result<Created, StorageError> {
    let hash = passwords::hash(password.expose()).map_err(StorageError::new)?;
    let now = fmt_utc(now);
    let sql = format!(
        "INSERT INTO agents (tenant_id, login_id, name, password_hash, status, created_at, updated_at) \
         SELECT ?, ?, ?, ?, 'active', ?, ? WHERE {SEAT_FREE} RETURNING id"
    );
    let params: Vec<Value> = vec![
        tenant_id.into(),
        login_id.as_str().into(),
        name.as_str().into(),
        hash.into(),
        now.clone().into(),
        now.into(),
        tenant_id.into(),
        tenant_id.into(),
    ];
    match db.query(&sql, &params).await {
        Err(e) if e.is_unique_violation() => Ok(Created::LoginIdTaken),
        Err(e) => Err(e),
        Ok(rows) => match rows.first() {
            Some(r) => Ok(Created::Agent(r.i64(0)?)),
            None => Ok(Created::NoSeat),
        },
    }
}

pub struct Changes<'a> {
    pub name: Option<&'a PersonName>,
    pub password: Option<&'a NewPassword>,
    /// `active` (needs a free seat, checked in the statement) or `disabled`.
    pub status: Option<&'static str>,
}

/// Applies `c` to agent `id`; `Ok(false)` when re-enabling found no seat.
pub async fn update(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
    c: &Changes<'_>,
    now: jiff::Timestamp,
) -> Result<bool, StorageError> {
    let hash = c
        .password
        .map(|p| passwords::hash(p.expose()).map_err(StorageError::new))
        .transpose()?;
    let epoch_bump = i64::from(hash.is_some() || c.status == Some("disabled"));
    let sql = format!(
        "UPDATE agents SET name = COALESCE(?, name), password_hash = COALESCE(?, password_hash), \
         status = COALESCE(?, status), session_epoch = session_epoch + ?, updated_at = ? \
         WHERE id = ? AND tenant_id = ? AND status != 'deleted' \
         AND (COALESCE(?, status) != 'active' OR status = 'active' OR {SEAT_FREE}) RETURNING id"
    );
    // `RETURNING`, not the affected-row count: libSQL behind Spin reports 0.
    let updated = db
        .query_row(
            &sql,
            &[
                c.name.map(PersonName::as_str).into(),
                hash.into(),
                c.status.into(),
                epoch_bump.into(),
                fmt_utc(now).into(),
                id.into(),
                tenant_id.into(),
                c.status.into(),
                tenant_id.into(),
                tenant_id.into(),
            ],
        )
        .await?;
    Ok(updated.is_some())
}

/// Soft delete: the row (and so the name history shows) stays, the seat and
/// the login ID become free, the assignments go.
pub async fn delete(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    db.batch(&[
        Statement::new(
            "DELETE FROM agent_menus WHERE agent_id = (SELECT id FROM agents WHERE id = ? AND tenant_id = ?)",
            vec![id.into(), tenant_id.into()],
        ),
        Statement::new(
            "UPDATE agents SET status = 'deleted', session_epoch = session_epoch + 1, updated_at = ? \
             WHERE id = ? AND tenant_id = ?",
            vec![fmt_utc(now).into(), id.into(), tenant_id.into()],
        ),
    ])
    .await?;
    Ok(())
}

/// Replaces agent `id`'s menus with `menu_ids` (the tenant's agent-connect
/// menus only; the caller has checked them) in one transaction.
pub async fn assign(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
    menu_ids: &[i64],
) -> Result<(), StorageError> {
    let mut statements = vec![Statement::new(
        "DELETE FROM agent_menus WHERE agent_id = (SELECT id FROM agents WHERE id = ? AND tenant_id = ?)",
        vec![id.into(), tenant_id.into()],
    )];
    for menu in menu_ids {
        statements.push(Statement::new(
            "INSERT INTO agent_menus (agent_id, menu_id) \
             SELECT a.id, m.id FROM agents a, ars_menus m WHERE a.id = ? AND a.tenant_id = ? \
             AND a.status != 'deleted' AND m.id = ? AND m.tenant_id = ? AND m.kind = 'agents'",
            vec![
                id.into(),
                tenant_id.into(),
                (*menu).into(),
                tenant_id.into(),
            ],
        ));
    }
    db.batch(&statements).await?;
    Ok(())
}

/// An agent as the agent API signs them in (AGT-1): the account with its
/// credentials and its tenant's service state.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentAccount {
    pub id: i64,
    pub tenant_id: i64,
    pub login_id: String,
    pub name: String,
    pub status: AccountStatus,
    pub session_epoch: i64,
    pub password_hash: String,
    pub tenant_name: String,
    pub tenant: TenantScope,
}

const ACCOUNT: &str = "SELECT a.id, a.tenant_id, a.login_id, a.name, a.status, a.session_epoch, \
    a.password_hash, t.name, t.status, t.service_end, t.time_zone \
    FROM agents a JOIN tenants t ON t.id = a.tenant_id";

fn account_from_row(r: &Row) -> Result<AgentAccount, StorageError> {
    Ok(AgentAccount {
        id: r.i64(0)?,
        tenant_id: r.i64(1)?,
        login_id: r.text(2)?,
        name: r.text(3)?,
        status: AccountStatus::parse(&r.text(4)?).map_err(|e| StorageError::new(e.message))?,
        session_epoch: r.i64(5)?,
        password_hash: r.text(6)?,
        tenant_name: r.text(7)?,
        tenant: TenantScope::from_columns(r.i64(1)?, &r.text(8)?, &r.text(9)?, &r.text(10)?)?,
    })
}

/// The tenant's agent with `login_id` (not deleted), for sign-in.
pub async fn account_by_login(
    db: &dyn Sql,
    tenant_id: i64,
    login_id: &str,
) -> Result<Option<AgentAccount>, StorageError> {
    let sql =
        format!("{ACCOUNT} WHERE a.tenant_id = ? AND a.login_id = ? AND a.status != 'deleted'");
    db.query_row(&sql, &[tenant_id.into(), login_id.into()])
        .await?
        .as_ref()
        .map(account_from_row)
        .transpose()
}

/// Agent `id` of the tenant, whatever its status, for checking a token.
pub async fn account_by_id(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
) -> Result<Option<AgentAccount>, StorageError> {
    let sql = format!("{ACCOUNT} WHERE a.id = ? AND a.tenant_id = ?");
    db.query_row(&sql, &[id.into(), tenant_id.into()])
        .await?
        .as_ref()
        .map(account_from_row)
        .transpose()
}
