# SPDX-License-Identifier: Apache-2.0
# Seed 002 (Auth (user guide)), "Auth Providers (sync)": lines 146-152 of ../shared/seeds/002_02c3611578e40113.txt, verbatim.
from typing import Protocol


class AuthProvider(Protocol):
    def get_access_token(self) -> str: ...

    def close(self) -> None: ...
