# SPDX-License-Identifier: Apache-2.0
# Seed 002 (Auth (user guide)), "Client Credentials (sync)": lines 11-16 of ../shared/seeds/002_02c3611578e40113.txt, verbatim.
from spotify_sdk.auth import ClientCredentials

auth = ClientCredentials(
    client_id="your-client-id",
    client_secret="your-client-secret",
)
