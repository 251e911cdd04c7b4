//! Admin accounts in SQL (AUTH-2). Every function that reads a tenant's
//! accounts takes the tenant ID and filters by it, so a handler cannot reach
//! another tenant's account by ID.

use crate::records::tenants::TenantScope;
use crate::security::passwords;
use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_domain::{AccountStatus, LoginId, NewPassword, PersonName, Role};
use switchboard_storage::{Row, Sql, Statement, StorageError, Value};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub login_id: String,
    pub name: String,
    pub role: Role,
    pub status: AccountStatus,
    pub created_at: String,
    #[serde(skip)]
    pub session_epoch: i64,
}

/// An account with its password hash, for the two places that check a
/// password (sign-in, changing one's own). Nothing else reads the hash, so
/// it never reaches the request context.
#[derive(Debug, Clone, PartialEq)]
pub struct WithPassword {
    pub user: User,
    pub password_hash: String,
}

const COLUMNS: &str = "id, tenant_id, login_id, name, role, status, created_at, session_epoch";

fn from_row(r: &Row) -> Result<User, StorageError> {
    Ok(User {
        id: r.i64(0)?,
        tenant_id: r.opt_i64(1)?,
        login_id: r.text(2)?,
        name: r.text(3)?,
        role: Role::parse(&r.text(4)?).map_err(|e| StorageError::new(e.message))?,
        status: AccountStatus::parse(&r.text(5)?).map_err(|e| StorageError::new(e.message))?,
        created_at: r.text(6)?,
        session_epoch: r.i64(7)?,
    })
}

async fn one(db: &dyn Sql, where_: &str, params: &[Value]) -> Result<Option<User>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE {where_}");
    db.query_row(&sql, params)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The active or disabled (not deleted) account with this login ID, with
/// its password hash (sign-in).
pub async fn by_login(db: &dyn Sql, login_id: &str) -> Result<Option<WithPassword>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS}, password_hash FROM users WHERE login_id = ? AND status != 'deleted'"
    );
    let Some(r) = db.query_row(&sql, &[login_id.into()]).await? else {
        return Ok(None);
    };
    Ok(Some(WithPassword {
        user: from_row(&r)?,
        password_hash: r.text(8)?,
    }))
}

/// The password hash of account `id` (changing one's own password).
pub async fn password_hash(db: &dyn Sql, id: i64) -> Result<Option<String>, StorageError> {
    db.query_row("SELECT password_hash FROM users WHERE id = ?", &[id.into()])
        .await?
        .map(|r| r.text(0))
        .transpose()
}

pub async fn by_id(db: &dyn Sql, id: i64) -> Result<Option<User>, StorageError> {
    one(db, "id = ?", &[id.into()]).await
}

/// The account by ID with its tenant's scope, in one query (the signed-in
/// path runs it on every request). The operator has no tenant.
pub async fn by_id_with_tenant(
    db: &dyn Sql,
    id: i64,
) -> Result<Option<(User, Option<TenantScope>)>, StorageError> {
    let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("u.{c}")).collect();
    let sql = format!(
        "SELECT {}, t.id, t.status, t.service_end, t.time_zone FROM users u \
         LEFT JOIN tenants t ON t.id = u.tenant_id WHERE u.id = ?",
        columns.join(", ")
    );
    let Some(r) = db.query_row(&sql, &[id.into()]).await? else {
        return Ok(None);
    };
    let user = from_row(&r)?;
    let scope = match (
        r.opt_i64(8)?,
        r.opt_text(9)?,
        r.opt_text(10)?,
        r.opt_text(11)?,
    ) {
        (Some(id), Some(status), Some(service_end), Some(time_zone)) => Some(
            TenantScope::from_columns(id, &status, &service_end, &time_zone)?,
        ),
        _ => None,
    };
    Ok(Some((user, scope)))
}

/// A tenant's account by ID; another tenant's (or a deleted) account is
/// `None`.
pub async fn in_tenant(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
) -> Result<Option<User>, StorageError> {
    one(
        db,
        "id = ? AND tenant_id = ? AND status != 'deleted'",
        &[id.into(), tenant_id.into()],
    )
    .await
}

pub async fn list(db: &dyn Sql, tenant_id: i64) -> Result<Vec<User>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE tenant_id = ? AND status != 'deleted' ORDER BY login_id"
    );
    db.query(&sql, &[tenant_id.into()])
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub struct NewUser<'a> {
    pub tenant_id: Option<i64>,
    pub login_id: &'a LoginId,
    pub name: &'a PersonName,
    pub role: Role,
    pub password: &'a NewPassword,
}

const INSERT: &str = "INSERT INTO users (tenant_id, login_id, name, role, password_hash, created_at, updated_at) \
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

fn insert_params(u: &NewUser<'_>, tenant: Value, hash: String, now: &str) -> Vec<Value> {
    vec![
        tenant,
        u.login_id.as_str().into(),
        u.name.as_str().into(),
        u.role.as_str().into(),
        hash.into(),
        now.into(),
        now.into(),
    ]
}

/// Creates an account. A taken login ID is `Ok(None)`.
pub async fn create(
    db: &dyn Sql,
    u: &NewUser<'_>,
    now: jiff::Timestamp,
) -> Result<Option<User>, StorageError> {
    let hash = passwords::hash(u.password.expose()).map_err(StorageError::new)?;
    let params = insert_params(u, u.tenant_id.into(), hash, &fmt_utc(now));
    match db.query(INSERT, &params).await {
        Err(e) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e),
        Ok(rows) => {
            let id = rows
                .first()
                .ok_or_else(|| StorageError::new("no id returned"))?
                .i64(0)?;
            by_id(db, id).await
        }
    }
}

/// The statement that creates `u` as the owner of the tenant inserted just
/// before it in the same batch (a sign-up is one transaction).
pub fn insert_after_tenant(
    u: &NewUser<'_>,
    now: jiff::Timestamp,
) -> Result<Statement, StorageError> {
    let hash = passwords::hash(u.password.expose()).map_err(StorageError::new)?;
    let sql = INSERT
        .replacen("VALUES (?,", "VALUES (last_insert_rowid(),", 1)
        .replace(" RETURNING id", "");
    let mut params = insert_params(u, Value::Null, hash, &fmt_utc(now));
    params.remove(0);
    Ok(Statement::new(sql, params))
}

/// Sets a new password and ends every existing session of the account;
/// returns the new session epoch.
pub async fn set_password(
    db: &dyn Sql,
    id: i64,
    password: &NewPassword,
    now: jiff::Timestamp,
) -> Result<i64, StorageError> {
    let hash = passwords::hash(password.expose()).map_err(StorageError::new)?;
    let row = db
        .query_row(
            "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1, updated_at = ? \
             WHERE id = ? RETURNING session_epoch",
            &[hash.into(), fmt_utc(now).into(), id.into()],
        )
        .await?;
    row.ok_or_else(|| StorageError::new("no such user"))?.i64(0)
}

pub struct Changes {
    pub name: Option<PersonName>,
    pub role: Option<Role>,
    pub status: Option<&'static str>,
}

/// Applies `c` to account `id`. With `keep_owner`, the change happens only
/// if another active owner of the tenant remains — checked in the same
/// statement, so two owners demoting each other at once cannot both succeed.
/// Returns whether the account changed.
pub async fn update(
    db: &dyn Sql,
    id: i64,
    c: &Changes,
    keep_owner: bool,
    now: jiff::Timestamp,
) -> Result<bool, StorageError> {
    // `RETURNING`, not the affected-row count: libSQL behind Spin reports 0.
    let changed = db
        .query_row(
            "UPDATE users SET name = COALESCE(?, name), role = COALESCE(?, role), \
             status = COALESCE(?, status), \
             session_epoch = session_epoch + (CASE WHEN ? IS NULL THEN 0 ELSE 1 END), updated_at = ? \
             WHERE id = ? AND (? = 0 OR EXISTS (SELECT 1 FROM users o WHERE o.tenant_id = users.tenant_id \
               AND o.role = 'owner' AND o.status = 'active' AND o.id != users.id)) RETURNING id",
            &[
                c.name.as_ref().map(PersonName::as_str).into(),
                c.role.map(Role::as_str).into(),
                c.status.into(),
                c.status.into(),
                fmt_utc(now).into(),
                id.into(),
                keep_owner.into(),
            ],
        )
        .await?;
    Ok(changed.is_some())
}

/// Creates the platform operator from the bootstrap variables when no
/// operator with that login exists yet (first start). Changing the variable
/// later does not change an existing operator's password.
pub async fn bootstrap_operator(
    db: &dyn Sql,
    login: &str,
    password: &str,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    if password.is_empty() {
        return Ok(());
    }
    let (Ok(login_id), Ok(password)) = (LoginId::parse(login), NewPassword::parse(password)) else {
        eprintln!(
            "bootstrap operator not created: bootstrap_operator_login or _password is invalid (password needs 10+ characters)"
        );
        return Ok(());
    };
    if by_login(db, login_id.as_str()).await?.is_some() {
        return Ok(());
    }
    let name = PersonName::parse("Platform operator").map_err(|e| StorageError::new(e.message))?;
    create(
        db,
        &NewUser {
            tenant_id: None,
            login_id: &login_id,
            name: &name,
            role: Role::Operator,
            password: &password,
        },
        now,
    )
    .await?;
    Ok(())
}
