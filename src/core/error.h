/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/error.h - filling the caller's spotify_error record.
 *
 * Threads: pure, thread-safe.
 */
#ifndef SPOTIFY_CORE_ERROR_H
#define SPOTIFY_CORE_ERROR_H

#include "export.h"

#include <stddef.h>

#include <spotify/error.h>

/*
 * Fills `err` (which may be NULL) with `status`, `http_status` and a
 * redacted, formatted message, starting from a clean record: code, body and
 * attempts are cleared and retry_after_ms is -1, whatever a previous failure
 * left there (drivers set attempts and Retry-After after this call). Returns `status`, so callers
 * can `return spotify__error_set(...)`.
 */
SPOTIFY__EXPORT spotify_status spotify__error_set(spotify_error *err, spotify_status status,
                                                  int http_status, const char *fmt, ...)
    SPOTIFY_PRINTF(4, 5);
/* Stores a redacted, truncated excerpt of a response body. */
void spotify__error_set_body(spotify_error *err, const char *body, size_t len);
/* Stores Spotify's machine-readable error code (e.g. "invalid_grant"). */
void spotify__error_set_code(spotify_error *err, const char *code, size_t len);
/* The common out-of-memory error. */
SPOTIFY__EXPORT spotify_status spotify__error_oom(spotify_error *err);

#endif
