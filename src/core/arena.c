/* core/arena.c - chunked bump allocator. */
#include "arena.h"

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

struct spotify__arena {
    arena_chunk *head; /* the chunk being filled; older ones follow */
    size_t next_chunk_size;
    size_t total_used;
};

static size_t align_up(size_t n)
{
    return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

static arena_chunk *chunk_new(size_t size)
{
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

size_t spotify__arena_used(const spotify__arena *arena)
{
    return arena == NULL ? 0 : arena->total_used;
}

void spotify__arena_free(spotify__arena *arena)
{
    if (arena == NULL)
        return;
    arena_chunk *chunk = arena->head;
    while (chunk != NULL) {
        arena_chunk *next = chunk->next;
        spotify__free(chunk);
        chunk = next;
    }
    spotify__free(arena);
}
