# SPDX-License-Identifier: Apache-2.0
# Seed 000 (Authorization Code + Refresh Token Authentication (design record)), "Constructor": lines 27-39 of ../shared/seeds/000_ee59eb61347c59b9.txt, verbatim.
from spotify_sdk.auth import AsyncAuthorizationCode
auth = AsyncAuthorizationCode(
client_id="...",
client_secret="...",
redirect_uri="http://127.0.0.1:8080/callback",
scope=["user-read-private", "playlist-read-private"],
refresh_token=None, # optional bootstrap for returning users
token_cache=None, # defaults to InMemoryTokenCache
timeout=30.0,
max_retries=3,
skew_seconds=30,
http_client=None,
)
