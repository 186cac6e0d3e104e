# SPDX-License-Identifier: Apache-2.0
"""tools/gen/python_api.py - the facts of the Python package spotify_sdk
(python/), which tools/gen/gen_python.py turns into the extension's method
and model tables (python/src/gen_tables.c) and the model classes
(python/spotify_sdk/models/__init__.py).

The package is API-compatible with the pure-Python spotify-sdk 0.10 (the
seeds' project): every service method and model class below is written as
that package declares it (../shared/reference/spotify-sdk-python-api.md), with
what the description cannot say:

  SERVICES  per service: the client attribute, the class name, and per
            method its C operation, its Python signature and return type
            (as the reference writes them), where each parameter goes when
            its name is not the operation's (MAP), constants it always
            sends (FIXED), which member of the result it returns (UNWRAP)
            and the argument checks the reference makes (RULES)
  MODELS    the model classes: base class, the C model types they stand
            for, and their fields as the reference annotates them (the
            annotations choose nested classes, datetimes and dicts)
"""

# ---------------------------------------------------------------------------
# Services. A method is (name, C operation, signature, return annotation,
# options). Options:
#   map     {python param: target}: target is an operation parameter name,
#           "body.<member>" for a member of the JSON body, with ":one" (a
#           str sent as a list of one), ":join" (a list sent comma-joined),
#           ":offset" (int | str -> {"position": n} | {"uri": s}),
#           ":items" (list[str] -> [{"uri": s}]) or ":dicts" (list[dict]
#           with "uri" -> [{"uri": s}])
#   fixed   {operation param: value} always sent
#   unwrap  the member of the result the method returns
#   rules   [(kind, [params], message)]: exclusive (at most one), one (exactly
#           one), any (at least one), requires (the first needs one of the
#           others), not_both_true
# Parameters whose name matches the operation's need no map entry; a
# `list[...]` annotation on an operation's comma-joined parameter joins.
# ---------------------------------------------------------------------------

PLAYBACK_TYPES = "list[Literal['track', 'episode']] | None = None"

SERVICES = [
    ("albums", "AlbumService", [
        ("get", "albums_get", "id: str, market: str | None = None", "Album", {}),
        ("get_tracks", "albums_list_tracks",
         "id: str, market: str | None = None, limit: int = 20, offset: int = 0",
         "Page[SimplifiedTrack]", {}),
        ("get_saved", "me_albums_list",
         "limit: int = 20, offset: int = 0, market: str | None = None", "Page[SavedAlbum]", {}),
    ]),
    ("artists", "ArtistService", [
        ("get", "artists_get", "id: str", "Artist", {}),
        ("get_albums", "artists_list_albums",
         "id: str, include_groups: list[IncludeGroup] | None = None, market: str | None = None, "
         "limit: int | None = None, offset: int | None = None", "Page[SimplifiedAlbum]", {}),
    ]),
    ("audiobooks", "AudiobookService", [
        ("get", "audiobooks_get", "id: str, market: str | None = None", "Audiobook", {}),
        ("get_chapters", "audiobooks_list_chapters",
         "id: str, market: str | None = None, limit: int = 20, offset: int = 0",
         "Page[SimplifiedChapter]", {}),
        ("get_saved", "me_audiobooks_list", "limit: int = 20, offset: int = 0",
         "Page[SavedAudiobook]", {}),
    ]),
    ("chapters", "ChapterService", [
        ("get", "chapters_get", "id: str, market: str | None = None", "Chapter", {}),
    ]),
    ("episodes", "EpisodeService", [
        ("get", "episodes_get", "id: str, market: str | None = None", "Episode", {}),
        ("get_saved", "me_episodes_list",
         "limit: int = 20, offset: int = 0, market: str | None = None", "Page[SavedEpisode]", {}),
    ]),
    ("library", "LibraryService", [
        ("save_items", "library_save", "uris: list[str]", "None", {}),
        ("remove_items", "library_remove", "uris: list[str]", "None", {}),
        ("check_contains", "library_contains", "uris: list[str]", "list[bool]", {}),
    ]),
    ("player", "PlayerService", [
        ("get_playback_state", "player_get",
         "market: str | None = None, additional_types: " + PLAYBACK_TYPES,
         "PlaybackState | None", {}),
        ("transfer_playback", "player_transfer", "device_id: str, play: bool | None = None",
         "None", {"map": {"device_id": "body.device_ids:one", "play": "body.play"}}),
        ("get_devices", "player_list_devices", "", "list[PlayerDevice]", {"unwrap": "devices"}),
        ("get_currently_playing", "player_get_currently_playing",
         "market: str | None = None, additional_types: " + PLAYBACK_TYPES,
         "CurrentlyPlaying | None", {}),
        ("start_playback", "player_play",
         "device_id: str | None = None, *, context_uri: str | None = None, "
         "uris: list[str] | None = None, offset: int | str | None = None, "
         "position_ms: int | None = None", "None",
         {"map": {"context_uri": "body.context_uri", "uris": "body.uris",
                  "offset": "body.offset:offset", "position_ms": "body.position_ms"},
          "rules": [("exclusive", ["context_uri", "uris"],
                     "context_uri and uris cannot both be provided"),
                    ("requires", ["offset", "context_uri", "uris"],
                     "offset requires context_uri or uris")]}),
        ("pause_playback", "player_pause", "device_id: str | None = None", "None", {}),
        ("skip_to_next", "player_next", "device_id: str | None = None", "None", {}),
        ("skip_to_previous", "player_previous", "device_id: str | None = None", "None", {}),
        ("seek", "player_seek", "position_ms: int, device_id: str | None = None", "None", {}),
        ("set_repeat_mode", "player_set_repeat",
         "state: Literal['track', 'context', 'off'], device_id: str | None = None", "None", {}),
        ("set_volume", "player_set_volume", "volume_percent: int, device_id: str | None = None",
         "None", {}),
        ("set_shuffle", "player_set_shuffle", "state: bool, device_id: str | None = None",
         "None", {}),
        ("get_recently_played", "player_list_recently_played",
         "limit: int | None = None, after: int | None = None, before: int | None = None",
         "RecentlyPlayedPage",
         {"rules": [("exclusive", ["after", "before"],
                     "after and before cannot both be provided")]}),
        ("get_queue", "player_queue_get", "", "PlaybackQueue", {}),
        ("add_to_queue", "player_queue_add", "uri: str, device_id: str | None = None", "None",
         {}),
    ]),
    ("playlists", "PlaylistService", [
        ("get", "playlists_get", "id: str, market: str | None = None, fields: str | None = None",
         "Playlist", {"map": {"id": "playlist_id"}}),
        ("get_items", "playlists_list_items",
         "id: str, market: str | None = None, fields: str | None = None, "
         "limit: int | None = None, offset: int | None = None", "Page[PlaylistItem]",
         {"map": {"id": "playlist_id"}}),
        ("get_for_current_user", "me_playlists_list",
         "limit: int | None = None, offset: int | None = None", "Page[SimplifiedPlaylist]", {}),
        ("create", "me_playlists_create",
         "name: str, public: bool | None = None, collaborative: bool | None = None, "
         "description: str | None = None", "SimplifiedPlaylist",
         {"map": {"name": "body.name", "public": "body.public",
                  "collaborative": "body.collaborative", "description": "body.description"}}),
        ("change_details", "playlists_change_details",
         "id: str, name: str | None = None, public: bool | None = None, "
         "collaborative: bool | None = None, description: str | None = None", "None",
         {"map": {"id": "playlist_id", "name": "body.name", "public": "body.public",
                  "collaborative": "body.collaborative", "description": "body.description"},
          "rules": [("any", ["name", "public", "collaborative", "description"],
                     "At least one field must be provided"),
                    ("not_both_true", ["collaborative", "public"],
                     "public and collaborative cannot both be True")]}),
        ("reorder_or_replace_items", "playlists_update_items",
         "id: str, uris: list[str] | None = None, range_start: int | None = None, "
         "insert_before: int | None = None, range_length: int | None = None, "
         "snapshot_id: str | None = None", "str",
         {"map": {"id": "playlist_id", "uris": "body.uris", "range_start": "body.range_start",
                  "insert_before": "body.insert_before", "range_length": "body.range_length",
                  "snapshot_id": "body.snapshot_id"},
          "unwrap": "snapshot_id",
          "rules": [("exclusive", ["uris", "range_start"],
                     "Replace mode cannot include reorder parameters"),
                    ("exclusive", ["uris", "insert_before"],
                     "Replace mode cannot include reorder parameters"),
                    ("exclusive", ["uris", "range_length"],
                     "Replace mode cannot include reorder parameters"),
                    ("exclusive", ["uris", "snapshot_id"],
                     "Replace mode cannot include reorder parameters"),
                    ("any", ["uris", "range_start"],
                     "range_start and insert_before are required for reorder"),
                    ("requires", ["range_start", "insert_before"],
                     "range_start and insert_before are required for reorder"),
                    ("requires", ["insert_before", "range_start"],
                     "range_start and insert_before are required for reorder")]}),
        ("add_items", "playlists_add_items", "id: str, uris: list[str], position: int | None = None",
         "str", {"map": {"id": "playlist_id", "uris": "body.uris", "position": "body.position"},
                 "unwrap": "snapshot_id"}),
        ("remove_items", "playlists_remove_items",
         "id: str, *, uris: list[str] | None = None, "
         "items: list[dict[str, str | list[int]]] | None = None, snapshot_id: str | None = None",
         "str",
         {"map": {"id": "playlist_id", "uris": "body.items:items", "items": "body.items:dicts",
                  "snapshot_id": "body.snapshot_id"},
          "unwrap": "snapshot_id",
          "rules": [("one", ["uris", "items"], "Provide exactly one of uris or items")]}),
        ("get_cover_image", "playlists_get_cover", "id: str", "list[Image]",
         {"map": {"id": "playlist_id"}}),
        ("upload_cover_image", "playlists_upload_cover", "id: str, image_base64_jpeg: str",
         "None", {"map": {"id": "playlist_id", "image_base64_jpeg": "jpeg_base64"}}),
    ]),
    ("search", "SearchService", [
        ("search", "search",
         "q: str, types: list[SearchType], market: str | None = None, limit: int = 5, "
         "offset: int = 0, include_external: IncludeExternal | None = None", "SearchResult",
         {"map": {"types": "type"}}),
    ]),
    ("shows", "ShowService", [
        ("get", "shows_get", "id: str, market: str | None = None", "Show", {}),
        ("get_episodes", "shows_list_episodes",
         "id: str, market: str | None = None, limit: int = 20, offset: int = 0",
         "Page[SimplifiedEpisode]", {}),
        ("get_saved", "me_shows_list", "limit: int = 20, offset: int = 0", "Page[SavedShow]",
         {}),
    ]),
    ("tracks", "TrackService", [
        ("get", "tracks_get", "id: str, market: str | None = None", "Track", {}),
        ("get_saved", "me_tracks_list",
         "limit: int = 20, offset: int = 0, market: str | None = None", "Page[SavedTrack]", {}),
    ]),
    ("users", "UserService", [
        ("get_current_profile", "me_get", "", "CurrentUser", {}),
        ("get_top_artists", "me_top_artists_list",
         "time_range: TimeRange | None = None, limit: int | None = None, "
         "offset: int | None = None", "Page[Artist]", {}),
        ("get_top_tracks", "me_top_tracks_list",
         "time_range: TimeRange | None = None, limit: int | None = None, "
         "offset: int | None = None", "Page[Track]", {}),
        ("get_followed_artists", "me_following_list",
         "after: str | None = None, limit: int | None = None", "CursorPage[Artist]",
         {"fixed": {"type": "artist"}, "unwrap": "artists"}),
    ]),
]

# ---------------------------------------------------------------------------
# Models: (module, class, base, C model types (spec names; "Paging*" and
# "CursorPaging*" patterns for the generic pages), fields as the reference
# annotates them). The first class listing a C type is its default class
# (oneOf alternatives, members the reference does not annotate, results).
# ---------------------------------------------------------------------------

MODELS = [
    ("common", "ExternalUrls", "SpotifyModel", ["ExternalUrlObject"], """
        spotify: str
    """),
    ("common", "Followers", "SpotifyModel", ["FollowersObject"], """
        href: str | None
        total: int
    """),
    ("common", "Image", "SpotifyModel", ["ImageObject"], """
        url: str
        height: int | None
        width: int | None
    """),
    ("common", "Restriction", "SpotifyModel",
     ["AlbumRestrictionObject", "TrackRestrictionObject", "ChapterRestrictionObject",
      "EpisodeRestrictionObject"], """
        reason: str
    """),
    ("common", "Copyright", "SpotifyModel", ["CopyrightObject"], """
        text: str
        type_: str = Field(alias='type')
    """),
    ("common", "ExternalIds", "SpotifyModel", ["ExternalIdObject"], """
        isrc: str | None = None
        ean: str | None = None
        upc: str | None = None
    """),
    ("common", "LinkedFrom", "SpotifyModel", ["LinkedTrackObject"], """
        external_urls: ExternalUrls
        href: str
        id: str
        type_: Literal['track'] = Field(alias='type')
        uri: str
    """),
    ("common", "Page", "SpotifyModel, Generic[T]", ["Paging*"], """
        href: str
        limit: int
        next: str | None
        offset: int
        previous: str | None
        total: int
        items: list[T]
    """),
    ("common", "Cursor", "SpotifyModel", ["CursorObject"], """
        after: str | None = None
        before: str | None = None
    """),
    ("common", "CursorPage", "SpotifyModel, Generic[T]", ["CursorPaging*"], """
        href: str
        limit: int
        next: str | None
        cursors: Cursor
        total: int
        items: list[T]
    """),
    ("artist", "SimplifiedArtist", "SpotifyModel", ["SimplifiedArtistObject"], """
        external_urls: ExternalUrls
        href: str
        id: str
        name: str
        type_: Literal['artist'] = Field(alias='type')
        uri: str
    """),
    ("artist", "Artist", "SimplifiedArtist", ["ArtistObject"], """
        followers: Followers
        genres: list[str]
        images: list[Image]
        popularity: int
    """),
    ("album", "SimplifiedAlbum", "SpotifyModel",
     ["SimplifiedAlbumObject", "ArtistDiscographyAlbumObject", "AlbumBase"], """
        album_type: str
        total_tracks: int
        available_markets: list[str] | None = None
        external_urls: ExternalUrls
        href: str
        id: str
        images: list[Image]
        name: str
        release_date: str
        release_date_precision: str
        restrictions: Restriction | None = None
        type_: Literal['album'] = Field(alias='type')
        uri: str
        artists: list[SimplifiedArtist]
    """),
    ("album", "Album", "SimplifiedAlbum", ["AlbumObject"], """
        tracks: Page['SimplifiedTrack']
        copyrights: list[Copyright]
        external_ids: ExternalIds
        label: str
        popularity: int
    """),
    ("album", "SavedAlbum", "SpotifyModel", ["SavedAlbumObject"], """
        added_at: datetime
        album: Album
    """),
    ("audiobook", "AudiobookAuthor", "SpotifyModel", ["AuthorObject"], """
        name: str
    """),
    ("audiobook", "AudiobookNarrator", "SpotifyModel", ["NarratorObject"], """
        name: str
    """),
    ("audiobook", "ResumePoint", "SpotifyModel", ["ResumePointObject"], """
        fully_played: bool
        resume_position_ms: int
    """),
    ("audiobook", "SimplifiedAudiobook", "SpotifyModel",
     ["SimplifiedAudiobookObject", "AudiobookBase"], """
        authors: list[AudiobookAuthor]
        available_markets: list[str] | None = None
        copyrights: list[Copyright]
        description: str
        html_description: str
        edition: str | None = None
        explicit: bool
        external_urls: ExternalUrls
        href: str
        id: str
        images: list[Image]
        languages: list[str]
        media_type: str
        name: str
        narrators: list[AudiobookNarrator]
        publisher: str
        type_: Literal['audiobook'] = Field(alias='type')
        uri: str
        total_chapters: int
    """),
    ("audiobook", "SimplifiedChapter", "SpotifyModel",
     ["SimplifiedChapterObject", "ChapterBase"], """
        audio_preview_url: str | None = None
        available_markets: list[str] | None = None
        chapter_number: int
        description: str
        html_description: str
        duration_ms: int
        explicit: bool
        external_urls: ExternalUrls
        href: str
        id: str
        images: list[Image]
        is_playable: bool | None = None
        languages: list[str]
        name: str
        release_date: str
        release_date_precision: str
        restrictions: Restriction | None = None
        resume_point: ResumePoint | None = None
        type_: Literal['chapter'] = Field(alias='type')
        uri: str
    """),
    ("audiobook", "Audiobook", "SimplifiedAudiobook", ["AudiobookObject"], """
        chapters: Page[SimplifiedChapter]
    """),
    ("audiobook", "SavedAudiobook", "SpotifyModel", ["SavedAudiobookObject"], """
        added_at: datetime
        audiobook: SimplifiedAudiobook
    """),
    ("audiobook", "Chapter", "SimplifiedChapter", ["ChapterObject"], """
        audiobook: SimplifiedAudiobook
    """),
    ("show", "SimplifiedShow", "SpotifyModel", ["SimplifiedShowObject", "ShowBase"], """
        available_markets: list[str] | None = None
        copyrights: list[Copyright]
        description: str
        html_description: str
        explicit: bool
        external_urls: ExternalUrls
        href: str
        id: str
        images: list[Image]
        is_externally_hosted: bool | None = None
        languages: list[str]
        media_type: str
        name: str
        publisher: str
        type_: Literal['show'] = Field(alias='type')
        uri: str
        total_episodes: int
    """),
    ("show", "SimplifiedEpisode", "SpotifyModel", ["SimplifiedEpisodeObject", "EpisodeBase"], """
        audio_preview_url: str | None = None
        description: str
        html_description: str
        duration_ms: int
        explicit: bool
        external_urls: ExternalUrls
        href: str
        id: str
        images: list[Image]
        is_externally_hosted: bool | None = None
        is_playable: bool | None = None
        language: str | None = None
        languages: list[str]
        name: str
        release_date: str
        release_date_precision: str
        restrictions: Restriction | None = None
        resume_point: ResumePoint | None = None
        type_: Literal['episode'] = Field(alias='type')
        uri: str
    """),
    ("show", "Show", "SimplifiedShow", ["ShowObject"], """
        episodes: Page[SimplifiedEpisode]
    """),
    ("show", "Episode", "SimplifiedEpisode", ["EpisodeObject"], """
        show: SimplifiedShow
    """),
    ("show", "SavedShow", "SpotifyModel", ["SavedShowObject"], """
        added_at: datetime
        show: SimplifiedShow
    """),
    ("show", "SavedEpisode", "SpotifyModel", ["SavedEpisodeObject"], """
        added_at: datetime
        episode: Episode
    """),
    ("track", "SimplifiedTrack", "SpotifyModel", ["SimplifiedTrackObject"], """
        artists: list[SimplifiedArtist]
        available_markets: list[str] | None = None
        disc_number: int
        duration_ms: int
        explicit: bool
        external_urls: ExternalUrls
        href: str
        id: str
        is_playable: bool | None = None
        linked_from: LinkedFrom | None = None
        restrictions: Restriction | None = None
        name: str
        preview_url: str | None = None
        track_number: int
        type_: Literal['track'] = Field(alias='type')
        uri: str
        is_local: bool
    """),
    ("track", "Track", "SimplifiedTrack", ["TrackObject"], """
        album: SimplifiedAlbum
        external_ids: ExternalIds
        popularity: int
    """),
    ("track", "SavedTrack", "SpotifyModel", ["SavedTrackObject"], """
        added_at: datetime
        track: Track
    """),
    ("player", "PlayerDevice", "SpotifyModel", ["DeviceObject"], """
        id: str | None = None
        is_active: bool
        is_private_session: bool
        is_restricted: bool
        name: str
        type_: str = Field(alias='type')
        volume_percent: int | None = None
        supports_volume: bool | None = None
    """),
    ("player", "PlaybackContext", "SpotifyModel", ["ContextObject"], """
        type_: str = Field(alias='type')
        href: str | None = None
        external_urls: ExternalUrls
        uri: str
    """),
    ("player", "PlaybackActions", "SpotifyModel", ["DisallowsObject"], """
        disallows: dict[str, bool] = Field(default_factory=dict)
    """),
    ("player", "PlaybackState", "SpotifyModel", ["CurrentlyPlayingContextObject"], """
        device: PlayerDevice
        repeat_state: str
        shuffle_state: bool
        smart_shuffle: bool | None = None
        context: PlaybackContext | None = None
        timestamp: int
        progress_ms: int | None = None
        is_playing: bool
        item: PlaybackItem | None = None
        currently_playing_type: str | None = None
        actions: PlaybackActions | None = None
    """),
    ("player", "CurrentlyPlaying", "SpotifyModel", ["CurrentlyPlayingObject"], """
        context: PlaybackContext | None = None
        timestamp: int
        progress_ms: int | None = None
        is_playing: bool
        item: PlaybackItem | None = None
        currently_playing_type: str | None = None
        actions: PlaybackActions | None = None
    """),
    ("player", "RecentlyPlayedItem", "SpotifyModel", ["PlayHistoryObject"], """
        track: Track
        played_at: datetime
        context: PlaybackContext | None = None
    """),
    ("player", "RecentlyPlayedPage", "SpotifyModel", ["CursorPagingPlayHistoryObject"], """
        href: str
        limit: int
        next: str | None
        cursors: Cursor
        items: list[RecentlyPlayedItem]
    """),
    ("player", "PlaybackQueue", "SpotifyModel", ["QueueObject"], """
        currently_playing: PlaybackItem | None = None
        queue: list[PlaybackItem]
    """),
    ("playlist", "PublicUser", "SpotifyModel",
     ["PublicUserObject", "PlaylistOwnerObject", "PlaylistUserObject"], """
        external_urls: ExternalUrls
        href: str
        id: str
        type_: Literal['user'] = Field(alias='type')
        uri: str
        display_name: str | None = None
    """),
    ("playlist", "PlaylistItemsRef", "SpotifyModel", ["PlaylistTracksRefObject"], """
        href: str
        total: int
    """),
    ("playlist", "PlaylistItem", "SpotifyModel", ["PlaylistTrackObject"], """
        added_at: datetime | None = None
        added_by: PublicUser | None = None
        is_local: bool
        item: PlaylistItemContent | None
    """),
    ("playlist", "PlaylistEpisode", "SpotifyModel", [], """
        preview_url: str | None = None
        available_markets: list[str] | None = None
        explicit: bool
        type_: Literal['episode'] = Field(alias='type')
        episode: bool | None = None
        track_: bool | None = Field(alias='track', default=None)
        album: dict[str, object] | None = None
        artists: list[dict[str, object]] | None = None
        disc_number: int | None = None
        track_number: int | None = None
        duration_ms: int
        external_ids: dict[str, str] | None = None
        external_urls: ExternalUrls
        href: str
        id: str
        name: str
        popularity: int | None = None
        uri: str
        is_local: bool
    """),
    ("playlist", "SimplifiedPlaylist", "SpotifyModel", ["SimplifiedPlaylistObject"], """
        collaborative: bool
        description: str | None
        external_urls: ExternalUrls
        href: str
        id: str
        images: list[Image]
        name: str
        owner: PublicUser
        public: bool | None
        snapshot_id: str
        items: PlaylistItemsRef
        type_: Literal['playlist'] = Field(alias='type')
        uri: str
    """),
    ("playlist", "Playlist", "SimplifiedPlaylist", ["PlaylistObject"], """
        items: Page['PlaylistItem']
    """),
    ("search", "SearchResult", "SpotifyModel", ["spotify_search_items"], """
        tracks: Page[Track] | None = None
        artists: Page[Artist] | None = None
        albums: Page[SimplifiedAlbum] | None = None
        playlists: Page[SimplifiedPlaylist] | None = None
        shows: Page[SimplifiedShow] | None = None
        episodes: Page[SimplifiedEpisode] | None = None
        audiobooks: Page[SimplifiedAudiobook] | None = None
    """),
    ("user", "ExplicitContent", "SpotifyModel", ["ExplicitContentSettingsObject"], """
        filter_enabled: bool | None = None
        filter_locked: bool | None = None
    """),
    ("user", "CurrentUser", "PublicUser", ["PrivateUserObject"], """
        country: str | None = None
        email: str | None = None
        explicit_content: ExplicitContent | None = None
        followers: Followers | None = None
        images: list[Image]
        product: str | None = None
    """),
]

# Type aliases of the models module (annotations only).
ALIASES = [
    ("PlaybackItem", "Track | Episode"),
    ("PlaylistItemContent", "PlaybackItem | PlaylistEpisode"),
]

# The literal types the services' signatures name.
LITERALS = [
    ("IncludeGroup", "Literal['album', 'single', 'appears_on', 'compilation']"),
    ("SearchType", "Literal['album', 'artist', 'playlist', 'track', 'show', 'episode', "
                   "'audiobook']"),
    ("IncludeExternal", "Literal['audio']"),
    ("TimeRange", "Literal['long_term', 'medium_term', 'short_term']"),
    ("FollowType", "Literal['artist', 'user']"),
]
