# SPDX-License-Identifier: Apache-2.0
"""The models: built from the C decoder's structs by one generic converter
(`type` -> `type_`, members Spotify added kept, datetimes, nested classes
by the reference's annotations), and what pydantic gave users of the
reference package (model_dump, model_dump_json, model_extra, equality)."""

import datetime
import json
import os

import spotify_sdk.models as models
from spotify_sdk.models import Album, Page, PlaybackActions, SpotifyModel

from conftest import ALBUM, DEVICE, TRACK

FIXTURES = os.environ.get("SPOTIFY_FIXTURES_DIR", "")


def test_every_reference_class_exists():
    names = ["Album", "SavedAlbum", "SimplifiedAlbum", "Artist", "SimplifiedArtist", "Audiobook",
             "AudiobookAuthor", "AudiobookNarrator", "Chapter", "ResumePoint",
             "SimplifiedAudiobook", "SimplifiedChapter", "SavedAudiobook", "Copyright", "Cursor",
             "CursorPage", "ExternalIds", "ExternalUrls", "Followers", "Image", "LinkedFrom",
             "Page", "Restriction", "PlayerDevice", "PlaybackContext", "PlaybackActions",
             "PlaybackState", "CurrentlyPlaying", "RecentlyPlayedItem", "RecentlyPlayedPage",
             "PlaybackQueue", "PublicUser", "PlaylistItemsRef", "PlaylistItem", "PlaylistEpisode",
             "SimplifiedPlaylist", "Playlist", "SearchResult", "SimplifiedShow",
             "SimplifiedEpisode", "Show", "Episode", "SavedShow", "SavedEpisode",
             "SimplifiedTrack", "Track", "SavedTrack", "ExplicitContent", "CurrentUser"]
    for name in names:
        cls = getattr(models, name)
        assert issubclass(cls, SpotifyModel), name
    assert issubclass(models.Album, models.SimplifiedAlbum)
    assert issubclass(models.CurrentUser, models.PublicUser)
    assert Page[models.Track] is not None  # generic, as in the reference


def test_album_matches_the_json(user_client):
    album = user_client.albums.get(ALBUM)
    with open(os.path.join(FIXTURES, "album-tpab.json"), encoding="utf-8") as f:
        raw = json.load(f)
    assert album.name == raw["name"]
    assert album.type_ == "album" and not hasattr(album, "type") or album.type_ == "album"
    assert album.total_tracks == raw["total_tracks"]
    assert album.available_markets[:3] == raw["available_markets"][:3]
    assert album.images[0].url == raw["images"][0]["url"]
    assert album.images[0].height == raw["images"][0]["height"]
    assert album.external_urls.spotify == raw["external_urls"]["spotify"]
    assert album.copyrights[0].type_ == raw["copyrights"][0]["type"]
    assert album.tracks.items[0].duration_ms == raw["tracks"]["items"][0]["duration_ms"]
    assert album.tracks.items[0].explicit is raw["tracks"]["items"][0]["explicit"]
    assert album.tracks.next is None or isinstance(album.tracks.next, str)
    # A member the C model does not know ("genres", dropped from the
    # specification) is kept, as pydantic's extra='allow' keeps it.
    assert album.genres == raw["genres"]
    assert "genres" in album.model_extra


def test_model_dump(user_client):
    album = user_client.albums.get(ALBUM)
    d = album.model_dump()
    assert d["type_"] == "album" and isinstance(d["tracks"], dict)
    assert d["artists"][0]["name"] == "Kendrick Lamar"
    assert d["restrictions"] is None  # declared, not sent: its default
    by_alias = album.model_dump(by_alias=True)
    assert by_alias["type"] == "album" and "type_" not in by_alias
    assert by_alias["copyrights"][0]["type"] == d["copyrights"][0]["type_"]
    compact = album.model_dump(exclude_none=True)
    assert "restrictions" not in compact
    text = album.model_dump_json(by_alias=True)
    assert json.loads(text)["name"] == "To Pimp A Butterfly"
    assert album.dict() == d
    assert dict(album)["name"] == album.name
    assert "Album(" in repr(album)


def test_equality_and_absent_members(user_client):
    a = user_client.albums.get(ALBUM)
    b = user_client.albums.get(ALBUM)
    assert a == b and a is not b
    assert a != user_client.tracks.get(TRACK)
    assert a.restrictions is None  # declared and absent
    try:
        a.no_such_member
    except AttributeError:
        pass
    else:
        raise AssertionError("an undeclared, absent member must raise AttributeError")


def test_datetimes(user_client):
    saved = user_client.tracks.get_saved(limit=1).items[0]
    assert isinstance(saved.added_at, datetime.datetime)
    assert saved.added_at.tzinfo is not None
    assert saved.model_dump(mode="json")["added_at"].startswith(str(saved.added_at.year))


def test_playback_actions_disallows_dict(user_client):
    user_client.player.start_playback(DEVICE, uris=["spotify:track:" + TRACK])
    state = user_client.player.get_playback_state()
    assert isinstance(state.actions, PlaybackActions)
    assert isinstance(state.actions.disallows, dict)
    assert all(isinstance(v, bool) for v in state.actions.disallows.values())
    assert PlaybackActions().disallows == {}


def test_models_from_keywords():
    a = Album(name="x", type="album")
    assert a.name == "x" and a.type_ == "album"
    assert a.tracks is None


def test_lazy_models_convert_on_first_read(user_client):
    """Models are made lazily from the C result (python/src/convert.c):
    whatever reads a model first, attribute, __dict__, model_dump, equality
    or repr, sees every member, and nested objects stay the same objects."""
    with open(os.path.join(FIXTURES, "album-tpab.json"), encoding="utf-8") as f:
        raw = json.load(f)
    declared = {"album_type", "total_tracks", "available_markets", "external_urls", "href",
                "id", "images", "name", "release_date", "release_date_precision", "type_",
                "uri", "artists", "tracks", "copyrights", "external_ids", "label",
                "popularity", "genres"}
    assert declared <= set(vars(user_client.albums.get(ALBUM)))
    assert user_client.albums.get(ALBUM).__dict__["name"] == raw["name"]
    assert user_client.albums.get(ALBUM).model_dump()["label"] == raw["label"]
    assert "To Pimp A Butterfly" in repr(user_client.albums.get(ALBUM))
    assert dict(user_client.albums.get(ALBUM))["id"] == raw["id"]
    assert user_client.albums.get(ALBUM) == user_client.albums.get(ALBUM)
    album = user_client.albums.get(ALBUM)
    assert album.tracks is album.tracks
    assert album.tracks.items[0] is album.tracks.items[0]


def test_lazy_model_outlives_its_parent(user_client):
    """A nested model not yet read keeps the response it reads alive; the
    response is freed when no model reads it any more."""
    import gc
    from spotify_sdk import _core
    with open(os.path.join(FIXTURES, "album-tpab.json"), encoding="utf-8") as f:
        raw = json.load(f)
    gc.collect()
    before = _core._live_results()
    album = user_client.albums.get(ALBUM)
    first, last = album.tracks.items[0], album.tracks.items[-1]
    del album
    gc.collect()
    assert _core._live_results() == before + 1
    user_client.albums.get(ALBUM)  # reuses the freed result's memory, if it was freed
    assert last.name == raw["tracks"]["items"][-1]["name"]
    artist = first.artists[0]
    assert _core._live_results() == before + 1  # `artist` is a shell on it
    assert artist.name == raw["tracks"]["items"][0]["artists"][0]["name"]
    del first, last
    gc.collect()
    assert _core._live_results() == before + 1  # artist.external_urls is not read yet
    del artist
    gc.collect()
    assert _core._live_results() == before  # no model reads it: the result is freed
    fresh = user_client.albums.get(ALBUM)
    assert _core._live_results() == before + 1
    del fresh
    assert _core._live_results() == before


def test_attributes_set_on_a_fresh_model_win(user_client):
    album = user_client.albums.get(ALBUM)
    album.name = "renamed"
    album.extra_note = 1
    assert album.name == "renamed" and album.extra_note == 1
    assert album.model_dump()["name"] == "renamed"
    assert album.label  # the other members are there
    del album.label
    assert album.label is None  # declared, now absent: its default


def test_copy_and_pickle(user_client):
    import copy
    import pickle
    for clone in (copy.copy, copy.deepcopy, lambda m: pickle.loads(pickle.dumps(m))):
        album = user_client.albums.get(ALBUM)  # a fresh model: nothing read yet
        twin = clone(album)
        assert twin == album and twin is not album
        assert twin.tracks.items[0].name == album.tracks.items[0].name
