/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/global.c - spotify_global_init()/spotify_global_cleanup() and the
 * lazy initialisation behind spotify__global_ensure().
 *
 * Explicit inits are counted; libcurl is set up by whichever comes first,
 * an explicit init or a lazy one. The last explicit cleanup releases libcurl
 * unless a lazy init set it up, in which case it stays up (clients created
 * without spotify_global_init() may still rely on it).
 */
#include "global.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>

#include <curl/curl.h>

#include "arena.h"

#include "alloc.h"
#include "error.h"
#include "secrets.h"

static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static int init_count;         /* balance of spotify_global_init() calls */
static bool lazy_owned;        /* spotify__global_ensure() set libcurl up */
static atomic_bool curl_ready; /* libcurl's global state is set up */

/* libcurl allocates through the SDK's hooks. */
static void *curl_malloc_hook(size_t size)
{
    return spotify__malloc(size);
}

static void curl_free_hook(void *ptr)
{
    spotify__free(ptr);
}

static void *curl_realloc_hook(void *ptr, size_t size)
{
    return spotify__realloc(ptr, size);
}

static char *curl_strdup_hook(const char *s)
{
    return spotify__strdup(s);
}

static void *curl_calloc_hook(size_t count, size_t size)
{
    return spotify__calloc(count, size);
}

/* Sets libcurl up if nothing has yet. Call with global_lock held. */
static spotify_status curl_setup_locked(spotify_error *err)
{
    spotify__allocator_freeze();
    if (atomic_load(&curl_ready))
        return SPOTIFY_OK;
    CURLcode rc = curl_global_init_mem(CURL_GLOBAL_DEFAULT, curl_malloc_hook, curl_free_hook,
                                       curl_realloc_hook, curl_strdup_hook, curl_calloc_hook);
    if (rc != CURLE_OK)
        return spotify__error_set(
            err, rc == CURLE_OUT_OF_MEMORY ? SPOTIFY_ENOMEM : SPOTIFY_ETRANSPORT, 0,
            "libcurl global initialisation failed: %s", curl_easy_strerror(rc));
    atomic_store(&curl_ready, true);
    return SPOTIFY_OK;
}

spotify_status spotify_global_init(spotify_error *err)
{
    pthread_mutex_lock(&global_lock);
    spotify_status status = SPOTIFY_OK;
    if (init_count == INT_MAX)
        status = spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                    "spotify_global_init: called too many times");
    else
        status = curl_setup_locked(err);
    if (status == SPOTIFY_OK)
        init_count++;
    pthread_mutex_unlock(&global_lock);
    return status;
}

void spotify_global_cleanup(void)
{
    pthread_mutex_lock(&global_lock);
    if (init_count > 0) {
        init_count--;
        if (init_count == 0) {
            spotify__arena_cache_release();
            spotify__secrets_clear();
        }
        if (init_count == 0 && !lazy_owned && atomic_load(&curl_ready)) {
            curl_global_cleanup();
            atomic_store(&curl_ready, false);
        }
    }
    pthread_mutex_unlock(&global_lock);
}

spotify_status spotify__global_ensure(spotify_error *err)
{
    if (atomic_load_explicit(&curl_ready, memory_order_acquire))
        return SPOTIFY_OK;
    pthread_mutex_lock(&global_lock);
    spotify_status status = SPOTIFY_OK;
    if (!atomic_load(&curl_ready)) {
        status = curl_setup_locked(err);
        lazy_owned = status == SPOTIFY_OK;
    }
    pthread_mutex_unlock(&global_lock);
    return status;
}
