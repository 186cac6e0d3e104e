/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_worker.c - one worker of a fleet, for the Redis tests: a process
 * with its own provider and client, sharing tokens, the refresh lock and the
 * rate-limit cooldown through Redis.
 *
 *   redis_worker user REDIS_URL EMULATOR PREFIX [lock_ms=N]
 *       authorization-code provider of demo-client, user key "demo-user";
 *       GET /v1/me; then checks that the refresh token it holds is the one
 *       in Redis (a worker that refreshed on its own would hold another).
 *   redis_worker app REDIS_URL EMULATOR PREFIX [fail_fast]
 *       client credentials + the shared cooldown; GET one album.
 * Options may also be given comma-separated in one argument
 * ("lock_ms=1000,async"). `async` sends the user worker's requests through
 * the async API instead (ASYNC_REQUESTS of them at once, one context), so the
 * token is acquired with the cache's try_lock on the loop's timers.
 * `again=PATH` (user worker) keeps the process, its provider, client and
 * async context, after the first round, waits until PATH exists (at most
 * 180 s), then sends the same requests once more and checks again: a worker
 * that lives through whatever the test does meanwhile (a failover).
 *
 * Exit status: 0 success, 7 SPOTIFY_ERATELIMIT, 3 refresh token differs
 * from Redis's, 1 any other failure (message on stderr, redacted).
 */
#include <spotify/redis.h>
#include <spotify/spotify.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct worker {
    const char *mode;
    const char *redis_url;
    const char *emulator;
    const char *prefix;
    const char *again; /* NULL: one round */
    long lock_ms;
    bool fail_fast;
    bool async;
} worker;

#define ASYNC_REQUESTS 8

typedef struct async_outcome {
    int done;
    int failed;
    spotify_error err;
} async_outcome;

static int fail(const char *what, const spotify_error *err)
{
    fprintf(stderr, "redis_worker: %s: %s: %s\n", what, spotify_status_name(err->status),
            err->message);
    return err->status == SPOTIFY_ERATELIMIT ? 7 : 1;
}

static int check_refresh_token(spotify_auth *auth, spotify_token_cache *cache)
{
    spotify_error err = {0};
    spotify_token mine = {0}, shared = {0};
    bool found = false;
    int rc = 0;
    if (spotify_auth_token_get(&mine, auth, &err) != SPOTIFY_OK ||
        spotify_token_cache_get(&shared, &found, cache, &err) != SPOTIFY_OK)
        rc = fail("token check", &err);
    else if (!found || mine.refresh_token == NULL || shared.refresh_token == NULL ||
             strcmp(mine.refresh_token, shared.refresh_token) != 0)
        rc = 3;
    spotify_token_clear(&mine);
    spotify_token_clear(&shared);
    if (rc == 3)
        fprintf(stderr, "redis_worker: this worker's refresh token is not Redis's\n");
    return rc;
}

static void on_async_me(spotify_status status, void *result, const spotify_error *err, void *user)
{
    async_outcome *o = user;
    o->done++;
    if (status != SPOTIFY_OK) {
        o->failed++;
        o->err = *err;
    }
    spotify_response_free(result);
}

/* ASYNC_REQUESTS GET /me at once on the self-driven context. */
static spotify_status send_async(spotify_async *async, spotify_error *err)
{
    spotify_status st = SPOTIFY_OK;
    async_outcome outcome = {0};
    spotify_request req = SPOTIFY_REQUEST_INIT;
    req.path = "/me";
    for (int i = 0; st == SPOTIFY_OK && i < ASYNC_REQUESTS; i++)
        st = spotify_async_send(async, &req, on_async_me, &outcome, NULL, err);
    while (st == SPOTIFY_OK && spotify_async_pending(async) > 0)
        st = spotify_async_run(async, 1000, err);
    if (st == SPOTIFY_OK && outcome.failed > 0) {
        *err = outcome.err;
        st = err->status;
    }
    return st;
}

/* Waits until `path` exists (polling every 50 ms, at most 180 s). */
static bool wait_for_file(const char *path)
{
    struct timespec pause = {0, 50 * 1000000L};
    for (int i = 0; i < 180 * 20; i++) {
        if (access(path, F_OK) == 0)
            return true;
        nanosleep(&pause, NULL);
    }
    return false;
}

/* One round: the request (ASYNC_REQUESTS of them on `async`), then, for a
 * user worker, the refresh token check. An exit status. */
static int round_trip(const worker *w, spotify_client *client, spotify_async *async,
                      spotify_auth *auth, spotify_token_cache *cache)
{
    bool user = strcmp(w->mode, "user") == 0;
    spotify_error err = {0};
    spotify_request req = SPOTIFY_REQUEST_INIT;
    req.path = user ? "/me" : "/albums/7ycBtnsMtyVbbwTfJwRjSP";
    spotify_response *resp = NULL;
    spotify_status st =
        async != NULL ? send_async(async, &err) : spotify_client_send(&resp, client, &req, &err);
    spotify_response_free(resp);
    if (st != SPOTIFY_OK)
        return fail(req.path, &err);
    return user ? check_refresh_token(auth, cache) : 0;
}

/* The rounds on a ready client: one, or two with `again` between. */
static int rounds(const worker *w, spotify_client *client, spotify_auth *auth,
                  spotify_token_cache *cache)
{
    spotify_error err = {0};
    spotify_async *async = NULL;
    if (w->async && strcmp(w->mode, "user") == 0 &&
        spotify_async_new(&async, client, NULL, &err) != SPOTIFY_OK)
        return fail("async context", &err);
    int rc = round_trip(w, client, async, auth, cache);
    if (rc == 0 && w->again != NULL)
        rc = wait_for_file(w->again) ? round_trip(w, client, async, auth, cache) : 1;
    spotify_async_free(async);
    return rc;
}

static int run(const worker *w, spotify_token_cache *cache, spotify_redis_cooldown *cooldown)
{
    bool user = strcmp(w->mode, "user") == 0;
    spotify_error err = {0};
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.client_id = "demo-client";
    ao.client_secret = "demo-secret";
    ao.redirect_uri = "http://127.0.0.1:9/callback";
    ao.accounts_base_url = w->emulator;
    ao.token_cache = cache;
    spotify_auth *auth = NULL;
    spotify_status st = user ? spotify_auth_code_new(&auth, &ao, &err)
                             : spotify_auth_client_credentials_new(&auth, &ao, &err);
    if (st != SPOTIFY_OK)
        return fail("provider", &err);
    char api[256];
    snprintf(api, sizeof api, "%s/v1", w->emulator);
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.api_base_url = api;
    co.accounts_base_url = w->emulator;
    co.auth = auth;
    co.retry.fail_fast = w->fail_fast;
    co.cooldown_store = cooldown != NULL ? spotify_redis_cooldown_store(cooldown) : NULL;
    spotify_client *client = NULL;
    int rc = spotify_client_new(&client, &co, &err) == SPOTIFY_OK ? rounds(w, client, auth, cache)
                                                                  : fail("client", &err);
    spotify_client_free(client);
    spotify_auth_free(auth);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: redis_worker user|app REDIS_URL EMULATOR PREFIX [options]\n");
        return 2;
    }
    worker w = {argv[1], argv[2], argv[3], argv[4], NULL, 0, false, false};
    for (int i = 5; i < argc; i++) {
        char *rest = NULL;
        for (char *option = strtok_r(argv[i], ",", &rest); option != NULL;
             option = strtok_r(NULL, ",", &rest)) {
            if (strncmp(option, "lock_ms=", 8) == 0)
                w.lock_ms = strtol(option + 8, NULL, 10);
            else if (strcmp(option, "fail_fast") == 0)
                w.fail_fast = true;
            else if (strcmp(option, "async") == 0)
                w.async = true;
            else if (strncmp(option, "again=", 6) == 0)
                w.again = option + 6;
        }
    }
    spotify_error err = {0};
    spotify_global_init(&err);
    spotify_redis_options ro = SPOTIFY_REDIS_OPTIONS_INIT;
    ro.url = w.redis_url;
    ro.key_prefix = w.prefix;
    ro.client_id = "demo-client";
    ro.user_key = strcmp(w.mode, "user") == 0 ? "demo-user" : NULL;
    ro.lock_expiry_ms = w.lock_ms;
    ro.cooldown_poll_ms = 50;
    spotify_token_cache *cache = NULL;
    spotify_redis_cooldown *cooldown = NULL;
    int rc;
    if (spotify_redis_token_cache_new(&cache, &ro, &err) != SPOTIFY_OK)
        rc = fail("cache", &err);
    else if (spotify_redis_cooldown_new(&cooldown, &ro, &err) != SPOTIFY_OK)
        rc = fail("cooldown", &err);
    else
        rc = run(&w, cache, cooldown);
    spotify_redis_cooldown_free(cooldown);
    spotify_token_cache_free(cache);
    spotify_global_cleanup();
    return rc;
}
