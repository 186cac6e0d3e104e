# SPDX-License-Identifier: Apache-2.0
"""authorize_local and its async twins on libspotify-sdk's loopback helper
(spotify_authorize_local / _async), with the scripted browser of the C
local-auth tests standing in for the user."""

import asyncio
import subprocess

import pytest

from spotify_sdk import SpotifyClient
from spotify_sdk.auth import (AsyncAuthorizationCode, AuthorizationCode, TokenInfo,
                              async_authorize_local, authorize_local)
from spotify_sdk.exceptions import AuthenticationError


def test_method_with_browser(app_env, fake_browser):
    auth = AuthorizationCode(scope="user-read-private")
    info = auth.authorize_local()
    assert isinstance(info, TokenInfo) and info.refresh_token
    with SpotifyClient(auth_provider=auth) as client:
        assert client.users.get_current_profile().id == "demo-user"


def test_function_with_url_handler(app_env, fake_browser, emulator):
    seen = []

    def handler(url):
        seen.append(url)
        subprocess.run([fake_browser, url], check=True, timeout=30)

    auth = AuthorizationCode(scope=["user-read-private"])
    info = authorize_local(auth, state="my-state", show_dialog=True, open_browser=False,
                           authorization_url_handler=handler)
    assert info.access_token and len(seen) == 1
    assert "state=my-state" in seen[0] and "show_dialog=true" in seen[0]
    assert emulator.token_requests()["authorization_code"] == 1


def test_denied(app_env, fake_browser, monkeypatch):
    monkeypatch.setenv("FAKE_BROWSER_MODE", "deny")
    with pytest.raises(AuthenticationError) as info:
        AuthorizationCode().authorize_local(timeout=30)
    assert "access_denied" in str(info.value)


def test_argument_checks(app_env, monkeypatch):
    auth = AuthorizationCode()
    with pytest.raises(ValueError):
        auth.authorize_local(open_browser=False)
    with pytest.raises(ValueError):
        auth.authorize_local(timeout=0)
    monkeypatch.setenv("SPOTIFY_SDK_REDIRECT_URI", "https://example.com/callback")
    with pytest.raises(ValueError):
        AuthorizationCode().authorize_local(open_browser=False,
                                            authorization_url_handler=lambda url: None)


def test_timeout(app_env):
    with pytest.raises(AuthenticationError):
        AuthorizationCode().authorize_local(timeout=0.3, open_browser=False,
                                            authorization_url_handler=lambda url: None)


def test_handler_exception_propagates(app_env):
    def handler(url):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        AuthorizationCode().authorize_local(open_browser=False, authorization_url_handler=handler)


async def test_refused_inside_an_event_loop(app_env):
    with pytest.raises(RuntimeError):
        authorize_local(AuthorizationCode(), open_browser=False,
                        authorization_url_handler=lambda url: None)


async def test_async_method_and_function(app_env, fake_browser):
    auth = AsyncAuthorizationCode(scope="user-read-private")
    info = await auth.authorize_local()
    assert isinstance(info, TokenInfo) and info.refresh_token
    assert await auth.get_access_token() == info.access_token
    again = await async_authorize_local(AsyncAuthorizationCode(), timeout=30)
    assert again.access_token != info.access_token


async def test_async_handler_drives_the_browser_while_the_loop_runs(app_env, fake_browser):
    procs = []

    def handler(url):  # must not block the loop: the server is on it
        procs.append(subprocess.Popen([fake_browser, url]))

    info = await async_authorize_local(AsyncAuthorizationCode(), open_browser=False,
                                       authorization_url_handler=handler)
    assert info.access_token
    assert procs[0].wait(10) == 0
    await asyncio.sleep(0)
