-- Tenants (입점사): every tenant-owned row in later migrations references one.
-- Times are stored as RFC 3339 UTC text; each tenant has an IANA time zone
-- used for display and day boundaries (SPEC section 11).
CREATE TABLE tenants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL DEFAULT 'Asia/Seoul',
    created_at TEXT NOT NULL
);
