# SPDX-License-Identifier: Apache-2.0
# Seed 000 (Authorization Code + Refresh Token Authentication (design record)), "Methods": lines 41-58 of ../shared/seeds/000_ee59eb61347c59b9.txt, verbatim
# but for the indentation the page's text extraction dropped (restored here).
class AsyncAuthorizationCode:
    def get_authorization_url(
        self,
        *,
        state: str | None = None,
        scope: str | list[str] | tuple[str, ...] | None = None,
        show_dialog: bool = False,
    ) -> str: ...
    @staticmethod
    def parse_response_url(
        url: str,
        *,
        expected_state: str | None = None,
    ) -> str: # returns authorization code
        ...
    async def exchange_code(self, code: str) -> TokenInfo: ...
    async def get_access_token(self) -> str: ...
    async def close(self) -> None: ...
