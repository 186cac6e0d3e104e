#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# clang-format over the project's own C and C++ sources.
#   scripts/format.sh check   fail (listing the files) when any file is not formatted
#   scripts/format.sh fix     rewrite files in place
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-check}
mapfile -t files < <(git ls-files -co --exclude-standard -- \
  '*.c' '*.h' '*.cpp' | grep -v '^tests/fixtures/' || true)
[[ ${#files[@]} -gt 0 ]] || exit 0
if [[ $mode == fix ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  [[ -f $f ]] || continue
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done
if [[ ${#bad[@]} -gt 0 ]]; then
  echo "format-check: these files need clang-format (run 'make format'):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "format-check: ${#files[@]} files formatted"
