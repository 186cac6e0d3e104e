/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/log.h - the logging hook and the secret-redaction helper.
 *
 * The SDK never prints. It hands each log line to the handler installed
 * here, after the line has passed through spotify_redact(): Authorization
 * headers, access and refresh tokens, client secrets, authorization codes,
 * OAuth state values and PKCE verifiers are replaced by "[REDACTED]" whether
 * they sit in a header, a query string, a form body or a JSON body.
 *
 * Threads: spotify_log_set_handler() may be called at any time from any
 * thread; the handler itself may be called from any thread that uses the SDK,
 * concurrently, and must be thread-safe.
 */
#ifndef SPOTIFY_LOG_H
#define SPOTIFY_LOG_H

#include "common.h"

SPOTIFY_BEGIN_DECLS

/*
 * The severity of a log line; a handler receives the lines at or above the
 * level it was installed with. The numbers are ABI.
 */
typedef enum spotify_log_level {
    SPOTIFY_LOG_DEBUG = 10, /* detail for debugging, e.g. every HTTP attempt */
    SPOTIFY_LOG_INFO = 20,  /* noteworthy events */
    SPOTIFY_LOG_WARN = 30,  /* a problem the SDK worked around or ignored */
    SPOTIFY_LOG_ERROR = 40  /* a failure */
} spotify_log_level;

/*
 * A log handler. `message` is redacted, NUL-terminated, without a trailing
 * newline, and borrowed: valid only during the call.
 */
typedef void (*spotify_log_fn)(spotify_log_level level, const char *message, void *user);

/*
 * Installs `handler` for every line at `min_level` or above. NULL removes the
 * handler (the default: the SDK logs nothing). `user` is passed to each call.
 */
SPOTIFY_API void spotify_log_set_handler(spotify_log_fn handler, void *user,
                                         spotify_log_level min_level);

/* The level's name in upper case ("WARN"); static string. */
SPOTIFY_API const char *spotify_log_level_name(spotify_log_level level);

/*
 * Copies `text` into `out` (capacity `out_size`, NUL-terminated, truncated to
 * fit) with every secret replaced by "[REDACTED]". Recognises:
 *   - `Authorization: <scheme> <credential>` headers and any `Bearer <token>`
 *     or `Basic <credential>`;
 *   - `key=value` pairs in query strings and form bodies and `"key": "value"`
 *     members of JSON, for the keys access_token, refresh_token,
 *     client_secret, code, code_verifier, state and id_token.
 * Returns the length of the redacted text before truncation (as snprintf).
 * `text` NULL is treated as "". Thread-safe, no allocation.
 */
SPOTIFY_API size_t spotify_redact(char *out, size_t out_size, const char *text);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_LOG_H */
