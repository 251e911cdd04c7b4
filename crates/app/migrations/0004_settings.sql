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

-- Menu (ARS-3), keyed by the digit the caller presses (unique per tenant):
-- "connect to agents" (a queue, callback on/off) or "information message"
-- (text or an uploaded file).
CREATE TABLE ars_menus (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    digit INTEGER NOT NULL CHECK (digit BETWEEN 0 AND 9),
    kind TEXT NOT NULL CHECK (kind IN ('agents', 'info')),
    queue TEXT,
    callback INTEGER NOT NULL DEFAULT 0,
    message_kind TEXT CHECK (message_kind IN ('text', 'audio')),
    message_text TEXT,
    message_audio_id INTEGER REFERENCES audio_files (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, digit),
    CHECK ((kind = 'agents') = (queue IS NOT NULL)),
    CHECK ((kind = 'info') = (message_kind IS NOT NULL))
);

-- Agents (SVC-1): login ID unique per tenant among those not deleted;
-- argon2id hashes. Deleting is a status, so history keeps the name; only
-- `active` agents take a licence.
CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    login_id TEXT NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'deleted')),
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX agents_login_id ON agents (tenant_id, login_id) WHERE status != 'deleted';
CREATE INDEX agents_tenant_status ON agents (tenant_id, status);

-- Assignment (SVC-2): which agents serve which agent-connect menus.
CREATE TABLE agent_menus (
    agent_id INTEGER NOT NULL REFERENCES agents (id),
    menu_id INTEGER NOT NULL REFERENCES ars_menus (id),
    PRIMARY KEY (agent_id, menu_id)
);
CREATE INDEX agent_menus_menu ON agent_menus (menu_id);

-- Consultation types (SVC-3): an ordered list; a rename keeps the ID, so
-- consultations saved under the old name follow it. A type in use is
-- archived rather than deleted. Names are unique among the live ones.
CREATE TABLE consultation_types (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX consultation_types_name ON consultation_types (tenant_id, name) WHERE archived = 0;
