#!/usr/bin/env bash
# The test command (README): format, lints, the test runner's own self-test,
# native tests, the wasm build of every component, browser tests, the
# real-Spin smoke test and the simulator's end-to-end test against real Spin.
# Ends with one summary line: "summary: N passed, N failed, N skipped".
#
#   scripts/test.sh                  # everything
#   scripts/test.sh fmt clippy       # only these steps (see --help)
#   SKIP_BROWSER=1 scripts/test.sh   # without Chromium (prints SKIPPED)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

# The steps, in the order they run: name, function, one-line description.
# Dispatch and --help both read this table (scripts/test-script.test.sh
# parses it too); the names are part of the command line, keep them stable.
STEPS=(
  "fmt         step_fmt         cargo fmt --check"
  "clippy      step_clippy      cargo clippy --all-targets -- -D warnings"
  "scripts     step_scripts     self-test of this script (scripts/test-script.test.sh)"
  "modules     step_modules     no dependency circle between crates/app's files or folders"
  "requirements step_requirements requirement IDs in code and tests match docs/requirements.md"
  "native      step_native      native tests (cargo test; wasm-only crates excluded)"
  "api-schema  step_api_schema  the API document held to the server: schemathesis, every check (scripts/api-schema-test.sh)"
  "wasm        step_wasm        wasm32-wasip2 release build of every component, with sizes"
  "browser     step_browser     browser tests (Chromium + playwright-core, native dev server)"
  "spin-smoke  step_spin_smoke  real-Spin smoke test (SKIPPED without spin on PATH)"
  "e2e         step_e2e         simulator and callback-worker end-to-end tests against real Spin (SKIPPED without spin)"
  "demo        step_demo        dev.sh --demo: the demo company's dashboard shows a living floor within a minute"
)

usage() {
  local entry name fn desc
  cat <<'USAGE'
Usage: scripts/test.sh [STEP...]
       scripts/test.sh -h | --help

The project's test command (README, .ci/run). With no STEP it runs every
step below, in this order; with STEPs it runs only those (in this order,
each once). Every run ends with one line, which CI reads:
  summary: N passed, N failed, N skipped
The exit status is 0 when nothing failed, 1 otherwise; 2 for an unknown STEP.

Steps:
USAGE
  for entry in "${STEPS[@]}"; do
    read -r name fn desc <<<"$entry"
    printf '  %-12s %s\n' "$name" "$desc"
  done
  cat <<'USAGE'

Environment:
  SKIP_BROWSER       any non-empty value skips the browser step (prints SKIPPED,
                     counts as skipped)
  CARGO_TARGET_DIR   cargo's target directory (wasm sizes, dev server, simulator)
  CHROMIUM_PATH      Chromium for the browser step (default /usr/bin/chromium)
  MAX_EXAMPLES       cases schemathesis generates per operation in the
                     api-schema step (default 25)
  E2E_CALLS          calls the e2e step sends (default 300)
  E2E_SEED           the e2e step's simulator seed (default 20261201)
  The spin-smoke and e2e steps need `spin` (and its trigger-cron plugin) on
  PATH; without spin each prints one SKIPPED line and counts as skipped.

Examples:
  scripts/test.sh                   # everything (what CI runs)
  scripts/test.sh fmt clippy        # format and lints only
  scripts/test.sh browser           # the browser tests only
  SKIP_BROWSER=1 scripts/test.sh    # everything but the browser tests
USAGE
}

# step_function <name>: prints the function of step <name>; fails when there
# is no such step.
step_function() {
  local entry name fn desc
  for entry in "${STEPS[@]}"; do
    read -r name fn desc <<<"$entry"
    if [[ "$name" == "$1" ]]; then
      printf '%s\n' "$fn"
      return 0
    fi
  done
  return 1
}

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

step_fmt() {
  step "cargo fmt --check"
  check "cargo fmt" cargo fmt --all -- --check
}

step_clippy() {
  step "cargo clippy --all-targets -- -D warnings"
  check "cargo clippy" cargo clippy --workspace --all-targets --quiet -- -D warnings
}

step_scripts() {
  step "self-test of scripts/test.sh"
  check "test.sh self-test" bash scripts/test-script.test.sh
}

step_modules() {
  step "module circles in crates/app/src (scripts/module-cycles.py)"
  check "module-cycles self-test" python3 scripts/module-cycles.py --self-test
  check "module circles" python3 scripts/module-cycles.py crates/app/src
}

step_requirements() {
  step "requirement IDs (scripts/requirements-check.py)"
  check "requirements-check self-test" python3 scripts/requirements-check.py --self-test
  check "requirements" python3 scripts/requirements-check.py
}

step_native() {
  local log_file status c
  step "native tests (cargo test)"
  log_file="$(mktemp)"
  # Components are wasm-only cdylibs (their exports do not link natively); the
  # code they run is tested through the library crates and the devserver.
  local excludes=()
  for c in "${COMPONENT_CRATES[@]}" "${BENCH_CRATES[@]}"; do excludes+=(--exclude "$c"); done
  cargo test --workspace "${excludes[@]}" 2>&1 | tee "$log_file"
  status=${PIPESTATUS[0]}
  count_cargo "$log_file"
  if [[ $status -ne 0 ]]; then
    failures+=("cargo test")
    grep -qE '^test result:' "$log_file" || failed=$((failed + 1))
  fi
  rm -f "$log_file"
}

step_api_schema() {
  step "the API document held to the server (schemathesis, scripts/api-schema-test.sh)"
  check "api-schema (schemathesis, 0 failures)" bash scripts/api-schema-test.sh
}

step_wasm() {
  step "wasm32-wasip2 release build of every component"
  check "wasm build" build_components
  print_wasm_sizes
}

step_browser() {
  local log_file status p f
  step "browser tests (Chromium + playwright-core)"
  if [[ -n "${SKIP_BROWSER:-}" ]]; then
    echo "SKIPPED: browser tests (SKIP_BROWSER is set)"
    skipped=$((skipped + 1))
    return
  fi
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
}

step_spin_smoke() {
  step "real-Spin smoke test"
  spin_check "spin smoke test" scripts/spin-smoke.sh
}

step_e2e() {
  step "simulator end-to-end test (real Spin)"
  spin_check "simulator e2e test" scripts/e2e-simulator.sh
  spin_check "callback worker e2e test" scripts/e2e-callbacks.sh
}

step_demo() {
  step "the demo (scripts/dev.sh --demo) shows a living floor"
  check "demo, native dev server" bash scripts/demo-test.sh
  if command -v spin >/dev/null 2>&1 && has_cron_plugin; then
    check "demo, real Spin" bash scripts/demo-test.sh --spin
  else
    echo "SKIPPED: demo on real Spin (no spin with trigger-cron on PATH)"
    skipped=$((skipped + 1))
  fi
}

# --- command line -------------------------------------------------------------
for arg in "$@"; do
  if [[ "$arg" == -h || "$arg" == --help ]]; then
    usage
    exit 0
  fi
done

# The steps asked for (all when none), checked before anything runs.
declare -A wanted=()
for arg in "$@"; do
  if [[ "$arg" == -* ]]; then
    echo "test.sh: unknown option: $arg" >&2
    echo >&2
    usage >&2
    exit 2
  fi
  if ! step_function "$arg" >/dev/null; then
    echo "test.sh: unknown step: '$arg'" >&2
    echo >&2
    usage >&2
    exit 2
  fi
  wanted[$arg]=1
done

ensure_rust_toolchain

for entry in "${STEPS[@]}"; do
  read -r name fn _ <<<"$entry"
  if [[ $# -eq 0 || -n "${wanted[$name]:-}" ]]; then
    "$fn"
  fi
done

echo
if [[ ${#failures[@]} -gt 0 ]]; then
  echo "failed steps: ${failures[*]}"
fi
echo "summary: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 && ${#failures[@]} -eq 0 ]]
