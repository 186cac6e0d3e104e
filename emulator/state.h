/* SPDX-License-Identifier: Apache-2.0 */
/*
 * state.h - everything the emulator remembers between requests, behind one
 * mutex: OAuth state (access tokens, refresh tokens, authorization codes,
 * pending consent pages) and each user's data (library, playlists, player).
 *
 * OAuth state is reached through the functions below, which lock
 * internally. User data is for the Web API handlers: take the lock with
 * emu_state_lock(), use the accessors marked "lock held", and release it
 * with emu_state_unlock(); never keep a pointer across an unlock.
 *
 * Tokens, codes and consent ids are 43-character base64url strings of 32
 * CSPRNG bytes (EMU_SECRET_LEN). Expiry uses the monotonic clock.
 *
 * Seeding: each registry user starts with a library (EMU_SEED_TRACKS saved
 * tracks, EMU_SEED_ALBUMS saved albums, EMU_SEED_ARTISTS followed artists),
 * three playlists of their own (the first with EMU_SEED_PLAYLIST_ITEMS
 * items), and an idle player: EMU_PLAYER_DEVICES devices, none active.
 * emu_state_reset() returns to exactly that start.
 *
 * Notes for Web API handlers (search, library, playlists, player):
 *  - user data is indexed by the registry's user index (emu_grant.user);
 *  - playlists live in one table (any user may read any playlist by id);
 *    a user's "followed" list holds the playlist indices /me/playlists shows;
 *  - times: added_at values are Unix seconds (emu_state_now_unix()).
 *
 * Threads: every function is thread-safe except the "lock held" accessors,
 * which require the caller to hold the lock.
 */
#ifndef SPOTIFY_EMULATOR_STATE_H
#define SPOTIFY_EMULATOR_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "registry.h"

#define EMU_SECRET_LEN 43 /* base64url of 32 bytes */
#define EMU_SEED_TRACKS 137
#define EMU_SEED_ALBUMS 2
#define EMU_SEED_ARTISTS 60
#define EMU_SEED_PLAYLIST_ITEMS 137
#define EMU_SEED_SHOWS 2
#define EMU_SEED_EPISODES 3
#define EMU_SEED_AUDIOBOOKS 1
#define EMU_PLAYER_DEVICES 2
#define EMU_HISTORY_MAX 50 /* recently played tracks remembered per user */
#define EMU_NO_USER ((size_t)-1)

/* Who a token or code speaks for. */
typedef struct emu_grant {
    size_t client;   /* registry client index */
    size_t user;     /* registry user index; EMU_NO_USER for client credentials */
    uint32_t scopes; /* EMU_SCOPE(...) bits */
    bool pkce;       /* obtained without the client secret (PKCE) */
} emu_grant;

typedef enum emu_token_status {
    EMU_TOKEN_VALID = 0,
    EMU_TOKEN_EXPIRED,
    EMU_TOKEN_UNKNOWN
} emu_token_status;

/* An authorization request waiting for Approve/Deny on the consent page. */
typedef struct emu_consent {
    emu_grant grant;
    char *redirect_uri;
    char *state;          /* NULL when the client sent none */
    char *code_challenge; /* NULL without PKCE */
} emu_consent;

/* An authorization code as the redemption check sees it (borrowed). */
typedef struct emu_code_view {
    emu_grant grant;
    const char *redirect_uri;
    const char *code_challenge; /* NULL without PKCE */
} emu_code_view;

typedef enum emu_code_result {
    EMU_CODE_OK = 0,  /* accepted and consumed */
    EMU_CODE_UNKNOWN, /* never issued, or already used */
    EMU_CODE_EXPIRED,
    EMU_CODE_REJECTED /* the check refused it (not consumed) */
} emu_code_result;

/* Decides whether a code may be redeemed: 0 accepts; anything else is
 * handed back through emu_state_redeem_code's *check_result. Runs with the
 * state lock held: must not call back into the state. */
typedef int (*emu_code_check_fn)(const emu_code_view *code, void *user);

/* A saved library item (Unix seconds). */
typedef struct emu_saved {
    emu_kind kind;
    size_t index; /* catalog index */
    int64_t added_at;
} emu_saved;

typedef struct emu_playlist_entry {
    size_t track; /* catalog track index */
    int64_t added_at;
    size_t added_by; /* registry user index */
} emu_playlist_entry;

/* Spotify's limits on a playlist's name and description, in characters
 * (code points). */
#define EMU_PLAYLIST_NAME_MAX 100
#define EMU_PLAYLIST_DESCRIPTION_MAX 300

typedef struct emu_playlist {
    char id[EMU_ID_LEN + 1];
    char *name;
    char *description;
    bool is_public;
    bool collaborative;
    size_t owner;     /* registry user index */
    uint64_t version; /* bumped on every change; snapshot_id derives from it */
    uint64_t cover;   /* hash of the uploaded cover image, 0 when none */
    emu_playlist_entry *entries;
    size_t entry_count, entry_cap;
} emu_playlist;

/* A track that started playing (recently played). */
typedef struct emu_played {
    size_t track;
    int64_t played_at_ms; /* Unix milliseconds */
    char context_uri[64]; /* "" when none */
} emu_played;

/* Playback. `context` holds the tracks play/next/previous walk (copied at
 * play time); `queue` the tracks added with POST /me/player/queue, played
 * before the context continues. */
typedef struct emu_player {
    int device; /* index of the active device, -1 when none is active */
    bool is_playing;
    size_t track; /* catalog track index, EMU_NONE when nothing is loaded */
    int64_t progress_ms;
    int64_t updated_ms; /* monotonic time of the last change */
    bool shuffle;
    int repeat; /* 0 off, 1 context, 2 track */
    int volume_percent;
    char *context_uri; /* album/playlist URI played, NULL for a list of uris */
    size_t *context;
    size_t context_count, position; /* position: index of `track` in context */
    size_t *queue;
    size_t queue_count, queue_cap;
    emu_played history[EMU_HISTORY_MAX]; /* a ring, oldest overwritten */
    size_t history_count, history_next;
} emu_player;

typedef struct emu_user_data {
    emu_saved *library; /* catalog items (tracks, albums, followed artists, shows,
                           episodes, audiobooks), oldest first */
    size_t library_count, library_cap;
    char **uris; /* other saved URIs (followed users) */
    size_t uri_count, uri_cap;
    size_t *followed; /* playlist indices, in /me/playlists order */
    size_t followed_count, followed_cap;
    emu_player player;
} emu_user_data;

typedef struct emu_state emu_state;

/* Seeded state for every user of `reg` from `catalog` (both must outlive
 * it). NULL on OOM. */
emu_state *emu_state_new(const emu_registry *reg, const emu_catalog *catalog);
void emu_state_free(emu_state *st);
/* Forgets every token, code and consent and re-seeds user data. */
bool emu_state_reset(emu_state *st);

/* Access tokens: issue one valid for `lifetime_s` seconds into `out`. */
bool emu_state_issue_access(emu_state *st, const emu_grant *grant, int lifetime_s,
                            char out[EMU_SECRET_LEN + 1]);
/* Looks up `len` bytes of `token`; *grant (may be NULL) is filled for VALID
 * and EXPIRED tokens. */
emu_token_status emu_state_check_access(emu_state *st, const char *token, size_t len,
                                        emu_grant *grant);
/* Every access token issued so far expires now. */
void emu_state_expire_access(emu_state *st);

/* Refresh tokens (they do not expire). */
bool emu_state_issue_refresh(emu_state *st, const emu_grant *grant, char out[EMU_SECRET_LEN + 1]);
bool emu_state_lookup_refresh(emu_state *st, const char *token, emu_grant *grant);
/* Atomically replaces `old_token` by a new refresh token for the same grant
 * (the old one stops working). false when `old_token` is unknown (e.g. a
 * concurrent rotation won) or on OOM. */
bool emu_state_rotate_refresh(emu_state *st, const char *old_token, char out[EMU_SECRET_LEN + 1]);

/* Authorization codes, valid EMU_CODE_LIFETIME_S seconds, single use. */
bool emu_state_issue_code(emu_state *st, const emu_grant *grant, const char *redirect_uri,
                          const char *code_challenge, char out[EMU_SECRET_LEN + 1]);
/* Looks the code up; when it exists, is unused and unexpired, runs `check`
 * and, if that returns 0, consumes the code and fills *grant. */
emu_code_result emu_state_redeem_code(emu_state *st, const char *code, emu_code_check_fn check,
                                      void *user, int *check_result, emu_grant *grant);
/* Every authorization code issued so far expires now. */
void emu_state_expire_codes(emu_state *st);

/* Consent pages: stores a pending request (strings copied; state and
 * code_challenge may be NULL) under a new id. */
bool emu_state_add_consent(emu_state *st, const emu_grant *grant, const char *redirect_uri,
                           const char *state, const char *code_challenge,
                           char id_out[EMU_SECRET_LEN + 1]);
/* Removes the consent `id` into *out (caller frees with emu_consent_clear).
 * false when unknown or older than EMU_CODE_LIFETIME_S. */
bool emu_state_take_consent(emu_state *st, const char *id, emu_consent *out);
void emu_consent_clear(emu_consent *consent);

/* Unix time in seconds (for added_at). */
int64_t emu_state_now_unix(void);

/* User data. */
void emu_state_lock(emu_state *st);
void emu_state_unlock(emu_state *st);
/* Lock held. The data of registry user `user`, or NULL. */
emu_user_data *emu_state_user(emu_state *st, size_t user);
/* Lock held. Playlists by index and by id (NULL when absent). */
size_t emu_state_playlist_count(const emu_state *st);
emu_playlist *emu_state_playlist_at(emu_state *st, size_t index);
emu_playlist *emu_state_playlist(emu_state *st, const char *id, size_t len, size_t *index_out);
/* Lock held. Creates an empty playlist owned by `owner` (followed by the
 * owner, first in their list) with a fresh id; NULL on OOM. */
emu_playlist *emu_state_add_playlist(emu_state *st, size_t owner, const char *name,
                                     const char *description, bool is_public, bool collaborative);
/* Lock held. Appends an entry to a playlist. false on OOM. */
bool emu_playlist_append(emu_playlist *pl, size_t track, size_t added_by, int64_t added_at);
/* Lock held. Inserts `count` tracks at `position` (<= entry_count) and
 * bumps the version once. false on OOM (nothing changed). */
bool emu_playlist_insert(emu_playlist *pl, size_t position, const size_t *tracks, size_t count,
                         size_t added_by, int64_t added_at);
/* Lock held. Removes every entry of `track`; returns how many. */
size_t emu_playlist_remove_track(emu_playlist *pl, size_t track);
/* Lock held. Moves entries [start, start + length) before entry `before`
 * (all within 0..entry_count, as Spotify's reorder); bumps the version. */
void emu_playlist_move(emu_playlist *pl, size_t start, size_t length, size_t before);

/* Lock held. Library items (tracks, albums, artists): the position in
 * u->library or EMU_NONE; adding an item already saved changes nothing. */
size_t emu_library_find(const emu_user_data *u, emu_kind kind, size_t index);
bool emu_library_add(emu_user_data *u, emu_kind kind, size_t index, int64_t added_at);
void emu_library_remove(emu_user_data *u, emu_kind kind, size_t index);
/* Lock held. Other saved URIs (compared exactly). */
bool emu_library_has_uri(const emu_user_data *u, const char *uri);
bool emu_library_add_uri(emu_user_data *u, const char *uri);
void emu_library_remove_uri(emu_user_data *u, const char *uri);
/* Lock held. Followed playlists (playlist table indices). */
bool emu_user_follows(const emu_user_data *u, size_t playlist);
bool emu_user_follow(emu_user_data *u, size_t playlist);
void emu_user_unfollow(emu_user_data *u, size_t playlist);

/* Lock held. How many users follow playlist `playlist`. */
size_t emu_state_playlist_followers(emu_state *st, size_t playlist);
/* Lock held. The items of every playlist together. */
size_t emu_state_item_total(const emu_state *st);
/* Lock held. Creates a playlist owned by `owner` holding `count` entries
 * (catalog tracks in order, repeating), for benchmarks; NULL on OOM. */
emu_playlist *emu_state_add_filled_playlist(emu_state *st, size_t owner, const char *name,
                                            size_t count);

/* Lock held. Records that `track` started playing now (recently played). */
void emu_player_record(emu_player *p, size_t track);
/* Lock held. Replaces the player's context by a copy of `tracks` (count >=
 * 1), starting at `position`; context_uri is copied (NULL allowed). */
bool emu_player_set_context(emu_player *p, const size_t *tracks, size_t count, size_t position,
                            const char *context_uri);
/* Lock held. Queue: append / take the first (EMU_NONE when empty). */
bool emu_player_enqueue(emu_player *p, size_t track);
size_t emu_player_dequeue(emu_player *p);

#endif
