/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_player.c - the player: status, devices, play, the commands
 * that send one value (pause, next, previous, volume, seek, repeat,
 * shuffle: one table), transfer, queue. --device takes a device's ID or a
 * unique start of its name.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* --device DEVICE: a device's ID, or the start of its name (any case)
 * when only one device's name starts so; the ID into `out` ("" without
 * --device). A 40-hex-digit ID is taken as it is, without a request. */
static int resolve_device(spotctl_ctx *ctx, const char *wanted, char *out, size_t size,
                          char *name_out, size_t name_size)
{
    out[0] = '\0';
    if (name_out != NULL)
        snprintf(name_out, name_size, "%s", wanted != NULL ? wanted : "");
    if (wanted == NULL)
        return 0;
    size_t len = strlen(wanted), hex = strspn(wanted, "0123456789abcdef");
    if (len == 40 && hex == 40) {
        snprintf(out, size, "%s", wanted);
        return 0;
    }
    spotify_many_devices *devices = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_player_list_devices(&devices, ctx->client, NULL, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    const spotify_device *found = NULL;
    size_t matches = 0;
    char names[512] = "";
    for (size_t i = 0; devices != NULL && i < devices->devices.count; i++) {
        const spotify_device *d = &devices->devices.items[i];
        const char *name = d->name != NULL ? d->name : "";
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s\"%s\"", used ? ", " : "", name);
        if (d->id != NULL && strcmp(d->id, wanted) == 0) {
            found = d, matches = 1;
            break;
        }
        if (strncasecmp(name, wanted, len) == 0 && d->id != NULL)
            found = d, matches++;
    }
    int rc = 0;
    if (matches == 1 && name_out != NULL && found->name != NULL)
        spotctl_clean(name_out, name_size, found->name);
    if (matches == 1)
        snprintf(out, size, "%s", found->id);
    else
        rc = spotctl_failf(SPOTIFY_EINVALID, "see `spotctl player devices`",
                           matches == 0 ? "%s: no device has that ID or a name starting "
                                          "so (devices: %s)"
                                        : "%s: several devices' names start so (%s): "
                                          "give more of the name, or the ID",
                           wanted, names[0] != '\0' ? names : "none");
    spotify_model_free(devices);
    return rc;
}

static int device_arg(spotctl_ctx *ctx, const spotctl_args *args, char *out, size_t size)
{
    return resolve_device(ctx, spotctl_args_get(args, "device"), out, size, NULL, 0);
}

/* The outcome of a player command: the error, or `what` (text) or `json`
 * (--json: a small object saying what was done). */
static int done(const spotctl_ctx *ctx, spotify_status st, const spotify_error *err,
                const char *what, const char *json)
{
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, err,
                            err->http_status == 404 && strstr(err->message, "device") != NULL
                                ? "start Spotify on a device, or pick one with --device DEVICE "
                                  "(see `spotctl player devices`)"
                                : NULL);
    printf("%s\n", ctx->json ? json : what);
    return 0;
}

int spotctl_cmd_player_play(spotctl_ctx *ctx, spotctl_args *args)
{
    char **uris = NULL, device[128];
    size_t n = 0;
    int rc = args->npos > 0 ? spotctl_collect_uris(args, 0, "player play", &uris, &n) : 0;
    if (rc == 0)
        rc = spotctl_ready(ctx);
    if (rc == 0)
        rc = device_arg(ctx, args, device, sizeof device);
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
    a.device_id = device[0] != '\0' ? device : NULL;
    a.body = n > 0 ? &body : NULL;
    spotify_error err = {0};
    spotify_status st = spotify_player_play(ctx->client, &a, &err);
    rc = done(ctx, st, &err, n > 0 ? "Playing." : "Resumed.", "{\"playing\":true}");
    spotctl_free_ids(uris, n);
    return rc;
}

/* The commands that send one value (or none) and a device: pause, next,
 * previous, volume, seek, repeat, shuffle. */
typedef enum player_value {
    VALUE_NONE = 0,
    VALUE_PERCENT,  /* 0-100 */
    VALUE_POSITION, /* 1:23, 1:02:03 or milliseconds */
    VALUE_REPEAT,   /* off, track, context */
    VALUE_SWITCH    /* on, off */
} player_value;

struct spotctl_player_action {
    const spotify_operation *op;
    player_value value;
    const char *done; /* "Paused.", or with the value for {}: "Volume {}%." */
    const char *json; /* the same for --json: {"volume_percent":{}} */
};

const spotctl_player_action spotctl_player_pause = {SPOTIFY_OP_PLAYER_PAUSE, VALUE_NONE, "Paused.",
                                                    "{\"paused\":true}"};
const spotctl_player_action spotctl_player_next = {SPOTIFY_OP_PLAYER_NEXT, VALUE_NONE,
                                                   "Skipped to next.", "{\"skipped\":\"next\"}"};
const spotctl_player_action spotctl_player_previous = {
    SPOTIFY_OP_PLAYER_PREVIOUS, VALUE_NONE, "Skipped to previous.", "{\"skipped\":\"previous\"}"};
const spotctl_player_action spotctl_player_volume = {SPOTIFY_OP_PLAYER_SET_VOLUME, VALUE_PERCENT,
                                                     "Volume {}%.", "{\"volume_percent\":{}}"};
const spotctl_player_action spotctl_player_seek = {SPOTIFY_OP_PLAYER_SEEK, VALUE_POSITION,
                                                   "Seeked to {}.", "{\"position_ms\":{}}"};
const spotctl_player_action spotctl_player_repeat = {SPOTIFY_OP_PLAYER_SET_REPEAT, VALUE_REPEAT,
                                                     "Repeat {}.", "{\"repeat\":{}}"};
const spotctl_player_action spotctl_player_shuffle = {SPOTIFY_OP_PLAYER_SET_SHUFFLE, VALUE_SWITCH,
                                                      "Shuffle {}.", "{\"shuffle\":{}}"};

bool spotctl_parse_position(const char *text, int64_t *ms)
{
    int64_t parts[3] = {0, 0, 0};
    size_t n = 0;
    for (const char *p = text;; p++) {
        size_t len = strcspn(p, ":");
        char digits[16];
        if (n == 3 || len == 0 || len >= sizeof digits)
            return false;
        memcpy(digits, p, len);
        digits[len] = '\0';
        if (!spotctl_parse_int(digits, 0, INT64_MAX / 4000, &parts[n++]))
            return false;
        p += len;
        if (*p == '\0')
            break;
    }
    if (n == 1) { /* milliseconds */
        *ms = parts[0];
        return true;
    }
    int64_t h = n == 3 ? parts[0] : 0, m = parts[n - 2], s = parts[n - 1];
    if (s > 59 || (n == 3 && m > 59))
        return false;
    *ms = ((h * 60 + m) * 60 + s) * 1000;
    return true;
}

/* The value of `action` from the command line (words[] for the choices),
 * into the number or word the operation takes; false after a usage error. */
static bool player_value_arg(const spotctl_player_action *action, const char *command,
                             const spotctl_args *args, int64_t *number, const char **word)
{
    static const char *const repeat[] = {"off", "track", "context"};
    const char *text = args->npos == 1 ? args->pos[0] : NULL;
    if (action->value == VALUE_NONE) {
        if (args->npos == 0)
            return true;
        spotctl_usage(command, "unexpected argument \"%s\"", args->pos[0]);
        return false;
    }
    bool ok = text != NULL;
    switch (action->value) {
    case VALUE_PERCENT:
        ok = ok && spotctl_parse_int(text, 0, 100, number);
        if (!ok)
            spotctl_usage(command, "give PERCENT, an integer from 0 to 100");
        return ok;
    case VALUE_POSITION:
        ok = ok && spotctl_parse_position(text, number);
        if (!ok)
            spotctl_usage(command, "give POSITION as m:ss, h:mm:ss or milliseconds (1:23, 83000)");
        return ok;
    case VALUE_REPEAT:
        for (size_t i = 0; ok && i < 3; i++)
            if (strcmp(text, repeat[i]) == 0)
                *word = repeat[i];
        if (*word == NULL)
            spotctl_usage(command, "give off, track or context");
        return *word != NULL;
    default:
        ok = ok && (strcmp(text, "on") == 0 || strcmp(text, "off") == 0);
        if (ok)
            *number = strcmp(text, "on") == 0;
        else
            spotctl_usage(command, "give on or off");
        return ok;
    }
}

/* Room for the args of the operations above. */
typedef union player_args {
    spotify_player_pause_args pause;
    spotify_player_set_volume_args volume;
    spotify_player_seek_args seek;
    spotify_player_set_repeat_args repeat;
    spotify_player_set_shuffle_args shuffle;
} player_args;

static void player_args_fill(player_args *a, const spotctl_player_action *action, int64_t number,
                             const char *word, const char *device)
{
    switch (action->value) {
    case VALUE_PERCENT: {
        spotify_player_set_volume_args init = SPOTIFY_PLAYER_SET_VOLUME_ARGS_INIT;
        a->volume = init, a->volume.volume_percent = number, a->volume.device_id = device;
        break;
    }
    case VALUE_POSITION: {
        spotify_player_seek_args init = SPOTIFY_PLAYER_SEEK_ARGS_INIT;
        a->seek = init, a->seek.position_ms = number, a->seek.device_id = device;
        break;
    }
    case VALUE_REPEAT: {
        spotify_player_set_repeat_args init = SPOTIFY_PLAYER_SET_REPEAT_ARGS_INIT;
        a->repeat = init, a->repeat.state = word, a->repeat.device_id = device;
        break;
    }
    case VALUE_SWITCH: {
        spotify_player_set_shuffle_args init = SPOTIFY_PLAYER_SET_SHUFFLE_ARGS_INIT;
        a->shuffle = init, a->shuffle.state = (int)number, a->shuffle.device_id = device;
        break;
    }
    default: { /* pause, next and previous take the same args */
        spotify_player_pause_args init = SPOTIFY_PLAYER_PAUSE_ARGS_INIT;
        _Static_assert(sizeof(spotify_player_pause_args) == sizeof(spotify_player_next_args) &&
                           sizeof(spotify_player_pause_args) ==
                               sizeof(spotify_player_previous_args),
                       "pause, next and previous args differ");
        a->pause = init, a->pause.device_id = device;
        break;
    }
    }
}

/* `text` with its {} (if any) replaced by `value`. */
static void fill_slot(char *out, size_t size, const char *text, const char *value)
{
    const char *slot = strstr(text, "{}");
    if (slot != NULL)
        snprintf(out, size, "%.*s%s%s", (int)(slot - text), text, value, slot + 2);
    else
        snprintf(out, size, "%s", text);
}

int spotctl_cmd_player(spotctl_ctx *ctx, spotctl_args *args)
{
    const spotctl_player_action *action = ctx->cmd->data;
    char command[64], device[128];
    spotctl_command_name(command, sizeof command, ctx->cmd);
    int64_t number = 0;
    const char *word = NULL;
    if (!player_value_arg(action, command, args, &number, &word))
        return SPOTCTL_EXIT_USAGE;
    int rc = spotctl_ready(ctx);
    if (rc == 0)
        rc = device_arg(ctx, args, device, sizeof device);
    if (rc != 0)
        return rc;
    player_args a;
    player_args_fill(&a, action, number, word, device[0] != '\0' ? device : NULL);
    spotify_error err = {0};
    spotify_status st = spotify_operation_call(NULL, ctx->client, action->op, &a, &err);
    /* the value as people read it (1:23, on) and as JSON (83000, true) */
    char value[32] = "", json_value[32] = "", what[64], json[96];
    if (action->value == VALUE_POSITION || action->value == VALUE_PERCENT) {
        snprintf(json_value, sizeof json_value, "%lld", (long long)number);
        snprintf(value, sizeof value, "%s", json_value);
        if (action->value == VALUE_POSITION)
            spotctl_format_duration(value, sizeof value, number);
    } else if (action->value == VALUE_SWITCH) {
        snprintf(value, sizeof value, "%s", number ? "on" : "off");
        snprintf(json_value, sizeof json_value, "%s", number ? "true" : "false");
    } else if (action->value == VALUE_REPEAT) {
        snprintf(value, sizeof value, "%s", word);
        snprintf(json_value, sizeof json_value, "\"%s\"", word);
    }
    fill_slot(what, sizeof what, action->done, value);
    fill_slot(json, sizeof json, action->json, json_value);
    return done(ctx, st, &err, what, json);
}

int spotctl_cmd_player_transfer(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 1)
        return spotctl_usage("player transfer", "give the DEVICE to move playback to");
    char device[128], name[256];
    int rc = spotctl_ready(ctx);
    if (rc == 0) /* DEVICE is matched as --device is */
        rc = resolve_device(ctx, args->pos[0], device, sizeof device, name, sizeof name);
    if (rc != 0)
        return rc;
    const char *ids[] = {device};
    spotify_transfer_a_users_playback_body body;
    memset(&body, 0, sizeof body);
    body.device_ids.items = ids;
    body.device_ids.count = 1;
    body.play = spotctl_args_has(args, "play");
    if (body.play)
        spotify_mark_present(&body, SPOTIFY_TRANSFER_A_USERS_PLAYBACK_BODY_PLAY);
    spotify_player_transfer_args a = SPOTIFY_PLAYER_TRANSFER_ARGS_INIT;
    a.body = &body;
    spotify_error err = {0};
    char what[320], json[256];
    snprintf(what, sizeof what, "Playback moved to %s%s.", name, body.play ? ", playing" : "");
    snprintf(json, sizeof json, "{\"device_id\":\"%s\",\"play\":%s}", device,
             body.play ? "true" : "false");
    return done(ctx, spotify_player_transfer(ctx->client, &a, &err), &err, what, json);
}

/* The queue: `player queue` shows it, `player queue add URI...` adds. */
static void queue_row(const void *item, void *user, spotctl_cell *c)
{
    const spotify_track_or_episode *te = item;
    snprintf(c[0], sizeof c[0], "%lld", (long long)++*(int64_t *)user);
    const char *name = NULL, *uri = NULL;
    int64_t duration = -1;
    if (te->track != NULL) {
        name = te->track->name, uri = te->track->uri, duration = te->track->duration_ms;
        spotctl_join_artists(c[2], sizeof c[2], &te->track->artists);
    } else if (te->episode != NULL) {
        name = te->episode->name, uri = te->episode->uri, duration = te->episode->duration_ms;
        if (te->episode->show != NULL && te->episode->show->name != NULL)
            snprintf(c[2], sizeof c[2], "%s", te->episode->show->name);
    }
    snprintf(c[1], sizeof c[1], "%s", name != NULL ? name : "");
    if (duration >= 0)
        spotctl_format_duration(c[3], sizeof c[3], duration);
    snprintf(c[4], sizeof c[4], "%s", uri != NULL ? uri : "");
}

static int queue_add(spotctl_ctx *ctx, spotctl_args *args)
{
    char **uris = NULL, device[128];
    size_t n = 0;
    int rc = spotctl_collect_uris(args, 1, "player queue", &uris, &n);
    if (rc == 0)
        rc = spotctl_ready(ctx);
    if (rc == 0)
        rc = device_arg(ctx, args, device, sizeof device);
    spotify_error err = {0};
    spotify_status st = SPOTIFY_OK;
    for (size_t i = 0; rc == 0 && st == SPOTIFY_OK && i < n; i++) {
        spotify_player_queue_add_args a = SPOTIFY_PLAYER_QUEUE_ADD_ARGS_INIT;
        a.uri = uris[i];
        a.device_id = device[0] != '\0' ? device : NULL;
        st = spotify_player_queue_add(ctx->client, &a, &err);
    }
    char what[64], json[64];
    snprintf(what, sizeof what, "Queued %zu item%s.", n, n == 1 ? "" : "s");
    snprintf(json, sizeof json, "{\"queued\":%zu}", n);
    if (rc == 0)
        rc = done(ctx, st, &err, what, json);
    spotctl_free_ids(uris, n);
    return rc;
}

int spotctl_cmd_player_queue(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos > 0 && strcmp(args->pos[0], "add") == 0)
        return queue_add(ctx, args);
    if (args->npos > 0)
        return spotctl_usage("player queue", "`player queue` shows the queue, `player queue add "
                                             "URI...` adds to it");
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotify_queue *q = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_player_queue_get(&q, ctx->client, NULL, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    if (ctx->json) {
        st = spotctl_print_raw(q, &err);
        spotify_model_free(q);
        return st == SPOTIFY_OK ? 0 : spotctl_fail(st, &err, NULL);
    }
    int64_t shown = 0;
    static const char *const headers[] = {"#", "NAME", "BY", "DURATION", "URI"};
    spotctl_lister l;
    spotctl_lister_init(&l, ctx, headers, 5, 1u | 1u << 3, queue_row, &shown);
    if (q->currently_playing != NULL) {
        spotctl_cell cells[SPOTCTL_CELLS_MAX] = {""};
        int64_t none = -1;
        queue_row(q->currently_playing, &none, cells);
        char name[512], by[512];
        printf("Now playing: %s%s%s\n", spotctl_clean(name, sizeof name, cells[1]),
               cells[2][0] ? " - " : "", spotctl_clean(by, sizeof by, cells[2]));
    }
    for (size_t i = 0; i < q->queue.count && rc == 0; i++)
        rc = spotctl_lister_item(&q->queue.items[i], &l);
    spotify_model_free(q);
    return spotctl_lister_finish(&l, rc);
}
