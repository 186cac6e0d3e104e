/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/session.c - performs what config.c decides: opens the token store
 * (a file, or Redis through spotify-sdk-redis with its shared 429 cooldown
 * on the client), creates the provider the cached token's flow names (or client
 * credentials), and the client over it. Every provider and client shares one
 * connection pool and the -v observer.
 */
#include <errno.h>
#include <string.h>

#include "spotctl.h"

#ifdef SPOTCTL_HAVE_REDIS
#include <spotify/redis.h>
#endif

#define SPOTCTL_USER_AGENT "spotctl/" SPOTIFY_VERSION_STRING

static spotify_status config_error(spotify_error *err, const char *message)
{
    spotify_error_clear(err);
    err->status = SPOTIFY_ECONFIG;
    snprintf(err->message, sizeof err->message, "%.*s", (int)sizeof err->message - 1, message);
    return SPOTIFY_ECONFIG;
}

#ifdef SPOTCTL_HAVE_REDIS
/* The user's token and the app's 429 cooldown in Redis (spotify-sdk-redis).
 * The app's client-credentials token goes to the app's key
 * (open_app_cache). */
static spotify_status open_redis(spotctl_ctx *ctx, spotify_error *err)
{
    if (ctx->env.client_id == NULL)
        return config_error(err, "a Redis token store is kept per app: set SPOTIFY_SDK_CLIENT_ID");
    spotify_redis_options ro = SPOTIFY_REDIS_OPTIONS_INIT;
    ro.url = ctx->cache_path;
    ro.client_id = ctx->env.client_id;
    ro.user_key = spotctl_redis_user(&ctx->env);
    spotify_status st = spotify_redis_token_cache_new(&ctx->cache, &ro, err);
    if (st == SPOTIFY_OK)
        st = spotify_redis_cooldown_new(&ctx->cooldown, &ro, err);
    return st;
}
#endif

spotify_status spotctl_open_cache(spotctl_ctx *ctx, spotify_error *err)
{
    if (ctx->cache != NULL)
        return SPOTIFY_OK;
    char why[128];
    if (!spotctl_cache_location(ctx->cache_path, sizeof ctx->cache_path, ctx->cache_flag, &ctx->env,
                                why, sizeof why))
        return config_error(err, why);
    spotctl_store_display(ctx->cache_shown, sizeof ctx->cache_shown, ctx->cache_path);
    switch (spotctl_store_kind_of(ctx->cache_path)) {
    case SPOTCTL_STORE_REDIS:
#ifdef SPOTCTL_HAVE_REDIS
        return open_redis(ctx, err);
#else
        return config_error(err, "this spotctl was built without Redis support "
                                 "(SPOTIFY_BUILD_REDIS=OFF): use a token file");
#endif
    case SPOTCTL_STORE_UNKNOWN: /* main.c refused it already */
        return config_error(err,
                            "the token store's URL scheme is not one of " SPOTCTL_STORE_SCHEMES);
    case SPOTCTL_STORE_FILE:
        break;
    }
    /* The SDK replaces the token file as spotctl_outfile replaces a file
     * (temporary + rename): only a regular file, or a path to make one at,
     * will do; a symlink is followed, so the link stays a link. */
    spotctl_target t;
    int e = spotctl_target_of(&t, ctx->cache_path);
    char reason[1200];
    if (e != 0) {
        snprintf(reason, sizeof reason, "the token file %s: %s", ctx->cache_shown, strerror(e));
        return config_error(err, reason);
    }
    if (t.kind != SPOTCTL_TARGET_FILE) {
        snprintf(reason, sizeof reason,
                 "the token file %s is not a regular file (a directory, device, FIFO or "
                 "descriptor): give a file path (--cache, SPOTCTL_CACHE)",
                 ctx->cache_shown);
        return config_error(err, reason);
    }
    return spotify_token_cache_file_new(&ctx->cache, t.path, err);
}

void spotctl_auth_options(spotctl_ctx *ctx, spotify_auth_options *o)
{
    o->redirect_uri =
        ctx->env.redirect_uri != NULL ? ctx->env.redirect_uri : SPOTCTL_DEFAULT_REDIRECT_URI;
    o->http_pool = ctx->pool;
    o->token_cache = ctx->cache;
    if (ctx->verbose > 0) {
        o->observer = spotctl_trace_observer;
        o->observer_user = ctx;
    }
}

spotify_status spotctl_make_client(spotctl_ctx *ctx, spotify_error *err)
{
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.auth = ctx->auth;
    co.http_pool = ctx->pool;
    /* a request the login's scope cannot cover fails before it is sent,
     * with a message naming the missing scope (and so the login hint) */
    co.check_scopes = true;
#ifdef SPOTCTL_HAVE_REDIS
    if (ctx->cooldown != NULL) /* a fleet of spotctl processes backs off as one */
        co.cooldown_store = spotify_redis_cooldown_store(ctx->cooldown);
#endif
    if (ctx->verbose > 0) {
        co.observer = spotctl_trace_observer;
        co.observer_user = ctx;
    }
    return spotify_client_new(&ctx->client, &co, err);
}

/* The app's client-credentials token store: beside the token file
 * (spotctl_app_cache_path), or the app's key in Redis; none (memory only)
 * for a client id that is no safe file name. */
static spotify_status open_app_cache(spotctl_ctx *ctx, const char *client_id, spotify_error *err)
{
    ctx->app_cache_shown[0] = '\0';
    if (spotctl_store_kind_of(ctx->cache_path) == SPOTCTL_STORE_REDIS) {
#ifdef SPOTCTL_HAVE_REDIS
        spotify_redis_options ro = SPOTIFY_REDIS_OPTIONS_INIT;
        ro.url = ctx->cache_path;
        ro.client_id = client_id;
        ro.user_key = NULL; /* the app's key */
        snprintf(ctx->app_cache_shown, sizeof ctx->app_cache_shown, "%s", ctx->cache_shown);
        return spotify_redis_token_cache_new(&ctx->app_cache, &ro, err);
#else
        return config_error(err, "this spotctl was built without Redis support");
#endif
    }
    char path[1100];
    if (!spotctl_app_cache_path(path, sizeof path, ctx->cache_path, client_id))
        return SPOTIFY_OK;
    spotctl_store_display(ctx->app_cache_shown, sizeof ctx->app_cache_shown, path);
    return spotify_token_cache_file_new(&ctx->app_cache, path, err);
}

static spotify_status make_pool(spotctl_ctx *ctx, spotify_error *err)
{
    if (ctx->pool != NULL)
        return SPOTIFY_OK;
    spotify_http_pool_options po = SPOTIFY_HTTP_POOL_OPTIONS_INIT;
    po.user_agent = SPOTCTL_USER_AGENT;
    return spotify_http_pool_new(&ctx->pool, &po, err);
}

int spotctl_session_open(spotctl_ctx *ctx, spotctl_needs needs)
{
    spotify_error err = {0};
    if (spotctl_open_cache(ctx, &err) != SPOTIFY_OK || make_pool(ctx, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    if (needs == SPOTCTL_NEEDS_NOTHING)
        return 0;

    spotify_token cached = {0};
    bool found = false;
    if (spotify_token_cache_get(&cached, &found, ctx->cache, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    spotctl_creds_choice choice;
    spotctl_choose_creds(&choice, found ? &cached : NULL, &ctx->env, needs == SPOTCTL_NEEDS_USER);
    if (choice.creds == SPOTCTL_CREDS_NONE) {
        spotify_token_clear(&cached);
        return spotctl_failf(choice.status, choice.hint, "%s", choice.message);
    }

    spotify_auth_options o = SPOTIFY_AUTH_OPTIONS_INIT;
    spotctl_auth_options(ctx, &o);
    o.client_id = choice.client_id;
    spotify_status st = SPOTIFY_OK;
    ctx->creds = choice.creds;
    if (choice.creds == SPOTCTL_CREDS_APP) {
        /* the app's token in the same store, so the next run reuses it */
        st = open_app_cache(ctx, choice.client_id, &err);
        o.token_cache = ctx->app_cache;
        if (st == SPOTIFY_OK)
            st = spotify_auth_client_credentials_new(&ctx->auth, &o, &err);
    } else if (choice.flow == SPOTIFY_FLOW_AUTHORIZATION_CODE) {
        st = spotify_auth_code_new(&ctx->auth, &o, &err);
    } else {
        o.client_secret = NULL;
        st = spotify_auth_pkce_new(&ctx->auth, &o, &err);
    }
    spotify_token_clear(&cached);
    if (st == SPOTIFY_OK)
        st = spotctl_make_client(ctx, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    return 0;
}

int spotctl_ready(spotctl_ctx *ctx)
{
    return ctx->client != NULL ? 0 : spotctl_session_open(ctx, ctx->needs);
}

void spotctl_session_close(spotctl_ctx *ctx)
{
    spotify_client_free(ctx->client);
    spotify_auth_free(ctx->auth);
    spotify_token_cache_free(ctx->cache);
    spotify_token_cache_free(ctx->app_cache);
#ifdef SPOTCTL_HAVE_REDIS
    spotify_redis_cooldown_free(ctx->cooldown);
#endif
    spotify_http_pool_free(ctx->pool);
    ctx->client = NULL;
    ctx->auth = NULL;
    ctx->cache = NULL;
    ctx->app_cache = NULL;
    ctx->cooldown = NULL;
    ctx->pool = NULL;
}
