/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http/error_body.h - reading Spotify's error bodies into a spotify_error.
 *
 * Spotify answers failures with one of two JSON shapes:
 *   Web API:  {"error": {"status": 404, "message": "Non existing id"}}
 *   accounts: {"error": "invalid_grant", "error_description": "Invalid authorization code"}
 * Anything else (HTML from a proxy, an empty body, other JSON) is kept only
 * as a redacted body excerpt.
 *
 * Threads: both functions are pure and thread-safe; a record must not be
 * written by two threads at once.
 */
#ifndef SPOTIFY_HTTP_ERROR_BODY_H
#define SPOTIFY_HTTP_ERROR_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include <spotify/error.h>

/*
 * Improves `err`, which the caller has already filled with
 * spotify__error_set() (status, http_status and a message such as
 * "GET /v1/albums/x: HTTP 404"), from the response body `body` (`len` bytes,
 * need not be NUL-terminated; NULL with len 0 is accepted):
 *   - Web API shape: message becomes "<message>: <Spotify's message>";
 *   - accounts shape: code becomes the OAuth error ("invalid_grant") and
 *     message "<message>: <error>: <error_description>" (": <error>" alone
 *     when there is no description);
 *   - any other body leaves message and code as they are.
 * In every case the redacted excerpt of the body is stored in err->body.
 * When err->message is empty, "HTTP <http_status>" is used as the prefix;
 * when err->http_status is 0, it is set to `http_status`. The message is
 * redacted and truncated (at a UTF-8 boundary) to fit the record. `err` NULL
 * is accepted (nothing happens). Borrows `body` for the call only.
 */
void spotify__error_from_body(spotify_error *err, int http_status, const char *body, size_t len);

/*
 * Extracts the error of a Spotify error body (either shape above) without
 * touching any record: `code` gets the accounts service's `error` string
 * (empty for the Web API shape), `message` gets the Web API `message` or the
 * accounts `error_description` (empty when absent). Both outputs are
 * NUL-terminated, truncated to their sizes at a UTF-8 boundary, have control
 * characters replaced by spaces, and are NOT redacted (the caller does that).
 * `code` / `message` may be NULL when their size is 0. Returns true when the
 * body has one of the two shapes and yielded a non-empty code or message;
 * false (outputs empty) for anything else. Bodies larger than 64 KiB are not
 * parsed. Allocates a temporary arena; thread-safe.
 */
bool spotify__error_body_parse(const char *body, size_t len, char *code, size_t code_size,
                               char *message, size_t message_size);

#endif
