/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api.c - what every Web API endpoint shares: bearer authentication,
 * scope checks, id validation, serving catalog items.
 */
#include "api.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/ops_desc.h"
#include "core/urlencode.h"
#include "routes.h"

/* --rate-limit: once per request, the token's client must have room in
 * its window, else 429 with Retry-After. */
static bool rate_ok(emu_app *app, emu_request *req, emu_reply *reply, const emu_grant *grant)
{
    int limit = atomic_load(&app->settings.rate_limit);
    if (limit <= 0 || req->rate_counted)
        return true;
    req->rate_counted = true;
    int retry_after = 1;
    if (emu_ratelimit_take(app->ratelimit, grant->client, limit,
                           atomic_load(&app->settings.rate_window_s), emu_ratelimit_now_ms(),
                           &retry_after))
        return true;
    emu_reply_api_error(reply, 429, "API rate limit exceeded");
    reply->retry_after = retry_after;
    return false;
}

bool emu_api_authorize(emu_app *app, emu_request *req, emu_reply *reply, emu_grant *grant)
{
    const char *header = emu_request_header(req, "Authorization");
    if (header == NULL || header[0] == '\0') {
        emu_reply_api_error(reply, 401, "No token provided");
        return false;
    }
    while (*header == ' ')
        header++;
    if (strncasecmp(header, "Bearer ", 7) != 0) {
        emu_reply_api_error(reply, 400, "Only valid bearer authentication supported");
        return false;
    }
    const char *token = header + 7;
    while (*token == ' ')
        token++;
    size_t len = strlen(token);
    while (len > 0 && token[len - 1] == ' ')
        len--;
    switch (emu_state_check_access(app->state, token, len, grant)) {
    case EMU_TOKEN_VALID:
        return rate_ok(app, req, reply, grant) &&
               (req->query[0] == '\0' || emu_api_market_ok(app, req, reply, grant));
    case EMU_TOKEN_EXPIRED:
        emu_reply_api_error(reply, 401, "The access token expired");
        return false;
    default:
        emu_reply_api_error(reply, 401, "Invalid access token");
        return false;
    }
}

bool emu_api_require_user(emu_app *app, emu_request *req, emu_reply *reply, uint32_t scopes,
                          emu_grant *grant)
{
    if (!emu_api_authorize(app, req, reply, grant))
        return false;
    if (grant->user == EMU_NO_USER || (grant->scopes & scopes) != scopes) {
        emu_reply_api_error(reply, 403, "Insufficient client scope");
        return false;
    }
    return true;
}

bool emu_api_market_ok(emu_app *app, emu_request *req, emu_reply *reply, const emu_grant *grant)
{
    if (strstr(req->query, "market=") == NULL)
        return true;
    const emu_form *q = emu_request_query(req);
    const char *market = q == NULL ? NULL : emu_form_get(q, "market");
    if (market != NULL && strcmp(market, "from_token") == 0)
        market = grant->user == EMU_NO_USER
                     ? NULL
                     : emu_registry_user_at(app->registry, grant->user)->country;
    else if (market != NULL && !emu_catalog_is_market(app->catalog, market)) {
        emu_reply_api_error(reply, 400, "Invalid market code");
        return false;
    }
    if (market != NULL && strlen(market) == 2)
        memcpy(req->market, market, 3);
    return true;
}

/* Whether array `markets` (of strings) holds `market`. */
static bool market_listed(spotify__json markets, const char *market)
{
    for (spotify__json m = spotify__json_first(markets); spotify__json_valid(m);
         m = spotify__json_next(m)) {
        const char *s;
        size_t len;
        if (spotify__json_get_string(m, &s, &len) && len == 2 && memcmp(s, market, 2) == 0)
            return true;
    }
    return false;
}

/* Copies `v`, replacing the available_markets of every track object by
 * is_playable for `market`. */
static void relink_value(spotify__json_writer *w, spotify__json v, const char *market)
{
    spotify__json_type type = spotify__json_type_of(v);
    if (type == SPOTIFY__JSON_ARRAY) {
        spotify__jw_begin_array(w);
        for (spotify__json e = spotify__json_first(v); spotify__json_valid(e);
             e = spotify__json_next(e))
            relink_value(w, e, market);
        spotify__jw_end_array(w);
        return;
    }
    if (type != SPOTIFY__JSON_OBJECT) {
        spotify__jw_value(w, v);
        return;
    }
    const char *kind = "";
    size_t kind_len = 0;
    spotify__json_get_string(spotify__json_get(v, "type"), &kind, &kind_len);
    bool track = kind_len == 5 && memcmp(kind, "track", 5) == 0;
    spotify__jw_begin_object(w);
    for (spotify__json m = spotify__json_first(v); spotify__json_valid(m);
         m = spotify__json_next(m)) {
        const char *key;
        size_t len;
        spotify__json_key(m, &key, &len);
        spotify__json value = spotify__json_member_value(m);
        if (track && strcmp(key, "available_markets") == 0) {
            spotify__jw_key(w, "is_playable");
            spotify__jw_bool(w, market_listed(value, market));
            continue;
        }
        spotify__jw_key(w, key);
        relink_value(w, value, market);
    }
    spotify__jw_end_object(w);
}

void emu_api_apply_market(emu_request *req, emu_reply *reply)
{
    if (req->market[0] == '\0' || reply->status < 200 || reply->status > 299 ||
        reply->content_type == NULL || strncmp(reply->content_type, "application/json", 16) != 0)
        return;
    const char *text = reply->static_body != NULL ? reply->static_body : reply->body.data;
    size_t len = reply->static_body != NULL ? reply->static_len : reply->body.len;
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root;
    spotify_error err = {0};
    if (text == NULL || len == 0 || arena == NULL ||
        spotify__json_parse(&root, arena, text, len, len, &err) != SPOTIFY_OK) {
        spotify__arena_free(arena);
        return;
    }
    spotify__strbuf out = SPOTIFY__STRBUF_INIT;
    spotify__json_writer w;
    spotify__jw_init(&w, &out);
    relink_value(&w, root, req->market);
    spotify__arena_free(arena);
    if (!spotify__jw_ok(&w)) {
        spotify__strbuf_release(&out);
        return;
    }
    spotify__strbuf_release(&reply->body);
    reply->body = out;
    reply->static_body = NULL;
    reply->static_len = 0;
}

/* Whether `len` bytes of `id` are a Spotify id (or, with `users`, a user id). */
static bool id_ok(const char *id, size_t len, bool users)
{
    if (!users)
        return emu_is_spotify_id(id, len);
    return len > 0 && len <= EMU_USER_ID_MAX && memchr(id, ':', len) == NULL &&
           memchr(id, ',', len) == NULL;
}

/* Appends one id to `out`; false (400 sent) when too many or malformed. */
static bool ids_add(emu_reply *reply, const char *id, size_t len, size_t max, bool users,
                    emu_id_list *out)
{
    if (out->count == max || out->count == EMU_MAX_IDS) {
        emu_reply_api_error(reply, 400, "Too many ids requested");
        return false;
    }
    if (!id_ok(id, len, users)) {
        emu_reply_api_error(reply, 400, "Invalid base62 id");
        return false;
    }
    memcpy(out->ids[out->count], id, len);
    out->ids[out->count++][len] = '\0';
    return true;
}

bool emu_api_ids(emu_request *req, emu_reply *reply, spotify__json body, size_t max, bool users,
                 emu_id_list *out)
{
    const emu_form *q = emu_request_query(req);
    const char *list = q == NULL ? NULL : emu_form_get(q, "ids");
    out->count = 0;
    if (list != NULL && list[0] != '\0') {
        for (const char *p = list;; p++) {
            size_t len = strcspn(p, ",");
            if (!ids_add(reply, p, len, max, users, out))
                return false;
            p += len;
            if (*p == '\0')
                return true;
        }
    }
    bool object = spotify__json_type_of(body) == SPOTIFY__JSON_OBJECT;
    spotify__json ids = object ? spotify__json_get(body, "ids") : (spotify__json){0};
    if (object && !spotify__json_valid(ids))
        ids = spotify__json_get(body, "timestamped_ids");
    if (spotify__json_type_of(ids) != SPOTIFY__JSON_ARRAY || spotify__json_count(ids) == 0) {
        emu_reply_api_error(reply, 400,
                            spotify__json_valid(body) ? "Missing required field: ids"
                                                      : "Missing required parameter: ids");
        return false;
    }
    for (spotify__json e = spotify__json_first(ids); spotify__json_valid(e);
         e = spotify__json_next(e)) {
        const char *text = "";
        size_t len = 0;
        spotify__json id =
            spotify__json_type_of(e) == SPOTIFY__JSON_OBJECT ? spotify__json_get(e, "id") : e;
        spotify__json_get_string(id, &text, &len);
        if (!ids_add(reply, text, len, max, users, out))
            return false;
    }
    return true;
}

bool emu_api_id_param(const emu_request *req, emu_reply *reply, size_t index)
{
    const char *id = index < req->param_count ? req->params[index] : NULL;
    if (id == NULL || !emu_is_spotify_id(id, strlen(id))) {
        emu_reply_api_error(reply, 400, "Invalid base62 id");
        return false;
    }
    return true;
}

const emu_item *emu_api_path_item(emu_app *app, emu_request *req, emu_reply *reply, emu_kind kind,
                                  size_t *index)
{
    emu_grant grant;
    if (!emu_api_authorize(app, req, reply, &grant) || !emu_api_id_param(req, reply, 0))
        return NULL;
    const emu_item *item = emu_catalog_find(app->catalog, kind, req->params[0], EMU_ID_LEN, index);
    if (item == NULL)
        emu_reply_api_error(reply, 404, "Non existing id");
    return item;
}

void emu_api_serve_item(emu_app *app, emu_request *req, emu_reply *reply, emu_kind kind)
{
    const emu_item *item = emu_api_path_item(app, req, reply, kind, NULL);
    if (item != NULL)
        emu_reply_json_static(reply, 200, item->json, item->json_len);
}

/* Parses a non-negative decimal query value; false when malformed. */
static bool parse_count(const char *text, size_t *out)
{
    if (text == NULL || text[0] < '0' || text[0] > '9')
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > 1000000000ULL)
        return false;
    *out = (size_t)v;
    return true;
}

/* Route limits, found once: by route index. */
#define ROUTE_LIMITS_MAX 256
static emu_limits route_limits[ROUTE_LIMITS_MAX];
static pthread_once_t route_limits_once = PTHREAD_ONCE_INIT;
static const emu_limits default_limits = {1, 50, 20};

/* Whether the specification's path ("/playlists/{playlist_id}/tracks")
 * is route pattern `pattern` ("/v1/playlists/{id}/tracks"): the same
 * literals, a placeholder for each placeholder. */
static bool same_path(const char *spec, const char *pattern)
{
    if (strncmp(pattern, "/v1/", 4) != 0)
        return false;
    pattern += 3;
    while (*spec != '\0' && *pattern != '\0') {
        if (*spec == '{' && *pattern == '{') {
            spec += strcspn(spec, "}");
            pattern += strcspn(pattern, "}");
            if (*spec == '\0' || *pattern == '\0')
                return false;
        } else if (*spec != *pattern) {
            return false;
        }
        spec++;
        pattern++;
    }
    return *spec == *pattern;
}

static void find_route_limits(void)
{
    for (size_t r = 0; r < emu_route_count && r < ROUTE_LIMITS_MAX; r++) {
        route_limits[r] = default_limits;
        for (size_t o = 0; o < spotify__operation_count; o++) {
            const spotify_operation *op = spotify__operations[o];
            if (op->limit_param < 0 || strcmp(op->method, emu_routes[r].method) != 0 ||
                !same_path(op->path, emu_routes[r].pattern))
                continue;
            const spotify__param_desc *p = &op->params[op->limit_param];
            if (p->flags & SPOTIFY__PARAM_HAS_MIN)
                route_limits[r].min = (size_t)p->min;
            if (p->flags & SPOTIFY__PARAM_HAS_MAX)
                route_limits[r].max = (size_t)p->max;
            route_limits[r].def = (size_t)p->default_value;
        }
    }
}

emu_limits emu_api_route_limits(const emu_request *req)
{
    if (req->route == NULL)
        return default_limits;
    pthread_once(&route_limits_once, find_route_limits);
    int r = emu_route_index(req->route);
    return r >= 0 && r < ROUTE_LIMITS_MAX ? route_limits[r] : default_limits;
}

bool emu_api_page_params(emu_request *req, emu_reply *reply, emu_page *page)
{
    return emu_api_page_params_in(req, reply, emu_api_route_limits(req), page);
}

bool emu_api_cursor_limit(emu_request *req, emu_reply *reply, long long *limit)
{
    emu_page page;
    if (!emu_api_page_params(req, reply, &page))
        return false;
    *limit = (long long)page.limit;
    return true;
}

bool emu_api_page_params_in(emu_request *req, emu_reply *reply, emu_limits limits, emu_page *page)
{
    const emu_form *q = emu_request_query(req);
    if (q == NULL) {
        emu_reply_api_error(reply, 400, "Malformed query string");
        return false;
    }
    const char *limit = emu_form_get(q, "limit");
    const char *offset = emu_form_get(q, "offset");
    page->limit = limits.def;
    page->offset = 0;
    page->total = 0;
    page->max_offset = 0;
    if (limit != NULL && (!parse_count(limit, &page->limit) || page->limit < limits.min ||
                          page->limit > limits.max)) {
        emu_reply_api_error(reply, 400, "Invalid limit");
        return false;
    }
    if (offset != NULL && !parse_count(offset, &page->offset)) {
        emu_reply_api_error(reply, 400, "Invalid offset");
        return false;
    }
    return true;
}

/* Writes BASE/path?offset=O&limit=L[&other query parameters]. */
static void write_page_link(spotify__json_writer *w, const emu_app *app, const emu_page_link *at,
                            size_t offset, size_t limit)
{
    spotify__strbuf link = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_append_str(&link, app->base_url);
    spotify__strbuf_append(&link, at->path, at->path_len);
    spotify__strbuf_appendf(&link, "?offset=%zu&limit=%zu", offset, limit);
    for (size_t i = 0; at->query != NULL && i < at->query->count; i++) {
        const emu_form_pair *p = &at->query->pairs[i];
        if (strcmp(p->key, "offset") == 0 || strcmp(p->key, "limit") == 0)
            continue;
        spotify__param param = {p->key, p->value};
        spotify__strbuf_append_char(&link, '&');
        spotify__form_encode(&link, &param, 1);
    }
    spotify__jw_string(w, spotify__strbuf_cstr(&link), link.len);
    if (link.failed)
        w->failed = true;
    spotify__strbuf_release(&link);
}

/* The request's own path and query as a link base. */
static emu_page_link request_link(emu_request *req)
{
    return (emu_page_link){req->path, req->path_len, emu_request_query(req)};
}

void emu_api_page_begin_at(spotify__json_writer *w, const emu_app *app, const emu_page_link *at,
                           const emu_page *page)
{
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "href");
    write_page_link(w, app, at, page->offset, page->limit);
    spotify__jw_key(w, "items");
    spotify__jw_begin_array(w);
}

void emu_api_page_end_at(spotify__json_writer *w, const emu_app *app, const emu_page_link *at,
                         const emu_page *page)
{
    spotify__jw_end_array(w);
    spotify__jw_key(w, "limit");
    spotify__jw_uint64(w, page->limit);
    spotify__jw_key(w, "next");
    if (page->limit > 0 && page->offset + page->limit < page->total &&
        (page->max_offset == 0 || page->offset + page->limit <= page->max_offset))
        write_page_link(w, app, at, page->offset + page->limit, page->limit);
    else
        spotify__jw_null(w);
    spotify__jw_key(w, "offset");
    spotify__jw_uint64(w, page->offset);
    spotify__jw_key(w, "previous");
    if (page->offset > 0) {
        size_t prev = page->offset > page->limit ? page->offset - page->limit : 0;
        write_page_link(w, app, at, prev, page->limit);
    } else {
        spotify__jw_null(w);
    }
    spotify__jw_key(w, "total");
    spotify__jw_uint64(w, page->total);
    spotify__jw_end_object(w);
}

void emu_api_page_begin(spotify__json_writer *w, const emu_app *app, emu_request *req,
                        const emu_page *page)
{
    emu_page_link at = request_link(req);
    emu_api_page_begin_at(w, app, &at, page);
}

void emu_api_page_end(spotify__json_writer *w, const emu_app *app, emu_request *req,
                      const emu_page *page)
{
    emu_page_link at = request_link(req);
    emu_api_page_end_at(w, app, &at, page);
}

bool emu_api_require_any(emu_app *app, emu_request *req, emu_reply *reply, uint32_t scopes,
                         emu_grant *grant)
{
    if (!emu_api_require_user(app, req, reply, 0, grant))
        return false;
    if ((grant->scopes & scopes) == 0) {
        emu_reply_api_error(reply, 403, "Insufficient client scope");
        return false;
    }
    return true;
}

bool emu_api_query_int(emu_request *req, const char *key, long long min, long long max,
                       long long *out)
{
    const emu_form *q = emu_request_query(req);
    const char *text = q == NULL ? NULL : emu_form_get(q, key);
    if (text == NULL || text[0] == '\0')
        return false;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* A JSON body: an object, or with `array_ok` an array too. */
static bool json_body(const emu_request *req, emu_reply *reply, spotify__arena *arena,
                      bool required, bool array_ok, spotify__json *root)
{
    spotify_error err = {0};
    if (req->body_len == 0 && !required) {
        *root = (spotify__json){0};
        return true;
    }
    spotify__json_type type = SPOTIFY__JSON_NULL;
    if (req->body_len > 0 && spotify__json_parse(root, arena, req->body, req->body_len,
                                                 req->body_len, &err) == SPOTIFY_OK)
        type = spotify__json_type_of(*root);
    if (type != SPOTIFY__JSON_OBJECT && !(array_ok && type == SPOTIFY__JSON_ARRAY)) {
        emu_reply_api_error(reply, 400, "Error parsing JSON.");
        return false;
    }
    return true;
}

bool emu_api_json_body(const emu_request *req, emu_reply *reply, spotify__arena *arena,
                       bool required, spotify__json *root)
{
    return json_body(req, reply, arena, required, false, root);
}

bool emu_api_json_body_or_array(const emu_request *req, emu_reply *reply, spotify__arena *arena,
                                bool required, spotify__json *root)
{
    return json_body(req, reply, arena, required, true, root);
}

/* URI kinds in the order of emu_uri_kind. */
static const char *const uri_kinds[EMU_URI_KIND_COUNT] = {"track", "album", "artist",  "playlist",
                                                          "user",  "show",  "episode", "audiobook"};

bool emu_api_parse_uri(const char *uri, size_t len, emu_uri *out)
{
    static const char prefix[] = "spotify:";
    size_t n = sizeof prefix - 1;
    if (len <= n || memcmp(uri, prefix, n) != 0)
        return false;
    const char *kind = uri + n;
    const char *colon = memchr(kind, ':', len - n);
    if (colon == NULL)
        return false;
    size_t kind_len = (size_t)(colon - kind);
    out->id = colon + 1;
    out->id_len = len - n - kind_len - 1;
    for (int k = 0; k < EMU_URI_KIND_COUNT; k++) {
        if (strlen(uri_kinds[k]) != kind_len || memcmp(uri_kinds[k], kind, kind_len) != 0)
            continue;
        out->kind = (emu_uri_kind)k;
        if (k == EMU_URI_USER) /* user ids are free-form, but not empty or nested */
            return out->id_len > 0 && memchr(out->id, ':', out->id_len) == NULL;
        return emu_is_spotify_id(out->id, out->id_len);
    }
    return false;
}

void emu_api_write_time(spotify__json_writer *w, int64_t unix_seconds)
{
    char text[32];
    time_t t = (time_t)unix_seconds;
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        spotify__jw_null(w);
        return;
    }
    spotify__jw_cstring(w, text);
}

void emu_api_write_user_ref(spotify__json_writer *w, const emu_app *app, size_t user,
                            bool display_name)
{
    const emu_user_profile *u = emu_registry_user_at(app->registry, user);
    char text[256];
    spotify__jw_begin_object(w);
    if (display_name) {
        spotify__jw_key(w, "display_name");
        spotify__jw_cstring(w, u->display_name);
    }
    spotify__jw_key(w, "external_urls");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "spotify");
    snprintf(text, sizeof text, "https://open.spotify.com/user/%s", u->id);
    spotify__jw_cstring(w, text);
    spotify__jw_end_object(w);
    spotify__jw_key(w, "href");
    snprintf(text, sizeof text, "%s/v1/users/%s", app->base_url, u->id);
    spotify__jw_cstring(w, text);
    spotify__jw_key(w, "id");
    spotify__jw_cstring(w, u->id);
    spotify__jw_key(w, "type");
    spotify__jw_cstring(w, "user");
    spotify__jw_key(w, "uri");
    snprintf(text, sizeof text, "spotify:user:%s", u->id);
    spotify__jw_cstring(w, text);
    spotify__jw_end_object(w);
}
