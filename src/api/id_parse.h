/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/id_parse.h - the ID parser behind spotify_id_parse (spotify/ids.h),
 * for callers that accept several types (an artist or a user) and want the
 * problem as text to put in their own message (the validator).
 *
 * Threads: pure, thread-safe.
 */
#ifndef SPOTIFY_API_ID_PARSE_H
#define SPOTIFY_API_ID_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <spotify/ids.h>

/* Every type's bit (1 << spotify_id_type), SPOTIFY_ID_ANY excluded. */
#define SPOTIFY__ID_ALL_TYPES (((uint32_t)1 << (SPOTIFY_ID_TYPE_MAX + 1)) - 2u)

/*
 * Parses a bare ID, URI or link whose type must be one of `types` (bits
 * 1 << spotify_id_type). A bare ID gets the type when `types` names only
 * one (or one catalogue type besides the user type and it is a base62 ID),
 * else SPOTIFY_ID_ANY; it is read as a user ID when it is not a base62 ID
 * and `types` allows users. false with `problem` (NUL-terminated,
 * `problem_size` bytes) describing why.
 */
bool spotify__id_parse_types(spotify_id *out, const char *input, uint32_t types, char *problem,
                             size_t problem_size);

/* True for a valid ID of `type` (user IDs by their own rules, ANY as a
 * catalogue ID). */
bool spotify__id_valid(spotify_id_type type, const char *id, size_t len);

#endif
