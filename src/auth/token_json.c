/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/token_json.c - the token record as JSON, as the file cache stores it:
 * {"version":1,"access_token":..,"expires_at":..,"refresh_token":..,
 *  "scope":..,"client_id":..,"flow":..}. Reading also accepts the seed
 * SDK's files (access_token, expires_at, refresh_token, scope only).
 */
#include <stdint.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/arena.h"
#include "../json/json.h"
#include "../json/json_write.h"
#include "oauth.h"

#define TOKEN_RECORD_VERSION 1

bool spotify__token_to_json(spotify__strbuf *out, const spotify_token *token)
{
    if (out == NULL || out->failed || token == NULL || token->access_token == NULL)
        return false;
    /* Reserve up front so the secret is not left behind by a realloc. */
    spotify__strbuf_reserve(out, 256 + strlen(token->access_token) +
                                     (token->refresh_token ? strlen(token->refresh_token) : 0) +
                                     (token->scope ? strlen(token->scope) : 0) +
                                     (token->client_id ? strlen(token->client_id) : 0));
    spotify__json_writer w;
    spotify__jw_init(&w, out);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "version");
    spotify__jw_int64(&w, TOKEN_RECORD_VERSION);
    spotify__jw_key(&w, "access_token");
    spotify__jw_cstring(&w, token->access_token);
    spotify__jw_key(&w, "expires_at");
    spotify__jw_double(&w, token->expires_at);
    spotify__jw_key(&w, "refresh_token");
    spotify__jw_cstring(&w, token->refresh_token);
    spotify__jw_key(&w, "scope");
    spotify__jw_cstring(&w, token->scope);
    spotify__jw_key(&w, "client_id");
    spotify__jw_cstring(&w, token->client_id);
    spotify__jw_key(&w, "flow");
    spotify__jw_cstring(&w, spotify_flow_name(token->flow));
    spotify__jw_end_object(&w);
    return spotify__jw_ok(&w) && !out->failed;
}

/* An optional string member: absent or null leaves *s NULL; true unless the
 * member has another type or holds a NUL byte. */
static bool optional_string(spotify__json root, const char *key, const char **s)
{
    spotify__json v = spotify__json_get(root, key);
    spotify__json_type type = spotify__json_type_of(v);
    size_t len;
    *s = NULL;
    if (type == SPOTIFY__JSON_INVALID || type == SPOTIFY__JSON_NULL)
        return true;
    if (!spotify__json_get_string(v, s, &len) || strlen(*s) != len) {
        *s = NULL;
        return false;
    }
    return true;
}

/* The record's members, borrowed from the parsed document. */
typedef struct record {
    const char *access_token;
    double expires_at;
    const char *refresh_token;
    const char *scope;
    const char *client_id;
    const char *flow;
} record;

static bool read_version(spotify__json root)
{
    spotify__json v = spotify__json_get(root, "version");
    int64_t version;
    if (!spotify__json_valid(v))
        return true; /* the seed SDK's files have none */
    return spotify__json_get_int64(v, &version) && version == TOKEN_RECORD_VERSION;
}

static bool read_record(spotify__json root, record *r)
{
    if (spotify__json_type_of(root) != SPOTIFY__JSON_OBJECT || !read_version(root))
        return false;
    if (!optional_string(root, "access_token", &r->access_token) || r->access_token == NULL ||
        r->access_token[0] == '\0')
        return false;
    if (!spotify__json_get_double(spotify__json_get(root, "expires_at"), &r->expires_at) ||
        !(r->expires_at >= 0 && r->expires_at <= SPOTIFY__TOKEN_EXPIRES_AT_MAX))
        return false;
    return optional_string(root, "refresh_token", &r->refresh_token) &&
           optional_string(root, "scope", &r->scope) &&
           optional_string(root, "client_id", &r->client_id) &&
           optional_string(root, "flow", &r->flow);
}

/* Copies the record into `out`; false (out untouched) on OOM. */
static bool fill_token(spotify_token *out, const record *r)
{
    spotify_token t = {0};
    t.expires_at = r->expires_at;
    t.flow = spotify__flow_from_name(r->flow);
    t.access_token = spotify__strdup(r->access_token);
    bool ok = t.access_token != NULL;
    if (ok && r->refresh_token != NULL && r->refresh_token[0] != '\0')
        ok = (t.refresh_token = spotify__strdup(r->refresh_token)) != NULL;
    if (ok && r->scope != NULL)
        ok = (t.scope = spotify__strdup(r->scope)) != NULL;
    if (ok && r->client_id != NULL)
        ok = (t.client_id = spotify__strdup(r->client_id)) != NULL;
    /* A record whose token could not go into a header is not a token. */
    if (!ok || spotify__token_problem(&t) != NULL) {
        spotify_token_clear(&t);
        return false;
    }
    spotify_token_clear(out);
    *out = t;
    return true;
}

/* Overwrites a secret in the document (our own arena memory). */
static void wipe_borrowed(const char *s)
{
    if (s != NULL)
        spotify__wipe((char *)(uintptr_t)s, strlen(s));
}

bool spotify__token_from_json(spotify_token *out, const char *data, size_t len)
{
    if (out == NULL || (data == NULL && len > 0))
        return false;
    spotify__arena *arena = spotify__arena_new(len + 256);
    if (arena == NULL)
        return false;
    spotify__json root;
    record r = {0};
    bool ok = spotify__json_parse(&root, arena, data, len, len, NULL) == SPOTIFY_OK &&
              read_record(root, &r) && fill_token(out, &r);
    wipe_borrowed(r.access_token);
    wipe_borrowed(r.refresh_token);
    spotify__arena_free(arena);
    return ok;
}
