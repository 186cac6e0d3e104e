# SPDX-License-Identifier: Apache-2.0
"""Builds spotify_sdk._core against libspotify-sdk, found with pkg-config:
an installed one (`pkg-config spotify-sdk`) or a build tree (put the build
directory on PKG_CONFIG_PATH: its spotify-sdk-uninstalled.pc links the
tree's library with an rpath). With spotify-sdk-redis also found, the
extension gets RedisTokenCache.

    PKG_CONFIG_PATH=$PWD/build python3 -m pip install --no-build-isolation ./python

SPOTIFY_SDK_WERROR=1 turns compiler warnings into errors (make test);
SPOTIFY_SDK_SANITIZE=1 builds the extension with AddressSanitizer and
UndefinedBehaviorSanitizer (docs/python.md says how to run it).
"""
import glob
import os
import shlex
import subprocess

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def pkg_config(*args):
    try:
        out = subprocess.run(["pkg-config", *args], check=True, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True).stdout
    except FileNotFoundError:
        raise SystemExit("spotify_sdk: pkg-config not found (apt-get install pkg-config)")
    except subprocess.CalledProcessError as e:
        raise SystemExit("spotify_sdk: pkg-config %s failed: %s\n"
                         "Install libspotify-sdk-dev, or point PKG_CONFIG_PATH at a build "
                         "directory of spotify-sdk-c." % (" ".join(args), e.stderr.strip()))
    return shlex.split(out)


def has_module(name):
    return subprocess.run(["pkg-config", "--exists", name]).returncode == 0


modules = ["spotify-sdk"]
macros = []
if has_module("spotify-sdk-redis") and os.environ.get("SPOTIFY_SDK_NO_REDIS") != "1":
    modules.append("spotify-sdk-redis")
    macros.append(("PYSDK_HAVE_REDIS", "1"))

cflags = pkg_config("--cflags", *modules)
libs = pkg_config("--libs", *modules)
extra_compile = ["-std=gnu11", "-Wall", "-Wextra", "-Wno-missing-field-initializers",
                 "-Wno-cast-function-type", "-fvisibility=hidden"]
extra_link = []
if os.environ.get("SPOTIFY_SDK_WERROR") == "1":
    extra_compile.append("-Werror")
if os.environ.get("SPOTIFY_SDK_SANITIZE") == "1":
    san = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]
    extra_compile += san + ["-O1", "-g"]
    extra_link += san

sources = sorted(glob.glob(os.path.join("src", "*.c")))

setup(
    ext_modules=[
        Extension(
            "spotify_sdk._core",
            sources=sources,
            include_dirs=[f[2:] for f in cflags if f.startswith("-I")],
            extra_compile_args=[f for f in cflags if not f.startswith("-I")] + extra_compile,
            extra_link_args=libs + extra_link,
            define_macros=macros,
            depends=glob.glob(os.path.join("src", "*.h")),
        )
    ],
)
