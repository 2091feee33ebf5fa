#!/usr/bin/env bash
# Installs whatever is missing on a fresh Debian 12 machine, idempotently:
#   - Debian packages: compilers, protobuf, zlib, GoogleTest, Emscripten, Chromium;
#   - the WebAssembly builds of zlib and protobuf-lite, built from Debian's source
#     packages (same versions as the native ones) into .deps/wasm (git-ignored);
#   - the front end's npm packages (npm ci in web/).
# Every step checks first and does nothing when its result is already there, so
# scripts/run.sh and scripts/test.sh call it every time.
#   scripts/setup.sh [--native-only]   skip emscripten, wasm deps, chromium, npm
#   scripts/setup.sh --print-packages  list the Debian packages it installs, and exit
# Nothing here relies on what an earlier session left on the machine: the wasm deps
# come from an empty cache when there is none (scripts/build_wasm_deps.sh), the
# system's apt configuration is not edited, and npm packages come from
# web/package-lock.json alone (no global package). scripts/test_fresh_clone.sh
# proves it on every test run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NATIVE_ONLY=0
[ "${1:-}" = "--native-only" ] && NATIVE_ONLY=1

log() { printf '[setup] %s\n' "$*" >&2; }
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

NATIVE_PKGS=(build-essential cmake ninja-build pkg-config protobuf-compiler libprotobuf-dev
             zlib1g-dev libgtest-dev clang libclang-rt-14-dev clang-format bzip2 git)
WEB_PKGS=(emscripten chromium nodejs)
if [ "${1:-}" = "--print-packages" ]; then printf '%s\n' "${NATIVE_PKGS[@]}" "${WEB_PKGS[@]}"; exit 0; fi

missing=()
want=("${NATIVE_PKGS[@]}")
[ $NATIVE_ONLY = 1 ] || want+=("${WEB_PKGS[@]}")
for p in "${want[@]}"; do
  # nodejs may come from NodeSource or elsewhere: a working node is enough.
  if [ "$p" = nodejs ] && command -v node >/dev/null && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ $NATIVE_ONLY = 1 ] && exit 0

"$ROOT/scripts/build_wasm_deps.sh"

if [ ! -d "$ROOT/web/node_modules" ] || [ "$ROOT/web/package-lock.json" -nt "$ROOT/web/node_modules/.package-lock.json" ]; then
  if [ -f "$ROOT/web/package-lock.json" ]; then
    log "npm ci in web/"
    (cd "$ROOT/web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
