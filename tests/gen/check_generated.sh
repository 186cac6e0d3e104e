#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/gen/check_generated.sh - fails when a committed generated file is
# stale: runs tools/gen/generate.py on the committed extract
# (spec/spotify-api.json) into a temporary directory and compares the result,
# byte for byte (both sides went through clang-format), with
# include/spotify/gen/models.h, src/api/gen/models_desc.c, tests/unit/decode_examples.h,
# include/spotify/gen/api.h, include/spotify/gen/api_async.h, src/api/gen/ops_desc.c,
# tests/integration/ops_calls.h and
# the operations table of docs/api.md. When the reference specification is present
# (../shared/reference/spotify-openapi.yml next to the checkout), it also
# re-extracts it and compares with spec/spotify-api.json.
#
# Needs python3 with PyYAML (Debian: python3-yaml) and clang-format 14 (the
# version the repository is formatted with); without them it exits 77, which
# CTest reports as skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

skip() {
  echo "check_generated: SKIPPED: $*" >&2
  exit 77
}

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
python3 -c 'import yaml' 2>/dev/null ||
  skip "python3-yaml is not installed (apt-get install python3-yaml)"
command -v clang-format >/dev/null 2>&1 || skip "clang-format is not installed"
version=$(clang-format --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
[[ $version == 14 ]] ||
  skip "clang-format $version found; the generated files are formatted with clang-format 14"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$root/tools/gen/generate.py" --out-dir "$work" >/dev/null
status=0
generated=(include/spotify/gen/models.h src/api/gen/models_desc.c tests/unit/decode_examples.h
  include/spotify/gen/api.h include/spotify/gen/api_async.h src/api/gen/ops_desc.c
  tests/integration/ops_calls.h docs/api.md python/src/gen_tables.c
  python/spotify_sdk/models/__init__.py)
for f in "${generated[@]}"; do
  if ! diff -u "$root/$f" "$work/$f" >"$work/diff" 2>&1; then
    echo "check_generated: $f is stale; run tools/gen/generate.py" >&2
    head -n 40 "$work/diff" >&2
    status=1
  fi
done

reference="$root/../shared/reference/spotify-openapi.yml"
if [[ -f $reference ]]; then
  python3 "$root/tools/gen/extract_spec.py" --spec "$reference" --out "$work/spotify-api.json" \
    >/dev/null
  if ! diff -u "$root/spec/spotify-api.json" "$work/spotify-api.json" >"$work/diff" 2>&1; then
    echo "check_generated: spec/spotify-api.json is stale; run tools/gen/extract_spec.py" >&2
    head -n 40 "$work/diff" >&2
    status=1
  fi
else
  echo "check_generated: $reference not present; extract not re-checked"
fi

[[ $status -eq 0 ]] && echo "check_generated: generated files are up to date"
exit $status
