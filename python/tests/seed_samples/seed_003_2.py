# SPDX-License-Identifier: Apache-2.0
# Seed 003 (Client Credentials Authentication (design record)), "Construction API: a custom provider": lines 56-64 of ../shared/seeds/003_7ab0d8a6d45eb149.txt, verbatim.
from spotify_sdk import AsyncSpotifyClient
from spotify_sdk.auth import AsyncClientCredentials

auth = AsyncClientCredentials(
    client_id="...",
    client_secret="...",
)

client = AsyncSpotifyClient(auth_provider=auth)
