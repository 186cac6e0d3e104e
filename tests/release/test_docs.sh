#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/release/test_docs.sh BUILD_DIR - the API reference builds without a
# single Doxygen warning (the docs target fails on any), every function a
# public header declares appears in it, and every function of the
# hand-written headers has its section 3 man page.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
cmake --build "$build" --target docs >/dev/null
html=$build/docs/html
man3=$build/docs/man/man3
[[ -f $html/index.html ]] || { echo "test_docs: no $html/index.html" >&2; exit 1; }

# The functions the headers declare: exported (`SPOTIFY_API ... spotify_x(`)
# or inline (the typed operations: `static inline ... spotify_x(`). Names
# with two underscores (spotify__x) are internal plumbing, not in the
# reference (the Doxyfile excludes them).
functions() {
  grep -h -E "^(SPOTIFY_API|static inline)" "$@" | grep -o "\bspotify_[a-z0-9_]*(" | tr -d '(' |
    grep -v '^spotify__' | sort -u
}
missing=0
# Hand-written headers: include/spotify/, adapters/, sys/; generated ones:
# include/spotify/gen/ (documented in docs/api.md, no man pages).
hand=("$root"/include/spotify/*.h "$root"/include/spotify/adapters/*.h
  "$root"/include/spotify/sys/*.h)
mapfile -t all < <(functions "${hand[@]}" "$root"/include/spotify/gen/*.h \
  "$build"/include/spotify/version.h)
for name in "${all[@]}"; do
  if ! grep -q "$name" "$html"/globals_func*.html; then
    echo "test_docs: $name is not in the HTML reference" >&2
    missing=$((missing + 1))
  fi
done
mapfile -t written < <(functions "${hand[@]}")
for name in "${written[@]}"; do
  if [[ ! -f $man3/$name.3 ]]; then
    echo "test_docs: $name has no man page ($man3/$name.3)" >&2
    missing=$((missing + 1))
  fi
done
((${#all[@]} > 300)) || { echo "test_docs: only ${#all[@]} functions found in the headers" >&2; exit 1; }
((missing == 0)) || exit 1
echo "test_docs: ${#all[@]} functions in the HTML reference, ${#written[@]} hand-written ones with man pages"
