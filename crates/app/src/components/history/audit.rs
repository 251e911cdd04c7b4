//! Work history search and export (HIST-5, AUD-1).

use crate::records::audit::{self, Entry, Filter};
use crate::runtime::context::Cx;
use crate::time;
use serde_json::json;
use switchboard_domain::Permission;
use switchboard_http::{
    ApiError, FieldCode, Invalid, Request, RequestExt, Response, ResponseExt, header,
};

const PAGE: i64 = 50;
const MAX_PAGE: i64 = 200;
const EXPORT_ROWS: i64 = 10_000;

/// The tenant's zone; the operator (no tenant) reads in Korean time, where
/// the service is run.
fn zone(cx: &Cx) -> jiff::tz::TimeZone {
    cx.tenant.as_ref().map_or_else(
        || jiff::tz::TimeZone::get(OPERATOR_ZONE).unwrap_or(jiff::tz::TimeZone::UTC),
        |t| t.time_zone.clone(),
    )
}

const OPERATOR_ZONE: &str = "Asia/Seoul";

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The filter from the query string, scoped to the caller's tenant. `page`
/// is the default page size where the caller pages (`limit` is then
/// accepted); `None` means an export of up to [`EXPORT_ROWS`].
async fn filter(cx: &Cx, req: &Request, page: Option<i64>) -> Result<Filter, ApiError> {
    let tz = zone(cx);
    let (from, until) = time::date_range(
        req.query_param("from").as_deref(),
        req.query_param("to").as_deref(),
        &tz,
    )
    .map_err(|(field, m)| ApiError::field(field, m))?;
    let before_id = match non_empty(req.query_param("cursor")) {
        None => None,
        Some(c) => Some(c.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| {
            ApiError::field(
                "cursor",
                Invalid::new(
                    FieldCode::InvalidCursor,
                    "Use the next_cursor of a previous page.",
                ),
            )
        })?),
    };
    // Checked alike on the list and the export (the page sends its search's
    // paging along); the export then holds every matching entry.
    let asked = non_empty(req.query_param("limit"))
        .map(|l| {
            l.parse::<i64>()
                .ok()
                .filter(|v| (1..=MAX_PAGE).contains(v))
                .ok_or_else(|| ApiError::field("limit", Invalid::number_range(1, MAX_PAGE)))
        })
        .transpose()?;
    let (limit, before_id) = match page {
        None => (EXPORT_ROWS, None),
        Some(page) => (asked.unwrap_or(page), before_id),
    };
    let scope = cx.principal()?.user.tenant_id;
    let tenant = match (scope, non_empty(req.query_param("tenant_id"))) {
        (None, Some(t)) => Some(t.parse::<i64>().map_err(|_| {
            ApiError::field(
                "tenant_id",
                Invalid::new(FieldCode::InvalidValue, "Use a tenant ID."),
            )
        })?),
        _ => None,
    };
    Ok(Filter {
        scope,
        tenant,
        login_id: non_empty(req.query_param("user")).map(|u| u.to_ascii_lowercase()),
        action: non_empty(req.query_param("action")),
        target: non_empty(req.query_param("target")),
        from,
        until,
        before_id,
        limit,
    })
}

/// Details of account and access changes (before/after copies of admin
/// accounts and of the allowlist) are for those who manage them: other
/// roles see that the change happened, not its content.
fn redact(cx: &Cx, entries: &mut [Entry]) -> Result<(), ApiError> {
    let p = cx.principal()?;
    if p.user.tenant_id.is_none() || p.user.role.allows(Permission::ManageAccess) {
        return Ok(());
    }
    for e in entries {
        if ["users.", "access.", "auth."]
            .iter()
            .any(|f| e.action.starts_with(f))
        {
            e.detail = None;
        }
    }
    Ok(())
}

pub async fn search(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    super::lookup::only(&req, super::lookup::AUDIT_PARAMS)?;
    let mut f = filter(cx, &req, Some(PAGE)).await?;
    let page = f.limit;
    f.limit = page + 1;
    let mut items = audit::search(cx.db(), &f).await?;
    redact(cx, &mut items)?;
    let next_cursor = if items.len() > usize::try_from(page).unwrap_or(usize::MAX) {
        items.truncate(usize::try_from(page).unwrap_or(0));
        items.last().map(|e| e.id.to_string())
    } else {
        None
    };
    cx.note(json!({ "query": req.query_str() }));
    Ok(Response::ok(
        &json!({ "items": items, "next_cursor": next_cursor }),
    ))
}

/// A CSV cell: quoted, and defused when a spreadsheet would read it as a
/// formula.
fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn csv(entries: &[Entry]) -> String {
    // A byte-order mark, so spreadsheet programs read Korean text as UTF-8.
    let mut out = String::from("\u{feff}id,at,login_id,client_ip,action,target,outcome,detail\r\n");
    for e in entries {
        let detail = e
            .detail
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let row = [
            e.id.to_string(),
            e.at.clone(),
            e.login_id.clone(),
            e.client_ip.clone(),
            e.action.clone(),
            e.target.clone(),
            e.outcome.to_string(),
            detail,
        ];
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

pub async fn export(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    super::lookup::only(&req, super::lookup::AUDIT_EXPORT_PARAMS)?;
    let f = filter(cx, &req, None).await?;
    let mut entries = audit::search(cx.db(), &f).await?;
    redact(cx, &mut entries)?;
    cx.note(json!({ "query": req.query_str(), "rows": entries.len() }));
    Ok(
        Response::body_of("text/csv; charset=utf-8", csv(&entries)).with_header(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"work-history.csv\"",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("a\"b"), "\"a\"\"b\"");
        assert_eq!(cell("=SUM(A1)"), "\"'=SUM(A1)\"");
        assert_eq!(cell("상담"), "\"상담\"");
        for lead in ["=", "+", "-", "@", "\t", "\r"] {
            assert_eq!(
                cell(&format!("{lead}1")),
                format!("\"'{lead}1\""),
                "{lead:?}"
            );
        }
        assert_eq!(cell("a=1"), "\"a=1\"");
    }
}
