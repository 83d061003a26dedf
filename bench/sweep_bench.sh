#!/usr/bin/env bash
# Matches per second of `leadtime-batch sweep` on the default scenario with
# its Lua bots (bench/sweep_bench.lua, 4,000 matches written to SQLite): on
# one thread, on every core, and under `mpirun -np 2` (one thread per rank).
# Each case runs REPEAT times (default 3) into a fresh file; the median is
# reported, with the scaling efficiency against one thread. Run from any
# directory with a Release build that has MPI:
#   cmake -S . -B build/sweep-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DLEADTIME_TESTS=OFF -DLEADTIME_MPI=ON \
#     -DLEADTIME_BENCH=OFF && cmake --build build/sweep-rel --target leadtime-batch
#   bench/sweep_bench.sh [path/to/leadtime-batch]
# The rate is the tool's own (runs played over the playing time, the spec
# check and the summary excluded); the wall time of the whole command is
# shown beside it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

exe=${1:-build/sweep-rel/batch/leadtime-batch}
repeat=${REPEAT:-3}
cores=$(nproc)
spec=bench/sweep_bench.lua
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints "<runs/s> <wall s>" for one run of the command after --.
measure() {
  rm -f "$work/out.db"
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  end=$(date +%s.%N)
  local rate
  rate=$(grep -o '[0-9]* runs/s' "$work/err" | tail -1 | cut -d' ' -f1)
  echo "$rate $(echo "$end - $start" | bc -l)"
}

median_of() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Runs a case REPEAT times; prints its median rate and median wall time.
bench_case() {
  local label=$1
  shift
  : >"$work/rates"
  : >"$work/walls"
  for _ in $(seq "$repeat"); do
    read -r rate wall < <(measure "$@")
    echo "$rate" >>"$work/rates"
    echo "$wall" >>"$work/walls"
  done
  local rate wall
  rate=$(median_of <"$work/rates")
  wall=$(median_of <"$work/walls")
  printf '%-22s %8s matches/s  (%5.2f s wall, runs/s of %s repeats: %s)\n' "$label" "$rate" "$wall" "$repeat" \
    "$(paste -sd' ' "$work/rates")" >&2
  echo "$rate"
}

echo "leadtime-batch sweep $spec: 4000 matches, $cores cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
one=$(bench_case "1 thread" "$exe" sweep "$spec" --out "$work/out.db" --threads 1 --no-summary)
all=$(bench_case "$cores threads" "$exe" sweep "$spec" --out "$work/out.db" --threads "$cores" --no-summary)
mpi=$(bench_case "mpirun -np 2" mpirun --allow-run-as-root --oversubscribe -np 2 "$exe" sweep "$spec" \
  --out "$work/out.db" --no-summary)
awk -v one="$one" -v all="$all" -v mpi="$mpi" -v cores="$cores" 'BEGIN {
  printf "scaling efficiency: %d threads %.0f%% of %d x one thread; 2 MPI ranks %.0f%% of 2 x one thread\n",
    cores, 100 * all / (cores * one), cores, 100 * mpi / (2 * one) }' >&2
