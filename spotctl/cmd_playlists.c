/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_playlists.c - playlists list, get, create, add, remove,
 * rename, describe, public, private, delete, reorder and cover. A playlist
 * is named by its ID, URI or link, or by its exact name when only one of
 * your playlists has it (spotctl_playlist_arg).
 */
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

int spotctl_playlist_arg(spotctl_ctx *ctx, const char *input, char *out, size_t size)
{
    spotify_id id;
    spotify_error err = {0};
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    if (spotify_id_parse(&id, input, SPOTIFY_ID_PLAYLIST, &err) == SPOTIFY_OK) {
        snprintf(out, size, "%s", id.id);
        return 0;
    }
    if (ctx->creds != SPOTCTL_CREDS_USER)
        return spotctl_failf(SPOTIFY_EINVALID, "run `spotctl login` to name your playlists",
                             "%s: not a playlist ID, URI or link (a name needs a login)", input);
    spotify_pager *pager = NULL;
    spotify_status st = spotify_me_playlists_list_pager(&pager, ctx->client, NULL, &err);
    const void *item = NULL;
    size_t found = 0;
    char ids[512] = "";
    while (st == SPOTIFY_OK && (st = spotify_pager_next_item(&item, pager, &err)) == SPOTIFY_OK &&
           item != NULL) {
        const spotify_simplified_playlist *p = item;
        if (spotctl_null_item(p) || p->name == NULL || p->id == NULL || strcmp(p->name, input) != 0)
            continue;
        if (found++ == 0)
            snprintf(out, size, "%s", p->id);
        size_t used = strlen(ids);
        snprintf(ids + used, sizeof ids - used, "%s%s", used ? ", " : "", p->id);
    }
    spotify_pager_free(pager);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    if (found == 1)
        return 0;
    if (found == 0)
        return spotctl_failf(SPOTIFY_ENOTFOUND, "see `spotctl playlists list`",
                             "%s: no playlist of yours has that name, and it is not a playlist "
                             "ID, URI or link",
                             input);
    return spotctl_failf(SPOTIFY_EINVALID, "give one of the IDs",
                         "%s: %zu of your playlists have that name (%s)", input, found, ids);
}

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
        return spotctl_usage("playlists get", "give exactly one PLAYLIST (ID, URI, link or name)");
    if (!spotctl_limit_arg(args, "playlists get", &limit))
        return SPOTCTL_EXIT_USAGE;
    char id[SPOTIFY_ID_MAX + 1];
    int rc = spotctl_playlist_arg(ctx, args->pos[0], id, sizeof id);
    if (rc != 0)
        return rc;
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

/* add and remove: PLAYLIST then URIs (positionals, `-` for stdin, or
 * --ids-file); 0 or an exit code. */
static int items_args(spotctl_ctx *ctx, spotctl_args *args, const char *command, char *id,
                      size_t id_size, char ***uris, size_t *n)
{
    *uris = NULL;
    *n = 0;
    if (args->npos < 1)
        return spotctl_usage(command, "give a PLAYLIST and its items' URIs");
    int rc = spotctl_collect_uris(args, 1, command, uris, n);
    return rc != 0 ? rc : spotctl_playlist_arg(ctx, args->pos[0], id, id_size);
}

int spotctl_cmd_playlists_add(spotctl_ctx *ctx, spotctl_args *args)
{
    char **uris = NULL, id[SPOTIFY_ID_MAX + 1];
    size_t n = 0;
    int rc = items_args(ctx, args, "playlists add", id, sizeof id, &uris, &n);
    if (rc != 0) {
        spotctl_free_ids(uris, n);
        return rc;
    }
    spotify_playlists_add_items_args a = SPOTIFY_PLAYLISTS_ADD_ITEMS_ARGS_INIT;
    a.playlist_id = id;
    a.uris.items = spotctl_const_strings(uris);
    a.uris.count = n;
    spotify_playlist_snapshot_id *snap = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_playlists_add_items_batch(&snap, ctx->client, &a, &err);
    if (st == SPOTIFY_OK)
        print_snapshot(ctx, "added", n, id, snap);
    else
        rc = spotctl_fail(st, &err, NULL);
    spotify_model_free(snap);
    spotctl_free_ids(uris, n);
    return rc;
}

int spotctl_cmd_playlists_remove(spotctl_ctx *ctx, spotctl_args *args)
{
    char **uris = NULL, id[SPOTIFY_ID_MAX + 1];
    size_t n = 0;
    int rc = items_args(ctx, args, "playlists remove", id, sizeof id, &uris, &n);
    spotify_remove_items_playlist_body_items_item *items =
        rc == 0 ? calloc(n, sizeof *items) : NULL;
    if (rc == 0 && items == NULL)
        rc = spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    if (rc != 0) {
        spotctl_free_ids(uris, n);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        items[i].uri = uris[i];
    spotify_remove_items_playlist_body body;
    memset(&body, 0, sizeof body);
    body.items.items = items;
    body.items.count = n;
    spotify_playlists_remove_items_args a = SPOTIFY_PLAYLISTS_REMOVE_ITEMS_ARGS_INIT;
    a.playlist_id = id;
    a.body = &body;
    spotify_playlist_snapshot_id *snap = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_playlists_remove_items_batch(&snap, ctx->client, &a, &err);
    if (st == SPOTIFY_OK)
        print_snapshot(ctx, "removed", n, id, snap);
    else
        rc = spotctl_fail(st, &err, NULL);
    spotify_model_free(snap);
    free(items);
    spotctl_free_ids(uris, n);
    return rc;
}

/* ------------------------------------------------------------------ */
/* rename, describe, public, private                                   */
/* ------------------------------------------------------------------ */

typedef enum change_what {
    CHANGE_NAME = 0,
    CHANGE_DESCRIPTION,
    CHANGE_PUBLIC,
    CHANGE_PRIVATE
} change_what;

struct spotctl_playlist_change {
    change_what what;
    const char *done; /* "Renamed playlist %s." */
};

const spotctl_playlist_change spotctl_playlist_rename = {CHANGE_NAME, "Renamed playlist"};
const spotctl_playlist_change spotctl_playlist_describe = {CHANGE_DESCRIPTION,
                                                           "Set the description of playlist"};
const spotctl_playlist_change spotctl_playlist_public = {CHANGE_PUBLIC, "Made public: playlist"};
const spotctl_playlist_change spotctl_playlist_private = {CHANGE_PRIVATE, "Made private: playlist"};

/* PLAYLIST alone, or PLAYLIST and one TEXT; the playlist's ID into `id`. */
static int playlist_and_text(spotctl_ctx *ctx, const spotctl_args *args, size_t texts, char *id,
                             size_t size)
{
    char command[64];
    spotctl_command_name(command, sizeof command, ctx->cmd);
    if (args->npos != 1 + texts)
        return spotctl_usage(command, texts ? "give PLAYLIST and one TEXT (quote it)"
                                            : "give exactly one PLAYLIST");
    return spotctl_playlist_arg(ctx, args->pos[0], id, size);
}

int spotctl_cmd_playlists_change(spotctl_ctx *ctx, spotctl_args *args)
{
    const spotctl_playlist_change *change = ctx->cmd->data;
    bool text = change->what == CHANGE_NAME || change->what == CHANGE_DESCRIPTION;
    char id[SPOTIFY_ID_MAX + 1];
    int rc = playlist_and_text(ctx, args, text ? 1 : 0, id, sizeof id);
    if (rc != 0)
        return rc;
    spotify_change_playlist_details_body body;
    memset(&body, 0, sizeof body);
    const char *member = "public";
    if (change->what == CHANGE_NAME) {
        body.name = args->pos[1];
        member = "name";
    } else if (change->what == CHANGE_DESCRIPTION) {
        body.description = args->pos[1];
        member = "description";
    } else {
        body.public_ = change->what == CHANGE_PUBLIC;
        spotify_mark_present(&body, SPOTIFY_CHANGE_PLAYLIST_DETAILS_BODY_PUBLIC);
    }
    spotify_playlists_change_details_args a = SPOTIFY_PLAYLISTS_CHANGE_DETAILS_ARGS_INIT;
    a.playlist_id = id;
    a.body = &body;
    spotify_error err = {0};
    spotify_status st = spotify_playlists_change_details(ctx->client, &a, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    spotctl_buf b = {0};
    bool ok = spotctl_buf_str(&b, "{\"id\":") && spotctl_buf_json_string(&b, id) &&
              spotctl_buf_str(&b, ",\"") && spotctl_buf_str(&b, member) &&
              spotctl_buf_str(&b, "\":");
    if (text)
        ok = ok && spotctl_buf_json_string(&b, args->pos[1]);
    else
        ok = ok && spotctl_buf_str(&b, body.public_ ? "true" : "false");
    ok = ok && spotctl_buf_str(&b, "}");
    if (ctx->json)
        printf("%s\n", ok ? b.data : "{}");
    else
        printf("%s %s.\n", change->done, id);
    spotctl_buf_free(&b);
    return 0;
}

/* delete: Spotify has no deletion; the owner unfollows the playlist. */
int spotctl_cmd_playlists_delete(spotctl_ctx *ctx, spotctl_args *args)
{
    char id[SPOTIFY_ID_MAX + 1], uri[SPOTIFY_URI_MAX];
    int rc = playlist_and_text(ctx, args, 0, id, sizeof id);
    if (rc != 0)
        return rc;
    spotify_error err = {0};
    if (spotify_id_uri(uri, sizeof uri, SPOTIFY_ID_PLAYLIST, id, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    const char *uris[] = {uri};
    spotify_library_remove_args a = SPOTIFY_LIBRARY_REMOVE_ARGS_INIT;
    a.uris.items = uris;
    a.uris.count = 1;
    spotify_status st = spotify_library_remove(ctx->client, &a, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    if (ctx->json)
        printf("{\"unfollowed\":\"%s\"}\n", id);
    else
        printf("Deleted playlist %s from your playlists: Spotify deletes nothing, it unfollowed "
               "it. Whoever follows it keeps it; `spotctl follow playlists %s` brings it back.\n",
               id, id);
    return 0;
}

/* reorder PLAYLIST FROM TO [--count N]: positions count from 1, as
 * `playlists get` numbers items; the items move before the one at TO
 * (counted before the move; one past the last is the end). */
int spotctl_cmd_playlists_reorder(spotctl_ctx *ctx, spotctl_args *args)
{
    int64_t from, to, count = 1;
    const char *count_text = spotctl_args_get(args, "count");
    if (args->npos != 3 || !spotctl_parse_int(args->pos[1], 1, INT32_MAX, &from) ||
        !spotctl_parse_int(args->pos[2], 1, INT32_MAX, &to))
        return spotctl_usage("playlists reorder", "give PLAYLIST FROM TO (positions from 1)");
    if (count_text != NULL && !spotctl_parse_int(count_text, 1, INT32_MAX, &count))
        return spotctl_usage("playlists reorder", "--count must be a positive integer");
    char id[SPOTIFY_ID_MAX + 1];
    int rc = spotctl_playlist_arg(ctx, args->pos[0], id, sizeof id);
    if (rc != 0)
        return rc;
    spotify_reorder_or_replace_playlists_items_body body;
    memset(&body, 0, sizeof body);
    body.range_start = from - 1;
    body.insert_before = to - 1;
    body.range_length = count;
    spotify_mark_present(&body, SPOTIFY_REORDER_OR_REPLACE_PLAYLISTS_ITEMS_BODY_RANGE_START);
    spotify_mark_present(&body, SPOTIFY_REORDER_OR_REPLACE_PLAYLISTS_ITEMS_BODY_INSERT_BEFORE);
    spotify_mark_present(&body, SPOTIFY_REORDER_OR_REPLACE_PLAYLISTS_ITEMS_BODY_RANGE_LENGTH);
    spotify_playlists_update_items_args a = SPOTIFY_PLAYLISTS_UPDATE_ITEMS_ARGS_INIT;
    a.playlist_id = id;
    a.body = &body;
    spotify_playlist_snapshot_id *snap = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_playlists_update_items(&snap, ctx->client, &a, &err);
    if (st == SPOTIFY_OK && ctx->json) {
        printf("{\"snapshot_id\":");
        spotctl_buf b = {0};
        spotctl_buf_json_string(&b, snap != NULL ? snap->snapshot_id : NULL);
        printf("%s,\"moved\":%lld}\n", b.data != NULL ? b.data : "null", (long long)count);
        spotctl_buf_free(&b);
    } else if (st == SPOTIFY_OK) {
        printf("Moved %lld item%s from position %lld to before position %lld.\n", (long long)count,
               count == 1 ? "" : "s", (long long)from, (long long)to);
    }
    spotify_model_free(snap);
    return st == SPOTIFY_OK ? 0 : spotctl_fail(st, &err, NULL);
}

/* ------------------------------------------------------------------ */
/* cover get|set                                                       */
/* ------------------------------------------------------------------ */

/* Spotify's limit on the base64 text of a cover. */
#define COVER_MAX ((size_t)256 * 1024)

void spotctl_base64(char *out, const unsigned char *in, size_t n)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)in[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = i + 1 < n ? alphabet[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
}

static int cover_set(spotctl_ctx *ctx, const char *id, const char *path)
{
    char *jpeg = NULL;
    size_t len = 0;
    int rc = spotctl_read_binary(&jpeg, &len, "", path, SPOTCTL_INPUT_MAX);
    size_t b64 = (len + 2) / 3 * 4;
    if (rc == 0 && (len < 3 || memcmp(jpeg, "\xff\xd8\xff", 3) != 0))
        rc = spotctl_failf(SPOTIFY_EINVALID, "Spotify takes JPEG covers only",
                           "%s: not a JPEG image", path);
    else if (rc == 0 && b64 > COVER_MAX)
        rc = spotctl_failf(SPOTIFY_EINVALID, "make the image smaller (at most 192 KB of JPEG)",
                           "%s: %zu bytes of base64, more than Spotify's 256 KB limit", path, b64);
    char *text = rc == 0 ? malloc(b64 + 1) : NULL;
    if (rc == 0 && text == NULL)
        rc = spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    if (rc == 0) {
        spotctl_base64(text, (const unsigned char *)jpeg, len);
        spotify_playlists_upload_cover_args a = SPOTIFY_PLAYLISTS_UPLOAD_COVER_ARGS_INIT;
        a.playlist_id = id;
        a.jpeg_base64 = text;
        spotify_error err = {0};
        spotify_status st = spotify_playlists_upload_cover(ctx->client, &a, &err);
        if (st != SPOTIFY_OK)
            rc = spotctl_fail(st, &err, NULL);
        else if (ctx->json)
            printf("{\"id\":\"%s\",\"cover_bytes\":%zu}\n", id, len);
        else
            printf("Cover of playlist %s set (%zu bytes).\n", id, len);
    }
    free(text);
    free(jpeg);
    return rc;
}

static void image_row(const void *item, void *user, spotctl_cell *c)
{
    (void)user;
    const spotify_image *image = item;
    snprintf(c[0], sizeof c[0], "%s", image->url != NULL ? image->url : "");
    if (spotify_has(image, SPOTIFY_IMAGE_WIDTH) && !spotify_is_null(image, SPOTIFY_IMAGE_WIDTH))
        snprintf(c[1], sizeof c[1], "%lld", (long long)image->width);
    if (spotify_has(image, SPOTIFY_IMAGE_HEIGHT) && !spotify_is_null(image, SPOTIFY_IMAGE_HEIGHT))
        snprintf(c[2], sizeof c[2], "%lld", (long long)image->height);
}

int spotctl_cmd_playlists_cover(spotctl_ctx *ctx, spotctl_args *args)
{
    bool set = args->npos > 0 && strcmp(args->pos[0], "set") == 0;
    bool get = args->npos > 0 && strcmp(args->pos[0], "get") == 0;
    if ((!set && !get) || args->npos != (set ? 3u : 2u))
        return spotctl_usage("playlists cover", "give `get PLAYLIST` or `set PLAYLIST FILE.jpg`");
    char id[SPOTIFY_ID_MAX + 1];
    int rc = spotctl_playlist_arg(ctx, args->pos[1], id, sizeof id);
    if (rc != 0 || set)
        return rc != 0 ? rc : cover_set(ctx, id, args->pos[2]);
    spotify_playlists_get_cover_args a = SPOTIFY_PLAYLISTS_GET_COVER_ARGS_INIT;
    a.playlist_id = id;
    spotify_array_of_images *images = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_playlists_get_cover(&images, ctx->client, &a, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    static const char *const headers[] = {"URL", "WIDTH", "HEIGHT"};
    spotctl_lister l;
    spotctl_lister_init(&l, ctx, headers, 3, 1u << 1 | 1u << 2, image_row, NULL);
    for (size_t i = 0; images != NULL && i < images->items.count && rc == 0; i++)
        rc = spotctl_lister_item(&images->items.items[i], &l);
    spotify_model_free(images);
    return spotctl_lister_finish(&l, rc);
}
