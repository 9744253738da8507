#!/usr/bin/env bash
# Builds the core and serves the site on http://127.0.0.1:8080 (PORT to change).
# Until the HQ server (hq/) lands, the site is the record-check console.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-wasm.sh
scripts/build-site.sh
echo "serving http://127.0.0.1:${PORT:-8080}/  (Ctrl-C to stop)"
exec python3 -m http.server "${PORT:-8080}" --bind 127.0.0.1 --directory target/site
