/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/alloc.h - every allocation inside the SDK goes through these wrappers,
 * which call the hooks installed with spotify_set_allocator() (malloc, realloc
 * and free by default). Size arithmetic is overflow-checked here so callers
 * never multiply sizes by hand.
 *
 * Threads: all functions are thread-safe once the allocator is fixed.
 */
#ifndef SPOTIFY_CORE_ALLOC_H
#define SPOTIFY_CORE_ALLOC_H

#include "export.h"

#include <stdbool.h>
#include <stddef.h>

#include <spotify/global.h>

SPOTIFY__EXPORT void *spotify__malloc(size_t size);
/* Zeroed array of `count` items of `size` bytes; NULL on overflow or OOM. */
SPOTIFY__EXPORT void *spotify__calloc(size_t count, size_t size);
void *spotify__realloc(void *ptr, size_t size);
SPOTIFY__EXPORT void spotify__free(void *ptr);
/* NUL-terminated copies; NULL in gives NULL out. */
SPOTIFY__EXPORT char *spotify__strdup(const char *s);
SPOTIFY__EXPORT char *spotify__strndup(const char *s, size_t len);

/* Overwrites `len` bytes with zeros in a way the compiler cannot drop. */
SPOTIFY__EXPORT void spotify__wipe(void *ptr, size_t len);
/* Wipes a NUL-terminated secret, then frees it. NULL is accepted. */
SPOTIFY__EXPORT void spotify__free_secret(char *secret);

/* a + b and a * b; false (and *out untouched) on overflow. */
bool spotify__size_add(size_t a, size_t b, size_t *out);
bool spotify__size_mul(size_t a, size_t b, size_t *out);

/* True once the first allocation happened or spotify_global_init() ran:
 * from then on the allocator may no longer change. */
void spotify__allocator_freeze(void);

#endif
