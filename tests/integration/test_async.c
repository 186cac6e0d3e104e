/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_async.c - the async API against spotify-emulator, run twice: once
 * self-driven (spotify_async_run), inside a host loop built on poll(2)
 * through the watch/timer callbacks, and on libuv through
 * spotify/adapters/uv.h (when libuv is installed). Typed results, single-flight
 * token refresh for 200 requests in flight (emulator counters), 503 and 429
 * retries, cancel, shutdown with requests pending, callbacks that submit,
 * wake-ups, invalid arguments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "auth/cache.h"
#include "emulator_fixture.h"
#include "test_server.h"
#include "test_util.h"

#ifdef SPOTIFY_TEST_LIBUV
#include <uv.h>

#include <spotify/adapters/uv.h>
#endif

#define TPAB "7ycBtnsMtyVbbwTfJwRjSP"
#define TPAB_NAME "To Pimp A Butterfly"

/* ---- the two drivers ---- */

typedef enum drive_mode { DRIVE_SELF, DRIVE_POLL, DRIVE_EPOLL, DRIVE_UV } drive_mode;
static drive_mode mode;
/* Set when a callback freed the context: the drivers stop touching it. */
static bool context_gone;

#ifdef SPOTIFY_TEST_LIBUV
static uv_loop_t uv_loop;
static spotify_async_uv *uv_adapter;

static spotify_async *uv_turn_async;

static void uv_guard_fired(uv_timer_t *timer)
{
    uv_stop(timer->loop);
}

/* Before the loop blocks: stop once nothing is pending, so a completion in
 * the timer phase does not leave the poll phase waiting for the guard. */
static void uv_before_poll(uv_prepare_t *prepare)
{
    if (context_gone || spotify_async_pending(uv_turn_async) == 0)
        uv_stop(prepare->loop);
}

/* Runs the libuv loop until nothing is pending or `max_wait_ms` passed. */
static void uv_turn(spotify_async *async, int64_t max_wait_ms)
{
    uv_turn_async = async;
    uv_timer_t guard;
    uv_prepare_t prepare;
    uv_timer_init(&uv_loop, &guard);
    uv_timer_start(&guard, uv_guard_fired, (uint64_t)max_wait_ms, 0);
    uv_prepare_init(&uv_loop, &prepare);
    uv_prepare_start(&prepare, uv_before_poll);
    uv_run(&uv_loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&guard, NULL);
    uv_close((uv_handle_t *)&prepare, NULL);
    uv_run(&uv_loop, UV_RUN_NOWAIT);
}
#endif

/* A host loop on poll(2): the descriptors the context asked to watch and
 * its one timer. The epoll(7) loop keeps the same table beside its set. */
#define LOOP_MAX_FDS 512
typedef struct host_loop {
    int fds[LOOP_MAX_FDS];
    short events[LOOP_MAX_FDS];
    int count;
    int watch_calls;      /* every watch(), the context's wake-up fd's included */
    int dispatched;       /* spotify_async_on_socket calls */
    int64_t timer_due_ms; /* -1: disarmed */
} host_loop;

static host_loop loop_state;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void loop_watch(void *user, int fd, spotify_async_events events)
{
    host_loop *loop = user;
    loop->watch_calls++;
    int i = 0;
    while (i < loop->count && loop->fds[i] != fd)
        i++;
    if (events == SPOTIFY_ASYNC_NONE) {
        if (i < loop->count) {
            loop->fds[i] = loop->fds[loop->count - 1];
            loop->events[i] = loop->events[loop->count - 1];
            loop->count--;
        }
        return;
    }
    if (i == loop->count) {
        assert_true(loop->count < LOOP_MAX_FDS);
        loop->count++;
    }
    loop->fds[i] = fd;
    loop->events[i] = (short)(((events & SPOTIFY_ASYNC_IN) ? POLLIN : 0) |
                              ((events & SPOTIFY_ASYNC_OUT) ? POLLOUT : 0));
}

static void loop_timer(void *user, int64_t timeout_ms)
{
    host_loop *loop = user;
    loop->timer_due_ms = timeout_ms < 0 ? -1 : mono_ms() + timeout_ms;
}

/* One turn of the host loop: wait up to `max_wait_ms`, dispatch. */
static void loop_turn(spotify_async *async, int64_t max_wait_ms)
{
    struct pollfd pfds[LOOP_MAX_FDS];
    int n = loop_state.count;
    for (int i = 0; i < n; i++)
        pfds[i] = (struct pollfd){.fd = loop_state.fds[i], .events = loop_state.events[i]};
    int64_t wait = max_wait_ms;
    if (loop_state.timer_due_ms >= 0) {
        int64_t t = loop_state.timer_due_ms - mono_ms();
        t = t < 0 ? 0 : t;
        wait = t < wait ? t : wait;
    }
    int ready = poll(pfds, (nfds_t)n, (int)wait);
    spotify_error err = {0};
    for (int i = 0; ready > 0 && i < n && !context_gone; i++) {
        if (pfds[i].revents == 0)
            continue;
        int ev = ((pfds[i].revents & (POLLIN | POLLHUP | POLLERR)) ? SPOTIFY_ASYNC_IN : 0) |
                 ((pfds[i].revents & POLLOUT) ? SPOTIFY_ASYNC_OUT : 0);
        loop_state.dispatched++;
        assert_int_equal(spotify_async_on_socket(async, pfds[i].fd, (spotify_async_events)ev, &err),
                         SPOTIFY_OK);
    }
    if (!context_gone && loop_state.timer_due_ms >= 0 && loop_state.timer_due_ms <= mono_ms()) {
        loop_state.timer_due_ms = -1;
        assert_int_equal(spotify_async_on_timer(async, &err), SPOTIFY_OK);
    }
}

/* The same host loop on epoll(7): the descriptors live in an epoll set. */
static int epoll_fd = -1;

static void epoll_watch(void *user, int fd, spotify_async_events events)
{
    loop_watch(user, fd, events); /* the table, for the tests' checks */
    struct epoll_event ev = {.events = ((events & SPOTIFY_ASYNC_IN) ? EPOLLIN : 0u) |
                                       ((events & SPOTIFY_ASYNC_OUT) ? EPOLLOUT : 0u),
                             .data.fd = fd};
    if (events == SPOTIFY_ASYNC_NONE) {
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, NULL);
        return;
    }
    if (epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev) != 0)
        assert_int_equal(epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev), 0);
}

static void epoll_turn(spotify_async *async, int64_t max_wait_ms)
{
    int64_t wait = max_wait_ms;
    if (loop_state.timer_due_ms >= 0) {
        int64_t t = loop_state.timer_due_ms - mono_ms();
        t = t < 0 ? 0 : t;
        wait = t < wait ? t : wait;
    }
    struct epoll_event events[64];
    int n = epoll_wait(epoll_fd, events, 64, (int)wait);
    spotify_error err = {0};
    for (int i = 0; i < n && !context_gone; i++) {
        uint32_t e = events[i].events;
        int ev = ((e & (EPOLLIN | EPOLLHUP | EPOLLERR)) ? SPOTIFY_ASYNC_IN : 0) |
                 ((e & EPOLLOUT) ? SPOTIFY_ASYNC_OUT : 0);
        loop_state.dispatched++;
        assert_int_equal(
            spotify_async_on_socket(async, events[i].data.fd, (spotify_async_events)ev, &err),
            SPOTIFY_OK);
    }
    if (!context_gone && loop_state.timer_due_ms >= 0 && loop_state.timer_due_ms <= mono_ms()) {
        loop_state.timer_due_ms = -1;
        assert_int_equal(spotify_async_on_timer(async, &err), SPOTIFY_OK);
    }
}

/* A context for `client` with `opts` (its loop set here) under the group's driver. */
static spotify_async *async_new_with(spotify_client *client, spotify_async_options *opts)
{
    static const spotify_async_loop loop = {loop_watch, loop_timer, &loop_state};
    spotify_async *async = NULL;
    spotify_error err = {0};
#ifdef SPOTIFY_TEST_LIBUV
    if (mode == DRIVE_UV) {
        assert_int_equal(spotify_async_uv_new(&uv_adapter, &uv_loop, client, opts, &err),
                         SPOTIFY_OK);
        return spotify_async_uv_context(uv_adapter);
    }
#endif
    static const spotify_async_loop epoll_loop = {epoll_watch, loop_timer, &loop_state};
    if (mode == DRIVE_POLL || mode == DRIVE_EPOLL) {
        memset(&loop_state, 0, sizeof loop_state);
        loop_state.timer_due_ms = -1;
        opts->loop = mode == DRIVE_POLL ? &loop : &epoll_loop;
    }
    assert_int_equal(spotify_async_new(&async, client, opts, &err), SPOTIFY_OK);
    return async;
}

static spotify_async *async_new(spotify_client *client, int max_in_flight)
{
    spotify_async_options opts = SPOTIFY_ASYNC_OPTIONS_INIT;
    opts.max_in_flight = max_in_flight;
    return async_new_with(client, &opts);
}

static void async_free(spotify_async *async)
{
#ifdef SPOTIFY_TEST_LIBUV
    if (mode == DRIVE_UV) {
        assert_ptr_equal(spotify_async_uv_context(uv_adapter), async);
        spotify_async_uv_free(uv_adapter);
        uv_adapter = NULL;
        assert_int_equal(uv_run(&uv_loop, UV_RUN_DEFAULT), 0); /* closes the handles */
        return;
    }
#endif
    spotify_async_free(async);
}

/* One turn of the group's driver, waiting at most `max_wait_ms`. */
static void drive_turn(spotify_async *async, int64_t max_wait_ms)
{
    spotify_error err = {0};
    switch (mode) {
    case DRIVE_SELF:
        assert_int_equal(spotify_async_run(async, max_wait_ms, &err), SPOTIFY_OK);
        break;
    case DRIVE_POLL:
        loop_turn(async, max_wait_ms);
        break;
    case DRIVE_EPOLL:
        epoll_turn(async, max_wait_ms);
        break;
    case DRIVE_UV:
#ifdef SPOTIFY_TEST_LIBUV
        uv_turn(async, max_wait_ms);
#endif
        break;
    }
}

/* Drives the context for up to `ms` milliseconds or until nothing is pending. */
static void drive_for(spotify_async *async, int64_t ms)
{
    int64_t end = mono_ms() + ms;
    while (spotify_async_pending(async) > 0) {
        int64_t left = end - mono_ms();
        if (left <= 0)
            return;
        drive_turn(async, left);
    }
}

/* Drives until nothing is pending (fails after 30 s). */
static void drive_all(spotify_async *async)
{
    drive_for(async, 30000);
    assert_int_equal(spotify_async_pending(async), 0);
}

/* ---- fixtures ---- */

static int setup_self(void **state)
{
    (void)state;
    mode = DRIVE_SELF;
    return test_emu_group_setup(state);
}

static int setup_poll(void **state)
{
    (void)state;
    mode = DRIVE_POLL;
    return test_emu_group_setup(state);
}

static int setup_epoll(void **state)
{
    (void)state;
    mode = DRIVE_EPOLL;
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd < 0)
        return -1;
    return test_emu_group_setup(state);
}

static int teardown_epoll(void **state)
{
    close(epoll_fd);
    epoll_fd = -1;
    return test_emu_group_teardown(state);
}

#ifdef SPOTIFY_TEST_LIBUV
static int setup_uv(void **state)
{
    (void)state;
    mode = DRIVE_UV;
    if (uv_loop_init(&uv_loop) != 0)
        return -1;
    return test_emu_group_setup(state);
}

static int teardown_uv(void **state)
{
    int status = test_emu_group_teardown(state);
    return status == 0 && uv_loop_close(&uv_loop) == 0 ? 0 : -1;
}
#endif

/* A client on the emulator with client credentials (or `token` when given). */
static spotify_client *client_new(const char *token, const spotify_clock *clock)
{
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = test_api_base;
    opts.accounts_base_url = test_emu.base_url;
    if (token != NULL) {
        opts.access_token = token;
    } else {
        opts.client_id = "demo-client";
        opts.client_secret = "demo-secret";
    }
    opts.clock = clock;
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_OK);
    return client;
}

/* ---- completions ---- */

#define MAX_CALLS 256

typedef struct outcome {
    int calls; /* times the callback ran */
    spotify_status status;
    int http_status;
    char name[64];
} outcome;

static outcome outcomes[MAX_CALLS];

static void on_album(spotify_status status, spotify_album *album, const spotify_error *err,
                     void *user)
{
    outcome *o = user;
    o->calls++;
    o->status = status;
    if (status == SPOTIFY_OK) {
        assert_non_null(album);
        assert_null(err);
        snprintf(o->name, sizeof o->name, "%s", album->name != NULL ? album->name : "");
        spotify_album_free(album);
    } else {
        assert_null(album);
        assert_non_null(err);
        assert_int_equal(err->status, status);
        o->http_status = err->http_status;
    }
}

static spotify_status submit_album(spotify_async *async, const char *id, int index,
                                   spotify_async_id *id_out)
{
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = id;
    spotify_error err = {0};
    return spotify_albums_get_async(async, &a, on_album, &outcomes[index], id_out, &err);
}

static void assert_all_ok(int n)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(outcomes[i].calls, 1);
        assert_int_equal(outcomes[i].status, SPOTIFY_OK);
        assert_string_equal(outcomes[i].name, TPAB_NAME);
    }
}

/* ---- tests ---- */

static void test_typed_results(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 8);
    for (int i = 0; i < 20; i++)
        assert_int_equal(submit_album(async, i % 2 ? TPAB : "spotify:album:" TPAB, i, NULL),
                         SPOTIFY_OK);
    assert_int_equal(spotify_async_pending(async), 20);
    /* Callbacks never run inside a submit function. */
    for (int i = 0; i < 20; i++)
        assert_int_equal(outcomes[i].calls, 0);
    drive_all(async);
    assert_all_ok(20);
    async_free(async);
    spotify_client_free(client);
}

static void test_200_in_flight_one_refresh(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 256);
    /* A first request gets the app token. */
    assert_int_equal(submit_album(async, TPAB, 0, NULL), SPOTIFY_OK);
    drive_all(async);
    assert_int_equal(emulator_grant_count(&test_emu, "client_credentials"), 1);
    /* The emulator expires it: all 200 are answered 401, one refresh follows. */
    test_emu_control("POST", "/__emulator/expire-tokens", "{}");
    memset(outcomes, 0, sizeof outcomes);
    for (int i = 0; i < 200; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    drive_all(async);
    assert_all_ok(200);
    assert_int_equal(emulator_grant_count(&test_emu, "client_credentials"), 2);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 200), 201);
    async_free(async);
    spotify_client_free(client);
}

static void test_no_token_yet_one_fetch(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 64);
    for (int i = 0; i < 100; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    drive_all(async);
    assert_all_ok(100);
    assert_int_equal(emulator_grant_count(&test_emu, "client_credentials"), 1);
    async_free(async);
    spotify_client_free(client);
}

static void test_token_failure_fails_every_waiter(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    test_emu_control("POST", "/__emulator/faults",
                     "{\"route\":\"/api/token\",\"status\":400,\"count\":1}");
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 64);
    for (int i = 0; i < 10; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    drive_all(async);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(outcomes[i].calls, 1);
        /* The token endpoint's 400 is an authentication failure, as in the
         * blocking API. */
        assert_int_equal(outcomes[i].status, SPOTIFY_EAUTH);
        assert_int_equal(outcomes[i].http_status, 400);
    }
    assert_int_equal(emulator_grant_count(&test_emu, "client_credentials"), 0);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 200), 0);
    async_free(async);
    spotify_client_free(client);
}

static void test_retries_503_and_429(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 16);
    test_emu_control("POST", "/__emulator/faults",
                     "{\"route\":\"/v1/albums/{id}\",\"status\":503,\"count\":3}");
    test_emu_control(
        "POST", "/__emulator/faults",
        "{\"route\":\"/v1/albums/{id}\",\"status\":429,\"count\":2,\"retry_after\":1}");
    int64_t started = mono_ms();
    for (int i = 0; i < 10; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    drive_all(async);
    assert_all_ok(10);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 503), 3);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 429), 2);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 200), 10);
    /* A 429 with Retry-After: 1 set the client's cooldown: nothing finished
     * before it ended. */
    assert_true(mono_ms() - started >= 1000);
    async_free(async);
    spotify_client_free(client);
}

/* The same with an injected clock (self-driven): the waits happen on it. */
static void test_retry_waits_on_injected_clock(void **state)
{
    (void)state;
    if (mode != DRIVE_SELF)
        skip();
    memset(outcomes, 0, sizeof outcomes);
    test_clock fake = {.now_ms = 1000000};
    spotify_clock clock = {test_clock_now, test_clock_sleep, &fake};
    spotify_client *client = client_new(NULL, &clock);
    spotify_async *async = async_new(client, 16);
    assert_int_equal(submit_album(async, TPAB, 0, NULL), SPOTIFY_OK);
    drive_all(async); /* the token */
    test_emu_control(
        "POST", "/__emulator/faults",
        "{\"route\":\"/v1/albums/{id}\",\"status\":429,\"count\":1,\"retry_after\":30}");
    memset(outcomes, 0, sizeof outcomes);
    int64_t before = fake.now_ms;
    for (int i = 0; i < 5; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    drive_all(async);
    assert_all_ok(5);
    /* 30 s of Retry-After passed on the injected clock, none for real. */
    assert_true(fake.now_ms - before >= 30000);
    assert_true(fake.now_ms - before < 31000);
    async_free(async);
    spotify_client_free(client);
}

static void test_in_flight_limit_queues(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 3);
    assert_int_equal(submit_album(async, TPAB, 0, NULL), SPOTIFY_OK);
    drive_all(async); /* the token */
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":150}");
    memset(outcomes, 0, sizeof outcomes);
    int64_t started = mono_ms();
    for (int i = 0; i < 9; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    drive_all(async);
    assert_all_ok(9);
    /* Three at a time: three rounds of 150 ms at least. */
    assert_true(mono_ms() - started >= 3 * 150);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 200), 10);
    async_free(async);
    spotify_client_free(client);
}

/* With fail_fast, requests made during the shared cooldown fail at once
 * instead of waiting (and are not sent). */
static void test_cooldown_fail_fast(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = test_api_base;
    opts.accounts_base_url = test_emu.base_url;
    opts.client_id = "demo-client";
    opts.client_secret = "demo-secret";
    opts.retry.fail_fast = true;
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_OK);
    spotify_async *async = async_new(client, 8);
    test_emu_control(
        "POST", "/__emulator/faults",
        "{\"route\":\"/v1/albums/{id}\",\"status\":429,\"count\":1,\"retry_after\":60}");
    assert_int_equal(submit_album(async, TPAB, 0, NULL), SPOTIFY_OK);
    drive_all(async);
    assert_int_equal(outcomes[0].status, SPOTIFY_ERATELIMIT);
    assert_int_equal(outcomes[0].http_status, 429);
    for (int i = 1; i < 5; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    drive_all(async);
    for (int i = 1; i < 5; i++) {
        assert_int_equal(outcomes[i].calls, 1);
        assert_int_equal(outcomes[i].status, SPOTIFY_ERATELIMIT);
    }
    /* Only the first request reached the emulator. */
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 429), 1);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 200), 0);
    async_free(async);
    spotify_client_free(client);
}

static void test_cancel(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 16);
    assert_int_equal(submit_album(async, TPAB, 0, NULL), SPOTIFY_OK);
    drive_all(async); /* the token */
    /* Long enough that no answer can land during the 100 ms below, even
     * on a machine busy enough to stall this process for a second. */
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":1500}");
    memset(outcomes, 0, sizeof outcomes);
    spotify_async_id ids[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(submit_album(async, TPAB, i, &ids[i]), SPOTIFY_OK);
    /* Cancelled before it started. */
    assert_int_equal(spotify_async_cancel(async, ids[0]), SPOTIFY_OK);
    assert_int_equal(outcomes[0].calls, 1);
    assert_int_equal(outcomes[0].status, SPOTIFY_ECANCELLED);
    /* Cancelled in flight. */
    drive_for(async, 100);
    assert_int_equal(spotify_async_pending(async), 3);
    assert_int_equal(spotify_async_cancel(async, ids[1]), SPOTIFY_OK);
    assert_int_equal(outcomes[1].calls, 1);
    assert_int_equal(outcomes[1].status, SPOTIFY_ECANCELLED);
    /* A second cancel, and a cancel of an unknown id, find nothing. */
    assert_int_equal(spotify_async_cancel(async, ids[1]), SPOTIFY_ENOTFOUND);
    assert_int_equal(spotify_async_cancel(async, 999999), SPOTIFY_ENOTFOUND);
    drive_all(async);
    for (int i = 2; i < 4; i++) {
        assert_int_equal(outcomes[i].calls, 1);
        assert_int_equal(outcomes[i].status, SPOTIFY_OK);
    }
    assert_int_equal(outcomes[0].calls, 1);
    assert_int_equal(outcomes[1].calls, 1);
    async_free(async);
    spotify_client_free(client);
}

static void test_free_with_requests_pending(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":400}");
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 8);
    for (int i = 0; i < 50; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    drive_for(async, 100); /* the token request is in flight */
    assert_int_equal(spotify_async_pending(async), 50);
    async_free(async);
    for (int i = 0; i < 50; i++) {
        assert_int_equal(outcomes[i].calls, 1);
        assert_int_equal(outcomes[i].status, SPOTIFY_ECANCELLED);
    }
    /* The abandoned flight does not block the provider: a blocking call works. */
    spotify_error err = {0};
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/albums/" TPAB;
    spotify_response *response = NULL;
    assert_int_equal(spotify_client_send(&response, client, &request, &err), SPOTIFY_OK);
    spotify_response_free(response);
    spotify_client_free(client);
}

/* The context freed from inside one of its own callbacks (hiredis' and
 * libuv's rule): the free finishes when the outermost entry point unwinds,
 * and every other call gets its callback once, with SPOTIFY_ECANCELLED. */
typedef struct free_from_callback {
    spotify_async *async;
    int first; /* the index of the call whose callback freed the context */
} free_from_callback;

static free_from_callback freer;

static void free_context_now(spotify_async *async)
{
#ifdef SPOTIFY_TEST_LIBUV
    if (mode == DRIVE_UV) {
        spotify_async_uv_free(uv_adapter);
        uv_adapter = NULL;
        return;
    }
#endif
    spotify_async_free(async);
}

static void on_album_then_free(spotify_status status, spotify_album *album,
                               const spotify_error *err, void *user)
{
    on_album(status, album, err, user);
    if (!context_gone) {
        context_gone = true;
        freer.first = (int)((outcome *)user - outcomes);
        free_context_now(freer.async);
    }
}

static void test_free_from_a_callback(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    context_gone = false;
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":20}");
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 4);
    freer.async = async;
    freer.first = -1;
    spotify_error err = {0};
    for (int i = 0; i < 30; i++) {
        spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
        a.id = TPAB;
        assert_int_equal(
            spotify_albums_get_async(async, &a, on_album_then_free, &outcomes[i], NULL, &err),
            SPOTIFY_OK);
    }
    int64_t end = mono_ms() + 30000;
    while (!context_gone && mono_ms() < end)
        drive_turn(async, 1000);
    assert_true(context_gone);
#ifdef SPOTIFY_TEST_LIBUV
    if (mode == DRIVE_UV)
        assert_int_equal(uv_run(&uv_loop, UV_RUN_DEFAULT), 0); /* closes the handles */
#endif
    assert_int_not_equal(freer.first, -1);
    assert_int_equal(outcomes[freer.first].status, SPOTIFY_OK);
    for (int i = 0; i < 30; i++) {
        assert_int_equal(outcomes[i].calls, 1);
        if (i != freer.first)
            assert_int_equal(outcomes[i].status, SPOTIFY_ECANCELLED);
    }
    context_gone = false;
    spotify_client_free(client);
}

/* A token flight on a file cache holds the file's cross-process lock until
 * its token lands; freeing the context with the flight in the air releases
 * it (another cache object on the file can take it again). */
static void test_free_releases_the_cache_lock(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    char *dir = test_mkdtemp();
    char path[512];
    snprintf(path, sizeof path, "%s/token.json", dir);
    spotify_token_cache *mine = NULL, *other = NULL;
    assert_int_equal(spotify_token_cache_file_new(&mine, path, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_cache_file_new(&other, path, NULL), SPOTIFY_OK);
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.client_id = "demo-client";
    ao.client_secret = "demo-secret";
    ao.accounts_base_url = test_emu.base_url;
    ao.token_cache = mine;
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_client_credentials_new(&auth, &ao, NULL), SPOTIFY_OK);
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.api_base_url = test_api_base;
    co.auth = auth;
    spotify_client *client = NULL;
    assert_int_equal(spotify_client_new(&client, &co, NULL), SPOTIFY_OK);

    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":5000}");
    spotify_async *async = async_new(client, 8);
    assert_int_equal(submit_album(async, TPAB, 0, NULL), SPOTIFY_OK);
    bool taken = true;
    for (int turn = 0; turn < 100 && taken; turn++) {
        drive_turn(async, 10); /* until the flight has the lock */
        assert_int_equal(spotify__token_cache_try_lock(other, &taken, NULL), SPOTIFY_OK);
        if (taken)
            spotify__token_cache_unlock(other);
    }
    assert_false(taken);
    async_free(async);
    assert_int_equal(outcomes[0].calls, 1);
    assert_int_equal(outcomes[0].status, SPOTIFY_ECANCELLED);
    assert_int_equal(spotify__token_cache_try_lock(other, &taken, NULL), SPOTIFY_OK);
    assert_true(taken);
    spotify__token_cache_unlock(other);

    spotify_client_free(client);
    spotify_auth_free(auth);
    spotify_token_cache_free(mine);
    spotify_token_cache_free(other);
    test_rmdir_recursive(dir);
    free(dir);
}

/* A callback that submits the next request of a chain. */
typedef struct chain {
    spotify_async *async;
    int done;
    int target;
    spotify_status last;
} chain;

static void on_chain(spotify_status status, spotify_album *album, const spotify_error *err,
                     void *user)
{
    (void)err;
    chain *c = user;
    c->last = status;
    spotify_album_free(album);
    if (status != SPOTIFY_OK || ++c->done == c->target)
        return;
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = TPAB;
    spotify_error e = {0};
    assert_int_equal(spotify_albums_get_async(c->async, &a, on_chain, c, NULL, &e), SPOTIFY_OK);
}

static void test_callbacks_may_submit(void **state)
{
    (void)state;
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 4);
    chain c = {async, 0, 5, SPOTIFY_EIO};
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = TPAB;
    spotify_error err = {0};
    assert_int_equal(spotify_albums_get_async(async, &a, on_chain, &c, NULL, &err), SPOTIFY_OK);
    drive_all(async);
    assert_int_equal(c.done, 5);
    assert_int_equal(c.last, SPOTIFY_OK);
    async_free(async);
    spotify_client_free(client);
}

static void test_invalid_arguments_no_callback(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 4);
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = "not an id!";
    spotify_error err = {0};
    assert_int_equal(spotify_albums_get_async(async, &a, on_album, &outcomes[0], NULL, &err),
                     SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "id"));
    assert_int_equal(spotify_async_pending(async), 0);
    assert_int_equal(spotify_albums_get_async(async, &a, NULL, NULL, NULL, &err), SPOTIFY_EINVALID);
    spotify_request bad = SPOTIFY_REQUEST_INIT;
    bad.path = "no-slash";
    assert_int_equal(
        spotify_async_send(async, &bad, (spotify_async_callback)NULL, NULL, NULL, &err),
        SPOTIFY_EINVALID);
    drive_for(async, 10);
    assert_int_equal(outcomes[0].calls, 0);
    assert_int_equal(emulator_total_count(&test_emu) >= 0, 1);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 200), 0);
    async_free(async);
    spotify_client_free(client);
}

static void on_raw(spotify_status status, void *result, const spotify_error *err, void *user)
{
    (void)err;
    outcome *o = user;
    o->calls++;
    o->status = status;
    spotify_response *response = result;
    if (status == SPOTIFY_OK) {
        o->http_status = response->http_status;
        snprintf(o->name, sizeof o->name, "%.*s",
                 (int)(response->body_len < 63 ? response->body_len : 63), response->body);
    } else {
        o->http_status = err->http_status;
    }
    spotify_response_free(response);
}

static void test_raw_request_and_static_token_401(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new("not-a-valid-token", NULL);
    spotify_async *async = async_new(client, 4);
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/albums/" TPAB;
    spotify_error err = {0};
    assert_int_equal(spotify_async_send(async, &request, on_raw, &outcomes[0], NULL, &err),
                     SPOTIFY_OK);
    drive_all(async);
    assert_int_equal(outcomes[0].calls, 1);
    assert_int_equal(outcomes[0].status, SPOTIFY_EAUTH);
    assert_int_equal(outcomes[0].http_status, 401);
    async_free(async);
    spotify_client_free(client);

    client = client_new(NULL, NULL);
    async = async_new(client, 4);
    assert_int_equal(spotify_async_send(async, &request, on_raw, &outcomes[1], NULL, &err),
                     SPOTIFY_OK);
    drive_all(async);
    assert_int_equal(outcomes[1].status, SPOTIFY_OK);
    assert_int_equal(outcomes[1].http_status, 200);
    assert_int_equal(outcomes[1].name[0], '{');
    async_free(async);
    spotify_client_free(client);
}

typedef struct waker {
    spotify_async *async;
    int woken; /* on_wakeup runs */
} waker;

static void on_wakeup(void *user)
{
    waker *w = user;
    w->woken++;
}

static void *wake_later(void *arg)
{
    waker *w = arg;
    struct timespec ts = {0, 50 * 1000000L};
    nanosleep(&ts, NULL);
    spotify_async_wakeup(w->async);
    return NULL;
}

static void test_wakeup_from_another_thread(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":5000}");
    spotify_client *client = client_new(NULL, NULL);
    waker w = {NULL, 0};
    spotify_async_options opts = SPOTIFY_ASYNC_OPTIONS_INIT;
    opts.on_wakeup = on_wakeup;
    opts.on_wakeup_user = &w;
    w.async = async_new_with(client, &opts);
    assert_int_equal(submit_album(w.async, TPAB, 0, NULL), SPOTIFY_OK);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, wake_later, &w), 0);
    int64_t started = mono_ms();
    while (w.woken == 0 && mono_ms() - started < 4000)
        drive_turn(w.async, 4000);
    pthread_join(thread, NULL);
    assert_int_equal(w.woken, 1);
    assert_int_equal(spotify_async_pending(w.async), 1); /* still waiting for the emulator */
    async_free(w.async);
    assert_int_equal(outcomes[0].status, SPOTIFY_ECANCELLED);
    spotify_client_free(client);
}

/* ---- the async token operations (spotify_auth_*_async) ---- */

typedef struct token_outcome {
    int calls;
    spotify_status status;
    char access[256];
    char refresh[256];
    double expires_at;
    spotify_flow flow;
} token_outcome;

static void on_token(spotify_status status, const spotify_token *token, const spotify_error *err,
                     void *user)
{
    token_outcome *o = user;
    o->calls++;
    o->status = status;
    if (status == SPOTIFY_OK) {
        assert_non_null(token);
        assert_null(err);
        snprintf(o->access, sizeof o->access, "%s", token->access_token);
        snprintf(o->refresh, sizeof o->refresh, "%s",
                 token->refresh_token != NULL ? token->refresh_token : "");
        o->expires_at = token->expires_at;
        o->flow = token->flow;
    } else {
        assert_null(token);
        assert_non_null(err);
        assert_int_equal(err->status, status);
    }
}

static void drive_until(spotify_async *async, const int *calls)
{
    int64_t end = mono_ms() + 30000;
    while (*calls == 0 && mono_ms() < end)
        drive_turn(async, 1000);
    assert_int_equal(*calls, 1);
}

/* The provider's token without blocking the loop, then a forced refresh,
 * while album requests are in flight: the token and the requests share one
 * token fetch, the refresh makes exactly one more. */
static void test_auth_token_and_refresh_async(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 8);
    for (int i = 0; i < 20; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    token_outcome first = {0}, refreshed = {0};
    spotify_error err = {0};
    spotify_async_id id = 0;
    assert_int_equal(spotify_auth_token_async(async, false, on_token, &first, &id, &err),
                     SPOTIFY_OK);
    assert_true(id > 0);
    drive_all(async);
    assert_int_equal(first.calls, 1);
    assert_int_equal(first.status, SPOTIFY_OK);
    assert_int_equal(first.flow, SPOTIFY_FLOW_CLIENT_CREDENTIALS);
    assert_true(first.expires_at > (double)time(NULL));
    assert_all_ok(20);
    assert_int_equal(emulator_grant_count(&test_emu, "client_credentials"), 1);

    memset(outcomes, 0, sizeof outcomes);
    for (int i = 0; i < 20; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_auth_refresh_async(async, on_token, &refreshed, NULL, &err),
                     SPOTIFY_OK);
    drive_all(async);
    assert_int_equal(refreshed.calls, 1);
    assert_int_equal(refreshed.status, SPOTIFY_OK);
    assert_string_not_equal(refreshed.access, first.access);
    assert_all_ok(20);
    assert_int_equal(emulator_grant_count(&test_emu, "client_credentials"), 2);
    async_free(async);
    spotify_client_free(client);
}

/* A code for `auth` from the emulator's consent page (auto-approved). */
static char *fresh_code(spotify_auth *auth)
{
    char *state_value = NULL, *url = NULL, *code = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_state_new(&state_value, &err), SPOTIFY_OK);
    spotify_authorize_url_options u = SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT;
    u.state = state_value;
    assert_int_equal(spotify_auth_authorize_url(&url, auth, &u, &err), SPOTIFY_OK);
    emulator_http_response r;
    assert_true(emulator_request(&r, "GET", url, NULL, NULL));
    assert_int_equal(r.status, 302);
    assert_int_equal(spotify_auth_callback_parse(&code, r.location, state_value, &err), SPOTIFY_OK);
    emulator_response_free(&r);
    spotify_free(url);
    spotify_free(state_value);
    return code;
}

/* Code exchanges on the loop: the token lands in the provider; a second
 * login's exchange runs while the first login's requests are in flight. */
static void test_auth_exchange_code_async(void **state)
{
    (void)state;
    test_emu_control("POST", "/__emulator/config", "{\"auto_approve\":true}");
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.client_id = "demo-client";
    ao.client_secret = "demo-secret";
    ao.redirect_uri = "http://127.0.0.1:8888/callback";
    ao.scope = "user-read-private";
    ao.accounts_base_url = test_emu.base_url;
    spotify_auth *auth = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_code_new(&auth, &ao, &err), SPOTIFY_OK);
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.api_base_url = test_api_base;
    co.auth = auth;
    spotify_client *client = NULL;
    assert_int_equal(spotify_client_new(&client, &co, &err), SPOTIFY_OK);
    spotify_async *async = async_new(client, 8);

    char *code = fresh_code(auth);
    token_outcome first = {0};
    assert_int_equal(spotify_auth_exchange_code_async(async, code, on_token, &first, NULL, &err),
                     SPOTIFY_OK);
    spotify_free_secret(code);
    drive_until(async, &first.calls);
    if (first.status != SPOTIFY_OK)
        fail_msg("exchange: %s", spotify_status_name(first.status));
    assert_int_equal(first.flow, SPOTIFY_FLOW_AUTHORIZATION_CODE);
    assert_true(first.refresh[0] != '\0');

    memset(outcomes, 0, sizeof outcomes);
    for (int i = 0; i < 20; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    code = fresh_code(auth);
    token_outcome second = {0};
    assert_int_equal(spotify_auth_exchange_code_async(async, code, on_token, &second, NULL, &err),
                     SPOTIFY_OK);
    spotify_free_secret(code);
    drive_all(async);
    assert_all_ok(20);
    assert_int_equal(second.calls, 1);
    assert_int_equal(second.status, SPOTIFY_OK);
    assert_string_not_equal(second.access, first.access);
    assert_int_equal(emulator_grant_count(&test_emu, "authorization_code"), 2);
    assert_int_equal(emulator_grant_count(&test_emu, "refresh_token"), 0);

    /* An empty code is refused at once, without a callback. */
    assert_int_equal(spotify_auth_exchange_code_async(async, "", on_token, &second, NULL, &err),
                     SPOTIFY_EINVALID);
    assert_int_equal(second.calls, 1);
    async_free(async);
    spotify_client_free(client);
    spotify_auth_free(auth);
}

/* Cancelled while its token request is in the air: the callback runs once,
 * with SPOTIFY_ECANCELLED; a static provider cannot be asked to refresh. */
static void test_auth_token_async_cancel_and_static(void **state)
{
    (void)state;
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":300}");
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 8);
    token_outcome o = {0};
    spotify_async_id id = 0;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_token_async(async, false, on_token, &o, &id, &err), SPOTIFY_OK);
    drive_for(async, 50);
    assert_int_equal(o.calls, 0);
    assert_int_equal(spotify_async_cancel(async, id), SPOTIFY_OK);
    assert_int_equal(o.calls, 1);
    assert_int_equal(o.status, SPOTIFY_ECANCELLED);
    assert_int_equal(spotify_async_cancel(async, id), SPOTIFY_ENOTFOUND);
    async_free(async);
    spotify_client_free(client);

    spotify_client *fixed = client_new("a-static-token", NULL);
    async = async_new(fixed, 8);
    token_outcome s = {0};
    assert_int_equal(spotify_auth_refresh_async(async, on_token, &s, NULL, &err), SPOTIFY_EAUTH);
    assert_int_equal(spotify_auth_token_async(async, false, on_token, &s, NULL, &err), SPOTIFY_OK);
    drive_until(async, &s.calls);
    assert_int_equal(s.status, SPOTIFY_OK);
    assert_string_equal(s.access, "a-static-token");
    assert_int_equal(s.flow, SPOTIFY_FLOW_STATIC);
    async_free(async);
    spotify_client_free(fixed);
}

/* A blocking caller and an async caller racing for one refresh of an
 * expired user token: one token request. */
typedef struct blocking_token {
    spotify_auth *auth;
    spotify_status status;
    char access[256];
} blocking_token;

static void *blocking_access_token(void *arg)
{
    blocking_token *b = arg;
    spotify_error err = {0};
    b->status = spotify_auth_access_token_get(b->access, sizeof b->access, b->auth, &err);
    return NULL;
}

static void test_auth_token_async_races_blocking_refresh(void **state)
{
    (void)state;
    char access[256], refresh[256];
    assert_true(emulator_issue_token(&test_emu, "{\"user\":true,\"scope\":\"user-read-private\"}",
                                     access, sizeof access, refresh, sizeof refresh));
    spotify_token_cache *cache = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_memory_new(&cache, &err), SPOTIFY_OK);
    spotify_token expired = {.access_token = access,
                             .refresh_token = refresh,
                             .expires_at = (double)time(NULL) - 10,
                             .flow = SPOTIFY_FLOW_AUTHORIZATION_CODE};
    assert_int_equal(spotify_token_cache_store(cache, &expired, &err), SPOTIFY_OK);
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.client_id = "demo-client";
    ao.client_secret = "demo-secret";
    ao.redirect_uri = "http://127.0.0.1:8888/callback";
    ao.accounts_base_url = test_emu.base_url;
    ao.token_cache = cache;
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_code_new(&auth, &ao, &err), SPOTIFY_OK);
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.api_base_url = test_api_base;
    co.auth = auth;
    spotify_client *client = NULL;
    assert_int_equal(spotify_client_new(&client, &co, &err), SPOTIFY_OK);
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":200}");
    spotify_async *async = async_new(client, 8);

    token_outcome o = {0};
    assert_int_equal(spotify_auth_token_async(async, false, on_token, &o, NULL, &err), SPOTIFY_OK);
    drive_for(async, 20); /* the async flight is in the air */
    blocking_token b = {auth, SPOTIFY_EINVALID, ""};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, blocking_access_token, &b), 0);
    drive_until(async, &o.calls);
    pthread_join(thread, NULL);
    assert_int_equal(o.status, SPOTIFY_OK);
    assert_int_equal(b.status, SPOTIFY_OK);
    assert_string_equal(o.access, b.access);
    assert_string_not_equal(o.access, access);
    assert_int_equal(emulator_grant_count(&test_emu, "refresh_token"), 1);
    async_free(async);
    spotify_client_free(client);
    spotify_auth_free(auth);
    spotify_token_cache_free(cache);
}

/* Blocking threads and an async context share one client and provider
 * while its token is refreshed: one token request in all. */
typedef struct blocking_worker {
    spotify_client *client;
    int ok;
} blocking_worker;

static void *blocking_gets(void *arg)
{
    blocking_worker *w = arg;
    for (int i = 0; i < 10; i++) {
        spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
        a.id = TPAB;
        spotify_album *album = NULL;
        spotify_error err = {0};
        if (spotify_albums_get(&album, w->client, &a, &err) == SPOTIFY_OK)
            w->ok++;
        spotify_album_free(album);
    }
    return NULL;
}

static void test_blocking_threads_and_async_share_a_refresh(void **state)
{
    (void)state;
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 64);
    assert_int_equal(submit_album(async, TPAB, 0, NULL), SPOTIFY_OK);
    drive_all(async); /* the first token */
    test_emu_control("POST", "/__emulator/expire-tokens", "{}");
    memset(outcomes, 0, sizeof outcomes);
    blocking_worker workers[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        workers[i] = (blocking_worker){client, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, blocking_gets, &workers[i]), 0);
    }
    for (int i = 0; i < 100; i++)
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
    drive_all(async);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(workers[i].ok, 10);
    }
    assert_all_ok(100);
    assert_int_equal(emulator_grant_count(&test_emu, "client_credentials"), 2);
    async_free(async);
    spotify_client_free(client);
}

/* ---- libcurl's descriptors on a host loop ---- */

static bool host_loop_mode(void)
{
    return mode == DRIVE_POLL || mode == DRIVE_EPOLL;
}

/* A raw GET of `path` on `async`, driven to its end; its outcome. */
static outcome get_raw(spotify_async *async, const char *path)
{
    outcome o = {0};
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = path;
    spotify_error err = {0};
    assert_int_equal(spotify_async_send(async, &request, on_raw, &o, NULL, &err), SPOTIFY_OK);
    drive_all(async);
    assert_int_equal(o.calls, 1);
    return o;
}

/* Requests on a kept connection cost the host loop no watch changes: the
 * idle connection keeps its input watch between requests (it used to be
 * unwatched and watched again around every request). */
static void test_kept_connection_keeps_its_watch(void **state)
{
    (void)state;
    if (!host_loop_mode())
        skip();
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 4);
    assert_int_equal(submit_album(async, TPAB, 0, NULL), SPOTIFY_OK);
    drive_all(async); /* the token and the first connection */
    int watch_calls = loop_state.watch_calls;
    for (int i = 1; i <= 10; i++) {
        assert_int_equal(submit_album(async, TPAB, i, NULL), SPOTIFY_OK);
        drive_all(async);
    }
    assert_all_ok(11);
    assert_true(loop_state.watch_calls - watch_calls <= 2);
    async_free(async);
    assert_int_equal(loop_state.count, 0); /* freeing unwatched every descriptor */
    spotify_client_free(client);
}

/* An idle connection the server closes turns readable: the context drops
 * its watch then (one event, no loop spinning on a dead socket), and the
 * next request goes out on a new connection. */
static void test_idle_connection_closed_by_server(void **state)
{
    (void)state;
    if (!host_loop_mode())
        skip();
    test_server *server = test_server_start_idle_timeout(1);
    test_response r = {.body = "{\"ok\":true}"};
    test_server_set_default(server, "/idle", &r);
    spotify_client *client = test_server_client(server, "static-token");
    spotify_async *async = async_new(client, 4);
    assert_int_equal(get_raw(async, "/idle").http_status, 200);
    assert_int_equal(loop_state.count, 2); /* the wake-up descriptor and the idle connection */
    int dispatched = loop_state.dispatched;
    int64_t end = mono_ms() + 5000;
    while (loop_state.count > 1 && mono_ms() < end)
        drive_turn(async, 100);
    assert_int_equal(loop_state.count, 1);
    assert_true(loop_state.dispatched - dispatched <= 2);
    assert_int_equal(get_raw(async, "/idle").http_status, 200);
    assert_int_equal(test_server_count(server, "/idle"), 2);
    async_free(async);
    assert_int_equal(loop_state.count, 0);
    spotify_client_free(client);
    test_server_stop(server);
}

/* A connection libcurl closes (the server said "Connection: close") is
 * unwatched before its descriptor is closed, so no registration outlives
 * it for a new socket that gets the same number. */
static void test_closed_connection_leaves_no_watch(void **state)
{
    (void)state;
    if (!host_loop_mode())
        skip();
    test_server *server = test_server_start();
    test_response r = {.body = "{\"ok\":true}", .headers = {"Connection: close"}};
    test_server_set_default(server, "/closing", &r);
    spotify_client *client = test_server_client(server, "static-token");
    spotify_async *async = async_new(client, 4);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(get_raw(async, "/closing").http_status, 200);
        assert_int_equal(loop_state.count, 1); /* the wake-up descriptor only */
    }
    assert_int_equal(test_server_count(server, "/closing"), 3);
    async_free(async);
    spotify_client_free(client);
    test_server_stop(server);
}

/* On a host loop, a request submitted outside the context's callbacks
 * leaves inside the submit call (on a kept connection), not in the loop's
 * next iteration: the server sees it before the loop turns again. Its
 * callback still waits for the loop. */
static void test_request_leaves_inside_submit(void **state)
{
    (void)state;
    if (mode == DRIVE_SELF)
        skip();
    test_server *server = test_server_start();
    test_response r = {.body = "{\"ok\":true}"};
    test_server_set_default(server, "/eager", &r);
    spotify_client *client = test_server_client(server, "static-token");
    spotify_async *async = async_new(client, 4);
    assert_int_equal(get_raw(async, "/eager").http_status, 200); /* the connection */
    outcome o = {0};
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/eager";
    spotify_error err = {0};
    assert_int_equal(spotify_async_send(async, &request, on_raw, &o, NULL, &err), SPOTIFY_OK);
    assert_int_equal(o.calls, 0); /* callbacks never run inside a submit */
    int64_t end = mono_ms() + 5000;
    while (test_server_count(server, "/eager") < 2 && mono_ms() < end)
        usleep(1000);
    assert_int_equal(test_server_count(server, "/eager"), 2);
    assert_int_equal(o.calls, 0);
    drive_all(async);
    assert_int_equal(o.calls, 1);
    assert_int_equal(o.http_status, 200);
    async_free(async);
    spotify_client_free(client);
    test_server_stop(server);
}

/* Self-driven: every spotify_async_run looks at the sources' descriptors
 * (an extension's connections, e.g. Redis), also when it finds no call
 * pending, has no time left to wait, or delivers at once: a busy context
 * (a completion every run) or an idle one used to leave a source's input
 * unread until a run had to wait, and a Redis answer waited out its
 * whole timeout. */
typedef struct source_seen {
    int fd;
    int inputs;
} source_seen;

static void on_source_ready(void *user, spotify_async_events events)
{
    source_seen *seen = user;
    char byte;
    if ((events & SPOTIFY_ASYNC_IN) != 0 && read(seen->fd, &byte, 1) == 1)
        seen->inputs++;
}

static void on_source_closed(void *user)
{
    (void)user;
    fail_msg("the source is freed before its context");
}

static void test_run_looks_at_sources(void **state)
{
    (void)state;
    if (mode != DRIVE_SELF)
        skip();
    memset(outcomes, 0, sizeof outcomes);
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 4);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    source_seen seen = {.fd = fds[0]};
    spotify_async_source *source = NULL;
    spotify_error err = {0};
    assert_int_equal(
        spotify_async_source_new(&source, async, on_source_ready, on_source_closed, &seen, &err),
        SPOTIFY_OK);
    spotify_async_source_watch(source, fds[0], SPOTIFY_ASYNC_IN);
    assert_int_equal(write(fds[1], "x", 1), 1);
    assert_int_equal(spotify_async_run(async, 0, NULL), SPOTIFY_OK); /* nothing pending */
    assert_int_equal(seen.inputs, 1);
    assert_int_equal(submit_album(async, TPAB, 0, NULL), SPOTIFY_OK);
    assert_int_equal(write(fds[1], "x", 1), 1);
    usleep(2000); /* a run looks at most once a millisecond */
    assert_int_equal(spotify_async_run(async, 0, NULL), SPOTIFY_OK); /* no time to wait */
    assert_int_equal(seen.inputs, 2);
    drive_all(async);
    assert_all_ok(1);
    spotify_async_source_free(source);
    close(fds[0]);
    close(fds[1]);
    async_free(async);
    spotify_client_free(client);
}

/* spotify_async_submit_deferred: the answer arrives undecoded and
 * spotify_answer_decode makes of it what the typed form delivers; an
 * answer freed undecoded leaks nothing; failures come as with the typed
 * form; bad arguments to the decode are refused and still consume it. */
typedef struct deferred_outcome {
    int calls;
    spotify_status status;
    int http_status;
    spotify_answer *answer;
} deferred_outcome;

static void on_deferred(spotify_status status, void *result, const spotify_error *err, void *user)
{
    deferred_outcome *o = user;
    o->calls++;
    o->status = status;
    o->answer = result;
    if (status != SPOTIFY_OK) {
        assert_null(result);
        o->http_status = err->http_status;
    }
}

static void submit_deferred_album(spotify_async *async, const char *id, deferred_outcome *o)
{
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = id;
    spotify_error err = {0};
    assert_int_equal(
        spotify_async_submit_deferred(async, SPOTIFY_OP_ALBUMS_GET, &a, on_deferred, o, NULL, &err),
        SPOTIFY_OK);
}

static void test_deferred_answer(void **state)
{
    (void)state;
    spotify_client *client = client_new(NULL, NULL);
    spotify_async *async = async_new(client, 4);
    deferred_outcome decoded = {0}, dropped = {0}, refused = {0}, missing = {0};
    submit_deferred_album(async, TPAB, &decoded);
    submit_deferred_album(async, TPAB, &dropped);
    submit_deferred_album(async, TPAB, &refused);
    submit_deferred_album(async, "0000000000000000000000", &missing);
    drive_all(async);
    assert_int_equal(decoded.calls, 1);
    assert_int_equal(decoded.status, SPOTIFY_OK);
    assert_non_null(decoded.answer);
    void *result = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_answer_decode(&result, decoded.answer, &err), SPOTIFY_OK);
    spotify_album *album = result;
    assert_string_equal(album->name, TPAB_NAME);
    assert_int_equal(album->tracks->items.count, 16);
    spotify_album_free(album);
    assert_int_equal(dropped.status, SPOTIFY_OK);
    spotify_answer_free(dropped.answer);
    assert_int_equal(refused.status, SPOTIFY_OK);
    assert_int_equal(spotify_answer_decode(NULL, refused.answer, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_answer_decode(&result, NULL, &err), SPOTIFY_EINVALID);
    assert_null(result);
    spotify_answer_free(NULL);
    assert_int_equal(missing.calls, 1);
    assert_int_equal(missing.status, SPOTIFY_ENOTFOUND);
    assert_int_equal(missing.http_status, 404);
    assert_int_equal(
        spotify_async_submit_deferred(async, NULL, NULL, on_deferred, &missing, NULL, &err),
        SPOTIFY_EINVALID);
    assert_int_equal(missing.calls, 1);
    async_free(async);
    spotify_client_free(client);
}

#define ASYNC_TESTS                                                                                \
    cmocka_unit_test_setup(test_typed_results, test_emu_reset),                                    \
        cmocka_unit_test_setup(test_200_in_flight_one_refresh, test_emu_reset),                    \
        cmocka_unit_test_setup(test_no_token_yet_one_fetch, test_emu_reset),                       \
        cmocka_unit_test_setup(test_token_failure_fails_every_waiter, test_emu_reset),             \
        cmocka_unit_test_setup(test_retries_503_and_429, test_emu_reset),                          \
        cmocka_unit_test_setup(test_retry_waits_on_injected_clock, test_emu_reset),                \
        cmocka_unit_test_setup(test_in_flight_limit_queues, test_emu_reset),                       \
        cmocka_unit_test_setup(test_cooldown_fail_fast, test_emu_reset),                           \
        cmocka_unit_test_setup(test_cancel, test_emu_reset),                                       \
        cmocka_unit_test_setup(test_free_with_requests_pending, test_emu_reset),                   \
        cmocka_unit_test_setup(test_free_from_a_callback, test_emu_reset),                         \
        cmocka_unit_test_setup(test_free_releases_the_cache_lock, test_emu_reset),                 \
        cmocka_unit_test_setup(test_callbacks_may_submit, test_emu_reset),                         \
        cmocka_unit_test_setup(test_invalid_arguments_no_callback, test_emu_reset),                \
        cmocka_unit_test_setup(test_raw_request_and_static_token_401, test_emu_reset),             \
        cmocka_unit_test_setup(test_wakeup_from_another_thread, test_emu_reset),                   \
        cmocka_unit_test_setup(test_blocking_threads_and_async_share_a_refresh, test_emu_reset),   \
        cmocka_unit_test_setup(test_auth_token_and_refresh_async, test_emu_reset),                 \
        cmocka_unit_test_setup(test_auth_exchange_code_async, test_emu_reset),                     \
        cmocka_unit_test_setup(test_auth_token_async_cancel_and_static, test_emu_reset),           \
        cmocka_unit_test_setup(test_auth_token_async_races_blocking_refresh, test_emu_reset),      \
        cmocka_unit_test_setup(test_kept_connection_keeps_its_watch, test_emu_reset),              \
        cmocka_unit_test_setup(test_idle_connection_closed_by_server, test_emu_reset),             \
        cmocka_unit_test_setup(test_closed_connection_leaves_no_watch, test_emu_reset),            \
        cmocka_unit_test_setup(test_request_leaves_inside_submit, test_emu_reset),                 \
        cmocka_unit_test_setup(test_deferred_answer, test_emu_reset),                              \
        cmocka_unit_test_setup(test_run_looks_at_sources, test_emu_reset)

int main(void)
{
    const struct CMUnitTest tests[] = {ASYNC_TESTS};
    if (getenv("TEST_FILTER") != NULL) /* e.g. TEST_FILTER=test_cancel */
        cmocka_set_test_filter(getenv("TEST_FILTER"));
    int failed = cmocka_run_group_tests_name("async, self-driven", tests, setup_self,
                                             test_emu_group_teardown);
    failed += cmocka_run_group_tests_name("async, poll(2) host loop", tests, setup_poll,
                                          test_emu_group_teardown);
    failed += cmocka_run_group_tests_name("async, epoll(7) host loop", tests, setup_epoll,
                                          teardown_epoll);
#ifdef SPOTIFY_TEST_LIBUV
    failed += cmocka_run_group_tests_name("async, libuv adapter", tests, setup_uv, teardown_uv);
#endif
    return failed;
}
