# SPDX-License-Identifier: Apache-2.0
"""SpotifyClient: the blocking client (libspotify-sdk's spotify_client)."""

from __future__ import annotations

from .. import _core

__all__ = ["SpotifyClient"]


class SpotifyClient(_core.SpotifyClient):
    """Main client for interacting with the Spotify API.

    SpotifyClient(access_token=None, *, client_id=None, client_secret=None,
    auth_provider=None, timeout=30.0, max_retries=3). Services: albums,
    artists, audiobooks, chapters, episodes, library, player, playlists,
    search, shows, tracks, users. Blocking calls release the GIL, so threads
    sharing one client run their requests in parallel.
    """
