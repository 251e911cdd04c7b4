#!/usr/bin/env bash
# The dashboard at a realistic size (issue 15; BENCHMARKS.md "Monitoring
# dashboard"): `spin up`, a company with 1 000 000 calls over 90 days, 200
# agents, 10 queues and 30 live calls; GET /api/dashboard under 16
# concurrent pollers (wrk -t2 -c16 -d10s), three runs, the median printed;
# then the same read model directly on the same SQLite file (cargo bench
# --bench dashboard), three runs, the median printed. Part of scripts/bench.sh;
# runs alone too:  bash scripts/bench/dashboard.sh   (CALLS=… DAYS=… to resize)
#
# Re-run on kept data (about 3 minutes once built; the data is made once,
# ~6 minutes):   BENCH_STATE=/tmp/dashboard-bench bash scripts/bench/dashboard.sh
# Before each run the schema is brought up to date and the statistics
# roll-up caught up natively (`--bench dashboard -- DB TENANT prepare`), so
# the worker's tick inside `spin up` has nothing to catch up while measured.
# The data ends when it was made: "today" is the day it was made (the
# header says how old it is); make it afresh for figures of a full day.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
CALLS="${CALLS:-1000000}"
DAYS="${DAYS:-90}"

if ! command -v spin >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then
  echo "SKIPPED: the dashboard bench needs spin and wrk on PATH"
  exit 0
fi
build_components
cargo build --quiet --release -p switchboard-app --benches 2>/dev/null || true

PORT="$(free_port)"
# BENCH_STATE=DIR keeps the company and its data there for the next run
# (made once; later runs skip straight to the measurements).
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
# json_post <jar> <csrf> <method> <path> <body>
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
  '{"name":"bench","plan":"basic","licence_count":200,"service_start":"2026-01-01","service_end":"2099-12-31","owner":{"login_id":"bench-owner","name":"Owner","password":"owner-pass-123"}}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant"]["id"])')
call "$OP" "$csrf" PUT "/api/operator/tenants/$TENANT/lines" '{"lines":60}' >/dev/null
call "$OP" "$csrf" POST /api/operator/numbers "{\"number\":\"070-1234-5678\",\"tenant_id\":$TENANT}" >/dev/null
csrf=$(signin "$OWN" bench-owner owner-pass-123)
call "$OWN" "$csrf" PUT /api/settings/ars \
  '{"representative_number":"070-1234-5678","caller_id":null,"greeting":{"kind":"text","text":"안녕하십니까"},"out_of_hours":"상담 시간이 아닙니다","connecting":"연결합니다","busy":"통화 중입니다","busy_wait_seconds":30,"callback":"콜백"}' >/dev/null
for d in 0 1 2 3 4 5 6 7 8 9; do
  menu_id=$(call "$OWN" "$csrf" POST /api/settings/menus "{\"digit\":$d,\"kind\":\"agents\",\"queue\":\"큐 $d\",\"callback\":true}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  call "$OWN" "$csrf" PUT "/api/settings/menus/$menu_id/targets" '{"answer_rate_pct":85,"service_level_pct":80,"waiting_max":5,"longest_wait_seconds":60}' >/dev/null
done
for i in $(seq -w 1 200); do
  call "$OWN" "$csrf" POST /api/settings/agents "{\"login_id\":\"agent$i\",\"name\":\"상담사 $i\",\"password\":\"agent-pass-123\"}" >/dev/null
done
stop_spin
DB="$(find "$STATE/state" -name '*.db' | head -1)"
python3 scripts/bench/dashboard_data.py "$DB" "$TENANT" "$CALLS" "$DAYS"
echo "$TENANT" >"$STATE/ready"
start_spin
fi
TENANT="$(cat "$STATE/ready")"
DB="$(find "$STATE/state" -name 'sqlite_db.db' | head -1)"
# Schema current and roll-up caught up (natively, outside the measurements).
stop_spin
cargo bench --quiet -p switchboard-app --bench dashboard -- "$DB" "$TENANT" prepare 2>/dev/null
start_spin
csrf=$(signin "$OWN" bench-owner owner-pass-123)
cookie=$(awk '$6 == "sb_session" {print "sb_session=" $7}' "$OWN")
etag=$(curl -fsS -D - -o /dev/null -H "Cookie: $cookie" "$BASE/api/dashboard" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
[[ -n "$etag" ]] || { echo "no ETag from GET /api/dashboard" >&2; exit 1; }

# run <connections> [extra header]: "req/s p99" of one wrk run.
run() {
  local out
  local threads=2
  [[ "$1" -lt 2 ]] && threads=1
  if [[ $# -gt 1 ]]; then
    out=$(wrk -t"$threads" -c"$1" -d10s --timeout 10s --latency -H "Cookie: $cookie" -H "$2" "$BASE/api/dashboard")
  else
    out=$(wrk -t"$threads" -c"$1" -d10s --timeout 10s --latency -H "Cookie: $cookie" "$BASE/api/dashboard")
  fi
  if echo "$out" | grep -qE 'Socket errors'; then echo "$out" >&2; fi
  if [[ $# -le 1 ]] && echo "$out" | grep -qE 'Non-2xx'; then echo "$out" >&2; fi
  printf '%s %s\n' "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
}
# median3 <label> <command...>: three runs, the median req/s and p99 (each sorted on its own).
median3() {
  local label="$1" r1 r2 r3 p1 p2 p3
  shift
  read -r r1 p1 < <("$@")
  read -r r2 p2 < <("$@")
  read -r r3 p3 < <("$@")
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
print(f"{label:<58} {rps[1]:>8.0f} req/s   p99 {p99[1]:>7.2f} ms   (runs: p99 {', '.join(f'{x:.2f}' for x in p99)} ms)")
PY
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%d)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$DB" "$TENANT" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
n, last = db.execute("SELECT COUNT(*), MAX(started_ms) FROM calls WHERE tenant_id = ?", (int(sys.argv[2]),)).fetchone()
print(f"data: {n} calls, the last started {(time.time() * 1000 - last) / 3_600_000:.1f} h ago")
PY
# Where a request's time goes (one 5 s run each, 16 connections): Spin and
# the component alone (no store), + the session and account (what every
# admin request pays), then the dashboard's unchanged path.
profile() {
  local out
  out=$(wrk -t2 -c16 -d5s --latency -H "Cookie: $cookie" "$@")
  printf '%s %s\n' "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
}
echo "== where the time goes (16 connections, one 5 s run each)"
read -r r p < <(profile "$BASE/api/dashboard/health")
printf '%-58s %8.0f req/s   p99 %s\n' "GET /api/dashboard/health (no store)" "$r" "$p"
read -r r p < <(profile "$BASE/api/auth/me")
printf '%-58s %8.0f req/s   p99 %s\n' "GET /api/auth/me (session, account)" "$r" "$p"
echo "== GET /api/dashboard through spin up (wrk -d10s), median of 3"
median3 "16 pollers, every answer computed (no If-None-Match)" run 16
median3 "16 pollers, nothing changed (If-None-Match: 304)" run 16 "If-None-Match: $etag"
median3 "1 poller (no If-None-Match)" run 1
# The first answer after a change is computed: post a signed event, then
# time the next GET (20 changes, sequential).
python3 - "$BASE" "$cookie" <<'PY' || echo "first answer after an event: not measured (the event was refused; see $STATE/log)"
import hashlib, hmac, json, sys, time, urllib.request
base, cookie = sys.argv[1], sys.argv[2]
samples = []
for i in range(21):
    now = time.time()
    body = json.dumps({"events": [{"id": f"bench-fresh-{now}-{i}", "type": "call.received",
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)), "line": "07012345678",
        "call": f"bench-fresh-{now}-{i}", "from": "01012345678"}]}).encode()
    ts = str(int(now))
    sig = "v1=" + hmac.new(b"bench-webhook-secret", ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    urllib.request.urlopen(urllib.request.Request(base + "/hooks/events", data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Switchboard-Timestamp": ts, "X-Switchboard-Signature": sig}), timeout=30).read()
    t = time.monotonic()
    urllib.request.urlopen(urllib.request.Request(base + "/api/dashboard", headers={"Cookie": cookie}), timeout=30).read()
    if i:
        samples.append((time.monotonic() - t) * 1000)
samples.sort()
print(f"{'first answer after an event (computed), 1 poller':<58} n={len(samples)}  median {samples[len(samples)//2]:>7.2f} ms   max {samples[-1]:>7.2f} ms")
PY
echo "load average after the Spin half: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== the same read model directly on SQLite (native, rusqlite), median of 3"
for _ in 1 2 3; do
  cargo bench --quiet -p switchboard-app --bench dashboard -- "$DB" "$TENANT" 2>/dev/null
done | python3 -c '
import re, sys, collections
rows = collections.defaultdict(list)
for line in sys.stdin:
    m = re.match(r"(.+?)\s+n=(\d+)\s+median\s+([\d.]+) ms\s+p99\s+([\d.]+) ms", line)
    if m:
        rows[m.group(1).strip()].append((float(m.group(3)), float(m.group(4))))
for name, v in rows.items():
    med = sorted(x[0] for x in v)[len(v) // 2]
    p99 = sorted(x[1] for x in v)[len(v) // 2]
    runs = ", ".join("%.2f" % x[1] for x in v)
    print(f"{name:<58} median {med:>7.2f} ms   p99 {p99:>7.2f} ms   (runs: p99 {runs} ms)")
'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
