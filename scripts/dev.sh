#!/usr/bin/env bash
# Sets up and runs Switchboard locally (README "Run it").
#
#   scripts/dev.sh                # spin up --build (needs spin and trigger-cron)
#   scripts/dev.sh --native       # the native dev server instead; no Spin needed
#   scripts/dev.sh --demo         # also a demo company and live simulated traffic
#   scripts/dev.sh -- ARGS        # extra arguments for `spin up`
#
# On the first run in a data directory (.spin/ for Spin, .devdata/ natively)
# it generates the platform operator's password, keeps it there
# (`operator-password`, mode 600) and prints it with the login name. Set
# SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD to choose it yourself.
# SWITCHBOARD_DATA_DIR (with --native) puts the data directory elsewhere.
#
# Environment: LISTEN (default 127.0.0.1:3000), SIM_LISTEN (the demo
# simulator's provider API, default 127.0.0.1:3900), DEMO_RATE (the demo's
# calls an hour, default 180); Spin variables as
# SPIN_VARIABLE_<NAME>.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

LISTEN="${LISTEN:-127.0.0.1:3000}"
SIM_LISTEN="${SIM_LISTEN:-127.0.0.1:3900}"
native=0
demo=0
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --native) native=1 ;;
    --demo) demo=1 ;;
    --) shift; extra+=("$@"); break ;;
    *) extra+=("$1") ;;
  esac
  shift
done

ensure_rust_toolchain

if [[ $native -eq 0 ]]; then
  missing=0
  if ! command -v spin >/dev/null 2>&1; then
    cat <<'MSG'
`spin` (Spin 4.0.x) is not on PATH. Install it on an internet-connected machine:
  curl -fsSL https://spinframework.dev/downloads/install.sh | bash
  sudo mv spin /usr/local/bin/
(or see the installation guide at spinframework.dev). Then run this script again.
Without Spin, `scripts/dev.sh --native` serves the same app natively.
MSG
    missing=1
  elif ! has_cron_plugin; then
    cat <<'MSG'
Spin's cron trigger plugin (trigger-cron), which runs the callback worker, is
not installed. Install it with:
  spin plugins install --url https://github.com/spinframework/spin-trigger-plugins/releases/download/cron-canary/trigger-cron.json
Then run this script again.
MSG
    missing=1
  fi
  [[ $missing -eq 0 ]] || exit 1
fi

if [[ $native -eq 1 ]]; then DATA_DIR="$ROOT/.devdata"; else DATA_DIR="$ROOT/.spin"; fi
# Another data directory (the demo test uses a fresh one); natively only:
# Spin keeps its stores in .spin/ of the working directory.
if [[ -n "${SWITCHBOARD_DATA_DIR:-}" && $native -eq 1 ]]; then DATA_DIR="$SWITCHBOARD_DATA_DIR"; fi
mkdir -p "$DATA_DIR"

# A secret kept in the data directory: read it, or generate and keep it
# (mode 600). Prints "new" on stderr-free stdout when it generated one.
secret_file() { # file
  local f="$DATA_DIR/$1"
  if [[ ! -s "$f" ]]; then
    (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(18))' >"$f")
  fi
  chmod 600 "$f"
  cat "$f"
}

if [[ -z "${SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD:-}" ]]; then
  first_run=0
  [[ -s "$DATA_DIR/operator-password" ]] || first_run=1
  SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD="$(secret_file operator-password)"
  export SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD
  login="${SPIN_VARIABLE_BOOTSTRAP_OPERATOR_LOGIN:-operator}"
  if [[ $first_run -eq 1 ]]; then
    echo "Platform operator: login '$login', password '$SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD'"
    echo "  (generated once; kept in ${DATA_DIR#"$ROOT"/}/operator-password, mode 600)"
  else
    echo "Platform operator: login '$login', password in ${DATA_DIR#"$ROOT"/}/operator-password"
  fi
fi

if [[ $demo -eq 0 ]]; then
  if [[ $native -eq 1 ]]; then
    exec cargo run --release -p switchboard-devserver -- \
      --listen "$LISTEN" --static-dir static --data-dir "$DATA_DIR"
  fi
  echo "Switchboard on http://$LISTEN (stores in .spin/)"
  exec spin up --build --listen "$LISTEN" "${extra[@]}"
fi

# ---- --demo: the app, a demo company, and the simulator playing traffic ----

SPIN_VARIABLE_WEBHOOK_SECRET="${SPIN_VARIABLE_WEBHOOK_SECRET:-$(secret_file webhook-secret)}"
SPIN_VARIABLE_PROVIDER_API_TOKEN="${SPIN_VARIABLE_PROVIDER_API_TOKEN:-$(secret_file provider-token)}"
SPIN_VARIABLE_PROVIDER_API_URL="${SPIN_VARIABLE_PROVIDER_API_URL:-http://$SIM_LISTEN}"
export SPIN_VARIABLE_WEBHOOK_SECRET SPIN_VARIABLE_PROVIDER_API_TOKEN SPIN_VARIABLE_PROVIDER_API_URL
DEMO_PASSWORD="$(secret_file demo-admin-password)"
DEMO_LOGIN="demo-admin"
DEMO_LINE="070-4000-1234"
DEMO_AGENTS="agent01,agent02,agent03,agent04,agent05,agent06,agent07,agent08"
TARGET="${CARGO_TARGET_DIR:-target}"

echo "building (release) ..."
cargo build --quiet --release -p switchboard-simulator
if [[ $native -eq 1 ]]; then
  cargo build --quiet --release -p switchboard-devserver
else
  build_components
fi

# Each child runs in its own process group (job control on), so Ctrl-C
# reaches this script, whose trap stops every group it started.
set -m
pids=()
stop_all() {
  trap - INT TERM EXIT
  local pid
  for pid in "${pids[@]}"; do kill -INT -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive -eq 0 ]] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  echo
  echo "demo stopped"
}
trap stop_all INT TERM EXIT

if [[ $native -eq 1 ]]; then
  "$TARGET/release/switchboard-devserver" --listen "$LISTEN" --static-dir static \
    --data-dir "$DATA_DIR" &
else
  spin up --listen "$LISTEN" "${extra[@]}" &
fi
pids+=("$!")
app_pid=$!

deadline=$((SECONDS + 90))
until curl -fsS -o /dev/null "http://$LISTEN/api/health" 2>/dev/null; do
  kill -0 "$app_pid" 2>/dev/null || { echo "the app exited"; exit 1; }
  ((SECONDS < deadline)) || { echo "no answer on http://$LISTEN within 90 s"; exit 1; }
  sleep 0.3
done

"$TARGET/release/switchboard-simulator" demo-setup --base-url "http://$LISTEN" \
  --owner-login "$DEMO_LOGIN" --owner-password "$DEMO_PASSWORD" \
  --line "$DEMO_LINE" --agents "$DEMO_AGENTS"

cat <<MSG

  Switchboard demo on http://$LISTEN
  Sign in as the demo company's admin: login '$DEMO_LOGIN', password '$DEMO_PASSWORD'
  (kept in ${DATA_DIR#"$ROOT"/}/demo-admin-password). The provider simulator plays
  calls into it now (provider API on http://$SIM_LISTEN). Ctrl-C stops everything.

MSG

"$TARGET/release/switchboard-simulator" run --base-url "http://$LISTEN" \
  --line "$DEMO_LINE" --agents "$DEMO_AGENTS" --profile flat --rate "${DEMO_RATE:-180}" --talk 90 \
  --listen "$SIM_LISTEN" --serve &
pids+=("$!")

wait "$app_pid"
