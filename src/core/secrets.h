/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/secrets.h - the values of the secrets this process's SDK holds, so
 * that spotify_redact() can replace them wherever they appear, even where
 * no pattern ("access_token=", "Bearer ...") announces them: a server that
 * echoes a refresh token in an error_description, an API error quoting the
 * access token.
 *
 * Two kinds of entries:
 *   - pinned: held as long as the object that owns the secret lives (a
 *     provider's client secret and Basic credential, a static token, a
 *     Redis password); counted, so two owners of one value pin it twice;
 *   - noted: values that pass through (tokens from the token endpoint or a
 *     cache, authorization codes, PKCE verifiers); the most recent
 *     SPOTIFY__SECRETS_RECENT are kept, the oldest wiped first. A token is
 *     valid for an hour, so an echo of one older than the last 64 tokens is
 *     an echo of an expired token.
 * Values shorter than SPOTIFY__SECRET_MIN_LEN are not recorded: they cannot
 * be told apart from ordinary words, and replacing them would garble every
 * message. Copies are wiped when dropped and at spotify_global_cleanup().
 *
 * Threads: every function may be called from any thread (one mutex).
 */
#ifndef SPOTIFY_CORE_SECRETS_H
#define SPOTIFY_CORE_SECRETS_H

#include "export.h"

#include <stdbool.h>
#include <stddef.h>

#define SPOTIFY__SECRET_MIN_LEN 6
#define SPOTIFY__SECRETS_RECENT 64

/* Pins `secret` (NULL, empty or short values are ignored). Unpin with the
 * same value. Returns false only when out of memory. */
SPOTIFY__EXPORT bool spotify__secret_pin(const char *secret);
SPOTIFY__EXPORT void spotify__secret_unpin(const char *secret);
/* Records a value that passes through (see above). */
void spotify__secret_note(const char *secret, size_t len);

/*
 * For the redactor: the length of the known secret that starts at `text`
 * (`len` bytes available), or, at the end of the text, of the cut-off
 * beginning of one (at least SPOTIFY__SECRET_MIN_LEN bytes); 0 when none.
 * Callers hold the registry with spotify__secrets_hold/release around a
 * whole scan.
 */
bool spotify__secrets_hold(void);
size_t spotify__secret_at(const char *text, size_t len);
void spotify__secrets_release(void);

/* Wipes and frees every entry (spotify_global_cleanup). */
void spotify__secrets_clear(void);

#endif
