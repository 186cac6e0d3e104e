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
#include "json/json_write.h"
#include "request.h"

/* Checks the bearer token; fills *grant for a valid token. */
bool emu_api_authorize(emu_app *app, emu_request *req, emu_reply *reply, emu_grant *grant);
/* emu_api_authorize, then requires a user token holding every scope in
 * `scopes` (0: any user token). */
bool emu_api_require_user(emu_app *app, emu_request *req, emu_reply *reply, uint32_t scopes,
                          emu_grant *grant);
/* Validates path parameter `index` as a Spotify id (400 "Invalid base62 id"). */
bool emu_api_id_param(const emu_request *req, emu_reply *reply, size_t index);
/* Serves catalog item `kind` named by path parameter 0: 400 for a malformed
 * id, 404 "Non existing id" for an unknown one. */
void emu_api_serve_item(emu_app *app, emu_request *req, emu_reply *reply, emu_kind kind);

/*
 * Paging (PagingObject): limit/offset from the query string, validated as
 * Spotify does (limit 1..max_limit, else 400 "Invalid limit"; offset >= 0,
 * else 400 "Invalid offset"). emu_api_page_begin writes
 * {"href":...,"items":[ and emu_api_page_end closes the array and writes
 * limit, next, offset, previous and total. Links repeat the request's path
 * and other query parameters with offset/limit first, under the emulator's
 * base URL, so following "next" works.
 */
typedef struct emu_page {
    size_t limit;
    size_t offset;
    size_t total; /* set by the handler before emu_api_page_end */
} emu_page;

bool emu_api_page_params(emu_request *req, emu_reply *reply, size_t default_limit, size_t max_limit,
                         emu_page *page);
void emu_api_page_begin(spotify__json_writer *w, const emu_app *app, emu_request *req,
                        const emu_page *page);
void emu_api_page_end(spotify__json_writer *w, const emu_app *app, emu_request *req,
                      const emu_page *page);

/* GET /v1/me */
void emu_api_me(emu_app *app, emu_request *req, emu_reply *reply);
/* GET /v1/albums/{id}, /v1/artists/{id}, /v1/tracks/{id} */
void emu_api_album(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_artist(emu_app *app, emu_request *req, emu_reply *reply);
void emu_api_track(emu_app *app, emu_request *req, emu_reply *reply);
/* GET /v1/albums/{id}/tracks: a page of the album's simplified tracks. */
void emu_api_album_tracks(emu_app *app, emu_request *req, emu_reply *reply);

#endif
