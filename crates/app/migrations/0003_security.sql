-- Work history stays append-only against `INSERT OR REPLACE`: REPLACE deletes
-- the old row without firing DELETE triggers (recursive_triggers is off), so
-- an insert naming an existing id is refused before it happens.
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Refused sign-ins for login IDs that belong to no account, counted per hour
-- (UTC, as Unix hours) instead of one work-history row each; the first of
-- each hour is also a history row. Rows older than 90 days are deleted.
CREATE TABLE signin_refusals (
    hour INTEGER PRIMARY KEY,
    refusals INTEGER NOT NULL
);
