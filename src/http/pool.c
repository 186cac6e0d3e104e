/* SPDX-License-Identifier: Apache-2.0 */
/* http/pool.c - connection pools shared between clients and providers. */
#include "pool.h"

#include "../core/alloc.h"
#include "../core/error.h"

spotify_status spotify_http_pool_new(spotify_http_pool **out, const spotify_http_pool_options *opts,
                                     spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_http_pool_new: out is NULL");
    *out = NULL;
    if (opts != NULL && opts->version != SPOTIFY_HTTP_POOL_OPTIONS_VERSION)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_http_pool_new: unknown options version %u",
                                  opts->version);
    spotify_http_pool *pool = spotify__calloc(1, sizeof *pool);
    if (pool == NULL)
        return spotify__error_oom(err);
    spotify__transport_options transport_opts = {opts ? opts->user_agent : NULL,
                                                 opts ? opts->ca_file : NULL};
    spotify_status st = spotify__transport_new(&pool->transport, &transport_opts, err);
    if (st != SPOTIFY_OK) {
        spotify__free(pool);
        return st;
    }
    *out = pool;
    return SPOTIFY_OK;
}

void spotify_http_pool_free(spotify_http_pool *pool)
{
    if (pool == NULL)
        return;
    spotify__transport_free(pool->transport);
    spotify__free(pool);
}

spotify_status spotify__pool_ref_init(spotify__pool_ref *ref, spotify_http_pool *shared,
                                      const char *user_agent, const char *ca_file,
                                      spotify_error *err)
{
    ref->owned = shared == NULL;
    ref->pool = shared;
    if (shared != NULL)
        return SPOTIFY_OK;
    spotify_http_pool_options opts = {SPOTIFY_HTTP_POOL_OPTIONS_VERSION, user_agent, ca_file};
    return spotify_http_pool_new(&ref->pool, &opts, err);
}

void spotify__pool_ref_release(spotify__pool_ref *ref)
{
    if (ref->owned)
        spotify_http_pool_free(ref->pool);
    ref->pool = NULL;
    ref->owned = false;
}
