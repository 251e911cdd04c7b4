//! The callbacks step (CB-2, CB-3): every tick
//!
//! 1. settles the attempts whose outcome is known (the provider's
//!    `callback.attempt` event, or the worker's own `rejected`,
//!    `provider_error`, `timeout`, `no_report`): completed, due again after
//!    the tenant's retry delay, or failed once the attempts are used up or
//!    the request would expire;
//! 2. records as transitions the status changes made elsewhere (a new
//!    request, an agent's "done", the provider's `completed`);
//! 3. sends again, with the same idempotency key, an attempt whose worker
//!    died between recording it and recording the provider's answer;
//! 4. per tenant (one tenant's failure is logged and the next runs): fails
//!    the requests past the tenant's expiry, and — only while the tenant is
//!    open (the one business-hours evaluator) — pairs each queue's due
//!    requests with its ready agents, longest idle first, claims that many
//!    in one statement with a lease, records each attempt and asks the
//!    provider to dial. A request without a ready agent stays due.

use super::provider::{Originate, Provider};
use super::step::{Counts, TickCx};
use crate::records::callbacks::{self as rec, Claimed, ReadyAgent, Settle};
use crate::records::{schedule_state, tenants};
use std::collections::{BTreeMap, HashSet};
use switchboard_domain::callback::{Next, after_attempt};
use switchboard_domain::{AttemptOutcome, CallbackPolicy};
use switchboard_http::OutboundError;
use switchboard_storage::{BoxFuture, StorageError};

pub fn run<'a>(cx: &'a TickCx<'a>) -> BoxFuture<'a, Result<Counts, StorageError>> {
    Box::pin(async move {
        let mut c = Counts::default();
        settle_outcomes(cx, &mut c).await?;
        c.add("recorded", rec::reconcile(cx.db, 1_000).await?);
        let Some(provider) = cx.provider else {
            let waiting: i64 = rec::due_queues(cx.db, cx.now_ms)
                .await?
                .iter()
                .map(|q| q.due)
                .sum();
            c.add("waiting_no_provider", waiting);
            return Ok(c);
        };
        resend(cx, provider, &mut c).await?;
        let queues = rec::due_queues(cx.db, cx.now_ms).await?;
        let mut by_tenant: BTreeMap<i64, Vec<rec::DueQueue>> = BTreeMap::new();
        for q in queues {
            by_tenant.entry(q.tenant_id).or_default().push(q);
        }
        let mut busy = HashSet::new();
        for (tenant_id, queues) in by_tenant {
            if let Err(e) = dial_tenant(cx, provider, tenant_id, &queues, &mut busy, &mut c).await {
                c.error(format!("callbacks of tenant {tenant_id}: {e}"));
            }
        }
        // Refusals and timeouts of this tick move on at once.
        settle_outcomes(cx, &mut c).await?;
        Ok(c)
    })
}

async fn settle_outcomes(cx: &TickCx<'_>, c: &mut Counts) -> Result<(), StorageError> {
    let report_before = cx.now_ms - cx.limits.report_limit_ms;
    let list = rec::unsettled(cx.db, cx.now_ms, report_before, 1_000).await?;
    let mut policies: BTreeMap<i64, CallbackPolicy> = BTreeMap::new();
    for u in list {
        let policy = match policies.get(&u.tenant_id) {
            Some(p) => *p,
            None => {
                let p = rec::policy(cx.db, u.tenant_id).await?;
                policies.insert(u.tenant_id, p);
                p
            }
        };
        let how = if u.status != "requested" {
            Settle::Closed
        } else {
            match after_attempt(policy, u.attempt, u.outcome, u.requested_ms, cx.now_ms) {
                Next::Completed => Settle::Closed,
                Next::RetryAt(due_ms) => Settle::Retry { due_ms },
                Next::Failed(r) => Settle::Fail { reason: r.as_str() },
            }
        };
        match rec::settle(cx.db, &u, how, cx.now_ms).await {
            Ok(()) => c.add(
                match (how, u.outcome) {
                    (_, AttemptOutcome::Completed) => "completed",
                    (Settle::Closed, _) => "settled_closed",
                    (Settle::Retry { .. }, _) => "retried",
                    (Settle::Fail { .. }, _) => "failed",
                },
                1,
            ),
            Err(e) => c.error(format!("settling attempt {}: {e}", u.attempt_id)),
        }
    }
    Ok(())
}

async fn resend(
    cx: &TickCx<'_>,
    provider: &dyn Provider,
    c: &mut Counts,
) -> Result<(), StorageError> {
    let lease_until = cx.now_ms + cx.limits.lease_ms;
    let list = rec::claim_unsent(
        cx.db,
        &cx.worker,
        cx.limits.dial_batch,
        cx.now_ms,
        lease_until,
    )
    .await?;
    for u in list {
        if !cx.in_budget() {
            break; // the lease runs out and a later tick sends it
        }
        c.add("resent", 1);
        send(
            cx,
            provider,
            u.callback_id,
            u.attempt,
            &u.number,
            &u.agent,
            c,
        )
        .await;
    }
    Ok(())
}

async fn dial_tenant(
    cx: &TickCx<'_>,
    provider: &dyn Provider,
    tenant_id: i64,
    queues: &[rec::DueQueue],
    busy: &mut HashSet<i64>,
    c: &mut Counts,
) -> Result<(), StorageError> {
    let tenant = tenants::by_id(cx.db, tenant_id)
        .await?
        .ok_or_else(|| StorageError::new("no such tenant"))?
        .scope()?;
    let now = cx.now;
    let policy = rec::policy(cx.db, tenant_id).await?;
    let expired_before = cx.now_ms - policy.expiry_hours() * 3_600_000;
    c.add(
        "expired",
        rec::expire(cx.db, tenant_id, expired_before, cx.now_ms, 1_000).await?,
    );
    if tenant.service_state(now) != tenants::ServiceState::Active {
        return Ok(());
    }
    if !schedule_state::status_for(cx.db, &tenant, now)
        .await?
        .status
        .is_open()
    {
        c.add("closed_hours", queues.iter().map(|q| q.due).sum());
        return Ok(());
    }
    for q in queues {
        let room = cx.limits.dial_batch - c.get("claimed");
        if room <= 0 || !cx.in_budget() {
            return Ok(());
        }
        let agents: Vec<ReadyAgent> = rec::ready_agents(cx.db, tenant_id, q.digit)
            .await?
            .into_iter()
            .filter(|a| !busy.contains(&a.id))
            .collect();
        if agents.is_empty() {
            c.add("no_ready_agent", q.due);
            continue;
        }
        let limit = i64::try_from(agents.len()).unwrap_or(i64::MAX).min(room);
        let lease_until = cx.now_ms + cx.limits.lease_ms;
        let claimed = rec::claim(
            cx.db,
            &cx.worker,
            tenant_id,
            q.digit,
            limit,
            cx.now_ms,
            lease_until,
        )
        .await?;
        c.add("claimed", i64::try_from(claimed.len()).unwrap_or(i64::MAX));
        for (cb, agent) in claimed.iter().zip(agents.iter()) {
            if !cx.in_budget() {
                rec::release(cx.db, &cx.worker, cb.id).await?;
                c.add("released", 1);
                continue;
            }
            busy.insert(agent.id);
            dial(cx, provider, cb, agent, c).await;
        }
    }
    Ok(())
}

async fn dial(
    cx: &TickCx<'_>,
    provider: &dyn Provider,
    cb: &Claimed,
    agent: &ReadyAgent,
    c: &mut Counts,
) {
    match rec::begin_attempt(cx.db, &cx.worker, cb, agent, cx.now_ms).await {
        Ok(true) => {
            send(
                cx,
                provider,
                cb.id,
                cb.attempts + 1,
                &cb.number,
                &agent.login_id,
                c,
            )
            .await
        }
        Ok(false) => c.add("lease_lost", 1),
        Err(e) => c.error(format!("recording an attempt of callback {}: {e}", cb.id)),
    }
}

/// Asks the provider to dial attempt `attempt` and records its answer.
async fn send(
    cx: &TickCx<'_>,
    provider: &dyn Provider,
    callback_id: i64,
    attempt: i64,
    number: &str,
    agent: &str,
    c: &mut Counts,
) {
    let order = Originate {
        callback_id,
        number: number.to_owned(),
        agent: agent.to_owned(),
        key: format!("cb-{callback_id}-{attempt}"),
    };
    let answer = provider.originate(&order).await;
    let now_ms = cx.now_ms;
    let recorded = match answer {
        Ok(a) if (200..300).contains(&a.status) => {
            c.add("dialled", 1);
            rec::accepted(cx.db, callback_id, attempt, a.status, &a.body, now_ms).await
        }
        Ok(a) => {
            let outcome = if (400..500).contains(&a.status) {
                AttemptOutcome::Rejected
            } else {
                AttemptOutcome::ProviderError
            };
            c.add(outcome.as_str(), 1);
            rec::not_accepted(
                cx.db,
                callback_id,
                attempt,
                Some(a.status),
                &a.body,
                outcome,
                now_ms,
            )
            .await
        }
        Err(OutboundError::Timeout) => {
            c.add("timeout", 1);
            rec::not_accepted(
                cx.db,
                callback_id,
                attempt,
                None,
                "timed out",
                AttemptOutcome::Timeout,
                now_ms,
            )
            .await
        }
        Err(e) => {
            c.add("provider_error", 1);
            let why = super::provider::keep(&e.to_string());
            rec::not_accepted(
                cx.db,
                callback_id,
                attempt,
                None,
                &why,
                AttemptOutcome::ProviderError,
                now_ms,
            )
            .await
        }
    };
    if let Err(e) = recorded {
        c.error(format!(
            "recording the answer for callback {callback_id}: {e}"
        ));
    }
}
