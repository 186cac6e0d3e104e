#!/usr/bin/env bash
# The demo `make demo` runs, from build dir $1: starts spotify-emulator on a
# free port and runs the example programs against it, printing each command
# before its output. (spotctl will take over the demo when it exists.)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=$(mktemp -d)
emulator_pid=
cleanup() {
  if [[ -n $emulator_pid ]]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$build/emulator/spotify-emulator" --port 0 --ready-file "$work/ready" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
  [[ -s $work/ready ]] && break
  sleep 0.05
done
base=$(cat "$work/ready")
echo "spotify-emulator is standing in for Spotify at $base"

export SPOTIFY_SDK_API_BASE_URL=$base/v1
export SPOTIFY_SDK_ACCOUNTS_BASE_URL=$base
show() {
  printf '\n$ %s\n' "$*"
  "$@" 2>&1 | cut -c1-160 | head -n 12 || true
}

show "$build/examples/hello"
# App-only access with the emulator's built-in demo app.
export SPOTIFY_SDK_CLIENT_ID=demo-client SPOTIFY_SDK_CLIENT_SECRET=demo-secret
show "$build/examples/client_credentials" /artists/2YZyLoL8N0Wb9xBt1NhZWg
show "$build/examples/client_credentials" /albums/7ycBtnsMtyVbbwTfJwRjSP
# Errors come back categorised, with Spotify's own message.
show "$build/examples/client_credentials" /albums/not-an-id
show "$build/examples/client_credentials" /albums/0000000000000000000000
show "$build/examples/client_credentials" /me
show env SPOTIFY_ACCESS_TOKEN=expired-or-made-up "$build/examples/raw_request" /me
cat <<'TXT'

To use real Spotify: register an app at https://developer.spotify.com/dashboard,
then export SPOTIFY_SDK_CLIENT_ID and SPOTIFY_SDK_CLIENT_SECRET (and unset the
two *_BASE_URL variables) and run the same programs.
TXT
