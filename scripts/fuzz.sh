#!/usr/bin/env bash
# Fuzzes the core with libFuzzer under AddressSanitizer + UndefinedBehaviorSanitizer.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Targets are tests/fuzz/<name>_fuzz.cc (record_reader, event, tensor, archive,
# logdir, graph, ...; default all of them). Builds into build/fuzz (clang, -DTBVIEW_FUZZ=ON), seeds
# each target from the generated seeds plus the corpus (TBVIEW_CORPUS, else
# ../shared/corpus beside the checkout, when present: tests/support/corpus.h), keeps the growing corpus in
# build/fuzz/corpus/<target> and anything found in build/fuzz/crashes/<target>.
# Prints executions per target; exits 1 when any target found a crash, leak,
# timeout or out-of-memory (add the input to tests/unit/fuzz_regressions_test.cc).
# TBVIEW_FUZZ_JOBS=N runs N targets at once (default 1).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_TARGET="${1:-600}"
shift || true
ALL=()
for f in tests/fuzz/*_fuzz.cc; do n="$(basename "$f")"; ALL+=("${n%_fuzz.cc}"); done
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")
BUILD="$ROOT/build/fuzz"
JOBS="${TBVIEW_FUZZ_JOBS:-1}"

if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DTBVIEW_SANITIZE=ON -DTBVIEW_FUZZ=ON >/dev/null \
    || { echo "fuzz: cmake failed"; exit 1; }
fi
ninja -C "$BUILD" tbview_fuzz_all >&2 || { echo "fuzz: build failed"; exit 1; }

SEEDS="$BUILD/seeds"
rm -rf "$SEEDS"
# The seed generator finds the corpus itself and says when there is none.
"$BUILD/tbview_fuzz_seeds" "$SEEDS" | grep '^seeds: no corpus' || true

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run_target() {
  local t="$1" bin="$BUILD/${1}_fuzz"
  local corpus="$BUILD/corpus/$t" crashes="$BUILD/crashes/$t" log="$BUILD/logs/$t.log"
  mkdir -p "$corpus" "$crashes" "$BUILD/logs" "$SEEDS/$t"  # a target seed_corpus.cc does not know seeds itself
  # -rss_limit_mb / -malloc_limit_mb: an allocation the input merely claims is a
  # finding. -timeout: one input taking over 25 s is a hang.
  "$bin" "$corpus" "$SEEDS/$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=25 \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=262144 -print_final_stats=1 \
    -artifact_prefix="$crashes/" >"$log" 2>&1
  echo $? >"$BUILD/logs/$t.rc"
}

for t in "${TARGETS[@]}"; do
  [ -x "$BUILD/${t}_fuzz" ] || { echo "fuzz: no target $t (have: ${ALL[*]})"; exit 2; }
done
running=0
for t in "${TARGETS[@]}"; do
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait

status=0
for t in "${TARGETS[@]}"; do
  log="$BUILD/logs/$t.log"
  rc="$(cat "$BUILD/logs/$t.rc" 2>/dev/null || echo 1)"
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1)"
  found="$(ls "$BUILD/crashes/$t" 2>/dev/null | wc -l)"
  if [ "$rc" != 0 ]; then
    status=1
    echo "fuzz $t: FAILED (exit $rc) after ${execs:-?} executions; ${found} inputs in build/fuzz/crashes/$t"
    grep -m3 -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|fuzz invariant broken|Test unit written' "$log" | sed 's/^/  /'
  else
    echo "fuzz $t: ok, ${execs:-?} executions in ${SECONDS_PER_TARGET}s, ${cov:-cov ?}, corpus $(ls "$BUILD/corpus/$t" | wc -l)"
  fi
done
exit $status
