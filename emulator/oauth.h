/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oauth.h - the pure pieces of OAuth 2.0 the accounts service needs:
 * Spotify's scopes as a bit set, the Basic client-credentials header, PKCE
 * (RFC 7636, S256 only) and the redirect-URI rules.
 *
 * Every function is pure (no state, no I/O) and safe on hostile input;
 * the Basic decoder is fuzzed (emulator/fuzz/).
 *
 * Threads: all functions are thread-safe.
 */
#ifndef SPOTIFY_EMULATOR_OAUTH_H
#define SPOTIFY_EMULATOR_OAUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

/* Spotify's scopes (the Web API specification's list), one bit each. */
#define EMU_SCOPE_LIST(X)                                                                          \
    X(APP_REMOTE_CONTROL, "app-remote-control")                                                    \
    X(PLAYLIST_READ_PRIVATE, "playlist-read-private")                                              \
    X(PLAYLIST_READ_COLLABORATIVE, "playlist-read-collaborative")                                  \
    X(PLAYLIST_MODIFY_PUBLIC, "playlist-modify-public")                                            \
    X(PLAYLIST_MODIFY_PRIVATE, "playlist-modify-private")                                          \
    X(USER_LIBRARY_READ, "user-library-read")                                                      \
    X(USER_LIBRARY_MODIFY, "user-library-modify")                                                  \
    X(USER_READ_PRIVATE, "user-read-private")                                                      \
    X(USER_READ_EMAIL, "user-read-email")                                                          \
    X(USER_FOLLOW_READ, "user-follow-read")                                                        \
    X(USER_FOLLOW_MODIFY, "user-follow-modify")                                                    \
    X(USER_TOP_READ, "user-top-read")                                                              \
    X(USER_READ_PLAYBACK_POSITION, "user-read-playback-position")                                  \
    X(USER_READ_PLAYBACK_STATE, "user-read-playback-state")                                        \
    X(USER_READ_RECENTLY_PLAYED, "user-read-recently-played")                                      \
    X(USER_READ_CURRENTLY_PLAYING, "user-read-currently-playing")                                  \
    X(USER_MODIFY_PLAYBACK_STATE, "user-modify-playback-state")                                    \
    X(UGC_IMAGE_UPLOAD, "ugc-image-upload")                                                        \
    X(STREAMING, "streaming")

enum emu_scope_index {
#define EMU_SCOPE_INDEX(name, text) EMU_SCOPE_INDEX_##name,
    EMU_SCOPE_LIST(EMU_SCOPE_INDEX)
#undef EMU_SCOPE_INDEX
        EMU_SCOPE_COUNT
};

/* The bit of a scope: EMU_SCOPE(USER_READ_PRIVATE). */
#define EMU_SCOPE(name) (UINT32_C(1) << EMU_SCOPE_INDEX_##name)

/* The name of scope number `index` (< EMU_SCOPE_COUNT). */
const char *emu_scope_name(int index);
/*
 * Parses a space-separated scope list (Spotify also accepts '+' and '%20',
 * which the form decoder has already turned into spaces; commas are
 * accepted as separators too). Empty or NULL gives 0. On an unknown scope
 * returns false and points *bad / *bad_len at it (when not NULL).
 */
bool emu_scopes_parse(const char *text, uint32_t *out, const char **bad, size_t *bad_len);
/* Appends the names of the set bits, space-separated, in list order. */
bool emu_scopes_format(spotify__strbuf *sb, uint32_t scopes);

/*
 * Decodes an `Authorization: Basic base64(id:secret)` header value into
 * `id` and `secret` (appended to the caller's buffers, which should be
 * empty). The scheme is case-insensitive; surrounding spaces are ignored;
 * the split is at the first ':'; the id must be non-empty; control bytes
 * are rejected. Returns false (buffers emptied) when the value is not a
 * well-formed Basic credential.
 */
bool emu_basic_decode(const char *header, spotify__strbuf *id, spotify__strbuf *secret);

/* RFC 7636: 43-128 characters of [A-Za-z0-9-._~]. */
bool emu_pkce_verifier_valid(const char *verifier);
/* An S256 challenge: exactly 43 base64url characters. */
bool emu_pkce_challenge_valid(const char *challenge);
/* BASE64URL(SHA256(verifier)) == challenge, compared in constant time. */
bool emu_pkce_verify(const char *verifier, const char *challenge);

/* The parts of an absolute http(s) URI that the redirect rules look at. */
typedef struct emu_uri_parts {
    bool https;
    char host[64]; /* lower-cased; IPv6 keeps its brackets: "[::1]" */
    bool loopback; /* 127.0.0.1, [::1] or localhost */
} emu_uri_parts;

/*
 * Splits `uri` into scheme and host. false when it is not an absolute
 * http:// or https:// URI with a host, or has a fragment, user info,
 * whitespace or control bytes, or a port outside 1-65535.
 */
bool emu_uri_parse(const char *uri, emu_uri_parts *out);
/* Loopback URIs the built-in demo clients accept: http://127.0.0.1[:PORT]/...,
 * http://[::1][:PORT]/... and (not in strict mode) http://localhost[:PORT]/... */
bool emu_redirect_is_demo_loopback(const char *uri, bool strict);
/* What strict mode rejects in any redirect URI (Spotify's rules for new
 * apps): the host `localhost`, and plain http:// to a non-loopback host. */
bool emu_redirect_strict_ok(const char *uri);

#endif
