/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/cache.c - the spotify_token_cache object (an ops table plus user
 * data), its argument-checked entry points, and the memory cache: one
 * mutex-protected token copy.
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "../core/log.h"
#include "cache.h"
#include "oauth.h"

spotify_status spotify_token_cache_new(spotify_token_cache **out,
                                       const spotify_token_cache_ops *ops, void *user,
                                       spotify_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || ops == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_token_cache_new: NULL argument");
    if (ops->version < 1 || ops->version > SPOTIFY_TOKEN_CACHE_OPS_VERSION)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "token cache ops: unsupported version %u", ops->version);
    /* A version 1 table ends before try_lock: copy only what it has. */
    spotify_token_cache_ops copy = {0};
    memcpy(&copy, ops,
           ops->version == 1 ? offsetof(spotify_token_cache_ops, try_lock) : sizeof copy);
    if (copy.load == NULL || copy.store == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "token cache ops: load and store are required");
    if ((copy.lock == NULL) != (copy.unlock == NULL))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "token cache ops: lock and unlock go together");
    if (copy.try_lock != NULL && copy.lock == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "token cache ops: try_lock needs lock and unlock");
    spotify_token_cache *cache = spotify__calloc(1, sizeof *cache);
    if (cache == NULL)
        return spotify__error_oom(err);
    cache->ops = copy;
    cache->user = user;
    *out = cache;
    return SPOTIFY_OK;
}

spotify_status spotify_token_cache_get(spotify_token *out, bool *found, spotify_token_cache *cache,
                                       spotify_error *err)
{
    if (found != NULL)
        *found = false;
    if (cache == NULL || out == NULL || found == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_token_cache_get: NULL argument");
    /* Load into a scratch token so `out` changes only when one was found. */
    spotify_token loaded = {0};
    bool have = false;
    spotify_status status = cache->ops.load(cache->user, &loaded, &have, err);
    if (status != SPOTIFY_OK || !have || loaded.access_token == NULL) {
        spotify_token_clear(&loaded);
        return status;
    }
    /* Whatever the cache (file, Redis, custom ops), a token that could not
     * go into a header line as it is counts as none. */
    spotify__token_note_secrets(&loaded);
    const char *problem = spotify__token_problem(&loaded);
    if (problem != NULL) {
        spotify__log(SPOTIFY_LOG_WARN, "token cache: ignoring the cached token: %s", problem);
        spotify_token_clear(&loaded);
        return SPOTIFY_OK;
    }
    spotify_token_clear(out);
    *out = loaded;
    *found = true;
    return SPOTIFY_OK;
}

spotify_status spotify_token_cache_store(spotify_token_cache *cache, const spotify_token *token,
                                         spotify_error *err)
{
    if (cache == NULL || token == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_token_cache_store: NULL argument");
    const char *problem = spotify__token_problem(token);
    if (problem != NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_token_cache_store: %s",
                                  problem);
    return cache->ops.store(cache->user, token, err);
}

spotify_status spotify_token_cache_remove(spotify_token_cache *cache, spotify_error *err)
{
    if (cache == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_token_cache_remove: NULL cache");
    if (cache->ops.remove == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "this cache cannot remove tokens");
    return cache->ops.remove(cache->user, err);
}

void spotify_token_cache_free(spotify_token_cache *cache)
{
    if (cache == NULL)
        return;
    if (cache->ops.destroy != NULL)
        cache->ops.destroy(cache->user);
    spotify__free(cache);
}

spotify_status spotify__token_cache_lock(spotify_token_cache *cache, spotify_error *err)
{
    if (cache == NULL || cache->ops.lock == NULL)
        return SPOTIFY_OK;
    return cache->ops.lock(cache->user, err);
}

spotify_status spotify__token_cache_try_lock(spotify_token_cache *cache, bool *taken,
                                             spotify_error *err)
{
    *taken = true;
    if (cache == NULL || cache->ops.lock == NULL)
        return SPOTIFY_OK;
    if (cache->ops.try_lock != NULL) {
        *taken = false;
        return cache->ops.try_lock(cache->user, taken, err);
    }
    spotify_status st = cache->ops.lock(cache->user, err);
    *taken = st == SPOTIFY_OK;
    return st;
}

void spotify__token_cache_unlock(spotify_token_cache *cache)
{
    if (cache != NULL && cache->ops.unlock != NULL)
        cache->ops.unlock(cache->user);
}

bool spotify__token_cache_has_lock(const spotify_token_cache *cache)
{
    return cache != NULL && cache->ops.lock != NULL;
}

/* ------------------------------------------------------------------------ */
/* The memory cache                                                         */
/* ------------------------------------------------------------------------ */

typedef struct memory_cache {
    pthread_mutex_t mutex;
    spotify_token token; /* access_token NULL: empty */
} memory_cache;

static spotify_status memory_load(void *user, spotify_token *out, bool *found, spotify_error *err)
{
    memory_cache *m = user;
    spotify_status status = SPOTIFY_OK;
    pthread_mutex_lock(&m->mutex);
    *found = m->token.access_token != NULL;
    if (*found)
        status = spotify_token_copy(out, &m->token, err);
    pthread_mutex_unlock(&m->mutex);
    if (status != SPOTIFY_OK)
        *found = false;
    return status;
}

/* Replaces the stored token with `next` (moved in); the old one is cleared
 * outside the lock. */
static void memory_swap(memory_cache *m, spotify_token *next)
{
    pthread_mutex_lock(&m->mutex);
    spotify_token old = m->token;
    m->token = *next;
    pthread_mutex_unlock(&m->mutex);
    spotify_token_clear(&old);
    memset(next, 0, sizeof *next);
}

static spotify_status memory_store(void *user, const spotify_token *token, spotify_error *err)
{
    spotify_token copy = {0};
    spotify_status status = spotify_token_copy(&copy, token, err);
    if (status == SPOTIFY_OK)
        memory_swap(user, &copy);
    return status;
}

static spotify_status memory_remove(void *user, spotify_error *err)
{
    (void)err;
    spotify_token empty = {0};
    memory_swap(user, &empty);
    return SPOTIFY_OK;
}

static void memory_destroy(void *user)
{
    memory_cache *m = user;
    spotify_token_clear(&m->token);
    pthread_mutex_destroy(&m->mutex);
    spotify__free(m);
}

spotify_status spotify_token_cache_memory_new(spotify_token_cache **out, spotify_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_token_cache_memory_new: NULL argument");
    memory_cache *m = spotify__calloc(1, sizeof *m);
    if (m == NULL)
        return spotify__error_oom(err);
    if (pthread_mutex_init(&m->mutex, NULL) != 0) {
        spotify__free(m);
        return spotify__error_oom(err);
    }
    static const spotify_token_cache_ops ops = {.version = SPOTIFY_TOKEN_CACHE_OPS_VERSION,
                                                .load = memory_load,
                                                .store = memory_store,
                                                .remove = memory_remove,
                                                .destroy = memory_destroy};
    spotify_status status = spotify_token_cache_new(out, &ops, m, err);
    if (status != SPOTIFY_OK)
        memory_destroy(m);
    return status;
}
