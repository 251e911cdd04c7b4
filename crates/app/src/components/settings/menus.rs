//! The ARS menu (ARS-3): one entry per digit 0–9, either "connect to
//! agents" (a queue, callback on/off) or "information message" (text or an
//! uploaded file).
//!
//! A menu that agents are assigned to (SVC-2) cannot silently stop
//! connecting to them: deleting it, or turning it into an information
//! message, is refused with 409 `menu_in_use` naming how many agents are
//! assigned, unless the request says `?force=true`, which removes those
//! assignments with it (the agents stay; they just no longer serve it).

use super::message::{self, MessageIn};
use crate::records::menus::{self, Menu, MenuKind};
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::{CompanyField, ErrorCode, FieldCode, Invalid};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

const QUEUE_MAX: usize = 50;

async fn view(cx: &Cx, tenant_id: i64, m: &Menu) -> Result<Value, ApiError> {
    let mut v = json!({ "id": m.id, "digit": m.digit, "agents": m.agents });
    match &m.kind {
        MenuKind::Agents { queue, callback } => {
            v["kind"] = json!("agents");
            v["queue"] = json!(queue);
            v["callback"] = json!(callback);
        }
        MenuKind::Info(msg) => {
            v["kind"] = json!("info");
            v["message"] = message::view(cx, tenant_id, msg).await?;
        }
    }
    Ok(v)
}

pub async fn list(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let mut items = Vec::new();
    for m in menus::list(cx.db(), tenant_id).await? {
        items.push(view(cx, tenant_id, &m).await?);
    }
    Ok(Response::ok(&json!({ "items": items })))
}

/// A menu as sent: every field optional, so a PATCH can be the stored menu
/// with the sent fields laid over it.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct MenuIn {
    #[serde(default, deserialize_with = "switchboard_http::present")]
    digit: Option<i64>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    queue: Option<String>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    callback: Option<bool>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    message: Option<MessageIn>,
}

impl MenuIn {
    fn from_menu(m: &Menu) -> MenuIn {
        match &m.kind {
            MenuKind::Agents { queue, callback } => MenuIn {
                digit: Some(m.digit),
                kind: Some("agents".into()),
                queue: Some(queue.clone()),
                callback: Some(*callback),
                message: None,
            },
            MenuKind::Info(msg) => MenuIn {
                digit: Some(m.digit),
                kind: Some("info".into()),
                queue: None,
                callback: None,
                message: Some(MessageIn {
                    kind: msg.kind().into(),
                    text: msg.text().map(str::to_owned),
                    audio_id: msg.audio_id(),
                }),
            },
        }
    }

    /// The change over the stored menu. Sending `kind` restates the menu:
    /// its queue (and callback) or message come from the change alone, so a
    /// request means the same whatever the menu was (the API document can
    /// say what it needs).
    fn over(self, base: MenuIn) -> MenuIn {
        if self.kind.is_some() {
            return MenuIn {
                digit: self.digit.or(base.digit),
                ..self
            };
        }
        MenuIn {
            digit: self.digit.or(base.digit),
            kind: self.kind.or(base.kind),
            queue: self.queue.or(base.queue),
            callback: self.callback.or(base.callback),
            message: self.message.or(base.message),
        }
    }
}

async fn parse(cx: &Cx, tenant_id: i64, m: &MenuIn) -> Result<(i64, MenuKind), ApiError> {
    let mut f = FieldErrors::new();
    let digit = match m.digit {
        None => {
            f.add("digit", Invalid::required("Choose a digit."));
            None
        }
        Some(d) if (0..=9).contains(&d) => Some(d),
        Some(_) => {
            f.add("digit", Invalid::number_range(0, 9));
            None
        }
    };
    let kind = match m.kind.as_deref() {
        Some("agents") => f
            .take(
                "queue",
                CompanyField::parse(m.queue.as_deref().unwrap_or(""), QUEUE_MAX, true),
            )
            .map(|q| MenuKind::Agents {
                queue: q.as_str().to_owned(),
                callback: m.callback.unwrap_or(false),
            }),
        Some("info") => match &m.message {
            Some(msg) => message::parse(cx, tenant_id, &mut f, "message", msg)
                .await?
                .map(MenuKind::Info),
            None => {
                f.add("message.kind", Invalid::required("Enter the message."));
                None
            }
        },
        None => {
            f.add("kind", Invalid::required("Choose what the menu does."));
            None
        }
        Some(_) => {
            f.add(
                "kind",
                Invalid::new(FieldCode::InvalidChoice, "Choose agents or info.")
                    .with("options", "agents, info"),
            );
            None
        }
    };
    match (digit, kind) {
        (Some(d), Some(k)) => Ok((d, k)),
        _ => Err(f.into_error()),
    }
}

fn digit_taken(digit: i64) -> ApiError {
    ApiError::field(
        "digit",
        Invalid::new(
            FieldCode::Taken,
            format!("Digit {digit} already has a menu."),
        )
        .with("digit", digit),
    )
}

fn in_use(agents: i64) -> ApiError {
    ApiError::conflict(
        ErrorCode::MenuInUse,
        format!(
            "{agents} agent(s) are assigned to this menu. Send the request again with ?force=true to remove their assignments with it (the agents stay)."
        ),
    )
    .with_param("agents", agents)
}

fn force(req: &Request) -> Result<bool, ApiError> {
    req.query_flag("force")
}

async fn menu(cx: &Cx, tenant_id: i64, req: &Request) -> Result<Menu, ApiError> {
    menus::get(cx.db(), tenant_id, req.id_param("id")?)
        .await?
        .ok_or_else(ApiError::not_found)
}

pub async fn create(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: MenuIn = req.json()?;
    let (digit, kind) = parse(cx, tenant_id, &body).await?;
    let id = menus::create(cx.db(), tenant_id, digit, &kind, cx.now)
        .await?
        .ok_or_else(|| digit_taken(digit))?;
    let after = menus::get(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let after = view(cx, tenant_id, &after).await?;
    cx.note_target(format!("menu:{id}"));
    cx.note(json!({ "after": &after }));
    Ok(Response::created(&after))
}

pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let force = force(&req)?;
    let before = menu(cx, tenant_id, &req).await?;
    let body: MenuIn = req.json()?;
    let merged = body.over(MenuIn::from_menu(&before));
    let (digit, kind) = parse(cx, tenant_id, &merged).await?;
    let stops_connecting =
        matches!(before.kind, MenuKind::Agents { .. }) && !matches!(kind, MenuKind::Agents { .. });
    if stops_connecting && before.agents > 0 && !force {
        return Err(in_use(before.agents));
    }
    if !menus::update(
        cx.db(),
        tenant_id,
        before.id,
        digit,
        &kind,
        stops_connecting,
        cx.now,
    )
    .await?
    {
        return Err(digit_taken(digit));
    }
    let after = menus::get(cx.db(), tenant_id, before.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (before, after) = (
        view(cx, tenant_id, &before).await?,
        view(cx, tenant_id, &after).await?,
    );
    cx.note_target(format!("menu:{}", after["id"]));
    cx.note(json!({ "before": before, "after": &after }));
    Ok(Response::ok(&after))
}

pub async fn delete(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let force = force(&req)?;
    let before = menu(cx, tenant_id, &req).await?;
    if before.agents > 0 && !force {
        return Err(in_use(before.agents));
    }
    menus::delete(cx.db(), tenant_id, before.id).await?;
    cx.note_target(format!("menu:{}", before.id));
    cx.note(json!({ "before": view(cx, tenant_id, &before).await? }));
    Ok(Response::no_content())
}
