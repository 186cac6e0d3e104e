#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# python/tests/run.sh BUILD_DIR [PYTHON] [SANITIZE] [PYTEST ARGS...]
#
# Builds spotify_sdk against the library of BUILD_DIR and runs its pytest
# suite (the CTest python_sdk). Everything it writes is under
# BUILD_DIR/python: a copy of python/ to build in (pip builds in the source
# tree), the installed package (pip --target, offline, no build isolation:
# Debian's setuptools), pytest's cache and the tests' temporary files.
#
# SANITIZE=1: the extension is built with ASan+UBSan (the library of an
# -DSPOTIFY_SANITIZE=ON build is too) and the interpreter, which is not,
# runs with libasan preloaded; leak checking is off (CPython keeps memory
# until exit by design).
set -euo pipefail
start=$(pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:?usage: $0 BUILD_DIR [PYTHON] [SANITIZE] [PYTEST ARGS...]}" && pwd)
python=${2:-/usr/bin/python3}
sanitize=${3:-0}
shift $(($# < 3 ? $# : 3))

work=$build/python
rm -rf "$work/src" "$work/site" "$work/tmp"
mkdir -p "$work/src" "$work/site" "$work/tmp"
cp -r "$root/python/." "$work/src/"
rm -rf "$work/src/build" "$work/src/tests"

export PKG_CONFIG_PATH=$build${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export SPOTIFY_SDK_WERROR=1
export SPOTIFY_SDK_SANITIZE=$sanitize
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_WARN_SCRIPT_LOCATION=1
export PIP_ROOT_USER_ACTION=ignore
if ! "$python" -m pip install --quiet --no-build-isolation --no-deps --target "$work/site" \
  "$work/src" >"$work/pip.log" 2>&1; then
  cat "$work/pip.log" >&2
  echo "python_sdk: building spotify_sdk failed" >&2
  exit 1
fi

export PYTHONPATH=$work/site
export PYTHONDONTWRITEBYTECODE=1
export TMPDIR=$work/tmp
export SPOTIFY_EMULATOR=$build/emulator/spotify-emulator
export SPOTIFY_FAKE_BROWSER=$build/tests/local/fake_browser
export SPOTIFY_FIXTURES_DIR=$root/tests/fixtures
unset SPOTIFY_SDK_CLIENT_ID SPOTIFY_SDK_CLIENT_SECRET SPOTIFY_SDK_REDIRECT_URI
unset SPOTIFY_SDK_API_BASE_URL SPOTIFY_SDK_ACCOUNTS_BASE_URL BROWSER
if [[ $sanitize == 1 ]]; then
  asan=$(cc -print-file-name=libasan.so)
  export LD_PRELOAD=$asan
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export SPOTIFY_SDK_TEST_SANITIZED=1
fi
# Test files or directories among the arguments (relative to where run.sh
# was started) replace the default, the whole suite.
args=()
paths=0
for a in "$@"; do
  if [[ $a != -* && -e $start/$a ]]; then
    args+=("$(cd "$(dirname "$start/$a")" && pwd)/$(basename "$a")")
    paths=1
  else
    args+=("$a")
  fi
done
[[ $paths == 1 ]] || args=("$here" "${args[@]}")
cd "$work"
exec "$python" -m pytest -p no:cacheprovider -q "${args[@]}"
