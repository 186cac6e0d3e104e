# SPDX-License-Identifier: Apache-2.0
# Seed 002 (Auth (user guide)), "Client Credentials (async)": lines 17-22 of ../shared/seeds/002_02c3611578e40113.txt, verbatim.
from spotify_sdk.auth import AsyncClientCredentials

auth = AsyncClientCredentials(
    client_id="your-client-id",
    client_secret="your-client-secret",
)
