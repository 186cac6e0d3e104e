/* SPDX-License-Identifier: Apache-2.0 */
/*
 * routes.c - the route table and the segment-by-segment matcher.
 */
#include "routes.h"

#include <string.h>

#include "accounts.h"
#include "api.h"
#include "control.h"
#include "core/alloc.h"
#include "core/urlencode.h"

#define CONTROL_PREFIX "/__emulator/"

const emu_route emu_routes[] = {
    /* accounts.spotify.com */
    {"GET", "/authorize", emu_accounts_authorize, EMU_ROUTE_ACCOUNTS},
    {"POST", "/authorize/decision", emu_accounts_decision, EMU_ROUTE_ACCOUNTS},
    {"POST", "/api/token", emu_accounts_token, EMU_ROUTE_ACCOUNTS},
    /* api.spotify.com/v1 */
    {"GET", "/v1/me", emu_api_me, EMU_ROUTE_API},
    {"GET", "/v1/albums/{id}", emu_api_album, EMU_ROUTE_API},
    {"GET", "/v1/albums/{id}/tracks", emu_api_album_tracks, EMU_ROUTE_API},
    {"GET", "/v1/artists/{id}", emu_api_artist, EMU_ROUTE_API},
    {"GET", "/v1/tracks/{id}", emu_api_track, EMU_ROUTE_API},
    {"GET", "/v1/search", emu_api_search, EMU_ROUTE_API},
    {"GET", "/v1/me/tracks", emu_api_saved_tracks, EMU_ROUTE_API},
    {"GET", "/v1/me/albums", emu_api_saved_albums, EMU_ROUTE_API},
    {"PUT", "/v1/me/library", emu_api_library_save, EMU_ROUTE_API},
    {"DELETE", "/v1/me/library", emu_api_library_remove, EMU_ROUTE_API},
    {"GET", "/v1/me/library/contains", emu_api_library_contains, EMU_ROUTE_API},
    {"GET", "/v1/me/following", emu_api_following, EMU_ROUTE_API},
    {"GET", "/v1/me/playlists", emu_api_my_playlists, EMU_ROUTE_API},
    {"POST", "/v1/me/playlists", emu_api_create_playlist, EMU_ROUTE_API},
    {"GET", "/v1/playlists/{id}", emu_api_playlist, EMU_ROUTE_API},
    {"PUT", "/v1/playlists/{id}", emu_api_playlist_change, EMU_ROUTE_API},
    {"GET", "/v1/playlists/{id}/items", emu_api_playlist_items, EMU_ROUTE_API},
    {"POST", "/v1/playlists/{id}/items", emu_api_playlist_add, EMU_ROUTE_API},
    {"PUT", "/v1/playlists/{id}/items", emu_api_playlist_update, EMU_ROUTE_API},
    {"DELETE", "/v1/playlists/{id}/items", emu_api_playlist_remove, EMU_ROUTE_API},
    {"GET", "/v1/me/player", emu_api_player, EMU_ROUTE_API},
    {"GET", "/v1/me/player/devices", emu_api_player_devices, EMU_ROUTE_API},
    {"GET", "/v1/me/player/currently-playing", emu_api_player_current, EMU_ROUTE_API},
    {"PUT", "/v1/me/player/play", emu_api_player_play, EMU_ROUTE_API},
    {"PUT", "/v1/me/player/pause", emu_api_player_pause, EMU_ROUTE_API},
    {"POST", "/v1/me/player/next", emu_api_player_next, EMU_ROUTE_API},
    {"POST", "/v1/me/player/previous", emu_api_player_previous, EMU_ROUTE_API},
    {"PUT", "/v1/me/player/volume", emu_api_player_volume, EMU_ROUTE_API},
    {"GET", "/v1/me/player/queue", emu_api_player_queue, EMU_ROUTE_API},
    {"POST", "/v1/me/player/queue", emu_api_player_enqueue, EMU_ROUTE_API},
    /* the rest of the specification, deprecated operations included */
    {"GET", "/v1/albums", emu_api_several_albums, EMU_ROUTE_API},
    {"GET", "/v1/artists", emu_api_several_artists, EMU_ROUTE_API},
    {"GET", "/v1/artists/{id}/albums", emu_api_artist_albums, EMU_ROUTE_API},
    {"GET", "/v1/artists/{id}/top-tracks", emu_api_artist_top_tracks, EMU_ROUTE_API},
    {"GET", "/v1/artists/{id}/related-artists", emu_api_artist_related, EMU_ROUTE_API},
    {"GET", "/v1/tracks", emu_api_several_tracks, EMU_ROUTE_API},
    {"GET", "/v1/shows/{id}", emu_api_show, EMU_ROUTE_API},
    {"GET", "/v1/shows", emu_api_several_shows, EMU_ROUTE_API},
    {"GET", "/v1/shows/{id}/episodes", emu_api_show_episodes, EMU_ROUTE_API},
    {"GET", "/v1/episodes/{id}", emu_api_episode, EMU_ROUTE_API},
    {"GET", "/v1/episodes", emu_api_several_episodes, EMU_ROUTE_API},
    {"GET", "/v1/audiobooks/{id}", emu_api_audiobook, EMU_ROUTE_API},
    {"GET", "/v1/audiobooks", emu_api_several_audiobooks, EMU_ROUTE_API},
    {"GET", "/v1/audiobooks/{id}/chapters", emu_api_audiobook_chapters, EMU_ROUTE_API},
    {"GET", "/v1/chapters/{id}", emu_api_chapter, EMU_ROUTE_API},
    {"GET", "/v1/chapters", emu_api_several_chapters, EMU_ROUTE_API},
    {"PUT", "/v1/me/tracks", emu_api_tracks_save, EMU_ROUTE_API},
    {"DELETE", "/v1/me/tracks", emu_api_tracks_remove, EMU_ROUTE_API},
    {"GET", "/v1/me/tracks/contains", emu_api_tracks_contains, EMU_ROUTE_API},
    {"PUT", "/v1/me/albums", emu_api_albums_save, EMU_ROUTE_API},
    {"DELETE", "/v1/me/albums", emu_api_albums_remove, EMU_ROUTE_API},
    {"GET", "/v1/me/albums/contains", emu_api_albums_contains, EMU_ROUTE_API},
    {"GET", "/v1/me/shows", emu_api_saved_shows, EMU_ROUTE_API},
    {"PUT", "/v1/me/shows", emu_api_shows_save, EMU_ROUTE_API},
    {"DELETE", "/v1/me/shows", emu_api_shows_remove, EMU_ROUTE_API},
    {"GET", "/v1/me/shows/contains", emu_api_shows_contains, EMU_ROUTE_API},
    {"GET", "/v1/me/episodes", emu_api_saved_episodes, EMU_ROUTE_API},
    {"PUT", "/v1/me/episodes", emu_api_episodes_save, EMU_ROUTE_API},
    {"DELETE", "/v1/me/episodes", emu_api_episodes_remove, EMU_ROUTE_API},
    {"GET", "/v1/me/episodes/contains", emu_api_episodes_contains, EMU_ROUTE_API},
    {"GET", "/v1/me/audiobooks", emu_api_saved_audiobooks, EMU_ROUTE_API},
    {"PUT", "/v1/me/audiobooks", emu_api_audiobooks_save, EMU_ROUTE_API},
    {"DELETE", "/v1/me/audiobooks", emu_api_audiobooks_remove, EMU_ROUTE_API},
    {"GET", "/v1/me/audiobooks/contains", emu_api_audiobooks_contains, EMU_ROUTE_API},
    {"PUT", "/v1/me/following", emu_api_follow, EMU_ROUTE_API},
    {"DELETE", "/v1/me/following", emu_api_unfollow, EMU_ROUTE_API},
    {"GET", "/v1/me/following/contains", emu_api_follows_contains, EMU_ROUTE_API},
    {"GET", "/v1/me/top/artists", emu_api_top_artists, EMU_ROUTE_API},
    {"GET", "/v1/me/top/tracks", emu_api_top_tracks, EMU_ROUTE_API},
    {"GET", "/v1/users/{user_id}", emu_api_user, EMU_ROUTE_API},
    {"GET", "/v1/users/{user_id}/playlists", emu_api_user_playlists, EMU_ROUTE_API},
    {"POST", "/v1/users/{user_id}/playlists", emu_api_create_playlist, EMU_ROUTE_API},
    {"GET", "/v1/playlists/{id}/tracks", emu_api_playlist_tracks, EMU_ROUTE_API},
    {"POST", "/v1/playlists/{id}/tracks", emu_api_playlist_add, EMU_ROUTE_API},
    {"PUT", "/v1/playlists/{id}/tracks", emu_api_playlist_update, EMU_ROUTE_API},
    {"DELETE", "/v1/playlists/{id}/tracks", emu_api_playlist_remove, EMU_ROUTE_API},
    {"GET", "/v1/playlists/{id}/images", emu_api_playlist_images, EMU_ROUTE_API},
    {"PUT", "/v1/playlists/{id}/images", emu_api_playlist_upload_cover, EMU_ROUTE_API},
    {"PUT", "/v1/playlists/{id}/followers", emu_api_playlist_follow, EMU_ROUTE_API},
    {"DELETE", "/v1/playlists/{id}/followers", emu_api_playlist_unfollow, EMU_ROUTE_API},
    {"GET", "/v1/playlists/{id}/followers/contains", emu_api_playlist_followers_contains,
     EMU_ROUTE_API},
    {"GET", "/v1/browse/featured-playlists", emu_api_featured_playlists, EMU_ROUTE_API},
    {"GET", "/v1/browse/categories", emu_api_categories, EMU_ROUTE_API},
    {"GET", "/v1/browse/categories/{category_id}", emu_api_category, EMU_ROUTE_API},
    {"GET", "/v1/browse/categories/{category_id}/playlists", emu_api_category_playlists,
     EMU_ROUTE_API},
    {"GET", "/v1/browse/new-releases", emu_api_new_releases, EMU_ROUTE_API},
    {"GET", "/v1/markets", emu_api_markets, EMU_ROUTE_API},
    {"GET", "/v1/recommendations", emu_api_recommendations, EMU_ROUTE_API},
    {"GET", "/v1/recommendations/available-genre-seeds", emu_api_genre_seeds, EMU_ROUTE_API},
    {"GET", "/v1/audio-features", emu_api_several_audio_features, EMU_ROUTE_API},
    {"GET", "/v1/audio-features/{id}", emu_api_audio_features, EMU_ROUTE_API},
    {"GET", "/v1/audio-analysis/{id}", emu_api_audio_analysis, EMU_ROUTE_API},
    {"PUT", "/v1/me/player", emu_api_player_transfer, EMU_ROUTE_API},
    {"PUT", "/v1/me/player/seek", emu_api_player_seek, EMU_ROUTE_API},
    {"PUT", "/v1/me/player/repeat", emu_api_player_repeat, EMU_ROUTE_API},
    {"PUT", "/v1/me/player/shuffle", emu_api_player_shuffle, EMU_ROUTE_API},
    {"GET", "/v1/me/player/recently-played", emu_api_player_recent, EMU_ROUTE_API},
    /* control API */
    {"GET", "/__emulator/health", emu_control_health, EMU_ROUTE_CONTROL},
    {"GET", "/__emulator/counters", emu_control_counters, EMU_ROUTE_CONTROL},
    {"GET", "/__emulator/log", emu_control_log, EMU_ROUTE_CONTROL},
    {"GET", "/__emulator/config", emu_control_get_config, EMU_ROUTE_CONTROL},
    {"POST", "/__emulator/config", emu_control_set_config, EMU_ROUTE_CONTROL},
    {"GET", "/__emulator/faults", emu_control_get_faults, EMU_ROUTE_CONTROL},
    {"POST", "/__emulator/faults", emu_control_add_fault, EMU_ROUTE_CONTROL},
    {"DELETE", "/__emulator/faults", emu_control_clear_faults, EMU_ROUTE_CONTROL},
    {"POST", "/__emulator/reset", emu_control_reset, EMU_ROUTE_CONTROL},
    {"POST", "/__emulator/tokens", emu_control_tokens, EMU_ROUTE_CONTROL},
    {"POST", "/__emulator/expire-tokens", emu_control_expire_tokens, EMU_ROUTE_CONTROL},
    {"POST", "/__emulator/expire-codes", emu_control_expire_codes, EMU_ROUTE_CONTROL},
    {"GET", "/__emulator/catalog/{type}", emu_control_catalog, EMU_ROUTE_CONTROL},
    {"POST", "/__emulator/seed-playlist", emu_control_seed_playlist, EMU_ROUTE_CONTROL},
};

const size_t emu_route_count = sizeof emu_routes / sizeof emu_routes[0];

/* A path segment (no slashes), as a slice. */
typedef struct slice {
    const char *s;
    size_t len;
} slice;

/* Matches `pattern` against the path; collects {param} slices into params. */
static bool path_matches(const char *pattern, const char *path, size_t len, slice *params,
                         size_t *param_count)
{
    const char *p = pattern;
    size_t i = 0;
    *param_count = 0;
    while (*p != '\0') {
        if (*p != '/' || i >= len || path[i] != '/')
            return false;
        p++;
        i++;
        size_t plen = strcspn(p, "/");
        size_t start = i;
        while (i < len && path[i] != '/')
            i++;
        size_t slen = i - start;
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (slen == 0 || *param_count == EMU_MAX_PARAMS)
                return false;
            params[(*param_count)++] = (slice){path + start, slen};
        } else if (plen != slen || memcmp(p, path + start, slen) != 0) {
            return false;
        }
        p += plen;
    }
    return i == len;
}

/* Copies the matched parameters into req, percent-decoded (raw if the
 * escape is malformed: the handler's validation rejects it then). */
static bool store_params(emu_request *req, const slice *params, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
        if (!spotify__url_decode(&sb, params[i].s, params[i].len, false)) {
            spotify__strbuf_reset(&sb);
            spotify__strbuf_append(&sb, params[i].s, params[i].len);
        }
        char *value = spotify__strbuf_detach(&sb, NULL);
        if (value == NULL)
            return false;
        req->params[req->param_count++] = value;
    }
    return true;
}

emu_match emu_route_match(const char *method, const char *path, size_t len, const emu_route **route,
                          emu_request *req)
{
    const char *wanted = strcmp(method, "HEAD") == 0 ? "GET" : method;
    emu_match result = EMU_MATCH_NONE;
    slice params[EMU_MAX_PARAMS];
    size_t count;
    for (size_t r = 0; r < emu_route_count; r++) {
        if (!path_matches(emu_routes[r].pattern, path, len, params, &count))
            continue;
        if (strcmp(emu_routes[r].method, wanted) != 0) {
            if (result == EMU_MATCH_NONE)
                *route = &emu_routes[r];
            result = EMU_MATCH_METHOD;
            continue;
        }
        *route = &emu_routes[r];
        if (!store_params(req, params, count))
            emu_request_release(req);
        return EMU_MATCH_OK;
    }
    return result;
}

const emu_route *emu_route_by_pattern(const char *pattern)
{
    for (size_t r = 0; r < emu_route_count; r++)
        if (strcmp(emu_routes[r].pattern, pattern) == 0)
            return &emu_routes[r];
    return NULL;
}

int emu_route_index(const emu_route *route)
{
    return (int)(route - emu_routes);
}

bool emu_path_is_control(const char *path, size_t len)
{
    size_t n = sizeof CONTROL_PREFIX - 1;
    return (len >= n && memcmp(path, CONTROL_PREFIX, n) == 0) ||
           (len == n - 1 && memcmp(path, CONTROL_PREFIX, n - 1) == 0);
}
