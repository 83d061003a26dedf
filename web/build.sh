#!/bin/sh
# Builds the browser pages into web/dist (what leadtime-server --web-root
# serves): installs the npm packages from the lockfile when they are missing
# or older than it, generates the protocol bindings with flatc, type-checks
# and bundles with Vite.
#
#   web/build.sh              install if needed, then build web/dist
#   web/build.sh --out DIR    the same, into DIR (each build directory's tests)
#   web/build.sh --deps       install if needed and generate the bindings only
set -eu
cd "$(dirname "$0")"
out=dist
deps_only=no
while [ $# -gt 0 ]; do
  case "$1" in
    --deps) deps_only=yes ;;
    --out) out="$2"; shift ;;
    *) echo "web/build.sh: unknown argument '$1' (takes --deps or --out DIR)" >&2; exit 2 ;;
  esac
  shift
done
command -v node >/dev/null 2>&1 || { echo "web/build.sh: node not found (Debian packages nodejs and npm)" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "web/build.sh: npm not found (Debian package npm)" >&2; exit 1; }
# npm writes node_modules/.package-lock.json on every install: older than the
# lockfile means the lockfile changed since.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
sh ./gen.sh
[ "$deps_only" = yes ] && exit 0
./node_modules/.bin/tsc --noEmit -p tsconfig.json
./node_modules/.bin/vite build --logLevel warn --outDir "$out"
echo "web/build.sh: built $(cd "$out" && pwd)"
