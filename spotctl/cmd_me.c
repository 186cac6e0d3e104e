/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_me.c - the current user: me, me top tracks|artists, and
 * the recently played tracks (me recent, player recent; cursor pages).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spotctl.h"

int spotctl_cmd_me(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 0)
        return spotctl_usage("me", "unexpected argument \"%s\"", args->pos[0]);
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotify_private_user *me = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_me_get(&me, ctx->client, NULL, &err);
    if (st == SPOTIFY_OK && ctx->json) {
        st = spotctl_print_raw(me, &err);
    } else if (st == SPOTIFY_OK) {
        char followers[32] = "";
        if (me->followers != NULL)
            snprintf(followers, sizeof followers, "%lld", (long long)me->followers->total);
        const char *rows[][2] = {
            {"id", me->id},           {"name", me->display_name}, {"email", me->email},
            {"country", me->country}, {"product", me->product},   {"followers", followers},
            {"uri", me->uri},
        };
        spotctl_table t;
        spotctl_table_init(&t, NULL, 2);
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            spotctl_table_add(&t, rows[i]);
        spotctl_table_print(&t, stdout, (size_t)ctx->term_width);
        spotctl_table_free(&t);
    }
    spotify_model_free(me);
    return st == SPOTIFY_OK ? 0 : spotctl_fail(st, &err, NULL);
}

static const char *const ranges[] = {"short", "medium", "long"};

int spotctl_cmd_me_top(spotctl_ctx *ctx, spotctl_args *args)
{
    int64_t limit;
    bool tracks = args->npos == 1 && strcmp(args->pos[0], "tracks") == 0;
    if (args->npos != 1 || (!tracks && strcmp(args->pos[0], "artists") != 0))
        return spotctl_usage("me top", "say what: me top tracks|artists");
    if (!spotctl_limit_arg(args, "me top", &limit))
        return SPOTCTL_EXIT_USAGE;
    const char *range = spotctl_args_get(args, "range");
    size_t r = 0;
    while (range != NULL && r < 3 && strcmp(range, ranges[r]) != 0)
        r++;
    if (r == 3)
        return spotctl_usage("me top", "--range must be short, medium or long (got \"%s\")", range);
    static const char *const time_ranges[] = {"short_term", "medium_term", "long_term"};
    const char *time_range = range != NULL ? time_ranges[r] : NULL;
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotctl_lister l;
    spotctl_lister_view(&l, ctx, tracks ? &spotctl_view_track : &spotctl_view_artist);
    if (tracks) {
        spotify_me_top_tracks_list_args a = SPOTIFY_ME_TOP_TRACKS_LIST_ARGS_INIT;
        a.time_range = time_range;
        return spotctl_list_op(&l, SPOTIFY_OP_ME_TOP_TRACKS_LIST, &a, limit, "tracks");
    }
    spotify_me_top_artists_list_args a = SPOTIFY_ME_TOP_ARTISTS_LIST_ARGS_INIT;
    a.time_range = time_range;
    return spotctl_list_op(&l, SPOTIFY_OP_ME_TOP_ARTISTS_LIST, &a, limit, "artists");
}

bool spotctl_parse_time(const char *text, int64_t *ms)
{
    if (spotctl_parse_int(text, 0, INT64_MAX / 2, ms))
        return true; /* Unix time in milliseconds */
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int used = 0;
    char z[2] = "";
    /* YYYY-MM-DD, then optionally THH:MM[:SS] and Z */
    if (sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3 ||
        used != 10)
        return false;
    const char *rest = text + used;
    if (*rest == 'T' || *rest == ' ') {
        int n = 0;
        if (sscanf(rest + 1, "%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &n) != 2 || n != 5)
            return false;
        rest += 1 + n;
        if (*rest == ':' && (sscanf(rest + 1, "%2d%n", &tm.tm_sec, &n) != 1 || n != 2))
            return false;
        rest += *rest == ':' ? 3 : 0;
    }
    if (sscanf(rest, "%1[Z]", z) == 1)
        rest++;
    if (*rest != '\0' || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (t < 0)
        return false;
    *ms = (int64_t)t * 1000;
    return true;
}

static void played_row(const void *item, void *user, spotctl_cell *c)
{
    (void)user;
    const spotify_play_history *h = item;
    snprintf(c[0], sizeof c[0], "%.19s", h->played_at != NULL ? h->played_at : "");
    if (h->track != NULL) {
        snprintf(c[1], sizeof c[1], "%s", h->track->name != NULL ? h->track->name : "");
        spotctl_join_artists(c[2], sizeof c[2], &h->track->artists);
        snprintf(c[3], sizeof c[3], "%s", h->track->uri != NULL ? h->track->uri : "");
    }
}

/* me recent, player recent */
int spotctl_cmd_recent(spotctl_ctx *ctx, spotctl_args *args)
{
    char command[64];
    spotctl_command_name(command, sizeof command, ctx->cmd);
    int64_t limit, times[2] = {SPOTIFY_UNSET, SPOTIFY_UNSET};
    if (args->npos != 0)
        return spotctl_usage(command, "unexpected argument \"%s\"", args->pos[0]);
    if (!spotctl_limit_arg(args, command, &limit))
        return SPOTCTL_EXIT_USAGE;
    static const char *const names[] = {"before", "after"};
    for (size_t i = 0; i < 2; i++) {
        const char *text = spotctl_args_get(args, names[i]);
        if (text != NULL && !spotctl_parse_time(text, &times[i]))
            return spotctl_usage(command,
                                 "--%s takes Unix milliseconds or a UTC date and time "
                                 "(2024-05-01 or 2024-05-01T18:30:00Z), got \"%s\"",
                                 names[i], text);
    }
    if (times[0] != SPOTIFY_UNSET && times[1] != SPOTIFY_UNSET)
        return spotctl_usage(command, "give --before or --after, not both (Spotify takes one)");
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotify_player_list_recently_played_args a = SPOTIFY_PLAYER_LIST_RECENTLY_PLAYED_ARGS_INIT;
    a.before = times[0];
    a.after = times[1];
    static const char *const headers[] = {"PLAYED", "NAME", "ARTISTS", "URI"};
    spotctl_lister l;
    spotctl_lister_init(&l, ctx, headers, 4, 0, played_row, NULL);
    return spotctl_list_op(&l, SPOTIFY_OP_PLAYER_LIST_RECENTLY_PLAYED, &a, limit, "tracks");
}
