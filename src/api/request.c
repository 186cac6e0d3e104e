/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/request.c - building an operation's request from its args struct and
 * descriptor (pure, after validation): the path with every {name} replaced
 * by its percent-encoded value, the query string in descriptor order, and
 * the body (JSON through the table-driven encoder, or raw text).
 *
 * IDs, URIs and links are normalised on the way: ID parameters are sent as
 * bare IDs, URI parameters as spotify: URIs, whatever form the caller used.
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

/* The canonical text of one ID-like value (already validated) into `out`
 * (SPOTIFY_URI_MAX bytes): a bare ID for ID kinds, a URI for URI kinds,
 * the value itself for anything else. */
static const char *canonical(char *out, const spotify__param_desc *p, const char *value)
{
    if (!is_id_kind(p->kind) && !is_uri_kind(p->kind))
        return value;
    uint32_t types =
        p->kind == SPOTIFY__PARAM_USER ? SPOTIFY__ID_BIT(SPOTIFY_ID_USER) : p->id_types;
    spotify_id id;
    char why[8];
    if (!spotify__id_parse_types(&id, value, types, why, sizeof why))
        return value; /* unreachable after validation */
    if (is_id_kind(p->kind))
        snprintf(out, SPOTIFY_URI_MAX, "%s", id.id);
    else
        snprintf(out, SPOTIFY_URI_MAX, "spotify:%s:%s", spotify_id_type_name(id.type), id.id);
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

/* Appends the encoded value of a given parameter; false when not given. */
static bool append_value(spotify__strbuf *sb, const spotify__param_desc *p, const char *args)
{
    const char *at = args + p->offset;
    char buf[SPOTIFY_URI_MAX];
    switch (p->kind) {
    case SPOTIFY__PARAM_IDS:
    case SPOTIFY__PARAM_URIS:
    case SPOTIFY__PARAM_LIST: {
        spotify_string_list list;
        memcpy(&list, at, sizeof list);
        for (size_t i = 0; i < list.count; i++) {
            if (i > 0)
                spotify__strbuf_append_str(sb, "%2C");
            append_encoded(sb, canonical(buf, p, list.items[i]));
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
        append_encoded(sb, canonical(buf, p, value));
        return true;
    }
    }
}

/* ---------- path and query ---------- */

static const spotify__param_desc *path_param(const spotify_operation *op, const char *name,
                                             size_t len)
{
    for (uint32_t i = 0; i < op->param_count; i++) {
        const spotify__param_desc *p = &op->params[i];
        if (p->in == SPOTIFY__IN_PATH && strlen(p->name) == len && memcmp(p->name, name, len) == 0)
            return p;
    }
    return NULL;
}

static spotify_status build_path(spotify__strbuf *sb, const spotify_operation *op, const char *args,
                                 spotify_error *err)
{
    for (const char *s = op->path; *s != '\0';) {
        const char *open = strchr(s, '{');
        if (open == NULL) {
            spotify__strbuf_append_str(sb, s);
            break;
        }
        const char *close = strchr(open, '}');
        const spotify__param_desc *p =
            close != NULL ? path_param(op, open + 1, (size_t)(close - open - 1)) : NULL;
        if (p == NULL || args == NULL)
            return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_%s: path %s: no value",
                                      op->name, op->path);
        spotify__strbuf_append(sb, s, (size_t)(open - s));
        append_value(sb, p, args);
        s = close + 1;
    }
    return SPOTIFY_OK;
}

static void build_query(spotify__strbuf *sb, const spotify_operation *op, const char *args)
{
    bool first = true;
    for (uint32_t i = 0; i < op->param_count && args != NULL; i++) {
        const spotify__param_desc *p = &op->params[i];
        if (p->in != SPOTIFY__IN_QUERY)
            continue;
        size_t mark = sb->len;
        spotify__strbuf_append_char(sb, first ? '?' : '&');
        append_encoded(sb, p->name);
        spotify__strbuf_append_char(sb, '=');
        if (append_value(sb, p, args)) {
            first = false;
        } else if (!sb->failed) {
            sb->len = mark; /* not given: take the key back */
            sb->data[mark] = '\0';
        }
    }
}

/* ---------- the JSON body ---------- */

/* Normalised copies of the ID / URI members of `body` in a scratch arena,
 * so links and URIs are sent in the form the Web API wants. */
static bool normalize_list(spotify__arena *scratch, const spotify__param_desc *p, char *at)
{
    spotify__list_layout list;
    memcpy(&list, at, sizeof list);
    if (list.count == 0)
        return true;
    size_t size = p->kind == SPOTIFY__PARAM_URI_ITEMS ? p->item_size : sizeof(const char *);
    char *items = spotify__arena_calloc(scratch, list.count, size);
    if (items == NULL)
        return false;
    memcpy(items, list.items, list.count * size);
    for (size_t i = 0; i < list.count; i++) {
        char *slot =
            items + i * size + (p->kind == SPOTIFY__PARAM_URI_ITEMS ? p->item_uri_offset : 0);
        char buf[SPOTIFY_URI_MAX];
        const char *value = load_str(slot);
        if (value == NULL)
            continue;
        char *copy = spotify__arena_strdup(scratch, canonical(buf, p, value));
        if (copy == NULL)
            return false;
        store_ptr(slot, copy);
    }
    store_ptr(at + offsetof(spotify__list_layout, items), items);
    return true;
}

static const void *normalized_body(spotify__arena *scratch, const spotify_operation *op,
                                   const char *body)
{
    char *copy = spotify__arena_alloc(scratch, op->body_type->size);
    if (copy == NULL)
        return NULL;
    memcpy(copy, body, op->body_type->size);
    for (uint32_t i = 0; i < op->param_count; i++) {
        const spotify__param_desc *p = &op->params[i];
        if (p->in != SPOTIFY__IN_BODY || (!is_id_kind(p->kind) && !is_uri_kind(p->kind)))
            continue;
        char *at = copy + p->offset;
        if (p->kind == SPOTIFY__PARAM_ID || p->kind == SPOTIFY__PARAM_URI) {
            char buf[SPOTIFY_URI_MAX];
            const char *value = load_str(at);
            char *text =
                value != NULL ? spotify__arena_strdup(scratch, canonical(buf, p, value)) : NULL;
            if (value != NULL && text == NULL)
                return NULL;
            store_ptr(at, text);
        } else if (!normalize_list(scratch, p, at)) {
            return NULL;
        }
    }
    return copy;
}

static spotify_status build_body(spotify__op_request *out, const spotify_operation *op,
                                 const char *args, spotify_error *err)
{
    const char *body = load_str(args + op->body_offset);
    if (body == NULL)
        return SPOTIFY_OK;
    spotify__arena *scratch = spotify__arena_new(0);
    const void *object = scratch != NULL ? normalized_body(scratch, op, body) : NULL;
    spotify__json_writer w;
    spotify__jw_init(&w, &out->body);
    if (object != NULL)
        spotify__encode(&w, op->body_type, object);
    spotify__arena_free(scratch);
    if (object == NULL || out->body.failed)
        return spotify__error_oom(err);
    if (!spotify__jw_ok(&w))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_%s: body: cannot be encoded (a list without items, or "
                                  "invalid text in a JSON member)",
                                  op->name);
    out->has_body = strcmp(spotify__strbuf_cstr(&out->body), "{}") != 0;
    return SPOTIFY_OK;
}

static void build_raw_body(spotify__op_request *out, const spotify_operation *op, const char *args)
{
    for (uint32_t i = 0; i < op->param_count; i++) {
        const spotify__param_desc *p = &op->params[i];
        if (p->in != SPOTIFY__IN_RAW)
            continue;
        const char *value = load_str(args + p->offset);
        if (value == NULL)
            continue;
        out->raw_body = value;
        out->raw_len = strlen(value);
        out->has_body = true;
        out->content_type = p->kind == SPOTIFY__PARAM_JPEG ? "image/jpeg" : "text/plain";
    }
}

/* ---------- entry points ---------- */

spotify_status spotify__op_build(spotify__op_request *out, const spotify_operation *op,
                                 const void *args, unsigned flags, spotify_error *err)
{
    memset(out, 0, sizeof *out);
    spotify__strbuf_init(&out->target);
    spotify__strbuf_init(&out->body);
    spotify_status st = spotify__op_validate(op, args, flags, err);
    if (st != SPOTIFY_OK)
        return st;
    out->method = op->method;
    const char *bytes = args;
    st = build_path(&out->target, op, bytes, err);
    if (st != SPOTIFY_OK)
        return st;
    build_query(&out->target, op, bytes);
    if (out->target.failed)
        return spotify__error_oom(err);
    if (bytes != NULL && op->body_type != NULL)
        st = build_body(out, op, bytes, err);
    else if (bytes != NULL)
        build_raw_body(out, op, bytes);
    return st;
}

void spotify__op_request_release(spotify__op_request *request)
{
    if (request == NULL)
        return;
    spotify__strbuf_release(&request->target);
    spotify__strbuf_release(&request->body);
}
