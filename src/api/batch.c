/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/batch.c - spotify_operation_call_batch: one operation over a list of
 * any length, in chunks of the operation's per-call maximum.
 *
 * The list (the parameter flagged SPOTIFY__PARAM_BATCH that holds items: a
 * query list of the args, or a list member of the JSON body) is never
 * copied: each call gets a copy of the args (and of the body) whose list is
 * a window onto the caller's, and whose insert position, when one was
 * given, is advanced by the items sent before. Results are decoded into one
 * arena and merged in input order.
 */
#include "execute.h"

#include <stdio.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "decode.h"

typedef struct batch {
    const spotify_operation *op;
    const spotify__param_desc *list_param; /* the list being split */
    char *args;                            /* Owned copy of the caller's args */
    char *body;                            /* Owned copy of the body, or NULL */
    spotify__list_layout list;             /* the caller's whole list */
    size_t item_size;
    size_t chunks;
    /* insert positions to advance: the parameter and its given value */
    const spotify__param_desc *positions[4];
    int64_t position_base[4];
    size_t position_count;
    /* results: every chunk's, in one arena */
    spotify__arena *arena;
    void **parts;
    size_t part_count;
} batch;

/* The struct a parameter lives in: the args or the body copy. */
static char *holder(batch *b, const spotify__param_desc *p)
{
    return p->in == SPOTIFY__IN_BODY ? b->body : b->args;
}

static spotify__list_layout list_at(const char *at)
{
    spotify__list_layout list;
    memcpy(&list, at, sizeof list);
    return list;
}

/* The batch list that holds items (the first one; an operation may take its
 * list in the query or in the body). */
static const spotify__param_desc *find_list(batch *b)
{
    for (uint32_t i = 0; i < b->op->param_count; i++) {
        const spotify__param_desc *p = &b->op->params[i];
        char *in = holder(b, p);
        if ((p->flags & SPOTIFY__PARAM_BATCH) != 0 && in != NULL &&
            list_at(in + p->offset).count > 0)
            return p;
    }
    return NULL;
}

static spotify_status batch_init(batch *b, const spotify_operation *op, const void *args,
                                 spotify_error *err)
{
    memset(b, 0, sizeof *b);
    b->op = op;
    b->args = spotify__malloc(op->args_size);
    if (b->args == NULL)
        return spotify__error_oom(err);
    memcpy(b->args, args, op->args_size);
    const void *body = NULL;
    if (op->body_type != NULL)
        memcpy(&body, b->args + op->body_offset, sizeof body);
    if (body != NULL) {
        b->body = spotify__malloc(op->body_type->size);
        if (b->body == NULL)
            return spotify__error_oom(err);
        memcpy(b->body, body, op->body_type->size);
        const void *copy = b->body;
        memcpy(b->args + op->body_offset, &copy, sizeof copy);
    }
    for (uint32_t i = 0; i < op->param_count && b->position_count < 4; i++) {
        const spotify__param_desc *p = &op->params[i];
        const char *in = holder(b, p);
        if ((p->flags & SPOTIFY__PARAM_POSITION) == 0 || in == NULL)
            continue;
        int64_t base;
        memcpy(&base, in + p->offset, sizeof base);
        bool given =
            p->in == SPOTIFY__IN_BODY
                ? spotify_meta_has((const spotify_object_meta *)(const void *)in, p->field_index)
                : base != SPOTIFY_UNSET;
        if (given) {
            b->positions[b->position_count] = p;
            b->position_base[b->position_count++] = base;
        }
    }
    b->list_param = find_list(b);
    if (b->list_param != NULL) {
        b->list = list_at(holder(b, b->list_param) + b->list_param->offset);
        b->item_size = b->list_param->kind == SPOTIFY__PARAM_URI_ITEMS ? b->list_param->item_size
                                                                       : sizeof(const char *);
        b->chunks = (b->list.count + b->list_param->max_items - 1) / b->list_param->max_items;
    }
    return SPOTIFY_OK;
}

static void batch_release(batch *b)
{
    spotify__free(b->args);
    spotify__free(b->body);
    spotify__free(b->parts);
    spotify__arena_free(b->arena);
}

/* Points the copies at chunk `k` and advances the insert positions given
 * by the items sent before it. */
static void chunk_select(batch *b, size_t k)
{
    size_t max = b->list_param->max_items;
    size_t first = k * max;
    size_t count = b->list.count - first < max ? b->list.count - first : max;
    spotify__list_layout window = {(char *)b->list.items + first * b->item_size, count};
    memcpy(holder(b, b->list_param) + b->list_param->offset, &window, sizeof window);
    for (size_t i = 0; i < b->position_count; i++) {
        int64_t position = b->position_base[i] + (int64_t)first;
        memcpy(holder(b, b->positions[i]) + b->positions[i]->offset, &position, sizeof position);
    }
}

/* Keeps a chunk's result, decoded into the batch's arena. */
static spotify_status keep_result(batch *b, const spotify__api_response *response,
                                  spotify_error *err)
{
    if (b->op->result_type == NULL || spotify__body_empty(&response->body))
        return SPOTIFY_OK;
    if (b->arena == NULL) {
        b->arena = spotify__arena_new(response->body.len * 2 * b->chunks + 4096);
        b->parts = spotify__calloc(b->chunks, sizeof *b->parts);
        if (b->arena == NULL || b->parts == NULL)
            return spotify__error_oom(err);
    }
    return spotify__op_decode_into_arena(&b->parts[b->part_count++], b->op->result_type, b->arena,
                                         &response->body, err);
}

static spotify_status run_chunk(batch *b, spotify_client *client, size_t k, spotify_error *err)
{
    chunk_select(b, k);
    spotify__api_response response;
    spotify_status st = spotify__op_send(&response, client, b->op, b->args, 0, err);
    if (st == SPOTIFY_OK)
        st = keep_result(b, &response, err);
    spotify__api_response_release(client, &response);
    if (st != SPOTIFY_OK) {
        size_t max = b->list_param->max_items;
        size_t last = (k + 1) * max < b->list.count ? (k + 1) * max : b->list.count;
        char prefix[96];
        snprintf(prefix, sizeof prefix, "chunk %zu of %zu (items %zu-%zu)", k + 1, b->chunks,
                 k * max + 1, last);
        spotify__error_prefix(err, prefix);
    }
    return st;
}

/* One result: the last part's members, every list the concatenation of the
 * parts' lists in order. */
static spotify_status merge(void **out, batch *b, spotify_error *err)
{
    const spotify__type_desc *type = b->op->result_type;
    if (b->part_count == 0)
        return SPOTIFY_OK;
    char *merged = spotify__model_new(b->arena, type);
    if (merged == NULL)
        return spotify__error_oom(err);
    memcpy(merged, b->parts[b->part_count - 1], type->size);
    spotify_object_meta *meta = (spotify_object_meta *)(void *)merged;
    for (size_t i = 0; i < b->part_count; i++)
        meta->present |= ((const spotify_object_meta *)b->parts[i])->present;
    meta->doc_ = NULL; /* no single document holds the merged result */
    for (uint32_t f = 0; f < type->field_count; f++) {
        const spotify__field_desc *field = &type->fields[f];
        if (field->kind != SPOTIFY__FIELD_LIST)
            continue;
        size_t size = spotify__element_size(field);
        size_t total = 0;
        for (size_t i = 0; i < b->part_count; i++)
            total += list_at((const char *)b->parts[i] + field->offset).count;
        char *items = total > 0 ? spotify__arena_calloc(b->arena, total, size) : NULL;
        if (total > 0 && items == NULL)
            return spotify__error_oom(err);
        size_t at = 0;
        for (size_t i = 0; i < b->part_count; i++) {
            spotify__list_layout part = list_at((const char *)b->parts[i] + field->offset);
            if (part.count > 0)
                memcpy(items + at * size, part.items, part.count * size);
            at += part.count;
        }
        spotify__list_layout whole = {items, total};
        memcpy(merged + field->offset, &whole, sizeof whole);
    }
    *out = merged;
    b->arena = NULL; /* the merged model owns it now */
    return SPOTIFY_OK;
}

spotify_status spotify_operation_call_batch(void **out, spotify_client *client,
                                            const spotify_operation *op, const void *args,
                                            spotify_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (client == NULL || op == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_operation_call_batch: client and operation must not "
                                  "be NULL");
    if (spotify_operation_batch_max(op) == 0)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_%s has no per-call list to split", op->name);
    spotify_status st = spotify__op_validate(op, args, SPOTIFY__VALIDATE_BATCH, err);
    if (st != SPOTIFY_OK)
        return st;
    if (args == NULL)
        return spotify_operation_call(out, client, op, args, err);
    batch b;
    st = batch_init(&b, op, args, err);
    if (st == SPOTIFY_OK && b.chunks <= 1) {
        batch_release(&b);
        return spotify_operation_call(out, client, op, args, err);
    }
    for (size_t k = 0; st == SPOTIFY_OK && k < b.chunks; k++)
        st = run_chunk(&b, client, k, err);
    void *result = NULL;
    if (st == SPOTIFY_OK)
        st = merge(&result, &b, err);
    batch_release(&b);
    if (out != NULL)
        *out = result;
    else
        spotify_model_free(result);
    return st;
}
