# SPDX-License-Identifier: Apache-2.0
"""AsyncSpotifyClient and the async auth classes on asyncio: a
spotify_async context driven by the running loop (add_reader/add_writer/
call_later; no thread per request), one token fetch for many concurrent
calls, cancellation, coroutine semantics (create_task, asyncio.run)."""

import asyncio
import threading
import time
import urllib.parse

import pytest

from spotify_sdk import AsyncSpotifyClient
from spotify_sdk.auth import (AsyncAuthorizationCode, AsyncClientCredentials, FileTokenCache,
                              TokenInfo)
from spotify_sdk.exceptions import AuthenticationError, NotFoundError
from spotify_sdk.models import Album, Page

from conftest import ALBUM, TRACK, answering_server
from test_auth import REDIRECT, approve


async def test_get_and_errors(emulator):
    async with AsyncSpotifyClient(emulator.user_token()) as client:
        album = await client.albums.get(ALBUM)
        assert isinstance(album, Album) and isinstance(album.tracks, Page)
        me = await client.users.get_current_profile()
        assert me.id == "demo-user"
        with pytest.raises(NotFoundError):
            await client.albums.get("0000000000000000000000")
        with pytest.raises(ValueError):
            await client.albums.get("not an id")
        assert await client.player.get_playback_state() is None
        await client.library.save_items(["spotify:track:" + TRACK])
        assert await client.library.check_contains(["spotify:track:" + TRACK]) == [True]


async def test_100_concurrent_gets_share_one_token(emulator):
    auth = AsyncClientCredentials("demo-client", "demo-secret")
    async with AsyncSpotifyClient(auth_provider=auth) as client:
        albums = await asyncio.gather(*[client.albums.get(ALBUM) for _ in range(100)])
        assert all(a.id == ALBUM for a in albums)
        assert client._pending() == 0
    assert emulator.token_requests()["client_credentials"] == 1
    assert emulator.route_count("/v1/albums/{id}", 200) == 100


async def test_no_thread_per_request(emulator):
    emulator.configure(latency_ms=100)
    before = threading.active_count()
    async with AsyncSpotifyClient(emulator.user_token()) as client:
        t0 = time.monotonic()
        await asyncio.gather(*[client.tracks.get(TRACK) for _ in range(30)])
        elapsed = time.monotonic() - t0
        assert threading.active_count() == before
    assert elapsed < 1.0  # 30 x 100 ms in parallel on one thread


async def test_cancellation_cancels_the_transfer(emulator):
    emulator.configure(latency_ms=2000)
    async with AsyncSpotifyClient(emulator.user_token()) as client:
        task = asyncio.create_task(client.albums.get(ALBUM))
        await asyncio.sleep(0.2)
        assert client._pending() == 1
        t0 = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - t0 < 0.5
        await asyncio.sleep(0)
        assert client._pending() == 0
        emulator.configure(latency_ms=0)
        assert (await client.albums.get(ALBUM)).id == ALBUM
        # wait_for's timeout cancels the same way.
        emulator.configure(latency_ms=2000)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.albums.get(ALBUM), 0.2)
        await asyncio.sleep(0)
        assert client._pending() == 0


async def test_coroutine_semantics(emulator):
    client = AsyncSpotifyClient(emulator.user_token())
    call = client.albums.get(ALBUM)
    assert emulator.route_count("/v1/albums/{id}") == 0  # nothing sent until awaited
    assert (await asyncio.create_task(call)).id == ALBUM
    # Closing a started call (as the garbage collector closes an abandoned
    # coroutine) cancels its transfer.
    emulator.configure(latency_ms=2000)
    call = client.albums.get(ALBUM)
    call.send(None)  # the first step: the request is submitted
    assert client._pending() == 1
    call.close()
    await asyncio.sleep(0)
    assert client._pending() == 0
    await client.close()


def test_asyncio_run(emulator):
    client = AsyncSpotifyClient(client_id="demo-client", client_secret="demo-secret")
    assert asyncio.run(client.albums.get(ALBUM)).id == ALBUM
    # A second loop: the client makes a context for it.
    assert asyncio.run(client.tracks.get(TRACK)).id == TRACK
    asyncio.run(client.close())


async def test_async_client_credentials(emulator):
    auth = AsyncClientCredentials("demo-client", "demo-secret")
    tokens = await asyncio.gather(*[auth.get_access_token() for _ in range(10)])
    assert len(set(tokens)) == 1
    assert emulator.token_requests()["client_credentials"] == 1
    await auth.close()


async def test_python_cache_with_the_async_client(emulator):
    """A Python object with get()/set() as the cache of an async provider:
    the C provider calls it on the loop's thread (the GIL taken back while
    the context runs); 20 concurrent gets, one token fetch, one set()."""
    from test_auth import DictCache

    cache = DictCache()
    auth = AsyncClientCredentials("demo-client", "demo-secret", token_cache=cache)
    async with AsyncSpotifyClient(auth_provider=auth) as client:
        albums = await asyncio.gather(*[client.albums.get(ALBUM) for _ in range(20)])
    assert {a.id for a in albums} == {ALBUM}
    assert cache.sets == 1 and isinstance(cache.token, TokenInfo)
    assert emulator.token_requests()["client_credentials"] == 1
    # Another provider finds the valid token in the cache: no request.
    other = AsyncClientCredentials("demo-client", "demo-secret", token_cache=cache)
    assert await other.get_access_token() == cache.token.access_token
    assert emulator.token_requests()["client_credentials"] == 1
    await other.close()


async def test_async_authorization_code(emulator, tmp_path):
    cache = FileTokenCache(str(tmp_path / "token.json"))
    auth = AsyncAuthorizationCode("demo-client", "demo-secret", REDIRECT,
                                  scope=["user-read-private"], token_cache=cache)
    url = auth.get_authorization_url(state="s1")
    code = auth.parse_response_url(approve(emulator, url), expected_state="s1")
    info = await auth.exchange_code(code)
    assert isinstance(info, TokenInfo) and info.refresh_token
    assert cache.get().access_token == info.access_token
    assert await auth.get_access_token() == info.access_token
    async with AsyncSpotifyClient(auth_provider=auth) as client:
        assert (await client.users.get_current_profile()).id == "demo-user"
    with pytest.raises(AuthenticationError):
        await auth.exchange_code("used-or-unknown")


class AsyncProvider:
    def __init__(self, token):
        self.token = token
        self.calls = 0
        self.closed = False

    async def get_access_token(self):
        self.calls += 1
        await asyncio.sleep(0)
        return self.token

    async def close(self):
        self.closed = True


async def test_async_custom_provider(emulator):
    provider = AsyncProvider(emulator.user_token())
    client = AsyncSpotifyClient(auth_provider=provider)
    results = await asyncio.gather(*[client.users.get_current_profile() for _ in range(5)])
    assert {r.id for r in results} == {"demo-user"}
    assert provider.calls == 5
    await client.close()
    assert provider.closed


async def test_async_custom_provider_failure(emulator):
    class Failing:
        async def get_access_token(self):
            raise PermissionError("denied")

    async with AsyncSpotifyClient(auth_provider=Failing()) as client:
        with pytest.raises(PermissionError):
            await client.albums.get(ALBUM)


async def test_sync_provider_in_async_client(emulator):
    class Sync:
        def __init__(self, token):
            self.token = token

        def get_access_token(self):
            return self.token

    async with AsyncSpotifyClient(auth_provider=Sync(emulator.user_token())) as client:
        assert (await client.albums.get(ALBUM)).id == ALBUM


def test_sync_client_refuses_async_provider(emulator):
    from spotify_sdk import SpotifyClient

    with pytest.raises(TypeError):
        SpotifyClient(auth_provider=AsyncProvider("x"))


async def test_malformed_answer_raises_at_the_await(monkeypatch):
    """An answer is decoded by the task that awaits it (the request's
    Future carries it undecoded): a 200 that does not fit the model raises
    SpotifyError from the await, naming the member, and the client goes on."""
    from spotify_sdk.exceptions import SpotifyError

    def answer(path):
        name = b'"fine"' if path.endswith(ALBUM) else b"7"
        return 200, b'{"id": "%s", "name": %s, "type": "album"}' % (ALBUM.encode(), name)

    with answering_server(answer) as base:
        monkeypatch.setenv("SPOTIFY_SDK_API_BASE_URL", base)
        async with AsyncSpotifyClient("token", max_retries=0) as client:
            with pytest.raises(SpotifyError) as info:
                await client.albums.get("4aawyAB9vmqN3uQ7FjRGTy")  # "name": 7
            assert "name" in str(info.value) and "string" in str(info.value)
            assert (await client.albums.get(ALBUM)).name == "fine"


async def test_timeout_fires_on_the_loop(emulator):
    """libcurl's timers reach the loop through the context's one timer
    (call_later, kept while it fires no later than what is asked): a slow
    answer ends with the client's timeout, not the server's pace."""
    from spotify_sdk.exceptions import SpotifyError

    emulator.configure(latency_ms=3000)
    async with AsyncSpotifyClient(emulator.user_token(), timeout=0.3, max_retries=0) as client:
        t0 = time.monotonic()
        with pytest.raises(SpotifyError) as info:
            await client.albums.get(ALBUM)
        elapsed = time.monotonic() - t0
    assert info.value.status_code is None and "time" in str(info.value).lower()
    assert 0.25 <= elapsed < 2.0
