#!/usr/bin/env bash
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
)
case "${1:-}" in
  bench) packages+=(wrk nginx-light) ;;
  "") ;;
  *) echo "usage: $0 [bench]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "bootstrap: installing ${missing[*]}" >&2
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
