#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_spec_shapes.py - every operation of the Web API specification
(spec/spotify-api.json) sent once to a freshly started spotify-emulator, each
response validated against the operation's response schema.

    check_spec_shapes.py EMULATOR_BINARY SPEC_JSON

The request plan (REQUESTS) names each of the spec's operations once, in an
order where the state they need exists (a device is active before player
commands, a playlist exists before it is changed...); the test fails when an
operation of the spec is missing from the plan, answers with a status the
spec does not list among its 2xx responses, or sends a body that does not
validate. A 204 or empty body must be one the spec allows. Paging objects
with a `next` link are followed once and validated again, and a few error
cases (bad market, unknown id) are checked too.

Schemas are OpenAPI 3.0: `$ref`s are inlined and `nullable` becomes a union
with null before jsonschema (Debian's python3-jsonschema) validates.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import jsonschema

# Ids the emulator's catalog and seed data guarantee (the same as
# tools/gen/gen_ops.py TEST_IDS).
ALBUM = "7ycBtnsMtyVbbwTfJwRjSP"
TRACK = "7Ks4VCY1wFebnOdJrM13t6"
ARTIST = "2YZyLoL8N0Wb9xBt1NhZWg"
SHOW = "5CfCWKI5pZ28U0uOzXkDHe"
EPISODE = "512ojhOuo1ktJprKbVcKyQ"
AUDIOBOOK = "7iHfbu1YPACw6oZPAFJtqe"
CHAPTER = "0D5wENdkdwbqlrHoaJ9g29"
USER = "demo-user"
CATEGORY = "toplists"

# The `limit` bounds of every operation that has one are probed (the bounds
# themselves answer, one past them is 400 "Invalid limit"). Deliberate
# deviations from the spec's bounds, with the reason (docs/emulator.md):
LIMIT_EXCEPTIONS = {
    # Spotify's documented Search range (issue #15); the 2026 spec's 1-10 is
    # the development-mode cap, which apps with extended quota do not have.
    "search": (0, 50),
}

# Where the real Spotify answer (tests/fixtures) contradicts the schema, an
# operation may be listed here with the reason; its response is then only
# checked to be JSON. Keep it short: currently nothing needs it.
ALLOW = {}


def requests_plan(playlist, device):
    """(operationId, path, query, json body or bytes) in sending order."""
    uri_track = "spotify:track:" + TRACK
    return [
        ("get-an-album", "/albums/" + ALBUM, {"market": "SE"}, None),
        ("get-multiple-albums", "/albums", {"ids": ALBUM + ",4EcfbzCtbJDk2wMwhT4D1h"}, None),
        ("get-an-albums-tracks", "/albums/%s/tracks" % ALBUM, {"limit": "5"}, None),
        ("get-an-artist", "/artists/" + ARTIST, {}, None),
        ("get-multiple-artists", "/artists", {"ids": ARTIST}, None),
        ("get-an-artists-albums", "/artists/%s/albums" % ARTIST, {"limit": "1"}, None),
        ("get-an-artists-top-tracks", "/artists/%s/top-tracks" % ARTIST, {"market": "SE"}, None),
        ("get-an-artists-related-artists", "/artists/%s/related-artists" % ARTIST, {}, None),
        ("get-a-show", "/shows/" + SHOW, {"market": "SE"}, None),
        ("get-multiple-shows", "/shows", {"ids": SHOW}, None),
        ("get-a-shows-episodes", "/shows/%s/episodes" % SHOW, {"limit": "2"}, None),
        ("get-an-episode", "/episodes/" + EPISODE, {}, None),
        ("get-multiple-episodes", "/episodes", {"ids": EPISODE}, None),
        ("get-an-audiobook", "/audiobooks/" + AUDIOBOOK, {}, None),
        ("get-multiple-audiobooks", "/audiobooks", {"ids": AUDIOBOOK}, None),
        ("get-audiobook-chapters", "/audiobooks/%s/chapters" % AUDIOBOOK, {"limit": "2"}, None),
        ("save-audiobooks-user", "/me/audiobooks", {"ids": AUDIOBOOK}, None),
        ("get-users-saved-audiobooks", "/me/audiobooks", {}, None),
        ("check-users-saved-audiobooks", "/me/audiobooks/contains", {"ids": AUDIOBOOK}, None),
        ("remove-audiobooks-user", "/me/audiobooks", {"ids": AUDIOBOOK}, None),
        ("get-a-chapter", "/chapters/" + CHAPTER, {}, None),
        ("get-several-chapters", "/chapters", {"ids": CHAPTER}, None),
        ("get-track", "/tracks/" + TRACK, {}, None),
        ("get-several-tracks", "/tracks", {"ids": TRACK}, None),
        ("search", "/search", {"q": "a", "type": "album,artist,playlist,track,show,episode,"
                               "audiobook", "limit": "2"}, None),
        ("get-current-users-profile", "/me", {}, None),
        ("get-playlist", "/playlists/" + playlist, {}, None),
        ("change-playlist-details", "/playlists/" + playlist, {}, {"description": "changed"}),
        ("get-playlists-tracks", "/playlists/%s/tracks" % playlist, {"limit": "3"}, None),
        ("add-tracks-to-playlist", "/playlists/%s/tracks" % playlist, {}, {"uris": [uri_track]}),
        ("reorder-or-replace-playlists-tracks", "/playlists/%s/tracks" % playlist, {},
         {"range_start": 0, "insert_before": 2}),
        ("remove-tracks-playlist", "/playlists/%s/tracks" % playlist, {},
         {"tracks": [{"uri": uri_track}]}),
        ("get-playlists-items", "/playlists/%s/items" % playlist, {"limit": "3"}, None),
        ("add-items-to-playlist", "/playlists/%s/items" % playlist, {}, {"uris": [uri_track]}),
        ("reorder-or-replace-playlists-items", "/playlists/%s/items" % playlist, {},
         {"range_start": 1, "insert_before": 0}),
        ("remove-items-playlist", "/playlists/%s/items" % playlist, {},
         {"items": [{"uri": uri_track}]}),
        ("get-a-list-of-current-users-playlists", "/me/playlists", {"limit": "2"}, None),
        ("create-playlist", "/me/playlists", {}, {"name": "Shapes", "public": False}),
        ("save-library-items", "/me/library", {"uris": uri_track}, None),
        ("remove-library-items", "/me/library", {"uris": uri_track}, None),
        ("check-library-contains", "/me/library/contains",
         {"uris": "spotify:album:%s,spotify:show:%s" % (ALBUM, SHOW)}, None),
        ("get-users-saved-albums", "/me/albums", {}, None),
        ("save-albums-user", "/me/albums", {"ids": ALBUM}, None),
        ("remove-albums-user", "/me/albums", {"ids": ALBUM}, None),
        ("check-users-saved-albums", "/me/albums/contains", {"ids": ALBUM}, None),
        ("get-users-saved-tracks", "/me/tracks", {"limit": "50", "market": "AD"}, None),
        ("save-tracks-user", "/me/tracks", {}, {"ids": [TRACK]}),
        ("remove-tracks-user", "/me/tracks", {"ids": TRACK}, None),
        ("check-users-saved-tracks", "/me/tracks/contains", {"ids": TRACK}, None),
        ("save-episodes-user", "/me/episodes", {}, {"ids": [EPISODE]}),
        ("get-users-saved-episodes", "/me/episodes", {}, None),
        ("check-users-saved-episodes", "/me/episodes/contains", {"ids": EPISODE}, None),
        ("remove-episodes-user", "/me/episodes", {"ids": EPISODE}, None),
        ("save-shows-user", "/me/shows", {"ids": SHOW}, None),
        ("get-users-saved-shows", "/me/shows", {}, None),
        ("check-users-saved-shows", "/me/shows/contains", {"ids": SHOW}, None),
        ("remove-shows-user", "/me/shows", {"ids": SHOW}, None),
        ("get-users-profile", "/users/" + USER, {}, None),
        ("get-list-users-playlists", "/users/%s/playlists" % USER, {"limit": "1"}, None),
        ("create-playlist-for-user", "/users/%s/playlists" % USER, {}, {"name": "For me"}),
        ("unfollow-playlist", "/playlists/%s/followers" % playlist, {}, None),
        ("follow-playlist", "/playlists/%s/followers" % playlist, {}, {"public": True}),
        ("check-if-user-follows-playlist", "/playlists/%s/followers/contains" % playlist, {},
         None),
        ("get-featured-playlists", "/browse/featured-playlists", {"limit": "2"}, None),
        ("get-categories", "/browse/categories", {"limit": "2"}, None),
        ("get-a-category", "/browse/categories/" + CATEGORY, {}, None),
        ("get-a-categories-playlists", "/browse/categories/%s/playlists" % CATEGORY,
         {"limit": "2"}, None),
        ("upload-custom-playlist-cover", "/playlists/%s/images" % playlist, {},
         b"/9j/4AAQSkZJRgABAQ=="),
        ("get-playlist-cover", "/playlists/%s/images" % playlist, {}, None),
        ("get-new-releases", "/browse/new-releases", {"limit": "2"}, None),
        ("get-followed", "/me/following", {"type": "artist", "limit": "2"}, None),
        ("unfollow-artists-users", "/me/following", {"type": "artist", "ids": ARTIST}, None),
        ("follow-artists-users", "/me/following", {"type": "artist"}, {"ids": [ARTIST]}),
        ("check-current-user-follows", "/me/following/contains",
         {"type": "artist", "ids": ARTIST}, None),
        ("get-several-audio-features", "/audio-features", {"ids": TRACK}, None),
        ("get-audio-features", "/audio-features/" + TRACK, {}, None),
        ("get-audio-analysis", "/audio-analysis/" + TRACK, {}, None),
        ("get-recommendations", "/recommendations",
         {"seed_artists": ARTIST, "seed_genres": "hip-hop", "limit": "3"}, None),
        ("get-recommendation-genres", "/recommendations/available-genre-seeds", {}, None),
        ("transfer-a-users-playback", "/me/player", {}, {"device_ids": [device]}),
        ("get-a-users-available-devices", "/me/player/devices", {}, None),
        ("start-a-users-playback", "/me/player/play", {},
         {"context_uri": "spotify:album:" + ALBUM}),
        ("get-information-about-the-users-current-playback", "/me/player", {}, None),
        ("get-the-users-currently-playing-track", "/me/player/currently-playing", {}, None),
        ("pause-a-users-playback", "/me/player/pause", {}, None),
        ("skip-users-playback-to-next-track", "/me/player/next", {}, None),
        ("skip-users-playback-to-previous-track", "/me/player/previous", {}, None),
        ("seek-to-position-in-currently-playing-track", "/me/player/seek",
         {"position_ms": "1000"}, None),
        ("set-repeat-mode-on-users-playback", "/me/player/repeat", {"state": "context"}, None),
        ("set-volume-for-users-playback", "/me/player/volume", {"volume_percent": "40"}, None),
        ("toggle-shuffle-for-users-playback", "/me/player/shuffle", {"state": "true"}, None),
        ("add-to-queue", "/me/player/queue", {"uri": uri_track}, None),
        ("get-queue", "/me/player/queue", {}, None),
        ("get-recently-played", "/me/player/recently-played", {"limit": "2"}, None),
        ("get-available-markets", "/markets", {}, None),
        ("get-users-top-artists", "/me/top/artists", {"limit": "2"}, None),
        ("get-users-top-tracks", "/me/top/tracks", {"time_range": "short_term", "limit": "2"},
         None),
    ]


class Spec:
    """The extract: operations by id, OpenAPI schemas turned into JSON Schema."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = json.load(f)
        self.components = self.doc["components"]
        self.ops = {o["operationId"]: o for o in self.doc["operations"]}

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            _, _, kind, name = node["$ref"].split("/")
            node = self.components[kind][name]
        return node

    def to_json_schema(self, node, depth=0):
        if depth > 40:
            raise ValueError("schema nesting too deep (recursive $ref?)")
        node = self.deref(node)
        if isinstance(node, list):
            return [self.to_json_schema(n, depth + 1) for n in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key in ("nullable", "example", "discriminator", "readOnly", "writeOnly",
                       "deprecated", "externalDocs", "x-spotify-docs-type"):
                continue
            if key == "properties":
                out[key] = {k: self.to_json_schema(v, depth + 1) for k, v in value.items()}
            elif key in ("items", "additionalProperties", "not"):
                out[key] = self.to_json_schema(value, depth + 1) \
                    if isinstance(value, dict) else value
            elif key in ("allOf", "oneOf", "anyOf"):
                out[key] = [self.to_json_schema(v, depth + 1) for v in value]
            else:
                out[key] = value
        if node.get("nullable"):
            out = {"anyOf": [out, {"type": "null"}]}
        return out

    def success(self, op_id):
        """{status: JSON Schema or None (no body)} of the 2xx responses."""
        result = {}
        for code, resp in self.ops[op_id]["responses"].items():
            if not code.startswith("2"):
                continue
            resp = self.deref(resp)
            content = resp.get("content", {}).get("application/json")
            result[int(code)] = None if content is None else \
                self.to_json_schema(content.get("schema", {}))
        return result


class Emulator:
    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="spec-shapes-")
        ready = os.path.join(self.dir, "ready")
        self.proc = subprocess.Popen([binary, "--port", "0", "--ready-file", ready],
                                     stdout=subprocess.DEVNULL)
        deadline = time.time() + 20
        while not os.path.exists(ready):
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("the emulator did not start")
            time.sleep(0.02)
        with open(ready, encoding="ascii") as f:
            self.base = f.read().strip()

    def stop(self):
        self.proc.terminate()
        status = self.proc.wait(timeout=20)
        if status != 0:
            raise RuntimeError("the emulator exited with status %d" % status)

    def send(self, method, url, token=None, body=None, content_type="application/json"):
        """(status, body bytes) of one request; `url` absolute or a path."""
        if not url.startswith("http"):
            url = self.base + url
        data = None
        headers = {}
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        if isinstance(body, bytes):
            data, headers["Content-Type"] = body, "image/jpeg"
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), content_type
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=20) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()


def query_string(query):
    return "?" + urllib.parse.urlencode(query) if query else ""


class Checker:
    def __init__(self, spec, emu, token):
        self.spec, self.emu, self.token = spec, emu, token
        self.failures = []
        self.links = {"next page: ": 0, "previous page: ": 0}

    def fail(self, op_id, message):
        self.failures.append("%s: %s" % (op_id, message))

    def validate(self, op_id, status, body, schemas, label=""):
        if status not in schemas:
            self.fail(op_id, "%sstatus %d, the spec lists %s: %s" %
                      (label, status, sorted(schemas), body[:300].decode("utf-8", "replace")))
            return None
        schema = schemas[status]
        if schema is None:
            if body.strip():
                self.fail(op_id, "%sstatus %d must have no body, got %r" %
                          (label, status, body[:100]))
            return None
        try:
            doc = json.loads(body)
        except ValueError:
            self.fail(op_id, "%sbody is not JSON: %r" % (label, body[:200]))
            return None
        if op_id in ALLOW:
            return doc
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc),
                        key=lambda e: list(e.absolute_path))
        for e in errors[:3]:
            path = "/".join(str(p) for p in e.absolute_path)
            self.fail(op_id, "%s%s: %s" % (label, path or "(root)", e.message[:300]))
        return doc

    @staticmethod
    def paging_objects(doc):
        """`doc` and its object members: where paging objects sit."""
        if not isinstance(doc, dict):
            return []
        return [doc] + [v for v in doc.values() if isinstance(v, dict)]

    def follow(self, op_id, link, schemas, label):
        """GETs `link` (which must be under the emulator) and validates it."""
        if not link.startswith(self.emu.base + "/v1/"):
            self.fail(op_id, "%slink %s is not under the emulator" % (label, link))
            return None
        self.links[label] += 1
        status, body = self.emu.send("GET", link, self.token)
        return self.validate(op_id, status, body, schemas, label)

    def follow_next(self, op_id, doc, schemas):
        """Follows the first `next` link of a paging object in `doc`, then
        that page's `previous` link back (offset paging)."""
        for page in self.paging_objects(doc):
            link = page.get("next")
            if not isinstance(link, str):
                continue
            second = self.follow(op_id, link, schemas, "next page: ")
            for back in self.paging_objects(second):
                if isinstance(back.get("previous"), str):
                    self.follow(op_id, back["previous"], schemas, "previous page: ")
                    break
            return

    def run(self, plan):
        for op_id, path, query, body in plan:
            op = self.spec.ops[op_id]
            schemas = self.spec.success(op_id)
            status, raw = self.emu.send(op["method"], "/v1" + path + query_string(query),
                                        self.token, body)
            doc = self.validate(op_id, status, raw, schemas)
            if op["method"] == "GET" and doc is not None:
                self.follow_next(op_id, doc, schemas)

    def limit_bounds(self, op_id):
        """(min, max) of the operation's `limit` parameter, or None."""
        if op_id in LIMIT_EXCEPTIONS:
            return LIMIT_EXCEPTIONS[op_id]
        for param in self.spec.ops[op_id].get("parameters", []):
            param = self.spec.deref(param)
            if param.get("name") == "limit" and param.get("in") == "query":
                schema = param.get("schema", {})
                return schema.get("minimum", 0), schema.get("maximum")
        return None

    def limits(self, plan):
        """Each GET with a `limit`: its bounds answer 2xx with at most that
        many items, one past either bound is 400 "Invalid limit"."""
        probed = 0
        for op_id, path, query, _ in plan:
            bounds = self.limit_bounds(op_id)
            if self.spec.ops[op_id]["method"] != "GET" or bounds is None or bounds[1] is None:
                continue
            low, high = bounds
            probed += 1
            for value, ok in ((low, True), (high, True), (high + 1, False), (low - 1, False)):
                q = dict(query, limit=str(value))
                status, body = self.emu.send("GET", "/v1" + path + query_string(q), self.token)
                if ok and status // 100 != 2:
                    self.fail(op_id, "limit=%d (the bound is %d-%d): %d %s" %
                              (value, low, high, status, body[:200]))
                elif not ok and (status != 400 or b"Invalid limit" not in body):
                    self.fail(op_id, "limit=%d (the bound is %d-%d): %d, expected 400 "
                              "Invalid limit" % (value, low, high, status))
        return probed

    def errors(self):
        """The error rules every operation shares, on a few of them."""
        cases = [
            ("GET", "/v1/albums/%s?market=XX" % ALBUM, 400),
            ("GET", "/v1/albums/%s?market=se" % ALBUM, 400),
            ("GET", "/v1/me/tracks?market=ZZ", 400),
            ("GET", "/v1/shows/%s" % ("0" * 22), 404),
            ("GET", "/v1/chapters/not-an-id", 400),
            ("GET", "/v1/me/top/artists?time_range=forever", 400),
            ("GET", "/v1/browse/categories/no-such-category", 404),
            ("GET", "/v1/tracks?ids=", 400),
            ("PUT", "/v1/me/player/seek?position_ms=-1", 400),
        ]
        for method, path, want in cases:
            status, body = self.emu.send(method, path, self.token)
            if status != want:
                self.fail("errors", "%s %s: %d, expected %d (%s)" %
                          (method, path, status, want, body[:200]))
        status, _ = self.emu.send("GET", "/v1/markets")
        if status != 401:
            self.fail("errors", "GET /v1/markets without a token: %d, expected 401" % status)


def main():
    if len(sys.argv) != 3:
        print("usage: check_spec_shapes.py EMULATOR SPEC_JSON", file=sys.stderr)
        return 2
    spec = Spec(sys.argv[2])
    emu = Emulator(sys.argv[1])
    try:
        scope = " ".join(spec.doc["scopes"])
        status, raw = emu.send("POST", "/__emulator/tokens", body={"scope": scope})
        token = json.loads(raw)["access_token"]
        status, raw = emu.send("GET", "/v1/me/playlists?limit=50", token)
        mine = [p for p in json.loads(raw)["items"] if p["owner"]["id"] == USER]
        status, raw = emu.send("GET", "/v1/me/player/devices", token)
        device = json.loads(raw)["devices"][0]["id"]
        plan = requests_plan(mine[-1]["id"], device)
        planned = [p[0] for p in plan]
        checker = Checker(spec, emu, token)
        for op_id in sorted(set(spec.ops) - set(planned)):
            checker.fail(op_id, "not in the request plan")
        for op_id in sorted(set(p for p in planned if planned.count(p) > 1)):
            checker.fail(op_id, "planned twice")
        checker.run(plan)
        checker.errors()
        probed = checker.limits(plan)
    finally:
        emu.stop()
    for line in checker.failures:
        print("FAIL " + line)
    print("%d operations, %d planned, %d next and %d previous links followed, the limits of %d "
          "probed, %d failures" %
          (len(spec.ops), len(set(planned)), checker.links["next page: "],
           checker.links["previous page: "], probed, len(checker.failures)))
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
