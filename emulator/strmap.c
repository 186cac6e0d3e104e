/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strmap.c - separate-chaining hash map with FNV-1a hashing; the bucket
 * array doubles when the load factor passes 1.
 */
#include "strmap.h"

#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

#define INITIAL_BUCKETS 64u

typedef struct entry {
    struct entry *next;
    uint64_t hash;
    void *value;
    size_t key_len;
    char key[]; /* NUL-terminated */
} entry;

struct emu_strmap {
    entry **buckets;
    size_t bucket_count; /* a power of two */
    size_t count;
};

static uint64_t fnv1a(const char *key, size_t len)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

emu_strmap *emu_strmap_new(void)
{
    emu_strmap *map = spotify__calloc(1, sizeof *map);
    if (map == NULL)
        return NULL;
    map->buckets = spotify__calloc(INITIAL_BUCKETS, sizeof *map->buckets);
    if (map->buckets == NULL) {
        spotify__free(map);
        return NULL;
    }
    map->bucket_count = INITIAL_BUCKETS;
    return map;
}

void emu_strmap_clear(emu_strmap *map, void (*fn)(void *value))
{
    if (map == NULL)
        return;
    for (size_t i = 0; i < map->bucket_count; i++) {
        entry *e = map->buckets[i];
        while (e != NULL) {
            entry *next = e->next;
            if (fn != NULL)
                fn(e->value);
            spotify__wipe(e->key, e->key_len); /* keys may be tokens */
            spotify__free(e);
            e = next;
        }
        map->buckets[i] = NULL;
    }
    map->count = 0;
}

void emu_strmap_free(emu_strmap *map)
{
    if (map == NULL)
        return;
    emu_strmap_clear(map, NULL);
    spotify__free(map->buckets);
    spotify__free(map);
}

/* Doubles the bucket array; on OOM the map keeps working, only slower. */
static void grow(emu_strmap *map)
{
    size_t new_count = map->bucket_count * 2;
    entry **buckets = spotify__calloc(new_count, sizeof *buckets);
    if (buckets == NULL)
        return;
    for (size_t i = 0; i < map->bucket_count; i++) {
        entry *e = map->buckets[i];
        while (e != NULL) {
            entry *next = e->next;
            size_t b = (size_t)(e->hash & (new_count - 1));
            e->next = buckets[b];
            buckets[b] = e;
            e = next;
        }
    }
    spotify__free(map->buckets);
    map->buckets = buckets;
    map->bucket_count = new_count;
}

static entry **find_slot(const emu_strmap *map, const char *key, size_t key_len, uint64_t hash)
{
    entry **slot = &map->buckets[hash & (map->bucket_count - 1)];
    while (*slot != NULL) {
        entry *e = *slot;
        if (e->hash == hash && e->key_len == key_len && memcmp(e->key, key, key_len) == 0)
            return slot;
        slot = &e->next;
    }
    return slot;
}

bool emu_strmap_put(emu_strmap *map, const char *key, size_t key_len, void *value)
{
    uint64_t hash = fnv1a(key, key_len);
    entry **slot = find_slot(map, key, key_len, hash);
    if (*slot != NULL) {
        (*slot)->value = value;
        return true;
    }
    size_t size;
    if (!spotify__size_add(sizeof(entry) + 1, key_len, &size))
        return false;
    entry *e = spotify__malloc(size);
    if (e == NULL)
        return false;
    e->next = NULL;
    e->hash = hash;
    e->value = value;
    e->key_len = key_len;
    memcpy(e->key, key, key_len);
    e->key[key_len] = '\0';
    *slot = e;
    map->count++;
    if (map->count > map->bucket_count)
        grow(map);
    return true;
}

void *emu_strmap_get(const emu_strmap *map, const char *key, size_t key_len)
{
    entry **slot = find_slot(map, key, key_len, fnv1a(key, key_len));
    return *slot == NULL ? NULL : (*slot)->value;
}

void *emu_strmap_remove(emu_strmap *map, const char *key, size_t key_len)
{
    entry **slot = find_slot(map, key, key_len, fnv1a(key, key_len));
    entry *e = *slot;
    if (e == NULL)
        return NULL;
    void *value = e->value;
    *slot = e->next;
    spotify__wipe(e->key, e->key_len);
    spotify__free(e);
    map->count--;
    return value;
}

size_t emu_strmap_count(const emu_strmap *map)
{
    return map->count;
}

void emu_strmap_each(const emu_strmap *map, emu_strmap_fn fn, void *user)
{
    for (size_t i = 0; i < map->bucket_count; i++)
        for (entry *e = map->buckets[i]; e != NULL; e = e->next)
            fn(e->key, e->value, user);
}
