//! The one input shape for a prompt that is text or an uploaded file, used by
//! the greeting (ARS-2) and information menus (ARS-3):
//! `{"kind": "text", "text": "…"}` or `{"kind": "audio", "audio_id": 3}`.

use crate::records::ars::Message;
use crate::records::audio;
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::{FieldCode, Invalid, TtsText};
use switchboard_http::{ApiError, FieldErrors};

#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct MessageIn {
    pub kind: String,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    pub audio_id: Option<i64>,
}

/// Parses `m`, recording refusals under `field.kind`, `field.text` or
/// `field.audio_id`; a file must be one of the tenant's own.
pub async fn parse(
    cx: &Cx,
    tenant_id: i64,
    f: &mut FieldErrors,
    field: &str,
    m: &MessageIn,
) -> Result<Option<Message>, ApiError> {
    match m.kind.as_str() {
        "text" => Ok(f
            .take(
                &format!("{field}.text"),
                TtsText::parse(m.text.as_deref().unwrap_or("")),
            )
            .map(Message::Text)),
        "audio" => {
            let name = format!("{field}.audio_id");
            let Some(id) = m.audio_id else {
                f.add(&name, Invalid::required("Choose an uploaded audio file."));
                return Ok(None);
            };
            if id > 0 && audio::get(cx.db(), tenant_id, id).await?.is_some() {
                Ok(Some(Message::Audio(id)))
            } else {
                f.add(&name, no_such_item("No such audio file."));
                Ok(None)
            }
        }
        _ => {
            f.add(
                &format!("{field}.kind"),
                Invalid::new(FieldCode::InvalidChoice, "Choose text or audio.")
                    .with("options", "text, audio"),
            );
            Ok(None)
        }
    }
}

pub fn no_such_item(message: &str) -> Invalid {
    Invalid::new(FieldCode::NoSuchItem, message)
}

/// A message as the API shows it; a file with its description.
pub async fn view(cx: &Cx, tenant_id: i64, m: &Message) -> Result<Value, ApiError> {
    Ok(match m {
        Message::Text(t) => json!({ "kind": "text", "text": t.as_str(), "chars": t.char_count() }),
        Message::Audio(id) => {
            let audio = audio::get(cx.db(), tenant_id, *id).await?;
            json!({ "kind": "audio", "audio_id": id, "audio": audio })
        }
    })
}
