/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/execute.c - the one runtime executor of every typed operation
 * (spotify/operation.h): args + descriptor -> validated request -> the
 * client's authorized send path -> typed result. Plus the opt-in scope
 * check and the operation registry queries.
 */
#include "execute.h"

#include <stdio.h>
#include <string.h>

#include "../auth/oauth.h"
#include "../core/alloc.h"
#include "../core/error.h"
#include "../core/strbuf.h"
#include "../json/json.h"
#include "decode.h"

/* ---------- errors ---------- */

void spotify__error_prefix(spotify_error *err, const char *prefix)
{
    if (err == NULL)
        return;
    char message[2 * SPOTIFY_ERROR_MESSAGE_SIZE];
    snprintf(message, sizeof message, "%s: %s", prefix, err->message);
    size_t len = strlen(message);
    if (len >= sizeof err->message)
        len = sizeof err->message - 1;
    memcpy(err->message, message, len);
    err->message[len] = '\0';
}

/* ---------- the scope check ---------- */

/* The next scope of a space-separated list into `scope`; false at the end.
 * Scopes longer than the buffer are skipped (none of Spotify's is). */
static bool next_scope(const char **cursor, char *scope, size_t size)
{
    const char *s = *cursor;
    while (*s == ' ')
        s++;
    while (*s != '\0') {
        size_t len = strcspn(s, " ");
        const char *start = s;
        s += len;
        while (*s == ' ')
            s++;
        if (len < size) {
            memcpy(scope, start, len);
            scope[len] = '\0';
            *cursor = s;
            return true;
        }
    }
    *cursor = s;
    return false;
}

/* Appends to `missing` every scope of `required` that `granted` lacks. */
static void scopes_missing(spotify__strbuf *missing, const char *granted, const char *required)
{
    char scope[64];
    for (const char *s = required; next_scope(&s, scope, sizeof scope);)
        if (!spotify__scope_covers(granted, scope))
            spotify__strbuf_appendf(missing, "%s%s", missing->len > 0 ? ", " : "", scope);
}

/* True when `granted` has at least one scope of `any`. */
static bool scopes_one_of(const char *granted, const char *any)
{
    char scope[64];
    for (const char *s = any; next_scope(&s, scope, sizeof scope);)
        if (spotify__scope_covers(granted, scope))
            return true;
    return false;
}

static spotify_status scope_verdict(const spotify_operation *op, const spotify_token *token,
                                    spotify_error *err)
{
    if (token->scope == NULL && token->flow != SPOTIFY_FLOW_CLIENT_CREDENTIALS)
        return SPOTIFY_OK; /* unknown (static or custom token): Spotify will say */
    const char *granted = token->scope != NULL ? token->scope : "";
    spotify__strbuf missing = SPOTIFY__STRBUF_INIT;
    scopes_missing(&missing, granted, op->scopes_all);
    if (op->scopes_any[0] != '\0' && !scopes_one_of(granted, op->scopes_any))
        spotify__strbuf_appendf(&missing, "%sone of (%s)", missing.len > 0 ? ", " : "",
                                op->scopes_any);
    spotify_status st = SPOTIFY_OK;
    if (missing.failed)
        st = spotify__error_oom(err);
    else if (missing.len > 0)
        st = spotify__error_set(err, SPOTIFY_EFORBIDDEN, 0,
                                "spotify_%s: the token lacks scope %s (granted: %s)", op->name,
                                spotify__strbuf_cstr(&missing),
                                token->scope != NULL ? token->scope : "none, an app-only token");
    spotify__strbuf_release(&missing);
    return st;
}

spotify_status spotify__op_scope_check(spotify_client *client, const spotify_operation *op,
                                       spotify_error *err)
{
    if (op->scopes_all[0] == '\0' && op->scopes_any[0] == '\0')
        return SPOTIFY_OK;
    spotify_token token;
    memset(&token, 0, sizeof token);
    spotify_status st = spotify_auth_token_get(&token, spotify__client_auth(client), err);
    if (st == SPOTIFY_OK)
        st = scope_verdict(op, &token, err);
    spotify_token_clear(&token);
    return st;
}

/* ---------- sending ---------- */

bool spotify__op_checks_scopes(const spotify_client *client, const void *args)
{
    const spotify__args_head *head = args;
    return (head != NULL && head->call.check_scopes) || spotify__client_checks_scopes(client);
}

spotify_status spotify__op_send(spotify__http_response *out, spotify_client *client,
                                const spotify_operation *op, const void *args, unsigned flags,
                                spotify_error *err)
{
    spotify__http_response_init(out);
    spotify__web_request request;
    spotify_status st = spotify__op_build(&request, op, args, flags, err);
    if (st == SPOTIFY_OK && spotify__op_checks_scopes(client, args))
        st = spotify__op_scope_check(client, op, err);
    if (st == SPOTIFY_OK)
        st = spotify__client_send(out, client, &request, err);
    spotify__web_request_release(&request);
    return st;
}

/* ---------- decoding ---------- */

bool spotify__body_empty(const spotify__strbuf *body)
{
    for (size_t i = 0; i < body->len; i++) {
        char c = body->data[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

spotify_status spotify__op_decode(void **out, const spotify_operation *op, int http_status,
                                  const spotify__strbuf *body, spotify_error *err)
{
    *out = NULL;
    if (op->result_type == NULL)
        return SPOTIFY_OK;
    if (spotify__body_empty(body)) {
        if ((op->flags & SPOTIFY__OP_EMPTY_OK) != 0 || strcmp(op->method, "GET") != 0 ||
            http_status == 204)
            return SPOTIFY_OK;
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, http_status,
                                  "spotify_%s: HTTP %d without the %s it promises", op->name,
                                  http_status, op->result_type->name);
    }
    spotify_status st =
        spotify__model_decode_buffer(out, op->result_type, body->data, body->len, body->cap, err);
    if (st == SPOTIFY_EPROTOCOL) {
        char prefix[96];
        snprintf(prefix, sizeof prefix, "spotify_%s: the answer", op->name);
        spotify__error_prefix(err, prefix);
    }
    return st;
}

spotify_status spotify__op_decode_into_arena(void **out, const spotify__type_desc *type,
                                             spotify__arena *arena, const spotify__strbuf *body,
                                             spotify_error *err)
{
    *out = NULL;
    spotify__json root;
    spotify_status st = spotify__json_parse(&root, arena, body->data, body->len, body->cap, err);
    if (st == SPOTIFY_OK)
        st = spotify__decode(out, type, arena, root, err);
    return st;
}

/* ---------- undecoded answers (spotify/sys/async.h) ---------- */

struct spotify_answer {
    const spotify_operation *op;
    int http_status;
    spotify__strbuf body; /* with the parser's padding room when there was any */
};

spotify_status spotify__answer_adopt(spotify_answer **out, const spotify_operation *op,
                                     spotify__http_response *response, spotify_error *err)
{
    *out = spotify__malloc(sizeof **out);
    if (*out == NULL)
        return spotify__error_oom(err);
    (*out)->op = op;
    (*out)->http_status = response->status;
    (*out)->body = response->body;
    spotify__strbuf_init(&response->body);
    return SPOTIFY_OK;
}

spotify_status spotify_answer_decode(void **out, spotify_answer *answer, spotify_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || answer == NULL) {
        spotify_answer_free(answer);
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_answer_decode: answer and out must not be NULL");
    }
    spotify_status st =
        spotify__op_decode(out, answer->op, answer->http_status, &answer->body, err);
    spotify_answer_free(answer);
    return st;
}

void spotify_answer_free(spotify_answer *answer)
{
    if (answer == NULL)
        return;
    spotify__strbuf_release(&answer->body);
    spotify__free(answer);
}

/* ---------- the public entry points ---------- */

spotify_status spotify_operation_call(void **out, spotify_client *client,
                                      const spotify_operation *op, const void *args,
                                      spotify_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (client == NULL || op == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_operation_call: client and operation must not be NULL");
    spotify__http_response response;
    spotify_status st = spotify__op_send(&response, client, op, args, 0, err);
    void *result = NULL;
    if (st == SPOTIFY_OK)
        st = spotify__op_decode(&result, op, response.status, &response.body, err);
    spotify__client_response_release(client, &response);
    if (out != NULL)
        *out = result;
    else
        spotify_model_free(result);
    return st;
}

/* ---------- the registry ---------- */

size_t spotify_operation_count(void)
{
    return spotify__operation_count;
}

const spotify_operation *spotify_operation_at(size_t index)
{
    return index < spotify__operation_count ? spotify__operations[index] : NULL;
}

const spotify_operation *spotify_operation_find(const char *name)
{
    if (name == NULL)
        return NULL;
    const char *bare = strncmp(name, "spotify_", 8) == 0 ? name + 8 : name;
    for (size_t i = 0; i < spotify__operation_count; i++) {
        const spotify_operation *op = spotify__operations[i];
        if (strcmp(op->id, name) == 0 || strcmp(op->name, bare) == 0)
            return op;
    }
    return NULL;
}

const char *spotify_operation_id(const spotify_operation *op)
{
    return op != NULL ? op->id : "";
}

const char *spotify_operation_name(const spotify_operation *op)
{
    return op != NULL ? op->name : "";
}

const char *spotify_operation_method(const spotify_operation *op)
{
    return op != NULL ? op->method : "";
}

const char *spotify_operation_path(const spotify_operation *op)
{
    return op != NULL ? op->path : "";
}

const char *spotify_operation_reference(const spotify_operation *op)
{
    return op != NULL ? op->reference : "";
}

bool spotify_operation_deprecated(const spotify_operation *op)
{
    return op != NULL && (op->flags & SPOTIFY__OP_DEPRECATED) != 0;
}

const char *spotify_operation_scopes(const spotify_operation *op)
{
    return op != NULL ? op->scopes : "";
}

const char *spotify_operation_scopes_required(const spotify_operation *op)
{
    return op != NULL ? op->scopes_all : "";
}

const char *spotify_operation_scopes_any(const spotify_operation *op)
{
    return op != NULL ? op->scopes_any : "";
}

const spotify_model_type *spotify_operation_result_type(const spotify_operation *op)
{
    return op != NULL ? op->result_type : NULL;
}

size_t spotify_operation_batch_max(const spotify_operation *op)
{
    for (uint32_t i = 0; op != NULL && i < op->param_count; i++)
        if ((op->params[i].flags & SPOTIFY__PARAM_BATCH) != 0)
            return op->params[i].max_items;
    return 0;
}

bool spotify_operation_pageable(const spotify_operation *op)
{
    return op != NULL && op->page_kind != SPOTIFY__PAGE_NONE;
}
