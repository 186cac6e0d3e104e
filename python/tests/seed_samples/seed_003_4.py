# SPDX-License-Identifier: Apache-2.0
# Seed 003 (Client Credentials Authentication (design record)), "Provider Protocol": lines 101-111 of ../shared/seeds/003_7ab0d8a6d45eb149.txt, verbatim.
from __future__ import annotations

from typing import Protocol


class AsyncAuthProvider(Protocol):
    async def get_access_token(self) -> str:
        """Return a valid access token (refreshing if needed)."""

    async def close(self) -> None:
        """Optional cleanup hook (default no-op)."""
