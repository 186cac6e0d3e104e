# SPDX-License-Identifier: Apache-2.0
"""Blocking auth providers: ClientCredentials, AuthorizationCode and the
local authorization helper, on libspotify-sdk's providers (token requests,
refresh, retries, single flight, caches: all in C)."""

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
    "AuthProvider", "AuthorizationCode", "ClientCredentials", "FileTokenCache",
    "InMemoryTokenCache", "TokenCache", "TokenInfo", "authorize_local",
]


class AuthProvider(Protocol):
    """Protocol for auth providers."""

    def get_access_token(self) -> str:
        """Return a valid access token (refreshing if needed)."""
        ...

    def close(self) -> None:
        """Optional cleanup hook (default no-op)."""
        ...


class ClientCredentials(_core.ClientCredentials):
    """Client credentials auth provider.

    ClientCredentials(client_id=None, client_secret=None, *, token_cache=None,
    timeout=30.0, max_retries=None, skew_seconds=30, http_client=None)
    """


class AuthorizationCode(_core.AuthorizationCode):
    """Authorization code auth provider with refresh token support.

    AuthorizationCode(client_id=None, client_secret=None, redirect_uri=None,
    *, scope=None, refresh_token=None, token_cache=None, timeout=30.0,
    max_retries=None, skew_seconds=30, http_client=None, pkce=False)
    """


def authorize_local(
    auth: AuthorizationCode,
    *,
    state: str | None = None,
    show_dialog: bool = False,
    timeout: float = 300.0,
    open_browser: bool = True,
    authorization_url_handler: Callable[[str], None] | None = None,
) -> TokenInfo:
    """Run a loopback authorization flow and exchange the callback code."""
    return _core.authorize_local(
        auth,
        state=state,
        show_dialog=show_dialog,
        timeout=timeout,
        open_browser=open_browser,
        authorization_url_handler=authorization_url_handler,
    )
