#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tools/gen/generate.py - C models and descriptor tables from spec/spotify-api.json.

Reads ONLY the committed extract (spec/spotify-api.json, written by
tools/gen/extract_spec.py), so a clean checkout regenerates without the
reference material, and writes:

  include/spotify/models.h        one C struct per object schema, enums, lists,
                                  field indices, type handles
  src/api/models_desc.c           descriptor tables read by the runtime decoder
                                  and encoder (src/api/decode.c)
  tests/unit/decode_examples.h    an example JSON document per model type, built
                                  from the schemas (all fields, arrays of two)

and, through tools/gen/gen_ops.py with the facts of tools/gen/operations.py,
the operations: include/spotify/api.h, src/api/ops_desc.c, the table of
docs/api.md and tests/integration/ops_calls.h.

Every C file goes through clang-format (the repository's .clang-format) as
the last step, so the output is format-clean and tests/gen/check_generated.sh
can compare byte for byte.

    tools/gen/generate.py [--spec FILE] [--out-dir DIR] [--no-format]
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
import gen_async  # noqa: E402  (next to this file)
import gen_ops  # noqa: E402
import gen_python  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

OUT_MODELS_H = "include/spotify/gen/models.h"
OUT_DESC_C = "src/api/gen/models_desc.c"
OUT_EXAMPLES_H = "tests/unit/decode_examples.h"

# Presence bits live in one uint64_t (spotify_object_meta.present).
MAX_FIELDS = 64

# ---------------------------------------------------------------------------
# Naming. Default rules: a schema "FooBarObject" becomes spotify_foo_bar; a
# component response "ManyAlbums" spotify_many_albums; a request body of
# operation "create-playlist" spotify_create_playlist_body; an inline object
# in member "m" of type T spotify_T_m (array elements: spotify_T_m_item).
# The tables below override the defaults where they clash or read badly.
# ---------------------------------------------------------------------------

# Spec names whose default C name is taken by the SDK's own types.
TYPE_NAMES = {
    "ErrorObject": "error_object",  # spotify_error is the error record
}

# Component responses that share one shape get one type.
RESPONSE_NAMES = {
    "SingletonArrayOfBoolean": "ArrayOfBooleans",
    "BadRequest": "ErrorResponse",
    "Forbidden": "ErrorResponse",
    "NotFound": "ErrorResponse",
    "TooManyRequests": "ErrorResponse",
    "Unauthorized": "ErrorResponse",
}

# Inline object schemas, by "<owner spec name>.<member>", named like schemas.
INLINE_NAMES = {
    "PagedCategories.categories": "PagingCategoryObject",
}

# Enums are named after their member; equal names merge their values.
ENUM_NAMES = {
    "type": "object_type",  # "album", "artist", "track"...: one enum for all
    "reason": "restriction_reason",
}

# Names public headers already use (spotify_<name>).
RESERVED_TYPES = {
    "error", "status", "client", "client_options", "request", "response", "param",
    "token", "flow", "auth", "auth_options", "allocator", "clock", "timeouts",
    "retry_options", "http_event", "log_level", "model_type", "object_meta",
    "string_list", "int64_list", "double_list", "bool_list", "token_cache",
}

# What spotify/model_runtime.h declares.
RUNTIME_IDENTIFIERS = {
    "spotify_model_type", "spotify_object_meta", "spotify_string_list", "spotify_int64_list",
    "spotify_double_list", "spotify_bool_list", "spotify_meta_has", "spotify_meta_is_null",
    "spotify_has", "spotify_is_null", "spotify_item_is_null", "spotify_mark_present",
    "spotify_mark_null", "spotify_model_decode", "spotify_model_free", "spotify_model_raw_json",
    "spotify_model_encode", "spotify_model_type_name", "SPOTIFY_META_JSON_NULL",
}

C_KEYWORDS = {
    # C11
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double",
    "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
    "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
    "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "_Bool",
    # C++ (models.h is usable from C++)
    "alignas", "alignof", "and", "asm", "bool", "catch", "class", "constexpr",
    "const_cast", "decltype", "delete", "dynamic_cast", "explicit", "export", "false",
    "friend", "mutable", "namespace", "new", "noexcept", "not", "nullptr", "operator",
    "or", "private", "protected", "public", "reinterpret_cast", "static_assert",
    "static_cast", "template", "this", "thread_local", "throw", "true", "try",
    "typeid", "typename", "using", "virtual", "xor",
    # macros of the standard headers models.h includes, and our own member
    "NULL", "errno", "assert", "meta",
}

SUCCESS_CODES = ("200", "201", "202", "204")


class GenError(Exception):
    pass


def snake(name):
    """CamelCase / kebab-case -> snake_case."""
    name = name.replace("-", "_").replace(" ", "_")
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"_+", "_", name).lower().strip("_")


def schema_c_name(spec_name):
    if spec_name in TYPE_NAMES:
        return TYPE_NAMES[spec_name]
    base = spec_name[:-len("Object")] if spec_name.endswith("Object") else spec_name
    return snake(base)


def member_name(json_name):
    ident = re.sub(r"[^A-Za-z0-9_]", "_", json_name)
    if not ident or ident[0].isdigit():
        ident = "_" + ident
    if ident in C_KEYWORDS:
        ident += "_"
    return ident


def ref_name(ref):
    return ref.rsplit("/", 1)[-1]


def elem_c_type(elem):
    """The <name> of spotify_<name>_list for arrays of `elem`."""
    return {"string": "string", "int": "int64", "number": "double",
            "bool": "bool"}.get(elem.kind) or elem.target.c_name


# ---------------------------------------------------------------------------
# The type model
# ---------------------------------------------------------------------------

class Enum:
    def __init__(self, c_name):
        self.c_name = c_name
        self.values = []
        self.sources = []

    def add(self, values, source):
        for v in values:
            if not isinstance(v, str):
                raise GenError("%s: enum value %r is not a string" % (source, v))
            if v not in self.values:
                self.values.append(v)
        self.sources.append(source)


class TypeRef:
    """What a member (or an array element) holds."""

    def __init__(self, kind, target=None, elem=None, limits=None):
        self.kind = kind          # string int number bool enum object union list json
        self.target = target      # Struct / Union / Enum
        self.elem = elem          # TypeRef of the elements (list)
        self.limits = limits or {}
        self.spec_enum = None     # the member's own enum values (examples)


class Field:
    def __init__(self, json_name, ref, required, nullable, deprecated):
        self.json = json_name
        self.member = member_name(json_name)
        self.ref = ref
        self.required = required
        self.nullable = nullable
        self.deprecated = deprecated
        self.index = 0


class Struct:
    def __init__(self, spec_name, c_name, origin):
        self.spec_name = spec_name
        self.c_name = c_name
        self.origin = origin      # schema / response / body / inline
        self.fields = []
        self.docs = None
        self.shape = None         # canonical JSON of the source schema (dedup)
        self.is_union = False
        self.is_array = False     # a top-level JSON array held in member "items"


class Union:
    def __init__(self, c_name, alts, tag_name):
        self.c_name = c_name
        self.spec_name = " | ".join(a.spec_name for _, a in alts)
        self.alts = alts          # [(tag value, Struct)]
        self.tag_name = tag_name
        self.docs = None
        self.is_union = True
        self.is_array = False


class Model:
    def __init__(self, spec):
        self.spec = spec
        self.schemas = spec["components"]["schemas"]
        self.types = OrderedDict()   # c_name -> Struct / Union, in creation order
        self.by_schema = {}          # spec schema name -> Struct
        self.enums = OrderedDict()
        self.lists = OrderedDict()   # element c type name -> element TypeRef

    # -- schemas --------------------------------------------------------

    def resolve(self, node):
        """Follows a $ref to a component schema; returns (name or None, schema)."""
        if "$ref" in node:
            name = ref_name(node["$ref"])
            if name not in self.schemas:
                raise GenError("unknown schema %s" % node["$ref"])
            return name, self.schemas[name]
        return None, node

    def is_object(self, node):
        _, node = self.resolve(node)
        if "oneOf" in node or "anyOf" in node:
            return False
        return "properties" in node or "allOf" in node or node.get("type") == "object"

    def flatten(self, node, where, depth=0):
        """Members (ordered dict json name -> schema) and required names of an
        object schema, allOf merged."""
        if depth > 16:
            raise GenError("%s: allOf nesting too deep" % where)
        _, node = self.resolve(node)
        props = OrderedDict()
        required = set(node.get("required", []))
        for sub in node.get("allOf", []):
            p, r = self.flatten(sub, where, depth + 1)
            props.update(p)
            required |= r
        props.update(node.get("properties", {}))
        return props, required

    def register(self, t):
        if t.c_name in RESERVED_TYPES:
            raise GenError("type name spotify_%s is reserved (%s)" % (t.c_name, t.spec_name))
        old = self.types.get(t.c_name)
        if old is not None:
            raise GenError("two types named spotify_%s (%s, %s)" %
                           (t.c_name, old.spec_name, t.spec_name))
        self.types[t.c_name] = t

    def struct_for_schema(self, name):
        if name in self.by_schema:
            return self.by_schema[name]
        s = Struct(name, schema_c_name(name), "schema")
        self.by_schema[name] = s
        self.register(s)
        self.fill(s, self.schemas[name])
        return s

    def struct_inline(self, node, spec_name, c_name, origin):
        shape = json.dumps(node, sort_keys=True)
        old = self.types.get(c_name)
        if old is not None and not old.is_union and old.shape == shape:
            return old
        s = Struct(spec_name, c_name, origin)
        s.shape = shape
        self.register(s)
        self.fill(s, node)
        return s

    def struct_array(self, node, spec_name, c_name):
        """A response that is a JSON array: a struct whose one member "items"
        holds it (decoded and encoded as the bare array)."""
        shape = json.dumps(node, sort_keys=True)
        old = self.types.get(c_name)
        if old is not None and old.is_array and old.shape == shape:
            return old
        s = Struct(spec_name, c_name, "array")
        s.shape = shape
        s.is_array = True
        self.register(s)
        s.fields.append(Field("items", self.type_of(node, s, "items", False), True, False, False))
        return s

    def fill(self, s, node):
        props, required = self.flatten(node, s.spec_name)
        for json_name in sorted(props):
            p = props[json_name]
            ref = self.type_of(p, s, json_name, False)
            _, target = self.resolve(p)
            nullable = bool(p.get("nullable") or target.get("nullable"))
            f = Field(json_name, ref, json_name in required, nullable,
                      bool(p.get("deprecated")))
            s.fields.append(f)
        if len(s.fields) > MAX_FIELDS:
            raise GenError("%s has %d members (limit %d)" %
                           (s.spec_name, len(s.fields), MAX_FIELDS))
        for i, f in enumerate(s.fields):
            f.index = i
        members = [f.member for f in s.fields]
        if len(set(members)) != len(members):
            raise GenError("%s: two members map to one C name" % s.spec_name)

    def limits(self, node):
        return {k: node[k] for k in ("minimum", "maximum", "format") if k in node}

    def type_of(self, p, owner, json_name, in_array):
        """The TypeRef of member `json_name` of `owner` (or of its elements)."""
        where = "%s.%s" % (owner.spec_name, json_name)
        if "$ref" in p:
            name, target = self.resolve(p)
            if self.is_object(target):
                return TypeRef("object", self.struct_for_schema(name))
            ref = self.type_of(target, owner, json_name, in_array)
            ref.limits = dict(self.limits(target), **ref.limits)
            return ref
        if "allOf" in p and "properties" not in p and len(p["allOf"]) == 1:
            return self.type_of(p["allOf"][0], owner, json_name, in_array)
        if "oneOf" in p or "anyOf" in p:
            return TypeRef("union", self.union_for(p, where))
        t = p.get("type")
        if t == "string":
            if "enum" in p:
                ename = ENUM_NAMES.get(json_name, json_name)
                if ename not in self.enums:
                    self.enums[ename] = Enum(ename)
                self.enums[ename].add(p["enum"], where)
                ref = TypeRef("enum", self.enums[ename], limits=self.limits(p))
                ref.spec_enum = list(p["enum"])
                return ref
            return TypeRef("string", limits=self.limits(p))
        if t == "integer":
            return TypeRef("int", limits=self.limits(p))
        if t == "number":
            return TypeRef("number", limits=self.limits(p))
        if t == "boolean":
            return TypeRef("bool")
        if t == "array":
            if in_array:
                raise GenError("%s: arrays of arrays are not supported" % where)
            elem = self.type_of(p.get("items", {}), owner, json_name, True)
            if elem.kind in ("json", "list"):
                raise GenError("%s: unsupported array element" % where)
            if elem.kind == "enum":
                elem = TypeRef("string")  # arrays of enums read as strings
            key = elem_c_type(elem)
            self.lists.setdefault(key, elem)
            return TypeRef("list", elem=elem)
        if self.is_object(p) and (p.get("properties") or p.get("allOf")):
            path = "%s.%s" % (owner.spec_name, json_name)
            if path in INLINE_NAMES:
                spec_name = INLINE_NAMES[path]
                c_name = schema_c_name(spec_name)
            else:
                spec_name = path + ("[]" if in_array else "")
                c_name = "%s_%s%s" % (owner.c_name, snake(json_name),
                                      "_item" if in_array else "")
            return TypeRef("object", self.struct_inline(p, spec_name, c_name, "inline"))
        if t in (None, "object"):
            return TypeRef("json")
        raise GenError("%s: unsupported schema type %r" % (where, t))

    def union_for(self, p, where):
        alts_nodes = p.get("oneOf") or p.get("anyOf")
        tag_name = p.get("discriminator", {}).get("propertyName", "type")
        mapping = p.get("discriminator", {}).get("mapping", {})
        by_ref = {ref_name(v): k for k, v in mapping.items()}
        alts = []
        for node in alts_nodes:
            if "$ref" not in node:
                raise GenError("%s: inline oneOf alternatives are not supported" % where)
            name = ref_name(node["$ref"])
            s = self.struct_for_schema(name)
            tag = by_ref.get(name)
            if tag is None:
                props, _ = self.flatten(self.schemas[name], name)
                values = props.get(tag_name, {}).get("enum", [])
                if len(values) != 1:
                    raise GenError("%s: cannot tell the %r of %s" % (where, tag_name, name))
                tag = values[0]
            alts.append((tag, s))
        c_name = "_or_".join(s.c_name for _, s in alts)
        old = self.types.get(c_name)
        if old is not None:
            if not old.is_union or [(t, s.c_name) for t, s in old.alts] != \
                    [(t, s.c_name) for t, s in alts]:
                raise GenError("%s: union name spotify_%s clashes" % (where, c_name))
            return old
        u = Union(c_name, alts, tag_name)
        self.register(u)
        return u

    # -- the whole spec ---------------------------------------------------

    def build(self):
        for name in sorted(self.schemas):
            if self.is_object(self.schemas[name]):
                self.struct_for_schema(name)
        responses = self.spec["components"]["responses"]
        for name in sorted(responses):
            schema = responses[name].get("content", {}).get("application/json", {}).get(
                "schema")
            spec_name = RESPONSE_NAMES.get(name, name)
            if schema is not None and schema.get("type") == "array":
                self.struct_array(schema, spec_name, snake(spec_name))
                continue
            if schema is None or "$ref" in schema or not self.is_object(schema):
                continue
            self.struct_inline(schema, spec_name, snake(spec_name), "response")
        for op in self.spec["operations"]:
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            schema = body["schema"]
            if "$ref" in schema:
                continue
            s = self.struct_inline(schema, op["operationId"] + " body",
                                   snake(op["operationId"]) + "_body", "body")
            s.docs = op["externalDocs"]
        self.link_docs()
        self.check_identifiers()

    def link_docs(self):
        """Each type's reference page: the first operation returning it."""
        responses = self.spec["components"]["responses"]
        for op in self.spec["operations"]:
            for code in SUCCESS_CODES:
                r = op["responses"].get(code)
                if r is None:
                    continue
                rname = ref_name(r["$ref"]) if "$ref" in r else None
                if rname is not None:
                    r = responses[rname]
                schema = r.get("content", {}).get("application/json", {}).get("schema")
                if schema is None:
                    continue
                t = None
                if "$ref" in schema:
                    t = self.by_schema.get(ref_name(schema["$ref"]))
                elif rname is not None:
                    t = self.types.get(snake(RESPONSE_NAMES.get(rname, rname)))
                if t is not None and t.docs is None:
                    t.docs = op["externalDocs"]

    def check_identifiers(self):
        """Every generated public identifier must be unique, and distinct from
        the hand-written ones of spotify/model_runtime.h."""
        seen = {ident: "model_runtime.h" for ident in RUNTIME_IDENTIFIERS}

        def claim(ident, what):
            if ident in seen and seen[ident] != what:
                raise GenError("identifier %s used by %s and %s" % (ident, seen[ident], what))
            seen[ident] = what

        for e in self.enums.values():
            claim("spotify_%s" % e.c_name, "enum " + e.c_name)
            claim("spotify_%s_value" % e.c_name, "enum " + e.c_name)
            for v in ["unknown"] + e.values:
                claim(enum_const(e.c_name, v), "enum %s" % e.c_name)
        for key, elem in self.lists.items():
            if elem.kind not in ("string", "int", "number", "bool"):  # in model_runtime.h
                claim("spotify_%s_list" % key, "list " + key)
        for t in self.types.values():
            claim("spotify_%s" % t.c_name, t.spec_name)
            claim("spotify_model_%s" % t.c_name, t.spec_name)
            claim("SPOTIFY_MODEL_%s" % t.c_name.upper(), t.spec_name)
            claim("spotify_%s_decode" % t.c_name, t.spec_name)
            claim("spotify_%s_free" % t.c_name, t.spec_name)
            if t.is_union:
                claim("spotify_%s_kind" % t.c_name, t.spec_name)
                for v in ["unknown"] + [tag for tag, _ in t.alts]:
                    claim(enum_const(t.c_name, v), t.spec_name)
            else:
                claim("spotify_%s_field" % t.c_name, t.spec_name)
                for f in t.fields:
                    claim(field_const(t, f), "%s.%s" % (t.spec_name, f.json))


def enum_const(enum_c_name, value):
    return "SPOTIFY_%s_%s" % (enum_c_name.upper(), re.sub(r"[^A-Za-z0-9]", "_", value).upper())


def field_const(t, f):
    return "SPOTIFY_%s_%s" % (t.c_name.upper(), re.sub(r"[^A-Za-z0-9]", "_", f.json).upper())


# ---------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------

def c_string(s):
    out = []
    for ch in s:
        if ch in "\\\"":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) > 0x7e:
            for b in ch.encode("utf-8"):
                out.append("\\%03o" % b)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def c_string_chunks(s, width):
    """`s` as adjacent C string literals of at most `width` characters each."""
    chunks, cur = [], ""
    for ch in s:
        piece = c_string(ch)[1:-1]
        if len(cur) + len(piece) > width - 2:
            chunks.append('"%s"' % cur)
            cur = ""
        cur += piece
    chunks.append('"%s"' % cur)
    return chunks


def c_type(ref):
    k = ref.kind
    if k == "string":
        return "const char *"
    if k == "int":
        return "int64_t "
    if k == "number":
        return "double "
    if k == "bool":
        return "bool "
    if k == "enum":
        return "spotify_%s_value " % ref.target.c_name
    if k in ("object", "union"):
        return "spotify_%s *" % ref.target.c_name
    if k == "list":
        return "spotify_%s_list " % elem_c_type(ref.elem)
    if k == "json":
        return "const char *"
    raise GenError("no C type for %s" % k)


def describe(ref):
    """A short type description for a member's comment."""
    k = ref.kind
    if k in ("string", "bool", "json"):
        text = {"string": "string", "bool": "boolean", "json": "any JSON, as text"}[k]
    elif k == "int":
        text = "integer"
    elif k == "number":
        text = "number"
    elif k == "enum":
        text = "enum %s" % ref.target.c_name
    elif k in ("object", "union"):
        text = ref.target.spec_name
    else:
        text = "array of " + describe(ref.elem)
    lim = ref.limits
    if "format" in lim:
        text += " (%s)" % lim["format"]
    if "minimum" in lim or "maximum" in lim:
        text += " [%s..%s]" % (lim.get("minimum", ""), lim.get("maximum", ""))
    return text


def field_comment(f):
    flags = ["required" if f.required else "optional"]
    if f.nullable:
        flags.append("nullable")
    if f.deprecated:
        flags.append("deprecated")
    return '/* "%s": %s; %s */' % (f.json, describe(f.ref), ", ".join(flags))


def type_doc(t):
    lines = ["/*", " * spotify_%s: %s" % (t.c_name, t.spec_name)]
    origin = getattr(t, "origin", None)
    if origin == "response":
        lines[-1] += " (a response body)"
    elif origin == "body":
        lines[-1] = " * spotify_%s: the request body of %s" % (
            t.c_name, t.spec_name[:-len(" body")])
    elif origin == "inline":
        lines[-1] = " * spotify_%s: member %s" % (t.c_name, t.spec_name)
    elif origin == "array":
        lines[-1] += " (a response body that is a JSON array, held in `items`)"
    if t.docs:
        lines.append(" * " + t.docs)
    lines.append(" */")
    return "\n".join(lines)


HEADER_BANNER = """\
/* SPDX-License-Identifier: Apache-2.0 */
/*
 * %s - GENERATED by tools/gen/generate.py from
 * spec/spotify-api.json (Spotify Web API %s). Do not edit: change the
 * generator or the extract and regenerate; tests/gen/check_generated.sh
 * fails when this file is stale."""


# ---------------------------------------------------------------------------
# include/spotify/models.h
# ---------------------------------------------------------------------------

def gen_models_h(m, version):
    o = []
    o.append(HEADER_BANNER % (OUT_MODELS_H.replace("include/", ""), version))
    o.append(""" *
 * One struct per object schema of the Web API (allOf flattened, members in
 * alphabetical order), plus the response and request-body objects the
 * operations use. docs/models.md explains the conventions:
 *
 *   - every struct starts with `spotify_object_meta meta` (presence bits and
 *     the object's place in the parsed document, for spotify_model_raw_json);
 *   - strings are `const char *` (NULL when absent or null), integers
 *     int64_t, numbers double, booleans bool;
 *   - nested objects are pointers (NULL when absent or null); arrays are
 *     `spotify_<type>_list { items; count; }` value arrays;
 *   - enums are `spotify_<enum>_value { value; text; }`: value is
 *     SPOTIFY_<ENUM>_UNKNOWN (0) for strings this version does not know, text
 *     always keeps the string that was sent;
 *   - oneOf members are tagged structs (`kind` plus one pointer per
 *     alternative) chosen by the JSON "type" member;
 *   - spotify_has(obj, SPOTIFY_<TYPE>_<MEMBER>) says whether a member was in
 *     the JSON, spotify_is_null() whether it was null. Spotify omits members
 *     the specification calls required: check before relying on one.
 *
 * JSON member names that are C or C++ keywords get a trailing underscore
 * (`explicit_`, `public_`), and so does `meta`.
 *
 * Ownership: a decoded model and everything it points to live in one arena
 * released by spotify_model_free() (or spotify_<type>_free()).
 *
 * Threads: decoded models are immutable and may be read from many threads at
 * once; the type handles are constant.
 */
#ifndef SPOTIFY_GEN_MODELS_H
#define SPOTIFY_GEN_MODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model_runtime.h"

SPOTIFY_BEGIN_DECLS
""")
    o.append("/* ---------- types ---------- */\n")
    for t in m.types.values():
        o.append("typedef struct spotify_%s spotify_%s;" % (t.c_name, t.c_name))
    o.append("")
    o.append("/* ---------- enums ---------- */\n")
    for e in m.enums.values():
        members = sorted(set(src.rsplit(".", 1)[-1] for src in e.sources))
        o.append("/* The values of the JSON %s members. */" %
                 ", ".join('"%s"' % x for x in members))
        o.append("typedef enum spotify_%s {" % e.c_name)
        o.append("    %s = 0, /* a value this version does not know: see .text */" %
                 enum_const(e.c_name, "unknown"))
        for i, v in enumerate(e.values):
            o.append("    %s = %d, /* %s */" % (enum_const(e.c_name, v), i + 1, c_string(v)))
        o.append("} spotify_%s;\n" % e.c_name)
        o.append("/* A member of enum %s: the known value, and the text as sent (NULL "
                 "when the member was absent or null). */" % e.c_name)
        o.append("typedef struct spotify_%s_value {" % e.c_name)
        o.append("    spotify_%s value; /* the known value, 0 when absent, null or unknown */" %
                 e.c_name)
        o.append("    const char *text; /* the string as sent (NULL: absent or null) */")
        o.append("} spotify_%s_value;\n" % e.c_name)
    for t in m.types.values():
        if not t.is_union:
            continue
        o.append("/* Which alternative a spotify_%s holds (its JSON \"%s\" member). */" %
                 (t.c_name, t.tag_name))
        o.append("typedef enum spotify_%s_kind {" % t.c_name)
        o.append("    %s = 0, /* another or no \"%s\": only the raw JSON is kept */" %
                 (enum_const(t.c_name, "unknown"), t.tag_name))
        for i, (tag, s) in enumerate(t.alts):
            o.append("    %s = %d, /* %s: %s */" % (enum_const(t.c_name, tag), i + 1,
                                                     c_string(tag), s.spec_name))
        o.append("} spotify_%s_kind;\n" % t.c_name)
    o.append("/* ---------- lists (value arrays: items[0..count)) ---------- */\n")
    for key, elem in m.lists.items():
        if elem.kind in ("string", "int", "number", "bool"):
            continue  # spotify_string_list etc. are in model_runtime.h
        o.extend(gen_ops.comment("An array of spotify_%s: items[0..count), NULL when count is 0."
                                 % key))
        o.append("typedef struct spotify_%s_list {" % key)
        o.append("    spotify_%s *items; /* the elements */" % key)
        o.append("    size_t count; /* the number of elements */")
        o.append("} spotify_%s_list;\n" % key)
    o.append("/* ---------- objects ---------- */\n")
    for t in m.types.values():
        o.append(type_doc(t))
        o.append("struct spotify_%s {" % t.c_name)
        o.append("    /* presence bits and the place in the parsed document "
                 "(spotify_object_meta) */")
        o.append("    spotify_object_meta meta;")
        if t.is_union:
            o.append("    spotify_%s_kind kind; /* which alternative is set */" % t.c_name)
            for tag, s in t.alts:
                o.append("    spotify_%s *%s; /* when kind is %s */" %
                         (s.c_name, member_name(tag), enum_const(t.c_name, tag)))
        else:
            for f in t.fields:
                if t.is_array:
                    o.append("    /* the elements of the JSON array: %s */" % describe(f.ref))
                else:
                    o.append("    " + field_comment(f))
                o.append("    %s%s;" % (c_type(f.ref), f.member))
        o.append("};\n")
        if not t.is_union:
            o.append("/* Member indices of spotify_%s (spotify_has, spotify_is_null). */" %
                     t.c_name)
            o.append("typedef enum spotify_%s_field {" % t.c_name)
            for f in t.fields:
                what = "the array (items)" if t.is_array else c_string(f.json)
                o.append("    %s = %d, /* %s */" % (field_const(t, f), f.index, what))
            o.append("} spotify_%s_field;\n" % t.c_name)
        o.extend(gen_ops.comment("The model type of spotify_%s (%s), for spotify_model_decode() "
                                 "and the other spotify_model_* functions." %
                                 (t.c_name, t.spec_name)))
        o.append("SPOTIFY_API extern const spotify_model_type spotify_model_%s;" % t.c_name)
        o.append("/* A pointer to spotify_model_%s. */" % t.c_name)
        o.append("#define SPOTIFY_MODEL_%s (&spotify_model_%s)\n" % (t.c_name.upper(), t.c_name))
        o.append("/* Decodes one %s from `len` bytes of JSON. *out is Owned: free it "
                 "with spotify_%s_free(). */" % (t.spec_name, t.c_name))
        o.append("static inline spotify_status spotify_%s_decode(spotify_%s **out, "
                 "const char *json, size_t len, spotify_error *err)" % (t.c_name, t.c_name))
        o.append("{")
        o.append("    void *model = NULL;")
        o.append("    spotify_status status = spotify_model_decode(&model, SPOTIFY_MODEL_%s, "
                 "json, len, err);" % t.c_name.upper())
        o.append("    *out = (spotify_%s *)model;" % t.c_name)
        o.append("    return status;")
        o.append("}\n")
        o.append("/* Frees a spotify_%s returned by a decode or an operation (NULL is "
                 "accepted). */" % t.c_name)
        o.append("static inline void spotify_%s_free(spotify_%s *model)" % (t.c_name, t.c_name))
        o.append("{")
        o.append("    spotify_model_free(model);")
        o.append("}\n")
    o.append("SPOTIFY_END_DECLS\n")
    o.append("#endif /* SPOTIFY_GEN_MODELS_H */")
    return "\n".join(o) + "\n"


# ---------------------------------------------------------------------------
# src/api/models_desc.c
# ---------------------------------------------------------------------------

MASK64 = (1 << 64) - 1


def key_word(name):
    """The 64-bit key the runtime hashes (api/models_desc.h, spotify__key_slot):
    the first two, the middle and the last byte, and the length. Keys are
    NUL-terminated, so a one-byte key reads its NUL as the second byte."""
    b = name.encode("utf-8") + b"\0"
    n = len(b) - 1
    return b[0] | (b[1] << 8) | (b[n >> 1] << 16) | (b[n - 1] << 24) | (n << 32)


def perfect_hash(names, where):
    """(multiplier, shift, slots) with (key_word * multiplier) >> shift unique
    (64-bit arithmetic)."""
    words = [key_word(n) for n in names]
    if any(len(n.encode("utf-8")) > 255 or not n for n in names):
        raise GenError("%s: member name empty or longer than 255 bytes" % where)
    bits = 1
    while (1 << bits) < max(2, len(names)):
        bits += 1
    for extra in range(4):
        b = bits + extra
        shift = 64 - b
        for k in range(1, 20000):
            mul = ((0x9E3779B97F4A7C15 * k) & MASK64) | 1
            slots = {}
            for i, w in enumerate(words):
                s = ((w * mul) & MASK64) >> shift
                if s in slots:
                    break
                slots[s] = i
            else:
                table = [0] * (1 << b)
                for s, i in slots.items():
                    table[s] = i + 1
                return mul, shift, table
    raise GenError("%s: no perfect hash for its member names" % where)


KIND_CONST = {
    "string": "SPOTIFY__FIELD_STRING", "int": "SPOTIFY__FIELD_INT",
    "number": "SPOTIFY__FIELD_NUMBER", "bool": "SPOTIFY__FIELD_BOOL",
    "enum": "SPOTIFY__FIELD_ENUM", "object": "SPOTIFY__FIELD_OBJECT",
    "union": "SPOTIFY__FIELD_UNION", "list": "SPOTIFY__FIELD_LIST",
    "json": "SPOTIFY__FIELD_JSON",
}


def field_initializer(t, f):
    """{name, name_len, offset, kind, elem_kind, index, flags, type, enum_desc}"""
    ref = f.ref
    flags = []
    if f.required:
        flags.append("SPOTIFY__FIELD_REQUIRED")
    if f.nullable:
        flags.append("SPOTIFY__FIELD_NULLABLE")
    if f.deprecated:
        flags.append("SPOTIFY__FIELD_DEPRECATED")
    target = ref.elem if ref.kind == "list" else ref
    elem_kind = KIND_CONST[ref.elem.kind] if ref.kind == "list" else "0"
    type_ptr = "NULL"
    if target.kind in ("object", "union"):
        type_ptr = "&spotify_model_%s" % target.target.c_name
    enum_ptr = "&enum_%s" % target.target.c_name if target.kind == "enum" else "NULL"
    return "    {%s, %d, offsetof(spotify_%s, %s), %s, %s, %d, %s, %s, %s}," % (
        c_string(f.json), len(f.json.encode("utf-8")), t.c_name, f.member,
        KIND_CONST[ref.kind], elem_kind, f.index, " | ".join(flags) if flags else "0",
        type_ptr, enum_ptr)


def gen_desc_c(m, version):
    o = []
    o.append(HEADER_BANNER % (OUT_DESC_C, version))
    o.append(""" *
 * The descriptor tables of every model in spotify/models.h: per type its
 * size, its members (JSON name, kind, offset, presence bit, nested type or
 * enum) and a perfect hash of the member names (see spotify__key_slot in
 * api/models_desc.h) that finds a key's member with one multiply and one
 * compare. decode.c walks JSON over these tables; nothing is hand-written
 * per type.
 */
#include <stddef.h>

#include <spotify/models.h>

#include "../models_desc.h"

/* Enum members and oneOf kinds are stored through `int`; generated enum
 * value structs share one layout. */""")
    for e in m.enums.values():
        o.append("_Static_assert(sizeof(spotify_%s) == sizeof(int), \"enum size\");" % e.c_name)
        o.append("_Static_assert(offsetof(spotify_%s_value, text) == "
                 "offsetof(spotify__enum_layout, text), \"enum layout\");" % e.c_name)
    for t in m.types.values():
        if t.is_union:
            o.append("_Static_assert(sizeof(spotify_%s_kind) == sizeof(int), \"kind size\");" %
                     t.c_name)
    for key in m.lists:
        o.append("_Static_assert(offsetof(spotify_%s_list, count) == "
                 "offsetof(spotify__list_layout, count), \"list layout\");" % key)
    o.append("")
    o.append("/* ---------- enums ---------- */\n")
    for e in m.enums.values():
        o.append("static const spotify__enum_name enum_%s_names[] = {" % e.c_name)
        for v in e.values:
            o.append("    {%s, %d}," % (c_string(v), len(v.encode("utf-8"))))
        o.append("};")
        o.append("static const spotify__enum_desc enum_%s = {%s, enum_%s_names, %d};\n" %
                 (e.c_name, c_string(e.c_name), e.c_name, len(e.values)))
    o.append("/* ---------- types ---------- */\n")
    for t in m.types.values():
        if t.is_union:
            o.append("static const spotify__union_alt %s_alts[] = {" % t.c_name)
            for tag, s in t.alts:
                o.append("    {%s, %d, offsetof(spotify_%s, %s), &spotify_model_%s}," %
                         (c_string(tag), len(tag.encode("utf-8")), t.c_name, member_name(tag),
                          s.c_name))
            o.append("};\n")
            o.append("SPOTIFY_API const spotify_model_type spotify_model_%s = {" % t.c_name)
            o.append("    .name = %s," % c_string(t.spec_name))
            o.append("    .c_name = \"spotify_%s\"," % t.c_name)
            o.append("    .size = sizeof(spotify_%s)," % t.c_name)
            o.append("    .kind = SPOTIFY__TYPE_UNION,")
            o.append("    .alts = %s_alts," % t.c_name)
            o.append("    .alt_count = %d," % len(t.alts))
            o.append("    .kind_offset = offsetof(spotify_%s, kind)," % t.c_name)
            o.append("    .tag_name = %s," % c_string(t.tag_name))
            o.append("    .tag_len = %d," % len(t.tag_name))
            o.append("};\n")
            continue
        if t.fields:
            o.append("static const spotify__field_desc %s_fields[] = {" % t.c_name)
            for f in t.fields:
                o.append(field_initializer(t, f))
            o.append("};")
            mul, shift, table = perfect_hash([f.json for f in t.fields], t.spec_name)
            o.append("static const uint8_t %s_slots[%d] = {%s};\n" %
                     (t.c_name, len(table), ", ".join(str(x) for x in table)))
        o.append("SPOTIFY_API const spotify_model_type spotify_model_%s = {" % t.c_name)
        o.append("    .name = %s," % c_string(t.spec_name))
        o.append("    .c_name = \"spotify_%s\"," % t.c_name)
        o.append("    .size = sizeof(spotify_%s)," % t.c_name)
        o.append("    .kind = %s," % ("SPOTIFY__TYPE_ARRAY" if t.is_array else
                                      "SPOTIFY__TYPE_OBJECT"))
        if t.fields:
            o.append("    .field_count = %d," % len(t.fields))
            o.append("    .fields = %s_fields," % t.c_name)
            o.append("    .slots = %s_slots," % t.c_name)
            o.append("    .hash_mul = UINT64_C(0x%016X)," % mul)
            o.append("    .hash_shift = %d," % shift)
        o.append("};\n")
    o.append("/* ---------- every type, for tests and tools ---------- */\n")
    o.append("const spotify_model_type *const spotify__model_types[] = {")
    for t in m.types.values():
        o.append("    &spotify_model_%s," % t.c_name)
    o.append("};")
    o.append("const size_t spotify__model_type_count = %d;" % len(m.types))
    return "\n".join(o) + "\n"


# ---------------------------------------------------------------------------
# tests/unit/decode_examples.h
# ---------------------------------------------------------------------------

class ExampleBuilder:
    """Example documents: every member present, values of the right type,
    enums at their first value, arrays of two, oneOf alternating."""

    def __init__(self):
        self.counter = 0

    def next_int(self):
        self.counter += 1
        return self.counter

    def value(self, ref, path, depth, alt_index=0):
        k = ref.kind
        if k == "string":
            return path
        if k == "int":
            return self.next_int()
        if k == "number":
            return self.next_int() + 0.5
        if k == "bool":
            return True
        if k == "enum":
            return (ref.spec_enum or ref.target.values)[0]
        if k == "object":
            return self.obj(ref.target, depth + 1)
        if k == "union":
            tag, s = ref.target.alts[alt_index % len(ref.target.alts)]
            return self.obj(s, depth + 1, (ref.target.tag_name, tag))
        if k == "list":
            return [self.value(ref.elem, "%s[%d]" % (path, i), depth, i) for i in range(2)]
        if k == "json":
            return {"example": path}
        raise GenError("no example for %s" % k)

    def obj(self, t, depth, tag=None):
        if depth > 32:
            raise GenError("%s: types nest too deep for an example" % t.spec_name)
        out = OrderedDict()
        for f in t.fields:
            if tag is not None and f.json == tag[0]:
                out[f.json] = tag[1]
            else:
                out[f.json] = self.value(f.ref, f.json, depth)
        return out


def gen_examples_h(m, version):
    o = []
    o.append(HEADER_BANNER % (OUT_EXAMPLES_H, version))
    o.append(""" *
 * One example document per object type of spotify/models.h, built from the
 * schemas: every member present with a value of its type (strings hold their
 * member name, numbers count up, enums take their first value, arrays have
 * two elements, oneOf arrays alternate their alternatives). Compact and in
 * the models' member order, so decoding then encoding gives the same bytes.
 * Used by tests/unit/test_decode_schemas.c.
 */
#ifndef SPOTIFY_TEST_DECODE_EXAMPLES_H
#define SPOTIFY_TEST_DECODE_EXAMPLES_H

#include <spotify/models.h>

typedef struct decode_example {
    const spotify_model_type *type;
    /* The document in pieces (C limits string literals to 4095 bytes);
     * NULL-terminated. */
    const char *const *parts;
} decode_example;
""")
    names = []
    for t in m.types.values():
        if t.is_union or t.is_array:
            continue
        text = json.dumps(ExampleBuilder().obj(t, 0), separators=(",", ":"),
                          ensure_ascii=False)
        o.append("static const char *const example_%s[] = {" % t.c_name)
        for i in range(0, len(text), 2048):
            for c in c_string_chunks(text[i:i + 2048], 88):
                o.append("    %s" % c)
            o[-1] += ","
        o.append("    NULL,")
        o.append("};\n")
        names.append(t.c_name)
    o.append("static const decode_example decode_examples[] = {")
    for name in names:
        o.append("    {SPOTIFY_MODEL_%s, example_%s}," % (name.upper(), name))
    o.append("};\n")
    o.append("#endif")
    return "\n".join(o) + "\n"


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def clang_format(text, path):
    """Formats `text` as the file `path` of the repository would be, until
    clang-format leaves it unchanged (one pass is not always a fixed point:
    attribute macros before a declaration move on the second), so the
    format check accepts the output as it is."""
    for _ in range(4):
        formatted = clang_format_once(text, path)
        if formatted == text:
            return formatted
        text = formatted
    raise GenError("clang-format does not settle on %s" % path)


def clang_format_once(text, path):
    try:
        r = subprocess.run(["clang-format", "--assume-filename=" + os.path.join(ROOT, path)],
                           input=text.encode("utf-8"), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=False, cwd=ROOT)
    except FileNotFoundError:
        raise GenError("clang-format not found (apt-get install clang-format)")
    if r.returncode != 0:
        raise GenError("clang-format failed on %s: %s" % (path, r.stderr.decode()))
    return r.stdout.decode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=os.path.join(ROOT, "spec", "spotify-api.json"))
    ap.add_argument("--out-dir", default=ROOT)
    ap.add_argument("--no-format", action="store_true")
    args = ap.parse_args()
    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    try:
        m = Model(spec)
        m.build()
        version = spec["source"].get("version") or "unknown version"
        ops = gen_ops.build_ops(m, member_name, RESPONSE_NAMES, SUCCESS_CODES)
        gen_ops.check_op_identifiers(ops, m)
        outputs = [
            (OUT_MODELS_H, gen_models_h(m, version)),
            (OUT_DESC_C, gen_desc_c(m, version)),
            (OUT_EXAMPLES_H, gen_examples_h(m, version)),
            (gen_ops.OUT_API_H, gen_ops.gen_api_h(ops, m, HEADER_BANNER, version)),
            (gen_ops.OUT_OPS_C, gen_ops.gen_ops_c(ops, HEADER_BANNER, version)),
            (gen_ops.OUT_OPS_TEST_H, gen_ops.gen_ops_test_h(ops, HEADER_BANNER, version)),
            (gen_async.OUT_API_ASYNC_H, gen_async.gen_api_async_h(ops, HEADER_BANNER, version)),
            (gen_python.OUT_TABLES_C, gen_python.gen_tables_c(ops, m, HEADER_BANNER, version)),
        ]
        if not args.no_format:
            outputs = [(p, clang_format(t, p)) for p, t in outputs]
        outputs.append((gen_python.OUT_MODELS_PY, gen_python.gen_models_py(m)))
        # docs/api.md: the hand-written page of the checkout, table replaced.
        with open(os.path.join(ROOT, gen_ops.OUT_API_MD), encoding="utf-8") as f:
            outputs.append((gen_ops.OUT_API_MD, gen_ops.gen_api_md(ops, version, f.read())))
    except (GenError, gen_ops.OpGenError, gen_python.PyGenError) as e:
        print("generate: %s" % e, file=sys.stderr)
        return 1
    for path, text in outputs:
        full = os.path.join(args.out_dir, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
    structs = sum(1 for t in m.types.values() if not t.is_union)
    print("generate: %d object types, %d oneOf types, %d enums, %d list types, %d operations "
          "-> %s" % (structs, len(m.types) - structs, len(m.enums), len(m.lists), len(ops),
                     args.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
