-- The call flow served by Switchboard (TEL-3, ARS-7; issue 19): every step
-- the engine decided for a call, so the call's timeline (HIST-1) shows what
-- the caller heard and chose beside the provider's events, and the call's
-- `hours` (open / closed / holiday) comes from the engine rather than from
-- the provider's `call.received` when Switchboard served the flow.
CREATE TABLE call_flow_steps (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    call_id TEXT NOT NULL,
    line TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    -- Where the call stood (`start`, `menu.0` …) and what the caller gave
    -- (`none`, `timeout`, a key, `invalid`).
    position TEXT NOT NULL,
    input TEXT NOT NULL,
    -- The engine's decision code (`flow.menu`, `flow.enqueue` …), the menu
    -- digit and queue it concerns.
    decision TEXT NOT NULL,
    digit INTEGER,
    queue TEXT,
    -- Set on a call's first step: how it met the center.
    hours TEXT CHECK (hours IN ('open', 'closed', 'holiday'))
);
CREATE INDEX call_flow_steps_call ON call_flow_steps (tenant_id, call_id, at_ms);
-- Retention (CB-5) deletes the oldest first.
CREATE INDEX call_flow_steps_time ON call_flow_steps (tenant_id, at_ms);
-- Which company already serves a call on a line (telephony/flow.rs).
CREATE INDEX call_flow_steps_line ON call_flow_steps (call_id, line);

-- The engine's classification wins over the provider's: applied when the
-- step comes after the call row, and when the call row (or its
-- `call.received`) comes after the step. Recursive triggers are off, so the
-- UPDATE inside does not fire its own trigger again.
CREATE TRIGGER call_flow_steps_hours AFTER INSERT ON call_flow_steps
WHEN NEW.hours IS NOT NULL
BEGIN
    UPDATE calls SET received_hours = NEW.hours
    WHERE tenant_id = NEW.tenant_id AND call_id = NEW.call_id
      AND received_hours IS NOT NEW.hours;
END;

CREATE TRIGGER calls_flow_hours_insert AFTER INSERT ON calls
WHEN EXISTS (SELECT 1 FROM call_flow_steps f WHERE f.tenant_id = NEW.tenant_id
             AND f.call_id = NEW.call_id AND f.hours IS NOT NULL)
BEGIN
    UPDATE calls SET received_hours =
        (SELECT f.hours FROM call_flow_steps f WHERE f.tenant_id = NEW.tenant_id
           AND f.call_id = NEW.call_id AND f.hours IS NOT NULL ORDER BY f.at_ms, f.id LIMIT 1)
    WHERE id = NEW.id;
END;

CREATE TRIGGER calls_flow_hours_update AFTER UPDATE OF received_hours ON calls
WHEN NEW.received_hours IS NOT
     COALESCE((SELECT f.hours FROM call_flow_steps f WHERE f.tenant_id = NEW.tenant_id
               AND f.call_id = NEW.call_id AND f.hours IS NOT NULL ORDER BY f.at_ms, f.id LIMIT 1),
              NEW.received_hours)
BEGIN
    UPDATE calls SET received_hours =
        (SELECT f.hours FROM call_flow_steps f WHERE f.tenant_id = NEW.tenant_id
           AND f.call_id = NEW.call_id AND f.hours IS NOT NULL ORDER BY f.at_ms, f.id LIMIT 1)
    WHERE id = NEW.id;
END;
