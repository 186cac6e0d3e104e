/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/api_async.h - the async form of every Web API operation, with typed callbacks
 * (docs/async.md).
 *
 * The declarations are generated from Spotify's OpenAPI description by
 * tools/gen into spotify/gen/api_async.h (never edit that file); include this
 * header, or spotify/spotify.h, rather than the generated one.
 *
 * Threads: see the generated header.
 */
#ifndef SPOTIFY_API_ASYNC_H
#define SPOTIFY_API_ASYNC_H

#include "gen/api_async.h"

#endif /* SPOTIFY_API_ASYNC_H */
