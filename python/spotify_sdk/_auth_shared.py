# SPDX-License-Identifier: Apache-2.0
"""Shared auth types: TokenInfo, the TokenCache protocol and the caches.

InMemoryTokenCache and FileTokenCache are libspotify-sdk's memory and file
caches (the file: mode 0600, atomic writes, a cross-process lock so that
processes sharing it refresh once; it reads and writes the pure-Python
package's format).
"""

from __future__ import annotations

import asyncio
import inspect
import time
from dataclasses import dataclass
from typing import Awaitable, Protocol, TypeVar, cast

from ._core import HAVE_REDIS, FileTokenCache, InMemoryTokenCache, _token_is_expired

_T = TypeVar("_T")

__all__ = ["TokenInfo", "TokenCache", "InMemoryTokenCache", "FileTokenCache",
           "resolve_awaitable"]

if HAVE_REDIS:  # libspotify-sdk-redis was there at build time (beyond spotify-sdk 0.10)
    from ._core import RedisCooldown, RedisTokenCache  # noqa: F401

    __all__ += ["RedisTokenCache", "RedisCooldown"]


@dataclass(frozen=True)
class TokenInfo:
    """Cached access token with expiry."""

    access_token: str
    expires_at: float
    refresh_token: str | None = None
    scope: str | None = None

    def is_expired(self, *, skew_seconds: int) -> bool:
        """Return True if the token is expired or within the skew window."""
        return _token_is_expired(self.expires_at, skew_seconds, time.time())


class TokenCache(Protocol):
    """Token cache interface."""

    def get(self) -> TokenInfo | None:
        """Return a cached token or None if missing."""

    def set(self, token: TokenInfo) -> None:
        """Store a token in the cache."""


def resolve_awaitable(value: _T | Awaitable[_T]) -> _T:
    """The value itself, or the result of running it when it is awaitable."""
    if inspect.isawaitable(value):
        awaitable = cast(Awaitable[_T], value)

        async def wait() -> _T:
            return await awaitable

        return asyncio.run(wait())
    return cast(_T, value)
