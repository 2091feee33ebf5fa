#!/usr/bin/env bash
# Builds the WebAssembly module (Emscripten, -O3) in two flavours:
#   build/wasm/tbview_node.cjs  CommonJS, synchronous compile, for Node (tests, benchmarks)
#   build/wasm/tbview_web.js    classic script for the page's Web Worker (works from
#                               file://), copied to web/public/wasm/ (git-ignored)
#                               so that the app build ships it
# Both are single files (-sSINGLE_FILE=1: the .wasm is embedded), which also avoids
# Emscripten 3.1.6's fetch()-a-file-path failure under Node 18+.
#   scripts/build_wasm.sh [ninja target...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build/wasm"
PREFIX="${TBVIEW_DEPS:-$ROOT/.deps}/wasm"
OUT="$ROOT/web/public/wasm"

log() { printf '[build-wasm] %s\n' "$*" >&2; }

command -v emcmake >/dev/null || { log "emcmake not found: run scripts/setup.sh"; exit 1; }
# NodeSource's node does not search Debian's module folder, where emcc's acorn is.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

"$ROOT/scripts/build_wasm_deps.sh"  # instant when already built

if [ ! -f "$BUILD/build.ninja" ]; then
  log "configuring $BUILD"
  # emcmake's default test emulator (node --experimental-wasm-threads) is
  # rejected by Node 20; CMAKE_FIND_ROOT_PATH is what the Emscripten toolchain
  # searches (not CMAKE_PREFIX_PATH).
  emcmake cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node \
    -DCMAKE_FIND_ROOT_PATH="$PREFIX" -DTBVIEW_WASM_PREFIX="$PREFIX" >/dev/null
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(tbview_wasm_node tbview_wasm_web)
ninja -C "$BUILD" "${targets[@]}"

mkdir -p "$OUT"
status=0
rm -f "$OUT/tbview_node.cjs"  # older builds copied the Node flavour too
for f in tbview_node.cjs tbview_web.js; do
  if [ ! -f "$BUILD/$f" ]; then
    log "missing $BUILD/$f"
    status=1
    continue
  fi
  where="build/wasm/$f"
  if [ "$f" = tbview_web.js ]; then cp "$BUILD/$f" "$OUT/$f"; where="web/public/wasm/$f"; fi
  raw=$(stat -c %s "$BUILD/$f")
  gz=$(gzip -9 -c "$BUILD/$f" | wc -c)
  printf '%-16s %8d bytes raw, %8d bytes gzipped  (%s)\n' "$f" "$raw" "$gz" "$where"
done
exit $status
