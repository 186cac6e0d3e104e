/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/fields.c - the few fields people and CSV files want from a saved
 * item or a playlist item, whatever its kind. Pure.
 */
#include <string.h>

#include "spotctl.h"

const char *const spotctl_saved_kind_names[SPOTCTL_SAVED_KIND_COUNT] = {"track", "album", "episode",
                                                                        "show", "audiobook"};

const char *spotctl_saved_kind_name(spotctl_saved_kind kind)
{
    return kind < SPOTCTL_SAVED_KIND_COUNT ? spotctl_saved_kind_names[kind] : "unknown";
}

int spotctl_saved_kind_from_name(const char *name, size_t len)
{
    for (int k = 0; k < SPOTCTL_SAVED_KIND_COUNT; k++)
        if (strlen(spotctl_saved_kind_names[k]) == len &&
            strncmp(spotctl_saved_kind_names[k], name, len) == 0)
            return k;
    return -1;
}

const spotify_operation *spotctl_saved_op(spotctl_saved_kind kind)
{
    switch (kind) {
    case SPOTCTL_SAVED_TRACK:
        return SPOTIFY_OP_ME_TRACKS_LIST;
    case SPOTCTL_SAVED_ALBUM:
        return SPOTIFY_OP_ME_ALBUMS_LIST;
    case SPOTCTL_SAVED_EPISODE:
        return SPOTIFY_OP_ME_EPISODES_LIST;
    case SPOTCTL_SAVED_SHOW:
        return SPOTIFY_OP_ME_SHOWS_LIST;
    default:
        return SPOTIFY_OP_ME_AUDIOBOOKS_LIST;
    }
}

void spotctl_saved_args_init(spotctl_saved_args *a, spotctl_saved_kind kind, const char *market)
{
    switch (kind) {
    case SPOTCTL_SAVED_TRACK: {
        spotify_me_tracks_list_args init = SPOTIFY_ME_TRACKS_LIST_ARGS_INIT;
        init.market = market;
        a->tracks = init;
        break;
    }
    case SPOTCTL_SAVED_ALBUM: {
        spotify_me_albums_list_args init = SPOTIFY_ME_ALBUMS_LIST_ARGS_INIT;
        init.market = market;
        a->albums = init;
        break;
    }
    case SPOTCTL_SAVED_EPISODE: {
        spotify_me_episodes_list_args init = SPOTIFY_ME_EPISODES_LIST_ARGS_INIT;
        init.market = market;
        a->episodes = init;
        break;
    }
    case SPOTCTL_SAVED_SHOW: {
        spotify_me_shows_list_args init = SPOTIFY_ME_SHOWS_LIST_ARGS_INIT;
        a->shows = init;
        break;
    }
    default: {
        spotify_me_audiobooks_list_args init = SPOTIFY_ME_AUDIOBOOKS_LIST_ARGS_INIT;
        a->audiobooks = init;
        break;
    }
    }
}

static void clear(spotctl_fields *out, const char *type)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    out->duration_ms = -1;
}

static void from_track(spotctl_fields *out, const spotify_track *t)
{
    out->name = t->name;
    out->uri = t->uri;
    spotctl_join_artists(out->by, sizeof out->by, &t->artists);
    out->album = t->album != NULL ? t->album->name : NULL;
    out->duration_ms = spotify_has(t, SPOTIFY_TRACK_DURATION_MS) ? t->duration_ms : -1;
}

static void from_episode(spotctl_fields *out, const spotify_episode *e)
{
    out->name = e->name;
    out->uri = e->uri;
    out->duration_ms = e->duration_ms;
    if (e->show != NULL) {
        out->album = e->show->name;
        snprintf(out->by, sizeof out->by, "%s", e->show->publisher ? e->show->publisher : "");
    }
}

void spotctl_fields_saved(spotctl_fields *out, spotctl_saved_kind kind, const void *item)
{
    clear(out, spotctl_saved_kind_name(kind));
    switch (kind) {
    case SPOTCTL_SAVED_TRACK: {
        const spotify_saved_track *s = item;
        out->added_at = s->added_at;
        if (s->track != NULL)
            from_track(out, s->track);
        break;
    }
    case SPOTCTL_SAVED_ALBUM: {
        const spotify_saved_album *s = item;
        out->added_at = s->added_at;
        if (s->album != NULL) {
            out->name = s->album->name;
            out->album = s->album->name;
            out->uri = s->album->uri;
            spotctl_join_artists(out->by, sizeof out->by, &s->album->artists);
        }
        break;
    }
    case SPOTCTL_SAVED_EPISODE: {
        const spotify_saved_episode *s = item;
        out->added_at = s->added_at;
        if (s->episode != NULL)
            from_episode(out, s->episode);
        break;
    }
    case SPOTCTL_SAVED_SHOW: {
        const spotify_saved_show *s = item;
        out->added_at = s->added_at;
        if (s->show != NULL) {
            out->name = s->show->name;
            out->uri = s->show->uri;
            snprintf(out->by, sizeof out->by, "%s", s->show->publisher ? s->show->publisher : "");
        }
        break;
    }
    default: {
        const spotify_saved_audiobook *s = item;
        out->added_at = s->added_at;
        if (s->audiobook != NULL) {
            out->name = s->audiobook->name;
            out->uri = s->audiobook->uri;
            size_t used = 0;
            for (size_t i = 0; i < s->audiobook->authors.count && used < sizeof out->by; i++) {
                const char *name = s->audiobook->authors.items[i].name;
                int n = snprintf(out->by + used, sizeof out->by - used, "%s%s", i ? ", " : "",
                                 name ? name : "");
                if (n < 0)
                    break;
                used += (size_t)n;
            }
        }
        break;
    }
    }
}

void spotctl_fields_playlist_item(spotctl_fields *out, const spotify_playlist_track *item)
{
    clear(out, "track");
    out->added_at = item->added_at;
    const spotify_track_or_episode *te = item->item != NULL ? item->item : item->track;
    if (te == NULL)
        return;
    if (te->track != NULL) {
        from_track(out, te->track);
    } else if (te->episode != NULL) {
        out->type = "episode";
        from_episode(out, te->episode);
    }
}
