/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_export.c - export library|playlists|playlist ID to JSON,
 * NDJSON or CSV. --out goes through spotctl_outfile (files.c): a regular
 * FILE is replaced atomically only after the last item, so an export that
 * is interrupted or fails never leaves a truncated FILE in place of a good
 * one; a device, FIFO or terminal is written directly.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spotctl.h"

typedef enum export_format { FORMAT_JSON = 0, FORMAT_NDJSON, FORMAT_CSV } export_format;

/* The format: --format, else from --out's extension, else JSON (pure). */
static int choose_format(const char *flag, const char *out)
{
    const char *name = flag;
    if (name == NULL && out != NULL) {
        const char *dot = strrchr(out, '.');
        name = dot == NULL                                                 ? "json"
               : strcmp(dot, ".csv") == 0                                  ? "csv"
               : strcmp(dot, ".ndjson") == 0 || strcmp(dot, ".jsonl") == 0 ? "ndjson"
                                                                           : "json";
    }
    if (name == NULL || strcmp(name, "json") == 0)
        return FORMAT_JSON;
    if (strcmp(name, "ndjson") == 0)
        return FORMAT_NDJSON;
    if (strcmp(name, "csv") == 0)
        return FORMAT_CSV;
    return -1;
}

typedef struct sink {
    spotctl_outfile file;
    FILE *f; /* file.f */
    export_format format;
    size_t entries; /* top-level entries written (JSON commas) */
    size_t items;   /* items written in the current entry */
    bool playlists; /* CSV rows start with the playlist columns */
    spotctl_buf line;
} sink;

static int sink_open(sink *s, const char *out, bool private_mode, export_format format,
                     bool playlists)
{
    memset(s, 0, sizeof *s);
    s->format = format;
    s->playlists = playlists;
    int rc = spotctl_outfile_open(&s->file, out, private_mode);
    s->f = s->file.f;
    return rc;
}

/* Ends a failed or interrupted export: a temporary file goes. */
static void sink_abort(sink *s)
{
    spotctl_outfile_abort(&s->file);
    spotctl_buf_free(&s->line);
}

static int sink_commit(sink *s)
{
    if (s->format == FORMAT_JSON)
        fputs(s->entries > 0 ? "\n]\n" : "]\n", s->f);
    spotctl_buf_free(&s->line);
    return spotctl_outfile_commit(&s->file);
}

static void sink_begin(sink *s)
{
    if (s->format == FORMAT_JSON)
        fputs("[", s->f);
    else if (s->format == FORMAT_CSV)
        fprintf(s->f, "%stype,added_at,name,artists,album,duration_ms,uri\r\n",
                s->playlists ? "playlist_id,playlist_name," : "");
}

/* A top-level JSON value (an item, or a playlist entry's start). */
static void sink_entry_start(sink *s)
{
    if (s->format == FORMAT_JSON)
        fputs(s->entries > 0 ? ",\n" : "\n", s->f);
    s->entries++;
}

static bool sink_csv(sink *s, const spotctl_fields *f, const char *pid, const char *pname)
{
    spotctl_buf *b = &s->line;
    b->len = 0;
    char duration[24] = "";
    if (f->duration_ms >= 0)
        snprintf(duration, sizeof duration, "%lld", (long long)f->duration_ms);
    const char *cells[] = {f->type, f->added_at, f->name, f->by, f->album, duration, f->uri};
    bool ok = true;
    if (s->playlists)
        ok = spotctl_buf_csv_field(b, pid) && spotctl_buf_str(b, ",") &&
             spotctl_buf_csv_field(b, pname) && spotctl_buf_str(b, ",");
    for (size_t i = 0; ok && i < sizeof cells / sizeof cells[0]; i++)
        ok = (i == 0 || spotctl_buf_str(b, ",")) && spotctl_buf_csv_field(b, cells[i]);
    ok = ok && spotctl_buf_str(b, "\r\n");
    return ok && fwrite(b->data, 1, b->len, s->f) == b->len;
}

/* One item: raw JSON (JSON, NDJSON) or a CSV row from its fields. */
typedef struct export_run {
    spotctl_ctx *ctx;
    sink out;
    spotctl_progress progress;
    bool saved; /* items are saved items of `kind`, else playlist items */
    spotctl_saved_kind kind;
    const char *pid, *pname;                /* playlists: the playlist being exported */
    bool nested;                            /* playlists (JSON/NDJSON): items inside an entry */
    size_t kinds[SPOTCTL_SAVED_KIND_COUNT]; /* library: the kinds asked for */
    size_t nkinds;
} export_run;

static int export_item(const void *item, void *user)
{
    export_run *r = user;
    if (spotctl_null_item(item))
        return 0;
    sink *s = &r->out;
    if (s->format == FORMAT_CSV) {
        spotctl_fields f;
        if (r->saved)
            spotctl_fields_saved(&f, r->kind, item);
        else
            spotctl_fields_playlist_item(&f, item);
        return sink_csv(s, &f, r->pid, r->pname)
                   ? 0
                   : spotctl_failf(SPOTIFY_EIO, NULL, "writing failed");
    }
    char *json = NULL;
    size_t len = 0;
    spotify_error err = {0};
    if (spotify_model_raw_json(&json, &len, item, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    if (r->nested) {
        if (s->items > 0)
            fputc(',', s->f);
    } else {
        sink_entry_start(s);
    }
    s->items++;
    fwrite(json, 1, len, s->f);
    if (!r->nested && s->format == FORMAT_NDJSON)
        fputc('\n', s->f);
    spotify_free(json);
    return ferror(s->f) ? spotctl_failf(SPOTIFY_EIO, NULL, "writing failed") : 0;
}

/* Walks one pager into the sink; a library's totals add up kind by kind. */
static int export_pager(export_run *r, spotify_pager *pager)
{
    return spotctl_walk_into(&r->progress, r->saved ? SPOTCTL_TOTAL_ADD : SPOTCTL_TOTAL_KEEP, pager,
                             0, export_item, r);
}

static int export_library(export_run *r)
{
    bool want[SPOTCTL_SAVED_KIND_COUNT] = {false};
    for (size_t i = 0; i < r->nkinds; i++)
        want[r->kinds[i]] = true;
    r->saved = true;
    for (int k = 0; k < SPOTCTL_SAVED_KIND_COUNT; k++) {
        if (!want[k])
            continue;
        r->kind = (spotctl_saved_kind)k;
        spotctl_saved_args a;
        spotctl_saved_args_init(&a, r->kind, r->ctx->market);
        spotify_pager *pager = NULL;
        spotify_error err = {0};
        if (spotify_pager_new(&pager, r->ctx->client, spotctl_saved_op(r->kind), &a, &err) !=
            SPOTIFY_OK)
            return spotctl_fail(err.status, &err, NULL);
        int rc = export_pager(r, pager);
        spotify_pager_free(pager);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int export_playlist_items(export_run *r, const char *id)
{
    spotify_playlists_list_items_args a = SPOTIFY_PLAYLISTS_LIST_ITEMS_ARGS_INIT;
    a.playlist_id = id;
    a.market = r->ctx->market;
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    if (spotify_playlists_list_items_pager(&pager, r->ctx->client, &a, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    int rc = export_pager(r, pager);
    spotify_pager_free(pager);
    return rc;
}

/* The playlists to export, kept while their items are fetched. */
typedef struct playlist_ref {
    char *id;
    char *name;
    char *json;
    int64_t total;
} playlist_ref;

static void free_refs(playlist_ref *refs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(refs[i].id);
        free(refs[i].name);
        spotify_free(refs[i].json);
    }
    free(refs);
}

static int collect_playlists(export_run *r, playlist_ref **out, size_t *n)
{
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_me_playlists_list_pager(&pager, r->ctx->client, NULL, &err);
    playlist_ref *refs = NULL;
    size_t count = 0;
    const void *item = NULL;
    while (st == SPOTIFY_OK && !spotctl_interrupted &&
           (st = spotify_pager_next_item(&item, pager, &err)) == SPOTIFY_OK && item != NULL) {
        const spotify_simplified_playlist *p = item;
        if (spotctl_null_item(p) || p->id == NULL)
            continue;
        playlist_ref *grown = realloc(refs, (count + 1) * sizeof *refs);
        if (grown == NULL) {
            st = SPOTIFY_ENOMEM;
            break;
        }
        refs = grown;
        playlist_ref *ref = &refs[count++];
        memset(ref, 0, sizeof *ref);
        ref->id = strdup(p->id);
        ref->name = strdup(p->name ? p->name : "");
        const spotify_playlist_tracks_ref *tr = p->items != NULL ? p->items : p->tracks;
        ref->total = tr != NULL ? tr->total : 0;
        st = spotify_model_raw_json(&ref->json, NULL, p, &err);
        if (st == SPOTIFY_OK && (ref->id == NULL || ref->name == NULL))
            st = SPOTIFY_ENOMEM;
    }
    spotify_pager_free(pager);
    if (st == SPOTIFY_OK && spotctl_interrupted)
        st = SPOTIFY_ECANCELLED;
    if (st != SPOTIFY_OK) {
        free_refs(refs, count);
        return spotctl_fail(st, &err, NULL);
    }
    *out = refs;
    *n = count;
    return 0;
}

/* One playlist of `export playlists`. Spotify lets only owners (and
 * collaborators) read a playlist's items: a followed playlist it refuses
 * (403) is skipped with a warning, the export goes on. */
static int export_playlist_entry(export_run *r, const playlist_ref *ref)
{
    spotify_playlists_list_items_args a = SPOTIFY_PLAYLISTS_LIST_ITEMS_ARGS_INIT;
    a.playlist_id = ref->id;
    a.market = r->ctx->market;
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    const void *first = NULL;
    spotify_status st = spotify_playlists_list_items_pager(&pager, r->ctx->client, &a, &err);
    if (st == SPOTIFY_OK)
        st = spotify_pager_next_item(&first, pager, &err);
    if (st == SPOTIFY_EFORBIDDEN) {
        spotify_pager_free(pager);
        if (r->progress.enabled)
            fputs("\r\033[K", stderr);
        spotctl_warn("skipped playlist \"%s\" (%s): Spotify does not show its items to you "
                     "(%s)",
                     ref->name, ref->id, err.message);
        spotctl_progress_total(&r->progress, r->progress.total - ref->total);
        return 0;
    }
    if (st != SPOTIFY_OK) {
        spotify_pager_free(pager);
        return spotctl_fail(st, &err, NULL);
    }
    r->pid = ref->id;
    r->pname = ref->name;
    sink *s = &r->out;
    if (s->format != FORMAT_CSV) {
        sink_entry_start(s);
        fprintf(s->f, "{\"playlist\":%s,\"items\":[", ref->json);
        r->nested = true;
        s->items = 0;
    }
    int rc = 0;
    if (first != NULL) {
        rc = export_item(first, r);
        spotctl_progress_step(&r->progress, 1);
        if (rc == 0)
            rc = export_pager(r, pager);
    }
    spotify_pager_free(pager);
    if (s->format != FORMAT_CSV)
        fputs(s->format == FORMAT_NDJSON ? "]}\n" : "]}", s->f);
    return rc;
}

static int export_playlists(export_run *r)
{
    playlist_ref *refs = NULL;
    size_t n = 0;
    int rc = collect_playlists(r, &refs, &n);
    if (rc != 0)
        return rc;
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += refs[i].total;
    spotctl_progress_total(&r->progress, total);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = export_playlist_entry(r, &refs[i]);
    free_refs(refs, n);
    return rc;
}

int spotctl_cmd_export(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos == 0)
        return spotctl_usage("export", "say what to export: library, playlists or playlist ID");
    const char *what = args->pos[0];
    bool library = strcmp(what, "library") == 0, playlists = strcmp(what, "playlists") == 0,
         playlist = strcmp(what, "playlist") == 0;
    if (!library && !playlists && !playlist)
        return spotctl_usage("export", "cannot export \"%s\": library, playlists or playlist ID",
                             what);
    if ((playlist && args->npos != 2) || (!playlist && args->npos != 1))
        return spotctl_usage("export",
                             playlist ? "export playlist takes one playlist ID"
                                      : "unexpected argument \"%s\"",
                             args->npos > 1 ? args->pos[1] : "");
    if (spotctl_args_get(args, "type") != NULL && !library)
        return spotctl_usage("export", "--type applies to export library only");
    size_t kinds[SPOTCTL_SAVED_KIND_COUNT];
    size_t nkinds = library ? spotctl_type_arg(args, "export", spotctl_saved_kind_names,
                                               SPOTCTL_SAVED_KIND_COUNT, true, "track,album", kinds)
                            : 1;
    if (nkinds == 0)
        return SPOTCTL_EXIT_USAGE;
    const char *out = spotctl_args_get(args, "out");
    bool private_mode = spotctl_args_has(args, "private");
    if (private_mode && (out == NULL || strcmp(out, "-") == 0))
        return spotctl_usage("export", "--private applies to --out FILE");
    int format = choose_format(spotctl_args_get(args, "format"), out);
    if (format < 0)
        return spotctl_usage("export", "--format must be json, ndjson or csv");

    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    export_run r;
    memset(&r, 0, sizeof r);
    char playlist_id[SPOTIFY_ID_MAX + 1];
    r.ctx = ctx;
    memcpy(r.kinds, kinds, sizeof kinds);
    r.nkinds = library ? nkinds : 0;
    rc = sink_open(&r.out, out, private_mode, (export_format)format, playlists);
    if (rc != 0)
        return rc;
    /* no progress line into a terminal the export itself is written to */
    bool to_terminal = !r.out.file.atomic && isatty(fileno(r.out.f));
    spotctl_progress_start(&r.progress, ctx->stderr_tty && !to_terminal,
                           library ? "library" : "items", -1, ctx->term_width);
    sink_begin(&r.out);
    if (library)
        rc = export_library(&r);
    else if (playlists)
        rc = export_playlists(&r);
    else if ((rc = spotctl_playlist_arg(ctx, args->pos[1], playlist_id, sizeof playlist_id)) == 0)
        rc = export_playlist_items(&r, playlist_id);
    spotctl_progress_end(&r.progress);
    if (rc != 0) {
        sink_abort(&r.out);
        return rc;
    }
    rc = sink_commit(&r.out);
    if (rc == 0 && r.out.file.atomic && ctx->stderr_tty)
        fprintf(stderr, "Exported %lld items to %s.\n", (long long)r.progress.done, out);
    return rc;
}
