#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/update-symbols.py BUILD_DIR - adds the public symbols the built
libraries export but debian/*.symbols does not list yet, each with the
release of the symbol version node that holds it (SPOTIFY_1.1 -> 1.1.0:
the release that introduces it), keeping every line already there (a
symbol's first version never changes). Run by
`scripts/abi-check.sh BUILD --update`; dpkg-gensymbols -c4 in the package
build fails until the file lists every symbol.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBS = [("libspotify-sdk.so.1", "libspotify-sdk1.symbols", r"SPOTIFY_\d+\.\d+"),
        ("libspotify-sdk-redis.so.1", "libspotify-sdk-redis1.symbols", r"SPOTIFY_REDIS_\d+\.\d+")]


def release_of(node):
    """The release that introduced a version node: SPOTIFY_1.1 -> 1.1.0."""
    return re.search(r"(\d+\.\d+)$", node).group(1) + ".0"


def exported(so, node_pattern):
    """{name: node} of what `so` exports in the nodes matching, the nodes'
    own names included (as dpkg-gensymbols lists them)."""
    out = subprocess.check_output(["objdump", "-T", so], text=True)
    names = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and re.fullmatch(node_pattern, parts[-2]) and " *UND*" not in line:
            names[parts[-1]] = parts[-2]
    return names


def main():
    build = sys.argv[1]
    for so_name, sym_name, node_pattern in LIBS:
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
        symbols = exported(so, node_pattern)
        added = sorted(n for n in symbols if n not in listed)
        body += [" %s@%s %s" % (n, symbols[n], release_of(symbols[n])) for n in added]
        body.sort(key=lambda l: l.split()[0])
        open(path, "w").write("\n".join(head + body) + "\n")
        print("update-symbols: %s: %d added%s" % (sym_name, len(added),
                                                  (": " + ", ".join(added)) if added else ""))


if __name__ == "__main__":
    main()
