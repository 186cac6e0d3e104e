/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_redis_sentinel.c - redis-sentinel:// URLs against real processes on
 * loopback (Debian's redis-sentinel, i.e. redis-server --sentinel):
 *   - the fixture's Sentinel (master "fixture" = the plain server): a cache
 *     finds the master through it, skipping a Sentinel that is down; an
 *     async worker resolves it on its loop; a wrong master name is
 *     SPOTIFY_ECONFIG, no Sentinel reachable SPOTIFY_ETRANSPORT, and no
 *     message holds the password;
 *   - a private master and replica in a temp dir:
 *       * with one Sentinel, the master is demoted by hand (the replica
 *         promoted, Sentinel re-pointed) while a cache keeps its
 *         connection: its next write gets READONLY, and the cache follows
 *         Sentinel to the new master;
 *       * with three Sentinels, a forced failover (SENTINEL failover)
 *         mid-run: a fleet of worker processes (blocking and async)
 *         refreshes once per expiry before and after it, and a cache
 *         created before it writes to the new master after it (Sentinel
 *         killed its connection to the old one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <spotify/redis.h>
#include <spotify/spotify.h>

#include "core/clock.h"
#include "redis_test_util.h"
#include "test_util.h"

#define MASTER_NAME "sdk-test"
#define FLEET 4 /* workers per run: half blocking, half async */

/* ---- the fixture's Sentinel ---- */

/* The token record under `prefix` on the server at `port`: its access
 * token is `access`. */
static void assert_token_on(int port, const char *prefix, const char *access)
{
    redisContext *c = redis_test_connect(port, NULL);
    redisReply *r = redisCommand(c, "GET %stoken:demo-client:user:demo-user", prefix);
    assert_non_null(r);
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    assert_non_null(strstr(r->str, access));
    freeReplyObject(r);
    redisFree(c);
}

static void store_token(spotify_token_cache *cache, const char *access)
{
    char refresh[] = "a-refresh-token", client[] = "demo-client";
    char access_copy[64];
    snprintf(access_copy, sizeof access_copy, "%s", access);
    spotify_token t = {.access_token = access_copy,
                       .expires_at = spotify__wall_seconds() + 3600,
                       .refresh_token = refresh,
                       .client_id = client,
                       .flow = SPOTIFY_FLOW_AUTHORIZATION_CODE};
    spotify_error err = {0};
    if (spotify_token_cache_store(cache, &t, &err) != SPOTIFY_OK)
        fail_msg("store: %s", err.message);
}

static void test_fixture_sentinel(void **state)
{
    (void)state;
    char url[256], prefix[64];
    redis_test_prefix(prefix, sizeof prefix);
    /* the first Sentinel is down: the second answers */
    snprintf(url, sizeof url, "redis-sentinel://127.0.0.1:%d,127.0.0.1:%d/fixture",
             redis_test_closed_port(), redis_fixture_port("sentinel"));
    spotify_token_cache *cache = redis_test_user_cache(url, prefix);
    store_token(cache, "via-sentinel");
    assert_token_on(redis_fixture_port("plain"), prefix, "via-sentinel");
    spotify_token t = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_true(found);
    assert_string_equal(t.access_token, "via-sentinel");
    spotify_token_clear(&t);
    spotify_token_cache_free(cache);
}

static void test_async_worker_via_sentinel(void **state)
{
    (void)state;
    char url[128], prefix[64];
    snprintf(url, sizeof url, "redis-sentinel://127.0.0.1:%d/fixture",
             redis_fixture_port("sentinel"));
    redis_test_prefix(prefix, sizeof prefix);
    spotify_token_cache *cache = redis_test_user_cache(url, prefix);
    redis_test_seed_expired_user_token(cache);
    long before = emulator_grant_count(&redis_test_emu, "refresh_token");
    assert_int_equal(worker_wait(worker_spawn_mode("user", url, prefix, "async")), 0);
    assert_int_equal(emulator_grant_count(&redis_test_emu, "refresh_token") - before, 1);
    spotify_token_cache_free(cache);
}

/* ---- a private master, replica and Sentinels ---- */

#define MAX_SENTINELS 3

typedef struct topology {
    char *dir;
    char subdir[2][512];
    redis_server node[2]; /* [0] the first master, [1] its replica */
    redis_server sentinel[MAX_SENTINELS];
    int sentinels;
    char url[256]; /* every Sentinel, in order */
} topology;

static bool link_up(void *user)
{
    const int *port = user;
    redisContext *c = redis_test_connect(*port, NULL);
    redisReply *r = redisCommand(c, "INFO replication");
    bool up = r != NULL && r->type == REDIS_REPLY_STRING && strstr(r->str, "role:slave") != NULL &&
              strstr(r->str, "master_link_status:up") != NULL;
    if (r != NULL)
        freeReplyObject(r);
    redisFree(c);
    return up;
}

/* The first Sentinel lists the replica as a healthy replica. */
static bool replica_known(void *user)
{
    const topology *t = user;
    redisContext *c = redis_test_connect(t->sentinel[0].port, NULL);
    redisReply *r = redisCommand(c, "SENTINEL replicas " MASTER_NAME);
    bool known = false;
    for (size_t i = 0; r != NULL && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        const redisReply *fields = r->element[i];
        for (size_t j = 0; j + 1 < fields->elements; j += 2)
            if (strcmp(fields->element[j]->str, "flags") == 0)
                known = known || strcmp(fields->element[j + 1]->str, "slave") == 0;
    }
    if (r != NULL)
        freeReplyObject(r);
    redisFree(c);
    return known;
}

/* The master, its replica (in sync) and `sentinels` Sentinels watching
 * them (the first knowing the replica). */
static bool topology_start(topology *t, int sentinels)
{
    for (int i = 0; i < 2; i++) {
        snprintf(t->subdir[i], sizeof t->subdir[i], "%s/node%d", t->dir, i);
        if (mkdir(t->subdir[i], 0700) != 0)
            return false;
    }
    if (!redis_server_start_in(&t->node[0], 0, t->subdir[0], NULL))
        return false;
    char master_port[16];
    snprintf(master_port, sizeof master_port, "%d", t->node[0].port);
    const char *replica_args[] = {"--replicaof", "127.0.0.1", master_port, NULL};
    if (!redis_server_start_in(&t->node[1], 0, t->subdir[1], replica_args) ||
        !redis_test_wait(link_up, &t->node[1].port, 30000))
        return false;
    snprintf(t->url, sizeof t->url, "redis-sentinel://");
    for (t->sentinels = 0; t->sentinels < sentinels; t->sentinels++) {
        redis_server *sentinel = &t->sentinel[t->sentinels];
        if (!redis_sentinel_start(sentinel, t->dir, MASTER_NAME, t->node[0].port))
            return false;
        size_t used = strlen(t->url);
        snprintf(t->url + used, sizeof t->url - used, "%s127.0.0.1:%d", t->sentinels > 0 ? "," : "",
                 sentinel->port);
    }
    strcat(t->url, "/" MASTER_NAME);
    return redis_test_wait(replica_known, t, 30000);
}

/* Per-test teardown, also after a failed test: stops what was started. */
static int topology_teardown(void **state)
{
    topology *t = *state;
    for (int i = 0; i < MAX_SENTINELS; i++)
        redis_server_stop(&t->sentinel[i]);
    redis_server_stop(&t->node[1]);
    redis_server_stop(&t->node[0]);
    test_rmdir_recursive(t->dir);
    free(t->dir);
    return 0;
}

/* Per-test setup: the emulator reset, and a fresh topology in *state. */
static int topology_setup(void **state, int sentinels)
{
    static topology t;
    memset(&t, 0, sizeof t);
    t.dir = test_mkdtemp();
    if (redis_test_emu_reset(state) != 0 || !topology_start(&t, sentinels)) {
        *state = &t;
        topology_teardown(state);
        return -1;
    }
    *state = &t;
    return 0;
}

static int one_sentinel(void **state)
{
    return topology_setup(state, 1);
}

static int three_sentinels(void **state)
{
    return topology_setup(state, 3);
}

static bool command_ok(int port, const char *fmt, const char *a, const char *b)
{
    redisContext *c = redis_test_connect(port, NULL);
    redisReply *r = redisCommand(c, fmt, a, b);
    bool ok = r != NULL && r->type != REDIS_REPLY_ERROR;
    if (!ok)
        fprintf(stderr, "command failed: %s\n", r != NULL ? r->str : c->errstr);
    if (r != NULL)
        freeReplyObject(r);
    redisFree(c);
    return ok;
}

#define ASYNC_REQUESTS 8 /* redis_worker's, per async worker */
/* The /v1/me requests of one round of the fleet. */
#define ROUND_REQUESTS (FLEET / 2 + FLEET / 2 * ASYNC_REQUESTS)

/* The emulator answered at least *user (an int) GET /v1/me. */
static bool requests_answered(void *user)
{
    const int *count = user;
    return emulator_route_count(&redis_test_emu, "GET", "/v1/me", 200) >= *count;
}

static long refreshes(void)
{
    return emulator_grant_count(&redis_test_emu, "refresh_token");
}

/* The worker option "again=DIR/go[,async]": a second round once the test
 * calls second_round(). */
static void again_option(char *out, size_t size, const topology *t, bool async)
{
    snprintf(out, size, "again=%s/go%s", t->dir, async ? ",async" : "");
}

/* Lets the workers' second round start (at least `due_ms` after
 * `since_ms`, when their token is due again). */
static void second_round(const topology *t, int64_t since_ms, int64_t due_ms)
{
    int64_t wait = since_ms + due_ms - spotify__monotonic_ms();
    if (wait > 0)
        redis_test_sleep_ms((long)wait);
    char go[600];
    snprintf(go, sizeof go, "%s/go", t->dir);
    FILE *f = fopen(go, "w");
    assert_non_null(f);
    fclose(f);
}

/* The master is demoted without Sentinel: the replica is promoted, the old
 * master follows it, and Sentinel is re-pointed. Connections to the old
 * master stay open: their next write gets READONLY. A blocking cache
 * resends it to the new master; an async worker (one context for its
 * life, tokens due 4 s after each refresh) gets READONLY for its lock on
 * the loop, refreshes on its own once (the fallback) and reconnects. */
static void test_readonly_follows_the_new_master(void **state)
{
    topology *t = *state;
    char prefix[64], port_text[2][16];
    redis_test_prefix(prefix, sizeof prefix);
    for (int i = 0; i < 2; i++)
        snprintf(port_text[i], sizeof port_text[i], "%d", t->node[i].port);
    spotify_token_cache *cache = redis_test_user_cache(t->url, prefix);
    store_token(cache, "before-the-switch");
    assert_token_on(t->node[0].port, prefix, "before-the-switch");
    char worker_prefix[64], again[640];
    redis_test_prefix(worker_prefix, sizeof worker_prefix);
    again_option(again, sizeof again, t, true);
    spotify_token_cache *worker_cache = redis_test_user_cache(t->url, worker_prefix);
    redis_test_seed_expired_user_token(worker_cache);
    assert_true(redis_test_control("POST", "/__emulator/config", "{\"token_lifetime\":34}"));
    pid_t worker = worker_spawn_mode("user", t->url, worker_prefix, again);
    int first_round = ASYNC_REQUESTS;
    assert_true(redis_test_wait(requests_answered, &first_round, 60000));
    int64_t refreshed_at = spotify__monotonic_ms();

    assert_true(command_ok(t->node[1].port, "REPLICAOF %s %s", "NO", "ONE"));
    assert_true(command_ok(t->node[0].port, "REPLICAOF %s %s", "127.0.0.1", port_text[1]));
    assert_true(redis_test_wait(link_up, &t->node[0].port, 30000));
    assert_true(command_ok(t->sentinel[0].port, "SENTINEL REMOVE %s%s", MASTER_NAME, ""));
    redisContext *s = redis_test_connect(t->sentinel[0].port, NULL);
    redisReply *r =
        redisCommand(s, "SENTINEL MONITOR %s 127.0.0.1 %d 1", MASTER_NAME, t->node[1].port);
    assert_non_null(r);
    assert_int_not_equal(r->type, REDIS_REPLY_ERROR);
    freeReplyObject(r);
    redisFree(s);

    redis_test_warnings_capture(true);
    store_token(cache, "after-the-switch");
    assert_token_on(t->node[1].port, prefix, "after-the-switch");
    /* followed without an outage: no fallback */
    assert_int_equal(redis_test_warning_count("falling back"), 0);
    redis_test_warnings_capture(false);

    long before = refreshes();
    second_round(t, refreshed_at, 4500);
    assert_int_equal(worker_wait(worker), 0);
    assert_int_equal(refreshes() - before, 1);
    assert_int_equal(emulator_route_count(&redis_test_emu, "GET", "/v1/me", 200),
                     2 * ASYNC_REQUESTS);
    spotify_token_cache_free(worker_cache);
    spotify_token_cache_free(cache);
}

typedef struct failover_watch {
    const topology *t;
    int new_master;
} failover_watch;

/* Every Sentinel names the new master, which is a master, and the old
 * master replicates from it (Sentinel converted it, killing its clients). */
static bool failover_done(void *user)
{
    const failover_watch *w = user;
    for (int i = 0; i < w->t->sentinels; i++)
        if (redis_test_sentinel_master_port(w->t->sentinel[i].port, MASTER_NAME) != w->new_master)
            return false;
    int old_port = w->t->node[0].port;
    return strcmp(redis_test_role(w->new_master), "master") == 0 && link_up(&old_port);
}

/* SENTINEL FAILOVER on the first Sentinel, then the wait until it is over
 * (failover_done). */
static void force_failover(const topology *t)
{
    redisContext *s = redis_test_connect(t->sentinel[0].port, NULL);
    redisReply *r = redisCommand(s, "SENTINEL FAILOVER %s", MASTER_NAME);
    assert_non_null(r);
    if (r->type == REDIS_REPLY_ERROR)
        fail_msg("SENTINEL FAILOVER: %s", r->str);
    freeReplyObject(r);
    redisFree(s);
    failover_watch watch = {t, t->node[1].port};
    int64_t started = spotify__monotonic_ms();
    assert_true(redis_test_wait(failover_done, &watch, 60000));
    print_message("failover done after %lld ms\n", (long long)(spotify__monotonic_ms() - started));
}

/*
 * A fleet of FLEET worker processes (every other one async, with one
 * context for its whole life) lives through the failover: one round of
 * requests before it (one refresh), one after it (one refresh: the token
 * is due again by then). Tokens live 40 s, so with the provider's 30 s
 * skew each is due 10 s after it was issued, and the token endpoint is
 * slow (400 ms), so without the lock every worker would refresh.
 */
static void test_forced_failover_mid_run(void **state)
{
    topology *t = *state;
    char prefix[64], follower_prefix[64], again[640], again_async[640];
    redis_test_prefix(prefix, sizeof prefix);
    redis_test_prefix(follower_prefix, sizeof follower_prefix);
    again_option(again, sizeof again, t, false);
    again_option(again_async, sizeof again_async, t, true);
    spotify_token_cache *cache = redis_test_user_cache(t->url, prefix);
    redis_test_seed_expired_user_token(cache);
    /* a cache of its own (another key), connected before the failover */
    spotify_token_cache *follower = redis_test_user_cache(t->url, follower_prefix);
    store_token(follower, "before-the-failover");
    assert_token_on(t->node[0].port, follower_prefix, "before-the-failover");

    assert_true(redis_test_control("POST", "/__emulator/config",
                                   "{\"token_lifetime\":40,\"latency_ms\":400}"));
    long before = refreshes();
    pid_t pids[FLEET];
    for (int i = 0; i < FLEET; i++)
        pids[i] = worker_spawn_mode("user", t->url, prefix, i % 2 == 1 ? again_async : again);
    int first_round = ROUND_REQUESTS;
    assert_true(redis_test_wait(requests_answered, &first_round, 60000));
    int64_t refreshed_at = spotify__monotonic_ms();
    assert_int_equal(refreshes() - before, 1);

    force_failover(t);
    /* the cache from before the failover writes to the new master */
    store_token(follower, "after-the-failover");
    assert_token_on(t->node[1].port, follower_prefix, "after-the-failover");

    /* the fleet's token is due again (10 s after its refresh): round two */
    second_round(t, refreshed_at, 11000);
    for (int i = 0; i < FLEET; i++)
        assert_int_equal(worker_wait(pids[i]), 0);
    assert_int_equal(emulator_route_count(&redis_test_emu, "GET", "/v1/me", 200),
                     2 * ROUND_REQUESTS);
    assert_int_equal(refreshes() - before, 2);
    assert_true(redis_test_control("POST", "/__emulator/config", "{\"latency_ms\":0}"));
    spotify_token_cache_free(follower);
    spotify_token_cache_free(cache);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fixture_sentinel, redis_test_emu_reset),
        cmocka_unit_test_setup(test_async_worker_via_sentinel, redis_test_emu_reset),
        cmocka_unit_test_setup_teardown(test_readonly_follows_the_new_master, one_sentinel,
                                        topology_teardown),
        cmocka_unit_test_setup_teardown(test_forced_failover_mid_run, three_sentinels,
                                        topology_teardown),
    };
    return cmocka_run_group_tests(tests, redis_test_emu_setup, redis_test_emu_teardown);
}
