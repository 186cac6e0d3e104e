# SPDX-License-Identifier: Apache-2.0
"""Beyond the reference package, with libspotify-sdk-redis: RedisTokenCache
(one token and one refresh for every process of an app) and RedisCooldown
(a 429 one client sees makes the others wait). Against a private
redis-server; skipped without one or without the Redis build."""

import shutil
import subprocess
import sys
import time

import pytest

import spotify_sdk._core as core
from spotify_sdk import SpotifyClient

from conftest import ALBUM, free_port

pytestmark = pytest.mark.skipif(not core.HAVE_REDIS or shutil.which("redis-server") is None,
                                reason="needs libspotify-sdk-redis and redis-server")


@pytest.fixture
def redis_url(tmp_path):
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import socket
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.skip("redis-server did not start")
            time.sleep(0.05)
    yield "redis://127.0.0.1:%d" % port
    proc.terminate()
    proc.wait(10)


def test_redis_token_cache_one_fetch_for_many_processes(emulator, redis_url):
    from spotify_sdk.auth import RedisTokenCache, TokenInfo

    code = ("import sys; from spotify_sdk.auth import ClientCredentials, RedisTokenCache; "
            "c = RedisTokenCache(sys.argv[1], client_id='demo-client'); "
            "a = ClientCredentials('demo-client', 'demo-secret', token_cache=c); "
            "print(a.get_access_token())")
    procs = [subprocess.Popen([sys.executable, "-c", code, redis_url], stdout=subprocess.PIPE,
                              text=True) for _ in range(5)]
    tokens = set()
    for p in procs:
        out, _ = p.communicate(timeout=60)
        assert p.returncode == 0
        tokens.add(out.strip())
    assert len(tokens) == 1
    assert emulator.token_requests()["client_credentials"] == 1
    cache = RedisTokenCache(redis_url, client_id="demo-client")
    assert isinstance(cache.get(), TokenInfo) and cache.get().access_token in tokens


def test_redis_cooldown_is_shared(emulator, redis_url):
    from spotify_sdk.auth import RedisCooldown

    token = emulator.user_token()
    a = SpotifyClient(token, max_retries=0,
                      cooldown=RedisCooldown(redis_url, client_id="demo-client"))
    b = SpotifyClient(token, cooldown=RedisCooldown(redis_url, client_id="demo-client"))
    emulator.fault(route="/v1/albums/{id}", status=429, retry_after=2)
    with pytest.raises(Exception):
        a.albums.get(ALBUM)
    t0 = time.monotonic()
    assert b.albums.get(ALBUM).id == ALBUM  # waits out the cooldown a saw
    assert time.monotonic() - t0 > 1.0
    assert emulator.route_count("/v1/albums/{id}", 429) == 1
    a.close()
    b.close()
    with pytest.raises(TypeError):
        SpotifyClient(token, cooldown=object())
