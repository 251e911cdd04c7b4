//! Callback requests as the worker moves them (CB-2, CB-3, HIST-3), in SQL:
//! the lease claim, attempts, transitions and the tenant's policy
//! (`migrations/0014_callback_worker.sql` describes the columns and tables).
//!
//! Every multi-statement change runs in one `batch` (one write
//! transaction), each statement guarded by the state it expects, so two
//! workers racing on one request change it once. Nothing here branches on
//! an affected-row count: what happened is read back.

use crate::time::fmt_utc;
use serde::Serialize;
use switchboard_domain::{AttemptOutcome, CallbackPolicy};
use switchboard_storage::{Row, Sql, Statement, StorageError, Value};

// --- the tenant's policy ---------------------------------------------------

/// The tenant's callback policy; the default until it saves one.
pub async fn policy(db: &dyn Sql, tenant_id: i64) -> Result<CallbackPolicy, StorageError> {
    let row = db
        .query_row(
            "SELECT max_attempts, retry_delay_seconds, expiry_hours FROM callback_settings \
             WHERE tenant_id = ?",
            &[tenant_id.into()],
        )
        .await?;
    match row {
        None => Ok(CallbackPolicy::default()),
        Some(r) => CallbackPolicy::new(r.i64(0)?, r.i64(1)?, r.i64(2)?)
            .map_err(|e| StorageError::new(format!("stored callback policy: {e}"))),
    }
}

/// Whether the tenant saved a policy of its own.
pub async fn policy_saved(db: &dyn Sql, tenant_id: i64) -> Result<bool, StorageError> {
    Ok(db
        .query_row(
            "SELECT 1 FROM callback_settings WHERE tenant_id = ?",
            &[tenant_id.into()],
        )
        .await?
        .is_some())
}

pub async fn save_policy(
    db: &dyn Sql,
    tenant_id: i64,
    p: CallbackPolicy,
    now: jiff::Timestamp,
) -> Result<(), StorageError> {
    db.execute(
        "INSERT INTO callback_settings (tenant_id, max_attempts, retry_delay_seconds, expiry_hours, updated_at) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET \
         max_attempts = excluded.max_attempts, retry_delay_seconds = excluded.retry_delay_seconds, \
         expiry_hours = excluded.expiry_hours, updated_at = excluded.updated_at",
        &[
            tenant_id.into(),
            p.attempts().into(),
            p.retry_delay_seconds().into(),
            p.expiry_hours().into(),
            fmt_utc(now).into(),
        ],
    )
    .await?;
    Ok(())
}

// --- what is due -----------------------------------------------------------

/// A queue with requests to dial now: tenant, queue digit, how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueQueue {
    pub tenant_id: i64,
    pub digit: i64,
    pub due: i64,
}

/// Queues holding requests that are due and free (no live lease, no
/// attempt under way), in tenant order.
pub async fn due_queues(db: &dyn Sql, now_ms: i64) -> Result<Vec<DueQueue>, StorageError> {
    let rows = db
        .query(
            "SELECT tenant_id, digit, COUNT(*) FROM callbacks \
             WHERE status = 'requested' AND stage IS NULL AND due_ms <= ?1 \
               AND (lease_until_ms IS NULL OR lease_until_ms <= ?1) \
             GROUP BY tenant_id, digit ORDER BY tenant_id, digit",
            &[now_ms.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DueQueue {
                tenant_id: r.i64(0)?,
                digit: r.i64(1)?,
                due: r.i64(2)?,
            })
        })
        .collect()
}

/// A request this worker holds the lease on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub tenant_id: i64,
    pub number: String,
    pub requested_ms: i64,
    /// Attempts made so far.
    pub attempts: i64,
}

fn claimed_from(r: &Row) -> Result<Claimed, StorageError> {
    Ok(Claimed {
        id: r.i64(0)?,
        tenant_id: r.i64(1)?,
        number: r.text(2)?,
        requested_ms: r.i64(3)?,
        attempts: r.i64(4)?,
    })
}

const CLAIMED: &str = "id, tenant_id, number, requested_ms, \
    (SELECT COUNT(*) FROM callback_attempts x WHERE x.callback_id = callbacks.id)";

/// Claims up to `limit` due requests of one queue for `worker` until
/// `lease_until_ms`, oldest due first, in one statement: a request whose
/// lease is live is skipped, so two workers never hold one request.
pub async fn claim(
    db: &dyn Sql,
    worker: &str,
    tenant_id: i64,
    digit: i64,
    limit: i64,
    now_ms: i64,
    lease_until_ms: i64,
) -> Result<Vec<Claimed>, StorageError> {
    let sql = format!(
        "UPDATE callbacks SET claimed_by = ?1, lease_until_ms = ?2 \
         WHERE id IN (SELECT id FROM callbacks \
                      WHERE tenant_id = ?3 AND digit = ?4 AND status = 'requested' AND stage IS NULL \
                        AND due_ms <= ?5 AND (lease_until_ms IS NULL OR lease_until_ms <= ?5) \
                      ORDER BY due_ms, id LIMIT ?6) \
           AND status = 'requested' AND stage IS NULL \
           AND (lease_until_ms IS NULL OR lease_until_ms <= ?5) \
         RETURNING {CLAIMED}"
    );
    let rows = db
        .query(
            &sql,
            &[
                worker.into(),
                lease_until_ms.into(),
                tenant_id.into(),
                digit.into(),
                now_ms.into(),
                limit.into(),
            ],
        )
        .await?;
    let mut out: Vec<Claimed> = rows.iter().map(claimed_from).collect::<Result<_, _>>()?;
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// Gives a claimed request back without dialling it (the tick ran out of
/// time or agents): it is due again at once for the next tick.
pub async fn release(db: &dyn Sql, worker: &str, id: i64) -> Result<(), StorageError> {
    db.execute(
        "UPDATE callbacks SET claimed_by = NULL, lease_until_ms = NULL \
         WHERE id = ? AND claimed_by = ? AND stage IS NULL",
        &[id.into(), worker.into()],
    )
    .await?;
    Ok(())
}

/// An attempt recorded but not answered by the provider (its worker died
/// while sending), to send again with the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsent {
    pub callback_id: i64,
    pub tenant_id: i64,
    pub number: String,
    pub attempt: i64,
    pub agent: String,
}

/// Claims up to `limit` requests whose attempt was recorded but whose
/// provider answer never was, once their lease has run out.
pub async fn claim_unsent(
    db: &dyn Sql,
    worker: &str,
    limit: i64,
    now_ms: i64,
    lease_until_ms: i64,
) -> Result<Vec<Unsent>, StorageError> {
    let rows = db
        .query(
            "UPDATE callbacks SET claimed_by = ?1, lease_until_ms = ?2 \
             WHERE id IN (SELECT id FROM callbacks WHERE status = 'requested' AND stage = 'sending' \
                          AND (lease_until_ms IS NULL OR lease_until_ms <= ?3) ORDER BY id LIMIT ?4) \
               AND stage = 'sending' AND (lease_until_ms IS NULL OR lease_until_ms <= ?3) \
             RETURNING id, tenant_id, number, \
               (SELECT MAX(x.attempt) FROM callback_attempts x WHERE x.callback_id = callbacks.id), \
               (SELECT x.agent FROM callback_attempts x WHERE x.callback_id = callbacks.id \
                ORDER BY x.attempt DESC LIMIT 1)",
            &[
                worker.into(),
                lease_until_ms.into(),
                now_ms.into(),
                limit.into(),
            ],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Unsent {
                callback_id: r.i64(0)?,
                tenant_id: r.i64(1)?,
                number: r.text(2)?,
                attempt: r.i64(3)?,
                agent: r.text(4)?,
            })
        })
        .collect()
}

// --- agents ----------------------------------------------------------------

/// An agent who could take a callback now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyAgent {
    pub id: i64,
    pub login_id: String,
    pub ready_since_ms: i64,
}

/// Active agents assigned to queue `digit` whose current state is `ready`
/// and who have no callback attempt awaiting its outcome, longest idle
/// first.
pub async fn ready_agents(
    db: &dyn Sql,
    tenant_id: i64,
    digit: i64,
) -> Result<Vec<ReadyAgent>, StorageError> {
    let rows = db
        .query(
            "SELECT a.id, a.login_id, s.started_ms FROM agents a \
             JOIN agent_menus am ON am.agent_id = a.id \
             JOIN ars_menus m ON m.id = am.menu_id AND m.tenant_id = a.tenant_id AND m.digit = ?2 \
             JOIN agent_states s ON s.tenant_id = a.tenant_id AND s.agent = a.login_id AND s.ended_ms IS NULL \
             WHERE a.tenant_id = ?1 AND a.status = 'active' AND s.state = 'ready' \
               AND NOT EXISTS (SELECT 1 FROM callback_attempts x WHERE x.tenant_id = a.tenant_id \
                               AND x.agent = a.login_id AND x.settled = 0) \
             ORDER BY s.started_ms, a.id",
            &[tenant_id.into(), digit.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ReadyAgent {
                id: r.i64(0)?,
                login_id: r.text(1)?,
                ready_since_ms: r.i64(2)?,
            })
        })
        .collect()
}

// --- attempts --------------------------------------------------------------

/// Records attempt `attempt` of a request `worker` holds, with `agent`, and
/// moves the request to `sending`; nothing if the lease is no longer
/// `worker`'s. Returns whether the attempt is this worker's to send.
pub async fn begin_attempt(
    db: &dyn Sql,
    worker: &str,
    c: &Claimed,
    agent: &ReadyAgent,
    now_ms: i64,
) -> Result<bool, StorageError> {
    let attempt = c.attempts + 1;
    let held = "EXISTS (SELECT 1 FROM callbacks WHERE id = ?1 AND claimed_by = ?2 \
                AND stage IS NULL AND status = 'requested')";
    db.batch(&[
        Statement::new(
            format!(
                "INSERT INTO callback_attempts (tenant_id, callback_id, attempt, started_ms, agent_id, agent, worker) \
                 SELECT ?3, ?1, ?4, ?5, ?6, ?7, ?2 WHERE {held}"
            ),
            vec![
                c.id.into(),
                worker.into(),
                c.tenant_id.into(),
                attempt.into(),
                now_ms.into(),
                agent.id.into(),
                agent.login_id.clone().into(),
            ],
        ),
        Statement::new(
            format!(
                "INSERT INTO callback_transitions (tenant_id, callback_id, at_ms, from_state, to_state, reason, attempt, actor) \
                 SELECT ?3, ?1, ?5, 'requested', 'dialing', 'dial_with_' || ?6, ?4, 'worker' WHERE {held}"
            ),
            vec![
                c.id.into(),
                worker.into(),
                c.tenant_id.into(),
                attempt.into(),
                now_ms.into(),
                agent.login_id.clone().into(),
            ],
        ),
        Statement::new(
            "UPDATE callbacks SET stage = 'sending' WHERE id = ?1 AND claimed_by = ?2 \
             AND stage IS NULL AND status = 'requested'",
            vec![c.id.into(), worker.into()],
        ),
    ])
    .await?;
    let row = db
        .query_row(
            "SELECT 1 FROM callbacks c JOIN callback_attempts a ON a.callback_id = c.id \
             WHERE c.id = ? AND c.claimed_by = ? AND c.stage = 'sending' AND a.attempt = ? AND a.worker = ?",
            &[c.id.into(), worker.into(), attempt.into(), worker.into()],
        )
        .await?;
    Ok(row.is_some())
}

/// The provider accepted attempt `attempt`: the request waits for its
/// outcome (`dialing`), and the lease is let go.
pub async fn accepted(
    db: &dyn Sql,
    callback_id: i64,
    attempt: i64,
    status: u16,
    answer: &str,
    now_ms: i64,
) -> Result<(), StorageError> {
    db.batch(&[
        Statement::new(
            "UPDATE callback_attempts SET provider_status = ?, provider_answer = ?, answered_ms = ? \
             WHERE callback_id = ? AND attempt = ? AND answered_ms IS NULL",
            vec![
                i64::from(status).into(),
                answer.into(),
                now_ms.into(),
                callback_id.into(),
                attempt.into(),
            ],
        ),
        Statement::new(
            "UPDATE callbacks SET stage = 'dialing', claimed_by = NULL, lease_until_ms = NULL \
             WHERE id = ? AND stage = 'sending'",
            vec![callback_id.into()],
        ),
    ])
    .await?;
    Ok(())
}

/// The attempt ended without the provider dialling (a refusal, an error,
/// no answer in time): its outcome is the worker's (kept if the provider
/// reported one already).
pub async fn not_accepted(
    db: &dyn Sql,
    callback_id: i64,
    attempt: i64,
    status: Option<u16>,
    answer: &str,
    outcome: AttemptOutcome,
    now_ms: i64,
) -> Result<(), StorageError> {
    db.execute(
        "UPDATE callback_attempts SET provider_status = ?, provider_answer = ?, answered_ms = ?, \
         outcome = COALESCE(outcome, ?), outcome_ms = COALESCE(outcome_ms, ?) \
         WHERE callback_id = ? AND attempt = ? AND answered_ms IS NULL",
        &[
            status.map(i64::from).into(),
            answer.into(),
            now_ms.into(),
            outcome.as_str().into(),
            now_ms.into(),
            callback_id.into(),
            attempt.into(),
        ],
    )
    .await?;
    Ok(())
}

/// An attempt with an outcome that has not moved its request on yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsettled {
    pub attempt_id: i64,
    pub callback_id: i64,
    pub tenant_id: i64,
    pub attempt: i64,
    pub outcome: AttemptOutcome,
    pub outcome_ms: i64,
    pub requested_ms: i64,
    pub status: String,
}

/// Accepted attempts without a report since `report_before_ms` get the
/// outcome `no_report`; then up to `limit` attempts with an outcome not yet
/// settled.
pub async fn unsettled(
    db: &dyn Sql,
    now_ms: i64,
    report_before_ms: i64,
    limit: i64,
) -> Result<Vec<Unsettled>, StorageError> {
    db.execute(
        "UPDATE callback_attempts SET outcome = 'no_report', outcome_ms = ?1 \
         WHERE settled = 0 AND outcome IS NULL AND answered_ms IS NOT NULL AND answered_ms <= ?2",
        &[now_ms.into(), report_before_ms.into()],
    )
    .await?;
    let rows = db
        .query(
            "SELECT a.id, a.callback_id, a.tenant_id, a.attempt, a.outcome, a.outcome_ms, \
                    c.requested_ms, c.status \
             FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id \
             WHERE a.settled = 0 AND a.outcome IS NOT NULL ORDER BY a.id LIMIT ?",
            &[limit.into()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let outcome = r.text(4)?;
            Ok(Unsettled {
                attempt_id: r.i64(0)?,
                callback_id: r.i64(1)?,
                tenant_id: r.i64(2)?,
                attempt: r.i64(3)?,
                outcome: AttemptOutcome::parse(&outcome)
                    .ok_or_else(|| StorageError::new(format!("stored outcome {outcome}")))?,
                outcome_ms: r.i64(5)?,
                requested_ms: r.i64(6)?,
                status: r.text(7)?,
            })
        })
        .collect()
}

/// What settling an attempt does to its request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle<'a> {
    /// The request is closed already (completed, deleted): only the
    /// attempt is marked settled.
    Closed,
    /// Due again at this instant.
    Retry { due_ms: i64 },
    /// Given up.
    Fail { reason: &'a str },
}

/// Applies `how` to the attempt's request, once: every statement is
/// guarded by the attempt still being unsettled.
pub async fn settle(
    db: &dyn Sql,
    u: &Unsettled,
    how: Settle<'_>,
    now_ms: i64,
) -> Result<(), StorageError> {
    let open = "EXISTS (SELECT 1 FROM callback_attempts WHERE id = ?1 AND settled = 0)";
    let mut statements = Vec::new();
    let reason = match how {
        Settle::Closed => String::new(),
        Settle::Retry { .. } => format!("{}_retry", u.outcome.as_str()),
        Settle::Fail { reason } => format!("{}_{reason}", u.outcome.as_str()),
    };
    match how {
        Settle::Closed => {}
        Settle::Retry { due_ms } => {
            statements.push(Statement::new(
                format!(
                    "INSERT INTO callback_transitions (tenant_id, callback_id, at_ms, from_state, to_state, reason, attempt, actor) \
                     SELECT ?2, ?3, ?4, 'dialing', 'requested', ?5, ?6, 'worker' WHERE {open} \
                     AND EXISTS (SELECT 1 FROM callbacks WHERE id = ?3 AND status = 'requested')"
                ),
                vec![
                    u.attempt_id.into(),
                    u.tenant_id.into(),
                    u.callback_id.into(),
                    now_ms.into(),
                    reason.clone().into(),
                    u.attempt.into(),
                ],
            ));
            statements.push(Statement::new(
                format!(
                    "UPDATE callbacks SET due_ms = ?2, stage = NULL, claimed_by = NULL, lease_until_ms = NULL \
                     WHERE id = ?3 AND status = 'requested' AND {open}"
                ),
                vec![u.attempt_id.into(), due_ms.into(), u.callback_id.into()],
            ));
        }
        Settle::Fail { .. } => {
            statements.push(Statement::new(
                format!(
                    "INSERT INTO callback_transitions (tenant_id, callback_id, at_ms, from_state, to_state, reason, attempt, actor) \
                     SELECT ?2, ?3, ?4, 'dialing', 'failed', ?5, ?6, 'worker' WHERE {open} \
                     AND EXISTS (SELECT 1 FROM callbacks WHERE id = ?3 AND status = 'requested')"
                ),
                vec![
                    u.attempt_id.into(),
                    u.tenant_id.into(),
                    u.callback_id.into(),
                    now_ms.into(),
                    reason.clone().into(),
                    u.attempt.into(),
                ],
            ));
            statements.push(Statement::new(
                format!(
                    "UPDATE callbacks SET status = 'failed', logged_status = 'failed', done_ms = ?2, \
                     stage = NULL, claimed_by = NULL, lease_until_ms = NULL \
                     WHERE id = ?3 AND status = 'requested' AND {open}"
                ),
                vec![u.attempt_id.into(), now_ms.into(), u.callback_id.into()],
            ));
        }
    }
    statements.push(Statement::new(
        "UPDATE callbacks SET stage = NULL, claimed_by = NULL, lease_until_ms = NULL \
         WHERE id = ?2 AND status <> 'requested' AND EXISTS (SELECT 1 FROM callback_attempts WHERE id = ?1 AND settled = 0)",
        vec![u.attempt_id.into(), u.callback_id.into()],
    ));
    statements.push(Statement::new(
        "UPDATE callback_attempts SET settled = 1 WHERE id = ? AND settled = 0",
        vec![u.attempt_id.into()],
    ));
    db.batch(&statements).await?;
    Ok(())
}

/// Requests of `tenant_id` that wait (no attempt under way) and were made
/// at or before `requested_before_ms`: expired under the tenant's policy.
/// Each fails with reason `expired`; returns how many.
pub async fn expire(
    db: &dyn Sql,
    tenant_id: i64,
    requested_before_ms: i64,
    now_ms: i64,
    limit: i64,
) -> Result<i64, StorageError> {
    let rows = db
        .query(
            "UPDATE callbacks SET status = 'failed', logged_status = 'failed', done_ms = ?1, \
             claimed_by = NULL, lease_until_ms = NULL \
             WHERE id IN (SELECT id FROM callbacks WHERE tenant_id = ?2 AND status = 'requested' \
                          AND stage IS NULL AND requested_ms <= ?3 ORDER BY requested_ms LIMIT ?4) \
               AND status = 'requested' AND stage IS NULL \
             RETURNING id, (SELECT COUNT(*) FROM callback_attempts x WHERE x.callback_id = callbacks.id)",
            &[
                now_ms.into(),
                tenant_id.into(),
                requested_before_ms.into(),
                limit.into(),
            ],
        )
        .await?;
    // The status and its transition are two statements; a tick dying
    // between them leaves the transition to the next reconcile (the status
    // then differs from nothing, so reconcile records it as `expired`).
    let mut statements = Vec::new();
    for r in &rows {
        statements.push(Statement::new(
            "INSERT INTO callback_transitions (tenant_id, callback_id, at_ms, from_state, to_state, reason, attempt, actor) \
             VALUES (?, ?, ?, 'requested', 'failed', 'expired', ?, 'worker')",
            vec![
                tenant_id.into(),
                r.i64(0)?.into(),
                now_ms.into(),
                Value::from(r.i64(1)?),
            ],
        ));
    }
    if !statements.is_empty() {
        db.batch(&statements).await?;
    }
    Ok(i64::try_from(rows.len()).unwrap_or(i64::MAX))
}

/// Records the status changes made elsewhere (a new request, an agent's
/// "done", the provider's `completed`) as transitions, up to `limit`;
/// returns how many.
pub async fn reconcile(db: &dyn Sql, limit: i64) -> Result<i64, StorageError> {
    let rows = db
        .query(
            "SELECT c.id, c.tenant_id, c.status, c.logged_status, c.requested_ms, c.done_ms, c.done_by_agent_id, \
                    (SELECT MAX(x.attempt) FROM callback_attempts x WHERE x.callback_id = c.id \
                     AND x.outcome = 'completed') \
             FROM callbacks c WHERE c.status IS NOT c.logged_status ORDER BY c.id LIMIT ?",
            &[limit.into()],
        )
        .await?;
    let mut statements = Vec::new();
    for r in &rows {
        let (id, tenant_id, status) = (r.i64(0)?, r.i64(1)?, r.text(2)?);
        let from = r.opt_text(3)?;
        let requested_ms = r.i64(4)?;
        let done_ms = r.opt_i64(5)?;
        let by_agent = r.opt_i64(6)?;
        let attempt = r.opt_i64(7)?;
        // A request that has never been recorded starts as `requested`.
        if from.is_none() {
            statements.push(transition(
                tenant_id,
                id,
                requested_ms,
                None,
                "requested",
                "requested",
                None,
                "provider",
            ));
        }
        let at = done_ms.unwrap_or(requested_ms);
        let from = from.unwrap_or_else(|| "requested".to_owned());
        match status.as_str() {
            "requested" => {}
            "completed" => {
                let (reason, actor) = match by_agent {
                    Some(a) => ("marked_done_by_agent".to_owned(), format!("agent:{a}")),
                    None => ("customer_reached".to_owned(), "provider".to_owned()),
                };
                let from = if attempt.is_some() {
                    "dialing"
                } else {
                    from.as_str()
                };
                statements.push(transition(
                    tenant_id,
                    id,
                    at,
                    Some(from),
                    "completed",
                    &reason,
                    attempt,
                    &actor,
                ));
            }
            other => {
                statements.push(transition(
                    tenant_id,
                    id,
                    at,
                    Some(&from),
                    other,
                    other,
                    None,
                    "worker",
                ));
            }
        }
        statements.push(Statement::new(
            "UPDATE callbacks SET logged_status = ?, \
             stage = CASE WHEN ? = 'requested' THEN stage END, \
             claimed_by = CASE WHEN ? = 'requested' THEN claimed_by END, \
             lease_until_ms = CASE WHEN ? = 'requested' THEN lease_until_ms END \
             WHERE id = ? AND status = ?",
            vec![
                status.clone().into(),
                status.clone().into(),
                status.clone().into(),
                status.clone().into(),
                id.into(),
                status.clone().into(),
            ],
        ));
    }
    if !statements.is_empty() {
        db.batch(&statements).await?;
    }
    Ok(i64::try_from(rows.len()).unwrap_or(i64::MAX))
}

#[allow(clippy::too_many_arguments)]
fn transition(
    tenant_id: i64,
    callback_id: i64,
    at_ms: i64,
    from: Option<&str>,
    to: &str,
    reason: &str,
    attempt: Option<i64>,
    actor: &str,
) -> Statement {
    Statement::new(
        "INSERT INTO callback_transitions (tenant_id, callback_id, at_ms, from_state, to_state, reason, attempt, actor) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            tenant_id.into(),
            callback_id.into(),
            at_ms.into(),
            from.into(),
            to.into(),
            reason.into(),
            attempt.into(),
            actor.into(),
        ],
    )
}

// --- an admin deletes a request -------------------------------------------

/// The status of callback `id` of `tenant_id`, if it has one.
pub async fn status_of(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
) -> Result<Option<String>, StorageError> {
    let row = db
        .query_row(
            "SELECT status FROM callbacks WHERE id = ? AND tenant_id = ?",
            &[id.into(), tenant_id.into()],
        )
        .await?;
    row.map(|r| r.text(0)).transpose()
}

/// Deletes a `requested` request of the tenant (CB-3) on behalf of admin
/// `user_id`; returns its status afterwards (`None`: no such request).
pub async fn delete(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
    user_id: i64,
    now_ms: i64,
) -> Result<Option<String>, StorageError> {
    let open = "EXISTS (SELECT 1 FROM callbacks WHERE id = ?1 AND tenant_id = ?2 AND status = 'requested')";
    db.batch(&[
        // A request no tick has recorded yet starts as `requested`.
        Statement::new(
            "INSERT INTO callback_transitions (tenant_id, callback_id, at_ms, from_state, to_state, reason, attempt, actor) \
             SELECT tenant_id, id, requested_ms, NULL, 'requested', 'requested', NULL, 'provider' FROM callbacks \
             WHERE id = ?1 AND tenant_id = ?2 AND status = 'requested' AND logged_status IS NULL",
            vec![id.into(), tenant_id.into()],
        ),
        Statement::new(
            format!(
                "INSERT INTO callback_transitions (tenant_id, callback_id, at_ms, from_state, to_state, reason, attempt, actor) \
                 SELECT ?2, ?1, ?3, CASE WHEN (SELECT stage FROM callbacks WHERE id = ?1) IS NULL THEN 'requested' ELSE 'dialing' END, \
                 'deleted', 'deleted_by_admin', NULL, ?4 WHERE {open}"
            ),
            vec![
                id.into(),
                tenant_id.into(),
                now_ms.into(),
                format!("admin:{user_id}").into(),
            ],
        ),
        Statement::new(
            "UPDATE callbacks SET status = 'deleted', logged_status = 'deleted', done_ms = ?3, \
             stage = NULL, claimed_by = NULL, lease_until_ms = NULL \
             WHERE id = ?1 AND tenant_id = ?2 AND status = 'requested'",
            vec![id.into(), tenant_id.into(), now_ms.into()],
        ),
    ])
    .await?;
    let row = db
        .query_row(
            "SELECT status FROM callbacks WHERE id = ? AND tenant_id = ?",
            &[id.into(), tenant_id.into()],
        )
        .await?;
    row.map(|r| r.text(0)).transpose()
}

// --- what HIST-3 reads -----------------------------------------------------

/// One attempt as the callback history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttemptRow {
    pub attempt: i64,
    pub started_ms: i64,
    pub agent_id: Option<i64>,
    pub agent: String,
    pub provider_status: Option<i64>,
    pub provider_answer: Option<String>,
    pub outcome: Option<String>,
    pub outcome_ms: Option<i64>,
}

/// One transition as the callback history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransitionRow {
    pub at_ms: i64,
    pub from_state: Option<String>,
    pub to_state: String,
    pub reason: String,
    pub attempt: Option<i64>,
    pub actor: String,
}

/// The attempts and transitions of callback `id` of `tenant_id`, oldest
/// first (HIST-3). Another tenant's callback has none.
pub async fn attempts_for(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
) -> Result<(Vec<AttemptRow>, Vec<TransitionRow>), StorageError> {
    let attempts = db
        .query(
            "SELECT attempt, started_ms, agent_id, agent, provider_status, provider_answer, outcome, outcome_ms \
             FROM callback_attempts WHERE tenant_id = ? AND callback_id = ? ORDER BY attempt",
            &[tenant_id.into(), id.into()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(AttemptRow {
                attempt: r.i64(0)?,
                started_ms: r.i64(1)?,
                agent_id: r.opt_i64(2)?,
                agent: r.text(3)?,
                provider_status: r.opt_i64(4)?,
                provider_answer: r.opt_text(5)?,
                outcome: r.opt_text(6)?,
                outcome_ms: r.opt_i64(7)?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    let transitions = db
        .query(
            "SELECT at_ms, from_state, to_state, reason, attempt, actor FROM callback_transitions \
             WHERE tenant_id = ? AND callback_id = ? ORDER BY id",
            &[tenant_id.into(), id.into()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(TransitionRow {
                at_ms: r.i64(0)?,
                from_state: r.opt_text(1)?,
                to_state: r.text(2)?,
                reason: r.text(3)?,
                attempt: r.opt_i64(4)?,
                actor: r.text(5)?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    Ok((attempts, transitions))
}

/// The number callback `id` calls (for the work history of a delete).
pub async fn number_of(
    db: &dyn Sql,
    tenant_id: i64,
    id: i64,
) -> Result<Option<String>, StorageError> {
    db.query_row(
        "SELECT number FROM callbacks WHERE tenant_id = ? AND id = ?",
        &[tenant_id.into(), id.into()],
    )
    .await?
    .map(|r| r.text(0))
    .transpose()
}
