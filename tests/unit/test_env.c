/* SPDX-License-Identifier: Apache-2.0 */
/* test_env.c - environment lookup: empty is unset, explicit wins. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "core/env.h"

#define VAR "SPOTIFY_SDK_TEST_ENV_VARIABLE"

static int unset_var(void **state)
{
    (void)state;
    unsetenv(VAR);
    return 0;
}

static void test_unset_variable(void **state)
{
    (void)state;
    assert_null(spotify__env(VAR));
}

static void test_set_variable(void **state)
{
    (void)state;
    assert_int_equal(setenv(VAR, "from-env", 1), 0);
    assert_string_equal(spotify__env(VAR), "from-env");
}

static void test_empty_variable_counts_as_unset(void **state)
{
    (void)state;
    assert_int_equal(setenv(VAR, "", 1), 0);
    assert_null(spotify__env(VAR));
    assert_null(spotify__setting(NULL, VAR));
}

static void test_null_and_empty_names(void **state)
{
    (void)state;
    assert_null(spotify__env(NULL));
    assert_null(spotify__env(""));
    assert_null(spotify__setting(NULL, NULL));
    assert_null(spotify__setting("", NULL));
    assert_string_equal(spotify__setting("explicit", NULL), "explicit");
}

static void test_explicit_wins_over_env(void **state)
{
    (void)state;
    assert_int_equal(setenv(VAR, "from-env", 1), 0);
    assert_string_equal(spotify__setting("explicit", VAR), "explicit");
}

static void test_missing_or_empty_explicit_falls_back_to_env(void **state)
{
    (void)state;
    assert_int_equal(setenv(VAR, "from-env", 1), 0);
    assert_string_equal(spotify__setting(NULL, VAR), "from-env");
    assert_string_equal(spotify__setting("", VAR), "from-env");
}

static void test_nothing_set(void **state)
{
    (void)state;
    assert_null(spotify__setting(NULL, VAR));
    assert_null(spotify__setting("", VAR));
}

static void test_sdk_variable_names(void **state)
{
    (void)state;
    assert_int_equal(setenv(SPOTIFY_ENV_API_BASE_URL, "http://127.0.0.1:9/v1", 1), 0);
    assert_string_equal(spotify__setting(NULL, SPOTIFY_ENV_API_BASE_URL), "http://127.0.0.1:9/v1");
    assert_int_equal(unsetenv(SPOTIFY_ENV_API_BASE_URL), 0);
    assert_null(spotify__env(SPOTIFY_ENV_API_BASE_URL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_unset_variable, unset_var),
        cmocka_unit_test_setup_teardown(test_set_variable, unset_var, unset_var),
        cmocka_unit_test_setup_teardown(test_empty_variable_counts_as_unset, unset_var, unset_var),
        cmocka_unit_test(test_null_and_empty_names),
        cmocka_unit_test_setup_teardown(test_explicit_wins_over_env, unset_var, unset_var),
        cmocka_unit_test_setup_teardown(test_missing_or_empty_explicit_falls_back_to_env, unset_var,
                                        unset_var),
        cmocka_unit_test_setup(test_nothing_set, unset_var),
        cmocka_unit_test(test_sdk_variable_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
