//! Work management and the incoming popup in SQL (SVC-4, SVC-5): one row
//! per tenant in `work_settings`. Stored values are parsed again when read,
//! so code holding a [`WorkSettings`] holds checked values.

use crate::time::fmt_utc;
use switchboard_domain::{AcwLimit, PopupUrlTemplate, StateAfterCall, StateAfterLogin};
use switchboard_storage::{Row, Sql, StorageError};

/// A tenant's work settings.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkSettings {
    pub after_login: StateAfterLogin,
    pub after_call: StateAfterCall,
    /// `None`: after-call work lasts until the agent ends it.
    pub acw_limit: Option<AcwLimit>,
    /// `None`: no popup opens when a call rings.
    pub popup: Option<PopupUrlTemplate>,
}

impl Default for WorkSettings {
    /// What applies before the first save: ready after signing in, after-call
    /// work after a call without a limit, no popup.
    fn default() -> Self {
        WorkSettings {
            after_login: StateAfterLogin::Ready,
            after_call: StateAfterCall::AfterCallWork,
            acw_limit: None,
            popup: None,
        }
    }
}

fn from_row(r: &Row) -> Result<WorkSettings, StorageError> {
    let bad = |what: &str, e: switchboard_domain::Invalid| {
        StorageError::new(format!("stored work settings {what}: {e}"))
    };
    Ok(WorkSettings {
        after_login: StateAfterLogin::parse(&r.text(0)?).map_err(|e| bad("after_login", e))?,
        after_call: StateAfterCall::parse(&r.text(1)?).map_err(|e| bad("after_call", e))?,
        acw_limit: r
            .opt_i64(2)?
            .map(|s| AcwLimit::new(s).map_err(|e| bad("acw limit", e)))
            .transpose()?,
        popup: r
            .opt_text(3)?
            .map(|s| PopupUrlTemplate::parse(&s).map_err(|e| bad("popup url", e)))
            .transpose()?,
    })
}

/// The saved settings; `None` until the first save.
pub async fn load(db: &dyn Sql, tenant_id: i64) -> Result<Option<WorkSettings>, StorageError> {
    db.query_row(
        "SELECT after_login, after_call, after_call_work_limit_seconds, popup_url \
         FROM work_settings WHERE tenant_id = ?",
        &[tenant_id.into()],
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Saves `w` whole.
pub async fn save(
    db: &dyn Sql,
    tenant_id: i64,
    w: &WorkSettings,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    db.execute(
        "INSERT INTO work_settings (tenant_id, after_login, after_call, \
         after_call_work_limit_seconds, popup_url, updated_at) VALUES (?, ?, ?, ?, ?, ?) \
         ON CONFLICT (tenant_id) DO UPDATE SET after_login = excluded.after_login, \
         after_call = excluded.after_call, \
         after_call_work_limit_seconds = excluded.after_call_work_limit_seconds, \
         popup_url = excluded.popup_url, updated_at = excluded.updated_at",
        &[
            tenant_id.into(),
            w.after_login.as_str().into(),
            w.after_call.as_str().into(),
            w.acw_limit.map(AcwLimit::seconds).into(),
            w.popup.as_ref().map(PopupUrlTemplate::as_str).into(),
            fmt_utc(now).into(),
        ],
    )
    .await?;
    Ok(())
}
