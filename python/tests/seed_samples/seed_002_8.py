# SPDX-License-Identifier: Apache-2.0
# Seed 002 (Auth (user guide)), "Built-in File Cache": lines 117-123 of ../shared/seeds/002_02c3611578e40113.txt, verbatim.
from spotify_sdk.auth import AuthorizationCode, FileTokenCache

cache = FileTokenCache(path=".cache/spotify-sdk/token.json")
auth = AuthorizationCode(
    scope="user-read-private",
    token_cache=cache,
)
