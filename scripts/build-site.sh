#!/usr/bin/env bash
# Assembles the static site (www/ + pkg/) into target/site. Expects pkg/ built.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf target/site && mkdir -p target/site
cp -r www/. target/site/
cp -r pkg target/site/pkg
cp tests/fixtures/visit_complete.json target/site/example-visit.json
