#!/usr/bin/env bash
# Real-Spin smoke test: `spin up` on a free loopback port, every component's
# health route, the storage conformance suite inside a real component, the web
# UI, and one run of the cron worker. Prints one SKIPPED line when `spin` is
# not on PATH (the native suite covers the same handlers without it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

require_spin "real-Spin smoke test"

build_components

PORT="$(free_port)"
STATE_DIR="$(mktemp -d)"
LOG="$STATE_DIR/spin.log"
BASE="http://127.0.0.1:$PORT"
SPIN_PID=""
cleanup() {
  if [[ -n "$SPIN_PID" ]] && kill -0 "$SPIN_PID" 2>/dev/null; then
    kill -INT "$SPIN_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SPIN_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SPIN_PID" 2>/dev/null || true
  fi
  rm -rf "$STATE_DIR"
}
trap cleanup EXIT

SPIN_VARIABLE_STORAGE_SELFTEST=true SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD=smoke-operator-pass \
  SPIN_VARIABLE_WEBHOOK_SECRET=smoke-webhook-secret \
  spin up -f spin.toml --listen "127.0.0.1:$PORT" --state-dir "$STATE_DIR/state" >"$LOG" 2>&1 &
SPIN_PID=$!

fail() {
  echo "spin smoke: FAILED: $*"
  echo "--- spin output (last 40 lines) ---"
  tail -n 40 "$LOG"
  exit 1
}

deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null "$BASE/api/health" 2>/dev/null; do
  kill -0 "$SPIN_PID" 2>/dev/null || fail "spin up exited"
  ((SECONDS < deadline)) || fail "no answer on $BASE within 60 s"
  sleep 0.3
done

checks=0
expect() { # name, command...
  local name="$1"
  shift
  if "$@"; then
    checks=$((checks + 1))
    echo "  ok   $name"
  else
    fail "$name"
  fi
}

health_is() { # path component
  curl -fsS "$BASE$1" | grep -q "\"component\":\"$2\""
}
for pair in /api/health:web /api/auth/health:accounts /api/dashboard/health:dashboard \
  /api/settings/health:settings /api/history/health:history /hooks/health:hooks \
  /api/agent/health:agent; do
  expect "GET ${pair%%:*} answered by ${pair##*:}" health_is "${pair%%:*}" "${pair##*:}"
done

selftest() {
  local out
  out="$(curl -fsS -X POST "$BASE/api/system/storage-selftest")" || return 1
  echo "       $out"
  [[ "$out" == *'"key_value_checks":11'* && "$out" == *'"sql_checks":10'* ]]
}
expect "storage conformance suite inside a component" selftest
expect "GET / serves the UI" bash -c "curl -fsS '$BASE/' | grep -q Switchboard"
expect "GET /api/openapi.json" bash -c "curl -fsS '$BASE/api/openapi.json' | grep -q '\"openapi\"'"
expect "unknown API path is a JSON 404" bash -c \
  "[[ \$(curl -s -o /dev/null -w '%{http_code}' '$BASE/api/dashboard/nope') == 404 ]]"

sign_in_round_trip() {
  local jar="$STATE_DIR/cookies" csrf
  csrf="$(curl -fsS -c "$jar" -H 'content-type: application/json' \
    -d '{"login_id":"operator","password":"smoke-operator-pass"}' "$BASE/api/auth/login" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')" || return 1
  curl -fsS -b "$jar" "$BASE/api/auth/me" | grep -q '"role":"operator"' || return 1
  [[ $(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -X POST "$BASE/api/auth/logout") == 403 ]] || return 1
  [[ $(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H "x-csrf-token: $csrf" -X POST "$BASE/api/auth/logout") == 204 ]] || return 1
  [[ $(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$BASE/api/auth/me") == 401 ]]
}
expect "sign-in, session, CSRF-checked sign-out (argon2 and key-value inside wasm)" sign_in_round_trip

# Memory of the Spin process tree in KiB: the sum of VmRSS now (`rss`) or of
# the peak since the last `reset_peak` (`peak`).
spin_pids() { echo "$SPIN_PID"; pgrep -P "$SPIN_PID" || true; }
mem_kb() { # rss|peak
  local field=VmRSS total=0 pid kb
  [[ "$1" == peak ]] && field=VmHWM
  for pid in $(spin_pids); do
    kb=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}
reset_peak() { local pid; for pid in $(spin_pids); do echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true; done; }

# Requests served at once by one instance share its SQLite connection and
# wait on each other: 200 requests, 16 at a time, all answer 200 (a task
# waking another must not abort the instance).
concurrent_requests_all_answer() {
  local codes
  codes=$(seq 200 | xargs -P 16 -I{} curl -s -o /dev/null -w '%{http_code}\n' "$BASE/api/auth/health" | sort | uniq -c)
  echo "       $codes"
  [[ "$(echo "$codes" | awk '{print $2}')" == "200" ]]
}
expect "200 concurrent requests (16 at a time) all answer 200" concurrent_requests_all_answer

# A 50 MB streamed download (the path of recordings and exports) keeps the
# Spin process within 32 MB of its idle size, and a Range request gets
# exactly its bytes.
streams_in_bounded_memory() {
  local idle peak size
  curl -fsS -o /dev/null "$BASE/api/system/stream-selftest?bytes=1024" || return 1
  idle=$(mem_kb rss)
  reset_peak
  size=$(curl -fsS -o /dev/null -w '%{size_download}' "$BASE/api/system/stream-selftest?bytes=52428800") || return 1
  peak=$(mem_kb peak)
  echo "       50 MB download: idle $((idle / 1024)) MB, peak $((peak / 1024)) MB, growth $(((peak - idle) / 1024)) MB"
  [[ "$size" == 52428800 ]] || return 1
  ((peak - idle < 32 * 1024)) || return 1
  [[ "$(curl -fsS -H 'Range: bytes=1000-1003' "$BASE/api/system/stream-selftest?bytes=52428800" | od -An -tu1 | tr -s ' ')" == " 247 248 249 250" ]] || return 1
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H 'Range: bytes=99-' "$BASE/api/system/stream-selftest?bytes=10") == 416 ]]
}
expect "a 50 MB response streams through spin in bounded memory; Range and 416" streams_in_bounded_memory

# A chunked upload far over the route's limit (300 MB against 64 KiB) is
# refused with 413 while Spin's memory stays bounded (issue 7, item 1).
chunked_upload_is_refused_early() {
  local idle peak code
  idle=$(mem_kb rss)
  reset_peak
  code=$(head -c 314572800 /dev/zero | curl -s -o /dev/null -w '%{http_code}' \
    -H 'Transfer-Encoding: chunked' -H 'content-type: application/json' \
    --data-binary @- "$BASE/api/auth/login")
  peak=$(mem_kb peak)
  echo "       300 MB chunked upload: answered $code, growth $(((peak - idle) / 1024)) MB"
  [[ "$code" == 413 ]] && ((peak - idle < 64 * 1024))
}
expect "a 300 MB chunked upload is refused with 413 in bounded memory" chunked_upload_is_refused_early

# MON (issue 15): an event /hooks/events acknowledged is in the very next
# GET /api/dashboard through spin up, and an unchanged dashboard is a 304.
dashboard_is_fresh() {
  python3 - "$BASE" <<'PY'
import hashlib, hmac, http.cookiejar, json, sys, time, urllib.error, urllib.request
base = sys.argv[1]
jar = http.cookiejar.CookieJar()
web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
csrf = None
def call(method, path, body=None, headers=None):
    h = {"Content-Type": "application/json", "Accept": "application/json", **(headers or {})}
    if csrf and method != "GET":
        h["X-CSRF-Token"] = csrf
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method, headers=h)
    try:
        with web.open(req, timeout=10) as r:
            return r.status, dict(r.headers), json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), None
def signin(login, password):
    global csrf
    jar.clear()
    csrf = None
    csrf = call("POST", "/api/auth/login", {"login_id": login, "password": password})[2]["csrf_token"]
signin("operator", "smoke-operator-pass")
call("POST", "/api/operator/tenants", {"name": "smoke", "plan": "basic", "licence_count": 5, "service_start": "2026-01-01",
     "service_end": "2099-12-31", "owner": {"login_id": "smoke-owner", "name": "Owner", "password": "owner-pass-123"}})
tenant_id = call("GET", "/api/operator/tenants")[2]["items"][-1]["id"]
call("POST", "/api/operator/numbers", {"number": "070-5555-0001", "tenant_id": tenant_id})
signin("smoke-owner", "owner-pass-123")
call("PUT", "/api/settings/ars", {"representative_number": "070-5555-0001", "caller_id": None,
     "greeting": {"kind": "text", "text": "안녕하십니까"}, "out_of_hours": "상담 시간이 아닙니다", "connecting": "연결합니다",
     "busy": "통화 중입니다", "busy_wait_seconds": 30, "callback": "콜백"})
call("POST", "/api/settings/menus", {"digit": 1, "kind": "agents", "queue": "상담"})
status, headers, before = call("GET", "/api/dashboard")
etag = headers.get("ETag") or headers.get("etag")
assert status == 200 and etag, (status, headers)
assert call("GET", "/api/dashboard", headers={"If-None-Match": etag})[0] == 304
now = time.time()
at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 5))
body = json.dumps({"events": [
    {"id": "smoke-1", "type": "call.received", "at": at, "line": "07055550001", "call": "smoke-c1", "from": "01012345678"},
    {"id": "smoke-2", "type": "call.queued", "at": at, "line": "07055550001", "call": "smoke-c1", "digit": 1}]}).encode()
ts = str(int(now))
sig = "v1=" + hmac.new(b"smoke-webhook-secret", ts.encode() + b"." + body, hashlib.sha256).hexdigest()
req = urllib.request.Request(base + "/hooks/events", data=body, method="POST", headers={
    "Content-Type": "application/json", "X-Switchboard-Timestamp": ts, "X-Switchboard-Signature": sig})
with urllib.request.urlopen(req, timeout=10) as r:
    assert r.status == 200
t = time.monotonic()
status, _, after = call("GET", "/api/dashboard", headers={"If-None-Match": etag})
took = (time.monotonic() - t) * 1000
assert status == 200, status
waiting = [q["waiting"] for q in after["queues"] if q["digit"] == 1]
assert waiting == [1] and after["summary"]["total_inbound"] == before["summary"]["total_inbound"] + 1, after
print(f"       the next answer shows the caller waiting ({took:.0f} ms after the acknowledgement)")
PY
}
expect "an acknowledged event is in the next GET /api/dashboard; nothing new is a 304" dashboard_is_fresh

worker_ran() {
  local deadline=$((SECONDS + 30))
  until curl -fsS "$BASE/api/health" | grep -q '"worker_last_tick":"'; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
  grep -rqs "callback-worker tick at" "$LOG" "$STATE_DIR/state/logs"
}
expect "the cron worker ran once (worker_last_tick set)" worker_ran

echo "spin smoke: $checks checks passed ($(spin --version))"
