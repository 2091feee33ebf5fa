#!/usr/bin/env bash
# Checks the style of the code without changing it; exits 1 on any finding.
#   scripts/lint.sh
# - C++ (wasm/ and tests/, our sources only; generated protobuf code lives in
#   build/): `clang-format --dry-run --Werror` with the top-level .clang-format.
#   To fix: clang-format -i FILE...
# - web/, when web/node_modules is installed: `npm run lint`, `npm run
#   format:check` and `npm run typecheck` (ESLint, Prettier, tsc --checkJs), each
#   skipped with a message while web/package.json does not define it.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
failed=()

# ---- C++
if ! command -v clang-format >/dev/null; then
  echo "lint: clang-format is not installed (scripts/setup.sh installs it)"
  failed+=(clang-format)
else
  mapfile -t cxx < <(find wasm tests -type f \( -name '*.cc' -o -name '*.h' \) ! -name '*.pb.*' | LC_ALL=C sort)
  echo "lint: clang-format over ${#cxx[@]} C++ files"
  if ! clang-format --dry-run --Werror --style=file "${cxx[@]}"; then
    failed+=(clang-format)
  fi
fi

# ---- web
if [ ! -d web/node_modules ]; then
  echo "lint: web/node_modules is not installed (scripts/setup.sh, or cd web && npm ci): web checks skipped"
else
  for script in lint format:check typecheck; do
    if ! node -e 'process.exit(require("./web/package.json").scripts?.[process.argv[1]] ? 0 : 1)' "$script"; then
      echo "lint: web/package.json has no \"$script\" script yet: skipped"
      continue
    fi
    echo "lint: npm run $script (web/)"
    (cd web && npm run --silent "$script") || failed+=("npm run $script")
  done
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "lint: findings from: ${failed[*]}"
  exit 1
fi
echo "lint: clean"
