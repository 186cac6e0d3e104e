# SPDX-License-Identifier: Apache-2.0
# Seed 002 (Auth (user guide)), "TokenInfo": lines 133-140 of ../shared/seeds/002_02c3611578e40113.txt, verbatim.
from spotify_sdk.auth import TokenInfo

token = TokenInfo(
    access_token="...",
    expires_at=1700000000.0,
    refresh_token="...",
    scope="user-read-private playlist-read-private",
)
