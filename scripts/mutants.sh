#!/usr/bin/env bash
# Mutation testing of the security checks with cargo-mutants (issue 7). Slow
# on small machines, so not part of scripts/test.sh or CI.
#
#   scripts/mutants.sh                      # every file below
#   scripts/mutants.sh crates/domain/src/role.rs   # just these files
#
# Each mutant the suite does not catch is listed in mutants.out/missed.txt:
# kill it with a test, or write down why it is harmless.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! cargo mutants --version >/dev/null 2>&1; then
  echo "mutants: installing cargo-mutants" >&2
  cargo install cargo-mutants --locked
fi

FILES=("$@")
if [[ ${#FILES[@]} -eq 0 ]]; then
  FILES=(
    'crates/app/src/security/**/*.rs'
    crates/app/src/pipeline.rs
    crates/app/src/audit.rs
    crates/app/src/access_list.rs
    crates/domain/src/role.rs
  )
fi

args=()
for f in "${FILES[@]}"; do args+=(--file "$f"); done

# The app's and the domain's tests are the ones that guard these files: run
# both for every mutant (by default cargo-mutants runs only the tests of the
# mutated file's own crate, which let the role table's mutants pass unseen).
cargo mutants --no-shuffle "${args[@]}" \
  --package switchboard-app --package switchboard-domain \
  --test-package switchboard-app --test-package switchboard-domain \
  --timeout-multiplier 3 -- --no-fail-fast
