# SPDX-License-Identifier: Apache-2.0
# Seed 002 (Auth (user guide)), "Local Dev Helper (async)": lines 81-85 of ../shared/seeds/002_02c3611578e40113.txt, verbatim.
from spotify_sdk.auth import AsyncAuthorizationCode

auth = AsyncAuthorizationCode(scope="user-read-private")
token_info = await auth.authorize_local()
print(token_info.refresh_token)
