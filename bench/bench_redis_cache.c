/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_redis_cache - what the Redis token cache costs a request, against
 * the memory cache, in the same run on the same server:
 *   - a request with a cached token (client credentials, token valid): the
 *     provider serves its in-process copy, so Redis is not touched;
 *   - the same with the Redis cooldown store attached (one PTTL per 500 ms);
 *   - a token read from the cache itself (what a provider pays when its
 *     copy nears expiry and it re-reads under the lock): memory vs one GET.
 *
 *   bench_redis_cache API_BASE_URL REDIS_URL [ITERATIONS]
 * API_BASE_URL is a keep-alive server answering GET /albums/... (the bench
 * script's nginx); tokens are stored up front, so no token endpoint is used.
 * Each variant is measured in three interleaved rounds and the fastest round
 * is reported (the machines are noisy); the Redis commands the request loops
 * caused are counted with INFO (total_commands_processed).
 */
#include <hiredis/hiredis.h>
#include <spotify/redis.h>
#include <spotify/spotify.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "core/clock.h"

typedef struct setup {
    spotify_token_cache *cache;
    spotify_auth *auth;
    spotify_client *client;
} setup;

static bool request_once(const void *ctx)
{
    const setup *s = ctx;
    spotify_request req = SPOTIFY_REQUEST_INIT;
    req.path = "/albums/4aawyAB9vmqN3uQ7FjRGTy";
    spotify_response *resp = NULL;
    spotify_status st = spotify_client_send(&resp, s->client, &req, NULL);
    spotify_response_free(resp);
    return st == SPOTIFY_OK;
}

static bool load_once(const void *ctx)
{
    const setup *s = ctx;
    spotify_token t = {0};
    bool found = false;
    spotify_status st = spotify_token_cache_get(&t, &found, s->cache, NULL);
    spotify_token_clear(&t);
    return st == SPOTIFY_OK && found;
}

/* Stores a valid token in s->cache and builds the provider and client. */
static bool setup_new(setup *s, const char *api, const spotify_cooldown_store *store)
{
    spotify_token_cache *cache = s->cache;
    char access[] = "bench-access-token", id[] = "bench-client";
    spotify_token t = {.access_token = access,
                       .expires_at = spotify__wall_seconds() + 3600,
                       .client_id = id,
                       .flow = SPOTIFY_FLOW_CLIENT_CREDENTIALS};
    spotify_error err = {0};
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.client_id = "bench-client";
    ao.client_secret = "bench-secret";
    ao.accounts_base_url = api;
    ao.token_cache = cache;
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.api_base_url = api;
    co.cooldown_store = store;
    if (spotify_token_cache_store(cache, &t, &err) != SPOTIFY_OK ||
        spotify_auth_client_credentials_new(&s->auth, &ao, &err) != SPOTIFY_OK)
        goto fail;
    co.auth = s->auth;
    if (spotify_client_new(&s->client, &co, &err) != SPOTIFY_OK)
        goto fail;
    return true;
fail:
    fprintf(stderr, "bench_redis_cache: %s\n", err.message);
    return false;
}

/* The best (lowest) mean of three interleaved rounds of each of `count`
 * variants, into best[]. false when a call failed. */
static bool measure_rounds(bool (*fn)(const void *), const setup *const *variants, int count,
                           long n, double *best)
{
    for (int i = 0; i < count; i++)
        best[i] = -1;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < count; i++) {
            double t = bench_measure(fn, variants[i], n);
            if (t < 0)
                return false;
            if (best[i] < 0 || t < best[i])
                best[i] = t;
        }
    }
    return true;
}

/* total_commands_processed of the Redis at host:port (-1 when unknown). */
static long long redis_commands(const char *url)
{
    int port = 6379;
    const char *colon = strrchr(url, ':');
    if (colon != NULL)
        port = (int)strtol(colon + 1, NULL, 10);
    redisContext *c = redisConnect("127.0.0.1", port);
    long long n = -1;
    redisReply *r = c != NULL && c->err == 0 ? redisCommand(c, "INFO stats") : NULL;
    const char *field = r != NULL && r->type == REDIS_REPLY_STRING
                            ? strstr(r->str, "total_commands_processed:")
                            : NULL;
    if (field != NULL)
        n = strtoll(field + strlen("total_commands_processed:"), NULL, 10);
    if (r != NULL)
        freeReplyObject(r);
    if (c != NULL)
        redisFree(c);
    return n;
}

static void setup_free(setup *s)
{
    spotify_client_free(s->client);
    spotify_auth_free(s->auth);
    spotify_token_cache_free(s->cache);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_redis_cache API_BASE_URL REDIS_URL [ITERATIONS]\n");
        return 2;
    }
    long n = argc > 3 ? strtol(argv[3], NULL, 10) : 5000;
    if (n <= 0)
        return 2;
    spotify_global_init(NULL);
    spotify_redis_options ro = SPOTIFY_REDIS_OPTIONS_INIT;
    ro.url = argv[2];
    ro.client_id = "bench-client";
    ro.key_prefix = "bench:";
    spotify_token_cache *memory = NULL, *redis = NULL, *redis2 = NULL;
    spotify_redis_cooldown *cooldown = NULL;
    setup mem = {0}, red = {0}, red_cd = {0};
    int rc = 1;
    if (spotify_token_cache_memory_new(&memory, NULL) != SPOTIFY_OK ||
        spotify_redis_token_cache_new(&redis, &ro, NULL) != SPOTIFY_OK ||
        spotify_redis_token_cache_new(&redis2, &ro, NULL) != SPOTIFY_OK ||
        spotify_redis_cooldown_new(&cooldown, &ro, NULL) != SPOTIFY_OK) {
        fprintf(stderr, "bench_redis_cache: cannot reach Redis at the given URL\n");
        goto out;
    }
    mem.cache = memory;
    red.cache = redis;
    red_cd.cache = redis2;
    memory = redis = redis2 = NULL;
    if (!setup_new(&mem, argv[1], NULL) || !setup_new(&red, argv[1], NULL) ||
        !setup_new(&red_cd, argv[1], spotify_redis_cooldown_store(cooldown)))
        goto out;
    const setup *requests[] = {&mem, &red, &red_cd};
    const setup *loads[] = {&mem, &red};
    double req[3], load[2];
    long long commands_before = redis_commands(argv[2]);
    bool ok = measure_rounds(request_once, requests, 3, n, req);
    long long commands = redis_commands(argv[2]) - commands_before - 1;
    if (!ok || !measure_rounds(load_once, loads, 2, n, load)) {
        fprintf(stderr, "bench_redis_cache: a call failed\n");
        goto out;
    }
    double req_mem = req[0], req_red = req[1], req_cd = req[2];
    double load_mem = load[0], load_red = load[1];
    printf("Redis commands sent during the %ld cached-token requests of the three request "
           "rows: %lld (the cooldown store's PTTL polls; the cache itself sends none).\n\n",
           9 * (n + (n / 10 < 20 ? 20 : n / 10)), commands);
    printf("| %ld calls per round, best of 3 interleaved rounds | time per call | vs memory "
           "cache |\n",
           n);
    printf("| --- | ---: | ---: |\n");
    printf("| request with a cached token, memory cache | %.1f µs | 1.00x |\n", req_mem);
    printf("| request with a cached token, Redis cache | %.1f µs | %.2fx |\n", req_red,
           req_red / req_mem);
    printf("| ... plus the Redis cooldown store (PTTL every 500 ms) | %.1f µs | %.2fx |\n", req_cd,
           req_cd / req_mem);
    printf("| token read from the cache itself, memory | %.2f µs | 1.00x |\n", load_mem);
    printf("| token read from the cache itself, Redis (one GET) | %.1f µs | %.0fx |\n", load_red,
           load_red / load_mem);
    rc = 0;
out:
    setup_free(&mem);
    setup_free(&red);
    setup_free(&red_cd);
    spotify_token_cache_free(memory);
    spotify_token_cache_free(redis);
    spotify_token_cache_free(redis2);
    spotify_redis_cooldown_free(cooldown);
    spotify_global_cleanup();
    return rc;
}
