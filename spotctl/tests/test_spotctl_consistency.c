/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_consistency.c - what every command does the same way,
 * against spotify-emulator: "did you mean" for mistyped commands, verbs and
 * options (exit 2, nothing sent); --market upper-cased, anything but a
 * country code refused before sending; an empty list is one "No results."
 * line on stderr in text and nothing in --json; one --type syntax (a comma
 * list, `all`); a failure shared by many IDs reported once, one that
 * concerns them all ending the command; no C function in any message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define F cli_fx
#define RUN(r, ...) assert_true(cli_run(&(r), &F, __VA_ARGS__, NULL))

static void test_did_you_mean(void **state)
{
    (void)state;
    static const struct {
        const char *argv[4];
        const char *want;
    } cases[] = {
        {{"albms", "get", "x", NULL}, "unknown command 'albms' (did you mean 'albums'?)"},
        {{"plylists", NULL}, "unknown command 'plylists' (did you mean 'playlists'?)"},
        {{"albums", "gte", "x", NULL}, "unknown command 'albums gte' (did you mean 'albums get'?)"},
        {{"search", "x", "--limt", "3"}, "unknown option --limt (did you mean --limit?)"},
        {{"help", "serch", NULL}, "unknown command 'serch' (did you mean 'search'?)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_result r;
        assert_true(cli_runv(&r, &F, NULL, NULL, cases[i].argv));
        assert_int_equal(r.status, 2);
        if (strstr(r.err, cases[i].want) == NULL)
            fail_msg("%s: %s", cases[i].argv[0], r.err);
        cli_result_free(&r);
    }
    cli_result r;
    RUN(r, "frobnicate");
    cli_assert_fails(&r, 2, "spotctl: usage: unknown command 'frobnicate'\n");
    cli_result_free(&r);
    assert_int_equal(emulator_total_count(&F.emu), 0);
}

/* --market se is SE; a market the SDK refuses names no C function, once. */
static void test_market(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "-v", "--market", "se", "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "/albums/4EcfbzCtbJDk2wMwhT4D1h?market=SE -> 200"));
    cli_result_free(&r);
    RUN(r, "--market", "from_TOKEN", "tracks", "get", "7Ks4VCY1wFebnOdJrM13t6");
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
    RUN(r, "--market", "swe", "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h");
    cli_assert_fails(&r, 2, "spotctl: usage: --market takes a two-letter country code");
    cli_result_free(&r);
    /* a well-formed code the SDK does not know: once for the command */
    RUN(r, "--market", "zz", "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h", "7ycBtnsMtyVbbwTfJwRjSP");
    cli_assert_fails(&r, 4, "spotctl: invalid argument: ");
    assert_int_equal(cli_lines(r.err), 1);
    assert_non_null(strstr(r.err, "market: \"ZZ\""));
    assert_null(strstr(r.err, "spotify_"));
    cli_result_free(&r);
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/albums/{id}", 200), 1);
}

static void test_no_results(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "search", "zzqqxx-nothing");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "No results.\n");
    cli_result_free(&r);
    RUN(r, "--json", "search", "zzqqxx-nothing", "--type", "all");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "");
    cli_result_free(&r);
}

/* --type: a comma list everywhere, `all` for every type. */
static void test_type_lists(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "--json", "library", "list", "--type", "album,show");
    assert_int_equal(r.status, 0);
    assert_int_equal(cli_lines(r.out), 4); /* 2 saved albums, 2 saved shows */
    assert_true(strncmp(r.out, "{\"type\":\"album\",\"item\":{\"added_at\":", 35) == 0);
    assert_non_null(strstr(r.out, "{\"type\":\"show\",\"item\":{"));
    cli_result_free(&r);
    RUN(r, "library", "list", "--type", "all", "--limit", "1");
    assert_int_equal(r.status, 0);
    assert_int_equal(cli_lines(r.out), 1 + 5); /* a header and one of each kind */
    cli_result_free(&r);
    RUN(r, "--json", "search", "a", "--type", "all", "--limit", "2");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "{\"type\":\"audiobook\","));
    assert_non_null(strstr(r.out, "{\"type\":\"artist\","));
    cli_result_free(&r);
    const char *bad[][6] = {{"library", "list", "--type", "song", NULL},
                            {"search", "x", "--type", "album,song", NULL},
                            {"export", "library", "--type", "tracks", NULL}};
    for (size_t i = 0; i < 3; i++) {
        assert_true(cli_runv(&r, &F, NULL, NULL, bad[i]));
        cli_assert_fails(&r, 2, "spotctl: usage: --type: \"");
        assert_non_null(strstr(r.err, "(a comma-separated list)"));
        cli_result_free(&r);
    }
}

/* Unknown IDs: the first reported, the rest named once; a refusal of every
 * request (a 403 for the app) is reported once and ends the command. */
static void test_errors_once(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "albums", "get", "4EcfbzCtbJDk2wMwhT4D1x", "4EcfbzCtbJDk2wMwhT4D1h",
        "4EcfbzCtbJDk2wMwhT4D1y", "4EcfbzCtbJDk2wMwhT4D1z", "--parallel", "1");
    assert_int_equal(r.status, 4);
    assert_non_null(strstr(r.out, "Sky Void of Stars"));
    assert_int_equal(cli_lines(r.err), 2);
    assert_true(strncmp(r.err, "spotctl: not found: 4EcfbzCtbJDk2wMwhT4D1x: ", 44) == 0);
    assert_non_null(strstr(r.err, "spotctl: not found: 2 more failed the same way: "
                                  "4EcfbzCtbJDk2wMwhT4D1y, 4EcfbzCtbJDk2wMwhT4D1z\n"));
    cli_result_free(&r);
    assert_true(cli_fault(&F, "{\"route\":\"/v1/albums/{id}\",\"status\":403,\"count\":50}"));
    RUN(r, "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h", "7ycBtnsMtyVbbwTfJwRjSP",
        "4EcfbzCtbJDk2wMwhT4D1h", "--parallel", "1");
    cli_assert_fails(&r, 4, "spotctl: forbidden: ");
    assert_int_equal(cli_lines(r.err), 1);
    cli_result_free(&r);
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/albums/{id}", 403), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_did_you_mean, cli_setup_logged_in),
        cmocka_unit_test_setup(test_market, cli_setup_logged_in),
        cmocka_unit_test_setup(test_no_results, cli_setup_logged_in),
        cmocka_unit_test_setup(test_type_lists, cli_setup_logged_in),
        cmocka_unit_test_setup(test_errors_once, cli_setup_logged_in),
    };
    return CLI_RUN_GROUP(tests);
}
