#!/usr/bin/env bash
# Call history through `spin up` (issue 16, HIST-1; BENCHMARKS.md "Service
# lookup"): a company with CALLS calls (default 5 000 000) over DAYS days
# (default 365), written straight into the app's SQLite file by
# scripts/bench/dashboard_data.py (numbers `010` + 8 random digits); then
# GET /api/history/calls — the first page, the page 10 000 deep (row
# 500 000, by cursor) and a partial-number search (`010-1234`, ~1 in 10 000
# calls) — one client at a time (wrk -t1 -c1 -d10s), three runs, the
# median p99 printed; beside each, the same SELECT run directly on the same
# SQLite file (python3 sqlite3, median of 3). Every request goes through
# the whole pipeline, its work-history record included.
#
#   bash scripts/bench/history.sh                       # 5M calls, made and thrown away
#   BENCH_STATE=/tmp/hist CALLS=1000000 bash scripts/bench/history.sh   # kept for the next run
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
CALLS="${CALLS:-5000000}"
DAYS="${DAYS:-365}"

if ! command -v spin >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then
  echo "SKIPPED: the history bench needs spin and wrk on PATH"
  exit 0
fi
build_components

PORT="$(free_port)"
STATE="${BENCH_STATE:-$(mktemp -d)}"
mkdir -p "$STATE"
BASE="http://127.0.0.1:$PORT"
start_spin() {
  SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD=benchmark-password SPIN_VARIABLE_WEBHOOK_SECRET=bench-webhook-secret \
    spin up -f spin.toml --listen "127.0.0.1:$PORT" --state-dir "$STATE/state" >>"$STATE/log" 2>&1 &
  SPIN_PID=$!
  until curl -fsS -o /dev/null "$BASE/api/health" 2>/dev/null; do sleep 0.3; done
}
stop_spin() {
  kill -INT "$SPIN_PID" 2>/dev/null || true
  wait "$SPIN_PID" 2>/dev/null || true
}
if [[ -n "${BENCH_STATE:-}" ]]; then trap 'stop_spin' EXIT; else trap 'stop_spin; rm -rf "$STATE"' EXIT; fi
start_spin
OWN="$STATE/own"
call() {
  curl -fsS -b "$1" -H "x-csrf-token: $2" -H 'content-type: application/json' -X "$3" -d "$5" "$BASE$4"
}
signin() { # jar login password -> csrf
  curl -fsS -c "$1" -H 'content-type: application/json' -d "{\"login_id\":\"$2\",\"password\":\"$3\"}" \
    "$BASE/api/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])'
}
if [[ ! -f "$STATE/ready" ]]; then
  OP="$STATE/op"
  csrf=$(signin "$OP" operator benchmark-password)
  TENANT=$(call "$OP" "$csrf" POST /api/operator/tenants \
    '{"name":"bench","plan":"basic","licence_count":50,"service_start":"2025-01-01","service_end":"2099-12-31","owner":{"login_id":"bench-owner","name":"Owner","password":"owner-pass-123"}}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant"]["id"])')
  call "$OP" "$csrf" POST /api/operator/numbers "{\"number\":\"070-1234-5678\",\"tenant_id\":$TENANT}" >/dev/null
  csrf=$(signin "$OWN" bench-owner owner-pass-123)
  call "$OWN" "$csrf" PUT /api/settings/ars \
    '{"representative_number":"070-1234-5678","caller_id":null,"greeting":{"kind":"text","text":"안녕하십니까"},"out_of_hours":"상담 시간이 아닙니다","connecting":"연결합니다","busy":"통화 중입니다","busy_wait_seconds":30,"callback":"콜백"}' >/dev/null
  for d in 1 2; do
    call "$OWN" "$csrf" POST /api/settings/menus "{\"digit\":$d,\"kind\":\"agents\",\"queue\":\"큐 $d\"}" >/dev/null
  done
  for i in $(seq -w 1 20); do
    call "$OWN" "$csrf" POST /api/settings/agents "{\"login_id\":\"agent$i\",\"name\":\"상담사 $i\",\"password\":\"agent-pass-123\"}" >/dev/null
  done
  stop_spin
  DB="$(find "$STATE/state" -name '*.db' | head -1)"
  python3 scripts/bench/dashboard_data.py "$DB" "$TENANT" "$CALLS" "$DAYS"
  echo "$TENANT" >"$STATE/ready"
  start_spin
fi
TENANT="$(cat "$STATE/ready")"
DB="$(find "$STATE/state" -name '*.db' | head -1)"
signin "$OWN" bench-owner owner-pass-123 >/dev/null
cookie=$(awk '$6 == "sb_session" {print "sb_session=" $7}' "$OWN")
CURSOR=$(python3 - "$DB" "$TENANT" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = db.execute("SELECT COUNT(*) FROM calls WHERE tenant_id = ?", (int(sys.argv[2]),)).fetchone()[0]
ms, i = db.execute("SELECT started_ms, id FROM calls WHERE tenant_id = ? ORDER BY started_ms DESC, id DESC "
                   "LIMIT 1 OFFSET ?", (int(sys.argv[2]), min(n // 2, 500_000) - 1)).fetchone()
print(f"{ms}.{i}")
PY
)

# p99 of one wrk run (one client) of $1.
run() {
  local out
  out=$(wrk -t1 -c1 -d10s --timeout 10s --latency -H "Cookie: $cookie" "$BASE$1")
  if echo "$out" | grep -qE 'Socket errors|Non-2xx'; then echo "$out" >&2; fi
  printf '%s %s\n' "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
}
median3() {
  local label="$1" path="$2" r1 r2 r3 p1 p2 p3
  read -r r1 p1 < <(run "$path")
  read -r r2 p2 < <(run "$path")
  read -r r3 p3 < <(run "$path")
  python3 - "$label" "$r1" "$r2" "$r3" "$p1" "$p2" "$p3" <<'PY'
import sys
def ms(s):
    for unit, f in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if s.endswith(unit):
            return float(s[: -len(unit)]) * f
    return float(s)
label, *v = sys.argv[1:]
rps = sorted(float(x) for x in v[:3])
p99 = sorted(ms(x) for x in v[3:])
print(f"{label:<52} {rps[1]:>7.0f} req/s   p99 {p99[1]:>8.2f} ms   (runs: p99 {', '.join(f'{x:.2f}' for x in p99)} ms)")
PY
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%d)"
echo "calls: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM calls').fetchone()[0])" "$DB")"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== GET /api/history/calls through spin up (wrk -t1 -c1 -d10s), median of 3"
median3 "first page (50 rows)" "/api/history/calls"
median3 "page 10 000 (row 500 000, by cursor)" "/api/history/calls?cursor=$CURSOR"
median3 "number 010-1234 (prefix)" "/api/history/calls?number=010-1234"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== the same SELECT directly on the SQLite file (python3 sqlite3), median of 3"
python3 - "$DB" "$TENANT" "$CURSOR" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
tenant = int(sys.argv[2])
ms, cid = (int(x) for x in sys.argv[3].split("."))
SELECT = ("SELECT k.id, k.call_id, k.direction, k.caller, k.line, k.started_ms, k.answered_ms, k.ended_ms, "
          "k.wait_ms, k.talk_ms, k.result, k.live, k.digit, m.queue, k.agent_id, k.agent, a.name, k.to_agent, "
          "(SELECT COUNT(*) FROM recordings r WHERE r.tenant_id = k.tenant_id AND r.call_id = k.call_id), "
          "(SELECT COUNT(*) FROM consultations c WHERE c.tenant_id = k.tenant_id AND c.call_id = k.call_id) "
          "FROM calls k LEFT JOIN ars_menus m ON m.tenant_id = k.tenant_id AND m.digit = k.digit AND m.kind = 'agents' "
          "LEFT JOIN agents a ON a.id = k.agent_id AND a.tenant_id = k.tenant_id ")
ORDER = " ORDER BY k.started_ms DESC, k.id DESC LIMIT 51"
for label, sql, params in [
    ("first page (50 rows)", "WHERE k.tenant_id = ?", (tenant,)),
    ("page 10 000 (row 500 000, by cursor)", "WHERE k.tenant_id = ? AND (k.started_ms, k.id) < (?, ?)", (tenant, ms, cid)),
    ("number 010-1234 (prefix)", "WHERE k.tenant_id = ? AND k.caller >= ? AND k.caller < ?", (tenant, "0101234", "0101234:")),
]:
    times = []
    for _ in range(3):
        t = time.perf_counter()
        db.execute(SELECT + sql + ORDER, params).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    plan = " / ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + SELECT + sql + ORDER, params))
    print(f"{label:<52} median {sorted(times)[1]:>8.2f} ms   ({plan[:110]})")
PY
