/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_async.c - the async API (spotify/async.h with the typed
 * spotify_albums_get_async of spotify/api_async.h: request, transfer, typed
 * decode of the whole album, free) against its baselines, each in one run:
 *
 *   bench_async rate BASE_URL LATENCY_MS [REQUESTS] [ROUNDS] [IN_FLIGHT]
 *     Throughput against a slow server: BASE_URL is a spotify-emulator
 *     started with --latency-ms LATENCY_MS (the Web API at BASE_URL/v1, the
 *     accounts service at BASE_URL). REQUESTS album gets (default 2000)
 *     with 32 in flight, by
 *       - a bare curl-multi loop: 32 easy handles, each re-added as it
 *         finishes, the multi's connections reused, the body not parsed;
 *       - the SDK self-driven: spotify_async_run, max_in_flight IN_FLIGHT;
 *       - the SDK on libuv (spotify/adapters/uv.h), when built with it.
 *     The token is fetched (client credentials, demo-client) before timing
 *     starts; the curl loop sends the same token. Goal: the self-driven SDK
 *     at >= 90% of the ideal rate, IN_FLIGHT (default 32) / LATENCY_MS.
 *
 *   bench_async cpu API_BASE_URL [CALLS] [ROUNDS]
 *     Client CPU (getrusage user+sys) per album get from a server without
 *     added latency (the bench script's nginx serving album-tpab.json at
 *     API_BASE_URL/albums/ID): the blocking spotify_albums_get (one
 *     connection) against the async typed form with 1 and 32 in flight
 *     (and on libuv with 32). CALLS (default 2000) per loop and round.
 *     Goal: the self-driven async forms within 1.2x the blocking call.
 *
 * The loops alternate in ROUNDS rounds (default 3 for rate, 5 for cpu) so
 * they see the same machine state, and each loop's best round is compared
 * (the machines are noisy; the median is shown too). Every async round
 * submits all its requests at once and lets max_in_flight queue them, as a
 * bulk exporter would. Exit status 1 when a goal is missed, 2 on errors.
 * For profiling, BENCH_ASYNC_ONLY=TEXT runs only the loops whose name
 * contains TEXT (the other rows and the verdict are then meaningless).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <spotify/api_async.h>
#include <spotify/spotify.h>
#ifdef BENCH_HAVE_LIBUV
#include <uv.h>

#include <spotify/adapters/uv.h>
#endif

#include "bench_util.h"

/* To Pimp a Butterfly in the emulator's catalog; the bench script's nginx serves
 * album-tpab.json at every album path. */
#define ALBUM_ID "7ycBtnsMtyVbbwTfJwRjSP"
/* Requests in flight: 32, or the rate mode's IN_FLIGHT argument (the Python
 * package's benchmark compares with 100). */
#define IN_FLIGHT_MAX 256
static int in_flight = 32;
#define IN_FLIGHT in_flight
#define MAX_ROUNDS 50
#define MAX_LOOPS 4

/* ---- the measured loops and the rounds harness ---- */

typedef struct bench_loop bench_loop;
struct bench_loop {
    const char *name;
    /* Makes `n` album gets; false on a failure (message printed). */
    bool (*round)(bench_loop *loop, long n);
    void *self; /* the loop's state */
    bench_totals runs[MAX_ROUNDS];
    long connections; /* TCP connections opened, warm-up included */
    size_t tracks;    /* of the last album decoded, 0 if none */
};

/* The SDK's observer counts connections into the loop that is running. */
static void on_http_event(const spotify_http_event *event, void *user)
{
    bench_loop **running = user;
    if (*running != NULL)
        (*running)->connections += event->new_connections;
}

/* False when $BENCH_ASYNC_ONLY is set and not part of the loop's name. */
static bool loop_selected(const bench_loop *loop)
{
    const char *only = getenv("BENCH_ASYNC_ONLY");
    return only == NULL || strstr(loop->name, only) != NULL;
}

/* Warm-up of `warmup` calls per loop (connections opened, caches filled),
 * then `rounds` interleaved rounds of `n` calls. */
static bool rounds_run(bench_loop *loops, size_t count, long warmup, long n, int rounds,
                       bench_loop **running)
{
    for (size_t i = 0; i < count; i++) {
        *running = &loops[i];
        if (!loop_selected(&loops[i]))
            continue;
        if (!loops[i].round(&loops[i], warmup))
            return false;
    }
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < count; i++) {
            *running = &loops[i];
            if (!loop_selected(&loops[i]))
                continue;
            bench_mark m = bench_mark_now();
            if (!loops[i].round(&loops[i], n))
                return false;
            bench_totals_add(&loops[i].runs[r], m, n);
        }
    }
    *running = NULL;
    return true;
}

/* The best (lowest) and median of `per_call` over a loop's rounds. */
typedef struct spread {
    double best;
    double median;
} spread;

static spread spread_of(const bench_loop *loop, int rounds,
                        double (*per_call)(const bench_totals *t))
{
    double v[MAX_ROUNDS];
    for (int r = 0; r < rounds; r++)
        v[r] = per_call(&loop->runs[r]);
    double median = bench_median(v, rounds); /* sorts v */
    spread s = {v[0], median};
    return s;
}

/* ---- the SDK's async loops ---- */

typedef struct album_batch {
    bench_loop *loop;
    long done;
    long failed;
    void (*all_done)(void *user); /* called once `target` callbacks ran */
    void *all_done_user;
    long target;
} album_batch;

static void on_album(spotify_status status, spotify_album *album, const spotify_error *err,
                     void *user)
{
    album_batch *b = user;
    if (status != SPOTIFY_OK) {
        if (b->failed++ == 0)
            fprintf(stderr, "bench_async: %s\n", err != NULL ? err->message : "failed");
    } else {
        b->loop->tracks = album->tracks != NULL ? album->tracks->items.count : 0;
        spotify_album_free(album);
    }
    if (++b->done == b->target && b->all_done != NULL)
        b->all_done(b->all_done_user);
}

/* Submits `n` album gets to `async` at once (max_in_flight queues them). */
static bool albums_submit(spotify_async *async, album_batch *b, long n)
{
    b->done = 0;
    b->failed = 0;
    b->target = n;
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = ALBUM_ID;
    spotify_error err = {0};
    for (long i = 0; i < n; i++) {
        if (spotify_albums_get_async(async, &a, on_album, b, NULL, &err) != SPOTIFY_OK) {
            fprintf(stderr, "spotify_albums_get_async: %s\n", err.message);
            return false;
        }
    }
    return true;
}

typedef struct run_driver {
    spotify_async *async;
    album_batch batch;
} run_driver;

static bool run_round(bench_loop *loop, long n)
{
    run_driver *d = loop->self;
    d->batch.loop = loop;
    if (!albums_submit(d->async, &d->batch, n))
        return false;
    spotify_error err = {0};
    while (spotify_async_pending(d->async) > 0) {
        if (spotify_async_run(d->async, 1000, &err) != SPOTIFY_OK) {
            fprintf(stderr, "spotify_async_run: %s\n", err.message);
            return false;
        }
    }
    return d->batch.failed == 0;
}

static bool run_driver_new(run_driver *d, spotify_client *client, int max_in_flight)
{
    memset(d, 0, sizeof *d);
    spotify_async_options opts = SPOTIFY_ASYNC_OPTIONS_INIT;
    opts.max_in_flight = max_in_flight;
    spotify_error err = {0};
    if (spotify_async_new(&d->async, client, &opts, &err) != SPOTIFY_OK) {
        fprintf(stderr, "spotify_async_new: %s\n", err.message);
        return false;
    }
    return true;
}

#ifdef BENCH_HAVE_LIBUV
typedef struct uv_driver {
    uv_loop_t loop;
    spotify_async_uv *adapter;
    album_batch batch;
} uv_driver;

static void uv_loop_stop(void *user)
{
    uv_stop(user);
}

static bool uv_round(bench_loop *loop, long n)
{
    uv_driver *d = loop->self;
    d->batch.loop = loop;
    d->batch.all_done = uv_loop_stop;
    d->batch.all_done_user = &d->loop;
    if (!albums_submit(spotify_async_uv_context(d->adapter), &d->batch, n))
        return false;
    while (d->batch.done < n) {
        if (uv_run(&d->loop, UV_RUN_DEFAULT) == 0 && d->batch.done < n) {
            fprintf(stderr, "bench_async: the libuv loop ran dry\n");
            return false;
        }
    }
    return d->batch.failed == 0;
}

static bool uv_driver_new(uv_driver *d, spotify_client *client, int max_in_flight)
{
    memset(d, 0, sizeof *d);
    uv_loop_init(&d->loop);
    spotify_async_options opts = SPOTIFY_ASYNC_OPTIONS_INIT;
    opts.max_in_flight = max_in_flight;
    spotify_error err = {0};
    if (spotify_async_uv_new(&d->adapter, &d->loop, client, &opts, &err) != SPOTIFY_OK) {
        fprintf(stderr, "spotify_async_uv_new: %s\n", err.message);
        return false;
    }
    return true;
}

static void uv_driver_free(uv_driver *d)
{
    spotify_async_uv_free(d->adapter);
    uv_run(&d->loop, UV_RUN_DEFAULT); /* the handles close asynchronously */
    uv_loop_close(&d->loop);
}
#endif

/* ---- the blocking loop ---- */

static bool blocking_round(bench_loop *loop, long n)
{
    return bench_albums_get_loop(loop->self, ALBUM_ID, n, &loop->tracks);
}

/* ---- the bare curl-multi loop ---- */

typedef struct multi_driver {
    CURLM *multi;
    CURL *easy[IN_FLIGHT_MAX];
    bench_body body[IN_FLIGHT_MAX];
    struct curl_slist *headers;
    size_t body_len; /* of the last response */
} multi_driver;

static bool multi_driver_new(multi_driver *d, const char *url, const char *token)
{
    memset(d, 0, sizeof *d);
    char auth[SPOTIFY_ACCESS_TOKEN_MAX + 32];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    d->headers = curl_slist_append(NULL, auth);
    d->multi = curl_multi_init();
    if (d->headers == NULL || d->multi == NULL)
        return false;
    /* Keep every connection between rounds, as the SDK's context does (by
     * default libcurl keeps 4 per transfer in the multi, fewer as a round
     * drains). */
    curl_multi_setopt(d->multi, CURLMOPT_MAXCONNECTS, (long)IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
        CURL *easy = d->easy[i] = curl_easy_init();
        if (easy == NULL)
            return false;
        curl_easy_setopt(easy, CURLOPT_URL, url);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, d->headers);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, bench_on_body);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &d->body[i]);
        curl_easy_setopt(easy, CURLOPT_PRIVATE, &d->body[i]);
    }
    return true;
}

static void multi_driver_free(multi_driver *d)
{
    for (int i = 0; i < IN_FLIGHT; i++) {
        curl_easy_cleanup(d->easy[i]);
        free(d->body[i].data);
    }
    curl_multi_cleanup(d->multi);
    curl_slist_free_all(d->headers);
}

static void multi_start(multi_driver *d, CURL *easy)
{
    bench_body *body = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&body);
    body->len = 0;
    curl_multi_add_handle(d->multi, easy);
}

/* A finished transfer: true when it got a 200; its connections counted. */
static bool multi_finished(multi_driver *d, bench_loop *loop, CURLMsg *msg)
{
    CURL *easy = msg->easy_handle;
    CURLcode rc = msg->data.result;
    long status = 0, connects = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
    bench_body *body = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&body);
    d->body_len = body->len;
    loop->connections += connects;
    curl_multi_remove_handle(d->multi, easy);
    if (rc != CURLE_OK || status != 200) {
        fprintf(stderr, "curl-multi: %s, HTTP %ld\n", curl_easy_strerror(rc), status);
        return false;
    }
    return true;
}

static bool multi_round(bench_loop *loop, long n)
{
    multi_driver *d = loop->self;
    long started = 0, done = 0;
    for (int i = 0; i < IN_FLIGHT && started < n; i++, started++)
        multi_start(d, d->easy[i]);
    while (done < n) {
        int running = 0;
        curl_multi_perform(d->multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(d->multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            CURL *easy = msg->easy_handle;
            if (!multi_finished(d, loop, msg))
                return false;
            done++;
            if (started < n) {
                multi_start(d, easy);
                started++;
            }
        }
        if (done < n)
            curl_multi_poll(d->multi, NULL, 0, 1000, NULL);
    }
    return true;
}

/* ---- set-up shared by both modes ---- */

typedef struct bench_setup {
    spotify_auth *auth;
    spotify_client *client;
    bench_loop *running; /* the observer's target */
    run_driver run_1, run_32;
#ifdef BENCH_HAVE_LIBUV
    uv_driver uv_32;
#endif
    bench_loop loops[MAX_LOOPS];
    size_t count;
} bench_setup;

static bool client_new(bench_setup *s, const char *api_base, const char *static_token)
{
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.api_base_url = api_base;
    co.access_token = static_token;
    co.auth = s->auth;
    co.observer = on_http_event;
    co.observer_user = &s->running;
    spotify_error err = {0};
    if (spotify_client_new(&s->client, &co, &err) != SPOTIFY_OK) {
        fprintf(stderr, "spotify_client_new: %s\n", err.message);
        return false;
    }
    return true;
}

static bench_loop *loop_add(bench_setup *s, const char *name, bool (*round)(bench_loop *, long),
                            void *self)
{
    bench_loop *loop = &s->loops[s->count++];
    loop->name = name;
    loop->round = round;
    loop->self = self;
    return loop;
}

/* Adds the async loops with `max_in_flight` (the self-driven one with 1
 * too when `with_one`). */
static bool async_loops_add(bench_setup *s, bool with_one)
{
    if (with_one) {
        if (!run_driver_new(&s->run_1, s->client, 1))
            return false;
        loop_add(s, "async, spotify_async_run, 1 in flight", run_round, &s->run_1);
    }
    if (!run_driver_new(&s->run_32, s->client, IN_FLIGHT))
        return false;
    static char run_name[64];
    snprintf(run_name, sizeof run_name, "async, spotify_async_run, %d in flight", IN_FLIGHT);
    loop_add(s, run_name, run_round, &s->run_32);
#ifdef BENCH_HAVE_LIBUV
    if (!uv_driver_new(&s->uv_32, s->client, IN_FLIGHT))
        return false;
    static char uv_name[64];
    snprintf(uv_name, sizeof uv_name, "async on libuv (adapters/uv.h), %d in flight", IN_FLIGHT);
    loop_add(s, uv_name, uv_round, &s->uv_32);
#endif
    return true;
}

static void setup_free(bench_setup *s)
{
    spotify_async_free(s->run_1.async);
    spotify_async_free(s->run_32.async);
#ifdef BENCH_HAVE_LIBUV
    if (s->uv_32.adapter != NULL)
        uv_driver_free(&s->uv_32);
#endif
    spotify_client_free(s->client);
    spotify_auth_free(s->auth);
}

static long count_arg(int argc, char **argv, int i, long fallback)
{
    return argc > i ? strtol(argv[i], NULL, 10) : fallback;
}

/* ---- rate: throughput against the emulator with added latency ---- */

static int rate_main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s rate BASE_URL LATENCY_MS [REQUESTS] [ROUNDS] [IN_FLIGHT]\n",
                argv[0]);
        return 2;
    }
    const char *base = argv[2];
    long latency_ms = strtol(argv[3], NULL, 10);
    long n = count_arg(argc, argv, 4, 2000);
    int rounds = (int)count_arg(argc, argv, 5, 3);
    in_flight = (int)count_arg(argc, argv, 6, 32);
    if (in_flight < 1 || in_flight > IN_FLIGHT_MAX)
        return 2;
    if (latency_ms <= 0 || n < IN_FLIGHT || rounds < 1 || rounds > MAX_ROUNDS)
        return 2;
    char api[512], url[600];
    snprintf(api, sizeof api, "%s/v1", base);
    snprintf(url, sizeof url, "%s/albums/%s", api, ALBUM_ID);

    bench_setup s = {0};
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.client_id = "demo-client";
    ao.client_secret = "demo-secret";
    ao.accounts_base_url = base;
    spotify_error err = {0};
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    multi_driver multi;
    int status = 2;
    if (spotify_auth_client_credentials_new(&s.auth, &ao, &err) != SPOTIFY_OK ||
        spotify_auth_access_token_get(token, sizeof token, s.auth, &err) != SPOTIFY_OK) {
        fprintf(stderr, "token: %s\n", err.message);
        spotify_auth_free(s.auth);
        return 2;
    }
    bool ok = multi_driver_new(&multi, url, token);
    bench_loop *curl_loop = loop_add(&s, "bare curl-multi, body not parsed", multi_round, &multi);
    ok = ok && client_new(&s, api, NULL) && async_loops_add(&s, false);
    ok = ok && rounds_run(s.loops, s.count, 2 * IN_FLIGHT, n, rounds, &s.running);
    if (!ok)
        goto done;

    double ideal = (double)IN_FLIGHT * 1000.0 / (double)latency_ms;
    spread curl_wall = spread_of(curl_loop, rounds, bench_wall_per_call);
    printf("GET /v1/albums/%s (%zu bytes, %zu tracks) from spotify-emulator --latency-ms %ld; "
           "%ld requests per loop and round, %d in flight, %d interleaved rounds; ideal rate "
           "%d / %ld ms = %.0f/s\n\n",
           ALBUM_ID, multi.body_len, s.loops[1].tracks, latency_ms, n, IN_FLIGHT, rounds, IN_FLIGHT,
           latency_ms, ideal);
    printf("| loop | requests/s, best round | median | x ideal | x curl-multi | client CPU per "
           "request | TCP connections |\n");
    printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    double sdk_ratio = 0;
    for (size_t i = 0; i < s.count; i++) {
        spread wall = spread_of(&s.loops[i], rounds, bench_wall_per_call);
        spread cpu = spread_of(&s.loops[i], rounds, bench_cpu_per_call);
        double rate = 1e6 / wall.best;
        if (i == 1)
            sdk_ratio = rate / ideal;
        printf("| %s | %.0f | %.0f | %.2f | %.2f | %.1f µs | %ld |\n", s.loops[i].name, rate,
               1e6 / wall.median, rate / ideal, curl_wall.best / wall.best, cpu.best,
               s.loops[i].connections);
    }
    bool met = sdk_ratio >= 0.90;
    double curl_ratio = 1e6 / curl_wall.best / ideal;
    printf("\nself-driven SDK / ideal = %.2f (goal >= 0.90: %s)\n", sdk_ratio,
           met ? "met" : "MISSED");
    if (curl_ratio < 0.90)
        printf("(the bare curl-multi loop itself reached only %.2f of the ideal: the machine or "
               "the server was the limit in this run)\n",
               curl_ratio);
    status = met ? 0 : 1;
done:
    memset(token, 0, sizeof token);
    multi_driver_free(&multi);
    setup_free(&s);
    return status;
}

/* ---- cpu: client CPU per request, blocking vs async ---- */

static int cpu_main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s cpu API_BASE_URL [CALLS] [ROUNDS]\n", argv[0]);
        return 2;
    }
    long n = count_arg(argc, argv, 3, 2000);
    int rounds = (int)count_arg(argc, argv, 4, 5);
    if (n < IN_FLIGHT || rounds < 1 || rounds > MAX_ROUNDS)
        return 2;
    bench_setup s = {0};
    int status = 2;
    bool ok = client_new(&s, argv[2], "bench-token");
    bench_loop *blocking = loop_add(&s, "blocking spotify_albums_get", blocking_round, s.client);
    ok = ok && async_loops_add(&s, true);
    ok = ok && rounds_run(s.loops, s.count, n / 10 + IN_FLIGHT, n, rounds, &s.running);
    if (!ok)
        goto done;

    spread base = spread_of(blocking, rounds, bench_cpu_per_call);
    printf("album-tpab.json (%zu tracks) from local nginx, no added latency; %ld calls per loop "
           "and round, %d interleaved rounds; typed album decoded and freed in every loop\n\n",
           blocking->tracks, n, rounds);
    printf("| loop | client CPU per call, best round | median | wall per call | TCP connections "
           "| CPU vs blocking |\n");
    printf("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    double worst = 0;
    for (size_t i = 0; i < s.count; i++) {
        spread cpu = spread_of(&s.loops[i], rounds, bench_cpu_per_call);
        spread wall = spread_of(&s.loops[i], rounds, bench_wall_per_call);
        double ratio = cpu.best / base.best;
        if (s.loops[i].round == run_round && ratio > worst)
            worst = ratio;
        printf("| %s | %.1f µs | %.1f µs | %.1f µs | %ld | %.2fx |\n", s.loops[i].name, cpu.best,
               cpu.median, wall.best, s.loops[i].connections, ratio);
    }
    bool met = worst <= 1.2;
    printf("\nasync (self-driven) CPU / blocking CPU, worst of 1 and 32 in flight = %.2f "
           "(goal <= 1.20: %s)\n",
           worst, met ? "met" : "MISSED");
    status = met ? 0 : 1;
done:
    setup_free(&s);
    return status;
}

int main(int argc, char **argv)
{
    spotify_error err = {0};
    if (spotify_global_init(&err) != SPOTIFY_OK) {
        fprintf(stderr, "spotify_global_init: %s\n", err.message);
        return 2;
    }
    int status = 2;
    if (argc > 1 && strcmp(argv[1], "rate") == 0)
        status = rate_main(argc, argv);
    else if (argc > 1 && strcmp(argv[1], "cpu") == 0)
        status = cpu_main(argc, argv);
    else
        fprintf(stderr,
                "usage: %s rate BASE_URL LATENCY_MS [REQUESTS] [ROUNDS] [IN_FLIGHT]\n"
                "       %s cpu API_BASE_URL [CALLS] [ROUNDS]\n",
                argv[0], argv[0]);
    spotify_global_cleanup();
    return status;
}
