-- An event's agent is the one who held the login ID at the event's time
-- (issue 14, finding 3). Login IDs are unique among an company's agents that
-- are not deleted, and a deleted agent's login ID may be given to a new
-- agent; until now an event was resolved to whoever holds the login ID when
-- it arrives, so one late event of an old call moved the call (and its
-- consultation and popup) to the new agent.
--
-- `agent_holders` lists, per login ID, who held it from when until when: an
-- agent holds it from its creation until the next agent with that login ID
-- was created; the first agent with a login ID holds it since always, so
-- events from before it was set up here (a provider's backfill, clock skew
-- between the provider and this server) are its own. Agents are numbered in
-- creation order, so the next holder is the next ID.
CREATE VIEW agent_holders AS
    SELECT a.tenant_id, a.login_id, a.id AS agent_id,
        CASE WHEN EXISTS (SELECT 1 FROM agents p
                          WHERE p.tenant_id = a.tenant_id AND p.login_id = a.login_id AND p.id < a.id)
             THEN CAST(ROUND((julianday(a.created_at) - 2440587.5) * 86400000.0) AS INTEGER) END AS from_ms,
        (SELECT CAST(ROUND((julianday(n.created_at) - 2440587.5) * 86400000.0) AS INTEGER) FROM agents n
          WHERE n.tenant_id = a.tenant_id AND n.login_id = a.login_id AND n.id > a.id
          ORDER BY n.id LIMIT 1) AS until_ms
    FROM agents a;

DROP TRIGGER telephony_events_calls;
DROP TRIGGER telephony_events_agent_states;
DROP TRIGGER telephony_events_agent_sessions;
DROP VIEW agent_by_login;

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
        -- The agent who held the login ID when the event naming them happened
        -- (the answer, else the dial): a later event of the call, however
        -- late it arrives, resolves the same agent.
        agent_id = (SELECT h.agent_id FROM agent_holders h
                    WHERE h.tenant_id = calls.tenant_id AND h.login_id = calls.agent
                      AND (h.from_ms IS NULL OR h.from_ms <= COALESCE(CASE WHEN calls.answered_agent IS NOT NULL THEN calls.answered_ms END,
                                 MIN(IFNULL(calls.outbound_ms, 9223372036854775807),
                                     IFNULL(calls.internal_ms, 9223372036854775807))))
                      AND (h.until_ms IS NULL OR COALESCE(CASE WHEN calls.answered_agent IS NOT NULL THEN calls.answered_ms END,
                                 MIN(IFNULL(calls.outbound_ms, 9223372036854775807),
                                     IFNULL(calls.internal_ms, 9223372036854775807))) < h.until_ms)),
        menu_id = (SELECT m.id FROM ars_menus m WHERE m.tenant_id = calls.tenant_id AND m.digit = calls.digit)
    WHERE NEW.type IN ('call.answered', 'call.outbound', 'call.internal', 'call.queued', 'call.menu')
      AND tenant_id = NEW.tenant_id AND call_id = NEW.call_id;
END;

CREATE TRIGGER telephony_events_agent_states AFTER INSERT ON telephony_events
WHEN NEW.tenant_id IS NOT NULL AND NEW.known = 1
     AND NEW.type IN ('agent.state', 'agent.login', 'agent.logout')
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
    -- The agent who held the login ID when the session began (its login,
    -- else its logout): a login ID reused later by a new agent does not take
    -- over the session, however late its events arrive.
    UPDATE agent_sessions SET agent_id =
        (SELECT h.agent_id FROM agent_holders h
                    WHERE h.tenant_id = agent_sessions.tenant_id AND h.login_id = agent_sessions.agent
                      AND (h.from_ms IS NULL OR h.from_ms <= COALESCE(agent_sessions.login_ms, agent_sessions.logout_ms))
                      AND (h.until_ms IS NULL OR COALESCE(agent_sessions.login_ms, agent_sessions.logout_ms) < h.until_ms))
    WHERE tenant_id = NEW.tenant_id AND session = NEW.session;
END;

-- What is stored already, resolved by the same rule.
UPDATE calls SET agent_id = (SELECT h.agent_id FROM agent_holders h
                    WHERE h.tenant_id = calls.tenant_id AND h.login_id = calls.agent
                      AND (h.from_ms IS NULL OR h.from_ms <= COALESCE(CASE WHEN calls.answered_agent IS NOT NULL THEN calls.answered_ms END,
                                 MIN(IFNULL(calls.outbound_ms, 9223372036854775807),
                                     IFNULL(calls.internal_ms, 9223372036854775807))))
                      AND (h.until_ms IS NULL OR COALESCE(CASE WHEN calls.answered_agent IS NOT NULL THEN calls.answered_ms END,
                                 MIN(IFNULL(calls.outbound_ms, 9223372036854775807),
                                     IFNULL(calls.internal_ms, 9223372036854775807))) < h.until_ms))
WHERE agent IS NOT NULL;
UPDATE agent_states SET agent_id = (SELECT h.agent_id FROM agent_holders h
                    WHERE h.tenant_id = agent_states.tenant_id AND h.login_id = agent_states.agent
                      AND (h.from_ms IS NULL OR h.from_ms <= agent_states.started_ms)
                      AND (h.until_ms IS NULL OR agent_states.started_ms < h.until_ms));
UPDATE agent_sessions SET agent_id =
    (SELECT h.agent_id FROM agent_holders h
                    WHERE h.tenant_id = agent_sessions.tenant_id AND h.login_id = agent_sessions.agent
                      AND (h.from_ms IS NULL OR h.from_ms <= COALESCE(agent_sessions.login_ms, agent_sessions.logout_ms))
                      AND (h.until_ms IS NULL OR COALESCE(agent_sessions.login_ms, agent_sessions.logout_ms) < h.until_ms));
