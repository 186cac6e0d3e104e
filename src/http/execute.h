/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http/execute.h - the blocking HTTP driver: one request, attempted and
 * retried as the pure retry policy (retry.h) decides, waiting on the
 * injectable clock, honouring the shared rate-limit cooldown and the call's
 * deadline, and reporting every attempt to the observer.
 *
 * Threads: safe from many threads at once with the same context.
 */
#ifndef SPOTIFY_HTTP_EXECUTE_H
#define SPOTIFY_HTTP_EXECUTE_H

#include <spotify/http.h>

#include "cooldown.h"
#include "retry.h"
#include "transport.h"

/* Everything a request needs besides the request itself. Owned by the client
 * (or auth provider) that built it; borrowed by each call. */
typedef struct spotify__http_context {
    spotify__transport *transport;
    spotify__retry_policy policy;
    spotify_timeouts timeouts;   /* resolved: every field > 0 */
    spotify_clock clock;         /* resolved: both functions set */
    spotify__cooldown *cooldown; /* shared 429 cooldown; may be NULL */
    spotify_http_observer_fn observer;
    void *observer_user;
} spotify__http_context;

/* Resolves user-facing options into a policy and timeouts (defaults for
 * zero fields). */
spotify__retry_policy spotify__retry_policy_from_options(const spotify_retry_options *options);
/* The timeouts zero fields stand for (spotify_timeouts). */
#define SPOTIFY__CONNECT_TIMEOUT_MS 10000
#define SPOTIFY__ATTEMPT_TIMEOUT_MS 30000
#define SPOTIFY__CALL_TIMEOUT_MS 120000
spotify_timeouts spotify__timeouts_resolve(const spotify_timeouts *timeouts);
/* SPOTIFY_OK when a nested spotify_retry_options is usable: version 0 (a
 * zeroed struct: the defaults) or SPOTIFY_RETRY_OPTIONS_VERSION; else
 * SPOTIFY_EINVALID naming `fn`. */
spotify_status spotify__retry_options_check(const spotify_retry_options *options, const char *fn,
                                            spotify_error *err);

/*
 * Performs `request` with retries. On SPOTIFY_OK the response is a 2xx or
 * 3xx. On failure, `err` holds the category, HTTP status, Spotify's message,
 * the redacted body excerpt, Retry-After and the attempt count; `response`
 * still holds the last attempt (for callers that want its body).
 */
spotify_status spotify__http_execute(const spotify__http_context *ctx,
                                     const spotify__http_request *request,
                                     spotify__http_response *response, spotify_error *err);

/*
 * The steps of spotify__http_execute, shared with the async driver so both
 * follow the same rules:
 *
 * spotify__http_admit: may attempt number `attempts`+1 start now, given the
 * shared cooldown? SPOTIFY_OK with *wait_ms to wait first (0: at once), or
 * SPOTIFY_ERATELIMIT (filled in `err`) when the policy would not wait.
 *
 * spotify__http_attempt_prepare: sets the connect and attempt timeouts of
 * the next attempt from what is left of the call's deadline.
 *
 * spotify__http_next_attempt: after attempt `number` (its outcome in
 * `response`): asks the policy, records a 429 in the cooldown and reports
 * to the observer. true: attempt again after *wait_ms (0 when the cooldown
 * does the waiting). false: the call ends with *status (SPOTIFY_OK, or the
 * error filled in `err`).
 */
spotify_status spotify__http_admit(const spotify__http_context *ctx,
                                   const spotify__http_request *request, int64_t started_ms,
                                   int attempts, int64_t *wait_ms, spotify_error *err);
void spotify__http_attempt_prepare(const spotify__http_context *ctx, int64_t started_ms,
                                   spotify__http_request *attempt_request);
bool spotify__http_next_attempt(const spotify__http_context *ctx,
                                const spotify__http_request *request,
                                spotify__http_response *response, int number, int64_t started_ms,
                                int64_t *wait_ms, spotify_status *status, spotify_error *err);

#endif
