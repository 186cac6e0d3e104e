# SPDX-License-Identifier: Apache-2.0
"""Every service method of the reference package, with its parameters and
defaults, against spotify-emulator: the request it sends (the emulator
answers only well-formed ones) and the model classes it returns."""

import datetime

import pytest

from spotify_sdk import SpotifyClient
from spotify_sdk.exceptions import InvalidArgumentError, NotFoundError
from spotify_sdk.models import (
    Album, Artist, Audiobook, Chapter, CurrentlyPlaying, CurrentUser, CursorPage, Episode, Image,
    Page, PlaybackQueue, PlaybackState, PlayerDevice, Playlist, PlaylistItem, RecentlyPlayedItem,
    RecentlyPlayedPage, SavedAlbum, SavedAudiobook, SavedEpisode, SavedShow, SavedTrack,
    SearchResult, Show, SimplifiedAlbum, SimplifiedChapter, SimplifiedEpisode, SimplifiedPlaylist,
    SimplifiedTrack, Track,
)

from conftest import (ALBUM, ARTIST, AUDIOBOOK, CHAPTER, DEVICE, EPISODE, PLAYLIST, SHOW,
                      TRACK)


def test_albums(user_client):
    album = user_client.albums.get(ALBUM, market="SE")
    assert isinstance(album, Album)
    assert isinstance(album.tracks, Page)
    assert isinstance(album.tracks.items[0], SimplifiedTrack)
    page = user_client.albums.get_tracks(ALBUM, limit=5, offset=2)
    assert [page.limit, page.offset, len(page.items)] == [5, 2, 5]
    assert page.items[0].track_number == 3
    assert user_client.albums.get_tracks(ALBUM).limit == 20  # the reference's default is sent
    saved = user_client.albums.get_saved(limit=1)
    assert isinstance(saved, Page) and isinstance(saved.items[0], SavedAlbum)
    assert isinstance(saved.items[0].added_at, datetime.datetime)
    assert isinstance(saved.items[0].album, Album)


def test_artists(user_client):
    artist = user_client.artists.get(ARTIST)
    assert isinstance(artist, Artist) and artist.type_ == "artist"
    albums = user_client.artists.get_albums(ARTIST, include_groups=["album", "single"], limit=2)
    assert isinstance(albums, Page) and isinstance(albums.items[0], SimplifiedAlbum)
    with pytest.raises(ValueError):
        user_client.artists.get_albums(ARTIST, include_groups=["nope"])


def test_audiobooks_chapters(user_client):
    book = user_client.audiobooks.get(AUDIOBOOK)
    assert isinstance(book, Audiobook) and isinstance(book.chapters, Page)
    chapters = user_client.audiobooks.get_chapters(AUDIOBOOK, limit=2)
    assert isinstance(chapters.items[0], SimplifiedChapter)
    saved = user_client.audiobooks.get_saved()
    assert isinstance(saved.items[0], SavedAudiobook)
    chapter = user_client.chapters.get(CHAPTER, market="US")
    assert isinstance(chapter, Chapter) and chapter.audiobook.id == AUDIOBOOK


def test_shows_episodes(user_client):
    show = user_client.shows.get(SHOW)
    assert isinstance(show, Show) and isinstance(show.episodes.items[0], SimplifiedEpisode)
    assert isinstance(user_client.shows.get_episodes(SHOW, limit=3).items[0], SimplifiedEpisode)
    assert isinstance(user_client.shows.get_saved().items[0], SavedShow)
    episode = user_client.episodes.get(EPISODE)
    assert isinstance(episode, Episode) and episode.show.id == SHOW
    assert isinstance(user_client.episodes.get_saved(limit=1).items[0], SavedEpisode)


def test_tracks(user_client):
    track = user_client.tracks.get(TRACK)
    assert isinstance(track, Track) and isinstance(track.album, SimplifiedAlbum)
    saved = user_client.tracks.get_saved(limit=3, offset=1)
    assert isinstance(saved.items[0], SavedTrack) and saved.offset == 1


def test_library(user_client):
    uris = ["spotify:album:" + ALBUM, "spotify:track:" + TRACK]
    assert user_client.library.save_items(uris) is None
    assert user_client.library.check_contains(uris) == [True, True]
    assert user_client.library.remove_items(uris) is None
    assert user_client.library.check_contains(uris) == [False, False]


def test_search(user_client):
    result = user_client.search.search("a", ["album", "track"], limit=2)
    assert isinstance(result, SearchResult)
    assert isinstance(result.albums.items[0], SimplifiedAlbum)
    assert isinstance(result.tracks.items[0], Track)
    assert result.artists is None
    with pytest.raises(ValueError):
        user_client.search.search("x", ["nope"])


def test_users(user_client):
    me = user_client.users.get_current_profile()
    assert isinstance(me, CurrentUser) and me.id == "demo-user"
    assert me.display_name == "Demo User" and me.type_ == "user"
    top = user_client.users.get_top_artists(time_range="short_term", limit=3)
    assert isinstance(top.items[0], Artist)
    assert isinstance(user_client.users.get_top_tracks(limit=2).items[0], Track)
    followed = user_client.users.get_followed_artists(limit=5)
    assert isinstance(followed, CursorPage) and isinstance(followed.items[0], Artist)
    nxt = user_client.users.get_followed_artists(after=followed.cursors.after, limit=5)
    assert nxt.items[0].id != followed.items[0].id


def test_playlists(user_client):
    playlist = user_client.playlists.get(PLAYLIST)
    assert isinstance(playlist, Playlist) and isinstance(playlist.items, Page)
    assert isinstance(playlist.items.items[0], PlaylistItem)
    assert isinstance(playlist.items.items[0].item, Track)
    items = user_client.playlists.get_items(PLAYLIST, limit=3, offset=1)
    assert isinstance(items.items[0], PlaylistItem) and items.offset == 1
    mine = user_client.playlists.get_for_current_user(limit=2)
    assert isinstance(mine.items[0], SimplifiedPlaylist)

    created = user_client.playlists.create("Python", public=False, description="from C")
    assert isinstance(created, SimplifiedPlaylist)
    assert created.name == "Python" and created.public is False
    pid = created.id
    user_client.playlists.change_details(pid, name="Renamed", collaborative=False)
    assert user_client.playlists.get(pid).name == "Renamed"
    with pytest.raises(ValueError):
        user_client.playlists.change_details(pid)
    with pytest.raises(ValueError):
        user_client.playlists.change_details(pid, public=True, collaborative=True)

    tracks = ["spotify:track:" + TRACK, "spotify:track:3iVcZ5G6tvkXZkZKlMpIUs"]
    snap = user_client.playlists.add_items(pid, tracks)
    assert isinstance(snap, str) and snap
    snap = user_client.playlists.add_items(pid, tracks[:1], position=0)
    assert user_client.playlists.get_items(pid).total == 3
    snap = user_client.playlists.reorder_or_replace_items(pid, range_start=0, insert_before=2)
    assert isinstance(snap, str)
    snap = user_client.playlists.reorder_or_replace_items(pid, uris=tracks)
    assert user_client.playlists.get_items(pid).total == 2
    with pytest.raises(ValueError):
        user_client.playlists.reorder_or_replace_items(pid, uris=tracks, range_start=1)
    with pytest.raises(ValueError):
        user_client.playlists.reorder_or_replace_items(pid)
    snap = user_client.playlists.remove_items(pid, uris=tracks[:1], snapshot_id=snap)
    assert user_client.playlists.get_items(pid).total == 1
    user_client.playlists.remove_items(pid, items=[{"uri": tracks[1]}])
    assert user_client.playlists.get_items(pid).total == 0
    with pytest.raises(ValueError):
        user_client.playlists.remove_items(pid)
    with pytest.raises(ValueError):
        user_client.playlists.remove_items(pid, uris=tracks, items=[{"uri": tracks[0]}])

    jpeg = "/9j/" + "A" * 100
    assert user_client.playlists.upload_cover_image(pid, jpeg) is None
    images = user_client.playlists.get_cover_image(pid)
    assert isinstance(images, list) and isinstance(images[0], Image)


def test_player(user_client):
    player = user_client.player
    assert player.get_playback_state() is None  # 204: nothing active
    assert player.get_currently_playing() is None
    devices = player.get_devices()
    assert isinstance(devices, list) and isinstance(devices[0], PlayerDevice)
    assert devices[0].id == DEVICE and devices[0].type_ == "Computer"

    player.start_playback(DEVICE, uris=["spotify:track:" + TRACK,
                                        "spotify:track:3iVcZ5G6tvkXZkZKlMpIUs"], offset=1,
                          position_ms=1000)
    state = player.get_playback_state(market="SE", additional_types=["track", "episode"])
    assert isinstance(state, PlaybackState) and state.is_playing
    assert isinstance(state.item, Track) and state.item.id == "3iVcZ5G6tvkXZkZKlMpIUs"
    assert isinstance(state.device, PlayerDevice)
    assert isinstance(player.get_currently_playing(), CurrentlyPlaying)
    player.pause_playback()
    player.start_playback()
    player.skip_to_next(DEVICE)
    player.skip_to_previous()
    player.seek(500)
    player.set_repeat_mode("context")
    player.set_volume(40, device_id=DEVICE)
    player.set_shuffle(True)
    state = player.get_playback_state()
    assert state.repeat_state == "context" and state.shuffle_state is True
    assert state.device.volume_percent == 40
    player.add_to_queue("spotify:track:" + TRACK)
    queue = player.get_queue()
    assert isinstance(queue, PlaybackQueue) and isinstance(queue.queue[0], Track)
    player.transfer_playback(devices[1].id, play=True)
    assert player.get_playback_state().device.id == devices[1].id
    recent = player.get_recently_played(limit=5)
    assert isinstance(recent, RecentlyPlayedPage)
    assert isinstance(recent.items[0], RecentlyPlayedItem)
    assert isinstance(recent.items[0].played_at, datetime.datetime)
    with pytest.raises(ValueError):
        player.get_recently_played(after=1, before=2)
    with pytest.raises(ValueError):
        player.start_playback(context_uri="spotify:album:" + ALBUM, uris=["spotify:track:x"])
    with pytest.raises(ValueError):
        player.start_playback(offset=1)
    with pytest.raises(ValueError):
        player.set_volume(101)
    with pytest.raises(ValueError):
        player.set_repeat_mode("sometimes")


def test_start_playback_offset_uri(user_client):
    uris = ["spotify:track:" + TRACK, "spotify:track:3iVcZ5G6tvkXZkZKlMpIUs"]
    user_client.player.start_playback(DEVICE, uris=uris, offset=uris[1])
    assert user_client.player.get_playback_state().item.uri == uris[1]
    user_client.player.start_playback(DEVICE, context_uri="spotify:album:" + ALBUM)
    assert user_client.player.get_playback_state().context.uri == "spotify:album:" + ALBUM


def test_invalid_arguments_send_nothing(emulator, user_client):
    before = emulator.control("GET", "counters")["total"]
    for call in (lambda: user_client.albums.get(""),
                 lambda: user_client.albums.get_tracks(ALBUM, limit=500),
                 lambda: user_client.tracks.get("not an id"),
                 lambda: user_client.library.save_items(["nope"])):
        with pytest.raises(InvalidArgumentError) as info:
            call()
        assert isinstance(info.value, ValueError)
    assert emulator.control("GET", "counters")["total"] == before


def test_not_found(user_client):
    with pytest.raises(NotFoundError) as info:
        user_client.albums.get("0000000000000000000000")
    assert info.value.status_code == 404
    assert info.value.response_body == {"error": {"status": 404, "message": "Non existing id"}}


def test_uris_and_links_are_accepted(user_client):
    assert user_client.albums.get("spotify:album:" + ALBUM).id == ALBUM
    assert user_client.albums.get("https://open.spotify.com/album/" + ALBUM).id == ALBUM


def test_threads_share_a_client(emulator):
    import threading

    with SpotifyClient(client_id="demo-client", client_secret="demo-secret") as client:
        errors = []

        def work():
            try:
                for _ in range(5):
                    assert client.tracks.get(TRACK).id == TRACK
            except Exception as e:  # pragma: no cover
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
    assert emulator.token_requests()["client_credentials"] == 1
