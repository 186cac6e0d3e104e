# SPDX-License-Identifier: Apache-2.0
"""SpotifyClient / AsyncSpotifyClient construction: the credential rules of
seed 003 (one of access_token, client credentials, auth_provider), the
environment, from_client_credentials, timeouts and retries, close() and the
context managers."""

import pytest

import spotify_sdk
from spotify_sdk import AsyncSpotifyClient, SpotifyClient
from spotify_sdk.auth import ClientCredentials
from spotify_sdk.exceptions import AuthenticationError, ConfigurationError, SpotifyError

from conftest import ALBUM


def test_exports():
    assert spotify_sdk.__all__ == [
        "AsyncSpotifyClient", "SpotifyClient", "SpotifyError", "AuthenticationError",
        "BadRequestError", "ForbiddenError", "NotFoundError", "RateLimitError", "ServerError",
    ]
    for name in spotify_sdk.__all__:
        assert hasattr(spotify_sdk, name)


@pytest.mark.parametrize("kwargs", [
    {"access_token": "tok", "client_id": "id"},
    {"access_token": "tok", "client_secret": "s"},
    {"access_token": "tok", "auth_provider": object()},
    {"client_id": "id", "client_secret": "s", "auth_provider": object()},
])
def test_ambiguous_credentials_are_errors(emulator, kwargs):
    if "auth_provider" in kwargs:
        kwargs["auth_provider"] = ClientCredentials("demo-client", "demo-secret")
    with pytest.raises(ValueError) as info:
        SpotifyClient(**kwargs)
    assert isinstance(info.value, ConfigurationError)


def test_no_credentials_is_an_error(emulator):
    with pytest.raises(ValueError):
        SpotifyClient()


def test_environment_client_credentials(emulator, monkeypatch):
    monkeypatch.setenv("SPOTIFY_SDK_CLIENT_ID", "demo-client")
    monkeypatch.setenv("SPOTIFY_SDK_CLIENT_SECRET", "demo-secret")
    with SpotifyClient() as client:
        assert client.albums.get(ALBUM).id == ALBUM
    # An explicit id takes its secret from the environment.
    with SpotifyClient(client_id="demo-client") as client:
        assert client.albums.get(ALBUM).id == ALBUM


def test_access_token(emulator):
    with SpotifyClient(emulator.user_token()) as client:
        assert client.users.get_current_profile().id == "demo-user"


def test_client_credentials_kwargs_and_classmethod(emulator):
    with SpotifyClient(client_id="demo-client", client_secret="demo-secret") as client:
        assert client.albums.get(ALBUM).name == "To Pimp A Butterfly"
    client = SpotifyClient.from_client_credentials(client_id="demo-client",
                                                   client_secret="demo-secret", timeout=5.0,
                                                   max_retries=1)
    assert isinstance(client, SpotifyClient)
    assert client.artists.get("2YZyLoL8N0Wb9xBt1NhZWg").name == "Kendrick Lamar"
    client.close()
    with pytest.raises(ValueError):
        SpotifyClient.from_client_credentials(client_id="demo-client")


def test_wrong_secret_is_authentication_error(emulator):
    with SpotifyClient(client_id="demo-client", client_secret="wrong") as client:
        with pytest.raises(AuthenticationError) as info:
            client.albums.get(ALBUM)
    assert "wrong" not in str(info.value)
    assert info.value.status_code == 400
    assert info.value.response_body["error"] == "invalid_client"


def test_close_then_use_again(emulator):
    provider = ClientCredentials("demo-client", "demo-secret")
    client = SpotifyClient(auth_provider=provider)
    assert client.albums.get(ALBUM).id == ALBUM
    client.close()
    client.close()
    # As with the reference package, a closed client opens again on use.
    assert client.albums.get(ALBUM).id == ALBUM
    client.close()
    assert emulator.token_requests()["client_credentials"] == 1


def test_services_are_attributes(emulator):
    client = SpotifyClient(access_token="x")
    for name in ("albums", "artists", "audiobooks", "chapters", "episodes", "library", "player",
                 "playlists", "search", "shows", "tracks", "users"):
        assert hasattr(client, name)
    assert type(client.albums).__name__ == "AlbumService"
    assert "get(id, market=None)" in type(client.albums).get.__doc__
    with pytest.raises(TypeError):
        client.albums.get()
    with pytest.raises(TypeError):
        client.albums.get(ALBUM, nope=1)
    with pytest.raises(TypeError):
        client.albums.get(ALBUM, "SE", "extra")
    client.close()


def test_timeout_applies(emulator):
    emulator.configure(latency_ms=1500)
    with SpotifyClient(access_token=emulator.user_token(), timeout=0.3, max_retries=0) as client:
        with pytest.raises(SpotifyError) as info:
            client.albums.get(ALBUM)
    assert "timed out" in str(info.value) or "timeout" in str(info.value).lower()


async def test_async_client_context_manager(emulator):
    async with AsyncSpotifyClient.from_client_credentials(
            client_id="demo-client", client_secret="demo-secret") as client:
        album = await client.albums.get(ALBUM)
        assert album.name == "To Pimp A Butterfly"
    assert isinstance(client, AsyncSpotifyClient)
