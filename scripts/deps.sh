#!/usr/bin/env bash
# Installs the Debian packages the build needs, if any is missing, as root or through sudo.
set -euo pipefail
packages=(libtorch-dev libopenblas0-pthread cmake g++ make)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing missing packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v dotnet >/dev/null || {
  echo "error: the .NET SDK (10.0) is not on PATH; install it from https://dot.net and run again" >&2; exit 1; }
