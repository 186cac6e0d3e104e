/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_fleet_soak_worker.c - one worker process of the fleet soak benchmark
 * (bench_fleet_soak.c starts eight of them and reads their reports):
 *
 *   bench_fleet_soak_worker INDEX REDIS_URL EMULATOR_BASE KEY_PREFIX T0_MS END_MS
 *
 * One client-credentials provider (demo-client, skew 1 s) with the Redis
 * token cache, and one client with the Redis cooldown store, shared by two
 * async contexts on two threads: context 0 self-driven (spotify_async_run
 * in steps of at most 5 ms), context 1 on libuv (spotify/adapters/uv.h)
 * when the build has libuv, else self-driven too. Each keeps IN_FLIGHT raw
 * album gets in flight (GET /v1/albums/ID of the emulator's catalogue),
 * resubmitting as they complete, until END_MS on the monotonic clock
 * (CLOCK_MONOTONIC milliseconds, shared by the processes of the machine);
 * then it lets the last ones land (at most DRAIN_MS) and frees everything.
 *
 * Measured per context: requests completed and failed, and the loop's
 * iterations: the longest gap between two successive iterations (a stall),
 * when it happened (seconds since T0_MS), how much of it this thread spent
 * on the CPU (CLOCK_THREAD_CPUTIME_ID; the rest the thread slept in the
 * loop's poll or waited for a CPU), the longest on-CPU time of one
 * iteration, and how many gaps exceeded STALL_GOAL_MS in each second of
 * the run (so the controller can tell stalls while Redis was up from
 * stalls while it was away). And the longest time without any completion
 * (requests waiting, e.g. for a token), with when it ended.
 * A failed request counts as "without a token" when its message is about
 * the token (its acquisition, the cache or the refresh lock), else as
 * "with a token" (the request itself failed). Per process: the times of
 * its token grants (the provider's observer sees each 200 of the token
 * endpoint).
 *
 * Report on stdout, for the controller:
 *   context I MODE completed N failed_valid N failed_token N cancelled N
 *     iterations N max_gap_ms X at_s X gap_cpu_ms X max_cpu_ms X over_goal N
 *     idle_ms X idle_end_s X
 *   stalls N S1:C1 S2:C2 ...    (C gaps over STALL_GOAL_MS ended in second S)
 *   grants N T1 T2 ...          (seconds since T0_MS)
 * SDK warnings go to stderr with the worker's index and time. Exit status
 * 0, or 2 when the worker could not be set up.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <spotify/redis.h>
#include <spotify/spotify.h>
#ifdef BENCH_HAVE_LIBUV
#include <uv.h>

#include <spotify/adapters/uv.h>
#endif

#include "bench_util.h"

#define ALBUM_PATH "/albums/7ycBtnsMtyVbbwTfJwRjSP"
#define CLIENT_ID "demo-client"
#define IN_FLIGHT 32
#define CONTEXTS 2
#define STEP_MS 5
#define STALL_GOAL_MS 50.0
#define DRAIN_MS 5000.0
#define MAX_GRANTS 4096
#define MAX_SECONDS 3600

/* The process: its configuration, SDK objects and token grants. */
typedef struct worker {
    int index;
    const char *redis_url, *emulator, *prefix;
    double t0_ms, end_ms;
    spotify_token_cache *cache;
    spotify_redis_cooldown *cooldown;
    spotify_auth *auth;
    spotify_client *client;
    pthread_mutex_t grants_mutex;
    double grants[MAX_GRANTS]; /* seconds since t0 */
    int grant_count;
} worker;

/* What one context measured. */
typedef struct loop_stats {
    long completed, failed_valid, failed_token, cancelled;
    long iterations, over_goal;
    double last_done_at_s; /* the last completion, seconds since t0 */
    /* The longest time without a completion (while measuring), and when it
     * ended (seconds since t0). */
    double max_idle_ms, max_idle_end_s;
    double max_gap_ms, max_gap_at_s, max_gap_cpu_ms, max_cpu_ms;
    int over_by_second[MAX_SECONDS]; /* gaps over the goal, by second of the run */
} loop_stats;

/* One context and its traffic, on its own thread. */
typedef struct context_run {
    worker *w;
    int index;
    bool on_uv;
    spotify_async *async;
    int in_flight;
    bool stop;       /* no more submissions */
    bool measuring;  /* iterations count (until END_MS) */
    double last_ms;  /* monotonic time of the last iteration */
    double last_cpu; /* this thread's CPU time then, ms */
    loop_stats stats;
} context_run;

static double now_ms(void)
{
    return bench_now_us() / 1000.0;
}

static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static worker *log_worker; /* for the log handler's prefix */

static void on_log(spotify_log_level level, const char *message, void *user)
{
    (void)level;
    (void)user;
    fprintf(stderr, "worker %d +%.3f s: %s\n", log_worker->index,
            (now_ms() - log_worker->t0_ms) / 1000.0, message);
}

/* The provider's observer: every 200 of the token endpoint is a grant. */
static void on_token_attempt(const spotify_http_event *event, void *user)
{
    worker *w = user;
    if (event->http_status != 200)
        return;
    pthread_mutex_lock(&w->grants_mutex);
    if (w->grant_count < MAX_GRANTS)
        w->grants[w->grant_count++] = (now_ms() - w->t0_ms) / 1000.0;
    pthread_mutex_unlock(&w->grants_mutex);
}

/* ---- one loop iteration, and the requests ---- */

static void gap_add(context_run *r, double now, double gap, double cpu)
{
    loop_stats *s = &r->stats;
    double at_s = (now - r->w->t0_ms) / 1000.0;
    s->iterations++;
    if (gap > STALL_GOAL_MS) {
        s->over_goal++;
        if (at_s >= 0 && at_s < MAX_SECONDS)
            s->over_by_second[(int)at_s]++;
    }
    if (gap > s->max_gap_ms) {
        s->max_gap_ms = gap;
        s->max_gap_at_s = at_s;
        s->max_gap_cpu_ms = cpu;
    }
    if (cpu > s->max_cpu_ms)
        s->max_cpu_ms = cpu;
}

/* The time since the last completion, at `now_s`, while measuring. */
static void idle_note(context_run *r, double now_s)
{
    loop_stats *s = &r->stats;
    double idle_ms = (now_s - s->last_done_at_s) * 1000.0;
    if (r->measuring && idle_ms > s->max_idle_ms) {
        s->max_idle_ms = idle_ms;
        s->max_idle_end_s = now_s;
    }
}

static void iteration(context_run *r)
{
    double now = now_ms(), cpu = thread_cpu_ms();
    if (r->measuring && r->last_ms > 0)
        gap_add(r, now, now - r->last_ms, cpu - r->last_cpu);
    r->last_ms = now;
    r->last_cpu = cpu;
    if (now >= r->w->end_ms && r->measuring) {
        idle_note(r, (now - r->w->t0_ms) / 1000.0);
        r->measuring = false;
        r->stop = true;
    }
}

static void submit_one(context_run *r);

static void count_outcome(context_run *r, spotify_status status, const spotify_error *err)
{
    loop_stats *s = &r->stats;
    double now_s = (now_ms() - r->w->t0_ms) / 1000.0;
    idle_note(r, now_s);
    s->last_done_at_s = now_s;
    if (status == SPOTIFY_OK) {
        s->completed++;
        return;
    }
    const char *message = err != NULL ? err->message : "?";
    long *counter = status == SPOTIFY_ECANCELLED       ? &s->cancelled
                    : strstr(message, "token") != NULL ? &s->failed_token
                                                       : &s->failed_valid;
    if ((*counter)++ == 0)
        fprintf(stderr, "worker %d context %d +%.3f s: %s: %s\n", r->w->index, r->index,
                (now_ms() - r->w->t0_ms) / 1000.0, spotify_status_name(status), message);
}

static void on_album(spotify_status status, void *result, const spotify_error *err, void *user)
{
    context_run *r = user;
    r->in_flight--;
    count_outcome(r, status, err);
    spotify_response_free(result);
    if (!r->stop)
        submit_one(r);
}

static void submit_one(context_run *r)
{
    spotify_request req = SPOTIFY_REQUEST_INIT;
    req.path = ALBUM_PATH;
    spotify_error err = {0};
    if (spotify_async_send(r->async, &req, on_album, r, NULL, &err) != SPOTIFY_OK) {
        fprintf(stderr, "worker %d: spotify_async_send: %s\n", r->w->index, err.message);
        r->stop = true;
        return;
    }
    r->in_flight++;
}

static void traffic_start(context_run *r)
{
    r->measuring = true;
    for (int i = 0; i < IN_FLIGHT; i++)
        submit_one(r);
}

/* Until END_MS, then until the last requests land (at most DRAIN_MS). */
static bool running(const context_run *r)
{
    double now = now_ms();
    return now < r->w->end_ms || (r->in_flight > 0 && now < r->w->end_ms + DRAIN_MS);
}

/* Says so when requests are still pending after the drain. */
static void drain_check(const context_run *r)
{
    if (r->in_flight > 0)
        fprintf(stderr,
                "worker %d context %d: %d requests pending %.0f ms after the end; the last "
                "completed at +%.3f s\n",
                r->w->index, r->index, r->in_flight, DRAIN_MS, r->stats.last_done_at_s);
}

/* ---- self-driven ---- */

static bool drive_self(context_run *r)
{
    spotify_error err = {0};
    if (spotify_async_new(&r->async, r->w->client, NULL, &err) != SPOTIFY_OK) {
        fprintf(stderr, "worker %d: spotify_async_new: %s\n", r->w->index, err.message);
        return false;
    }
    traffic_start(r);
    while (running(r)) {
        spotify_async_run(r->async, STEP_MS, NULL);
        iteration(r);
    }
    drain_check(r);
    spotify_async_free(r->async); /* cancels what is left */
    return true;
}

/* ---- libuv ---- */

#ifdef BENCH_HAVE_LIBUV
static void on_check(uv_check_t *check)
{
    context_run *r = check->data;
    iteration(r);
    if (!running(r))
        uv_stop(check->loop);
}

static void on_tick(uv_timer_t *timer)
{
    (void)timer; /* the loop iterates at least every STEP_MS */
}

static void uv_traffic(context_run *r, uv_loop_t *loop)
{
    uv_check_t check;
    uv_timer_t tick;
    uv_check_init(loop, &check);
    check.data = r;
    uv_check_start(&check, on_check);
    uv_timer_init(loop, &tick);
    uv_timer_start(&tick, on_tick, STEP_MS, STEP_MS);
    traffic_start(r);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&check, NULL);
    uv_close((uv_handle_t *)&tick, NULL);
}

static bool drive_uv(context_run *r)
{
    uv_loop_t loop;
    spotify_async_uv *adapter = NULL;
    spotify_error err = {0};
    if (uv_loop_init(&loop) != 0 ||
        spotify_async_uv_new(&adapter, &loop, r->w->client, NULL, &err) != SPOTIFY_OK) {
        fprintf(stderr, "worker %d: spotify_async_uv_new: %s\n", r->w->index, err.message);
        return false;
    }
    r->async = spotify_async_uv_context(adapter);
    uv_traffic(r, &loop);
    drain_check(r);
    spotify_async_uv_free(adapter); /* cancels what is left */
    uv_run(&loop, UV_RUN_DEFAULT);  /* closes the handles */
    return uv_loop_close(&loop) == 0;
}
#endif

static void *context_thread(void *arg)
{
    context_run *r = arg;
#ifdef BENCH_HAVE_LIBUV
    bool ok = r->on_uv ? drive_uv(r) : drive_self(r);
#else
    bool ok = drive_self(r);
#endif
    return ok ? r : NULL;
}

/* ---- setup and report ---- */

static bool sdk_open(worker *w)
{
    spotify_redis_options ro = SPOTIFY_REDIS_OPTIONS_INIT;
    ro.url = w->redis_url;
    ro.key_prefix = w->prefix;
    ro.client_id = CLIENT_ID;
    spotify_error err = {0};
    if (spotify_redis_token_cache_new(&w->cache, &ro, &err) != SPOTIFY_OK ||
        spotify_redis_cooldown_new(&w->cooldown, &ro, &err) != SPOTIFY_OK) {
        fprintf(stderr, "worker %d: Redis: %s\n", w->index, err.message);
        return false;
    }
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.client_id = CLIENT_ID;
    ao.client_secret = "demo-secret";
    ao.accounts_base_url = w->emulator;
    ao.token_cache = w->cache;
    ao.skew_seconds = 1; /* the token lives 5 s: renewed after 4 */
    ao.observer = on_token_attempt;
    ao.observer_user = w;
    char api[256];
    snprintf(api, sizeof api, "%s/v1", w->emulator);
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.api_base_url = api;
    co.cooldown_store = spotify_redis_cooldown_store(w->cooldown);
    if (spotify_auth_client_credentials_new(&w->auth, &ao, &err) != SPOTIFY_OK)
        goto fail;
    co.auth = w->auth;
    if (spotify_client_new(&w->client, &co, &err) != SPOTIFY_OK)
        goto fail;
    return true;
fail:
    fprintf(stderr, "worker %d: %s\n", w->index, err.message);
    return false;
}

static void sdk_close(worker *w)
{
    spotify_client_free(w->client);
    spotify_auth_free(w->auth);
    spotify_redis_cooldown_free(w->cooldown);
    spotify_token_cache_free(w->cache);
}

/* The seconds with stalls over the goal, as "stalls N S:C ...". */
static void stalls_print(const loop_stats *s)
{
    int n = 0;
    for (int k = 0; k < MAX_SECONDS; k++)
        n += s->over_by_second[k] > 0;
    printf("stalls %d", n);
    for (int k = 0; k < MAX_SECONDS; k++)
        if (s->over_by_second[k] > 0)
            printf(" %d:%d", k, s->over_by_second[k]);
    printf("\n");
}

static void report(const worker *w, const context_run *runs)
{
    for (int i = 0; i < CONTEXTS; i++) {
        const loop_stats *s = &runs[i].stats;
        printf("context %d %s completed %ld failed_valid %ld failed_token %ld cancelled %ld "
               "iterations %ld max_gap_ms %.1f at_s %.3f gap_cpu_ms %.1f max_cpu_ms %.1f "
               "over_goal %ld idle_ms %.1f idle_end_s %.3f\n",
               i, runs[i].on_uv ? "libuv" : "self", s->completed, s->failed_valid, s->failed_token,
               s->cancelled, s->iterations, s->max_gap_ms, s->max_gap_at_s, s->max_gap_cpu_ms,
               s->max_cpu_ms, s->over_goal, s->max_idle_ms, s->max_idle_end_s);
        stalls_print(s);
    }
    printf("grants %d", w->grant_count);
    for (int i = 0; i < w->grant_count; i++)
        printf(" %.3f", w->grants[i]);
    printf("\n");
}

static bool run_contexts(worker *w, context_run *runs)
{
    pthread_t threads[CONTEXTS];
    for (int i = 0; i < CONTEXTS; i++) {
        runs[i] = (context_run){.w = w, .index = i};
#ifdef BENCH_HAVE_LIBUV
        runs[i].on_uv = i == 1;
#endif
        if (pthread_create(&threads[i], NULL, context_thread, &runs[i]) != 0)
            return false;
    }
    bool ok = true;
    for (int i = 0; i < CONTEXTS; i++) {
        void *result = NULL;
        pthread_join(threads[i], &result);
        ok = ok && result != NULL;
    }
    return ok;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: bench_fleet_soak_worker INDEX REDIS_URL EMULATOR_BASE "
                        "KEY_PREFIX T0_MS END_MS\n");
        return 2;
    }
    static worker w;
    w.index = (int)strtol(argv[1], NULL, 10);
    w.redis_url = argv[2];
    w.emulator = argv[3];
    w.prefix = argv[4];
    w.t0_ms = strtod(argv[5], NULL);
    w.end_ms = strtod(argv[6], NULL);
    pthread_mutex_init(&w.grants_mutex, NULL);
    log_worker = &w;
    spotify_global_init(NULL);
    spotify_log_set_handler(on_log, NULL, SPOTIFY_LOG_WARN);
    static context_run runs[CONTEXTS];
    bool ok = sdk_open(&w) && run_contexts(&w, runs);
    sdk_close(&w);
    spotify_global_cleanup();
    if (ok)
        report(&w, runs);
    return ok ? 0 : 2;
}
