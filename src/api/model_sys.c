/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/model_sys.c - spotify/sys/model.h: the model descriptor tables
 * (api/models_desc.h) and the parsed JSON documents (json/json.h) seen
 * through a small public interface, for bindings. Nothing here decides
 * anything: each function reads a table or forwards to the JSON reader.
 */
#include <spotify/sys/model.h>

#include <string.h>

#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/error.h"
#include "../json/json.h"
#include "models_desc.h"

/* The public enums mirror the private ones number for number. */
_Static_assert((int)SPOTIFY_FIELD_STRING == (int)SPOTIFY__FIELD_STRING, "field kinds");
_Static_assert((int)SPOTIFY_FIELD_JSON == (int)SPOTIFY__FIELD_JSON, "field kinds");
_Static_assert((int)SPOTIFY_MODEL_KIND_OBJECT == (int)SPOTIFY__TYPE_OBJECT, "type kinds");
_Static_assert((int)SPOTIFY_MODEL_KIND_ARRAY == (int)SPOTIFY__TYPE_ARRAY, "type kinds");
_Static_assert((int)SPOTIFY_JSON_OBJECT == (int)SPOTIFY__JSON_OBJECT, "json types");
_Static_assert((int)SPOTIFY_JSON_UINT == (int)SPOTIFY__JSON_UINT, "json types");
_Static_assert((int)SPOTIFY_FIELD_REQUIRED == (int)SPOTIFY__FIELD_REQUIRED, "field flags");
_Static_assert((int)SPOTIFY_FIELD_NULLABLE == (int)SPOTIFY__FIELD_NULLABLE, "field flags");
_Static_assert((int)SPOTIFY_FIELD_DEPRECATED == (int)SPOTIFY__FIELD_DEPRECATED, "field flags");

/* ---------- reflection ---------- */

size_t spotify_model_type_count(void)
{
    return spotify__model_type_count;
}

const spotify_model_type *spotify_model_type_at(size_t index)
{
    return index < spotify__model_type_count ? spotify__model_types[index] : NULL;
}

const char *spotify_model_type_c_name(const spotify_model_type *type)
{
    return type == NULL ? "" : type->c_name;
}

spotify_model_kind spotify_model_type_kind(const spotify_model_type *type)
{
    return type == NULL ? (spotify_model_kind)0 : (spotify_model_kind)type->kind;
}

size_t spotify_model_type_size(const spotify_model_type *type)
{
    return type == NULL ? 0 : type->size;
}

size_t spotify_model_type_field_count(const spotify_model_type *type)
{
    if (type == NULL || type->kind == SPOTIFY__TYPE_UNION)
        return 0;
    return type->field_count;
}

spotify_status spotify_model_type_field(spotify_model_field *out, const spotify_model_type *type,
                                        size_t index)
{
    if (out == NULL || index >= spotify_model_type_field_count(type))
        return SPOTIFY_EINVALID;
    const spotify__field_desc *f = &type->fields[index];
    memset(out, 0, sizeof *out);
    out->name = f->name;
    out->name_len = f->name_len;
    out->offset = f->offset;
    out->kind = (spotify_field_kind)f->kind;
    out->index = f->index;
    out->flags = f->flags;
    out->type = f->type;
    if (f->kind == SPOTIFY__FIELD_LIST) {
        out->elem_kind = (spotify_field_kind)f->elem_kind;
        out->elem_size = spotify__element_size(f);
    }
    return SPOTIFY_OK;
}

int spotify_model_type_find_field(const spotify_model_type *type, const char *name, size_t len)
{
    if (spotify_model_type_field_count(type) == 0 || name == NULL || len == 0 || len > 255)
        return -1;
    /* The perfect hash reads key[len] (NUL-terminated document keys); a
     * caller's name need not be terminated, so compare by name instead. */
    for (size_t i = 0; i < type->field_count; i++) {
        const spotify__field_desc *f = &type->fields[i];
        if (f->name_len == len && memcmp(f->name, name, len) == 0)
            return (int)i;
    }
    return -1;
}

size_t spotify_model_type_alt_count(const spotify_model_type *type)
{
    return type != NULL && type->kind == SPOTIFY__TYPE_UNION ? type->alt_count : 0;
}

spotify_status spotify_model_type_alt(const char **tag, size_t *offset,
                                      const spotify_model_type **alt_type,
                                      const spotify_model_type *type, size_t index)
{
    if (index >= spotify_model_type_alt_count(type))
        return SPOTIFY_EINVALID;
    const spotify__union_alt *alt = &type->alts[index];
    if (tag != NULL)
        *tag = alt->tag;
    if (offset != NULL)
        *offset = alt->offset;
    if (alt_type != NULL)
        *alt_type = alt->type;
    return SPOTIFY_OK;
}

size_t spotify_model_type_kind_offset(const spotify_model_type *type)
{
    return type != NULL && type->kind == SPOTIFY__TYPE_UNION ? type->kind_offset : 0;
}

/* ---------- JSON ---------- */

static spotify__json to_internal(spotify_json_value v)
{
    spotify__json j = {(const spotify__json_doc *)v.doc_, v.index_};
    return j;
}

static spotify_json_value to_public(spotify__json j)
{
    spotify_json_value v = {j.doc, j.index};
    return v;
}

bool spotify_model_json(spotify_json_value *out, const void *object)
{
    if (out == NULL)
        return false;
    out->doc_ = NULL;
    out->index_ = 0;
    const spotify_object_meta *meta = object;
    if (meta == NULL || meta->doc_ == NULL)
        return false;
    out->doc_ = meta->doc_;
    out->index_ = meta->index_;
    return true;
}

size_t spotify_model_json_member_count(const void *object)
{
    spotify_json_value v;
    if (!spotify_model_json(&v, object) || spotify_json_type_of(v) != SPOTIFY_JSON_OBJECT)
        return 0;
    return spotify__json_count(to_internal(v));
}

spotify_json_type spotify_json_type_of(spotify_json_value v)
{
    if (v.doc_ == NULL)
        return SPOTIFY_JSON_INVALID;
    return (spotify_json_type)spotify__json_type_of(to_internal(v));
}

bool spotify_json_get_bool(bool *out, spotify_json_value v)
{
    return out != NULL && v.doc_ != NULL && spotify__json_get_bool(to_internal(v), out);
}

bool spotify_json_get_int64(int64_t *out, spotify_json_value v)
{
    return out != NULL && v.doc_ != NULL && spotify__json_get_int64(to_internal(v), out);
}

bool spotify_json_get_uint64(uint64_t *out, spotify_json_value v)
{
    return out != NULL && v.doc_ != NULL && spotify__json_get_uint64(to_internal(v), out);
}

bool spotify_json_get_double(double *out, spotify_json_value v)
{
    return out != NULL && v.doc_ != NULL && spotify__json_get_double(to_internal(v), out);
}

bool spotify_json_get_string(const char **out, size_t *len, spotify_json_value v)
{
    return out != NULL && v.doc_ != NULL && spotify__json_get_string(to_internal(v), out, len);
}

size_t spotify_json_count(spotify_json_value v)
{
    return v.doc_ == NULL ? 0 : spotify__json_count(to_internal(v));
}

spotify_json_value spotify_json_first(spotify_json_value container)
{
    if (container.doc_ == NULL)
        return container;
    return to_public(spotify__json_first(to_internal(container)));
}

spotify_json_value spotify_json_next(spotify_json_value v)
{
    if (v.doc_ == NULL)
        return v;
    return to_public(spotify__json_next(to_internal(v)));
}

bool spotify_json_valid(spotify_json_value v)
{
    return v.doc_ != NULL && spotify__json_valid(to_internal(v));
}

bool spotify_json_key(const char **key, size_t *len, spotify_json_value member)
{
    return key != NULL && member.doc_ != NULL && spotify__json_key(to_internal(member), key, len);
}

spotify_json_value spotify_json_get(spotify_json_value object, const char *key)
{
    if (object.doc_ == NULL || key == NULL) {
        spotify_json_value none = {NULL, 0};
        return none;
    }
    return to_public(spotify__json_get(to_internal(object), key));
}

/* A document is its arena: the tape and strings live in it. */
struct spotify_json_document {
    spotify__arena *arena;
};

spotify_status spotify_json_document_parse(spotify_json_document **out, spotify_json_value *root,
                                           const char *json, size_t len, spotify_error *err)
{
    if (out == NULL || root == NULL || (json == NULL && len > 0))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_json_document_parse: bad argument");
    *out = NULL;
    root->doc_ = NULL;
    root->index_ = 0;
    size_t first = 0;
    if (!spotify__size_mul(len, 2, &first) || !spotify__size_add(first, 1024, &first))
        return spotify__error_oom(err);
    spotify__arena *arena = spotify__arena_new(first);
    if (arena == NULL)
        return spotify__error_oom(err);
    spotify_json_document *doc = spotify__arena_calloc(arena, 1, sizeof *doc);
    if (doc == NULL) {
        spotify__arena_free(arena);
        return spotify__error_oom(err);
    }
    doc->arena = arena;
    spotify__json value;
    spotify_status status = spotify__json_parse(&value, arena, json, len, len, err);
    if (status != SPOTIFY_OK) {
        spotify__arena_free(arena);
        return status;
    }
    *root = to_public(value);
    *out = doc;
    return SPOTIFY_OK;
}

void spotify_json_document_free(spotify_json_document *doc)
{
    if (doc != NULL)
        spotify__arena_free(doc->arena);
}
