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
SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD=benchmark-password \
  spin up -f spin.toml --listen "127.0.0.1:$PORT" --state-dir "$STATE_DIR" >"$STATE_DIR/log" 2>&1 &
SPIN_PID=$!
trap 'kill -INT $SPIN_PID 2>/dev/null; sleep 1; kill -KILL $SPIN_PID 2>/dev/null; rm -rf "$STATE_DIR"' EXIT
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
