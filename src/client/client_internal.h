/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client/client_internal.h - what the API layer (src/api) needs from the
 * client beyond spotify/client.h: the one request record every layer adds
 * to, sent with the client's token to a target under the API base URL or to
 * an absolute URL (a paging `next`), answered with the raw, padded body
 * buffer so the decoder can parse it in place; and the client's auth
 * provider (for the opt-in scope check).
 *
 * The request goes through exactly the path spotify_client_send uses: the
 * retry policy, backoff and jitter, Retry-After, the shared cooldown, and a
 * 401 with a refreshable provider -> one forced refresh and one retry.
 *
 * Threads: like spotify_client_send, thread-safe.
 */
#ifndef SPOTIFY_CLIENT_INTERNAL_H
#define SPOTIFY_CLIENT_INTERNAL_H

#include <spotify/auth.h>
#include <spotify/client.h>

#include "../core/strbuf.h"
#include "../http/execute.h"

/*
 * One Web API request, from the operation down to the transport: the layers
 * add to it and none copies it into another shape.
 *
 *   1. The API layer (spotify__op_build) or a raw request
 *      (spotify__web_request_from_raw) fills what to send: the method, the
 *      target or an absolute URL, the body and its type, the language.
 *   2. spotify__client_prepare adds what the client knows: the absolute URL
 *      and the header lines, and points `http`, the part the transport
 *      reads, at them.
 *   3. The drivers (blocking: spotify__client_send; async: async/call.c)
 *      put the Authorization header in http.headers[0] per attempt.
 *
 * The answer is a spotify__http_response throughout (its body padded for
 * the JSON parser), decoded from (operation, status, body).
 * Initialize with spotify__web_request_init (or a builder that does), and
 * release with spotify__web_request_release in any case.
 */
typedef struct spotify__web_request {
    const char *method;     /* "GET", "POST", "PUT", "DELETE" (static) */
    spotify__strbuf target; /* path and query under the API base URL, encoded */
    const char *url;        /* instead of target: an absolute URL (a paging `next`
                               whose origin the caller has checked), Borrowed */
    spotify__strbuf body;   /* the body text, owned (used when raw_body is NULL) */
    const char *raw_body;   /* a body Borrowed from the caller, not copied */
    size_t raw_len;
    bool has_body;
    const char *content_type;    /* of the body; NULL: application/json (Borrowed) */
    const char *accept_language; /* NULL: the client's (Borrowed until prepared) */
    /* added by spotify__client_prepare */
    spotify__strbuf full_url;
    spotify__strbuf language_header;
    spotify__strbuf content_type_header;
    spotify__http_request http; /* headers[0]: Authorization, set per attempt */
} spotify__web_request;

void spotify__web_request_init(spotify__web_request *request);
void spotify__web_request_release(spotify__web_request *request);

/* The body to send (raw_body or body), NULL when there is none. */
const char *spotify__web_request_body(const spotify__web_request *request, size_t *len);

/* Fills `out` (initialized here) from a raw request: its target built and
 * checked, its body and language borrowed. */
spotify_status spotify__web_request_from_raw(spotify__web_request *out,
                                             const spotify_request *request, spotify_error *err);

/*
 * Step 2 above: checks the request (SPOTIFY_EINVALID for a bad method, both
 * or neither of target and url, or a line break in a header value) and
 * fills its URL, header lines and `http`. The async driver sends prepared
 * requests itself.
 */
spotify_status spotify__client_prepare(spotify__web_request *request, const spotify_client *client,
                                       spotify_error *err);

/*
 * Prepares `request` and sends it with the client's token. SPOTIFY_OK for a
 * 2xx answer, in *out (initialized here; release it with
 * spotify__client_response_release even on failure: the client keeps one
 * body buffer for the next call); otherwise the error category with `err`
 * filled as by spotify_client_send (HTTP status, Spotify's message,
 * redacted body excerpt, Retry-After, attempts).
 */
spotify_status spotify__client_send(spotify__http_response *out, spotify_client *client,
                                    spotify__web_request *request, spotify_error *err);

/* Releases an answer, keeping its body's memory in the client for the next
 * call when the client has none (`client` may be NULL: just free). */
void spotify__client_response_release(spotify_client *client, spotify__http_response *response);

/* Moves a 2xx answer into a new spotify_response (the raw API's result). */
spotify_status spotify__response_adopt(spotify_response **out, spotify__http_response *http,
                                       spotify_error *err);

/* The client's HTTP context (transport, policy, timeouts, clock, cooldown,
 * observer); borrowed, lives as long as the client. */
const spotify__http_context *spotify__client_http(const spotify_client *client);

/* True when the client checks every operation's scopes before sending. */
bool spotify__client_checks_scopes(const spotify_client *client);

/* The client's auth provider (borrowed; lives as long as the client). */
spotify_auth *spotify__client_auth(const spotify_client *client);

#endif
