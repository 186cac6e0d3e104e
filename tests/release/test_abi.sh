#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/release/test_abi.sh BUILD_DIR - the ABI check (scripts/abi-check.sh):
# the build matches the release baseline in abi/, and the check itself fails
# when a public function disappears or a public type's layout changes (it
# is run against doctored copies of the baseline, so it cannot pass by
# accident).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/scripts/abi-check.sh" "$build"

# A copy of the repository's abi/ directory whose core baseline is doctored
# by the python snippet $1; the check must then fail naming `$2`.
expect_failure() {
  local fake="$work/root"
  rm -rf "$fake"
  mkdir -p "$fake/scripts" "$fake/abi"
  cp "$root/scripts/abi-check.sh" "$fake/scripts/"
  cp -r "$root/include" "$fake/include"
  cp "$root/abi/"* "$fake/abi/"
  python3 -c "$1" "$fake/abi/libspotify-sdk.abi"
  if "$fake/scripts/abi-check.sh" "$build" >"$work/out" 2>&1; then
    echo "test_abi: the check passed against a baseline with $2" >&2
    exit 1
  fi
  grep -q "$3" "$work/out" || {
    echo "test_abi: the report does not mention '$3':" >&2
    cat "$work/out" >&2
    exit 1
  }
}

# The baseline has a function the library no longer exports: a removal.
expect_failure '
import sys
p = sys.argv[1]
s = open(p).read()
sym = [l for l in s.splitlines() if "<elf-symbol name=\x27spotify_version\x27" in l][0]
s = s.replace(sym, sym + "\n" + sym.replace("spotify_version", "spotify_zz_removed"), 1)
i = s.index("<function-decl name=\x27spotify_version\x27")
j = s.index("</function-decl>", i) + len("</function-decl>")
s = s[:j] + "\n" + s[i:j].replace("spotify_version", "spotify_zz_removed") + s[j:]
open(p, "w").write(s)
' "a removed function" "spotify_zz_removed"

# The baseline says spotify_error was smaller: a layout change.
expect_failure '
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r"(<class-decl name=\x27spotify_error\x27 size-in-bits=\x27)(\d+)",
           lambda m: m.group(1) + str(int(m.group(2)) - 64), s, count=1)
open(p, "w").write(s)
' "a changed type layout" "spotify_error"

echo "test_abi: ok"
