#!/usr/bin/env bash
# Browser tests for the web UI (static/), run with Node's test runner and
# playwright-core against the system Chromium (tests/browser/).
#
#   scripts/browser-test.sh                     # starts the native dev server itself
#   SWITCHBOARD_URL=http://127.0.0.1:3000 scripts/browser-test.sh   # test a running app
#
# Environment:
#   SWITCHBOARD_URL       test this running instance instead of starting the dev server;
#                         then also set SWITCHBOARD_OPERATOR_LOGIN and
#                         SWITCHBOARD_OPERATOR_PASSWORD (that instance's platform operator)
#   CHROMIUM_PATH         Chromium binary (default /usr/bin/chromium; installed with apt if missing)
#   SWITCHBOARD_DEVSERVER dev server binary (default ${CARGO_TARGET_DIR:-target}/debug/switchboard-devserver)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESTS="$ROOT/tests/browser"
cd "$ROOT"

log() { printf 'browser-test: %s\n' "$*" >&2; }

# --- Chromium -----------------------------------------------------------------
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  if [[ -n "${CHROMIUM_PATH:-}" ]]; then
    log "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file"
    exit 1
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    log "/usr/bin/chromium is missing; install it (as root: apt-get update && apt-get install -y chromium)"
    exit 1
  fi
  log "installing Chromium (apt-get install chromium)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium
fi

# --- Node and test dependencies ------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "node and npm are required (Node 20 or newer)"
  exit 1
fi

# npm ci when node_modules is missing or was installed from another lockfile.
lock_hash="$(sha256sum "$TESTS/package-lock.json" "$TESTS/package.json" | sha256sum | cut -d' ' -f1)"
stamp="$TESTS/node_modules/.switchboard-lock-hash"
if [[ ! -d "$TESTS/node_modules/playwright-core" || ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
  log "npm ci in tests/browser"
  (cd "$TESTS" && npm ci --no-audit --no-fund)
  printf '%s\n' "$lock_hash" >"$stamp"
fi

# --- The app under test ----------------------------------------------------------
SERVER_PID=""
DATA_DIR=""
SERVER_LOG=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [[ -n "$DATA_DIR" ]] && rm -rf "$DATA_DIR"
  [[ -n "$SERVER_LOG" ]] && rm -f "$SERVER_LOG"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# GET url; success when it answers 2xx.
http_ok() {
  node -e '
    const ac = AbortSignal.timeout(2000);
    fetch(process.argv[1], { signal: ac }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));
  ' "$1"
}

# The platform operator the tests sign in as (flows that create tenants and owners).
TEST_OPERATOR_LOGIN="operator"
TEST_OPERATOR_PASSWORD="operator-test-pass-1"
TEST_WEBHOOK_SECRET="browser-test-webhook-secret"

if [[ -n "${SWITCHBOARD_URL:-}" ]]; then
  log "testing $SWITCHBOARD_URL"
  if [[ -z "${SWITCHBOARD_OPERATOR_LOGIN:-}" || -z "${SWITCHBOARD_OPERATOR_PASSWORD:-}" ]]; then
    log "with SWITCHBOARD_URL, also set SWITCHBOARD_OPERATOR_LOGIN and SWITCHBOARD_OPERATOR_PASSWORD"
    log "(the platform operator of that instance; the tests create tenants and users with it)"
    exit 1
  fi
else
  DEVSERVER="${SWITCHBOARD_DEVSERVER:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/switchboard-devserver}"
  if [[ ! -x "$DEVSERVER" ]]; then
    log "dev server not found at $DEVSERVER"
    log "build it first:  cargo build -p switchboard-devserver"
    log "(or point SWITCHBOARD_URL at a running instance)"
    exit 1
  fi

  # A free loopback port: bind port 0 and read what the kernel picked.
  PORT="$(node -e '
    const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
  ')"
  # The history tests (HIST-1/2) play the provider: signed events with this
  # secret, recordings served by the test itself on this port.
  REC_PORT="$(node -e '
    const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
  ')"
  export SWITCHBOARD_REC_PORT="$REC_PORT"
  DATA_DIR="$(mktemp -d)"
  SERVER_LOG="$(mktemp)"
  log "starting $DEVSERVER on 127.0.0.1:$PORT (data dir $DATA_DIR)"
  SPIN_VARIABLE_BOOTSTRAP_OPERATOR_LOGIN="$TEST_OPERATOR_LOGIN" \
    SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD="$TEST_OPERATOR_PASSWORD" \
    SPIN_VARIABLE_WEBHOOK_SECRET="$TEST_WEBHOOK_SECRET" \
    SPIN_VARIABLE_PROVIDER_RECORDINGS_ORIGIN="http://127.0.0.1:$REC_PORT" \
    "$DEVSERVER" --listen "127.0.0.1:$PORT" --static-dir "$ROOT/static" --data-dir "$DATA_DIR" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  export SWITCHBOARD_URL="http://127.0.0.1:$PORT"
  export SWITCHBOARD_OPERATOR_LOGIN="$TEST_OPERATOR_LOGIN"
  export SWITCHBOARD_OPERATOR_PASSWORD="$TEST_OPERATOR_PASSWORD"
  # The provider's signing secret, so tests can post events (dashboard,
  # history).
  export SWITCHBOARD_WEBHOOK_SECRET="$TEST_WEBHOOK_SECRET"

  deadline=$((SECONDS + 30))
  until http_ok "$SWITCHBOARD_URL/api/dashboard/health"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      log "dev server exited before it answered; its output:"
      cat "$SERVER_LOG" >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      log "dev server did not answer GET /api/dashboard/health within 30 s; its output:"
      cat "$SERVER_LOG" >&2
      exit 1
    fi
    sleep 0.2
  done
  log "dev server is up at $SWITCHBOARD_URL"
fi

export SWITCHBOARD_URL SWITCHBOARD_OPERATOR_LOGIN SWITCHBOARD_OPERATOR_PASSWORD
export CHROMIUM_PATH="$CHROMIUM"

# --- Run ----------------------------------------------------------------------
cd "$TESTS"
status=0
npm test || status=$?
if [[ $status -ne 0 && -n "$SERVER_LOG" && -s "$SERVER_LOG" ]]; then
  log "dev server output (last 50 lines):"
  tail -n 50 "$SERVER_LOG" >&2
fi
exit "$status"
