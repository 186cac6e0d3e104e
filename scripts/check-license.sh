#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/check-license.sh [ROOT] - fails when a source file, header, script,
# build file or generated file under ROOT (default: the repository) does not
# carry `SPDX-License-Identifier: Apache-2.0` in its first three lines.
#
# Exempt, because they are data, not code: JSON documents (spec extract,
# fixtures, npm manifests), fuzzing corpora, the ABI baselines (abidw's
# XML), Markdown prose, LICENSE and NOTICE; and the Debian files whose
# formats allow no comment (changelog, source/format, symbols) or that
# state the license themselves (copyright). The file list is `git ls-files` in a git checkout, else every file
# under ROOT outside build directories.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

list_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
    [[ $(git rev-parse --show-toplevel) == "$(pwd -P)" ]]; then
    git ls-files --cached --others --exclude-standard
  else
    find . -type f -not -path './.git/*' -not -path './build*' -not -path '*/node_modules/*' |
      sed 's|^\./||'
  fi
}

exempt() {
  case $1 in
  *.json | *.md | LICENSE | NOTICE | fuzz/corpus/* | */fuzz/corpus/* | tests/fixtures/* | abi/*.abi) return 0 ;;
  debian/changelog | debian/copyright | debian/source/format | debian/*.symbols) return 0 ;;
  *) return 1 ;;
  esac
}

missing=0
checked=0
while IFS= read -r f; do
  [[ -f $f ]] || continue
  exempt "$f" && continue
  checked=$((checked + 1))
  if ! grep -q 'SPDX-License-Identifier: Apache-2.0' < <(head -n 3 -- "$f"); then
    echo "check-license: $f: no 'SPDX-License-Identifier: Apache-2.0' in its first 3 lines" >&2
    missing=$((missing + 1))
  fi
done < <(list_files)

if ((missing > 0)); then
  echo "check-license: $missing of $checked files lack the SPDX identifier" >&2
  exit 1
fi
echo "check-license: all $checked files carry SPDX-License-Identifier: Apache-2.0"
