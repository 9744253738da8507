#!/usr/bin/env bash
# Release build of the core for the browser: cargo → wasm-bindgen → wasm-opt -Oz,
# into pkg/. Prints the raw and gzipped size. Usage: scripts/build-wasm.sh [--no-opt]
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

CARGO_PROFILE_RELEASE_PANIC=abort cargo build --release --lib --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name xuncha \
  target/wasm32-unknown-unknown/release/xuncha.wasm
if [ "${1:-}" != "--no-opt" ]; then
  # binaryen from npm (scripts/package.json): Debian's wasm-opt 108 breaks the externref table.
  scripts/node_modules/.bin/wasm-opt -Oz "${WASM_OPT_FEATURES[@]}" pkg/xuncha_bg.wasm -o pkg/xuncha_bg.opt.wasm
  mv pkg/xuncha_bg.opt.wasm pkg/xuncha_bg.wasm
fi

size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
printf 'pkg/xuncha_bg.wasm  %8s bytes raw  %8s bytes gzip -9\n' "$(size pkg/xuncha_bg.wasm)" "$(gz pkg/xuncha_bg.wasm)"
printf 'pkg/xuncha.js       %8s bytes raw  %8s bytes gzip -9\n' "$(size pkg/xuncha.js)" "$(gz pkg/xuncha.js)"
