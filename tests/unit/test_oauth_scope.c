/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_oauth_scope.c - scope normalisation (auth/oauth.h): separators,
 * empty entries, lists, duplicates; and spotify__scope_covers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "auth/oauth.h"

/* Normalises one string; the result in a static buffer. */
static const char *norm(const char *scope)
{
    static char result[256];
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__scope_normalize(&sb, scope, NULL, 0));
    snprintf(result, sizeof result, "%s", spotify__strbuf_cstr(&sb));
    spotify__strbuf_release(&sb);
    return result;
}

static const char *norm_list(const char *const *list, size_t count)
{
    static char result[256];
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__scope_normalize(&sb, NULL, list, count));
    snprintf(result, sizeof result, "%s", spotify__strbuf_cstr(&sb));
    spotify__strbuf_release(&sb);
    return result;
}

static void test_space_separated(void **state)
{
    (void)state;
    assert_string_equal(norm("a b"), "a b");
    assert_string_equal(norm("user-read-private playlist-read-private"),
                        "user-read-private playlist-read-private");
}

static void test_comma_separated(void **state)
{
    (void)state;
    assert_string_equal(norm("a,b"), "a b");
    assert_string_equal(norm("a, b,c"), "a b c");
}

static void test_messy_separators(void **state)
{
    (void)state;
    assert_string_equal(norm(" a ,, b  "), "a b");
    assert_string_equal(norm("\ta\n b\r"), "a b");
}

static void test_list(void **state)
{
    (void)state;
    const char *const list[] = {"user-read-private", "playlist-read-private"};
    assert_string_equal(norm_list(list, 2), "user-read-private playlist-read-private");
}

static void test_list_entries_with_several(void **state)
{
    (void)state;
    const char *const list[] = {"a b", "c,d", " ", "", NULL, "e"};
    assert_string_equal(norm_list(list, 6), "a b c d e");
}

static void test_duplicates_dropped_order_kept(void **state)
{
    (void)state;
    assert_string_equal(norm("b a b a c"), "b a c");
    const char *const list[] = {"a b", "b", "a,c"};
    assert_string_equal(norm_list(list, 3), "a b c");
    /* Only exact duplicates: a prefix is a different scope. */
    assert_string_equal(norm("user-read user-read-private user-read"),
                        "user-read user-read-private");
}

static void test_empty_gives_nothing(void **state)
{
    (void)state;
    assert_string_equal(norm(""), "");
    assert_string_equal(norm(" ,, "), "");
    assert_string_equal(norm_list(NULL, 0), "");
    const char *const list[] = {"", " , "};
    assert_string_equal(norm_list(list, 2), "");
}

static void test_string_wins_over_list(void **state)
{
    (void)state;
    const char *const list[] = {"x"};
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__scope_normalize(&sb, "a", list, 1));
    assert_string_equal(spotify__strbuf_cstr(&sb), "a");
    spotify__strbuf_release(&sb);
}

static void test_appends_after_existing_text(void **state)
{
    (void)state;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_append_str(&sb, "scope=");
    assert_true(spotify__scope_normalize(&sb, "a a b", NULL, 0));
    assert_string_equal(spotify__strbuf_cstr(&sb), "scope=a b");
    spotify__strbuf_release(&sb);
}

static void test_covers(void **state)
{
    (void)state;
    assert_true(spotify__scope_covers("a b c", "a c"));
    assert_true(spotify__scope_covers("a b c", "c b a"));
    assert_true(spotify__scope_covers("a b", ""));
    assert_true(spotify__scope_covers("a b", NULL));
    assert_true(spotify__scope_covers(NULL, NULL));
    assert_true(spotify__scope_covers("", ""));
    assert_false(spotify__scope_covers("a b", "a d"));
    assert_false(spotify__scope_covers(NULL, "a"));
    assert_false(spotify__scope_covers("", "a"));
    /* Whole words only. */
    assert_false(spotify__scope_covers("user-read-private", "user-read"));
    assert_false(spotify__scope_covers("user-read", "user-read-private"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_space_separated),
        cmocka_unit_test(test_comma_separated),
        cmocka_unit_test(test_messy_separators),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_list_entries_with_several),
        cmocka_unit_test(test_duplicates_dropped_order_kept),
        cmocka_unit_test(test_empty_gives_nothing),
        cmocka_unit_test(test_string_wins_over_list),
        cmocka_unit_test(test_appends_after_existing_text),
        cmocka_unit_test(test_covers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
