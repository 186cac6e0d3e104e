/*
 * api_library.c - the user's library: saved tracks and albums (paging
 * objects, newest first), the 2026 URI-based save/remove/contains endpoints
 * (/me/library) and the followed artists (cursor paging).
 *
 * /me/library takes up to LIB_MAX_URIS URIs: tracks, albums and artists of
 * the catalog, playlists of the emulator, registry users, and any
 * well-formed show, episode or audiobook URI (the catalog has none; they
 * are remembered as text). Scopes depend on the kinds named: the library
 * scope for tracks/albums/shows/episodes/audiobooks, the follow scope for
 * artists and users, the playlist scope for playlists.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "oauth.h"

#define LIB_MAX_URIS 40
#define LIB_URI_MAX 200

/* One URI of a /me/library request, resolved against catalog and state. */
typedef struct lib_target {
    emu_uri_kind kind;
    size_t index; /* catalog, playlist or registry user index; EMU_NONE: unknown */
    char uri[LIB_URI_MAX + 1];
} lib_target;

/* Writes one page of the user's saved items of `kind` (newest first) as
 * {"added_at":..., KEY: full object}. */
static void lib_write_saved(emu_app *app, emu_request *req, emu_reply *reply,
                            const emu_user_data *u, emu_kind kind, const char *key, emu_page *page)
{
    page->total = 0;
    for (size_t i = 0; i < u->library_count; i++)
        page->total += u->library[i].kind == kind;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    emu_api_page_begin(&w, app, req, page);
    size_t seen = 0, written = 0;
    for (size_t i = u->library_count; i-- > 0 && written < page->limit;) {
        const emu_saved *s = &u->library[i];
        if (s->kind != kind || seen++ < page->offset)
            continue;
        spotify__jw_begin_object(&w);
        spotify__jw_key(&w, "added_at");
        emu_api_write_time(&w, s->added_at);
        spotify__jw_key(&w, key);
        spotify__jw_value(&w, emu_catalog_at(app->catalog, kind, s->index)->full);
        spotify__jw_end_object(&w);
        written++;
    }
    emu_api_page_end(&w, app, req, page);
    emu_reply_json(reply, 200);
}

/* GET /me/tracks and /me/albums. */
static void lib_serve_saved(emu_app *app, emu_request *req, emu_reply *reply, emu_kind kind,
                            const char *key)
{
    emu_grant grant;
    emu_page page;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_LIBRARY_READ), &grant) ||
        !emu_api_page_params(req, reply, 20, 50, &page))
        return;
    emu_state_lock(app->state);
    lib_write_saved(app, req, reply, emu_state_user(app->state, grant.user), kind, key, &page);
    emu_state_unlock(app->state);
}

void emu_api_saved_tracks(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_serve_saved(app, req, reply, EMU_TRACK, "track");
}

void emu_api_saved_albums(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_serve_saved(app, req, reply, EMU_ALBUM, "album");
}

/* Splits the "uris" query parameter into targets (kind and text only).
 * 400 when missing, empty, malformed or too many. */
static bool lib_parse_uris(emu_request *req, emu_reply *reply, lib_target *out, size_t *count)
{
    const emu_form *q = emu_request_query(req);
    const char *list = q == NULL ? NULL : emu_form_get(q, "uris");
    if (list == NULL || list[0] == '\0') {
        emu_reply_api_error(reply, 400, "Missing required parameter: uris");
        return false;
    }
    *count = 0;
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ",");
        emu_uri uri;
        if (*count == LIB_MAX_URIS) {
            emu_reply_api_error(reply, 400, "Too many ids requested");
            return false;
        }
        if (len > LIB_URI_MAX || !emu_api_parse_uri(p, len, &uri)) {
            emu_reply_api_error(reply, 400, "Invalid Spotify URI");
            return false;
        }
        lib_target *t = &out[(*count)++];
        t->kind = uri.kind;
        t->index = EMU_NONE;
        memcpy(t->uri, p, len);
        t->uri[len] = '\0';
        p += len;
        if (*p == '\0')
            return true;
    }
}

/* The scopes `targets` need for reading (`write` false) or writing. */
static uint32_t lib_scopes(const lib_target *targets, size_t count, bool write)
{
    uint32_t scopes = 0;
    for (size_t i = 0; i < count; i++) {
        switch (targets[i].kind) {
        case EMU_URI_ARTIST:
        case EMU_URI_USER:
            scopes |= write ? EMU_SCOPE(USER_FOLLOW_MODIFY) : EMU_SCOPE(USER_FOLLOW_READ);
            break;
        case EMU_URI_PLAYLIST:
            scopes |= write ? EMU_SCOPE(PLAYLIST_MODIFY_PUBLIC) : EMU_SCOPE(PLAYLIST_READ_PRIVATE);
            break;
        default:
            scopes |= write ? EMU_SCOPE(USER_LIBRARY_MODIFY) : EMU_SCOPE(USER_LIBRARY_READ);
            break;
        }
    }
    return scopes;
}

/* Looks the target up (lock held): sets t->index, EMU_NONE when unknown.
 * Shows, episodes and audiobooks always resolve (index 0). */
static void lib_resolve(emu_app *app, lib_target *t)
{
    static const emu_kind catalog_kind[] = {EMU_TRACK, EMU_ALBUM, EMU_ARTIST};
    const char *id = strchr(t->uri + 8, ':') + 1;
    size_t len = strlen(id);
    t->index = EMU_NONE;
    if (t->kind <= EMU_URI_ARTIST)
        emu_catalog_find(app->catalog, catalog_kind[t->kind], id, len, &t->index);
    else if (t->kind == EMU_URI_PLAYLIST)
        emu_state_playlist(app->state, id, len, &t->index);
    else if (t->kind == EMU_URI_USER)
        emu_registry_user(app->registry, id, &t->index);
    else
        t->index = 0;
}

/* Whether the user has saved / follows the resolved target. */
static bool lib_contains(const emu_user_data *u, const lib_target *t)
{
    static const emu_kind catalog_kind[] = {EMU_TRACK, EMU_ALBUM, EMU_ARTIST};
    if (t->index == EMU_NONE)
        return false;
    if (t->kind <= EMU_URI_ARTIST)
        return emu_library_find(u, catalog_kind[t->kind], t->index) != EMU_NONE;
    if (t->kind == EMU_URI_PLAYLIST)
        return emu_user_follows(u, t->index);
    return emu_library_has_uri(u, t->uri);
}

/* Saves (`save`) or removes one resolved target. false on OOM. */
static bool lib_apply(emu_user_data *u, const lib_target *t, bool save, int64_t now)
{
    static const emu_kind catalog_kind[] = {EMU_TRACK, EMU_ALBUM, EMU_ARTIST};
    if (t->kind <= EMU_URI_ARTIST) {
        if (save)
            return emu_library_add(u, catalog_kind[t->kind], t->index, now);
        emu_library_remove(u, catalog_kind[t->kind], t->index);
    } else if (t->kind == EMU_URI_PLAYLIST) {
        if (save)
            return emu_user_follow(u, t->index);
        emu_user_unfollow(u, t->index);
    } else {
        if (save)
            return emu_library_add_uri(u, t->uri);
        emu_library_remove_uri(u, t->uri);
    }
    return true;
}

/* Authorises and parses a /me/library request; fills targets. */
static bool lib_begin(emu_app *app, emu_request *req, emu_reply *reply, bool write,
                      emu_grant *grant, lib_target *targets, size_t *count)
{
    if (!emu_api_require_user(app, req, reply, 0, grant) ||
        !lib_parse_uris(req, reply, targets, count))
        return false;
    uint32_t need = lib_scopes(targets, *count, write);
    if ((grant->scopes & need) != need) {
        emu_reply_api_error(reply, 403, "Insufficient client scope");
        return false;
    }
    return true;
}

/* PUT / DELETE /me/library: all URIs must exist (else 404, nothing changes). */
static void lib_change(emu_app *app, emu_request *req, emu_reply *reply, bool save)
{
    emu_grant grant;
    lib_target targets[LIB_MAX_URIS];
    size_t count;
    if (!lib_begin(app, req, reply, true, &grant, targets, &count))
        return;
    int64_t now = emu_state_now_unix();
    emu_state_lock(app->state);
    emu_user_data *u = emu_state_user(app->state, grant.user);
    bool known = true, ok = true;
    for (size_t i = 0; i < count; i++) {
        lib_resolve(app, &targets[i]);
        known = known && targets[i].index != EMU_NONE;
    }
    for (size_t i = 0; known && ok && i < count; i++)
        ok = lib_apply(u, &targets[i], save, now);
    emu_state_unlock(app->state);
    if (!known)
        emu_reply_api_error(reply, 404, "Non existing id");
    else if (!ok)
        emu_reply_api_error(reply, 500, "Out of memory");
    else
        emu_reply_json_static(reply, 200, "", 0);
}

void emu_api_library_save(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_change(app, req, reply, true);
}

void emu_api_library_remove(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_change(app, req, reply, false);
}

void emu_api_library_contains(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    lib_target targets[LIB_MAX_URIS];
    size_t count;
    if (!lib_begin(app, req, reply, false, &grant, targets, &count))
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_array(&w);
    emu_state_lock(app->state);
    const emu_user_data *u = emu_state_user(app->state, grant.user);
    for (size_t i = 0; i < count; i++) {
        lib_resolve(app, &targets[i]);
        spotify__jw_bool(&w, lib_contains(u, &targets[i]));
    }
    emu_state_unlock(app->state);
    spotify__jw_end_array(&w);
    emu_reply_json(reply, 200);
}

/* Writes a link BASE/v1/me/following?type=artist[&after=ID]&limit=N. */
static void lib_following_link(spotify__json_writer *w, const emu_app *app, const char *after,
                               long long limit)
{
    char link[256];
    snprintf(link, sizeof link, "%s/v1/me/following?type=artist%s%s&limit=%lld", app->base_url,
             after != NULL ? "&after=" : "", after != NULL ? after : "", limit);
    spotify__jw_cstring(w, link);
}

/* The cursor-paged followed artists after `after` (NULL: from the start). */
static void lib_write_following(emu_app *app, emu_reply *reply, const emu_user_data *u,
                                const char *after, long long limit)
{
    size_t total = 0, start = 0;
    for (size_t i = 0; i < u->library_count; i++) {
        if (u->library[i].kind != EMU_ARTIST)
            continue;
        total++;
        if (after != NULL &&
            strcmp(emu_catalog_at(app->catalog, EMU_ARTIST, u->library[i].index)->id, after) == 0)
            start = total;
    }
    if (after != NULL && start == 0)
        start = total; /* an unknown cursor: nothing after it */
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "artists");
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "href");
    lib_following_link(&w, app, after, limit);
    spotify__jw_key(&w, "items");
    spotify__jw_begin_array(&w);
    size_t seen = 0, written = 0;
    const char *last = NULL;
    for (size_t i = 0; i < u->library_count && written < (size_t)limit; i++) {
        if (u->library[i].kind != EMU_ARTIST || seen++ < start)
            continue;
        const emu_item *artist = emu_catalog_at(app->catalog, EMU_ARTIST, u->library[i].index);
        spotify__jw_value(&w, artist->full);
        last = artist->id;
        written++;
    }
    spotify__jw_end_array(&w);
    bool more = start + written < total;
    spotify__jw_key(&w, "limit");
    spotify__jw_int64(&w, limit);
    spotify__jw_key(&w, "next");
    if (more)
        lib_following_link(&w, app, last, limit);
    else
        spotify__jw_null(&w);
    spotify__jw_key(&w, "cursors");
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "after");
    spotify__jw_cstring(&w, more ? last : NULL);
    spotify__jw_key(&w, "before");
    spotify__jw_null(&w);
    spotify__jw_end_object(&w);
    spotify__jw_key(&w, "total");
    spotify__jw_uint64(&w, total);
    spotify__jw_end_object(&w);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

void emu_api_following(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_FOLLOW_READ), &grant))
        return;
    const emu_form *q = emu_request_query(req);
    const char *type = q == NULL ? NULL : emu_form_get(q, "type");
    const char *after = q == NULL ? NULL : emu_form_get(q, "after");
    long long limit = 20;
    if (type == NULL || strcmp(type, "artist") != 0) {
        emu_reply_api_error(reply, 400, "Invalid type. Only artist is supported.");
        return;
    }
    if (emu_form_get(q, "limit") != NULL && !emu_api_query_int(req, "limit", 1, 50, &limit)) {
        emu_reply_api_error(reply, 400, "Invalid limit");
        return;
    }
    if (after != NULL && !emu_is_spotify_id(after, strlen(after))) {
        emu_reply_api_error(reply, 400, "Invalid base62 id");
        return;
    }
    emu_state_lock(app->state);
    lib_write_following(app, reply, emu_state_user(app->state, grant.user), after, limit);
    emu_state_unlock(app->state);
}
