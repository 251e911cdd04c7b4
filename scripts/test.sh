#!/usr/bin/env bash
# The test command (README): format, lints, native tests, the wasm build of
# every component, browser tests, the real-Spin smoke test and the simulator's
# end-to-end test against real Spin. Ends with one
# summary line: "summary: N passed, N failed, N skipped".
#
#   scripts/test.sh            # everything
#   SKIP_BROWSER=1 scripts/test.sh   # without Chromium (prints SKIPPED)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

passed=0
failed=0
skipped=0
failures=()

step() { printf '\n==> %s\n' "$*"; }

# Adds the counts from cargo's "test result:" lines in $1.
count_cargo() {
  local p f
  p=$(grep -E '^test result:' "$1" | sed -E 's/.* ([0-9]+) passed.*/\1/' | awk '{s+=$1} END {print s+0}')
  f=$(grep -E '^test result:' "$1" | sed -E 's/.* ([0-9]+) failed.*/\1/' | awk '{s+=$1} END {print s+0}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

# Runs a check that counts as one test.
check() {
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

ensure_rust_toolchain

step "cargo fmt --check"
check "cargo fmt" cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
check "cargo clippy" cargo clippy --workspace --all-targets --quiet -- -D warnings

step "native tests (cargo test)"
log_file="$(mktemp)"
# Components are wasm-only cdylibs (their exports do not link natively); the
# code they run is tested through the library crates and the devserver.
excludes=()
for c in "${COMPONENT_CRATES[@]}" "${BENCH_CRATES[@]}"; do excludes+=(--exclude "$c"); done
cargo test --workspace "${excludes[@]}" 2>&1 | tee "$log_file"
status=${PIPESTATUS[0]}
count_cargo "$log_file"
if [[ $status -ne 0 ]]; then
  failures+=("cargo test")
  grep -qE '^test result:' "$log_file" || failed=$((failed + 1))
fi
rm -f "$log_file"

step "wasm32-wasip2 release build of every component"
check "wasm build" build_components
print_wasm_sizes

step "browser tests (Chromium + playwright-core)"
if [[ -n "${SKIP_BROWSER:-}" ]]; then
  echo "SKIPPED: browser tests (SKIP_BROWSER is set)"
  skipped=$((skipped + 1))
else
  cargo build --quiet -p switchboard-devserver
  log_file="$(mktemp)"
  bash scripts/browser-test.sh 2>&1 | tee "$log_file"
  status=${PIPESTATUS[0]}
  p=$(grep -E '^ℹ pass [0-9]+' "$log_file" | awk '{print $3}' | tail -1)
  f=$(grep -E '^ℹ fail [0-9]+' "$log_file" | awk '{print $3}' | tail -1)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [[ $status -ne 0 ]]; then
    failures+=("browser tests")
    [[ -z "$f" || "$f" == 0 ]] && failed=$((failed + 1))
  fi
  rm -f "$log_file"
fi

# spin_check <name> <script>: one check that needs real Spin; it counts as
# skipped when the script prints its SKIPPED line.
spin_check() {
  local log_file status
  log_file="$(mktemp)"
  bash "$2" 2>&1 | tee "$log_file"
  status=${PIPESTATUS[0]}
  if grep -q '^SKIPPED:' "$log_file"; then
    skipped=$((skipped + 1))
  elif [[ $status -eq 0 ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$1")
  fi
  rm -f "$log_file"
}

step "real-Spin smoke test"
spin_check "spin smoke test" scripts/spin-smoke.sh

step "simulator end-to-end test (real Spin)"
spin_check "simulator e2e test" scripts/e2e-simulator.sh

echo
if [[ ${#failures[@]} -gt 0 ]]; then
  echo "failed steps: ${failures[*]}"
fi
echo "summary: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 && ${#failures[@]} -eq 0 ]]
