# SPDX-License-Identifier: Apache-2.0
"""The asyncio half of spotify_sdk (as spotify-sdk 0.10 lays it out)."""
