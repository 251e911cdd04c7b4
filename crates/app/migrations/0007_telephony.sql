-- Telephony (SPEC section 7, TEL-1/TEL-2; AGT-1): the provider's events and
-- the records they describe.
--
-- Every event is stored as it came in `telephony_events` (its `event_id` is
-- the idempotency key); the records (calls, agent states, agent sessions,
-- callbacks, recordings) are *projections* kept up to date by the triggers
-- below, each recomputed from the set of events it depends on. That makes
-- them independent of the order events arrive in (TEL-1): the same events in
-- any order leave the same rows. A duplicate event is ignored by the insert
-- (`ON CONFLICT (event_id) DO NOTHING`), so its triggers never run and it
-- changes nothing.
--
-- Telephony times are INTEGER milliseconds since the Unix epoch (UTC), not
-- the RFC 3339 text of the admin tables: the metric maths of SPEC section 11
-- (waits, talk time, the service-level threshold) are subtractions, and the
-- statistics read millions of these rows.

-- The idempotency record and the event log. `tenant_id` is NULL when `line`
-- is no tenant's representative number (an "unrouted" event, kept so it is
-- never lost without a trace); `known` is 0 for a type this version does not
-- understand (kept with its JSON in `json`, applied to nothing).
CREATE TABLE telephony_events (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    tenant_id INTEGER REFERENCES tenants (id),
    line TEXT NOT NULL,
    type TEXT NOT NULL,
    known INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('provider', 'agent_app')),
    at_ms INTEGER NOT NULL,
    received_ms INTEGER NOT NULL,
    call_id TEXT,
    agent TEXT,
    to_agent TEXT,
    number TEXT,
    digit INTEGER,
    hours TEXT,
    callback_id INTEGER,
    result TEXT,
    url TEXT,
    duration_ms INTEGER,
    format TEXT,
    session TEXT,
    platform TEXT,
    ip TEXT,
    state TEXT,
    json TEXT
);
CREATE INDEX telephony_events_call ON telephony_events (tenant_id, call_id, at_ms) WHERE call_id IS NOT NULL;
CREATE INDEX telephony_events_session ON telephony_events (tenant_id, session) WHERE session IS NOT NULL;
CREATE INDEX telephony_events_callback ON telephony_events (tenant_id, callback_id) WHERE callback_id IS NOT NULL;
CREATE INDEX telephony_events_unrouted ON telephony_events (received_ms) WHERE tenant_id IS NULL;

-- A representative number routes to one tenant.
CREATE UNIQUE INDEX ars_settings_number ON ars_settings (representative_number)
    WHERE representative_number IS NOT NULL;

-- Events name agents by login ID, deleted ones included.
CREATE INDEX agents_login_any ON agents (tenant_id, login_id, id);

-- The agent an event names, by login ID: the live agent with that ID, else
-- the most recent deleted one (IDs of deleted agents may be reused).
CREATE VIEW agent_by_login AS
    SELECT tenant_id, login_id, id AS agent_id
    FROM agents a
    WHERE a.id = (SELECT b.id FROM agents b
                  WHERE b.tenant_id = a.tenant_id AND b.login_id = a.login_id
                  ORDER BY b.status = 'deleted', b.id DESC LIMIT 1);

-- One row per call (HIST-1, MON-*, STAT-*), kept by the trigger below one
-- event at a time. Each phase keeps the earliest event of its type (the
-- latest, for the menu digit) with that event's ID, so ties at the same
-- instant are broken by event ID: every value is a minimum or maximum over
-- the call's events, and the same events in any order leave the same row
-- (TEL-1). The rest is computed from those columns by SQLite (generated
-- columns). `live` is the call's state while it lasts (`ivr`, `waiting`,
-- `ringing`, `dialing`, `talking`) and NULL once it ended: the dashboard's
-- live floor reads the partial index on it. `digit` is the queue (the
-- agent-connect menu's digit) or else the last menu digit chosen; `menu_id`
-- and `agent_id` are resolved when the events naming them arrive.
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    call_id TEXT NOT NULL,
    line TEXT NOT NULL,
    first_ms INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    received_ms INTEGER,
    received_event TEXT,
    received_number TEXT,
    received_hours TEXT,
    outbound_ms INTEGER,
    outbound_event TEXT,
    outbound_agent TEXT,
    outbound_number TEXT,
    outbound_callback INTEGER,
    internal_ms INTEGER,
    internal_event TEXT,
    internal_agent TEXT,
    internal_to_agent TEXT,
    queued_ms INTEGER,
    queued_event TEXT,
    queued_digit INTEGER,
    answered_ms INTEGER,
    answered_event TEXT,
    answered_agent TEXT,
    menu_ms INTEGER,
    menu_event TEXT,
    menu_digit INTEGER,
    offered_ms INTEGER,
    abandoned_ms INTEGER,
    callback_ms INTEGER,
    ended_ms INTEGER,
    agent_id INTEGER,
    menu_id INTEGER,
    -- What the columns above say (SPEC section 11), computed by SQLite on
    -- every write: the single definition of a call's direction, result,
    -- wait and talk time.
    direction TEXT GENERATED ALWAYS AS (CASE WHEN outbound_ms IS NOT NULL THEN 'outbound'
        WHEN internal_ms IS NOT NULL THEN 'internal' ELSE 'inbound' END) STORED,
    caller TEXT GENERATED ALWAYS AS (CASE WHEN received_ms IS NULL THEN outbound_number
        WHEN outbound_ms IS NULL THEN received_number
        WHEN (received_ms < outbound_ms OR (received_ms = outbound_ms AND received_event < outbound_event)) THEN received_number
        ELSE outbound_number END) STORED,
    agent TEXT GENERATED ALWAYS AS (COALESCE(answered_agent, CASE WHEN outbound_ms IS NULL THEN internal_agent
        WHEN internal_ms IS NULL THEN outbound_agent
        WHEN (outbound_ms < internal_ms OR (outbound_ms = internal_ms AND outbound_event < internal_event)) THEN outbound_agent
        ELSE internal_agent END)) STORED,
    to_agent TEXT GENERATED ALWAYS AS (internal_to_agent) VIRTUAL,
    digit INTEGER GENERATED ALWAYS AS (COALESCE(queued_digit, menu_digit)) STORED,
    queued INTEGER GENERATED ALWAYS AS (queued_ms IS NOT NULL) VIRTUAL,
    hours TEXT GENERATED ALWAYS AS (received_hours) VIRTUAL,
    callback_id INTEGER GENERATED ALWAYS AS (outbound_callback) VIRTUAL,
    started_ms INTEGER GENERATED ALWAYS AS (COALESCE(NULLIF(MIN(IFNULL(received_ms, 9223372036854775807),
        IFNULL(outbound_ms, 9223372036854775807), IFNULL(internal_ms, 9223372036854775807)), 9223372036854775807), first_ms)) STORED,
    -- Wait = answered (or abandoned) − queued; an abandoned call without
    -- its own event ends its wait when the call ends.
    wait_ms INTEGER GENERATED ALWAYS AS (CASE WHEN queued_ms IS NULL THEN NULL
        WHEN answered_ms IS NOT NULL THEN MAX(0, answered_ms - queued_ms)
        WHEN callback_ms IS NULL AND COALESCE(abandoned_ms, ended_ms) IS NOT NULL
          THEN MAX(0, COALESCE(abandoned_ms, ended_ms) - queued_ms) END) STORED,
    -- Talk = ended − answered.
    talk_ms INTEGER GENERATED ALWAYS AS (CASE WHEN answered_ms IS NOT NULL AND ended_ms IS NOT NULL
        THEN MAX(0, ended_ms - answered_ms) END) STORED,
    result TEXT GENERATED ALWAYS AS (CASE WHEN ended_ms IS NULL AND abandoned_ms IS NULL THEN NULL
        WHEN internal_ms IS NOT NULL AND outbound_ms IS NULL THEN 'internal'
        WHEN outbound_ms IS NOT NULL THEN 'outbound'
        WHEN answered_ms IS NOT NULL THEN 'answered'
        -- A call converted to a callback is not abandoned.
        WHEN callback_ms IS NOT NULL THEN 'callback'
        WHEN queued_ms IS NOT NULL THEN 'abandoned'
        WHEN received_hours = 'holiday' THEN 'holiday'
        WHEN received_hours = 'closed' THEN 'out_of_hours'
        ELSE 'information' END) STORED,
    live TEXT GENERATED ALWAYS AS (CASE WHEN ended_ms IS NOT NULL OR abandoned_ms IS NOT NULL THEN NULL
        WHEN answered_ms IS NOT NULL THEN 'talking'
        WHEN outbound_ms IS NOT NULL THEN 'dialing'
        WHEN offered_ms IS NOT NULL THEN 'ringing'
        WHEN queued_ms IS NOT NULL AND callback_ms IS NULL THEN 'waiting'
        ELSE 'ivr' END) STORED,
    UNIQUE (tenant_id, call_id)
);
-- Every index here is paid for by every event (BENCHMARKS.md, ingest): the
-- ones the history filters need (caller, agent, queue) come with those reads.
CREATE INDEX calls_started ON calls (tenant_id, started_ms);
CREATE INDEX calls_live ON calls (tenant_id, live) WHERE live IS NOT NULL;

CREATE TRIGGER telephony_events_calls AFTER INSERT ON telephony_events
WHEN NEW.tenant_id IS NOT NULL AND NEW.call_id IS NOT NULL AND NEW.known = 1
     AND (NEW.type LIKE 'call.%' OR NEW.type = 'callback.requested')
BEGIN
    INSERT INTO calls (tenant_id, call_id, line, first_ms, event_count, received_ms, received_event, received_number, received_hours, outbound_ms, outbound_event, outbound_agent, outbound_number, outbound_callback, internal_ms, internal_event, internal_agent, internal_to_agent, queued_ms, queued_event, queued_digit, answered_ms, answered_event, answered_agent, menu_ms, menu_event, menu_digit, offered_ms, abandoned_ms, callback_ms, ended_ms)
    VALUES (NEW.tenant_id,
        NEW.call_id,
        NEW.line,
        NEW.at_ms,
        1,
        CASE WHEN NEW.type = 'call.received' THEN NEW.at_ms END,
        CASE WHEN NEW.type = 'call.received' THEN NEW.event_id END,
        CASE WHEN NEW.type = 'call.received' THEN NEW.number END,
        CASE WHEN NEW.type = 'call.received' THEN NEW.hours END,
        CASE WHEN NEW.type = 'call.outbound' THEN NEW.at_ms END,
        CASE WHEN NEW.type = 'call.outbound' THEN NEW.event_id END,
        CASE WHEN NEW.type = 'call.outbound' THEN NEW.agent END,
        CASE WHEN NEW.type = 'call.outbound' THEN NEW.number END,
        CASE WHEN NEW.type = 'call.outbound' THEN NEW.callback_id END,
        CASE WHEN NEW.type = 'call.internal' THEN NEW.at_ms END,
        CASE WHEN NEW.type = 'call.internal' THEN NEW.event_id END,
        CASE WHEN NEW.type = 'call.internal' THEN NEW.agent END,
        CASE WHEN NEW.type = 'call.internal' THEN NEW.to_agent END,
        CASE WHEN NEW.type = 'call.queued' THEN NEW.at_ms END,
        CASE WHEN NEW.type = 'call.queued' THEN NEW.event_id END,
        CASE WHEN NEW.type = 'call.queued' THEN NEW.digit END,
        CASE WHEN NEW.type = 'call.answered' THEN NEW.at_ms END,
        CASE WHEN NEW.type = 'call.answered' THEN NEW.event_id END,
        CASE WHEN NEW.type = 'call.answered' THEN NEW.agent END,
        CASE WHEN NEW.type = 'call.menu' THEN NEW.at_ms END,
        CASE WHEN NEW.type = 'call.menu' THEN NEW.event_id END,
        CASE WHEN NEW.type = 'call.menu' THEN NEW.digit END,
        CASE WHEN NEW.type = 'call.offered' THEN NEW.at_ms END,
        CASE WHEN NEW.type = 'call.abandoned' THEN NEW.at_ms END,
        CASE WHEN NEW.type = 'callback.requested' THEN NEW.at_ms END,
        CASE WHEN NEW.type = 'call.ended' THEN NEW.at_ms END)
    ON CONFLICT (tenant_id, call_id) DO UPDATE SET
        line = MIN(line, excluded.line),
        first_ms = MIN(first_ms, excluded.first_ms),
        event_count = event_count + 1,
        received_ms = CASE WHEN excluded.received_ms IS NOT NULL AND (received_ms IS NULL OR excluded.received_ms < received_ms OR (excluded.received_ms = received_ms AND excluded.received_event < received_event)) THEN excluded.received_ms ELSE received_ms END,
        received_event = CASE WHEN excluded.received_ms IS NOT NULL AND (received_ms IS NULL OR excluded.received_ms < received_ms OR (excluded.received_ms = received_ms AND excluded.received_event < received_event)) THEN excluded.received_event ELSE received_event END,
        received_number = CASE WHEN excluded.received_ms IS NOT NULL AND (received_ms IS NULL OR excluded.received_ms < received_ms OR (excluded.received_ms = received_ms AND excluded.received_event < received_event)) THEN excluded.received_number ELSE received_number END,
        received_hours = CASE WHEN excluded.received_ms IS NOT NULL AND (received_ms IS NULL OR excluded.received_ms < received_ms OR (excluded.received_ms = received_ms AND excluded.received_event < received_event)) THEN excluded.received_hours ELSE received_hours END,
        outbound_ms = CASE WHEN excluded.outbound_ms IS NOT NULL AND (outbound_ms IS NULL OR excluded.outbound_ms < outbound_ms OR (excluded.outbound_ms = outbound_ms AND excluded.outbound_event < outbound_event)) THEN excluded.outbound_ms ELSE outbound_ms END,
        outbound_event = CASE WHEN excluded.outbound_ms IS NOT NULL AND (outbound_ms IS NULL OR excluded.outbound_ms < outbound_ms OR (excluded.outbound_ms = outbound_ms AND excluded.outbound_event < outbound_event)) THEN excluded.outbound_event ELSE outbound_event END,
        outbound_agent = CASE WHEN excluded.outbound_ms IS NOT NULL AND (outbound_ms IS NULL OR excluded.outbound_ms < outbound_ms OR (excluded.outbound_ms = outbound_ms AND excluded.outbound_event < outbound_event)) THEN excluded.outbound_agent ELSE outbound_agent END,
        outbound_number = CASE WHEN excluded.outbound_ms IS NOT NULL AND (outbound_ms IS NULL OR excluded.outbound_ms < outbound_ms OR (excluded.outbound_ms = outbound_ms AND excluded.outbound_event < outbound_event)) THEN excluded.outbound_number ELSE outbound_number END,
        outbound_callback = CASE WHEN excluded.outbound_ms IS NOT NULL AND (outbound_ms IS NULL OR excluded.outbound_ms < outbound_ms OR (excluded.outbound_ms = outbound_ms AND excluded.outbound_event < outbound_event)) THEN excluded.outbound_callback ELSE outbound_callback END,
        internal_ms = CASE WHEN excluded.internal_ms IS NOT NULL AND (internal_ms IS NULL OR excluded.internal_ms < internal_ms OR (excluded.internal_ms = internal_ms AND excluded.internal_event < internal_event)) THEN excluded.internal_ms ELSE internal_ms END,
        internal_event = CASE WHEN excluded.internal_ms IS NOT NULL AND (internal_ms IS NULL OR excluded.internal_ms < internal_ms OR (excluded.internal_ms = internal_ms AND excluded.internal_event < internal_event)) THEN excluded.internal_event ELSE internal_event END,
        internal_agent = CASE WHEN excluded.internal_ms IS NOT NULL AND (internal_ms IS NULL OR excluded.internal_ms < internal_ms OR (excluded.internal_ms = internal_ms AND excluded.internal_event < internal_event)) THEN excluded.internal_agent ELSE internal_agent END,
        internal_to_agent = CASE WHEN excluded.internal_ms IS NOT NULL AND (internal_ms IS NULL OR excluded.internal_ms < internal_ms OR (excluded.internal_ms = internal_ms AND excluded.internal_event < internal_event)) THEN excluded.internal_to_agent ELSE internal_to_agent END,
        queued_ms = CASE WHEN excluded.queued_ms IS NOT NULL AND (queued_ms IS NULL OR excluded.queued_ms < queued_ms OR (excluded.queued_ms = queued_ms AND excluded.queued_event < queued_event)) THEN excluded.queued_ms ELSE queued_ms END,
        queued_event = CASE WHEN excluded.queued_ms IS NOT NULL AND (queued_ms IS NULL OR excluded.queued_ms < queued_ms OR (excluded.queued_ms = queued_ms AND excluded.queued_event < queued_event)) THEN excluded.queued_event ELSE queued_event END,
        queued_digit = CASE WHEN excluded.queued_ms IS NOT NULL AND (queued_ms IS NULL OR excluded.queued_ms < queued_ms OR (excluded.queued_ms = queued_ms AND excluded.queued_event < queued_event)) THEN excluded.queued_digit ELSE queued_digit END,
        answered_ms = CASE WHEN excluded.answered_ms IS NOT NULL AND (answered_ms IS NULL OR excluded.answered_ms < answered_ms OR (excluded.answered_ms = answered_ms AND excluded.answered_event < answered_event)) THEN excluded.answered_ms ELSE answered_ms END,
        answered_event = CASE WHEN excluded.answered_ms IS NOT NULL AND (answered_ms IS NULL OR excluded.answered_ms < answered_ms OR (excluded.answered_ms = answered_ms AND excluded.answered_event < answered_event)) THEN excluded.answered_event ELSE answered_event END,
        answered_agent = CASE WHEN excluded.answered_ms IS NOT NULL AND (answered_ms IS NULL OR excluded.answered_ms < answered_ms OR (excluded.answered_ms = answered_ms AND excluded.answered_event < answered_event)) THEN excluded.answered_agent ELSE answered_agent END,
        menu_ms = CASE WHEN excluded.menu_ms IS NOT NULL AND (menu_ms IS NULL OR excluded.menu_ms > menu_ms OR (excluded.menu_ms = menu_ms AND excluded.menu_event > menu_event)) THEN excluded.menu_ms ELSE menu_ms END,
        menu_event = CASE WHEN excluded.menu_ms IS NOT NULL AND (menu_ms IS NULL OR excluded.menu_ms > menu_ms OR (excluded.menu_ms = menu_ms AND excluded.menu_event > menu_event)) THEN excluded.menu_event ELSE menu_event END,
        menu_digit = CASE WHEN excluded.menu_ms IS NOT NULL AND (menu_ms IS NULL OR excluded.menu_ms > menu_ms OR (excluded.menu_ms = menu_ms AND excluded.menu_event > menu_event)) THEN excluded.menu_digit ELSE menu_digit END,
        offered_ms = MIN(IFNULL(offered_ms, excluded.offered_ms), IFNULL(excluded.offered_ms, offered_ms)),
        abandoned_ms = MIN(IFNULL(abandoned_ms, excluded.abandoned_ms), IFNULL(excluded.abandoned_ms, abandoned_ms)),
        callback_ms = MIN(IFNULL(callback_ms, excluded.callback_ms), IFNULL(excluded.callback_ms, callback_ms)),
        ended_ms = MIN(IFNULL(ended_ms, excluded.ended_ms), IFNULL(excluded.ended_ms, ended_ms));
    -- The agent and the menu, when an event may have changed them.
    UPDATE calls SET
        agent_id = (SELECT a.agent_id FROM agent_by_login a
                    WHERE a.tenant_id = calls.tenant_id AND a.login_id = calls.agent),
        menu_id = (SELECT m.id FROM ars_menus m WHERE m.tenant_id = calls.tenant_id AND m.digit = calls.digit)
    WHERE NEW.type IN ('call.answered', 'call.outbound', 'call.internal', 'call.queued', 'call.menu')
      AND tenant_id = NEW.tenant_id AND call_id = NEW.call_id;
END;

-- Agent state intervals (MON-7, STAT-6): each ends when the agent's next
-- state starts (NULL while it lasts). `agent.login` starts the state the
-- tenant's work settings name (SVC-4), `agent.logout` starts `logged_out`.
-- Order: (started_ms, event_id).
CREATE TABLE agent_states (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    agent TEXT NOT NULL,
    agent_id INTEGER,
    state TEXT NOT NULL CHECK (state IN ('ready', 'away', 'after_call_work', 'dialing',
                                         'ringing', 'on_call', 'logged_out')),
    started_ms INTEGER NOT NULL,
    ended_ms INTEGER,
    event_id TEXT NOT NULL UNIQUE
);
CREATE INDEX agent_states_agent ON agent_states (tenant_id, agent, started_ms);
-- Each agent's current state (MON-7): the interval still open.
CREATE INDEX agent_states_current ON agent_states (tenant_id, agent) WHERE ended_ms IS NULL;

CREATE TRIGGER telephony_events_agent_states AFTER INSERT ON telephony_events
WHEN NEW.tenant_id IS NOT NULL AND NEW.known = 1
     AND NEW.type IN ('agent.state', 'agent.login', 'agent.logout')
BEGIN
    -- The new interval ends where its successor (if it arrived first) starts.
    INSERT INTO agent_states (tenant_id, agent, agent_id, state, started_ms, ended_ms, event_id)
    VALUES (NEW.tenant_id, NEW.agent,
        (SELECT a.agent_id FROM agent_by_login a WHERE a.tenant_id = NEW.tenant_id AND a.login_id = NEW.agent),
        CASE NEW.type
            WHEN 'agent.state' THEN NEW.state
            WHEN 'agent.logout' THEN 'logged_out'
            ELSE COALESCE((SELECT w.after_login FROM work_settings w WHERE w.tenant_id = NEW.tenant_id), 'ready')
        END,
        NEW.at_ms,
        (SELECT MIN(s.started_ms) FROM agent_states s
          WHERE s.tenant_id = NEW.tenant_id AND s.agent = NEW.agent
            AND (s.started_ms, s.event_id) > (NEW.at_ms, NEW.event_id)),
        NEW.event_id);
    -- Its predecessor now ends where it starts.
    UPDATE agent_states SET ended_ms = NEW.at_ms
    WHERE event_id = (SELECT s.event_id FROM agent_states s
                      WHERE s.tenant_id = NEW.tenant_id AND s.agent = NEW.agent
                        AND (s.started_ms, s.event_id) < (NEW.at_ms, NEW.event_id)
                      ORDER BY s.started_ms DESC, s.event_id DESC LIMIT 1);
END;

-- Agent sessions (HIST-4): login and logout of one session (the provider's
-- or the agent app's session ID), platform and client address.
CREATE TABLE agent_sessions (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    session TEXT NOT NULL,
    agent TEXT NOT NULL,
    agent_id INTEGER,
    platform TEXT,
    ip TEXT,
    login_ms INTEGER,
    logout_ms INTEGER,
    UNIQUE (tenant_id, session)
);
CREATE INDEX agent_sessions_login ON agent_sessions (tenant_id, login_ms);
CREATE INDEX agent_sessions_agent ON agent_sessions (tenant_id, agent_id, login_ms);

CREATE TRIGGER telephony_events_agent_sessions AFTER INSERT ON telephony_events
WHEN NEW.tenant_id IS NOT NULL AND NEW.known = 1 AND NEW.session IS NOT NULL
     AND NEW.type IN ('agent.login', 'agent.logout')
BEGIN
    INSERT INTO agent_sessions (tenant_id, session, agent, agent_id, platform, ip, login_ms, logout_ms)
    SELECT NEW.tenant_id, NEW.session,
        (SELECT x.agent FROM telephony_events x WHERE x.tenant_id = NEW.tenant_id AND x.session = NEW.session
          ORDER BY x.type = 'agent.login' DESC, x.at_ms, x.event_id LIMIT 1),
        NULL,
        (SELECT x.platform FROM telephony_events x WHERE x.tenant_id = NEW.tenant_id AND x.session = NEW.session
          AND x.type = 'agent.login' ORDER BY x.at_ms, x.event_id LIMIT 1),
        (SELECT x.ip FROM telephony_events x WHERE x.tenant_id = NEW.tenant_id AND x.session = NEW.session
          AND x.type = 'agent.login' ORDER BY x.at_ms, x.event_id LIMIT 1),
        (SELECT MIN(x.at_ms) FROM telephony_events x WHERE x.tenant_id = NEW.tenant_id
          AND x.session = NEW.session AND x.type = 'agent.login'),
        (SELECT MIN(x.at_ms) FROM telephony_events x WHERE x.tenant_id = NEW.tenant_id
          AND x.session = NEW.session AND x.type = 'agent.logout')
    WHERE true
    ON CONFLICT (tenant_id, session) DO UPDATE SET
        agent = excluded.agent, platform = excluded.platform, ip = excluded.ip,
        login_ms = excluded.login_ms, logout_ms = excluded.logout_ms;
    -- The agent is resolved once, when the session's first event arrives:
    -- a login ID reused later by a new agent does not take over the session.
    UPDATE agent_sessions SET agent_id =
        (SELECT a.agent_id FROM agent_by_login a WHERE a.tenant_id = agent_sessions.tenant_id
          AND a.login_id = agent_sessions.agent)
    WHERE tenant_id = NEW.tenant_id AND session = NEW.session AND agent_id IS NULL;
END;

-- Callback requests (CB-1, HIST-3), one per call. `status` moves from
-- `requested` to `completed` (an attempt reached the customer, or an agent
-- marked it done), `failed` (the worker gave up) or `deleted` (an admin).
CREATE TABLE callbacks (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    call_id TEXT NOT NULL,
    number TEXT NOT NULL,
    digit INTEGER NOT NULL,
    menu_id INTEGER,
    requested_ms INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'requested'
        CHECK (status IN ('requested', 'completed', 'failed', 'deleted')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_result TEXT,
    last_attempt_ms INTEGER,
    done_ms INTEGER,
    done_by_agent_id INTEGER,
    UNIQUE (tenant_id, call_id)
);
CREATE INDEX callbacks_status ON callbacks (tenant_id, status, requested_ms);
CREATE INDEX callbacks_requested ON callbacks (tenant_id, requested_ms);

CREATE TRIGGER telephony_events_callback_requested AFTER INSERT ON telephony_events
WHEN NEW.tenant_id IS NOT NULL AND NEW.known = 1 AND NEW.type = 'callback.requested'
BEGIN
    INSERT INTO callbacks (tenant_id, call_id, number, digit, menu_id, requested_ms)
    SELECT x.tenant_id, x.call_id, x.number, x.digit,
        (SELECT m.id FROM ars_menus m WHERE m.tenant_id = x.tenant_id AND m.digit = x.digit),
        x.at_ms
    FROM telephony_events x
    WHERE x.tenant_id = NEW.tenant_id AND x.call_id = NEW.call_id AND x.type = 'callback.requested'
    ORDER BY x.at_ms, x.event_id LIMIT 1
    ON CONFLICT (tenant_id, call_id) DO UPDATE SET
        number = excluded.number, digit = excluded.digit, menu_id = excluded.menu_id,
        requested_ms = excluded.requested_ms;
END;

CREATE TRIGGER telephony_events_callback_attempt AFTER INSERT ON telephony_events
WHEN NEW.tenant_id IS NOT NULL AND NEW.known = 1 AND NEW.type = 'callback.attempt'
BEGIN
    UPDATE callbacks SET
        attempts = (SELECT COUNT(*) FROM telephony_events x WHERE x.tenant_id = callbacks.tenant_id
                    AND x.callback_id = callbacks.id AND x.type = 'callback.attempt'),
        last_result = (SELECT x.result FROM telephony_events x WHERE x.tenant_id = callbacks.tenant_id
                    AND x.callback_id = callbacks.id AND x.type = 'callback.attempt'
                    ORDER BY x.at_ms DESC, x.event_id DESC LIMIT 1),
        last_attempt_ms = (SELECT MAX(x.at_ms) FROM telephony_events x WHERE x.tenant_id = callbacks.tenant_id
                    AND x.callback_id = callbacks.id AND x.type = 'callback.attempt'),
        status = CASE
            WHEN status IN ('completed', 'deleted') THEN status
            WHEN EXISTS (SELECT 1 FROM telephony_events x WHERE x.tenant_id = callbacks.tenant_id
                    AND x.callback_id = callbacks.id AND x.type = 'callback.attempt'
                    AND x.result = 'completed') THEN 'completed'
            ELSE status END,
        done_ms = CASE
            WHEN done_ms IS NOT NULL THEN done_ms
            ELSE (SELECT MIN(x.at_ms) FROM telephony_events x WHERE x.tenant_id = callbacks.tenant_id
                    AND x.callback_id = callbacks.id AND x.type = 'callback.attempt'
                    AND x.result = 'completed') END
    WHERE tenant_id = NEW.tenant_id AND id = NEW.callback_id;
END;

-- Recordings (TEL-4): metadata only; the audio stays at the provider and is
-- streamed through the app (`url` never reaches a browser).
CREATE TABLE recordings (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    call_id TEXT NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('mp3', 'wav')),
    at_ms INTEGER NOT NULL
);
CREATE INDEX recordings_call ON recordings (tenant_id, call_id);

CREATE TRIGGER telephony_events_recordings AFTER INSERT ON telephony_events
WHEN NEW.tenant_id IS NOT NULL AND NEW.known = 1 AND NEW.type = 'recording.ready'
BEGIN
    INSERT INTO recordings (tenant_id, call_id, event_id, url, duration_ms, format, at_ms)
    VALUES (NEW.tenant_id, NEW.call_id, NEW.event_id, NEW.url, NEW.duration_ms, NEW.format, NEW.at_ms);
END;

-- Consultations (AGT-1, HIST-2, STAT-4): what an agent saved about a call,
-- one per call and agent (saving again updates it).
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    call_id TEXT NOT NULL,
    agent_id INTEGER NOT NULL REFERENCES agents (id),
    type_id INTEGER REFERENCES consultation_types (id),
    memo TEXT NOT NULL DEFAULT '',
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    UNIQUE (tenant_id, call_id, agent_id)
);
CREATE INDEX consultations_created ON consultations (tenant_id, created_ms);
CREATE INDEX consultations_agent ON consultations (tenant_id, agent_id, created_ms);
