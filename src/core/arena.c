/* SPDX-License-Identifier: Apache-2.0 */
/* core/arena.c - chunked bump allocator. */
#include "arena.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

#define ARENA_DEFAULT_CHUNK 4096
#define ARENA_ALIGN alignof(max_align_t)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t size; /* usable bytes in data */
    size_t used;
    alignas(max_align_t) unsigned char data[];
} arena_chunk;

/* A call to make when the arena is freed (spotify__arena_on_free). */
typedef struct arena_cleanup {
    struct arena_cleanup *next;
    void (*fn)(void *ctx);
    void *ctx;
} arena_cleanup;

struct spotify__arena {
    arena_chunk *head;       /* the chunk being filled; older ones follow */
    arena_cleanup *cleanups; /* the latest registered first */
    size_t next_chunk_size;
    size_t total_used;
};

static size_t align_up(size_t n)
{
    return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

/*
 * Large chunks of freed arenas are kept for the next arenas. A typed result
 * lives for one call and the next call needs chunks of the same sizes (they
 * double from a size derived from the body); handing them back to malloc
 * made glibc trim the heap and fault the pages in again on every call.
 * There are enough slots for the arenas of a few dozen results alive at
 * once (an async context with requests in flight), within a byte budget.
 * Small chunks (token responses, error bodies) are never cached.
 */
#define CACHE_SLOTS 32
#define CACHE_MIN_BYTES ((size_t)64 * 1024)
#define CACHE_MAX_BYTES ((size_t)4 * 1024 * 1024)
#define CACHE_BUDGET_BYTES ((size_t)16 * 1024 * 1024)

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static arena_chunk *cache[CACHE_SLOTS];
static size_t cache_count;
static size_t cache_bytes; /* the sizes of the cached chunks, summed */

/* A cached chunk with room for `size` bytes and at most twice that, or NULL. */
static arena_chunk *chunk_from_cache(size_t size)
{
    if (size < CACHE_MIN_BYTES || size > CACHE_MAX_BYTES)
        return NULL;
    arena_chunk *found = NULL;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < cache_count; i++)
        if (cache[i]->size >= size && cache[i]->size / 2 <= size) {
            found = cache[i];
            cache[i] = cache[--cache_count];
            cache_bytes -= found->size;
            break;
        }
    pthread_mutex_unlock(&cache_lock);
    return found;
}

/* Keeps `chunk` for reuse when it is of a cached size and there is room. */
static bool chunk_to_cache(arena_chunk *chunk)
{
    if (chunk->size < CACHE_MIN_BYTES || chunk->size > CACHE_MAX_BYTES)
        return false;
    bool kept = false;
    pthread_mutex_lock(&cache_lock);
    if (cache_count < CACHE_SLOTS && cache_bytes + chunk->size <= CACHE_BUDGET_BYTES) {
        cache[cache_count++] = chunk;
        cache_bytes += chunk->size;
        kept = true;
    }
    pthread_mutex_unlock(&cache_lock);
    return kept;
}

void spotify__arena_cache_release(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < cache_count; i++)
        spotify__free(cache[i]);
    cache_count = 0;
    cache_bytes = 0;
    pthread_mutex_unlock(&cache_lock);
}

void spotify__arena_cache_held(size_t *chunks, size_t *bytes)
{
    pthread_mutex_lock(&cache_lock);
    *chunks = cache_count;
    *bytes = cache_bytes;
    pthread_mutex_unlock(&cache_lock);
}

static arena_chunk *chunk_new(size_t size)
{
    arena_chunk *cached = chunk_from_cache(size);
    if (cached != NULL) {
        cached->next = NULL;
        cached->used = 0;
        return cached;
    }
    size_t bytes;
    if (!spotify__size_add(sizeof(arena_chunk), size, &bytes))
        return NULL;
    arena_chunk *chunk = spotify__malloc(bytes);
    if (chunk == NULL)
        return NULL;
    chunk->next = NULL;
    chunk->size = size;
    chunk->used = 0;
    return chunk;
}

spotify__arena *spotify__arena_new(size_t first_chunk)
{
    spotify__arena *arena = spotify__malloc(sizeof *arena);
    if (arena == NULL)
        return NULL;
    arena->head = NULL;
    arena->cleanups = NULL;
    arena->next_chunk_size = first_chunk > 0 ? align_up(first_chunk) : ARENA_DEFAULT_CHUNK;
    arena->total_used = 0;
    return arena;
}

/* Adds a chunk with room for at least `size` bytes; chunks double in size so
 * a large result needs few of them. */
static bool arena_grow(spotify__arena *arena, size_t size)
{
    size_t chunk_size = arena->next_chunk_size;
    if (chunk_size < size)
        chunk_size = size;
    arena_chunk *chunk = chunk_new(chunk_size);
    if (chunk == NULL)
        return false;
    chunk->next = arena->head;
    arena->head = chunk;
    if (arena->next_chunk_size < ((size_t)1 << 24))
        arena->next_chunk_size *= 2;
    return true;
}

void *spotify__arena_alloc(spotify__arena *arena, size_t size)
{
    if (arena == NULL || size > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    size = align_up(size == 0 ? 1 : size);
    arena_chunk *chunk = arena->head;
    if (chunk == NULL || chunk->size - chunk->used < size) {
        if (!arena_grow(arena, size))
            return NULL;
        chunk = arena->head;
    }
    void *ptr = chunk->data + chunk->used;
    chunk->used += size;
    arena->total_used += size;
    return ptr;
}

void *spotify__arena_calloc(spotify__arena *arena, size_t count, size_t size)
{
    size_t total;
    if (!spotify__size_mul(count, size, &total))
        return NULL;
    void *ptr = spotify__arena_alloc(arena, total);
    if (ptr != NULL)
        memset(ptr, 0, total);
    return ptr;
}

char *spotify__arena_strndup(spotify__arena *arena, const char *s, size_t len)
{
    size_t size;
    if (s == NULL || !spotify__size_add(len, 1, &size))
        return NULL;
    char *copy = spotify__arena_alloc(arena, size);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *spotify__arena_strdup(spotify__arena *arena, const char *s)
{
    return s == NULL ? NULL : spotify__arena_strndup(arena, s, strlen(s));
}

bool spotify__arena_on_free(spotify__arena *arena, void (*fn)(void *ctx), void *ctx)
{
    if (fn == NULL)
        return false;
    arena_cleanup *cleanup = spotify__arena_alloc(arena, sizeof *cleanup);
    if (cleanup == NULL)
        return false;
    cleanup->fn = fn;
    cleanup->ctx = ctx;
    cleanup->next = arena->cleanups;
    arena->cleanups = cleanup;
    return true;
}

size_t spotify__arena_used(const spotify__arena *arena)
{
    return arena == NULL ? 0 : arena->total_used;
}

void spotify__arena_free(spotify__arena *arena)
{
    if (arena == NULL)
        return;
    for (arena_cleanup *c = arena->cleanups; c != NULL; c = c->next)
        c->fn(c->ctx);
    arena_chunk *chunk = arena->head;
    while (chunk != NULL) {
        arena_chunk *next = chunk->next;
        if (!chunk_to_cache(chunk))
            spotify__free(chunk);
        chunk = next;
    }
    spotify__free(arena);
}
