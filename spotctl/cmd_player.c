/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_player.c - player status, devices, play, pause, next,
 * previous, volume.
 */
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

int spotctl_cmd_player_status(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 0)
        return spotctl_usage("player status", "unexpected argument \"%s\"", args->pos[0]);
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotify_player_get_args a = SPOTIFY_PLAYER_GET_ARGS_INIT;
    a.market = ctx->market;
    spotify_currently_playing_context *state = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_player_get(&state, ctx->client, &a, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    if (ctx->json) {
        if (state == NULL)
            printf("null\n");
        else if (spotctl_print_raw(state, &err) != SPOTIFY_OK)
            st = err.status;
    } else if (state == NULL) {
        printf("Nothing is playing (no active device).\n");
    } else {
        const char *name = NULL;
        char by[512] = "";
        int64_t duration = -1;
        if (state->item != NULL && state->item->track != NULL) {
            name = state->item->track->name;
            spotctl_join_artists(by, sizeof by, &state->item->track->artists);
            duration = state->item->track->duration_ms;
        } else if (state->item != NULL && state->item->episode != NULL) {
            name = state->item->episode->name;
            duration = state->item->episode->duration_ms;
        }
        char at[24], len[24] = "?";
        spotctl_format_duration(at, sizeof at, state->progress_ms);
        if (duration >= 0)
            spotctl_format_duration(len, sizeof len, duration);
        char clean_name[512], clean_by[512], device[256], type[64];
        if (name != NULL)
            printf("%s %s%s%s  %s / %s\n", state->is_playing ? "Playing" : "Paused:",
                   spotctl_clean(clean_name, sizeof clean_name, name), by[0] ? " - " : "",
                   spotctl_clean(clean_by, sizeof clean_by, by), at, len);
        else
            printf("Nothing loaded.\n");
        if (state->device != NULL) {
            printf(
                "on %s (%s)",
                spotctl_clean(device, sizeof device,
                              state->device->name ? state->device->name : "?"),
                spotctl_clean(type, sizeof type, state->device->type ? state->device->type : "?"));
            if (spotify_has(state->device, SPOTIFY_DEVICE_VOLUME_PERCENT) &&
                !spotify_is_null(state->device, SPOTIFY_DEVICE_VOLUME_PERCENT))
                printf(", volume %lld%%", (long long)state->device->volume_percent);
            printf("\n");
        }
        char repeat[32];
        printf("shuffle %s, repeat %s\n", state->shuffle_state ? "on" : "off",
               spotctl_clean(repeat, sizeof repeat,
                             state->repeat_state ? state->repeat_state : "off"));
    }
    spotify_model_free(state);
    return st == SPOTIFY_OK ? 0 : spotctl_fail(st, &err, NULL);
}

static void device_row(const void *item, void *user, spotctl_cell *c)
{
    (void)user;
    const spotify_device *d = item;
    snprintf(c[0], sizeof c[0], "%s", d->id ? d->id : "");
    snprintf(c[1], sizeof c[1], "%s", d->name ? d->name : "");
    snprintf(c[2], sizeof c[2], "%s", d->type ? d->type : "");
    snprintf(c[3], sizeof c[3], "%s", d->is_active ? "yes" : "no");
    if (spotify_has(d, SPOTIFY_DEVICE_VOLUME_PERCENT) &&
        !spotify_is_null(d, SPOTIFY_DEVICE_VOLUME_PERCENT))
        snprintf(c[4], sizeof c[4], "%lld%%", (long long)d->volume_percent);
}

int spotctl_cmd_player_devices(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 0)
        return spotctl_usage("player devices", "unexpected argument \"%s\"", args->pos[0]);
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotify_many_devices *devices = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_player_list_devices(&devices, ctx->client, NULL, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    static const char *const headers[] = {"ID", "NAME", "TYPE", "ACTIVE", "VOLUME"};
    spotctl_lister l;
    spotctl_lister_init(&l, ctx, headers, 5, 1u << 4, device_row, NULL);
    for (size_t i = 0; devices != NULL && i < devices->devices.count && rc == 0; i++)
        rc = spotctl_lister_item(&devices->devices.items[i], &l);
    spotify_model_free(devices);
    return spotctl_lister_finish(&l, rc);
}

static int done(const spotctl_ctx *ctx, spotify_status st, const spotify_error *err,
                const char *what)
{
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, err,
                            err->http_status == 404 && strstr(err->message, "device") != NULL
                                ? "start Spotify on a device, or pick one with --device ID "
                                  "(see `spotctl player devices`)"
                                : NULL);
    if (!ctx->json)
        printf("%s\n", what);
    return 0;
}

int spotctl_cmd_player_play(spotctl_ctx *ctx, spotctl_args *args)
{
    char **uris = NULL;
    size_t n = 0;
    int rc = args->npos > 0 ? spotctl_collect_uris(args, 0, "player play", &uris, &n) : 0;
    if (rc == 0)
        rc = spotctl_ready(ctx);
    if (rc != 0) {
        spotctl_free_ids(uris, n);
        return rc;
    }
    spotify_start_a_users_playback_body body;
    memset(&body, 0, sizeof body);
    bool context = n == 1 && strncmp(uris[0], "spotify:track:", 14) != 0 &&
                   strncmp(uris[0], "spotify:episode:", 16) != 0;
    if (context) {
        body.context_uri = uris[0];
    } else if (n > 0) {
        body.uris.items = spotctl_const_strings(uris);
        body.uris.count = n;
    }
    spotify_player_play_args a = SPOTIFY_PLAYER_PLAY_ARGS_INIT;
    a.device_id = spotctl_args_get(args, "device");
    a.body = n > 0 ? &body : NULL;
    spotify_error err = {0};
    spotify_status st = spotify_player_play(ctx->client, &a, &err);
    rc = done(ctx, st, &err, n > 0 ? "Playing." : "Resumed.");
    spotctl_free_ids(uris, n);
    return rc;
}

static int no_args(spotctl_ctx *ctx, spotctl_args *args, const char *command)
{
    return args->npos == 0 ? spotctl_ready(ctx)
                           : spotctl_usage(command, "unexpected argument \"%s\"", args->pos[0]);
}

int spotctl_cmd_player_pause(spotctl_ctx *ctx, spotctl_args *args)
{
    int rc = no_args(ctx, args, "player pause");
    if (rc != 0)
        return rc;
    spotify_player_pause_args a = SPOTIFY_PLAYER_PAUSE_ARGS_INIT;
    a.device_id = spotctl_args_get(args, "device");
    spotify_error err = {0};
    return done(ctx, spotify_player_pause(ctx->client, &a, &err), &err, "Paused.");
}

int spotctl_cmd_player_next(spotctl_ctx *ctx, spotctl_args *args)
{
    int rc = no_args(ctx, args, "player next");
    if (rc != 0)
        return rc;
    spotify_player_next_args a = SPOTIFY_PLAYER_NEXT_ARGS_INIT;
    a.device_id = spotctl_args_get(args, "device");
    spotify_error err = {0};
    return done(ctx, spotify_player_next(ctx->client, &a, &err), &err, "Skipped to next.");
}

int spotctl_cmd_player_previous(spotctl_ctx *ctx, spotctl_args *args)
{
    int rc = no_args(ctx, args, "player previous");
    if (rc != 0)
        return rc;
    spotify_player_previous_args a = SPOTIFY_PLAYER_PREVIOUS_ARGS_INIT;
    a.device_id = spotctl_args_get(args, "device");
    spotify_error err = {0};
    return done(ctx, spotify_player_previous(ctx->client, &a, &err), &err, "Skipped to previous.");
}

int spotctl_cmd_player_volume(spotctl_ctx *ctx, spotctl_args *args)
{
    int64_t percent;
    if (args->npos != 1 || !spotctl_parse_int(args->pos[0], 0, 100, &percent))
        return spotctl_usage("player volume", "give PERCENT, an integer from 0 to 100");
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotify_player_set_volume_args a = SPOTIFY_PLAYER_SET_VOLUME_ARGS_INIT;
    a.volume_percent = percent;
    a.device_id = spotctl_args_get(args, "device");
    spotify_error err = {0};
    char what[32];
    snprintf(what, sizeof what, "Volume %lld%%.", (long long)percent);
    return done(ctx, spotify_player_set_volume(ctx->client, &a, &err), &err, what);
}
