-- Admin accounts (AUTH-2). The platform operator has no tenant; every other
-- role belongs to exactly one. Deleted accounts stay (history shows their
-- names) but free their login ID. `session_epoch` changes with the password,
-- which ends every older session of that account.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER REFERENCES tenants (id),
    login_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('operator', 'owner', 'manager', 'viewer')),
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'deleted')),
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((role = 'operator') = (tenant_id IS NULL))
);
CREATE UNIQUE INDEX users_login_id ON users (login_id) WHERE status != 'deleted';
CREATE INDEX users_tenant ON users (tenant_id);

-- Access management (ACC-1): an empty list allows every address.
CREATE TABLE ip_allowlist (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    position INTEGER NOT NULL,
    rule TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (tenant_id, rule)
);

-- Work history (AUD-1, HIST-5). Append-only: the triggers refuse changes.
-- `tenant_id` is NULL for platform-level actions (the operator's, and
-- sign-ins to unknown accounts).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER REFERENCES tenants (id),
    user_id INTEGER REFERENCES users (id),
    login_id TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    client_ip TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    outcome INTEGER NOT NULL,
    detail TEXT
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Sign-in back-off counters (AUTH-3), one row per account name or client
-- address. In SQL rather than the key-value store because every attempt must
-- be counted atomically before its password is checked.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
);
