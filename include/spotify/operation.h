/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/operation.h - what every typed Web API operation of spotify/api.h
 * shares: per-call options, the "not given" markers of argument structs,
 * operation handles, and the one executor behind all the typed functions.
 *
 * Each operation has an args struct, declared with its INIT macro:
 *
 *   spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
 *   a.id = "4aawyAB9vmqN3uQ7FjRGTy";    (or a spotify: URI, or a link)
 *   a.market = "SE";
 *   spotify_album *album = NULL;
 *   spotify_status st = spotify_albums_get(&album, client, &a, &err);
 *
 * Every args struct starts with `unsigned int version` and
 * `spotify_call_options call`. Strings and lists left NULL/empty, integers
 * left SPOTIFY_UNSET, numbers SPOTIFY_UNSET_NUMBER and booleans
 * SPOTIFY_UNSET_BOOL are not sent. An operation without required
 * parameters also accepts args == NULL.
 *
 * Before any byte is sent, the arguments are checked against what the Web
 * API accepts (required parameters, ID / URI syntax and type, limit and
 * offset ranges, the maximum number of IDs per call, market codes, enum
 * values, required body members): a violation is SPOTIFY_EINVALID with a
 * message naming the parameter and the rule, and no request is made.
 *
 * Threads: operations are thread-safe and may share one client; argument
 * structs are only read. Operation handles are constant data.
 */
#ifndef SPOTIFY_OPERATION_H
#define SPOTIFY_OPERATION_H

#include <math.h>

#include "client.h"
#include "common.h"
#include "error.h"
#include "model_runtime.h"

SPOTIFY_BEGIN_DECLS

/* "Not given" for integer, number and boolean (int) members of args
 * structs. The INIT macros set them. */
#define SPOTIFY_UNSET INT64_MIN
/* "Not given" for number (double) members of args structs: NaN. */
#define SPOTIFY_UNSET_NUMBER ((double)NAN)
/* "Not given" for boolean (int) members of args structs; 0 and 1 are sent
 * as false and true. */
#define SPOTIFY_UNSET_BOOL (-1)
/* An empty list (spotify_string_list members of args structs). */
#define SPOTIFY_STRING_LIST_INIT                                                                   \
    {                                                                                              \
        NULL, 0                                                                                    \
    }

/* Per-call options, the `call` member of every args struct. */
typedef struct spotify_call_options {
    /* Sent as Accept-Language instead of the client's (localised names);
     * NULL: the client's. */
    const char *accept_language;
    /* Opt-in: before sending, compare the operation's required scopes with
     * the scope the provider's token was granted (spotify_auth_token_get) and
     * fail with SPOTIFY_EFORBIDDEN, naming the missing scopes, when they are
     * not covered; app-only (client-credentials) tokens have no user scopes.
     * Skipped when the token's scope is unknown (static and custom
     * providers). Costs a token copy per call. */
    bool check_scopes;
} spotify_call_options;

/* The defaults of spotify_call_options: the client's Accept-Language, no
 * scope check. */
#define SPOTIFY_CALL_OPTIONS_INIT                                                                  \
    {                                                                                              \
        NULL, false                                                                                \
    }

/* The `version` of every args struct this header describes. */
#define SPOTIFY_ARGS_VERSION 1

/* An operation: SPOTIFY_OP_ALBUMS_GET and friends in spotify/api.h. Opaque,
 * constant, shareable. */
typedef struct spotify_operation spotify_operation;

/*
 * Runs `op` with `args` (a pointer to that operation's args struct, or NULL
 * when it has no required parameters): validation, the request with the
 * client's retries, backoff, Retry-After and 401 -> refresh once, then the
 * typed decode.
 *
 * On success *out (when `out` is not NULL) is the decoded result, Owned by
 * the caller (free with spotify_model_free() or the type's _free()), or NULL
 * when the operation answered without a body (204, or an empty 200 of a
 * write). With out == NULL a result is freed at once. On failure *out is
 * NULL and `err` says why: SPOTIFY_EINVALID for arguments (nothing was
 * sent), SPOTIFY_EFORBIDDEN from the opt-in scope check or Spotify, the HTTP
 * categories with Spotify's message otherwise.
 */
SPOTIFY_API spotify_status spotify_operation_call(void **out, spotify_client *client,
                                                  const spotify_operation *op, const void *args,
                                                  spotify_error *err);

/*
 * Like spotify_operation_call, for operations with a per-call maximum of
 * items (spotify_operation_batch_max() > 0): the list in `args` may have any
 * length; it is split into chunks of the maximum, sent one call per chunk in
 * order (an insert position advances by the chunk size), and the results
 * are merged into one, in input order: lists are concatenated, other
 * members come from the last chunk. The merged result is Owned (one free);
 * its own raw JSON is not available (its items keep theirs).
 *
 * Everything is validated before the first call. When a chunk fails, the
 * call stops there, returns its error and *out is NULL; the message starts
 * with "chunk K of N (items A-B)" (K and items 1-based), and the chunks
 * before it have been applied.
 */
SPOTIFY_API spotify_status spotify_operation_call_batch(void **out, spotify_client *client,
                                                        const spotify_operation *op,
                                                        const void *args, spotify_error *err);

/* The validation spotify_operation_call does, alone: SPOTIFY_OK or
 * SPOTIFY_EINVALID naming the parameter and the rule. Pure, no I/O. */
SPOTIFY_API spotify_status spotify_operation_validate(const spotify_operation *op, const void *args,
                                                      spotify_error *err);

/* Every operation: count, and the one at `index` (NULL past the end), in
 * docs/api.md order. */
SPOTIFY_API size_t spotify_operation_count(void);
/* The operation at `index` (0 .. spotify_operation_count() - 1), in
 * docs/api.md order; NULL past the end. */
SPOTIFY_API const spotify_operation *spotify_operation_at(size_t index);

/* The operation named `name`: its operationId ("get-an-album") or its C name
 * with or without the prefix ("albums_get", "spotify_albums_get"). NULL when
 * there is none. */
SPOTIFY_API const spotify_operation *spotify_operation_find(const char *name);

/* Facts about an operation. Strings are static. */
SPOTIFY_API const char *spotify_operation_id(const spotify_operation *op);     /* "get-an-album" */
SPOTIFY_API const char *spotify_operation_name(const spotify_operation *op);   /* "albums_get" */
SPOTIFY_API const char *spotify_operation_method(const spotify_operation *op); /* "GET" */
SPOTIFY_API const char *spotify_operation_path(const spotify_operation *op);   /* "/albums/{id}" */
SPOTIFY_API const char *spotify_operation_reference(const spotify_operation *op); /* URL */
/* Deprecated by Spotify: still served to extended-quota apps, removed for
 * development-mode apps in 2026. */
SPOTIFY_API bool spotify_operation_deprecated(const spotify_operation *op);
/* The scopes the specification lists (space-separated, "" for none), and
 * those the opt-in check requires: all of `all` plus one of `any`. */
SPOTIFY_API const char *spotify_operation_scopes(const spotify_operation *op);
/* The scopes the opt-in check requires all of (space-separated, "" for
 * none). Static string. */
SPOTIFY_API const char *spotify_operation_scopes_required(const spotify_operation *op);
/* The scopes the opt-in check requires one of (space-separated, "" for no
 * such rule). Static string. */
SPOTIFY_API const char *spotify_operation_scopes_any(const spotify_operation *op);
/* The result's model type; NULL when the operation answers without a body. */
SPOTIFY_API const spotify_model_type *spotify_operation_result_type(const spotify_operation *op);
/* Items per call of the list the batch helper splits; 0 when the operation
 * has no batch helper. */
SPOTIFY_API size_t spotify_operation_batch_max(const spotify_operation *op);
/* True when the answer is a page that spotify_pager_new() can walk. */
SPOTIFY_API bool spotify_operation_pageable(const spotify_operation *op);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_OPERATION_H */
