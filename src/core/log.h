/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/log.h - internal logging. Lines are formatted, redacted with
 * spotify_redact() and handed to the handler from spotify_log_set_handler().
 *
 * Threads: safe from any thread.
 */
#ifndef SPOTIFY_CORE_LOG_H
#define SPOTIFY_CORE_LOG_H

#include "export.h"

#include <stdbool.h>

#include <spotify/log.h>

/* True when a handler is installed for `level`; lets callers skip building
 * expensive messages. */
SPOTIFY__EXPORT bool spotify__log_enabled(spotify_log_level level);
SPOTIFY__EXPORT void spotify__log(spotify_log_level level, const char *fmt, ...)
    SPOTIFY_PRINTF(2, 3);

#endif
