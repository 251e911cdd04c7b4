-- Retention (CB-5, issue 18) and silent provider-reported agents.
--
-- 1. Each tenant's retention in days (work settings page; until saved the
--    default of `switchboard_domain::RetentionDays`, 400 days). Housekeeping
--    deletes the tenant's events, calls, recordings' entries, consultations,
--    finished callback requests (with their attempts and transitions), ended
--    agent sessions and ended agent-state intervals older than that — never
--    past the statistics roll-up's watermark nor an hour still marked to be
--    recomputed, so the hourly buckets (`stat_hour_*`, kept) always hold
--    what was deleted.
CREATE TABLE retention_settings (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
    days INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- 2. How far each tenant's records may have been deleted: the roll-up never
--    recomputes an hour before this (its records may be gone; the bucket it
--    has is the truth), and drops change marks for such hours.
CREATE TABLE retention_state (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
    purged_until_ms INTEGER NOT NULL
);

-- 3. Open agent sessions (housekeeping looks for silent ones every tick).
CREATE INDEX agent_sessions_open ON agent_sessions (tenant_id, login_ms) WHERE logout_ms IS NULL;
-- Finished callback requests by age (retention); open ones are never deleted.
CREATE INDEX callbacks_done_requested ON callbacks (tenant_id, requested_ms) WHERE status <> 'requested';
-- Recordings' entries by age (retention).
CREATE INDEX recordings_at ON recordings (tenant_id, at_ms);
