#!/usr/bin/env bash
# Installs the Debian packages Leadtime builds and tests with, only when missing.
# Idempotent and quiet when everything is present; runs `apt-get update` only
# when it has something to install.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libasio-dev libflatbuffers-dev flatbuffers-compiler
  libsqlite3-dev liblua5.4-dev libspdlog-dev doctest-dev
  libcli11-dev nlohmann-json3-dev libsodium-dev libxxhash-dev
  libedit-dev libbenchmark-dev
  openmpi-bin libopenmpi-dev tmux python3 ninja-build ccache
)
packages+=("$@")

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
