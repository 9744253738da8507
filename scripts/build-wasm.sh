#!/usr/bin/env bash
# Release builds of the core for the browser: cargo → wasm-bindgen → wasm-opt -Oz.
#   pkg/                  the tablet's core (xuncha.js): only what the officer's app calls
#   pkg/console/          the staff console's core (xuncha_console.js): all of that, and the
#                         console's draws, digests, templates and exports (feature `console`)
# Prints the raw and gzipped sizes. Usage: scripts/build-wasm.sh [--no-opt]
set -euo pipefail
cd "$(dirname "$0")/.."

# The shipped modules are built with a pinned nightly (installed by scripts/setup.sh) for two
# flags stable Rust lacks: -Zbuild-std rebuilds std for size (its `optimize_for_size` sorts and
# formatting) and -Cpanic=immediate-abort drops the panic-message machinery. Together 30 KB of the
# tablet's 327 KB gzipped (BENCHMARKS.md). Everything else (tests, HQ, wasm-bindgen-test) stays on
# stable, and the core compiles on both. Raise the date deliberately, then re-measure.
WASM_TOOLCHAIN=nightly-2026-05-20
BUILD_STD="-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size"
# LLVM's inlining threshold at 0 (opt-level z's is higher) and no panic locations (nothing
# prints them once panics abort at once): 2.5 KB gzipped more, measured (`make size`).
SHIPPED_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Cllvm-args=-inline-threshold=0 -Zlocation-detail=none"
# Apart from target/: another toolchain, another std.
SHIPPED_TARGET_DIR=target/shipped

WASM_OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

# build <cargo features> <out dir> <out name>
build() {
  local features=$1 out=$2 name=$3
  CARGO_PROFILE_RELEASE_PANIC=abort RUSTFLAGS="$SHIPPED_RUSTFLAGS" \
    cargo "+$WASM_TOOLCHAIN" build --release --lib --target wasm32-unknown-unknown --features "$features" \
    --target-dir "$SHIPPED_TARGET_DIR" $BUILD_STD
  mkdir -p "$out"
  wasm-bindgen --target web --out-dir "$out" --out-name "$name" \
    "$SHIPPED_TARGET_DIR/wasm32-unknown-unknown/release/xuncha.wasm"
  if [ "$NO_OPT" != 1 ]; then
    # binaryen from npm (scripts/package.json): Debian's wasm-opt 108 breaks the externref table.
    scripts/node_modules/.bin/wasm-opt -Oz "${WASM_OPT_FEATURES[@]}" "$out/${name}_bg.wasm" -o "$out/${name}_bg.opt.wasm"
    mv "$out/${name}_bg.opt.wasm" "$out/${name}_bg.wasm"
  fi
}

NO_OPT=0
[ "${1:-}" = "--no-opt" ] && NO_OPT=1
rm -rf pkg
# One target dir: the dependencies build once; each feature set links its own module.
build "" pkg xuncha
build console pkg/console xuncha_console

size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
for f in pkg/xuncha_bg.wasm pkg/xuncha.js pkg/console/xuncha_console_bg.wasm pkg/console/xuncha_console.js; do
  printf '%-36s %8s bytes raw  %8s bytes gzip -9\n' "$f" "$(size "$f")" "$(gz "$f")"
done
