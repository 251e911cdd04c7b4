-- More service settings (SPEC section 6): business hours, holidays, contract
-- changes, termination requests, work management. Every row belongs to one
-- tenant; every read and write filters by it.

-- Business hours (ARS-4): one row per tenant, the week in the JSON shape of
-- `schedule::BusinessHours` (parsed again when read). No row means "not set
-- yet": the center is closed (`BusinessHours::always_closed`).
CREATE TABLE business_hours (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
    hours TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Holidays (ARS-5). `day_key` is what makes two holidays the same day: the
-- date for `once`, the month and day (`MM-DD`) for `yearly`; the same
-- day_key twice with the same repeat is refused.
CREATE TABLE holidays (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'national', 'temporary')),
    repeat TEXT NOT NULL CHECK (repeat IN ('yearly', 'once')),
    day_key TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, repeat, day_key)
);
CREATE INDEX holidays_tenant_date ON holidays (tenant_id, date);

-- Licence/plan changes (CON-2), one row per change. `local_date` is the
-- calendar day of the change in the tenant's time zone; the UNIQUE
-- constraint is the "at most one change per day" rule, race-free.
CREATE TABLE licence_changes (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    user_id INTEGER REFERENCES users (id),
    local_date TEXT NOT NULL,
    plan_before TEXT NOT NULL,
    plan_after TEXT NOT NULL,
    licences_before INTEGER NOT NULL,
    licences_after INTEGER NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (tenant_id, local_date)
);

-- Service termination requests (CON-3): at most one open request per
-- tenant; withdrawing deletes it (the work history keeps both events). The
-- operator acts on it by setting the tenant's status to `terminated`.
CREATE TABLE termination_requests (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
    user_id INTEGER REFERENCES users (id),
    reason TEXT NOT NULL DEFAULT '',
    requested_at TEXT NOT NULL
);

-- Work management and the incoming popup (SVC-4, SVC-5): one row per
-- tenant, written on the first save (until then the defaults apply).
CREATE TABLE work_settings (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
    after_login TEXT NOT NULL CHECK (after_login IN ('ready', 'away')),
    after_call TEXT NOT NULL CHECK (after_call IN ('ready', 'after_call_work')),
    after_call_work_limit_seconds INTEGER CHECK (after_call_work_limit_seconds BETWEEN 1 AND 3600),
    popup_url TEXT,
    updated_at TEXT NOT NULL
);
