/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/cache.h - the token cache object behind spotify_token_cache: an ops
 * table plus user data. The memory and file caches are built on the same
 * ops as custom ones.
 *
 * Threads: a cache object is called under its provider's lock; the memory
 * and file caches are also safe to call from several threads on their own.
 */
#ifndef SPOTIFY_AUTH_CACHE_H
#define SPOTIFY_AUTH_CACHE_H

#include <spotify/auth.h>

struct spotify_token_cache {
    spotify_token_cache_ops ops;
    void *user;
};

/* Takes the cache's cross-process lock when it has one (no-op otherwise). */
spotify_status spotify__token_cache_lock(spotify_token_cache *cache, spotify_error *err);
/* The same lock without waiting for another holder (*taken false when one
 * has it): the cache's try_lock, else its blocking lock (no-op, *taken true,
 * when it has none). */
spotify_status spotify__token_cache_try_lock(spotify_token_cache *cache, bool *taken,
                                             spotify_error *err);
void spotify__token_cache_unlock(spotify_token_cache *cache);
/* True when the cache has a cross-process lock. */
bool spotify__token_cache_has_lock(const spotify_token_cache *cache);

#endif
