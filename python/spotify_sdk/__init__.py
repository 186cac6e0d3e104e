# SPDX-License-Identifier: Apache-2.0
"""spotify_sdk: the Spotify Web API for Python, on libspotify-sdk.

API-compatible with spotify-sdk 0.10: the same clients, services, models,
auth classes and exceptions, with the HTTP, JSON, retries, tokens and caches
of the C library (spotify_sdk._core is the extension).
"""

from . import models  # noqa: F401  (registers the model classes with the extension)
from ._async._client import AsyncSpotifyClient
from ._core import version as _libspotify_sdk_version
from ._sync._client import SpotifyClient
from .exceptions import (
    AuthenticationError,
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    RateLimitError,
    ServerError,
    SpotifyError,
)

__version__ = "0.10.0"
libspotify_sdk_version = _libspotify_sdk_version()

__all__ = [
    # Clients
    "AsyncSpotifyClient",
    "SpotifyClient",
    # Exceptions
    "SpotifyError",
    "AuthenticationError",
    "BadRequestError",
    "ForbiddenError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
]
