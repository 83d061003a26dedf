#!/bin/sh
# TypeScript bindings of the wire protocol, generated from the one schema
# every client uses (protocol/leadtime.fbs) with Debian's flatc 2.0.8, whose
# output the npm flatbuffers 2.0.x runtime reads. Not committed: src/generated/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
schema="$here/../protocol/leadtime.fbs"
out="$here/src/generated"
command -v flatc >/dev/null 2>&1 || { echo "gen.sh: flatc not found (Debian package flatbuffers-compiler)" >&2; exit 1; }
# Generated aside and moved in whole, so a build running at the same time
# (another build directory's tests) never sees half a folder.
tmp="$out.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
flatc --ts --gen-object-api -o "$tmp" "$schema"
# The generated files import every union member whether used or not; the
# pages are compiled with noUnusedLocals, which is for our code, not flatc's.
find "$tmp" -name '*.ts' -exec sed -i '1i // @ts-nocheck' {} +
if [ -d "$out" ] && diff -r "$tmp" "$out" >/dev/null 2>&1; then exit 0; fi
rm -rf "$out.old.$$"
[ -d "$out" ] && mv "$out" "$out.old.$$"
mv "$tmp" "$out"
rm -rf "$out.old.$$"
