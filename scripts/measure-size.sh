#!/usr/bin/env bash
# Measures the release wasm at opt-level s, z and 3 (each through wasm-bindgen
# and wasm-opt -Oz, as shipped) and prints a markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
echo "| opt-level | after wasm-bindgen | + wasm-opt -Oz | gzip -9 |"
echo "|---|---|---|---|"
for level in s z 3; do
  dir="target/size-$level"
  CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_OPT_LEVEL=$level cargo build -q --release --lib --target wasm32-unknown-unknown --target-dir "$dir"
  out=$(mktemp -d)
  wasm-bindgen --target web --out-dir "$out" --out-name x "$dir/wasm32-unknown-unknown/release/xuncha.wasm"
  raw=$(wc -c <"$out/x_bg.wasm")
  scripts/node_modules/.bin/wasm-opt -Oz "${FEATURES[@]}" "$out/x_bg.wasm" -o "$out/o.wasm"
  echo "| $level | $raw | $(wc -c <"$out/o.wasm") | $(gzip -9 -c "$out/o.wasm" | wc -c) |"
  rm -rf "$out"
done
