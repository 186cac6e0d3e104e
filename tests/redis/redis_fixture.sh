#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CTest fixture for the Redis tests: `start DIR` runs two redis-servers on
# free 127.0.0.1 ports (no persistence), "plain" and "auth" (password
# "fixture-password"), and a Sentinel monitoring "plain" as master
# "fixture" (its config file in DIR), and writes DIR/plain.port,
# DIR/auth.port and DIR/sentinel.port; `stop DIR` shuts them down and
# removes DIR.
set -euo pipefail
cmd=${1:?usage: redis_fixture.sh start|stop DIR}
dir=${2:?usage: redis_fixture.sh start|stop DIR}

free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "redis_fixture: no free port" >&2
  exit 1
}

start_one() {
  local name=$1
  shift
  local conf=()
  [[ $name == sentinel ]] && conf=("$dir/sentinel.conf")
  for _ in 1 2 3; do
    local port
    port=$(free_port)
    redis-server "${conf[@]}" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
      --daemonize yes --pidfile "$dir/$name.pid" --logfile "$dir/$name.log" "$@"
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [[ -s $dir/$name.pid ]]; then
        echo "$port" >"$dir/$name.port"
        return
      fi
      sleep 0.05
    done
    [[ -s $dir/$name.pid ]] && kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
  done
  echo "redis_fixture: redis-server ($name) did not start; see $dir/$name.log" >&2
  exit 1
}

case $cmd in
  start)
    command -v redis-server >/dev/null || { echo "redis_fixture: redis-server missing (scripts/bootstrap.sh)" >&2; exit 1; }
    rm -rf "$dir"
    mkdir -p "$dir"
    start_one plain --unixsocket "$dir/plain.sock" --unixsocketperm 700
    start_one auth --requirepass fixture-password
    echo "sentinel monitor fixture 127.0.0.1 $(cat "$dir/plain.port") 1" >"$dir/sentinel.conf"
    start_one sentinel --sentinel
    echo "redis_fixture: plain on $(cat "$dir/plain.port"), auth on $(cat "$dir/auth.port")," \
      "sentinel on $(cat "$dir/sentinel.port")"
    ;;
  stop)
    for name in sentinel plain auth; do
      if [[ -s $dir/$name.pid ]]; then
        pid=$(cat "$dir/$name.pid")
        kill "$pid" 2>/dev/null || true
        # Gone, or a zombie waiting for init to reap it (daemonized).
        for _ in $(seq 1 100); do
          state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo gone)
          [[ $state == gone || $state == Z ]] && break
          sleep 0.05
        done
      fi
    done
    rm -rf "$dir"
    ;;
  *) echo "usage: redis_fixture.sh start|stop DIR" >&2; exit 2 ;;
esac
