#!/usr/bin/env bash
# The main job: sets up whatever is missing, builds the wasm engine and the web
# app, and serves the viewer on http://localhost:6006.
#   scripts/run.sh                  opens the demo log set (written by tbview's own writer)
#   scripts/run.sh --logdir DIR     opens DIR (served read-only, with HTTP Range support)
#   scripts/run.sh --port N         another port
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOGDIR=""
PORT=6006
while [ $# -gt 0 ]; do
  case "$1" in
    --logdir) LOGDIR="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh" tbview
"$ROOT/scripts/build_wasm.sh"
(cd "$ROOT/web" && npx vite build --logLevel warn)
if [ -z "$LOGDIR" ]; then
  LOGDIR="$ROOT/build/demo-logs"
  rm -rf "$LOGDIR"
  "$ROOT/build/native/tbview" demo "$LOGDIR"
fi
exec node "$ROOT/scripts/serve.mjs" --port "$PORT" --root "$ROOT/web/dist" --logdir "$LOGDIR"
