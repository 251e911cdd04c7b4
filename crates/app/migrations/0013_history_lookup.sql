-- Service lookup (HIST-1..4): the indexes the history filters read.
--
-- Calls are paged newest first by (started_ms, id) from `calls_started`
-- (0007): its key is (tenant_id, started_ms) and every SQLite index ends
-- with the rowid, so a keyset page `(started_ms, id) < (?, ?)` is one range
-- seek however deep it is.
--
-- The number filter (HIST-1) takes what an admin types (`010-1234`,
-- `01012345678`, `+82 10 1234`, `5678`) as digits in domestic form; numbers
-- are stored that way (crates/domain/src/phone.rs). A number starting with
-- 0 is a prefix and is a range seek on `calls_caller`; any other (the last
-- digits, 뒷번호) is matched on its last four digits through
-- `calls_caller_tail`, an index on the expression `substr(caller, -4)`,
-- then checked in full. Each is paid for by every call's first event
-- (BENCHMARKS.md, ingest).
CREATE INDEX calls_caller ON calls (tenant_id, caller, started_ms);
CREATE INDEX calls_caller_tail ON calls (tenant_id, substr(caller, -4), started_ms);
-- The agent filter.
CREATE INDEX calls_agent ON calls (tenant_id, agent_id, started_ms);
-- Callback attempts (HIST-3) are read from the event log by callback.
-- (telephony_events_callback, 0007, serves them.)

-- Work history in words (HIST-5): why a request was refused, as its error
-- code (`forbidden`, `validation_failed` …), so the page can say it in the
-- admin's language next to the result.
ALTER TABLE audit_log ADD COLUMN reason TEXT;
