/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/http.h - HTTP-level settings shared by clients and auth providers:
 * timeouts, the retry policy, the injectable clock and the per-request
 * observer hook.
 *
 * All durations in the SDK's API are integers in milliseconds.
 *
 * Threads: these are plain option structs; see each consumer for its rules.
 * The observer and the clock are called from whatever thread makes the
 * request, possibly from several at once.
 */
#ifndef SPOTIFY_HTTP_H
#define SPOTIFY_HTTP_H

#include "clock.h"
#include "common.h"
#include "error.h"

SPOTIFY_BEGIN_DECLS

/*
 * The retry policy. Retried: connection errors, timeouts and 5xx (writes
 * only when the request surely never reached the server); 429, and 503 with
 * Retry-After, wait for Retry-After (else the backoff). Backoff is
 * initial_backoff_ms * 2^n capped at max_backoff_ms, times a random jitter in
 * [0.5, 1.0]. No single wait exceeds max_wait_ms: a longer Retry-After ends
 * the call at once with SPOTIFY_ERATELIMIT and the wait in
 * spotify_error.retry_after_ms. fail_fast never waits at all.
 */
typedef struct spotify_retry_options {
    /* SPOTIFY_RETRY_OPTIONS_VERSION (the INIT macro sets it); 0 (a zeroed
     * struct) also means "all defaults". Any other value is SPOTIFY_EINVALID
     * from the constructor that takes it. */
    unsigned int version;
    /* Retries after the first attempt: 0 means the default (3);
     * SPOTIFY_RETRY_NONE (any negative value) means none. */
    int max_retries;
    int64_t initial_backoff_ms; /* <= 0: default 500 */
    int64_t max_backoff_ms;     /* <= 0: default 8000 */
    int64_t max_wait_ms;        /* <= 0: default 60000 */
    bool fail_fast;             /* default false */
} spotify_retry_options;

/* The version of spotify_retry_options this header describes. */
#define SPOTIFY_RETRY_OPTIONS_VERSION 1
/* spotify_retry_options.max_retries: no retry at all (zero means the
 * default, like every zero in the SDK's options). */
#define SPOTIFY_RETRY_NONE (-1)
/* The default policy (every field zero: 3 retries, backoff from 500 ms up
 * to 8 s, waits of at most 60 s). */
#define SPOTIFY_RETRY_OPTIONS_INIT                                                                 \
    {                                                                                              \
        SPOTIFY_RETRY_OPTIONS_VERSION, 0, 0, 0, 0, false                                           \
    }

/*
 * Timeouts. Zero (or negative) fields take the defaults: connect 10 s, each
 * attempt 30 s, the whole call including retries and waits 120 s.
 */
typedef struct spotify_timeouts {
    int64_t connect_ms; /* establishing a connection (<= 0: 10000) */
    int64_t attempt_ms; /* one HTTP attempt (<= 0: 30000) */
    int64_t call_ms;    /* the whole call, retries and waits included (<= 0: 120000) */
} spotify_timeouts;

/* The default timeouts (zeros: connect 10 s, attempt 30 s, call 120 s). */
#define SPOTIFY_TIMEOUTS_INIT                                                                      \
    {                                                                                              \
        0, 0, 0                                                                                    \
    }

/*
 * A rate-limit cooldown shared beyond one client: several processes (a fleet
 * of workers using one Spotify app) see each other's 429s. Set it through
 * spotify_client_options.cooldown_store; spotify-sdk-redis provides one
 * (spotify_redis_cooldown_store() in <spotify/redis.h>).
 *
 * remaining_ms: milliseconds the shared cooldown still runs (0: none). Called
 *               before every HTTP attempt, so it must be cheap: cache and
 *               refresh from the shared store now and then. The answer is
 *               combined with the client's own cooldown; the larger wins,
 *               and the retry policy decides whether to wait it out or fail
 *               (SPOTIFY_ERATELIMIT).
 * extend_ms:    a 429 told this process to wait `ms`: make the shared
 *               cooldown last at least that long from now (never shorten it).
 * user:         passed to both.
 * Both functions are required, are called from any thread making requests
 * (concurrently), and cannot fail: a store that cannot be reached answers 0
 * and leaves the client to its own cooldown.
 */
typedef struct spotify_cooldown_store {
    unsigned int version;                      /* SPOTIFY_COOLDOWN_STORE_VERSION */
    int64_t (*remaining_ms)(void *user);       /* the cooldown left (see above) */
    void (*extend_ms)(void *user, int64_t ms); /* lengthens it (see above) */
    void *user;                                /* passed to both */
} spotify_cooldown_store;

/* The version of spotify_cooldown_store this header describes. */
#define SPOTIFY_COOLDOWN_STORE_VERSION 1

/* One HTTP attempt, as reported to an observer. All strings are borrowed for
 * the duration of the callback; `url` is redacted. */
typedef struct spotify_http_event {
    const char *method;     /* the request method, e.g. "GET" */
    const char *url;        /* the request URL (redacted) */
    int http_status;        /* 0 when no response arrived */
    int attempt;            /* 1 for the first attempt of a call */
    int64_t duration_us;    /* time spent in this attempt */
    int64_t bytes_sent;     /* request bytes, headers included */
    int64_t bytes_received; /* response body bytes */
    int new_connections;    /* connections opened for this attempt (0: one was reused) */
    spotify_status result;  /* the attempt's own outcome (SPOTIFY_OK for 2xx) */
    bool will_retry;        /* another attempt follows */
    int64_t retry_wait_ms;  /* when will_retry: the wait before it */
} spotify_http_event;

/* An observer, called after every HTTP attempt (metrics, tracing, -v). */
typedef void (*spotify_http_observer_fn)(const spotify_http_event *event, void *user);

/*
 * A connection pool: libcurl's connection cache, DNS cache and TLS sessions
 * plus a set of reusable transfer handles. Every client and provider has
 * one; create one yourself to share it between a client and the providers
 * it uses (or several clients), so they reuse the same connections.
 *
 * Threads: thread-safe; borrowed by the clients and providers given it, so
 * it must outlive them.
 */
typedef struct spotify_http_pool spotify_http_pool;

/* Options of spotify_http_pool_new(); declare with
 * SPOTIFY_HTTP_POOL_OPTIONS_INIT. Strings are copied. */
typedef struct spotify_http_pool_options {
    /* SPOTIFY_HTTP_POOL_OPTIONS_VERSION (the INIT macro sets it). */
    unsigned int version;
    /* Appended to the SDK's User-Agent, e.g. "myapp/1.2". */
    const char *user_agent;
    /* CA bundle to verify servers against instead of the system store. */
    const char *ca_file;
} spotify_http_pool_options;

/* The version of spotify_http_pool_options this header describes. */
#define SPOTIFY_HTTP_POOL_OPTIONS_VERSION 1
/* The defaults of spotify_http_pool_options: the SDK's User-Agent alone,
 * the system CA store. */
#define SPOTIFY_HTTP_POOL_OPTIONS_INIT                                                             \
    {                                                                                              \
        SPOTIFY_HTTP_POOL_OPTIONS_VERSION, NULL, NULL                                              \
    }

/* Creates a pool (`opts` may be NULL). *out is owned: free with
 * spotify_http_pool_free() after every client and provider using it. */
SPOTIFY_API spotify_status spotify_http_pool_new(spotify_http_pool **out,
                                                 const spotify_http_pool_options *opts,
                                                 spotify_error *err);

/* Closes the pool's connections and frees it. NULL is accepted. */
SPOTIFY_API void spotify_http_pool_free(spotify_http_pool *pool);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_HTTP_H */
