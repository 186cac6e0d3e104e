#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tools/doxygen/filter.py FILE - Doxygen's INPUT_FILTER for the public headers.

The headers document every symbol in ordinary C comments (the project's
style, docs/ARCHITECTURE.md): a block comment before a declaration, or a
comment after a member. This filter shows them to Doxygen as documentation
without changing the headers: the first block comment after the SPDX line
becomes the file's documentation (`/** @file`), every other block comment
that starts a line becomes `/**`, and a comment after code on the same line
becomes a member comment (`/**<`). Inside comments, characters Doxygen
would read as commands or HTML (`\\`, `@`, `<`, `>`) are escaped, except in
`code spans`. Lines are never added or removed, so Doxygen's line numbers
are the header's.
"""
import re
import sys

FILE_TITLE = re.compile(r"^(\s*\*\s*)spotify/[\w/.]+\.h - ")
# A section banner: "/* ---- name ---- */" or a box of dashes: a heading
# for the reader, not the documentation of the declaration after it.
BANNER = re.compile(r"^/\*\s*-{3,}")
TYPE_OPENER = re.compile(r"\b(struct|union|enum)\b")
TRAILING = re.compile(r"^(?P<code>\s*\S.*?)(?P<gap>\s*)/\*(?!\*)(?P<rest>.*)$")


def escape(text):
    """Escapes Doxygen's special characters outside `code spans`."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # even parts are outside backticks
        p = parts[i].replace("\\", "\\\\").replace("@", "\\@")
        parts[i] = p.replace("<", "\\<").replace(">", "\\>")
    return "`".join(parts)


class Scopes:
    """Which braces the current line is inside: type bodies (struct, union,
    enum), whose comments document members, or code (an inline function's
    body, an initializer), whose comments are not documentation."""

    def __init__(self):
        self.stack = []

    def in_code(self):
        return "code" in self.stack

    def update(self, code_line):
        if code_line.lstrip().startswith("#"):
            return
        kind = "type" if TYPE_OPENER.search(code_line) else "code"
        for ch in code_line:
            if ch == "{":
                self.stack.append(kind)
            elif ch == "}" and self.stack:
                self.stack.pop()


def strip_comments(line):
    """The code of a line, without its /* */ comments (a rough cut that is
    enough for counting braces in the headers)."""
    return re.sub(r"/\*.*?(\*/|$)", "", line)


def convert(lines):
    out = []
    in_comment = False
    seen_file_doc = False
    file_doc = False
    scopes = Scopes()
    after_banner = False
    for line in lines:
        stripped = line.lstrip()
        if not in_comment:
            documentable = not scopes.in_code()
            scopes.update(strip_comments(line))
        if not in_comment and not documentable:
            out.append(line)
            in_comment = "/*" in line and "*/" not in line[line.find("/*"):]
            continue
        if in_comment and not documentable:
            out.append(line)
            in_comment = "*/" not in line
            continue
        if in_comment and file_doc:
            # "spotify/x.h - what it is": the page's title already names it.
            line = FILE_TITLE.sub(r"\1", line, count=1)
            file_doc = False
        if in_comment:
            end = line.find("*/")
            if end >= 0:
                out.append(escape(line[:end]) + line[end:])
                in_comment = False
            else:
                out.append(escape(line))
            continue
        if "SPDX-License-Identifier" in line:
            out.append(line)
            continue
        # A banner, and the title line of a box of banners.
        if BANNER.match(stripped) or (after_banner and stripped.startswith("/*")):
            out.append(line)
            in_comment = "*/" not in stripped[2:]
            documentable = False
            after_banner = True
            continue
        after_banner = False
        if stripped.startswith("/*") and not stripped.startswith("/**"):
            indent = line[: len(line) - len(stripped)]
            body = stripped[2:]
            opener = "/**" if seen_file_doc else "/** @file"
            seen_file_doc = True
            end = body.find("*/")
            file_doc = opener == "/** @file"
            if end >= 0:
                out.append(indent + opener + escape(body[:end]) + body[end:])
            else:
                out.append(indent + opener + escape(body))
                in_comment = True
            continue
        m = TRAILING.match(line)
        if m and not stripped.startswith("#") and not stripped.startswith("//"):
            rest = m.group("rest")
            end = rest.find("*/")
            if end >= 0:
                out.append(m.group("code") + m.group("gap") + "/**<" + escape(rest[:end]) + rest[end:])
            else:
                out.append(m.group("code") + m.group("gap") + "/**<" + escape(rest))
                in_comment = True
            continue
        out.append(line)
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().split("\n")
    sys.stdout.write("\n".join(convert(lines)))


if __name__ == "__main__":
    main()
