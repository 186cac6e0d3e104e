/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/execute.h - the one runtime executor of the typed Web API operations
 * and the pure pieces it is made of:
 *
 *   validate (api/validate.c)  args + descriptor -> OK or SPOTIFY_EINVALID
 *                              naming the parameter and the rule
 *   build    (api/request.c)   args + descriptor -> path with percent-encoded
 *                              path parameters, query string, body (JSON from
 *                              the table-driven encoder, or raw)
 *   send     (api/execute.c)   the opt-in scope check, then the client's
 *                              authorized path (client/client_internal.h)
 *   decode   (api/execute.c)   the padded body -> a typed result, parsed in
 *                              place (or no result for empty answers)
 *
 * The batch helper (api/batch.c) and the pager (api/paging.c) are loops over
 * the same pieces.
 *
 * Threads: pure functions are thread-safe; see each entry point.
 */
#ifndef SPOTIFY_API_EXECUTE_H
#define SPOTIFY_API_EXECUTE_H

#include <stdbool.h>
#include <stddef.h>

#include <spotify/client.h>
#include <spotify/operation.h>
#include <spotify/sys/async.h>

#include "../client/client_internal.h"
#include "../core/arena.h"
#include "../core/strbuf.h"
#include "ops_desc.h"

/* ---------- validation (pure) ---------- */

/* spotify__op_validate flags: a batch list may exceed its per-call maximum
 * (the batch helper splits it). */
#define SPOTIFY__VALIDATE_BATCH 1u

/*
 * Checks `args` (the operation's args struct, or NULL) against the
 * descriptor: version, required parameters, ID / URI syntax and type,
 * integer and number ranges, list sizes, market codes, enum values, JPEG
 * data, required body members. SPOTIFY_EINVALID with
 * "spotify_<name>: <parameter>: <rule>" on the first violation.
 */
spotify_status spotify__op_validate(const spotify_operation *op, const void *args, unsigned flags,
                                    spotify_error *err);

/*
 * The walk of spotify__op_validate with hooks, so that building a request
 * reads each parameter once, in the same pass that checks it (api/request.c):
 * `begin` before a parameter's checks and `end` after they pass, in
 * descriptor order (path, query and raw parameters, then the JSON body's
 * members, after the body's required-member check); `id` for every ID, URI
 * or link that passed, as parsed (item `index` of a list, 0 for one value).
 * A hook returning false means out of memory (SPOTIFY_ENOMEM). The walk
 * stops at the first violation, with the same error as the validation.
 */
typedef struct spotify__op_walker {
    bool (*begin)(void *user, const spotify__param_desc *p);
    bool (*id)(void *user, const spotify__param_desc *p, size_t index, const spotify_id *id);
    bool (*end)(void *user, const spotify__param_desc *p);
    void *user;
} spotify__op_walker;

spotify_status spotify__op_walk(const spotify_operation *op, const void *args, unsigned flags,
                                const spotify__op_walker *walker, spotify_error *err);

/* True for an ISO 3166-1 alpha-2 code Spotify may use as a market (the
 * officially assigned codes plus XK, Kosovo), or "from_token". */
bool spotify__market_valid(const char *market);

/* ---------- building (pure) ---------- */

/* Validates (with `flags`), then fills step 1 of the one request record
 * (client/client_internal.h): method, target, body, content type, and the
 * language of the args' per-call options (Borrowed from the args). `out` is
 * initialized here; release it in any case. */
spotify_status spotify__op_build(spotify__web_request *out, const spotify_operation *op,
                                 const void *args, unsigned flags, spotify_error *err);

/* ---------- sending and decoding ---------- */

/* True when the call must check scopes first: the args ask for it or the
 * client does for every call. */
bool spotify__op_checks_scopes(const spotify_client *client, const void *args);

/* Builds, checks scopes when the args ask for it, and sends. The 2xx answer
 * is in *out (release it with spotify__client_response_release in any case). */
spotify_status spotify__op_send(spotify__http_response *out, spotify_client *client,
                                const spotify_operation *op, const void *args, unsigned flags,
                                spotify_error *err);

/* The scope check alone: SPOTIFY_EFORBIDDEN naming what the token lacks. */
spotify_status spotify__op_scope_check(spotify_client *client, const spotify_operation *op,
                                       spotify_error *err);

/* True when the body holds nothing but whitespace. */
bool spotify__body_empty(const spotify__strbuf *body);

/*
 * Decodes an answer of `op` into a new top-level model of the result type
 * (Owned, in its own arena), or *out NULL for an empty answer where that is
 * valid. SPOTIFY_EPROTOCOL for an empty answer where a result was due, or
 * JSON that does not fit the type (the message names the place).
 */
spotify_status spotify__op_decode(void **out, const spotify_operation *op, int http_status,
                                  const spotify__strbuf *body, spotify_error *err);

/* Moves the body of `response` (a successful answer of `op`) into a new
 * undecoded answer (*out Owned: spotify_answer_decode / _free). */
spotify_status spotify__answer_adopt(spotify_answer **out, const spotify_operation *op,
                                     spotify__http_response *response, spotify_error *err);

/* Decodes a non-empty answer into a struct of the result type allocated in
 * `arena` (Borrowed from it), for results merged from several answers. */
spotify_status spotify__op_decode_into_arena(void **out, const spotify__type_desc *type,
                                             spotify__arena *arena, const spotify__strbuf *body,
                                             spotify_error *err);

/* Puts "<prefix>: " in front of err->message, keeping everything else. */
void spotify__error_prefix(spotify_error *err, const char *prefix);

/* ---------- paging ---------- */

/* True when `url` is absolute and has the scheme, host and port (defaults
 * 80/443) of `base`; user info in `url` never matches. */
bool spotify__same_origin(const char *base, const char *url);

#endif
