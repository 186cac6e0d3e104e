/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/models_desc.h - the layout of the descriptor tables that
 * tools/gen/generate.py writes into api/models_desc.c, one per model of
 * spotify/models.h. The runtime decoder and encoder (api/decode.c) read
 * only these tables: there is no per-type code.
 *
 * Threads: the tables are constant data.
 */
#ifndef SPOTIFY_API_MODELS_DESC_H
#define SPOTIFY_API_MODELS_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <spotify/model_runtime.h>

typedef struct spotify_model_type spotify__type_desc;

/* What a member holds. */
typedef enum spotify__field_kind {
    SPOTIFY__FIELD_STRING = 1, /* const char * */
    SPOTIFY__FIELD_INT,        /* int64_t */
    SPOTIFY__FIELD_NUMBER,     /* double */
    SPOTIFY__FIELD_BOOL,       /* bool */
    SPOTIFY__FIELD_ENUM,       /* spotify_<enum>_value (spotify__enum_layout) */
    SPOTIFY__FIELD_OBJECT,     /* pointer to a model struct */
    SPOTIFY__FIELD_UNION,      /* pointer to a oneOf struct */
    SPOTIFY__FIELD_LIST,       /* spotify_<elem>_list (spotify__list_layout) */
    SPOTIFY__FIELD_JSON        /* const char *: any JSON value, as compact text */
} spotify__field_kind;

/* spotify__field_desc.flags: what the specification says (informational;
 * the decoder accepts what Spotify really sends). */
#define SPOTIFY__FIELD_REQUIRED 1u
#define SPOTIFY__FIELD_NULLABLE 2u
#define SPOTIFY__FIELD_DEPRECATED 4u

typedef enum spotify__type_kind {
    SPOTIFY__TYPE_OBJECT = 1,
    SPOTIFY__TYPE_UNION, /* oneOf: `kind` plus one pointer per alternative */
    SPOTIFY__TYPE_ARRAY  /* a top-level JSON array, held in the one LIST member fields[0] */
} spotify__type_kind;

typedef struct spotify__enum_name {
    const char *text;
    uint32_t len;
} spotify__enum_name;

/* Value i + 1 of an enum is names[i]; 0 is "unknown". */
typedef struct spotify__enum_desc {
    const char *name;
    const spotify__enum_name *names;
    uint32_t count;
} spotify__enum_desc;

/* Every generated spotify_<enum>_value and spotify_<type>_list has this
 * layout (models_desc.c checks it with static assertions). */
typedef struct spotify__enum_layout {
    int value;
    const char *text;
} spotify__enum_layout;

typedef struct spotify__list_layout {
    void *items;
    size_t count;
} spotify__list_layout;

typedef struct spotify__field_desc {
    const char *name;                    /* JSON member name */
    uint32_t name_len;                   /* strlen(name), 1..255 */
    uint32_t offset;                     /* of the member in the struct */
    uint8_t kind;                        /* spotify__field_kind */
    uint8_t elem_kind;                   /* LIST: the elements' kind (never LIST or JSON) */
    uint8_t index;                       /* presence bit */
    uint8_t flags;                       /* SPOTIFY__FIELD_* */
    const spotify__type_desc *type;      /* OBJECT, UNION, and lists of them */
    const spotify__enum_desc *enum_desc; /* ENUM */
} spotify__field_desc;

/* A oneOf alternative: chosen when the tag member equals `tag`. */
typedef struct spotify__union_alt {
    const char *tag;
    uint32_t tag_len;
    uint32_t offset; /* of the alternative's pointer in the struct */
    const spotify__type_desc *type;
} spotify__union_alt;

struct spotify_model_type {
    const char *name;   /* the specification's name ("AlbumObject") */
    const char *c_name; /* "spotify_album" */
    uint32_t size;      /* sizeof the struct */
    uint8_t kind;       /* spotify__type_kind */
    /* OBJECT */
    uint8_t field_count;
    uint8_t hash_shift;
    uint64_t hash_mul;
    const spotify__field_desc *fields; /* in presence-bit order */
    const uint8_t *slots; /* 1 << (64 - hash_shift) entries: field index + 1, 0 = none */
    /* UNION */
    const spotify__union_alt *alts;
    uint32_t alt_count;
    uint32_t kind_offset; /* of the `kind` member (an int) */
    const char *tag_name; /* the discriminating member, "type" */
    uint32_t tag_len;
};

/*
 * The slot of a member name in a type's perfect hash: the first two, the
 * middle and the last byte and the length, multiplied, top bits. `key` must
 * be readable at key[len] (NUL-terminated, as the document's strings are)
 * and len must be 1..255. tools/gen/generate.py computes the same.
 */
static inline size_t spotify__key_slot(const spotify__type_desc *type, const char *key, size_t len)
{
    const unsigned char *k = (const unsigned char *)key;
    uint64_t word = (uint64_t)k[0] | (uint64_t)k[1] << 8 | (uint64_t)k[len >> 1] << 16 |
                    (uint64_t)k[len - 1] << 24 | (uint64_t)len << 32;
    return (size_t)((word * type->hash_mul) >> type->hash_shift);
}

/* The member named `key` (len bytes, readable at key[len]) or NULL. */
static inline const spotify__field_desc *spotify__find_field(const spotify__type_desc *type,
                                                             const char *key, size_t len)
{
    if (type->field_count == 0 || len == 0 || len > 255)
        return NULL;
    unsigned slot = type->slots[spotify__key_slot(type, key, len)];
    if (slot == 0)
        return NULL;
    const spotify__field_desc *field = &type->fields[slot - 1];
    if (field->name_len != len || memcmp(field->name, key, len) != 0)
        return NULL;
    return field;
}

/* The size of one element of a LIST member. */
static inline size_t spotify__element_size(const spotify__field_desc *field)
{
    switch (field->elem_kind) {
    case SPOTIFY__FIELD_STRING:
        return sizeof(const char *);
    case SPOTIFY__FIELD_INT:
        return sizeof(int64_t);
    case SPOTIFY__FIELD_NUMBER:
        return sizeof(double);
    case SPOTIFY__FIELD_BOOL:
        return sizeof(bool);
    case SPOTIFY__FIELD_ENUM:
        return sizeof(spotify__enum_layout);
    default: /* OBJECT, UNION */
        return field->type->size;
    }
}

/* Every generated type (api/models_desc.c), for tests and tools. */
extern const spotify__type_desc *const spotify__model_types[];
extern const size_t spotify__model_type_count;

#endif
