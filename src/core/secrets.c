/* SPDX-License-Identifier: Apache-2.0 */
/* core/secrets.c - the registry of secret values spotify_redact() replaces. */
#include "secrets.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

typedef struct secret_entry {
    char *value;
    size_t len;
    unsigned pins; /* pinned entries only */
} secret_entry;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static secret_entry *pinned;
static size_t pinned_count;
static size_t pinned_capacity;
static secret_entry recent[SPOTIFY__SECRETS_RECENT];
static size_t recent_next;
/* Entries in use; read without the lock so that redaction of text when no
 * secret is known costs nothing. */
static atomic_size_t entry_count;
/* The first bytes of every entry, as a bitmap: most positions of a text
 * (a URL traced for every request) start no secret and are passed over
 * with one test. Rebuilt under the lock whenever an entry changes. */
static uint64_t first_bytes[4];

static void first_bytes_rebuild(void)
{
    memset(first_bytes, 0, sizeof first_bytes);
    for (size_t i = 0; i < pinned_count; i++) {
        unsigned char c = (unsigned char)pinned[i].value[0];
        first_bytes[c >> 6] |= (uint64_t)1 << (c & 63);
    }
    for (size_t i = 0; i < SPOTIFY__SECRETS_RECENT; i++) {
        if (recent[i].value == NULL)
            continue;
        unsigned char c = (unsigned char)recent[i].value[0];
        first_bytes[c >> 6] |= (uint64_t)1 << (c & 63);
    }
}

static void entry_drop(secret_entry *e)
{
    if (e->value != NULL) {
        spotify__wipe(e->value, e->len);
        spotify__free(e->value);
        atomic_fetch_sub(&entry_count, 1);
    }
    memset(e, 0, sizeof *e);
}

static bool entry_is(const secret_entry *e, const char *s, size_t len)
{
    return e->value != NULL && e->len == len && memcmp(e->value, s, len) == 0;
}

static secret_entry *pinned_find(const char *s, size_t len)
{
    for (size_t i = 0; i < pinned_count; i++)
        if (entry_is(&pinned[i], s, len))
            return &pinned[i];
    return NULL;
}

static bool recorded(const char *s, size_t len)
{
    return s != NULL && len >= SPOTIFY__SECRET_MIN_LEN;
}

bool spotify__secret_pin(const char *secret)
{
    size_t len = secret != NULL ? strlen(secret) : 0;
    if (!recorded(secret, len))
        return true;
    bool ok = true;
    pthread_mutex_lock(&registry_lock);
    secret_entry *e = pinned_find(secret, len);
    if (e != NULL) {
        e->pins++;
    } else {
        if (pinned_count == pinned_capacity) {
            size_t capacity = pinned_capacity == 0 ? 8 : pinned_capacity * 2;
            secret_entry *grown = spotify__realloc(pinned, capacity * sizeof *grown);
            ok = grown != NULL;
            if (ok) {
                pinned = grown;
                pinned_capacity = capacity;
            }
        }
        char *copy = ok ? spotify__strndup(secret, len) : NULL;
        ok = copy != NULL;
        if (ok) {
            pinned[pinned_count++] = (secret_entry){copy, len, 1};
            atomic_fetch_add(&entry_count, 1);
            first_bytes_rebuild();
        }
    }
    pthread_mutex_unlock(&registry_lock);
    return ok;
}

void spotify__secret_unpin(const char *secret)
{
    size_t len = secret != NULL ? strlen(secret) : 0;
    if (!recorded(secret, len))
        return;
    pthread_mutex_lock(&registry_lock);
    secret_entry *e = pinned_find(secret, len);
    if (e != NULL && --e->pins == 0) {
        entry_drop(e);
        *e = pinned[--pinned_count];
        memset(&pinned[pinned_count], 0, sizeof pinned[pinned_count]);
        first_bytes_rebuild();
    }
    pthread_mutex_unlock(&registry_lock);
}

void spotify__secret_note(const char *secret, size_t len)
{
    if (!recorded(secret, len) || memchr(secret, '\0', len) != NULL)
        return;
    pthread_mutex_lock(&registry_lock);
    bool known = pinned_find(secret, len) != NULL;
    for (size_t i = 0; i < SPOTIFY__SECRETS_RECENT && !known; i++)
        known = entry_is(&recent[i], secret, len);
    char *copy = known ? NULL : spotify__strndup(secret, len);
    if (copy != NULL) {
        secret_entry *slot = &recent[recent_next];
        entry_drop(slot);
        *slot = (secret_entry){copy, len, 0};
        atomic_fetch_add(&entry_count, 1);
        recent_next = (recent_next + 1) % SPOTIFY__SECRETS_RECENT;
        first_bytes_rebuild();
    }
    pthread_mutex_unlock(&registry_lock);
}

bool spotify__secrets_hold(void)
{
    if (atomic_load(&entry_count) == 0)
        return false;
    pthread_mutex_lock(&registry_lock);
    return true;
}

void spotify__secrets_release(void)
{
    pthread_mutex_unlock(&registry_lock);
}

/* The length `e` covers at `text`: all of it, or at the very end of the
 * text a cut-off beginning of at least the minimum length; else 0. */
static size_t entry_match(const secret_entry *e, const char *text, size_t len)
{
    if (e->value == NULL || e->value[0] != text[0])
        return 0;
    if (e->len <= len)
        return memcmp(e->value, text, e->len) == 0 ? e->len : 0;
    return len >= SPOTIFY__SECRET_MIN_LEN && memcmp(e->value, text, len) == 0 ? len : 0;
}

size_t spotify__secret_at(const char *text, size_t len)
{
    unsigned char c = len > 0 ? (unsigned char)text[0] : 0;
    if (len == 0 || (first_bytes[c >> 6] & ((uint64_t)1 << (c & 63))) == 0)
        return 0;
    size_t best = 0;
    for (size_t i = 0; i < pinned_count; i++) {
        size_t n = entry_match(&pinned[i], text, len);
        best = n > best ? n : best;
    }
    for (size_t i = 0; i < SPOTIFY__SECRETS_RECENT; i++) {
        size_t n = entry_match(&recent[i], text, len);
        best = n > best ? n : best;
    }
    return best;
}

void spotify__secrets_clear(void)
{
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < pinned_count; i++)
        entry_drop(&pinned[i]);
    spotify__free(pinned);
    pinned = NULL;
    pinned_count = pinned_capacity = 0;
    for (size_t i = 0; i < SPOTIFY__SECRETS_RECENT; i++)
        entry_drop(&recent[i]);
    recent_next = 0;
    first_bytes_rebuild();
    pthread_mutex_unlock(&registry_lock);
}
