# SPDX-License-Identifier: Apache-2.0
# Seed 002 (Auth (user guide)), "Local Dev Helper (sync)": lines 71-75 of ../shared/seeds/002_02c3611578e40113.txt, verbatim.
from spotify_sdk.auth import AuthorizationCode

auth = AuthorizationCode(scope="user-read-private")
token_info = auth.authorize_local()
print(token_info.refresh_token)
