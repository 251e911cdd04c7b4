//! Work management (SVC-4) and the incoming-call popup (SVC-5): the state
//! an agent is put in after signing in and after a call, the optional limit
//! on after-call work, and the popup URL template with its preview.
//!
//! The limit is kept whatever the state after a call is (it only applies
//! while that state is `after_call_work`), so switching the state back and
//! forth does not lose it. An empty or null template clears the popup.

use crate::records::work::{self, WorkSettings};
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::{AcwLimit, PopupUrlTemplate, StateAfterCall, StateAfterLogin};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

fn view(w: &WorkSettings) -> Value {
    json!({
        "state_after_login": w.after_login.as_str(),
        "state_after_call": w.after_call.as_str(),
        "acw_limit_seconds": w.acw_limit.map(AcwLimit::seconds),
        "popup_url_template": w.popup.as_ref().map(PopupUrlTemplate::as_str),
        "popup_preview": w.popup.as_ref().map(PopupUrlTemplate::preview),
    })
}

/// The saved settings, or the defaults before the first save.
async fn current(cx: &Cx, tenant_id: i64) -> Result<WorkSettings, ApiError> {
    Ok(work::load(cx.db(), tenant_id).await?.unwrap_or_default())
}

pub async fn show(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let w = current(cx, cx.tenant_id()?).await?;
    Ok(Response::ok(&view(&w)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    state_after_login: String,
    state_after_call: String,
    #[serde(default)]
    acw_limit_seconds: Option<i64>,
    #[serde(default)]
    popup_url_template: Option<String>,
}

/// Replaces the work settings (every field at once; the limit and the
/// template may be null). Every refused field is reported at once.
pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Update = req.json()?;
    let mut f = FieldErrors::new();
    let after_login = f.take(
        "state_after_login",
        StateAfterLogin::parse(&body.state_after_login),
    );
    let after_call = f.take(
        "state_after_call",
        StateAfterCall::parse(&body.state_after_call),
    );
    let acw_limit = match body.acw_limit_seconds {
        None => Some(None),
        Some(s) => f.take("acw_limit_seconds", AcwLimit::new(s)).map(Some),
    };
    let popup = match body
        .popup_url_template
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        None => Some(None),
        Some(s) => f
            .take("popup_url_template", PopupUrlTemplate::parse(s))
            .map(Some),
    };
    let (Some(after_login), Some(after_call), Some(acw_limit), Some(popup)) =
        (after_login, after_call, acw_limit, popup)
    else {
        return Err(f.into_error());
    };
    let after = WorkSettings {
        after_login,
        after_call,
        acw_limit,
        popup,
    };
    let before = view(&current(cx, tenant_id).await?);
    work::save(cx.db(), tenant_id, &after, cx.now).await?;
    let after = view(&after);
    cx.note_target("work_settings");
    cx.note(json!({ "before": before, "after": &after }));
    Ok(Response::ok(&after))
}

/// `?template=`: the URL the template gives for a made-up call
/// ([`switchboard_domain::PopupValues::SAMPLE`]) and the placeholders it
/// uses, so the form can show it while the admin types; refusals as when
/// saving, under `template`.
pub async fn preview(_cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let text = req.query_param("template").unwrap_or_default();
    let template = PopupUrlTemplate::parse(&text).map_err(|e| ApiError::field("template", e))?;
    Ok(Response::ok(&json!({
        "url": template.preview(),
        "placeholders": template.placeholders(),
    })))
}
