# SPDX-License-Identifier: Apache-2.0
# Seed 000 (Authorization Code + Refresh Token Authentication (design record)), "Typical usage": lines 74-90 of ../shared/seeds/000_ee59eb61347c59b9.txt, verbatim
# but for the indentation the page's text extraction dropped (restored here).
from spotify_sdk import AsyncSpotifyClient
from spotify_sdk.auth import AsyncAuthorizationCode
auth = AsyncAuthorizationCode(
client_id="...",
client_secret="...",
redirect_uri="http://127.0.0.1:8080/callback",
scope=["user-read-private", "playlist-read-private"],
)
state = "csrf-token-generated-by-app"
authorize_url = auth.get_authorization_url(state=state, show_dialog=True)
# App redirects user to authorize_url, then receives callback URL:
callback_url = "http://127.0.0.1:8080/callback?code=...&state=..."
code = auth.parse_response_url(callback_url, expected_state=state)
await auth.exchange_code(code)
async with AsyncSpotifyClient(auth_provider=auth) as client:
    # token is refreshed transparently when expired
    ...
