#!/usr/bin/env bash
# Statistics through `spin up` (issue 17; BENCHMARKS.md "Statistics and the
# roll-up"): the dashboard bench's company (1 000 000 calls over 90 days,
# 200 agents with their states, 10 queues — ARS digits 0-9 allow no more;
# scripts/bench/dashboard_data.py), then
# - the roll-up of all of it through the worker's tick (POST
#   /api/operator/worker/tick until nothing is behind; the roll-up step's own
#   time summed, calls per second);
# - GET /api/stats/queues for the 31 days ending today by day and by hour
#   (wrk -t1 -c1 -d10s, p99; three runs, the median);
# - the XLSX of agents by hour over 21 days (GET /api/stats/export), three
#   runs, the median time, and the spin process's peak resident memory
#   (VmHWM) before and after: the component's memory for the export;
# - the same requests natively on the same SQLite file beside the same SQL
#   on raw SQLite (cargo bench --bench stats -- DB TENANT), three runs.
#
#   BENCH_STATE=DIR bash scripts/bench/stats.sh   (a second run reuses DIR's
#   company and roll-up; CALLS=… DAYS=… to resize a first run)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
CALLS="${CALLS:-1000000}"
DAYS="${DAYS:-90}"

if ! command -v spin >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then
  echo "SKIPPED: the statistics bench needs spin and wrk on PATH"
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
if [[ ! -f "$STATE/ready" ]]; then

# json_post <jar> <csrf> <method> <path> <body>
call() {
  curl -fsS -b "$1" -H "x-csrf-token: $2" -H 'content-type: application/json' -X "$3" -d "$5" "$BASE$4"
}
signin() { # jar login password -> csrf
  curl -fsS -c "$1" -H 'content-type: application/json' -d "{\"login_id\":\"$2\",\"password\":\"$3\"}" \
    "$BASE/api/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])'
}
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
DB="$(find "$STATE/state" -name '*.db' | head -1)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%d)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The spin process's peak resident memory (kB).
hwm() { awk '/VmHWM/ {print $2}' "/proc/$SPIN_PID/status"; }

if [[ ! -f "$STATE/rolled" ]]; then
  echo "== the roll-up of $CALLS calls through the worker's tick (spin up)"
  csrf=$(signin "$OP" operator benchmark-password)
  python3 - "$BASE" "$OP" "$csrf" "$CALLS" "$DAYS" <<'PY'
import http.cookiejar, json, sys, time, urllib.request
base, jar_path, csrf, calls, days = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
jar = http.cookiejar.MozillaCookieJar(jar_path)
jar.load(ignore_discard=True, ignore_expires=True)
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
step_ms = ticks = hours = 0
t = time.monotonic()
while True:
    req = urllib.request.Request(base + "/api/operator/worker/tick", data=b"", method="POST",
                                 headers={"x-csrf-token": csrf})
    report = json.load(opener.open(req, timeout=600))
    ticks += 1
    step = next(s for s in report["steps"] if s["name"] == "rollup")
    step_ms += step["duration_ms"]
    hours += step.get("hours_rolled", 0)
    if step.get("hours_behind", 0) == 0:
        break
wall = time.monotonic() - t
# The cron trigger ticks too (every 10 s): count the calls of the hours
# these ticks rolled (the calls are spread evenly).
mine = calls * min(1.0, hours / (days * 24))
print(f"roll-up through spin up: {ticks} ticks rolled {hours} hours (~{mine:.0f} calls), step time "
      f"{step_ms / 1000:.1f} s = {mine / (step_ms / 1000):.0f} calls/s (wall {wall:.1f} s = {mine / wall:.0f} calls/s)")
PY
  touch "$STATE/rolled"
fi

csrf=$(signin "$OWN" bench-owner owner-pass-123)
cookie=$(awk '$6 == "sb_session" {print "sb_session=" $7}' "$OWN")
read -r FROM31 FROM21 TODAY < <(python3 -c '
import datetime, zoneinfo
d = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Seoul")).date()
print(d - datetime.timedelta(days=30), d - datetime.timedelta(days=20), d)')

# p99 <path>: the p99 (ms) of one wrk run, one connection, 10 s.
p99() {
  local out
  out=$(wrk -t1 -c1 -d10s --timeout 10s --latency -H "Cookie: $cookie" "$BASE$1")
  if echo "$out" | grep -qE 'Non-2xx|Socket errors'; then echo "$out" >&2; fi
  python3 - "$(echo "$out" | awk '$1 == "99%" {print $2}')" "$(echo "$out" | awk '$1 == "50%" {print $2}')" <<'PY'
import sys
def ms(s):
    for unit, f in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if s.endswith(unit):
            return float(s[: -len(unit)]) * f
    return float(s)
print(f"{ms(sys.argv[2]):.2f} {ms(sys.argv[1]):.2f}")
PY
}
echo "== GET /api/stats/queues through spin up, 31 days ($FROM31 ~ $TODAY), wrk -c1 -d10s, median of 3"
for g in day hour; do
  path="/api/stats/queues?from=$FROM31&to=$TODAY&granularity=$g"
  curl -fsS -o /dev/null -H "Cookie: $cookie" "$BASE$path"
  runs=$( { p99 "$path"; p99 "$path"; p99 "$path"; } | tr '\n' ' ')
  python3 -c '
import sys
g, v = sys.argv[1], [float(x) for x in sys.argv[2].split()]
med, p99 = sorted(v[0::2]), sorted(v[1::2])
print(f"31 days by {g:<4} (queues): median {med[1]:7.2f} ms  p99 {p99[1]:7.2f} ms  (runs: p99 {", ".join(f"{x:.2f}" for x in v[1::2])} ms)")' "$g" "$runs"
done

echo "== XLSX of agents by hour, 21 days ($FROM21 ~ $TODAY), through spin up, median of 3"
path="/api/stats/export?report=agents&format=xlsx&granularity=hour&from=$FROM21&to=$TODAY"
before=$(hwm)
times=()
for _ in 1 2 3; do
  times+=("$(curl -fsS -o "$STATE/export.xlsx" -w '%{time_total}' -H "Cookie: $cookie" "$BASE$path")")
done
after=$(hwm)
rows=$(python3 -c '
import re, sys, zipfile
x = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode()
print(len(re.findall("<row ", x)))' "$STATE/export.xlsx")
python3 -c '
import sys
t = sorted(float(x) for x in sys.argv[1:4])
print(f"XLSX: {sys.argv[4]} sheet rows, {int(sys.argv[5]) // 1024} KB, median {t[1]:.2f} s (runs {", ".join(f"{x:.2f}" for x in t)} s); "
      f"spin peak RSS {int(sys.argv[6]) // 1024} MB before the exports, {int(sys.argv[7]) // 1024} MB after")' \
  "${times[@]}" "$rows" "$(stat -c %s "$STATE/export.xlsx")" "$before" "$after"

echo "== the same requests natively on the same SQLite file, beside the same SQL on raw SQLite"
for _ in 1 2 3; do
  cargo bench --quiet -p switchboard-app --bench stats -- "$DB" "$TENANT" 2>/dev/null
done
