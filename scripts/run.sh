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
# DEMO=1 (`make demo`): a demo bureau of its own in hq-demo/, seeded on first start
# (a year of visits, two officers, one clerk; the accounts are printed).
data=hq-data
if [ "${DEMO:-}" = 1 ]; then
  data=hq-demo
  if [ ! -e "$data/xuncha.sqlite" ]; then
    mkdir -p "$data"
    target/release/xuncha-hq admin --data-dir "$data" seed-demo --visits "${VISITS:-1500}" | tee "$data/ACCOUNTS.txt"
  else
    cat "$data/ACCOUNTS.txt" 2>/dev/null || true
  fi
fi
exec target/release/xuncha-hq --listen "127.0.0.1:${PORT:-8080}" --data-dir "$data" --site target/site
