/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/sys/model.h - reflection over the model types and read access to
 * the JSON document behind a decoded model, for language bindings (the
 * Python package spotify_sdk converts every model with one generic
 * converter through these) and extensions; libgit2's sys/ convention:
 * programs use the typed structs of spotify/models.h instead.
 *
 * Reflection: every model type (SPOTIFY_MODEL_ALBUM...) describes its
 * members: JSON name, what they hold, their offset in the struct and their
 * presence bit (the bit of spotify_object_meta.present and .null). With
 * those, a binding walks any decoded model without per-type code:
 *
 *   const spotify_object_meta *meta = object;     (every model starts with it)
 *   size_t n = spotify_model_type_field_count(type);
 *   for (size_t i = 0; i < n; i++) {
 *       spotify_model_field f;
 *       spotify_model_type_field(&f, type, i);
 *       if (spotify_meta_has(meta, f.index) && !spotify_meta_is_null(meta, f.index))
 *           use((const char *)object + f.offset, f.kind);
 *   }
 *
 * Member layouts by kind: STRING and JSON `const char *` (JSON: compact
 * text of any JSON value), INT `int64_t`, NUMBER `double`, BOOL `bool`,
 * ENUM `struct { int value; const char *text; }` (text as sent), OBJECT and
 * UNION a pointer to a struct of `type`, LIST `struct { void *items;
 * size_t count; }` whose elements are elem_size bytes each (strings:
 * `const char *`, enums: the ENUM layout, objects: structs of `type`).
 * A UNION struct holds an `int` kind at spotify_model_type_kind_offset()
 * (0: none of the alternatives, else alternative kind - 1) and one pointer
 * per alternative.
 *
 * JSON access: a decoded object keeps its place in the parsed document
 * (spotify/model_runtime.h, spotify_model_raw_json). spotify_model_json()
 * gives it as a spotify_json_value, which the functions below walk: members
 * the model's type does not know (Spotify's additions), and members of kind
 * JSON, are read from there. spotify_json_document_parse() parses any JSON
 * text into the same form (error bodies).
 *
 * Threads: type descriptors are constant data; a document is immutable and
 * may be read from many threads at once. Values are Borrowed from the model
 * or document they come from: valid until it is freed.
 */
#ifndef SPOTIFY_SYS_MODEL_H
#define SPOTIFY_SYS_MODEL_H

#include "../common.h"
#include "../error.h"
#include "../model_runtime.h"

SPOTIFY_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* Reflection                                                               */
/* ------------------------------------------------------------------------ */

/* What a model type is. Values are ABI. */
typedef enum spotify_model_kind {
    SPOTIFY_MODEL_KIND_OBJECT = 1, /* a JSON object: members */
    SPOTIFY_MODEL_KIND_UNION = 2,  /* oneOf: one of several object types, by a tag member */
    SPOTIFY_MODEL_KIND_ARRAY = 3   /* a top-level JSON array, held in its one LIST member */
} spotify_model_kind;

/* What a member holds (see the layouts above). Values are ABI. */
typedef enum spotify_field_kind {
    SPOTIFY_FIELD_STRING = 1, /* const char * */
    SPOTIFY_FIELD_INT = 2,    /* int64_t */
    SPOTIFY_FIELD_NUMBER = 3, /* double */
    SPOTIFY_FIELD_BOOL = 4,   /* bool */
    SPOTIFY_FIELD_ENUM = 5,   /* struct { int value; const char *text; } */
    SPOTIFY_FIELD_OBJECT = 6, /* pointer to a struct of `type` */
    SPOTIFY_FIELD_UNION = 7,  /* pointer to a oneOf struct of `type` */
    SPOTIFY_FIELD_LIST = 8,   /* struct { void *items; size_t count; } */
    SPOTIFY_FIELD_JSON = 9    /* const char *: any JSON value as compact text */
} spotify_field_kind;

/* spotify_model_field.flags: the member is listed as required (Spotify may
 * still omit it). */
#define SPOTIFY_FIELD_REQUIRED 1u
/* spotify_model_field.flags: the member may be null. */
#define SPOTIFY_FIELD_NULLABLE 2u
/* spotify_model_field.flags: the member is deprecated by Spotify. */
#define SPOTIFY_FIELD_DEPRECATED 4u

/* One member of a model type, as spotify_model_type_field() describes it. */
typedef struct spotify_model_field {
    const char *name;               /* the JSON member name (static) */
    size_t name_len;                /* strlen(name) */
    size_t offset;                  /* of the member in the struct */
    spotify_field_kind kind;        /* what the member holds */
    spotify_field_kind elem_kind;   /* LIST: what the elements hold; 0 otherwise */
    size_t elem_size;               /* LIST: the size of one element; 0 otherwise */
    unsigned index;                 /* the presence bit (0..63) */
    unsigned flags;                 /* SPOTIFY_FIELD_* */
    const spotify_model_type *type; /* OBJECT, UNION and lists of them; else NULL */
} spotify_model_field;

/* Every model type: how many there are, and the one at `index` (NULL past
 * the end), in generation order. */
SPOTIFY_API size_t spotify_model_type_count(void);
/* The model type at `index` (0 .. spotify_model_type_count() - 1); NULL past the end. */
SPOTIFY_API const spotify_model_type *spotify_model_type_at(size_t index);
/* The type's C name ("spotify_album"). Static string; "" for NULL. */
SPOTIFY_API const char *spotify_model_type_c_name(const spotify_model_type *type);
/* The type's kind; 0 for NULL. */
SPOTIFY_API spotify_model_kind spotify_model_type_kind(const spotify_model_type *type);
/* sizeof the type's struct; 0 for NULL. */
SPOTIFY_API size_t spotify_model_type_size(const spotify_model_type *type);
/* The number of members (OBJECT and ARRAY types; 0 for unions). */
SPOTIFY_API size_t spotify_model_type_field_count(const spotify_model_type *type);
/* Describes member `index` (0 .. field_count - 1, in presence-bit order) into
 * *out; SPOTIFY_EINVALID past the end. */
SPOTIFY_API spotify_status spotify_model_type_field(spotify_model_field *out,
                                                    const spotify_model_type *type, size_t index);
/* The index of the member named `name` (`len` bytes, no NUL needed), or -1. */
SPOTIFY_API int spotify_model_type_find_field(const spotify_model_type *type, const char *name,
                                              size_t len);
/* UNION types: the number of alternatives (0 for other kinds). */
SPOTIFY_API size_t spotify_model_type_alt_count(const spotify_model_type *type);
/* UNION types: alternative `index`: its tag value (the `type` member's value,
 * static string), the offset of its pointer in the union struct, and its
 * object type. SPOTIFY_EINVALID past the end. */
SPOTIFY_API spotify_status spotify_model_type_alt(const char **tag, size_t *offset,
                                                  const spotify_model_type **alt_type,
                                                  const spotify_model_type *type, size_t index);
/* UNION types: the offset of the `int` kind member (0 for other kinds). */
SPOTIFY_API size_t spotify_model_type_kind_offset(const spotify_model_type *type);

/* ------------------------------------------------------------------------ */
/* JSON documents                                                           */
/* ------------------------------------------------------------------------ */

/* The type of a JSON value. Values are ABI. */
typedef enum spotify_json_type {
    SPOTIFY_JSON_INVALID = 0, /* a handle that points at nothing (end of iteration) */
    SPOTIFY_JSON_NULL = 1,    /* null */
    SPOTIFY_JSON_BOOL = 2,    /* true or false */
    SPOTIFY_JSON_INT = 3,     /* an integer that fits int64_t */
    SPOTIFY_JSON_UINT = 4,    /* an integer above INT64_MAX that fits uint64_t */
    SPOTIFY_JSON_DOUBLE = 5,  /* a number with a fraction or an exponent */
    SPOTIFY_JSON_STRING = 6,  /* a string */
    SPOTIFY_JSON_ARRAY = 7,   /* an array */
    SPOTIFY_JSON_OBJECT = 8   /* an object */
} spotify_json_type;

/*
 * A JSON value inside a document: a small handle passed by value, Borrowed
 * from the model or document it comes from. The members are private.
 * Iterating an object yields member handles, which read as their value and
 * also have a key.
 */
typedef struct spotify_json_value {
    const void *doc_; /* private: the document */
    size_t index_;    /* private: the position in it */
} spotify_json_value;

/* The value a decoded object (top-level, nested, list element or oneOf) was
 * decoded from; false (and *out invalid) for a struct that was not decoded. */
SPOTIFY_API bool spotify_model_json(spotify_json_value *out, const void *object);

/* The number of members of the JSON object a decoded object came from; 0
 * when it was not decoded. More members than the type knows (compare with
 * the present bits) means Spotify sent some this version does not know. */
SPOTIFY_API size_t spotify_model_json_member_count(const void *object);

/* The type of `v` (SPOTIFY_JSON_INVALID for an invalid handle). */
SPOTIFY_API spotify_json_type spotify_json_type_of(spotify_json_value v);
/* Reads a boolean; false (and *out untouched) when `v` is not one. */
SPOTIFY_API bool spotify_json_get_bool(bool *out, spotify_json_value v);
/* Reads an integer that fits int64_t; false otherwise. */
SPOTIFY_API bool spotify_json_get_int64(int64_t *out, spotify_json_value v);
/* Reads a non-negative integer that fits uint64_t; false otherwise. */
SPOTIFY_API bool spotify_json_get_uint64(uint64_t *out, spotify_json_value v);
/* Reads any number as a double; false when `v` is not a number. */
SPOTIFY_API bool spotify_json_get_double(double *out, spotify_json_value v);
/* Reads a string: unescaped UTF-8, NUL-terminated, `*len` bytes (it may hold
 * NUL bytes); Borrowed from the document. false when `v` is not a string. */
SPOTIFY_API bool spotify_json_get_string(const char **out, size_t *len, spotify_json_value v);
/* The number of elements of an array or members of an object; 0 otherwise. */
SPOTIFY_API size_t spotify_json_count(spotify_json_value v);
/* The first element of an array or member of an object (an invalid handle
 * when empty or not a container). */
SPOTIFY_API spotify_json_value spotify_json_first(spotify_json_value container);
/* The element or member after `v` (an invalid handle at the end). */
SPOTIFY_API spotify_json_value spotify_json_next(spotify_json_value v);
/* True unless `v` is an invalid handle. */
SPOTIFY_API bool spotify_json_valid(spotify_json_value v);
/* The key of a member handle (from iterating an object); false otherwise. */
SPOTIFY_API bool spotify_json_key(const char **key, size_t *len, spotify_json_value member);
/* The value of member `key` of an object (the first with that name), or an
 * invalid handle. */
SPOTIFY_API spotify_json_value spotify_json_get(spotify_json_value object, const char *key);

/* A parsed JSON text: opaque. Owned: free with spotify_json_document_free(). */
typedef struct spotify_json_document spotify_json_document;

/*
 * Parses `len` bytes of JSON (one value, the decoder's rules: UTF-8, depth
 * at most 256, numbers within 64 bits) into a new document and its root
 * value. SPOTIFY_EPROTOCOL naming the problem, SPOTIFY_ENOMEM. *out is
 * Owned (spotify_json_document_free); values are Borrowed from it.
 */
SPOTIFY_API spotify_status spotify_json_document_parse(spotify_json_document **out,
                                                       spotify_json_value *root, const char *json,
                                                       size_t len, spotify_error *err);

/* Frees a document and every value in it. NULL is accepted. */
SPOTIFY_API void spotify_json_document_free(spotify_json_document *doc);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_SYS_MODEL_H */
