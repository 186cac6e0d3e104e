/* SPDX-License-Identifier: Apache-2.0 */
/* bench_util.c - the shared measuring harness (see bench_util.h). */
#include "bench_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <spotify/spotify.h>

#include "json/json.h"

double bench_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static bool fixture_read(const char *path, bench_fixture *fx)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    bool ok = fseek(f, 0, SEEK_END) == 0;
    long size = ok ? ftell(f) : -1;
    ok = size >= 0 && fseek(f, 0, SEEK_SET) == 0;
    fx->len = ok ? (size_t)size : 0;
    fx->data = ok ? calloc(1, fx->len + SPOTIFY__JSON_PADDING) : NULL;
    ok = fx->data != NULL && fread(fx->data, 1, fx->len, f) == fx->len;
    fclose(f);
    if (!ok) {
        free(fx->data);
        fx->data = NULL;
    }
    return ok;
}

bool bench_fixture_open(int argc, char **argv, const char *default_dir, bench_fixture *fx,
                        char *path, size_t size)
{
    if (argc > 1) {
        snprintf(path, size, "%s", argv[1]);
        return fixture_read(path, fx);
    }
    const char *dirs[] = {getenv("SPOTIFY_FIXTURES_DIR"), "../tests/fixtures", default_dir};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (dirs[i] == NULL || dirs[i][0] == '\0')
            continue;
        snprintf(path, size, "%s/album-tpab.json", dirs[i]);
        if (fixture_read(path, fx))
            return true;
    }
    return false;
}

long bench_iterations(int argc, char **argv)
{
    if (argc <= 2)
        return 2000;
    char *end;
    errno = 0;
    long n = strtol(argv[2], &end, 10);
    if (errno != 0 || *end != '\0' || n <= 0)
        return -1;
    return n;
}

double bench_measure(bool (*fn)(const void *ctx), const void *ctx, long iterations)
{
    long warmup = iterations / 10 < 20 ? 20 : iterations / 10;
    for (long i = 0; i < warmup; i++)
        if (!fn(ctx))
            return -1;
    double start = bench_now_us();
    for (long i = 0; i < iterations; i++)
        if (!fn(ctx))
            return -1;
    return (bench_now_us() - start) / (double)iterations;
}

size_t bench_on_body(char *data, size_t size, size_t count, void *user)
{
    bench_body *b = user;
    size_t n = size * count;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *grown = realloc(b->data, cap);
        if (grown == NULL)
            return 0;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

double bench_cpu_us(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

bench_mark bench_mark_now(void)
{
    bench_mark m = {bench_cpu_us(), bench_now_us()};
    return m;
}

void bench_totals_add(bench_totals *t, bench_mark from, long calls)
{
    bench_mark now = bench_mark_now();
    t->cpu_us += now.cpu_us - from.cpu_us;
    t->wall_us += now.wall_us - from.wall_us;
    t->calls += calls;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *values, int n)
{
    qsort(values, (size_t)n, sizeof *values, compare_double);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

void bench_totals_merge(bench_totals *t, const bench_totals *part)
{
    t->cpu_us += part->cpu_us;
    t->wall_us += part->wall_us;
    t->calls += part->calls;
    t->connections += part->connections;
}

double bench_cpu_per_call(const bench_totals *t)
{
    return t->calls > 0 ? t->cpu_us / (double)t->calls : 0;
}

double bench_wall_per_call(const bench_totals *t)
{
    return t->calls > 0 ? t->wall_us / (double)t->calls : 0;
}

bool bench_albums_get_loop(spotify_client *client, const char *id, long n, size_t *tracks)
{
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = id;
    spotify_error err = {0};
    for (long i = 0; i < n; i++) {
        spotify_album *album = NULL;
        if (spotify_albums_get(&album, client, &a, &err) != SPOTIFY_OK) {
            fprintf(stderr, "spotify_albums_get: %s\n", err.message);
            return false;
        }
        *tracks = album->tracks != NULL ? album->tracks->items.count : 0;
        spotify_album_free(album);
    }
    return true;
}
