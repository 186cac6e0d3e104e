/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api.h - the Web API (api.spotify.com/v1): shared helpers every endpoint
 * uses, and the handlers.
 *
 * Helpers fill the reply with Spotify's error and return false when the
 * request must stop there, so a handler reads:
 *
 *   emu_grant grant;
 *   if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_LIBRARY_READ), &grant))
 *       return;
 *
 * Authentication (every /v1 call): no Authorization header -> 401 "No token
 * provided"; a scheme other than Bearer -> 400 "Only valid bearer
 * authentication supported"; unknown token -> 401 "Invalid access token";
 * expired -> 401 "The access token expired". User endpoints with a
 * client-credentials token, or a user token lacking a scope -> 403
 * "Insufficient client scope".
 *
 * Threads: handlers run concurrently; all helpers are thread-safe.
 */
#ifndef SPOTIFY_EMULATOR_API_H
#define SPOTIFY_EMULATOR_API_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "catalog.h"
#include "core/arena.h"
#include "json/json.h"
#include "json/json_write.h"
#include "request.h"

/* Checks the bearer token; fills *grant for a valid token. */
bool emu_api_authorize(emu_app *app, emu_request *req, emu_reply *reply, emu_grant *grant);
/* emu_api_authorize, then requires a user token holding every scope in
 * `scopes` (0: any user token). */
bool emu_api_require_user(emu_app *app, emu_request *req, emu_reply *reply, uint32_t scopes,
                          emu_grant *grant);
/* The market query parameter, when present, must be a market of the
 * catalog (markets.json) or "from_token": else 400 "Invalid market code".
 * emu_api_authorize checks it on every call and records it in req->market
 * (from_token: the user's country). */
bool emu_api_market_ok(emu_app *app, emu_request *req, emu_reply *reply, const emu_grant *grant);
/* After the handler (server.c): for a request with a market, a 2xx JSON
 * answer has the available_markets of every track object replaced by
 * is_playable for that market, as Spotify answers. Bodies without a market
 * are untouched (no cost on the common path). */
void emu_api_apply_market(emu_request *req, emu_reply *reply);

/* A list of Spotify ids (the "ids" parameter of the get-several and
 * library endpoints). */
#define EMU_MAX_IDS 50
#define EMU_USER_ID_MAX 64
typedef struct emu_id_list {
    char ids[EMU_MAX_IDS][EMU_USER_ID_MAX + 1];
    size_t count;
} emu_id_list;
/* The comma-separated "ids" query parameter or, when absent, the body's
 * "ids" (or "timestamped_ids" [{"id"}]) array (`body` may be INVALID):
 * 1..max ids, else 400 "Missing required parameter: ids", "Too many ids
 * requested" or "Invalid base62 id". Ids are Spotify ids, or with `users`
 * user ids (1-64 characters, no ':' or ','). A body without a usable
 * "ids" array (an object without it, or a bare JSON array of ids, which
 * Spotify refuses since 2024) is 400 "Missing required field: ids". */
bool emu_api_ids(emu_request *req, emu_reply *reply, spotify__json body, size_t max, bool users,
                 emu_id_list *out);
/* Validates path parameter `index` as a Spotify id (400 "Invalid base62 id"). */
bool emu_api_id_param(const emu_request *req, emu_reply *reply, size_t index);
/* The catalog item of `kind` named by path parameter 0, after the bearer
 * check; *index (may be NULL) gets its index. NULL when a reply was sent:
 * 400 for a malformed id, 404 "Non existing id" for an unknown one. */
const emu_item *emu_api_path_item(emu_app *app, emu_request *req, emu_reply *reply, emu_kind kind,
                                  size_t *index);
/* Serves catalog item `kind` named by path parameter 0 (emu_api_path_item). */
void emu_api_serve_item(emu_app *app, emu_request *req, emu_reply *reply, emu_kind kind);

/*
 * Paging (PagingObject): limit/offset from the query string, validated as
 * Spotify does (limit within the route's bounds, else 400 "Invalid limit";
 * offset >= 0, else 400 "Invalid offset"). emu_api_page_begin writes
 * {"href":...,"items":[ and emu_api_page_end closes the array and writes
 * limit, next, offset, previous and total. Links repeat the request's path
 * and other query parameters with offset/limit first, under the emulator's
 * base URL, so following "next" works.
 */
typedef struct emu_page {
    size_t limit;
    size_t offset;
    size_t total;      /* set by the handler before emu_api_page_end */
    size_t max_offset; /* no `next` link past this offset (search: 1000); 0: none */
} emu_page;

/* Where paging links point: a path (as sent) and the query parameters to
 * repeat besides offset/limit (NULL: none). */
typedef struct emu_page_link {
    const char *path;
    size_t path_len;
    const emu_form *query;
} emu_page_link;

/* The bounds and default of `limit` on a route: its operation's in the
 * specification (spec/spotify-api.json, through the SDK's generated
 * operation table), found by method and path when first needed. */
typedef struct emu_limits {
    size_t min, max, def;
} emu_limits;
/* The request's route's limits; 1..50, default 20, for a route whose
 * operation has no `limit` (none pages that way today). */
emu_limits emu_api_route_limits(const emu_request *req);
/* limit/offset by the route's limits (emu_api_route_limits). */
bool emu_api_page_params(emu_request *req, emu_reply *reply, emu_page *page);
/* The same with explicit limits (search's own rule). */
bool emu_api_page_params_in(emu_request *req, emu_reply *reply, emu_limits limits, emu_page *page);
/* Only `limit`, by the route's limits (cursor-paged routes). */
bool emu_api_cursor_limit(emu_request *req, emu_reply *reply, long long *limit);
void emu_api_page_begin(spotify__json_writer *w, const emu_app *app, emu_request *req,
                        const emu_page *page);
void emu_api_page_end(spotify__json_writer *w, const emu_app *app, emu_request *req,
                      const emu_page *page);

/* The same for a paging object about another resource (e.g. the items
 * page embedded in a playlist). */
void emu_api_page_begin_at(spotify__json_writer *w, const emu_app *app, const emu_page_link *at,
                           const emu_page *page);
void emu_api_page_end_at(spotify__json_writer *w, const emu_app *app, const emu_page_link *at,
                         const emu_page *page);

/* emu_api_require_user with 0 scopes, then requires at least one of
 * `scopes` (for operations Spotify documents with alternative scopes). */
bool emu_api_require_any(emu_app *app, emu_request *req, emu_reply *reply, uint32_t scopes,
                         emu_grant *grant);
/* Query parameter `key` as an integer in [min, max]; false when absent,
 * malformed or out of range (the caller picks the error). */
bool emu_api_query_int(emu_request *req, const char *key, long long min, long long max,
                       long long *out);
/* Parses the body as a JSON object into `arena`. An empty body gives an
 * INVALID handle unless `required`; anything else that is not an object is
 * 400 "Error parsing JSON.". */
bool emu_api_json_body(const emu_request *req, emu_reply *reply, spotify__arena *arena,
                       bool required, spotify__json *root);
/* The same, where a JSON array is a body too (what some clients send in
 * place of an object: the caller decides what it means). */
bool emu_api_json_body_or_array(const emu_request *req, emu_reply *reply, spotify__arena *arena,
                                bool required, spotify__json *root);

/* Spotify URIs "spotify:KIND:ID". */
typedef enum emu_uri_kind {
    EMU_URI_TRACK = 0,
    EMU_URI_ALBUM,
    EMU_URI_ARTIST,
    EMU_URI_PLAYLIST,
    EMU_URI_USER,
    EMU_URI_SHOW,
    EMU_URI_EPISODE,
    EMU_URI_AUDIOBOOK,
    EMU_URI_KIND_COUNT
} emu_uri_kind;

typedef struct emu_uri {
    emu_uri_kind kind;
    const char *id; /* borrowed from the parsed text, id_len bytes */
    size_t id_len;
} emu_uri;

/* Parses `len` bytes of `uri`: a known kind and a 22-character base62 id
 * (users: any non-empty id without ':'). false when malformed. */
bool emu_api_parse_uri(const char *uri, size_t len, emu_uri *out);
/* Writes Unix seconds as an ISO 8601 UTC string ("2023-11-14T22:13:20Z"). */
void emu_api_write_time(spotify__json_writer *w, int64_t unix_seconds);
/* Writes a PublicUserObject reference to registry user `user` (external_urls,
 * href, id, type, uri; display_name too when asked: PlaylistOwnerObject). */
void emu_api_write_user_ref(spotify__json_writer *w, const emu_app *app, size_t user,
                            bool display_name);

/* GET /v1/me */
void emu_api_me(emu_app *app, emu_request *req, emu_reply *reply);
/* GET /v1/albums/{id}, /v1/artists/{id}, /v1/tracks/{id} */
void emu_api_album(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_artist(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_track(emu_app *app, emu_request *req, emu_reply *reply);
/* GET /v1/albums/{id}/tracks: a page of the album's simplified tracks. */
void emu_api_album_tracks(emu_app *app, emu_request *req, emu_reply *reply);

/* api_search.c: GET /v1/search */
void emu_api_search(emu_app *app, emu_request *req, emu_reply *reply);

/* api_library.c: GET /v1/me/tracks, GET /v1/me/albums, PUT and DELETE
 * /v1/me/library, GET /v1/me/library/contains, GET /v1/me/following. */
void emu_api_saved_tracks(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_saved_albums(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_library_save(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_library_remove(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_library_contains(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_following(emu_app *app, emu_request *req, emu_reply *reply);

/* api_playlists.c: /v1/me/playlists (GET, POST), /v1/playlists/{id} (GET,
 * PUT), /v1/playlists/{id}/items (GET, POST, PUT, DELETE). */
void emu_api_my_playlists(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_create_playlist(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_change(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_items(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_add(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_update(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_remove(emu_app *app, emu_request *req, emu_reply *reply);

/* api_player.c: /v1/me/player and its commands. */
void emu_api_player(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_devices(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_current(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_play(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_pause(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_next(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_previous(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_volume(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_queue(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_enqueue(emu_app *app, emu_request *req, emu_reply *reply);

/* api_catalog.c: items of the other kinds, several items, children pages,
 * artist albums / top tracks / related artists. */
void emu_api_show(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_episode(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_audiobook(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_chapter(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_show_episodes(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_audiobook_chapters(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_several_albums(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_several_artists(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_several_tracks(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_several_shows(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_several_episodes(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_several_audiobooks(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_several_chapters(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_artist_albums(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_artist_top_tracks(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_artist_related(emu_app *app, emu_request *req, emu_reply *reply);
/* Sorts catalog indices of `kind` by popularity, most popular first. */
void emu_api_sort_by_popularity(const emu_catalog *catalog, emu_kind kind, size_t *items,
                                size_t count);

/* api_browse.c: browse, markets, recommendations, audio features/analysis. */
void emu_api_categories(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_category(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_category_playlists(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_featured_playlists(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_new_releases(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_markets(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_genre_seeds(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_recommendations(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_audio_features(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_several_audio_features(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_audio_analysis(emu_app *app, emu_request *req, emu_reply *reply);

/* api_library.c: saved shows/episodes/audiobooks, the deprecated id-based
 * save/remove/contains, follows of artists, users and playlists. */
void emu_api_saved_shows(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_saved_episodes(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_saved_audiobooks(emu_app *app, emu_request *req, emu_reply *reply);
#define EMU_API_IDS_HANDLERS(name)                                                                 \
    void emu_api_##name##_save(emu_app *app, emu_request *req, emu_reply *reply);                  \
    void emu_api_##name##_remove(emu_app *app, emu_request *req, emu_reply *reply);                \
    void emu_api_##name##_contains(emu_app *app, emu_request *req, emu_reply *reply);
EMU_API_IDS_HANDLERS(tracks)
EMU_API_IDS_HANDLERS(albums)
EMU_API_IDS_HANDLERS(shows)
EMU_API_IDS_HANDLERS(episodes)
EMU_API_IDS_HANDLERS(audiobooks)
void emu_api_follow(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_unfollow(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_follows_contains(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_follow(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_unfollow(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_followers_contains(emu_app *app, emu_request *req, emu_reply *reply);

/* api_me.c: other users' profiles, top items. */
void emu_api_user(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_top_artists(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_top_tracks(emu_app *app, emu_request *req, emu_reply *reply);

/* api_playlists.c: a user's playlists, the deprecated /tracks list, covers. */
void emu_api_user_playlists(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_tracks(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_images(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_playlist_upload_cover(emu_app *app, emu_request *req, emu_reply *reply);

/* api_player.c: transfer, seek, repeat, shuffle, recently played. */
void emu_api_player_transfer(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_seek(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_repeat(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_shuffle(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_player_recent(emu_app *app, emu_request *req, emu_reply *reply);

/* Writes a simplified playlist object (api_playlists.c; search uses it too). */
void emu_api_write_playlist_simplified(spotify__json_writer *w, const emu_app *app,
                                       const emu_playlist *pl);

#endif
