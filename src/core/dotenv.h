/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/dotenv.h - reading ".env" files as python-dotenv (and so
 * pydantic-settings, spotantic's settings) reads the common cases:
 *
 *   # a comment line            (and blank lines)
 *   KEY=value                   (spaces around key and value trimmed)
 *   export KEY=value            (the "export " prefix is allowed)
 *   KEY=value # comment         (an unquoted value ends at " #")
 *   KEY='single quoted'         (no escapes, may span lines)
 *   KEY="double \"quoted\"\n"   (\n \t \r \" \\ escapes, may span lines)
 *   KEY=                        (an empty value)
 *   KEY                         (no value: skipped, not an error)
 *   KEY=${OTHER}/x              (in every value, quoted or not: ${NAME}
 *   KEY="${OTHER:-fallback}"     is the file's earlier NAME, else the
 *                                environment's, else the :- fallback, else
 *                                empty, as python-dotenv 1.2 interpolates)
 *
 * A line that is none of these is skipped and counted, by number only: a
 * value is never repeated in a message.
 *
 * Threads: pure, thread-safe.
 */
#ifndef SPOTIFY_CORE_DOTENV_H
#define SPOTIFY_CORE_DOTENV_H

#include <stdbool.h>
#include <stddef.h>

/* The largest .env file read (bytes); a larger one is not read at all. */
#define SPOTIFY__DOTENV_MAX (64 * 1024)

/* Called for each assignment, in file order (a later one of the same key
 * replaces an earlier one in dotenv's reading). `key` and `value` are
 * NUL-terminated and borrowed for the call; the value may be a secret. */
typedef void (*spotify__dotenv_fn)(const char *key, const char *value, void *user);

/*
 * Parses `len` bytes of .env text. Returns false on out of memory; sets
 * *bad_lines to the number of malformed lines and *first_bad to the line
 * number of the first (0 when none).
 */
bool spotify__dotenv_parse(const char *text, size_t len, spotify__dotenv_fn each, void *user,
                           size_t *bad_lines, size_t *first_bad);

#endif
