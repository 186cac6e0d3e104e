# SPDX-License-Identifier: Apache-2.0
# Seed 002 (Auth (user guide)), "Token Cache": lines 103-111 of ../shared/seeds/002_02c3611578e40113.txt, verbatim.
from typing import Protocol

from spotify_sdk.auth import TokenInfo


class TokenCache(Protocol):
    def get(self) -> TokenInfo | None: ...

    def set(self, token: TokenInfo) -> None: ...
