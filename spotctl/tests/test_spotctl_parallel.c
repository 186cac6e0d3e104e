/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_parallel.c - the --parallel runner (spotctl/parallel.c) on
 * the SDK's async engine against a real HTTP server on 127.0.0.1
 * (tests/support/test_server): responses delayed so they complete out of
 * order are still delivered in input order, submissions never run more than
 * the window ahead of delivery, errors arrive per request, a stop discards
 * what is left (leak-checked under ASan), and a cancel wakes the loop and
 * ends requests in flight without waiting for them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spotctl.h"
#include "test_server.h"

#define N 120

static test_server *server;
static spotify_client *client;

typedef struct run {
    size_t window;
    size_t submitted;
    size_t delivered;
    size_t max_ahead;
    int errors;
    int stop_at; /* deliver returns 42 at this index; -1: never */
    bool in_order;
} run;

static spotify_status submit(spotify_async *async, size_t i, void *user,
                             spotify_async_callback callback, void *cb_user, spotify_error *err)
{
    run *r = user;
    r->in_order = r->in_order && i == r->submitted;
    r->submitted++;
    if (r->submitted - r->delivered > r->max_ahead)
        r->max_ahead = r->submitted - r->delivered;
    char path[32];
    snprintf(path, sizeof path, "/r/%zu", i);
    spotify_request q = SPOTIFY_REQUEST_INIT;
    q.path = path;
    return spotify_async_send(async, &q, callback, cb_user, NULL, err);
}

static int deliver(size_t i, spotify_status status, void *result, const spotify_error *err,
                   void *user)
{
    run *r = user;
    r->in_order = r->in_order && i == r->delivered;
    r->delivered++;
    spotify_response *resp = result;
    if (i % 10 == 7) { /* the server answers 404 */
        r->errors +=
            status == SPOTIFY_ENOTFOUND && resp == NULL && err != NULL && err->http_status == 404;
    } else {
        char want[32];
        snprintf(want, sizeof want, "{\"i\":%zu}", i);
        r->in_order =
            r->in_order && status == SPOTIFY_OK && resp != NULL && strcmp(resp->body, want) == 0;
    }
    spotify_response_free(resp);
    return (int)i == r->stop_at ? 42 : 0;
}

static void discard(void *result)
{
    spotify_response_free(result);
}

/* Request i answers after (i * 37) % 45 ms: later requests often finish
 * first. Every tenth from 7 on is a 404. */
static int setup(void **state)
{
    (void)state;
    spotify_global_init(NULL);
    server = test_server_start();
    for (int i = 0; i < N; i++) {
        char path[32], body[32];
        snprintf(path, sizeof path, "/r/%d", i);
        snprintf(body, sizeof body, "{\"i\":%d}", i);
        test_response resp = {
            .status = i % 10 == 7 ? 404 : 200,
            .body = i % 10 == 7 ? "{\"error\":{\"status\":404,\"message\":\"no\"}}" : body,
            .delay_ms = (i * 37) % 45};
        test_server_set_default(server, path, &resp);
    }
    spotify_client_options o = SPOTIFY_CLIENT_OPTIONS_INIT;
    o.api_base_url = test_server_url(server);
    o.access_token = "test-token";
    spotify_error err = {0};
    return spotify_client_new(&client, &o, &err) == SPOTIFY_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    spotify_client_free(client);
    test_server_stop(server);
    spotify_global_cleanup();
    return 0;
}

static void test_input_order(void **state)
{
    (void)state;
    for (int p = 1; p <= 16; p *= 4) {
        run r = {.window = spotctl_parallel_window(p), .stop_at = -1, .in_order = true};
        assert_int_equal(spotctl_parallel_run(client, N, p, submit, deliver, discard, &r, NULL), 0);
        assert_true(r.in_order);
        assert_int_equal(r.delivered, N);
        assert_int_equal(r.errors, N / 10);
        assert_true(r.max_ahead <= r.window);
    }
}

static void test_stop_discards(void **state)
{
    (void)state;
    run r = {.window = spotctl_parallel_window(8), .stop_at = 9, .in_order = true};
    assert_int_equal(spotctl_parallel_run(client, N, 8, submit, deliver, discard, &r, NULL), 42);
    assert_int_equal(r.delivered, 10);
    assert_true(r.in_order);
    assert_true(r.submitted < N);
}

static void test_cancelled_before_start(void **state)
{
    (void)state;
    volatile sig_atomic_t cancel = 1;
    run r = {.window = spotctl_parallel_window(4), .stop_at = -1, .in_order = true};
    assert_int_equal(spotctl_parallel_run(client, N, 4, submit, deliver, discard, &r, &cancel),
                     SPOTCTL_EXIT_INTERRUPTED);
    assert_int_equal(r.delivered, 0);
}

static volatile sig_atomic_t cancel_flag;

static void *interrupt_soon(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL);
    cancel_flag = 1;
    spotctl_parallel_wake(); /* what the SIGINT handler does */
    return NULL;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Every request takes 4 s; a cancel after 0.3 s ends the run without
 * waiting for any of them. */
static void test_cancel_in_flight(void **state)
{
    (void)state;
    test_response slow = {.body = "{}", .delay_ms = 4000};
    for (int i = 0; i < 8; i++) {
        char path[32];
        snprintf(path, sizeof path, "/r/%d", i);
        test_server_enqueue(server, path, &slow);
    }
    cancel_flag = 0;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, interrupt_soon, NULL), 0);
    run r = {.window = spotctl_parallel_window(8), .stop_at = -1, .in_order = true};
    int64_t start = now_ms();
    assert_int_equal(spotctl_parallel_run(client, 8, 8, submit, deliver, discard, &r, &cancel_flag),
                     SPOTCTL_EXIT_INTERRUPTED);
    int64_t took = now_ms() - start;
    pthread_join(t, NULL);
    assert_int_equal(r.delivered, 0);
    assert_int_equal(r.submitted, 8);
    assert_true(took < 3000); /* far below the 4 s the server takes */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_input_order),
        cmocka_unit_test(test_stop_discards),
        cmocka_unit_test(test_cancelled_before_start),
        cmocka_unit_test(test_cancel_in_flight),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
