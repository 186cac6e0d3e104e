/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/log.c - the log handler and internal logging.
 *
 * The handler, its user pointer and its minimum level are replaced together
 * under a mutex; each line takes a snapshot of the three and calls the
 * handler outside the lock, so a handler may log or change the handler
 * itself. A line already being delivered when the handler is replaced may
 * still reach the old handler. The minimum level is mirrored in an atomic
 * so spotify__log_enabled() costs one load.
 */
#include "log.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

#define LOG_LINE_SIZE 1024
/* Redaction can lengthen a line ("code=x" becomes "code=[REDACTED]"). */
#define LOG_REDACTED_SIZE 1536

typedef struct log_sink {
    spotify_log_fn handler;
    void *user;
    spotify_log_level min_level;
} log_sink;

static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;
static log_sink sink = {NULL, NULL, SPOTIFY_LOG_DEBUG};
/* The lowest level delivered; INT_MAX while no handler is installed. */
static atomic_int enabled_from = INT_MAX;

void spotify_log_set_handler(spotify_log_fn handler, void *user, spotify_log_level min_level)
{
    pthread_mutex_lock(&sink_lock);
    sink.handler = handler;
    sink.user = handler == NULL ? NULL : user;
    sink.min_level = min_level;
    atomic_store(&enabled_from, handler == NULL ? INT_MAX : (int)min_level);
    pthread_mutex_unlock(&sink_lock);
}

const char *spotify_log_level_name(spotify_log_level level)
{
    switch (level) {
    case SPOTIFY_LOG_DEBUG:
        return "DEBUG";
    case SPOTIFY_LOG_INFO:
        return "INFO";
    case SPOTIFY_LOG_WARN:
        return "WARN";
    case SPOTIFY_LOG_ERROR:
        return "ERROR";
    }
    return "UNKNOWN";
}

bool spotify__log_enabled(spotify_log_level level)
{
    return (int)level >= atomic_load_explicit(&enabled_from, memory_order_relaxed);
}

/* Marks a line cut to fit `size` bytes with a trailing "...". */
static void mark_truncated(char *buf, size_t size)
{
    memcpy(buf + size - 4, "...", 4);
}

/* Formats one line into `buf`, without trailing newlines. */
SPOTIFY_PRINTF(3, 0)
static void format_line(char *buf, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(buf, size, fmt, ap);
    if (n < 0) {
        buf[0] = '\0';
        return;
    }
    size_t len = (size_t)n;
    if (len >= size) {
        mark_truncated(buf, size);
        return;
    }
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
}

void spotify__log(spotify_log_level level, const char *fmt, ...)
{
    if (!spotify__log_enabled(level) || fmt == NULL)
        return;
    pthread_mutex_lock(&sink_lock);
    log_sink snapshot = sink;
    pthread_mutex_unlock(&sink_lock);
    if (snapshot.handler == NULL || level < snapshot.min_level)
        return;

    char line[LOG_LINE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    format_line(line, sizeof line, fmt, ap);
    va_end(ap);

    char safe[LOG_REDACTED_SIZE];
    if (spotify_redact(safe, sizeof safe, line) >= sizeof safe)
        mark_truncated(safe, sizeof safe);
    spotify__wipe(line, sizeof line);
    snapshot.handler(level, safe, snapshot.user);
}
