# SPDX-License-Identifier: Apache-2.0
"""AsyncSpotifyClient: the asyncio client (a spotify_async context driven
by the running event loop: no thread per request)."""

from __future__ import annotations

import inspect
from typing import Any

from .. import _core

__all__ = ["AsyncSpotifyClient"]


class AsyncSpotifyClient(_core.AsyncSpotifyClient):
    """Async client for interacting with the Spotify API.

    Same constructor as SpotifyClient; every service method is awaited.
    """

    async def close(self) -> None:
        """Close the client and release resources."""
        closing = self._close()
        if inspect.isawaitable(closing):
            await closing

    async def __aenter__(self) -> "AsyncSpotifyClient":
        return self

    async def __aexit__(self, *args: Any) -> None:
        await self.close()
