-- The live monitoring dashboard (SPEC section 3, MON-1..7; issue 15): the
-- two settings its figures need, the queues' SLA targets, the wallboard's
-- signed links, and the index that makes "has anything changed?" cheap.

-- The service-level threshold (SPEC section 11: per tenant, default 20 s):
-- no row means the default. Set on the work-settings page.
CREATE TABLE service_level_settings (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
    threshold_seconds INTEGER NOT NULL CHECK (threshold_seconds BETWEEN 1 AND 600),
    updated_at TEXT NOT NULL
);

-- MON-1's total: the lines (channels) in the contract, set by the platform
-- operator; NULL until set (the dashboard then shows no total).
ALTER TABLE tenants ADD COLUMN contracted_lines INTEGER
    CHECK (contracted_lines IS NULL OR contracted_lines BETWEEN 1 AND 100000);

-- SLA targets of one queue (an agent-connect menu), each optional: answer
-- rate and service level in percent (a figure below its target is red,
-- within 5 points of it amber), the waiting-count and longest-wait alarms
-- (at the alarm red, from 80 % of it amber). Kept apart from `ars_menus` so
-- the menu's own form stays what it is; removed with its menu.
CREATE TABLE queue_targets (
    menu_id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    answer_rate_pct INTEGER CHECK (answer_rate_pct BETWEEN 1 AND 100),
    service_level_pct INTEGER CHECK (service_level_pct BETWEEN 1 AND 100),
    waiting_max INTEGER CHECK (waiting_max BETWEEN 1 AND 10000),
    longest_wait_seconds INTEGER CHECK (longest_wait_seconds BETWEEN 1 AND 86400),
    updated_at TEXT NOT NULL
);
CREATE INDEX queue_targets_tenant ON queue_targets (tenant_id);

CREATE TRIGGER ars_menus_targets_gone AFTER DELETE ON ars_menus
BEGIN
    DELETE FROM queue_targets WHERE menu_id = OLD.id;
END;

-- Wallboard links: a wall TV shows the dashboard through a link holding a
-- random token, without an admin session. Only the token's SHA-256 is
-- kept; revoking sets `revoked_at` and the link stops answering.
CREATE TABLE wallboard_links (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    token_sha256 TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX wallboard_links_tenant ON wallboard_links (tenant_id, id);

-- The dashboard's version: the tenant's latest event (`MAX(seq)`), one
-- index step instead of a scan of the event log.
CREATE INDEX telephony_events_tenant_seq ON telephony_events (tenant_id, seq)
    WHERE tenant_id IS NOT NULL;
