-- The callback worker (issue 18: CB-2, CB-3, CB-5, RUN-4).
--
-- 1. Callbacks are claimed with a lease and dialled once per attempt.
--    `callbacks` gains the worker's columns:
--    - `due_ms`: when the request may be dialled next (its request time at
--      first, the retry time after a failed attempt);
--    - `stage`: NULL while the request waits for `due_ms`; `sending` once an
--      attempt is recorded and the provider has not answered it yet (a
--      worker that dies here leaves it to be sent again, with the same
--      idempotency key, after the lease); `dialing` once the provider
--      accepted the dial and its outcome (`callback.attempt`) is awaited;
--    - `claimed_by`, `lease_until_ms`: the worker holding the request and
--      until when. A claim is one UPDATE … RETURNING over requests whose
--      lease is absent or past, so two ticks never hold one request;
--    - `logged_status`: the last `status` written to `callback_transitions`,
--      so a status changed elsewhere (an agent marking it done, the
--      provider's `completed`) is recorded by the next tick.
ALTER TABLE callbacks ADD COLUMN due_ms INTEGER;
ALTER TABLE callbacks ADD COLUMN stage TEXT CHECK (stage IN ('sending', 'dialing'));
ALTER TABLE callbacks ADD COLUMN claimed_by TEXT;
ALTER TABLE callbacks ADD COLUMN lease_until_ms INTEGER;
ALTER TABLE callbacks ADD COLUMN logged_status TEXT;
UPDATE callbacks SET due_ms = requested_ms;

CREATE TRIGGER callbacks_due_at_request AFTER INSERT ON callbacks
WHEN NEW.due_ms IS NULL
BEGIN
    UPDATE callbacks SET due_ms = NEW.requested_ms WHERE id = NEW.id;
END;

-- Open requests by queue and due time: what a tick claims from.
CREATE INDEX callbacks_open ON callbacks (tenant_id, digit, due_ms) WHERE status = 'requested';
-- Requests whose status has not been recorded as a transition yet.
CREATE INDEX callbacks_unlogged ON callbacks (id) WHERE status IS NOT logged_status;

-- 2. Every dial the worker made (HIST-3 reads these, through
--    `records::callbacks::attempts_for`): its number (1, 2, …), when, with
--    which agent, what the provider answered to the request (HTTP status and
--    the start of the body, or the transport error), and its outcome — from
--    the provider's `callback.attempt` event (`completed`, `no_answer`,
--    `busy`, `failed`) or decided by the worker (`rejected` 4xx,
--    `provider_error` 5xx or unreachable, `timeout`, `no_report`: accepted
--    but never reported within the limit). `settled` is 1 once the outcome
--    has moved the request on (completed, retry or failed).
CREATE TABLE callback_attempts (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    callback_id INTEGER NOT NULL REFERENCES callbacks (id),
    attempt INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    agent_id INTEGER,
    agent TEXT NOT NULL,
    worker TEXT NOT NULL,
    provider_status INTEGER,
    provider_answer TEXT,
    answered_ms INTEGER,
    outcome TEXT CHECK (outcome IN ('completed', 'no_answer', 'busy', 'failed', 'rejected',
                                    'provider_error', 'timeout', 'no_report')),
    outcome_ms INTEGER,
    outcome_event TEXT,
    settled INTEGER NOT NULL DEFAULT 0,
    UNIQUE (callback_id, attempt)
);
CREATE INDEX callback_attempts_unsettled ON callback_attempts (callback_id) WHERE settled = 0;
CREATE INDEX callback_attempts_agent ON callback_attempts (tenant_id, agent, started_ms);

-- 3. Every transition of a request, with time and reason (CB-3, HIST-3):
--    states `requested`, `dialing`, `completed`, `failed`, `deleted`;
--    `actor` is `worker`, `provider`, `agent:<id>` or `admin:<id>`.
CREATE TABLE callback_transitions (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    callback_id INTEGER NOT NULL REFERENCES callbacks (id),
    at_ms INTEGER NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL CHECK (to_state IN ('requested', 'dialing', 'completed', 'failed', 'deleted')),
    reason TEXT NOT NULL,
    attempt INTEGER,
    actor TEXT NOT NULL
);
CREATE INDEX callback_transitions_callback ON callback_transitions (callback_id, id);

-- The provider's report of an attempt lands on the oldest attempt of that
-- callback still without an outcome (the first report wins; a duplicate
-- event never reaches here, a second report of a settled attempt changes
-- nothing). `completed` also completes the request (the 0007 trigger).
CREATE TRIGGER telephony_events_callback_outcome AFTER INSERT ON telephony_events
WHEN NEW.tenant_id IS NOT NULL AND NEW.known = 1 AND NEW.type = 'callback.attempt'
     AND NEW.callback_id IS NOT NULL
     AND NEW.result IN ('completed', 'no_answer', 'busy', 'failed')
BEGIN
    UPDATE callback_attempts SET outcome = NEW.result, outcome_ms = NEW.at_ms, outcome_event = NEW.event_id
    WHERE id = (SELECT a.id FROM callback_attempts a
                WHERE a.tenant_id = NEW.tenant_id AND a.callback_id = NEW.callback_id AND a.outcome IS NULL
                ORDER BY a.attempt LIMIT 1);
END;

-- 4. Per-tenant callback policy (work settings page); defaults in
--    `switchboard_domain::CallbackPolicy::default` (3 attempts, 600 s apart,
--    expiry 24 h) until saved.
CREATE TABLE callback_settings (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
    max_attempts INTEGER NOT NULL,
    retry_delay_seconds INTEGER NOT NULL,
    expiry_hours INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- 5. Ghost calls (CB-5): a call whose `call.ended` never arrives is closed
--    as `lost` by housekeeping (`lost_ms`) after a limit with no event. A
--    STORED generated column cannot be changed in place, so `result` and
--    `live` are dropped and added again as VIRTUAL columns with the lost
--    case (computed on read; the index on `live` is kept as before). A
--    late `call.ended` still wins: the call then has its real result.
DROP INDEX calls_live;
ALTER TABLE calls DROP COLUMN live;
ALTER TABLE calls DROP COLUMN result;
ALTER TABLE calls ADD COLUMN lost_ms INTEGER;
ALTER TABLE calls ADD COLUMN result TEXT GENERATED ALWAYS AS (CASE
        WHEN ended_ms IS NULL AND abandoned_ms IS NULL AND lost_ms IS NOT NULL THEN 'lost'
        WHEN ended_ms IS NULL AND abandoned_ms IS NULL THEN NULL
        WHEN internal_ms IS NOT NULL AND outbound_ms IS NULL THEN 'internal'
        WHEN outbound_ms IS NOT NULL THEN 'outbound'
        WHEN answered_ms IS NOT NULL THEN 'answered'
        -- A call converted to a callback is not abandoned.
        WHEN callback_ms IS NOT NULL THEN 'callback'
        WHEN queued_ms IS NOT NULL THEN 'abandoned'
        WHEN received_hours = 'holiday' THEN 'holiday'
        WHEN received_hours = 'closed' THEN 'out_of_hours'
        ELSE 'information' END) VIRTUAL;
ALTER TABLE calls ADD COLUMN live TEXT GENERATED ALWAYS AS (CASE
        WHEN ended_ms IS NOT NULL OR abandoned_ms IS NOT NULL OR lost_ms IS NOT NULL THEN NULL
        WHEN answered_ms IS NOT NULL THEN 'talking'
        WHEN outbound_ms IS NOT NULL THEN 'dialing'
        WHEN offered_ms IS NOT NULL THEN 'ringing'
        WHEN queued_ms IS NOT NULL AND callback_ms IS NULL THEN 'waiting'
        ELSE 'ivr' END) VIRTUAL;
CREATE INDEX calls_live ON calls (tenant_id, live) WHERE live IS NOT NULL;

-- 6. Agent app presence (CB-5, MON-7, HIST-4): when an agent app session
--    was last seen, written with the token's renewal (at most every 5
--    minutes). Housekeeping logs out an open session whose app has been
--    silent past the token lifetime, at this time.
CREATE TABLE agent_presence (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    session TEXT NOT NULL,
    agent TEXT NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, session)
);
CREATE INDEX agent_presence_seen ON agent_presence (last_seen_ms);

-- 7. The worker's report (observability): the last tick's step durations
--    and counts, as JSON, beside its time.
ALTER TABLE worker_state ADD COLUMN report TEXT;
ALTER TABLE worker_state ADD COLUMN upkeep_ms INTEGER;
