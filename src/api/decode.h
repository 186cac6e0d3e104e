/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/decode.h - the one runtime that turns JSON into model structs and model
 * structs into JSON, driven by the descriptor tables of api/models_desc.h.
 *
 * Decoding walks a parsed document (json/json.h) member by member in document
 * order, finds each key's descriptor with the type's perfect hash, and fills
 * zeroed structs allocated in the caller's arena. Strings point into the
 * document (which lives in the same arena): nothing is copied. Arrays become
 * one allocation of count x element size.
 *
 * Real responses win over the specification: missing "required" members read
 * as absent, null reads as absent-with-the-null-bit for any member, unknown
 * enum strings keep their text, unknown members are skipped (they stay in the
 * document, so raw JSON keeps them). Values of the wrong JSON type fail with
 * SPOTIFY_EPROTOCOL and a message naming the path
 * ("tracks.items[3].duration_ms: expected integer, got string").
 *
 * Threads: all functions are thread-safe; an arena and a writer belong to one
 * thread at a time.
 */
#ifndef SPOTIFY_API_DECODE_H
#define SPOTIFY_API_DECODE_H

#include <spotify/error.h>

#include "../core/arena.h"
#include "../json/json.h"
#include "../json/json_write.h"
#include "models_desc.h"

/* How deep models may nest (decoding and encoding); the schemas need ~10. */
#define SPOTIFY__MODEL_MAX_DEPTH 64

/*
 * Decodes `value` into a new struct of `type` allocated in `arena`. *out
 * (Borrowed from the arena) is NULL on failure. `value` must belong to a
 * document in the same arena (or one that outlives it).
 */
spotify_status spotify__decode(void **out, const spotify__type_desc *type, spotify__arena *arena,
                               spotify__json value, spotify_error *err);

/* The same into `object`, a zeroed struct of `type` the caller allocated. */
spotify_status spotify__decode_into(void *object, const spotify__type_desc *type,
                                    spotify__arena *arena, spotify__json value, spotify_error *err);

/*
 * Writes `object` (a struct of `type`) as a JSON object: the members that are
 * set (see spotify_model_encode in spotify/model_runtime.h). Errors are sticky
 * in the writer (w->failed): nesting too deep, invalid text in a JSON member,
 * out of memory.
 */
void spotify__encode(spotify__json_writer *w, const spotify__type_desc *type, const void *object);

/*
 * A new top-level model: a zeroed struct of `type` in `arena`, preceded by
 * the hidden header that lets spotify_model_free() find the arena. The model
 * then owns the arena. NULL on OOM.
 */
void *spotify__model_new(spotify__arena *arena, const spotify__type_desc *type);

/* The arena a top-level model owns. */
spotify__arena *spotify__model_arena(const void *model);

/*
 * Parses and decodes a whole body into a new top-level model that owns a new
 * arena. `capacity` bytes are readable at `data` (>= len); with
 * SPOTIFY__JSON_PADDING spare bytes the body is parsed in place. *out is Owned
 * (spotify_model_free), NULL on failure.
 */
spotify_status spotify__model_decode_buffer(void **out, const spotify__type_desc *type,
                                            const char *data, size_t len, size_t capacity,
                                            spotify_error *err);

#endif
