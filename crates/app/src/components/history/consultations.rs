//! Consultation history (HIST-2): the last three months by default, or
//! everything (`all=true`); the call history's filters plus the consultation
//! type; and an XLSX of exactly the selected rows (`ids=1,2,3`) or of all
//! rows matching a filter. Every list and export is in the work history,
//! an export with the IDs of the rows it held.
//!
//! The workbook is written by `rust_xlsxwriter` from pages of
//! [`EXPORT_PAGE`] rows read by keyset, so the query never holds more than
//! one page; the XLSX itself (a ZIP whose directory comes last) is put
//! together in memory before it is sent: for 100 000 rows a few MB
//! (BENCHMARKS.md).

use super::{calls, lookup};
use crate::records::consultations::{self, HistoryFilter, HistoryRow};
use crate::runtime::context::Cx;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::json;
use switchboard_domain::PhoneNumber;
use switchboard_http::{
    ApiError, FieldCode, Invalid, Request, RequestExt, Response, ResponseExt, header,
};

/// The default view's reach: the last three months (SPEC section 5).
const DEFAULT_DAYS: i64 = 92;
/// The most rows one export holds.
pub const EXPORT_MAX: i64 = 200_000;
const EXPORT_PAGE: i64 = 5_000;
/// The most rows one selection names.
const MAX_IDS: usize = 1_000;

fn ids(req: &Request) -> Result<Option<Vec<i64>>, ApiError> {
    let Some(text) = lookup::text(req, "ids") else {
        return Ok(None);
    };
    let bad = || {
        ApiError::field(
            "ids",
            Invalid::new(
                FieldCode::InvalidValue,
                format!("List up to {MAX_IDS} row IDs, separated by commas."),
            ),
        )
    };
    let ids: Vec<i64> = text
        .split(',')
        .map(|s| s.trim().parse::<i64>().ok().filter(|v| *v > 0))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(bad)?;
    if ids.is_empty() || ids.len() > MAX_IDS {
        return Err(bad());
    }
    Ok(Some(ids))
}

async fn filter(cx: &Cx, req: &Request) -> Result<HistoryFilter, ApiError> {
    let tz = lookup::zone(cx)?;
    let calls = calls::filter(req, &tz)?;
    let all = req.query_flag("all")?;
    let from_ms = match calls.from_ms {
        Some(from) => Some(from),
        None if all => None,
        None => Some(cx.unix_now().saturating_sub(DEFAULT_DAYS * 86_400) * 1000),
    };
    Ok(HistoryFilter {
        from_ms,
        until_ms: calls.until_ms,
        agent_id: calls.agent_id,
        type_id: lookup::id(req, "type")?,
        ids: None,
        call_id: None,
        after: calls.after,
        limit: calls.limit,
        calls,
    })
}

/// `GET /api/history/consultations`.
pub async fn list(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    lookup::only(&req, lookup::CONSULTATION_PARAMS)?;
    let tenant_id = cx.tenant_id()?;
    let mut f = filter(cx, &req).await?;
    let limit = f.limit;
    f.limit = limit + 1;
    let rows = consultations::history(cx.db(), tenant_id, &f).await?;
    let (items, next_cursor) = lookup::page(rows, limit, |r| (r.created_ms, r.id));
    cx.note(json!({ "query": req.query_str(), "rows": items.len() }));
    Ok(Response::ok(&json!({
        "items": items,
        "next_cursor": next_cursor,
        "from_ms": f.from_ms,
        "time_zone": lookup::zone_name(&lookup::zone(cx)?),
    })))
}

/// The workbook's words, Korean unless `lang=en`.
struct Words {
    sheet: &'static str,
    headers: [&'static str; 12],
    direction: fn(&str) -> &'static str,
    result: fn(Option<&str>) -> &'static str,
}

const KO: Words = Words {
    sheet: "상담이력",
    headers: [
        "번호",
        "상담일시",
        "상담사",
        "상담사 아이디",
        "전화번호",
        "구분",
        "결과",
        "대기열",
        "상담유형",
        "통화시간",
        "메모",
        "녹취",
    ],
    direction: |d| match d {
        "outbound" => "발신",
        "internal" => "내선",
        _ => "수신",
    },
    result: |r| match r {
        Some("answered") => "응대",
        Some("abandoned") => "포기",
        Some("callback") => "콜백 요청",
        Some("holiday") => "휴일",
        Some("out_of_hours") => "업무시간 외",
        Some("information") => "안내",
        Some("outbound") => "발신",
        Some("internal") => "내선",
        _ => "통화 중",
    },
};

const EN: Words = Words {
    sheet: "Consultations",
    headers: [
        "No.",
        "Date and time",
        "Agent",
        "Agent ID",
        "Number",
        "Direction",
        "Result",
        "Queue",
        "Type",
        "Talk time",
        "Memo",
        "Recordings",
    ],
    direction: |d| match d {
        "outbound" => "Outbound",
        "internal" => "Internal",
        _ => "Inbound",
    },
    result: |r| match r {
        Some("answered") => "Answered",
        Some("abandoned") => "Abandoned",
        Some("callback") => "Callback requested",
        Some("holiday") => "Holiday",
        Some("out_of_hours") => "Out of hours",
        Some("information") => "Information",
        Some("outbound") => "Outbound",
        Some("internal") => "Internal",
        _ => "In progress",
    },
};

/// A duration as 분:초 (`3:07`).
pub fn min_sec(ms: Option<i64>) -> String {
    ms.map(|ms| {
        let s = ms / 1000;
        format!("{}:{:02}", s / 60, s % 60)
    })
    .unwrap_or_default()
}

/// A stored number as people read it (`010-1234-5678`), else as stored.
pub fn shown_number(n: Option<&str>) -> String {
    n.map(|n| {
        PhoneNumber::parse(n)
            .map(|p| p.formatted())
            .unwrap_or_else(|_| n.to_owned())
    })
    .unwrap_or_default()
}

/// A spreadsheet cell's text, defused when a spreadsheet would read it as a
/// formula.
fn safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> ApiError {
    ApiError::internal(format!("xlsx: {e}"))
}

/// The cells of one row, as the workbook shows them.
fn cells(r: &HistoryRow, w: &Words, tz: &jiff::tz::TimeZone) -> [String; 11] {
    [
        lookup::local(r.created_ms, tz),
        r.agent_name.clone(),
        r.agent_login.clone(),
        shown_number(r.number.as_deref()),
        (w.direction)(&r.direction).to_owned(),
        (w.result)(r.result.as_deref()).to_owned(),
        r.queue.clone().unwrap_or_default(),
        r.type_name.clone().unwrap_or_default(),
        min_sec(r.talk_ms),
        r.memo.clone(),
        r.recording_ids.len().to_string(),
    ]
}

/// `GET /api/history/consultations/export`: `ids=` the selected rows, or
/// every row the filter matches (up to [`EXPORT_MAX`]).
pub async fn export(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    lookup::only(&req, lookup::CONSULTATION_EXPORT_PARAMS)?;
    let tenant_id = cx.tenant_id()?;
    let tz = lookup::zone(cx)?;
    let mut f = filter(cx, &req).await?;
    let selected = ids(&req)?;
    if selected.is_some() {
        // The selection is exactly those rows, whatever else the URL says.
        f = HistoryFilter {
            ids: selected.clone(),
            ..HistoryFilter::default()
        };
    }
    let words = if lookup::one_of(&req, "lang", &["ko", "en"])?.as_deref() == Some("en") {
        &EN
    } else {
        &KO
    };
    let mut book = Workbook::new();
    // Level 1: a large export is written about twice as fast for a file a
    // little bigger (BENCHMARKS.md).
    book.set_zip_compression_level(1);
    let sheet = book.add_worksheet();
    sheet.set_name(words.sheet).map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    for (col, h) in (0u16..).zip(words.headers) {
        sheet
            .write_string_with_format(0, col, h, &bold)
            .map_err(xlsx_error)?;
    }
    for (col, width) in (0u16..).zip([
        8.0, 20.0, 12.0, 14.0, 16.0, 8.0, 12.0, 14.0, 14.0, 10.0, 40.0, 8.0,
    ]) {
        sheet.set_column_width(col, width).map_err(xlsx_error)?;
    }
    let mut row_no: u32 = 1;
    let mut exported: Vec<i64> = Vec::new();
    let mut total: i64 = 0;
    f.after = None;
    loop {
        f.limit = EXPORT_PAGE.min(EXPORT_MAX - total);
        if f.limit <= 0 {
            break;
        }
        let rows = consultations::history(cx.db(), tenant_id, &f).await?;
        let Some(last) = rows.last() else { break };
        f.after = Some((last.created_ms, last.id));
        let n = rows.len();
        for r in &rows {
            sheet
                .write_number(row_no, 0, r.id as f64)
                .map_err(xlsx_error)?;
            for (col, text) in (1u16..).zip(cells(r, words, &tz)) {
                sheet
                    .write_string(row_no, col, safe(&text))
                    .map_err(xlsx_error)?;
            }
            row_no += 1;
            if exported.len() < MAX_IDS {
                exported.push(r.id);
            }
        }
        total += i64::try_from(n).unwrap_or(0);
        if i64::try_from(n).unwrap_or(0) < f.limit {
            break;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    let bytes = book.save_to_buffer().map_err(xlsx_error)?;
    cx.note(json!({
        "query": req.query_str(),
        "rows": total,
        "ids": exported,
        "ids_cut": usize::try_from(total).unwrap_or(0) > exported.len(),
    }));
    Ok(Response::body_of(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    )
    .with_header(
        header::CONTENT_DISPOSITION,
        "attachment; filename=\"consultations.xlsx\"",
    ))
}
