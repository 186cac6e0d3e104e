/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client/client_internal.h - what the API layer (src/api) needs from the
 * client beyond spotify/client.h: an authorized request to a target under
 * the API base URL or to an absolute URL (a paging `next`), answered with
 * the raw, padded body buffer so the decoder can parse it in place, and the
 * client's auth provider (for the opt-in scope check).
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

/* One request. Strings are borrowed for the duration of the call. */
typedef struct spotify__api_request {
    const char *method; /* "GET", "POST", "PUT", "DELETE" */
    /* Exactly one of: `target`, appended to the API base URL ("/albums/x?market=SE",
     * already percent-encoded), or `url`, an absolute URL used as it is (the
     * caller has checked its origin). */
    const char *target;
    const char *url;
    const char *body; /* NULL: none */
    size_t body_len;
    const char *content_type;    /* of the body; NULL: application/json */
    const char *accept_language; /* NULL: the client's */
} spotify__api_request;

/* A 2xx answer. `body` holds body.len bytes, NUL-terminated, with at least
 * SPOTIFY__JSON_PADDING readable bytes after them (body.cap in all). */
typedef struct spotify__api_response {
    int http_status;
    int attempts;
    spotify__strbuf body;
} spotify__api_response;

/*
 * Sends `request` with the client's token. SPOTIFY_OK for a 2xx answer, in
 * *out (release it with spotify__api_response_release even on failure:
 * the client keeps one body buffer for the next call);
 * otherwise the error category with `err` filled as by spotify_client_send
 * (HTTP status, Spotify's message, redacted body excerpt, Retry-After,
 * attempts). SPOTIFY_EINVALID for a line break in any string.
 */
spotify_status spotify__client_send_raw(spotify__api_response *out, spotify_client *client,
                                        const spotify__api_request *request, spotify_error *err);

/* Releases the answer's body, keeping its memory in the client for the next
 * call when the client has none (`client` may be NULL: just free). */
void spotify__api_response_release(spotify_client *client, spotify__api_response *response);

/*
 * A request made ready for the HTTP drivers: the absolute URL and the
 * headers built once. http.headers[0] is left NULL for the Authorization
 * header of each attempt; http.body is borrowed from the api request.
 * spotify__client_prepare checks the request as spotify__client_send_raw
 * does (SPOTIFY_EINVALID) and fills `call` (release it in any case after
 * SPOTIFY_OK). The async driver sends prepared calls itself.
 */
typedef struct spotify__prepared_call {
    spotify__http_request http;
    spotify__strbuf url;
    spotify__strbuf language;
    spotify__strbuf content_type;
} spotify__prepared_call;

spotify_status spotify__client_prepare(spotify__prepared_call *call, const spotify_client *client,
                                       const spotify__api_request *request, spotify_error *err);
void spotify__prepared_call_release(spotify__prepared_call *call);

/* Moves a 2xx answer into a new spotify_response (the raw API's result). */
spotify_status spotify__response_adopt(spotify_response **out, spotify__http_response *http,
                                       spotify_error *err);

/* Checks a raw request and builds its target ("/path?query") into `target`. */
spotify_status spotify__request_target(spotify__strbuf *target, const spotify_request *request,
                                       spotify_error *err);
/* The client request of raw `request` at `target` (borrowing both). */
spotify__api_request spotify__raw_api_request(const spotify_request *request, const char *target);

/* The client's HTTP context (transport, policy, timeouts, clock, cooldown,
 * observer); borrowed, lives as long as the client. */
const spotify__http_context *spotify__client_http(const spotify_client *client);

/* True when the client checks every operation's scopes before sending. */
bool spotify__client_checks_scopes(const spotify_client *client);

/* The client's auth provider (borrowed; lives as long as the client). */
spotify_auth *spotify__client_auth(const spotify_client *client);

#endif
