#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/release-check.sh [BUILD_DIR] - `make release`: the version is said
# the same everywhere before a release is tagged (docs/abi.md):
#   - CMakeLists.txt's project(VERSION) is the newest release in CHANGELOG.md;
#   - the ABI baselines in abi/ are of the sonames that version implies;
#   - debian/changelog's newest entry is that version;
#   - with BUILD_DIR: the built library, spotctl and spotify-emulator report it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fail() {
  echo "release-check: $*" >&2
  exit 1
}

version=$(sed -n 's/^project(spotify-sdk VERSION \([0-9.]*\) .*/\1/p' "$root/CMakeLists.txt")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "no project(spotify-sdk VERSION x.y.z) in CMakeLists.txt"
major=${version%%.*}

released=$(sed -n 's/^## \[\([0-9][0-9.]*\)\].*/\1/p' "$root/CHANGELOG.md" | head -n1)
[[ $released == "$version" ]] ||
  fail "CHANGELOG.md's newest release is '$released', CMakeLists.txt says $version"
grep -q "^## \[$version\] - [0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}$" "$root/CHANGELOG.md" ||
  fail "CHANGELOG.md: the heading of $version needs a date: '## [$version] - YYYY-MM-DD'"

for lib in libspotify-sdk libspotify-sdk-redis; do
  grep -q "soname='$lib.so.$major'" "$root/abi/$lib.abi" ||
    fail "abi/$lib.abi is not the ABI of $lib.so.$major (update it: scripts/abi-check.sh BUILD --update)"
done

checked="CMakeLists.txt, CHANGELOG.md, abi/"
if [[ -f $root/debian/changelog ]]; then
  checked+=", debian/changelog"
  deb=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$root/debian/changelog")
  [[ ${deb%%-*} == "$version" ]] || fail "debian/changelog's newest entry is $deb, not $version-N"
fi

if [[ -n ${1:-} ]]; then
  build=$1
  got=$("$build/spotctl/spotctl" --version)
  [[ $got == "spotctl $version (libspotify-sdk $version)" ]] || fail "spotctl --version says '$got'"
  got=$("$build/emulator/spotify-emulator" --version)
  [[ $got == *" $version"* ]] || fail "spotify-emulator --version says '$got'"
  [[ -e $build/src/libspotify-sdk.so.$version ]] || fail "no $build/src/libspotify-sdk.so.$version"
  checked+=", the built library, spotctl and spotify-emulator"
fi
echo "release-check: $version: $checked agree"
