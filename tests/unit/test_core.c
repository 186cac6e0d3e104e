/* SPDX-License-Identifier: Apache-2.0 */
/* test_core.c - allocation helpers, arena, strbuf, error records, status
 * names, version and global initialisation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include <spotify/error.h>
#include <spotify/global.h>
#include <spotify/version.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/global.h"
#include "core/strbuf.h"

/* ---- alloc ---- */

static void test_alloc_basics(void **state)
{
    (void)state;
    char *p = spotify__malloc(0);
    assert_non_null(p); /* size 0 still gives a pointer */
    spotify__free(p);
    spotify__free(NULL);
    spotify_free(NULL);

    unsigned char *z = spotify__calloc(16, 4);
    assert_non_null(z);
    for (size_t i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    z = spotify__realloc(z, 128);
    assert_non_null(z);
    assert_int_equal(z[63], 0);
    spotify_free(z);

    assert_null(spotify__calloc(SIZE_MAX / 2, 4));
}

static void test_alloc_strdup(void **state)
{
    (void)state;
    char *s = spotify__strdup("hello");
    assert_string_equal(s, "hello");
    spotify__free(s);
    s = spotify__strndup("hello world", 5);
    assert_string_equal(s, "hello");
    spotify__free(s);
    assert_null(spotify__strdup(NULL));
    assert_null(spotify__strndup(NULL, 3));
    assert_null(spotify__strndup("x", SIZE_MAX));
}

static void test_alloc_size_arithmetic(void **state)
{
    (void)state;
    size_t out = 7;
    assert_true(spotify__size_add(2, 3, &out));
    assert_int_equal(out, 5);
    assert_false(spotify__size_add(SIZE_MAX, 1, &out));
    assert_int_equal(out, 5);
    assert_true(spotify__size_mul(6, 7, &out));
    assert_int_equal(out, 42);
    assert_true(spotify__size_mul(0, SIZE_MAX, &out));
    assert_int_equal(out, 0);
    assert_false(spotify__size_mul(SIZE_MAX / 2 + 1, 2, &out));
    assert_int_equal(out, 0);
}

static void test_alloc_wipe(void **state)
{
    (void)state;
    char buf[8] = "secret!";
    spotify__wipe(buf, sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0);
    spotify__wipe(NULL, 4);
    spotify__free_secret(spotify__strdup("token"));
    spotify__free_secret(NULL);
}

/* The allocator is frozen once the SDK has allocated. */
static void test_set_allocator_after_first_allocation_fails(void **state)
{
    (void)state;
    spotify__free(spotify__malloc(1));
    spotify_allocator hooks = {malloc, realloc, free};
    spotify_error err = {0};
    assert_int_equal(spotify_set_allocator(&hooks, &err), SPOTIFY_EINVALID);
    assert_int_equal(err.status, SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "spotify_set_allocator"));
    assert_int_equal(spotify_set_allocator(NULL, NULL), SPOTIFY_EINVALID);
}

/* ---- arena ---- */

static void test_arena_alloc_aligned_and_distinct(void **state)
{
    (void)state;
    spotify__arena *arena = spotify__arena_new(64);
    assert_non_null(arena);
    char *prev = NULL;
    for (int i = 0; i < 200; i++) {
        char *p = spotify__arena_alloc(arena, (size_t)(i % 13));
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        assert_true(p != prev);
        memset(p, 0xab, (size_t)(i % 13));
        prev = p;
    }
    assert_true(spotify__arena_used(arena) >= 200);
    spotify__arena_free(arena);
}

/* A large chunk of a freed arena serves the next arena of that size; small
 * ones are never kept; releasing the cache frees what it holds. */
static void test_arena_chunk_reuse(void **state)
{
    (void)state;
    spotify__arena_cache_release();
    spotify__arena *a = spotify__arena_new(200 * 1024);
    void *first = spotify__arena_alloc(a, 1000);
    assert_non_null(first);
    spotify__arena_free(a);
    spotify__arena *b = spotify__arena_new(200 * 1024);
    assert_ptr_equal(spotify__arena_alloc(b, 1000), first);
    /* A different, much smaller size does not take the kept chunk. */
    spotify__arena *c = spotify__arena_new(1024);
    spotify__arena_free(b);
    assert_ptr_not_equal(spotify__arena_alloc(c, 100), first);
    spotify__arena_free(c);
    spotify__arena_cache_release();
}

/* Cleanups registered on an arena run when it is freed, the latest first. */
static char cleanup_order[8];
static size_t cleanup_count;

static void record_cleanup(void *ctx)
{
    cleanup_order[cleanup_count++] = *(const char *)ctx;
}

static void test_arena_on_free_runs_latest_first(void **state)
{
    (void)state;
    cleanup_count = 0;
    spotify__arena *arena = spotify__arena_new(0);
    assert_non_null(arena);
    static char names[] = "abc";
    for (int i = 0; i < 3; i++)
        assert_true(spotify__arena_on_free(arena, record_cleanup, &names[i]));
    assert_false(spotify__arena_on_free(arena, NULL, NULL));
    assert_false(spotify__arena_on_free(NULL, record_cleanup, NULL));
    assert_int_equal(cleanup_count, 0);
    spotify__arena_free(arena);
    assert_int_equal(cleanup_count, 3);
    assert_memory_equal(cleanup_order, "cba", 3);
}

/* The cache is bounded twice: 32 chunks, and 16 MiB in all. */
static void test_arena_chunk_cache_bounds(void **state)
{
    (void)state;
    spotify__arena_cache_release();
    spotify__arena *many[40];
    for (int i = 0; i < 40; i++) { /* all alive at once, then all freed */
        many[i] = spotify__arena_new(128 * 1024);
        assert_non_null(spotify__arena_alloc(many[i], 1));
    }
    for (int i = 0; i < 40; i++)
        spotify__arena_free(many[i]);
    size_t chunks = 0, bytes = 0;
    spotify__arena_cache_held(&chunks, &bytes);
    assert_int_equal(chunks, 32);

    spotify__arena_cache_release();
    spotify__arena *big[6];
    for (int i = 0; i < 6; i++) {
        big[i] = spotify__arena_new(3 * 1024 * 1024);
        assert_non_null(spotify__arena_alloc(big[i], 1));
    }
    for (int i = 0; i < 6; i++)
        spotify__arena_free(big[i]);
    spotify__arena_cache_held(&chunks, &bytes);
    assert_int_equal(chunks, 5); /* a sixth 3 MiB chunk would pass 16 MiB */
    assert_true(bytes <= (size_t)16 * 1024 * 1024);
    spotify__arena_cache_release();
    spotify__arena_cache_held(&chunks, &bytes);
    assert_int_equal(chunks, 0);
    assert_int_equal(bytes, 0);
}

static void test_arena_large_and_strings(void **state)
{
    (void)state;
    spotify__arena *arena = spotify__arena_new(0);
    char *big = spotify__arena_alloc(arena, 100000);
    assert_non_null(big);
    memset(big, 1, 100000);
    char *s = spotify__arena_strdup(arena, "Kendrick Lamar");
    assert_string_equal(s, "Kendrick Lamar");
    char *n = spotify__arena_strndup(arena, "To Pimp a Butterfly", 7);
    assert_string_equal(n, "To Pimp");
    assert_null(spotify__arena_strdup(arena, NULL));
    int *zeros = spotify__arena_calloc(arena, 100, sizeof *zeros);
    assert_non_null(zeros);
    for (int i = 0; i < 100; i++)
        assert_int_equal(zeros[i], 0);
    assert_null(spotify__arena_calloc(arena, SIZE_MAX / 2, 4));
    assert_null(spotify__arena_alloc(arena, SIZE_MAX));
    assert_int_equal(big[99999], 1);
    spotify__arena_free(arena);
    spotify__arena_free(NULL);
    assert_int_equal(spotify__arena_used(NULL), 0);
    assert_null(spotify__arena_alloc(NULL, 1));
}

/* ---- strbuf ---- */

static void test_strbuf_append_and_format(void **state)
{
    (void)state;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_string_equal(spotify__strbuf_cstr(&sb), "");
    assert_true(spotify__strbuf_append_str(&sb, "limit="));
    assert_true(spotify__strbuf_appendf(&sb, "%d&q=%s", 50, "abc"));
    assert_true(spotify__strbuf_append_char(&sb, '!'));
    assert_true(spotify__strbuf_append(&sb, "xyz", 2));
    assert_string_equal(spotify__strbuf_cstr(&sb), "limit=50&q=abc!xy");
    assert_int_equal(sb.len, strlen("limit=50&q=abc!xy"));
    for (int i = 0; i < 1000; i++)
        assert_true(spotify__strbuf_append_str(&sb, "0123456789"));
    assert_int_equal(sb.len, 17 + 10000);
    assert_int_equal(sb.data[sb.len], '\0');
    spotify__strbuf_reset(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(spotify__strbuf_cstr(&sb), "");
    spotify__strbuf_release(&sb);
    assert_null(sb.data);
}

static void test_strbuf_failure_is_sticky(void **state)
{
    (void)state;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__strbuf_append_str(&sb, "ok"));
    assert_false(spotify__strbuf_reserve(&sb, SIZE_MAX));
    assert_true(sb.failed);
    assert_false(spotify__strbuf_append_str(&sb, "more"));
    assert_false(spotify__strbuf_appendf(&sb, "%d", 1));
    assert_string_equal(spotify__strbuf_cstr(&sb), "ok");
    assert_null(spotify__strbuf_detach(&sb, NULL));
    assert_null(sb.data);
    assert_false(sb.failed);
}

static void test_strbuf_detach(void **state)
{
    (void)state;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    size_t len = 99;
    char *empty = spotify__strbuf_detach(&sb, &len);
    assert_non_null(empty);
    assert_string_equal(empty, "");
    assert_int_equal(len, 0);
    spotify__free(empty);
    assert_true(spotify__strbuf_append_str(&sb, "token"));
    char *s = spotify__strbuf_detach(&sb, &len);
    assert_string_equal(s, "token");
    assert_int_equal(len, 5);
    assert_null(sb.data);
    spotify_free(s);
    assert_true(spotify__strbuf_append_str(&sb, "secret"));
    spotify__strbuf_release_secret(&sb);
    assert_null(sb.data);
    assert_int_equal(sb.len, 0);
}

/* ---- errors ---- */

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(spotify_status_name(SPOTIFY_OK), "SPOTIFY_OK");
    assert_string_equal(spotify_status_name(SPOTIFY_EAUTH), "SPOTIFY_EAUTH");
    assert_string_equal(spotify_status_name(SPOTIFY_EIO), "SPOTIFY_EIO");
    assert_string_equal(spotify_status_category(SPOTIFY_ERATELIMIT), "rate limit");
    assert_string_equal(spotify_status_category(SPOTIFY_EINVALID), "invalid argument");
    assert_string_equal(spotify_status_str(SPOTIFY_EAUTH), "authentication failed");
    for (int s = 0; s <= SPOTIFY_STATUS_MAX; s++) {
        assert_non_null(spotify_status_name((spotify_status)s));
        assert_true(strncmp(spotify_status_name((spotify_status)s), "SPOTIFY_", 8) == 0);
        assert_string_not_equal(spotify_status_category((spotify_status)s), "unknown");
        assert_string_not_equal(spotify_status_str((spotify_status)s), "unknown error");
    }
    assert_string_equal(spotify_status_name((spotify_status)(SPOTIFY_STATUS_MAX + 1)),
                        "SPOTIFY_E_UNKNOWN");
    assert_string_equal(spotify_status_name((spotify_status)-1), "SPOTIFY_E_UNKNOWN");
    assert_string_equal(spotify_status_category((spotify_status)99), "unknown");
    assert_string_equal(spotify_status_str((spotify_status)99), "unknown error");
}

static void test_error_clear(void **state)
{
    (void)state;
    spotify_error err;
    memset(&err, 0x5a, sizeof err);
    spotify_error_clear(&err);
    assert_int_equal(err.status, SPOTIFY_OK);
    assert_int_equal(err.http_status, 0);
    assert_int_equal(err.retry_after_ms, -1);
    assert_int_equal(err.attempts, 0);
    assert_string_equal(err.message, "");
    assert_string_equal(err.code, "");
    assert_string_equal(err.body, "");
    spotify_error_clear(NULL);
}

static void test_error_set_formats_and_redacts(void **state)
{
    (void)state;
    /* A reused record: nothing of the previous failure survives. */
    spotify_error err = {0};
    err.attempts = 3;
    err.retry_after_ms = 500;
    snprintf(err.code, sizeof err.code, "invalid_grant");
    snprintf(err.body, sizeof err.body, "{}");
    assert_int_equal(
        spotify__error_set(&err, SPOTIFY_EAUTH, 401, "token %s rejected (%d)", "Bearer abc", 7),
        SPOTIFY_EAUTH);
    assert_int_equal(err.status, SPOTIFY_EAUTH);
    assert_int_equal(err.http_status, 401);
    assert_int_equal(err.attempts, 0);
    assert_int_equal(err.retry_after_ms, -1);
    assert_string_equal(err.code, "");
    assert_string_equal(err.body, "");
    assert_string_equal(err.message, "token Bearer [REDACTED] rejected (7)");
    assert_int_equal(spotify__error_set(NULL, SPOTIFY_ENOTFOUND, 404, "x"), SPOTIFY_ENOTFOUND);
    assert_int_equal(spotify__error_oom(&err), SPOTIFY_ENOMEM);
    assert_string_equal(err.message, "out of memory");
}

static void test_error_body_and_code(void **state)
{
    (void)state;
    spotify_error err = {0};
    const char *body = "{\"error\":\"invalid_grant\",\"refresh_token\":\"abc\"}";
    spotify__error_set_body(&err, body, strlen(body));
    assert_string_equal(err.body, "{\"error\":\"invalid_grant\",\"refresh_token\":\"[REDACTED]\"}");
    char big[2000];
    memset(big, 'b', sizeof big);
    spotify__error_set_body(&err, big, sizeof big);
    assert_int_equal(strlen(err.body), SPOTIFY_ERROR_BODY_SIZE - 1);
    spotify__error_set_body(&err, NULL, 10);
    assert_string_equal(err.body, "");
    spotify__error_set_code(&err, "invalid_grant", 13);
    assert_string_equal(err.code, "invalid_grant");
    spotify__error_set_code(&err, big, sizeof big);
    assert_int_equal(strlen(err.code), SPOTIFY_ERROR_CODE_SIZE - 1);
}

/* ---- version ---- */

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(spotify_version(), SPOTIFY_VERSION_STRING);
    assert_int_equal(spotify_version_num(), SPOTIFY_VERSION_NUM);
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", SPOTIFY_VERSION_MAJOR, SPOTIFY_VERSION_MINOR,
             SPOTIFY_VERSION_PATCH);
    assert_string_equal(spotify_version(), expect);
    assert_int_equal(spotify_version_num(),
                     (unsigned)(SPOTIFY_VERSION_MAJOR << 16 | SPOTIFY_VERSION_MINOR << 8 |
                                SPOTIFY_VERSION_PATCH));
}

/* ---- global init ---- */
/* (test_allocator.c checks through libcurl's allocations that the count and
 * the lazy set-up behave; here only the plain calls.) */

static void test_global_init_and_cleanup(void **state)
{
    (void)state;
    spotify_error err = {0};
    assert_int_equal(spotify_global_init(&err), SPOTIFY_OK);
    assert_int_equal(spotify_global_init(NULL), SPOTIFY_OK);
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    curl_easy_cleanup(curl);
    spotify_global_cleanup();
    spotify_global_cleanup();
    spotify_global_cleanup(); /* unbalanced: ignored */
    assert_int_equal(spotify__global_ensure(&err), SPOTIFY_OK);
    assert_int_equal(spotify__global_ensure(NULL), SPOTIFY_OK);
    assert_int_equal(err.status, SPOTIFY_OK);
    assert_string_equal(err.message, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_basics),
        cmocka_unit_test(test_alloc_strdup),
        cmocka_unit_test(test_alloc_size_arithmetic),
        cmocka_unit_test(test_alloc_wipe),
        cmocka_unit_test(test_set_allocator_after_first_allocation_fails),
        cmocka_unit_test(test_arena_alloc_aligned_and_distinct),
        cmocka_unit_test(test_arena_large_and_strings),
        cmocka_unit_test(test_arena_chunk_reuse),
        cmocka_unit_test(test_arena_chunk_cache_bounds),
        cmocka_unit_test(test_arena_on_free_runs_latest_first),
        cmocka_unit_test(test_strbuf_append_and_format),
        cmocka_unit_test(test_strbuf_failure_is_sticky),
        cmocka_unit_test(test_strbuf_detach),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_error_clear),
        cmocka_unit_test(test_error_set_formats_and_redacts),
        cmocka_unit_test(test_error_body_and_code),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_global_init_and_cleanup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
