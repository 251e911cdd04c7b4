-- The worker's heartbeat, read by every status request. It lives in SQLite
-- rather than the key-value store: a status request then costs one cheap
-- read on the instance's open connection (see BENCHMARKS.md, request floor).
CREATE TABLE worker_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_tick TEXT NOT NULL
);
