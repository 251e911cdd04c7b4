#!/usr/bin/env bash
# Benchmarks (BENCHMARKS.md records the figures with machine and date).
#   scripts/bench.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%d)"
echo
echo "== native (release build, in-memory stores)"
cargo bench --quiet -p switchboard-app --bench sign_in 2>/dev/null | grep -E 'median|^machine' || true

echo
echo "== inside Spin (wasm32-wasip2 components)"
if ! command -v spin >/dev/null 2>&1; then
  echo "SKIPPED: spin not found on PATH"
  exit 0
fi
build_components
PORT="$(free_port)"
STATE_DIR="$(mktemp -d)"
WEBHOOK_SECRET=bench-webhook-secret
SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD=benchmark-password SPIN_VARIABLE_WEBHOOK_SECRET="$WEBHOOK_SECRET" \
  spin up -f spin.toml --listen "127.0.0.1:$PORT" --state-dir "$STATE_DIR" >"$STATE_DIR/log" 2>&1 &
SPIN_PID=$!
# Cleanup: spin may have exited on the INT already.
trap 'kill -INT $SPIN_PID 2>/dev/null; sleep 1; kill -KILL $SPIN_PID 2>/dev/null || :; rm -rf "$STATE_DIR"' EXIT
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/health" 2>/dev/null; do sleep 0.3; done
login() {
  curl -s -o /dev/null -w '%{time_total}\n' -H 'content-type: application/json' \
    -d '{"login_id":"operator","password":"benchmark-password"}' "http://127.0.0.1:$PORT/api/auth/login"
}
login >/dev/null # bootstrap the operator
for _ in $(seq 20); do login; done | sort -n | awk '{a[NR]=$1} END {printf "%-44s n=%-4d median %8.2f ms   p95 %8.2f ms\n", "POST /api/auth/login through spin up", NR, a[int(NR/2)+1]*1000, a[int(NR*0.95)]*1000}'
JAR="$STATE_DIR/cookies"
curl -s -o /dev/null -c "$JAR" -H 'content-type: application/json' \
  -d '{"login_id":"operator","password":"benchmark-password"}' "http://127.0.0.1:$PORT/api/auth/login"
for _ in $(seq 100); do
  curl -s -o /dev/null -b "$JAR" -w '%{time_total}\n' "http://127.0.0.1:$PORT/api/auth/me"
done | sort -n | awk '{a[NR]=$1} END {printf "%-44s n=%-4d median %8.2f ms   p95 %8.2f ms\n", "GET /api/auth/me through spin up", NR, a[int(NR/2)+1]*1000, a[int(NR*0.95)]*1000}'

echo
echo "== request floor through spin up (wrk -t2 -c16 -d10s; the app's rates as a fraction of an empty handler's)"
if ! command -v wrk >/dev/null 2>&1; then
  if [[ "$(id -u)" -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null 2>&1 || true
  fi
fi
if ! command -v wrk >/dev/null 2>&1; then
  echo "SKIPPED: wrk not found (apt-get install wrk)"
  exit 0
fi
cargo build --quiet --target wasm32-wasip2 --release -p switchboard-bench-empty
# rate <url> [header]: requests per second and p99 latency of one wrk run.
rate() {
  local out
  if [[ $# -gt 1 ]]; then
    out=$(wrk -t2 -c16 -d10s --latency -H "$2" "$1")
  else
    out=$(wrk -t2 -c16 -d10s --latency "$1")
  fi
  if echo "$out" | grep -qE 'Non-2xx|Socket errors'; then
    echo "$out" >&2
  fi
  printf '%s %s\n' "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
}
EMPTY_PORT="$(free_port)"
spin up -f tools/bench-empty/spin.toml --listen "127.0.0.1:$EMPTY_PORT" --state-dir "$STATE_DIR/empty" >"$STATE_DIR/empty.log" 2>&1 &
EMPTY_PID=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$EMPTY_PORT/" 2>/dev/null; do sleep 0.3; done
read -r empty_rps empty_p99 < <(rate "http://127.0.0.1:$EMPTY_PORT/")
read -r kv_rps kv_p99 < <(rate "http://127.0.0.1:$EMPTY_PORT/kv")
kill -INT "$EMPTY_PID" 2>/dev/null; wait "$EMPTY_PID" 2>/dev/null || true
read -r health_rps health_p99 < <(rate "http://127.0.0.1:$PORT/api/health")
cookie=$(awk '$6 == "sb_session" {print "sb_session=" $7}' "$JAR")
read -r me_rps me_p99 < <(rate "http://127.0.0.1:$PORT/api/auth/me" "Cookie: $cookie")
report_rate() { # name rps p99
  awk -v n="$1" -v r="$2" -v p="$3" -v e="$empty_rps" \
    'BEGIN {printf "%-44s %9.0f req/s   p99 %8s   %.2f x empty\n", n, r, p, r / e}'
}
report_rate "empty handler (tools/bench-empty)" "$empty_rps" "$empty_p99"
report_rate "empty handler + one key-value get" "$kv_rps" "$kv_p99"
report_rate "GET /api/health" "$health_rps" "$health_p99"
report_rate "GET /api/auth/me (signed in)" "$me_rps" "$me_p99"

echo
echo "== ingest through spin up (POST /hooks/events, signed, every event new; wrk -t2 -c16)"
# A tenant whose representative number the events name.
PASS=benchmark-password
OP_JAR="$STATE_DIR/op"
csrf=$(curl -s -c "$OP_JAR" -H 'content-type: application/json' \
  -d "{\"login_id\":\"operator\",\"password\":\"$PASS\"}" "http://127.0.0.1:$PORT/api/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
curl -s -o /dev/null -b "$OP_JAR" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
  -d '{"name":"bench","plan":"basic","licence_count":10,"service_start":"2026-01-01","service_end":"2099-12-31","owner":{"login_id":"bench-owner","name":"Owner","password":"owner-pass-123"}}' \
  "http://127.0.0.1:$PORT/api/operator/tenants"
# The operator provisions the company's numbers (it chooses among its own).
for number in 070-1234-5678 02-123-4567; do
  curl -s -o /dev/null -b "$OP_JAR" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d "{\"number\":\"$number\",\"tenant_id\":1}" "http://127.0.0.1:$PORT/api/operator/numbers"
done
OWN_JAR="$STATE_DIR/own"
csrf=$(curl -s -c "$OWN_JAR" -H 'content-type: application/json' \
  -d '{"login_id":"bench-owner","password":"owner-pass-123"}' "http://127.0.0.1:$PORT/api/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
curl -s -o /dev/null -w '' -b "$OWN_JAR" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -X PUT \
  -d '{"representative_number":"070-1234-5678","caller_id":"02-123-4567","greeting":{"kind":"text","text":"안녕하십니까"},"out_of_hours":"상담 시간이 아닙니다","connecting":"연결합니다","busy":"통화 중입니다","busy_wait_seconds":30,"callback":"콜백"}' \
  "http://127.0.0.1:$PORT/api/settings/ars"
# ingest_rate <events per request> <requests to prepare> <seconds>
ingest_rate() {
  local file="$STATE_DIR/requests-$1" out
  python3 scripts/bench/ingest_requests.py "$WEBHOOK_SECRET" 07012345678 "$2" "$1" "$file"
  out=$(REQUESTS_FILE="$file" wrk -t2 -c16 -d"$3"s --latency -s scripts/bench/ingest.lua "http://127.0.0.1:$PORT" -- 2)
  if echo "$out" | grep -qE 'Non-2xx|Socket errors'; then echo "$out" >&2; fi
  printf '%s %s\n' "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
}
read -r one_rps one_p99 < <(ingest_rate 1 120000 10)
read -r batch_rps batch_p99 < <(ingest_rate 50 6000 5)
report_rate "one event per request" "$one_rps" "$one_p99"
awk -v r="$batch_rps" -v p="$batch_p99" -v e="$empty_rps" \
  'BEGIN {printf "%-44s %9.0f req/s   p99 %8s   %.0f events/s = %.2f x empty req/s\n", "batches of 50 events", r, p, r * 50, r * 50 / e}'
stored=$(python3 - "$STATE_DIR" <<'PY'
import glob, sqlite3, sys
dbs = glob.glob(sys.argv[1] + "/**/*.db", recursive=True)
for db in dbs:
    try:
        n = sqlite3.connect(db).execute("SELECT COUNT(*) FROM telephony_events WHERE tenant_id IS NOT NULL").fetchone()[0]
        print(n); break
    except Exception:
        pass
PY
)
echo "events stored: ${stored:-?} (every request carried new events; the count includes both runs)"
