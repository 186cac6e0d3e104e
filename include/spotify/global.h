/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/global.h - process-wide set-up: allocator hooks and library
 * initialisation.
 *
 * Threads: spotify_set_allocator() and spotify_global_init() must be called
 * from one thread (normally main) before any other thread uses the SDK.
 * spotify_global_cleanup() must be called only after every client is freed.
 */
#ifndef SPOTIFY_GLOBAL_H
#define SPOTIFY_GLOBAL_H

#include "common.h"
#include "error.h"

SPOTIFY_BEGIN_DECLS

/*
 * Memory functions the SDK (and the libcurl it drives) allocates with.
 * All three must be set; they behave like malloc, realloc and free.
 * The JSON parser (simdjson, C++) keeps its own per-thread buffers through
 * operator new; every result, string and record the SDK hands out comes from
 * these hooks.
 */
typedef struct spotify_allocator {
    void *(*malloc_fn)(size_t size);             /* allocates `size` bytes, like malloc */
    void *(*realloc_fn)(void *ptr, size_t size); /* resizes `ptr` to `size` bytes, like realloc */
    void (*free_fn)(void *ptr);                  /* releases `ptr`, like free */
} spotify_allocator;

/*
 * Installs allocator hooks. Allowed once, before spotify_global_init() and
 * before any other SDK call; later calls return SPOTIFY_EINVALID and change
 * nothing. The struct is copied.
 */
SPOTIFY_API spotify_status spotify_set_allocator(const spotify_allocator *allocator,
                                                 spotify_error *err);

/*
 * Initialises the SDK and libcurl. Call once from main before creating any
 * client; extra calls are counted and harmless. Creating a client without it
 * works too (the client initialises lazily), but then libcurl's global set-up
 * happens at an uncontrolled moment, which libcurl advises against in
 * threaded programs.
 */
SPOTIFY_API spotify_status spotify_global_init(spotify_error *err);

/* Undoes one spotify_global_init(); the last call releases libcurl. */
SPOTIFY_API void spotify_global_cleanup(void);

/*
 * Releases memory the SDK handed out as a plain string or buffer (documented
 * as "free with spotify_free"). NULL is accepted.
 */
SPOTIFY_API void spotify_free(void *ptr);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_GLOBAL_H */
