#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/abi-check.sh BUILD_DIR [--update]
#
# The ABI promise of docs/abi.md, checked with libabigail (Debian's
# abigail-tools): the ABI of libspotify-sdk.so.1 and libspotify-sdk-redis.so.1
# in BUILD_DIR (a build with debug information: the default RelWithDebInfo)
# is compared with the release baseline in abi/. A removed or changed public
# symbol, or a changed layout of a public type, fails with abidiff's report;
# an addition passes. Changes to the private node (SPOTIFY_PRIVATE_1.0) are
# ignored (abi/suppressions.txt).
#
# --update writes the current ABI as the new baseline, and adds the new
# public symbols to debian/*.symbols with the current version: do it on
# purpose, when a release changes the ABI (see docs/abi.md), and say so in
# CHANGELOG.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: $0 BUILD_DIR [--update]}" && pwd)
update=${2:-}

command -v abidw >/dev/null 2>&1 && command -v abidiff >/dev/null 2>&1 || {
  echo "abi-check: abidw/abidiff not found: install abigail-tools (scripts/bootstrap.sh does)" >&2
  exit 1
}

# The ABI of a library as abidw sees it: the exported functions with their
# full signatures (--exported-interfaces-only: without it libabigail 2.2
# keeps a bare declaration from another translation unit for some functions
# and loses their parameter types), public types only (those of the
# installed headers), no paths or line numbers, so the file is the same on
# every machine.
abi_of() {
  abidw --exported-interfaces-only --headers-dir "$root/include" --headers-dir "$build/include" \
    --drop-private-types --no-corpus-path --no-show-locs --no-comp-dir-path --out-file "$2" "$1"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for lib in libspotify-sdk libspotify-sdk-redis; do
  so=$(find "$build/src" -name "$lib.so.1" -print -quit)
  [[ -n $so ]] || { echo "abi-check: $lib.so.1 not found under $build/src" >&2; exit 1; }
  baseline="$root/abi/$lib.abi"
  abi_of "$so" "$work/$lib.abi"
  if [[ $update == --update ]]; then
    cp "$work/$lib.abi" "$baseline"
    echo "abi-check: wrote $baseline"
    continue
  fi
  [[ -f $baseline ]] || { echo "abi-check: no baseline $baseline (run with --update)" >&2; exit 1; }
  if abidiff --no-added-syms --suppressions "$root/abi/suppressions.txt" "$baseline" \
    "$work/$lib.abi" >"$work/report" 2>&1; then
    echo "abi-check: $lib: compatible with the baseline"
  else
    rc=$?
    echo "abi-check: $lib: the ABI changed against abi/$lib.abi (abidiff exit $rc):" >&2
    cat "$work/report" >&2
    echo "abi-check: if this break is intended, it needs a new soname major (docs/abi.md);" \
      "update the baseline with: scripts/abi-check.sh $1 --update" >&2
    status=1
  fi
done
# New symbols also go into the Debian symbols files (with this version).
[[ $update == --update ]] && python3 "$root/scripts/update-symbols.py" "$build"
exit $status
