/* SPDX-License-Identifier: Apache-2.0 */
/* core/alloc.c - allocator hooks and overflow-checked size arithmetic. */
#include "alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "error.h"

static spotify_allocator allocator = {malloc, realloc, free};
static atomic_bool allocator_frozen = false;

spotify_status spotify_set_allocator(const spotify_allocator *hooks, spotify_error *err)
{
    if (hooks == NULL || hooks->malloc_fn == NULL || hooks->realloc_fn == NULL ||
        hooks->free_fn == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_set_allocator: all three functions must be set");
    if (atomic_load(&allocator_frozen))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_set_allocator: the SDK has already allocated memory; "
                                  "set the allocator before any other call");
    allocator = *hooks;
    return SPOTIFY_OK;
}

void spotify__allocator_freeze(void)
{
    atomic_store(&allocator_frozen, true);
}

void *spotify__malloc(size_t size)
{
    spotify__allocator_freeze();
    return allocator.malloc_fn(size == 0 ? 1 : size);
}

void *spotify__calloc(size_t count, size_t size)
{
    size_t total;
    if (!spotify__size_mul(count, size, &total))
        return NULL;
    void *ptr = spotify__malloc(total);
    if (ptr != NULL)
        memset(ptr, 0, total);
    return ptr;
}

void *spotify__realloc(void *ptr, size_t size)
{
    spotify__allocator_freeze();
    return allocator.realloc_fn(ptr, size == 0 ? 1 : size);
}

void spotify__free(void *ptr)
{
    if (ptr != NULL)
        allocator.free_fn(ptr);
}

void spotify_free(void *ptr)
{
    spotify__free(ptr);
}

char *spotify__strndup(const char *s, size_t len)
{
    if (s == NULL)
        return NULL;
    size_t size;
    if (!spotify__size_add(len, 1, &size))
        return NULL;
    char *copy = spotify__malloc(size);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *spotify__strdup(const char *s)
{
    return s == NULL ? NULL : spotify__strndup(s, strlen(s));
}

void spotify__wipe(void *ptr, size_t len)
{
    if (ptr != NULL && len > 0)
        OPENSSL_cleanse(ptr, len);
}

void spotify__free_secret(char *secret)
{
    if (secret == NULL)
        return;
    spotify__wipe(secret, strlen(secret));
    spotify__free(secret);
}

bool spotify__size_add(size_t a, size_t b, size_t *out)
{
    if (a > SIZE_MAX - b)
        return false;
    *out = a + b;
    return true;
}

bool spotify__size_mul(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return false;
    *out = a * b;
    return true;
}
