/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_json.c - JSON parse cost: cJSON and jansson against the SDK's
 * simdjson-backed spotify__json_parse (alone, and with a full walk).
 *
 *   bench_json [fixture.json] [iterations] [cases]
 *
 * The fixture defaults to album-tpab.json in $SPOTIFY_FIXTURES_DIR, else in
 * ../tests/fixtures, else in the source tree's tests/fixtures. Each case runs
 * a warm-up, then `iterations` (default 2000) timed runs; the table shows the
 * mean microseconds per run (CLOCK_MONOTONIC) and the ratio to cJSON.
 * `cases` picks a subset by letter ("bc"; "c'" is "e"), e.g. for profiling.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <cJSON.h>
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "bench_util.h"
#include "json/json.h"

#ifndef SPOTIFY_BENCH_FIXTURES_DIR
#define SPOTIFY_BENCH_FIXTURES_DIR "../tests/fixtures"
#endif

/* The input, with SPOTIFY__JSON_PADDING readable bytes after it. */
typedef struct bench_input {
    char *data;
    size_t len;
} bench_input;

typedef bool (*bench_fn)(const void *ctx);

/* Keeps results alive so the compiler cannot drop the work. */
static volatile double sink;

static bool run_cjson(const void *ctx)
{
    const bench_input *in = ctx;
    cJSON *root = cJSON_ParseWithLength(in->data, in->len);
    if (root == NULL)
        return false;
    cJSON_Delete(root);
    return true;
}

static bool run_jansson(const void *ctx)
{
    const bench_input *in = ctx;
    json_error_t error;
    json_t *root = json_loadb(in->data, in->len, 0, &error);
    if (root == NULL)
        return false;
    json_decref(root);
    return true;
}

/* What the walk saw; kept in integers so the walk is not one long chain of
 * floating-point additions. */
typedef struct walk_totals {
    uint64_t values;
    uint64_t bytes;   /* string and key lengths */
    uint64_t numbers; /* integer values and double bits, summed */
} walk_totals;

/* Touches every value under v: string lengths, numbers, booleans, keys. */
static void walk(spotify__json v, walk_totals *t)
{
    const char *s;
    size_t len;
    int64_t i;
    double d;
    bool b;
    t->values++;
    switch (spotify__json_type_of(v)) {
    case SPOTIFY__JSON_STRING:
        if (spotify__json_get_string(v, &s, &len))
            t->bytes += len;
        break;
    case SPOTIFY__JSON_INT:
        if (spotify__json_get_int64(v, &i))
            t->numbers += (uint64_t)i;
        break;
    case SPOTIFY__JSON_UINT:
    case SPOTIFY__JSON_DOUBLE:
        if (spotify__json_get_double(v, &d))
            t->numbers += (uint64_t)(int64_t)d;
        break;
    case SPOTIFY__JSON_BOOL:
        if (spotify__json_get_bool(v, &b))
            t->numbers += b;
        break;
    case SPOTIFY__JSON_ARRAY:
        for (spotify__json e = spotify__json_first(v); spotify__json_valid(e);
             e = spotify__json_next(e))
            walk(e, t);
        break;
    case SPOTIFY__JSON_OBJECT:
        for (spotify__json m = spotify__json_first(v); spotify__json_valid(m);
             m = spotify__json_next(m)) {
            if (spotify__json_key(m, &s, &len))
                t->bytes += len;
            walk(spotify__json_member_value(m), t);
        }
        break;
    default:
        break;
    }
}

static bool parse_into_new_arena(const bench_input *in, size_t capacity, bool do_walk)
{
    spotify__arena *arena = spotify__arena_new(0);
    if (arena == NULL)
        return false;
    spotify__json root;
    bool ok = spotify__json_parse(&root, arena, in->data, in->len, capacity, NULL) == SPOTIFY_OK;
    if (ok && do_walk) {
        walk_totals totals = {0, 0, 0};
        walk(root, &totals);
        sink = (double)(totals.values + totals.bytes + totals.numbers);
    }
    spotify__arena_free(arena);
    return ok;
}

static bool run_sdk_walk(const void *ctx)
{
    const bench_input *in = ctx;
    return parse_into_new_arena(in, in->len + SPOTIFY__JSON_PADDING, true);
}

static bool run_sdk_parse(const void *ctx)
{
    const bench_input *in = ctx;
    return parse_into_new_arena(in, in->len + SPOTIFY__JSON_PADDING, false);
}

static bool run_sdk_parse_unpadded(const void *ctx)
{
    const bench_input *in = ctx;
    return parse_into_new_arena(in, in->len, false);
}

int main(int argc, char **argv)
{
    char path[4096];
    bench_input in = {NULL, 0};
    long iterations = bench_iterations(argc, argv);
    if (iterations < 0) {
        fprintf(stderr, "usage: %s [fixture.json] [iterations] [cases]\n", argv[0]);
        return 2;
    }
    bench_fixture fx = {NULL, 0};
    bool opened =
        bench_fixture_open(argc, argv, SPOTIFY_BENCH_FIXTURES_DIR, &fx, path, sizeof path);
    in.data = fx.data;
    in.len = fx.len;
    if (!opened) {
        fprintf(stderr, "cannot read the fixture (%s); pass a path or set SPOTIFY_FIXTURES_DIR\n",
                argc > 1 ? argv[1] : "album-tpab.json");
        free(in.data);
        return 1;
    }
    static const struct {
        char letter;
        const char *name;
        bench_fn fn;
    } cases[] = {
        {'a', "(a) cJSON_ParseWithLength + cJSON_Delete", run_cjson},
        {'b', "(b) spotify__json_parse + full walk + arena free", run_sdk_walk},
        {'c', "(c) spotify__json_parse (padded, in place)", run_sdk_parse},
        {'e', "(c') spotify__json_parse (unpadded, copied)", run_sdk_parse_unpadded},
        {'d', "(d) jansson json_loadb + json_decref", run_jansson},
    };
    const char *only = argc > 3 ? argv[3] : NULL;
    printf("fixture: %s (%zu bytes), %ld iterations\n\n", path, in.len, iterations);
    printf("%-52s %10s %10s\n", "case", "mean us", "x cJSON");
    double base = 0;
    int status = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (only != NULL && strchr(only, cases[i].letter) == NULL)
            continue;
        double us = bench_measure(cases[i].fn, &in, iterations);
        if (us < 0) {
            printf("%-52s %10s\n", cases[i].name, "FAILED");
            status = 1;
            continue;
        }
        if (cases[i].letter == 'a')
            base = us;
        printf("%-52s %10.2f %10.2f\n", cases[i].name, us, base > 0 ? us / base : 0.0);
    }
    free(in.data);
    return status;
}
