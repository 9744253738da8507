#!/usr/bin/env bash
# Builds everything and starts HQ on http://127.0.0.1:8080 (PORT to change):
# the sync API, with its SQLite file in hq-data/, and the site beside it
# (the officer's app at /, the record-check console at /console.html).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-wasm.sh
scripts/build-site.sh
cargo build -q --release -p xuncha-hq
exec target/release/xuncha-hq --listen "127.0.0.1:${PORT:-8080}" --data-dir hq-data --site target/site
