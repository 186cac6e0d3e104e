/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_retry.c - the retry policy (http/retry.c): the decision for every
 * outcome class and method kind, the limits (max_retries, fail_fast, the
 * wait cap, the deadline), the backoff schedule and its jitter, Retry-After
 * parsing and the shared cooldown admission.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "http/retry.h"

/* Wed, 21 Oct 2015 07:28:00 GMT */
#define FIXED_NOW 1445412480

static const spotify__retry_policy default_policy = SPOTIFY__RETRY_POLICY_DEFAULT;

static spotify__attempt make_attempt(bool idempotent, spotify__failure failure, int status,
                                     int64_t retry_after_ms)
{
    spotify__attempt a = {1, idempotent, failure, status, retry_after_ms, 0, 0};
    return a;
}

static spotify__attempt http_attempt(int status, int64_t retry_after_ms)
{
    return make_attempt(true, SPOTIFY__FAILURE_NONE, status, retry_after_ms);
}

/* ---- spotify__status_from_http ---------------------------------------- */

static void test_status_from_http(void **state)
{
    (void)state;
    static const struct {
        int http;
        spotify_status expect;
    } rows[] = {
        {0, SPOTIFY_OK},
        {100, SPOTIFY_OK},
        {200, SPOTIFY_OK},
        {204, SPOTIFY_OK},
        {299, SPOTIFY_OK},
        {300, SPOTIFY_EPROTOCOL},
        {302, SPOTIFY_EPROTOCOL},
        {304, SPOTIFY_EPROTOCOL},
        {399, SPOTIFY_EPROTOCOL},
        {400, SPOTIFY_EBADREQUEST},
        {401, SPOTIFY_EAUTH},
        {403, SPOTIFY_EFORBIDDEN},
        {404, SPOTIFY_ENOTFOUND},
        {429, SPOTIFY_ERATELIMIT},
        {402, SPOTIFY_EBADREQUEST},
        {409, SPOTIFY_EBADREQUEST},
        {499, SPOTIFY_EBADREQUEST},
        {500, SPOTIFY_ESERVER},
        {503, SPOTIFY_ESERVER},
        {599, SPOTIFY_ESERVER},
        {600, SPOTIFY_EPROTOCOL},
        {99, SPOTIFY_EPROTOCOL},
        {1, SPOTIFY_EPROTOCOL},
        {-1, SPOTIFY_EPROTOCOL},
        {-404, SPOTIFY_EPROTOCOL},
        {1000, SPOTIFY_EPROTOCOL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        spotify_status got = spotify__status_from_http(rows[i].http);
        if (got != rows[i].expect)
            fail_msg("HTTP %d: got %d, expected %d", rows[i].http, (int)got, (int)rows[i].expect);
    }
}

/* ---- spotify__retry_decide: one row per outcome and method kind -------- */

/* wait for a backoff with jitter 0 on the first retry: 500 * 0.5 */
#define FIRST_BACKOFF 250

typedef struct decide_row {
    const char *name;
    spotify__failure failure;
    int http_status;
    int64_t retry_after_ms;
    /* expectations for an idempotent request (GET) and a non-idempotent one (POST) */
    bool get_retries;
    bool post_retries;
    int64_t wait_ms;       /* when retried */
    spotify_status status; /* when not retried (and in the decision when retried) */
    int64_t decision_retry_after_ms;
} decide_row;

static const decide_row decide_rows[] = {
    {"200", SPOTIFY__FAILURE_NONE, 200, -1, false, false, 0, SPOTIFY_OK, -1},
    {"204", SPOTIFY__FAILURE_NONE, 204, -1, false, false, 0, SPOTIFY_OK, -1},
    {"301", SPOTIFY__FAILURE_NONE, 301, -1, false, false, 0, SPOTIFY_EPROTOCOL, -1},
    {"304", SPOTIFY__FAILURE_NONE, 304, -1, false, false, 0, SPOTIFY_EPROTOCOL, -1},
    {"307 with Retry-After", SPOTIFY__FAILURE_NONE, 307, 1000, false, false, 0, SPOTIFY_EPROTOCOL,
     -1},
    {"101", SPOTIFY__FAILURE_NONE, 101, -1, false, false, 0, SPOTIFY_OK, -1},
    {"200 with Retry-After", SPOTIFY__FAILURE_NONE, 200, 5000, false, false, 0, SPOTIFY_OK, -1},
    {"not sent", SPOTIFY__FAILURE_NOT_SENT, 0, -1, true, true, FIRST_BACKOFF, SPOTIFY_ETRANSPORT,
     -1},
    {"timeout", SPOTIFY__FAILURE_TIMEOUT, 0, -1, true, false, FIRST_BACKOFF, SPOTIFY_ETRANSPORT,
     -1},
    {"network", SPOTIFY__FAILURE_NETWORK, 0, -1, true, false, FIRST_BACKOFF, SPOTIFY_ETRANSPORT,
     -1},
    {"permanent", SPOTIFY__FAILURE_PERMANENT, 0, -1, false, false, 0, SPOTIFY_ETRANSPORT, -1},
    {"timeout ignores a stale status", SPOTIFY__FAILURE_TIMEOUT, 429, 1000, true, false,
     FIRST_BACKOFF, SPOTIFY_ETRANSPORT, -1},
    {"400", SPOTIFY__FAILURE_NONE, 400, -1, false, false, 0, SPOTIFY_EBADREQUEST, -1},
    {"401", SPOTIFY__FAILURE_NONE, 401, -1, false, false, 0, SPOTIFY_EAUTH, -1},
    {"403", SPOTIFY__FAILURE_NONE, 403, -1, false, false, 0, SPOTIFY_EFORBIDDEN, -1},
    {"404", SPOTIFY__FAILURE_NONE, 404, -1, false, false, 0, SPOTIFY_ENOTFOUND, -1},
    {"409", SPOTIFY__FAILURE_NONE, 409, -1, false, false, 0, SPOTIFY_EBADREQUEST, -1},
    {"422", SPOTIFY__FAILURE_NONE, 422, -1, false, false, 0, SPOTIFY_EBADREQUEST, -1},
    {"400 with Retry-After", SPOTIFY__FAILURE_NONE, 400, 1000, false, false, 0, SPOTIFY_EBADREQUEST,
     -1},
    {"429 without Retry-After", SPOTIFY__FAILURE_NONE, 429, -1, true, true, FIRST_BACKOFF,
     SPOTIFY_ERATELIMIT, -1},
    {"429 with Retry-After", SPOTIFY__FAILURE_NONE, 429, 2000, true, true, 2000, SPOTIFY_ERATELIMIT,
     2000},
    {"429 with Retry-After 0", SPOTIFY__FAILURE_NONE, 429, 0, true, true, 0, SPOTIFY_ERATELIMIT, 0},
    {"503 with Retry-After", SPOTIFY__FAILURE_NONE, 503, 3000, true, true, 3000, SPOTIFY_ESERVER,
     3000},
    {"503 without Retry-After", SPOTIFY__FAILURE_NONE, 503, -1, true, false, FIRST_BACKOFF,
     SPOTIFY_ESERVER, -1},
    {"500", SPOTIFY__FAILURE_NONE, 500, -1, true, false, FIRST_BACKOFF, SPOTIFY_ESERVER, -1},
    {"502", SPOTIFY__FAILURE_NONE, 502, -1, true, false, FIRST_BACKOFF, SPOTIFY_ESERVER, -1},
    {"504", SPOTIFY__FAILURE_NONE, 504, -1, true, false, FIRST_BACKOFF, SPOTIFY_ESERVER, -1},
    {"500 ignores Retry-After", SPOTIFY__FAILURE_NONE, 500, 9000, true, false, FIRST_BACKOFF,
     SPOTIFY_ESERVER, -1},
    {"600", SPOTIFY__FAILURE_NONE, 600, -1, false, false, 0, SPOTIFY_EPROTOCOL, -1},
    {"no status", SPOTIFY__FAILURE_NONE, 0, -1, false, false, 0, SPOTIFY_EPROTOCOL, -1},
    {"negative status", SPOTIFY__FAILURE_NONE, -5, -1, false, false, 0, SPOTIFY_EPROTOCOL, -1},
    {"status 42", SPOTIFY__FAILURE_NONE, 42, -1, false, false, 0, SPOTIFY_EPROTOCOL, -1},
};

static void check_row(const decide_row *row, bool idempotent)
{
    spotify__attempt a =
        make_attempt(idempotent, row->failure, row->http_status, row->retry_after_ms);
    spotify__retry_decision d = spotify__retry_decide(&default_policy, &a, 0.0);
    bool expect_retry = idempotent ? row->get_retries : row->post_retries;
    const char *method = idempotent ? "GET" : "POST";
    if (d.retry != expect_retry)
        fail_msg("%s %s: retry=%d, expected %d", method, row->name, d.retry, expect_retry);
    if (d.retry && d.wait_ms != row->wait_ms)
        fail_msg("%s %s: wait %lld, expected %lld", method, row->name, (long long)d.wait_ms,
                 (long long)row->wait_ms);
    /* "Succeeded" (no jitter needed) is exactly "done with SPOTIFY_OK". */
    if (spotify__attempt_succeeded(&a) != (d.status == SPOTIFY_OK && !d.retry))
        fail_msg("%s %s: attempt_succeeded disagrees with the decision", method, row->name);
    if (d.status != row->status)
        fail_msg("%s %s: status %d, expected %d", method, row->name, (int)d.status,
                 (int)row->status);
    if (d.retry_after_ms != row->decision_retry_after_ms)
        fail_msg("%s %s: retry_after %lld, expected %lld", method, row->name,
                 (long long)d.retry_after_ms, (long long)row->decision_retry_after_ms);
    if (!d.retry && d.status == SPOTIFY_OK && d.reason != NULL)
        fail_msg("%s %s: a success carries a reason", method, row->name);
}

static void test_decide_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof decide_rows / sizeof decide_rows[0]; i++) {
        check_row(&decide_rows[i], true);
        check_row(&decide_rows[i], false);
    }
}

static void test_decide_reasons(void **state)
{
    (void)state;
    spotify__attempt post_timeout = make_attempt(false, SPOTIFY__FAILURE_TIMEOUT, 0, -1);
    spotify__retry_decision d = spotify__retry_decide(&default_policy, &post_timeout, 0.5);
    assert_false(d.retry);
    assert_non_null(d.reason);
    spotify__attempt permanent = make_attempt(true, SPOTIFY__FAILURE_PERMANENT, 0, -1);
    d = spotify__retry_decide(&default_policy, &permanent, 0.5);
    assert_non_null(d.reason);
    assert_non_null(strstr(d.reason, "permanent"));
}

/* ---- limits ------------------------------------------------------------ */

static void test_max_retries_boundary(void **state)
{
    (void)state;
    spotify__attempt a = http_attempt(503, -1);
    /* max_retries 3: attempts 1..3 are followed by a retry, attempt 4 is the last */
    for (int n = 1; n <= 3; n++) {
        a.number = n;
        spotify__retry_decision d = spotify__retry_decide(&default_policy, &a, 0.0);
        assert_true(d.retry);
        /* backoff index n-1 with jitter 0: 500 * 2^(n-1) / 2 */
        assert_int_equal(d.wait_ms, (500 << (n - 1)) / 2);
    }
    a.number = 4;
    spotify__retry_decision d = spotify__retry_decide(&default_policy, &a, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ESERVER);
    assert_non_null(d.reason);
    assert_non_null(strstr(d.reason, "gave up"));

    spotify__retry_policy none = default_policy;
    none.max_retries = 0;
    spotify__attempt limited = http_attempt(429, 1000);
    d = spotify__retry_decide(&none, &limited, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ERATELIMIT);
    assert_int_equal(d.retry_after_ms, 1000);
}

static void test_fail_fast(void **state)
{
    (void)state;
    spotify__retry_policy policy = default_policy;
    policy.fail_fast = true;

    spotify__attempt a = http_attempt(503, -1);
    spotify__retry_decision d = spotify__retry_decide(&policy, &a, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ESERVER);
    assert_non_null(d.reason);
    assert_non_null(strstr(d.reason, "fail-fast"));

    a = http_attempt(429, 1500);
    d = spotify__retry_decide(&policy, &a, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ERATELIMIT);
    assert_int_equal(d.retry_after_ms, 1500);

    a = make_attempt(false, SPOTIFY__FAILURE_NOT_SENT, 0, -1);
    d = spotify__retry_decide(&policy, &a, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ETRANSPORT);

    a = http_attempt(200, -1);
    d = spotify__retry_decide(&policy, &a, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_OK);

    a = http_attempt(404, -1);
    d = spotify__retry_decide(&policy, &a, 0.0);
    assert_int_equal(d.status, SPOTIFY_ENOTFOUND);
}

static void test_wait_cap(void **state)
{
    (void)state;
    spotify__attempt a = http_attempt(429, 120000);
    for (int post = 0; post < 2; post++) {
        a.idempotent = post == 0;
        spotify__retry_decision d = spotify__retry_decide(&default_policy, &a, 0.0);
        assert_false(d.retry);
        assert_int_equal(d.status, SPOTIFY_ERATELIMIT);
        assert_int_equal(d.retry_after_ms, 120000);
        assert_non_null(d.reason);
        assert_string_equal(d.reason, "Retry-After exceeds the maximum wait");
    }

    a = http_attempt(503, 120000);
    spotify__retry_decision d = spotify__retry_decide(&default_policy, &a, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ESERVER);
    assert_int_equal(d.retry_after_ms, 120000);

    a = http_attempt(429, 60000); /* exactly the cap: waited */
    d = spotify__retry_decide(&default_policy, &a, 0.0);
    assert_true(d.retry);
    assert_int_equal(d.wait_ms, 60000);

    spotify__retry_policy tight = default_policy;
    tight.max_wait_ms = 100; /* shorter than any backoff */
    a = http_attempt(500, -1);
    d = spotify__retry_decide(&tight, &a, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ESERVER);
    assert_int_equal(d.retry_after_ms, -1);
    assert_non_null(d.reason);
}

static void test_deadline(void **state)
{
    (void)state;
    spotify__attempt a = http_attempt(429, 5000);
    a.deadline_ms = 10000;
    a.elapsed_ms = 6000;
    spotify__retry_decision d = spotify__retry_decide(&default_policy, &a, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ERATELIMIT);
    assert_int_equal(d.retry_after_ms, 5000);
    assert_non_null(d.reason);
    assert_string_equal(d.reason, "the call's deadline would pass");

    a.elapsed_ms = 5000; /* lands exactly on the deadline: allowed */
    d = spotify__retry_decide(&default_policy, &a, 0.0);
    assert_true(d.retry);
    assert_int_equal(d.wait_ms, 5000);

    a.deadline_ms = 0; /* no deadline */
    a.elapsed_ms = INT64_MAX / 2;
    d = spotify__retry_decide(&default_policy, &a, 0.0);
    assert_true(d.retry);

    a = http_attempt(500, -1);
    a.deadline_ms = 10000;
    a.elapsed_ms = 9900; /* backoff 250 would cross it */
    d = spotify__retry_decide(&default_policy, &a, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ESERVER);

    a = make_attempt(true, SPOTIFY__FAILURE_TIMEOUT, 0, -1);
    a.deadline_ms = 1000;
    a.elapsed_ms = 1000;
    d = spotify__retry_decide(&default_policy, &a, 0.0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ETRANSPORT);
}

/* ---- backoff ----------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

/* xorshift64*: a uniform draw from [0, 1). */
static double next_unit(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    uint64_t x = rng_state * 2685821657736338717u;
    return (double)(x >> 11) / 9007199254740992.0; /* 2^53 */
}

static void test_backoff_jitter_range(void **state)
{
    (void)state;
    for (int i = 0; i <= 6; i++) {
        int64_t full = (int64_t)500 << i;
        if (full > 8000)
            full = 8000;
        int64_t lo = full / 2;
        int64_t min_seen = INT64_MAX;
        int64_t max_seen = INT64_MIN;
        for (int n = 0; n < 10000; n++) {
            int64_t w = spotify__backoff_ms(&default_policy, i, next_unit());
            if (w < lo || w > full)
                fail_msg("index %d: %lld outside [%lld, %lld]", i, (long long)w, (long long)lo,
                         (long long)full);
            min_seen = w < min_seen ? w : min_seen;
            max_seen = w > max_seen ? w : max_seen;
        }
        int64_t slack = full / 100 + 1; /* within 1% of each end */
        if (min_seen > lo + slack || max_seen < full - slack)
            fail_msg("index %d: observed [%lld, %lld] for [%lld, %lld]", i, (long long)min_seen,
                     (long long)max_seen, (long long)lo, (long long)full);
    }
}

static void test_backoff_bounds(void **state)
{
    (void)state;
    assert_int_equal(spotify__backoff_ms(&default_policy, 0, 0.0), 250);
    assert_in_range(spotify__backoff_ms(&default_policy, 0, 0.999999), 499, 500);
    assert_int_equal(spotify__backoff_ms(&default_policy, 4, 0.0), 4000);
    assert_int_equal(spotify__backoff_ms(&default_policy, 5, 0.0), 4000); /* capped at 8 s */
    assert_int_equal(spotify__backoff_ms(&default_policy, 1000, 0.0), 4000);
    assert_in_range(spotify__backoff_ms(&default_policy, 1000, 0.999999), 7990, 8000);
    assert_int_equal(spotify__backoff_ms(&default_policy, INT32_MAX, 0.0), 4000);
    assert_int_equal(spotify__backoff_ms(&default_policy, -3, 0.0), 250);
    /* jitter outside [0, 1) is clamped */
    assert_int_equal(spotify__backoff_ms(&default_policy, 0, -2.0), 250);
    assert_int_equal(spotify__backoff_ms(&default_policy, 0, (double)NAN), 250);
    assert_in_range(spotify__backoff_ms(&default_policy, 0, 7.0), 499, 500);

    /* huge settings saturate instead of overflowing */
    spotify__retry_policy huge = {3, INT64_MAX / 3, INT64_MAX, 60000, false};
    int64_t w = spotify__backoff_ms(&huge, 1000, 0.999999);
    assert_true(w > 0);
    spotify__retry_policy zero = {3, 0, 8000, 60000, false};
    assert_int_equal(spotify__backoff_ms(&zero, 1000, 0.5), 0);
}

/* ---- Retry-After ------------------------------------------------------- */

static void test_retry_after_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t expect;
    } rows[] = {
        {"", -1},
        {"   ", -1},
        {"garbage", -1},
        {"-1", -1},
        {"+5", -1},
        {"1.5", -1},
        {"12abc", -1},
        {"1 2", -1},
        {"0", 0},
        {"120", 120000},
        {" 7 ", 7000},
        {"\t30\t", 30000},
        {"31536000", SPOTIFY__RETRY_AFTER_MAX_MS},
        {"31536001", SPOTIFY__RETRY_AFTER_MAX_MS},
        {"99999999999999999999999", SPOTIFY__RETRY_AFTER_MAX_MS},
        {"Wed, 21 Oct 2015 07:30:00 GMT", 120000},
        {"  Wed, 21 Oct 2015 07:28:07 GMT  ", 7000},
        {"Wed, 21 Oct 2015 07:28:00 GMT", 0},
        {"Wed, 21 Oct 2015 07:00:00 GMT", 0},
        {"Sun, 06 Nov 1994 08:49:37 GMT", 0},
        {"Fri, 01 Jan 2100 00:00:00 GMT", SPOTIFY__RETRY_AFTER_MAX_MS},
        {"Wed, 99 Foo 2015 07:30:00 GMT", -1},
    };
    assert_int_equal(spotify__retry_after_parse(NULL, FIXED_NOW), -1);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t got = spotify__retry_after_parse(rows[i].text, FIXED_NOW);
        if (got != rows[i].expect)
            fail_msg("\"%s\": got %lld, expected %lld", rows[i].text, (long long)got,
                     (long long)rows[i].expect);
    }
}

/* ---- the shared cooldown ----------------------------------------------- */

static void test_cooldown_admit(void **state)
{
    (void)state;
    spotify__retry_decision d = spotify__cooldown_admit(&default_policy, 0, 0, 0);
    assert_true(d.retry);
    assert_int_equal(d.wait_ms, 0);
    assert_int_equal(d.status, SPOTIFY_OK);
    d = spotify__cooldown_admit(&default_policy, -50, 0, 0);
    assert_true(d.retry);
    assert_int_equal(d.wait_ms, 0);

    spotify__retry_policy fast = default_policy;
    fast.fail_fast = true;
    d = spotify__cooldown_admit(&fast, 1000, 0, 0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ERATELIMIT);
    assert_int_equal(d.retry_after_ms, 1000);
    assert_non_null(d.reason);
    d = spotify__cooldown_admit(&fast, 0, 0, 0); /* no cooldown: fail_fast is irrelevant */
    assert_true(d.retry);

    d = spotify__cooldown_admit(&default_policy, 61000, 0, 0);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ERATELIMIT);
    assert_int_equal(d.retry_after_ms, 61000);
    assert_non_null(d.reason);

    d = spotify__cooldown_admit(&default_policy, 5000, 6000, 10000);
    assert_false(d.retry);
    assert_int_equal(d.status, SPOTIFY_ERATELIMIT);
    assert_int_equal(d.retry_after_ms, 5000);
    assert_non_null(d.reason);

    d = spotify__cooldown_admit(&default_policy, 5000, 5000, 10000);
    assert_true(d.retry);
    assert_int_equal(d.wait_ms, 5000);
    assert_int_equal(d.status, SPOTIFY_OK);

    d = spotify__cooldown_admit(&default_policy, 60000, 0, 0); /* exactly the cap */
    assert_true(d.retry);
    assert_int_equal(d.wait_ms, 60000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_from_http), cmocka_unit_test(test_decide_table),
        cmocka_unit_test(test_decide_reasons),   cmocka_unit_test(test_max_retries_boundary),
        cmocka_unit_test(test_fail_fast),        cmocka_unit_test(test_wait_cap),
        cmocka_unit_test(test_deadline),         cmocka_unit_test(test_backoff_jitter_range),
        cmocka_unit_test(test_backoff_bounds),   cmocka_unit_test(test_retry_after_parse),
        cmocka_unit_test(test_cooldown_admit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
