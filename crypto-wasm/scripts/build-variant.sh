#!/usr/bin/env bash
# Builds a variant of the WebAssembly module for A/B benchmarks (bench/src/wasm-simd.ts): the same
# crate and the same steps as scripts/build-wasm (cargo → wasm-bindgen --target nodejs → wasm-opt
# -O3), with other rustc flags and its own target directory, so the normal build is untouched.
# Usage: build-variant.sh <out dir> <RUSTFLAGS>   e.g. build-variant.sh target/bench-nosimd/pkg "-C target-feature=-simd128"
source "$(dirname "$0")/../../scripts/lib.sh"
out=$(realpath -m "$1")
export RUSTFLAGS="$2" CARGO_TARGET_DIR="$(dirname "$out")/cargo"
cd "$ROOT/crypto-wasm"
cargo_args=(build --lib --release --target wasm32-unknown-unknown)
if have_rustup_wasm32; then
  cargo "${cargo_args[@]}"
else
  PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 cargo "${cargo_args[@]}" -Zbuild-std=std,panic_abort
fi
wasm-bindgen --target nodejs --out-dir "$out" --out-name baios_crypto "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/baios_crypto.wasm"
node scripts/wasm-opt.mjs "$out/baios_crypto_bg.wasm"
echo '{ "type": "commonjs" }' > "$out/package.json"
