#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A checksrc-style lint of the library sources (src/) and of the Python
# extension (python/src/): bans functions that are unsafe or that bypass the
# SDK's allocator hooks (CPython's allocators in the extension).
#   - gets, sprintf, vsprintf, strcpy, strcat, atoi, atol, strtok: unsafe or
#     without error reporting (use snprintf, strbuf, strtol/strtoll).
#   - malloc, calloc, realloc, free, strdup, strndup: use the spotify__
#     wrappers (core/alloc.h) so spotify_set_allocator() covers everything.
#     core/alloc.c is where the hooks call the real ones.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
check() {
  local pattern=$1 why=$2
  shift 2
  local hits
  hits=$(grep -nE "$pattern" "$@" 2>/dev/null | grep -vE '^\S+:[0-9]+:\s*(/\*|\*)' || true)
  if [[ -n $hits ]]; then
    echo "checksrc: $why" >&2
    echo "$hits" | sed 's/^/  /' >&2
    status=1
  fi
}
mapfile -t sources < <(git ls-files -co --exclude-standard -- 'src/*.c' 'src/*.h')
check '(^|[^_[:alnum:]])(gets|sprintf|vsprintf|strcpy|strcat|atoi|atol|strtok)\s*\(' \
  "banned function (unsafe or silent on errors)" "${sources[@]}"
mapfile -t alloc_users < <(printf '%s\n' "${sources[@]}" | grep -v '^src/core/alloc.c$')
check '(^|[^_[:alnum:]>.])(malloc|calloc|realloc|free|strdup|strndup)\s*\(' \
  "raw allocation: use spotify__malloc/spotify__free (core/alloc.h)" "${alloc_users[@]}"
# The Python extension (python/src): the same bans; memory comes from
# CPython's allocators (PyMem_*), or the SDK's for what it frees.
mapfile -t py_sources < <(git ls-files -co --exclude-standard -- 'python/src/*.c' 'python/src/*.h')
if [[ ${#py_sources[@]} -gt 0 ]]; then
  check '(^|[^_[:alnum:]])(gets|sprintf|vsprintf|strcpy|strcat|atoi|atol|strtok)\s*\(' \
    "banned function (unsafe or silent on errors)" "${py_sources[@]}"
  check '(^|[^_[:alnum:]>.])(malloc|calloc|realloc|free|strdup|strndup)\s*\(' \
    "raw allocation in the extension: use PyMem_* (PyMem_Raw* without the GIL)" \
    "${py_sources[@]}"
fi
[[ $status -eq 0 ]] && echo "checksrc: $((${#sources[@]} + ${#py_sources[@]})) files clean"
exit $status
