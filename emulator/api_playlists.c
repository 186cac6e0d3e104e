/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_playlists.c - playlists: the user's list (and another user's public
 * ones), create, read, change details, the items (list, add,
 * replace/reorder, remove; the deprecated /tracks routes use the same
 * handlers) and the cover image (get, upload).
 *
 * Rules: anyone with a token may read a playlist by id; the items endpoint
 * needs playlist-read-private and is open to the owner, and to followers of
 * a collaborative playlist (the deprecated GET /tracks reads any playlist). Only the owner may
 * modify (403 otherwise); a public playlist needs playlist-modify-public, a private one
 * playlist-modify-private. Items are catalog tracks ("spotify:track:ID"):
 * a malformed URI is 400, an unknown track 404. Every write bumps the
 * playlist's version, from which snapshot_id derives, so it changes on every
 * write. `fields` and `additional_types` are accepted and ignored (`market`: see
 * emu_api_apply_market).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/alloc.h"
#include "oauth.h"

#define PL_MAX_URIS 100
#define PL_EMBEDDED_LIMIT 100     /* items embedded in GET /playlists/{id} */
#define PL_COVER_MAX (256 * 1024) /* base64 bytes of an uploaded cover */

/* Track URIs of a request, resolved to catalog indices. */
typedef struct pl_tracks {
    size_t index[PL_MAX_URIS];
    size_t count;
} pl_tracks;

/* The snapshot id of the playlist's current version (opaque text). */
static void pl_snapshot(const emu_playlist *pl, char out[48])
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (const char *p = pl->id; *p != '\0'; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    snprintf(out, 48, "AAAA%016" PRIx64 "%08" PRIx64, h, pl->version);
}

/* "key":"BASE/v1/playlists/ID[suffix]". */
static void pl_write_link(spotify__json_writer *w, const emu_app *app, const emu_playlist *pl,
                          const char *key, const char *suffix)
{
    char text[256];
    snprintf(text, sizeof text, "%s/v1/playlists/%s%s", app->base_url, pl->id, suffix);
    spotify__jw_key(w, key);
    spotify__jw_cstring(w, text);
}

/* {"href":".../items","total":N} (PlaylistTracksRefObject). */
static void pl_write_ref(spotify__json_writer *w, const emu_app *app, const emu_playlist *pl,
                         const char *key)
{
    spotify__jw_key(w, key);
    spotify__jw_begin_object(w);
    pl_write_link(w, app, pl, "href", "/items");
    spotify__jw_key(w, "total");
    spotify__jw_uint64(w, pl->entry_count);
    spotify__jw_end_object(w);
}

/* The playlist's images (ImageObject array): the uploaded cover, else a
 * mosaic of its tracks once it has any, else none. */
static void pl_write_images(spotify__json_writer *w, const emu_playlist *pl)
{
    char url[128];
    spotify__jw_begin_array(w);
    if (pl->cover != 0 || pl->entry_count > 0) {
        uint64_t h = pl->cover;
        for (const char *p = pl->id; h == 0 && *p != '\0'; p++)
            h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
        if (pl->cover != 0)
            snprintf(url, sizeof url,
                     "https://image-cdn-ak.spotifycdn.com/image/ab67706c0000da84%016" PRIx64, h);
        else
            snprintf(url, sizeof url, "https://mosaic.scdn.co/640/ab67616d0000b273%016" PRIx64, h);
        spotify__jw_begin_object(w);
        spotify__jw_key(w, "height");
        if (pl->cover != 0)
            spotify__jw_null(w);
        else
            spotify__jw_int64(w, 640);
        spotify__jw_key(w, "url");
        spotify__jw_cstring(w, url);
        spotify__jw_key(w, "width");
        if (pl->cover != 0)
            spotify__jw_null(w);
        else
            spotify__jw_int64(w, 640);
        spotify__jw_end_object(w);
    }
    spotify__jw_end_array(w);
}

/* The members a simplified and a full playlist share, except items/tracks. */
static void pl_write_common(spotify__json_writer *w, const emu_app *app, const emu_playlist *pl)
{
    char text[96];
    spotify__jw_key(w, "collaborative");
    spotify__jw_bool(w, pl->collaborative);
    spotify__jw_key(w, "description");
    spotify__jw_cstring(w, pl->description);
    spotify__jw_key(w, "external_urls");
    spotify__jw_begin_object(w);
    snprintf(text, sizeof text, "https://open.spotify.com/playlist/%s", pl->id);
    spotify__jw_key(w, "spotify");
    spotify__jw_cstring(w, text);
    spotify__jw_end_object(w);
    pl_write_link(w, app, pl, "href", "");
    spotify__jw_key(w, "id");
    spotify__jw_cstring(w, pl->id);
    spotify__jw_key(w, "images");
    pl_write_images(w, pl);
    spotify__jw_key(w, "name");
    spotify__jw_cstring(w, pl->name);
    spotify__jw_key(w, "owner");
    emu_api_write_user_ref(w, app, pl->owner, true);
    spotify__jw_key(w, "public");
    spotify__jw_bool(w, pl->is_public);
    pl_snapshot(pl, text);
    spotify__jw_key(w, "snapshot_id");
    spotify__jw_cstring(w, text);
    spotify__jw_key(w, "type");
    spotify__jw_cstring(w, "playlist");
    snprintf(text, sizeof text, "spotify:playlist:%s", pl->id);
    spotify__jw_key(w, "uri");
    spotify__jw_cstring(w, text);
}

/* A SimplifiedPlaylistObject (also used by search). */
void emu_api_write_playlist_simplified(spotify__json_writer *w, const emu_app *app,
                                       const emu_playlist *pl)
{
    spotify__jw_begin_object(w);
    pl_write_common(w, app, pl);
    pl_write_ref(w, app, pl, "items");
    pl_write_ref(w, app, pl, "tracks");
    spotify__jw_end_object(w);
}

/* A PlaylistTrackObject: added_at, added_by, is_local, item (and the
 * deprecated track, the same object). */
static void pl_write_entry(spotify__json_writer *w, const emu_app *app, const emu_playlist_entry *e)
{
    spotify__json track = emu_catalog_at(app->catalog, EMU_TRACK, e->track)->full;
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "added_at");
    emu_api_write_time(w, e->added_at);
    spotify__jw_key(w, "added_by");
    emu_api_write_user_ref(w, app, e->added_by, false);
    spotify__jw_key(w, "is_local");
    spotify__jw_bool(w, false);
    spotify__jw_key(w, "item");
    spotify__jw_value(w, track);
    spotify__jw_key(w, "track");
    spotify__jw_value(w, track);
    spotify__jw_end_object(w);
}

/* A PagingPlaylistTrackObject of `pl` at `at`. */
static void pl_write_page(spotify__json_writer *w, const emu_app *app, const emu_page_link *at,
                          const emu_playlist *pl, emu_page *page)
{
    page->total = pl->entry_count;
    emu_api_page_begin_at(w, app, at, page);
    for (size_t i = page->offset; i < pl->entry_count && i < page->offset + page->limit; i++)
        pl_write_entry(w, app, &pl->entries[i]);
    emu_api_page_end_at(w, app, at, page);
}

/* A full PlaylistObject with its first PL_EMBEDDED_LIMIT items, in "items"
 * and again in the deprecated "tracks" (the specification has both as
 * paging objects); `followers` users follow it. */
static void pl_write_full(spotify__json_writer *w, const emu_app *app, const emu_playlist *pl,
                          size_t followers)
{
    char path[64];
    int n = snprintf(path, sizeof path, "/v1/playlists/%s/items", pl->id);
    emu_page_link at = {path, (size_t)n, NULL};
    emu_page page = {PL_EMBEDDED_LIMIT, 0, 0, 0};
    spotify__jw_begin_object(w);
    pl_write_common(w, app, pl);
    spotify__jw_key(w, "followers");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "href");
    spotify__jw_null(w);
    spotify__jw_key(w, "total");
    spotify__jw_uint64(w, followers);
    spotify__jw_end_object(w);
    spotify__jw_key(w, "items");
    pl_write_page(w, app, &at, pl, &page);
    spotify__jw_key(w, "tracks");
    pl_write_page(w, app, &at, pl, &page);
    spotify__jw_end_object(w);
}

/* Replies {"snapshot_id":"..."} with `status`. */
static void pl_reply_snapshot(emu_reply *reply, const emu_playlist *pl, int status)
{
    char snapshot[48];
    pl_snapshot(pl, snapshot);
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "snapshot_id");
    spotify__jw_cstring(&w, snapshot);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, status);
}

void emu_api_my_playlists(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_page page;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(PLAYLIST_READ_PRIVATE), &grant) ||
        !emu_api_page_params(req, reply, &page))
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    emu_state_lock(app->state);
    const emu_user_data *u = emu_state_user(app->state, grant.user);
    page.total = u->followed_count;
    emu_api_page_begin(&w, app, req, &page);
    for (size_t i = page.offset; i < u->followed_count && i < page.offset + page.limit; i++)
        emu_api_write_playlist_simplified(&w, app,
                                          emu_state_playlist_at(app->state, u->followed[i]));
    emu_api_page_end(&w, app, req, &page);
    emu_state_unlock(app->state);
    emu_reply_json(reply, 200);
}

/* Playlist details from a JSON body; members absent keep their values. */
typedef struct pl_details {
    const char *name;
    const char *description;
    bool is_public, collaborative;
} pl_details;

/* Reads an optional boolean member; false (400) when of another type. */
static bool pl_read_bool(spotify__json body, const char *key, bool *out, emu_reply *reply)
{
    spotify__json v = spotify__json_get(body, key);
    if (!spotify__json_valid(v) || spotify__json_get_bool(v, out))
        return true;
    emu_reply_api_error(reply, 400, "Invalid request");
    return false;
}

/* Reads an optional string member of at most `max_chars` characters (0: no
 * limit); false (400) when of another type, holding a NUL or too long.
 * `what` names it in the message ("Playlist name"). */
static bool pl_read_string(spotify__json body, const char *key, const char *what, size_t max_chars,
                           const char **out, emu_reply *reply)
{
    emu_text_status st = emu_json_text(body, key, max_chars, out);
    if (st == EMU_TEXT_OK || st == EMU_TEXT_ABSENT)
        return true;
    char message[128];
    emu_text_problem(st, what, max_chars, message, sizeof message);
    emu_reply_api_error(reply, 400, st == EMU_TEXT_NOT_STRING ? "Invalid request" : message);
    return false;
}

/* Reads name, description, public and collaborative over *d. */
static bool pl_read_details(spotify__json body, pl_details *d, emu_reply *reply)
{
    if (!pl_read_string(body, "name", "Playlist name", EMU_PLAYLIST_NAME_MAX, &d->name, reply) ||
        !pl_read_string(body, "description", "Playlist description", EMU_PLAYLIST_DESCRIPTION_MAX,
                        &d->description, reply) ||
        !pl_read_bool(body, "public", &d->is_public, reply) ||
        !pl_read_bool(body, "collaborative", &d->collaborative, reply))
        return false;
    if (d->name != NULL && d->name[0] == '\0') {
        emu_reply_api_error(reply, 400, "Missing required field: name");
        return false;
    }
    if (d->collaborative && d->is_public) {
        emu_reply_api_error(reply, 400, "Collaborative playlists can't be public");
        return false;
    }
    return true;
}

/* 403 unless the grant may modify a playlist that is (or becomes) public
 * or private. */
static bool pl_scope_ok(const emu_grant *grant, bool is_public, emu_reply *reply)
{
    uint32_t need =
        is_public ? EMU_SCOPE(PLAYLIST_MODIFY_PUBLIC) : EMU_SCOPE(PLAYLIST_MODIFY_PRIVATE);
    if ((grant->scopes & need) != 0)
        return true;
    emu_reply_api_error(reply, 403, "Insufficient client scope");
    return false;
}

#define PL_MODIFY_SCOPES (EMU_SCOPE(PLAYLIST_MODIFY_PUBLIC) | EMU_SCOPE(PLAYLIST_MODIFY_PRIVATE))

/* Validates a create request and adds the playlist (lock held). */
static void pl_create(emu_app *app, const emu_grant *grant, const pl_details *d, emu_reply *reply)
{
    emu_playlist *pl = emu_state_add_playlist(app->state, grant->user, d->name, d->description,
                                              d->is_public, d->collaborative);
    if (pl == NULL) {
        emu_reply_api_error(reply, 500, "Out of memory");
        return;
    }
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    pl_write_full(&w, app, pl, 1);
    emu_reply_json(reply, 201);
}

void emu_api_create_playlist(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_require_any(app, req, reply, PL_MODIFY_SCOPES, &grant))
        return;
    /* POST /users/{user_id}/playlists: only for the token's own user */
    if (req->param_count > 0 &&
        strcmp(req->params[0], emu_registry_user_at(app->registry, grant.user)->id) != 0) {
        emu_reply_api_error(reply, 403, "You cannot create a playlist for another user.");
        return;
    }
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json body;
    pl_details d = {NULL, "", true, false};
    if (arena == NULL) {
        emu_reply_api_error(reply, 500, "Out of memory");
        return;
    }
    if (emu_api_json_body(req, reply, arena, true, &body) && pl_read_details(body, &d, reply)) {
        if (d.name == NULL)
            emu_reply_api_error(reply, 400, "Missing required field: name");
        else if (pl_scope_ok(&grant, d.is_public, reply)) {
            emu_state_lock(app->state);
            pl_create(app, &grant, &d, reply);
            emu_state_unlock(app->state);
        }
    }
    spotify__arena_free(arena);
}

/* Looks up the playlist named by path parameter 0 (lock held): 400 for a
 * malformed id, 404 for an unknown one. */
static emu_playlist *pl_lookup(emu_app *app, emu_request *req, emu_reply *reply, size_t *index)
{
    if (!emu_api_id_param(req, reply, 0))
        return NULL;
    emu_playlist *pl = emu_state_playlist(app->state, req->params[0], EMU_ID_LEN, index);
    if (pl == NULL)
        emu_reply_api_error(reply, 404, "Non existing id");
    return pl;
}

/* pl_lookup, then 403 unless the grant's user owns the playlist and holds
 * the scope its visibility needs (lock held). */
static emu_playlist *pl_lookup_owned(emu_app *app, emu_request *req, emu_reply *reply,
                                     const emu_grant *grant)
{
    emu_playlist *pl = pl_lookup(app, req, reply, NULL);
    if (pl == NULL)
        return NULL;
    if (pl->owner != grant->user) {
        emu_reply_api_error(reply, 403, "You cannot modify a playlist you don't own.");
        return NULL;
    }
    return pl_scope_ok(grant, pl->is_public, reply) ? pl : NULL;
}

void emu_api_playlist(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_authorize(app, req, reply, &grant))
        return;
    emu_state_lock(app->state);
    size_t index;
    const emu_playlist *pl = pl_lookup(app, req, reply, &index);
    if (pl != NULL) {
        spotify__json_writer w;
        spotify__jw_init(&w, &reply->body);
        pl_write_full(&w, app, pl, emu_state_playlist_followers(app->state, index));
        emu_reply_json(reply, 200);
    }
    emu_state_unlock(app->state);
}

/* Applies details to a playlist (lock held); false on OOM. */
static bool pl_apply_details(emu_playlist *pl, const pl_details *d)
{
    char *name = spotify__strdup(d->name != NULL ? d->name : pl->name);
    char *description = spotify__strdup(d->description != NULL ? d->description : pl->description);
    if (name == NULL || description == NULL) {
        spotify__free(name);
        spotify__free(description);
        return false;
    }
    spotify__free(pl->name);
    spotify__free(pl->description);
    pl->name = name;
    pl->description = description;
    pl->is_public = d->is_public;
    pl->collaborative = d->collaborative;
    pl->version++;
    return true;
}

/* PUT /playlists/{id} with the body parsed (lock held). */
static void pl_change_locked(emu_app *app, emu_request *req, emu_reply *reply,
                             const emu_grant *grant, spotify__json body)
{
    emu_playlist *pl = pl_lookup_owned(app, req, reply, grant);
    if (pl == NULL)
        return;
    pl_details d = {NULL, NULL, pl->is_public, pl->collaborative};
    if (!pl_read_details(body, &d, reply) || !pl_scope_ok(grant, d.is_public, reply))
        return;
    if (!pl_apply_details(pl, &d))
        emu_reply_api_error(reply, 500, "Out of memory");
    else
        emu_reply_json_static(reply, 200, "", 0);
}

void emu_api_playlist_change(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_require_any(app, req, reply, PL_MODIFY_SCOPES, &grant))
        return;
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json body;
    if (arena == NULL) {
        emu_reply_api_error(reply, 500, "Out of memory");
        return;
    }
    if (emu_api_json_body(req, reply, arena, false, &body)) { /* no body: no change */
        emu_state_lock(app->state);
        pl_change_locked(app, req, reply, &grant, body);
        emu_state_unlock(app->state);
    }
    spotify__arena_free(arena);
}

/* A page of a playlist's items; `restricted`: owner or collaborator only. */
static void pl_serve_items(emu_app *app, emu_request *req, emu_reply *reply, bool restricted)
{
    emu_grant grant;
    emu_page page;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(PLAYLIST_READ_PRIVATE), &grant) ||
        !emu_api_page_params(req, reply, &page))
        return;
    emu_state_lock(app->state);
    size_t index;
    const emu_playlist *pl = pl_lookup(app, req, reply, &index);
    if (pl != NULL && restricted && pl->owner != grant.user &&
        !(pl->collaborative && emu_user_follows(emu_state_user(app->state, grant.user), index))) {
        emu_reply_api_error(reply, 403, "Forbidden");
        pl = NULL;
    }
    if (pl != NULL) {
        spotify__json_writer w;
        spotify__jw_init(&w, &reply->body);
        emu_page_link at = {req->path, req->path_len, emu_request_query(req)};
        pl_write_page(&w, app, &at, pl, &page);
        emu_reply_json(reply, 200);
    }
    emu_state_unlock(app->state);
}

void emu_api_playlist_items(emu_app *app, emu_request *req, emu_reply *reply)
{
    pl_serve_items(app, req, reply, true);
}

void emu_api_playlist_tracks(emu_app *app, emu_request *req, emu_reply *reply)
{
    pl_serve_items(app, req, reply, false);
}

/* Resolves one "spotify:track:ID" URI into `out`. 400 / 404 on failure. */
static bool pl_add_uri(emu_app *app, const char *uri, size_t len, pl_tracks *out, emu_reply *reply)
{
    emu_uri parsed;
    size_t index;
    if (out->count == PL_MAX_URIS) {
        emu_reply_api_error(reply, 400, "You can add a maximum of 100 tracks per request.");
        return false;
    }
    if (!emu_api_parse_uri(uri, len, &parsed) || parsed.kind != EMU_URI_TRACK) {
        emu_reply_api_error(reply, 400, "Invalid track uri");
        return false;
    }
    if (emu_catalog_find(app->catalog, EMU_TRACK, parsed.id, parsed.id_len, &index) == NULL) {
        emu_reply_api_error(reply, 404, "Non existing id");
        return false;
    }
    out->index[out->count++] = index;
    return true;
}

/* Track URIs from a comma-separated list (empty: none). */
static bool pl_uris_from_list(emu_app *app, const char *list, pl_tracks *out, emu_reply *reply)
{
    out->count = 0;
    while (*list != '\0') {
        size_t len = strcspn(list, ",");
        if (!pl_add_uri(app, list, len, out, reply))
            return false;
        list += len;
        if (*list == ',')
            list++;
    }
    return true;
}

/* Track URIs from a JSON array of strings (`field` names the member), or
 * of {"uri":...} objects when `objects`. */
static bool pl_uris_from_json(emu_app *app, spotify__json array, bool objects, pl_tracks *out,
                              emu_reply *reply)
{
    out->count = 0;
    if (spotify__json_type_of(array) != SPOTIFY__JSON_ARRAY) {
        emu_reply_api_error(reply, 400, "Invalid request");
        return false;
    }
    for (spotify__json e = spotify__json_first(array); spotify__json_valid(e);
         e = spotify__json_next(e)) {
        const char *uri;
        size_t len;
        spotify__json v = objects ? spotify__json_get(e, "uri") : e;
        if (!spotify__json_get_string(v, &uri, &len)) {
            emu_reply_api_error(reply, 400, "Invalid track uri");
            return false;
        }
        if (!pl_add_uri(app, uri, len, out, reply))
            return false;
    }
    return true;
}

/* The tracks of a POST/PUT items request: query "uris" wins over the
 * body's. *given tells whether either was present. */
static bool pl_request_uris(emu_app *app, emu_request *req, spotify__json body, pl_tracks *out,
                            bool *given, emu_reply *reply)
{
    const emu_form *q = emu_request_query(req);
    const char *list = q == NULL ? NULL : emu_form_get(q, "uris");
    /* A bare array of URIs is the list (spotipy's playlist_add_items has
     * always sent one, and Spotify accepts it). */
    spotify__json array = spotify__json_type_of(body) == SPOTIFY__JSON_ARRAY ? body
                          : spotify__json_valid(body) ? spotify__json_get(body, "uris")
                                                      : (spotify__json){0};
    *given = list != NULL || spotify__json_valid(array);
    out->count = 0;
    if (list != NULL)
        return pl_uris_from_list(app, list, out, reply);
    return !spotify__json_valid(array) || pl_uris_from_json(app, array, false, out, reply);
}

/* An optional integer from the query (wins) or the body; -1 when absent.
 * false (400) when malformed or outside [0, max]. */
static bool pl_request_index(emu_request *req, spotify__json body, const char *key, size_t max,
                             long long *out, emu_reply *reply)
{
    const emu_form *q = emu_request_query(req);
    *out = -1;
    if (q != NULL && emu_form_get(q, key) != NULL) {
        if (emu_api_query_int(req, key, 0, (long long)max, out))
            return true;
    } else {
        spotify__json v =
            spotify__json_valid(body) ? spotify__json_get(body, key) : (spotify__json){0};
        int64_t n;
        if (!spotify__json_valid(v))
            return true;
        if (spotify__json_get_int64(v, &n) && n >= 0 && (uint64_t)n <= max) {
            *out = n;
            return true;
        }
    }
    emu_reply_api_error(reply, 400, "Index out of bounds");
    return false;
}

/* POST /playlists/{id}/items with the body parsed (lock held). */
static void pl_add_locked(emu_app *app, emu_request *req, emu_reply *reply, const emu_grant *grant,
                          spotify__json body)
{
    pl_tracks tracks;
    bool given;
    long long position;
    emu_playlist *pl = pl_lookup_owned(app, req, reply, grant);
    if (pl == NULL || !pl_request_uris(app, req, body, &tracks, &given, reply) ||
        !pl_request_index(req, body, "position", pl->entry_count, &position, reply))
        return;
    if (tracks.count == 0) {
        emu_reply_api_error(reply, 400, "No uris provided");
        return;
    }
    size_t at = position < 0 ? pl->entry_count : (size_t)position;
    if (!emu_playlist_insert(pl, at, tracks.index, tracks.count, grant->user, emu_state_now_unix()))
        emu_reply_api_error(reply, 500, "Out of memory");
    else
        pl_reply_snapshot(reply, pl, 201);
}

/* Runs `locked` with the optional JSON body parsed and the lock held. */
static void pl_with_body(emu_app *app, emu_request *req, emu_reply *reply, bool required,
                         bool array_ok,
                         void (*locked)(emu_app *, emu_request *, emu_reply *, const emu_grant *,
                                        spotify__json))
{
    emu_grant grant;
    if (!emu_api_require_any(app, req, reply, PL_MODIFY_SCOPES, &grant))
        return;
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json body;
    if (arena == NULL) {
        emu_reply_api_error(reply, 500, "Out of memory");
        return;
    }
    if (array_ok ? emu_api_json_body_or_array(req, reply, arena, required, &body)
                 : emu_api_json_body(req, reply, arena, required, &body)) {
        emu_state_lock(app->state);
        locked(app, req, reply, &grant, body);
        emu_state_unlock(app->state);
    }
    spotify__arena_free(arena);
}

void emu_api_playlist_add(emu_app *app, emu_request *req, emu_reply *reply)
{
    pl_with_body(app, req, reply, false, true, pl_add_locked);
}

/* Reorder: range_start, insert_before (required), range_length (1). */
static void pl_reorder(emu_request *req, emu_reply *reply, emu_playlist *pl, spotify__json body)
{
    long long start, before, length;
    if (!pl_request_index(req, body, "range_start", pl->entry_count, &start, reply) ||
        !pl_request_index(req, body, "insert_before", pl->entry_count, &before, reply) ||
        !pl_request_index(req, body, "range_length", pl->entry_count, &length, reply))
        return;
    if (length < 0)
        length = 1;
    if (start < 0 || before < 0 || start + length > (long long)pl->entry_count) {
        emu_reply_api_error(reply, 400, "Index out of bounds");
        return;
    }
    emu_playlist_move(pl, (size_t)start, (size_t)length, (size_t)before);
    pl_reply_snapshot(reply, pl, 200);
}

/* PUT /playlists/{id}/items (lock held): uris replace, else reorder. */
static void pl_update_locked(emu_app *app, emu_request *req, emu_reply *reply,
                             const emu_grant *grant, spotify__json body)
{
    pl_tracks tracks;
    bool given;
    emu_playlist *pl = pl_lookup_owned(app, req, reply, grant);
    if (pl == NULL || !pl_request_uris(app, req, body, &tracks, &given, reply))
        return;
    if (!given) {
        pl_reorder(req, reply, pl, body);
        return;
    }
    pl->entry_count = 0;
    if (!emu_playlist_insert(pl, 0, tracks.index, tracks.count, grant->user, emu_state_now_unix()))
        emu_reply_api_error(reply, 500, "Out of memory");
    else
        pl_reply_snapshot(reply, pl, 200);
}

void emu_api_playlist_update(emu_app *app, emu_request *req, emu_reply *reply)
{
    pl_with_body(app, req, reply, false, false, pl_update_locked);
}

/* DELETE /playlists/{id}/items (lock held): body {"items":[{"uri"}...]}
 * (or the older "tracks"); every occurrence of each track goes. */
static void pl_remove_locked(emu_app *app, emu_request *req, emu_reply *reply,
                             const emu_grant *grant, spotify__json body)
{
    pl_tracks tracks;
    const char *snapshot = NULL;
    emu_playlist *pl = pl_lookup_owned(app, req, reply, grant);
    if (pl == NULL || !pl_read_string(body, "snapshot_id", "snapshot_id", 0, &snapshot, reply))
        return;
    spotify__json items = spotify__json_get(body, "items");
    if (!spotify__json_valid(items))
        items = spotify__json_get(body, "tracks");
    if (!spotify__json_valid(items)) {
        emu_reply_api_error(reply, 400, "Missing required field: items");
        return;
    }
    if (!pl_uris_from_json(app, items, true, &tracks, reply))
        return;
    uint64_t before = pl->version;
    for (size_t i = 0; i < tracks.count; i++)
        emu_playlist_remove_track(pl, tracks.index[i]);
    if (pl->version == before)
        pl->version++; /* a write, even when nothing matched */
    pl_reply_snapshot(reply, pl, 200);
}

void emu_api_playlist_remove(emu_app *app, emu_request *req, emu_reply *reply)
{
    pl_with_body(app, req, reply, true, false, pl_remove_locked);
}

/* GET /users/{user_id}/playlists: the playlists that user follows; another
 * user's private playlists are left out. */
void emu_api_user_playlists(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_page page;
    size_t user;
    if (!emu_api_authorize(app, req, reply, &grant) || !emu_api_page_params(req, reply, &page))
        return;
    if (emu_registry_user(app->registry, req->params[0], &user) == NULL) {
        emu_reply_api_error(reply, 404, "Non existing id");
        return;
    }
    bool own = user == grant.user;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    emu_state_lock(app->state);
    const emu_user_data *u = emu_state_user(app->state, user);
    page.total = 0;
    for (size_t i = 0; i < u->followed_count; i++)
        page.total += own || emu_state_playlist_at(app->state, u->followed[i])->is_public;
    emu_api_page_begin(&w, app, req, &page);
    size_t seen = 0;
    for (size_t i = 0; i < u->followed_count; i++) {
        const emu_playlist *pl = emu_state_playlist_at(app->state, u->followed[i]);
        if (!own && !pl->is_public)
            continue;
        if (seen >= page.offset && seen < page.offset + page.limit)
            emu_api_write_playlist_simplified(&w, app, pl);
        seen++;
    }
    emu_api_page_end(&w, app, req, &page);
    emu_state_unlock(app->state);
    emu_reply_json(reply, 200);
}

void emu_api_playlist_images(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_authorize(app, req, reply, &grant))
        return;
    emu_state_lock(app->state);
    const emu_playlist *pl = pl_lookup(app, req, reply, NULL);
    if (pl != NULL) {
        spotify__json_writer w;
        spotify__jw_init(&w, &reply->body);
        pl_write_images(&w, pl);
        emu_reply_json(reply, 200);
    }
    emu_state_unlock(app->state);
}

/* Whether the body is base64 text of a JPEG (it starts with FF D8 FF,
 * "/9j/" in base64) of at most PL_COVER_MAX bytes. */
static bool pl_cover_ok(const char *body, size_t len)
{
    if (len < 4 || len > PL_COVER_MAX || memcmp(body, "/9j/", 4) != 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)body[i];
        if (!(isalnum(c) || c == '+' || c == '/' || c == '=' || c == '\r' || c == '\n'))
            return false;
    }
    return true;
}

/* PUT /playlists/{id}/images: a base64 JPEG body (ugc-image-upload and the
 * playlist's modify scope, owner only) -> 202; the cover changes. */
void emu_api_playlist_upload_cover(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(UGC_IMAGE_UPLOAD), &grant))
        return;
    if (!pl_cover_ok(req->body, req->body_len)) {
        emu_reply_api_error(reply, 400, "Invalid image: a base64-encoded JPEG of at most 256 KB");
        return;
    }
    emu_state_lock(app->state);
    emu_playlist *pl = pl_lookup_owned(app, req, reply, &grant);
    if (pl != NULL) {
        uint64_t h = UINT64_C(1469598103934665603);
        for (size_t i = 0; i < req->body_len; i++)
            h = (h ^ (unsigned char)req->body[i]) * UINT64_C(1099511628211);
        pl->cover = h != 0 ? h : 1;
        pl->version++;
        reply->status = 202;
        reply->content_type = NULL;
    }
    emu_state_unlock(app->state);
}
