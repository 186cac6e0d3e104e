# SPDX-License-Identifier: Apache-2.0
"""tools/gen/gen_python.py - the Python package's half of the generator: from
the operations (tools/gen/gen_ops.py), the model types (generate.py) and the
facts of tools/gen/python_api.py it writes

  python/src/gen_tables.c               the extension's tables: services,
                                        methods, their parameters (where each
                                        goes in the operation's args or body
                                        struct, defaults, argument rules),
                                        result classes; the model classes and
                                        the reference's annotations of their
                                        fields; each C model type's default
                                        class
  python/spotify_sdk/models/__init__.py the model classes (declarations only:
                                        SpotifyModel, the C base, does the
                                        work)

Imported by tools/gen/generate.py.
"""
import re

import python_api as facts

OUT_TABLES_C = "python/src/gen_tables.c"
OUT_MODELS_PY = "python/spotify_sdk/models/__init__.py"


class PyGenError(Exception):
    pass


def split_top(text, sep=","):
    """Splits `text` at `sep` outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


class PyParam:
    def __init__(self, name, annotation, default, kwonly):
        self.name = name
        self.annotation = annotation
        self.default = default      # None: required; else the default's text
        self.kwonly = kwonly


def parse_signature(sig):
    params, kwonly = [], False
    for part in split_top(sig):
        if part == "*":
            kwonly = True
            continue
        m = re.match(r"^(\w+)\s*:\s*(.+?)(?:\s*=\s*(.+))?$", part)
        if not m:
            raise PyGenError("cannot parse parameter %r" % part)
        params.append(PyParam(m.group(1), m.group(2), m.group(3), kwonly))
    return params


def sig_text(params):
    out, star = [], False
    for p in params:
        if p.kwonly and not star:
            out.append("*")
            star = True
        out.append(p.name if p.default is None else "%s=%s" % (p.name, p.default))
    return "(" + ", ".join(out) + ")"


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------
# Model classes
# ---------------------------------------------------------------------------

class PyField:
    def __init__(self, line, where):
        m = re.match(r"^(\w+)\s*:\s*(.+?)(?:\s*=\s*(.+))?$", line)
        if not m:
            raise PyGenError("%s: cannot parse field %r" % (where, line))
        self.attr = m.group(1)
        self.annotation = m.group(2).strip()
        self.default = m.group(3)
        alias = re.search(r"alias='(\w+)'", self.default or "")
        self.json = alias.group(1) if alias else self.attr
        if self.attr == "type_":
            self.json = "type"
        self.factory = "dict" if "default_factory=dict" in (self.default or "") else None


class PyClass:
    def __init__(self, module, name, base, c_types, body):
        self.module = module
        self.name = name
        self.base = base
        self.c_types = c_types
        self.fields = [PyField(l.strip(), name) for l in body.strip().splitlines() if l.strip()]
        self.index = -1


def class_of_annotation(ann, classes):
    """The model class an annotation names for conversion, and flags:
    (class name or None, datetime?, dict?)."""
    a = ann.replace("'", "").replace('"', "")
    a = re.sub(r"\s*\|\s*None$", "", a)
    dt = a == "datetime"
    if a.startswith("dict[") or a.startswith("list[dict["):
        return None, False, True
    m = re.match(r"^list\[(\w+)\]$", a)
    if m:
        a = m.group(1)
    m = re.match(r"^(Page|CursorPage)\[", a)
    if m:
        return m.group(1), False, False
    if a in classes:
        return a, False, False
    return None, dt, False


def build_classes(m):
    classes = {}
    for module, name, base, c_types, body in facts.MODELS:
        if name in classes:
            raise PyGenError("two model classes named %s" % name)
        classes[name] = PyClass(module, name, base, c_types, body)
    order = list(classes)
    for i, name in enumerate(order):
        classes[name].index = i
    # C types by spec name and by C name.
    by_spec = {}
    for t in m.types.values():
        by_spec.setdefault(t.spec_name, t)
        by_spec.setdefault("spotify_" + t.c_name, t)
    defaults = {}
    # Named types first, then the patterns (Page, CursorPage) for the rest.
    for wildcard in (False, True):
        for name in order:
            c = classes[name]
            for pattern in c.c_types:
                if pattern.endswith("*") != wildcard:
                    continue
                if wildcard:
                    matched = [t for t in m.types.values() if not t.is_union and
                               t.spec_name.startswith(pattern[:-1])]
                else:
                    if pattern not in by_spec:
                        raise PyGenError("%s: unknown C model type %s" % (name, pattern))
                    matched = [by_spec[pattern]]
                for t in matched:
                    defaults.setdefault(t.c_name, c)
    return classes, order, defaults


def merged_fields(c, classes):
    """The fields of `c`, its bases' first (a subclass's annotation wins)."""
    chain = []
    cur = c
    while cur is not None:
        chain.append(cur)
        base = cur.base.split(",")[0].strip()
        cur = classes.get(base)
    out = {}
    for k in reversed(chain):
        for f in k.fields:
            out[f.json] = f
    return list(out.values())


# ---------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------

C_KIND_OF_PARAM = {
    "string": "STR", "id": "STR", "uri": "STR", "user": "STR", "market": "STR", "enum": "STR",
    "jpeg": "STR", "int": "INT", "number": "NUMBER", "bool": "BOOL", "ids": "STRLIST",
    "uris": "STRLIST", "list": "STRLIST", "enums": "JOIN",
}


class MethodRow:
    pass


def field_of(struct, json):
    for f in struct.fields:
        if f.json == json:
            return f
    return None


def build_method(svc, entry, ops_by_name, classes, m):
    name, op_name, sig, ret, opts = entry
    op = ops_by_name.get(op_name)
    if op is None:
        raise PyGenError("%s.%s: no operation %s" % (svc, name, op_name))
    params = parse_signature(sig)
    mapping = dict(opts.get("map", {}))
    rows = []
    for p in params:
        target = mapping.pop(p.name, p.name)
        modifier = None
        if ":" in target:
            target, modifier = target.split(":", 1)
        row = {"name": p.name, "flags": [], "kind": None, "offset": "0", "field_index": 0,
               "default": "0", "fixed": "NULL", "item_size": "0", "item_uri_offset": "0"}
        if p.default is None:
            row["flags"].append("PYSDK_P_REQUIRED")
        elif re.match(r"^-?\d+$", p.default):
            row["flags"].append("PYSDK_P_HAS_DEFAULT")
            row["default"] = p.default
        elif p.default != "None":
            raise PyGenError("%s.%s: unsupported default %r" % (svc, name, p.default))
        if p.kwonly:
            row["flags"].append("PYSDK_P_KWONLY")
        if target.startswith("body."):
            member = target[len("body."):]
            if op.body is None:
                raise PyGenError("%s.%s: %s has no JSON body" % (svc, name, op_name))
            f = field_of(op.body, member)
            if f is None:
                raise PyGenError("%s.%s: body of %s has no member %s" % (svc, name, op_name,
                                                                          member))
            row["flags"].append("PYSDK_P_BODY")
            row["offset"] = "offsetof(spotify_%s, %s)" % (op.body.c_name, f.member)
            row["field_index"] = f.index
            fk = f.ref.kind
            if modifier == "one":
                row["kind"] = "ONE_LIST"
            elif modifier == "offset":
                row["kind"] = "OFFSET"
            elif modifier in ("items", "dicts"):
                row["kind"] = "URI_ITEMS"
                if modifier == "dicts":
                    row["flags"].append("PYSDK_P_DICTS")
                elem = f.ref.elem.target
                uri = field_of(elem, "uri")
                row["item_size"] = "sizeof(spotify_%s)" % elem.c_name
                row["item_uri_offset"] = "offsetof(spotify_%s, %s)" % (elem.c_name, uri.member)
            elif fk in ("string", "enum") or (fk == "json"):
                row["kind"] = "STR"
            elif fk == "int":
                row["kind"] = "INT"
            elif fk == "bool":
                row["kind"] = "BOOL"
            elif fk == "list" and f.ref.elem.kind == "string":
                row["kind"] = "STRLIST"
            else:
                raise PyGenError("%s.%s: body member %s of kind %s" % (svc, name, member, fk))
        else:
            cp = [q for q in op.params if q.wire == target or q.member == target]
            if len(cp) != 1:
                raise PyGenError("%s.%s: parameter %s has no (or several) targets in %s" %
                                 (svc, name, p.name, op_name))
            cp = cp[0]
            row["offset"] = "offsetof(%s, %s)" % (op.args_type, cp.member)
            kind = C_KIND_OF_PARAM.get(cp.kind)
            if kind is None or kind == "NUMBER":
                raise PyGenError("%s.%s: unsupported parameter kind %s" % (svc, name, cp.kind))
            if kind == "JOIN" and not p.annotation.startswith("list["):
                kind = "STR"
            if modifier == "join":
                kind = "JOIN"
            row["kind"] = kind
        rows.append(row)
    if mapping:
        raise PyGenError("%s.%s: map names unknown parameters %s" % (svc, name, sorted(mapping)))
    for wire, value in opts.get("fixed", {}).items():
        cp = [q for q in op.params if q.wire == wire]
        if len(cp) != 1:
            raise PyGenError("%s.%s: fixed %s is no parameter" % (svc, name, wire))
        rows.append({"name": wire, "flags": [], "kind": "FIXED",
                     "offset": "offsetof(%s, %s)" % (op.args_type, cp[0].member),
                     "field_index": 0, "default": "0", "fixed": c_string(value),
                     "item_size": "0", "item_uri_offset": "0"})
    names = [p.name for p in params]
    rules = []
    kinds = {"exclusive": "EXCLUSIVE", "one": "EXACTLY_ONE", "any": "ANY",
             "requires": "REQUIRES", "not_both_true": "NOT_BOTH_TRUE"}
    for kind, ps, message in opts.get("rules", []):
        idx = [names.index(x) for x in ps] + [-1] * (4 - len(ps))
        rules.append((kinds[kind], idx, message))
    # The result.
    flags = []
    result_class = -1
    r = ret.strip()
    if r == "None":
        flags.append("PYSDK_M_NONE_RESULT")
    else:
        if r.endswith("| None"):
            flags.append("PYSDK_M_OPTIONAL")
            r = r[:-len("| None")].strip()
        cls, _, _ = class_of_annotation(r, classes)
        if cls is not None:
            result_class = classes[cls].index
        if op.result is None:
            raise PyGenError("%s.%s: %s answers without a body" % (svc, name, op_name))
        unwrap = opts.get("unwrap")
        if unwrap is not None and field_of(op.result, unwrap) is None:
            raise PyGenError("%s.%s: result of %s has no member %s" % (svc, name, op_name,
                                                                        unwrap))
    row = MethodRow()
    row.name = name
    row.op = op
    row.params = rows
    row.rules = rules
    row.flags = flags
    row.result_class = result_class
    row.unwrap = opts.get("unwrap")
    row.signature = sig_text(params)
    row.doc = "%s %s (%s) -> %s. %s" % (op.method, op.path, op.id, ret, op.reference)
    return row


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def gen_tables_c(ops, m, banner, version):
    classes, order, defaults = build_classes(m)
    ops_by_name = {op.name: op for op in ops}
    o = [banner % (OUT_TABLES_C, version)]
    o.append(""" *
 * The tables of spotify_sdk._core (python/src/pysdk.h): every service
 * method of the Python package, its operation and where each parameter goes
 * in the operation's args or body struct; every model class with the
 * reference package's annotations of its fields; and the class each C
 * model type converts to by default. Facts: tools/gen/python_api.py.
 */
#define SPOTIFY_NO_DEPRECATION_WARNINGS 1
#include <stddef.h>

#include <spotify/spotify.h>

#include "pysdk.h"
""")
    for i, name in enumerate(order):
        o.append("#define CLASS_%s %d" % (name.upper(), i))
    o.append("")
    services = []
    seen_ops = set()
    for attr, cls_name, methods in facts.SERVICES:
        rows = [build_method(cls_name, e, ops_by_name, classes, m) for e in methods]
        services.append((attr, cls_name, rows))
        for row in rows:
            op = row.op
            if op.name not in seen_ops:
                seen_ops.add(op.name)
                o.append("_Static_assert(sizeof(%s) <= PYSDK_MAX_ARGS_SIZE, \"args size\");" %
                         op.args_type)
                o.append("static const %s init_%s = SPOTIFY_%s_ARGS_INIT;" %
                         (op.args_type, op.name, op.upper))
            key = "%s_%s" % (attr, row.name)
            o.append("static const pysdk_param params_%s[] = {" % key)
            for p in row.params:
                o.append("    {%s, PYSDK_ARG_%s, %s, %d, %s, %s, %s, %s, %s}," % (
                    c_string(p["name"]), p["kind"], " | ".join(p["flags"]) or "0",
                    p["field_index"], p["offset"], p["default"], p["fixed"], p["item_size"],
                    p["item_uri_offset"]))
            if not row.params:
                o.append("    {NULL, 0, 0, 0, 0, 0, NULL, 0, 0},")
            o.append("};")
            if row.rules:
                o.append("static const pysdk_rule rules_%s[] = {" % key)
                for kind, idx, message in row.rules:
                    o.append("    {PYSDK_RULE_%s, {%s}, %s}," % (
                        kind, ", ".join(str(x) for x in idx), c_string(message)))
                o.append("};")
        o.append("")
    for attr, cls_name, rows in services:
        o.append("static const pysdk_method methods_%s[] = {" % attr)
        for row in rows:
            op = row.op
            key = "%s_%s" % (attr, row.name)
            body_size = "sizeof(spotify_%s)" % op.body.c_name if op.body is not None else "0"
            body_offset = "offsetof(%s, body)" % op.args_type if op.body is not None else "0"
            o.append("    {%s, %s, %s, SPOTIFY_OP_%s, sizeof(%s), &init_%s, %s, %s, "
                     "params_%s, %d, %s, %d, %s, %d, %s}," % (
                         c_string(row.name), c_string(row.signature), c_string(row.doc),
                         op.upper, op.args_type, op.name, body_size, body_offset, key,
                         len(row.params), "rules_%s" % key if row.rules else "NULL",
                         len(row.rules), " | ".join(row.flags) or "0", row.result_class,
                         c_string(row.unwrap) if row.unwrap else "NULL"))
        o.append("};\n")
    o.append("const pysdk_service pysdk_services[] = {")
    for attr, cls_name, rows in services:
        o.append("    {%s, %s, methods_%s, %d}," % (c_string(attr), c_string(cls_name), attr,
                                                     len(rows)))
    o.append("};")
    o.append("const size_t pysdk_service_count = %d;\n" % len(services))
    # Model classes and their notes.
    for name in order:
        notes = []
        for f in merged_fields(classes[name], classes):
            cls, dt, dct = class_of_annotation(f.annotation, classes)
            attr = f.attr if f.attr != f.json and f.attr != "type_" else None
            if cls is None and not dt and not dct and attr is None:
                continue
            fl = []
            if dt:
                fl.append("PYSDK_F_DATETIME")
            if dct:
                fl.append("PYSDK_F_DICT")
            notes.append("    {%s, %s, %s, %s}," % (
                c_string(f.json), c_string(attr) if attr else "NULL",
                "CLASS_%s" % cls.upper() if cls else "-1", " | ".join(fl) or "0"))
        if notes:
            o.append("static const pysdk_field_note notes_%s[] = {" % name)
            o.extend(notes)
            o.append("};")
        classes[name].note_count = len(notes)
    o.append("")
    o.append("const pysdk_model_class pysdk_model_classes[] = {")
    for name in order:
        n = classes[name].note_count
        o.append("    {%s, %s, %d}," % (c_string(name), "notes_%s" % name if n else "NULL", n))
    o.append("};")
    o.append("const size_t pysdk_model_class_count = %d;\n" % len(order))
    o.append("const pysdk_type_class pysdk_type_classes[] = {")
    for t in m.types.values():
        c = defaults.get(t.c_name)
        if c is not None:
            o.append("    {SPOTIFY_MODEL_%s, CLASS_%s}," % (t.c_name.upper(), c.name.upper()))
    o.append("};")
    o.append("const size_t pysdk_type_class_count = sizeof pysdk_type_classes / "
             "sizeof pysdk_type_classes[0];")
    return "\n".join(o) + "\n"


PY_BANNER = '''# SPDX-License-Identifier: Apache-2.0
# %s - generated by tools/gen/generate.py from tools/gen/python_api.py
# (spotify_sdk 0.10's model classes; do not edit).
'''


def gen_models_py(m):
    classes, order, defaults = build_classes(m)
    o = [PY_BANNER % OUT_MODELS_PY]
    o.append('''"""Models of Spotify's Web API objects.

Every class derives from SpotifyModel (the extension's base type): the
attributes are the members of Spotify's JSON object as the C decoder read
them (a member `type` is the attribute `type_`), members Spotify added are
kept (`model_extra`), and `model_dump()` gives the dict. Annotations follow
spotify-sdk 0.10; objects are built by the extension, not validated here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, Literal, TypeVar

from .._core import SpotifyModel, _register_models

T = TypeVar("T")

__all__ = [''')
    for name in order:
        o.append('    "%s",' % name)
    o.append('    "SpotifyModel",')
    o.append("]\n")
    for name in order:
        c = classes[name]
        o.append("\nclass %s(%s):" % (name, c.base))
        fields = []
        for f in c.fields:
            o.append("    %s: %s" % (f.attr, f.annotation))
        allf = merged_fields(c, classes)
        for f in allf:
            fields.append('"%s": %s' % (f.attr, "dict" if f.factory else "None"))
        o.append("")
        o.append("    __spotify_fields__ = {%s}" % ", ".join(fields))
        aliases = ['"%s": "%s"' % (f.attr, f.json) for f in allf if f.attr != f.json]
        if aliases:
            o.append("    __spotify_aliases__ = {%s}" % ", ".join(aliases))
        o.append("")
    o.append("")
    for alias, value in facts.ALIASES:
        o.append("%s = %s" % (alias, value))
    o.append("")
    o.append("_register_models(globals())")
    text = "\n".join(o) + "\n"
    # Long lines: break the field dicts one entry per line.
    out = []
    for line in text.splitlines():
        if len(line) > 99 and line.strip().startswith("__spotify_"):
            head, body = line.split("{", 1)
            items = split_top(body.rstrip("}"))
            out.append(head + "{")
            for it in items:
                out.append("        %s," % it)
            out.append("    }")
        else:
            out.append(line)
    return "\n".join(out).replace("\n\n\n\nclass", "\n\n\nclass") + "\n"
