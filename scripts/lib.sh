# Shared helpers for the project's scripts. Sourced, not run.
# Tools are cached per machine (not per clone) under $BAIOS_TOOLS so a fresh clone reuses them.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BAIOS_TOOLS=${BAIOS_TOOLS:-$HOME/.cache/baios-tools}
NODE_MAJOR=24
NODE_DIR=$BAIOS_TOOLS/node$NODE_MAJOR
CARGO_TOOLS=$BAIOS_TOOLS/cargo
export PATH="$NODE_DIR/bin:$CARGO_TOOLS/bin:$PATH"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version pinned in Cargo.lock (the CLI must match it exactly).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# True when rustup's toolchain has the wasm32 target (then the plain route works).
have_rustup_wasm32() {
  command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
