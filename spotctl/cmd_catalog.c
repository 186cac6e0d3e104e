/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_catalog.c - the catalogue: albums get/tracks, tracks get,
 * artists get/albums, search. `get` makes one single-item request per ID
 * on the async engine (parallel.c) and prints in input order.
 */
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

/* ------------------------------------------------------------------ */
/* get: one request per ID                                             */
/* ------------------------------------------------------------------ */

#define CELLS_MAX SPOTCTL_CELLS_MAX
typedef spotctl_cell cell;

/* Room for the args of any get operation. */
typedef union get_args {
    spotify_albums_get_args album;
    spotify_tracks_get_args track;
    spotify_artists_get_args artist;
} get_args;

typedef struct get_kind {
    const char *command; /* "albums get" */
    spotify_id_type type;
    const spotify_operation *op; /* GET /{type}s/{id} */
    void (*args_fn)(union get_args *out, const char *id, const char *market);
    const char *const *headers;
    size_t ncols;
    unsigned right_aligned;
    void (*row)(const void *model, cell *cells);
} get_kind;

static void album_args(get_args *out, const char *id, const char *market)
{
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = id;
    a.market = market;
    out->album = a;
}

static void track_args(get_args *out, const char *id, const char *market)
{
    spotify_tracks_get_args a = SPOTIFY_TRACKS_GET_ARGS_INIT;
    a.id = id;
    a.market = market;
    out->track = a;
}

static void artist_args(get_args *out, const char *id, const char *market)
{
    (void)market;
    spotify_artists_get_args a = SPOTIFY_ARTISTS_GET_ARGS_INIT;
    a.id = id;
    out->artist = a;
}

static void album_row(const void *model, cell *c)
{
    const spotify_album *a = model;
    snprintf(c[0], sizeof c[0], "%s", a->id ? a->id : "");
    snprintf(c[1], sizeof c[1], "%s", a->name ? a->name : "");
    spotctl_join_artists(c[2], sizeof c[2], &a->artists);
    snprintf(c[3], sizeof c[3], "%s", a->release_date ? a->release_date : "");
    snprintf(c[4], sizeof c[4], "%lld", (long long)a->total_tracks);
}

static void track_row(const void *model, cell *c)
{
    const spotify_track *t = model;
    snprintf(c[0], sizeof c[0], "%s", t->id ? t->id : "");
    snprintf(c[1], sizeof c[1], "%s", t->name ? t->name : "");
    spotctl_join_artists(c[2], sizeof c[2], &t->artists);
    snprintf(c[3], sizeof c[3], "%s", t->album && t->album->name ? t->album->name : "");
    spotctl_format_duration(c[4], sizeof c[4], t->duration_ms);
}

static void artist_row(const void *model, cell *c)
{
    const spotify_artist *a = model;
    snprintf(c[0], sizeof c[0], "%s", a->id ? a->id : "");
    snprintf(c[1], sizeof c[1], "%s", a->name ? a->name : "");
    if (a->followers != NULL)
        snprintf(c[2], sizeof c[2], "%lld", (long long)a->followers->total);
    else
        c[2][0] = '\0';
    size_t used = 0;
    c[3][0] = '\0';
    for (size_t i = 0; i < a->genres.count && used < sizeof c[3]; i++) {
        int n = snprintf(c[3] + used, sizeof c[3] - used, "%s%s", i ? ", " : "",
                         a->genres.items[i] ? a->genres.items[i] : "");
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static const char *const album_headers[] = {"ID", "NAME", "ARTISTS", "RELEASED", "TRACKS"};
static const char *const track_headers[] = {"ID", "NAME", "ARTISTS", "ALBUM", "DURATION"};
static const char *const artist_headers[] = {"ID", "NAME", "FOLLOWERS", "GENRES"};

static const get_kind album_kind = {"albums get", SPOTIFY_ID_ALBUM, SPOTIFY_OP_ALBUMS_GET,
                                    album_args,   album_headers,    5,
                                    1u << 4,      album_row};
static const get_kind track_kind = {"tracks get", SPOTIFY_ID_TRACK, SPOTIFY_OP_TRACKS_GET,
                                    track_args,   track_headers,    5,
                                    1u << 4,      track_row};
static const get_kind artist_kind = {"artists get", SPOTIFY_ID_ARTIST, SPOTIFY_OP_ARTISTS_GET,
                                     artist_args,   artist_headers,    4,
                                     1u << 2,       artist_row};

typedef struct get_run {
    spotctl_ctx *ctx;
    const get_kind *kind;
    char **inputs;
    spotify_id *ids;
    spotctl_table table;
    spotctl_progress progress;
    spotctl_failures failures;
    int stop; /* the exit code of a failure that ends the run */
} get_run;

static spotify_status get_submit(spotify_async *async, size_t i, void *user,
                                 spotify_async_callback callback, void *cb_user, spotify_error *err)
{
    get_run *r = user;
    get_args args;
    r->kind->args_fn(&args, r->ids[i].id, r->ctx->market);
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
        cell cells[CELLS_MAX];
        const char *ptrs[CELLS_MAX];
        r->kind->row(model, cells);
        for (size_t c = 0; c < r->kind->ncols; c++)
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
        spotctl_failures_add(&r->failures, r->inputs[i], r->ids[i].id, status, err);
        return 0;
    }
    /* a failure of them all (auth, network...): once, and the run ends */
    r->stop = spotctl_fail(status, err, NULL);
    return r->stop;
}

static int run_get(spotctl_ctx *ctx, spotctl_args *args, const get_kind *kind)
{
    int parallel;
    if (!spotctl_parallel_arg(args, kind->command, &parallel))
        return SPOTCTL_EXIT_USAGE;
    get_run r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.kind = kind;
    size_t n = 0;
    int rc = spotctl_collect_ids(args, kind->command, &r.inputs, &n);
    if (rc != 0)
        return rc;
    r.ids = calloc(n, sizeof *r.ids);
    if (r.ids == NULL) {
        rc = spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
        goto done;
    }
    /* Every ID is checked before the first request. */
    for (size_t i = 0; i < n; i++) {
        spotify_error err = {0};
        if (spotify_id_parse(&r.ids[i], r.inputs[i], kind->type, &err) != SPOTIFY_OK) {
            rc = spotctl_fail_about(r.inputs[i], err.status, &err, NULL);
            goto done;
        }
    }
    if ((rc = spotctl_ready(ctx)) != 0)
        goto done;
    spotctl_table_init(&r.table, kind->headers, kind->ncols);
    r.table.right_aligned = kind->right_aligned;
    spotctl_progress_start(&r.progress, n > 1 && spotctl_progress_allowed(ctx, ctx->json),
                           kind->command, (int64_t)n, ctx->term_width);
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

int spotctl_cmd_albums_get(spotctl_ctx *ctx, spotctl_args *args)
{
    return run_get(ctx, args, &album_kind);
}

int spotctl_cmd_tracks_get(spotctl_ctx *ctx, spotctl_args *args)
{
    return run_get(ctx, args, &track_kind);
}

int spotctl_cmd_artists_get(spotctl_ctx *ctx, spotctl_args *args)
{
    return run_get(ctx, args, &artist_kind);
}

/* ------------------------------------------------------------------ */
/* lists                                                               */
/* ------------------------------------------------------------------ */

static void simplified_track_row(const void *item, void *user, spotctl_cell *c)
{
    (void)user;
    const spotify_simplified_track *t = item;
    snprintf(c[0], sizeof c[0], "%lld", (long long)t->track_number);
    snprintf(c[1], sizeof c[1], "%s", t->name ? t->name : "");
    spotctl_join_artists(c[2], sizeof c[2], &t->artists);
    spotctl_format_duration(c[3], sizeof c[3], t->duration_ms);
}

static const char *const album_track_headers[] = {"#", "NAME", "ARTISTS", "DURATION"};

static int one_id(spotctl_args *args, const char *command)
{
    if (args->npos != 1)
        return spotctl_usage(command, "give exactly one ID");
    return 0;
}

int spotctl_cmd_albums_tracks(spotctl_ctx *ctx, spotctl_args *args)
{
    int64_t limit;
    int rc = one_id(args, "albums tracks");
    if (rc != 0 || !spotctl_limit_arg(args, "albums tracks", &limit))
        return rc != 0 ? rc : SPOTCTL_EXIT_USAGE;
    if ((rc = spotctl_ready(ctx)) != 0)
        return rc;
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    a.id = args->pos[0];
    a.market = ctx->market;
    spotctl_lister l;
    spotctl_lister_init(&l, ctx, album_track_headers, 4, 1u | 1u << 3, simplified_track_row, NULL);
    return spotctl_list_op(&l, SPOTIFY_OP_ALBUMS_LIST_TRACKS, &a, limit, "tracks");
}

static void discography_row(const void *item, void *user, spotctl_cell *c)
{
    (void)user;
    const spotify_artist_discography_album *a = item;
    snprintf(c[0], sizeof c[0], "%s", a->id ? a->id : "");
    snprintf(c[1], sizeof c[1], "%s", a->name ? a->name : "");
    snprintf(c[2], sizeof c[2], "%s", a->album_group.text ? a->album_group.text : "");
    snprintf(c[3], sizeof c[3], "%s", a->release_date ? a->release_date : "");
    snprintf(c[4], sizeof c[4], "%lld", (long long)a->total_tracks);
}

static const char *const discography_headers[] = {"ID", "NAME", "GROUP", "RELEASED", "TRACKS"};

int spotctl_cmd_artists_albums(spotctl_ctx *ctx, spotctl_args *args)
{
    int64_t limit;
    int rc = one_id(args, "artists albums");
    if (rc != 0 || !spotctl_limit_arg(args, "artists albums", &limit))
        return rc != 0 ? rc : SPOTCTL_EXIT_USAGE;
    if ((rc = spotctl_ready(ctx)) != 0)
        return rc;
    spotify_artists_list_albums_args a = SPOTIFY_ARTISTS_LIST_ALBUMS_ARGS_INIT;
    a.id = args->pos[0];
    a.market = ctx->market;
    spotctl_lister l;
    spotctl_lister_init(&l, ctx, discography_headers, 5, 1u << 4, discography_row, NULL);
    return spotctl_list_op(&l, SPOTIFY_OP_ARTISTS_LIST_ALBUMS, &a, limit, "albums");
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
