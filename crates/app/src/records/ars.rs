//! The ARS basics in SQL (ARS-1, ARS-2, ARS-6): numbers, greeting and the
//! other prompts, one row per tenant. Stored values are parsed again when
//! read, so code holding an [`Ars`] holds checked values.

use crate::time::fmt_utc;
use switchboard_domain::{CallerId, RepresentativeNumber, TtsText};
use switchboard_storage::{OrTaken, Row, Sql, StorageError};

/// A prompt the ARS plays: text read out by text-to-speech, or an uploaded
/// file (by its ID in `audio_files`).
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Text(TtsText),
    Audio(i64),
}

impl Message {
    pub fn audio_id(&self) -> Option<i64> {
        match self {
            Message::Audio(id) => Some(*id),
            Message::Text(_) => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Message::Text(t) => Some(t.as_str()),
            Message::Audio(_) => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Message::Text(_) => "text",
            Message::Audio(_) => "audio",
        }
    }

    /// From stored columns (kind, text, audio ID).
    pub fn from_columns(
        kind: &str,
        text: Option<String>,
        audio_id: Option<i64>,
    ) -> Result<Message, StorageError> {
        match (kind, text, audio_id) {
            ("text", Some(t), _) => Ok(Message::Text(tts(&t)?)),
            ("audio", _, Some(id)) => Ok(Message::Audio(id)),
            _ => Err(StorageError::new(format!("bad stored message kind {kind}"))),
        }
    }
}

/// A tenant's ARS basics.
#[derive(Debug, Clone, PartialEq)]
pub struct Ars {
    pub representative_number: Option<RepresentativeNumber>,
    pub caller_id: Option<CallerId>,
    pub greeting: Message,
    pub out_of_hours: TtsText,
    pub connecting: TtsText,
    pub busy: TtsText,
    pub busy_wait_seconds: i64,
    pub callback: TtsText,
}

pub(crate) fn tts(s: &str) -> Result<TtsText, StorageError> {
    TtsText::parse(s).map_err(|e| StorageError::new(format!("stored prompt: {}", e.message)))
}

fn from_row(r: &Row) -> Result<Ars, StorageError> {
    let bad = |e: switchboard_domain::Invalid| StorageError::new(format!("stored number: {e}"));
    Ok(Ars {
        representative_number: r
            .opt_text(0)?
            .map(|s| RepresentativeNumber::parse(&s).map_err(bad))
            .transpose()?,
        caller_id: r
            .opt_text(1)?
            .map(|s| CallerId::parse(&s).map_err(bad))
            .transpose()?,
        greeting: Message::from_columns(&r.text(2)?, r.opt_text(3)?, r.opt_i64(4)?)?,
        out_of_hours: tts(&r.text(5)?)?,
        connecting: tts(&r.text(6)?)?,
        busy: tts(&r.text(7)?)?,
        busy_wait_seconds: r.i64(8)?,
        callback: tts(&r.text(9)?)?,
    })
}

/// The saved settings; `None` until the first save.
pub async fn load(db: &dyn Sql, tenant_id: i64) -> Result<Option<Ars>, StorageError> {
    db.query_row(
        "SELECT representative_number, caller_id, greeting_kind, greeting_text, greeting_audio_id, \
         out_of_hours_text, connecting_text, busy_text, busy_wait_seconds, callback_text \
         FROM ars_settings WHERE tenant_id = ?",
        &[tenant_id.into()],
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// What became of a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Saved,
    /// The representative number is in another tenant's settings (a
    /// number routes to one tenant).
    NumberTaken,
    /// A number is not (or no longer) provisioned to the tenant: the check
    /// is part of the statement, so a release between a handler's check
    /// and this save cannot leave a released number in the settings.
    NotHeld,
}

/// Saves `a` whole. A greeting file must be the tenant's own: the statement
/// looks it up by ID *and* tenant, so another tenant's ID becomes NULL and
/// the row's CHECK refuses it. Both numbers must be held by the tenant now
/// (`phone_numbers`), checked in the same statement.
pub async fn save(
    db: &dyn Sql,
    tenant_id: i64,
    a: &Ars,
    now: jiff::Timestamp,
) -> Result<Saved, StorageError> {
    let rep = a
        .representative_number
        .as_ref()
        .map(RepresentativeNumber::as_str);
    let caller = a.caller_id.as_ref().map(CallerId::as_str);
    const HELD: &str = "(? IS NULL OR EXISTS (SELECT 1 FROM phone_numbers p \
         WHERE p.tenant_id = ? AND p.number = ? AND p.until_ms IS NULL))";
    let sql = format!(
        "INSERT INTO ars_settings (tenant_id, representative_number, caller_id, greeting_kind, \
         greeting_text, greeting_audio_id, out_of_hours_text, connecting_text, busy_text, \
         busy_wait_seconds, callback_text, updated_at) \
         SELECT ?, ?, ?, ?, ?, (SELECT id FROM audio_files WHERE id = ? AND tenant_id = ?), ?, ?, ?, ?, ?, ? \
         WHERE {HELD} AND {HELD} \
         ON CONFLICT (tenant_id) DO UPDATE SET representative_number = excluded.representative_number, \
         caller_id = excluded.caller_id, greeting_kind = excluded.greeting_kind, \
         greeting_text = excluded.greeting_text, greeting_audio_id = excluded.greeting_audio_id, \
         out_of_hours_text = excluded.out_of_hours_text, connecting_text = excluded.connecting_text, \
         busy_text = excluded.busy_text, busy_wait_seconds = excluded.busy_wait_seconds, \
         callback_text = excluded.callback_text, updated_at = excluded.updated_at \
         RETURNING tenant_id"
    );
    let rows = db
        .query(
            &sql,
            &[
                tenant_id.into(),
                rep.into(),
                caller.into(),
                a.greeting.kind().into(),
                a.greeting.text().into(),
                a.greeting.audio_id().into(),
                tenant_id.into(),
                a.out_of_hours.as_str().into(),
                a.connecting.as_str().into(),
                a.busy.as_str().into(),
                a.busy_wait_seconds.into(),
                a.callback.as_str().into(),
                fmt_utc(now).into(),
                rep.into(),
                tenant_id.into(),
                rep.into(),
                caller.into(),
                tenant_id.into(),
                caller.into(),
            ],
        )
        .await
        .or_taken()?;
    Ok(match rows {
        None => Saved::NumberTaken,
        Some(rows) if rows.is_empty() => Saved::NotHeld,
        Some(_) => Saved::Saved,
    })
}
