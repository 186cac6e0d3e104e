# SPDX-License-Identifier: Apache-2.0
"""The auth layer: client credentials, the authorization code flow (and
PKCE), token caches (memory, file in the pure-Python package's format with a
cross-process single refresh, any object with get()/set()), custom auth
providers, and TokenInfo."""

import http.client
import json
import os
import stat
import subprocess
import sys
import time
import urllib.parse

import pytest

from spotify_sdk import SpotifyClient
from spotify_sdk._auth_shared import resolve_awaitable
from spotify_sdk._sync.auth import (AUTHORIZE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET,
                                    ENV_REDIRECT_URI, TOKEN_URL)
from spotify_sdk.auth import (AuthorizationCode, AuthorizationCodePKCE, ClientCredentials,
                              FileTokenCache, InMemoryTokenCache, TokenInfo)
from spotify_sdk.exceptions import AuthenticationError

from conftest import ALBUM

REDIRECT = "http://127.0.0.1:8765/callback"


def approve(emulator, url):
    """The consent page approved at once (auto_approve): the callback URL."""
    emulator.configure(auto_approve=True)
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", parts.path + "?" + parts.query)
    r = conn.getresponse()
    location = r.getheader("Location")
    conn.close()
    assert r.status in (302, 303), r.status
    return location


def test_constants():
    assert TOKEN_URL == "https://accounts.spotify.com/api/token"
    assert AUTHORIZE_URL == "https://accounts.spotify.com/authorize"
    assert (ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_REDIRECT_URI) == (
        "SPOTIFY_SDK_CLIENT_ID", "SPOTIFY_SDK_CLIENT_SECRET", "SPOTIFY_SDK_REDIRECT_URI")


def test_token_info():
    t = TokenInfo(access_token="a", expires_at=time.time() + 100)
    assert t.refresh_token is None and t.scope is None
    assert not t.is_expired(skew_seconds=30)
    assert t.is_expired(skew_seconds=200)
    with pytest.raises(Exception):
        t.access_token = "b"  # frozen dataclass
    assert resolve_awaitable(5) == 5

    async def five():
        return 5

    assert resolve_awaitable(five()) == 5


def test_client_credentials(emulator):
    auth = ClientCredentials("demo-client", "demo-secret")
    token = auth.get_access_token()
    assert isinstance(token, str) and token
    assert auth.get_access_token() == token
    assert emulator.token_requests()["client_credentials"] == 1
    auth.close()
    with pytest.raises(ValueError):
        ClientCredentials()
    with pytest.raises(ValueError):
        ClientCredentials("demo-client")


def test_client_credentials_from_environment(emulator, app_env):
    assert ClientCredentials().get_access_token()


def test_skew_and_expiry(emulator):
    emulator.configure(token_lifetime=20)
    auth = ClientCredentials("demo-client", "demo-secret", skew_seconds=30)
    a = auth.get_access_token()
    b = auth.get_access_token()  # within the skew: fetched again
    assert a != b
    assert emulator.token_requests()["client_credentials"] == 2


def test_memory_cache_shared(emulator):
    cache = InMemoryTokenCache()
    assert cache.get() is None
    a = ClientCredentials("demo-client", "demo-secret", token_cache=cache)
    b = ClientCredentials("demo-client", "demo-secret", token_cache=cache)
    assert a.get_access_token() == b.get_access_token()
    assert emulator.token_requests()["client_credentials"] == 1
    info = cache.get()
    assert isinstance(info, TokenInfo) and info.expires_at > time.time()
    cache.set(TokenInfo("abc123", time.time() + 500))
    assert cache.get().access_token == "abc123"


def test_file_cache_format_and_mode(emulator, tmp_path):
    path = tmp_path / "sub" / "token.json"
    cache = FileTokenCache(str(path))
    assert cache.get() is None
    auth = ClientCredentials("demo-client", "demo-secret", token_cache=cache)
    token = auth.get_access_token()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["access_token"] == token and isinstance(data["expires_at"], float)
    # The pure-Python package's file (four members) reads back.
    path.write_text(json.dumps({"access_token": "from-python", "expires_at": time.time() + 900,
                                "refresh_token": None, "scope": None}))
    info = FileTokenCache(path).get()  # a PathLike works too
    assert info == TokenInfo("from-python", info.expires_at)
    cache.set(TokenInfo("written", 1900000000.0, "r-token", "a b"))
    data = json.loads(path.read_text())
    assert (data["access_token"], data["expires_at"], data["refresh_token"], data["scope"]) == (
        "written", 1900000000.0, "r-token", "a b")
    path.write_text("{not json")
    assert cache.get() is None
    assert FileTokenCache().path == ".spotify_sdk_token.json"


def test_file_cache_one_refresh_across_processes(emulator, tmp_path):
    path = str(tmp_path / "shared.json")
    code = ("import sys; from spotify_sdk.auth import ClientCredentials, FileTokenCache; "
            "a = ClientCredentials('demo-client', 'demo-secret', token_cache=FileTokenCache(sys.argv[1])); "
            "print(len(a.get_access_token()))")
    procs = [subprocess.Popen([sys.executable, "-c", code, path], stdout=subprocess.PIPE)
             for _ in range(6)]
    for p in procs:
        out, _ = p.communicate(timeout=60)
        assert p.returncode == 0 and int(out) > 0
    assert emulator.token_requests()["client_credentials"] == 1


class DictCache:
    def __init__(self):
        self.token = None
        self.sets = 0

    def get(self):
        return self.token

    def set(self, token):
        assert isinstance(token, TokenInfo)
        self.sets += 1
        self.token = token


def test_python_object_cache(emulator):
    cache = DictCache()
    auth = ClientCredentials("demo-client", "demo-secret", token_cache=cache)
    token = auth.get_access_token()
    assert cache.sets == 1 and cache.token.access_token == token
    # A valid token in the cache is used without a request.
    other = ClientCredentials("demo-client", "demo-secret", token_cache=cache)
    assert other.get_access_token() == token
    assert emulator.token_requests()["client_credentials"] == 1
    with SpotifyClient(auth_provider=other) as client:
        assert client.albums.get(ALBUM).id == ALBUM


def test_python_cache_exception_propagates(emulator):
    class Broken:
        def get(self):
            raise KeyError("cache is down")

        def set(self, token):
            pass

    auth = ClientCredentials("demo-client", "demo-secret", token_cache=Broken())
    with pytest.raises(KeyError):
        auth.get_access_token()
    with pytest.raises(TypeError):
        ClientCredentials("demo-client", "demo-secret", token_cache=object())


def test_authorization_code_flow(emulator):
    auth = AuthorizationCode("demo-client", "demo-secret", REDIRECT,
                             scope=["user-read-private", "user-read-email"])
    url = auth.get_authorization_url(state="st4te", show_dialog=True)
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert q["client_id"] == ["demo-client"] and q["response_type"] == ["code"]
    assert q["redirect_uri"] == [REDIRECT] and q["state"] == ["st4te"]
    assert q["scope"] == ["user-read-private user-read-email"] and q["show_dialog"] == ["true"]
    url2 = auth.get_authorization_url(scope="playlist-read-private")
    assert "state" not in urllib.parse.parse_qs(urllib.parse.urlsplit(url2).query)
    assert "playlist-read-private" in url2

    callback = approve(emulator, url)
    code = AuthorizationCode.parse_response_url(callback, expected_state="st4te")
    info = auth.exchange_code(code)
    assert isinstance(info, TokenInfo) and info.refresh_token and "user-read-email" in info.scope
    with SpotifyClient(auth_provider=auth) as client:
        assert client.users.get_current_profile().email == "demo-user@example.com"
    # Expired: refreshed with the refresh token.
    emulator.control("POST", "expire-tokens")
    with SpotifyClient(auth_provider=auth) as client:
        assert client.users.get_current_profile().id == "demo-user"
    assert emulator.token_requests()["refresh_token"] == 1


def test_parse_response_url():
    p = AuthorizationCode.parse_response_url
    assert p("http://127.0.0.1:1/cb?code=abc&state=s", expected_state="s") == "abc"
    assert p("code=abc&state=s") == "abc"
    with pytest.raises(AuthenticationError):
        p("http://127.0.0.1:1/cb?code=abc&state=other", expected_state="s")
    with pytest.raises(AuthenticationError) as info:
        p("http://127.0.0.1:1/cb?error=access_denied&state=s", expected_state="s")
    assert "access_denied" in str(info.value)
    with pytest.raises(AuthenticationError):
        p("http://127.0.0.1:1/cb?state=s", expected_state="s")


def test_refresh_token_bootstrap(emulator):
    first = AuthorizationCode("demo-client", "demo-secret", REDIRECT)
    first.exchange_code(AuthorizationCode.parse_response_url(
        approve(emulator, first.get_authorization_url(state="x")), expected_state="x"))
    refresh = first.exchange_code  # noqa: F841 (only the cache matters below)
    token = InMemoryTokenCache()
    returning = AuthorizationCode("demo-client", "demo-secret", REDIRECT,
                                  refresh_token=emulator.control(
                                      "POST", "tokens", {"user": True})["refresh_token"],
                                  token_cache=token)
    assert returning.get_access_token()
    assert token.get().refresh_token


def test_pkce(emulator):
    auth = AuthorizationCodePKCE("demo-public", redirect_uri=REDIRECT, scope="user-read-private")
    url = auth.get_authorization_url(state="p")
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert q["code_challenge_method"] == ["S256"] and q["code_challenge"]
    info = auth.exchange_code(auth.parse_response_url(approve(emulator, url), expected_state="p"))
    assert info.refresh_token
    with SpotifyClient(auth_provider=auth) as client:
        assert client.users.get_current_profile().id == "demo-public-user"
    pkce = AuthorizationCode("demo-public", redirect_uri=REDIRECT, pkce=True)
    assert "code_challenge" in pkce.get_authorization_url()


def test_missing_settings(emulator):
    with pytest.raises(ValueError):
        AuthorizationCode("demo-client", "demo-secret")  # no redirect URI
    with pytest.raises(ValueError):
        AuthorizationCode(redirect_uri=REDIRECT)


class StaticProvider:
    def __init__(self, token):
        self.token = token
        self.calls = 0
        self.closed = False

    def get_access_token(self):
        self.calls += 1
        return self.token

    def close(self):
        self.closed = True


def test_custom_provider(emulator):
    provider = StaticProvider(emulator.user_token())
    client = SpotifyClient(auth_provider=provider)
    assert client.users.get_current_profile().id == "demo-user"
    assert provider.calls >= 1
    client.close()
    assert provider.closed


def test_custom_provider_exception_propagates(emulator):
    class Failing:
        def get_access_token(self):
            raise LookupError("no token today")

    with SpotifyClient(auth_provider=Failing()) as client:
        with pytest.raises(LookupError, match="no token today"):
            client.albums.get(ALBUM)
    with pytest.raises(TypeError):
        SpotifyClient(auth_provider=object())


def test_cache_refuses_tokens_that_cannot_be_sent():
    cache = InMemoryTokenCache()
    with pytest.raises(ValueError):
        cache.set(TokenInfo("has space", time.time() + 100))
    assert cache.get() is None


def test_skew_zero_means_none(emulator):
    emulator.configure(token_lifetime=20)
    auth = ClientCredentials("demo-client", "demo-secret", skew_seconds=0)
    assert auth.get_access_token() == auth.get_access_token()
    assert emulator.token_requests()["client_credentials"] == 1
