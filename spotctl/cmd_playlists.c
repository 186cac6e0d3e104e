/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_playlists.c - playlists list, get, create, add, remove.
 */
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

/* A table of items with the columns #, NAME, ARTISTS, DURATION, ADDED. */
static const char *const item_headers[] = {"#", "NAME", "ARTISTS", "DURATION", "ADDED"};

/* Playlist items, numbered from *user + 1. */
static void item_row(const void *item, void *user, spotctl_cell *c)
{
    int64_t *shown = user;
    spotctl_fields f;
    spotctl_fields_playlist_item(&f, item);
    snprintf(c[0], sizeof c[0], "%lld", (long long)++*shown);
    snprintf(c[1], sizeof c[1], "%s", f.name ? f.name : "");
    snprintf(c[2], sizeof c[2], "%s", f.by);
    if (f.duration_ms >= 0)
        spotctl_format_duration(c[3], sizeof c[3], f.duration_ms);
    if (f.added_at != NULL)
        snprintf(c[4], 11, "%s", f.added_at); /* the date */
}

static void playlist_row(const void *item, void *user, spotctl_cell *c)
{
    (void)user;
    const spotify_simplified_playlist *p = item;
    snprintf(c[0], sizeof c[0], "%s", p->id ? p->id : "");
    snprintf(c[1], sizeof c[1], "%s", p->name ? p->name : "");
    const spotify_playlist_tracks_ref *ref = p->items != NULL ? p->items : p->tracks;
    if (ref != NULL)
        snprintf(c[2], sizeof c[2], "%lld", (long long)ref->total);
    snprintf(c[3], sizeof c[3], "%s",
             p->owner && p->owner->display_name ? p->owner->display_name
             : p->owner && p->owner->id         ? p->owner->id
                                                : "");
    snprintf(c[4], sizeof c[4], "%s",
             spotify_has(p, SPOTIFY_SIMPLIFIED_PLAYLIST_PUBLIC) ? (p->public_ ? "yes" : "no") : "");
}

int spotctl_cmd_playlists_list(spotctl_ctx *ctx, spotctl_args *args)
{
    int64_t limit;
    if (args->npos != 0)
        return spotctl_usage("playlists list", "unexpected argument \"%s\"", args->pos[0]);
    if (!spotctl_limit_arg(args, "playlists list", &limit))
        return SPOTCTL_EXIT_USAGE;
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    static const char *const headers[] = {"ID", "NAME", "ITEMS", "OWNER", "PUBLIC"};
    spotctl_lister l;
    spotctl_lister_init(&l, ctx, headers, 5, 1u << 2, playlist_row, NULL);
    return spotctl_list_op(&l, SPOTIFY_OP_ME_PLAYLISTS_LIST, NULL, limit, "playlists");
}

/* The page of items a full playlist carries (`items`, or the older
 * `tracks`); NULL when it has none. */
static const spotify_paging_playlist_track *first_page(const spotify_playlist *p)
{
    return p->items != NULL ? p->items : p->tracks;
}

/* Every item of playlist `p` (ID `id`) to `fn`, at most `limit` (0: all):
 * its first page, then the rest page by page. Text and --json walk the
 * same way. Returns 0 or the exit code of the printed error. */
static int walk_items(spotctl_ctx *ctx, const spotify_playlist *p, const char *id, int64_t limit,
                      spotctl_item_fn fn, void *user)
{
    const spotify_paging_playlist_track *page = first_page(p);
    if (page == NULL)
        return 0;
    int64_t seen = 0;
    for (size_t i = 0; i < page->items.count && (limit <= 0 || seen < limit); i++, seen++) {
        int rc = fn(&page->items.items[i], user);
        if (rc != 0)
            return rc;
    }
    if ((int64_t)page->items.count >= page->total || (limit > 0 && seen >= limit))
        return 0;
    spotify_playlists_list_items_args la = SPOTIFY_PLAYLISTS_LIST_ITEMS_ARGS_INIT;
    la.playlist_id = id;
    la.market = ctx->market;
    la.offset = (int64_t)page->items.count;
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    int rc = spotify_playlists_list_items_pager(&pager, ctx->client, &la, &err) != SPOTIFY_OK
                 ? spotctl_fail(err.status, &err, NULL)
                 : spotctl_walk(ctx, pager, limit > 0 ? limit - seen : 0, "items", fn, user);
    spotify_pager_free(pager);
    return rc;
}

/* Appends an item's raw JSON (null for a JSON null) and a comma. */
static int append_item(const void *item, void *user)
{
    spotctl_buf *b = user;
    char *json = NULL;
    size_t len = 0;
    spotify_error err = {0};
    if (spotctl_null_item(item))
        return spotctl_buf_str(b, "null,") ? 0
                                           : spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    if (spotify_model_raw_json(&json, &len, item, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    bool ok = spotctl_buf_add(b, json, len) && spotctl_buf_str(b, ",");
    spotify_free(json);
    return ok ? 0 : spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
}

/* Replaces in `text` every occurrence of `from` with `to` (into *out). */
static bool replace_all(spotctl_buf *out, const char *text, const char *from, const char *to)
{
    size_t from_len = strlen(from);
    for (const char *hit; (hit = strstr(text, from)) != NULL; text = hit + from_len)
        if (!spotctl_buf_add(out, text, (size_t)(hit - text)) || !spotctl_buf_str(out, to))
            return false;
    return spotctl_buf_str(out, text);
}

/* --json: the playlist exactly as Spotify sent it (one line), except that
 * its page of items holds every item, up to `limit`, paged through as the
 * text output is. The page's raw JSON is a piece of the playlist's (both
 * are re-serialised compactly from one document), and so is its items
 * array: "items":[ITEM,ITEM...] with each item's own raw JSON. */
static int print_playlist_json(spotctl_ctx *ctx, const spotify_playlist *p, const char *id,
                               int64_t limit)
{
    spotify_error err = {0};
    const spotify_paging_playlist_track *page = first_page(p);
    if (page == NULL)
        return spotctl_print_raw(p, &err) == SPOTIFY_OK ? 0 : spotctl_fail(err.status, &err, NULL);
    char *playlist = NULL, *page_json = NULL;
    spotctl_buf old_items = {0}, new_items = {0}, new_page = {0}, out = {0};
    int rc = 0;
    if (spotify_model_raw_json(&playlist, NULL, p, &err) != SPOTIFY_OK ||
        spotify_model_raw_json(&page_json, NULL, page, &err) != SPOTIFY_OK)
        rc = spotctl_fail(err.status, &err, NULL);
    /* the items array as it stands in the page, and as it will */
    for (size_t i = 0; rc == 0 && i < page->items.count; i++)
        rc = append_item(&page->items.items[i], &old_items);
    if (rc == 0)
        rc = walk_items(ctx, p, id, limit, append_item, &new_items);
    if (rc == 0) {
        /* "items":[A,B,] -> "items":[A,B] */
        if (old_items.len > 0)
            old_items.data[--old_items.len] = '\0';
        if (new_items.len > 0)
            new_items.data[--new_items.len] = '\0';
        spotctl_buf from = {0}, to = {0};
        bool ok = spotctl_buf_str(&from, "\"items\":[") &&
                  spotctl_buf_str(&from, old_items.data ? old_items.data : "") &&
                  spotctl_buf_str(&from, "]") && spotctl_buf_str(&to, "\"items\":[") &&
                  spotctl_buf_str(&to, new_items.data ? new_items.data : "") &&
                  spotctl_buf_str(&to, "]");
        if (ok && strstr(page_json, from.data) == NULL) {
            rc = spotctl_failf(SPOTIFY_EPROTOCOL, NULL,
                               "playlist %s: its items are not where the page says", id);
        } else if (ok) {
            ok = replace_all(&new_page, page_json, from.data, to.data) &&
                 replace_all(&out, playlist, page_json, new_page.data);
        }
        if (!ok && rc == 0)
            rc = spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
        spotctl_buf_free(&from);
        spotctl_buf_free(&to);
    }
    if (rc == 0)
        printf("%s\n", out.data);
    spotify_free(playlist);
    spotify_free(page_json);
    spotctl_buf_free(&old_items);
    spotctl_buf_free(&new_items);
    spotctl_buf_free(&new_page);
    spotctl_buf_free(&out);
    return rc;
}

int spotctl_cmd_playlists_get(spotctl_ctx *ctx, spotctl_args *args)
{
    int64_t limit;
    if (args->npos != 1)
        return spotctl_usage("playlists get", "give exactly one playlist ID");
    if (!spotctl_limit_arg(args, "playlists get", &limit))
        return SPOTCTL_EXIT_USAGE;
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    const char *id = args->pos[0];
    spotify_playlists_get_args a = SPOTIFY_PLAYLISTS_GET_ARGS_INIT;
    a.playlist_id = id;
    a.market = ctx->market;
    spotify_playlist *p = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_playlists_get(&p, ctx->client, &a, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    if (ctx->json) {
        rc = print_playlist_json(ctx, p, id, limit);
        spotify_model_free(p);
        return rc;
    }
    const spotify_paging_playlist_track *page = first_page(p);
    int64_t total = page != NULL ? page->total : 0;
    char text[1024];
    printf("%s\n", spotctl_clean(text, sizeof text, p->name ? p->name : "(no name)"));
    printf("by %s, %lld items%s%s\n",
           spotctl_clean(text, sizeof text,
                         p->owner && p->owner->display_name ? p->owner->display_name : "?"),
           (long long)total,
           spotify_has(p, SPOTIFY_PLAYLIST_PUBLIC) ? (p->public_ ? ", public" : ", private") : "",
           p->collaborative ? ", collaborative" : "");
    if (p->description != NULL && p->description[0] != '\0')
        printf("%s\n", spotctl_clean(text, sizeof text, p->description));
    printf("%s\n\n", spotctl_clean(text, sizeof text, p->uri));

    int64_t shown = 0;
    spotctl_lister l;
    spotctl_lister_init(&l, ctx, item_headers, 5, 1u | 1u << 3, item_row, &shown);
    rc = walk_items(ctx, p, id, limit, spotctl_lister_item, &l);
    spotctl_table_print(&l.table, stdout, (size_t)ctx->term_width);
    spotctl_table_free(&l.table);
    spotify_model_free(p);
    return rc;
}

int spotctl_cmd_playlists_create(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 1)
        return spotctl_usage("playlists create", "give exactly one NAME (quote it)");
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotify_create_playlist_body body;
    memset(&body, 0, sizeof body);
    body.name = args->pos[0];
    body.description = spotctl_args_get(args, "description");
    body.public_ = spotctl_args_has(args, "public");
    spotify_mark_present(&body, SPOTIFY_CREATE_PLAYLIST_BODY_PUBLIC);
    spotify_me_playlists_create_args a = SPOTIFY_ME_PLAYLISTS_CREATE_ARGS_INIT;
    a.body = &body;
    spotify_playlist *p = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_me_playlists_create(&p, ctx->client, &a, &err);
    if (st == SPOTIFY_OK && ctx->json)
        st = spotctl_print_raw(p, &err);
    else if (st == SPOTIFY_OK) {
        char name[512], id[128];
        printf("Created %s playlist \"%s\": %s\n", body.public_ ? "public" : "private",
               spotctl_clean(name, sizeof name, p->name ? p->name : body.name),
               spotctl_clean(id, sizeof id, p->id ? p->id : "?"));
    }
    spotify_model_free(p);
    return st == SPOTIFY_OK ? 0 : spotctl_fail(st, &err, NULL);
}

/* Prints the outcome of an add/remove: text, or {"snapshot_id","count"}. */
static void print_snapshot(const spotctl_ctx *ctx, const char *verb, size_t n, const char *id,
                           const spotify_playlist_snapshot_id *snap)
{
    const char *snapshot = snap != NULL ? snap->snapshot_id : NULL;
    if (ctx->json) {
        spotctl_buf b = {0};
        char count[32];
        spotctl_buf_str(&b, "{\"snapshot_id\":");
        spotctl_buf_json_string(&b, snapshot);
        snprintf(count, sizeof count, ",\"%s\":%zu}", verb, n);
        spotctl_buf_str(&b, count);
        printf("%s\n", b.data ? b.data : "{}");
        spotctl_buf_free(&b);
    } else {
        printf("%s %zu item%s %s playlist %s.\n", strcmp(verb, "added") == 0 ? "Added" : "Removed",
               n, n == 1 ? "" : "s", strcmp(verb, "added") == 0 ? "to" : "from", id);
    }
}

int spotctl_cmd_playlists_add(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos < 2)
        return spotctl_usage("playlists add", "give a playlist ID and at least one URI");
    char **uris = NULL;
    size_t n = 0;
    int rc = spotctl_collect_uris(args, 1, "playlists add", &uris, &n);
    if (rc == 0)
        rc = spotctl_ready(ctx);
    if (rc != 0) {
        spotctl_free_ids(uris, n);
        return rc;
    }
    spotify_playlists_add_items_args a = SPOTIFY_PLAYLISTS_ADD_ITEMS_ARGS_INIT;
    a.playlist_id = args->pos[0];
    a.uris.items = spotctl_const_strings(uris);
    a.uris.count = n;
    spotify_playlist_snapshot_id *snap = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_playlists_add_items_batch(&snap, ctx->client, &a, &err);
    if (st == SPOTIFY_OK)
        print_snapshot(ctx, "added", n, args->pos[0], snap);
    else
        rc = spotctl_fail(st, &err, NULL);
    spotify_model_free(snap);
    spotctl_free_ids(uris, n);
    return rc;
}

int spotctl_cmd_playlists_remove(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos < 2)
        return spotctl_usage("playlists remove", "give a playlist ID and at least one URI");
    char **uris = NULL;
    size_t n = 0;
    int rc = spotctl_collect_uris(args, 1, "playlists remove", &uris, &n);
    if (rc == 0)
        rc = spotctl_ready(ctx);
    if (rc != 0) {
        spotctl_free_ids(uris, n);
        return rc;
    }
    spotify_remove_items_playlist_body_items_item *items = calloc(n, sizeof *items);
    if (items == NULL) {
        spotctl_free_ids(uris, n);
        return spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        items[i].uri = uris[i];
    spotify_remove_items_playlist_body body;
    memset(&body, 0, sizeof body);
    body.items.items = items;
    body.items.count = n;
    spotify_playlists_remove_items_args a = SPOTIFY_PLAYLISTS_REMOVE_ITEMS_ARGS_INIT;
    a.playlist_id = args->pos[0];
    a.body = &body;
    spotify_playlist_snapshot_id *snap = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_playlists_remove_items_batch(&snap, ctx->client, &a, &err);
    if (st == SPOTIFY_OK)
        print_snapshot(ctx, "removed", n, args->pos[0], snap);
    else
        rc = spotctl_fail(st, &err, NULL);
    spotify_model_free(snap);
    free(items);
    spotctl_free_ids(uris, n);
    return rc;
}
