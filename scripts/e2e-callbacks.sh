#!/usr/bin/env bash
# End-to-end test of the callback worker on real Spin (CB-2, CB-3, RUN-4):
# `spin up` with the provider API pointing at the simulator, a demo company
# (`switchboard-simulator demo-setup`), a few hundred seeded calls played in
# burst mode (some callers ask for a callback), then the agents sign in and
# are ready, and the cron worker (every 10 s) dials every request through the
# simulator's `POST /originate`, which answers 202 or 503 by its rates and
# reports each dial's outcome as events. The company's policy is 2 attempts,
# 60 s apart. Checks, in the Spin SQLite file: every request ends completed or
# failed; completed exactly when an attempt was reported completed; failed
# only after 2 attempts; each accepted attempt is one outbound call of the
# simulator (none dialled twice); every request's transitions are recorded.
# Prints one SKIPPED line when `spin` is not on PATH.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

require_spin "callback worker end-to-end test"

CALLS="${E2E_CB_CALLS:-200}"
SEED="${E2E_CB_SEED:-20261208}"
WAIT_S="${E2E_CB_WAIT:-300}"

build_components
cargo build --quiet -p switchboard-simulator
SIM="${CARGO_TARGET_DIR:-target}/debug/switchboard-simulator"

PORT="$(free_port)"
SIM_PORT="$(free_port)"
STATE_DIR="$(mktemp -d)"
LOG="$STATE_DIR/spin.log"
BASE="http://127.0.0.1:$PORT"
SPIN_PID=""
SIM_PID=""
cleanup() {
  for pid in "$SIM_PID" "$SPIN_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -INT "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$STATE_DIR"
}
trap cleanup EXIT

fail() {
  echo "callback e2e: FAILED: $*"
  echo "--- spin output (last 30 lines) ---"
  tail -n 30 "$LOG"
  exit 1
}

export SPIN_VARIABLE_WEBHOOK_SECRET="e2e-cb-secret-$RANDOM$RANDOM"
export SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD="e2e-operator-pass"
export SPIN_VARIABLE_PROVIDER_API_URL="http://127.0.0.1:$SIM_PORT"
export SPIN_VARIABLE_PROVIDER_API_TOKEN="e2e-provider-token-$RANDOM"
spin up -f spin.toml --listen "127.0.0.1:$PORT" --state-dir "$STATE_DIR/state" >"$LOG" 2>&1 &
SPIN_PID=$!

# Preparing the Wasm modules takes a while on a busy machine.
deadline=$((SECONDS + 180))
until curl -fsS -o /dev/null "$BASE/api/health" 2>/dev/null; do
  kill -0 "$SPIN_PID" 2>/dev/null || fail "spin up exited"
  ((SECONDS < deadline)) || fail "no answer on $BASE within 180 s"
  sleep 0.3
done

OWNER_PASS=e2e-owner-pass-1
"$SIM" demo-setup --base-url "$BASE" --owner-password "$OWNER_PASS" >/dev/null || fail "demo-setup"

# The company's callback policy: 2 attempts, 60 s apart.
JAR="$STATE_DIR/cookies"
CSRF=$(curl -fsS -c "$JAR" -H 'content-type: application/json' \
  -d "{\"login_id\":\"demo-admin\",\"password\":\"$OWNER_PASS\"}" "$BASE/api/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])') || fail "owner sign-in"
curl -fsS -b "$JAR" -H "X-CSRF-Token: $CSRF" -H 'content-type: application/json' -X PUT \
  -d '{"max_attempts":2,"retry_delay_seconds":60,"expiry_hours":168}' \
  "$BASE/api/settings/work/callbacks" >/dev/null || fail "saving the callback policy"

# The traffic, played yesterday from 08:30 in Seoul (office hours 09-18), so
# every request is due now; then the simulator keeps answering originate
# requests.
START="$(python3 -c 'import datetime as d; z=d.timezone(d.timedelta(hours=9)); t=d.datetime.now(z)-d.timedelta(days=1); print(t.strftime("%Y-%m-%dT08:30:00+09:00"))')"
"$SIM" run --base-url "$BASE" --seed "$SEED" --calls "$CALLS" --burst --start "$START" --open 09:00-18:00 \
  --listen "127.0.0.1:$SIM_PORT" --originate-success 0.6 --originate-no-answer 0.25 \
  --originate-error 0.1 --serve >"$STATE_DIR/sim.log" 2>&1 &
SIM_PID=$!

DB=""
deadline=$((SECONDS + 120))
prev=-1
while :; do
  kill -0 "$SIM_PID" 2>/dev/null || fail "the simulator exited: $(tail -5 "$STATE_DIR/sim.log")"
  [[ -n "$DB" ]] || DB="$(find "$STATE_DIR/state" -name '*.db' -path '*sqlite*' | head -1)"
  [[ -n "$DB" ]] || DB="$(find "$STATE_DIR/state" -name '*.db' | head -1)"
  if [[ -n "$DB" ]]; then
    n=$(python3 -c "import sqlite3,sys; print(sqlite3.connect('file:$DB?mode=ro', uri=True).execute(\"SELECT COUNT(*) FROM telephony_events WHERE type LIKE 'agent.logout'\").fetchone()[0])" 2>/dev/null || echo 0)
    # The traffic is over once the agents' sign-outs stop coming.
    [[ "$n" -ge 6 && "$n" == "$prev" ]] && break
    prev=$n
  fi
  ((SECONDS < deadline)) || fail "the simulator's traffic did not end within 120 s"
  sleep 2
done
REQUESTED=$(python3 -c "import sqlite3; print(sqlite3.connect('file:$DB?mode=ro', uri=True).execute('SELECT COUNT(*) FROM callbacks').fetchone()[0])")
[[ "$REQUESTED" -gt 0 ]] || fail "the simulated callers asked for no callback (seed $SEED)"
echo "  traffic played; $REQUESTED callbacks requested"

# The agents sign in and are ready (signed events, as the provider sends).
python3 - "$BASE" "$SPIN_VARIABLE_WEBHOOK_SECRET" <<'PY' || fail "signing the agents in"
import datetime, hashlib, hmac, json, sys, time, urllib.request
base, secret = sys.argv[1], sys.argv[2]
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
events = []
for i in range(1, 7):  # demo-setup's agent01..agent06
    a = f"agent{i:02d}"
    events.append({"id": f"e2e-login-{a}", "type": "agent.login", "at": now, "line": "070-4000-1234",
                   "agent": a, "session": f"e2e-{a}", "platform": "pc", "ip": "10.0.0.1"})
    events.append({"id": f"e2e-ready-{a}", "type": "agent.state", "at": now, "line": "070-4000-1234",
                   "agent": a, "state": "ready"})
body = json.dumps({"events": events}).encode()
ts = int(time.time())
sig = "v1=" + hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
req = urllib.request.Request(base + "/hooks/events", data=body, method="POST", headers={
    "content-type": "application/json", "x-switchboard-timestamp": str(ts), "x-switchboard-signature": sig})
urllib.request.urlopen(req).read()
PY

started=$SECONDS
deadline=$((SECONDS + WAIT_S))
while :; do
  open=$(python3 -c "import sqlite3; print(sqlite3.connect('file:$DB?mode=ro', uri=True).execute(\"SELECT COUNT(*) FROM callbacks WHERE status = 'requested'\").fetchone()[0])")
  [[ "$open" == 0 ]] && break
  ((SECONDS < deadline)) || fail "$open callbacks still open after $WAIT_S s"
  sleep 3
done
echo "  every callback settled in $((SECONDS - started)) s"
sleep 12 # one more tick records the last transitions

python3 - "$DB" <<'PY' || fail "the callbacks' records do not agree"
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
q = lambda sql: db.execute(sql).fetchall()
checks = []
def check(name, ok, detail=""):
    checks.append(ok)
    print(f"  {'ok  ' if ok else 'FAIL'} {name} {detail}")
status = dict(q("SELECT status, COUNT(*) FROM callbacks GROUP BY 1"))
check("every request completed or failed", set(status) <= {"completed", "failed"}, str(status))
check("some completed and some failed, as the rates make likely", status.get("completed", 0) > 0, str(status))
bad = q("""SELECT c.id, c.status FROM callbacks c WHERE (c.status = 'completed') !=
           EXISTS (SELECT 1 FROM callback_attempts a WHERE a.callback_id = c.id AND a.outcome = 'completed')""")
check("completed exactly when an attempt was reported completed", not bad, str(bad[:5]))
bad = q("""SELECT c.id, (SELECT COUNT(*) FROM callback_attempts a WHERE a.callback_id = c.id) n FROM callbacks c
           WHERE c.status = 'failed' AND n <> 2""")
check("failed only after the 2 attempts of the policy", not bad, str(bad[:5]))
bad = q("""SELECT a.callback_id, COUNT(*) FROM callback_attempts a WHERE a.provider_status = 202
           GROUP BY 1 HAVING COUNT(*) <> (SELECT COUNT(*) FROM calls o WHERE o.outbound_callback = a.callback_id)""")
check("each accepted attempt is one outbound call of the simulator (none dialled twice)", not bad, str(bad[:5]))
dup = q("SELECT callback_id, attempt, COUNT(*) FROM callback_attempts GROUP BY 1, 2 HAVING COUNT(*) > 1")
check("one row per attempt", not dup, str(dup[:5]))
outcomes = dict(q("SELECT COALESCE(outcome, 'none'), COUNT(*) FROM callback_attempts GROUP BY 1"))
print(f"  attempts by outcome: {outcomes}")
missing = q("""SELECT c.id FROM callbacks c WHERE NOT EXISTS (SELECT 1 FROM callback_transitions t
             WHERE t.callback_id = c.id AND t.to_state = c.status)""")
check("every request's final state is a recorded transition", not missing, str(missing[:5]))
print(f"  {sum(checks)} of {len(checks)} checks pass")
sys.exit(0 if all(checks) else 1)
PY

echo "callback e2e: passed ($REQUESTED callbacks, seed $SEED, $(spin --version))"
