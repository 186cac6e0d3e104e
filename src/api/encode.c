/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/encode.c - the runtime encoder: model structs -> JSON (request bodies),
 * driven by the same descriptor tables as the decoder (api/models_desc.h).
 *
 * A member is written when it is set: strings, JSON text, objects and lists
 * when non-NULL / non-empty, enums when their value or text is set, scalars
 * when their presence bit is; a member whose null bit is set is written as
 * null. Members come out in descriptor (alphabetical) order.
 */
#include "decode.h"

#include <string.h>

#include "../core/arena.h"

static void encode_object(spotify__json_writer *w, const spotify__type_desc *type,
                          const char *object, int depth);

static const void *load_ptr(const char *src)
{
    const void *ptr;
    memcpy(&ptr, src, sizeof ptr);
    return ptr;
}

static void fail(spotify__json_writer *w)
{
    w->failed = true;
}

/* A JSON member's text, parsed (so that only valid JSON goes out) and
 * written through the writer. */
static void encode_json_text(spotify__json_writer *w, const char *text)
{
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json value;
    if (arena == NULL ||
        spotify__json_parse(&value, arena, text, strlen(text), strlen(text), NULL) != SPOTIFY_OK)
        fail(w);
    else
        spotify__jw_value(w, value);
    spotify__arena_free(arena);
}

static void encode_enum(spotify__json_writer *w, const spotify__enum_desc *desc, const char *src)
{
    spotify__enum_layout e;
    memcpy(&e.value, src + offsetof(spotify__enum_layout, value), sizeof e.value);
    memcpy(&e.text, src + offsetof(spotify__enum_layout, text), sizeof e.text);
    if (e.value > 0 && (uint32_t)e.value <= desc->count)
        spotify__jw_string(w, desc->names[e.value - 1].text, desc->names[e.value - 1].len);
    else
        spotify__jw_cstring(w, e.text);
}

static bool enum_is_set(const char *src)
{
    spotify__enum_layout e;
    memcpy(&e.value, src + offsetof(spotify__enum_layout, value), sizeof e.value);
    memcpy(&e.text, src + offsetof(spotify__enum_layout, text), sizeof e.text);
    return e.value != 0 || e.text != NULL;
}

/* An object array element: null when it was decoded from a JSON null. */
static void encode_element_object(spotify__json_writer *w, const spotify__type_desc *type,
                                  const char *element, int depth)
{
    const spotify_object_meta *meta = (const spotify_object_meta *)(const void *)element;
    if ((meta->flags_ & SPOTIFY_META_JSON_NULL) != 0)
        spotify__jw_null(w);
    else
        encode_object(w, type, element, depth);
}

static void encode_element(spotify__json_writer *w, const spotify__field_desc *field,
                           const char *element, int depth)
{
    int64_t i;
    double x;
    bool b;
    switch (field->elem_kind) {
    case SPOTIFY__FIELD_STRING:
        spotify__jw_cstring(w, load_ptr(element));
        return;
    case SPOTIFY__FIELD_INT:
        memcpy(&i, element, sizeof i);
        spotify__jw_int64(w, i);
        return;
    case SPOTIFY__FIELD_NUMBER:
        memcpy(&x, element, sizeof x);
        spotify__jw_double(w, x);
        return;
    case SPOTIFY__FIELD_BOOL:
        memcpy(&b, element, sizeof b);
        spotify__jw_bool(w, b);
        return;
    case SPOTIFY__FIELD_ENUM:
        encode_enum(w, field->enum_desc, element);
        return;
    case SPOTIFY__FIELD_OBJECT:
    case SPOTIFY__FIELD_UNION:
        encode_element_object(w, field->type, element, depth);
        return;
    default:
        fail(w);
        return;
    }
}

static void encode_list(spotify__json_writer *w, const spotify__field_desc *field, const char *src,
                        int depth)
{
    spotify__list_layout list;
    memcpy(&list.items, src + offsetof(spotify__list_layout, items), sizeof list.items);
    memcpy(&list.count, src + offsetof(spotify__list_layout, count), sizeof list.count);
    if (list.items == NULL && list.count > 0) {
        fail(w);
        return;
    }
    size_t size = spotify__element_size(field);
    spotify__jw_begin_array(w);
    for (size_t i = 0; i < list.count && !w->failed; i++)
        encode_element(w, field, (const char *)list.items + i * size, depth);
    spotify__jw_end_array(w);
}

/* Whether a member is set (see the top of the file). */
static bool member_is_set(const spotify__field_desc *field, const char *src, bool present)
{
    switch (field->kind) {
    case SPOTIFY__FIELD_STRING:
    case SPOTIFY__FIELD_JSON:
    case SPOTIFY__FIELD_OBJECT:
    case SPOTIFY__FIELD_UNION:
        return present || load_ptr(src) != NULL;
    case SPOTIFY__FIELD_ENUM:
        return present || enum_is_set(src);
    case SPOTIFY__FIELD_LIST: {
        size_t count;
        memcpy(&count, src + offsetof(spotify__list_layout, count), sizeof count);
        return present || load_ptr(src + offsetof(spotify__list_layout, items)) != NULL ||
               count > 0;
    }
    default:
        return present;
    }
}

static void encode_member(spotify__json_writer *w, const spotify__field_desc *field,
                          const char *src, int depth)
{
    int64_t i;
    double x;
    bool b;
    const void *ptr;
    switch (field->kind) {
    case SPOTIFY__FIELD_STRING:
        spotify__jw_cstring(w, load_ptr(src));
        return;
    case SPOTIFY__FIELD_INT:
        memcpy(&i, src, sizeof i);
        spotify__jw_int64(w, i);
        return;
    case SPOTIFY__FIELD_NUMBER:
        memcpy(&x, src, sizeof x);
        spotify__jw_double(w, x);
        return;
    case SPOTIFY__FIELD_BOOL:
        memcpy(&b, src, sizeof b);
        spotify__jw_bool(w, b);
        return;
    case SPOTIFY__FIELD_ENUM:
        encode_enum(w, field->enum_desc, src);
        return;
    case SPOTIFY__FIELD_OBJECT:
    case SPOTIFY__FIELD_UNION:
        ptr = load_ptr(src);
        if (ptr == NULL)
            spotify__jw_null(w);
        else
            encode_object(w, field->type, ptr, depth);
        return;
    case SPOTIFY__FIELD_LIST:
        encode_list(w, field, src, depth);
        return;
    case SPOTIFY__FIELD_JSON:
        ptr = load_ptr(src);
        if (ptr == NULL)
            spotify__jw_null(w);
        else
            encode_json_text(w, ptr);
        return;
    default:
        fail(w);
        return;
    }
}

/* oneOf: the chosen alternative; an unknown one as the JSON it came from. */
static void encode_union(spotify__json_writer *w, const spotify__type_desc *type,
                         const char *object, int depth)
{
    int kind;
    memcpy(&kind, object + type->kind_offset, sizeof kind);
    if (kind > 0 && (uint32_t)kind <= type->alt_count) {
        const spotify__union_alt *alt = &type->alts[kind - 1];
        const void *chosen = load_ptr(object + alt->offset);
        if (chosen != NULL) {
            encode_object(w, alt->type, chosen, depth);
            return;
        }
    }
    const spotify_object_meta *meta = (const spotify_object_meta *)(const void *)object;
    if (meta->doc_ != NULL) {
        spotify__json raw = {meta->doc_, meta->index_};
        spotify__jw_value(w, raw);
    } else {
        spotify__jw_null(w);
    }
}

static void encode_object(spotify__json_writer *w, const spotify__type_desc *type,
                          const char *object, int depth)
{
    if (depth >= SPOTIFY__MODEL_MAX_DEPTH) {
        fail(w);
        return;
    }
    if (type->kind == SPOTIFY__TYPE_UNION) {
        encode_union(w, type, object, depth + 1);
        return;
    }
    if (type->kind == SPOTIFY__TYPE_ARRAY) {
        encode_list(w, &type->fields[0], object + type->fields[0].offset, depth + 1);
        return;
    }
    const spotify_object_meta *meta = (const spotify_object_meta *)(const void *)object;
    spotify__jw_begin_object(w);
    for (uint32_t f = 0; f < type->field_count && !w->failed; f++) {
        const spotify__field_desc *field = &type->fields[f];
        const char *src = object + field->offset;
        uint64_t bit = (uint64_t)1 << field->index;
        if ((meta->null & bit) != 0) {
            spotify__jw_key(w, field->name);
            spotify__jw_null(w);
            continue;
        }
        if (!member_is_set(field, src, (meta->present & bit) != 0))
            continue;
        spotify__jw_key(w, field->name);
        encode_member(w, field, src, depth + 1);
    }
    spotify__jw_end_object(w);
}

void spotify__encode(spotify__json_writer *w, const spotify__type_desc *type, const void *object)
{
    if (w == NULL)
        return;
    if (type == NULL || object == NULL) {
        fail(w);
        return;
    }
    encode_object(w, type, object, 0);
}
