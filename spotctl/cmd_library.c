/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_library.c - library list, save, remove, contains (the 2026
 * /me/library operations for writes, the per-kind lists for reading).
 */
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

static void saved_row(const void *item, void *user, spotctl_cell *c)
{
    spotctl_fields f;
    spotctl_fields_saved(&f, *(const spotctl_saved_kind *)user, item);
    if (f.added_at != NULL)
        snprintf(c[0], 11, "%s", f.added_at); /* the date */
    snprintf(c[1], sizeof c[1], "%s", f.name ? f.name : "");
    snprintf(c[2], sizeof c[2], "%s", f.by);
    snprintf(c[3], sizeof c[3], "%s", f.album ? f.album : "");
    if (f.duration_ms >= 0)
        spotctl_format_duration(c[4], sizeof c[4], f.duration_ms);
    snprintf(c[5], sizeof c[5], "%s", f.uri ? f.uri : "");
}

int spotctl_cmd_library_list(spotctl_ctx *ctx, spotctl_args *args)
{
    int64_t limit;
    if (args->npos != 0)
        return spotctl_usage("library list", "unexpected argument \"%s\"", args->pos[0]);
    if (!spotctl_limit_arg(args, "library list", &limit))
        return SPOTCTL_EXIT_USAGE;
    size_t kinds[SPOTCTL_SAVED_KIND_COUNT];
    size_t n = spotctl_type_arg(args, "library list", spotctl_saved_kind_names,
                                SPOTCTL_SAVED_KIND_COUNT, true, "track", kinds);
    if (n == 0)
        return SPOTCTL_EXIT_USAGE;
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    /* one table; with several kinds --json lines are {"type":T,"item":...} */
    static const char *const headers[] = {"ADDED", "NAME", "BY", "ALBUM", "DURATION", "URI"};
    spotctl_saved_kind k = SPOTCTL_SAVED_TRACK;
    spotctl_lister l;
    spotctl_lister_init(&l, ctx, headers, 6, 1u << 4, saved_row, &k);
    for (size_t i = 0; i < n && rc == 0; i++) {
        k = (spotctl_saved_kind)kinds[i];
        l.json_type = n > 1 ? spotctl_saved_kind_name(k) : NULL;
        spotctl_saved_args a;
        spotctl_saved_args_init(&a, k, ctx->market);
        rc = spotctl_list_walk(&l, spotctl_saved_op(k), &a, limit, spotctl_saved_kind_name(k));
    }
    return spotctl_lister_finish(&l, rc);
}

/* save / remove: the batch helpers split any number of URIs into calls of 40. */
static int change(spotctl_ctx *ctx, spotctl_args *args, bool save)
{
    const char *command = save ? "library save" : "library remove";
    char **uris = NULL;
    size_t n = 0;
    int rc = spotctl_collect_uris(args, 0, command, &uris, &n);
    if (rc == 0)
        rc = spotctl_ready(ctx);
    if (rc != 0) {
        spotctl_free_ids(uris, n);
        return rc;
    }
    spotify_error err = {0};
    spotify_status st;
    if (save) {
        spotify_library_save_args a = SPOTIFY_LIBRARY_SAVE_ARGS_INIT;
        a.uris.items = spotctl_const_strings(uris);
        a.uris.count = n;
        st = spotify_library_save_batch(ctx->client, &a, &err);
    } else {
        spotify_library_remove_args a = SPOTIFY_LIBRARY_REMOVE_ARGS_INIT;
        a.uris.items = spotctl_const_strings(uris);
        a.uris.count = n;
        st = spotify_library_remove_batch(ctx->client, &a, &err);
    }
    if (st != SPOTIFY_OK)
        rc = spotctl_fail(st, &err, NULL);
    else if (ctx->json)
        printf("{\"%s\":%zu}\n", save ? "saved" : "removed", n);
    else
        printf("%s %zu item%s %s your library.\n", save ? "Saved" : "Removed", n, n == 1 ? "" : "s",
               save ? "to" : "from");
    spotctl_free_ids(uris, n);
    return rc;
}

int spotctl_cmd_library_save(spotctl_ctx *ctx, spotctl_args *args)
{
    return change(ctx, args, true);
}

int spotctl_cmd_library_remove(spotctl_ctx *ctx, spotctl_args *args)
{
    return change(ctx, args, false);
}

int spotctl_cmd_library_contains(spotctl_ctx *ctx, spotctl_args *args)
{
    char **uris = NULL;
    size_t n = 0;
    int rc = spotctl_collect_uris(args, 0, "library contains", &uris, &n);
    if (rc == 0)
        rc = spotctl_ready(ctx);
    if (rc != 0) {
        spotctl_free_ids(uris, n);
        return rc;
    }
    spotify_library_contains_args a = SPOTIFY_LIBRARY_CONTAINS_ARGS_INIT;
    a.uris.items = spotctl_const_strings(uris);
    a.uris.count = n;
    spotify_array_of_booleans *answer = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_library_contains_batch(&answer, ctx->client, &a, &err);
    static const char *const headers[] = {"SAVED", "URI"};
    rc = st != SPOTIFY_OK ? spotctl_fail(st, &err, NULL)
                          : spotctl_print_answers(ctx, headers, "uri", "saved", uris, n, answer);
    spotify_model_free(answer);
    spotctl_free_ids(uris, n);
    return rc;
}
