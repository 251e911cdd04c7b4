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
CREATE INDEX telephony_events_agent ON telephony_events (tenant_id, agent, at_ms) WHERE agent IS NOT NULL;
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

-- One row per call: every phase's time and the result (HIST-1, MON-*,
-- STAT-*). `live` is the call's state while it lasts (`ivr`, `waiting`,
-- `ringing`, `dialing`, `talking`) and NULL once it ended: the dashboard's
-- live floor reads the partial index on it. `digit` is the queue (the
-- agent-connect menu's digit) or else the last menu digit chosen; `menu_id`
-- is that menu as configured when the events arrived.
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    call_id TEXT NOT NULL,
    line TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
    caller TEXT,
    agent TEXT,
    agent_id INTEGER,
    to_agent TEXT,
    digit INTEGER,
    menu_id INTEGER,
    queued INTEGER NOT NULL,
    hours TEXT,
    callback_id INTEGER,
    started_ms INTEGER NOT NULL,
    queued_ms INTEGER,
    offered_ms INTEGER,
    answered_ms INTEGER,
    abandoned_ms INTEGER,
    callback_ms INTEGER,
    ended_ms INTEGER,
    wait_ms INTEGER,
    talk_ms INTEGER,
    result TEXT CHECK (result IN ('answered', 'abandoned', 'callback', 'out_of_hours',
                                  'holiday', 'information', 'internal', 'outbound')),
    live TEXT CHECK (live IN ('ivr', 'waiting', 'ringing', 'dialing', 'talking')),
    event_count INTEGER NOT NULL,
    UNIQUE (tenant_id, call_id)
);
CREATE INDEX calls_started ON calls (tenant_id, started_ms);
CREATE INDEX calls_live ON calls (tenant_id, live) WHERE live IS NOT NULL;
CREATE INDEX calls_caller ON calls (tenant_id, caller, started_ms);
CREATE INDEX calls_agent ON calls (tenant_id, agent_id, started_ms);
CREATE INDEX calls_menu ON calls (tenant_id, menu_id, started_ms);

-- What a call's events say, per call: the single definition of a call's
-- phases, result, wait and talk time (SPEC section 11). Ties between events
-- at the same instant are broken by event ID, so the answer never depends
-- on arrival order.
CREATE VIEW call_phases AS
    SELECT e.tenant_id, e.call_id,
        MIN(e.line) AS line,
        CASE WHEN SUM(e.type = 'call.outbound') > 0 THEN 'outbound'
             WHEN SUM(e.type = 'call.internal') > 0 THEN 'internal'
             ELSE 'inbound' END AS direction,
        MIN(e.at_ms) AS first_ms,
        MIN(CASE WHEN e.type IN ('call.received', 'call.outbound', 'call.internal') THEN e.at_ms END) AS received_ms,
        MIN(CASE WHEN e.type = 'call.queued' THEN e.at_ms END) AS queued_ms,
        MIN(CASE WHEN e.type = 'call.offered' THEN e.at_ms END) AS offered_ms,
        MIN(CASE WHEN e.type = 'call.answered' THEN e.at_ms END) AS answered_ms,
        MIN(CASE WHEN e.type = 'call.abandoned' THEN e.at_ms END) AS abandoned_ms,
        MIN(CASE WHEN e.type = 'callback.requested' THEN e.at_ms END) AS callback_ms,
        MIN(CASE WHEN e.type = 'call.ended' THEN e.at_ms END) AS ended_ms,
        COUNT(*) AS event_count,
        (SELECT x.number FROM telephony_events x
          WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id
            AND x.type IN ('call.received', 'call.outbound')
          ORDER BY x.at_ms, x.event_id LIMIT 1) AS caller,
        (SELECT x.hours FROM telephony_events x
          WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.received'
          ORDER BY x.at_ms, x.event_id LIMIT 1) AS hours,
        (SELECT x.callback_id FROM telephony_events x
          WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.outbound'
          ORDER BY x.at_ms, x.event_id LIMIT 1) AS callback_id,
        (SELECT x.to_agent FROM telephony_events x
          WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.internal'
          ORDER BY x.at_ms, x.event_id LIMIT 1) AS to_agent,
        COALESCE(
          (SELECT x.agent FROM telephony_events x
            WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.answered'
            ORDER BY x.at_ms, x.event_id LIMIT 1),
          (SELECT x.agent FROM telephony_events x
            WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id
              AND x.type IN ('call.outbound', 'call.internal')
            ORDER BY x.at_ms, x.event_id LIMIT 1)) AS agent,
        COALESCE(
          (SELECT x.digit FROM telephony_events x
            WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.queued'
            ORDER BY x.at_ms, x.event_id LIMIT 1),
          (SELECT x.digit FROM telephony_events x
            WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.menu'
            ORDER BY x.at_ms DESC, x.event_id DESC LIMIT 1)) AS digit
    FROM telephony_events e
    WHERE e.tenant_id IS NOT NULL AND e.call_id IS NOT NULL AND e.known = 1
      AND (e.type LIKE 'call.%' OR e.type = 'callback.requested')
    GROUP BY e.tenant_id, e.call_id;

CREATE VIEW call_facts AS
    SELECT p.tenant_id, p.call_id, p.line, p.direction, p.caller, p.agent,
        (SELECT a.agent_id FROM agent_by_login a
          WHERE a.tenant_id = p.tenant_id AND a.login_id = p.agent) AS agent_id,
        p.to_agent, p.digit,
        (SELECT m.id FROM ars_menus m WHERE m.tenant_id = p.tenant_id AND m.digit = p.digit) AS menu_id,
        p.queued_ms IS NOT NULL AS queued,
        p.hours, p.callback_id,
        COALESCE(p.received_ms, p.first_ms) AS started_ms,
        p.queued_ms, p.offered_ms, p.answered_ms, p.abandoned_ms, p.callback_ms, p.ended_ms,
        -- Wait = answered (or abandoned) − queued; an abandoned call without
        -- its own event ends its wait when the call ends.
        CASE WHEN p.queued_ms IS NULL THEN NULL
             WHEN p.answered_ms IS NOT NULL THEN MAX(0, p.answered_ms - p.queued_ms)
             WHEN p.callback_ms IS NULL AND COALESCE(p.abandoned_ms, p.ended_ms) IS NOT NULL
               THEN MAX(0, COALESCE(p.abandoned_ms, p.ended_ms) - p.queued_ms)
        END AS wait_ms,
        -- Talk = ended − answered.
        CASE WHEN p.answered_ms IS NOT NULL AND p.ended_ms IS NOT NULL
             THEN MAX(0, p.ended_ms - p.answered_ms) END AS talk_ms,
        CASE WHEN p.ended_ms IS NULL AND p.abandoned_ms IS NULL THEN NULL
             WHEN p.direction = 'internal' THEN 'internal'
             WHEN p.direction = 'outbound' THEN 'outbound'
             WHEN p.answered_ms IS NOT NULL THEN 'answered'
             -- A call converted to a callback is not abandoned.
             WHEN p.callback_ms IS NOT NULL THEN 'callback'
             WHEN p.queued_ms IS NOT NULL THEN 'abandoned'
             WHEN p.hours = 'holiday' THEN 'holiday'
             WHEN p.hours = 'closed' THEN 'out_of_hours'
             ELSE 'information' END AS result,
        CASE WHEN p.ended_ms IS NOT NULL OR p.abandoned_ms IS NOT NULL THEN NULL
             WHEN p.answered_ms IS NOT NULL THEN 'talking'
             WHEN p.direction = 'outbound' THEN 'dialing'
             WHEN p.offered_ms IS NOT NULL THEN 'ringing'
             WHEN p.queued_ms IS NOT NULL AND p.callback_ms IS NULL THEN 'waiting'
             ELSE 'ivr' END AS live,
        p.event_count
    FROM call_phases p;

CREATE TRIGGER telephony_events_calls AFTER INSERT ON telephony_events
WHEN NEW.tenant_id IS NOT NULL AND NEW.call_id IS NOT NULL AND NEW.known = 1
     AND (NEW.type LIKE 'call.%' OR NEW.type = 'callback.requested')
BEGIN
    INSERT INTO calls (tenant_id, call_id, line, direction, caller, agent, agent_id, to_agent,
        digit, menu_id, queued, hours, callback_id, started_ms, queued_ms, offered_ms,
        answered_ms, abandoned_ms, callback_ms, ended_ms, wait_ms, talk_ms, result, live,
        event_count)
    SELECT tenant_id, call_id, line, direction, caller, agent, agent_id, to_agent,
        digit, menu_id, queued, hours, callback_id, started_ms, queued_ms, offered_ms,
        answered_ms, abandoned_ms, callback_ms, ended_ms, wait_ms, talk_ms, result, live,
        event_count
    FROM call_facts WHERE tenant_id = NEW.tenant_id AND call_id = NEW.call_id
    ON CONFLICT (tenant_id, call_id) DO UPDATE SET
        line = excluded.line, direction = excluded.direction, caller = excluded.caller,
        agent = excluded.agent, agent_id = excluded.agent_id, to_agent = excluded.to_agent,
        digit = excluded.digit, menu_id = excluded.menu_id, queued = excluded.queued,
        hours = excluded.hours, callback_id = excluded.callback_id,
        started_ms = excluded.started_ms, queued_ms = excluded.queued_ms,
        offered_ms = excluded.offered_ms, answered_ms = excluded.answered_ms,
        abandoned_ms = excluded.abandoned_ms, callback_ms = excluded.callback_ms,
        ended_ms = excluded.ended_ms, wait_ms = excluded.wait_ms, talk_ms = excluded.talk_ms,
        result = excluded.result, live = excluded.live, event_count = excluded.event_count;
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
CREATE INDEX agent_states_started ON agent_states (tenant_id, started_ms);
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
    UPDATE agent_sessions SET agent_id =
        (SELECT a.agent_id FROM agent_by_login a WHERE a.tenant_id = agent_sessions.tenant_id
          AND a.login_id = agent_sessions.agent)
    WHERE tenant_id = NEW.tenant_id AND session = NEW.session;
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
