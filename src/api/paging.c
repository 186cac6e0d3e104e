/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/paging.c - pagers and collect (spotify/paging.h) over offset and
 * cursor paging objects.
 *
 * Both walk the same "page source": the first request is built from the
 * args (asking for the operation's largest page unless `limit` was set),
 * then each page's `next` is followed exactly as Spotify returned it, after
 * checking that it points at the API base URL's origin (the bearer token
 * must never go to another host). A pager decodes each page into its own
 * model and frees it before fetching the next, so memory stays flat; collect
 * decodes every page into one arena and keeps the items.
 */
#include "execute.h"

#include <spotify/paging.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "decode.h"

/* ---------- origins ---------- */

typedef struct origin {
    bool https;
    const char *host;
    size_t host_len;
    long port;
} origin;

/* scheme://host[:port] at the start of `url`; false for anything else
 * (relative URLs, other schemes, user info, a bad port). */
static bool origin_parse(origin *o, const char *url)
{
    const char *rest;
    if (strncasecmp(url, "https://", 8) == 0) {
        o->https = true;
        rest = url + 8;
    } else if (strncasecmp(url, "http://", 7) == 0) {
        o->https = false;
        rest = url + 7;
    } else {
        return false;
    }
    size_t authority = strcspn(rest, "/?#");
    if (memchr(rest, '@', authority) != NULL || authority == 0)
        return false;
    const char *colon = NULL;
    if (rest[0] == '[') { /* [v6]:port */
        const char *end = memchr(rest, ']', authority);
        if (end == NULL)
            return false;
        colon = end + 1 < rest + authority ? end + 1 : NULL;
        if (colon != NULL && *colon != ':')
            return false;
    } else {
        colon = memchr(rest, ':', authority);
    }
    o->host = rest;
    o->host_len = colon != NULL ? (size_t)(colon - rest) : authority;
    o->port = o->https ? 443 : 80;
    if (colon != NULL) {
        long port = 0;
        const char *p = colon + 1;
        if (p == rest + authority)
            return false;
        for (; p < rest + authority; p++) {
            if (*p < '0' || *p > '9' || port > 65535)
                return false;
            port = port * 10 + (*p - '0');
        }
        if (port < 1 || port > 65535)
            return false;
        o->port = port;
    }
    return o->host_len > 0;
}

bool spotify__same_origin(const char *base, const char *url)
{
    origin a;
    origin b;
    if (base == NULL || url == NULL || !origin_parse(&a, base) || !origin_parse(&b, url))
        return false;
    return a.https == b.https && a.port == b.port && a.host_len == b.host_len &&
           strncasecmp(a.host, b.host, a.host_len) == 0;
}

/* ---------- the page source ---------- */

typedef struct page_source {
    spotify_client *client;
    const spotify_operation *op;
    char *first;           /* the first request's target (Owned) */
    char *accept_language; /* Owned, may be NULL */
    char *next;            /* the next page's URL (Owned); NULL: none */
    char member[32];       /* where the page is in the answer; "" for the answer itself */
    bool check_scopes;     /* the scope check before the first page (args or client) */
    bool started;
    size_t pages;
    /* A hostile or broken server must not make a list endless: the hashes
     * of every page URL fetched (a repeated `next` ends the list with
     * SPOTIFY_EPROTOCOL), and the items received (more than `total` too). */
    spotify__strbuf seen; /* uint64_t hashes */
    int64_t received;
    bool next_repeats; /* the last page's `next` was fetched before */
} page_source;

/* FNV-1a over a URL: a collision could only end a list early, which the
 * server can do anyway. */
static uint64_t url_hash(const char *a, const char *b)
{
    uint64_t h = 14695981039346656037ULL;
    for (const char *s = a; s != NULL && *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    for (const char *s = b; s != NULL && *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Records `hash` as fetched; false (with *repeated) when it already was. */
static bool url_remember(page_source *src, uint64_t hash, bool *repeated)
{
    *repeated = false;
    size_t n = src->seen.len / sizeof hash;
    for (size_t i = 0; i < n; i++) {
        uint64_t h;
        memcpy(&h, src->seen.data + i * sizeof h, sizeof h);
        if (h == hash) {
            *repeated = true;
            return false;
        }
    }
    return spotify__strbuf_append(&src->seen, (const char *)&hash, sizeof hash);
}

static const char *load_str(const char *at)
{
    const char *s;
    memcpy(&s, at, sizeof s);
    return s;
}

/* Search pages the one type its `type` argument names: "album" -> "albums". */
static spotify_status member_from_type(page_source *src, const char *args, spotify_error *err)
{
    const char *type = NULL;
    for (uint32_t i = 0; i < src->op->param_count && args != NULL; i++)
        if (strcmp(src->op->params[i].name, "type") == 0)
            type = load_str(args + src->op->params[i].offset);
    if (type == NULL || strchr(type, ',') != NULL || strlen(type) + 2 > sizeof src->member)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_%s: type: a pager walks one type; name exactly one",
                                  src->op->name);
    snprintf(src->member, sizeof src->member, "%ss", type);
    return SPOTIFY_OK;
}

/* Args with every parameter unset, as the INIT macros make them. */
static void args_default(const spotify_operation *op, char *args)
{
    memset(args, 0, op->args_size);
    spotify__args_head head = {SPOTIFY_ARGS_VERSION, SPOTIFY_CALL_OPTIONS_INIT};
    memcpy(args, &head, sizeof head);
    for (uint32_t i = 0; i < op->param_count; i++) {
        const spotify__param_desc *p = &op->params[i];
        int64_t unset = SPOTIFY_UNSET;
        double unset_number = SPOTIFY_UNSET_NUMBER;
        int unset_bool = SPOTIFY_UNSET_BOOL;
        if (p->in == SPOTIFY__IN_BODY)
            continue;
        if (p->kind == SPOTIFY__PARAM_INT)
            memcpy(args + p->offset, &unset, sizeof unset);
        else if (p->kind == SPOTIFY__PARAM_NUMBER)
            memcpy(args + p->offset, &unset_number, sizeof unset_number);
        else if (p->kind == SPOTIFY__PARAM_BOOL)
            memcpy(args + p->offset, &unset_bool, sizeof unset_bool);
    }
}

/* The args (defaults for NULL) with `limit` set to the operation's largest
 * page when unset. */
static char *args_with_page_size(const spotify_operation *op, const void *args, spotify_error *err)
{
    char *copy = spotify__malloc(op->args_size);
    if (copy == NULL) {
        spotify__error_oom(err);
        return NULL;
    }
    if (args != NULL)
        memcpy(copy, args, op->args_size);
    else
        args_default(op, copy);
    if (op->limit_param >= 0 && op->page_max > 0) {
        const spotify__param_desc *p = &op->params[op->limit_param];
        int64_t limit;
        memcpy(&limit, copy + p->offset, sizeof limit);
        if (limit == SPOTIFY_UNSET)
            memcpy(copy + p->offset, &op->page_max, sizeof op->page_max);
    }
    return copy;
}

static spotify_status source_init(page_source *src, spotify_client *client,
                                  const spotify_operation *op, const void *args, spotify_error *err)
{
    memset(src, 0, sizeof *src);
    src->client = client;
    src->op = op;
    src->check_scopes = client != NULL && spotify__op_checks_scopes(client, args);
    if (client == NULL || op == NULL || op->page_kind == SPOTIFY__PAGE_NONE)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "%s%s is not a paged list",
                                  op != NULL ? "spotify_" : "operation",
                                  op != NULL ? op->name : "");
    if (op->page_member != NULL && strcmp(op->page_member, "*") == 0) {
        spotify_status st = member_from_type(src, args, err);
        if (st != SPOTIFY_OK)
            return st;
    } else if (op->page_member != NULL) {
        snprintf(src->member, sizeof src->member, "%s", op->page_member);
    }
    char *sized = args_with_page_size(op, args, err);
    if (sized == NULL)
        return SPOTIFY_ENOMEM;
    spotify__op_request request;
    spotify_status st = spotify__op_build(&request, op, sized, 0, err);
    if (st == SPOTIFY_OK) {
        src->first = spotify__strdup(spotify__strbuf_cstr(&request.target));
        const spotify__args_head *head = args;
        if (head != NULL && head->call.accept_language != NULL)
            src->accept_language = spotify__strdup(head->call.accept_language);
        if (src->first == NULL ||
            (head != NULL && head->call.accept_language != NULL && src->accept_language == NULL))
            st = spotify__error_oom(err);
    }
    spotify__op_request_release(&request);
    spotify__free(sized);
    return st;
}

static void source_release(page_source *src)
{
    spotify__strbuf_release(&src->seen);
    spotify__free(src->first);
    spotify__free(src->accept_language);
    spotify__free(src->next);
}

static bool source_done(const page_source *src)
{
    return src->started && src->next == NULL && !src->next_repeats;
}

/* Fetches the next page's answer. */
static spotify_status source_fetch(page_source *src, spotify__api_response *out, spotify_error *err)
{
    spotify__api_request request = {.method = "GET", .accept_language = src->accept_language};
    out->http_status = 0;
    out->attempts = 0;
    spotify__strbuf_init(&out->body);
    if (!src->started) {
        /* a pager is a typed operation: the opt-in scope check applies */
        spotify_status st =
            src->check_scopes ? spotify__op_scope_check(src->client, src->op, err) : SPOTIFY_OK;
        if (st != SPOTIFY_OK)
            return st;
        request.target = src->first;
        bool repeated;
        if (!url_remember(src, url_hash(spotify_client_api_base_url(src->client), src->first),
                          &repeated))
            return spotify__error_oom(err);
    } else {
        const char *base = spotify_client_api_base_url(src->client);
        if (src->next_repeats)
            return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0,
                                      "spotify_%s: the server's next page link repeats a page "
                                      "already fetched (after page %zu); the list would never end",
                                      src->op->name, src->pages);
        if (!spotify__same_origin(base, src->next))
            return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0,
                                      "spotify_%s: refusing to follow the next page at \"%.80s\": "
                                      "not at the API base URL's origin (%s)",
                                      src->op->name, src->next, base);
        request.url = src->next;
    }
    src->started = true;
    src->pages++;
    return spotify__client_send_raw(out, src->client, &request, err);
}

/* ---------- reading a page ---------- */

typedef struct page_view {
    const void *page; /* the paging object; NULL when the answer has none */
    const spotify__type_desc *type;
    const char *items;
    size_t count;
    size_t item_size;
    const char *next;
    int64_t total; /* -1 when absent */
} page_view;

static spotify_status page_locate(page_view *v, const page_source *src, const void *result,
                                  spotify_error *err)
{
    memset(v, 0, sizeof *v);
    v->total = -1;
    const spotify__type_desc *type = src->op->result_type;
    const char *page = result;
    if (src->member[0] != '\0') {
        const spotify__field_desc *f = spotify__find_field(type, src->member, strlen(src->member));
        if (f == NULL || f->kind != SPOTIFY__FIELD_OBJECT)
            return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                      "spotify_%s: the answer has no page \"%s\"", src->op->name,
                                      src->member);
        type = f->type;
        page = result != NULL ? load_str((const char *)result + f->offset) : NULL;
    }
    v->type = type;
    v->page = page;
    const spotify__field_desc *items = spotify__find_field(type, "items", 5);
    const spotify__field_desc *next = spotify__find_field(type, "next", 4);
    const spotify__field_desc *total = spotify__find_field(type, "total", 5);
    if (items == NULL || items->kind != SPOTIFY__FIELD_LIST || next == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_%s: %s is not a page",
                                  src->op->name, type->name);
    v->item_size = spotify__element_size(items);
    if (page == NULL)
        return SPOTIFY_OK;
    spotify__list_layout list;
    memcpy(&list, page + items->offset, sizeof list);
    v->items = list.items;
    v->count = list.count;
    v->next = load_str(page + next->offset);
    const spotify_object_meta *meta = (const spotify_object_meta *)page;
    if (total != NULL && spotify_meta_has(meta, total->index) &&
        !spotify_meta_is_null(meta, total->index))
        memcpy(&v->total, page + total->offset, sizeof v->total);
    return SPOTIFY_OK;
}

/* Remembers where the page after `v` is; an empty page ends the list.
 * More items than the page's `total` is a protocol error, and so is a
 * `next` already fetched, when it would be followed (this page's items
 * are still delivered). */
static spotify_status source_advance(page_source *src, const page_view *v, spotify_error *err)
{
    spotify__free(src->next);
    src->next = NULL;
    src->received += (int64_t)v->count;
    if (v->total >= 0 && src->received > v->total)
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0,
                                  "spotify_%s: the server sent %lld items, more than the %lld of "
                                  "its total; the list is not followed further",
                                  src->op->name, (long long)src->received, (long long)v->total);
    if (v->next == NULL || v->next[0] == '\0' || v->count == 0)
        return SPOTIFY_OK;
    bool repeated;
    if (!url_remember(src, url_hash(v->next, NULL), &repeated)) {
        src->next_repeats = repeated;
        return repeated ? SPOTIFY_OK : spotify__error_oom(err);
    }
    src->next = spotify__strdup(v->next);
    return src->next != NULL ? SPOTIFY_OK : spotify__error_oom(err);
}

/* ---------- pagers ---------- */

struct spotify_pager {
    page_source src;
    void *result;   /* the current answer (a model that owns its arena) */
    page_view view; /* its page */
    size_t position;
    int64_t total;
    spotify_status failed; /* sticky */
    spotify_error failure;
};

spotify_status spotify_pager_new(spotify_pager **out, spotify_client *client,
                                 const spotify_operation *op, const void *args, spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_pager_new: out is NULL");
    *out = NULL;
    spotify_pager *pager = spotify__calloc(1, sizeof *pager);
    if (pager == NULL)
        return spotify__error_oom(err);
    pager->total = -1;
    spotify_status st = source_init(&pager->src, client, op, args, err);
    if (st != SPOTIFY_OK) {
        spotify_pager_free(pager);
        return st;
    }
    *out = pager;
    return SPOTIFY_OK;
}

/* Frees the current page and fetches the next (flat memory: one page at a
 * time). */
static spotify_status pager_fetch(spotify_pager *pager, spotify_error *err)
{
    spotify_model_free(pager->result);
    pager->result = NULL;
    memset(&pager->view, 0, sizeof pager->view);
    pager->position = 0;
    spotify__api_response response;
    spotify_status st = source_fetch(&pager->src, &response, err);
    if (st == SPOTIFY_OK)
        st = spotify__op_decode(&pager->result, pager->src.op, response.http_status, &response.body,
                                err);
    spotify__api_response_release(pager->src.client, &response);
    if (st == SPOTIFY_OK)
        st = page_locate(&pager->view, &pager->src, pager->result, err);
    if (st == SPOTIFY_OK)
        st = source_advance(&pager->src, &pager->view, err);
    if (st == SPOTIFY_OK && pager->view.total >= 0)
        pager->total = pager->view.total;
    return st;
}

spotify_status spotify_pager_next_item(const void **item, spotify_pager *pager, spotify_error *err)
{
    if (item != NULL)
        *item = NULL;
    if (pager == NULL || item == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_pager_next_item: bad argument");
    if (pager->failed != SPOTIFY_OK) {
        if (err != NULL)
            *err = pager->failure;
        return pager->failed;
    }
    while (pager->position >= pager->view.count) {
        if (source_done(&pager->src))
            return SPOTIFY_OK;
        spotify_status st = pager_fetch(pager, &pager->failure);
        if (st != SPOTIFY_OK) {
            pager->failed = st;
            if (err != NULL)
                *err = pager->failure;
            return st;
        }
    }
    *item = pager->view.items + pager->position * pager->view.item_size;
    pager->position++;
    return SPOTIFY_OK;
}

int64_t spotify_pager_total(const spotify_pager *pager)
{
    return pager != NULL ? pager->total : -1;
}

size_t spotify_pager_pages(const spotify_pager *pager)
{
    return pager != NULL ? pager->src.pages : 0;
}

const void *spotify_pager_page(const spotify_pager *pager)
{
    return pager != NULL ? pager->view.page : NULL;
}

void spotify_pager_free(spotify_pager *pager)
{
    if (pager == NULL)
        return;
    spotify_model_free(pager->result);
    source_release(&pager->src);
    spotify__free(pager);
}

/* ---------- collect ---------- */

typedef struct collector {
    spotify__arena *arena;
    spotify__strbuf items; /* the collected elements, item_size bytes each */
    size_t count;
    page_view last; /* the last page (in the arena) */
} collector;

/* Fetches one page into the collector's arena and keeps up to `room` of its
 * items. */
static spotify_status collect_page(collector *c, page_source *src, size_t room, spotify_error *err)
{
    spotify__api_response response;
    spotify_status st = source_fetch(src, &response, err);
    void *result = NULL;
    if (st == SPOTIFY_OK && !spotify__body_empty(&response.body)) {
        if (c->arena == NULL)
            c->arena = spotify__arena_new(response.body.len * 2 + 4096);
        st = c->arena == NULL ? spotify__error_oom(err)
                              : spotify__op_decode_into_arena(&result, src->op->result_type,
                                                              c->arena, &response.body, err);
    }
    spotify__api_response_release(src->client, &response);
    page_view v;
    if (st == SPOTIFY_OK)
        st = page_locate(&v, src, result, err);
    if (st == SPOTIFY_OK)
        st = source_advance(src, &v, err);
    if (st != SPOTIFY_OK)
        return st;
    size_t take = v.count < room ? v.count : room;
    if (take > 0 && !spotify__strbuf_append(&c->items, v.items, take * v.item_size))
        return spotify__error_oom(err);
    c->count += take;
    c->last = v;
    return SPOTIFY_OK;
}

/* The result: a paging object like the last page, holding every item. */
static spotify_status collect_finish(void **out, collector *c, spotify_error *err)
{
    const spotify__type_desc *type = c->last.type;
    if (c->arena == NULL)
        c->arena = spotify__arena_new(0);
    char *merged = c->arena != NULL ? spotify__model_new(c->arena, type) : NULL;
    const spotify__field_desc *items = spotify__find_field(type, "items", 5);
    char *copy = c->count > 0 && c->arena != NULL
                     ? spotify__arena_alloc(c->arena, c->count * c->last.item_size)
                     : NULL;
    if (merged == NULL || (c->count > 0 && copy == NULL))
        return spotify__error_oom(err);
    if (c->last.page != NULL)
        memcpy(merged, c->last.page, type->size);
    if (c->count > 0)
        memcpy(copy, c->items.data, c->count * c->last.item_size);
    spotify__list_layout list = {copy, c->count};
    memcpy(merged + items->offset, &list, sizeof list);
    spotify_object_meta *meta = (spotify_object_meta *)(void *)merged;
    meta->present |= (uint64_t)1 << items->index;
    meta->null &= ~((uint64_t)1 << items->index);
    meta->doc_ = NULL; /* several documents hold it */
    *out = merged;
    c->arena = NULL; /* the model owns it now */
    return SPOTIFY_OK;
}

spotify_status spotify_operation_collect(void **out, spotify_client *client,
                                         const spotify_operation *op, const void *args,
                                         size_t max_items, spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_operation_collect: out is NULL");
    *out = NULL;
    page_source src;
    spotify_status st = source_init(&src, client, op, args, err);
    collector c;
    memset(&c, 0, sizeof c);
    spotify__strbuf_init(&c.items);
    size_t want = max_items == 0 ? SIZE_MAX : max_items;
    while (st == SPOTIFY_OK && c.count < want && !source_done(&src))
        st = collect_page(&c, &src, want - c.count, err);
    if (st == SPOTIFY_OK)
        st = collect_finish(out, &c, err);
    spotify__strbuf_release(&c.items);
    spotify__arena_free(c.arena);
    source_release(&src);
    return st;
}
