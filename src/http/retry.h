/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http/retry.h - the retry policy, as pure functions. Both HTTP drivers (the
 * blocking one and, later, the async one) ask these functions what to do
 * after each attempt and do exactly that; they hold no retry logic of their
 * own.
 *
 * The rules:
 *   - 2xx: done.
 *   - 3xx: an error (SPOTIFY_EPROTOCOL), never retried: redirects are not
 *     followed (a bearer token must not travel to another host) and the
 *     Web API never answers one, so a 3xx means a wrong base URL or a proxy
 *     in the way; the message names the status and the Location;
 *   - connection errors, timeouts and 5xx: retried with exponential backoff
 *     (initial 500 ms, x2 per retry, capped at 8 s, multiplied by a jitter
 *     drawn uniformly from [0.5, 1.0]);
 *   - 429, and 503 carrying Retry-After: wait Retry-After when given, else
 *     the backoff;
 *   - any other 4xx: never retried;
 *   - non-idempotent requests (POST) are retried only when the request surely
 *     never reached the server (connection refused, DNS failure), on 429,
 *     and on 503 with Retry-After, so a timeout never duplicates a write;
 *   - no single wait may exceed max_wait_ms: a longer Retry-After ends the
 *     call at once with a rate-limit error carrying the wait;
 *   - a wait that would cross the call's deadline ends the call instead;
 *   - fail_fast never waits: the first failure is returned as it is.
 *
 * Threads: pure functions, thread-safe.
 */
#ifndef SPOTIFY_HTTP_RETRY_H
#define SPOTIFY_HTTP_RETRY_H

#include <stdbool.h>
#include <stdint.h>

#include <spotify/error.h>

typedef struct spotify__retry_policy {
    int max_retries;            /* retries after the first attempt; default 3 */
    int64_t initial_backoff_ms; /* default 500 */
    int64_t max_backoff_ms;     /* default 8000 */
    int64_t max_wait_ms;        /* cap on any single wait; default 60000 */
    bool fail_fast;             /* never wait; default false */
} spotify__retry_policy;

#define SPOTIFY__RETRY_POLICY_DEFAULT                                                              \
    {                                                                                              \
        3, 500, 8000, 60000, false                                                                 \
    }

/* How an attempt failed before any HTTP status was received. */
typedef enum spotify__failure {
    SPOTIFY__FAILURE_NONE = 0,  /* a response arrived: look at http_status */
    SPOTIFY__FAILURE_NOT_SENT,  /* refused, DNS failure: the server never saw it */
    SPOTIFY__FAILURE_TIMEOUT,   /* connect or transfer timeout: it may have */
    SPOTIFY__FAILURE_NETWORK,   /* reset or broken mid-way: it may have */
    SPOTIFY__FAILURE_PERMANENT, /* TLS verification, bad URL...: retrying cannot help */
    SPOTIFY__FAILURE_TOO_LARGE  /* the response body passed the request's limit */
} spotify__failure;

/* What happened in the attempt just made. */
typedef struct spotify__attempt {
    int number;      /* 1 for the first attempt */
    bool idempotent; /* false for POST */
    spotify__failure failure;
    int http_status;        /* when failure == NONE */
    int64_t retry_after_ms; /* from the response; -1 when absent */
    int64_t elapsed_ms;     /* since the call began */
    int64_t deadline_ms;    /* the call's total budget; <= 0 for none */
} spotify__attempt;

typedef struct spotify__retry_decision {
    bool retry; /* make another attempt after wait_ms */
    int64_t wait_ms;
    /* When !retry: the call's result (SPOTIFY_OK for 2xx). */
    spotify_status status;
    /* When !retry and the server asked for a wait: that wait, else -1. */
    int64_t retry_after_ms;
    /* Static text saying why the call ends here, for the error message
     * ("Retry-After exceeds the maximum wait"); NULL when nothing to add. */
    const char *reason;
} spotify__retry_decision;

/* True when the attempt got an HTTP answer below 300: the call is done and
 * no retry (nor its jitter) is needed. */
bool spotify__attempt_succeeded(const spotify__attempt *attempt);

/*
 * Decides what follows an attempt. `jitter_unit` is a uniform draw from
 * [0, 1) supplied by the caller (so the function stays pure); it is not
 * used when spotify__attempt_succeeded, so callers may skip the draw then.
 */
spotify__retry_decision spotify__retry_decide(const spotify__retry_policy *policy,
                                              const spotify__attempt *attempt, double jitter_unit);

/*
 * The backoff before retry number `retry_index` (0 for the first retry):
 * min(initial * 2^retry_index, max) * (0.5 + 0.5 * jitter_unit), in ms.
 */
int64_t spotify__backoff_ms(const spotify__retry_policy *policy, int retry_index,
                            double jitter_unit);

/*
 * Decides whether a request may start while the client's shared rate-limit
 * cooldown still has `remaining_ms` to run: retry=true with wait_ms means
 * "wait, then send"; retry=false means "fail now" with SPOTIFY_ERATELIMIT
 * (cooldown beyond max_wait_ms, beyond the deadline, or fail_fast).
 * remaining_ms <= 0 gives retry=true, wait_ms=0.
 */
spotify__retry_decision spotify__cooldown_admit(const spotify__retry_policy *policy,
                                                int64_t remaining_ms, int64_t elapsed_ms,
                                                int64_t deadline_ms);

/*
 * Parses a Retry-After header value: delay-seconds ("120") or an HTTP-date
 * (compared with `now_epoch_s`). Returns milliseconds (0 for a date in the
 * past), or -1 for a missing (NULL/empty) or unparseable value. Huge values
 * saturate at SPOTIFY__RETRY_AFTER_MAX_MS instead of overflowing.
 */
#define SPOTIFY__RETRY_AFTER_MAX_MS ((int64_t)365 * 24 * 3600 * 1000)
int64_t spotify__retry_after_parse(const char *value, int64_t now_epoch_s);

/* The status category for an HTTP status code (0 and 1xx/2xx give OK; 3xx
 * is SPOTIFY_EPROTOCOL). */
spotify_status spotify__status_from_http(int http_status);

#endif
