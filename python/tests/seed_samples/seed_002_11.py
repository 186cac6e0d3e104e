# SPDX-License-Identifier: Apache-2.0
# Seed 002 (Auth (user guide)), "Auth Providers (async)": lines 153-159 of ../shared/seeds/002_02c3611578e40113.txt, verbatim.
from typing import Protocol


class AsyncAuthProvider(Protocol):
    async def get_access_token(self) -> str: ...

    async def close(self) -> None: ...
