/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/decode.c - the runtime decoder: a parsed JSON document -> model structs,
 * driven by the descriptor tables (api/models_desc.h). One walk over the
 * document's members in order; no per-type code.
 *
 * The JSON path of an error is built only when one happens: each level
 * prepends its key or index to the message while the failure returns up the
 * recursion, so the successful path pays nothing for it.
 */
#include "decode.h"

#include <stdio.h>
#include <string.h>

#include "../core/error.h"
#include "../core/strbuf.h"

/* Longest path kept in a message; longer ones lose their beginning ("..."). */
#define PATH_MAX_LEN 160

typedef struct decoder {
    spotify__arena *arena;
    int depth;
    spotify_status status; /* of the failure: SPOTIFY_EPROTOCOL or SPOTIFY_ENOMEM */
    char problem[96];
    /* The failing path is written backwards: path[path_at..] holds it. */
    char path[PATH_MAX_LEN + 1];
    size_t path_at;
    bool truncated;
} decoder;

static bool decode_object(decoder *d, const spotify__type_desc *type, char *object,
                          spotify__json value);
static bool decode_union(decoder *d, const spotify__type_desc *type, char *object,
                         spotify__json value);

/*
 * Each decoding step says whether it stored a value, met a JSON null (which
 * the caller records: a null bit, a NULL list item, an error for a null in an
 * array of numbers), or failed (d->problem says why).
 */
typedef enum step { STEP_FAIL = 0, STEP_OK, STEP_NULL } step;

/* ---------- failures ---------- */

static step fail(decoder *d, spotify_status status, const char *problem)
{
    d->status = status;
    snprintf(d->problem, sizeof d->problem, "%s", problem);
    return STEP_FAIL;
}

static step fail_got(decoder *d, const char *expected, spotify__json_type got)
{
    d->status = SPOTIFY_EPROTOCOL;
    snprintf(d->problem, sizeof d->problem, "expected %s, got %s", expected,
             spotify__json_type_name(got));
    return STEP_FAIL;
}

/* `value` is not of the expected type: STEP_NULL when it is null. */
static step mismatch(decoder *d, const char *expected, spotify__json value)
{
    spotify__json_type got = spotify__json_type_of(value);
    return got == SPOTIFY__JSON_NULL ? STEP_NULL : fail_got(d, expected, got);
}

static step fail_oom(decoder *d)
{
    return fail(d, SPOTIFY_ENOMEM, "out of memory");
}

/* Puts `len` bytes of `s` in front of the path so far. */
static void path_prepend(decoder *d, const char *s, size_t len)
{
    if (d->truncated)
        return;
    if (len > d->path_at) {
        d->truncated = true;
        return;
    }
    d->path_at -= len;
    memcpy(d->path + d->path_at, s, len);
}

static void path_prepend_key(decoder *d, const char *key, size_t len)
{
    path_prepend(d, key, len);
    path_prepend(d, ".", 1);
}

static void path_prepend_index(decoder *d, size_t index)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "[%zu]", index);
    if (n > 0)
        path_prepend(d, buf, (size_t)n);
}

/* The final error: "tracks.items[3].duration_ms: expected integer, got string". */
static spotify_status report(decoder *d, spotify_error *err)
{
    if (d->status == SPOTIFY_ENOMEM)
        return spotify__error_oom(err);
    const char *path = d->path + d->path_at;
    if (*path == '.')
        path++;
    if (*path == '\0')
        return spotify__error_set(err, d->status, 0, "JSON top level: %s", d->problem);
    return spotify__error_set(err, d->status, 0, "%s%s: %s", d->truncated ? "..." : "", path,
                              d->problem);
}

/* ---------- stores (memcpy: the members have their own pointer types) ---------- */

static void store_ptr(char *dst, const void *ptr)
{
    memcpy(dst, &ptr, sizeof ptr);
}

static void store_list(char *dst, void *items, size_t count)
{
    memcpy(dst + offsetof(spotify__list_layout, items), &items, sizeof items);
    memcpy(dst + offsetof(spotify__list_layout, count), &count, sizeof count);
}

static void store_enum(char *dst, int value, const char *text)
{
    memcpy(dst + offsetof(spotify__enum_layout, value), &value, sizeof value);
    memcpy(dst + offsetof(spotify__enum_layout, text), &text, sizeof text);
}

/* ---------- scalars ---------- */

static step decode_string(decoder *d, char *dst, spotify__json value)
{
    const char *s;
    if (!spotify__json_get_string(value, &s, NULL))
        return mismatch(d, "string", value);
    store_ptr(dst, s);
    return STEP_OK;
}

static step decode_int(decoder *d, char *dst, spotify__json value)
{
    int64_t i;
    double x;
    if (spotify__json_get_int64(value, &i)) {
        memcpy(dst, &i, sizeof i);
        return STEP_OK;
    }
    switch (spotify__json_type_of(value)) {
    case SPOTIFY__JSON_UINT:
        return fail(d, SPOTIFY_EPROTOCOL, "integer out of range");
    case SPOTIFY__JSON_DOUBLE:
        /* 3.0 reads as 3; 3.5 is not an integer; 1e19 does not fit. */
        spotify__json_get_double(value, &x);
        if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0))
            return fail(d, SPOTIFY_EPROTOCOL, "integer out of range");
        i = (int64_t)x;
        if ((double)i != x)
            return fail_got(d, "integer", SPOTIFY__JSON_DOUBLE);
        memcpy(dst, &i, sizeof i);
        return STEP_OK;
    default:
        return mismatch(d, "integer", value);
    }
}

static step decode_number(decoder *d, char *dst, spotify__json value)
{
    double x;
    if (!spotify__json_get_double(value, &x))
        return mismatch(d, "number", value);
    memcpy(dst, &x, sizeof x);
    return STEP_OK;
}

static step decode_bool(decoder *d, char *dst, spotify__json value)
{
    bool b;
    if (!spotify__json_get_bool(value, &b))
        return mismatch(d, "boolean", value);
    memcpy(dst, &b, sizeof b);
    return STEP_OK;
}

/* The enum value of `text`, 0 when the enum does not list it. */
static int enum_value(const spotify__enum_desc *desc, const char *text, size_t len)
{
    for (uint32_t i = 0; i < desc->count; i++) {
        const spotify__enum_name *name = &desc->names[i];
        if (name->len == len && memcmp(name->text, text, len) == 0)
            return (int)i + 1;
    }
    return 0;
}

static step decode_enum(decoder *d, const spotify__enum_desc *desc, char *dst, spotify__json value)
{
    const char *s;
    size_t len;
    if (!spotify__json_get_string(value, &s, &len))
        return mismatch(d, "string", value);
    store_enum(dst, enum_value(desc, s, len), s);
    return STEP_OK;
}

/* Any JSON value, kept as compact text in the arena. */
static step decode_json_text(decoder *d, char *dst, spotify__json value)
{
    if (spotify__json_is_null(value))
        return STEP_NULL;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__json_writer w;
    spotify__jw_init(&w, &sb);
    spotify__jw_value(&w, value);
    char *text = NULL;
    if (spotify__jw_ok(&w))
        text = spotify__arena_strndup(d->arena, spotify__strbuf_cstr(&sb), sb.len);
    spotify__strbuf_release(&sb);
    if (text == NULL)
        return fail_oom(d);
    store_ptr(dst, text);
    return STEP_OK;
}

/* ---------- objects, oneOf, lists ---------- */

static bool set_meta(decoder *d, spotify_object_meta *meta, spotify__json value);
static step decode_list(decoder *d, const spotify__field_desc *field, char *dst,
                        spotify__json value);

/* An ARRAY type: `value`, a JSON array, into its one LIST member. */
static bool decode_array_type(decoder *d, const spotify__type_desc *type, char *object,
                              spotify__json value)
{
    spotify_object_meta *meta = (spotify_object_meta *)(void *)object;
    const spotify__field_desc *field = &type->fields[0];
    if (!set_meta(d, meta, value) ||
        decode_list(d, field, object + field->offset, value) != STEP_OK)
        return false;
    meta->present = (uint64_t)1 << field->index;
    return true;
}

/* `object` (zeroed, of `type`) from `value`, an object. */
static step decode_struct(decoder *d, const spotify__type_desc *type, char *object,
                          spotify__json value)
{
    bool ok = type->kind == SPOTIFY__TYPE_UNION ? decode_union(d, type, object, value)
                                                : decode_object(d, type, object, value);
    return ok ? STEP_OK : STEP_FAIL;
}

/* A new zeroed struct of `type`, decoded from `value` (an object). */
static step decode_pointer(decoder *d, const spotify__type_desc *type, char *dst,
                           spotify__json value)
{
    if (spotify__json_type_of(value) != SPOTIFY__JSON_OBJECT)
        return mismatch(d, "object", value);
    char *object = spotify__arena_calloc(d->arena, 1, type->size);
    if (object == NULL)
        return fail_oom(d);
    step s = decode_struct(d, type, object, value);
    if (s == STEP_OK)
        store_ptr(dst, object);
    return s;
}

/* Marks an object element that was JSON null. */
static void null_element(char *element, spotify__json value)
{
    spotify_object_meta *meta = (spotify_object_meta *)(void *)element;
    meta->doc_ = value.doc;
    meta->index_ = (uint32_t)value.index;
    meta->flags_ = SPOTIFY_META_JSON_NULL;
}

/* One array element, decoded in place. A null string reads as NULL, a null
 * object as an element flagged with SPOTIFY_META_JSON_NULL; a null number
 * or boolean has no representation and fails. */
static step decode_element(decoder *d, const spotify__field_desc *field, char *element,
                           spotify__json value)
{
    step s;
    switch (field->elem_kind) {
    case SPOTIFY__FIELD_STRING:
        return decode_string(d, element, value) == STEP_FAIL ? STEP_FAIL : STEP_OK;
    case SPOTIFY__FIELD_ENUM:
        s = decode_enum(d, field->enum_desc, element, value);
        return s == STEP_FAIL ? STEP_FAIL : STEP_OK;
    case SPOTIFY__FIELD_INT:
        s = decode_int(d, element, value);
        return s == STEP_NULL ? fail_got(d, "integer", SPOTIFY__JSON_NULL) : s;
    case SPOTIFY__FIELD_NUMBER:
        s = decode_number(d, element, value);
        return s == STEP_NULL ? fail_got(d, "number", SPOTIFY__JSON_NULL) : s;
    case SPOTIFY__FIELD_BOOL:
        s = decode_bool(d, element, value);
        return s == STEP_NULL ? fail_got(d, "boolean", SPOTIFY__JSON_NULL) : s;
    case SPOTIFY__FIELD_OBJECT:
    case SPOTIFY__FIELD_UNION:
        if (spotify__json_type_of(value) == SPOTIFY__JSON_OBJECT)
            return decode_struct(d, field->type, element, value);
        if (mismatch(d, "object", value) == STEP_FAIL)
            return STEP_FAIL;
        null_element(element, value);
        return STEP_OK;
    default:
        return fail(d, SPOTIFY_EPROTOCOL, "unsupported array element");
    }
}

/* An array: one allocation of count x element size, elements decoded in place. */
static step decode_list(decoder *d, const spotify__field_desc *field, char *dst,
                        spotify__json value)
{
    if (spotify__json_type_of(value) != SPOTIFY__JSON_ARRAY)
        return mismatch(d, "array", value);
    size_t count = spotify__json_count(value);
    size_t size = spotify__element_size(field);
    char *items = NULL;
    if (count > 0) {
        items = spotify__arena_calloc(d->arena, count, size);
        if (items == NULL)
            return fail_oom(d);
    }
    /* Arrays of strings (available_markets: hundreds per album) in one pass
     * over the tape; anything else, a null included, takes the walk below. */
    if (field->elem_kind == SPOTIFY__FIELD_STRING && size == sizeof(const char *) &&
        spotify__json_strings(value, (const char **)(void *)items, count) == count) {
        store_list(dst, items, count);
        return STEP_OK;
    }
    /* The count is exact, so the walk needs no end test; a handle past the
     * end would read as a wrong type, never out of bounds. */
    spotify__json e = spotify__json_first(value);
    for (size_t i = 0; i < count; i++, e = spotify__json_next(e)) {
        if (decode_element(d, field, items + i * size, e) == STEP_FAIL) {
            path_prepend_index(d, i);
            return STEP_FAIL;
        }
    }
    store_list(dst, items, count);
    return STEP_OK;
}

static step decode_field(decoder *d, const spotify__field_desc *field, char *dst,
                         spotify__json value)
{
    switch (field->kind) {
    case SPOTIFY__FIELD_STRING:
        return decode_string(d, dst, value);
    case SPOTIFY__FIELD_INT:
        return decode_int(d, dst, value);
    case SPOTIFY__FIELD_NUMBER:
        return decode_number(d, dst, value);
    case SPOTIFY__FIELD_BOOL:
        return decode_bool(d, dst, value);
    case SPOTIFY__FIELD_ENUM:
        return decode_enum(d, field->enum_desc, dst, value);
    case SPOTIFY__FIELD_OBJECT:
    case SPOTIFY__FIELD_UNION:
        return decode_pointer(d, field->type, dst, value);
    case SPOTIFY__FIELD_LIST:
        return decode_list(d, field, dst, value);
    case SPOTIFY__FIELD_JSON:
        return decode_json_text(d, dst, value);
    default:
        return fail(d, SPOTIFY_EPROTOCOL, "unsupported member kind");
    }
}

static bool set_meta(decoder *d, spotify_object_meta *meta, spotify__json value)
{
    if (value.index > UINT32_MAX) {
        fail(d, SPOTIFY_EPROTOCOL, "document too large");
        return false;
    }
    meta->doc_ = value.doc;
    meta->index_ = (uint32_t)value.index;
    return true;
}

/* `value` is an object; `object` a zeroed struct of `type`. Members are
 * visited in document order; each key's descriptor comes from the type's
 * perfect hash. */
static bool decode_object(decoder *d, const spotify__type_desc *type, char *object,
                          spotify__json value)
{
    spotify_object_meta *meta = (spotify_object_meta *)(void *)object;
    if (++d->depth > SPOTIFY__MODEL_MAX_DEPTH) {
        fail(d, SPOTIFY_EPROTOCOL, "nesting too deep");
        return false;
    }
    if (!set_meta(d, meta, value))
        return false;
    uint64_t present = 0;
    uint64_t nulls = 0;
    size_t count = spotify__json_count(value);
    spotify__json m = spotify__json_first(value);
    for (size_t i = 0; i < count; i++, m = spotify__json_next(m)) {
        const char *key;
        size_t len;
        if (!spotify__json_key(m, &key, &len)) {
            fail(d, SPOTIFY_EPROTOCOL, "malformed document");
            return false;
        }
        const spotify__field_desc *field = spotify__find_field(type, key, len);
        if (field == NULL)
            continue; /* unknown member: kept in the document */
        uint64_t bit = (uint64_t)1 << field->index;
        present |= bit;
        step s = decode_field(d, field, object + field->offset, spotify__json_member_value(m));
        if (s == STEP_NULL) {
            nulls |= bit;
        } else if (s == STEP_OK) {
            nulls &= ~bit;
        } else {
            path_prepend_key(d, key, len);
            return false;
        }
    }
    meta->present = present;
    meta->null = nulls;
    d->depth--;
    return true;
}

/* oneOf: the alternative named by the tag member ("type"); an unknown or
 * missing tag leaves kind 0 and only the raw JSON. */
static bool decode_union(decoder *d, const spotify__type_desc *type, char *object,
                         spotify__json value)
{
    spotify_object_meta *meta = (spotify_object_meta *)(void *)object;
    if (!set_meta(d, meta, value))
        return false;
    const char *tag;
    size_t len;
    if (!spotify__json_get_string(spotify__json_get(value, type->tag_name), &tag, &len))
        return true;
    for (uint32_t i = 0; i < type->alt_count; i++) {
        const spotify__union_alt *alt = &type->alts[i];
        if (alt->tag_len != len || memcmp(alt->tag, tag, len) != 0)
            continue;
        char *chosen = spotify__arena_calloc(d->arena, 1, alt->type->size);
        if (chosen == NULL) {
            fail_oom(d);
            return false;
        }
        if (!decode_object(d, alt->type, chosen, value))
            return false;
        store_ptr(object + alt->offset, chosen);
        int kind = (int)i + 1;
        memcpy(object + type->kind_offset, &kind, sizeof kind);
        return true;
    }
    return true;
}

/* ---------- entry points ---------- */

spotify_status spotify__decode_into(void *object, const spotify__type_desc *type,
                                    spotify__arena *arena, spotify__json value, spotify_error *err)
{
    if (object == NULL || type == NULL || arena == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify__decode: bad argument");
    decoder d;
    d.arena = arena;
    d.depth = 0;
    d.status = SPOTIFY_OK;
    d.problem[0] = '\0';
    d.path_at = PATH_MAX_LEN;
    d.path[PATH_MAX_LEN] = '\0';
    d.truncated = false;
    spotify__json_type got = spotify__json_type_of(value);
    if (type->kind == SPOTIFY__TYPE_ARRAY) {
        if (got != SPOTIFY__JSON_ARRAY) {
            fail_got(&d, "array", got);
            return report(&d, err);
        }
        return decode_array_type(&d, type, object, value) ? SPOTIFY_OK : report(&d, err);
    }
    if (got != SPOTIFY__JSON_OBJECT) {
        fail_got(&d, "object", got);
        return report(&d, err);
    }
    return decode_struct(&d, type, object, value) == STEP_OK ? SPOTIFY_OK : report(&d, err);
}

spotify_status spotify__decode(void **out, const spotify__type_desc *type, spotify__arena *arena,
                               spotify__json value, spotify_error *err)
{
    if (out == NULL || type == NULL || arena == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify__decode: bad argument");
    *out = NULL;
    void *object = spotify__arena_calloc(arena, 1, type->size);
    if (object == NULL)
        return spotify__error_oom(err);
    spotify_status status = spotify__decode_into(object, type, arena, value, err);
    if (status == SPOTIFY_OK)
        *out = object;
    return status;
}
