/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/request.c - building an operation's request from its args struct and
 * descriptor (pure, after validation): the path with every {name} replaced
 * by its percent-encoded value, the query string in descriptor order, and
 * the body (JSON through the table-driven encoder, or raw text).
 *
 * One walk (spotify__op_walk) validates and builds together: each
 * parameter is read once, in descriptor order, and each ID, URI or link is
 * parsed once, by the check that accepts it, and written from that parse in
 * the form the Web API wants: ID parameters as bare IDs, URI parameters as
 * spotify: URIs, whatever form the caller used.
 */
#include "execute.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "../core/urlencode.h"
#include "../json/json_write.h"
#include "decode.h"
#include "id_parse.h"

static const char *load_str(const char *at)
{
    const char *s;
    memcpy(&s, at, sizeof s);
    return s;
}

static void store_ptr(char *at, const void *ptr)
{
    memcpy(at, &ptr, sizeof ptr);
}

static bool is_id_kind(uint8_t kind)
{
    return kind == SPOTIFY__PARAM_ID || kind == SPOTIFY__PARAM_IDS || kind == SPOTIFY__PARAM_USER;
}

static bool is_uri_kind(uint8_t kind)
{
    return kind == SPOTIFY__PARAM_URI || kind == SPOTIFY__PARAM_URIS ||
           kind == SPOTIFY__PARAM_URI_ITEMS;
}

/* The canonical text of a parsed ID into `out` (SPOTIFY_URI_MAX bytes): a
 * bare ID for ID kinds, a spotify: URI for URI kinds. */
static const char *canonical(char *out, const spotify__param_desc *p, const spotify_id *id)
{
    if (is_id_kind(p->kind))
        return id->id;
    snprintf(out, SPOTIFY_URI_MAX, "spotify:%s:%s", spotify_id_type_name(id->type), id->id);
    return out;
}

/* ---------- values as text ---------- */

static void append_encoded(spotify__strbuf *sb, const char *s)
{
    spotify__url_encode(sb, s, strlen(s));
}

/* The shortest decimal text that reads back as `v`. */
static void append_number(spotify__strbuf *sb, double v)
{
    char text[40];
    if (v == (double)(int64_t)v && v > -1e15 && v < 1e15) {
        spotify__strbuf_appendf(sb, "%lld", (long long)v);
        return;
    }
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(text, sizeof text, "%.*g", precision, v);
        if (strtod(text, NULL) == v)
            break;
    }
    spotify__strbuf_append_str(sb, text);
}

/* Appends the encoded value of a given parameter that is not an ID or URI
 * (those come from the walk's `id` hook); false when not given. */
static bool append_value(spotify__strbuf *sb, const spotify__param_desc *p, const char *args)
{
    const char *at = args + p->offset;
    switch (p->kind) {
    case SPOTIFY__PARAM_LIST: {
        spotify_string_list list;
        memcpy(&list, at, sizeof list);
        for (size_t i = 0; i < list.count; i++) {
            if (i > 0)
                spotify__strbuf_append_str(sb, "%2C");
            append_encoded(sb, list.items[i]);
        }
        return list.count > 0;
    }
    case SPOTIFY__PARAM_INT: {
        int64_t v;
        memcpy(&v, at, sizeof v);
        if (v == SPOTIFY_UNSET)
            return false;
        spotify__strbuf_appendf(sb, "%lld", (long long)v);
        return true;
    }
    case SPOTIFY__PARAM_NUMBER: {
        double v;
        memcpy(&v, at, sizeof v);
        if (isnan(v))
            return false;
        append_number(sb, v);
        return true;
    }
    case SPOTIFY__PARAM_BOOL: {
        int v;
        memcpy(&v, at, sizeof v);
        if (v == SPOTIFY_UNSET_BOOL)
            return false;
        spotify__strbuf_append_str(sb, v ? "true" : "false");
        return true;
    }
    default: {
        const char *value = load_str(at);
        if (value == NULL)
            return false;
        append_encoded(sb, value);
        return true;
    }
    }
}

/* ---------- the walk's builder ---------- */

/* Path parameters an operation may have (the generator's tables have at
 * most two). */
#define PATH_PARAMS_MAX 4

typedef struct builder {
    spotify__op_request *out;
    const spotify_operation *op;
    const char *args;
    /* path parameters' encoded values, one after another in `path_values` */
    spotify__strbuf path_values;
    const spotify__param_desc *path_params[PATH_PARAMS_MAX];
    size_t path_start[PATH_PARAMS_MAX + 1];
    size_t path_count;
    /* the query parameter being written: where its "?name=" or "&name="
     * starts, and whether a value followed */
    size_t query_mark;
    bool query_value;
    bool query_started; /* a '?' was written */
    /* the JSON body, copied (in `scratch`) once an ID member needs its
     * canonical form written over the caller's */
    spotify__arena *scratch;
    char *body;
    char *items; /* the current body list's copied items */
} builder;

/* Where the current path or query parameter's text goes. */
static spotify__strbuf *value_buffer(builder *b, const spotify__param_desc *p)
{
    return p->in == SPOTIFY__IN_PATH ? &b->path_values : &b->out->target;
}

/* The body copy, made on first need. */
static char *body_copy(builder *b)
{
    if (b->body != NULL)
        return b->body;
    const char *body = load_str(b->args + b->op->body_offset);
    b->scratch = b->scratch != NULL ? b->scratch : spotify__arena_new(0);
    b->body = b->scratch != NULL ? spotify__arena_alloc(b->scratch, b->op->body_type->size) : NULL;
    if (b->body != NULL)
        memcpy(b->body, body, b->op->body_type->size);
    return b->body;
}

/* A body list of IDs or URI items: its items copied, so canonical forms can
 * be written over them. */
static bool body_list_copy(builder *b, const spotify__param_desc *p)
{
    char *body = body_copy(b);
    if (body == NULL)
        return false;
    spotify__list_layout list;
    memcpy(&list, body + p->offset, sizeof list);
    b->items = NULL;
    if (list.count == 0)
        return true;
    size_t size = p->kind == SPOTIFY__PARAM_URI_ITEMS ? p->item_size : sizeof(const char *);
    b->items = spotify__arena_calloc(b->scratch, list.count, size);
    if (b->items == NULL)
        return false;
    memcpy(b->items, list.items, list.count * size);
    store_ptr(body + p->offset + offsetof(spotify__list_layout, items), b->items);
    return true;
}

static bool build_begin(void *user, const spotify__param_desc *p)
{
    builder *b = user;
    switch (p->in) {
    case SPOTIFY__IN_PATH:
        if (b->path_count == PATH_PARAMS_MAX)
            return false;
        b->path_params[b->path_count] = p;
        b->path_start[b->path_count] = b->path_values.len;
        return true;
    case SPOTIFY__IN_QUERY: {
        spotify__strbuf *target = &b->out->target;
        b->query_mark = target->len;
        b->query_value = false;
        spotify__strbuf_append_char(target, b->query_started ? '&' : '?');
        append_encoded(target, p->name);
        spotify__strbuf_append_char(target, '=');
        return true;
    }
    case SPOTIFY__IN_BODY:
        if (p->kind == SPOTIFY__PARAM_IDS || p->kind == SPOTIFY__PARAM_URIS ||
            p->kind == SPOTIFY__PARAM_URI_ITEMS)
            return body_list_copy(b, p);
        return true;
    default:
        return true;
    }
}

/* A body member's canonical ID or URI, written over the copy. */
static bool body_id(builder *b, const spotify__param_desc *p, size_t index, const char *text)
{
    char *body = body_copy(b);
    char *copy = body != NULL ? spotify__arena_strdup(b->scratch, text) : NULL;
    if (copy == NULL)
        return false;
    if (p->kind == SPOTIFY__PARAM_URI_ITEMS)
        store_ptr(b->items + index * p->item_size + p->item_uri_offset, copy);
    else if (p->kind == SPOTIFY__PARAM_IDS || p->kind == SPOTIFY__PARAM_URIS)
        store_ptr(b->items + index * sizeof(const char *), copy);
    else
        store_ptr(body + p->offset, copy);
    return true;
}

static bool build_id(void *user, const spotify__param_desc *p, size_t index, const spotify_id *id)
{
    builder *b = user;
    char buf[SPOTIFY_URI_MAX];
    const char *text = canonical(buf, p, id);
    if (p->in == SPOTIFY__IN_BODY)
        return body_id(b, p, index, text);
    spotify__strbuf *sb = value_buffer(b, p);
    if (index > 0)
        spotify__strbuf_append_str(sb, "%2C");
    append_encoded(sb, text);
    b->query_value = true;
    return !sb->failed;
}

static bool build_end(void *user, const spotify__param_desc *p)
{
    builder *b = user;
    if (p->in == SPOTIFY__IN_RAW) {
        const char *value = load_str(b->args + p->offset);
        if (value != NULL) {
            b->out->raw_body = value;
            b->out->raw_len = strlen(value);
            b->out->has_body = true;
            b->out->content_type = p->kind == SPOTIFY__PARAM_JPEG ? "image/jpeg" : "text/plain";
        }
        return true;
    }
    if (p->in != SPOTIFY__IN_PATH && p->in != SPOTIFY__IN_QUERY)
        return true;
    spotify__strbuf *sb = value_buffer(b, p);
    if (!is_id_kind(p->kind) && !is_uri_kind(p->kind) && append_value(sb, p, b->args))
        b->query_value = true;
    if (p->in == SPOTIFY__IN_PATH) {
        b->path_start[++b->path_count] = sb->len;
    } else if (b->query_value) {
        b->query_started = true;
    } else if (!sb->failed) {
        sb->len = b->query_mark; /* not given: take the key back */
        sb->data[sb->len] = '\0';
    }
    return !sb->failed;
}

/* ---------- path and query ---------- */

/* The encoded value of path parameter `name`, from the walk. */
static bool path_value(const builder *b, const char *name, size_t len, const char **value,
                       size_t *value_len)
{
    for (size_t i = 0; i < b->path_count; i++) {
        const char *p = b->path_params[i]->name;
        if (strlen(p) == len && memcmp(p, name, len) == 0) {
            *value = b->path_values.data + b->path_start[i];
            *value_len = b->path_start[i + 1] - b->path_start[i];
            return true;
        }
    }
    return false;
}

/* The path template with every {name} replaced, then the query the walk
 * wrote, into `target`. */
static spotify_status build_target(builder *b, spotify_error *err)
{
    spotify__strbuf path = SPOTIFY__STRBUF_INIT;
    spotify_status st = SPOTIFY_OK;
    for (const char *s = b->op->path; *s != '\0' && st == SPOTIFY_OK;) {
        const char *open = strchr(s, '{');
        if (open == NULL) {
            spotify__strbuf_append_str(&path, s);
            break;
        }
        const char *close = strchr(open, '}');
        const char *value = NULL;
        size_t len = 0;
        if (close == NULL || !path_value(b, open + 1, (size_t)(close - open - 1), &value, &len)) {
            st = spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_%s: path %s: no value",
                                    b->op->name, b->op->path);
            break;
        }
        spotify__strbuf_append(&path, s, (size_t)(open - s));
        spotify__strbuf_append(&path, value, len);
        s = close + 1;
    }
    spotify__strbuf_append(&path, b->out->target.data, b->out->target.len);
    if (st == SPOTIFY_OK && path.failed)
        st = spotify__error_oom(err);
    spotify__strbuf_release(&b->out->target);
    b->out->target = path;
    return st;
}

/* ---------- the JSON body ---------- */

static spotify_status build_body(builder *b, spotify_error *err)
{
    spotify__op_request *out = b->out;
    const void *object = b->body != NULL ? b->body : load_str(b->args + b->op->body_offset);
    if (object == NULL)
        return SPOTIFY_OK;
    spotify__json_writer w;
    spotify__jw_init(&w, &out->body);
    spotify__encode(&w, b->op->body_type, object);
    if (out->body.failed)
        return spotify__error_oom(err);
    if (!spotify__jw_ok(&w))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_%s: body: cannot be encoded (a list without items, or "
                                  "invalid text in a JSON member)",
                                  b->op->name);
    out->has_body = strcmp(spotify__strbuf_cstr(&out->body), "{}") != 0;
    return SPOTIFY_OK;
}

/* ---------- entry points ---------- */

spotify_status spotify__op_build(spotify__op_request *out, const spotify_operation *op,
                                 const void *args, unsigned flags, spotify_error *err)
{
    memset(out, 0, sizeof *out);
    spotify__strbuf_init(&out->target);
    spotify__strbuf_init(&out->body);
    if (op == NULL)
        return spotify__op_validate(op, args, flags, err);
    out->method = op->method;
    builder b = {.out = out, .op = op, .args = args};
    spotify__strbuf_init(&b.path_values);
    spotify__op_walker walker = {build_begin, build_id, build_end, &b};
    spotify_status st = spotify__op_walk(op, args, flags, &walker, err);
    if (st == SPOTIFY_OK)
        st = build_target(&b, err);
    if (st == SPOTIFY_OK && args != NULL && op->body_type != NULL)
        st = build_body(&b, err);
    spotify__strbuf_release(&b.path_values);
    spotify__arena_free(b.scratch);
    return st;
}

void spotify__op_request_release(spotify__op_request *request)
{
    if (request == NULL)
        return;
    spotify__strbuf_release(&request->target);
    spotify__strbuf_release(&request->body);
}
