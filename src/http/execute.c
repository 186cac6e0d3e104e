/* SPDX-License-Identifier: Apache-2.0 */
/* http/execute.c - the blocking driver around the pure retry policy. */
#include "execute.h"

#include <string.h>
#include <time.h>

#include "../core/crypto.h"
#include "../core/error.h"
#include "../core/log.h"
#include "error_body.h"

spotify__retry_policy spotify__retry_policy_from_options(const spotify_retry_options *options)
{
    spotify__retry_policy policy = SPOTIFY__RETRY_POLICY_DEFAULT;
    if (options == NULL)
        return policy;
    if (options->max_retries != 0)
        policy.max_retries = options->max_retries < 0 ? 0 : options->max_retries;
    if (options->initial_backoff_ms > 0)
        policy.initial_backoff_ms = options->initial_backoff_ms;
    if (options->max_backoff_ms > 0)
        policy.max_backoff_ms = options->max_backoff_ms;
    if (options->max_wait_ms > 0)
        policy.max_wait_ms = options->max_wait_ms;
    policy.fail_fast = options->fail_fast;
    return policy;
}

spotify_status spotify__retry_options_check(const spotify_retry_options *options, const char *fn,
                                            spotify_error *err)
{
    if (options->version == 0 || options->version == SPOTIFY_RETRY_OPTIONS_VERSION)
        return SPOTIFY_OK;
    return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                              "%s: unknown retry options version %u (use "
                              "SPOTIFY_RETRY_OPTIONS_INIT)",
                              fn, options->version);
}

spotify_timeouts spotify__timeouts_resolve(const spotify_timeouts *timeouts)
{
    spotify_timeouts resolved = {SPOTIFY__CONNECT_TIMEOUT_MS, SPOTIFY__ATTEMPT_TIMEOUT_MS,
                                 SPOTIFY__CALL_TIMEOUT_MS};
    if (timeouts == NULL)
        return resolved;
    if (timeouts->connect_ms > 0)
        resolved.connect_ms = timeouts->connect_ms;
    if (timeouts->attempt_ms > 0)
        resolved.attempt_ms = timeouts->attempt_ms;
    if (timeouts->call_ms > 0)
        resolved.call_ms = timeouts->call_ms;
    return resolved;
}

/* The path of a URL, for messages: "/v1/albums/x" of
 * "https://host/v1/albums/x?market=SE". The query is left out so Spotify's
 * own message still fits the record after a long list of ids. */
static int url_path_len(const char *path)
{
    size_t len = strcspn(path, "?#");
    return len > 200 ? 200 : (int)len;
}

static const char *url_path(const char *url)
{
    const char *scheme_end = strstr(url, "://");
    if (scheme_end == NULL)
        return url;
    const char *path = strchr(scheme_end + 3, '/');
    return path != NULL ? path : url;
}

static spotify_status attempt_result(const spotify__http_response *response)
{
    if (response->failure != SPOTIFY__FAILURE_NONE)
        return SPOTIFY_ETRANSPORT;
    return spotify__status_from_http(response->status);
}

static void observe(const spotify__http_context *ctx, const spotify__http_request *request,
                    const spotify__http_response *response, int attempt,
                    const spotify__retry_decision *decision)
{
    bool log_debug = spotify__log_enabled(SPOTIFY_LOG_DEBUG);
    if (ctx->observer == NULL && !log_debug)
        return;
    char url[1024];
    spotify_redact(url, sizeof url, request->url);
    spotify_http_event event = {
        .method = request->method,
        .url = url,
        .http_status = response->status,
        .attempt = attempt,
        .duration_us = response->duration_us,
        .bytes_sent = response->bytes_sent,
        .bytes_received = (int64_t)response->body.len,
        .new_connections = response->new_connections,
        .result = attempt_result(response),
        .will_retry = decision->retry,
        .retry_wait_ms = decision->retry ? decision->wait_ms : 0,
    };
    if (ctx->observer != NULL)
        ctx->observer(&event, ctx->observer_user);
    if (log_debug)
        spotify__log(SPOTIFY_LOG_DEBUG, "%s %s -> %d%s%s in %lld us (attempt %d)%s",
                     request->method, url, response->status,
                     response->failure != SPOTIFY__FAILURE_NONE ? " " : "", response->error,
                     (long long)response->duration_us, attempt,
                     decision->retry ? ", will retry" : "");
}

/* Fills `err` for a call that ends without success. */
static spotify_status call_failed(const spotify__http_request *request,
                                  const spotify__http_response *response,
                                  const spotify__retry_decision *decision, int attempts,
                                  spotify_error *err)
{
    const char *reason = decision->reason != NULL ? decision->reason : "";
    const char *sep = decision->reason != NULL ? " (" : "";
    const char *end = decision->reason != NULL ? ")" : "";
    const char *path = url_path(request->url);
    int path_len = url_path_len(path);
    if (response->failure != SPOTIFY__FAILURE_NONE)
        spotify__error_set(err, decision->status, 0, "%s %.*s: %s%s%s%s", request->method, path_len,
                           path, response->error, sep, reason, end);
    else if (response->status >= 300 && response->status < 400)
        spotify__error_set(
            err, decision->status, response->status, "%s %.*s: HTTP %d, a redirect to %s%s%s%s",
            request->method, path_len, path, response->status,
            response->location[0] != '\0' ? response->location : "nowhere (no Location header)",
            sep, reason, end);
    else
        spotify__error_set(err, decision->status, response->status, "%s %.*s: HTTP %d%s%s%s",
                           request->method, path_len, path, response->status, sep, reason, end);
    if (response->failure == SPOTIFY__FAILURE_NONE)
        spotify__error_from_body(err, response->status, response->body.data, response->body.len);
    if (err != NULL) {
        err->retry_after_ms = decision->retry_after_ms;
        err->attempts = attempts;
    }
    return decision->status;
}

spotify_status spotify__http_admit(const spotify__http_context *ctx,
                                   const spotify__http_request *request, int64_t started_ms,
                                   int attempts, int64_t *wait_ms, spotify_error *err)
{
    *wait_ms = 0;
    if (ctx->cooldown == NULL)
        return SPOTIFY_OK;
    int64_t now = ctx->clock.now_ms(ctx->clock.user);
    int64_t remaining = spotify__cooldown_remaining(ctx->cooldown, now);
    spotify__retry_decision admit =
        spotify__cooldown_admit(&ctx->policy, remaining, now - started_ms, ctx->timeouts.call_ms);
    if (!admit.retry) {
        const char *path = url_path(request->url);
        spotify__error_set(err, SPOTIFY_ERATELIMIT, 429,
                           "%s %.*s: not sent: the client is cooling down for another %lld ms "
                           "after a 429%s%s%s",
                           request->method, url_path_len(path), path, (long long)remaining,
                           admit.reason ? " (" : "", admit.reason ? admit.reason : "",
                           admit.reason ? ")" : "");
        if (err != NULL) {
            err->retry_after_ms = remaining;
            err->attempts = attempts;
        }
        return SPOTIFY_ERATELIMIT;
    }
    *wait_ms = admit.wait_ms;
    return SPOTIFY_OK;
}

void spotify__http_attempt_prepare(const spotify__http_context *ctx, int64_t started_ms,
                                   spotify__http_request *attempt_request)
{
    int64_t elapsed = ctx->clock.now_ms(ctx->clock.user) - started_ms;
    int64_t left = ctx->timeouts.call_ms - elapsed;
    int64_t timeout = ctx->timeouts.attempt_ms < left ? ctx->timeouts.attempt_ms : left;
    attempt_request->timeout_ms = timeout < 1 ? 1 : timeout;
    attempt_request->connect_timeout_ms = ctx->timeouts.connect_ms;
}

bool spotify__http_next_attempt(const spotify__http_context *ctx,
                                const spotify__http_request *request,
                                spotify__http_response *response, int number, int64_t started_ms,
                                int64_t *wait_ms, spotify_status *status, spotify_error *err)
{
    response->attempt = number;
    int64_t now = ctx->clock.now_ms(ctx->clock.user);
    spotify__attempt attempt = {
        .number = number,
        .idempotent = request->idempotent,
        .failure = response->failure,
        .http_status = response->status,
        .retry_after_ms = spotify__retry_after_parse(response->retry_after, (int64_t)time(NULL)),
        .elapsed_ms = now - started_ms,
        .deadline_ms = ctx->timeouts.call_ms,
    };
    /* The jitter costs a CSPRNG draw: only a failed attempt needs it. */
    double jitter = spotify__attempt_succeeded(&attempt) ? 0.0 : spotify__random_unit();
    spotify__retry_decision decision = spotify__retry_decide(&ctx->policy, &attempt, jitter);
    bool cooling = response->status == 429 && ctx->cooldown != NULL;
    if (cooling) {
        int64_t wait = attempt.retry_after_ms >= 0 ? attempt.retry_after_ms : decision.wait_ms;
        spotify__cooldown_extend(ctx->cooldown, now + wait);
    }
    observe(ctx, request, response, number, &decision);
    if (!decision.retry) {
        *status = decision.status == SPOTIFY_OK
                      ? SPOTIFY_OK
                      : call_failed(request, response, &decision, number, err);
        return false;
    }
    /* A 429 already set the shared cooldown: admission waits it out. */
    *wait_ms = cooling ? 0 : decision.wait_ms;
    return true;
}

spotify_status spotify__http_execute(const spotify__http_context *ctx,
                                     const spotify__http_request *request,
                                     spotify__http_response *response, spotify_error *err)
{
    const spotify_clock *clock = &ctx->clock;
    int64_t started = clock->now_ms(clock->user);
    spotify__http_request attempt_request = *request;
    for (int number = 1;; number++) {
        int64_t wait_ms = 0;
        spotify_status st = spotify__http_admit(ctx, request, started, number - 1, &wait_ms, err);
        if (st != SPOTIFY_OK)
            return st;
        if (wait_ms > 0)
            clock->sleep_ms(clock->user, wait_ms);
        spotify__http_attempt_prepare(ctx, started, &attempt_request);
        st = spotify__transport_perform(ctx->transport, &attempt_request, response, err);
        if (st != SPOTIFY_OK)
            return st;
        if (!spotify__http_next_attempt(ctx, request, response, number, started, &wait_ms, &st,
                                        err))
            return st;
        if (wait_ms > 0) /* 0 after a 429: the next admission waits out the cooldown */
            clock->sleep_ms(clock->user, wait_ms);
    }
}
