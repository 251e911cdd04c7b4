-- Service settings (SPEC section 6). Every row belongs to one tenant; every
-- read and write filters by it.

-- Uploaded prompt audio (ARS-2): WAV or MP3 as judged by content, kept in
-- SQLite with what the sniffer found. `token` is 32 random bytes (hex), the
-- unguessable name under which the telephony provider fetches the file
-- (`/hooks/audio/{token}`); admins play it by ID.
CREATE TABLE audio_files (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    token TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL CHECK (format IN ('wav', 'mp3')),
    mime_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    info TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX audio_files_tenant ON audio_files (tenant_id);

-- ARS basics (ARS-1, ARS-2, ARS-6): one row per tenant, written on the first
-- save (until then the API shows the default prompts). Numbers are stored as
-- digits in domestic form; NULL means not set yet. The greeting is text or
-- an uploaded file, never both.
CREATE TABLE ars_settings (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
    representative_number TEXT,
    caller_id TEXT,
    greeting_kind TEXT NOT NULL CHECK (greeting_kind IN ('text', 'audio')),
    greeting_text TEXT,
    greeting_audio_id INTEGER REFERENCES audio_files (id),
    out_of_hours_text TEXT NOT NULL,
    connecting_text TEXT NOT NULL,
    busy_text TEXT NOT NULL,
    busy_wait_seconds INTEGER NOT NULL CHECK (busy_wait_seconds BETWEEN 5 AND 600),
    callback_text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((greeting_kind = 'text') = (greeting_text IS NOT NULL AND greeting_audio_id IS NULL))
);
