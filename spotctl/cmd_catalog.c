/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_catalog.c - the catalogue: `get` of albums, tracks, artists,
 * shows, episodes, audiobooks and chapters, the lists of their children
 * (an album's tracks, an artist's albums, a show's episodes, an
 * audiobook's chapters) and search, from one table of kinds and views.
 * `get` makes one single-item request per ID on the async engine
 * (parallel.c) and prints in input order.
 */
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

/* ------------------------------------------------------------------ */
/* views: how a model is one row of a table                            */
/* ------------------------------------------------------------------ */

#define CELLS_MAX SPOTCTL_CELLS_MAX
typedef spotctl_cell cell;

static void copy(cell c, const char *s)
{
    snprintf(c, sizeof(cell), "%s", s != NULL ? s : "");
}

static void number(cell c, int64_t n)
{
    snprintf(c, sizeof(cell), "%lld", (long long)n);
}

/* "A, B" from authors (audiobooks). */
static void join_authors(cell c, const spotify_author_list *authors)
{
    size_t used = 0;
    c[0] = '\0';
    for (size_t i = 0; i < authors->count && used < sizeof(cell); i++) {
        int n = snprintf(c + used, sizeof(cell) - used, "%s%s", i ? ", " : "",
                         authors->items[i].name ? authors->items[i].name : "");
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static void album_row(const void *model, cell *c)
{
    const spotify_album *a = model;
    copy(c[0], a->id);
    copy(c[1], a->name);
    spotctl_join_artists(c[2], sizeof c[2], &a->artists);
    copy(c[3], a->release_date);
    number(c[4], a->total_tracks);
}

static void track_row(const void *model, cell *c)
{
    const spotify_track *t = model;
    copy(c[0], t->id);
    copy(c[1], t->name);
    spotctl_join_artists(c[2], sizeof c[2], &t->artists);
    copy(c[3], t->album != NULL ? t->album->name : NULL);
    spotctl_format_duration(c[4], sizeof c[4], t->duration_ms);
}

static void artist_row(const void *model, cell *c)
{
    const spotify_artist *a = model;
    copy(c[0], a->id);
    copy(c[1], a->name);
    if (a->followers != NULL)
        number(c[2], a->followers->total);
    size_t used = 0;
    for (size_t i = 0; i < a->genres.count && used < sizeof c[3]; i++) {
        int n = snprintf(c[3] + used, sizeof c[3] - used, "%s%s", i ? ", " : "",
                         a->genres.items[i] ? a->genres.items[i] : "");
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static void show_row(const void *model, cell *c)
{
    const spotify_show *s = model;
    copy(c[0], s->id);
    copy(c[1], s->name);
    copy(c[2], s->publisher);
    number(c[3], s->total_episodes);
}

static void episode_row(const void *model, cell *c)
{
    const spotify_episode *e = model;
    copy(c[0], e->id);
    copy(c[1], e->name);
    copy(c[2], e->show != NULL ? e->show->name : NULL);
    copy(c[3], e->release_date);
    spotctl_format_duration(c[4], sizeof c[4], e->duration_ms);
}

static void audiobook_row(const void *model, cell *c)
{
    const spotify_audiobook *b = model;
    copy(c[0], b->id);
    copy(c[1], b->name);
    join_authors(c[2], &b->authors);
    number(c[3], b->total_chapters);
}

static void chapter_row(const void *model, cell *c)
{
    const spotify_chapter *ch = model;
    copy(c[0], ch->id);
    copy(c[1], ch->name);
    copy(c[2], ch->audiobook != NULL ? ch->audiobook->name : NULL);
    number(c[3], ch->chapter_number);
    spotctl_format_duration(c[4], sizeof c[4], ch->duration_ms);
}

/* The items of a parent's list: an album's tracks, an artist's albums, a
 * show's episodes, an audiobook's chapters. */
static void simplified_track_row(const void *item, cell *c)
{
    const spotify_simplified_track *t = item;
    number(c[0], t->track_number);
    copy(c[1], t->name);
    spotctl_join_artists(c[2], sizeof c[2], &t->artists);
    spotctl_format_duration(c[3], sizeof c[3], t->duration_ms);
}

static void discography_row(const void *item, cell *c)
{
    const spotify_artist_discography_album *a = item;
    copy(c[0], a->id);
    copy(c[1], a->name);
    copy(c[2], a->album_group.text);
    copy(c[3], a->release_date);
    number(c[4], a->total_tracks);
}

static void simplified_episode_row(const void *item, cell *c)
{
    const spotify_simplified_episode *e = item;
    copy(c[0], e->id);
    copy(c[1], e->name);
    copy(c[2], e->release_date);
    spotctl_format_duration(c[3], sizeof c[3], e->duration_ms);
}

static void simplified_chapter_row(const void *item, cell *c)
{
    const spotify_simplified_chapter *ch = item;
    number(c[0], ch->chapter_number);
    copy(c[1], ch->name);
    spotctl_format_duration(c[2], sizeof c[2], ch->duration_ms);
    copy(c[3], ch->id);
}

#define VIEW(name, row, right, ...)                                                                \
    static const char *const name##_headers[] = {__VA_ARGS__};                                     \
    const spotctl_view spotctl_view_##name = {                                                     \
        name##_headers, sizeof name##_headers / sizeof name##_headers[0], right, row}

VIEW(album, album_row, 1u << 4, "ID", "NAME", "ARTISTS", "RELEASED", "TRACKS");
VIEW(track, track_row, 1u << 4, "ID", "NAME", "ARTISTS", "ALBUM", "DURATION");
VIEW(artist, artist_row, 1u << 2, "ID", "NAME", "FOLLOWERS", "GENRES");
VIEW(show, show_row, 1u << 3, "ID", "NAME", "PUBLISHER", "EPISODES");
VIEW(episode, episode_row, 1u << 4, "ID", "NAME", "SHOW", "RELEASED", "DURATION");
VIEW(audiobook, audiobook_row, 1u << 3, "ID", "NAME", "AUTHORS", "CHAPTERS");
VIEW(chapter, chapter_row, 1u << 3 | 1u << 4, "ID", "NAME", "AUDIOBOOK", "#", "DURATION");
VIEW(album_track, simplified_track_row, 1u | 1u << 3, "#", "NAME", "ARTISTS", "DURATION");
VIEW(discography, discography_row, 1u << 4, "ID", "NAME", "GROUP", "RELEASED", "TRACKS");
VIEW(show_episode, simplified_episode_row, 1u << 3, "ID", "NAME", "RELEASED", "DURATION");
VIEW(book_chapter, simplified_chapter_row, 1u | 1u << 2, "#", "NAME", "DURATION", "ID");

static void view_row(const void *item, void *user, spotctl_cell *cells)
{
    ((const spotctl_view *)user)->row(item, cells);
}

void spotctl_lister_view(spotctl_lister *l, spotctl_ctx *ctx, const spotctl_view *view)
{
    spotctl_lister_init(l, ctx, view->headers, view->ncols, view->right_aligned, view_row,
                        (void *)(uintptr_t)view);
}

/* ------------------------------------------------------------------ */
/* get: one request per ID; lists of a parent                          */
/* ------------------------------------------------------------------ */

/* Room for the args of any operation taking an ID (and a market). */
typedef union id_args {
    spotify_albums_get_args album;
    spotify_artists_list_albums_args discography;
    spotify_shows_list_episodes_args episodes;
    unsigned char room[256];
} id_args;

/* args_fn of an operation whose args have `id` and `market`. */
#define ID_ARGS(fn, type, init)                                                                    \
    static void fn(id_args *out, const char *id, const char *market)                               \
    {                                                                                              \
        type a = init;                                                                             \
        a.id = id;                                                                                 \
        a.market = market;                                                                         \
        _Static_assert(sizeof a <= sizeof *out, "id_args too small");                              \
        memcpy(out, &a, sizeof a);                                                                 \
    }

ID_ARGS(album_args, spotify_albums_get_args, SPOTIFY_ALBUMS_GET_ARGS_INIT)
ID_ARGS(track_args, spotify_tracks_get_args, SPOTIFY_TRACKS_GET_ARGS_INIT)
ID_ARGS(show_args, spotify_shows_get_args, SPOTIFY_SHOWS_GET_ARGS_INIT)
ID_ARGS(episode_args, spotify_episodes_get_args, SPOTIFY_EPISODES_GET_ARGS_INIT)
ID_ARGS(audiobook_args, spotify_audiobooks_get_args, SPOTIFY_AUDIOBOOKS_GET_ARGS_INIT)
ID_ARGS(chapter_args, spotify_chapters_get_args, SPOTIFY_CHAPTERS_GET_ARGS_INIT)
ID_ARGS(album_tracks_args, spotify_albums_list_tracks_args, SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT)
ID_ARGS(discography_args, spotify_artists_list_albums_args, SPOTIFY_ARTISTS_LIST_ALBUMS_ARGS_INIT)
ID_ARGS(show_episodes_args, spotify_shows_list_episodes_args, SPOTIFY_SHOWS_LIST_EPISODES_ARGS_INIT)
ID_ARGS(book_chapters_args, spotify_audiobooks_list_chapters_args,
        SPOTIFY_AUDIOBOOKS_LIST_CHAPTERS_ARGS_INIT)

static void artist_args(id_args *out, const char *id, const char *market)
{
    (void)market; /* artists have no market */
    spotify_artists_get_args a = SPOTIFY_ARTISTS_GET_ARGS_INIT;
    a.id = id;
    memcpy(out, &a, sizeof a);
}

/* A kind of catalogue item: its get (GET /{type}s/{id}) and the list of
 * its children, if any. */
struct spotctl_kind {
    const char *noun; /* "album" */
    spotify_id_type type;
    const spotify_operation *op;
    void (*args_fn)(id_args *out, const char *id, const char *market);
    const spotctl_view *view;
    /* the list: "albums tracks" */
    const spotify_operation *list_op;
    void (*list_args_fn)(id_args *out, const char *id, const char *market);
    const spotctl_view *list_view;
    const char *list_label;
};

#define KIND(name, type, op, args, list_op, list_args, list_view, label)                           \
    const spotctl_kind spotctl_kind_##name = {                                                     \
        #name, type, op, args, &spotctl_view_##name, list_op, list_args, list_view, label}

KIND(album, SPOTIFY_ID_ALBUM, SPOTIFY_OP_ALBUMS_GET, album_args, SPOTIFY_OP_ALBUMS_LIST_TRACKS,
     album_tracks_args, &spotctl_view_album_track, "tracks");
KIND(track, SPOTIFY_ID_TRACK, SPOTIFY_OP_TRACKS_GET, track_args, NULL, NULL, NULL, NULL);
KIND(artist, SPOTIFY_ID_ARTIST, SPOTIFY_OP_ARTISTS_GET, artist_args, SPOTIFY_OP_ARTISTS_LIST_ALBUMS,
     discography_args, &spotctl_view_discography, "albums");
KIND(show, SPOTIFY_ID_SHOW, SPOTIFY_OP_SHOWS_GET, show_args, SPOTIFY_OP_SHOWS_LIST_EPISODES,
     show_episodes_args, &spotctl_view_show_episode, "episodes");
KIND(episode, SPOTIFY_ID_EPISODE, SPOTIFY_OP_EPISODES_GET, episode_args, NULL, NULL, NULL, NULL);
KIND(audiobook, SPOTIFY_ID_AUDIOBOOK, SPOTIFY_OP_AUDIOBOOKS_GET, audiobook_args,
     SPOTIFY_OP_AUDIOBOOKS_LIST_CHAPTERS, book_chapters_args, &spotctl_view_book_chapter,
     "chapters");
KIND(chapter, SPOTIFY_ID_CHAPTER, SPOTIFY_OP_CHAPTERS_GET, chapter_args, NULL, NULL, NULL, NULL);

typedef struct get_run {
    spotctl_ctx *ctx;
    const spotctl_kind *kind;
    char **inputs;
    char (*ids)[SPOTIFY_ID_LEN + 1]; /* the canonical IDs (catalogue IDs: 22 characters) */
    spotctl_table table;
    spotctl_progress progress;
    spotctl_failures failures;
    int stop; /* the exit code of a failure that ends the run */
} get_run;

static spotify_status get_submit(spotify_async *async, size_t i, void *user,
                                 spotify_async_callback callback, void *cb_user, spotify_error *err)
{
    get_run *r = user;
    id_args args;
    r->kind->args_fn(&args, r->ids[i], r->ctx->market);
    return spotify_operation_call_async(async, r->kind->op, &args, callback, cb_user, NULL, err);
}

static int get_deliver(size_t i, spotify_status status, void *model, const spotify_error *err,
                       void *user)
{
    get_run *r = user;
    spotctl_progress_step(&r->progress, 1);
    spotify_error perr = {0};
    if (status == SPOTIFY_OK && model != NULL && r->ctx->json) {
        status = spotctl_print_raw(model, &perr);
        err = &perr;
    } else if (status == SPOTIFY_OK && model != NULL) {
        cell cells[CELLS_MAX] = {""};
        const char *ptrs[CELLS_MAX];
        r->kind->view->row(model, cells);
        for (size_t c = 0; c < r->kind->view->ncols; c++)
            ptrs[c] = cells[c];
        if (!spotctl_table_add(&r->table, ptrs))
            status = SPOTIFY_ENOMEM;
    }
    spotify_model_free(model);
    if (status == SPOTIFY_OK)
        return 0;
    if (r->progress.enabled)
        fputs("\r\033[K", stderr);
    if (spotctl_per_item_status(status)) { /* this ID: the others go on */
        spotctl_failures_add(&r->failures, r->inputs[i], r->ids[i], status, err);
        return 0;
    }
    /* a failure of them all (auth, network...): once, and the run ends */
    r->stop = spotctl_fail(status, err, NULL);
    return r->stop;
}

/* Parses every input before the first request, keeping only the canonical
 * IDs (a spotify_id holds room for the longest ID of any kind: 2,000 of
 * them were a tenth of the run's peak memory). 0 or the exit code. */
static int ids_parse(get_run *r, size_t n)
{
    r->ids = calloc(n + 1, sizeof *r->ids);
    if (r->ids == NULL)
        return spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        spotify_id id;
        spotify_error err = {0};
        if (spotify_id_parse(&id, r->inputs[i], r->kind->type, &err) != SPOTIFY_OK)
            return spotctl_fail_about(r->inputs[i], err.status, &err, NULL);
        memcpy(r->ids[i], id.id, strnlen(id.id, SPOTIFY_ID_LEN)); /* calloc: NUL after */
    }
    return 0;
}

int spotctl_cmd_get(spotctl_ctx *ctx, spotctl_args *args)
{
    const spotctl_kind *kind = ctx->cmd->data;
    char command[64];
    spotctl_command_name(command, sizeof command, ctx->cmd);
    int parallel;
    if (!spotctl_parallel_arg(args, command, &parallel))
        return SPOTCTL_EXIT_USAGE;
    get_run r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.kind = kind;
    size_t n = 0;
    int rc = spotctl_collect_ids(args, command, &r.inputs, &n);
    if (rc != 0)
        return rc;
    if ((rc = ids_parse(&r, n)) != 0 || (rc = spotctl_ready(ctx)) != 0)
        goto done;
    spotctl_table_init(&r.table, kind->view->headers, kind->view->ncols);
    r.table.right_aligned = kind->view->right_aligned;
    spotctl_progress_start(&r.progress, n > 1 && spotctl_progress_allowed(ctx, ctx->json), command,
                           (int64_t)n, ctx->term_width);
    rc = spotctl_parallel_run(ctx->client, n, parallel, get_submit, get_deliver, spotify_model_free,
                              &r, &spotctl_interrupted);
    spotctl_progress_end(&r.progress);
    /* Interrupted: no table, so nothing partial is printed. */
    if (!ctx->json && rc != SPOTCTL_EXIT_INTERRUPTED)
        spotctl_table_print(&r.table, stdout, (size_t)ctx->term_width);
    spotctl_table_free(&r.table);
    int failed = spotctl_failures_finish(&r.failures);
    if (rc == SPOTCTL_EXIT_INTERRUPTED && r.stop == 0)
        rc = spotctl_fail(SPOTIFY_ECANCELLED, NULL, NULL);
    else if (rc == 0)
        rc = failed;
done:
    spotctl_free_ids(r.inputs, n);
    free(r.ids);
    return rc;
}

/* albums tracks, artists albums, shows episodes, audiobooks chapters */
int spotctl_cmd_children(spotctl_ctx *ctx, spotctl_args *args)
{
    const spotctl_kind *kind = ctx->cmd->data;
    char command[64];
    spotctl_command_name(command, sizeof command, ctx->cmd);
    int64_t limit;
    if (args->npos != 1)
        return spotctl_usage(command, "give exactly one %s ID", kind->noun);
    if (!spotctl_limit_arg(args, command, &limit))
        return SPOTCTL_EXIT_USAGE;
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    id_args a;
    kind->list_args_fn(&a, args->pos[0], ctx->market);
    spotctl_lister l;
    spotctl_lister_view(&l, ctx, kind->list_view);
    return spotctl_list_op(&l, kind->list_op, &a, limit, kind->list_label);
}

/* ------------------------------------------------------------------ */
/* search                                                              */
/* ------------------------------------------------------------------ */

static const char *const search_types[] = {"album", "artist",  "playlist", "track",
                                           "show",  "episode", "audiobook"};
#define SEARCH_TYPE_COUNT (sizeof search_types / sizeof search_types[0])

static void search_row(const void *item, void *user, spotctl_cell *c)
{
    const char *type = user;
    snprintf(c[0], sizeof c[0], "%s", type);
    const char *name = NULL, *uri = NULL;
    c[2][0] = '\0';
    if (strcmp(type, "album") == 0) {
        const spotify_simplified_album *a = item;
        name = a->name, uri = a->uri;
        spotctl_join_artists(c[2], sizeof c[2], &a->artists);
    } else if (strcmp(type, "track") == 0) {
        const spotify_track *t = item;
        name = t->name, uri = t->uri;
        spotctl_join_artists(c[2], sizeof c[2], &t->artists);
    } else if (strcmp(type, "artist") == 0) {
        const spotify_artist *a = item;
        name = a->name, uri = a->uri;
    } else if (strcmp(type, "playlist") == 0) {
        const spotify_simplified_playlist *p = item;
        name = p->name, uri = p->uri;
        if (p->owner != NULL && p->owner->display_name != NULL)
            snprintf(c[2], sizeof c[2], "%s", p->owner->display_name);
    } else if (strcmp(type, "show") == 0) {
        const spotify_simplified_show *s = item;
        name = s->name, uri = s->uri;
        snprintf(c[2], sizeof c[2], "%s", s->publisher ? s->publisher : "");
    } else if (strcmp(type, "episode") == 0) {
        const spotify_simplified_episode *e = item;
        name = e->name, uri = e->uri;
    } else {
        const spotify_simplified_audiobook *b = item;
        name = b->name, uri = b->uri;
        for (size_t i = 0, used = 0; i < b->authors.count && used < sizeof c[2]; i++) {
            int n = snprintf(c[2] + used, sizeof c[2] - used, "%s%s", i ? ", " : "",
                             b->authors.items[i].name ? b->authors.items[i].name : "");
            if (n < 0)
                break;
            used += (size_t)n;
        }
    }
    snprintf(c[1], sizeof c[1], "%s", name ? name : "");
    snprintf(c[3], sizeof c[3], "%s", uri ? uri : "");
}

static const char *const search_headers[] = {"TYPE", "NAME", "BY", "URI"};

int spotctl_cmd_search(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 1)
        return spotctl_usage("search", "give one QUERY (quote it when it has spaces)");
    int64_t limit;
    if (!spotctl_limit_arg(args, "search", &limit))
        return SPOTCTL_EXIT_USAGE;
    bool all = spotctl_args_has(args, "all");
    if (limit == 0 && !all)
        limit = 10;
    size_t chosen[SEARCH_TYPE_COUNT];
    size_t nchosen =
        spotctl_type_arg(args, "search", search_types, SEARCH_TYPE_COUNT, true, "track", chosen);
    if (nchosen == 0)
        return SPOTCTL_EXIT_USAGE;
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotctl_lister l;
    spotctl_lister_init(&l, ctx, search_headers, 4, 0, search_row, NULL);
    for (size_t k = 0; k < nchosen && rc == 0; k++) {
        spotify_search_args a = SPOTIFY_SEARCH_ARGS_INIT;
        a.q = args->pos[0];
        a.type = search_types[chosen[k]];
        a.market = ctx->market;
        l.row_user = (void *)(uintptr_t)a.type;
        l.json_type = nchosen > 1 ? a.type : NULL;
        spotify_pager *pager = NULL;
        spotify_error err = {0};
        if (spotify_search_pager(&pager, ctx->client, &a, &err) != SPOTIFY_OK) {
            rc = spotctl_fail(err.status, &err, NULL);
            break;
        }
        rc = spotctl_walk(ctx, pager, limit, a.type, spotctl_lister_item, &l);
        spotify_pager_free(pager);
    }
    return spotctl_lister_finish(&l, rc);
}
