# SPDX-License-Identifier: Apache-2.0
# Seed 000 (Authorization Code + Refresh Token Authentication (design record)), "Local helper functions": lines 60-69 of ../shared/seeds/000_ee59eb61347c59b9.txt, verbatim.
from spotify_sdk.auth import (
AsyncAuthorizationCode,
AuthorizationCode,
async_authorize_local,
authorize_local,
)
sync_auth = AuthorizationCode(scope="user-read-private")
sync_token = authorize_local(sync_auth) # local loopback helper
async_auth = AsyncAuthorizationCode(scope="user-read-private")
async_token = await async_authorize_local(async_auth)
