#!/usr/bin/env bash
# End-to-end test of the provider simulator against real Spin (TEL-5): `spin
# up` on a free loopback port with a webhook secret, a tenant set up through
# the app's own API (`switchboard-simulator demo-setup`), a few hundred
# seeded calls in burst mode, then the app's stored figures (the Spin SQLite
# file) compared with the simulator's summary: events stored, total inbound,
# calls per result, and offered / answered / abandoned / callback per queue.
# Prints one SKIPPED line when `spin` is not on PATH.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

require_spin "simulator end-to-end test"

CALLS="${E2E_CALLS:-300}"
SEED="${E2E_SEED:-20261201}"

build_components
cargo build --quiet -p switchboard-simulator
SIM="${CARGO_TARGET_DIR:-target}/debug/switchboard-simulator"

PORT="$(free_port)"
SIM_PORT="$(free_port)"
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

fail() {
  echo "simulator e2e: FAILED: $*"
  echo "--- spin output (last 40 lines) ---"
  tail -n 40 "$LOG"
  exit 1
}

export SPIN_VARIABLE_WEBHOOK_SECRET="e2e-webhook-secret-$RANDOM$RANDOM"
export SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD="e2e-operator-pass"
spin up -f spin.toml --listen "127.0.0.1:$PORT" --state-dir "$STATE_DIR/state" >"$LOG" 2>&1 &
SPIN_PID=$!

deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null "$BASE/api/health" 2>/dev/null; do
  kill -0 "$SPIN_PID" 2>/dev/null || fail "spin up exited"
  ((SECONDS < deadline)) || fail "no answer on $BASE within 60 s"
  sleep 0.3
done

"$SIM" demo-setup --base-url "$BASE" --owner-password e2e-owner-pass-1 || fail "demo-setup"

started=$SECONDS
"$SIM" run --base-url "$BASE" --seed "$SEED" --calls "$CALLS" --burst \
  --start "2026-12-01T08:30:00+09:00" --open 09:00-18:00 \
  --listen "127.0.0.1:$SIM_PORT" --summary-json "$STATE_DIR/summary.json" || fail "simulator run"
echo "  simulator sent its traffic in $((SECONDS - started)) s"

DB="$(find "$STATE_DIR/state" -name '*.db' -path '*sqlite*' | head -1)"
[[ -n "$DB" ]] || DB="$(find "$STATE_DIR/state" -name '*.db' | head -1)"
[[ -n "$DB" ]] || fail "no SQLite file under $STATE_DIR/state"

# The app's figures against the simulator's summary.
python3 - "$DB" "$STATE_DIR/summary.json" <<'PY' || fail "the app's stored figures differ from the simulator's summary"
import json, sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
s = json.load(open(sys.argv[2]))
q = lambda sql: db.execute(sql).fetchall()
checks = []
def check(name, app, sim):
    ok = app == sim
    checks.append(ok)
    print(f"  {'ok  ' if ok else 'DIFF'} {name:<44} app {app}  simulator {sim}")

check("events stored", q("SELECT COUNT(*) FROM telephony_events")[0][0], s["events_sent"])
check("events unrouted", q("SELECT COUNT(*) FROM telephony_events WHERE tenant_id IS NULL")[0][0], 0)
check("total inbound", q("SELECT COUNT(*) FROM calls WHERE direction = 'inbound'")[0][0], s["total_inbound"])
app_results = {r: n for r, n in q("SELECT COALESCE(result, 'in_progress'), COUNT(*) FROM calls GROUP BY 1")}
check("calls per result", app_results, s["results"])
app_queues = {}
for digit, result, n in q("SELECT digit, result, COUNT(*) FROM calls WHERE queued = 1 AND direction = 'inbound' GROUP BY 1, 2"):
    d = app_queues.setdefault(str(digit), {"offered": 0, "answered": 0, "abandoned": 0, "callback": 0})
    d["offered"] += n
    if result in d:
        d[result] += n
check("per queue offered/answered/abandoned/callback", app_queues, s["queues"])
check("recordings", q("SELECT COUNT(*) FROM recordings")[0][0], s["recordings"])
check("callbacks requested", q("SELECT COUNT(*) FROM callbacks")[0][0], s["callbacks_requested"])
check("agents with a session (agent IDs resolved)",
      q("SELECT COUNT(DISTINCT agent_id) FROM agent_sessions WHERE agent_id IS NOT NULL")[0][0], s["agents_logged_in"])
check("answered calls without an agent", q("SELECT COUNT(*) FROM calls WHERE result = 'answered' AND agent_id IS NULL")[0][0], 0)
check("agents signed in at the end",
      q("SELECT COUNT(*) FROM agent_sessions WHERE logout_ms IS NULL")[0][0], s["agents_logged_in_at_end"])
print(f"  {sum(checks)} of {len(checks)} figures agree")
sys.exit(0 if all(checks) else 1)
PY

# A redelivery of the same seed changes nothing (idempotent ingest).
"$SIM" run --base-url "$BASE" --seed "$SEED" --calls "$CALLS" --burst \
  --start "2026-12-01T08:30:00+09:00" --open 09:00-18:00 \
  --listen "127.0.0.1:$SIM_PORT" --summary-json "$STATE_DIR/again.json" >/dev/null 2>&1 || fail "second run"
python3 - "$STATE_DIR/summary.json" "$STATE_DIR/again.json" <<'PY' || fail "a replay of the same seed was not all duplicates"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
print(f"  replay of seed {a['seed']}: {b['duplicate']} duplicates, {b['stored']} stored")
sys.exit(0 if b["stored"] == 0 and b["duplicate"] == a["events_sent"] else 1)
PY

echo "simulator e2e: passed ($CALLS calls, seed $SEED, $(spin --version))"
