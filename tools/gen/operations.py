# SPDX-License-Identifier: Apache-2.0
"""tools/gen/operations.py - the hand-chosen facts about operations that the
description-free extract (spec/spotify-api.json) cannot carry, read by
tools/gen/generate.py:

  OPERATIONS   operationId -> C name and spotctl command (one row per
               operation, in the order docs/api.md lists them)
  PARAMS       what a string parameter holds (an ID of some type, a list of
               URIs with a per-call maximum...), where the extract only says
               "string": the facts come from the prose of Spotify's reference
               pages, which the extract drops
  SCOPES       which of an operation's scopes a token really needs
  REPLACEMENTS what to use instead of a deprecated operation
  GROUP_LIMITS rules over several list parameters at once (prose only)

Names are resource-verb: the resource is the route ("albums", "me_playlists",
"player_queue"), the verb one of get, get_several, list, list_<sub>, create,
save, remove, contains, add, ... The same words name the spotctl command.
"""

# ---------------------------------------------------------------------------
# operationId -> (C name after "spotify_", spotctl command or "" for none)
# ---------------------------------------------------------------------------

OPERATIONS = [
    # albums
    ("get-an-album", "albums_get", "albums get"),
    ("get-multiple-albums", "albums_get_several", ""),
    ("get-an-albums-tracks", "albums_list_tracks", "albums tracks"),
    # artists
    ("get-an-artist", "artists_get", "artists get"),
    ("get-multiple-artists", "artists_get_several", ""),
    ("get-an-artists-albums", "artists_list_albums", "artists albums"),
    ("get-an-artists-top-tracks", "artists_get_top_tracks", ""),
    ("get-an-artists-related-artists", "artists_get_related_artists", ""),
    # tracks
    ("get-track", "tracks_get", "tracks get"),
    ("get-several-tracks", "tracks_get_several", ""),
    ("get-several-audio-features", "audio_features_get_several", ""),
    ("get-audio-features", "audio_features_get", ""),
    ("get-audio-analysis", "audio_analysis_get", ""),
    ("get-recommendations", "recommendations_get", ""),
    ("get-recommendation-genres", "recommendations_list_genres", ""),
    # shows, episodes, audiobooks, chapters
    ("get-a-show", "shows_get", ""),
    ("get-multiple-shows", "shows_get_several", ""),
    ("get-a-shows-episodes", "shows_list_episodes", ""),
    ("get-an-episode", "episodes_get", ""),
    ("get-multiple-episodes", "episodes_get_several", ""),
    ("get-an-audiobook", "audiobooks_get", ""),
    ("get-multiple-audiobooks", "audiobooks_get_several", ""),
    ("get-audiobook-chapters", "audiobooks_list_chapters", ""),
    ("get-a-chapter", "chapters_get", ""),
    ("get-several-chapters", "chapters_get_several", ""),
    # search
    ("search", "search", "search"),
    # the current user
    ("get-current-users-profile", "me_get", "me"),
    ("get-users-top-artists", "me_top_artists_list", ""),
    ("get-users-top-tracks", "me_top_tracks_list", ""),
    ("get-followed", "me_following_list", ""),
    ("follow-artists-users", "me_following_add", ""),
    ("unfollow-artists-users", "me_following_remove", ""),
    ("check-current-user-follows", "me_following_contains", ""),
    # the library (2026: one set of operations for every kind of item, by URI)
    ("save-library-items", "library_save", "library save"),
    ("remove-library-items", "library_remove", "library remove"),
    ("check-library-contains", "library_contains", "library contains"),
    ("get-users-saved-tracks", "me_tracks_list", "library list, export"),
    ("save-tracks-user", "me_tracks_save", ""),
    ("remove-tracks-user", "me_tracks_remove", ""),
    ("check-users-saved-tracks", "me_tracks_contains", ""),
    ("get-users-saved-albums", "me_albums_list", "library list, export"),
    ("save-albums-user", "me_albums_save", ""),
    ("remove-albums-user", "me_albums_remove", ""),
    ("check-users-saved-albums", "me_albums_contains", ""),
    ("get-users-saved-episodes", "me_episodes_list", "library list, export"),
    ("save-episodes-user", "me_episodes_save", ""),
    ("remove-episodes-user", "me_episodes_remove", ""),
    ("check-users-saved-episodes", "me_episodes_contains", ""),
    ("get-users-saved-shows", "me_shows_list", "library list, export"),
    ("save-shows-user", "me_shows_save", ""),
    ("remove-shows-user", "me_shows_remove", ""),
    ("check-users-saved-shows", "me_shows_contains", ""),
    ("get-users-saved-audiobooks", "me_audiobooks_list", "library list, export"),
    ("save-audiobooks-user", "me_audiobooks_save", ""),
    ("remove-audiobooks-user", "me_audiobooks_remove", ""),
    ("check-users-saved-audiobooks", "me_audiobooks_contains", ""),
    # playlists
    ("get-a-list-of-current-users-playlists", "me_playlists_list", "playlists list, export"),
    ("create-playlist", "me_playlists_create", "playlists create"),
    ("get-playlist", "playlists_get", "playlists get"),
    ("change-playlist-details", "playlists_change_details", ""),
    ("get-playlists-items", "playlists_list_items", "playlists get, export"),
    ("add-items-to-playlist", "playlists_add_items", "playlists add"),
    ("reorder-or-replace-playlists-items", "playlists_update_items", ""),
    ("remove-items-playlist", "playlists_remove_items", "playlists remove"),
    ("get-playlists-tracks", "playlists_list_tracks", ""),
    ("add-tracks-to-playlist", "playlists_add_tracks", ""),
    ("reorder-or-replace-playlists-tracks", "playlists_update_tracks", ""),
    ("remove-tracks-playlist", "playlists_remove_tracks", ""),
    ("get-playlist-cover", "playlists_get_cover", ""),
    ("upload-custom-playlist-cover", "playlists_upload_cover", ""),
    ("follow-playlist", "playlists_follow", ""),
    ("unfollow-playlist", "playlists_unfollow", ""),
    ("check-if-user-follows-playlist", "playlists_followers_contains", ""),
    # other users
    ("get-users-profile", "users_get", ""),
    ("get-list-users-playlists", "users_playlists_list", ""),
    ("create-playlist-for-user", "users_playlists_create", ""),
    # browse
    ("get-new-releases", "browse_new_releases_list", ""),
    ("get-featured-playlists", "browse_featured_playlists_list", ""),
    ("get-categories", "browse_categories_list", ""),
    ("get-a-category", "browse_categories_get", ""),
    ("get-a-categories-playlists", "browse_categories_list_playlists", ""),
    ("get-available-markets", "markets_list", ""),
    # player
    ("get-information-about-the-users-current-playback", "player_get", "player status"),
    ("transfer-a-users-playback", "player_transfer", ""),
    ("get-a-users-available-devices", "player_list_devices", "player devices"),
    ("get-the-users-currently-playing-track", "player_get_currently_playing", ""),
    ("start-a-users-playback", "player_play", "player play"),
    ("pause-a-users-playback", "player_pause", "player pause"),
    ("skip-users-playback-to-next-track", "player_next", "player next"),
    ("skip-users-playback-to-previous-track", "player_previous", "player previous"),
    ("seek-to-position-in-currently-playing-track", "player_seek", ""),
    ("set-repeat-mode-on-users-playback", "player_set_repeat", ""),
    ("set-volume-for-users-playback", "player_set_volume", "player volume"),
    ("toggle-shuffle-for-users-playback", "player_set_shuffle", ""),
    ("get-recently-played", "player_list_recently_played", ""),
    ("get-queue", "player_queue_get", ""),
    ("add-to-queue", "player_queue_add", ""),
]

# ---------------------------------------------------------------------------
# Parameters. Each is described by a small spec string:
#
#   id:TYPE              one Spotify ID of TYPE (a bare ID, a spotify: URI or
#                        an open.spotify.com link; sent as the bare ID)
#   ids:TYPES:MAX        a list of such IDs, at most MAX per call (sent
#                        comma-separated); TYPES is one type or several
#                        joined by "|" (artist|user)
#   uri:TYPES            one Spotify URI (a link is accepted and sent as URI)
#   uris:TYPES:MAX       a list of URIs
#   uri_items:TYPES:MAX  (bodies) a list of objects whose "uri" is a URI
#   list:MAX             a list of free strings (sent comma-separated)
#   user                 a Spotify user ID (free-form)
#   market               an ISO 3166-1 alpha-2 country code or "from_token"
#   enum:A,B,C           one of the values
#   enums:A,B,C          a comma-separated subset of the values
#   int:MIN..MAX         an integer (either bound may be empty)
#   number:MIN..MAX      a number
#   bool                 true or false
#   string               anything
#   jpeg                 (bodies) base64-encoded JPEG data, at most 256 KB
#
# A trailing ":batch" marks the list that the operation's batch helper splits
# into per-call chunks; ":position" an integer the batch helper advances by
# the chunk size (insert positions).
#
# Most parameters need no entry: path "id" is an ID of the type the path
# names, "playlist_id" a playlist ID, "user_id" a user, "market" a market,
# integers and enums take their limits from the extract, "offset" is >= 0.
# ---------------------------------------------------------------------------

PLAYABLE = "track|episode"
LIBRARY_SAVE = "track|album|episode|show|audiobook|user|playlist"
LIBRARY_CONTAINS = "track|album|episode|show|audiobook|artist|user|playlist"

PARAMS = {
    "get-multiple-albums": {"ids": "ids:album:20:batch"},
    "get-multiple-artists": {"ids": "ids:artist:50:batch"},
    "get-an-artists-albums": {"include_groups": "enums:album,single,appears_on,compilation"},
    "get-multiple-shows": {"ids": "ids:show:50:batch"},
    "get-multiple-episodes": {"ids": "ids:episode:50:batch"},
    "get-multiple-audiobooks": {"ids": "ids:audiobook:50:batch"},
    "save-audiobooks-user": {"ids": "ids:audiobook:50:batch"},
    "remove-audiobooks-user": {"ids": "ids:audiobook:50:batch"},
    "check-users-saved-audiobooks": {"ids": "ids:audiobook:50:batch"},
    "get-several-chapters": {"ids": "ids:chapter:50:batch"},
    "get-several-tracks": {"ids": "ids:track:50:batch"},
    "get-playlist": {"additional_types": "enums:track,episode"},
    "get-playlists-tracks": {"additional_types": "enums:track,episode"},
    "get-playlists-items": {"additional_types": "enums:track,episode"},
    "add-tracks-to-playlist": {
        "position": "int:0..:position",
        "uris": "uris:%s:100:batch" % PLAYABLE,
        "body.uris": "uris:%s:100:batch" % PLAYABLE,
        "body.position": "int:0..:position",
    },
    "add-items-to-playlist": {
        "position": "int:0..:position",
        "uris": "uris:%s:100:batch" % PLAYABLE,
        "body.uris": "uris:%s:100:batch" % PLAYABLE,
        "body.position": "int:0..:position",
    },
    "reorder-or-replace-playlists-tracks": {
        "uris": "uris:%s:100" % PLAYABLE,
        "body.uris": "uris:%s:100" % PLAYABLE,
        "body.range_start": "int:0..",
        "body.insert_before": "int:0..",
        "body.range_length": "int:1..",
    },
    "reorder-or-replace-playlists-items": {
        "uris": "uris:%s:100" % PLAYABLE,
        "body.uris": "uris:%s:100" % PLAYABLE,
        "body.range_start": "int:0..",
        "body.insert_before": "int:0..",
        "body.range_length": "int:1..",
    },
    "remove-tracks-playlist": {"body.tracks": "uri_items:%s:100:batch" % PLAYABLE},
    "remove-items-playlist": {"body.items": "uri_items:%s:100:batch" % PLAYABLE},
    "save-library-items": {"uris": "uris:%s:40:batch" % LIBRARY_SAVE},
    "remove-library-items": {"uris": "uris:%s:40:batch" % LIBRARY_SAVE},
    "check-library-contains": {"uris": "uris:%s:40:batch" % LIBRARY_CONTAINS},
    "save-albums-user": {"ids": "ids:album:20:batch", "body.ids": "ids:album:50"},
    "remove-albums-user": {"ids": "ids:album:20:batch", "body.ids": "ids:album:50"},
    "check-users-saved-albums": {"ids": "ids:album:20:batch"},
    "save-tracks-user": {"body.ids": "ids:track:50:batch", "body.timestamped_ids": "list:50"},
    "remove-tracks-user": {"ids": "ids:track:50:batch", "body.ids": "ids:track:50"},
    "check-users-saved-tracks": {"ids": "ids:track:50:batch"},
    "save-episodes-user": {"ids": "ids:episode:50:batch", "body.ids": "ids:episode:50"},
    "remove-episodes-user": {"ids": "ids:episode:50:batch", "body.ids": "ids:episode:50"},
    "check-users-saved-episodes": {"ids": "ids:episode:50:batch"},
    "save-shows-user": {"ids": "ids:show:50:batch", "body.ids": "ids:show:50"},
    "remove-shows-user": {"ids": "ids:show:50:batch", "body.ids": "ids:show:50"},
    "check-users-saved-shows": {"ids": "ids:show:50:batch"},
    "follow-artists-users": {"ids": "ids:artist|user:50:batch", "body.ids": "ids:artist|user:50"},
    "unfollow-artists-users": {"ids": "ids:artist|user:50:batch",
                               "body.ids": "ids:artist|user:50"},
    "check-current-user-follows": {"ids": "ids:artist|user:50:batch"},
    "check-if-user-follows-playlist": {"ids": "ids:user:1"},
    "upload-custom-playlist-cover": {"body": "jpeg"},
    "get-several-audio-features": {"ids": "ids:track:100:batch"},
    "get-recommendations": {
        "seed_artists": "ids:artist:5",
        "seed_tracks": "ids:track:5",
        "seed_genres": "list:5",
    },
    "get-information-about-the-users-current-playback": {"additional_types": "enums:track,episode"},
    "get-the-users-currently-playing-track": {"additional_types": "enums:track,episode"},
    "transfer-a-users-playback": {"body.device_ids": "list:1"},
    "start-a-users-playback": {
        "body.context_uri": "uri:album|artist|playlist|show|audiobook",
        "body.uris": "uris:%s:0" % PLAYABLE,
        "body.position_ms": "int:0..",
    },
    "seek-to-position-in-currently-playing-track": {"position_ms": "int:0.."},
    "set-repeat-mode-on-users-playback": {"state": "enum:track,context,off"},
    "set-volume-for-users-playback": {"volume_percent": "int:0..100"},
    "get-recently-played": {"after": "int:0..", "before": "int:0.."},
    "add-to-queue": {"uri": "uri:%s" % PLAYABLE},
    "get-users-top-artists": {"time_range": "enum:long_term,medium_term,short_term"},
    "get-users-top-tracks": {"time_range": "enum:long_term,medium_term,short_term"},
}

# operationId -> (list parameters, min, max): their items in all must number
# min..max. Recommendations: "up to 5 seed values may be provided in any
# combination" of artists, genres and tracks, and at least one is needed.
GROUP_LIMITS = {
    "get-recommendations": (("seed_artists", "seed_genres", "seed_tracks"), 1, 5),
}

# The types a path's {id} names, by the path's first segment.
PATH_ID_TYPES = {
    "albums": "album", "artists": "artist", "tracks": "track", "shows": "show",
    "episodes": "episode", "audiobooks": "audiobook", "chapters": "chapter",
    "audio-features": "track", "audio-analysis": "track",
}

# ---------------------------------------------------------------------------
# Scopes. The extract lists every scope an operation may involve; a token
# needs all of them except:
#   - "any": at least one of these is enough (which one depends on the item:
#     a public or a private playlist, a track or an artist...);
#   - "optional": only some fields or items need it.
# playlist-modify-public and playlist-modify-private listed together are
# always "any".
# ---------------------------------------------------------------------------

SCOPES = {
    "save-library-items": {"any": ["playlist-modify-public", "user-follow-modify",
                                   "user-library-modify"]},
    "remove-library-items": {"any": ["playlist-modify-public", "user-follow-modify",
                                     "user-library-modify"]},
    "check-library-contains": {"any": ["playlist-read-private", "user-follow-read",
                                       "user-library-read"]},
    "get-queue": {"any": ["user-read-currently-playing", "user-read-playback-state"]},
    "get-current-users-profile": {"optional": ["user-read-email", "user-read-private"]},
    "get-a-show": {"optional": ["user-read-playback-position"]},
    "get-a-shows-episodes": {"optional": ["user-read-playback-position"]},
    "get-an-episode": {"optional": ["user-read-playback-position"]},
    "get-multiple-episodes": {"optional": ["user-read-playback-position"]},
    "get-users-saved-episodes": {"optional": ["user-read-playback-position"]},
    "get-a-list-of-current-users-playlists": {"optional": ["playlist-read-private"]},
    "get-list-users-playlists": {"optional": ["playlist-read-collaborative",
                                              "playlist-read-private"]},
    "get-playlists-items": {"optional": ["playlist-read-private"]},
    "get-playlists-tracks": {"optional": ["playlist-read-private"]},
}

# ---------------------------------------------------------------------------
# What to use instead of a deprecated operation (in its deprecation message).
# ---------------------------------------------------------------------------

REPLACEMENTS = {
    "get-multiple-albums": "spotify_albums_get per album",
    "get-multiple-artists": "spotify_artists_get per artist",
    "get-several-tracks": "spotify_tracks_get per track",
    "get-multiple-shows": "spotify_shows_get per show",
    "get-multiple-episodes": "spotify_episodes_get per episode",
    "get-multiple-audiobooks": "spotify_audiobooks_get per audiobook",
    "get-several-chapters": "spotify_chapters_get per chapter",
    "save-tracks-user": "spotify_library_save",
    "remove-tracks-user": "spotify_library_remove",
    "check-users-saved-tracks": "spotify_library_contains",
    "save-albums-user": "spotify_library_save",
    "remove-albums-user": "spotify_library_remove",
    "check-users-saved-albums": "spotify_library_contains",
    "save-episodes-user": "spotify_library_save",
    "remove-episodes-user": "spotify_library_remove",
    "check-users-saved-episodes": "spotify_library_contains",
    "save-shows-user": "spotify_library_save",
    "remove-shows-user": "spotify_library_remove",
    "check-users-saved-shows": "spotify_library_contains",
    "save-audiobooks-user": "spotify_library_save",
    "remove-audiobooks-user": "spotify_library_remove",
    "check-users-saved-audiobooks": "spotify_library_contains",
    "follow-artists-users": "spotify_library_save with artist or user URIs",
    "unfollow-artists-users": "spotify_library_remove with artist or user URIs",
    "check-current-user-follows": "spotify_library_contains",
    "follow-playlist": "spotify_library_save with a playlist URI",
    "unfollow-playlist": "spotify_library_remove with a playlist URI",
    "check-if-user-follows-playlist": "spotify_library_contains with a playlist URI",
    "get-playlists-tracks": "spotify_playlists_list_items",
    "add-tracks-to-playlist": "spotify_playlists_add_items",
    "reorder-or-replace-playlists-tracks": "spotify_playlists_update_items",
    "remove-tracks-playlist": "spotify_playlists_remove_items",
    "create-playlist-for-user": "spotify_me_playlists_create",
}
