/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_decode_oom.c - the model runtime under allocation failure: with
 * allocator hooks that fail the n-th allocation, decoding, raw JSON and
 * encoding must return SPOTIFY_ENOMEM (or succeed) for every n, never crash,
 * and leak nothing (the ASan build checks the last part).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <spotify/global.h>
#include <spotify/models.h>

#include "test_util.h"

/* Allocations left before the hooks start failing; negative: never fail. */
static long budget = -1;

static bool spend(void)
{
    if (budget < 0)
        return true;
    if (budget == 0)
        return false;
    budget--;
    return true;
}

static void *fail_malloc(size_t size)
{
    return spend() ? malloc(size) : NULL;
}

static void *fail_realloc(void *ptr, size_t size)
{
    return spend() ? realloc(ptr, size) : NULL;
}

static void fail_free(void *ptr)
{
    free(ptr);
}

static void test_decode_under_oom(void **state)
{
    (void)state;
    size_t len;
    char *text = test_fixture_load("album-tpab.json", &len);
    bool succeeded = false;
    for (long n = 0; n < 64 && !succeeded; n++) {
        spotify_error err = {0};
        void *model = NULL;
        budget = n;
        spotify_status st = spotify_model_decode(&model, SPOTIFY_MODEL_ALBUM, text, len, &err);
        budget = -1;
        if (st == SPOTIFY_OK) {
            succeeded = true;
            assert_string_equal(((spotify_album *)model)->name, "To Pimp A Butterfly");
        } else {
            assert_int_equal(st, SPOTIFY_ENOMEM);
            assert_null(model);
        }
        spotify_model_free(model);
    }
    assert_true(succeeded);
    free(text);
}

static void test_raw_and_encode_under_oom(void **state)
{
    (void)state;
    void *model = NULL;
    static const char doc[] = "{\"name\":\"n\",\"images\":[{\"url\":\"u\"}],\"genres\":[\"g\"]}";
    assert_int_equal(spotify_model_decode(&model, SPOTIFY_MODEL_ALBUM, doc, sizeof doc - 1, NULL),
                     SPOTIFY_OK);
    for (long n = 0; n < 8; n++) {
        char *out = NULL;
        spotify_error err = {0};
        budget = n;
        spotify_status raw = spotify_model_raw_json(&out, NULL, model, &err);
        budget = -1;
        assert_true(raw == SPOTIFY_OK || raw == SPOTIFY_ENOMEM);
        spotify_free(out);
        out = NULL;
        budget = n;
        spotify_status enc = spotify_model_encode(&out, NULL, SPOTIFY_MODEL_ALBUM, model, &err);
        budget = -1;
        assert_true(enc == SPOTIFY_OK || enc == SPOTIFY_ENOMEM);
        spotify_free(out);
    }
    spotify_model_free(model);
}

int main(void)
{
    spotify_allocator hooks = {fail_malloc, fail_realloc, fail_free};
    if (spotify_set_allocator(&hooks, NULL) != SPOTIFY_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_under_oom),
        cmocka_unit_test(test_raw_and_encode_under_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
