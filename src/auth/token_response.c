/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/token_response.c - one pure parser for every token endpoint answer
 * (client credentials, authorization code, refresh, PKCE): a token from a
 * 2xx body, or a categorised error that never carries a token.
 */
#include <stdint.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/error.h"
#include "../core/http_syntax.h"
#include "../http/error_body.h"
#include "../json/json.h"
#include "oauth.h"

/* The members of a token response, borrowed from the parsed document. */
typedef struct token_fields {
    const char *access_token;
    size_t access_len;
    double expires_in;
    const char *refresh_token; /* NULL when absent, null or empty */
    size_t refresh_len;
    const char *scope; /* NULL when absent or null */
    size_t scope_len;
} token_fields;

/* Outcome of reading one string member. */
typedef enum member_result { MEMBER_OK, MEMBER_ABSENT, MEMBER_BAD } member_result;

/* Reads string member `key`: absent and null are MEMBER_ABSENT; any other
 * non-string, or a string holding a NUL byte, is MEMBER_BAD. */
static member_result string_member(spotify__json root, const char *key, const char **s, size_t *len)
{
    spotify__json v = spotify__json_get(root, key);
    spotify__json_type type = spotify__json_type_of(v);
    if (type == SPOTIFY__JSON_INVALID || type == SPOTIFY__JSON_NULL)
        return MEMBER_ABSENT;
    if (!spotify__json_get_string(v, s, len) || strlen(*s) != *len)
        return MEMBER_BAD;
    return MEMBER_OK;
}

/* "bearer" in any ASCII letter case. */
static bool is_bearer(const char *s, size_t len)
{
    static const char bearer[] = "bearer";
    if (len != sizeof bearer - 1)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        if (c != bearer[i])
            return false;
    }
    return true;
}

static const char *read_access_token(spotify__json root, token_fields *f)
{
    switch (string_member(root, "access_token", &f->access_token, &f->access_len)) {
    case MEMBER_ABSENT:
        f->access_token = NULL;
        return "missing access_token";
    case MEMBER_BAD:
        f->access_token = NULL;
        return "access_token is not a string";
    case MEMBER_OK:
        break;
    }
    if (f->access_len == 0)
        return "empty access_token";
    if (f->access_len >= SPOTIFY_ACCESS_TOKEN_MAX)
        return "access_token too long";
    if (!spotify__http_b64token_valid(f->access_token, f->access_len))
        return "access_token is not an RFC 6750 bearer token (b64token syntax)";
    return NULL;
}

static const char *read_token_type(spotify__json root)
{
    const char *type;
    size_t len;
    switch (string_member(root, "token_type", &type, &len)) {
    case MEMBER_ABSENT:
        return "missing token_type";
    case MEMBER_BAD:
        return "token_type is not a string";
    case MEMBER_OK:
        break;
    }
    return is_bearer(type, len) ? NULL : "token_type is not bearer";
}

static const char *read_expires_in(spotify__json root, token_fields *f)
{
    spotify__json v = spotify__json_get(root, "expires_in");
    spotify__json_type type = spotify__json_type_of(v);
    if (type == SPOTIFY__JSON_INVALID)
        return "missing expires_in";
    if ((type != SPOTIFY__JSON_INT && type != SPOTIFY__JSON_UINT && type != SPOTIFY__JSON_DOUBLE) ||
        !spotify__json_get_double(v, &f->expires_in))
        return "expires_in is not a number";
    if (!(f->expires_in >= 0))
        return "negative expires_in";
    if (f->expires_in > SPOTIFY__TOKEN_LIFETIME_MAX_S)
        f->expires_in = SPOTIFY__TOKEN_LIFETIME_MAX_S; /* 1e308 must not reach a caller */
    return NULL;
}

static const char *read_optional(spotify__json root, token_fields *f)
{
    if (string_member(root, "refresh_token", &f->refresh_token, &f->refresh_len) == MEMBER_BAD) {
        f->refresh_token = NULL;
        return "refresh_token is not a string";
    }
    if (f->refresh_token != NULL && f->refresh_len == 0)
        f->refresh_token = NULL;
    if (f->refresh_token != NULL && !spotify__http_b64token_valid(f->refresh_token, f->refresh_len))
        return "refresh_token is not an RFC 6750 token (b64token syntax)";
    if (string_member(root, "scope", &f->scope, &f->scope_len) == MEMBER_BAD) {
        f->scope = NULL;
        return "scope is not a string";
    }
    return NULL;
}

/* Reads every member; NULL when the response is a valid token, else the
 * problem (a constant phrase that never holds response data). */
static const char *read_fields(spotify__json root, token_fields *f)
{
    if (spotify__json_type_of(root) != SPOTIFY__JSON_OBJECT)
        return "not a JSON object";
    const char *problem = read_access_token(root, f);
    if (problem == NULL)
        problem = read_token_type(root);
    if (problem == NULL)
        problem = read_expires_in(root, f);
    if (problem == NULL)
        problem = read_optional(root, f);
    return problem;
}

/* Belt and braces: drops the body excerpt if a secret we read survived the
 * redactor in it. (The message only ever holds constant phrases.) */
static void scrub_excerpt(spotify_error *err, const char *secret, size_t len)
{
    if (err != NULL && secret != NULL && len > 0 && strstr(err->body, secret) != NULL)
        spotify__error_set_body(err, "[REDACTED]", strlen("[REDACTED]"));
}

static spotify_status bad_response(spotify_error *err, int http_status, const char *problem,
                                   const char *body, size_t len, const token_fields *f)
{
    spotify__error_set(err, SPOTIFY_EAUTH, http_status,
                       "token endpoint: HTTP %d: invalid token response: %s", http_status, problem);
    spotify__error_set_body(err, body, len);
    scrub_excerpt(err, f->access_token, f->access_len);
    scrub_excerpt(err, f->refresh_token, f->refresh_len);
    return SPOTIFY_EAUTH;
}

/* A non-2xx answer: its category, and Spotify's error and description. */
static spotify_status endpoint_error(spotify_error *err, int http_status, const char *body,
                                     size_t len)
{
    spotify_status status = SPOTIFY_EAUTH;
    if (http_status == 429)
        status = SPOTIFY_ERATELIMIT;
    else if (http_status >= 500 && http_status <= 599)
        status = SPOTIFY_ESERVER;
    spotify__error_set(err, status, http_status, "token endpoint: HTTP %d", http_status);
    spotify__error_from_body(err, http_status, body, len);
    return status;
}

/* Overwrites borrowed document bytes that held a secret. The document lives
 * in our own arena, so its memory is writable. */
static void wipe_borrowed(const char *s, size_t len)
{
    if (s != NULL)
        spotify__wipe((char *)(uintptr_t)s, len);
}

/* Moves the fields into `out`; false (out untouched) on OOM. */
static bool fill_token(spotify_token *out, const token_fields *f, double now)
{
    char *access = spotify__strndup(f->access_token, f->access_len);
    char *refresh = f->refresh_token ? spotify__strndup(f->refresh_token, f->refresh_len) : NULL;
    char *scope = f->scope ? spotify__strndup(f->scope, f->scope_len) : NULL;
    /* token_type was checked to be "bearer" in some case: kept in the
     * spelling RFC 6750 gives and Spotify sends. */
    char *type = spotify__strdup("Bearer");
    if (access == NULL || (f->refresh_token && refresh == NULL) || (f->scope && scope == NULL) ||
        type == NULL) {
        spotify__free_secret(access);
        spotify__free_secret(refresh);
        spotify__free(scope);
        spotify__free(type);
        return false;
    }
    spotify__free_secret(out->access_token);
    spotify__free_secret(out->refresh_token);
    spotify__free(out->scope);
    spotify__free(out->token_type);
    out->access_token = access;
    out->refresh_token = refresh;
    out->scope = scope;
    out->token_type = type;
    out->expires_at = now + f->expires_in;
    out->expires_in = (int64_t)f->expires_in;
    spotify__token_note_secrets(out);
    return true;
}

spotify_status spotify__token_response_parse(spotify_token *out, int http_status, const char *body,
                                             size_t len, double now, spotify_error *err)
{
    if (out == NULL || (body == NULL && len > 0))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify__token_response_parse: bad argument");
    if (http_status < 200 || http_status > 299)
        return endpoint_error(err, http_status, body, len);
    spotify__arena *arena = spotify__arena_new(len + 256);
    if (arena == NULL)
        return spotify__error_oom(err);
    token_fields f = {0};
    spotify__json root;
    const char *problem = "not JSON";
    if (spotify__json_parse(&root, arena, body, len, len, NULL) == SPOTIFY_OK)
        problem = read_fields(root, &f);
    spotify_status status = SPOTIFY_OK;
    if (problem != NULL)
        status = bad_response(err, http_status, problem, body, len, &f);
    else if (!fill_token(out, &f, now))
        status = spotify__error_oom(err);
    wipe_borrowed(f.access_token, f.access_len);
    wipe_borrowed(f.refresh_token, f.refresh_len);
    spotify__arena_free(arena);
    return status;
}
