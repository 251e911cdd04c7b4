-- Telephone numbers are provisioned to tenants by the platform operator
-- (issue 14, finding 1). Until now any number no tenant had saved could be
-- typed in as a representative number, so a manager could take over the
-- line of a company not yet set up, and a number one tenant gave up went
-- to the next, with that number's late events.
--
-- `phone_numbers` is the inventory: which tenant holds a number from when
-- until when. A number has at most one holder at any instant (the partial
-- unique index covers the current holder; the operator's statement checks
-- that a back-dated holding overlaps none). `since_ms` NULL means "since
-- always": the first holder of a number holds it for events from before it
-- was set up here (a provider's backfill, clock skew), as the first holder
-- of an agent login ID does (0008). Released holdings stay, so history
-- stays with the old tenant, and events are routed by the holder at the
-- event's time (see `telephony/ingest.rs`).
CREATE TABLE phone_numbers (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    since_ms INTEGER,
    until_ms INTEGER,
    created_at TEXT NOT NULL,
    CHECK (until_ms IS NULL OR since_ms IS NULL OR until_ms > since_ms)
);
CREATE UNIQUE INDEX phone_numbers_current ON phone_numbers (number) WHERE until_ms IS NULL;
CREATE INDEX phone_numbers_by_number ON phone_numbers (number, since_ms);
CREATE INDEX phone_numbers_by_tenant ON phone_numbers (tenant_id, number);
-- A call stays with the company that had it: a later event of a known call
-- (its recording, a callback request, its end) goes where the call is, even
-- when the number changed hands in between (see `telephony/ingest.rs`).
CREATE INDEX calls_by_call_line ON calls (call_id, line);

-- Today's numbers become provisioned to the tenants that saved them, since
-- always: representative numbers first, then caller IDs that are not
-- already some tenant's number.
INSERT INTO phone_numbers (number, tenant_id, since_ms, until_ms, created_at)
    SELECT representative_number, tenant_id, NULL, NULL, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM ars_settings WHERE representative_number IS NOT NULL;
INSERT INTO phone_numbers (number, tenant_id, since_ms, until_ms, created_at)
    SELECT caller_id, MIN(tenant_id), NULL, NULL, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM ars_settings a
    WHERE caller_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM phone_numbers p WHERE p.number = a.caller_id)
    GROUP BY caller_id;
-- A caller ID another tenant holds is no longer this tenant's to show.
UPDATE ars_settings SET caller_id = NULL
    WHERE caller_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM phone_numbers p
                      WHERE p.number = ars_settings.caller_id AND p.tenant_id = ars_settings.tenant_id);

-- Releasing a number takes it out of its old tenant's ARS settings in the
-- same statement, so a number is never shown (or dialled from) by a tenant
-- that no longer holds it.
CREATE TRIGGER phone_numbers_released AFTER UPDATE OF until_ms ON phone_numbers
WHEN OLD.until_ms IS NULL AND NEW.until_ms IS NOT NULL
BEGIN
    UPDATE ars_settings SET representative_number = NULL
        WHERE tenant_id = NEW.tenant_id AND representative_number = NEW.number;
    UPDATE ars_settings SET caller_id = NULL
        WHERE tenant_id = NEW.tenant_id AND caller_id = NEW.number;
END;
