/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/model_runtime.h - what every generated model (spotify/models.h)
 * shares: the per-object metadata, presence queries, the scalar list types,
 * and decoding, encoding, raw JSON and freeing for any model type.
 *
 * A model is a plain C struct whose first member is `spotify_object_meta
 * meta`. A decoded model and everything it points to (nested objects, arrays,
 * strings, and the parsed document kept for raw JSON) live in one arena that
 * belongs to the top-level model: spotify_model_free() releases all of it at
 * once. Pointers inside a model are Borrowed from it.
 *
 * Threads: decoding, encoding and the queries are thread-safe; a decoded
 * model is immutable and may be read (and passed to spotify_model_raw_json)
 * from many threads at once. Free it only when no thread reads it any more.
 * Type handles are constant data.
 */
#ifndef SPOTIFY_MODEL_RUNTIME_H
#define SPOTIFY_MODEL_RUNTIME_H

#include "common.h"
#include "error.h"

SPOTIFY_BEGIN_DECLS

/* The descriptor of one model type: SPOTIFY_MODEL_ALBUM and friends in
 * spotify/models.h. Opaque, constant, shareable. */
typedef struct spotify_model_type spotify_model_type;

/*
 * The first member of every model struct.
 *
 * `present` has bit i set when member i (the type's SPOTIFY_<TYPE>_<MEMBER>
 * constant) was in the JSON object, `null` when it was there with the value
 * null. Query them with spotify_has() and spotify_is_null(). The private
 * members locate the object in the parsed document (spotify_model_raw_json).
 *
 * To encode a struct you filled yourself, zero it first; pointers and lists
 * that are set are written, scalars (integers, numbers, booleans) only when
 * marked with spotify_mark_present().
 */
typedef struct spotify_object_meta {
    uint64_t present; /* bit i: member i was in the JSON object */
    uint64_t null;    /* bit i: member i was there with the value null */
    const void *doc_; /* private: the parsed document, NULL when not decoded */
    uint32_t index_;  /* private: the object's position in it */
    uint32_t flags_;  /* private: SPOTIFY_META_* */
} spotify_object_meta;

/* meta.flags_: the element was JSON null (see spotify_item_is_null). */
#define SPOTIFY_META_JSON_NULL 1u

/* Arrays of scalars. Like every list, `items` points at `count` values and is
 * NULL when count is 0. A JSON null inside a string array reads as NULL. */
typedef struct spotify_string_list {
    const char **items; /* the strings (NULL for a JSON null) */
    size_t count;       /* the number of items */
} spotify_string_list;

/* An array of integers: items[0..count). */
typedef struct spotify_int64_list {
    int64_t *items; /* the values */
    size_t count;   /* the number of items */
} spotify_int64_list;

/* An array of numbers: items[0..count). */
typedef struct spotify_double_list {
    double *items; /* the values */
    size_t count;  /* the number of items */
} spotify_double_list;

/* An array of booleans: items[0..count). */
typedef struct spotify_bool_list {
    bool *items;  /* the values */
    size_t count; /* the number of items */
} spotify_bool_list;

/* True when member `field` (0..63) was present in the JSON object. */
static inline bool spotify_meta_has(const spotify_object_meta *meta, unsigned field)
{
    return field < 64 && ((meta->present >> field) & 1u) != 0;
}

/* True when member `field` was present with the value null. */
static inline bool spotify_meta_is_null(const spotify_object_meta *meta, unsigned field)
{
    return field < 64 && ((meta->null >> field) & 1u) != 0;
}

/*
 * spotify_has(album, SPOTIFY_ALBUM_LABEL): was the member in the JSON?
 * spotify_is_null(album, SPOTIFY_ALBUM_LABEL): was it there as null?
 * `obj` is a pointer to any model struct and must not be NULL.
 */
#define spotify_has(obj, field) spotify_meta_has(&(obj)->meta, (unsigned)(field))
/* spotify_is_null(obj, field): was member `field` of `obj` there as null?
 * See spotify_has. */
#define spotify_is_null(obj, field) spotify_meta_is_null(&(obj)->meta, (unsigned)(field))

/* An element of an object array that was JSON null (e.g. an unknown id in a
 * "get several" response): every member reads as absent. */
#define spotify_item_is_null(obj) (((obj)->meta.flags_ & SPOTIFY_META_JSON_NULL) != 0)

/* For encoding: mark a member as present (needed for integers, numbers and
 * booleans, whose zero is a valid value) or as an explicit null. */
#define spotify_mark_present(obj, field) ((obj)->meta.present |= (uint64_t)1 << (unsigned)(field))
/* For encoding: mark member `field` of `obj` as an explicit JSON null
 * (present and null). */
#define spotify_mark_null(obj, field)                                                              \
    ((obj)->meta.present |= (uint64_t)1 << (unsigned)(field),                                      \
     (obj)->meta.null |= (uint64_t)1 << (unsigned)(field))

/*
 * Decodes `len` bytes of JSON into a new model of `type`. *out is Owned: free
 * it with spotify_model_free() (or the type's spotify_<type>_free()). The
 * input is copied; it may be freed as soon as the call returns.
 *
 * Members Spotify omitted read as absent (spotify_has() is false), JSON nulls
 * as absent values with spotify_is_null() true, enum strings this version
 * does not know as value 0 with their text kept, and unknown members are
 * skipped (spotify_model_raw_json() still returns them).
 *
 * Fails with SPOTIFY_EPROTOCOL for malformed JSON (syntax, invalid UTF-8,
 * nesting deeper than 256, numbers out of range) and for values of the wrong
 * JSON type; the message names the place, e.g.
 * "tracks.items[3].duration_ms: expected integer, got string".
 * SPOTIFY_EINVALID for bad arguments, SPOTIFY_ENOMEM on allocation failure.
 * *out is NULL on failure.
 */
SPOTIFY_API spotify_status spotify_model_decode(void **out, const spotify_model_type *type,
                                                const char *json, size_t len, spotify_error *err);

/* Frees a model returned by spotify_model_decode() or by an operation, with
 * everything it points to. Only top-level models: never a nested object or a
 * list element. NULL is accepted. */
SPOTIFY_API void spotify_model_free(void *model);

/*
 * The JSON text of a decoded object (top-level or nested, including every
 * member this version does not know), re-serialised compactly from the
 * document the model keeps. *out is Owned: free it with spotify_free();
 * *len (may be NULL) receives its length.
 * SPOTIFY_EINVALID when `object` was not produced by decoding.
 */
SPOTIFY_API spotify_status spotify_model_raw_json(char **out, size_t *len, const void *object,
                                                  spotify_error *err);

/*
 * Encodes `object`, a struct of model `type`, as compact JSON (request
 * bodies). Written members: strings, objects and lists that are set (non-NULL
 * or non-empty), enums whose value or text is set, scalars marked with
 * spotify_mark_present(), and members marked null. *out is Owned (free with
 * spotify_free()); *len (may be NULL) receives its length.
 */
SPOTIFY_API spotify_status spotify_model_encode(char **out, size_t *len,
                                                const spotify_model_type *type, const void *object,
                                                spotify_error *err);

/*
 * Checks that `len` bytes at `json` are one well-formed JSON value (any
 * type), with the decoder's rules: SPOTIFY_OK, or SPOTIFY_EPROTOCOL naming
 * the problem ("JSON syntax error", "invalid UTF-8", "nesting too deep",
 * "number out of range"); SPOTIFY_ENOMEM. For tools that pass JSON through
 * to the Web API (spotctl api --data). Thread-safe; nothing is kept.
 */
SPOTIFY_API spotify_status spotify_json_validate(const char *json, size_t len, spotify_error *err);

/* The specification's name of a model type ("AlbumObject"). Static string. */
SPOTIFY_API const char *spotify_model_type_name(const spotify_model_type *type);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_MODEL_RUNTIME_H */
