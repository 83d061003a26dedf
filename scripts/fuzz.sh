#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build/fuzz (LEADTIME_FUZZ=ON:
# ASan, UBSan and coverage instrumentation; only the targets and the
# libraries they need) and runs each from a copy of its seed corpus and
# regressions for a bounded time. Exits non-zero when a target finds a crash,
# a leak, a timeout or a failed check; findings go to build/fuzz/findings/.
#
#   scripts/fuzz.sh                       every target for 20 s
#   FUZZ_SECONDS=3600 scripts/fuzz.sh server save
#
# FUZZ_SECONDS: run time per target (default 20). FUZZ_PARALLEL: targets run
# at once (default: the number of cores). FUZZ_ARGS: more libFuzzer flags.
# docs/fuzzing.md has the longer runs, with -jobs and -workers.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

all_targets=(frames orders scenario bot save server)
targets=("$@")
((${#targets[@]} > 0)) || targets=("${all_targets[@]}")
seconds=${FUZZ_SECONDS:-20}
parallel=${FUZZ_PARALLEL:-$(nproc)}
build_dir=build/fuzz

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

generator=()
if [[ ! -f "$build_dir/CMakeCache.txt" ]] && command -v ninja >/dev/null 2>&1; then
  generator=(-G Ninja)
fi
# -O1 with line tables only: quick to build, fast enough to fuzz, and stack
# traces still name the line. Warnings are errors here as in the gcc build,
# so the code stays clean under both compilers.
cmake -S . -B "$build_dir" "${generator[@]}" \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only" \
  -DLEADTIME_FUZZ=ON \
  -DLEADTIME_WERROR=ON \
  -DLEADTIME_TESTS=ON \
  -DLEADTIME_BENCH=OFF \
  -DLEADTIME_MPI=OFF >/dev/null
build_targets=()
for t in "${targets[@]}"; do build_targets+=("leadtime-fuzz-$t"); done
cmake --build "$build_dir" -j"$(nproc)" --target "${build_targets[@]}"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$build_dir/findings" "$build_dir/logs"

run_target() {
  local t=$1
  local corpus="$scratch/$t"
  mkdir -p "$corpus" "$build_dir/findings/$t"
  cp tests/fuzz/corpus/"$t"/* "$corpus"/
  if [[ -d tests/fuzz/regressions/$t ]]; then
    find tests/fuzz/regressions/"$t" -type f ! -name README.md -exec cp {} "$corpus"/ \;
  fi
  local dict=()
  case $t in
    scenario | bot) dict=(-dict=tests/fuzz/dict/lua.dict) ;;
    server) dict=(-dict=tests/fuzz/dict/server.dict) ;;
  esac
  # shellcheck disable=SC2086
  "$build_dir/tests/fuzz/leadtime-fuzz-$t" "$corpus" "${dict[@]}" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$build_dir/findings/$t/" -print_final_stats=1 ${FUZZ_ARGS:-} \
    >"$build_dir/logs/$t.log" 2>&1
}

report() {
  local t=$1 status=$2 log="$build_dir/logs/$1.log"
  local runs rate
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [[ $status -eq 0 ]]; then
    echo "fuzz $t: ok, ${runs:-?} runs, ${rate:-?} execs/s"
  else
    echo "fuzz $t: FAILED (exit $status); findings in $build_dir/findings/$t/, log $log:"
    tail -n 60 "$log"
  fi
}

failed=0
declare -A pids=()
for t in "${targets[@]}"; do
  while ((${#pids[@]} >= parallel)); do
    for done_t in "${!pids[@]}"; do
      if ! kill -0 "${pids[$done_t]}" 2>/dev/null; then
        status=0
        wait "${pids[$done_t]}" || status=$?
        report "$done_t" "$status"
        ((status == 0)) || failed=1
        unset "pids[$done_t]"
      fi
    done
    ((${#pids[@]} >= parallel)) && sleep 1
  done
  run_target "$t" &
  pids[$t]=$!
done
for t in "${!pids[@]}"; do
  status=0
  wait "${pids[$t]}" || status=$?
  report "$t" "$status"
  ((status == 0)) || failed=1
done
exit "$failed"
