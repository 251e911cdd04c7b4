//! Admin accounts in SQL (AUTH-2). Every function that reads a tenant's
//! accounts takes the tenant ID and filters by it, so a handler cannot reach
//! another tenant's account by ID.

use crate::security::passwords;
use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_domain::{LoginId, NewPassword, PersonName, Role};
use switchboard_storage::{Row, Sql, StorageError, Value};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub login_id: String,
    pub name: String,
    pub role: Role,
    pub status: String,
    pub created_at: String,
    #[serde(skip)]
    pub session_epoch: i64,
    #[serde(skip)]
    pub password_hash: String,
}

const COLUMNS: &str =
    "id, tenant_id, login_id, name, role, status, created_at, session_epoch, password_hash";

fn from_row(r: &Row) -> Result<User, StorageError> {
    Ok(User {
        id: r.i64(0)?,
        tenant_id: r.opt_i64(1)?,
        login_id: r.text(2)?,
        name: r.text(3)?,
        role: Role::parse(&r.text(4)?).map_err(StorageError::new)?,
        status: r.text(5)?,
        created_at: r.text(6)?,
        session_epoch: r.i64(7)?,
        password_hash: r.text(8)?,
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

/// The active or disabled (not deleted) account with this login ID.
pub async fn by_login(db: &dyn Sql, login_id: &str) -> Result<Option<User>, StorageError> {
    one(
        db,
        "login_id = ? AND status != 'deleted'",
        &[login_id.into()],
    )
    .await
}

pub async fn by_id(db: &dyn Sql, id: i64) -> Result<Option<User>, StorageError> {
    one(db, "id = ?", &[id.into()]).await
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

/// Active owners of a tenant other than `except`.
pub async fn other_active_owners(
    db: &dyn Sql,
    tenant_id: i64,
    except: i64,
) -> Result<i64, StorageError> {
    let row = db
        .query_row(
            "SELECT COUNT(*) FROM users WHERE tenant_id = ? AND role = 'owner' AND status = 'active' AND id != ?",
            &[tenant_id.into(), except.into()],
        )
        .await?;
    row.map_or(Ok(0), |r| r.i64(0))
}

pub struct NewUser<'a> {
    pub tenant_id: Option<i64>,
    pub login_id: &'a LoginId,
    pub name: &'a PersonName,
    pub role: Role,
    pub password: &'a NewPassword,
}

/// Creates an account. A taken login ID is `Ok(None)`.
pub async fn create(
    db: &dyn Sql,
    u: &NewUser<'_>,
    now: jiff::Timestamp,
) -> Result<Option<User>, StorageError> {
    let hash = passwords::hash(u.password.expose()).map_err(StorageError::new)?;
    let now = fmt_utc(now);
    let result = db
        .query(
            "INSERT INTO users (tenant_id, login_id, name, role, password_hash, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            &[
                u.tenant_id.into(),
                u.login_id.as_str().into(),
                u.name.as_str().into(),
                u.role.as_str().into(),
                hash.into(),
                now.as_str().into(),
                now.as_str().into(),
            ],
        )
        .await;
    match result {
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

/// Sets a new password and ends every existing session of the account.
pub async fn set_password(
    db: &dyn Sql,
    id: i64,
    password: &NewPassword,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    let hash = passwords::hash(password.expose()).map_err(StorageError::new)?;
    db.execute(
        "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1, updated_at = ? WHERE id = ?",
        &[hash.into(), fmt_utc(now).into(), id.into()],
    )
    .await?;
    Ok(())
}

pub struct Changes {
    pub name: Option<PersonName>,
    pub role: Option<Role>,
    pub status: Option<&'static str>,
}

pub async fn update(
    db: &dyn Sql,
    id: i64,
    c: &Changes,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    db.execute(
        "UPDATE users SET name = COALESCE(?, name), role = COALESCE(?, role), status = COALESCE(?, status), \
         session_epoch = session_epoch + (CASE WHEN ? IS NULL THEN 0 ELSE 1 END), updated_at = ? WHERE id = ?",
        &[
            c.name.as_ref().map(PersonName::as_str).into(),
            c.role.map(Role::as_str).into(),
            c.status.into(),
            c.status.into(),
            fmt_utc(now).into(),
            id.into(),
        ],
    )
    .await?;
    Ok(())
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
    let name = PersonName::parse("Platform operator").map_err(StorageError::new)?;
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
