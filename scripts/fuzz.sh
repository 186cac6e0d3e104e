#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage) in
# build-fuzz (override with FUZZ_BUILD_DIR) and runs each for SECONDS
# (default 120). Seed corpora come from fuzz/corpus/<target>/; inputs the
# fuzzer finds go to <build>/corpus/<target>/ so the tree stays clean, and
# crashes to <build>/artifacts/<target>/. FUZZ_JOBS runs that many targets
# at once (default 1). Exits non-zero when any target crashed.
#
#   scripts/fuzz.sh [SECONDS]        e.g. scripts/fuzz.sh 60
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-1}
targets=(fuzz_token_response fuzz_callback fuzz_json fuzz_redact fuzz_retry_after fuzz_decode
  fuzz_dotenv fuzz_token_json
  fuzz_redis_url)

CC=clang CXX=clang++ cmake -S . -B "$build" -DSPOTIFY_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSPOTIFY_BUILD_TESTS=OFF -DSPOTIFY_BUILD_EXAMPLES=OFF -DSPOTIFY_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target fuzz -j "$(nproc)"

run_one() {
  local name=$1
  local corpus="$build/corpus/$name" artifacts="$build/artifacts/$name/"
  mkdir -p "$corpus" "$artifacts"
  if "$build/fuzz/$name" "$corpus" "fuzz/corpus/$name" -max_total_time="$seconds" \
      -artifact_prefix="$artifacts" -print_final_stats=1 >"$build/$name.log" 2>&1; then
    echo "$name: ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$build/$name.log" |
      grep -o '[0-9]*$') runs)"
  else
    echo "$name: FAILED, see $build/$name.log and $artifacts" >&2
    return 1
  fi
}

failed=0
pids=()
for name in "${targets[@]}"; do
  run_one "$name" &
  pids+=($!)
  if ((${#pids[@]} >= jobs)); then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do
  wait "$pid" || failed=1
done
exit $failed
