# Shared by scripts/*.sh. Source it; it defines functions only.

COMPONENT_CRATES=(
  switchboard-web
  switchboard-accounts
  switchboard-dashboard
  switchboard-settings
  switchboard-history
  switchboard-hooks
  switchboard-agent
  switchboard-callback-worker
)

# Wasm-only crates that are not part of the app (benchmark baselines).
BENCH_CRATES=(
  switchboard-bench-empty
)

# The wasm target and the lint tools, installed when missing.
ensure_rust_toolchain() {
  if ! command -v rustup >/dev/null 2>&1; then
    echo "rustup is required (https://rustup.rs)" >&2
    return 1
  fi
  if ! rustup target list --installed | grep -qx wasm32-wasip2; then
    echo "installing the wasm32-wasip2 target"
    rustup target add wasm32-wasip2
  fi
  for c in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$c"; then
      rustup component add "$c"
    fi
  done
}

build_components() {
  local args=()
  for c in "${COMPONENT_CRATES[@]}"; do args+=(-p "$c"); done
  cargo build --quiet --target wasm32-wasip2 --release "${args[@]}"
}

print_wasm_sizes() {
  local dir="${CARGO_TARGET_DIR:-target}/wasm32-wasip2/release"
  for c in "${COMPONENT_CRATES[@]}"; do
    local f="$dir/${c//-/_}.wasm"
    if [[ -f "$f" ]]; then
      printf '  %-34s %8d bytes\n' "$(basename "$f")" "$(stat -c %s "$f")"
    else
      printf '  %-34s missing\n' "$(basename "$f")"
    fi
  done
}

# Is the cron trigger plugin installed?
has_cron_plugin() {
  spin plugins list --installed 2>/dev/null | grep -q '^trigger-cron'
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# require_spin <what>: exits 0 with one SKIPPED line when `spin` is not on
# PATH (the native suite covers the same handlers), 1 when the cron trigger
# plugin is missing.
require_spin() {
  if ! command -v spin >/dev/null 2>&1; then
    echo "SKIPPED: spin not found on PATH ($1)"
    exit 0
  fi
  if ! has_cron_plugin; then
    echo "spin is on PATH but the cron trigger plugin is not installed:"
    echo "  spin plugins update && spin plugins install trigger-cron"
    exit 1
  fi
}
