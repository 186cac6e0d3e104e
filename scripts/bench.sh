#!/usr/bin/env bash
# Runs the benchmarks from build dir $1 (a Release build) and prints their
# tables; with --write, also replaces the generated section of
# docs/performance.md. Servers are local: an nginx (Debian's nginx-light, one
# worker) serving tests/fixtures on a free 127.0.0.1 port.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-bench}
write=${2:-}
work=$(mktemp -d)
nginx_pid=
cleanup() {
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port" >&2
  exit 1
}

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
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return
    sleep 0.1
  done
  echo "nginx did not start" >&2
  exit 1
}

out=$work/results.md
port=$(free_port)
start_nginx "$port"
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
