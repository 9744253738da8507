#!/usr/bin/env bash
# Every test: native (cargo test), HQ's HTTP suite again on PostgreSQL, Schemathesis against HQ's API
# document on both databases, the release wasm build, the JS API in
# headless Chromium (wasm-bindgen-test), and the TypeScript declarations (tsc).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# HQ logs a line per request; the tests start many HQs (one test reads the lines itself).
export XUNCHA_LOG=${XUNCHA_LOG:-warn}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "native tests (cargo test)"
cargo test --workspace

step "HQ over HTTP again, on PostgreSQL (a throwaway server from scripts/postgres.sh)"
PG_URL=$(scripts/postgres.sh start)
trap 'scripts/postgres.sh stop' EXIT
XUNCHA_TEST_PG_ADMIN_URL="$PG_URL" cargo test -p xuncha-hq --test http

step "HQ against its API document: Schemathesis as an officer and as staff, on SQLite and on PostgreSQL (bounded)"
scripts/schemathesis.sh
scripts/schemathesis.sh "$PG_URL"

step "release wasm build (pkg/)"
scripts/build-wasm.sh

step "JavaScript API in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test web

step "TypeScript declarations (tsc --strict against pkg/xuncha.d.ts)"
(cd tests/js && npx --no-install tsc -p .)
echo "tsc: declarations and typical use type-check"

step "pages on the release build in Chromium (playwright-core, node --test)"
scripts/build-site.sh
(cd tests/js && SITE_DIR="$PWD/../../target/site" ARTIFACTS="$PWD/../artifacts" node --test --test-concurrency=1 browser/)

step "the officer's app end to end: Playwright + Chromium against a real HQ process (offline visit, faults, axe)"
cargo build -q -p xuncha-hq
(cd tests/js && SITE_DIR="$PWD/../../target/site" ARTIFACTS="$PWD/../artifacts" node --test --test-concurrency=1 app/)

step "all tests passed"
