/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_library.c - the user's library: saved tracks, albums, shows,
 * episodes and audiobooks (paging objects, newest first), the 2026
 * URI-based save/remove/contains endpoints (/me/library), the deprecated
 * id-based ones (/me/tracks, /me/albums, /me/shows, /me/episodes,
 * /me/audiobooks and their /contains), follows of artists and users
 * (/me/following: cursor paging, PUT, DELETE, contains) and of playlists
 * (/playlists/{id}/followers).
 *
 * /me/library takes up to LIB_MAX_URIS URIs: tracks, albums, artists,
 * shows, episodes and audiobooks of the catalog, playlists of the emulator
 * and registry users. Scopes depend on the kinds named: the library scope
 * for tracks/albums/shows/episodes/audiobooks, the follow scope for artists
 * and users, the playlist scope for playlists. Every write needs every item
 * to exist (else 404 and nothing changes).
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/arena.h"
#include "oauth.h"

#define LIB_MAX_URIS 40
#define LIB_MAX_IDS 50
#define LIB_URI_MAX 200

/* One URI of a /me/library request, resolved against catalog and state. */
typedef struct lib_target {
    emu_uri_kind kind;
    size_t index; /* catalog, playlist or registry user index; EMU_NONE: unknown */
    char uri[LIB_URI_MAX + 1];
} lib_target;

/* The catalog kind of each URI kind (EMU_KIND_COUNT: playlists, users). */
static const emu_kind lib_catalog_kind[EMU_URI_KIND_COUNT] = {
    EMU_TRACK,      EMU_ALBUM, EMU_ARTIST,  EMU_KIND_COUNT,
    EMU_KIND_COUNT, EMU_SHOW,  EMU_EPISODE, EMU_AUDIOBOOK};

/* Writes one page of the user's saved items of `kind` (newest first) as
 * {"added_at":..., KEY: object} (simplified objects with `simplified`). */
static void lib_write_saved(emu_app *app, emu_request *req, emu_reply *reply,
                            const emu_user_data *u, emu_kind kind, const char *key, emu_page *page,
                            bool simplified)
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
        const emu_item *item = emu_catalog_at(app->catalog, kind, s->index);
        spotify__jw_value(&w, simplified ? item->simplified : item->full);
        spotify__jw_end_object(&w);
        written++;
    }
    emu_api_page_end(&w, app, req, page);
    emu_reply_json(reply, 200);
}

/* GET /me/tracks, /me/albums, /me/shows, /me/episodes, /me/audiobooks. */
static void lib_serve_saved(emu_app *app, emu_request *req, emu_reply *reply, emu_kind kind,
                            const char *key)
{
    emu_grant grant;
    emu_page page;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_LIBRARY_READ), &grant) ||
        !emu_api_page_params(req, reply, &page))
        return;
    emu_state_lock(app->state);
    lib_write_saved(app, req, reply, emu_state_user(app->state, grant.user), kind, key, &page,
                    kind == EMU_SHOW);
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

void emu_api_saved_shows(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_serve_saved(app, req, reply, EMU_SHOW, "show");
}

void emu_api_saved_episodes(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_serve_saved(app, req, reply, EMU_EPISODE, "episode");
}

void emu_api_saved_audiobooks(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_serve_saved(app, req, reply, EMU_AUDIOBOOK, "audiobook");
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

/* Looks the target up (lock held): sets t->index, EMU_NONE when unknown. */
static void lib_resolve(emu_app *app, lib_target *t)
{
    const char *id = strchr(t->uri + 8, ':') + 1;
    size_t len = strlen(id);
    emu_kind kind = lib_catalog_kind[t->kind];
    t->index = EMU_NONE;
    if (kind != EMU_KIND_COUNT)
        emu_catalog_find(app->catalog, kind, id, len, &t->index);
    else if (t->kind == EMU_URI_PLAYLIST)
        emu_state_playlist(app->state, id, len, &t->index);
    else
        emu_registry_user(app->registry, id, &t->index);
}

/* Whether the user has saved / follows the resolved target. */
static bool lib_contains(const emu_user_data *u, const lib_target *t)
{
    emu_kind kind = lib_catalog_kind[t->kind];
    if (t->index == EMU_NONE)
        return false;
    if (kind != EMU_KIND_COUNT)
        return emu_library_find(u, kind, t->index) != EMU_NONE;
    if (t->kind == EMU_URI_PLAYLIST)
        return emu_user_follows(u, t->index);
    return emu_library_has_uri(u, t->uri);
}

/* Saves (`save`) or removes one resolved target. false on OOM. */
static bool lib_apply(emu_user_data *u, const lib_target *t, bool save, int64_t now)
{
    emu_kind kind = lib_catalog_kind[t->kind];
    if (kind != EMU_KIND_COUNT) {
        if (save)
            return emu_library_add(u, kind, t->index, now);
        emu_library_remove(u, kind, t->index);
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

/* Applies a resolved write (lock taken here): all targets must exist (else
 * 404, nothing changes); success answers `status` with an empty body. */
static void lib_change_targets(emu_app *app, emu_reply *reply, const emu_grant *grant,
                               lib_target *targets, size_t count, bool save, int status)
{
    int64_t now = emu_state_now_unix();
    emu_state_lock(app->state);
    emu_user_data *u = emu_state_user(app->state, grant->user);
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
    else if (status == 204)
        emu_reply_no_content(reply);
    else
        emu_reply_json_static(reply, status, "", 0);
}

/* Answers a JSON array of booleans: whether each target is saved/followed. */
static void lib_contains_targets(emu_app *app, emu_reply *reply, const emu_grant *grant,
                                 lib_target *targets, size_t count)
{
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_array(&w);
    emu_state_lock(app->state);
    const emu_user_data *u = emu_state_user(app->state, grant->user);
    for (size_t i = 0; i < count; i++) {
        lib_resolve(app, &targets[i]);
        spotify__jw_bool(&w, lib_contains(u, &targets[i]));
    }
    emu_state_unlock(app->state);
    spotify__jw_end_array(&w);
    emu_reply_json(reply, 200);
}

/* PUT / DELETE /me/library. */
static void lib_change(emu_app *app, emu_request *req, emu_reply *reply, bool save)
{
    emu_grant grant;
    lib_target targets[LIB_MAX_URIS];
    size_t count;
    if (lib_begin(app, req, reply, true, &grant, targets, &count))
        lib_change_targets(app, reply, &grant, targets, count, save, 200);
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
    if (lib_begin(app, req, reply, false, &grant, targets, &count))
        lib_contains_targets(app, reply, &grant, targets, count);
}

/* The deprecated id-based endpoints: ids (query, or the JSON body's "ids")
 * of one kind become targets; scopes as for /me/library. */
static bool lib_ids_begin(emu_app *app, emu_request *req, emu_reply *reply, emu_uri_kind kind,
                          size_t max, bool write, emu_grant *grant, lib_target *targets,
                          size_t *count)
{
    static const char *const kinds[EMU_URI_KIND_COUNT] = {"track", "album", "artist",  "playlist",
                                                          "user",  "show",  "episode", "audiobook"};
    emu_id_list ids;
    spotify__json body = {0};
    spotify__arena *arena = spotify__arena_new(0);
    if (arena == NULL) {
        emu_reply_api_error(reply, 500, "Out of memory");
        return false;
    }
    bool ok = emu_api_require_user(app, req, reply, 0, grant) &&
              (!write || emu_api_json_body_or_array(req, reply, arena, false, &body)) &&
              emu_api_ids(req, reply, body, max, kind == EMU_URI_USER, &ids);
    spotify__arena_free(arena);
    if (!ok)
        return false;
    for (size_t i = 0; i < ids.count; i++) {
        targets[i].kind = kind;
        targets[i].index = EMU_NONE;
        snprintf(targets[i].uri, sizeof targets[i].uri, "spotify:%s:%s", kinds[kind], ids.ids[i]);
    }
    *count = ids.count;
    uint32_t need = lib_scopes(targets, *count, write);
    if ((grant->scopes & need) != need) {
        emu_reply_api_error(reply, 403, "Insufficient client scope");
        return false;
    }
    return true;
}

/* PUT/DELETE (`write`, `save`) or GET .../contains of ids of `kind`. */
static void lib_ids(emu_app *app, emu_request *req, emu_reply *reply, emu_uri_kind kind, size_t max,
                    bool write, bool save, int status)
{
    emu_grant grant;
    lib_target targets[LIB_MAX_IDS];
    size_t count;
    if (!lib_ids_begin(app, req, reply, kind, max, write, &grant, targets, &count))
        return;
    if (write)
        lib_change_targets(app, reply, &grant, targets, count, save, status);
    else
        lib_contains_targets(app, reply, &grant, targets, count);
}

/* The kind named by /me/following's "type" (artist or user); 400 otherwise. */
static bool lib_follow_type(emu_request *req, emu_reply *reply, emu_uri_kind *kind)
{
    const emu_form *q = emu_request_query(req);
    const char *type = q == NULL ? NULL : emu_form_get(q, "type");
    if (type != NULL && strcmp(type, "artist") == 0)
        *kind = EMU_URI_ARTIST;
    else if (type != NULL && strcmp(type, "user") == 0)
        *kind = EMU_URI_USER;
    else {
        emu_reply_api_error(reply, 400, "Invalid type. Must be artist or user.");
        return false;
    }
    return true;
}

#define LIB_IDS_HANDLERS(name, kind, max)                                                          \
    void emu_api_##name##_save(emu_app *app, emu_request *req, emu_reply *reply)                   \
    {                                                                                              \
        lib_ids(app, req, reply, kind, max, true, true, 200);                                      \
    }                                                                                              \
    void emu_api_##name##_remove(emu_app *app, emu_request *req, emu_reply *reply)                 \
    {                                                                                              \
        lib_ids(app, req, reply, kind, max, true, false, 200);                                     \
    }                                                                                              \
    void emu_api_##name##_contains(emu_app *app, emu_request *req, emu_reply *reply)               \
    {                                                                                              \
        lib_ids(app, req, reply, kind, max, false, false, 200);                                    \
    }

LIB_IDS_HANDLERS(tracks, EMU_URI_TRACK, 50)
LIB_IDS_HANDLERS(albums, EMU_URI_ALBUM, 20)
LIB_IDS_HANDLERS(shows, EMU_URI_SHOW, 50)
LIB_IDS_HANDLERS(episodes, EMU_URI_EPISODE, 50)
LIB_IDS_HANDLERS(audiobooks, EMU_URI_AUDIOBOOK, 50)

/* PUT / DELETE /me/following?type=: 204; GET /me/following/contains. */
static void lib_follow(emu_app *app, emu_request *req, emu_reply *reply, bool write, bool save)
{
    emu_uri_kind kind;
    emu_grant grant;
    if (!emu_api_authorize(app, req, reply, &grant) || !lib_follow_type(req, reply, &kind))
        return;
    lib_ids(app, req, reply, kind, 50, write, save, 204);
}

void emu_api_follow(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_follow(app, req, reply, true, true);
}

void emu_api_unfollow(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_follow(app, req, reply, true, false);
}

void emu_api_follows_contains(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_follow(app, req, reply, false, false);
}

/* PUT / DELETE /playlists/{id}/followers: the user (un)follows the playlist
 * (any playlist-modify scope) -> 200 with an empty body. */
static void lib_playlist_follow(emu_app *app, emu_request *req, emu_reply *reply, bool save)
{
    emu_grant grant;
    uint32_t scopes = EMU_SCOPE(PLAYLIST_MODIFY_PUBLIC) | EMU_SCOPE(PLAYLIST_MODIFY_PRIVATE);
    if (!emu_api_require_any(app, req, reply, scopes, &grant) || !emu_api_id_param(req, reply, 0))
        return;
    lib_target t = {EMU_URI_PLAYLIST, EMU_NONE, ""};
    snprintf(t.uri, sizeof t.uri, "spotify:playlist:%s", req->params[0]);
    lib_change_targets(app, reply, &grant, &t, 1, save, 200);
}

void emu_api_playlist_follow(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_playlist_follow(app, req, reply, true);
}

void emu_api_playlist_unfollow(emu_app *app, emu_request *req, emu_reply *reply)
{
    lib_playlist_follow(app, req, reply, false);
}

/* GET /playlists/{id}/followers/contains[?ids=USER]: whether the user (by
 * default the current one) follows the playlist -> [bool]. */
void emu_api_playlist_followers_contains(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    size_t playlist = EMU_NONE, user;
    if (!emu_api_require_user(app, req, reply, 0, &grant) || !emu_api_id_param(req, reply, 0))
        return;
    const emu_form *q = emu_request_query(req);
    const char *ids = q == NULL ? NULL : emu_form_get(q, "ids");
    user = grant.user;
    if (ids != NULL && emu_registry_user(app->registry, ids, &user) == NULL)
        user = EMU_NO_USER;
    emu_state_lock(app->state);
    bool found = emu_state_playlist(app->state, req->params[0], EMU_ID_LEN, &playlist) != NULL;
    bool follows = found && user != EMU_NO_USER &&
                   emu_user_follows(emu_state_user(app->state, user), playlist);
    emu_state_unlock(app->state);
    if (!found) {
        emu_reply_api_error(reply, 404, "Non existing id");
        return;
    }
    emu_reply_json_static(reply, 200, follows ? "[true]" : "[false]", follows ? 6 : 7);
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
    spotify__jw_key(&w, "cursors"); /* CursorObject: strings, left out when there is none */
    spotify__jw_begin_object(&w);
    if (more) {
        spotify__jw_key(&w, "after");
        spotify__jw_cstring(&w, last);
    }
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
    if (!emu_api_cursor_limit(req, reply, &limit))
        return;
    if (after != NULL && !emu_is_spotify_id(after, strlen(after))) {
        emu_reply_api_error(reply, 400, "Invalid base62 id");
        return;
    }
    emu_state_lock(app->state);
    lib_write_following(app, reply, emu_state_user(app->state, grant.user), after, limit);
    emu_state_unlock(app->state);
}
