-- Tenants (입점사, AUTH-1): every tenant-owned row references one. Company
-- fields are filled at sign-up (CON-1). Times are RFC 3339 UTC text with
-- millisecond precision (fixed width, so text order is time order); dates are
-- YYYY-MM-DD; `time_zone` is the IANA zone used for display and day
-- boundaries (SPEC section 11).
CREATE TABLE tenants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    business_number TEXT NOT NULL DEFAULT '',
    representative TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT 'Asia/Seoul',
    plan TEXT NOT NULL,
    licence_count INTEGER NOT NULL CHECK (licence_count > 0),
    service_start TEXT NOT NULL,
    service_end TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'terminated')),
    created_at TEXT NOT NULL
);
