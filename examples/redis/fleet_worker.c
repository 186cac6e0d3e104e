/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fleet_worker.c - one worker of a fleet sharing its Spotify app's token and
 * rate-limit cooldown through Redis (spotify-sdk-redis).
 *
 *   SPOTIFY_SDK_CLIENT_ID=... SPOTIFY_SDK_CLIENT_SECRET=... \
 *   SPOTIFY_SDK_REDIS_URL=redis://127.0.0.1:6379/0 ./fleet_worker
 *
 * Run as many copies on as many hosts as you like: they fetch one
 * client-credentials token between them, refresh it once per expiry, and
 * all back off when any of them gets a 429. Without SPOTIFY_SDK_REDIS_URL it
 * explains itself and exits 0 (so CI can run it).
 */
#include <spotify/redis.h>
#include <spotify/spotify.h>
#include <stdio.h>
#include <stdlib.h>

static int run(spotify_token_cache *cache, spotify_redis_cooldown *cooldown)
{
    spotify_error err = {0};
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.token_cache = cache; /* client id and secret from the environment */
    spotify_auth *auth = NULL;
    if (spotify_auth_client_credentials_new(&auth, &ao, &err) != SPOTIFY_OK) {
        fprintf(stderr, "auth: %s\n", err.message);
        return 1;
    }
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.auth = auth;
    co.cooldown_store = spotify_redis_cooldown_store(cooldown);
    spotify_client *client = NULL;
    int rc = 1;
    if (spotify_client_new(&client, &co, &err) == SPOTIFY_OK) {
        spotify_request req = SPOTIFY_REQUEST_INIT;
        req.path = "/albums/4aawyAB9vmqN3uQ7FjRGTy";
        spotify_response *resp = NULL;
        if (spotify_client_send(&resp, client, &req, &err) == SPOTIFY_OK) {
            printf("HTTP %d, %zu bytes\n", resp->http_status, resp->body_len);
            rc = 0;
        }
        spotify_response_free(resp);
    }
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", spotify_status_category(err.status), err.message);
    spotify_client_free(client);
    spotify_auth_free(auth);
    return rc;
}

int main(void)
{
    if (getenv("SPOTIFY_SDK_REDIS_URL") == NULL) {
        printf("set SPOTIFY_SDK_REDIS_URL (and SPOTIFY_SDK_CLIENT_ID/SECRET) to run a worker\n");
        return 0;
    }
    spotify_error err = {0};
    spotify_global_init(&err);
    spotify_redis_options ro = SPOTIFY_REDIS_OPTIONS_INIT; /* URL and client id from env */
    spotify_token_cache *cache = NULL;
    spotify_redis_cooldown *cooldown = NULL;
    int rc = 1;
    if (spotify_redis_token_cache_new(&cache, &ro, &err) != SPOTIFY_OK ||
        spotify_redis_cooldown_new(&cooldown, &ro, &err) != SPOTIFY_OK)
        fprintf(stderr, "%s: %s\n", spotify_status_category(err.status), err.message);
    else
        rc = run(cache, cooldown);
    spotify_redis_cooldown_free(cooldown);
    spotify_token_cache_free(cache);
    spotify_global_cleanup();
    return rc;
}
