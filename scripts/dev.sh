#!/usr/bin/env bash
# Sets up and runs Switchboard locally (README "Run it").
#
#   scripts/dev.sh                # spin up --build (needs spin and trigger-cron)
#   scripts/dev.sh --native       # the native dev server instead; no Spin needed
#   scripts/dev.sh -- ARGS        # extra arguments for `spin up`
#
# Environment: LISTEN (default 127.0.0.1:3000); Spin variables as
# SPIN_VARIABLE_<NAME>, e.g. SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

LISTEN="${LISTEN:-127.0.0.1:3000}"
native=0
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --native) native=1 ;;
    --) shift; extra+=("$@"); break ;;
    *) extra+=("$1") ;;
  esac
  shift
done

ensure_rust_toolchain

if [[ -z "${SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD:-}" ]]; then
  echo "note: SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD is not set, so no operator account"
  echo "      is created; set it to sign in as the platform operator (login 'operator')."
fi

if [[ $native -eq 1 ]]; then
  exec cargo run --release -p switchboard-devserver -- \
    --listen "$LISTEN" --static-dir static --data-dir .devdata
fi

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

echo "Switchboard on http://$LISTEN (stores in .spin/)"
exec spin up --build --listen "$LISTEN" "${extra[@]}"
