/* SPDX-License-Identifier: Apache-2.0 */
/*
 * control.c - the control API: switches, faults, counters, log, reset and
 * test conveniences (direct token issue, forced expiry).
 */
#include "control.h"

#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "core/arena.h"
#include "json/json.h"
#include "json/json_write.h"
#include "oauth.h"
#include "routes.h"

#define FAULT_COUNT_MAX 1000000
#define RETRY_AFTER_MAX 86400

/* {"error":"message"} with status 400. */
static void control_error(emu_reply *reply, const char *message)
{
    spotify__strbuf_reset(&reply->body);
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "error");
    spotify__jw_cstring(&w, message);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 400);
}

static void ok_status(emu_reply *reply)
{
    static const char body[] = "{\"status\":\"ok\"}";
    emu_reply_json_static(reply, 200, body, sizeof body - 1);
}

/* Parses the body as a JSON object (an empty body reads as {}). */
static bool parse_object(const emu_request *req, spotify__arena *arena, spotify__json *root,
                         emu_reply *reply)
{
    const char *text = req->body_len == 0 ? "{}" : req->body;
    size_t len = req->body_len == 0 ? 2 : req->body_len;
    spotify_error err = {0};
    if (arena == NULL || spotify__json_parse(root, arena, text, len, len, &err) != SPOTIFY_OK ||
        spotify__json_type_of(*root) != SPOTIFY__JSON_OBJECT) {
        control_error(reply, "the body must be a JSON object");
        return false;
    }
    return true;
}

/* True when every key of `obj` is in `allowed` (NULL-terminated). */
static bool known_keys(spotify__json obj, const char *const *allowed, emu_reply *reply)
{
    for (spotify__json m = spotify__json_first(obj); spotify__json_valid(m);
         m = spotify__json_next(m)) {
        const char *key;
        size_t len;
        spotify__json_key(m, &key, &len);
        bool known = false;
        for (size_t i = 0; allowed[i] != NULL && !known; i++)
            known = strlen(allowed[i]) == len && memcmp(allowed[i], key, len) == 0;
        if (!known) {
            char message[160];
            snprintf(message, sizeof message, "unknown key \"%.*s\"", len > 64 ? 64 : (int)len,
                     key);
            control_error(reply, message);
            return false;
        }
    }
    return true;
}

/* Reads optional integer `key` in [min, max] into *out. */
static bool opt_int(spotify__json obj, const char *key, int64_t min, int64_t max, int64_t *out,
                    emu_reply *reply)
{
    spotify__json v = spotify__json_get(obj, key);
    if (!spotify__json_valid(v))
        return true;
    int64_t n;
    if (!spotify__json_get_int64(v, &n) || n < min || n > max) {
        char message[160];
        snprintf(message, sizeof message, "\"%s\" must be an integer from %lld to %lld", key,
                 (long long)min, (long long)max);
        control_error(reply, message);
        return false;
    }
    *out = n;
    return true;
}

/* Reads optional boolean `key` into *out. */
static bool opt_bool(spotify__json obj, const char *key, bool *out, emu_reply *reply)
{
    spotify__json v = spotify__json_get(obj, key);
    if (spotify__json_valid(v) && !spotify__json_get_bool(v, out)) {
        char message[128];
        snprintf(message, sizeof message, "\"%s\" must be true or false", key);
        control_error(reply, message);
        return false;
    }
    return true;
}

/* Reads optional string `key` of at most `max_chars` characters (0: no
 * limit) and without NUL; *out stays as it is when absent. */
static bool opt_string(spotify__json obj, const char *key, size_t max_chars, const char **out,
                       emu_reply *reply)
{
    emu_text_status st = emu_json_text(obj, key, max_chars, out);
    if (st == EMU_TEXT_OK || st == EMU_TEXT_ABSENT)
        return true;
    char what[80], message[160];
    snprintf(what, sizeof what, "\"%.64s\"", key);
    emu_text_problem(st, what, max_chars, message, sizeof message);
    control_error(reply, message);
    return false;
}

void emu_control_health(emu_app *app, emu_request *req, emu_reply *reply)
{
    (void)app;
    (void)req;
    ok_status(reply);
}

/* The rate limiter's member of the counters. */
static void write_rate_limit(spotify__json_writer *w, void *user)
{
    emu_app *app = user;
    emu_settings_values v = emu_settings_load(&app->settings);
    emu_ratelimit_write(app->ratelimit, app->registry, v.rate_limit, v.rate_window_s,
                        emu_ratelimit_now_ms(), w);
}

void emu_control_counters(emu_app *app, emu_request *req, emu_reply *reply)
{
    (void)req;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    emu_stats_write_counters(app->stats, &w, write_rate_limit, app);
    emu_reply_json(reply, 200);
}

void emu_control_log(emu_app *app, emu_request *req, emu_reply *reply)
{
    (void)req;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    emu_stats_write_log(app->stats, &w);
    emu_reply_json(reply, 200);
}

void emu_control_get_config(emu_app *app, emu_request *req, emu_reply *reply)
{
    (void)req;
    emu_settings_values v = emu_settings_load(&app->settings);
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "token_lifetime");
    spotify__jw_int64(&w, v.token_lifetime_s);
    spotify__jw_key(&w, "latency_ms");
    spotify__jw_int64(&w, v.latency_ms);
    spotify__jw_key(&w, "rotate_refresh_tokens");
    spotify__jw_bool(&w, v.rotate_refresh_tokens);
    spotify__jw_key(&w, "auto_approve");
    spotify__jw_bool(&w, v.auto_approve);
    spotify__jw_key(&w, "strict_redirects");
    spotify__jw_bool(&w, v.strict_redirects);
    spotify__jw_key(&w, "rate_limit");
    spotify__jw_int64(&w, v.rate_limit);
    spotify__jw_key(&w, "rate_limit_window");
    spotify__jw_int64(&w, v.rate_window_s);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

void emu_control_set_config(emu_app *app, emu_request *req, emu_reply *reply)
{
    static const char *const keys[] = {
        "token_lifetime",   "latency_ms", "rotate_refresh_tokens", "auto_approve",
        "strict_redirects", "rate_limit", "rate_limit_window",     NULL};
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root = {NULL, 0};
    emu_settings_values v = emu_settings_load(&app->settings);
    int64_t lifetime = v.token_lifetime_s, latency = v.latency_ms, rate = v.rate_limit,
            window = v.rate_window_s;
    bool ok = parse_object(req, arena, &root, reply) && known_keys(root, keys, reply) &&
              opt_int(root, "token_lifetime", EMU_TOKEN_LIFETIME_MIN, EMU_TOKEN_LIFETIME_MAX,
                      &lifetime, reply) &&
              opt_int(root, "latency_ms", 0, EMU_LATENCY_MAX_MS, &latency, reply) &&
              opt_bool(root, "rotate_refresh_tokens", &v.rotate_refresh_tokens, reply) &&
              opt_bool(root, "auto_approve", &v.auto_approve, reply) &&
              opt_bool(root, "strict_redirects", &v.strict_redirects, reply) &&
              opt_int(root, "rate_limit", 0, EMU_RATE_LIMIT_MAX, &rate, reply) &&
              opt_int(root, "rate_limit_window", 1, EMU_RATE_WINDOW_MAX_S, &window, reply);
    spotify__arena_free(arena);
    if (!ok)
        return;
    v.token_lifetime_s = (int)lifetime;
    v.latency_ms = (int)latency;
    v.rate_limit = (int)rate;
    v.rate_window_s = (int)window;
    emu_settings_store(&app->settings, &v);
    emu_control_get_config(app, req, reply);
}

void emu_control_get_faults(emu_app *app, emu_request *req, emu_reply *reply)
{
    (void)req;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    emu_faults_write(app->faults, &w);
    emu_reply_json(reply, 200);
}

/* Checks the route and method of a fault spec. */
static bool fault_target(emu_fault *f, const char *route, const char *method, emu_reply *reply)
{
    const emu_route *r = route == NULL ? NULL : emu_route_by_pattern(route);
    bool any = route != NULL && strcmp(route, "*") == 0;
    if (!any && (r == NULL || r->kind == EMU_ROUTE_CONTROL)) {
        control_error(reply, "\"route\" must be \"*\" or a route pattern such as "
                             "\"/v1/albums/{id}\" or \"/api/token\" (see GET /__emulator/log)");
        return false;
    }
    if (method != NULL && (strlen(method) == 0 || strlen(method) >= sizeof f->method)) {
        control_error(reply, "\"method\" must be an HTTP method such as \"GET\"");
        return false;
    }
    snprintf(f->route, sizeof f->route, "%s", route);
    snprintf(f->method, sizeof f->method, "%s", method == NULL ? "" : method);
    return true;
}

/* Reads a fault spec: route, method, status | drop, count, retry_after. */
static bool read_fault(spotify__json root, emu_fault *f, emu_reply *reply)
{
    static const char *const keys[] = {"route", "method",      "status", "drop",
                                       "count", "retry_after", NULL};
    const char *route = NULL, *method = NULL;
    int64_t status = 0, count = 1, retry_after = -1;
    memset(f, 0, sizeof *f);
    if (!known_keys(root, keys, reply) || !opt_string(root, "route", 0, &route, reply) ||
        !opt_string(root, "method", 0, &method, reply) || !fault_target(f, route, method, reply) ||
        !opt_bool(root, "drop", &f->drop, reply) ||
        !opt_int(root, "status", 400, 599, &status, reply) ||
        !opt_int(root, "count", 1, FAULT_COUNT_MAX, &count, reply) ||
        !opt_int(root, "retry_after", 0, RETRY_AFTER_MAX, &retry_after, reply))
        return false;
    if (f->drop == (status != 0)) {
        control_error(reply, "give either \"status\" (400-599) or \"drop\": true");
        return false;
    }
    f->status = (int)status;
    f->count = (int)count;
    f->retry_after = status == 429 && retry_after < 0 ? 1 : (int)retry_after;
    return true;
}

void emu_control_add_fault(emu_app *app, emu_request *req, emu_reply *reply)
{
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root = {NULL, 0};
    emu_fault fault;
    bool ok = parse_object(req, arena, &root, reply) && read_fault(root, &fault, reply);
    spotify__arena_free(arena);
    if (!ok)
        return;
    if (!emu_faults_add(app->faults, &fault)) {
        control_error(reply, "out of memory");
        return;
    }
    emu_control_get_faults(app, req, reply);
}

void emu_control_clear_faults(emu_app *app, emu_request *req, emu_reply *reply)
{
    (void)req;
    emu_faults_clear(app->faults);
    ok_status(reply);
}

void emu_control_reset(emu_app *app, emu_request *req, emu_reply *reply)
{
    (void)req;
    emu_settings_store(&app->settings, &app->initial);
    emu_faults_clear(app->faults);
    emu_stats_reset(app->stats);
    emu_ratelimit_reset(app->ratelimit);
    if (!emu_state_reset(app->state)) {
        control_error(reply, "out of memory");
        return;
    }
    ok_status(reply);
}

/* Reads the spec of POST /__emulator/tokens into a grant and a lifetime. */
static bool read_token_spec(emu_app *app, spotify__json root, emu_grant *grant, int64_t *lifetime,
                            emu_reply *reply)
{
    static const char *const keys[] = {"client_id", "user", "scope", "expires_in", NULL};
    const char *client_id = "demo-client", *scope = "";
    bool user = true;
    if (!known_keys(root, keys, reply) || !opt_string(root, "client_id", 0, &client_id, reply) ||
        !opt_string(root, "scope", 0, &scope, reply) || !opt_bool(root, "user", &user, reply) ||
        !opt_int(root, "expires_in", 0, EMU_TOKEN_LIFETIME_MAX, lifetime, reply))
        return false;
    const emu_client *client = emu_registry_client(app->registry, client_id, &grant->client);
    if (client == NULL) {
        control_error(reply, "unknown client_id");
        return false;
    }
    if (!emu_scopes_parse(scope, &grant->scopes, NULL, NULL)) {
        control_error(reply, "unknown scope in \"scope\"");
        return false;
    }
    grant->user = user ? client->user : EMU_NO_USER;
    grant->scopes = user ? grant->scopes : 0;
    grant->pkce = client->secret == NULL;
    return true;
}

void emu_control_tokens(emu_app *app, emu_request *req, emu_reply *reply)
{
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root = {NULL, 0};
    emu_grant grant = {0, EMU_NO_USER, 0, false};
    int64_t lifetime = atomic_load(&app->settings.token_lifetime_s);
    bool ok = parse_object(req, arena, &root, reply) &&
              read_token_spec(app, root, &grant, &lifetime, reply);
    spotify__arena_free(arena);
    if (!ok)
        return;
    char access[EMU_SECRET_LEN + 1], refresh[EMU_SECRET_LEN + 1];
    bool user = grant.user != EMU_NO_USER;
    if (!emu_state_issue_access(app->state, &grant, (int)lifetime, access) ||
        (user && !emu_state_issue_refresh(app->state, &grant, refresh))) {
        control_error(reply, "out of memory");
        return;
    }
    emu_reply_token(reply, access, user ? refresh : NULL, lifetime, &grant.scopes);
}

void emu_control_expire_tokens(emu_app *app, emu_request *req, emu_reply *reply)
{
    (void)req;
    emu_state_expire_access(app->state);
    ok_status(reply);
}

void emu_control_expire_codes(emu_app *app, emu_request *req, emu_reply *reply)
{
    (void)req;
    emu_state_expire_codes(app->state);
    ok_status(reply);
}

void emu_control_catalog(emu_app *app, emu_request *req, emu_reply *reply)
{
    static const char *const types[EMU_KIND_COUNT] = {"albums",   "artists",    "tracks",  "shows",
                                                      "episodes", "audiobooks", "chapters"};
    int kind = -1;
    for (int k = 0; k < EMU_KIND_COUNT && req->param_count > 0; k++)
        if (strcmp(req->params[0], types[k]) == 0)
            kind = k;
    if (kind < 0) {
        control_error(reply, "the type must be albums, artists, tracks, shows, episodes, "
                             "audiobooks or chapters");
        return;
    }
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_array(&w);
    for (size_t i = 0; i < emu_catalog_count(app->catalog, (emu_kind)kind); i++) {
        const emu_item *item = emu_catalog_at(app->catalog, (emu_kind)kind, i);
        spotify__jw_begin_object(&w);
        spotify__jw_key(&w, "id");
        spotify__jw_cstring(&w, item->id);
        spotify__jw_key(&w, "name");
        spotify__jw_cstring(&w, item->name);
        spotify__jw_end_object(&w);
    }
    spotify__jw_end_array(&w);
    emu_reply_json(reply, 200);
}

void emu_control_seed_playlist(emu_app *app, emu_request *req, emu_reply *reply)
{
    static const char *const keys[] = {"user", "items", "name", NULL};
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root = {NULL, 0};
    const char *user_id = NULL, *name = "Seeded";
    int64_t items = 100;
    size_t user = EMU_NO_USER;
    char id[EMU_ID_LEN + 1] = "";
    bool ok = parse_object(req, arena, &root, reply) && known_keys(root, keys, reply) &&
              opt_string(root, "user", 0, &user_id, reply) &&
              opt_int(root, "items", 0, EMU_SEED_PLAYLIST_MAX, &items, reply) &&
              opt_string(root, "name", EMU_PLAYLIST_NAME_MAX, &name, reply);
    if (ok && (user_id == NULL || emu_registry_user(app->registry, user_id, &user) == NULL)) {
        control_error(reply, "\"user\" must name a user of the emulator");
        ok = false;
    }
    if (ok) {
        emu_state_lock(app->state);
        bool room = emu_state_item_total(app->state) + (size_t)items <= EMU_SEED_TOTAL_MAX;
        emu_playlist *pl =
            room ? emu_state_add_filled_playlist(app->state, user, name, (size_t)items) : NULL;
        if (pl != NULL)
            memcpy(id, pl->id, sizeof id);
        emu_state_unlock(app->state);
        if (!room) {
            char message[160];
            snprintf(message, sizeof message,
                     "the playlists would hold more than %d items in all; POST "
                     "/__emulator/reset frees the seeded ones",
                     EMU_SEED_TOTAL_MAX);
            control_error(reply, message);
        } else if (id[0] == '\0')
            control_error(reply, "out of memory");
        ok = id[0] != '\0';
    }
    spotify__arena_free(arena);
    if (!ok)
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "id");
    spotify__jw_cstring(&w, id);
    spotify__jw_key(&w, "items");
    spotify__jw_int64(&w, items);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}
