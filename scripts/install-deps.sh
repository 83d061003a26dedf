#!/usr/bin/env bash
# Installs the Debian packages Leadtime builds and tests with, only when missing.
# Idempotent and quiet when everything is present; runs `apt-get update` only
# when it has something to install.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost1.81-dev libssl-dev libflatbuffers-dev flatbuffers-compiler
  libsqlite3-dev liblua5.4-dev libspdlog-dev doctest-dev
  libcli11-dev nlohmann-json3-dev libsodium-dev libxxhash-dev
  libedit-dev libbenchmark-dev
  openmpi-bin libopenmpi-dev tmux python3 ninja-build ccache
  nodejs chromium
)
packages+=("$@")
# The web pages build with npm; Debian's nodejs ships it separately, while
# other builds of nodejs carry their own.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
