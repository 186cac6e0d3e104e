# SPDX-License-Identifier: Apache-2.0
"""Auth helpers: client credentials, authorization code (and PKCE), token
caches, custom providers and the local authorization helpers."""

from __future__ import annotations

from typing import Callable

from .._async.auth import AsyncAuthorizationCode as _AsyncAuthorizationCode
from .._async.auth import AsyncAuthProvider, AsyncClientCredentials
from .._async.auth import authorize_local as _async_authorize_local
from .._auth_shared import FileTokenCache, InMemoryTokenCache, TokenCache, TokenInfo
from .._auth_shared import __all__ as _shared_all
from .._sync.auth import AuthorizationCode as _AuthorizationCode
from .._sync.auth import AuthProvider, ClientCredentials
from .._sync.auth import authorize_local as _authorize_local

__all__ = [
    "AsyncAuthProvider", "AsyncAuthorizationCode", "AsyncAuthorizationCodePKCE",
    "AsyncClientCredentials", "AuthProvider", "AuthorizationCode", "AuthorizationCodePKCE",
    "ClientCredentials", "FileTokenCache", "InMemoryTokenCache", "TokenCache", "TokenInfo",
    "async_authorize_local", "authorize_local",
]

if "RedisTokenCache" in _shared_all:  # with libspotify-sdk-redis (beyond spotify-sdk 0.10)
    from .._auth_shared import RedisCooldown, RedisTokenCache  # noqa: F401

    __all__ += ["RedisTokenCache", "RedisCooldown"]


class AsyncAuthorizationCode(_AsyncAuthorizationCode):
    """Authorization code provider (asyncio), with authorize_local()."""

    async def authorize_local(
        self,
        *,
        state: str | None = None,
        show_dialog: bool = False,
        timeout: float = 300.0,
        open_browser: bool = True,
        authorization_url_handler: Callable[[str], None] | None = None,
    ) -> TokenInfo:
        return await _async_authorize_local(
            self,
            state=state,
            show_dialog=show_dialog,
            timeout=timeout,
            open_browser=open_browser,
            authorization_url_handler=authorization_url_handler,
        )


class AuthorizationCode(_AuthorizationCode):
    """Authorization code provider, with authorize_local()."""


class AuthorizationCodePKCE(AuthorizationCode):
    """Authorization code with PKCE: no client secret (beyond spotify-sdk 0.10)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs["pkce"] = True
        super().__init__(*args, **kwargs)


class AsyncAuthorizationCodePKCE(AsyncAuthorizationCode):
    """AuthorizationCodePKCE for asyncio (beyond spotify-sdk 0.10)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs["pkce"] = True
        super().__init__(*args, **kwargs)


async def async_authorize_local(
    auth: _AsyncAuthorizationCode,
    *,
    state: str | None = None,
    show_dialog: bool = False,
    timeout: float = 300.0,
    open_browser: bool = True,
    authorization_url_handler: Callable[[str], None] | None = None,
) -> TokenInfo:
    """Local authorization on the event loop (see authorize_local)."""
    return await _async_authorize_local(
        auth,
        state=state,
        show_dialog=show_dialog,
        timeout=timeout,
        open_browser=open_browser,
        authorization_url_handler=authorization_url_handler,
    )


def authorize_local(
    auth: _AuthorizationCode,
    *,
    state: str | None = None,
    show_dialog: bool = False,
    timeout: float = 300.0,
    open_browser: bool = True,
    authorization_url_handler: Callable[[str], None] | None = None,
) -> TokenInfo:
    """Open the browser, catch the loopback callback and exchange the code."""
    return _authorize_local(
        auth,
        state=state,
        show_dialog=show_dialog,
        timeout=timeout,
        open_browser=open_browser,
        authorization_url_handler=authorization_url_handler,
    )
