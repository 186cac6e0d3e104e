/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_player.c - the player (Spotify Connect) under /me/player.
 *
 * Each user has PB_DEVICES fake devices ("Emulator Speaker", a Computer,
 * and "Emulator Phone", a Smartphone) with stable ids; none is active at
 * start. The emulator's rule, close to Spotify's:
 *  - PUT /me/player/play with ?device_id= activates that device; without
 *    it an active device is required. Every other command needs an active
 *    device: else 404 "Player command failed: No active device found"
 *    (reason NO_ACTIVE_DEVICE). An unknown device_id is 404 "Device not
 *    found".
 *  - Commands need a premium user: else 403 "Player command failed:
 *    Premium required" (reason PREMIUM_REQUIRED).
 *  - Pausing while paused, or skipping / seeking with nothing loaded, is
 *    403 "Player command failed: Restriction violated". Resuming with
 *    nothing loaded plays the user's saved tracks (no context), as
 *    Spotify falls back to the user's last context.
 *  - PUT /me/player transfers to one device (and starts playing with
 *    "play":true); seek, repeat, shuffle and volume change the state
 *    GET /me/player shows. Every track that starts playing is remembered
 *    for GET /me/player/recently-played (the last EMU_HISTORY_MAX).
 *  - GET /me/player is 204 while no device is active; currently-playing is
 *    204 while nothing is loaded.
 *  - next plays the queue first, then the context (wrapping at its end);
 *    previous restarts the track after 3 s of progress, else goes back.
 * Progress advances with the monotonic clock while playing.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "core/clock.h"
#include "oauth.h"

#define PB_DEVICES EMU_PLAYER_DEVICES
#define PB_MAX_URIS 100
#define PB_QUEUE_SHOWN 20

static const char *const pb_device_names[PB_DEVICES] = {"Emulator Speaker", "Emulator Phone"};
static const char *const pb_device_types[PB_DEVICES] = {"Computer", "Smartphone"};

/* The 40-hex-digit id of device `n` of registry user `user`. */
static void pb_device_id(const emu_app *app, size_t user, int n, char out[41])
{
    const char *id = emu_registry_user_at(app->registry, user)->id;
    uint64_t h = UINT64_C(1469598103934665603) + (uint64_t)n;
    for (const char *p = id; *p != '\0'; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    uint64_t g = h * UINT64_C(0x9e3779b97f4a7c15) + 7;
    snprintf(out, 41, "%016" PRIx64 "%016" PRIx64 "%08" PRIx32, h, g, (uint32_t)(h ^ (g >> 7)));
}

/* The device of `user` whose id is `id`, or -1. */
static int pb_find_device(const emu_app *app, size_t user, const char *id)
{
    for (int n = 0; n < PB_DEVICES; n++) {
        char mine[41];
        pb_device_id(app, user, n, mine);
        if (strcmp(mine, id) == 0)
            return n;
    }
    return -1;
}

/* A track's duration_ms from its catalog object. */
static int64_t pb_duration(const emu_app *app, size_t track)
{
    int64_t ms = 0;
    spotify__json_get_int64(
        spotify__json_get(emu_catalog_at(app->catalog, EMU_TRACK, track)->full, "duration_ms"),
        &ms);
    return ms;
}

/* Brings progress_ms up to now (capped at the track's end). */
static void pb_settle(const emu_app *app, emu_player *p)
{
    int64_t now = spotify__monotonic_ms();
    if (p->is_playing && p->track != EMU_NONE) {
        p->progress_ms += now - p->updated_ms;
        int64_t duration = pb_duration(app, p->track);
        if (p->progress_ms > duration)
            p->progress_ms = duration;
    }
    p->updated_ms = now;
}

/* A DeviceObject. */
static void pb_write_device(spotify__json_writer *w, const emu_app *app, size_t user, int n,
                            const emu_player *p)
{
    char id[41];
    pb_device_id(app, user, n, id);
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "id");
    spotify__jw_cstring(w, id);
    spotify__jw_key(w, "is_active");
    spotify__jw_bool(w, p->device == n);
    spotify__jw_key(w, "is_private_session");
    spotify__jw_bool(w, false);
    spotify__jw_key(w, "is_restricted");
    spotify__jw_bool(w, false);
    spotify__jw_key(w, "name");
    spotify__jw_cstring(w, pb_device_names[n]);
    spotify__jw_key(w, "supports_volume");
    spotify__jw_bool(w, true);
    spotify__jw_key(w, "type");
    spotify__jw_cstring(w, pb_device_types[n]);
    spotify__jw_key(w, "volume_percent");
    spotify__jw_int64(w, p->device == n ? p->volume_percent : 100);
    spotify__jw_end_object(w);
}

/* A ContextObject for the played album/playlist, or null. */
static void pb_write_context(spotify__json_writer *w, const emu_app *app, const char *context_uri)
{
    if (context_uri == NULL) {
        spotify__jw_null(w);
        return;
    }
    const char *kind = context_uri + 8;
    const char *id = strchr(kind, ':') + 1;
    int kind_len = (int)(id - 1 - kind);
    char text[256];
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "external_urls");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "spotify");
    snprintf(text, sizeof text, "https://open.spotify.com/%.*s/%s", kind_len, kind, id);
    spotify__jw_cstring(w, text);
    spotify__jw_end_object(w);
    spotify__jw_key(w, "href");
    snprintf(text, sizeof text, "%s/v1/%.*ss/%s", app->base_url, kind_len, kind, id);
    spotify__jw_cstring(w, text);
    spotify__jw_key(w, "type");
    spotify__jw_string(w, kind, (size_t)kind_len);
    spotify__jw_key(w, "uri");
    spotify__jw_cstring(w, context_uri);
    spotify__jw_end_object(w);
}

/* The actions (DisallowsObject): only pausing/resuming are ever disallowed. */
static void pb_write_actions(spotify__json_writer *w, const emu_player *p)
{
    static const char *const keys[] = {"interrupting_playback",   "seeking",
                                       "skipping_next",           "skipping_prev",
                                       "toggling_repeat_context", "toggling_repeat_track",
                                       "toggling_shuffle",        "transferring_playback"};
    spotify__jw_begin_object(w);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        spotify__jw_key(w, keys[i]);
        spotify__jw_bool(w, false);
    }
    spotify__jw_key(w, "pausing");
    spotify__jw_bool(w, !p->is_playing);
    spotify__jw_key(w, "resuming");
    spotify__jw_bool(w, p->is_playing);
    spotify__jw_end_object(w);
}

/* The members CurrentlyPlayingObject and CurrentlyPlayingContextObject
 * share: actions, context, currently_playing_type, is_playing, item,
 * progress_ms, timestamp. */
static void pb_write_playing(spotify__json_writer *w, const emu_app *app, const emu_player *p)
{
    bool loaded = p->track != EMU_NONE;
    spotify__jw_key(w, "actions");
    pb_write_actions(w, p);
    spotify__jw_key(w, "context");
    pb_write_context(w, app, p->context_uri);
    spotify__jw_key(w, "currently_playing_type");
    spotify__jw_cstring(w, loaded ? "track" : "unknown");
    spotify__jw_key(w, "is_playing");
    spotify__jw_bool(w, p->is_playing);
    spotify__jw_key(w, "item");
    if (loaded)
        spotify__jw_value(w, emu_catalog_at(app->catalog, EMU_TRACK, p->track)->full);
    else
        spotify__jw_null(w);
    spotify__jw_key(w, "progress_ms");
    if (loaded)
        spotify__jw_int64(w, p->progress_ms);
    else
        spotify__jw_null(w);
    spotify__jw_key(w, "timestamp");
    spotify__jw_int64(w, emu_state_now_unix() * 1000);
}

void emu_api_player(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    static const char *const repeat[] = {"off", "context", "track"};
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_READ_PLAYBACK_STATE), &grant))
        return;
    emu_state_lock(app->state);
    emu_player *p = &emu_state_user(app->state, grant.user)->player;
    if (p->device < 0) {
        emu_reply_no_content(reply);
    } else {
        pb_settle(app, p);
        spotify__json_writer w;
        spotify__jw_init(&w, &reply->body);
        spotify__jw_begin_object(&w);
        spotify__jw_key(&w, "device");
        pb_write_device(&w, app, grant.user, p->device, p);
        spotify__jw_key(&w, "repeat_state");
        spotify__jw_cstring(&w, repeat[p->repeat]);
        spotify__jw_key(&w, "shuffle_state");
        spotify__jw_bool(&w, p->shuffle);
        pb_write_playing(&w, app, p);
        spotify__jw_end_object(&w);
        emu_reply_json(reply, 200);
    }
    emu_state_unlock(app->state);
}

void emu_api_player_devices(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_READ_PLAYBACK_STATE), &grant))
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "devices");
    spotify__jw_begin_array(&w);
    emu_state_lock(app->state);
    const emu_player *p = &emu_state_user(app->state, grant.user)->player;
    for (int n = 0; n < PB_DEVICES; n++)
        pb_write_device(&w, app, grant.user, n, p);
    emu_state_unlock(app->state);
    spotify__jw_end_array(&w);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

void emu_api_player_current(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_READ_CURRENTLY_PLAYING), &grant))
        return;
    emu_state_lock(app->state);
    emu_player *p = &emu_state_user(app->state, grant.user)->player;
    if (p->device < 0 || p->track == EMU_NONE) {
        emu_reply_no_content(reply);
    } else {
        pb_settle(app, p);
        spotify__json_writer w;
        spotify__jw_init(&w, &reply->body);
        spotify__jw_begin_object(&w);
        pb_write_playing(&w, app, p);
        spotify__jw_end_object(&w);
        emu_reply_json(reply, 200);
    }
    emu_state_unlock(app->state);
}

static bool pb_lock_device(emu_app *app, emu_reply *reply, int device, bool activate,
                           const emu_grant *grant, emu_player **player);

/* The premium check every command makes; 403 for free users. */
static bool pb_premium(emu_app *app, emu_reply *reply, const emu_grant *grant)
{
    if (strcmp(emu_registry_user_at(app->registry, grant->user)->product, "premium") == 0)
        return true;
    emu_reply_api_error_reason(reply, 403, "Player command failed: Premium required",
                               "PREMIUM_REQUIRED");
    return false;
}

/* Transfer: premium, then `device` becomes the active one (lock held on true). */
static bool pb_begin_device(emu_app *app, emu_reply *reply, int device, emu_grant *grant,
                            emu_player **player)
{
    return pb_premium(app, reply, grant) && pb_lock_device(app, reply, device, true, grant, player);
}

/* The prologue of every command: scope, premium, then (lock taken) the
 * device: ?device_id= activates that device when `activate`, else an
 * active device is required. On true the lock is held and *player set. */
static bool pb_begin(emu_app *app, emu_request *req, emu_reply *reply, bool activate,
                     emu_grant *grant, emu_player **player)
{
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_MODIFY_PLAYBACK_STATE), grant) ||
        !pb_premium(app, reply, grant))
        return false;
    const emu_form *q = emu_request_query(req);
    const char *device_id = q == NULL ? NULL : emu_form_get(q, "device_id");
    int device = device_id == NULL ? -1 : pb_find_device(app, grant->user, device_id);
    if (device_id != NULL && device < 0) {
        emu_reply_api_error(reply, 404, "Device not found");
        return false;
    }
    return pb_lock_device(app, reply, device, activate, grant, player);
}

/* pb_begin after the device is known: `device` (or -1) becomes active when
 * `activate` or another device is; an active device is required. On true
 * the lock is held and *player set. */
static bool pb_lock_device(emu_app *app, emu_reply *reply, int device, bool activate,
                           const emu_grant *grant, emu_player **player)
{
    emu_state_lock(app->state);
    emu_player *p = &emu_state_user(app->state, grant->user)->player;
    if (device >= 0 && (activate || p->device >= 0))
        p->device = device;
    if (p->device < 0) {
        emu_state_unlock(app->state);
        emu_reply_api_error_reason(reply, 404, "Player command failed: No active device found",
                                   "NO_ACTIVE_DEVICE");
        return false;
    }
    pb_settle(app, p);
    *player = p;
    return true;
}

/* Ends a command: 204, or the restriction error when `ok` is false. */
static void pb_end(emu_app *app, emu_reply *reply, bool ok)
{
    emu_state_unlock(app->state);
    if (ok)
        emu_reply_no_content(reply);
    else
        emu_reply_api_error_reason(reply, 403, "Player command failed: Restriction violated",
                                   "UNKNOWN");
}

/* What a play request asks for, resolved to catalog tracks. */
typedef struct pb_play {
    size_t tracks[PB_MAX_URIS];
    size_t count;
    const size_t *list;  /* the context's tracks (tracks[], or an album's) */
    size_t list_count;   /* 0: resume */
    const char *context; /* NUL-terminated context URI, or NULL */
    char context_buf[64];
    int64_t position_ms;
    spotify__json offset; /* {"position":N} or {"uri":"..."}, or INVALID */
} pb_play;

/* Reads "uris" (track URIs) into play->tracks. 400 / 404 on failure. */
static bool pb_read_uris(emu_app *app, spotify__json uris, pb_play *play, emu_reply *reply)
{
    if (spotify__json_type_of(uris) != SPOTIFY__JSON_ARRAY ||
        spotify__json_count(uris) > PB_MAX_URIS) {
        emu_reply_api_error(reply, 400, "Invalid uris");
        return false;
    }
    for (spotify__json e = spotify__json_first(uris); spotify__json_valid(e);
         e = spotify__json_next(e)) {
        const char *text;
        size_t len;
        emu_uri uri;
        if (!spotify__json_get_string(e, &text, &len) || !emu_api_parse_uri(text, len, &uri) ||
            uri.kind != EMU_URI_TRACK) {
            emu_reply_api_error(reply, 400, "Invalid track uri");
            return false;
        }
        if (!emu_catalog_find(app->catalog, EMU_TRACK, uri.id, uri.id_len,
                              &play->tracks[play->count])) {
            emu_reply_api_error(reply, 404, "Non existing id");
            return false;
        }
        play->count++;
    }
    play->list = play->tracks;
    play->list_count = play->count;
    return true;
}

/* Reads "context_uri": an album of the catalog or a playlist (lock held). */
static bool pb_read_context(emu_app *app, spotify__json v, pb_play *play, emu_reply *reply)
{
    const char *text;
    size_t len;
    emu_uri uri;
    if (!spotify__json_get_string(v, &text, &len) || len >= sizeof play->context_buf ||
        !emu_api_parse_uri(text, len, &uri) ||
        (uri.kind != EMU_URI_ALBUM && uri.kind != EMU_URI_PLAYLIST)) {
        emu_reply_api_error(reply, 400, "Invalid context uri");
        return false;
    }
    memcpy(play->context_buf, text, len + 1);
    play->context = play->context_buf;
    if (uri.kind == EMU_URI_ALBUM) {
        const emu_item *album = emu_catalog_find(app->catalog, EMU_ALBUM, uri.id, uri.id_len, NULL);
        if (album != NULL) {
            play->list = album->tracks;
            play->list_count = album->track_count;
            return true;
        }
    } else {
        const emu_playlist *pl = emu_state_playlist(app->state, uri.id, uri.id_len, NULL);
        if (pl != NULL) {
            play->count = 0;
            for (size_t i = 0; i < pl->entry_count && i < PB_MAX_URIS; i++)
                play->tracks[play->count++] = pl->entries[i].track;
            play->list = play->tracks;
            play->list_count = play->count;
            return true;
        }
    }
    emu_reply_api_error(reply, 404, "Non existing id");
    return false;
}

/* Where in the list play starts, from "offset"; -1 (400 sent) if invalid. */
static long long pb_start_index(const emu_app *app, const pb_play *play, emu_reply *reply)
{
    if (!spotify__json_valid(play->offset))
        return 0;
    int64_t n;
    const char *text;
    size_t len;
    emu_uri uri;
    spotify__json pos = spotify__json_get(play->offset, "position");
    spotify__json u = spotify__json_get(play->offset, "uri");
    if (spotify__json_get_int64(pos, &n) && n >= 0 && (uint64_t)n < play->list_count)
        return n;
    if (spotify__json_get_string(u, &text, &len) && emu_api_parse_uri(text, len, &uri)) {
        for (size_t i = 0; i < play->list_count; i++)
            if (memcmp(emu_catalog_at(app->catalog, EMU_TRACK, play->list[i])->id, uri.id,
                       EMU_ID_LEN) == 0)
                return (long long)i;
    }
    emu_reply_api_error(reply, 400, "Invalid offset");
    return -1;
}

/* Parses the play body (lock held). false when a reply was sent. */
static bool pb_read_play(emu_app *app, spotify__json body, pb_play *play, emu_reply *reply)
{
    memset(play, 0, sizeof *play);
    if (!spotify__json_valid(body))
        return true;
    spotify__json uris = spotify__json_get(body, "uris");
    spotify__json context = spotify__json_get(body, "context_uri");
    spotify__json position = spotify__json_get(body, "position_ms");
    play->offset = spotify__json_get(body, "offset");
    if (spotify__json_valid(position) &&
        (!spotify__json_get_int64(position, &play->position_ms) || play->position_ms < 0)) {
        emu_reply_api_error(reply, 400, "Invalid position_ms");
        return false;
    }
    if (spotify__json_valid(uris))
        return pb_read_uris(app, uris, play, reply);
    if (spotify__json_valid(context))
        return pb_read_context(app, context, play, reply);
    return true;
}

/* The user's newest saved tracks (up to PB_MAX_URIS) as the play list
 * (lock held). */
static void pb_saved_tracks(emu_app *app, size_t user, pb_play *play)
{
    const emu_user_data *u = emu_state_user(app->state, user);
    play->count = 0;
    for (size_t i = u->library_count; i-- > 0 && play->count < PB_MAX_URIS;)
        if (u->library[i].kind == EMU_TRACK)
            play->tracks[play->count++] = u->library[i].index;
    play->list = play->tracks;
    play->list_count = play->count;
}

/* PUT /me/player/play with the body parsed. */
static void pb_play_parsed(emu_app *app, emu_request *req, emu_reply *reply, spotify__json body)
{
    emu_grant grant;
    emu_player *p;
    pb_play play;
    if (!pb_begin(app, req, reply, true, &grant, &p))
        return;
    if (!pb_read_play(app, body, &play, reply)) {
        emu_state_unlock(app->state);
        return;
    }
    if (play.list_count == 0 && p->track == EMU_NONE) /* nothing to resume */
        pb_saved_tracks(app, grant.user, &play);
    if (play.list_count == 0) { /* resume */
        bool ok = p->track != EMU_NONE;
        if (ok)
            p->is_playing = true;
        pb_end(app, reply, ok);
        return;
    }
    long long start = pb_start_index(app, &play, reply);
    if (start < 0) {
        emu_state_unlock(app->state);
        return;
    }
    bool ok = emu_player_set_context(p, play.list, play.list_count, (size_t)start, play.context);
    p->is_playing = ok;
    p->progress_ms = play.position_ms;
    if (ok)
        emu_player_record(p, p->track);
    emu_state_unlock(app->state);
    if (ok)
        emu_reply_no_content(reply);
    else
        emu_reply_api_error(reply, 500, "Out of memory");
}

void emu_api_player_play(emu_app *app, emu_request *req, emu_reply *reply)
{
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json body;
    if (arena == NULL) {
        emu_reply_api_error(reply, 500, "Out of memory");
        return;
    }
    emu_grant grant;
    /* authenticate first, so a bad token wins over a bad body */
    if (emu_api_require_user(app, req, reply, EMU_SCOPE(USER_MODIFY_PLAYBACK_STATE), &grant) &&
        emu_api_json_body(req, reply, arena, false, &body))
        pb_play_parsed(app, req, reply, body);
    spotify__arena_free(arena);
}

void emu_api_player_pause(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_player *p;
    if (!pb_begin(app, req, reply, false, &grant, &p))
        return;
    bool ok = p->is_playing;
    p->is_playing = false;
    pb_end(app, reply, ok);
}

void emu_api_player_next(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_player *p;
    if (!pb_begin(app, req, reply, false, &grant, &p))
        return;
    size_t queued = emu_player_dequeue(p);
    bool ok = queued != EMU_NONE || p->context_count > 0;
    if (queued != EMU_NONE) {
        p->track = queued;
    } else if (ok) {
        p->position = (p->position + 1) % p->context_count;
        p->track = p->context[p->position];
    }
    if (ok) {
        p->progress_ms = 0;
        p->is_playing = true;
        emu_player_record(p, p->track);
    }
    pb_end(app, reply, ok);
}

void emu_api_player_previous(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_player *p;
    if (!pb_begin(app, req, reply, false, &grant, &p))
        return;
    bool ok = p->track != EMU_NONE;
    if (ok && p->progress_ms <= 3000 && p->context_count > 0 && p->position > 0) {
        p->position--;
        p->track = p->context[p->position];
        emu_player_record(p, p->track);
    }
    if (ok) {
        p->progress_ms = 0;
        p->is_playing = true;
    }
    pb_end(app, reply, ok);
}

/* A command with an integer query argument `key` in [0, max]: the scope,
 * then the argument (400 `message` otherwise), then pb_begin. */
static bool pb_begin_int(emu_app *app, emu_request *req, emu_reply *reply, const char *key,
                         long long max, const char *message, emu_grant *grant, emu_player **player,
                         long long *value)
{
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_MODIFY_PLAYBACK_STATE), grant))
        return false;
    if (!emu_api_query_int(req, key, 0, max, value)) {
        emu_reply_api_error(reply, 400, message);
        return false;
    }
    return pb_begin(app, req, reply, false, grant, player);
}

void emu_api_player_volume(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_player *p;
    long long volume;
    if (!pb_begin_int(app, req, reply, "volume_percent", 100,
                      "Invalid volume_percent: must be an integer 0-100", &grant, &p, &volume))
        return;
    p->volume_percent = (int)volume;
    pb_end(app, reply, true);
}

void emu_api_player_queue(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    uint32_t scopes = EMU_SCOPE(USER_READ_CURRENTLY_PLAYING) | EMU_SCOPE(USER_READ_PLAYBACK_STATE);
    if (!emu_api_require_any(app, req, reply, scopes, &grant))
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    emu_state_lock(app->state);
    const emu_player *p = &emu_state_user(app->state, grant.user)->player;
    spotify__jw_key(&w, "currently_playing");
    if (p->track != EMU_NONE)
        spotify__jw_value(&w, emu_catalog_at(app->catalog, EMU_TRACK, p->track)->full);
    else
        spotify__jw_null(&w);
    spotify__jw_key(&w, "queue");
    spotify__jw_begin_array(&w);
    size_t shown = 0;
    for (size_t i = 0; i < p->queue_count && shown < PB_QUEUE_SHOWN; i++, shown++)
        spotify__jw_value(&w, emu_catalog_at(app->catalog, EMU_TRACK, p->queue[i])->full);
    for (size_t i = p->position + 1; i < p->context_count && shown < PB_QUEUE_SHOWN; i++, shown++)
        spotify__jw_value(&w, emu_catalog_at(app->catalog, EMU_TRACK, p->context[i])->full);
    emu_state_unlock(app->state);
    spotify__jw_end_array(&w);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

void emu_api_player_enqueue(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_player *p;
    emu_uri uri;
    size_t track;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_MODIFY_PLAYBACK_STATE), &grant))
        return;
    const emu_form *q = emu_request_query(req);
    const char *text = q == NULL ? NULL : emu_form_get(q, "uri");
    if (text == NULL || !emu_api_parse_uri(text, strlen(text), &uri) || uri.kind != EMU_URI_TRACK) {
        emu_reply_api_error(reply, 400, "Invalid track uri");
        return;
    }
    if (emu_catalog_find(app->catalog, EMU_TRACK, uri.id, uri.id_len, &track) == NULL) {
        emu_reply_api_error(reply, 404, "Non existing id");
        return;
    }
    if (!pb_begin(app, req, reply, false, &grant, &p))
        return;
    bool ok = emu_player_enqueue(p, track);
    emu_state_unlock(app->state);
    if (ok)
        emu_reply_no_content(reply);
    else
        emu_reply_api_error(reply, 500, "Out of memory");
}

/* PUT /me/player: {"device_ids":[ID], "play":bool} moves playback to that
 * device (exactly one id; unknown: 404), playing when "play" is true. */
void emu_api_player_transfer(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_player *p;
    spotify__json body;
    spotify__arena *arena = spotify__arena_new(0);
    if (arena == NULL) {
        emu_reply_api_error(reply, 500, "Out of memory");
        return;
    }
    char id[48] = "";
    bool play = false;
    if (emu_api_require_user(app, req, reply, EMU_SCOPE(USER_MODIFY_PLAYBACK_STATE), &grant) &&
        emu_api_json_body(req, reply, arena, true, &body)) {
        spotify__json ids = spotify__json_get(body, "device_ids");
        spotify__json first = spotify__json_first(ids);
        const char *text;
        size_t len;
        spotify__json v = spotify__json_get(body, "play");
        if (spotify__json_type_of(ids) != SPOTIFY__JSON_ARRAY || spotify__json_count(ids) != 1 ||
            !spotify__json_get_string(first, &text, &len) || len >= sizeof id ||
            (spotify__json_valid(v) && !spotify__json_get_bool(v, &play)))
            emu_reply_api_error(reply, 400, "Invalid device_ids: exactly one device id");
        else
            memcpy(id, text, len + 1);
    }
    spotify__arena_free(arena);
    if (id[0] == '\0')
        return;
    int device = pb_find_device(app, grant.user, id);
    if (device < 0) {
        emu_reply_api_error(reply, 404, "Device not found");
        return;
    }
    if (!pb_begin_device(app, reply, device, &grant, &p))
        return;
    if (play && p->track != EMU_NONE)
        p->is_playing = true;
    pb_end(app, reply, true);
}

/* PUT /me/player/seek?position_ms=N (N >= 0; past the end: the end). */
void emu_api_player_seek(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_player *p;
    long long position;
    if (!pb_begin_int(app, req, reply, "position_ms", INT64_MAX,
                      "Invalid position_ms: must be a non-negative integer", &grant, &p, &position))
        return;
    bool ok = p->track != EMU_NONE;
    if (ok) {
        int64_t duration = pb_duration(app, p->track);
        p->progress_ms = position < duration ? position : duration;
    }
    pb_end(app, reply, ok);
}

/* PUT /me/player/repeat?state=track|context|off. */
void emu_api_player_repeat(emu_app *app, emu_request *req, emu_reply *reply)
{
    static const char *const states[] = {"off", "context", "track"};
    emu_grant grant;
    emu_player *p;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_MODIFY_PLAYBACK_STATE), &grant))
        return;
    const char *state = emu_form_get(emu_request_query(req), "state");
    int repeat = -1;
    for (int i = 0; i < 3 && state != NULL; i++)
        if (strcmp(state, states[i]) == 0)
            repeat = i;
    if (repeat < 0) {
        emu_reply_api_error(reply, 400, "Invalid state: must be track, context or off");
        return;
    }
    if (!pb_begin(app, req, reply, false, &grant, &p))
        return;
    p->repeat = repeat;
    pb_end(app, reply, true);
}

/* PUT /me/player/shuffle?state=true|false. */
void emu_api_player_shuffle(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_player *p;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_MODIFY_PLAYBACK_STATE), &grant))
        return;
    const char *state = emu_form_get(emu_request_query(req), "state");
    if (state == NULL || (strcmp(state, "true") != 0 && strcmp(state, "false") != 0)) {
        emu_reply_api_error(reply, 400, "Invalid state: must be true or false");
        return;
    }
    if (!pb_begin(app, req, reply, false, &grant, &p))
        return;
    p->shuffle = strcmp(state, "true") == 0;
    pb_end(app, reply, true);
}

/* A link to recently-played with `cursor`=value and limit. */
static void pb_history_link(spotify__json_writer *w, const emu_app *app, const char *cursor,
                            int64_t value, long long limit)
{
    char link[256];
    if (cursor != NULL)
        snprintf(link, sizeof link, "%s/v1/me/player/recently-played?%s=%" PRId64 "&limit=%lld",
                 app->base_url, cursor, value, limit);
    else
        snprintf(link, sizeof link, "%s/v1/me/player/recently-played?limit=%lld", app->base_url,
                 limit);
    spotify__jw_cstring(w, link);
}

/* One PlayHistoryObject. */
static void pb_write_played(spotify__json_writer *w, const emu_app *app, const emu_played *h)
{
    spotify__jw_begin_object(w);
    if (h->context_uri[0] != '\0') {
        spotify__jw_key(w, "context");
        pb_write_context(w, app, h->context_uri);
    }
    spotify__jw_key(w, "played_at");
    char text[40];
    time_t t = (time_t)(h->played_at_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(text + n, sizeof text - n, ".%03dZ", (int)(h->played_at_ms % 1000));
    spotify__jw_cstring(w, text);
    spotify__jw_key(w, "track");
    spotify__jw_value(w, emu_catalog_at(app->catalog, EMU_TRACK, h->track)->full);
    spotify__jw_end_object(w);
}

/* GET /me/player/recently-played (user-read-recently-played): cursor
 * paging, newest first; `after` / `before` are Unix milliseconds (not
 * both); `next` pages back in time with before=. */
void emu_api_player_recent(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    long long limit = 20, after = -1, before = -1;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_READ_RECENTLY_PLAYED), &grant))
        return;
    if (!emu_api_cursor_limit(req, reply, &limit))
        return;
    const emu_form *q = emu_request_query(req);
    if ((emu_form_get(q, "after") != NULL &&
         !emu_api_query_int(req, "after", 0, INT64_MAX, &after)) ||
        (emu_form_get(q, "before") != NULL &&
         !emu_api_query_int(req, "before", 0, INT64_MAX, &before)) ||
        (after >= 0 && before >= 0)) {
        emu_reply_api_error(reply, 400, "Invalid cursor: one of after or before, in ms");
        return;
    }
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "href");
    pb_history_link(&w, app,
                    after >= 0    ? "after"
                    : before >= 0 ? "before"
                                  : NULL,
                    after >= 0 ? after : before, limit);
    spotify__jw_key(&w, "items");
    spotify__jw_begin_array(&w);
    emu_state_lock(app->state);
    const emu_player *p = &emu_state_user(app->state, grant.user)->player;
    size_t written = 0, total = 0;
    int64_t newest = -1, oldest = -1;
    bool more = false;
    for (size_t k = 0; k < p->history_count; k++) { /* newest first */
        const emu_played *h =
            &p->history[(p->history_next + EMU_HISTORY_MAX - 1 - k) % EMU_HISTORY_MAX];
        if ((after >= 0 && h->played_at_ms <= after) || (before >= 0 && h->played_at_ms >= before))
            continue;
        total++;
        if (written == (size_t)limit) {
            more = true;
            continue;
        }
        pb_write_played(&w, app, h);
        if (newest < 0)
            newest = h->played_at_ms;
        oldest = h->played_at_ms;
        written++;
    }
    emu_state_unlock(app->state);
    spotify__jw_end_array(&w);
    spotify__jw_key(&w, "limit");
    spotify__jw_int64(&w, limit);
    if (more) { /* the specification's "next" is a string: left out on the last page */
        spotify__jw_key(&w, "next");
        pb_history_link(&w, app, "before", oldest, limit);
    }
    spotify__jw_key(&w, "cursors");
    spotify__jw_begin_object(&w);
    if (written > 0) {
        char text[32];
        snprintf(text, sizeof text, "%" PRId64, newest);
        spotify__jw_key(&w, "after");
        spotify__jw_cstring(&w, text);
        snprintf(text, sizeof text, "%" PRId64, oldest);
        spotify__jw_key(&w, "before");
        spotify__jw_cstring(&w, text);
    }
    spotify__jw_end_object(&w);
    spotify__jw_key(&w, "total");
    spotify__jw_uint64(&w, total);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}
