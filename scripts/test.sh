#!/usr/bin/env bash
# Builds Leadtime with warnings as errors and AddressSanitizer +
# UndefinedBehaviorSanitizer in build/test and runs every test through ctest
# (the fuzz targets' corpora and regressions among them), then builds the
# libFuzzer targets with clang in build/fuzz and fuzzes each for a short
# bounded time (scripts/fuzz.sh; FUZZ_SECONDS per target, default 20, 0 to
# skip). Exits non-zero when ctest or any fuzz run fails. Works from any
# directory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Beyond the build's own packages the tests need clang with libFuzzer (the
# bounded fuzz runs) and Chromium (the report pages are opened headless).
scripts/install-deps.sh clang libclang-rt-14-dev chromium

build_dir=build/test
jobs=$(nproc)

# Sanitizer defaults; a caller's own settings win.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

generator=()
# Use Ninja when available, but never switch the generator of an existing
# build directory (CMake refuses that).
if [[ ! -f "$build_dir/CMakeCache.txt" ]] && command -v ninja >/dev/null 2>&1; then
  generator=(-G Ninja)
fi

cmake -S . -B "$build_dir" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Debug \
  -DLEADTIME_WERROR=ON \
  -DLEADTIME_SANITIZE=ON \
  -DLEADTIME_MPI=ON
cmake --build "$build_dir" -j"$jobs"

status=0
ctest --test-dir "$build_dir" --output-on-failure -j"$jobs" || status=$?

if [[ ${FUZZ_SECONDS:-20} != 0 ]]; then
  fuzz_status=0
  scripts/fuzz.sh || fuzz_status=$?
  ((status != 0)) || status=$fuzz_status
fi
exit "$status"
