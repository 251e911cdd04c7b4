//! Uploaded prompt audio (ARS-2): WAV or MP3, judged by its content (not its
//! name or `Content-Type`), at most `AUDIO_MAX_BYTES` (the route's body
//! limit), played to admins with `Range` support.

use crate::random;
use crate::records::audio::{self, AudioMeta, NewAudio};
use crate::runtime::context::Cx;
use crate::runtime::send_audio;
use serde_json::json;
use switchboard_domain::{AudioFormat, CompanyField, ErrorCode, Permission, check_audio_size};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

/// The media types an upload may declare. The declared type only says "this
/// is audio"; what is stored is what the content is.
const AUDIO_TYPES: [&str; 6] = [
    "audio/wav",
    "audio/x-wav",
    "audio/wave",
    "audio/vnd.wave",
    "audio/mpeg",
    "audio/mp3",
];
const NAME_MAX: usize = 100;

/// A file as its manager sees it: with the publishing token.
fn with_token(meta: &AudioMeta) -> serde_json::Value {
    let mut v = json!(meta);
    if let Some(o) = v.as_object_mut() {
        o.insert("token".into(), json!(meta.token));
    }
    v
}

/// The tenant's prompt files. The publishing token (the provider's URL
/// `/hooks/audio/{token}`, which needs no sign-in) is shown only to those
/// who manage prompts: to a viewer it would be the file itself. Nowhere else
/// does it appear (`AudioMeta` never serialises it).
pub async fn list(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let items = audio::list(cx.db(), tenant_id).await?;
    let manages = cx.principal()?.user.role.allows(Permission::Manage);
    let items: Vec<_> = items
        .iter()
        .map(|item| {
            if manages {
                with_token(item)
            } else {
                json!(item)
            }
        })
        .collect();
    let usage = audio::usage(cx.db(), tenant_id).await?;
    Ok(Response::ok(
        &json!({ "items": items, "quota": usage.view() }),
    ))
}

/// 409 `audio_quota_exceeded`, with the quota in the units the UI shows.
fn quota_full(u: &audio::Usage) -> ApiError {
    let megabytes = u.quota.bytes() / (1024 * 1024);
    ApiError::conflict(
        ErrorCode::AudioQuotaExceeded,
        format!(
            "This company's prompt storage is full ({} files, {megabytes} MB); delete files it no longer uses first.",
            u.quota.files()
        ),
    )
    .with_param("files", u.quota.files())
    .with_param("megabytes", megabytes)
}

/// `POST /api/settings/audio?name=…` with the file as the raw body.
pub async fn upload(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let declared = req
        .header("content-type")
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !AUDIO_TYPES.contains(&declared.as_str()) {
        return Err(ApiError::unsupported_media_type("audio/wav or audio/mpeg"));
    }
    let data = req.body();
    let mut f = FieldErrors::new();
    let name = f.take(
        "name",
        CompanyField::parse(
            req.query_param("name").as_deref().unwrap_or(""),
            NAME_MAX,
            false,
        ),
    );
    let size_ok = f.take("file", check_audio_size(data.len() as u64));
    let format = match size_ok {
        Some(()) => f.take("file", AudioFormat::sniff(data)),
        None => None,
    };
    let (Some(name), Some(format)) = (name, format) else {
        return Err(f.into_error());
    };
    let token = random::hex_token(32)?;
    let stored = audio::insert(
        cx.db(),
        tenant_id,
        &NewAudio {
            name: name.as_str(),
            format: &format,
            data,
            token: &token,
        },
        cx.now,
    )
    .await?;
    let Some(meta) = stored else {
        let usage = audio::usage(cx.db(), tenant_id).await?;
        cx.note(json!({ "refused": "quota", "quota": usage.view() }));
        return Err(quota_full(&usage));
    };
    cx.note_target(format!("audio:{}", meta.id));
    cx.note(json!({ "after": &meta }));
    Ok(Response::created(&with_token(&meta)))
}

async fn file(cx: &Cx, tenant_id: i64, req: &Request) -> Result<AudioMeta, ApiError> {
    audio::get(cx.db(), tenant_id, req.id_param("id")?)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Plays a file to an admin; honours a single `Range`.
pub async fn play(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let meta = file(cx, tenant_id, &req).await?;
    send_audio::send(cx.db(), tenant_id, &meta, &req).await
}

/// Deletes a file nothing uses; one the greeting or a menu plays is refused
/// with 409 `audio_in_use` naming the users.
pub async fn delete(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let meta = file(cx, tenant_id, &req).await?;
    if !audio::delete_unused(cx.db(), tenant_id, meta.id).await? {
        let users = audio::users_of(cx.db(), tenant_id, meta.id).await?;
        if users.is_empty() {
            return Err(ApiError::not_found());
        }
        return Err(ApiError::conflict(
            ErrorCode::AudioInUse,
            format!(
                "This file is used by {}; choose another prompt there first.",
                users.join(", ")
            ),
        )
        .with_param("used_by", users.join(", ")));
    }
    cx.note_target(format!("audio:{}", meta.id));
    cx.note(json!({ "before": &meta }));
    Ok(Response::no_content())
}
