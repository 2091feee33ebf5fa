#!/usr/bin/env bash
# Builds the native core, CLI, tests and benchmark into build/native (Release).
#   scripts/build.sh [-DOPTION=VALUE ...] [ninja target ...]
# Arguments starting with -D go to cmake (and force a reconfigure); any other
# argument is a ninja target (default: all). scripts/run.sh and scripts/tbview
# build only the `tbview` command-line tool.
# TBVIEW_BUILD_DIR overrides the folder (the sanitizer build uses build/asan).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${TBVIEW_BUILD_DIR:-$ROOT/build/native}"
defs=(); targets=()
for a in "$@"; do
  case "$a" in -D*) defs+=("$a") ;; *) targets+=("$a") ;; esac
done
if [ ! -f "$BUILD/build.ninja" ] || [ ${#defs[@]} -gt 0 ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release "${defs[@]}" >/dev/null
fi
ninja -C "$BUILD" "${targets[@]}" >&2
