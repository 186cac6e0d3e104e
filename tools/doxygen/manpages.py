#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tools/doxygen/manpages.py MAN3_DIR - tidies Doxygen's section 3 output.

Doxygen writes a page per header and a link page (".so") for every
documented name, struct members included. Installed as they are, pages
named body.3 or error.h.3 would collide with other packages' pages. This
keeps a page for every spotify_* / SPOTIFY_* name (each links to its
header's page) and the header pages themselves, renamed spotify-HEADER.3
(error.h -> spotify-error.h.3), and deletes the rest.
"""
import os
import re
import sys


def main():
    man3 = sys.argv[1]
    names = os.listdir(man3)
    headers = {n for n in names if n.endswith(".h.3")}
    renamed = {h: "spotify-" + h for h in headers}
    for name in names:
        path = os.path.join(man3, name)
        if name in headers:
            os.replace(path, os.path.join(man3, renamed[name]))
            continue
        if not re.match(r"^(spotify|SPOTIFY)_", name):
            os.remove(path)
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        m = re.match(r"^\.so man3/(.+\.h\.3)\s*$", text)
        if m is None or m.group(1) not in renamed:
            os.remove(path)  # not a link to a header page
            continue
        with open(path, "w", encoding="utf-8") as f:
            f.write(".so man3/%s\n" % renamed[m.group(1)])
    kept = len(os.listdir(man3))
    print("manpages: %d pages in %s" % (kept, man3))


if __name__ == "__main__":
    main()
