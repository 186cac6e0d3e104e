#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/update-symbols.py BUILD_DIR - adds the public symbols the built
libraries export but debian/*.symbols does not list yet, with the version
in CMakeLists.txt (the release that introduces them), keeping every line
already there (a symbol's first version never changes). Run by
`scripts/abi-check.sh BUILD --update`; dpkg-gensymbols -c4 in the package
build fails until the file lists every symbol.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBS = [("libspotify-sdk.so.1", "libspotify-sdk1.symbols", "SPOTIFY_1.0"),
        ("libspotify-sdk-redis.so.1", "libspotify-sdk-redis1.symbols", "SPOTIFY_REDIS_1.0")]


def version():
    text = open(os.path.join(ROOT, "CMakeLists.txt")).read()
    return re.search(r"project\(spotify-sdk VERSION ([0-9.]+)", text).group(1)


def exported(so, node):
    out = subprocess.check_output(["objdump", "-T", so], text=True)
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[-2] == node and " *UND*" not in line:
            names.add(parts[-1])
    return names


def main():
    build = sys.argv[1]
    ver = version()
    for so_name, sym_name, node in LIBS:
        so = None
        for dirpath, _, files in os.walk(os.path.join(build, "src")):
            if so_name in files:
                so = os.path.join(dirpath, so_name)
        if so is None:
            sys.exit("update-symbols: %s not found under %s/src" % (so_name, build))
        path = os.path.join(ROOT, "debian", sym_name)
        lines = open(path).read().splitlines()
        head = [l for l in lines if not l.startswith(" ") or l.startswith(" (")]
        body = [l for l in lines if l.startswith(" ") and not l.startswith(" (")]
        listed = {l.split()[0].split("@")[0] for l in body}
        added = sorted(n for n in exported(so, node) if n not in listed and n != node)
        body += [" %s@%s %s" % (n, node, ver) for n in added]
        body.sort(key=lambda l: l.split()[0])
        open(path, "w").write("\n".join(head + body) + "\n")
        print("update-symbols: %s: %d added%s" % (sym_name, len(added),
                                                  (": " + ", ".join(added)) if added else ""))


if __name__ == "__main__":
    main()
