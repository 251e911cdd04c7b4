//! Statistics exports (SPEC section 4): one [`Table`] of `reports::stats`
//! as CSV (UTF-8 with a byte-order mark, so Excel opens Korean text) or
//! XLSX (`rust_xlsxwriter`). Both hold exactly the table's rows and totals
//! (the API's numbers); the XLSX writes numbers as numbers, durations as
//! durations (`[m]:ss`, the value a fraction of a day), percentages as
//! percentages (`0.0%`), the report, period and filter above the table, a
//! frozen header row and column widths that fit.
//!
//! Memory: the table and the file are built whole in the component's
//! memory, so an export is bounded by its rows ([`MAX_ROWS`]; a larger one
//! is refused with a request to narrow it) — at most a year by day for 200
//! agents; the peak for 100 000 rows is measured through `spin up`
//! (`scripts/bench/stats.sh`, BENCHMARKS.md). The page shows the download's
//! progress (`static/js/stats-view.js`).

use super::stats::{Kind, Report, Table};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use serde_json::Value as J;

/// The most rows one export writes.
pub const MAX_ROWS: usize = 100_000;

/// Korean or English headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ko,
    En,
}

/// The report's title.
pub fn title(report: Report, lang: Lang) -> &'static str {
    match (report, lang) {
        (Report::Tenant, Lang::Ko) => "테넌트 수발신/응대율",
        (Report::Queues, Lang::Ko) => "큐별 호처리",
        (Report::Waits, Lang::Ko) => "큐별 대기/포기",
        (Report::Types, Lang::Ko) => "상담 유형별",
        (Report::Agents, Lang::Ko) => "상담사 호처리",
        (Report::States, Lang::Ko) => "상담사 상태별",
        (Report::Tenant, Lang::En) => "Tenant inbound/outbound and answer rate",
        (Report::Queues, Lang::En) => "Call handling per queue",
        (Report::Waits, Lang::En) => "Waiting and abandonment per queue",
        (Report::Types, Lang::En) => "Per consultation type",
        (Report::Agents, Lang::En) => "Call handling per agent",
        (Report::States, Lang::En) => "Time per agent state",
    }
}

/// A column's header.
pub fn label(key: &str, lang: Lang) -> String {
    let (ko, en) = match key {
        "period" => ("기간", "Period"),
        "queue" => ("큐", "Queue"),
        "type" => ("상담 유형", "Consultation type"),
        "agent" => ("상담사", "Agent"),
        "total_inbound" => ("총인입", "Total inbound"),
        "offered" => ("인입", "Offered"),
        "answered" => ("응대", "Answered"),
        "abandoned" => ("포기", "Abandoned"),
        "callbacks" => ("콜백전환", "Callback conversions"),
        "answered_within" => ("기준 내 응대", "Answered within threshold"),
        "outbound" => ("발신", "Outbound"),
        "internal" => ("내선", "Internal"),
        "answer_rate" => ("응대율", "Answer rate"),
        "service_level" => ("서비스 레벨", "Service level"),
        "average_wait_ms" => ("평균 대기", "Average wait"),
        "average_talk_ms" => ("평균 통화", "Average talk"),
        "longest_wait_ms" => ("최장 대기", "Longest wait"),
        "average_abandon_wait_ms" => ("평균 포기 대기", "Average wait before abandoning"),
        "consultations" => ("상담 건수", "Consultations"),
        "missed" => ("미응답", "Missed"),
        "talk_ms" => ("통화 시간", "Talk time"),
        "after_call_work_ms" => ("후처리 시간", "After-call work"),
        "callbacks_handled" => ("콜백 처리", "Callbacks handled"),
        "ready_ms" => ("수신대기", "Ready"),
        "away_ms" => ("자리비움", "Away"),
        "dialing_ms" => ("다이얼링중", "Dialing"),
        "ringing_ms" => ("벨울림중", "Ringing"),
        "on_call_ms" => ("통화중", "On call"),
        "logged_out_ms" => ("로그아웃", "Logged out"),
        k => {
            let bin = |b: &str| match b {
                "0_10" => "0–10s",
                "10_20" => "10–20s",
                "20_30" => "20–30s",
                "30_60" => "30–60s",
                _ => "60s+",
            };
            if let Some(b) = k.strip_prefix("wait_") {
                return match lang {
                    Lang::Ko => format!("응대 대기 {}", bin(b).replace('s', "초")),
                    Lang::En => format!("Answered, waited {}", bin(b)),
                };
            }
            if let Some(b) = k.strip_prefix("abandon_") {
                return match lang {
                    Lang::Ko => format!("포기 대기 {}", bin(b).replace('s', "초")),
                    Lang::En => format!("Abandoned, waited {}", bin(b)),
                };
            }
            (k, k)
        }
    };
    match lang {
        Lang::Ko => ko.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// The key columns (period, then queue/type/agent) and figure columns.
fn headers(t: &Table, lang: Lang) -> Vec<String> {
    let mut h = vec![label("period", lang)];
    if let Some(k) = t.key {
        h.push(label(k, lang));
    }
    h.extend(t.columns.iter().map(|c| label(&c.key, lang)));
    h
}

fn key_text(t: &Table, row: &serde_json::Map<String, J>, lang: Lang) -> Option<String> {
    let k = t.key?;
    let name = row.get("name").and_then(J::as_str);
    let id = row.get(k).and_then(J::as_i64);
    Some(match (name, id) {
        (Some(n), _) => n.to_owned(),
        (None, Some(i)) => i.to_string(),
        (None, None) => match lang {
            Lang::Ko => "미지정".to_owned(),
            Lang::En => "None".to_owned(),
        },
    })
}

/// `ms` as 분:초 (`m:ss`).
pub fn min_sec(ms: i64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// The totals row's label.
fn total_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "합계",
        Lang::En => "Total",
    }
}

/// The table as CSV with a BOM: a header row, the rows, the totals row.
/// Durations are `m:ss`, percentages numbers with one decimal, an empty
/// cell where a rate has no whole.
pub fn csv(t: &Table, lang: Lang) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(headers(t, lang))
        .map_err(|e| e.to_string())?;
    let cells = |first: String, key: Option<String>, m: &serde_json::Map<String, J>| {
        let mut out = vec![first];
        if t.key.is_some() {
            out.push(key.unwrap_or_default());
        }
        for c in &t.columns {
            let v = m.get(&c.key).unwrap_or(&J::Null);
            out.push(match (c.kind, v.as_f64()) {
                (_, None) => String::new(),
                (Kind::Duration, Some(_)) => min_sec(v.as_i64().unwrap_or(0)),
                (Kind::Percent, Some(f)) => format!("{f:.1}"),
                (Kind::Count, Some(_)) => v.to_string(),
            });
        }
        // A cell that a spreadsheet would read as a formula is defused.
        out.into_iter()
            .map(|s| {
                if s.starts_with(['=', '+', '@'])
                    || (s.starts_with('-') && s.parse::<f64>().is_err())
                {
                    format!("'{s}")
                } else {
                    s
                }
            })
            .collect::<Vec<_>>()
    };
    for r in &t.rows {
        let period = r
            .get("period")
            .and_then(J::as_str)
            .unwrap_or_default()
            .to_owned();
        w.write_record(cells(period, key_text(t, r, lang), r))
            .map_err(|e| e.to_string())?;
    }
    w.write_record(cells(total_label(lang).to_owned(), None, &t.totals))
        .map_err(|e| e.to_string())?;
    w.into_inner().map_err(|e| e.to_string())
}

/// Display width of `s` in spreadsheet characters (Hangul counts two).
fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The table as an XLSX workbook: `heading` lines (report, period,
/// filter) above it, then the header row (frozen), the rows and the totals.
pub fn xlsx(t: &Table, lang: Lang, heading: &[String]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(match lang {
        Lang::Ko => "통계",
        Lang::En => "Statistics",
    })?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color("#E8EEF7");
    let count = Format::new().set_num_format("#,##0");
    let duration = Format::new().set_num_format("[m]:ss");
    let percent = Format::new().set_num_format("0.0%");
    let total = Format::new().set_bold();
    let plain = Format::new();
    let mut row: u32 = 0;
    for (i, line) in heading.iter().enumerate() {
        sheet.write_string_with_format(row, 0, line, if i == 0 { &bold } else { &plain })?;
        row += 1;
    }
    row += 1;
    let hs = headers(t, lang);
    let mut widths: Vec<usize> = hs.iter().map(|h| width(h) + 2).collect();
    for (c, h) in hs.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, h, &head)?;
    }
    let header_row = row;
    sheet.set_freeze_panes(header_row + 1, 0)?;
    let fixed = if t.key.is_some() { 2 } else { 1 };
    let mut put = |sheet: &mut rust_xlsxwriter::Worksheet,
                   row: u32,
                   first: &str,
                   key: Option<String>,
                   m: &serde_json::Map<String, J>,
                   bold_row: bool|
     -> Result<(), XlsxError> {
        let text = if bold_row { &total } else { &plain };
        sheet.write_string_with_format(row, 0, first, text)?;
        widths[0] = widths[0].max(width(first) + 2);
        if let Some(k) = key {
            widths[1] = widths[1].max(width(&k) + 2);
            sheet.write_string_with_format(row, 1, &k, text)?;
        }
        for (i, c) in t.columns.iter().enumerate() {
            let col = (fixed + i) as u16;
            let Some(v) = m.get(&c.key).and_then(J::as_f64) else {
                continue;
            };
            let (value, fmt) = match c.kind {
                Kind::Count => (v, &count),
                Kind::Duration => (v / 86_400_000.0, &duration),
                Kind::Percent => (v / 100.0, &percent),
            };
            let fmt = if bold_row {
                &fmt.clone().set_bold()
            } else {
                fmt
            };
            sheet.write_number_with_format(row, col, value, fmt)?;
        }
        Ok(())
    };
    for r in &t.rows {
        row += 1;
        let period = r.get("period").and_then(J::as_str).unwrap_or_default();
        put(sheet, row, period, key_text(t, r, lang), r, false)?;
    }
    row += 1;
    put(
        sheet,
        row,
        total_label(lang),
        t.key.map(|_| String::new()),
        &t.totals,
        true,
    )?;
    if !t.rows.is_empty() {
        sheet.autofilter(header_row, 0, row - 1, (hs.len() - 1) as u16)?;
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (*w).clamp(8, 40) as f64)?;
    }
    book.save_to_buffer()
}
