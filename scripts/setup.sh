#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently, on a clean
# machine: the wasm target, the pinned nightly of the shipped wasm, wasm-bindgen-cli pinned to Cargo.lock's version,
# Chromium + ChromeDriver + CJK fonts + PostgreSQL (apt), binaryen's wasm-opt (npm, in
# scripts/), the npm packages of the tests, and Schemathesis (pip, in a venv).
set -euo pipefail
cd "$(dirname "$0")/.."

# Must equal the `wasm-bindgen = "=…"` pin in Cargo.toml (checked below against Cargo.lock).
WASM_BINDGEN_VERSION=0.2.130

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

locked=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null || true)
if [ -n "$locked" ] && [ "$locked" != "$WASM_BINDGEN_VERSION" ]; then
  echo "Cargo.lock has wasm-bindgen $locked but scripts/setup.sh pins $WASM_BINDGEN_VERSION; make them equal." >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The pinned nightly that builds the shipped wasm (scripts/build-wasm.sh says why), with std's source.
WASM_TOOLCHAIN=$(sed -n 's/^WASM_TOOLCHAIN=//p' scripts/build-wasm.sh)
if ! rustup "+$WASM_TOOLCHAIN" component list --installed 2>/dev/null | grep -q '^rust-src' \
  || ! rustup "+$WASM_TOOLCHAIN" target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "installing Rust $WASM_TOOLCHAIN with rust-src and the wasm32 target (builds the shipped wasm)"
  rustup toolchain install "$WASM_TOOLCHAIN" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qF "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # not --locked: the CLI's own lock file names a crate version this registry mirror lacks
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
# CJK fonts so that screenshots of Chinese screens show text, not boxes
[ -d /usr/share/fonts/opentype/noto ] || need_apt+=(fonts-noto-cjk)
# PostgreSQL: HQ's scale-out path, tested against a throwaway server (scripts/postgres.sh)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_apt+=(postgresql)
# pdftotext: the documents test reads back the text of each printed PDF
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
# Python's venv, for Schemathesis (Debian ships it apart from python3)
python3 -c 'import ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} (apt)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

for dir in scripts www tests/js; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    say "installing npm packages in $dir"
    # `npm ci` refuses www's lock: this registry lacks rollup's non-Linux platform packages,
    # so they are absent from the lock, and npm ci calls that "out of sync". `npm install`
    # honours the same lock (it leaves it unchanged here), so it is the fallback.
    (cd "$dir" && { npm ci --no-audit --no-fund --silent 2>/dev/null \
      || npm install --no-audit --no-fund --silent; })
  fi
done
# Schemathesis (PyPI), pinned, in its own venv: checks HQ against its API document.
SCHEMATHESIS_VERSION=$(sed -n 's/^SCHEMATHESIS_VERSION=//p' scripts/schemathesis.sh)
if ! target/schemathesis-venv/bin/schemathesis --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
  say "installing Schemathesis $SCHEMATHESIS_VERSION (pip, in target/schemathesis-venv)"
  mkdir -p target
  python3 -m venv target/schemathesis-venv
  target/schemathesis-venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
say "ready"
