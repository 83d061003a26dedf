#!/usr/bin/env bash
# Builds the release configuration in build/release and runs Leadtime.
#
# Until the game server exists (issue #4), the main job is a headless match:
# leadtime-batch plays the default scenario with the given seed and prints its
# outcome table. Extra arguments are passed on to `leadtime-batch match`
# (`scripts/run.sh --help` lists them); SEED picks the seed (default 1).
# Works from any directory; paths are relative to the repository root.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh

build_dir=build/release

# The server's SQLite database and exported save files live here.
mkdir -p saves

generator=()
if [[ ! -f "$build_dir/CMakeCache.txt" ]] && command -v ninja >/dev/null 2>&1; then
  generator=(-G Ninja)
fi

cmake -S . -B "$build_dir" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Release \
  -DLEADTIME_TESTS=OFF \
  -DLEADTIME_BENCH=OFF
cmake --build "$build_dir" -j"$(nproc)" --target leadtime-batch

exec "$build_dir/batch/leadtime-batch" match --scenario scenarios/2028.lua --seed "${SEED:-1}" "$@"
