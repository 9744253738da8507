#!/usr/bin/env bash
# Measures the tablet's release wasm (pkg/xuncha_bg.wasm) built five ways, each through
# wasm-bindgen and wasm-opt -Oz as shipped, and prints a markdown table for BENCHMARKS.md:
#   stable, opt-level s / z       the profile's choice of opt-level
#   nightly -Zbuild-std           std rebuilt with `optimize_for_size`
#   + -Cpanic=immediate-abort
#   + the rest of SHIPPED_RUSTFLAGS   what scripts/build-wasm.sh ships
# Each in its own target dir under target/size-*, so the rows never share a std.
set -euo pipefail
cd "$(dirname "$0")/.."
FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
WASM_TOOLCHAIN=$(sed -n 's/^WASM_TOOLCHAIN=//p' scripts/build-wasm.sh)
# The flags as build-wasm.sh ships them: one place for each.
read -r -a BUILD_STD <<<"$(sed -n 's/^BUILD_STD="\(.*\)"$/\1/p' scripts/build-wasm.sh)"

# row <label> <dir> <opt-level> <rustflags> <cargo args…>
row() {
  local label=$1 dir=$2 level=$3 flags=$4
  shift 4
  CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_OPT_LEVEL=$level RUSTFLAGS="$flags" \
    cargo "$@" build -q --release --lib --target wasm32-unknown-unknown --target-dir "$dir"
  local out
  out=$(mktemp -d)
  wasm-bindgen --target web --out-dir "$out" --out-name x "$dir/wasm32-unknown-unknown/release/xuncha.wasm"
  local raw
  raw=$(wc -c <"$out/x_bg.wasm")
  scripts/node_modules/.bin/wasm-opt -Oz "${FEATURES[@]}" "$out/x_bg.wasm" -o "$out/o.wasm"
  echo "| $label | $raw | $(wc -c <"$out/o.wasm") | $(gzip -9 -c "$out/o.wasm" | wc -c) |"
  rm -rf "$out"
}

echo "| build | after wasm-bindgen | + wasm-opt -Oz | gzip -9 |"
echo "|---|---|---|---|"
row "stable, opt-level s" target/size-s s ""
row "stable, opt-level z" target/size-z z ""
row "$WASM_TOOLCHAIN, z, -Zbuild-std (optimize_for_size)" target/size-build-std z "" "+$WASM_TOOLCHAIN" "${BUILD_STD[@]}"
row "+ -Cpanic=immediate-abort" target/size-immediate-abort z "-Zunstable-options -Cpanic=immediate-abort" "+$WASM_TOOLCHAIN" "${BUILD_STD[@]}"
SHIPPED_RUSTFLAGS=$(sed -n 's/^SHIPPED_RUSTFLAGS="\(.*\)"$/\1/p' scripts/build-wasm.sh)
row "+ inline threshold 0, no panic locations (shipped)" target/size-shipped z "$SHIPPED_RUSTFLAGS" "+$WASM_TOOLCHAIN" "${BUILD_STD[@]}"
