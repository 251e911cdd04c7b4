//! Request bodies the tests send.

use serde_json::Value as Json;
use std::sync::LazyLock;
use switchboard_http::Method;

/// A valid body for `PUT /api/settings/ars`.
pub fn ars_body() -> serde_json::Value {
    serde_json::json!({
        "representative_number": "070-1234-5678",
        "caller_id": "02-123-4567",
        "greeting": { "kind": "text", "text": "안녕하십니까? 에이크미입니다." },
        "out_of_hours": "지금은 상담 시간이 아닙니다.",
        "connecting": "상담사에게 연결해 드리겠습니다.",
        "busy": "모든 상담사가 통화 중입니다.",
        "busy_wait_seconds": 30,
        "callback": "콜백을 원하시면 1번을 눌러 주십시오."
    })
}

/// Business hours 09–12 and 13–18 on weekdays, weekend off (ARS-4).
pub fn lunch_break_hours() -> serde_json::Value {
    serde_json::json!({
        "groups": {
            "weekdays": { "available": true, "ranges": [
                { "start": "09:00", "end": "12:00" }, { "start": "13:00", "end": "18:00" }] },
            "weekend": { "available": false, "ranges": [] }
        }
    })
}

/// A valid body for `PUT /api/settings/work` (SVC-4, SVC-5).
pub fn work_body() -> serde_json::Value {
    serde_json::json!({
        "state_after_login": "away",
        "state_after_call": "after_call_work",
        "acw_limit_seconds": 30,
        "popup_url_template": "https://crm.example.com/popup?tel={caller}&call={callId}"
    })
}

/// The API document, `crates/app/openapi.json` (served at
/// `/api/openapi.json`), parsed once.
pub fn document() -> &'static Json {
    static DOCUMENT: LazyLock<Json> = LazyLock::new(|| {
        serde_json::from_str(switchboard_app::runtime::openapi::DOCUMENT).unwrap()
    });
    &DOCUMENT
}

/// The operation `method pattern` of the API document (`Null` if it has
/// none).
pub fn operation(method: &Method, pattern: &str) -> &'static Json {
    &document()["paths"][pattern][method.as_str().to_ascii_lowercase()]
}

/// The `example` of the JSON request body the document gives `method
/// pattern`, as documented; `None` when it documents no JSON body. Panics
/// when it documents one without an example.
pub fn example(method: &Method, pattern: &str) -> Option<Json> {
    let media = &operation(method, pattern)["requestBody"]["content"]["application/json"];
    if media.is_null() {
        return None;
    }
    let body = media["example"].clone();
    assert!(
        body.is_object(),
        "openapi.json documents a JSON body for {} {pattern} without an `example` \
         (next to its `schema`): give it a body the route accepts",
        method.as_str()
    );
    Some(body)
}

/// The fields of a documented example that must differ on every call (a
/// login ID, a name unique in its tenant): [`valid_body`] puts the walk's
/// value there. Each must exist in its example
/// (`openapi::every_state_changing_route_has_a_valid_body`).
pub const UNIQUE_FIELDS: &[(&str, &str, &str)] = &[
    ("POST", "/api/users", "/login_id"),
    ("POST", "/api/settings/agents", "/login_id"),
    ("POST", "/api/operator/tenants", "/owner/login_id"),
    ("POST", "/api/settings/consultation-types", "/name"),
];

/// A body each state-changing route accepts when it acts on the caller's own
/// tenant, so the walks over the route table see real changes: the
/// `example` of its JSON request body in the API document, with `unique` in
/// the [`UNIQUE_FIELDS`] (a create's login ID or name). `None` for safe
/// methods and for routes the document gives no JSON body (sign-out,
/// deletes, uploads). Panics when the document lacks the operation, or
/// documents a JSON body without an example: a new route cannot walk with
/// a made-up body.
pub fn valid_body(method: &Method, pattern: &str, unique: &str) -> Option<Json> {
    if method.is_safe() {
        return None;
    }
    let op = operation(method, pattern);
    assert!(
        op.is_object(),
        "openapi.json does not document {} {pattern}",
        method.as_str()
    );
    let mut body = example(method, pattern)?;
    for (m, p, pointer) in UNIQUE_FIELDS {
        if *m == method.as_str() && *p == pattern {
            let field = body.pointer_mut(pointer).unwrap_or_else(|| {
                panic!("the example of {m} {p} has no {pointer} to make unique")
            });
            *field = Json::from(unique);
        }
    }
    Some(body)
}
