/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/api.h - one typed function per Web API operation, with its args struct, pager, collector
 * and batch helper (docs/api.md).
 *
 * The declarations are generated from Spotify's OpenAPI description by
 * tools/gen into spotify/gen/api.h (never edit that file); include this
 * header, or spotify/spotify.h, rather than the generated one.
 *
 * Threads: see the generated header.
 */
#ifndef SPOTIFY_API_H
#define SPOTIFY_API_H

#include "gen/api.h"

#endif /* SPOTIFY_API_H */
