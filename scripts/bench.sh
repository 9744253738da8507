#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): natively, and on the wasm build in
# headless Chromium. Usage: scripts/bench.sh [visits]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
N="${1:-100000}"
echo "## machine"; echo; echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(rustc --version), $(chromium --version 2>/dev/null | head -1)"; echo
echo "## native (cargo run --release --example bench_summary -- $N)"; echo
cargo run -q --release --example bench_summary -- "$N"
echo
echo "## browser (wasm in headless Chromium)"; echo
# The bench build carries the data-set generator (feature bench-tools); the shipped one does not.
CARGO_PROFILE_RELEASE_PANIC=abort cargo build -q --release --lib --target wasm32-unknown-unknown --features bench-tools --target-dir target/bench
rm -rf target/bench-site && mkdir -p target/bench-site
wasm-bindgen --target web --out-dir target/bench-site/pkg --out-name xuncha target/bench/wasm32-unknown-unknown/release/xuncha.wasm
scripts/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  target/bench-site/pkg/xuncha_bg.wasm -o target/bench-site/pkg/xuncha_bg.wasm
echo '<!doctype html><meta charset="utf-8"><title>xuncha bench</title>' > target/bench-site/index.html
(cd tests/js && SITE_DIR="$PWD/../../target/bench-site" VISITS="$N" node bench/summary.mjs)

echo
echo "## the console's figures from per-record digests, in headless Chromium (tests/js/bench/figures.mjs)"; echo
(cd tests/js && SITE_DIR="$PWD/../../target/bench-site" VISITS="$N" node bench/figures.mjs)

echo
echo "## HQ's figures from digests: a demo bureau-year through the write path (cargo test -p xuncha-hq --release --test http -- --ignored --nocapture figures_benchmark)"
echo
echo "| step | time | ratio to the full evaluation |"
echo "|---|---|---|"
BENCH_VISITS="$N" cargo test -q -p xuncha-hq --release --test http -- --ignored --nocapture figures_benchmark 2>/dev/null | grep '^|'

echo
echo "## HQ ingest on SQLite (cargo test -p xuncha-hq --release --test http -- --ignored --nocapture ingest)"
echo
echo "| step | time | rate |"
echo "|---|---|---|"
cargo test -q -p xuncha-hq --release --test http -- --ignored --nocapture ingest 2>/dev/null | grep '^|'

echo
echo "## the officer's app in headless Chromium against a release HQ (tests/js/bench/app.mjs)"
echo
cargo build -q --release -p xuncha-hq
scripts/build-wasm.sh >/dev/null && scripts/build-site.sh >/dev/null
(cd tests/js && HQ_BIN="$PWD/../../target/release/xuncha-hq" SITE_DIR="$PWD/../../target/site" node bench/app.mjs)

echo
echo "## HQ ingest on PostgreSQL (the same benchmark, XUNCHA_TEST_PG_ADMIN_URL from scripts/postgres.sh)"
echo
echo "| step | time | rate |"
echo "|---|---|---|"
PG_URL=$(scripts/postgres.sh start)
trap 'scripts/postgres.sh stop' EXIT
XUNCHA_TEST_PG_ADMIN_URL="$PG_URL" cargo test -q -p xuncha-hq --release --test http -- --ignored --nocapture ingest 2>/dev/null | grep '^|'
