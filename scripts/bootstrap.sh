#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages the project needs, when (and only when) some
# are missing. Idempotent: a second run does nothing. Uses sudo when not root.
#
#   scripts/bootstrap.sh            # build + test dependencies
#   scripts/bootstrap.sh bench      # ... plus what the benchmarks compare against
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  libcurl4-openssl-dev libssl-dev libsimdjson-dev libmicrohttpd-dev
  libcmocka-dev libcjson-dev libjansson-dev clang-format python3 python3-yaml
  python3-jsonschema
  chromium fonts-dejavu-core
  libhiredis-dev redis-server redis-sentinel
)
# spotify_sdk, the Python package (python/): Debian's interpreter with its
# headers, setuptools and pip (built offline, no build isolation), pytest
# and pytest-asyncio for its tests, requests for the benchmark's floor.
packages+=(python3-dev python3-setuptools python3-pip python3-pytest python3-pytest-asyncio
  python3-requests)
# The async API: its test suite also runs on libuv (header-only adapter); the
# HTTP/2 test runs nginx with TLS (a throwaway certificate from openssl).
packages+=(libuv1-dev nginx-light openssl)
# Release checks: the ABI baseline (abidw/abidiff), Debian packages
# (debhelper, lintian) and the API reference (doxygen).
packages+=(abigail-tools debhelper fakeroot lintian doxygen)
# The real-browser login test drives Debian's chromium with puppeteer-core
# (npm); the emulator's client test runs Spotify's TypeScript SDK and
# spotify-web-api-node (npm). Node comes from Debian when the machine has none.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
case "${1:-}" in
  bench) packages+=(wrk nginx-light) ;;
  "") ;;
  *) echo "usage: $0 [bench]" >&2; exit 2 ;;
esac

# npm packages of the tests, from each directory's package-lock.json (the
# browser test's never downloads a browser): DIR and a package it must hold.
install_npm_dir() {
  local dir="$(dirname "$0")/../$1"
  [[ -f $dir/node_modules/$2/package.json ]] && return 0
  echo "bootstrap: npm ci in $1" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}
install_node_modules() {
  install_npm_dir tests/local puppeteer-core
  install_npm_dir tests/clients @spotify/web-api-ts-sdk
}

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  install_node_modules
  exit 0
fi

echo "bootstrap: installing ${missing[*]}" >&2
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_node_modules
