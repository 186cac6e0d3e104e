#!/usr/bin/env bash
# The demo `make demo` runs, from build dir $1. Until spotify-emulator lands,
# it shows the library on its own: version, configuration errors, and a call
# to a server that is not there (a categorised transport error after retries).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
run() {
  printf '\n$ %s\n' "$*"
  "$@" || true
}
run "$build/examples/hello"
export SPOTIFY_ACCESS_TOKEN=demo-token
run env SPOTIFY_SDK_API_BASE_URL=http://127.0.0.1:9/v1 "$build/examples/raw_request" /albums/4aawyAB9vmqN3uQ7FjRGTy
run env SPOTIFY_SDK_API_BASE_URL=not-a-url "$build/examples/raw_request" /me
