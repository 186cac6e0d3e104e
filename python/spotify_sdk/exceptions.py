# SPDX-License-Identifier: Apache-2.0
"""Exception classes for the Spotify SDK (as spotify-sdk 0.10 declares them).

The extension raises them for the C library's error categories: 400
BadRequestError, 401 and OAuth failures AuthenticationError, 403
ForbiddenError, 404 NotFoundError, 429 RateLimitError (retry_after in
seconds), 5xx ServerError, anything else SpotifyError. Messages come from
libspotify-sdk, already redacted (no token, secret or code in them).
"""

from __future__ import annotations

from typing import Any


class SpotifyError(Exception):
    """Base exception for all Spotify SDK errors."""

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        response_body: dict[str, Any] | None = None,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.response_body = response_body
        super().__init__(message)


class AuthenticationError(SpotifyError):
    """Invalid or expired authentication credentials."""


class BadRequestError(SpotifyError):
    """Invalid request parameters."""


class ForbiddenError(SpotifyError):
    """Insufficient permissions for this operation."""


class NotFoundError(SpotifyError):
    """Requested resource does not exist."""


class RateLimitError(SpotifyError):
    """Rate limit exceeded."""

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        response_body: dict[str, Any] | None = None,
        *,
        retry_after: int = 0,
    ) -> None:
        super().__init__(message, status_code, response_body)
        self.retry_after = retry_after


class ServerError(SpotifyError):
    """Spotify API server error."""


# Beyond spotify-sdk 0.10: the arguments and settings libspotify-sdk checks
# before anything is sent. Both are ValueErrors, as the reference package's
# own checks are.


class InvalidArgumentError(BadRequestError, ValueError):
    """An argument Spotify would refuse (checked before sending)."""


class ConfigurationError(SpotifyError, ValueError):
    """Missing or contradictory credentials or settings."""
