-- Per-company storage for uploaded prompts (ARS-2; issue 14, finding 5):
-- how many files and how many bytes in all. NULL is the default
-- (`AudioQuota::DEFAULT`: 50 files, 100 MiB); the platform operator sets
-- other values with `PUT /api/operator/tenants/{id}/audio-quota`.
ALTER TABLE tenants ADD COLUMN audio_quota_files INTEGER;
ALTER TABLE tenants ADD COLUMN audio_quota_bytes INTEGER;
