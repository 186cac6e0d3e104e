/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_deprecated.c - the names 1.0 replaced (src/compat/deprecated.c) still
 * work until 2.0, with their old argument order, as their replacements do.
 */
#define SPOTIFY_NO_DEPRECATION_WARNINGS
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <spotify/spotify.h>

static void test_token_and_cache_aliases(void **state)
{
    (void)state;
    spotify_error err = {0};
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_static_new(&auth, "static-token", &err), SPOTIFY_OK);
    char buf[64];
    assert_int_equal(spotify_auth_access_token(auth, buf, sizeof buf, &err), SPOTIFY_OK);
    assert_string_equal(buf, "static-token");
    spotify_token token = {0};
    assert_int_equal(spotify_auth_token(auth, &token, &err), SPOTIFY_OK);
    assert_string_equal(token.access_token, "static-token");
    assert_int_equal(spotify_auth_exchange_code(auth, "code", NULL, &err), SPOTIFY_EINVALID);

    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_memory_new(&cache, &err), SPOTIFY_OK);
    token.expires_at = 4102444800.0;
    assert_int_equal(spotify_token_cache_store(cache, &token, &err), SPOTIFY_OK);
    spotify_token loaded = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_load(cache, &loaded, &found, &err), SPOTIFY_OK);
    assert_true(found);
    assert_string_equal(loaded.access_token, "static-token");
    spotify_token_clear(&loaded);
    spotify_token_clear(&token);
    spotify_token_cache_free(cache);
    spotify_auth_free(auth);
}

static void test_callback_and_paging_aliases(void **state)
{
    (void)state;
    spotify_error err = {0};
    char *code = NULL;
    assert_int_equal(spotify_parse_callback(&code, "?code=abc&state=s", "s", &err), SPOTIFY_OK);
    assert_string_equal(code, "abc");
    spotify_free(code);
    const void *item = NULL;
    assert_int_equal(spotify_pager_next(NULL, &item, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "spotify_pager_next_item"));
    void *all = NULL;
    assert_int_equal(spotify_collect(&all, NULL, NULL, NULL, 0, &err), SPOTIFY_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_and_cache_aliases),
        cmocka_unit_test(test_callback_and_paging_aliases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
