#!/usr/bin/env bash
# Builds the static site into target/site with Vite (www/): the officer's app
# (PWA: manifest, service worker precaching the shell and the wasm) and the
# record-check console. Expects pkg/ built (scripts/build-wasm.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
(cd www && npx --no-install vite build --logLevel warn)
cp tests/fixtures/visit_complete.json target/site/example-visit.json
# Precompressed copies (brotli, gzip) for HQ to serve with Content-Encoding.
node scripts/precompress.mjs target/site
# The service worker must carry its precache list (Workbox replaces self.__WB_MANIFEST):
# without it the worker never installs and the app does not start offline.
if grep -q '__WB_MANIFEST' target/site/sw.js; then
  echo "target/site/sw.js: the precache manifest was not injected" >&2
  exit 1
fi
