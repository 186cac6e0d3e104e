#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The demo `make demo` runs, from build dir $1: starts spotify-emulator on a
# free port, picks a free port for the login redirect URI, and walks through
# a scripted spotctl session against it, printing each command before its
# output. The browser step of the paste-back `spotctl login --paste` is done
# by a scripted browser (the SDK tests' fake_browser, which clicks Approve on
# the consent page and hands back the address it was sent to).
# Leaves nothing behind: the token file and exports live in a temporary
# directory removed at the end, and the emulator is stopped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
build=${1:-build}
spotctl_bin=$(cd "$build/spotctl" && pwd)/spotctl
browser=$(cd "$build/tests/local" 2>/dev/null && pwd)/fake_browser
for f in "$spotctl_bin" "$build/emulator/spotify-emulator" "$browser"; do
  [[ -x $f ]] || { echo "demo: $f is missing (build with tests enabled: make build)" >&2; exit 1; }
done
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

# spotctl's configuration: the emulator's built-in app, a redirect URI on a
# free port, a token file of its own, and a browser that clicks Approve.
export SPOTIFY_SDK_API_BASE_URL=$base/v1
export SPOTIFY_SDK_ACCOUNTS_BASE_URL=$base
export SPOTIFY_SDK_CLIENT_ID=demo-client SPOTIFY_SDK_CLIENT_SECRET=demo-secret
export SPOTIFY_SDK_REDIRECT_URI=http://127.0.0.1:$(free_port)/callback
export SPOTCTL_CACHE=$work/token.json
export BROWSER=$browser
spotctl() { "$spotctl_bin" "$@"; }

# Prints a command line (arguments with spaces quoted) in bold.
say() {
  local line="" a
  for a in "$@"; do
    [[ $a == *[[:space:]]* ]] && a="\"$a\""
    line+="${line:+ }$a"
  done
  printf '\n\033[1m$ %s\033[0m\n' "$line"
}
# Prints the command, then runs it (output cut to the width of the screen).
show() {
  say "$@"
  "$@" 2>&1 | cut -c1-"${COLUMNS:-120}" || true
}

# The paste-back login of remote and headless machines: spotctl prints the
# consent page's URL and waits for the address the browser ends up at. The
# scripted browser plays the user: it approves, and the address it was
# sent to (a page that does not load) is pasted back on spotctl's stdin.
say spotctl login --paste
mkfifo "$work/paste"
exec 3<>"$work/paste"
"$spotctl_bin" login --paste <&3 >"$work/login.out" 2>"$work/login.err" &
login_pid=$!
for _ in $(seq 1 200); do
  grep -q 'Address: ' "$work/login.err" 2>/dev/null && break
  sleep 0.05
done
url=$(grep -o 'http://[^ ]*/authorize?[^ ]*' "$work/login.err")
FAKE_BROWSER_ADDRESS=$work/address "$browser" "$url"
cut -c1-"${COLUMNS:-120}" "$work/login.err"
# (what the user pastes; the one-time code is not shown here)
sed 's/code=[^&]*/code=.../' "$work/address" | cut -c1-"${COLUMNS:-120}"
cat "$work/address" >&3
wait "$login_pid"
exec 3>&-
cat "$work/login.out"
show spotctl token
show spotctl me
show spotctl search "sky void" --type album,track
show spotctl albums get 4EcfbzCtbJDk2wMwhT4D1h https://open.spotify.com/album/7ycBtnsMtyVbbwTfJwRjSP

# 300 track IDs from the emulator's catalogue (its control API), for a bulk get.
SPOTIFY_SDK_API_BASE_URL=$base "$spotctl_bin" api GET /__emulator/catalog/tracks |
  grep -o '"id":"[A-Za-z0-9]\{22\}"' | cut -d'"' -f4 | awk 'NR <= 300' >"$work/tracks.txt"
printf '\n\033[1m$ spotctl --json tracks get --ids-file tracks.txt --parallel 16 | wc -l\033[0m\n'
start=$(date +%s%N)
spotctl --json tracks get --ids-file "$work/tracks.txt" --parallel 16 | wc -l
echo "($(( ($(date +%s%N) - start) / 1000000 )) ms for $(wc -l <"$work/tracks.txt") single-track requests)"

# gh-style raw requests: --paginate follows `next` (the trace shows the pages).
printf '\n\033[1m$ spotctl -v --json api /me/tracks --query limit=50 --paginate | wc -l\033[0m\n'
spotctl -v --json api /me/tracks --query limit=50 --paginate 2>"$work/trace" | wc -l
cut -c1-"${COLUMNS:-120}" "$work/trace"

say spotctl playlists create "spotctl demo" --description "made by make demo"
created=$(spotctl playlists create "spotctl demo" --description "made by make demo")
echo "$created"
playlist=${created##* }
show spotctl playlists add "$playlist" spotify:track:7Ks4VCY1wFebnOdJrM13t6 spotify:track:75izAeHlGuOgA865CFDyIv
show spotctl playlists get "$playlist"
show spotctl library save spotify:album:4EcfbzCtbJDk2wMwhT4D1h
show spotctl library contains spotify:album:4EcfbzCtbJDk2wMwhT4D1h spotify:album:7ycBtnsMtyVbbwTfJwRjSP

# The export runs on this terminal: its progress bar shows on stderr.
say spotctl export library --out library.csv
spotctl export library --out "$work/library.csv"
show head -n 4 "$work/library.csv"
show spotctl logout

cat <<'TXT'

To use real Spotify:
  1. register an app at https://developer.spotify.com/dashboard and add the
     redirect URI http://127.0.0.1:8888/callback to it;
  2. export SPOTIFY_SDK_CLIENT_ID=<your client id>
     export SPOTIFY_SDK_CLIENT_SECRET=<your client secret>   (or leave it unset: PKCE)
     and unset SPOTIFY_SDK_API_BASE_URL and SPOTIFY_SDK_ACCOUNTS_BASE_URL;
  3. spotctl login        (then any command above; spotctl --help, man spotctl)
TXT
