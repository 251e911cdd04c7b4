//! `demo-setup`: a demo tenant through the app's own HTTP API, matching
//! the traffic the simulator plays by default (RUN-7): a Korean company,
//! its owner, the ARS with the representative number, three agent-connect
//! queues (1 and 2 with callback) and an information menu (9), 24-hour
//! business hours, agents assigned to every queue, and work settings.
//! Running it again when the owner can already sign in changes nothing.

use crate::client::{AdminSession, Client};
use anyhow::{Context, Result, bail};
use serde_json::json;

pub struct DemoSetup {
    pub operator_login: String,
    pub operator_password: String,
    pub company: String,
    pub owner_login: String,
    pub owner_password: String,
    pub line: String,
    pub agents: Vec<String>,
    pub agent_password: String,
}

/// The demo company's outbound caller ID.
const CALLER_ID: &str = "02-1588-0000";

/// Korean names for the demo's agents, in order.
const NAMES: [&str; 12] = [
    "김민준",
    "이서연",
    "박지훈",
    "최수아",
    "정도윤",
    "강하은",
    "조예준",
    "윤지우",
    "장서준",
    "임하린",
    "한지호",
    "오유나",
];

/// Today in Seoul and a year later, as `YYYY-MM-DD`.
fn service_period() -> (String, String) {
    let tz = jiff::tz::TimeZone::get("Asia/Seoul").unwrap_or(jiff::tz::TimeZone::UTC);
    let today = jiff::Timestamp::now().to_zoned_datetime(tz).date();
    let start = today.yesterday().unwrap_or(today);
    let end = start
        .checked_add(jiff::Span::new().years(1))
        .unwrap_or(start);
    (start.to_string(), end.to_string())
}

impl DemoSetup {
    /// Returns true when it created the tenant, false when it existed.
    pub async fn run(&self, client: &Client) -> Result<bool> {
        if AdminSession::login(client, &self.owner_login, &self.owner_password)
            .await?
            .is_some()
        {
            return Ok(false);
        }
        let Some(op) =
            AdminSession::login(client, &self.operator_login, &self.operator_password).await?
        else {
            bail!(
                "the operator `{}` cannot sign in with the given password",
                self.operator_login
            );
        };
        let (start, end) = service_period();
        let created = op
            .call(
            "POST",
            "/api/operator/tenants",
            Some(json!({
                "name": self.company,
                "plan": "basic",
                "licence_count": 20.max(self.agents.len()),
                "service_start": start,
                "service_end": end,
                "owner": { "login_id": self.owner_login, "name": "데모 관리자", "password": self.owner_password }
            })),
        )
        .await
        .context("creating the demo tenant")?;
        let tenant_id = created["tenant"]["id"]
            .as_i64()
            .context("the new tenant's ID")?;
        // Numbers are the platform operator's to provision (the company
        // then chooses among its own); never held before, so since always:
        // a replayed past day is routed to the demo company too.
        for number in [self.line.as_str(), CALLER_ID] {
            op.call(
                "POST",
                "/api/operator/numbers",
                Some(json!({ "number": number, "tenant_id": tenant_id })),
            )
            .await
            .with_context(|| format!("provisioning {number} to the demo tenant"))?;
        }
        let Some(owner) =
            AdminSession::login(client, &self.owner_login, &self.owner_password).await?
        else {
            bail!("the new owner cannot sign in");
        };
        owner
            .call(
                "PUT",
                "/api/settings/ars",
                Some(json!({
                    "representative_number": self.line,
                    "caller_id": CALLER_ID,
                    "greeting": { "kind": "text", "text": format!("안녕하십니까? {} 고객센터입니다.", self.company) },
                    "out_of_hours": "지금은 상담 시간이 아닙니다. 상담 시간에 다시 전화해 주십시오.",
                    "connecting": "상담사에게 연결해 드리겠습니다.",
                    "busy": "모든 상담사가 통화 중입니다. 잠시만 기다려 주십시오.",
                    "busy_wait_seconds": 30,
                    "callback": "기다리지 않고 전화를 다시 받으시려면 1번을 눌러 주십시오."
                })),
            )
            .await
            .context("ARS settings")?;
        let mut queue_ids = Vec::new();
        for (digit, queue, callback) in [
            (1, "일반 상담", true),
            (2, "결제·환불", true),
            (3, "기술 지원", false),
        ] {
            let m = owner
                .call(
                    "POST",
                    "/api/settings/menus",
                    Some(json!({ "digit": digit, "kind": "agents", "queue": queue, "callback": callback })),
                )
                .await
                .with_context(|| format!("menu {digit}"))?;
            queue_ids.push(m["id"].clone());
        }
        owner
            .call(
                "POST",
                "/api/settings/menus",
                Some(json!({ "digit": 9, "kind": "info", "message": { "kind": "text",
                    "text": "고객센터는 연중무휴 24시간 운영합니다. 홈페이지에서도 주문 내역을 확인하실 수 있습니다." } })),
            )
            .await
            .context("information menu")?;
        let all_day =
            json!({ "available": true, "ranges": [{ "start": "00:00", "end": "24:00" }] });
        owner
            .call(
                "PUT",
                "/api/settings/hours",
                Some(json!({ "groups": { "weekdays": all_day, "weekend": all_day } })),
            )
            .await
            .context("business hours")?;
        owner
            .call(
                "PUT",
                "/api/settings/work",
                Some(json!({
                    "state_after_login": "ready",
                    "state_after_call": "after_call_work",
                    "acw_limit_seconds": 60,
                    "popup_url_template": "https://crm.example.com/popup?tel={caller}&call={callId}"
                })),
            )
            .await
            .context("work settings")?;
        for (i, login) in self.agents.iter().enumerate() {
            let name = NAMES.get(i).copied().unwrap_or("상담사");
            let a = owner
                .call(
                    "POST",
                    "/api/settings/agents",
                    Some(
                        json!({ "login_id": login, "name": name, "password": self.agent_password }),
                    ),
                )
                .await
                .with_context(|| format!("agent {login}"))?;
            let id = a["id"].as_i64().unwrap_or(0);
            owner
                .call(
                    "PUT",
                    &format!("/api/settings/agents/{id}/menus"),
                    Some(json!({ "menu_ids": queue_ids })),
                )
                .await
                .with_context(|| format!("assigning {login}"))?;
        }
        Ok(true)
    }
}
