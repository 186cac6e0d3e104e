/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_follow.c - follow, unfollow, following list, following
 * contains. Artists go through /me/following (type=artist), the only way
 * Spotify follows them; users and playlists through the 2026 /me/library
 * with their URIs (Spotify's library takes no artist URIs). Any number of
 * IDs: the SDK's batch helpers split them (50 and 40 per request).
 */
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

/* What can be followed. */
typedef struct follow_kind {
    const char *name; /* "artists": the word on the command line */
    spotify_id_type type;
    bool by_following; /* /me/following?type=artist, else /me/library URIs */
} follow_kind;

static const follow_kind kinds[] = {
    {"artists", SPOTIFY_ID_ARTIST, true},
    {"users", SPOTIFY_ID_USER, false},
    {"playlists", SPOTIFY_ID_PLAYLIST, false},
};

/* follow, unfollow and following contains: the operations of each way. */
struct spotctl_follow_action {
    const char *past; /* "Followed"; NULL for contains */
    const char *json; /* "followed" */
    const spotify_operation *following_op;
    const spotify_operation *library_op;
};

const spotctl_follow_action spotctl_follow_add = {
    "Followed", "followed", SPOTIFY_OP_ME_FOLLOWING_ADD, SPOTIFY_OP_LIBRARY_SAVE};
const spotctl_follow_action spotctl_follow_remove = {
    "Unfollowed", "unfollowed", SPOTIFY_OP_ME_FOLLOWING_REMOVE, SPOTIFY_OP_LIBRARY_REMOVE};
const spotctl_follow_action spotctl_follow_contains = {NULL, NULL, SPOTIFY_OP_ME_FOLLOWING_CONTAINS,
                                                       SPOTIFY_OP_LIBRARY_CONTAINS};

/* Room for the args of every operation above; each starts with the same
 * version and call options, then its own members. */
typedef union follow_args {
    spotify_me_following_add_args add;
    spotify_me_following_remove_args remove;
    spotify_me_following_contains_args contains;
    spotify_library_save_args save;
    spotify_library_remove_args unsave;
    spotify_library_contains_args has;
} follow_args;

/* `body`: the follow operation requires its JSON body too (the same IDs). */
static void fill_args(follow_args *a, spotify_follow_artists_users_body *body,
                      const follow_kind *kind, const spotctl_follow_action *action, char **list,
                      size_t n)
{
    spotify_string_list items = {spotctl_const_strings(list), n};
    memset(a, 0, sizeof *a);
    memset(body, 0, sizeof *body);
    body->ids = items;
    if (kind->by_following && action == &spotctl_follow_add) {
        spotify_me_following_add_args init = SPOTIFY_ME_FOLLOWING_ADD_ARGS_INIT;
        a->add = init, a->add.type = "artist", a->add.ids = items, a->add.body = body;
    } else if (kind->by_following && action == &spotctl_follow_remove) {
        spotify_me_following_remove_args init = SPOTIFY_ME_FOLLOWING_REMOVE_ARGS_INIT;
        a->remove = init, a->remove.type = "artist", a->remove.ids = items;
    } else if (kind->by_following) {
        spotify_me_following_contains_args init = SPOTIFY_ME_FOLLOWING_CONTAINS_ARGS_INIT;
        a->contains = init, a->contains.type = "artist", a->contains.ids = items;
    } else if (action == &spotctl_follow_add) {
        spotify_library_save_args init = SPOTIFY_LIBRARY_SAVE_ARGS_INIT;
        a->save = init, a->save.uris = items;
    } else if (action == &spotctl_follow_remove) {
        spotify_library_remove_args init = SPOTIFY_LIBRARY_REMOVE_ARGS_INIT;
        a->unsave = init, a->unsave.uris = items;
    } else {
        spotify_library_contains_args init = SPOTIFY_LIBRARY_CONTAINS_ARGS_INIT;
        a->has = init, a->has.uris = items;
    }
}

/* The IDs, checked, as the operation takes them: IDs for /me/following,
 * URIs for /me/library. `shown` keeps them as spotctl prints them (IDs). */
static int collect(const follow_kind *kind, char **inputs, size_t n, char ***list, char ***shown)
{
    *list = calloc(n, sizeof **list);
    *shown = calloc(n, sizeof **shown);
    if (*list == NULL || *shown == NULL)
        return spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        spotify_id id;
        spotify_error err = {0};
        char uri[SPOTIFY_URI_MAX];
        if (spotify_id_parse(&id, inputs[i], kind->type, &err) != SPOTIFY_OK ||
            spotify_id_uri(uri, sizeof uri, kind->type, id.id, &err) != SPOTIFY_OK)
            return spotctl_fail_about(inputs[i], err.status, &err, NULL);
        (*list)[i] = strdup(kind->by_following ? id.id : uri);
        (*shown)[i] = strdup(id.id);
        if ((*list)[i] == NULL || (*shown)[i] == NULL)
            return spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    }
    return 0;
}

int spotctl_cmd_follow(spotctl_ctx *ctx, spotctl_args *args)
{
    const spotctl_follow_action *action = ctx->cmd->data;
    char command[64];
    spotctl_command_name(command, sizeof command, ctx->cmd);
    const follow_kind *kind = NULL;
    for (size_t k = 0; args->npos > 0 && k < sizeof kinds / sizeof kinds[0]; k++)
        if (strcmp(args->pos[0], kinds[k].name) == 0)
            kind = &kinds[k];
    if (kind == NULL)
        return spotctl_usage(command, "say what: %s artists|users|playlists ID...", command);
    char **inputs = NULL, **list = NULL, **shown = NULL;
    size_t n = 0;
    int rc = spotctl_collect_inputs(args, 1, command, "ID", &inputs, &n);
    if (rc == 0)
        rc = collect(kind, inputs, n, &list, &shown);
    if (rc == 0)
        rc = spotctl_ready(ctx);
    if (rc == 0) {
        follow_args a;
        spotify_follow_artists_users_body body;
        fill_args(&a, &body, kind, action, list, n);
        const spotify_operation *op =
            kind->by_following ? action->following_op : action->library_op;
        void *answer = NULL;
        spotify_error err = {0};
        spotify_status st = spotify_operation_call_batch(action->past == NULL ? &answer : NULL,
                                                         ctx->client, op, &a, &err);
        static const char *const headers[] = {"FOLLOWING", "ID"};
        if (st != SPOTIFY_OK)
            rc = spotctl_fail(st, &err, NULL);
        else if (action->past == NULL)
            rc = spotctl_print_answers(ctx, headers, "id", "following", shown, n, answer);
        else if (ctx->json)
            printf("{\"%s\":%zu}\n", action->json, n);
        else
            printf("%s %zu %.*s.\n", action->past, n, (int)strlen(kind->name) - (n == 1 ? 1 : 0),
                   kind->name);
        spotify_model_free(answer);
    }
    spotctl_free_ids(inputs, n);
    if (list != NULL)
        spotctl_free_ids(list, n);
    if (shown != NULL)
        spotctl_free_ids(shown, n);
    return rc;
}

int spotctl_cmd_following_list(spotctl_ctx *ctx, spotctl_args *args)
{
    int64_t limit;
    if (args->npos != 0)
        return spotctl_usage("following list", "unexpected argument \"%s\"", args->pos[0]);
    if (!spotctl_limit_arg(args, "following list", &limit))
        return SPOTCTL_EXIT_USAGE;
    int rc = spotctl_ready(ctx);
    if (rc != 0)
        return rc;
    spotify_me_following_list_args a = SPOTIFY_ME_FOLLOWING_LIST_ARGS_INIT;
    a.type = "artist"; /* the only kind Spotify lists */
    spotctl_lister l;
    spotctl_lister_view(&l, ctx, &spotctl_view_artist);
    return spotctl_list_op(&l, SPOTIFY_OP_ME_FOLLOWING_LIST, &a, limit, "artists");
}
