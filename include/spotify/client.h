/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/client.h - the client: configuration, base URLs, HTTP with retries,
 * and a raw authenticated request for any Web API call.
 *
 * Threads: a spotify_client is safe to share between threads once created.
 * Its configuration is immutable; connections are pooled and reused across
 * calls and threads (libcurl share interface with locking); the rate-limit
 * cooldown is shared by every call on the client. spotify_client_free() must
 * not race with calls on the same client.
 */
#ifndef SPOTIFY_CLIENT_H
#define SPOTIFY_CLIENT_H

#include "common.h"
#include "error.h"
#include "auth.h"
#include "http.h"

SPOTIFY_BEGIN_DECLS

/* The Web API base URL a client uses when neither its options nor
 * $SPOTIFY_SDK_API_BASE_URL give one. */
#define SPOTIFY_DEFAULT_API_BASE_URL "https://api.spotify.com/v1"
/* The accounts service base URL used when neither the options nor
 * $SPOTIFY_SDK_ACCOUNTS_BASE_URL give one. */
#define SPOTIFY_DEFAULT_ACCOUNTS_BASE_URL "https://accounts.spotify.com"

/* A client: opaque. Created by spotify_client_new() (Owned: free with
 * spotify_client_free()); shareable between threads (see above). */
typedef struct spotify_client spotify_client;

/*
 * Client options. Declare with SPOTIFY_CLIENT_OPTIONS_INIT (or call
 * spotify_client_options_init()) and set what you need; NULL strings and
 * zero numbers mean "default". Every string is copied by spotify_client_new.
 */
typedef struct spotify_client_options {
    /* SPOTIFY_CLIENT_OPTIONS_VERSION (the INIT macro sets it). */
    unsigned int version;
    /* Web API base URL. Default: $SPOTIFY_SDK_API_BASE_URL, else
     * SPOTIFY_DEFAULT_API_BASE_URL. Explicit values win over the environment. */
    const char *api_base_url;
    /* Accounts service base URL. Default: $SPOTIFY_SDK_ACCOUNTS_BASE_URL, else
     * SPOTIFY_DEFAULT_ACCOUNTS_BASE_URL. */
    const char *accounts_base_url;
    /*
     * Credentials: give exactly one of
     *   - access_token: a fixed bearer token, used as given;
     *   - client_id and/or client_secret: the client-credentials shortcut
     *     (app-only tokens; whatever is not given comes from
     *     $SPOTIFY_SDK_CLIENT_ID / $SPOTIFY_SDK_CLIENT_SECRET);
     *   - auth: any provider (borrowed: it must outlive the client, and the
     *     caller frees it).
     * Two of them at once is SPOTIFY_ECONFIG. None: client credentials from
     * the environment when both variables are set, else SPOTIFY_ECONFIG.
     * Environment values never count as "given" in these rules.
     */
    const char *access_token;
    /* Appended to the SDK's User-Agent ("spotify-sdk-c/VERSION libcurl/V"),
     * e.g. "myapp/1.2". */
    const char *user_agent;
    /* Sent as Accept-Language on every Web API request unless a call
     * overrides it (localised names), e.g. "sv-SE". */
    const char *accept_language;
    /* Timeouts of the client's requests (and of the token requests of the
     * client-credentials provider it creates); zero fields: the defaults. */
    spotify_timeouts timeouts;
    /* The retry policy of the same requests (default 3 retries). */
    spotify_retry_options retry;
    /* Called after every HTTP attempt; may be NULL. */
    spotify_http_observer_fn observer;
    /* Passed to observer. */
    void *observer_user;
    /* Clock for backoff waits and deadlines; NULL uses the real monotonic
     * clock. The struct is copied; `user` must outlive the client. */
    const spotify_clock *clock;
    /* A PEM bundle of CA certificates to verify servers against instead of
     * the system store (a TLS test server, a corporate proxy); NULL uses the
     * system store. TLS verification is always on for https and cannot be
     * turned off. */
    const char *ca_file;
    /* See access_token above. */
    spotify_auth *auth;
    /* The client-credentials shortcut's app id; see access_token above. */
    const char *client_id;
    /* The client-credentials shortcut's secret; see access_token above. */
    const char *client_secret;
    /* A connection pool to use (borrowed; must outlive the client). NULL: the
     * client makes its own, shared with the client-credentials provider it
     * creates. user_agent and ca_file are then ignored: the pool's apply. */
    spotify_http_pool *http_pool;
    /* Check every typed operation's required scopes against the token's
     * granted scope before sending (as if each call set
     * call.check_scopes); a missing scope fails with SPOTIFY_EFORBIDDEN and
     * no request. Default false: Spotify decides. */
    bool check_scopes;
    /* A rate-limit cooldown shared with other processes (borrowed: it must
     * outlive the client), e.g. spotify_redis_cooldown_store(). NULL: the
     * client's cooldown is its own. A store with an unknown version or
     * missing functions is SPOTIFY_EINVALID. */
    const spotify_cooldown_store *cooldown_store;
} spotify_client_options;

/* The version of spotify_client_options this header describes. */
#define SPOTIFY_CLIENT_OPTIONS_VERSION 1
/* The defaults of spotify_client_options: every string NULL, default
 * timeouts and retry policy, no scope check. */
#define SPOTIFY_CLIENT_OPTIONS_INIT                                                                \
    {                                                                                              \
        SPOTIFY_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, SPOTIFY_TIMEOUTS_INIT,       \
            SPOTIFY_RETRY_OPTIONS_INIT, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false,     \
            NULL                                                                                   \
    }

/* Fills `opts` with the defaults of `version` (for bindings that cannot use
 * the macro). Returns SPOTIFY_EINVALID for an unknown version. */
SPOTIFY_API spotify_status spotify_client_options_init(spotify_client_options *opts,
                                                       unsigned int version);

/*
 * Creates a client. `opts` may be NULL (all defaults). Fails with
 * SPOTIFY_ECONFIG when a base URL is not an http(s) URL, SPOTIFY_EINVALID for
 * an unknown options version. On success *out is owned by the caller: free it
 * with spotify_client_free().
 */
SPOTIFY_API spotify_status spotify_client_new(spotify_client **out,
                                              const spotify_client_options *opts,
                                              spotify_error *err);

/* Frees the client and closes its connections. NULL is accepted. */
SPOTIFY_API void spotify_client_free(spotify_client *client);

/* The effective Web API base URL (borrowed; valid until the client is
 * freed). NULL for a NULL client. */
SPOTIFY_API const char *spotify_client_api_base_url(const spotify_client *client);
/* The effective accounts service base URL (borrowed; valid until the client
 * is freed). NULL for a NULL client. */
SPOTIFY_API const char *spotify_client_accounts_base_url(const spotify_client *client);

/* A query parameter. */
typedef struct spotify_param {
    const char *key;   /* the name, percent-encoded by the SDK */
    const char *value; /* NULL: the parameter is left out */
} spotify_param;

/* A raw Web API request, for operations the typed API does not cover yet or
 * for tools like `spotctl api`. */
typedef struct spotify_request {
    unsigned int version;        /* SPOTIFY_REQUEST_VERSION (the INIT macro sets it) */
    const char *method;          /* "GET", "POST", "PUT" or "DELETE" */
    const char *path;            /* relative to the API base URL, starting with '/' */
    const spotify_param *query;  /* percent-encoded by the SDK */
    size_t query_count;          /* the number of entries in `query` */
    const char *body;            /* JSON body or NULL */
    size_t body_len;             /* the length of `body` in bytes */
    const char *accept_language; /* overrides the client's for this call; may be NULL */
} spotify_request;

/* The version of spotify_request this header describes. */
#define SPOTIFY_REQUEST_VERSION 1
/* A GET request with no path, query or body yet. */
#define SPOTIFY_REQUEST_INIT                                                                       \
    {                                                                                              \
        SPOTIFY_REQUEST_VERSION, "GET", NULL, NULL, 0, NULL, 0, NULL                               \
    }

/* A response to a raw request. Owned by the caller: free with
 * spotify_response_free(). */
typedef struct spotify_response {
    int http_status;    /* the HTTP status of the response */
    char *body;         /* NUL-terminated; body_len bytes (may be 0) */
    size_t body_len;    /* the length of `body` in bytes, NUL not counted */
    char *content_type; /* may be NULL */
    int attempts;       /* HTTP attempts the call took */
} spotify_response;

/*
 * Sends an authenticated request with the client's retry policy. A 401 from
 * the API with a refreshable provider causes one forced refresh and one
 * retry; a second 401 is returned as SPOTIFY_EAUTH. On a 2xx
 * response returns SPOTIFY_OK and *out (caller-owned). On any other outcome
 * returns the error category, fills `err` (HTTP status, Spotify's message,
 * redacted body excerpt, Retry-After) and sets *out to NULL.
 * Thread-safe.
 */
SPOTIFY_API spotify_status spotify_client_send(spotify_response **out, spotify_client *client,
                                               const spotify_request *request, spotify_error *err);

/* Frees a response. NULL is accepted. */
SPOTIFY_API void spotify_response_free(spotify_response *response);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_CLIENT_H */
