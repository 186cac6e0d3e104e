/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/oauth.h - the pure logic of OAuth 2.0 as Spotify speaks it: scopes,
 * the authorization URL, callback parsing, PKCE, token requests and token
 * responses. No I/O; everything here is unit-tested without a socket.
 *
 * Threads: pure functions, thread-safe.
 */
#ifndef SPOTIFY_AUTH_OAUTH_H
#define SPOTIFY_AUTH_OAUTH_H

#include "../core/export.h"

#include <stdbool.h>
#include <stddef.h>

#include <spotify/auth.h>

#include "../core/strbuf.h"

/*
 * Normalises scopes given as one string (space- and/or comma-separated)
 * or, when `scope` is NULL, as a list whose entries may each hold several:
 * single spaces, empty entries dropped, order kept, exact duplicates
 * dropped. Appends to `out` (nothing when there are no scopes). false on OOM.
 */
bool spotify__scope_normalize(spotify__strbuf *out, const char *scope, const char *const *list,
                              size_t count);

/* True when every scope of `required` (space-separated) is in `granted`. */
bool spotify__scope_covers(const char *granted, const char *required);

typedef struct spotify__authorize_params {
    const char *accounts_base_url; /* without trailing '/' */
    const char *client_id;
    const char *redirect_uri;
    const char *scope;          /* normalised; NULL or "" leaves it out */
    const char *state;          /* NULL leaves it out */
    bool show_dialog;           /* adds show_dialog=true */
    const char *code_challenge; /* PKCE: adds code_challenge_method=S256 too */
} spotify__authorize_params;

/* Appends {accounts}/authorize?response_type=code&client_id=..&redirect_uri=..
 * [&scope=..][&state=..][&show_dialog=true][&code_challenge_method=S256
 * &code_challenge=..], every value percent-encoded. false on OOM. */
bool spotify__authorize_url_build(spotify__strbuf *out, const spotify__authorize_params *p);

/* PKCE (RFC 7636). A verifier of `len` characters (43..128) from the
 * unreserved set, drawn from the CSPRNG, into `out` (len + 1 bytes).
 * false when len is out of range or the CSPRNG fails. */
#define SPOTIFY__PKCE_VERIFIER_LEN 64
bool spotify__pkce_verifier(char *out, size_t len);
/* The S256 challenge of `verifier`: base64url(SHA-256(verifier)) without
 * padding, 43 characters, into `out` (44 bytes). */
bool spotify__pkce_challenge(const char *verifier, char out[44]);

/* The largest token endpoint response read (bytes). */
#define SPOTIFY__TOKEN_RESPONSE_MAX ((size_t)64 * 1024)

/* The longest token lifetime the SDK believes: a larger expires_in from a
 * token endpoint is read as this (one year). */
#define SPOTIFY__TOKEN_LIFETIME_MAX_S (366.0 * 24 * 3600)
/* The latest expiry a stored token may carry (9999-12-31T23:59:59Z); a
 * record with a later, negative or non-finite expires_at is not a token. */
#define SPOTIFY__TOKEN_EXPIRES_AT_MAX 253402300799.0

/*
 * NULL when `token` may be used and stored: its access token (and refresh
 * token, when it has one) is an RFC 6750 b64token and its expires_at is a
 * finite time in [0, SPOTIFY__TOKEN_EXPIRES_AT_MAX]. Otherwise a constant
 * phrase naming the problem (never the token's content). Every token from
 * a cache (file, Redis, custom ops) and every token stored passes it.
 */
const char *spotify__token_problem(const spotify_token *token);

/* Records the token's access and refresh tokens for redaction
 * (core/secrets.h): every token the SDK obtains passes here. */
void spotify__token_note_secrets(const spotify_token *token);

/* Appends "Authorization: Basic base64(id:secret)" to `out`. */
bool spotify__basic_auth_header(spotify__strbuf *out, const char *client_id,
                                const char *client_secret);

/*
 * Parses a token endpoint response (any grant). `http_status` is the
 * response's status; only 2xx bodies are parsed as tokens. Rules:
 *   - token_type must be "bearer" in any letter case;
 *   - access_token (non-empty string) and expires_in (a number >= 0; a
 *     numeric string is NOT accepted) are required;
 *   - refresh_token and scope are optional strings (null counts as absent);
 *   - anything else (missing fields, wrong JSON types, non-JSON body, a
 *     non-object) is SPOTIFY_EAUTH with the HTTP status and a redacted body
 *     excerpt, never the token itself;
 *   - 4xx bodies are SPOTIFY_EAUTH carrying Spotify's error and
 *     error_description (err->code), 429 is SPOTIFY_ERATELIMIT, 5xx
 *     SPOTIFY_ESERVER.
 * On success fills `out` (expires_at = now + expires_in; flow and client_id
 * left untouched); on failure `out` is left unchanged.
 */
spotify_status spotify__token_response_parse(spotify_token *out, int http_status, const char *body,
                                             size_t len, double now, spotify_error *err);

/*
 * The token file / cache record as JSON:
 * {"version":1,"access_token":..,"expires_at":..,"refresh_token":..|null,
 *  "scope":..|null,"client_id":..|null,"flow":"authorization_code"|...}.
 */
SPOTIFY__EXPORT bool spotify__token_to_json(spotify__strbuf *out, const spotify_token *token);
/* The same token as spotantic's AccessTokenInfo JSON (access_token,
 * token_type "Bearer", scope, expires_in, refresh_token, expires_at as a
 * naive ISO 8601 local datetime with microseconds), for file caches shared with
 * spotantic programs. `now` (epoch seconds) gives expires_in when the token
 * does not know its lifetime. */
bool spotify__token_to_json_spotantic(spotify__strbuf *out, const spotify_token *token, double now);
/* ISO 8601 datetimes: "2026-12-04T18:00:00.123456" written (naive local
 * time, as spotantic writes and compares it: Python raises comparing a
 * naive datetime.now() with an aware one; no fraction when it is zero);
 * read with any offset ("Z", "+01:00", "+0100"), fractional seconds, a
 * space instead of "T", or none (a naive datetime: local time, as Python's
 * datetime.now() writes it). */
#define SPOTIFY__ISO8601_SIZE 40
bool spotify__iso8601_format(double epoch, char out[SPOTIFY__ISO8601_SIZE]);
bool spotify__iso8601_parse(const char *s, double *out);

/* Reads such a record (also the seed's shape: access_token, expires_at,
 * refresh_token, scope only). false when the data is not such a record
 * (corrupt, wrong types, missing access_token or expires_at); `out` is
 * untouched then. Unknown members are ignored; unknown flow names read as
 * SPOTIFY_FLOW_UNKNOWN. */
SPOTIFY__EXPORT bool spotify__token_from_json(spotify_token *out, const char *data, size_t len);

/* The flow for a name written by spotify_flow_name() (UNKNOWN otherwise). */
spotify_flow spotify__flow_from_name(const char *name);

#endif
