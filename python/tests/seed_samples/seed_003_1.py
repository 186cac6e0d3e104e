# SPDX-License-Identifier: Apache-2.0
# Seed 003 (Client Credentials Authentication (design record)), "Construction API": lines 38-48 of ../shared/seeds/003_7ab0d8a6d45eb149.txt, verbatim.
from spotify_sdk import SpotifyClient, AsyncSpotifyClient

client = SpotifyClient.from_client_credentials(
    client_id="...",
    client_secret="...",
)

async_client = AsyncSpotifyClient.from_client_credentials(
    client_id="...",
    client_secret="...",
)
