#!/usr/bin/env bash
# Builds the native core, CLI, tests and benchmark into build/native (Release).
#   scripts/build.sh [extra cmake -D options]
# TBVIEW_BUILD_DIR overrides the folder (the sanitizer build uses build/asan).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${TBVIEW_BUILD_DIR:-$ROOT/build/native}"
if [ ! -f "$BUILD/build.ninja" ] || [ $# -gt 0 ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
fi
ninja -C "$BUILD" >&2
