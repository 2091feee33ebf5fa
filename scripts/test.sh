#!/usr/bin/env bash
# Sets up whatever is missing and runs every test:
#   0. the set-up itself, from a fresh copy of the checkout with empty caches
#      (scripts/test_fresh_clone.sh: the source download, the wasm deps build, npm
#      ci and the main command serving the demo logs)
#   1. native unit tests and conformance against ../shared/corpus (ctest), and the
#      JS tests' own event writer against the native tool (tests/support)
#   2. the same unit tests under AddressSanitizer + UndefinedBehaviorSanitizer,
#      then a short libFuzzer run per fuzz target (TBVIEW_FUZZ_SECONDS, default 60)
#   3. the wasm module in Node (same output as the native tool on the corpus)
#   4. the web app build, then front-end unit tests (node --test)
#   5. end-to-end tests in headless Chromium (the e2e tests skip, saying so, when a
#      build they need is missing; under this script that would mean an earlier
#      stage failed, which is reported there)
#   6. style: scripts/lint.sh (clang-format, ESLint, Prettier, tsc --checkJs)
# Every stage runs even when an earlier one failed; the last line counts them.
# TBVIEW_CORPUS=DIR points the corpus tests at another folder laid out like
# ../shared/corpus (they skip, saying so, when it is absent).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export TBVIEW_CORPUS="${TBVIEW_CORPUS:-$(cd "$ROOT/.." && pwd)/shared/corpus}"
# The later stages use the wasm build of the earlier one: fail, never fall back.
export TBVIEW_REQUIRE_WASM=1
passed=0; failed=0; failures=()
stage() {
  local name="$1"; shift
  echo "=== $name"
  if "$@"; then passed=$((passed + 1)); echo "=== $name: ok"
  else failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED"; fi
}

scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

native() {
  scripts/build.sh -DTBVIEW_CORPUS="$TBVIEW_CORPUS" && \
  ctest --test-dir build/native --output-on-failure -j2 && \
  node --test tests/support/   # the JS tests' event writer, checked against the CLI's
}
sanitizers() {
  TBVIEW_BUILD_DIR="$ROOT/build/asan" scripts/build.sh -DTBVIEW_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
    -DTBVIEW_CORPUS="$TBVIEW_CORPUS" && \
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build/asan --output-on-failure -j2
}
# libFuzzer targets (tests/fuzz) under ASan + UBSan, TBVIEW_FUZZ_SECONDS each (default
# 60), two at a time; fails on any crash, leak, timeout or broken invariant.
fuzz() { TBVIEW_FUZZ_JOBS="${TBVIEW_FUZZ_JOBS:-2}" scripts/fuzz.sh "${TBVIEW_FUZZ_SECONDS:-60}"; }
wasm() { scripts/build_wasm.sh && node --test tests/wasm/; }
web_unit() { (cd web && node --test test/); }
e2e() { node --test --test-concurrency=1 tests/e2e/; }
# The app (web/dist) is built once, before the tests that use it.
web_build() { (cd web && npx vite build --logLevel warn); }

stage "set-up from a fresh clone" scripts/test_fresh_clone.sh
stage "native tests" native
stage "sanitizer tests" sanitizers
stage "fuzz (${TBVIEW_FUZZ_SECONDS:-60} s per target)" fuzz
stage "wasm tests (Node)" wasm
stage "web app build" web_build
stage "front-end unit tests" web_unit
stage "end-to-end tests (Chromium)" e2e
stage "style (scripts/lint.sh)" scripts/lint.sh

echo
[ $failed -eq 0 ] || echo "failed stages: ${failures[*]}"
echo "stages: $passed passed, $failed failed"
[ $failed -eq 0 ]
