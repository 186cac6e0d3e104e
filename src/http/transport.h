/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http/transport.h - one HTTP attempt over libcurl, and the connection pool
 * behind it.
 *
 * A transport owns a libcurl share handle (connection cache, DNS cache and
 * TLS sessions shared, with locking) and a pool of easy handles, so every
 * call from every thread reuses warm connections. It makes exactly one
 * attempt per call: retries belong to http/execute.h.
 *
 * Threads: a transport may be used from many threads at once.
 */
#ifndef SPOTIFY_HTTP_TRANSPORT_H
#define SPOTIFY_HTTP_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>
#include <spotify/error.h>

#include "../core/strbuf.h"
#include "retry.h"

/* Responses larger than this are refused as a protocol error (a request
 * may set a smaller limit: token responses are capped at 64 KiB). */
#define SPOTIFY__HTTP_MAX_BODY ((size_t)256 * 1024 * 1024)
#define SPOTIFY__HTTP_MAX_HEADERS 8

typedef struct spotify__transport spotify__transport;

typedef struct spotify__transport_options {
    const char *user_agent_suffix; /* may be NULL */
    const char *ca_file;           /* may be NULL */
} spotify__transport_options;

/* One HTTP request. Strings are borrowed for the duration of the call. */
typedef struct spotify__http_request {
    const char *method; /* "GET", "POST", "PUT", "DELETE" */
    const char *url;    /* absolute */
    /* extra headers, each "Name: value"; may hold secrets (Authorization) */
    const char *headers[SPOTIFY__HTTP_MAX_HEADERS];
    size_t header_count;
    const char *body; /* NULL: no body */
    size_t body_len;
    bool idempotent; /* false for POST: see retry.h */
    int64_t connect_timeout_ms;
    int64_t timeout_ms; /* this attempt */
    size_t max_body;    /* 0: SPOTIFY__HTTP_MAX_BODY */
} spotify__http_request;

/* The outcome of one attempt. */
typedef struct spotify__http_response {
    spotify__failure failure; /* NONE when a response arrived */
    int status;
    spotify__strbuf body; /* with SPOTIFY__JSON_PADDING spare bytes after len */
    char content_type[128];
    char retry_after[64]; /* raw header value, "" when absent */
    char location[512];   /* the Location header (of a 3xx), "" when absent */
    char error[256];      /* transport error text when failure != NONE */
    int64_t duration_us;
    int64_t bytes_sent;
    int new_connections; /* 0 when a pooled connection was reused */
    int attempt;         /* set by the driver: 1 for the first attempt */
    size_t body_limit;   /* this attempt's limit (the request's max_body) */
    bool body_too_large; /* the body (or its Content-Length) passed it */
} spotify__http_response;

spotify_status spotify__transport_new(spotify__transport **out,
                                      const spotify__transport_options *opts, spotify_error *err);
void spotify__transport_free(spotify__transport *transport);
/* The User-Agent the transport sends (borrowed). */
const char *spotify__transport_user_agent(const spotify__transport *transport);

void spotify__http_response_init(spotify__http_response *response);
/* Empties the response for another attempt (keeps the body's memory). */
void spotify__http_response_reset(spotify__http_response *response);
void spotify__http_response_release(spotify__http_response *response);

/*
 * Makes one attempt. Returns SPOTIFY_OK when the attempt ran (look at
 * response->failure and response->status), or SPOTIFY_ENOMEM /
 * SPOTIFY_EINVALID when it could not be started.
 */
spotify_status spotify__transport_perform(spotify__transport *transport,
                                          const spotify__http_request *request,
                                          spotify__http_response *response, spotify_error *err);

/*
 * One attempt split in two, for drivers that run the transfer themselves
 * (the async driver adds attempt->easy to a curl multi handle):
 * spotify__attempt_begin takes a pooled handle and configures it for
 * `request` (borrowed until the attempt ends) writing into `response`; the
 * handle's CURLOPT_PRIVATE is the attempt. spotify__attempt_end fills in the
 * With `in_multi` the handle is made for a multi handle: it keeps the
 * shared DNS cache and TLS sessions but uses the multi's connections.
 * spotify__attempt_end fills in the
 * outcome from the transfer's CURLcode and gives the handle back (SPOTIFY_OK,
 * or SPOTIFY_ENOMEM when the response could not be stored).
 * spotify__attempt_discard gives it back without an outcome (cancel).
 * `attempt` must stay at the same address in between.
 */
typedef struct spotify__transport_attempt {
    spotify__transport *transport;
    CURL *easy;
    /* The header list handed to libcurl: nodes of our own pointing at the
     * request's strings (borrowed for the attempt), so that no header is
     * allocated or copied per attempt. */
    struct curl_slist header_nodes[2 + SPOTIFY__HTTP_MAX_HEADERS];
    spotify__http_response *response;
    char errbuf[CURL_ERROR_SIZE];
} spotify__transport_attempt;

spotify_status spotify__attempt_begin(spotify__transport_attempt *attempt,
                                      spotify__transport *transport,
                                      const spotify__http_request *request,
                                      spotify__http_response *response, bool in_multi,
                                      spotify_error *err);
spotify_status spotify__attempt_end(spotify__transport_attempt *attempt, CURLcode rc,
                                    spotify_error *err);
void spotify__attempt_discard(spotify__transport_attempt *attempt);

#endif
