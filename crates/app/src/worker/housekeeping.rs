//! The housekeeping step (CB-5):
//!
//! - **ghost calls**: a live call with no event received for
//!   [`Limits::lost_after_ms`](super::Limits) (3 hours) is closed as `lost`
//!   at its last event's time — its own result, neither answered nor
//!   abandoned, and off the live floor. A late `call.ended` still gives it
//!   its real result;
//! - **silent agent apps**: an open agent-app session whose app has not
//!   been seen for the session lifetime (`session_lifetime_minutes`), or
//!   that signed in more than 24 hours ago (the token's absolute lifetime),
//!   is logged out at the time it was last seen (an `agent.logout` event,
//!   so the login history and the floor agree);
//! - **silent provider-reported agents**: a session the provider opened
//!   (`agent.login`) with no `agent.logout` and nothing heard of the agent
//!   for [`Limits::agent_silent_ms`](super::Limits) (12 hours: longer than
//!   a shift, so an agent waiting in `ready` through a quiet evening is not
//!   logged out) is logged out the same way, at the time it was last seen
//!   (its login, its last state change or its session's last event; 1 ms
//!   after it, so the logout orders after the state begun then);
//! - **leases** past their time are cleared; **sign-in throttle** rows past
//!   their lock and window are deleted;
//! - **retention**: each tenant's events and records older than its
//!   retention setting (default 400 days, work settings page) are deleted
//!   in batches, never past what the statistics roll-up has rolled
//!   (`records::retention` says exactly what and why); events that reached
//!   no tenant are kept the default 400 days;
//! - hourly: **expired admin sessions and agent tokens** are swept from the
//!   key-value store, and `PRAGMA optimize` runs (see [`upkeep`]).

use super::step::{Counts, TickCx};
use crate::records::{agent_presence, retention};
use crate::security::{agent_tokens, sessions, throttle};
use crate::telephony::agent_events::{self, Act};
use switchboard_storage::{BoxFuture, StorageError};

/// How often the hourly upkeep runs.
pub const UPKEEP_EVERY_MS: i64 = 3_600_000;

pub fn run<'a>(cx: &'a TickCx<'a>) -> BoxFuture<'a, Result<Counts, StorageError>> {
    Box::pin(async move {
        let mut c = Counts::default();
        let db = cx.db;
        let now = cx.now_ms;

        // Ghost calls.
        let lost = db
            .query(
                "UPDATE calls SET lost_ms = (SELECT MAX(e.at_ms) FROM telephony_events e \
                   WHERE e.tenant_id = calls.tenant_id AND e.call_id = calls.call_id) \
                 WHERE id IN (SELECT c.id FROM calls c WHERE c.live IS NOT NULL \
                   AND (SELECT MAX(e.received_ms) FROM telephony_events e \
                        WHERE e.tenant_id = c.tenant_id AND e.call_id = c.call_id) <= ?1 \
                   LIMIT ?2) \
                 RETURNING id",
                &[
                    (now - cx.limits.lost_after_ms).into(),
                    cx.limits.cleanup_batch.into(),
                ],
            )
            .await?;
        c.add("lost", i64::try_from(lost.len()).unwrap_or(i64::MAX));

        // Silent agent apps.
        let idle_ms = cx.session_lifetime_minutes.saturating_mul(60_000);
        let absolute_ms = agent_tokens::ABSOLUTE_LIFETIME_SECS * 1000;
        let silent = agent_presence::silent(db, now - idle_ms, now - absolute_ms, 500).await?;
        for s in silent {
            let act = Act::Logout {
                session: &s.session,
            };
            match agent_events::store(db, s.tenant_id, &s.agent, act, s.last_seen_ms).await {
                Ok(()) => c.add("closed", 1),
                Err(e) => c.error(format!("closing agent session {}: {e}", s.session)),
            }
        }
        // Silent provider-reported agents.
        let reported =
            agent_presence::silent_reported(db, now - cx.limits.agent_silent_ms, 500).await?;
        for s in reported {
            let act = Act::Logout {
                session: &s.session,
            };
            // One millisecond after: a state that started at the very time
            // last seen (its login) must come before the logout, whatever
            // the events' IDs (which break ties between equal times).
            let at = s.last_seen_ms + 1;
            match agent_events::store(db, s.tenant_id, &s.agent, act, at).await {
                Ok(()) => c.add("closed", 1),
                Err(e) => c.error(format!("closing agent session {}: {e}", s.session)),
            }
        }
        agent_presence::forget_ended(db).await?;

        // Leases that ran out on waiting requests.
        db.execute(
            "UPDATE callbacks SET claimed_by = NULL, lease_until_ms = NULL \
             WHERE status = 'requested' AND stage IS NULL AND lease_until_ms <= ?",
            &[now.into()],
        )
        .await?;

        throttle::expire(db, now.div_euclid(1000)).await?;

        // Retention, tenant by tenant; one tenant's failure does not stop
        // the others.
        for (tenant_id, days) in retention::all(db).await? {
            if !cx.in_budget() {
                break;
            }
            let done = async {
                match retention::horizon(db, tenant_id, days, now).await? {
                    Some(h) if retention::due(db, tenant_id, h).await? => {
                        retention::purge(db, tenant_id, h, cx.limits.cleanup_batch).await
                    }
                    _ => Ok((0, 0)),
                }
            };
            match done.await {
                Ok((records, events)) => {
                    c.add("records_deleted", records);
                    c.add("events_deleted", events);
                }
                Err(e) => c.error(format!("retention of tenant {tenant_id}: {e}")),
            }
        }
        c.add(
            "events_deleted",
            retention::purge_unrouted(db, now, cx.limits.cleanup_batch).await?,
        );

        if let Err(e) = upkeep(cx, &mut c).await {
            c.error(format!("hourly upkeep: {e}"));
        }
        Ok(c)
    })
}

/// Once an hour (the time is kept in `worker_state.upkeep_ms`, claimed in
/// one statement so one of several workers does it): sweeps ended admin
/// sessions and agent tokens from the key-value store, and runs
/// `PRAGMA optimize`.
///
/// Why `PRAGMA optimize` rather than a plain `ANALYZE`: it analyses only the
/// tables whose statistics are missing or stale, so it costs next to nothing
/// when nothing changed, and with `analysis_limit` each table's analysis is
/// bounded (SQLite's recommendation for long-lived databases). Without
/// statistics SQLite cannot tell a partial index that holds a handful of
/// rows (the agent-state "current" index: one open interval per agent) from
/// a full one and may pick the latter; `sqlite_stat1` tells it.
pub async fn upkeep(cx: &TickCx<'_>, c: &mut Counts) -> Result<(), StorageError> {
    let due = cx
        .db
        .query(
            "UPDATE worker_state SET upkeep_ms = ?1 WHERE id = 1 \
             AND (upkeep_ms IS NULL OR upkeep_ms <= ?2) RETURNING id",
            &[cx.now_ms.into(), (cx.now_ms - UPKEEP_EVERY_MS).into()],
        )
        .await?;
    if due.is_empty() {
        return Ok(());
    }
    let now_s = cx.now_ms.div_euclid(1000);
    let idle = cx.session_lifetime_minutes.saturating_mul(60);
    let kv = cx.kv;
    c.add("sessions_swept", sessions::sweep(kv, now_s, idle).await?);
    c.add(
        "agent_tokens_swept",
        agent_tokens::sweep(kv, now_s, idle).await?,
    );
    cx.db.execute("PRAGMA analysis_limit = 1000", &[]).await?;
    cx.db.execute("PRAGMA optimize = 0x10002", &[]).await?;
    c.add("optimized", 1);
    Ok(())
}
