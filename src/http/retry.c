/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http/retry.c - the retry policy as pure functions: what follows an
 * attempt, the backoff schedule, the shared rate-limit cooldown and the
 * Retry-After header. See retry.h for the rules.
 */
#include "retry.h"

#include <float.h>
#include <string.h>

#include <curl/curl.h>

/* The largest double below 1.0: the top of the jitter draw. */
#define JITTER_UNIT_MAX (1.0 - DBL_EPSILON / 2.0)
/* Doubles at or above this do not fit an int64_t (2^63). */
#define INT64_LIMIT_AS_DOUBLE 9223372036854775808.0
/* The longest Retry-After value worth parsing (HTTP-dates are ~30 chars). */
#define RETRY_AFTER_TEXT_MAX 128

spotify_status spotify__status_from_http(int http_status)
{
    if (http_status == 0 || (http_status >= 100 && http_status < 300))
        return SPOTIFY_OK;
    switch (http_status) {
    case 400:
        return SPOTIFY_EBADREQUEST;
    case 401:
        return SPOTIFY_EAUTH;
    case 403:
        return SPOTIFY_EFORBIDDEN;
    case 404:
        return SPOTIFY_ENOTFOUND;
    case 429:
        return SPOTIFY_ERATELIMIT;
    default:
        break;
    }
    if (http_status >= 400 && http_status < 500)
        return SPOTIFY_EBADREQUEST;
    if (http_status >= 500 && http_status < 600)
        return SPOTIFY_ESERVER;
    return SPOTIFY_EPROTOCOL;
}

static double clamp_jitter(double jitter_unit)
{
    if (!(jitter_unit >= 0.0)) /* also catches NaN */
        return 0.0;
    if (jitter_unit >= 1.0)
        return JITTER_UNIT_MAX;
    return jitter_unit;
}

/* min(initial * 2^retry_index, max), saturating instead of overflowing. */
static int64_t backoff_base_ms(const spotify__retry_policy *policy, int retry_index)
{
    int64_t cap = policy->max_backoff_ms;
    int64_t base = policy->initial_backoff_ms;
    if (cap <= 0 || base <= 0)
        return 0;
    for (int i = 0; i < retry_index && base < cap; i++) {
        if (base > INT64_MAX / 2)
            return cap;
        base *= 2;
    }
    return base < cap ? base : cap;
}

int64_t spotify__backoff_ms(const spotify__retry_policy *policy, int retry_index,
                            double jitter_unit)
{
    int64_t base = backoff_base_ms(policy, retry_index < 0 ? 0 : retry_index);
    double wait = (double)base * (0.5 + 0.5 * clamp_jitter(jitter_unit));
    if (wait >= INT64_LIMIT_AS_DOUBLE)
        return INT64_MAX;
    return (int64_t)wait;
}

/* True when waiting `wait_ms` more would pass the call's deadline. */
static bool crosses_deadline(int64_t elapsed_ms, int64_t wait_ms, int64_t deadline_ms)
{
    if (deadline_ms <= 0)
        return false;
    if (elapsed_ms < 0)
        elapsed_ms = 0;
    if (elapsed_ms > deadline_ms)
        return true;
    return wait_ms > deadline_ms - elapsed_ms;
}

static bool is_transport_failure(const spotify__attempt *attempt)
{
    return attempt->failure != SPOTIFY__FAILURE_NONE;
}

/* The status the call ends with when this attempt is the last one. */
static spotify_status final_status(const spotify__attempt *attempt)
{
    if (attempt->failure == SPOTIFY__FAILURE_TOO_LARGE)
        return SPOTIFY_EPROTOCOL;
    if (is_transport_failure(attempt))
        return SPOTIFY_ETRANSPORT;
    if (attempt->http_status == 0)
        return SPOTIFY_EPROTOCOL; /* a "response" without any status line */
    return spotify__status_from_http(attempt->http_status);
}

/* The wait the server asked for (429, or 503 with Retry-After), else -1. */
static int64_t server_requested_wait(const spotify__attempt *attempt)
{
    if (is_transport_failure(attempt) || attempt->retry_after_ms < 0)
        return -1;
    if (attempt->http_status == 429 || attempt->http_status == 503)
        return attempt->retry_after_ms;
    return -1;
}

/* Whether another attempt could help, ignoring limits; sets *reason if not. */
static bool is_retryable(const spotify__attempt *attempt, const char **reason)
{
    switch (attempt->failure) {
    case SPOTIFY__FAILURE_NOT_SENT:
        return true;
    case SPOTIFY__FAILURE_TIMEOUT:
    case SPOTIFY__FAILURE_NETWORK:
        if (!attempt->idempotent)
            *reason = "not retried: the request may have reached the server";
        return attempt->idempotent;
    case SPOTIFY__FAILURE_PERMANENT:
        *reason = "the failure is permanent: retrying cannot help";
        return false;
    case SPOTIFY__FAILURE_TOO_LARGE:
        *reason = "not retried: the answer would be as large again";
        return false;
    case SPOTIFY__FAILURE_NONE:
        break;
    }
    int status = attempt->http_status;
    if (status == 429 || server_requested_wait(attempt) >= 0)
        return true;
    if (status >= 500 && status < 600) {
        if (!attempt->idempotent)
            *reason = "not retried: the request may have reached the server";
        return attempt->idempotent;
    }
    if (status >= 300 && status < 400)
        *reason = "not followed: the Web API does not redirect";
    if (status < 100 || status >= 600)
        *reason = "the response carried no valid HTTP status";
    return false;
}

static spotify__retry_decision give_up(const spotify__attempt *attempt, const char *reason)
{
    spotify__retry_decision d = {false, 0, final_status(attempt), server_requested_wait(attempt),
                                 reason};
    return d;
}

bool spotify__attempt_succeeded(const spotify__attempt *attempt)
{
    return !is_transport_failure(attempt) && attempt->http_status >= 100 &&
           attempt->http_status < 300;
}

spotify__retry_decision spotify__retry_decide(const spotify__retry_policy *policy,
                                              const spotify__attempt *attempt, double jitter_unit)
{
    if (spotify__attempt_succeeded(attempt)) {
        spotify__retry_decision done = {false, 0, SPOTIFY_OK, -1, NULL};
        return done;
    }
    const char *reason = NULL;
    if (!is_retryable(attempt, &reason))
        return give_up(attempt, reason);
    int64_t requested = server_requested_wait(attempt);
    int64_t wait =
        requested >= 0 ? requested : spotify__backoff_ms(policy, attempt->number - 1, jitter_unit);
    if (attempt->number > policy->max_retries)
        return give_up(attempt, "gave up after the maximum number of attempts");
    if (policy->fail_fast)
        return give_up(attempt, "fail-fast is set: the first failure is returned");
    if (wait > policy->max_wait_ms)
        return give_up(attempt, requested >= 0 ? "Retry-After exceeds the maximum wait"
                                               : "the backoff exceeds the maximum wait");
    if (crosses_deadline(attempt->elapsed_ms, wait, attempt->deadline_ms))
        return give_up(attempt, "the call's deadline would pass");
    spotify__retry_decision again = {true, wait, final_status(attempt), requested, NULL};
    return again;
}

spotify__retry_decision spotify__cooldown_admit(const spotify__retry_policy *policy,
                                                int64_t remaining_ms, int64_t elapsed_ms,
                                                int64_t deadline_ms)
{
    spotify__retry_decision d = {false, 0, SPOTIFY_ERATELIMIT, remaining_ms, NULL};
    if (remaining_ms <= 0) {
        spotify__retry_decision go = {true, 0, SPOTIFY_OK, -1, NULL};
        return go;
    }
    if (policy->fail_fast) {
        d.reason = "a rate-limit cooldown is running and fail-fast is set";
    } else if (remaining_ms > policy->max_wait_ms) {
        d.reason = "the rate-limit cooldown exceeds the maximum wait";
    } else if (crosses_deadline(elapsed_ms, remaining_ms, deadline_ms)) {
        d.reason = "the call's deadline would pass";
    } else {
        d.retry = true;
        d.wait_ms = remaining_ms;
        d.status = SPOTIFY_OK;
    }
    return d;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* delay-seconds: all digits, saturating; -1 when anything else appears. */
static int64_t parse_delay_seconds(const char *text, size_t len)
{
    const int64_t max_seconds = SPOTIFY__RETRY_AFTER_MAX_MS / 1000;
    int64_t seconds = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(text[i]))
            return -1;
        if (seconds <= max_seconds)
            seconds = seconds * 10 + (text[i] - '0');
    }
    return seconds > max_seconds ? SPOTIFY__RETRY_AFTER_MAX_MS : seconds * 1000;
}

/* An HTTP-date, compared with `now_epoch_s`; -1 when it does not parse. */
static int64_t parse_http_date(const char *text, size_t len, int64_t now_epoch_s)
{
    char copy[RETRY_AFTER_TEXT_MAX];
    if (len >= sizeof copy)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    time_t date = curl_getdate(copy, NULL);
    if (date == (time_t)-1)
        return -1;
    int64_t when = (int64_t)date;
    if (when <= now_epoch_s)
        return 0;
    bool overflows = now_epoch_s < 0 && when > INT64_MAX + now_epoch_s;
    if (overflows || when - now_epoch_s > SPOTIFY__RETRY_AFTER_MAX_MS / 1000)
        return SPOTIFY__RETRY_AFTER_MAX_MS;
    return (when - now_epoch_s) * 1000;
}

int64_t spotify__retry_after_parse(const char *value, int64_t now_epoch_s)
{
    if (value == NULL)
        return -1;
    size_t len = strlen(value);
    while (len > 0 && is_space(*value)) {
        value++;
        len--;
    }
    while (len > 0 && is_space(value[len - 1]))
        len--;
    if (len == 0)
        return -1;
    if (is_digit(value[0]))
        return parse_delay_seconds(value, len);
    if ((value[0] >= 'A' && value[0] <= 'Z') || (value[0] >= 'a' && value[0] <= 'z'))
        return parse_http_date(value, len, now_epoch_s);
    return -1;
}
