/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/token.c - the spotify_token value: flow names, copying, clearing
 * (secrets are wiped before they are freed) and the expiry test.
 */
#include <stdio.h>
#include <string.h>

#include <spotify/auth.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "../core/http_syntax.h"
#include "../core/secrets.h"
#include "oauth.h"

/* Indexed by spotify_flow; the names are written into token files. */
static const char *const flow_names[] = {
    [SPOTIFY_FLOW_UNKNOWN] = "unknown",
    [SPOTIFY_FLOW_CLIENT_CREDENTIALS] = "client_credentials",
    [SPOTIFY_FLOW_AUTHORIZATION_CODE] = "authorization_code",
    [SPOTIFY_FLOW_PKCE] = "pkce",
    [SPOTIFY_FLOW_STATIC] = "static",
};
#define FLOW_COUNT (sizeof flow_names / sizeof flow_names[0])

const char *spotify_flow_name(spotify_flow flow)
{
    if ((int)flow < 0 || (size_t)flow >= FLOW_COUNT)
        return flow_names[SPOTIFY_FLOW_UNKNOWN];
    return flow_names[flow];
}

spotify_flow spotify__flow_from_name(const char *name)
{
    if (name == NULL)
        return SPOTIFY_FLOW_UNKNOWN;
    for (size_t i = 0; i < FLOW_COUNT; i++) {
        if (strcmp(flow_names[i], name) == 0)
            return (spotify_flow)i;
    }
    return SPOTIFY_FLOW_UNKNOWN;
}

void spotify_token_clear(spotify_token *token)
{
    if (token == NULL)
        return;
    spotify__free_secret(token->access_token);
    spotify__free_secret(token->refresh_token);
    spotify__free(token->scope);
    spotify__free(token->client_id);
    spotify__free(token->token_type);
    memset(token, 0, sizeof *token);
}

/* Copies one optional string; false on OOM. */
static bool copy_field(char **dst, const char *src)
{
    *dst = NULL;
    if (src == NULL)
        return true;
    *dst = spotify__strdup(src);
    return *dst != NULL;
}

spotify_status spotify_token_copy(spotify_token *dst, const spotify_token *src, spotify_error *err)
{
    if (dst == NULL || src == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_token_copy: NULL argument");
    if (dst == src)
        return SPOTIFY_OK;
    spotify_token copy = {0};
    copy.expires_at = src->expires_at;
    copy.flow = src->flow;
    copy.expires_in = src->expires_in;
    if (!copy_field(&copy.access_token, src->access_token) ||
        !copy_field(&copy.refresh_token, src->refresh_token) ||
        !copy_field(&copy.scope, src->scope) || !copy_field(&copy.client_id, src->client_id) ||
        !copy_field(&copy.token_type, src->token_type)) {
        spotify_token_clear(&copy);
        return spotify__error_oom(err);
    }
    *dst = copy;
    return SPOTIFY_OK;
}

spotify_status spotify_token_authorization_header(char *out, size_t size,
                                                  const spotify_token *token, spotify_error *err)
{
    if (out == NULL || size == 0 || token == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_token_authorization_header: NULL argument");
    out[0] = '\0';
    const char *problem =
        token->access_token == NULL ? "the token has no access token"
        : !spotify__http_b64token_valid(token->access_token, strlen(token->access_token))
            ? "the access token is not an RFC 6750 bearer token"
            : NULL;
    if (problem != NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_token_authorization_header: %s", problem);
    const char *type =
        token->token_type != NULL && token->token_type[0] != '\0' ? token->token_type : "Bearer";
    size_t need = strlen(type) + 1 + strlen(token->access_token) + 1;
    if (need > size || !spotify__http_header_value_safe(type))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_token_authorization_header: needs a %zu-byte buffer "
                                  "(and a token type without line breaks)",
                                  need);
    snprintf(out, size, "%s %s", type, token->access_token);
    return SPOTIFY_OK;
}

void spotify__token_note_secrets(const spotify_token *token)
{
    if (token->access_token != NULL)
        spotify__secret_note(token->access_token, strlen(token->access_token));
    if (token->refresh_token != NULL)
        spotify__secret_note(token->refresh_token, strlen(token->refresh_token));
}

const char *spotify__token_problem(const spotify_token *token)
{
    if (token == NULL || token->access_token == NULL)
        return "no access token";
    if (!spotify__http_b64token_valid(token->access_token, strlen(token->access_token)))
        return "the access token is not an RFC 6750 bearer token";
    if (token->refresh_token != NULL &&
        !spotify__http_b64token_valid(token->refresh_token, strlen(token->refresh_token)))
        return "the refresh token is not an RFC 6750 token";
    if (!(token->expires_at >= 0 && token->expires_at <= SPOTIFY__TOKEN_EXPIRES_AT_MAX))
        return "expires_at is out of range";
    return NULL;
}

bool spotify_token_is_expired(const spotify_token *token, double now, int64_t skew_seconds)
{
    if (token == NULL || token->access_token == NULL || token->access_token[0] == '\0')
        return true;
    /* Written so that a NaN expiry counts as expired. */
    return !(now < token->expires_at - (double)skew_seconds);
}

spotify_status spotify_token_set_field(char **field, const char *value, spotify_error *err)
{
    if (field == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_token_set_field: NULL field");
    char *copy = NULL;
    if (value != NULL && (copy = spotify__strdup(value)) == NULL)
        return spotify__error_oom(err);
    spotify__free_secret(*field);
    *field = copy;
    return SPOTIFY_OK;
}

void spotify_free_secret(char *secret)
{
    spotify__free_secret(secret);
}
