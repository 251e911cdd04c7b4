//! Agent sessions in SQL (HIST-4): the agent login history, from
//! `agent_sessions` (0007), with the agent's login ID and name (a deleted
//! agent keeps its row, so its name). Every function takes the tenant ID.

use serde::Serialize;
use switchboard_storage::{Sql, StorageError, Value};

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub agent_id: Option<i64>,
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    /// Only sessions still open.
    pub open_only: bool,
    /// `(login_ms, id)` of the last row shown.
    pub after: Option<(i64, i64)>,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub id: i64,
    pub agent_id: Option<i64>,
    pub login_id: String,
    pub name: Option<String>,
    pub agent_deleted: bool,
    pub platform: Option<String>,
    pub ip: Option<String>,
    pub login_ms: Option<i64>,
    pub logout_ms: Option<i64>,
}

pub async fn search(
    db: &dyn Sql,
    tenant_id: i64,
    f: &Filter,
) -> Result<Vec<Session>, StorageError> {
    let mut cond = String::from("s.tenant_id = ? AND s.login_ms IS NOT NULL");
    let mut params: Vec<Value> = vec![tenant_id.into()];
    let mut and = |c: &str, v: Vec<Value>| {
        cond.push_str(" AND ");
        cond.push_str(c);
        params.extend(v);
    };
    if let Some(a) = f.agent_id {
        and("s.agent_id = ?", vec![a.into()]);
    }
    if let Some(from) = f.from_ms {
        and("s.login_ms >= ?", vec![from.into()]);
    }
    if let Some(until) = f.until_ms {
        and("s.login_ms < ?", vec![until.into()]);
    }
    if f.open_only {
        and("s.logout_ms IS NULL", vec![]);
    }
    if let Some((ms, id)) = f.after {
        and("(s.login_ms, s.id) < (?, ?)", vec![ms.into(), id.into()]);
    }
    params.push(f.limit.into());
    let sql = format!(
        "SELECT s.id, s.agent_id, s.agent, a.name, a.status = 'deleted', s.platform, s.ip, \
           s.login_ms, s.logout_ms FROM agent_sessions s \
         LEFT JOIN agents a ON a.id = s.agent_id AND a.tenant_id = s.tenant_id \
         WHERE {cond} ORDER BY s.login_ms DESC, s.id DESC LIMIT ?"
    );
    let rows = db.query(&sql, &params).await?;
    rows.iter()
        .map(|r| {
            Ok(Session {
                id: r.i64(0)?,
                agent_id: r.opt_i64(1)?,
                login_id: r.text(2)?,
                name: r.opt_text(3)?,
                agent_deleted: r.opt_i64(4)? == Some(1),
                platform: r.opt_text(5)?,
                ip: r.opt_text(6)?,
                login_ms: r.opt_i64(7)?,
                logout_ms: r.opt_i64(8)?,
            })
        })
        .collect()
}
