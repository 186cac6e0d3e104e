#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks spotify-emulator against nginx (one worker, Debian's
# nginx-light) serving the same bytes as a static file, with wrk, in the
# same run; then the emulator with --latency-ms 20; then search latency
# over the default catalog (bench/bench_emulator_search, goal p95 under
# 1 ms). Figures go to docs/emulator.md by hand.
#
#   scripts/bench-emulator.sh BUILD_DIR [SECONDS]
#
# BUILD_DIR holds a Release build (emulator/spotify-emulator). Everything
# listens on free 127.0.0.1 ports; temporary files go to a directory that
# is removed at exit.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
build=${1:?usage: $0 BUILD_DIR [SECONDS]}
seconds=${2:-5}
emulator="$build/emulator/spotify-emulator"
[[ -x $emulator ]] || { echo "no $emulator: build first" >&2; exit 1; }

need=()
command -v wrk >/dev/null || need+=(wrk)
[[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
if [[ ${#need[@]} -gt 0 ]]; then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Starts the emulator with extra flags; sets $base.
start_emulator() {
  local ready="$tmp/ready.$RANDOM"
  "$emulator" --port 0 --ready-file "$ready" "$@" >/dev/null &
  pids+=($!)
  for _ in $(seq 500); do [[ -s $ready ]] && break; sleep 0.01; done
  base=$(cat "$ready")
}


# wrk's Requests/sec for URL with the bearer token.
rate() {
  wrk -t2 -c32 -d"${seconds}s" -H "Authorization: Bearer $token" "$1" |
    awk '/Requests\/sec/ {print $2}'
}

path=/v1/artists/2YZyLoL8N0Wb9xBt1NhZWg
start_emulator
token=$(curl -sf -d '{"client_id":"demo-client","user":false}' "$base/__emulator/tokens" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
mkdir -p "$tmp/www/v1/artists" "$tmp/nginx"
curl -sf -H "Authorization: Bearer $token" "$base$path" >"$tmp/www$path"
bytes=$(wc -c <"$tmp/www$path")

nginx_port=$(free_port)
cat >"$tmp/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $tmp/www;
    default_type application/json;
  }
}
CONF
/usr/sbin/nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" &
pids+=($!)
for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$nginx_port$path" && break; sleep 0.01; done

echo "GET $path ($bytes bytes), wrk -t2 -c32 -d${seconds}s, $(nproc) cores"
nginx_rate=$(rate "http://127.0.0.1:$nginx_port$path")
emu_rate=$(rate "$base$path")
start_emulator --latency-ms 20
token=$(curl -sf -d '{"client_id":"demo-client","user":false}' "$base/__emulator/tokens" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
latency_rate=$(rate "$base$path")

ratio=$(python3 -c "print(f'{$emu_rate / $nginx_rate:.2f}')")
printf '| server | requests/s |\n| --- | --- |\n'
printf '| nginx-light, 1 worker, static file | %s |\n' "$nginx_rate"
printf '| spotify-emulator | %s (%sx nginx) |\n' "$emu_rate" "$ratio"
printf '| spotify-emulator --latency-ms 20 | %s |\n' "$latency_rate"

search_bench="$build/bench/bench_emulator_search"
if [[ -x $search_bench ]]; then
  echo
  SPOTIFY_EMULATOR="$emulator" "$search_bench" 200
else
  echo "no $search_bench (SPOTIFY_BUILD_BENCH=OFF?): search latency not measured" >&2
fi
