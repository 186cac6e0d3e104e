# SPDX-License-Identifier: Apache-2.0
# Seed 002 (Auth (user guide)), "Authorization Code (async)": lines 49-65 of ../shared/seeds/002_02c3611578e40113.txt, verbatim.
from spotify_sdk.auth import AsyncAuthorizationCode

auth = AsyncAuthorizationCode(
    client_id="your-client-id",
    client_secret="your-client-secret",
    redirect_uri="http://127.0.0.1:8080/callback",
    scope=["user-read-private", "playlist-read-private"],
)

state = "csrf-token-generated-by-app"
url = auth.get_authorization_url(state=state, show_dialog=True)
# Redirect user to `url` and capture callback URL in your app.
code = auth.parse_response_url(
    "http://127.0.0.1:8080/callback?code=...&state=...",
    expected_state=state,
)
await auth.exchange_code(code)
