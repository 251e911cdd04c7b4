//! ARS basics (ARS-1, ARS-2, ARS-6): the representative number and outbound
//! caller ID, the greeting (text or an uploaded file), and the out-of-hours,
//! connecting, agents-busy and callback prompts, each with a default text
//! generated from the company name.

use super::message::{self, MessageIn};
use crate::records::ars::{self, Ars, Message};
use crate::records::{numbers, tenants};
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::{
    CallerId, FieldCode, Invalid, PromptKind, PromptLanguage, RepresentativeNumber, TtsText,
    default_prompt,
};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

/// The wait (seconds) after which callers hear the agents-busy prompt.
const BUSY_WAIT: (i64, i64) = (5, 600);
const BUSY_WAIT_DEFAULT: i64 = 60;

async fn company_name(cx: &Cx, tenant_id: i64) -> Result<String, ApiError> {
    Ok(tenants::by_id(cx.db(), tenant_id)
        .await?
        .map(|t| t.name)
        .unwrap_or_default())
}

/// What a tenant that never saved hears: the Korean default prompts.
fn defaults(company: &str, lang: PromptLanguage) -> Ars {
    let d = |k| default_prompt(k, lang, company);
    Ars {
        representative_number: None,
        caller_id: None,
        greeting: Message::Text(d(PromptKind::Greeting)),
        out_of_hours: d(PromptKind::OutOfHours),
        connecting: d(PromptKind::Connecting),
        busy: d(PromptKind::AgentsBusy),
        busy_wait_seconds: BUSY_WAIT_DEFAULT,
        callback: d(PromptKind::Callback),
    }
}

async fn view(cx: &Cx, tenant_id: i64, a: &Ars, saved: bool) -> Result<Value, ApiError> {
    Ok(json!({
        "saved": saved,
        "representative_number": a.representative_number.as_ref().map(RepresentativeNumber::formatted),
        "representative_number_digits": a.representative_number.as_ref().map(RepresentativeNumber::as_str),
        "caller_id": a.caller_id.as_ref().map(CallerId::formatted),
        "caller_id_digits": a.caller_id.as_ref().map(CallerId::as_str),
        "greeting": message::view(cx, tenant_id, &a.greeting).await?,
        "out_of_hours": a.out_of_hours.as_str(),
        "connecting": a.connecting.as_str(),
        "busy": a.busy.as_str(),
        "busy_wait_seconds": a.busy_wait_seconds,
        "callback": a.callback.as_str(),
        "limits": {
            "max_chars": TtsText::MAX_CHARS,
            "busy_wait_seconds": { "min": BUSY_WAIT.0, "max": BUSY_WAIT.1 },
        },
    }))
}

/// The saved settings, or the defaults (`"saved": false`) before the first
/// save.
async fn current(cx: &Cx, tenant_id: i64) -> Result<(Ars, bool), ApiError> {
    Ok(match ars::load(cx.db(), tenant_id).await? {
        Some(a) => (a, true),
        None => (
            defaults(&company_name(cx, tenant_id).await?, PromptLanguage::Korean),
            false,
        ),
    })
}

pub async fn show(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let (a, saved) = current(cx, tenant_id).await?;
    Ok(Response::ok(&view(cx, tenant_id, &a, saved).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    representative_number: Option<String>,
    caller_id: Option<String>,
    greeting: MessageIn,
    out_of_hours: String,
    connecting: String,
    busy: String,
    busy_wait_seconds: i64,
    callback: String,
}

/// An empty or absent number means "not set yet".
fn number<T>(
    f: &mut FieldErrors,
    field: &str,
    input: Option<&str>,
    parse: fn(&str) -> Result<T, Invalid>,
) -> Option<Option<T>> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(None),
        Some(s) => f.take(field, parse(s)).map(Some),
    }
}

/// Replaces the ARS basics (every field at once; numbers may be null).
pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Update = req.json()?;
    let mut f = FieldErrors::new();
    let representative = number(
        &mut f,
        "representative_number",
        body.representative_number.as_deref(),
        RepresentativeNumber::parse,
    );
    let caller_id = number(
        &mut f,
        "caller_id",
        body.caller_id.as_deref(),
        CallerId::parse,
    );
    let greeting = message::parse(cx, tenant_id, &mut f, "greeting", &body.greeting).await?;
    let out_of_hours = f.take("out_of_hours", TtsText::parse(&body.out_of_hours));
    let connecting = f.take("connecting", TtsText::parse(&body.connecting));
    let busy = f.take("busy", TtsText::parse(&body.busy));
    let callback = f.take("callback", TtsText::parse(&body.callback));
    if !(BUSY_WAIT.0..=BUSY_WAIT.1).contains(&body.busy_wait_seconds) {
        f.add(
            "busy_wait_seconds",
            Invalid::number_range(BUSY_WAIT.0, BUSY_WAIT.1),
        );
    }
    let (
        Some(representative_number),
        Some(caller_id),
        Some(greeting),
        Some(out_of_hours),
        Some(connecting),
        Some(busy),
        Some(callback),
    ) = (
        representative,
        caller_id,
        greeting,
        out_of_hours,
        connecting,
        busy,
        callback,
    )
    else {
        return Err(f.into_error());
    };
    // Numbers are the platform operator's to provision (issue 14, finding
    // 1): a company chooses among the numbers it holds now.
    let not_held = || {
        Invalid::new(
            FieldCode::NumberNotHeld,
            "This number is not provisioned to your company.",
        )
    };
    if let Some(n) = &representative_number
        && !numbers::holds(cx.db(), tenant_id, n.as_str()).await?
    {
        f.add("representative_number", not_held());
    }
    if let Some(n) = &caller_id
        && !numbers::holds(cx.db(), tenant_id, n.as_str()).await?
    {
        f.add("caller_id", not_held());
    }
    f.check()?;
    let after = Ars {
        representative_number,
        caller_id,
        greeting,
        out_of_hours,
        connecting,
        busy,
        busy_wait_seconds: body.busy_wait_seconds,
        callback,
    };
    let (before, saved) = current(cx, tenant_id).await?;
    let before = view(cx, tenant_id, &before, saved).await?;
    match ars::save(cx.db(), tenant_id, &after, cx.now).await? {
        ars::Saved::Saved => {}
        ars::Saved::NotHeld => {
            // Released between the check above and the save.
            let mut f = FieldErrors::new();
            for (field, n) in [
                (
                    "representative_number",
                    after.representative_number.as_ref().map(|n| n.as_str()),
                ),
                ("caller_id", after.caller_id.as_ref().map(|n| n.as_str())),
            ] {
                if let Some(n) = n
                    && !numbers::holds(cx.db(), tenant_id, n).await?
                {
                    f.add(field, not_held());
                }
            }
            if f.is_empty() {
                f.add("representative_number", not_held());
            }
            return Err(f.into_error());
        }
        ars::Saved::NumberTaken => {
            // Only reachable if two companies held one number, which the
            // inventory's unique index forbids; kept as a field error anyway.
            return Err(ApiError::field(
                "representative_number",
                Invalid::new(
                    FieldCode::NumberTaken,
                    "Another company already uses this representative number.",
                ),
            ));
        }
    }
    let after = view(cx, tenant_id, &after, true).await?;
    cx.note_target("ars");
    cx.note(json!({ "before": before, "after": after }));
    Ok(Response::ok(&after))
}

/// The default texts in Korean (`lang=ko`, the default) or English
/// (`lang=en`), filled from the company name.
pub async fn default_texts(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let lang = match req.query_param("lang").as_deref() {
        None | Some("ko") => PromptLanguage::Korean,
        Some("en") => PromptLanguage::English,
        Some(_) => {
            return Err(ApiError::field(
                "lang",
                Invalid::new(FieldCode::InvalidChoice, "Choose ko or en.")
                    .with("options", "ko, en"),
            ));
        }
    };
    let company = company_name(cx, tenant_id).await?;
    let d = |k| default_prompt(k, lang, &company).as_str().to_owned();
    Ok(Response::ok(&json!({
        "lang": if lang == PromptLanguage::Korean { "ko" } else { "en" },
        "company": company,
        "greeting": d(PromptKind::Greeting),
        "out_of_hours": d(PromptKind::OutOfHours),
        "connecting": d(PromptKind::Connecting),
        "busy": d(PromptKind::AgentsBusy),
        "callback": d(PromptKind::Callback),
    })))
}

/// `GET /api/settings/numbers`: the numbers the platform operator has
/// provisioned to this company, current first — what the ARS page offers
/// as representative number and caller ID (issue 14, finding 1).
pub async fn numbers(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let items = numbers::list(
        cx.db(),
        &numbers::Filter {
            tenant_id: Some(tenant_id),
            ..Default::default()
        },
    )
    .await?;
    let items: Vec<Value> = items
        .into_iter()
        .map(|h| {
            json!({
                "number": h.number,
                "formatted": h.formatted,
                "since": h.since,
                "until": h.until,
                "current": h.current,
            })
        })
        .collect();
    Ok(Response::ok(&json!({ "items": items })))
}
