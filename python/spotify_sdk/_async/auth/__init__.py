# SPDX-License-Identifier: Apache-2.0
"""Async auth providers: the token requests run on the running event loop
(a libspotify-sdk async context), sharing one flight with every other
caller of the same provider."""

from __future__ import annotations

from typing import Callable, Protocol

from ... import _core
from ..._auth_shared import FileTokenCache, InMemoryTokenCache, TokenCache, TokenInfo

TOKEN_URL = "https://accounts.spotify.com/api/token"
AUTHORIZE_URL = "https://accounts.spotify.com/authorize"
ENV_CLIENT_ID = "SPOTIFY_SDK_CLIENT_ID"
ENV_CLIENT_SECRET = "SPOTIFY_SDK_CLIENT_SECRET"
ENV_REDIRECT_URI = "SPOTIFY_SDK_REDIRECT_URI"

__all__ = [
    "AUTHORIZE_URL", "ENV_CLIENT_ID", "ENV_CLIENT_SECRET", "ENV_REDIRECT_URI", "TOKEN_URL",
    "AsyncAuthProvider", "AsyncAuthorizationCode", "AsyncClientCredentials", "FileTokenCache",
    "InMemoryTokenCache", "TokenCache", "TokenInfo", "authorize_local",
]


class AsyncAuthProvider(Protocol):
    """Protocol for async auth providers."""

    async def get_access_token(self) -> str:
        """Return a valid access token (refreshing if needed)."""
        ...

    async def close(self) -> None:
        """Optional cleanup hook (default no-op)."""
        ...


class AsyncClientCredentials(_core.AsyncClientCredentials):
    """Client credentials auth provider (asyncio)."""

    async def get_access_token(self) -> str:
        return await self._token_future()

    async def close(self) -> None:
        self._close()


class AsyncAuthorizationCode(_core.AsyncAuthorizationCode):
    """Authorization code auth provider with refresh token support (asyncio)."""

    async def exchange_code(self, code: str) -> TokenInfo:
        return await self._exchange_future(code)

    async def get_access_token(self) -> str:
        return await self._token_future()

    async def close(self) -> None:
        self._close()


async def authorize_local(
    auth: AsyncAuthorizationCode,
    *,
    state: str | None = None,
    show_dialog: bool = False,
    timeout: float = 300.0,
    open_browser: bool = True,
    authorization_url_handler: Callable[[str], None] | None = None,
) -> TokenInfo:
    """Run a loopback authorization flow on the event loop and exchange the code."""
    return await auth._local_future(
        state=state,
        show_dialog=show_dialog,
        timeout=timeout,
        open_browser=open_browser,
        authorization_url_handler=authorization_url_handler,
    )
