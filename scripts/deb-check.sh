#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/deb-check.sh - `make deb-check`: builds the Debian packages from a
# copy of the source tree (dpkg-buildpackage -us -uc -b, debhelper 13 with
# the cmake build system), runs lintian (errors fail), checks that apt could
# install them on this machine (apt-get -s: every Depends resolvable), then
# installs them into a throwaway root (dpkg -x) and uses them from there:
# examples/hello.c compiled against the -dev package through pkg-config
# and run, a CMake find_package consumer, spotctl --version and
# spotify-emulator --version. Everything happens in a temporary directory
# that is removed at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
[[ -n ${DEB_CHECK_KEEP:-} ]] || trap 'rm -rf "$work"' EXIT
say() { echo "deb-check: $*"; }

version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$root/debian/changelog")
src=$work/spotify-sdk-$version
mkdir -p "$src"
# The tracked files (and any not yet committed), never the build directories.
(cd "$root" && git ls-files --cached --others --exclude-standard -z |
  xargs -0 cp --parents -t "$src" 2>/dev/null) || {
  (cd "$root" && tar --exclude='./build*' --exclude=./.git --exclude='*/node_modules' -cf - .) |
    (cd "$src" && tar -xf -)
}

say "dpkg-buildpackage -us -uc -b (log: build.log)"
if ! (cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc) nocheck" \
  dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then
  tail -n 60 "$work/build.log" >&2
  echo "deb-check: dpkg-buildpackage failed" >&2
  exit 1
fi
debs=("$work"/*.deb)
say "built: $(cd "$work" && ls ./*.deb | sed 's|^\./||' | tr '\n' ' ')"
for pkg in libspotify-sdk1 libspotify-sdk-dev libspotify-sdk-redis1 libspotify-sdk-redis-dev \
  spotctl spotify-emulator; do
  ls "$work/${pkg}_"*.deb >/dev/null 2>&1 || { echo "deb-check: no $pkg package" >&2; exit 1; }
done

# Depends come from ${shlibs:Depends}: the libraries' own packages and their
# system libraries.
deps=$(dpkg-deb -f "$work"/spotctl_*.deb Depends)
[[ $deps == *libspotify-sdk1* ]] ||
  { echo "deb-check: spotctl's Depends lacks libspotify-sdk1: $deps" >&2; exit 1; }
deps=$(dpkg-deb -f "$work"/libspotify-sdk1_*.deb Depends)
[[ $deps == *libcurl4* && $deps == *libmicrohttpd12* ]] ||
  { echo "deb-check: libspotify-sdk1's Depends lacks libcurl4 or libmicrohttpd12: $deps" >&2; exit 1; }

changes=$(ls "$work"/*.changes)
if command -v lintian >/dev/null 2>&1; then
  say "lintian (errors fail)"
  lintian --fail-on error --suppress-tags-from-file /dev/null "$changes" >"$work/lintian.log" 2>&1 || {
    cat "$work/lintian.log" >&2
    echo "deb-check: lintian reported errors" >&2
    exit 1
  }
  grep -c '^W:' "$work/lintian.log" | xargs -I{} echo "deb-check: lintian: {} warnings, no errors"
else
  echo "deb-check: lintian is not installed (scripts/bootstrap.sh installs it)" >&2
  exit 1
fi

say "apt-get -s install (dependencies resolvable here)"
apt-get -s -qq install "${debs[@]}" >"$work/apt.log" 2>&1 || {
  cat "$work/apt.log" >&2
  echo "deb-check: apt cannot install the packages" >&2
  exit 1
}

say "install into a throwaway root and use it"
inst=$work/root
for deb in "${debs[@]}"; do
  [[ $deb == *dbgsym* ]] || dpkg -x "$deb" "$inst"
done
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
libdir=$inst/usr/lib/$multiarch
export PKG_CONFIG_PATH=$libdir/pkgconfig
[[ $(pkg-config --modversion spotify-sdk) == "${version%%-*}" ]] ||
  { echo "deb-check: the installed spotify-sdk.pc is not version $version" >&2; exit 1; }
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "$root/examples/hello.c" -o "$work/hello" \
  $(pkg-config --cflags --libs spotify-sdk)
LD_LIBRARY_PATH=$libdir "$work/hello" >/dev/null
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "$root/examples/redis/fleet_worker.c" -o "$work/fleet_worker" \
  $(pkg-config --cflags --libs spotify-sdk-redis)
env -u SPOTIFY_SDK_REDIS_URL LD_LIBRARY_PATH=$libdir "$work/fleet_worker" >/dev/null
mkdir -p "$work/consumer"
cat >"$work/consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(consumer C CXX)
find_package(spotify-sdk 1.0 REQUIRED COMPONENTS redis)
add_executable(hello ${EXAMPLE})
target_link_libraries(hello PRIVATE spotify::sdk)
CMAKE
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$inst/usr" \
  -DEXAMPLE="$root/examples/hello.c" >/dev/null
cmake --build "$work/consumer/build" >/dev/null
LD_LIBRARY_PATH=$libdir "$work/consumer/build/hello" >/dev/null
LD_LIBRARY_PATH=$libdir "$inst/usr/bin/spotctl" --version
LD_LIBRARY_PATH=$libdir "$inst/usr/bin/spotify-emulator" --version
for f in usr/share/man/man1/spotctl.1.gz usr/share/bash-completion/completions/spotctl \
  usr/share/zsh/vendor-completions/_spotctl usr/include/spotify/redis.h \
  "usr/share/doc/libspotify-sdk1/copyright"; do
  [[ -e $inst/$f ]] || { echo "deb-check: $f is not in the packages" >&2; exit 1; }
done
say "ok: 6 packages built, lintian clean of errors, installable, used from a throwaway root"
