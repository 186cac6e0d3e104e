/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/ops_desc.h - the layout of the operation descriptor tables that
 * tools/gen/generate.py writes into api/ops_desc.c, one per Web API
 * operation of spotify/api.h. The executor (api/execute.c), the validator
 * (api/validate.c), the request builder (api/request.c), the pager and the
 * batch helper read only these tables: there is no per-operation code.
 *
 * Every args struct starts with `unsigned int version; spotify_call_options
 * call;` (spotify__args_head); a parameter is found in it by offset.
 *
 * Threads: the tables are constant data.
 */
#ifndef SPOTIFY_API_OPS_DESC_H
#define SPOTIFY_API_OPS_DESC_H

#include <stddef.h>
#include <stdint.h>

#include <spotify/ids.h>
#include <spotify/operation.h>

#include "models_desc.h"

/* Where a parameter goes. */
typedef enum spotify__param_in {
    SPOTIFY__IN_PATH = 1,  /* a {name} of the path template (percent-encoded) */
    SPOTIFY__IN_QUERY = 2, /* the query string */
    SPOTIFY__IN_BODY = 3,  /* a member of the JSON body struct (offset in that struct) */
    SPOTIFY__IN_RAW = 4    /* the whole body, as text (offset in the args struct) */
} spotify__param_in;

/* What a parameter holds, and so how it is checked and written. The C type
 * of an args member follows from it: STRING, ID, URI, USER, MARKET, ENUM,
 * ENUMS and JPEG are `const char *`; IDS, URIS and LIST are
 * spotify_string_list; INT is int64_t (SPOTIFY_UNSET when not given),
 * NUMBER double (SPOTIFY_UNSET_NUMBER), BOOL int (SPOTIFY_UNSET_BOOL). In a
 * body, members have the model's types and scalars count as given when their
 * presence bit is set. */
typedef enum spotify__param_kind {
    SPOTIFY__PARAM_STRING = 1, /* free text */
    SPOTIFY__PARAM_ID,         /* one Spotify ID, URI or link of id_types -> the bare ID */
    SPOTIFY__PARAM_IDS,        /* a list of those, sent comma-separated */
    SPOTIFY__PARAM_URI,        /* one Spotify URI (or link) of id_types -> the URI */
    SPOTIFY__PARAM_URIS,       /* a list of those */
    SPOTIFY__PARAM_URI_ITEMS, /* body: a list of objects whose member at item_uri_offset is a URI */
    SPOTIFY__PARAM_LIST,      /* a list of free strings (body: of anything), max_items only */
    SPOTIFY__PARAM_USER,      /* a Spotify user ID (or spotify:user: URI / link) */
    SPOTIFY__PARAM_MARKET,    /* ISO 3166-1 alpha-2 or "from_token" */
    SPOTIFY__PARAM_ENUM,      /* one of values[] */
    SPOTIFY__PARAM_ENUMS,     /* a comma-separated subset of values[] */
    SPOTIFY__PARAM_INT,       /* integer in [min, max] (flags say which bounds apply) */
    SPOTIFY__PARAM_NUMBER,    /* number in [min_number, max_number] */
    SPOTIFY__PARAM_BOOL,      /* true / false */
    SPOTIFY__PARAM_JPEG       /* base64 JPEG data, at most SPOTIFY__JPEG_MAX bytes */
} spotify__param_kind;

/* spotify__param_desc.flags */
#define SPOTIFY__PARAM_REQUIRED 1u
#define SPOTIFY__PARAM_HAS_MIN 2u
#define SPOTIFY__PARAM_HAS_MAX 4u
#define SPOTIFY__PARAM_BATCH 8u     /* the list the batch helper splits */
#define SPOTIFY__PARAM_POSITION 16u /* an insert position the batch helper advances */
#define SPOTIFY__PARAM_GROUP 32u    /* a list counted in the operation's group limits */

/* Spotify's limit for a playlist cover: 256 KB of base64 text. */
#define SPOTIFY__JPEG_MAX ((size_t)256 * 1024)

/* The bit of a spotify_id_type in spotify__param_desc.id_types. */
#define SPOTIFY__ID_BIT(type) ((uint32_t)1 << (unsigned)(type))

typedef struct spotify__param_desc {
    const char *name;          /* wire name; JSON member name for body members */
    uint32_t offset;           /* of the member in the args struct (BODY: in the body struct) */
    uint8_t in;                /* spotify__param_in */
    uint8_t kind;              /* spotify__param_kind */
    uint8_t flags;             /* SPOTIFY__PARAM_* */
    uint8_t field_index;       /* BODY: the member's presence bit */
    uint32_t id_types;         /* ID, IDS, URI, URIS, URI_ITEMS, USER: accepted SPOTIFY__ID_BITs */
    uint32_t max_items;        /* lists: at most this many per call; 0 = no limit */
    int64_t min;               /* INT: lower bound (HAS_MIN) */
    int64_t max;               /* INT: upper bound (HAS_MAX) */
    double min_number;         /* NUMBER: lower bound (HAS_MIN) */
    double max_number;         /* NUMBER: upper bound (HAS_MAX) */
    int64_t default_value;     /* INT: Spotify's default when left out (docs and tests) */
    const char *const *values; /* ENUM, ENUMS */
    uint32_t value_count;
    uint32_t item_size;       /* URI_ITEMS: sizeof one element */
    uint32_t item_uri_offset; /* URI_ITEMS: of the element's URI member */
} spotify__param_desc;

/* spotify_operation.flags */
#define SPOTIFY__OP_DEPRECATED 1u
#define SPOTIFY__OP_EMPTY_OK 2u /* a 2xx without a body is a valid answer (no result) */

/* How an operation's answer pages. */
typedef enum spotify__page_kind {
    SPOTIFY__PAGE_NONE = 0,
    SPOTIFY__PAGE_OFFSET = 1, /* PagingObject: items, next, offset, total */
    SPOTIFY__PAGE_CURSOR = 2  /* CursorPagingObject: items, next, cursors */
} spotify__page_kind;

struct spotify_operation {
    const char *id;                    /* operationId: "get-an-album" */
    const char *name;                  /* "albums_get": the C function is spotify_albums_get */
    const char *method;                /* "GET", "POST", "PUT", "DELETE" */
    const char *path;                  /* template relative to the API base URL: "/albums/{id}" */
    const char *reference;             /* Spotify's reference page */
    uint32_t args_size;                /* sizeof the args struct */
    uint32_t flags;                    /* SPOTIFY__OP_* */
    const spotify__param_desc *params; /* path, query and raw-body parameters, then body members */
    uint32_t param_count;
    /* JSON body: a `const <body type> *body` member of the args struct. */
    const spotify__type_desc *body_type; /* NULL: no JSON body */
    uint32_t body_offset;
    /* The decoded answer; NULL when the operation answers without a body. */
    const spotify__type_desc *result_type;
    /* Scopes: every one the specification lists (space-separated, "" for
     * none), and what the opt-in check demands: all of scopes_all and, when
     * scopes_any is not empty, at least one of scopes_any. */
    const char *scopes;
    const char *scopes_all;
    const char *scopes_any;
    /* Paging: where the page is in the result (NULL: the result is the page;
     * "*": the member named after the single `type` argument + "s", for
     * search) and the largest `limit` the operation accepts. */
    uint8_t page_kind; /* spotify__page_kind */
    const char *page_member;
    int64_t page_max;
    int32_t limit_param; /* index of "limit" in params, -1 without one */
    /* A rule over several lists (the GROUP parameters): their items in all
     * must number group_min to group_max (recommendations: 1 to 5 seeds);
     * group_max 0: no such rule. */
    uint32_t group_min;
    uint32_t group_max;
};

/* The common start of every args struct. */
typedef struct spotify__args_head {
    unsigned int version;
    spotify_call_options call;
} spotify__args_head;

/* Every operation, in docs/api.md order (api/ops_desc.c). */
extern const spotify_operation *const spotify__operations[];
extern const size_t spotify__operation_count;

#endif
