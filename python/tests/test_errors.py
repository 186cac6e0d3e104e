# SPDX-License-Identifier: Apache-2.0
"""HTTP statuses -> the reference's exception classes, retries of 5xx and
429 (Retry-After, retry_after), 401 -> one refresh and replay, redaction."""

import pytest

from spotify_sdk import SpotifyClient
from spotify_sdk.auth import AuthorizationCode, ClientCredentials
from spotify_sdk.exceptions import (AuthenticationError, BadRequestError, ForbiddenError,
                                    NotFoundError, RateLimitError, ServerError, SpotifyError)

from conftest import ALBUM, answering_server


@pytest.mark.parametrize("status,cls", [
    (400, BadRequestError), (401, AuthenticationError), (403, ForbiddenError),
    (404, NotFoundError), (418, SpotifyError), (500, ServerError), (503, ServerError),
])
def test_status_to_class(emulator, status, cls):
    emulator.fault(route="/v1/albums/{id}", status=status, count=10)
    with SpotifyClient(emulator.user_token(), max_retries=1) as client:
        with pytest.raises(cls) as info:
            client.albums.get(ALBUM)
    e = info.value
    assert type(e) is cls or (cls is SpotifyError and type(e) is SpotifyError)
    assert e.status_code == status
    assert isinstance(e.response_body, dict)
    assert e.message == str(e)


def test_5xx_is_retried(emulator):
    emulator.fault(route="/v1/albums/{id}", status=503, count=2)
    with SpotifyClient(emulator.user_token()) as client:
        assert client.albums.get(ALBUM).id == ALBUM
    assert emulator.route_count("/v1/albums/{id}", 503) == 2


def test_rate_limit(emulator):
    emulator.fault(route="/v1/albums/{id}", status=429, retry_after=1, count=1)
    with SpotifyClient(emulator.user_token(), max_retries=0) as client:
        with pytest.raises(RateLimitError) as info:
            client.albums.get(ALBUM)
    assert info.value.retry_after == 1 and info.value.status_code == 429
    # With retries, one 429 is waited out.
    emulator.fault(route="/v1/albums/{id}", status=429, retry_after=1, count=1)
    with SpotifyClient(emulator.user_token()) as client:
        assert client.albums.get(ALBUM).id == ALBUM


def test_retry_after_values(emulator, monkeypatch):
    emulator.fault(route="/v1/albums/{id}", status=429, retry_after=3, count=1)
    with SpotifyClient(emulator.user_token(), max_retries=0) as client:
        with pytest.raises(RateLimitError) as info:
            client.albums.get(ALBUM)
    assert info.value.retry_after == 3
    # No Retry-After at all: 1, the reference's default.
    body = b'{"error": {"status": 429, "message": "slow down"}}'
    with answering_server(lambda path: (429, body)) as base:
        monkeypatch.setenv("SPOTIFY_SDK_API_BASE_URL", base)
        with SpotifyClient("token", max_retries=0) as client:
            with pytest.raises(RateLimitError) as info:
                client.albums.get(ALBUM)
    assert info.value.retry_after == 1 and info.value.status_code == 429
    assert info.value.response_body == {"error": {"status": 429, "message": "slow down"}}


def test_forbidden_scope(emulator):
    with SpotifyClient(client_id="demo-client", client_secret="demo-secret") as client:
        with pytest.raises(ForbiddenError):
            client.users.get_current_profile()


def test_401_refreshes_once_and_replays(emulator):
    provider = ClientCredentials("demo-client", "demo-secret")
    with SpotifyClient(auth_provider=provider) as client:
        assert client.albums.get(ALBUM).id == ALBUM
        emulator.control("POST", "expire-tokens")
        assert client.albums.get(ALBUM).id == ALBUM
    assert emulator.token_requests()["client_credentials"] == 2


def test_static_token_401(emulator):
    with SpotifyClient("not-a-valid-token") as client:
        with pytest.raises(AuthenticationError) as info:
            client.albums.get(ALBUM)
    assert info.value.status_code == 401
    assert "not-a-valid-token" not in str(info.value)


def test_transport_error(monkeypatch, emulator):
    from conftest import free_port
    monkeypatch.setenv("SPOTIFY_SDK_API_BASE_URL", "http://127.0.0.1:%d/v1" % free_port())
    with SpotifyClient("token", max_retries=0) as client:
        with pytest.raises(SpotifyError) as info:
            client.albums.get(ALBUM)
    assert type(info.value) is SpotifyError and info.value.status_code is None
    assert info.value.response_body is None


def test_messages_are_redacted(emulator):
    secret = "s3cr3t-that-must-not-leak"
    with SpotifyClient(client_id="demo-client", client_secret=secret) as client:
        with pytest.raises(AuthenticationError) as info:
            client.albums.get(ALBUM)
    assert secret not in str(info.value) and secret not in repr(info.value.response_body)


def test_oauth_errors_map_to_authentication_error(emulator):
    auth = AuthorizationCode("demo-client", "demo-secret", "http://127.0.0.1:9/callback")
    with pytest.raises(AuthenticationError) as info:
        auth.exchange_code("no-such-code")
    assert info.value.response_body["error"] == "invalid_grant"
    with pytest.raises(AuthenticationError):
        auth.get_access_token()  # nothing exchanged yet
