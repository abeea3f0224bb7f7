#!/usr/bin/env bash
# Installs every Debian 12 package Frontline Kiosk needs to build, test and run its demo.
# Idempotent: packages already present are not touched, and apt is not asked at all when
# nothing is missing. Without root it prints the exact apt-get line to run instead.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config git ca-certificates clang-format clang-tidy
  # libraries the code links
  libimgui-dev libglfw3-dev libsdl2-dev libgl-dev
  libsqlite3-dev libpq-dev libcurl4-openssl-dev libmicrohttpd-dev zlib1g-dev libgnutls28-dev
  nlohmann-json3-dev libcli11-dev libsodium-dev libstb-dev doctest-dev libxml2-dev
  libqrencode-dev
  # libFuzzer targets (scripts/fuzz.sh): clang and its fuzzer and sanitizer runtimes
  clang libclang-rt-14-dev
  # headless windows for the demo and the UI tests
  xvfb xauth libgl1-mesa-dri libglx-mesa0 xdotool fonts-dejavu-core
  # tools the tests and benchmarks call
  sqlite3 curl procps
  # taps through XTEST for bench/tap_feedback.sh
  libxtst-dev
  # palette PNGs for the screenshots kept in docs/ (scripts/screenshots.sh)
  pngquant
  # test certificates for the HTTPS tests (tests/integration/tls_sync_test.cpp)
  openssl
  # a throwaway PostgreSQL cluster for the tests of kiosk-hq on PostgreSQL (tests/pg/)
  postgresql
  # store time zones for the escalation ladder's business hours (kiosk-hq reads zoneinfo)
  tzdata
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} Debian packages are already installed."
  exit 0
fi

echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: not root. Run this, then run the command again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done."
