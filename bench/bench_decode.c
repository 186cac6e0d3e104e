/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_decode.c - typed decoding cost: a fixture's bytes to a model struct
 * (parse, arena and free included) against cJSON merely parsing the same
 * bytes into its tree, measured in the same run.
 *
 *   bench_decode [fixture.json] [iterations] [ModelName]
 *
 * The fixture defaults to album-tpab.json (model AlbumObject) in
 * $SPOTIFY_FIXTURES_DIR, else ../tests/fixtures, else the source tree's
 * tests/fixtures. Each case runs a warm-up, then `iterations` (default 2000)
 * timed runs; the table shows the mean microseconds per run
 * (CLOCK_MONOTONIC) and the ratio to cJSON. The goal is typed decode (b) at
 * or under 0.5x cJSON (a); the exit status is 1 when a case fails, not when
 * the goal is missed (machines are noisy).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <cJSON.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <spotify/models.h>

#include "api/decode.h"
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
    const spotify_model_type *type;
} bench_input;

typedef bool (*bench_fn)(const void *ctx);

/* Keeps results alive so the compiler cannot drop the work. */
static volatile uintptr_t sink;

static bool run_cjson(const void *ctx)
{
    const bench_input *in = ctx;
    cJSON *root = cJSON_ParseWithLength(in->data, in->len);
    if (root == NULL)
        return false;
    sink = (uintptr_t)root->child;
    cJSON_Delete(root);
    return true;
}

/* What a user calls: bytes (not padded, so they are copied) -> struct -> free. */
static bool run_typed(const void *ctx)
{
    const bench_input *in = ctx;
    void *model = NULL;
    if (spotify_model_decode(&model, in->type, in->data, in->len, NULL) != SPOTIFY_OK)
        return false;
    sink = (uintptr_t)((const spotify_object_meta *)model)->present;
    spotify_model_free(model);
    return true;
}

/* What the SDK does with an HTTP body (padded buffer, parsed in place). */
static bool run_typed_padded(const void *ctx)
{
    const bench_input *in = ctx;
    void *model = NULL;
    if (spotify__model_decode_buffer(&model, in->type, in->data, in->len,
                                     in->len + SPOTIFY__JSON_PADDING, NULL) != SPOTIFY_OK)
        return false;
    sink = (uintptr_t)((const spotify_object_meta *)model)->present;
    spotify_model_free(model);
    return true;
}

/* The parse alone, for reference. */
static bool run_parse(const void *ctx)
{
    const bench_input *in = ctx;
    spotify__arena *arena = spotify__arena_new(in->len * 2);
    if (arena == NULL)
        return false;
    spotify__json root;
    bool ok = spotify__json_parse(&root, arena, in->data, in->len, in->len, NULL) == SPOTIFY_OK;
    sink = root.index;
    spotify__arena_free(arena);
    return ok;
}

/* The model named argv[3] ("TrackObject"), AlbumObject by default. */
static const spotify_model_type *pick_type(int argc, char **argv)
{
    if (argc <= 3)
        return SPOTIFY_MODEL_ALBUM;
    for (size_t i = 0; i < spotify__model_type_count; i++)
        if (strcmp(spotify_model_type_name(spotify__model_types[i]), argv[3]) == 0)
            return spotify__model_types[i];
    return NULL;
}

int main(int argc, char **argv)
{
    char path[4096];
    bench_input in = {NULL, 0, pick_type(argc, argv)};
    long iterations = bench_iterations(argc, argv);
    if (iterations < 0 || in.type == NULL) {
        fprintf(stderr, "usage: %s [fixture.json] [iterations] [ModelName]\n", argv[0]);
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
        {'b', "(b) spotify_model_decode + spotify_model_free", run_typed},
        {'c', "(c) typed decode of a padded body (in place)", run_typed_padded},
        {'d', "(d) spotify__json_parse alone (copied)", run_parse},
    };
    printf("fixture: %s (%zu bytes) as %s, %ld iterations\n\n", path, in.len,
           spotify_model_type_name(in.type), iterations);
    printf("%-52s %10s %10s\n", "case", "mean us", "x cJSON");
    double base = 0;
    double typed = 0;
    int status = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double us = bench_measure(cases[i].fn, &in, iterations);
        if (us < 0) {
            printf("%-52s %10s\n", cases[i].name, "FAILED");
            status = 1;
            continue;
        }
        if (cases[i].letter == 'a')
            base = us;
        if (cases[i].letter == 'b')
            typed = us;
        printf("%-52s %10.2f %10.2f\n", cases[i].name, us, base > 0 ? us / base : 0.0);
    }
    if (base > 0 && typed > 0)
        printf("\ntyped decode (b) / cJSON parse (a) = %.2f (goal <= 0.50: %s)\n", typed / base,
               typed / base <= 0.5 ? "met" : "NOT met");
    free(in.data);
    return status;
}
