# SPDX-License-Identifier: Apache-2.0
"""Every signature of spotify-sdk 0.10's listing (reference_api.txt: its
clients, auth classes, token caches and 12 services) against the package's
own, as inspect.signature reads them: the same parameters in the same order,
positional or keyword-only as there, with the same defaults. The service
methods' signatures are made from the tables the binder uses
(gen_tables.c), so this also checks what the methods accept. The only
extra parameters are the ones docs/python.md lists as beyond the
reference, keyword-only with a default, after the reference's."""

import ast
import inspect
import os

import pytest

import spotify_sdk
import spotify_sdk._async.auth as async_auth
import spotify_sdk._auth_shared as shared
import spotify_sdk._sync.auth as sync_auth
import spotify_sdk.auth as public_auth
from spotify_sdk import AsyncSpotifyClient, SpotifyClient

LISTING = os.path.join(os.path.dirname(__file__), "reference_api.txt")

# Section of the listing -> where its names live.
MODULES = {
    "Shared auth types": shared,
    "Sync auth": sync_auth,
    "Async auth": async_auth,
    "Public auth module": public_auth,
    "Sync client": spotify_sdk,
    "Async client": spotify_sdk,
}

# Beyond the reference (docs/python.md): keyword-only, with defaults.
EXTRAS = {
    ("SpotifyClient", "__init__"): {"cooldown"},
    ("AsyncSpotifyClient", "__init__"): {"cooldown"},
    ("AuthorizationCode", "__init__"): {"pkce"},
    ("AsyncAuthorizationCode", "__init__"): {"pkce"},
}


def read_listing():
    """[(section, class name or None, def name, parameter text)], and the
    services' method names by class."""
    entries, services = [], {}
    section = cls = None
    with open(LISTING, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#") and not line.startswith("## "):
                continue
            if line.startswith("## "):
                section = line[3:].split(" (")[0]
                cls = None
                continue
            if line.startswith("class "):
                cls = line[6:].split("(")[0]
                if section.startswith("Service "):
                    services[cls] = set()
                continue
            stripped = line.strip()
            for prefix in ("@staticmethod ", "@classmethod ", "async "):
                if stripped.startswith(prefix):
                    stripped = stripped[len(prefix):]
            assert stripped.startswith("def "), line
            name = stripped[4:stripped.index("(")]
            depth, end = 0, None
            for i, ch in enumerate(stripped):
                depth += ch in "([{"
                depth -= ch in ")]}"
                if ch == ")" and depth == 0:
                    end = i
                    break
            params = stripped[stripped.index("(") + 1:end]
            owner = cls if line.startswith("    ") else None
            entries.append((section, owner, name, params))
            if owner is not None and section.startswith("Service "):
                services[owner].add(name)
    return entries, services


def reference_parameters(params):
    """(name, kind, default) of a listing's parameter text; kind 'pos' or 'kw'."""
    node = ast.parse("def f(%s): pass" % params).body[0].args
    out = []
    positional = node.posonlyargs + node.args
    defaults = [None] * (len(positional) - len(node.defaults)) + node.defaults
    for a, d in zip(positional, defaults):
        out.append((a.arg, "pos", inspect.Parameter.empty if d is None else ast.literal_eval(d)))
    for a, d in zip(node.kwonlyargs, node.kw_defaults):
        out.append((a.arg, "kw", inspect.Parameter.empty if d is None else ast.literal_eval(d)))
    return out


def our_parameters(obj, drop_self):
    params = list(inspect.signature(obj).parameters.values())
    if drop_self and params and params[0].name in ("self", "cls"):
        params = params[1:]
    kinds = {inspect.Parameter.POSITIONAL_OR_KEYWORD: "pos",
             inspect.Parameter.POSITIONAL_ONLY: "pos",
             inspect.Parameter.KEYWORD_ONLY: "kw"}
    return [(p.name, kinds.get(p.kind, str(p.kind)), p.default) for p in params]


# The reference's service classes and the client attributes holding them.
SERVICE_ATTRS = {
    "AlbumService": "albums", "ArtistService": "artists", "AudiobookService": "audiobooks",
    "ChapterService": "chapters", "EpisodeService": "episodes", "LibraryService": "library",
    "PlayerService": "player", "PlaylistService": "playlists", "SearchService": "search",
    "ShowService": "shows", "TrackService": "tracks", "UserService": "users",
}


def service_class(name):
    client = SpotifyClient("x")
    cls = type(getattr(client, SERVICE_ATTRS[name]))
    client.close()
    assert cls.__name__ == name
    return cls


def target(section, owner, name):
    if section.startswith("Service "):
        return getattr(service_class(owner), name), True
    module = MODULES[section]
    if owner is None:
        return getattr(module, name), False
    cls = getattr(module, owner)
    if name == "__init__":
        return cls, False
    raw = inspect.getattr_static(cls, name)
    drop = not isinstance(raw, (staticmethod, classmethod))
    return getattr(cls, name), drop


ENTRIES, SERVICES = read_listing()


def test_listing_is_complete():
    assert len(SERVICES) == 12
    assert sum(len(m) for m in SERVICES.values()) == 49


@pytest.mark.parametrize("section,owner,name,params", ENTRIES,
                         ids=["%s.%s" % (o or s, n) for s, o, n, p in ENTRIES])
def test_signature_matches_the_reference(section, owner, name, params):
    if section in ("Sync client", "Async client") and name in ("__enter__", "__exit__",
                                                                "__aenter__", "__aexit__"):
        cls = SpotifyClient if section == "Sync client" else AsyncSpotifyClient
        assert callable(getattr(cls, name))
        return
    obj, drop_self = target(section, owner, name)
    want = reference_parameters(params)
    got = our_parameters(obj, drop_self)
    assert got[:len(want)] == want
    extras = got[len(want):]
    allowed = EXTRAS.get((owner, name), set())
    for pname, kind, default in extras:
        assert pname in allowed, "%s.%s: %s is not in the reference" % (owner, name, pname)
        assert kind == "kw" and default is not inspect.Parameter.empty


def test_services_have_the_reference_methods_and_no_others():
    client = SpotifyClient("x")
    async_client = AsyncSpotifyClient("x")
    for cls_name, methods in SERVICES.items():
        cls = service_class(cls_name)
        public = {n for n in dir(cls) if not n.startswith("_")}
        assert public == methods, cls_name
        attr = SERVICE_ATTRS[cls_name]
        assert attr in dir(client)  # an instance attribute, as in the reference
        # The async client's service: the same methods and signatures.
        twin = getattr(async_client, attr)
        assert type(twin).__name__ == "Async" + cls_name
        for m in methods:
            bound = getattr(getattr(client, attr), m)
            assert inspect.signature(getattr(twin, m)) == inspect.signature(bound)
            # The generated signature of the docstring says the same.
            assert bound.__doc__.splitlines()[0] == m + str(inspect.signature(bound))
    assert sorted(SERVICE_ATTRS) == sorted(SERVICES)
    client.close()
