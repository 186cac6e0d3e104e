#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tools/gen/extract_spec.py - a description-free extract of Spotify's OpenAPI file.

Reads the OpenAPI 3 document (default: ../shared/reference/spotify-openapi.yml)
and writes spec/spotify-api.json, the only input of tools/gen/generate.py, so
a clean checkout regenerates the C sources without the reference material.

Kept: paths, methods, operationIds, tags, deprecated flags, parameters (in,
required, type, minimum, maximum, default, enum, explode), request bodies,
response schema references, security scopes, a link to Spotify's reference
page per operation, and every component schema (types, formats, required,
nullable, enums, $ref, allOf/oneOf/anyOf, discriminators, limits).

Dropped: every description, summary, title and example (prose), and the
"x-spotify-docs-*" presentation hints. An unknown key anywhere stops the
extract, so a new kind of information in the spec is never lost silently.

Output is stable: sorted keys, operations in the document's order, two-space
indentation, a final newline.

    tools/gen/extract_spec.py [--spec FILE] [--out FILE]
"""
import argparse
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_SPEC = os.path.normpath(
    os.path.join(ROOT, "..", "shared", "reference", "spotify-openapi.yml"))
DEFAULT_OUT = os.path.join(ROOT, "spec", "spotify-api.json")

# Spotify's reference pages are named after the operationId.
REFERENCE_URL = "https://developer.spotify.com/documentation/web-api/reference/"

PROSE = {"description", "summary", "title", "example", "examples", "x-spotify-docs-type",
         "x-spotify-docs-console-url", "x-spotify-docs-endpoint-url", "x-spotify-policy-list"}
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

SCHEMA_SCALARS = {"type", "format", "required", "enum", "nullable", "minimum", "maximum",
                  "exclusiveMinimum", "exclusiveMaximum", "default", "deprecated", "$ref",
                  "minItems", "maxItems", "minLength", "maxLength", "pattern", "uniqueItems",
                  "readOnly", "writeOnly"}


class ExtractError(Exception):
    pass


def fail(where, what):
    raise ExtractError("%s: %s" % (where, what))


def schema(node, where):
    """A schema with prose removed; nested schemas are cleaned recursively."""
    if not isinstance(node, dict):
        fail(where, "schema is not an object")
    out = {}
    for key, value in node.items():
        if key in PROSE:
            continue
        if key in SCHEMA_SCALARS:
            out[key] = value
        elif key == "properties":
            out[key] = {name: schema(sub, "%s.%s" % (where, name))
                        for name, sub in value.items()}
        elif key == "items":
            out[key] = schema(value, where + "[]")
        elif key in ("allOf", "oneOf", "anyOf"):
            out[key] = [schema(sub, "%s.%s[%d]" % (where, key, i))
                        for i, sub in enumerate(value)]
        elif key == "additionalProperties":
            out[key] = value if isinstance(value, bool) else schema(value, where + "{}")
        elif key == "discriminator":
            out[key] = {k: v for k, v in value.items() if k in ("propertyName", "mapping")}
        else:
            fail(where, "unknown schema key %r" % key)
    return out


def content(node, where):
    """A content map (media type -> {schema})."""
    out = {}
    for media_type, media in node.items():
        entry = {}
        for key, value in media.items():
            if key == "schema":
                entry["schema"] = schema(value, "%s(%s)" % (where, media_type))
            elif key not in PROSE:
                fail(where, "unknown media type key %r" % key)
        out[media_type] = entry
    return out


def parameter(node, where):
    out = {}
    for key, value in node.items():
        if key in PROSE:
            continue
        if key in ("$ref", "name", "in", "required", "explode", "style", "deprecated",
                   "allowEmptyValue"):
            out[key] = value
        elif key == "schema":
            out[key] = schema(value, where)
        else:
            fail(where, "unknown parameter key %r" % key)
    return out


def body_or_response(node, where, allowed):
    out = {}
    for key, value in node.items():
        if key in PROSE:
            continue
        if key == "content":
            out[key] = content(value, where)
        elif key in allowed:
            out[key] = value
        else:
            fail(where, "unknown key %r" % key)
    return out


def security(node, where):
    out = []
    for requirement in node:
        out.append({name: sorted(scopes) for name, scopes in requirement.items()})
    return out


def operation(path, method, node):
    where = "%s %s" % (method.upper(), path)
    out = {"method": method.upper(), "path": path}
    for key, value in node.items():
        if key in PROSE:
            continue
        if key in ("operationId", "deprecated"):
            out[key] = value
        elif key == "tags":
            out[key] = list(value)
        elif key == "parameters":
            out[key] = [parameter(p, "%s param %d" % (where, i)) for i, p in enumerate(value)]
        elif key == "requestBody":
            out[key] = body_or_response(value, where + " body", ("$ref", "required"))
        elif key == "responses":
            out[key] = {str(code): body_or_response(r, "%s %s" % (where, code), ("$ref",))
                        for code, r in value.items()}
        elif key == "security":
            out[key] = security(value, where)
        elif key == "externalDocs":
            out["externalDocs"] = value.get("url")
        else:
            fail(where, "unknown operation key %r" % key)
    if "operationId" not in out:
        fail(where, "operation without operationId")
    out.setdefault("deprecated", False)
    out.setdefault("externalDocs", REFERENCE_URL + out["operationId"])
    return out


def scopes_of(components):
    names = set()
    for scheme in components.get("securitySchemes", {}).values():
        for flow in scheme.get("flows", {}).values():
            names.update(flow.get("scopes", {}).keys())
    return sorted(names)


def extract(doc):
    info = doc.get("info", {})
    servers = doc.get("servers", [])
    operations = []
    for path, item in doc["paths"].items():
        for method, node in item.items():
            if method not in HTTP_METHODS:
                fail(path, "unsupported path item key %r" % method)
            operations.append(operation(path, method, node))
    components = doc.get("components", {})
    known = {"schemas", "responses", "parameters", "securitySchemes", "requestBodies"}
    for key in components:
        if key not in known:
            fail("components", "unknown section %r" % key)
    return {
        "format": 1,
        "source": {
            "file": "spotify-openapi.yml",
            "openapi": doc.get("openapi"),
            "version": info.get("version"),
            "server": servers[0]["url"] if servers else None,
        },
        "scopes": scopes_of(components),
        "operations": operations,
        "components": {
            "schemas": {name: schema(s, name)
                        for name, s in components.get("schemas", {}).items()},
            "responses": {name: body_or_response(r, "responses." + name, ("$ref",))
                          for name, r in components.get("responses", {}).items()},
            "parameters": {name: parameter(p, "parameters." + name)
                           for name, p in components.get("parameters", {}).items()},
            "requestBodies": {name: body_or_response(b, "requestBodies." + name,
                                                     ("$ref", "required"))
                              for name, b in components.get("requestBodies", {}).items()},
        },
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=DEFAULT_SPEC)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    with open(args.spec, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    try:
        data = extract(doc)
    except ExtractError as e:
        print("extract_spec: %s" % e, file=sys.stderr)
        return 1
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print("extract_spec: %d operations, %d schemas -> %s" %
          (len(data["operations"]), len(data["components"]["schemas"]), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
