#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/release/test_license.sh - the license check (scripts/check-license.sh):
# the repository passes it, and the check itself fails on a tree holding a
# source file without the SPDX identifier (so it cannot pass by accident).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/scripts/check-license.sh" "$root"

mkdir -p "$work/tree/src" "$work/tree/tests/fixtures"
printf '/* SPDX-License-Identifier: Apache-2.0 */\nint a;\n' >"$work/tree/src/tagged.c"
printf '{"data": true}\n' >"$work/tree/tests/fixtures/data.json"
"$root/scripts/check-license.sh" "$work/tree" >/dev/null ||
  { echo "test_license: a tree with only tagged files and data was refused" >&2; exit 1; }

printf '#!/bin/sh\necho untagged\n' >"$work/tree/src/untagged.sh"
if "$root/scripts/check-license.sh" "$work/tree" 2>"$work/err"; then
  echo "test_license: a tree holding an untagged script passed the check" >&2
  exit 1
fi
grep -q 'src/untagged.sh' "$work/err" ||
  { echo "test_license: the failure does not name the untagged file" >&2; cat "$work/err" >&2; exit 1; }
echo "test_license: ok"
