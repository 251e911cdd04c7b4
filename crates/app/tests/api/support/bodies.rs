//! Request bodies the tests send.

use switchboard_http::Method;

/// A valid body for `PUT /api/settings/ars`.
pub fn ars_body() -> serde_json::Value {
    serde_json::json!({
        "representative_number": "070-1234-5678",
        "caller_id": "02-123-4567",
        "greeting": { "kind": "text", "text": "안녕하십니까? 에이크미입니다." },
        "out_of_hours": "지금은 상담 시간이 아닙니다.",
        "connecting": "상담원에게 연결해 드리겠습니다.",
        "busy": "모든 상담원이 통화 중입니다.",
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

/// A body each state-changing route accepts when it acts on the caller's own
/// tenant, so the walks over the route table see real changes; `login_id`
/// names an admin a create makes. A new route gets `{}` until added here.
pub fn valid_body(method: &Method, pattern: &str, login_id: &str) -> Option<serde_json::Value> {
    if method.is_safe() {
        return None;
    }
    Some(match pattern {
        "/api/users" => {
            serde_json::json!({ "login_id": login_id, "name": "w", "role": "viewer", "password": "admin-pass-123" })
        }
        "/api/settings/access" => {
            serde_json::json!({ "rules": [{ "rule": "127.0.0.0/8", "note": "walk" }] })
        }
        "/api/users/{id}" => serde_json::json!({ "name": "renamed" }),
        "/api/users/{id}/password" => serde_json::json!({ "new_password": "walker-pass-123" }),
        "/api/settings/ars" => ars_body(),
        "/api/settings/menus" => {
            serde_json::json!({ "digit": 1, "kind": "agents", "queue": "상담", "callback": true })
        }
        "/api/settings/menus/{id}" => serde_json::json!({ "callback": false }),
        "/api/settings/agents" => {
            serde_json::json!({ "login_id": login_id, "name": "상담원", "password": "agent-pass-123" })
        }
        "/api/settings/agents/{id}" => serde_json::json!({ "name": "renamed" }),
        "/api/settings/agents/{id}/menus" => serde_json::json!({ "menu_ids": [] }),
        "/api/settings/consultation-types" => serde_json::json!({ "name": login_id }),
        "/api/settings/consultation-types/order" => serde_json::json!({ "ids": [] }),
        "/api/settings/consultation-types/{id}" => serde_json::json!({ "name": "renamed" }),
        "/api/settings/hours" => lunch_break_hours(),
        "/api/settings/holidays" => {
            serde_json::json!({ "date": "2026-07-01", "kind": "holiday", "repeat": "yearly", "name": login_id })
        }
        "/api/settings/holidays/{id}" => serde_json::json!({ "name": "renamed" }),
        "/api/settings/contract/licences" => serde_json::json!({ "licence_count": 12 }),
        "/api/settings/contract/company" => {
            serde_json::json!({ "name": "acme", "phone": "02-123-4567", "email": "ops@example.com" })
        }
        "/api/settings/work" => work_body(),
        "/api/agent/login" => {
            serde_json::json!({ "tenant_id": 1, "login_id": login_id, "password": "agent-pass-123", "platform": "pc" })
        }
        "/api/agent/state" => serde_json::json!({ "state": "away" }),
        "/api/agent/calls/{call_id}/consultation" => {
            serde_json::json!({ "type_id": null, "memo": "walk" })
        }
        // Keeps the walked tenant active: its admins sign in after this.
        "/api/operator/tenants/{id}" => serde_json::json!({ "status": "active" }),
        _ => serde_json::json!({}),
    })
}
