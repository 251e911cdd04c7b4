-- Issue 14, finding 3, the rest of it: a late `agent.logout` (or state
-- change) of a session that a deleted agent opened, delivered after the
-- login ID was given to a new agent, belongs to the old agent. Agent states
-- are chained per login ID, so before this rule such an event was put into
-- the new holder's chain: the new agent, signed in, showed as logged out on
-- the dashboard (MON-7) and their open interval was cut short (STAT-6).
--
-- The rule: an event that names a session whose `agent.login` happened
-- under another holder of the login ID than the one holding it at the
-- event's time changes no agent state. The session itself still records
-- its logout (HIST-4, `telephony_events_agent_sessions`), with the agent
-- who opened it. The old agent's own last interval already ended where the
-- new holder's first state began.
DROP TRIGGER telephony_events_agent_states;

CREATE TRIGGER telephony_events_agent_states AFTER INSERT ON telephony_events
WHEN NEW.tenant_id IS NOT NULL AND NEW.known = 1
     AND NEW.type IN ('agent.state', 'agent.login', 'agent.logout')
     AND NOT EXISTS (
        SELECT 1 FROM telephony_events l
        WHERE NEW.session IS NOT NULL
          AND l.tenant_id = NEW.tenant_id AND l.session = NEW.session
          AND l.type = 'agent.login'
          AND (SELECT h.agent_id FROM agent_holders h
                WHERE h.tenant_id = NEW.tenant_id AND h.login_id = NEW.agent
                  AND (h.from_ms IS NULL OR h.from_ms <= l.at_ms)
                  AND (h.until_ms IS NULL OR l.at_ms < h.until_ms))
              IS NOT
              (SELECT h.agent_id FROM agent_holders h
                WHERE h.tenant_id = NEW.tenant_id AND h.login_id = NEW.agent
                  AND (h.from_ms IS NULL OR h.from_ms <= NEW.at_ms)
                  AND (h.until_ms IS NULL OR NEW.at_ms < h.until_ms)))
BEGIN
    -- The new interval ends where its successor (if it arrived first) starts.
    INSERT INTO agent_states (tenant_id, agent, agent_id, state, started_ms, ended_ms, event_id)
    VALUES (NEW.tenant_id, NEW.agent,
        (SELECT h.agent_id FROM agent_holders h
                    WHERE h.tenant_id = NEW.tenant_id AND h.login_id = NEW.agent
                      AND (h.from_ms IS NULL OR h.from_ms <= NEW.at_ms)
                      AND (h.until_ms IS NULL OR NEW.at_ms < h.until_ms)),
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
