#!/usr/bin/env bash
# Self-test of scripts/test.sh's command line, cheap and without Spin or
# Chromium (it runs as test.sh's own "scripts" step):
#   - --help / -h exit 0, run nothing, and list exactly the steps of the
#     STEPS table in test.sh (parsed from the source, not hard-coded here),
#     each of which names a function test.sh defines;
#   - an unknown step or option exits 2 with the usage on stderr and runs
#     nothing;
#   - with a stub cargo on PATH: `fmt` alone runs one step and ends with
#     "summary: 1 passed, ..." (exit 0) or "summary: 0 passed, 1 failed, ..."
#     (exit 1); `clippy fmt clippy` runs fmt then clippy, once each;
#   - the real `fmt` alone ends with a summary line whose counts agree with
#     its exit status.
# Prints one "ok -" / "not ok -" line per check; exits 1 when any failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The test.sh runs below never run this test again; if one does (its step
# selection broken), stop instead of recursing.
if [[ -n "${TEST_SCRIPT_TEST_RUNNING:-}" ]]; then
  echo "test-script: called from its own test.sh run (step selection broken?)" >&2
  exit 1
fi
export TEST_SCRIPT_TEST_RUNNING=1
TEST_SH="$ROOT/scripts/test.sh"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

oks=0
not_oks=0

ok() { oks=$((oks + 1)); echo "ok - $1"; }
not_ok() {
  not_oks=$((not_oks + 1))
  echo "not ok - $1"
  shift
  local f
  for f in "$@"; do
    [[ -s "$f" ]] || continue
    echo "    --- $(basename "$f")"
    sed 's/^/    | /' "$f"
  done
}

# expect <description> <condition...>: ok when the command succeeds; on
# failure shows the last run's stdout and stderr.
expect() {
  local what="$1"
  shift
  if "$@"; then ok "$what"; else not_ok "$what" "$WORK/out" "$WORK/err"; fi
}

# Conditions on the last run.
rc_is() { [[ $rc -eq $1 ]]; }
out_has() { grep -qE "$1" "$WORK/out"; }
out_lacks() { ! grep -qE "$1" "$WORK/out"; }
err_has() { grep -qE "$1" "$WORK/err"; }
last_line_is() { [[ "$(tail -n 1 "$WORK/out")" == "$1" ]]; }
# cargo_calls_are <words>: the stub cargo's first arguments, in call order.
cargo_calls_are() { [[ "$(awk '{ print $1 }' "$WORK/cargo.log" | paste -sd ' ')" == "$1" ]]; }

# Every run but the one real fmt run below uses a stub cargo (logs its
# arguments to $WORK/cargo.log, exits $STUB_CARGO_STATUS), rustup (reports the
# target and components installed) and spin (no trigger-cron plugin, so the
# Spin steps stop at once), with SKIP_BROWSER set: even a broken test.sh that
# ran every step would stay cheap.
mkdir -p "$WORK/bin"
cat >"$WORK/bin/cargo" <<'STUB'
#!/usr/bin/env bash
echo "$*" >>"$STUB_LOG"
exit "${STUB_CARGO_STATUS:-0}"
STUB
cat >"$WORK/bin/rustup" <<'STUB'
#!/usr/bin/env bash
printf 'wasm32-wasip2\nrustfmt-stub\nclippy-stub\n'
STUB
printf '#!/usr/bin/env bash\nexit 0\n' >"$WORK/bin/spin"
chmod +x "$WORK/bin/cargo" "$WORK/bin/rustup" "$WORK/bin/spin"

# run <args...>: runs test.sh with the stubs; stdout in $WORK/out, stderr in
# $WORK/err, exit status in $rc. real_run: the same with the real tools.
rc=0
run() {
  PATH="$WORK/bin:$PATH" STUB_LOG="$WORK/cargo.log" SKIP_BROWSER=1 \
    bash "$TEST_SH" "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
}
real_run() {
  bash "$TEST_SH" "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
}

# The STEPS table: "name function" per line.
awk '/^STEPS=\(/ { t = 1; next } t && /^\)/ { exit } t' "$TEST_SH" |
  grep -Ev '^[[:space:]]*(#|$)' |
  sed -E 's/^[[:space:]]*"([^[:space:]"]+)[[:space:]]+([^[:space:]"]+).*/\1 \2/' >"$WORK/table"
mapfile -t names < <(awk '{ print $1 }' "$WORK/table")
mapfile -t fns < <(awk '{ print $2 }' "$WORK/table")

# Step names as the help lists them: the first word of each line of the
# "Steps:" section (up to the next blank line), from the file $1.
help_steps() { awk '/^Steps:$/ { t = 1; next } t && /^$/ { exit } t { print $1 }' "$1"; }

# --- the table ----------------------------------------------------------------
expect "the STEPS table parses (${#names[@]} steps: ${names[*]})" \
  test "${#names[@]}" -ge 8
defined=1
for fn in "${fns[@]}"; do
  grep -qE "^${fn}\(\) \{" "$TEST_SH" || { echo "    no function $fn in test.sh"; defined=0; }
done
expect "every step's function is defined in test.sh" test "$defined" = 1
expect "the step names are distinct" \
  test "$(printf '%s\n' "${names[@]}" | sort -u | wc -l)" -eq "${#names[@]}"

# --- help ---------------------------------------------------------------------
for opt in --help -h; do
  run "$opt"
  expect "$opt exits 0" test "$rc" -eq 0
  expect "$opt prints nothing on stderr" test ! -s "$WORK/err"
  expect "$opt runs no step" out_lacks '^(==> |summary:)'
  expect "$opt lists the table's steps, in order, and no others" \
    test "$(help_steps "$WORK/out")" = "$(printf '%s\n' "${names[@]}")"
  expect "$opt lists the environment (SKIP_BROWSER)" out_has '^Environment:'
  expect "$opt names SKIP_BROWSER" out_has '^  SKIP_BROWSER '
  expect "$opt has examples" out_has '^Examples:'
done
run fmt --help
expect "'fmt --help' exits 0" rc_is 0
expect "'fmt --help' prints the usage" out_has '^Usage:'
expect "'fmt --help' runs no step" out_lacks '^(==> |summary:)'

# --- unknown steps and options ------------------------------------------------
for args in "no-such-step" "fmt no-such-step" "--no-such-option" ""; do
  label="'$args'"
  if [[ -z "$args" ]]; then
    run ""
    label="an empty step name"
  else
    # shellcheck disable=SC2086 # split on purpose: several arguments
    run $args
  fi
  expect "$label exits 2" test "$rc" -eq 2
  expect "$label prints nothing on stdout (runs no step)" test ! -s "$WORK/out"
  expect "$label prints an error on stderr" err_has '^test\.sh: unknown (step|option)'
  expect "$label prints the usage on stderr" err_has '^Usage:'
  expect "$label: the usage on stderr lists every step" \
    test "$(help_steps "$WORK/err")" = "$(printf '%s\n' "${names[@]}")"
done

# --- one step, both outcomes, several steps (stub cargo) ----------------------
: >"$WORK/cargo.log"
STUB_CARGO_STATUS=0 run fmt
expect "fmt with a passing cargo exits 0" rc_is 0
expect "fmt with a passing cargo ends with 'summary: 1 passed, 0 failed, 0 skipped'" \
  last_line_is "summary: 1 passed, 0 failed, 0 skipped"
expect "fmt runs 'cargo fmt --all -- --check' and no other cargo command" \
  test "$(cat "$WORK/cargo.log")" = "fmt --all -- --check"
single_step_ok=0
if [[ "$(grep -c '^==> ' "$WORK/out")" -eq 1 ]]; then single_step_ok=1; fi
expect "fmt runs one step" test "$single_step_ok" -eq 1

STUB_CARGO_STATUS=1 run fmt
expect "fmt with a failing cargo exits 1" rc_is 1
expect "fmt with a failing cargo ends with 'summary: 0 passed, 1 failed, 0 skipped'" \
  last_line_is "summary: 0 passed, 1 failed, 0 skipped"
expect "fmt with a failing cargo names the failed step" out_has '^failed steps: cargo fmt$'

: >"$WORK/cargo.log"
STUB_CARGO_STATUS=0 run clippy fmt clippy
expect "'clippy fmt clippy' exits 0" rc_is 0
expect "'clippy fmt clippy' runs fmt then clippy (table order), once each" \
  cargo_calls_are "fmt clippy"
expect "'clippy fmt clippy' ends with 'summary: 2 passed, 0 failed, 0 skipped'" \
  last_line_is "summary: 2 passed, 0 failed, 0 skipped"

# --- one real step: fmt -------------------------------------------------------
# Only when a stubbed single step really ran alone: a test.sh that ignored the
# step names would otherwise run the whole suite here.
if [[ $single_step_ok -eq 1 ]]; then
  real_run fmt
  last="$(tail -n 1 "$WORK/out")"
  if [[ $rc -eq 0 ]]; then want="summary: 1 passed, 0 failed, 0 skipped"; else want="summary: 0 passed, 1 failed, 0 skipped"; fi
  expect "fmt alone (exit $rc) ends with '$want'" test "$last" = "$want"
  expect "fmt alone runs one step" test "$(grep -c '^==> ' "$WORK/out")" -eq 1
else
  not_ok "the real fmt run (not attempted: the stubbed fmt run did not run fmt alone)"
fi

echo "test-script: $oks ok, $not_oks not ok"
[[ $not_oks -eq 0 ]]
