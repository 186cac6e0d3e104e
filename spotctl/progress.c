/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/progress.c - the progress line on stderr: items done / total,
 * rate, ETA and a bar, redrawn at most ten times a second, only on a
 * terminal. The line is built by a pure function.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spotctl.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool spotctl_progress_allowed(const spotctl_ctx *ctx, bool streams)
{
    return ctx->stderr_tty && !(streams && ctx->stdout_tty);
}

void spotctl_progress_render(char *out, size_t size, const char *label, int64_t done, int64_t total,
                             double elapsed_s, int width)
{
    char counts[64], rate[32] = "", eta[32] = "";
    if (total >= 0)
        snprintf(counts, sizeof counts, "%lld/%lld", (long long)done, (long long)total);
    else
        snprintf(counts, sizeof counts, "%lld", (long long)done);
    double per_s = elapsed_s > 0.05 ? (double)done / elapsed_s : 0;
    if (per_s > 0)
        snprintf(rate, sizeof rate, "  %.1f/s", per_s);
    if (per_s > 0 && total >= done) {
        char d[16];
        spotctl_format_duration(d, sizeof d, (int64_t)((double)(total - done) / per_s * 1000));
        snprintf(eta, sizeof eta, "  ETA %s", d);
    }
    int n = snprintf(out, size, "%s  %s%s%s", label, counts, rate, eta);
    if (n < 0 || (size_t)n >= size)
        return;
    int bar = width - n - 4;
    if (total > 0 && bar >= 10) {
        if (bar > 40)
            bar = 40;
        int filled = (int)((double)bar * (double)(done < total ? done : total) / (double)total);
        size_t used = (size_t)n;
        if (used + (size_t)bar + 4 < size) {
            memcpy(out + used, "  [", 3);
            used += 3;
            for (int i = 0; i < bar; i++)
                out[used++] = i < filled ? '#' : ' ';
            out[used++] = ']';
            out[used] = '\0';
        }
    }
}

static void draw(spotctl_progress *p, bool force)
{
    int64_t now = now_ms();
    if (!force && now - p->last_draw_ms < 100)
        return;
    p->last_draw_ms = now;
    char line[256];
    spotctl_progress_render(line, sizeof line, p->label, p->done, p->total,
                            (double)(now - p->start_ms) / 1000.0, p->width);
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
}

void spotctl_progress_start(spotctl_progress *p, bool enabled, const char *label, int64_t total,
                            int width)
{
    memset(p, 0, sizeof *p);
    p->enabled = enabled;
    p->label = label;
    p->total = total;
    p->width = width > 0 ? width : 80;
    p->start_ms = now_ms();
    if (enabled)
        draw(p, true);
}

void spotctl_progress_total(spotctl_progress *p, int64_t total)
{
    p->total = total;
}

void spotctl_progress_step(spotctl_progress *p, int64_t n)
{
    p->done += n;
    if (p->enabled)
        draw(p, p->total >= 0 && p->done >= p->total);
}

void spotctl_progress_end(spotctl_progress *p)
{
    if (!p->enabled)
        return;
    draw(p, true);
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->enabled = false;
}
