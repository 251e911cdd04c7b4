-- The statistics roll-up (CB-4, STAT-1..6; issue 17): hourly buckets the
-- worker's tick fills from a watermark, read by the statistics API.
--
-- Hours are UTC hours (`hour_ms` = the hour's start in Unix milliseconds),
-- so a tenant's time-zone change never invalidates a bucket; a zone whose
-- offset is not a whole number of hours reads its statistics from `calls`
-- directly (reports::stats).
--
-- `rollup_state.rolled_until_ms` is the watermark: every hour before it is
-- in the buckets. A tick rolls complete hours from it onwards (at most a
-- budget of hours per tick, so a long downtime is caught up in bounded
-- steps) and recomputes the hours named in `rollup_dirty`. A bucket is
-- always recomputed from its calls (delete, then insert the GROUP BY), never
-- added to, so a re-run is idempotent.
CREATE TABLE rollup_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rolled_until_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);

-- Hours before the watermark that changed after they were rolled up: a late
-- or reordered event, a call closed as lost, an agent state interval that
-- ended, a consultation saved. The triggers below write them only for
-- instants before the watermark, so a live event of the current hour costs
-- one indexed comparison and no write. [from_ms, to_ms) is expanded to hours
-- by the roll-up.
CREATE TABLE rollup_dirty (
    tenant_id INTEGER NOT NULL,
    from_ms INTEGER NOT NULL,
    to_ms INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, from_ms, to_ms)
) WITHOUT ROWID;

-- Call figures per hour (SPEC section 11, the columns of metrics::Counts),
-- per queue (digit and menu; NULL for calls that never chose one)...
CREATE TABLE stat_hour_queue (
    tenant_id INTEGER NOT NULL,
    hour_ms INTEGER NOT NULL,
    digit INTEGER,
    menu_id INTEGER,
    total_inbound INTEGER NOT NULL,
    offered INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    abandoned INTEGER NOT NULL,
    callbacks INTEGER NOT NULL,
    answered_within INTEGER NOT NULL,
    wait_answered_ms INTEGER NOT NULL,
    wait_abandoned_ms INTEGER NOT NULL,
    longest_wait_ms INTEGER NOT NULL,
    talk_ms INTEGER NOT NULL,
    talked INTEGER NOT NULL,
    outbound INTEGER NOT NULL,
    internal INTEGER NOT NULL,
    -- STAT-3: waits of answered calls and of abandoned calls in
    -- 0–10, 10–20, 20–30, 30–60 and 60+ seconds (lower bound inclusive).
    wait_h0 INTEGER NOT NULL, wait_h1 INTEGER NOT NULL, wait_h2 INTEGER NOT NULL,
    wait_h3 INTEGER NOT NULL, wait_h4 INTEGER NOT NULL,
    abandon_h0 INTEGER NOT NULL, abandon_h1 INTEGER NOT NULL, abandon_h2 INTEGER NOT NULL,
    abandon_h3 INTEGER NOT NULL, abandon_h4 INTEGER NOT NULL,
    -- STAT-5: outbound calls dialled for a callback request.
    callbacks_handled INTEGER NOT NULL
);
CREATE INDEX stat_hour_queue_hour ON stat_hour_queue (tenant_id, hour_ms);

-- ...and per agent (the agent who answered or dialled) and queue, the same
-- columns: the agent filter of every call statistic reads this one.
CREATE TABLE stat_hour_agent (
    tenant_id INTEGER NOT NULL,
    hour_ms INTEGER NOT NULL,
    agent_id INTEGER,
    digit INTEGER,
    menu_id INTEGER,
    total_inbound INTEGER NOT NULL,
    offered INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    abandoned INTEGER NOT NULL,
    callbacks INTEGER NOT NULL,
    answered_within INTEGER NOT NULL,
    wait_answered_ms INTEGER NOT NULL,
    wait_abandoned_ms INTEGER NOT NULL,
    longest_wait_ms INTEGER NOT NULL,
    talk_ms INTEGER NOT NULL,
    talked INTEGER NOT NULL,
    outbound INTEGER NOT NULL,
    internal INTEGER NOT NULL,
    wait_h0 INTEGER NOT NULL, wait_h1 INTEGER NOT NULL, wait_h2 INTEGER NOT NULL,
    wait_h3 INTEGER NOT NULL, wait_h4 INTEGER NOT NULL,
    abandon_h0 INTEGER NOT NULL, abandon_h1 INTEGER NOT NULL, abandon_h2 INTEGER NOT NULL,
    abandon_h3 INTEGER NOT NULL, abandon_h4 INTEGER NOT NULL,
    callbacks_handled INTEGER NOT NULL
);
CREATE INDEX stat_hour_agent_hour ON stat_hour_agent (tenant_id, hour_ms);

-- STAT-6 (and STAT-5's after-call work and missed calls): time per agent
-- and state within the hour (intervals clipped to it), how many intervals
-- started in it, and for `ringing` how many ended without the agent going
-- on a call (missed).
CREATE TABLE stat_hour_state (
    tenant_id INTEGER NOT NULL,
    hour_ms INTEGER NOT NULL,
    agent_id INTEGER,
    state TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    missed INTEGER NOT NULL
);
CREATE INDEX stat_hour_state_hour ON stat_hour_state (tenant_id, hour_ms);
-- The intervals overlapping a window: those ending after its start (open
-- ones last "forever"), so a roll-up of recent hours reads recent intervals.
CREATE INDEX agent_states_ends ON agent_states (tenant_id, COALESCE(ended_ms, 9223372036854775807));

-- STAT-4: consultations per type and agent, by the hour they were saved.
CREATE TABLE stat_hour_type (
    tenant_id INTEGER NOT NULL,
    hour_ms INTEGER NOT NULL,
    type_id INTEGER,
    agent_id INTEGER NOT NULL,
    consultations INTEGER NOT NULL
);
CREATE INDEX stat_hour_type_hour ON stat_hour_type (tenant_id, hour_ms);

-- Marking changed hours (see rollup_dirty); a mark already there is not
-- written twice (NOT EXISTS: an OR IGNORE inside a trigger would yield to the
-- outer statement's conflict policy). A call belongs to the hour it
-- started in; a late `call.received` can move that start earlier, so both
-- the old and the new hour are marked.
CREATE TRIGGER calls_rollup_insert AFTER INSERT ON calls
WHEN NEW.started_ms < (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)
BEGIN
    INSERT INTO rollup_dirty (tenant_id, from_ms, to_ms)
    SELECT NEW.tenant_id, NEW.started_ms, NEW.started_ms + 1
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.tenant_id = NEW.tenant_id
        AND d.from_ms = NEW.started_ms AND d.to_ms = NEW.started_ms + 1);
END;

CREATE TRIGGER calls_rollup_update AFTER UPDATE ON calls
WHEN MIN(OLD.started_ms, NEW.started_ms) < (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)
BEGIN
    INSERT INTO rollup_dirty (tenant_id, from_ms, to_ms)
    SELECT NEW.tenant_id, OLD.started_ms, OLD.started_ms + 1
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.tenant_id = NEW.tenant_id
        AND d.from_ms = OLD.started_ms AND d.to_ms = OLD.started_ms + 1);
    INSERT INTO rollup_dirty (tenant_id, from_ms, to_ms)
    SELECT NEW.tenant_id, NEW.started_ms, NEW.started_ms + 1
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.tenant_id = NEW.tenant_id
        AND d.from_ms = NEW.started_ms AND d.to_ms = NEW.started_ms + 1);
END;

-- An interval covers every hour from its start to its end (or, while
-- open, up to the watermark).
CREATE TRIGGER agent_states_rollup_insert AFTER INSERT ON agent_states
WHEN NEW.started_ms < (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)
BEGIN
    INSERT INTO rollup_dirty (tenant_id, from_ms, to_ms)
    SELECT NEW.tenant_id, NEW.started_ms, COALESCE(NEW.ended_ms, (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)) + 1
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.tenant_id = NEW.tenant_id
        AND d.from_ms = NEW.started_ms AND d.to_ms = COALESCE(NEW.ended_ms, (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)) + 1);
END;

CREATE TRIGGER agent_states_rollup_update AFTER UPDATE ON agent_states
WHEN MIN(OLD.started_ms, NEW.started_ms) < (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)
BEGIN
    INSERT INTO rollup_dirty (tenant_id, from_ms, to_ms)
    SELECT NEW.tenant_id, MIN(OLD.started_ms, NEW.started_ms), MAX(COALESCE(OLD.ended_ms, (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)), COALESCE(NEW.ended_ms, (SELECT rolled_until_ms FROM rollup_state WHERE id = 1))) + 1
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.tenant_id = NEW.tenant_id
        AND d.from_ms = MIN(OLD.started_ms, NEW.started_ms) AND d.to_ms = MAX(COALESCE(OLD.ended_ms, (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)), COALESCE(NEW.ended_ms, (SELECT rolled_until_ms FROM rollup_state WHERE id = 1))) + 1);
END;

CREATE TRIGGER consultations_rollup_insert AFTER INSERT ON consultations
WHEN NEW.created_ms < (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)
BEGIN
    INSERT INTO rollup_dirty (tenant_id, from_ms, to_ms)
    SELECT NEW.tenant_id, NEW.created_ms, NEW.created_ms + 1
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.tenant_id = NEW.tenant_id
        AND d.from_ms = NEW.created_ms AND d.to_ms = NEW.created_ms + 1);
END;

CREATE TRIGGER consultations_rollup_update AFTER UPDATE ON consultations
WHEN MIN(OLD.created_ms, NEW.created_ms) < (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)
BEGIN
    INSERT INTO rollup_dirty (tenant_id, from_ms, to_ms)
    SELECT NEW.tenant_id, OLD.created_ms, OLD.created_ms + 1
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.tenant_id = NEW.tenant_id
        AND d.from_ms = OLD.created_ms AND d.to_ms = OLD.created_ms + 1);
    INSERT INTO rollup_dirty (tenant_id, from_ms, to_ms)
    SELECT NEW.tenant_id, NEW.created_ms, NEW.created_ms + 1
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.tenant_id = NEW.tenant_id
        AND d.from_ms = NEW.created_ms AND d.to_ms = NEW.created_ms + 1);
END;

CREATE TRIGGER consultations_rollup_delete AFTER DELETE ON consultations
WHEN OLD.created_ms < (SELECT rolled_until_ms FROM rollup_state WHERE id = 1)
BEGIN
    INSERT INTO rollup_dirty (tenant_id, from_ms, to_ms)
    SELECT OLD.tenant_id, OLD.created_ms, OLD.created_ms + 1
    WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.tenant_id = OLD.tenant_id
        AND d.from_ms = OLD.created_ms AND d.to_ms = OLD.created_ms + 1);
END;
