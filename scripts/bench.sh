#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the benchmarks from build dir $1 (a Release build) and prints their
# tables; with --write, also replaces the generated section of
# docs/performance.md. Servers are local: an nginx (Debian's nginx-light, one
# worker) serving tests/fixtures on a free 127.0.0.1 port, and for the async
# throughput benchmark the build's spotify-emulator with --latency-ms 20.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
build=$(cd "${1:-build-bench}" && pwd)
write=${2:-}
work=$(mktemp -d)
nginx_pid=
redis_pid=
emulator_pid=
cleanup() {
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null || true
  [[ -n $emulator_pid ]] && kill "$emulator_pid" 2>/dev/null || true
  [[ -n $redis_pid ]] && kill "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT


start_nginx() {
  local port=$1
  mkdir -p "$work/nginx/logs"
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  default_type application/json;
  server {
    listen 127.0.0.1:$port;
    root $PWD/tests/fixtures;
    location /v1/albums/ { try_files /album-tpab.json =404; }
  }
}
CONF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/nginx/logs/stdout" 2>&1 &
  nginx_pid=$!
  wait_port "$port" nginx
}

# Waits until something accepts connections on 127.0.0.1:$1 (named $2).
wait_port() {
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return
    sleep 0.1
  done
  echo "$2 did not start" >&2
  exit 1
}

# A private redis-server (no persistence) for the Redis cache benchmark.
start_redis() {
  local port=$1
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
    --loglevel warning >"$work/redis.log" 2>&1 &
  redis_pid=$!
  wait_port "$port" redis-server
}

# The throughput benchmarks against spotify-emulator stand for a client and
# a server on different machines: with two CPUs or more (and util-linux's
# taskset), the emulator runs on the last CPU and the measuring client on
# the first, so neither waits behind the other's threads on a shared core
# (unpinned, the client's CPU per request read 1.5x higher in some runs).
server_cpu=()
client_cpu=()
cpu_note="client and emulator unpinned"
if (($(nproc) >= 2)) && command -v taskset >/dev/null; then
  server_cpu=(taskset -c "$(($(nproc) - 1))")
  client_cpu=(taskset -c 0)
  cpu_note="emulator on CPU $(($(nproc) - 1)), client on CPU 0"
fi

# The build's spotify-emulator on a free port with extra flags; sets $emulator_base.
start_emulator() {
  "${server_cpu[@]}" "$build/emulator/spotify-emulator" --port 0 --ready-file "$work/emulator.url" "$@" \
    >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 100); do
    [[ -s $work/emulator.url ]] && break
    sleep 0.1
  done
  [[ -s $work/emulator.url ]] || { echo "spotify-emulator did not start" >&2; exit 1; }
  emulator_base=$(cat "$work/emulator.url")
}

out=$work/results.md
port=$(free_port)
start_nginx "$port"
redis_port=
if [[ -x $build/bench/bench_redis_cache ]]; then
  redis_port=$(free_port)
  start_redis "$redis_port"
fi
start_emulator --latency-ms 20
# spotify_sdk (python/) with Debian's interpreter, built against this build
# tree into the work directory (offline, no build isolation), when Debian's
# python3-dev, setuptools, pip and requests are there.
python_site=
if /usr/bin/python3 -c 'import setuptools, pip, requests' 2>/dev/null; then
  mkdir -p "$work/python-src" "$work/python-site"
  cp -r python/. "$work/python-src/"
  rm -rf "$work/python-src/build" "$work/python-src/tests"
  if PKG_CONFIG_PATH=$build PIP_NO_INDEX=1 PIP_ROOT_USER_ACTION=ignore \
    /usr/bin/python3 -m pip install --quiet --no-build-isolation --no-deps \
    --target "$work/python-site" "$work/python-src" >"$work/pip.log" 2>&1; then
    python_site=$work/python-site
  else
    echo "bench: building spotify_sdk failed (see $work/pip.log); Python benchmarks skipped" >&2
  fi
fi
{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(uname -m), gcc $(gcc -dumpversion), Release build."
  echo
  echo "### JSON: parse time per document"
  echo
  for f in album-tpab.json track-wesleys-theory.json; do
    echo "#### $f"
    echo
    echo '```'
    "$build/bench/bench_json" "tests/fixtures/$f" 2000
    echo '```'
    echo
  done
  echo "### Typed decode: bytes to model struct (arena and free included) vs cJSON parse"
  echo
  echo '```'
  "$build/bench/bench_decode" tests/fixtures/album-tpab.json 2000
  echo '```'
  echo
  echo "### HTTP: one album (71 KB) per call over keep-alive from local nginx"
  echo
  "$build/bench/bench_http" "http://127.0.0.1:$port/v1/albums/4aawyAB9vmqN3uQ7FjRGTy" 2000
  echo
  echo "### Typed call: spotify_albums_get vs bare libcurl (goal: at most 2x client CPU)"
  echo
  "$build/bench/bench_albums_get" "http://127.0.0.1:$port/v1" 10000 20 || true
  echo
  echo "### spotctl albums get: 2,000 IDs, --parallel 1, total CPU vs a libcurl + cJSON loop (goal: at most 1x)"
  echo
  "$build/bench/bench_spotctl" "http://127.0.0.1:$port/v1" "$build/spotctl/spotctl" 2000 5 || true
  echo
  echo "### Async throughput: 2,000 album gets, 32 in flight, emulator adding 20 ms (goal: at least 90% of 32 / 20 ms)"
  echo
  echo "($cpu_note)"
  echo
  "${client_cpu[@]}" "$build/bench/bench_async" rate "$emulator_base" 20 2000 3 || true
  echo
  echo "### Async CPU per album get vs the blocking call (goal: at most 1.2x)"
  echo
  "$build/bench/bench_async" cpu "http://127.0.0.1:$port/v1" 2000 5 || true
  if [[ -n $redis_port ]]; then
    echo
    echo "### Redis token cache vs memory cache (spotify-sdk-redis, local redis-server)"
    echo
    "$build/bench/bench_redis_cache" "http://127.0.0.1:$port/v1" "redis://127.0.0.1:$redis_port" 5000
  fi
  if [[ -n $python_site ]]; then
    echo
    echo "### Python (spotify_sdk): typed albums.get vs requests + json, one keep-alive connection (goal: CPU at most 0.5x, peak RSS at most 1x)"
    echo
    PYTHONPATH=$python_site /usr/bin/python3 bench/bench_python.py cpu "http://127.0.0.1:$port/v1" 500 5 || true
    echo
    echo "### Python (spotify_sdk): AsyncSpotifyClient, 100 album gets awaited at a time, emulator adding 20 ms (goal: at least 90% of 100 / 20 ms)"
    echo
    echo "($cpu_note)"
    echo
    PYTHONPATH=$python_site "${client_cpu[@]}" /usr/bin/python3 bench/bench_python.py rate \
      "$emulator_base" 2000 3 20 100 || true
    echo
    echo "The machine's limit in the same run: the C loops with 100 in flight on the same album."
    echo
    "${client_cpu[@]}" "$build/bench/bench_async" rate "$emulator_base" 20 2000 3 100 || true
  fi
  echo
  echo "### Paging: peak RSS of walking 10,000 vs 100 playlist items (goal: within 5 MiB)"
  echo
  echo "Each walk runs in its own child process against spotify-emulator (ru_maxrss)."
  echo
  "$build/bench/bench_paging_rss" 10000 100 | grep -v '^spotify-emulator listening' || true
} | tee "$out"

if [[ $write == --write ]]; then
  python3 - "$out" <<'PY'
import sys, re
results = open(sys.argv[1]).read()
path = "docs/performance.md"
doc = open(path).read()
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
doc = re.sub(re.escape(start) + ".*?" + re.escape(end),
             start + "\n" + results.strip() + "\n" + end, doc, flags=re.S)
open(path, "w").write(doc)
PY
  echo "bench: docs/performance.md updated"
fi
