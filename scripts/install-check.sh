#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the library from build dir $1 into a temporary prefix, then builds
# every example against the installed copy three ways: pkg-config (shared),
# pkg-config --static, and a CMake project using find_package(spotify-sdk).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
pcdir=$(find "$prefix" -name spotify-sdk.pc -printf '%h\n' | head -n1)
libdir=$(dirname "$pcdir")
export PKG_CONFIG_PATH=$pcdir
out=$prefix/bin-check
mkdir -p "$out"
for src in examples/*.c; do
  name=$(basename "$src" .c)
  # shellcheck disable=SC2046
  cc -std=c11 -Wall -Werror "$src" -o "$out/$name" $(pkg-config --cflags --libs spotify-sdk) \
     -Wl,-rpath,"$libdir"
  # The static archive with the shared system libraries (the usual way to
  # link it: `pkg-config --static` would also ask for static builds of every
  # libcurl dependency, which Debian does not install with libcurl-dev).
  # shellcheck disable=SC2046
  cc -std=c11 -Wall -Werror -DSPOTIFY_STATIC "$src" -o "$out/$name-static" \
     $(pkg-config --cflags spotify-sdk) "$libdir/libspotify-sdk.a" \
     $(pkg-config --libs libcurl libcrypto simdjson libmicrohttpd) -lstdc++ -lpthread -lm
done
"$out/hello" >/dev/null
"$out/hello-static" >/dev/null

# spotify-sdk-redis (built unless -DSPOTIFY_BUILD_REDIS=OFF): pkg-config,
# shared and static.
redis=no
if [[ -f $pcdir/spotify-sdk-redis.pc ]]; then
  redis=yes
  for src in examples/redis/*.c; do
    name=$(basename "$src" .c)
    # shellcheck disable=SC2046
    cc -std=c11 -Wall -Werror "$src" -o "$out/$name" $(pkg-config --cflags --libs spotify-sdk-redis) \
       -Wl,-rpath,"$libdir"
    # shellcheck disable=SC2046
    cc -std=c11 -Wall -Werror -DSPOTIFY_STATIC "$src" -o "$out/$name-static" \
       $(pkg-config --cflags spotify-sdk-redis) "$libdir/libspotify-sdk-redis.a" \
       "$libdir/libspotify-sdk.a" $(pkg-config --libs hiredis libcurl libcrypto simdjson libmicrohttpd) \
       -lstdc++ -lpthread -lm
    env -u SPOTIFY_SDK_REDIS_URL "$out/$name" >/dev/null
    env -u SPOTIFY_SDK_REDIS_URL "$out/$name-static" >/dev/null
  done
fi

consumer=$prefix/consumer
mkdir -p "$consumer"
cat >"$consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(consumer C CXX)
find_package(spotify-sdk REQUIRED)
add_executable(hello_shared ${EXAMPLE})
target_link_libraries(hello_shared PRIVATE spotify::sdk)
add_executable(hello_static ${EXAMPLE})
target_link_libraries(hello_static PRIVATE spotify::sdk-static)
add_executable(albums_cpp ${CXX_EXAMPLE}) # a C++ consumer: built, not run
set_target_properties(albums_cpp PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON)
target_link_libraries(albums_cpp PRIVATE spotify::sdk)
CMAKE
cmake -S "$consumer" -B "$consumer/build" -DCMAKE_PREFIX_PATH="$prefix" \
      -DEXAMPLE="$PWD/examples/hello.c" -DCXX_EXAMPLE="$PWD/examples/albums.cpp" >/dev/null
cmake --build "$consumer/build" >/dev/null
LD_LIBRARY_PATH="$libdir" "$consumer/build/hello_shared" >/dev/null
"$consumer/build/hello_static" >/dev/null
# spotctl: the binary runs from the prefix, with its man page and completions.
"$prefix/bin/spotctl" --version >/dev/null
for f in share/man/man1/spotctl.1 share/bash-completion/completions/spotctl \
         share/zsh/vendor-completions/_spotctl; do
  [[ -s $prefix/$f ]] || { echo "install-check: $f is not installed" >&2; exit 1; }
done

# The build tree itself, through pkg-config's -uninstalled files: no install.
uninstalled=$prefix/uninstalled
mkdir -p "$uninstalled"
build_abs=$(cd "$build" && pwd)
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror examples/hello.c -o "$uninstalled/hello" \
   $(PKG_CONFIG_PATH=$build_abs pkg-config --cflags --libs spotify-sdk)
[[ $(PKG_CONFIG_PATH=$build_abs pkg-config --variable=libdir spotify-sdk) == "$build_abs/src" ]] || {
  echo "install-check: spotify-sdk-uninstalled.pc was not the one pkg-config used" >&2
  exit 1
}
"$uninstalled/hello" >/dev/null
if [[ $redis == yes ]]; then
  # shellcheck disable=SC2046
  cc -std=c11 -Wall -Werror examples/redis/fleet_worker.c -o "$uninstalled/fleet_worker" \
     $(PKG_CONFIG_PATH=$build_abs pkg-config --cflags --libs spotify-sdk-redis)
  env -u SPOTIFY_SDK_REDIS_URL "$uninstalled/fleet_worker" >/dev/null
fi

if [[ $redis == yes ]]; then
  rconsumer=$prefix/redis-consumer
  mkdir -p "$rconsumer"
  cat >"$rconsumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(redis_consumer C CXX)
find_package(spotify-sdk REQUIRED COMPONENTS redis)
add_executable(worker_shared ${EXAMPLE})
target_link_libraries(worker_shared PRIVATE spotify::sdk-redis)
add_executable(worker_static ${EXAMPLE})
target_link_libraries(worker_static PRIVATE spotify::sdk-redis-static)
CMAKE
  cmake -S "$rconsumer" -B "$rconsumer/build" -DCMAKE_PREFIX_PATH="$prefix" \
        -DEXAMPLE="$PWD/examples/redis/fleet_worker.c" >/dev/null
  cmake --build "$rconsumer/build" >/dev/null
  env -u SPOTIFY_SDK_REDIS_URL LD_LIBRARY_PATH="$libdir" "$rconsumer/build/worker_shared" >/dev/null
  env -u SPOTIFY_SDK_REDIS_URL "$rconsumer/build/worker_static" >/dev/null
fi
echo "install-check: pkg-config (shared, static, and the build tree's -uninstalled files) and find_package(spotify-sdk) consumers built and ran, a C++ consumer built;" \
     "spotctl, its man page and completions installed (spotify-sdk-redis: $redis)"
