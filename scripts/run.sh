#!/usr/bin/env bash
# Builds the release configuration in build/release (with MPI when Open MPI
# is installed) and starts the game server on 127.0.0.1 (PORT, default 7700) with the default scenario, its
# games recorded in saves/leadtime.db (recovered when it starts again), and
# prints how a facilitator and the teams join with leadtime-cli. Extra
# arguments go to leadtime-server (`scripts/run.sh --help` lists them).
# Works from any directory; paths are relative to the repository root.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh

build_dir=build/release
port=${PORT:-7700}
web_port=${WEB_PORT:-8080}

# The server's SQLite database, its facilitator key and exported save files
# live here.
mkdir -p saves

generator=()
if [[ ! -f "$build_dir/CMakeCache.txt" ]] && command -v ninja >/dev/null 2>&1; then
  generator=(-G Ninja)
fi

# leadtime-batch spreads sweeps over MPI ranks (docs/sweeps.md) whenever Open
# MPI's compiler wrapper is installed, as install-deps.sh installs it.
mpi=OFF
if command -v mpicxx >/dev/null 2>&1; then
  mpi=ON
fi

cmake -S . -B "$build_dir" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Release \
  -DLEADTIME_TESTS=OFF \
  -DLEADTIME_BENCH=OFF \
  -DLEADTIME_MPI="$mpi"
cmake --build "$build_dir" -j"$(nproc)" --target leadtime-server leadtime-cli leadtime-batch

# The browser pages (install-deps.sh installs Node.js and npm; the packages
# come from web/package-lock.json).
web_args=()
if command -v npm >/dev/null 2>&1; then
  web/build.sh
  web_args=(--web "127.0.0.1:$web_port" --web-root web/dist)
else
  echo "npm not found: the server starts without its browser pages (scripts/install-deps.sh installs npm)"
fi

cli="$build_dir/client-cli/leadtime-cli"
cat <<HELP

Leadtime server on 127.0.0.1:$port, scenario scenarios/2028.lua, games in saves/leadtime.db.

In a browser: http://127.0.0.1:$web_port/ (the server prints the facilitator's
console link, with the key, as it starts: "the facilitator's console ...").
The console creates games and hands out each seat's link, QR code and handout.

Facilitator in a terminal (the key is in saves/facilitator.key, created on first start):
  $cli connect 127.0.0.1:$port --key-file saves/facilitator.key
  leadtime> create people=us,cn,eu deadline=10m     # prints one token per seat
  leadtime> start

Each team, with its seat's token:
  $cli connect 127.0.0.1:$port --token-file us.token

Stop the server with Ctrl-C; unfinished games come back when it starts again.
HELP
if [[ $mpi == ON ]]; then
  mpirun_root=""
  if [[ $EUID -eq 0 ]]; then
    # Open MPI refuses to start as root unless told to (containers, CI).
    mpirun_root=" --allow-run-as-root"
  fi
  echo "Sweeps over MPI ranks (docs/sweeps.md):"
  echo "  mpirun$mpirun_root -np 2 $build_dir/batch/leadtime-batch sweep scenarios/sweeps/enforcement.lua"
else
  echo "leadtime-batch is built without MPI (no mpicxx found; scripts/install-deps.sh installs Open MPI)."
fi
echo

exec "$build_dir/server/leadtime-server" --listen "127.0.0.1:$port" --scenario scenarios/2028.lua \
  --db saves/leadtime.db --facilitator-key-file saves/facilitator.key "${web_args[@]}" "$@"
