/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_api.c - `me` and `api`, the raw request for anything the
 * other commands do not cover.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

int spotctl_cmd_me(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 0)
        return spotctl_usage("me", "unexpected argument \"%s\"", args->pos[0]);
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotify_private_user *me = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_me_get(&me, ctx->client, NULL, &err);
    if (st == SPOTIFY_OK && ctx->json) {
        st = spotctl_print_raw(me, &err);
    } else if (st == SPOTIFY_OK) {
        char followers[32] = "";
        if (me->followers != NULL)
            snprintf(followers, sizeof followers, "%lld", (long long)me->followers->total);
        const char *rows[][2] = {
            {"id", me->id},           {"name", me->display_name}, {"email", me->email},
            {"country", me->country}, {"product", me->product},   {"followers", followers},
            {"uri", me->uri},
        };
        spotctl_table t;
        spotctl_table_init(&t, NULL, 2);
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            spotctl_table_add(&t, rows[i]);
        spotctl_table_print(&t, stdout, (size_t)ctx->term_width);
        spotctl_table_free(&t);
    }
    spotify_model_free(me);
    return st == SPOTIFY_OK ? 0 : spotctl_fail(st, &err, NULL);
}

/* --data JSON or @FILE (@- stdin) into an Owned buffer; 0 or an exit code. */
static int read_data(const char *data, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (data == NULL)
        return 0;
    if (data[0] != '@') {
        *out = strdup(data);
        *len = strlen(data);
        return *out != NULL ? 0 : spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    }
    return spotctl_read_input(out, len, "--data @", data + 1, SPOTCTL_INPUT_MAX);
}

/* A raw request refused for its scope ("Insufficient client scope": Spotify
 * does not say which): the scope the operation at METHOD PATH needs and
 * the login lacks, named in the login hint; NULL for any other refusal. */
static const char *forbidden_hint(spotctl_ctx *ctx, char *hint, size_t size, const char *method,
                                  const char *path, const spotify_error *err)
{
    if (err->status != SPOTIFY_EFORBIDDEN || strstr(err->message, "scope") == NULL)
        return NULL;
    spotify_token token;
    memset(&token, 0, sizeof token);
    spotify_error terr = {0};
    char missing[256];
    bool found = spotify_auth_token_get(&token, ctx->auth, &terr) == SPOTIFY_OK &&
                 spotctl_scopes_lacking(missing, sizeof missing, method, path, token.scope);
    if (found)
        spotctl_scope_hint(hint, size, missing, token.scope);
    spotify_token_clear(&token);
    return found ? hint : NULL;
}

int spotctl_cmd_api(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 2)
        return spotctl_usage("api", "give METHOD and PATH (e.g. spotctl api GET /me)");
    char method[8];
    size_t mlen = strlen(args->pos[0]);
    if (mlen >= sizeof method)
        mlen = sizeof method - 1;
    for (size_t i = 0; i < mlen; i++)
        method[i] = (char)toupper((unsigned char)args->pos[0][i]);
    method[mlen] = '\0';
    if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0 && strcmp(method, "PUT") != 0 &&
        strcmp(method, "DELETE") != 0)
        return spotctl_usage("api", "METHOD must be GET, POST, PUT or DELETE (got \"%s\")",
                             args->pos[0]);
    const char *path = args->pos[1];
    if (path[0] != '/')
        return spotctl_usage("api", "PATH must start with / and is relative to the API base "
                                    "URL (e.g. /me/player)");
    size_t nq = 0;
    const char *const *queries = spotctl_args_multi(args, "query", &nq);
    spotify_param *params = calloc(nq ? nq : 1, sizeof *params);
    char **keys = calloc(nq ? nq : 1, sizeof *keys);
    char *body = NULL;
    size_t body_len = 0;
    int rc =
        params == NULL || keys == NULL ? spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory") : 0;
    for (size_t i = 0; rc == 0 && i < nq; i++) {
        const char *eq = strchr(queries[i], '=');
        if (eq == NULL || eq == queries[i]) {
            rc = spotctl_usage("api", "--query takes KEY=VALUE (got \"%s\")", queries[i]);
            break;
        }
        keys[i] = strndup(queries[i], (size_t)(eq - queries[i]));
        params[i].key = keys[i];
        params[i].value = eq + 1;
    }
    if (rc == 0)
        rc = read_data(spotctl_args_get(args, "data"), &body, &body_len);
    spotify_error err = {0};
    if (rc == 0 && body != NULL && spotify_json_validate(body, body_len, &err) != SPOTIFY_OK)
        rc = spotctl_failf(SPOTIFY_EINVALID,
                           "--data takes JSON text, or @FILE to read it from a file",
                           "--data is not valid JSON: %s", err.message);
    if (rc == 0)
        rc = spotctl_ready(ctx);
    if (rc == 0) {
        spotify_request request = SPOTIFY_REQUEST_INIT;
        request.method = method;
        request.path = path;
        request.query = params;
        request.query_count = nq;
        request.body = body;
        request.body_len = body_len;
        spotify_response *response = NULL;
        spotify_status st = spotify_client_send(&response, ctx->client, &request, &err);
        if (st == SPOTIFY_OK) {
            if (response->body_len > 0) {
                fwrite(response->body, 1, response->body_len, stdout);
                if (response->body[response->body_len - 1] != '\n')
                    fputc('\n', stdout);
            }
        } else {
            char hint[1200];
            rc = spotctl_fail(st, &err, forbidden_hint(ctx, hint, sizeof hint, method, path, &err));
        }
        spotify_response_free(response);
    }
    for (size_t i = 0; keys != NULL && i < nq; i++)
        free(keys[i]);
    free(keys);
    free(params);
    free(body);
    return rc;
}
