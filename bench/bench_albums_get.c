/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_albums_get.c - client CPU per call of the typed, blocking
 * spotify_albums_get (validation, request, retry driver, typed decode of
 * the whole album, free) against a bare libcurl loop fetching the same body
 * without parsing it, from the same local keep-alive server, in one run.
 *
 * The two loops alternate in rounds so both see the same machine state; CPU
 * is user+system time of this process (getrusage), so the server's work
 * does not count. Connections are counted too: the SDK's through the
 * observer (new_connections), libcurl's through CURLINFO_NUM_CONNECTS; each
 * loop must use one TCP connection for the whole run.
 *
 * Usage: bench_albums_get BASE_URL [CALLS] [ROUNDS]
 *   BASE_URL  the Web API base, e.g. http://127.0.0.1:8080/v1, serving an
 *             album at /albums/4aawyAB9vmqN3uQ7FjRGTy (album-tpab.json)
 * Exit status 1 when the SDK takes more than twice bare libcurl's CPU or
 * opens more than one connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <spotify/spotify.h>

#include "bench_util.h"

#define ALBUM_ID "4aawyAB9vmqN3uQ7FjRGTy"

/* Allocations through the SDK's hooks (the SDK's own and libcurl's, which
 * the SDK routes through them): malloc and realloc calls, counted while a
 * loop runs. The bare loop's are counted the same way (libcurl uses the
 * hooks process-wide once the SDK is initialised). */
static long allocations;

static void *count_malloc(size_t size)
{
    allocations++;
    return malloc(size);
}

static void *count_realloc(void *ptr, size_t size)
{
    allocations++;
    return realloc(ptr, size);
}

/* The bare libcurl loop: one easy handle, the body into a buffer. */
typedef struct curl_loop {
    CURL *easy;
    bench_body body;
} curl_loop;

static void curl_round(curl_loop *c, int n, bench_totals *t)
{
    bench_mark m = bench_mark_now();
    for (int i = 0; i < n; i++) {
        c->body.len = 0;
        if (curl_easy_perform(c->easy) != CURLE_OK) {
            fprintf(stderr, "curl failed\n");
            exit(2);
        }
        long connects = 0;
        curl_easy_getinfo(c->easy, CURLINFO_NUM_CONNECTS, &connects);
        t->connections += connects;
    }
    bench_totals_add(t, m, n);
}

static void on_event(const spotify_http_event *event, void *user)
{
    long *connections = user;
    *connections += event->new_connections;
}

/* The typed call: validation, request, decode into spotify_album, free. */
static void sdk_round(spotify_client *client, int n, bench_totals *t, size_t *tracks)
{
    bench_mark m = bench_mark_now();
    if (!bench_albums_get_loop(client, ALBUM_ID, n, tracks))
        exit(2);
    bench_totals_add(t, m, n);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s BASE_URL [CALLS] [ROUNDS]\n", argv[0]);
        return 2;
    }
    const char *base = argv[1];
    int calls = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 2000;
    int rounds = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 10;
    if (calls < rounds || rounds < 1)
        return 2;
    char url[512];
    snprintf(url, sizeof url, "%s/albums/%s", base, ALBUM_ID);

    spotify_error err = {0};
    spotify_allocator counting = {count_malloc, count_realloc, free};
    spotify_set_allocator(&counting, &err);
    spotify_global_init(&err);
    curl_loop c = {curl_easy_init(), {0}};
    curl_easy_setopt(c.easy, CURLOPT_URL, url);
    curl_easy_setopt(c.easy, CURLOPT_WRITEFUNCTION, bench_on_body);
    curl_easy_setopt(c.easy, CURLOPT_WRITEDATA, &c.body);

    long sdk_connections = 0;
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = base;
    opts.access_token = "bench-token";
    opts.observer = on_event;
    opts.observer_user = &sdk_connections;
    spotify_client *client = NULL;
    if (spotify_client_new(&client, &opts, &err) != SPOTIFY_OK) {
        fprintf(stderr, "client: %s\n", err.message);
        return 2;
    }

    bench_totals warm = {0};
    size_t tracks = 0;
    curl_round(&c, calls / 10 + 1, &warm);
    sdk_round(client, calls / 10 + 1, &warm, &tracks);
    bench_totals curl_t = {0};
    bench_totals sdk_t = {0};
    curl_t.connections = warm.connections; /* the warm-up opened them */
    int per_round = calls / rounds;
    double *round_ratios = calloc((size_t)rounds, sizeof *round_ratios);
    if (round_ratios == NULL)
        return 2;
    long curl_allocations = 0, sdk_allocations = 0;
    for (int r = 0; r < rounds; r++) {
        bench_totals curl_r = {0};
        bench_totals sdk_r = {0};
        long before = allocations;
        curl_round(&c, per_round, &curl_r);
        curl_allocations += allocations - before;
        before = allocations;
        sdk_round(client, per_round, &sdk_r, &tracks);
        sdk_allocations += allocations - before;
        round_ratios[r] = bench_cpu_per_call(&sdk_r) / bench_cpu_per_call(&curl_r);
        bench_totals_merge(&curl_t, &curl_r);
        bench_totals_merge(&sdk_t, &sdk_r);
    }

    double curl_cpu = bench_cpu_per_call(&curl_t);
    double sdk_cpu = bench_cpu_per_call(&sdk_t);
    double ratio = sdk_cpu / curl_cpu;
    printf("album: %zu bytes, %zu tracks; %ld calls per loop in %d rounds\n\n", c.body.len, tracks,
           curl_t.calls, rounds);
    printf("| loop | client CPU per call | wall per call | allocations per call | TCP "
           "connections | CPU vs bare libcurl |\n");
    printf("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    printf("| bare libcurl, body not parsed | %.1f µs | %.1f µs | %.1f | %ld | 1.00x |\n", curl_cpu,
           bench_wall_per_call(&curl_t), (double)curl_allocations / (double)(per_round * rounds),
           curl_t.connections);
    printf("| spotify_albums_get, typed album decoded and freed | %.1f µs | %.1f µs | %.1f | %ld | "
           "%.2fx |\n",
           sdk_cpu, bench_wall_per_call(&sdk_t),
           (double)sdk_allocations / (double)(per_round * rounds), sdk_connections, ratio);
    double lowest = round_ratios[0], highest = round_ratios[0];
    for (int r = 1; r < rounds; r++) {
        lowest = round_ratios[r] < lowest ? round_ratios[r] : lowest;
        highest = round_ratios[r] > highest ? round_ratios[r] : highest;
    }
    printf("\nCPU ratio per round (the noise): median %.2fx, lowest %.2fx, highest %.2fx; the goal "
           "is checked on the whole run's ratio above\n",
           bench_median(round_ratios, rounds), lowest, highest);
    free(round_ratios);

    spotify_client_free(client);
    curl_easy_cleanup(c.easy);
    free(c.body.data);
    spotify_global_cleanup();
    if (ratio > 2.0 || sdk_connections != 1 || curl_t.connections != 1) {
        fprintf(stderr, "bench_albums_get: target missed (<= 2x CPU, one connection each)\n");
        return 1;
    }
    return 0;
}
