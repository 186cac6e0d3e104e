/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/models.h - the model types of the Web API (one struct per schema, presence bits, raw
 * JSON; docs/models.md).
 *
 * The declarations are generated from Spotify's OpenAPI description by
 * tools/gen into spotify/gen/models.h (never edit that file); include this
 * header, or spotify/spotify.h, rather than the generated one.
 *
 * Threads: see the generated header.
 */
#ifndef SPOTIFY_MODELS_H
#define SPOTIFY_MODELS_H

#include "gen/models.h"

#endif /* SPOTIFY_MODELS_H */
