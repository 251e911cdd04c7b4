//! Access management (접근관리, ACC-1): the tenant's IP allowlist.

use crate::records::access_list::{self, Entry};
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashSet;
use switchboard_domain::{IpAllowlist, IpRule};
use switchboard_http::{
    ApiError, ErrorCode, FieldCode, FieldErrors, Invalid, Request, RequestExt, Response,
    ResponseExt,
};

const MAX_RULES: usize = 200;
const MAX_NOTE: usize = 100;

fn view(cx: &Cx, entries: &[Entry]) -> Response {
    Response::ok(&json!({ "rules": entries, "your_ip": cx.client_ip }))
}

pub async fn show(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let entries = access_list::load(cx.db(), cx.tenant_id()?).await?;
    Ok(view(cx, &entries))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleIn {
    rule: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    rules: Vec<RuleIn>,
}

fn parse(rules: &[RuleIn]) -> Result<Vec<Entry>, ApiError> {
    if rules.len() > MAX_RULES {
        return Err(ApiError::field(
            "rules",
            Invalid::new(FieldCode::TooMany, format!("At most {MAX_RULES} entries."))
                .with("max", MAX_RULES),
        ));
    }
    let mut f = FieldErrors::new();
    let mut seen = HashSet::new();
    let mut entries = Vec::with_capacity(rules.len());
    for (i, r) in rules.iter().enumerate() {
        let note = r.note.trim();
        if note.chars().count() > MAX_NOTE || note.chars().any(char::is_control) {
            f.add(&format!("rules.{i}.note"), Invalid::too_long(MAX_NOTE));
        }
        match IpRule::parse(&r.rule) {
            Err(m) => f.add(&format!("rules.{i}"), m),
            Ok(rule) if !seen.insert(rule) => {
                f.add(
                    &format!("rules.{i}"),
                    Invalid::new(
                        FieldCode::Duplicate,
                        format!("{rule} is already in the list."),
                    )
                    .with("value", rule),
                );
            }
            Ok(rule) => entries.push(Entry {
                rule,
                note: note.to_owned(),
            }),
        }
    }
    f.check()?;
    Ok(entries)
}

pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Update = req.json()?;
    let entries = parse(&body.rules)?;
    let list = IpAllowlist::new(entries.iter().map(|e| e.rule).collect());
    if !list.allows(cx.client_ip) {
        return Err(ApiError::conflict(
            ErrorCode::WouldLockYouOut,
            format!(
                "This list does not include your current address ({}). Saving it would lock you out, so it was not saved. Add your address or a range that contains it.",
                cx.client_ip
                    .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
            ),
        )
        .with_param("ip", cx.client_ip_text()));
    }
    let before = access_list::load(cx.db(), tenant_id).await?;
    access_list::replace(cx.db(), tenant_id, &entries).await?;
    cx.note_target("access_list");
    cx.note(json!({ "before": before, "after": &entries }));
    Ok(view(cx, &entries))
}
