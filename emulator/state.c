/* SPDX-License-Identifier: Apache-2.0 */
/*
 * state.c - tokens, codes, consents and user data behind one mutex.
 */
#include "state.h"

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "settings.h"
#include "strmap.h"

#define SEED_EPOCH INT64_C(1700000000) /* 2023-11-14: when the seeded items were "added" */

typedef struct access_entry {
    emu_grant grant;
    int64_t expires_ms;
} access_entry;

typedef struct code_entry {
    emu_grant grant;
    char *redirect_uri;
    char *code_challenge;
    int64_t expires_ms;
    bool used;
} code_entry;

typedef struct consent_entry {
    emu_consent consent;
    int64_t expires_ms;
} consent_entry;

struct emu_state {
    pthread_mutex_t mutex;
    const emu_registry *registry;
    const emu_catalog *catalog;
    emu_strmap *access;   /* token -> access_entry */
    emu_strmap *refresh;  /* token -> emu_grant */
    emu_strmap *codes;    /* code -> code_entry */
    emu_strmap *consents; /* id -> consent_entry */
    emu_user_data *users; /* one per registry user */
    size_t user_count;
    emu_playlist **playlists;
    size_t playlist_count, playlist_cap;
    emu_strmap *playlist_ids; /* id -> index + 1 */
};

int64_t emu_state_now_unix(void)
{
    return (int64_t)time(NULL);
}

/* A fresh random secret: base64url of 32 CSPRNG bytes. */
static bool new_secret(char out[EMU_SECRET_LEN + 1])
{
    uint8_t bytes[32];
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    bool ok = spotify__random_bytes(bytes, sizeof bytes) &&
              spotify__base64url_encode(&sb, bytes, sizeof bytes) && sb.len == EMU_SECRET_LEN;
    if (ok)
        memcpy(out, sb.data, EMU_SECRET_LEN + 1);
    spotify__wipe(bytes, sizeof bytes);
    spotify__strbuf_release_secret(&sb);
    return ok;
}

static void free_code(void *value)
{
    code_entry *e = value;
    spotify__free(e->redirect_uri);
    spotify__free(e->code_challenge);
    spotify__free(e);
}

void emu_consent_clear(emu_consent *consent)
{
    spotify__free_secret(consent->redirect_uri);
    spotify__free_secret(consent->state);
    spotify__free_secret(consent->code_challenge);
    memset(consent, 0, sizeof *consent);
}

static void free_consent(void *value)
{
    consent_entry *e = value;
    emu_consent_clear(&e->consent);
    spotify__free(e);
}

static void free_playlist(emu_playlist *pl)
{
    if (pl == NULL)
        return;
    spotify__free(pl->name);
    spotify__free(pl->description);
    spotify__free(pl->entries);
    spotify__free(pl);
}

/* Frees what a player owns. */
static void clear_player(emu_player *p)
{
    spotify__free(p->context_uri);
    spotify__free(p->context);
    spotify__free(p->queue);
}

/* Drops all user data and playlists. */
static void clear_user_data(emu_state *st)
{
    for (size_t u = 0; u < st->user_count; u++) {
        spotify__free(st->users[u].library);
        for (size_t i = 0; i < st->users[u].uri_count; i++)
            spotify__free(st->users[u].uris[i]);
        spotify__free(st->users[u].uris);
        spotify__free(st->users[u].followed);
        clear_player(&st->users[u].player);
        memset(&st->users[u], 0, sizeof st->users[u]);
    }
    for (size_t i = 0; i < st->playlist_count; i++)
        free_playlist(st->playlists[i]);
    st->playlist_count = 0;
    emu_strmap_clear(st->playlist_ids, NULL);
}

/* Grows an array so that it holds `need` items of `size` bytes. */
static bool grow_array(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t new_cap = *cap == 0 ? 8 : *cap;
    while (new_cap < need)
        new_cap *= 2;
    size_t bytes;
    if (!spotify__size_mul(new_cap, size, &bytes))
        return false;
    void *grown = spotify__realloc(*items, bytes);
    if (grown == NULL)
        return false;
    *items = grown;
    *cap = new_cap;
    return true;
}

static bool library_add(emu_user_data *u, emu_kind kind, size_t index, int64_t added_at)
{
    void *items = u->library;
    if (!grow_array(&items, &u->library_cap, u->library_count + 1, sizeof *u->library))
        return false;
    u->library = items;
    u->library[u->library_count++] = (emu_saved){kind, index, added_at};
    return true;
}

static bool follow(emu_user_data *u, size_t playlist, bool first)
{
    void *items = u->followed;
    if (!grow_array(&items, &u->followed_cap, u->followed_count + 1, sizeof *u->followed))
        return false;
    u->followed = items;
    if (first) {
        memmove(u->followed + 1, u->followed, u->followed_count * sizeof *u->followed);
        u->followed[0] = playlist;
    } else {
        u->followed[u->followed_count] = playlist;
    }
    u->followed_count++;
    return true;
}

/* A deterministic base62 id for seeded playlist `n` of user `user_id`. */
static void seeded_id(const char *user_id, int n, char out[EMU_ID_LEN + 1])
{
    static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint64_t h = UINT64_C(1469598103934665603) ^ (uint64_t)n;
    for (const char *p = user_id; *p != '\0'; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    for (int i = 0; i < EMU_ID_LEN; i++) {
        h ^= h >> 29;
        h *= UINT64_C(0xbf58476d1ce4e5b9);
        h ^= h >> 32;
        out[i] = base62[h % 62];
    }
    out[EMU_ID_LEN] = '\0';
}

/* A random base62 id for a new playlist, unique among playlists. */
static bool random_id(emu_state *st, char out[EMU_ID_LEN + 1])
{
    static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint8_t bytes[EMU_ID_LEN];
    do {
        if (!spotify__random_bytes(bytes, sizeof bytes))
            return false;
        for (int i = 0; i < EMU_ID_LEN; i++)
            out[i] = base62[bytes[i] % 62];
        out[EMU_ID_LEN] = '\0';
    } while (emu_strmap_get(st->playlist_ids, out, EMU_ID_LEN) != NULL);
    return true;
}

/* Creates a playlist with id `id` (not yet followed by anyone). */
static emu_playlist *insert_playlist(emu_state *st, const char *id, size_t owner, const char *name,
                                     const char *description, bool is_public, bool collaborative)
{
    void *items = st->playlists;
    if (!grow_array(&items, &st->playlist_cap, st->playlist_count + 1, sizeof *st->playlists))
        return NULL;
    st->playlists = items;
    emu_playlist *pl = spotify__calloc(1, sizeof *pl);
    if (pl == NULL)
        return NULL;
    memcpy(pl->id, id, EMU_ID_LEN + 1);
    pl->name = spotify__strdup(name);
    pl->description = spotify__strdup(description == NULL ? "" : description);
    pl->is_public = is_public;
    pl->collaborative = collaborative;
    pl->owner = owner;
    pl->version = 1;
    size_t index = st->playlist_count;
    if (pl->name == NULL || pl->description == NULL ||
        !emu_strmap_put(st->playlist_ids, pl->id, EMU_ID_LEN, (void *)(uintptr_t)(index + 1))) {
        free_playlist(pl);
        return NULL;
    }
    st->playlists[st->playlist_count++] = pl;
    return pl;
}

bool emu_playlist_append(emu_playlist *pl, size_t track, size_t added_by, int64_t added_at)
{
    void *items = pl->entries;
    if (!grow_array(&items, &pl->entry_cap, pl->entry_count + 1, sizeof *pl->entries))
        return false;
    pl->entries = items;
    pl->entries[pl->entry_count++] = (emu_playlist_entry){track, added_at, added_by};
    pl->version++;
    return true;
}

/* Seeds one user's library: saved tracks and albums, followed artists. */
static bool seed_library(emu_state *st, size_t u)
{
    emu_user_data *data = &st->users[u];
    size_t tracks = emu_catalog_count(st->catalog, EMU_TRACK);
    size_t albums = emu_catalog_count(st->catalog, EMU_ALBUM);
    size_t artists = emu_catalog_count(st->catalog, EMU_ARTIST);
    for (size_t k = 0; k < EMU_SEED_TRACKS && k < tracks; k++)
        if (!library_add(data, EMU_TRACK, (u * 37 + k * 13) % tracks,
                         SEED_EPOCH + (int64_t)k * 3600))
            return false;
    for (size_t k = 0; k < EMU_SEED_ALBUMS && k < albums; k++)
        if (!library_add(data, EMU_ALBUM, (u * 11 + k * 7) % albums,
                         SEED_EPOCH + (int64_t)k * 3600))
            return false;
    for (size_t k = 0; k < EMU_SEED_ARTISTS && k < artists; k++)
        if (!library_add(data, EMU_ARTIST, (u * 7 + k) % artists, SEED_EPOCH + (int64_t)k * 60))
            return false;
    static const emu_kind media[3] = {EMU_SHOW, EMU_EPISODE, EMU_AUDIOBOOK};
    static const size_t media_seeded[3] = {EMU_SEED_SHOWS, EMU_SEED_EPISODES, EMU_SEED_AUDIOBOOKS};
    for (int m = 0; m < 3; m++) {
        size_t n = emu_catalog_count(st->catalog, media[m]);
        for (size_t k = 0; k < media_seeded[m] && k < n; k++)
            if (!library_add(data, media[m], (u + k * 2 + 1) % n, SEED_EPOCH + (int64_t)k * 7200))
                return false;
    }
    return true;
}

/* Seeds one user's library, playlists and player. */
static bool seed_user(emu_state *st, size_t u)
{
    static const char *const names[3] = {"Demo Mix", "Road Trip", "Focus"};
    static const char *const descriptions[3] = {"Songs the emulator picked for you",
                                                "Long drives, loud songs", ""};
    static const size_t sizes[3] = {EMU_SEED_PLAYLIST_ITEMS, 8, 11};
    emu_user_data *data = &st->users[u];
    size_t tracks = emu_catalog_count(st->catalog, EMU_TRACK);
    if (!seed_library(st, u))
        return false;
    const char *user_id = emu_registry_user_at(st->registry, u)->id;
    for (int n = 0; n < 3; n++) {
        char id[EMU_ID_LEN + 1];
        seeded_id(user_id, n, id);
        emu_playlist *pl = insert_playlist(st, id, u, names[n], descriptions[n], n != 2, false);
        if (pl == NULL || !follow(data, st->playlist_count - 1, false))
            return false;
        for (size_t k = 0; k < sizes[n] && tracks > 0; k++)
            if (!emu_playlist_append(pl, (u * 53 + (size_t)n * 101 + k * 17) % tracks, u,
                                     SEED_EPOCH + (int64_t)k * 600))
                return false;
        pl->version = 1;
    }
    data->player = (emu_player){.device = -1,
                                .track = EMU_NONE,
                                .updated_ms = spotify__monotonic_ms(),
                                .volume_percent = 50};
    return true;
}

static bool seed(emu_state *st)
{
    for (size_t u = 0; u < st->user_count; u++)
        if (!seed_user(st, u))
            return false;
    return true;
}

emu_state *emu_state_new(const emu_registry *reg, const emu_catalog *catalog)
{
    emu_state *st = spotify__calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    pthread_mutex_init(&st->mutex, NULL);
    st->registry = reg;
    st->catalog = catalog;
    st->user_count = emu_registry_user_count(reg);
    st->access = emu_strmap_new();
    st->refresh = emu_strmap_new();
    st->codes = emu_strmap_new();
    st->consents = emu_strmap_new();
    st->playlist_ids = emu_strmap_new();
    st->users = spotify__calloc(st->user_count + 1, sizeof *st->users);
    if (st->access == NULL || st->refresh == NULL || st->codes == NULL || st->consents == NULL ||
        st->playlist_ids == NULL || st->users == NULL || !seed(st)) {
        emu_state_free(st);
        return NULL;
    }
    return st;
}

/* Forgets every token, code and consent. Lock held. */
static void clear_oauth(emu_state *st)
{
    emu_strmap_clear(st->access, spotify__free);
    emu_strmap_clear(st->refresh, spotify__free);
    emu_strmap_clear(st->codes, free_code);
    emu_strmap_clear(st->consents, free_consent);
}

void emu_state_free(emu_state *st)
{
    if (st == NULL)
        return;
    if (st->users != NULL && st->playlist_ids != NULL)
        clear_user_data(st);
    if (st->access && st->refresh && st->codes && st->consents)
        clear_oauth(st);
    emu_strmap_free(st->access);
    emu_strmap_free(st->refresh);
    emu_strmap_free(st->codes);
    emu_strmap_free(st->consents);
    emu_strmap_free(st->playlist_ids);
    spotify__free(st->playlists);
    spotify__free(st->users);
    pthread_mutex_destroy(&st->mutex);
    spotify__free(st);
}

bool emu_state_reset(emu_state *st)
{
    pthread_mutex_lock(&st->mutex);
    clear_oauth(st);
    clear_user_data(st);
    bool ok = seed(st);
    pthread_mutex_unlock(&st->mutex);
    return ok;
}

/* Stores `value` under a fresh secret (retrying the astronomically unlikely
 * collision). Lock held. */
static bool put_new_secret(emu_strmap *map, void *value, char out[EMU_SECRET_LEN + 1])
{
    do {
        if (!new_secret(out))
            return false;
    } while (emu_strmap_get(map, out, EMU_SECRET_LEN) != NULL);
    return emu_strmap_put(map, out, EMU_SECRET_LEN, value);
}

bool emu_state_issue_access(emu_state *st, const emu_grant *grant, int lifetime_s,
                            char out[EMU_SECRET_LEN + 1])
{
    access_entry *e = spotify__malloc(sizeof *e);
    if (e == NULL)
        return false;
    e->grant = *grant;
    e->expires_ms = spotify__monotonic_ms() + (int64_t)lifetime_s * 1000;
    pthread_mutex_lock(&st->mutex);
    bool ok = put_new_secret(st->access, e, out);
    pthread_mutex_unlock(&st->mutex);
    if (!ok)
        spotify__free(e);
    return ok;
}

emu_token_status emu_state_check_access(emu_state *st, const char *token, size_t len,
                                        emu_grant *grant)
{
    int64_t now = spotify__monotonic_ms();
    emu_token_status status = EMU_TOKEN_UNKNOWN;
    pthread_mutex_lock(&st->mutex);
    const access_entry *e = emu_strmap_get(st->access, token, len);
    if (e != NULL) {
        status = now < e->expires_ms ? EMU_TOKEN_VALID : EMU_TOKEN_EXPIRED;
        if (grant != NULL)
            *grant = e->grant;
    }
    pthread_mutex_unlock(&st->mutex);
    return status;
}

static void expire_access_entry(const char *key, void *value, void *user)
{
    (void)key;
    access_entry *e = value;
    int64_t now = *(const int64_t *)user;
    if (e->expires_ms > now)
        e->expires_ms = now;
}

void emu_state_expire_access(emu_state *st)
{
    int64_t now = spotify__monotonic_ms();
    pthread_mutex_lock(&st->mutex);
    emu_strmap_each(st->access, expire_access_entry, &now);
    pthread_mutex_unlock(&st->mutex);
}

bool emu_state_issue_refresh(emu_state *st, const emu_grant *grant, char out[EMU_SECRET_LEN + 1])
{
    emu_grant *g = spotify__malloc(sizeof *g);
    if (g == NULL)
        return false;
    *g = *grant;
    pthread_mutex_lock(&st->mutex);
    bool ok = put_new_secret(st->refresh, g, out);
    pthread_mutex_unlock(&st->mutex);
    if (!ok)
        spotify__free(g);
    return ok;
}

bool emu_state_lookup_refresh(emu_state *st, const char *token, emu_grant *grant)
{
    pthread_mutex_lock(&st->mutex);
    const emu_grant *g = emu_strmap_get(st->refresh, token, strlen(token));
    if (g != NULL)
        *grant = *g;
    pthread_mutex_unlock(&st->mutex);
    return g != NULL;
}

bool emu_state_rotate_refresh(emu_state *st, const char *old_token, char out[EMU_SECRET_LEN + 1])
{
    pthread_mutex_lock(&st->mutex);
    emu_grant *g = emu_strmap_remove(st->refresh, old_token, strlen(old_token));
    bool ok = g != NULL && put_new_secret(st->refresh, g, out);
    pthread_mutex_unlock(&st->mutex);
    if (g != NULL && !ok)
        spotify__free(g);
    return ok;
}

bool emu_state_issue_code(emu_state *st, const emu_grant *grant, const char *redirect_uri,
                          const char *code_challenge, char out[EMU_SECRET_LEN + 1])
{
    code_entry *e = spotify__calloc(1, sizeof *e);
    if (e == NULL)
        return false;
    e->grant = *grant;
    e->redirect_uri = spotify__strdup(redirect_uri);
    e->code_challenge = code_challenge == NULL ? NULL : spotify__strdup(code_challenge);
    e->expires_ms = spotify__monotonic_ms() + EMU_CODE_LIFETIME_S * 1000;
    bool ok = e->redirect_uri != NULL && (code_challenge == NULL || e->code_challenge != NULL);
    if (ok) {
        pthread_mutex_lock(&st->mutex);
        ok = put_new_secret(st->codes, e, out);
        pthread_mutex_unlock(&st->mutex);
    }
    if (!ok)
        free_code(e);
    return ok;
}

emu_code_result emu_state_redeem_code(emu_state *st, const char *code, emu_code_check_fn check,
                                      void *user, int *check_result, emu_grant *grant)
{
    int64_t now = spotify__monotonic_ms();
    emu_code_result result = EMU_CODE_UNKNOWN;
    pthread_mutex_lock(&st->mutex);
    code_entry *e = emu_strmap_get(st->codes, code, strlen(code));
    if (e != NULL && !e->used) {
        result = EMU_CODE_EXPIRED;
        if (now < e->expires_ms) {
            emu_code_view view = {e->grant, e->redirect_uri, e->code_challenge};
            *check_result = check(&view, user);
            result = *check_result == 0 ? EMU_CODE_OK : EMU_CODE_REJECTED;
        }
    }
    if (result == EMU_CODE_OK) {
        e->used = true; /* kept, so reuse reads as "used", not "never issued" */
        *grant = e->grant;
    }
    pthread_mutex_unlock(&st->mutex);
    return result;
}

static void expire_code_entry(const char *key, void *value, void *user)
{
    (void)key;
    code_entry *e = value;
    int64_t now = *(const int64_t *)user;
    if (e->expires_ms > now)
        e->expires_ms = now;
}

void emu_state_expire_codes(emu_state *st)
{
    int64_t now = spotify__monotonic_ms();
    pthread_mutex_lock(&st->mutex);
    emu_strmap_each(st->codes, expire_code_entry, &now);
    pthread_mutex_unlock(&st->mutex);
}

/* A heap copy of `s` (NULL stays NULL); *ok becomes false on OOM. */
static char *copy_or_null(const char *s, bool *ok)
{
    if (s == NULL)
        return NULL;
    char *copy = spotify__strdup(s);
    if (copy == NULL)
        *ok = false;
    return copy;
}

bool emu_state_add_consent(emu_state *st, const emu_grant *grant, const char *redirect_uri,
                           const char *state, const char *code_challenge,
                           char id_out[EMU_SECRET_LEN + 1])
{
    consent_entry *e = spotify__calloc(1, sizeof *e);
    if (e == NULL)
        return false;
    bool ok = true;
    e->consent.grant = *grant;
    e->consent.redirect_uri = copy_or_null(redirect_uri, &ok);
    e->consent.state = copy_or_null(state, &ok);
    e->consent.code_challenge = copy_or_null(code_challenge, &ok);
    e->expires_ms = spotify__monotonic_ms() + EMU_CODE_LIFETIME_S * 1000;
    if (ok) {
        pthread_mutex_lock(&st->mutex);
        ok = put_new_secret(st->consents, e, id_out);
        pthread_mutex_unlock(&st->mutex);
    }
    if (!ok)
        free_consent(e);
    return ok;
}

bool emu_state_take_consent(emu_state *st, const char *id, emu_consent *out)
{
    pthread_mutex_lock(&st->mutex);
    consent_entry *e = emu_strmap_remove(st->consents, id, strlen(id));
    pthread_mutex_unlock(&st->mutex);
    if (e == NULL)
        return false;
    bool fresh = spotify__monotonic_ms() < e->expires_ms;
    if (fresh) {
        *out = e->consent;
        memset(&e->consent, 0, sizeof e->consent);
    }
    free_consent(e);
    return fresh;
}

void emu_state_lock(emu_state *st)
{
    pthread_mutex_lock(&st->mutex);
}

void emu_state_unlock(emu_state *st)
{
    pthread_mutex_unlock(&st->mutex);
}

emu_user_data *emu_state_user(emu_state *st, size_t user)
{
    return user < st->user_count ? &st->users[user] : NULL;
}

size_t emu_state_playlist_count(const emu_state *st)
{
    return st->playlist_count;
}

emu_playlist *emu_state_playlist_at(emu_state *st, size_t index)
{
    return index < st->playlist_count ? st->playlists[index] : NULL;
}

emu_playlist *emu_state_playlist(emu_state *st, const char *id, size_t len, size_t *index_out)
{
    void *slot = emu_strmap_get(st->playlist_ids, id, len);
    if (slot == NULL)
        return NULL;
    size_t index = (size_t)(uintptr_t)slot - 1;
    if (index_out != NULL)
        *index_out = index;
    return st->playlists[index];
}

emu_playlist *emu_state_add_playlist(emu_state *st, size_t owner, const char *name,
                                     const char *description, bool is_public, bool collaborative)
{
    char id[EMU_ID_LEN + 1];
    emu_user_data *data = emu_state_user(st, owner);
    if (data == NULL || !random_id(st, id))
        return NULL;
    emu_playlist *pl = insert_playlist(st, id, owner, name, description, is_public, collaborative);
    if (pl == NULL || !follow(data, st->playlist_count - 1, true))
        return NULL;
    return pl;
}

size_t emu_state_item_total(const emu_state *st)
{
    size_t total = 0;
    for (size_t i = 0; i < st->playlist_count; i++)
        total += st->playlists[i]->entry_count;
    return total;
}

emu_playlist *emu_state_add_filled_playlist(emu_state *st, size_t owner, const char *name,
                                            size_t count)
{
    size_t tracks = emu_catalog_count(st->catalog, EMU_TRACK);
    emu_playlist *pl = emu_state_add_playlist(st, owner, name, "", false, false);
    if (pl == NULL || tracks == 0)
        return pl;
    void *items = pl->entries;
    if (!grow_array(&items, &pl->entry_cap, count, sizeof *pl->entries))
        return NULL;
    pl->entries = items;
    int64_t now = emu_state_now_unix();
    for (size_t k = 0; k < count; k++)
        pl->entries[k] = (emu_playlist_entry){k % tracks, now, owner};
    pl->entry_count = count;
    pl->version++;
    return pl;
}

size_t emu_state_playlist_followers(emu_state *st, size_t playlist)
{
    size_t n = 0;
    for (size_t u = 0; u < st->user_count; u++)
        n += emu_user_follows(&st->users[u], playlist);
    return n;
}

void emu_player_record(emu_player *p, size_t track)
{
    emu_played *h = &p->history[p->history_next];
    h->track = track;
    h->played_at_ms = emu_state_now_unix() * 1000;
    snprintf(h->context_uri, sizeof h->context_uri, "%s",
             p->context_uri != NULL && strlen(p->context_uri) < sizeof h->context_uri
                 ? p->context_uri
                 : "");
    p->history_next = (p->history_next + 1) % EMU_HISTORY_MAX;
    if (p->history_count < EMU_HISTORY_MAX)
        p->history_count++;
}

bool emu_playlist_insert(emu_playlist *pl, size_t position, const size_t *tracks, size_t count,
                         size_t added_by, int64_t added_at)
{
    void *items = pl->entries;
    if (position > pl->entry_count ||
        !grow_array(&items, &pl->entry_cap, pl->entry_count + count, sizeof *pl->entries))
        return false;
    pl->entries = items;
    memmove(pl->entries + position + count, pl->entries + position,
            (pl->entry_count - position) * sizeof *pl->entries);
    for (size_t i = 0; i < count; i++)
        pl->entries[position + i] = (emu_playlist_entry){tracks[i], added_at, added_by};
    pl->entry_count += count;
    pl->version++;
    return true;
}

size_t emu_playlist_remove_track(emu_playlist *pl, size_t track)
{
    size_t kept = 0;
    for (size_t i = 0; i < pl->entry_count; i++)
        if (pl->entries[i].track != track)
            pl->entries[kept++] = pl->entries[i];
    size_t removed = pl->entry_count - kept;
    pl->entry_count = kept;
    if (removed > 0)
        pl->version++;
    return removed;
}

/* Reverses entries [from, to). */
static void reverse_entries(emu_playlist_entry *e, size_t from, size_t to)
{
    while (from + 1 < to) {
        emu_playlist_entry t = e[from];
        e[from++] = e[--to];
        e[to] = t;
    }
}

/* Rotates [from, to) so that `mid` comes first. */
static void rotate_entries(emu_playlist_entry *e, size_t from, size_t mid, size_t to)
{
    reverse_entries(e, from, mid);
    reverse_entries(e, mid, to);
    reverse_entries(e, from, to);
}

void emu_playlist_move(emu_playlist *pl, size_t start, size_t length, size_t before)
{
    if (before < start)
        rotate_entries(pl->entries, before, start, start + length);
    else if (before > start + length)
        rotate_entries(pl->entries, start, start + length, before);
    pl->version++;
}

size_t emu_library_find(const emu_user_data *u, emu_kind kind, size_t index)
{
    for (size_t i = 0; i < u->library_count; i++)
        if (u->library[i].kind == kind && u->library[i].index == index)
            return i;
    return EMU_NONE;
}

bool emu_library_add(emu_user_data *u, emu_kind kind, size_t index, int64_t added_at)
{
    return emu_library_find(u, kind, index) != EMU_NONE || library_add(u, kind, index, added_at);
}

void emu_library_remove(emu_user_data *u, emu_kind kind, size_t index)
{
    size_t at = emu_library_find(u, kind, index);
    if (at == EMU_NONE)
        return;
    memmove(u->library + at, u->library + at + 1, (u->library_count - at - 1) * sizeof *u->library);
    u->library_count--;
}

/* The position of `uri` in u->uris, or EMU_NONE. */
static size_t find_uri(const emu_user_data *u, const char *uri)
{
    for (size_t i = 0; i < u->uri_count; i++)
        if (strcmp(u->uris[i], uri) == 0)
            return i;
    return EMU_NONE;
}

bool emu_library_has_uri(const emu_user_data *u, const char *uri)
{
    return find_uri(u, uri) != EMU_NONE;
}

bool emu_library_add_uri(emu_user_data *u, const char *uri)
{
    if (find_uri(u, uri) != EMU_NONE)
        return true;
    void *items = u->uris;
    if (!grow_array(&items, &u->uri_cap, u->uri_count + 1, sizeof *u->uris))
        return false;
    u->uris = items;
    char *copy = spotify__strdup(uri);
    if (copy == NULL)
        return false;
    u->uris[u->uri_count++] = copy;
    return true;
}

void emu_library_remove_uri(emu_user_data *u, const char *uri)
{
    size_t at = find_uri(u, uri);
    if (at == EMU_NONE)
        return;
    spotify__free(u->uris[at]);
    memmove(u->uris + at, u->uris + at + 1, (u->uri_count - at - 1) * sizeof *u->uris);
    u->uri_count--;
}

bool emu_user_follows(const emu_user_data *u, size_t playlist)
{
    for (size_t i = 0; i < u->followed_count; i++)
        if (u->followed[i] == playlist)
            return true;
    return false;
}

bool emu_user_follow(emu_user_data *u, size_t playlist)
{
    return emu_user_follows(u, playlist) || follow(u, playlist, true);
}

void emu_user_unfollow(emu_user_data *u, size_t playlist)
{
    for (size_t i = 0; i < u->followed_count; i++) {
        if (u->followed[i] != playlist)
            continue;
        memmove(u->followed + i, u->followed + i + 1,
                (u->followed_count - i - 1) * sizeof *u->followed);
        u->followed_count--;
        return;
    }
}

bool emu_player_set_context(emu_player *p, const size_t *tracks, size_t count, size_t position,
                            const char *context_uri)
{
    size_t bytes;
    if (count == 0 || position >= count || !spotify__size_mul(count, sizeof *tracks, &bytes))
        return false;
    size_t *copy = spotify__malloc(bytes);
    char *uri = context_uri == NULL ? NULL : spotify__strdup(context_uri);
    if (copy == NULL || (context_uri != NULL && uri == NULL)) {
        spotify__free(copy);
        spotify__free(uri);
        return false;
    }
    memcpy(copy, tracks, bytes);
    spotify__free(p->context);
    spotify__free(p->context_uri);
    p->context = copy;
    p->context_count = count;
    p->position = position;
    p->context_uri = uri;
    p->track = tracks[position];
    return true;
}

bool emu_player_enqueue(emu_player *p, size_t track)
{
    void *items = p->queue;
    if (!grow_array(&items, &p->queue_cap, p->queue_count + 1, sizeof *p->queue))
        return false;
    p->queue = items;
    p->queue[p->queue_count++] = track;
    return true;
}

size_t emu_player_dequeue(emu_player *p)
{
    if (p->queue_count == 0)
        return EMU_NONE;
    size_t track = p->queue[0];
    memmove(p->queue, p->queue + 1, (p->queue_count - 1) * sizeof *p->queue);
    p->queue_count--;
    return track;
}
