/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/arena.h - a bump allocator. A decoded result owns one arena; freeing
 * the arena releases every string and array in the result at once.
 *
 * Threads: an arena belongs to one thread at a time.
 */
#ifndef SPOTIFY_CORE_ARENA_H
#define SPOTIFY_CORE_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct spotify__arena spotify__arena;

/* A new arena whose first chunk holds at least `first_chunk` bytes (0 picks
 * a default). NULL on OOM. */
spotify__arena *spotify__arena_new(size_t first_chunk);
/* `size` bytes aligned for any scalar type (max_align_t); NULL on OOM or
 * overflow. size 0 returns a valid unique pointer. */
void *spotify__arena_alloc(spotify__arena *arena, size_t size);
/* Zeroed `count` x `size` bytes; NULL on overflow or OOM. */
void *spotify__arena_calloc(spotify__arena *arena, size_t count, size_t size);
/* NUL-terminated copy of `len` bytes of `s` (which may contain no NUL). */
char *spotify__arena_strndup(spotify__arena *arena, const char *s, size_t len);
char *spotify__arena_strdup(spotify__arena *arena, const char *s);
/* Calls `fn(ctx)` when `arena` is freed, the latest registered first: for
 * memory the arena's contents point into but does not own (a parsed JSON
 * document's buffers). The record lives in the arena. false on OOM or a
 * NULL argument (then nothing is registered). */
bool spotify__arena_on_free(spotify__arena *arena, void (*fn)(void *ctx), void *ctx);
/* Bytes handed out so far (for tests and benchmarks). */
size_t spotify__arena_used(const spotify__arena *arena);
/* Frees every chunk. NULL is accepted. */
void spotify__arena_free(spotify__arena *arena);
/* Frees the large chunks freed arenas left for reuse (at most 32 of 64 KiB
 * to 4 MiB, 16 MiB in all; see arena.c). spotify_global_cleanup() calls it. */
void spotify__arena_cache_release(void);
/* How many chunks, and bytes, the cache holds now (for tests). */
void spotify__arena_cache_held(size_t *chunks, size_t *bytes);

#endif
