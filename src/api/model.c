/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/model.c - the public model API (spotify/model_runtime.h): decoding a
 * body into a top-level model that owns its arena, freeing it, raw JSON and
 * encoding.
 *
 * A top-level model is allocated right after a hidden header in its own
 * arena; the header holds the arena, so spotify_model_free(model) needs
 * nothing else:
 *
 *   arena: [ document tape + strings ][ header | struct ][ nested structs, arrays ]
 */
#include "decode.h"

#include <stdalign.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "../core/strbuf.h"

typedef union model_header {
    struct {
        spotify__arena *arena;
        const spotify__type_desc *type;
    } h;
    max_align_t align; /* keeps the struct after it aligned for anything */
} model_header;

/* First arena chunk for a body of `len` bytes, so that one chunk usually
 * holds everything: the document copy and the structs took 1.5x (a 71 KB
 * album) to 2.4x (a small array of strings) the body on the fixtures. */
static size_t first_chunk_size(size_t len)
{
    size_t size;
    if (!spotify__size_mul(len, 2, &size) || !spotify__size_add(size, 2048, &size))
        return 0;
    return size;
}

void *spotify__model_new(spotify__arena *arena, const spotify__type_desc *type)
{
    size_t size;
    if (arena == NULL || type == NULL ||
        !spotify__size_add(sizeof(model_header), type->size, &size))
        return NULL;
    model_header *header = spotify__arena_calloc(arena, 1, size);
    if (header == NULL)
        return NULL;
    header->h.arena = arena;
    header->h.type = type;
    return header + 1;
}

spotify__arena *spotify__model_arena(const void *model)
{
    if (model == NULL)
        return NULL;
    const model_header *header = (const model_header *)model - 1;
    return header->h.arena;
}

spotify_status spotify__model_decode_buffer(void **out, const spotify__type_desc *type,
                                            const char *data, size_t len, size_t capacity,
                                            spotify_error *err)
{
    if (out == NULL || type == NULL || (data == NULL && len > 0) || capacity < len)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_model_decode: bad argument");
    *out = NULL;
    spotify__arena *arena = spotify__arena_new(first_chunk_size(len));
    if (arena == NULL)
        return spotify__error_oom(err);
    spotify__json root;
    spotify_status status = spotify__json_parse(&root, arena, data, len, capacity, err);
    void *model = NULL;
    if (status == SPOTIFY_OK) {
        model = spotify__model_new(arena, type);
        status = model == NULL ? spotify__error_oom(err)
                               : spotify__decode_into(model, type, arena, root, err);
    }
    if (status != SPOTIFY_OK) {
        spotify__arena_free(arena);
        return status;
    }
    *out = model;
    return SPOTIFY_OK;
}

spotify_status spotify_model_decode(void **out, const spotify_model_type *type, const char *json,
                                    size_t len, spotify_error *err)
{
    return spotify__model_decode_buffer(out, type, json, len, len, err);
}

spotify_status spotify_json_validate(const char *json, size_t len, spotify_error *err)
{
    if (json == NULL && len > 0)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_json_validate: json is NULL");
    spotify__arena *arena = spotify__arena_new(first_chunk_size(len));
    if (arena == NULL)
        return spotify__error_oom(err);
    spotify__json root;
    spotify_status status = spotify__json_parse(&root, arena, json, len, len, err);
    spotify__arena_free(arena);
    return status;
}

void spotify_model_free(void *model)
{
    spotify__arena_free(spotify__model_arena(model));
}

/* Hands the text built in `sb` to the caller. */
static spotify_status detach(char **out, size_t *len, spotify__strbuf *sb, spotify_error *err)
{
    size_t n = 0;
    char *text = spotify__strbuf_detach(sb, &n);
    if (text == NULL)
        return spotify__error_oom(err);
    *out = text;
    if (len != NULL)
        *len = n;
    return SPOTIFY_OK;
}

spotify_status spotify_model_raw_json(char **out, size_t *len, const void *object,
                                      spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_model_raw_json: bad argument");
    *out = NULL;
    const spotify_object_meta *meta = object;
    if (meta == NULL || meta->doc_ == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_model_raw_json: the object was not decoded from JSON");
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__json_writer w;
    spotify__jw_init(&w, &sb);
    spotify__json value = {meta->doc_, meta->index_};
    spotify__jw_value(&w, value);
    if (!spotify__jw_ok(&w)) {
        spotify__strbuf_release(&sb);
        return spotify__error_oom(err);
    }
    return detach(out, len, &sb, err);
}

spotify_status spotify_model_encode(char **out, size_t *len, const spotify_model_type *type,
                                    const void *object, spotify_error *err)
{
    if (out == NULL || type == NULL || object == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_model_encode: bad argument");
    *out = NULL;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__json_writer w;
    spotify__jw_init(&w, &sb);
    spotify__encode(&w, type, object);
    if (!spotify__jw_ok(&w)) {
        bool oom = sb.failed;
        spotify__strbuf_release(&sb);
        if (oom)
            return spotify__error_oom(err);
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_model_encode: cannot encode %s (nesting too deep, a "
                                  "list without items, or invalid text in a JSON member)",
                                  type->name);
    }
    return detach(out, len, &sb, err);
}

const char *spotify_model_type_name(const spotify_model_type *type)
{
    return type == NULL ? "" : type->name;
}
