/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_allocator.c - allocator hooks. main() installs counting hooks before
 * any other SDK call, then the tests check that the SDK's and libcurl's
 * allocations go through them, that the allocator cannot change afterwards,
 * and (through libcurl's allocations) how global init counts.
 *
 * The tests share process state and run in order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include <spotify/global.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/global.h"
#include "core/strbuf.h"

static atomic_long mallocs;
static atomic_long reallocs;
static atomic_long frees;
static atomic_long other_calls;

static void *count_malloc(size_t size)
{
    atomic_fetch_add(&mallocs, 1);
    return malloc(size);
}

static void *count_realloc(void *ptr, size_t size)
{
    atomic_fetch_add(&reallocs, 1);
    return realloc(ptr, size);
}

static void count_free(void *ptr)
{
    atomic_fetch_add(&frees, 1);
    free(ptr);
}

static void *other_malloc(size_t size)
{
    atomic_fetch_add(&other_calls, 1);
    return malloc(size);
}

static void *other_realloc(void *ptr, size_t size)
{
    atomic_fetch_add(&other_calls, 1);
    return realloc(ptr, size);
}

static void other_free(void *ptr)
{
    atomic_fetch_add(&other_calls, 1);
    free(ptr);
}

static spotify_status partial_status;
static spotify_status install_status;

/* Allocations of every kind made through the hooks so far. */
static long allocations(void)
{
    return atomic_load(&mallocs) + atomic_load(&reallocs);
}

static void test_hooks_installed_first(void **state)
{
    (void)state;
    /* A rejected set (a missing function) did not freeze the allocator. */
    assert_int_equal(partial_status, SPOTIFY_EINVALID);
    assert_int_equal(install_status, SPOTIFY_OK);
}

static void test_sdk_allocations_use_hooks(void **state)
{
    (void)state;
    long m = atomic_load(&mallocs);
    long f = atomic_load(&frees);
    void *p = spotify__malloc(10);
    assert_non_null(p);
    assert_int_equal(atomic_load(&mallocs), m + 1);
    spotify_free(p);
    assert_int_equal(atomic_load(&frees), f + 1);

    long r = atomic_load(&reallocs);
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    for (int i = 0; i < 100; i++)
        assert_true(spotify__strbuf_append_str(&sb, "grow the buffer "));
    assert_true(atomic_load(&reallocs) > r);
    f = atomic_load(&frees);
    spotify__strbuf_release(&sb);
    assert_int_equal(atomic_load(&frees), f + 1);

    m = atomic_load(&mallocs);
    spotify__arena *arena = spotify__arena_new(0);
    assert_non_null(spotify__arena_strdup(arena, "x"));
    assert_true(atomic_load(&mallocs) >= m + 2); /* the arena and a chunk */
    f = atomic_load(&frees);
    spotify__arena_free(arena);
    assert_true(atomic_load(&frees) >= f + 2);

    m = atomic_load(&mallocs);
    char *s = spotify__strdup("copy");
    assert_int_equal(atomic_load(&mallocs), m + 1);
    spotify__free(s);
}

static void test_second_allocator_rejected(void **state)
{
    (void)state;
    spotify_allocator other = {other_malloc, other_realloc, other_free};
    spotify_error err = {0};
    assert_int_equal(spotify_set_allocator(&other, &err), SPOTIFY_EINVALID);
    assert_int_equal(err.status, SPOTIFY_EINVALID);
    assert_true(strlen(err.message) > 0);
    long m = atomic_load(&mallocs);
    spotify__free(spotify__malloc(8));
    assert_int_equal(atomic_load(&mallocs), m + 1);
    assert_int_equal(atomic_load(&other_calls), 0);
}

static void test_curl_allocates_through_hooks(void **state)
{
    (void)state;
    assert_int_equal(spotify_global_init(NULL), SPOTIFY_OK);
    long before = allocations();
    long f = atomic_load(&frees);
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    assert_true(allocations() > before);
    curl_easy_cleanup(curl);
    assert_true(atomic_load(&frees) > f);
    spotify_global_cleanup();
}

/*
 * After the last cleanup libcurl is released: a new easy handle makes
 * libcurl initialise itself with the system allocator, so the hooks see
 * nothing. (That relies on libcurl's documented lazy global init resetting
 * its memory functions.) If spotify__global_ensure() had added to the init
 * count, libcurl would still be set up with the hooks here.
 */
static void test_ensure_does_not_add_to_the_count(void **state)
{
    (void)state;
    assert_int_equal(spotify_global_init(NULL), SPOTIFY_OK);
    assert_int_equal(spotify__global_ensure(NULL), SPOTIFY_OK);
    spotify_global_cleanup();
    long before = allocations();
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    assert_int_equal(allocations(), before);
    curl_easy_cleanup(curl);
    curl_global_cleanup(); /* undo libcurl's own lazy init */
}

/* Without spotify_global_init(), ensure sets libcurl up with the hooks, and
 * that survives a later balanced init/cleanup pair. */
static void test_lazy_ensure_uses_hooks_and_stays(void **state)
{
    (void)state;
    spotify_error err = {0};
    assert_int_equal(spotify__global_ensure(&err), SPOTIFY_OK);
    long before = allocations();
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    assert_true(allocations() > before);
    curl_easy_cleanup(curl);

    assert_int_equal(spotify_global_init(&err), SPOTIFY_OK);
    spotify_global_cleanup();
    before = allocations();
    curl = curl_easy_init();
    assert_non_null(curl);
    assert_true(allocations() > before);
    curl_easy_cleanup(curl);
    assert_int_equal(err.status, SPOTIFY_OK);
}

int main(void)
{
    /* Before anything else touches the SDK. */
    spotify_allocator partial = {count_malloc, count_realloc, NULL};
    partial_status = spotify_set_allocator(&partial, NULL);
    spotify_allocator hooks = {count_malloc, count_realloc, count_free};
    install_status = spotify_set_allocator(&hooks, NULL);

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hooks_installed_first),
        cmocka_unit_test(test_sdk_allocations_use_hooks),
        cmocka_unit_test(test_second_allocator_rejected),
        cmocka_unit_test(test_curl_allocates_through_hooks),
        cmocka_unit_test(test_ensure_does_not_add_to_the_count),
        cmocka_unit_test(test_lazy_ensure_uses_hooks_and_stays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
