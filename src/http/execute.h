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
spotify_timeouts spotify__timeouts_resolve(const spotify_timeouts *timeouts);

/*
 * Performs `request` with retries. On SPOTIFY_OK the response is a 2xx or
 * 3xx. On failure, `err` holds the category, HTTP status, Spotify's message,
 * the redacted body excerpt, Retry-After and the attempt count; `response`
 * still holds the last attempt (for callers that want its body).
 */
spotify_status spotify__http_execute(const spotify__http_context *ctx,
                                     const spotify__http_request *request,
                                     spotify__http_response *response, spotify_error *err);

#endif
