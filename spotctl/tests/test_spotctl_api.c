/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_api.c - `spotctl api` at `gh api`'s level against
 * spotify-emulator: --paginate over offset and cursor pages (text: one
 * document per page; --json: one item per line), full URLs of the API and
 * the refusal of any other origin (nothing sent), -i, -X, typed -f and
 * -F @FILE bodies (the query of a GET), --input; and against a local HTTP
 * server standing in for the API: a `next` link to another origin is not
 * followed (that origin gets nothing), a page that links to itself stops;
 * the progress line of --paginate and of a bulk get on a terminal.
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
#include "test_server.h"

#define F cli_fx
#define RUN(r, ...) assert_true(cli_run(&(r), &F, __VA_ARGS__, NULL))

/* Offset pages: every saved track once, in text (one document per page)
 * and --json (one item per line); the query of the first request (limit)
 * carries on through the `next` links. */
static void test_paginate_offset(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "--json", "api", "/me/tracks", "--paginate");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 137);
    assert_true(strncmp(r.out, "{\"added_at\":", 12) == 0);
    assert_int_equal(cli_count(r.out, "\"added_at\":"), 137);
    cli_result_free(&r);
    /* 20 per page by default: 7 pages, and not one more */
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/me/tracks", 200), 7);

    RUN(r, "api", "me/tracks", "--paginate", "--query", "limit=50");
    cli_assert_ok(&r);
    assert_int_equal(cli_count(r.out, "{\"href\":"), 3); /* a document per page */
    assert_int_equal(cli_count(r.out, "\"limit\":50"), 3);
    assert_int_equal(cli_count(r.out, "\"added_at\":"), 137);
    cli_result_free(&r);
    /* without --paginate: the first page only */
    RUN(r, "--json", "api", "/me/tracks");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 1);
    assert_int_equal(cli_count(r.out, "\"added_at\":"), 20);
    cli_result_free(&r);
}

/* Cursor pages ({"artists":{...,"cursors":...}}): the 60 followed artists. */
static void test_paginate_cursor(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "--json", "api", "GET", "/me/following", "-f", "type=artist", "--paginate");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 60);
    assert_int_equal(cli_count(r.out, "\"type\":\"artist\""), 60);
    cli_result_free(&r);
    RUN(r, "api", "-X", "post", "/me/tracks", "--paginate");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--paginate follows the pages of a GET"));
    cli_result_free(&r);
}

/* A full URL (a pasted `next` link) on the API base is taken; any other
 * origin is refused before anything is sent. */
static void test_urls(void **state)
{
    (void)state;
    char url[512];
    snprintf(url, sizeof url, "%s/me/tracks?offset=135&limit=5", F.api);
    cli_result r;
    RUN(r, "--json", "api", url, "--paginate");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 2); /* items 136 and 137 */
    cli_result_free(&r);
    const char *refused[] = {"https://api.spotify.com/v1/me", "http://127.0.0.1:1/v1/me",
                             "http://evil.example/v1/me"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        RUN(r, "api", refused[i]);
        assert_int_equal(r.status, 2);
        assert_non_null(strstr(r.err, "is not on the API"));
        cli_result_free(&r);
    }
    snprintf(url, sizeof url, "%s/me", F.emu.base_url); /* the origin, not below /v1 */
    RUN(r, "api", url);
    assert_int_equal(r.status, 2);
    cli_result_free(&r);
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/me", 200), 0);
}

/* -i: the status line and headers before the body, on success and error. */
static void test_include(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "api", "-i", "/me");
    cli_assert_ok(&r);
    assert_true(strncmp(r.out, "HTTP 200 OK\nContent-Type: application/json", 42) == 0);
    assert_non_null(strstr(r.out, "\n\n{\""));
    cli_result_free(&r);
    RUN(r, "api", "--include", "/albums/4EcfbzCtbJDk2wMwhT4D1x");
    assert_int_equal(r.status, 4);
    assert_true(strncmp(r.out, "HTTP 404 Not Found\n\n", 20) == 0);
    assert_non_null(strstr(r.out, "Non existing id"));
    assert_non_null(strstr(r.err, "spotctl: not found:"));
    cli_result_free(&r);
}

/* -X, typed -f, -F KEY=@FILE, the query of a GET, --input. */
static void test_fields_and_input(void **state)
{
    (void)state;
    char desc[400], body[400];
    snprintf(desc, sizeof desc, "%s/desc.txt", F.dir);
    snprintf(body, sizeof body, "%s/body.json", F.dir);
    FILE *fp = fopen(desc, "w");
    assert_non_null(fp);
    fputs("from a file", fp);
    fclose(fp);
    fp = fopen(body, "w");
    assert_non_null(fp);
    fputs("{\"name\":\"By input\",\"public\":false}", fp);
    fclose(fp);
    char at[420];
    snprintf(at, sizeof at, "description=@%s", desc);
    cli_result r;
    /* fields without -X: a POST with a JSON body, typed */
    RUN(r, "--json", "api", "/me/playlists", "-f", "name=Typed", "-f", "public=false", "-F", at);
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"name\":\"Typed\""));
    assert_non_null(strstr(r.out, "\"public\":false")); /* a boolean, not "false" */
    assert_non_null(strstr(r.out, "\"description\":\"from a file\""));
    char id[64];
    assert_true(cli_first_string(r.out, "id", id, sizeof id));
    cli_result_free(&r);
    /* a JSON list from KEY[]: the items endpoint takes {uris:[...]} */
    char path[128];
    snprintf(path, sizeof path, "/playlists/%s/items", id);
    RUN(r, "api", "-X", "POST", path, "-f", "uris[]=spotify:track:7Ks4VCY1wFebnOdJrM13t6", "-f",
        "uris[]=spotify:track:75izAeHlGuOgA865CFDyIv");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "snapshot_id"));
    cli_result_free(&r);
    RUN(r, "--json", "api", path, "--paginate");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 2);
    cli_result_free(&r);
    /* a GET's fields are its query (fields alone make a POST, as with gh) */
    RUN(r, "api", "-X", "GET", "/search", "-f", "q=katatonia", "-f", "type=artist");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "spotify:artist:2CWWgbxApjbyByxBBCvGTm"));
    cli_result_free(&r);
    /* --input: the body as it is, from a file or stdin */
    char input[420];
    snprintf(input, sizeof input, "%s", body);
    RUN(r, "api", "POST", "/me/playlists", "--input", input);
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"name\":\"By input\""));
    cli_result_free(&r);
    const char *argv[] = {"api", "-X", "POST", "/me/playlists", "--input", "-", NULL};
    assert_true(cli_runv(&r, &F, NULL, body, argv));
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"name\":\"By input\""));
    cli_result_free(&r);
    RUN(r, "api", "/me", "-f", "a=1", "-f", "a=2");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "\"a\" is given twice"));
    cli_result_free(&r);
    RUN(r, "api", "GET", "/me", "-X", "PUT");
    assert_int_equal(r.status, 2);
    cli_result_free(&r);
}

/* A page served by a local server standing in for the API: its `next`
 * points at another origin (a second server, which must get nothing), or at
 * itself (a loop: stopped with a warning after one page). */
static void test_next_links(void **state)
{
    (void)state;
    test_server *api = test_server_start();
    test_server *other = test_server_start();
    char env_api[300], page[600];
    snprintf(env_api, sizeof env_api, "SPOTIFY_SDK_API_BASE_URL=%s/v1", test_server_url(api));
    const char *env[] = {env_api, NULL};
    snprintf(page, sizeof page, "{\"items\":[1,2],\"total\":9,\"next\":\"%s/v1/list?offset=2\"}",
             test_server_url(other));
    test_response away = {.status = 200, .body = page};
    test_server_set_default(api, "/v1/list", &away);
    const char *argv[] = {"--json", "api", "/list", "--paginate", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &F, env, NULL, argv));
    assert_int_equal(r.status, 6);
    assert_string_equal(r.out, "1\n2\n");
    assert_non_null(strstr(r.err, "the next page is not on the API"));
    cli_result_free(&r);
    assert_int_equal(test_server_count(other, NULL), 0);

    snprintf(page, sizeof page, "{\"items\":[1],\"total\":9,\"next\":\"%s/v1/loop?offset=0\"}",
             test_server_url(api));
    test_response loop = {.status = 200, .body = page};
    test_server_set_default(api, "/v1/loop", &loop);
    const char *again[] = {"--json", "api", "/loop?offset=0", "--paginate", NULL};
    assert_true(cli_runv(&r, &F, env, NULL, again));
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "1\n");
    assert_non_null(strstr(r.err, "repeats one already fetched"));
    cli_result_free(&r);
    assert_int_equal(test_server_count(api, "/v1/loop"), 1);
    test_server_stop(api);
    test_server_stop(other);
}

/* On a terminal (stderr a pseudo-terminal from script(1), stdout a file)
 * --paginate and a bulk get draw a progress line with the total and an
 * ETA; slowed by the emulator's latency so the rate is known before the
 * end. The output file gets only the items. */
static void test_progress_on_a_terminal(void **state)
{
    (void)state;
    emulator_http_response cfg;
    assert_true(
        emulator_control(&F.emu, "POST", "/__emulator/config", "{\"latency_ms\":30}", &cfg));
    emulator_response_free(&cfg);
    char out[400], command[1400];
    snprintf(out, sizeof out, "%s/pages.ndjson", F.dir);
    snprintf(command, sizeof command,
             "'%s' --json api /me/tracks --paginate > '%s' && '%s' --json albums get "
             "4EcfbzCtbJDk2wMwhT4D1h 7ycBtnsMtyVbbwTfJwRjSP 4EcfbzCtbJDk2wMwhT4D1h --parallel 1 "
             ">> '%s'",
             cli_binary(), out, cli_binary(), out);
    const char *argv[] = {"script", "-qfec", command, "/dev/null", NULL};
    cli_result r;
    assert_true(cli_run_program(&r, &F, NULL, argv));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\r\033[Kapi  ")); /* redrawn in place */
    assert_non_null(strstr(r.out, "137/137"));
    assert_non_null(strstr(r.out, "ETA 0:00"));
    assert_non_null(strstr(r.out, "\r\033[Kalbums get  3/3"));
    cli_result_free(&r);
    char *items = cli_read_file(out);
    assert_non_null(items);
    assert_int_equal(cli_lines(items), 137 + 3);
    assert_null(strstr(items, "\033["));
    free(items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_paginate_offset, cli_setup_logged_in),
        cmocka_unit_test_setup(test_paginate_cursor, cli_setup_logged_in),
        cmocka_unit_test_setup(test_urls, cli_setup_logged_in),
        cmocka_unit_test_setup(test_include, cli_setup_logged_in),
        cmocka_unit_test_setup(test_fields_and_input, cli_setup_logged_in),
        cmocka_unit_test_setup(test_next_links, cli_setup_logged_in),
        cmocka_unit_test_setup(test_progress_on_a_terminal, cli_setup_logged_in),
    };
    return CLI_RUN_GROUP(tests);
}
