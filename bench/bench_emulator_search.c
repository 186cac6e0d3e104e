/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_emulator_search.c - GET /v1/search latency over spotify-emulator's
 * default catalog (goal: p95 under 1 ms per query), end to end: one
 * keep-alive libcurl connection from this process to a freshly started
 * emulator, so each figure includes HTTP, the bearer check, the search and
 * writing the answer.
 *
 * The queries mix the cheap and the expensive: words, prefixes, phrases,
 * filters, exclusions, several types at once, a market (the answer is
 * rewritten with is_playable) and the worst case, a query every track
 * matches ("-xyzzy": 1,052 hits ranked, 50 full tracks written). Each runs
 * ROUNDS times, interleaved.
 *
 * Usage: bench_emulator_search [ROUNDS]   (default 200)
 * Exit status 1 when a request fails or the overall p95 is 1 ms or more.
 */
#include <curl/curl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "emulator_process.h"

#define GOAL_US 1000.0

static const char *const queries[][2] = {
    {"q=kendrick&type=track,album,artist", "words, three types"},
    {"q=kendrick+lamar&type=track&limit=20", "tracks by artist name"},
    {"q=king+kun&type=track", "prefix"},
    {"q=a&type=track&limit=10", "a one-letter prefix"},
    {"q=%22to+pimp%22&type=album", "phrase"},
    {"q=artist%3Akatatonia&type=album,track", "artist filter"},
    {"q=year%3A2000-2015&type=album&limit=50", "year range, 50 albums"},
    {"q=genre%3Ametal&type=track", "genre filter"},
    {"q=tag%3Ahipster&type=album&limit=20", "tag:hipster"},
    {"q=kendrick+-alright+NOT+kunta&type=track", "exclusions"},
    {"q=castano&type=artist,track", "accents"},
    {"q=the&type=album,artist,playlist,track,show,episode,audiobook", "every type"},
    {"q=silver&type=track&market=SE&limit=20", "market (answer rewritten)"},
    {"q=-xyzzy&type=track&limit=50", "worst case: every track, 50 written"},
};
#define QUERY_COUNT (sizeof queries / sizeof queries[0])

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
    if (rounds < 1) {
        fprintf(stderr, "usage: bench_emulator_search [ROUNDS]\n");
        return 2;
    }
    emulator_process emu;
    if (!emulator_start(&emu, NULL))
        return 1;
    char token[128], auth[200];
    if (!emulator_issue_token(&emu, "{\"user\":false}", token, sizeof token, NULL, 0)) {
        emulator_stop(&emu);
        return 1;
    }
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, auth);
    bench_body body = {0};
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, bench_on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    size_t n = (size_t)rounds;
    double *per = calloc(QUERY_COUNT * n, sizeof *per);
    double *all = calloc(QUERY_COUNT * n, sizeof *all);
    size_t bytes[QUERY_COUNT] = {0};
    int failed = per == NULL || all == NULL;
    for (long round = -5; !failed && round < rounds; round++) { /* 5 warm-up rounds */
        for (size_t q = 0; !failed && q < QUERY_COUNT; q++) {
            char url[512];
            snprintf(url, sizeof url, "%s/v1/search?%s", emu.base_url, queries[q][0]);
            curl_easy_setopt(curl, CURLOPT_URL, url);
            body.len = 0;
            double t0 = bench_now_us();
            CURLcode rc = curl_easy_perform(curl);
            double us = bench_now_us() - t0;
            long status = 0;
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
            if (rc != CURLE_OK || status != 200) {
                fprintf(stderr, "bench_emulator_search: %s -> %ld (%s)\n", queries[q][0], status,
                        curl_easy_strerror(rc));
                failed = 1;
            }
            if (round >= 0) {
                per[q * n + (size_t)round] = us;
                all[(size_t)round * QUERY_COUNT + q] = us;
                bytes[q] = body.len;
            }
        }
    }
    double p95 = 0;
    if (!failed) {
        printf("GET /v1/search over the default catalog, one keep-alive connection, %ld rounds of "
               "%zu queries\n\n",
               rounds, QUERY_COUNT);
        printf("| query | what | bytes | p50 us | p95 us |\n| --- | --- | --- | --- | --- |\n");
        for (size_t q = 0; q < QUERY_COUNT; q++) {
            double p50q = percentile(per + q * n, n, 0.50);
            double p95q = percentile(per + q * n, n, 0.95);
            printf("| `%s` | %s | %zu | %.0f | %.0f |\n", queries[q][0], queries[q][1], bytes[q],
                   p50q, p95q);
        }
        double p50 = percentile(all, QUERY_COUNT * n, 0.50);
        p95 = percentile(all, QUERY_COUNT * n, 0.95);
        double p99 = percentile(all, QUERY_COUNT * n, 0.99);
        printf("| all | | | %.0f | **%.0f** (p99 %.0f; goal: p95 under %.0f) |\n", p50, p95, p99,
               GOAL_US);
    }
    free(per);
    free(all);
    free(body.data);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (emulator_stop(&emu) != 0)
        failed = 1;
    return failed || p95 >= GOAL_US ? 1 : 0;
}
