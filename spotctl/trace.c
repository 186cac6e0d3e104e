/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/trace.c - `-v`: one line per HTTP attempt on stderr (method,
 * redacted URL, status, time, attempt, retry), from the SDK's observer
 * hook, and the SDK's own log lines (already redacted by the SDK) from its
 * log hook. Observers run on whichever thread made the request; each line
 * is written with one stdio call.
 */
#include <string.h>

#include "spotctl.h"

void spotctl_trace_format(char *out, size_t size, const spotify_http_event *e)
{
    char status[48];
    if (e->http_status > 0)
        snprintf(status, sizeof status, "%d", e->http_status);
    else
        snprintf(status, sizeof status, "no response (%s)", spotify_status_category(e->result));
    char retry[64] = "";
    if (e->will_retry)
        snprintf(retry, sizeof retry, ", retrying in %lld ms", (long long)e->retry_wait_ms);
    char raw[1024];
    snprintf(raw, sizeof raw, "* %s %s -> %s (%.1f ms, attempt %d%s%s)", e->method, e->url, status,
             (double)e->duration_us / 1000.0, e->attempt,
             e->new_connections > 0 ? ", new connection" : "", retry);
    spotify_redact(out, size, raw);
    spotctl_clean_controls(out);
}

void spotctl_trace_observer(const spotify_http_event *event, void *user)
{
    (void)user;
    char line[1100];
    spotctl_trace_format(line, sizeof line, event);
    fprintf(stderr, "%s\n", line);
}

static void log_line(spotify_log_level level, const char *message, void *user)
{
    (void)user;
    char clean[1024];
    fprintf(stderr, "* sdk %s: %s\n", spotify_log_level_name(level),
            spotctl_clean(clean, sizeof clean, message));
}

void spotctl_trace_install(int verbose)
{
    if (verbose <= 0)
        return;
    spotify_log_set_handler(log_line, NULL, verbose > 1 ? SPOTIFY_LOG_DEBUG : SPOTIFY_LOG_INFO);
}
