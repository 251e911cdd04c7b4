//! Work history (AUD-1): one append-only table that every admin action lands
//! in.
//!
//! The pipeline writes the record, not the handlers: every state-changing
//! request on an admin route is recorded with its outcome, and routes that
//! must be audited when read (history views, downloads) say so in their route
//! declaration ([`crate::runtime::routes::Audit::Always`]). Handlers can only *add*
//! to the record — before/after values, the acting account at sign-in — via
//! [`crate::runtime::context::Cx::note`]; they cannot skip it.

use serde::Serialize;
use switchboard_storage::{Sql, StorageError, Value};

/// Who did it, as far as known.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Actor {
    pub tenant_id: Option<i64>,
    pub user_id: Option<i64>,
    pub login_id: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub actor: Actor,
    pub at: String,
    pub client_ip: String,
    pub action: String,
    pub target: String,
    pub outcome: u16,
    /// The error code of a refused request (`forbidden`, …).
    pub reason: Option<String>,
    pub detail: Option<serde_json::Value>,
}

/// Longest text kept per field; longer values are cut (a record must not be
/// a way to store arbitrary amounts of data).
const MAX_FIELD: usize = 200;
/// Details up to this size are kept whole.
const MAX_DETAIL: usize = 16 * 1024;
/// Larger before/after details keep only what changed, up to this size; past
/// it, each changed item's text is cut to [`MAX_FIELD`] characters, but no
/// changed item is ever left out. (The route's body limit bounds the number
/// of items.)
const MAX_DIFF: usize = 128 * 1024;

fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((idx, _)) => format!("{}…", &s[..idx]),
        None => s.to_owned(),
    }
}

/// What changed from `before` to `after`: for lists the items added and
/// removed, for objects the changed keys (recursively), else both values.
pub fn diff(before: &serde_json::Value, after: &serde_json::Value) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    match (before, after) {
        (Value::Array(b), Value::Array(a)) => {
            let added: Vec<&Value> = a.iter().filter(|x| !b.contains(x)).collect();
            let removed: Vec<&Value> = b.iter().filter(|x| !a.contains(x)).collect();
            json!({
                "added": added,
                "removed": removed,
                "count_before": b.len(),
                "count_after": a.len(),
            })
        }
        (Value::Object(b), Value::Object(a)) => {
            let mut changed = Map::new();
            for key in b.keys().chain(a.keys()) {
                let (x, y) = (
                    b.get(key).unwrap_or(&Value::Null),
                    a.get(key).unwrap_or(&Value::Null),
                );
                if x != y && !changed.contains_key(key) {
                    changed.insert(key.clone(), diff(x, y));
                }
            }
            json!({ "changed": changed })
        }
        (b, a) => json!({ "before": b, "after": a }),
    }
}

/// Every string in `v` cut to `max` characters.
fn cut_strings(v: &serde_json::Value, max: usize) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(cut(s, max)),
        Value::Array(items) => Value::Array(items.iter().map(|i| cut_strings(i, max)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, i)| (cut(k, max), cut_strings(i, max)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The stored form of a record's detail: whole when small; else what changed
/// (see [`MAX_DIFF`]), so no change can hide behind size.
pub fn stored_detail(d: &serde_json::Value) -> String {
    let text = d.to_string();
    if text.len() <= MAX_DETAIL {
        return text;
    }
    let kept = match (d.get("before"), d.get("after")) {
        (Some(b), Some(a)) => diff(b, a),
        _ => d.clone(),
    };
    let compact = serde_json::json!({ "truncated": true, "diff": kept });
    let text = compact.to_string();
    if text.len() <= MAX_DIFF {
        return text;
    }
    cut_strings(&compact, MAX_FIELD).to_string()
}

pub async fn append(db: &dyn Sql, r: &Record) -> Result<(), StorageError> {
    let detail = r.detail.as_ref().map(stored_detail);
    db.execute(
        "INSERT INTO audit_log (tenant_id, user_id, login_id, at, client_ip, action, target, outcome, reason, detail) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            r.actor.tenant_id.into(),
            r.actor.user_id.into(),
            cut(&r.actor.login_id, MAX_FIELD).into(),
            r.at.as_str().into(),
            r.client_ip.as_str().into(),
            r.action.as_str().into(),
            cut(&r.target, MAX_FIELD).into(),
            i64::from(r.outcome).into(),
            r.reason.as_deref().into(),
            detail.into(),
        ],
    )
    .await?;
    Ok(())
}

/// One row as the search API returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub at: String,
    pub user_id: Option<i64>,
    pub login_id: String,
    pub client_ip: String,
    pub action: String,
    pub target: String,
    pub outcome: i64,
    /// Why it was refused: the error code.
    pub reason: Option<String>,
    /// The company's name (the operator's platform-wide view).
    pub tenant_name: Option<String>,
    /// The target as the admin knows it (`상담사 김민준 (agent01)`): the
    /// object's current name, for targets that name one.
    pub target_name: Option<String>,
    pub detail: Option<serde_json::Value>,
}

/// What a target such as `agent:8` names today, looked up in the record's
/// own company.
const TARGET_NAME: &str = "CASE \
    WHEN l.target LIKE 'agent:%' THEN (SELECT x.name || ' (' || x.login_id || ')' FROM agents x \
      WHERE x.id = CAST(substr(l.target, 7) AS INTEGER) AND x.tenant_id = l.tenant_id) \
    WHEN l.target LIKE 'user:%' THEN (SELECT x.name || ' (' || x.login_id || ')' FROM users x \
      WHERE x.id = CAST(substr(l.target, 6) AS INTEGER) AND x.tenant_id IS l.tenant_id) \
    WHEN l.target LIKE 'menu:%' THEN (SELECT x.digit || '. ' || COALESCE(x.queue, '') FROM ars_menus x \
      WHERE x.id = CAST(substr(l.target, 6) AS INTEGER) AND x.tenant_id = l.tenant_id) \
    WHEN l.target LIKE 'holiday:%' THEN (SELECT x.name FROM holidays x \
      WHERE x.id = CAST(substr(l.target, 9) AS INTEGER) AND x.tenant_id = l.tenant_id) \
    WHEN l.target LIKE 'consultation_type:%' THEN (SELECT x.name FROM consultation_types x \
      WHERE x.id = CAST(substr(l.target, 19) AS INTEGER) AND x.tenant_id = l.tenant_id) \
    WHEN l.target LIKE 'audio:%' THEN (SELECT x.name FROM audio_files x \
      WHERE x.id = CAST(substr(l.target, 7) AS INTEGER) AND x.tenant_id = l.tenant_id) \
    END";

/// Search filters (HIST-5). `scope` is the tenant whose records are visible
/// (`None`: the platform operator, who sees all, optionally narrowed by
/// `tenant`).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub scope: Option<i64>,
    pub tenant: Option<i64>,
    pub login_id: Option<String>,
    /// An exact action (`users.create`) or a family ending in `.` (`users.`).
    pub action: Option<String>,
    pub target: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
    /// Only records older than this ID (the cursor).
    pub before_id: Option<i64>,
    pub limit: i64,
}

pub async fn search(db: &dyn Sql, f: &Filter) -> Result<Vec<Entry>, StorageError> {
    let mut sql = format!(
        "SELECT l.id, l.tenant_id, l.at, l.user_id, l.login_id, l.client_ip, l.action, l.target, \
           l.outcome, l.detail, l.reason, t.name, {TARGET_NAME} \
         FROM audit_log l LEFT JOIN tenants t ON t.id = l.tenant_id WHERE 1 = 1"
    );
    let mut params: Vec<Value> = Vec::new();
    let mut clause = |cond: &str, values: &[Value]| {
        sql.push_str(" AND ");
        sql.push_str(cond);
        params.extend_from_slice(values);
    };
    if let Some(t) = f.scope.or(f.tenant) {
        clause("l.tenant_id = ?", &[t.into()]);
    }
    if let Some(l) = &f.login_id {
        clause("l.login_id = ?", &[l.into()]);
    }
    match &f.action {
        Some(family) if family.ends_with('.') => {
            clause(
                "substr(l.action, 1, length(?)) = ?",
                &[family.into(), family.into()],
            );
        }
        Some(action) => clause("l.action = ?", &[action.into()]),
        None => {}
    }
    if let Some(t) = &f.target {
        clause("l.target = ?", &[t.into()]);
    }
    if let Some(from) = &f.from {
        clause("l.at >= ?", &[from.into()]);
    }
    if let Some(until) = &f.until {
        clause("l.at < ?", &[until.into()]);
    }
    if let Some(id) = f.before_id {
        clause("l.id < ?", &[id.into()]);
    }
    sql.push_str(" ORDER BY l.id DESC LIMIT ?");
    params.push(f.limit.into());
    let rows = db.query(&sql, &params).await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                id: r.i64(0)?,
                tenant_id: r.opt_i64(1)?,
                at: r.text(2)?,
                user_id: r.opt_i64(3)?,
                login_id: r.text(4)?,
                client_ip: r.text(5)?,
                action: r.text(6)?,
                target: r.text(7)?,
                outcome: r.i64(8)?,
                detail: r.opt_text(9)?.and_then(|d| serde_json::from_str(&d).ok()),
                reason: r.opt_text(10)?,
                tenant_name: r.opt_text(11)?,
                target_name: r.opt_text(12)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A large change whose diff is well under [`MAX_DIFF`] keeps each
    /// changed item whole, however long; past it, items are cut but kept.
    #[test]
    fn a_moderate_diff_keeps_long_items_whole_and_a_huge_one_cuts_but_keeps_them() {
        let long = "가".repeat(500);
        let before: Vec<String> = (0..100)
            .map(|i| format!("{i}-{}", "x".repeat(150)))
            .collect();
        let mut after = before.clone();
        after.push(long.clone());
        let detail = json!({ "before": before, "after": after });
        let stored = stored_detail(&detail);
        assert!(stored.len() < MAX_DIFF);
        assert!(stored.contains(&long), "the new item is kept whole");

        let many: Vec<String> = (0..400)
            .map(|i| format!("{i}-{}", "y".repeat(400)))
            .collect();
        let detail = json!({ "before": Vec::<String>::new(), "after": many });
        let stored = stored_detail(&detail);
        assert!(stored.contains("\"399-"), "no changed item is left out");
        assert!(!stored.contains(&"y".repeat(400)), "but each is cut");
    }
}
