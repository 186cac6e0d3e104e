/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_decode.c - libFuzzer target for the table-driven model decoder.
 *
 * The first byte picks one of the generated model types; the rest is the
 * body. Checks: a success yields a model whose raw JSON re-parses and which
 * re-encodes; a failure is a protocol (or out-of-memory) error with a
 * NUL-terminated message and no model.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <spotify/spotify.h>

#include "api/decode.h"
#include "api/models_desc.h"
#include "core/arena.h"
#include "fuzz_check.h"
#include "json/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The model's raw JSON must itself be valid JSON. */
static void check_raw_json(const void *model)
{
    char *raw = NULL;
    size_t len = 0;
    FUZZ_CHECK(spotify_model_raw_json(&raw, &len, model, NULL) == SPOTIFY_OK);
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root;
    FUZZ_CHECK(spotify__json_parse(&root, arena, raw, len, len, NULL) == SPOTIFY_OK);
    spotify__arena_free(arena);
    spotify_free(raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const spotify__type_desc *type = spotify__model_types[data[0] % spotify__model_type_count];
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    void *model = NULL;
    spotify_error err;
    spotify_error_clear(&err);
    spotify_status st = spotify__model_decode_buffer(&model, type, body, len, len, &err);
    if (st != SPOTIFY_OK) {
        FUZZ_CHECK(model == NULL);
        FUZZ_CHECK(st == SPOTIFY_EPROTOCOL || st == SPOTIFY_ENOMEM);
        FUZZ_CHECK(memchr(err.message, '\0', sizeof err.message) != NULL);
        return 0;
    }
    FUZZ_CHECK(model != NULL);
    check_raw_json(model);
    char *encoded = NULL;
    FUZZ_CHECK(spotify_model_encode(&encoded, NULL, type, model, NULL) == SPOTIFY_OK);
    spotify_free(encoded);
    spotify_model_free(model);
    return 0;
}
