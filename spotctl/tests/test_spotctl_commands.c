/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_commands.c - every spotctl command against spotify-emulator,
 * in text and --json form, with its exit code; --json output compared with
 * what the emulator sends for the same object; no secret on any output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "cli.h"

#define F cli_fx

#define RUN(r, ...) assert_true(cli_run(&(r), &F, __VA_ARGS__, NULL))
#define RUN_APP(r, ...) assert_true(cli_run_app(&(r), &F, __VA_ARGS__, NULL))

static void test_me(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "me");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "demo-user"));
    assert_non_null(strstr(r.out, "Demo User"));
    assert_non_null(strstr(r.out, "premium"));
    cli_result_free(&r);
    RUN(r, "--json", "me");
    cli_assert_ok(&r);
    const char *paths[] = {"/me"};
    cli_assert_lines_match(&F, r.out, paths, 1);
    cli_result_free(&r);
}

static void test_albums_get(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h", "spotify:album:7ycBtnsMtyVbbwTfJwRjSP");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 3);
    assert_non_null(strstr(r.out, "NAME"));
    char *sky = strstr(r.out, "Sky Void of Stars"), *tpab = strstr(r.out, "To Pimp A Butterfly");
    assert_true(sky != NULL && tpab != NULL && sky < tpab); /* input order */
    cli_result_free(&r);
    /* global options after the command, a link */
    RUN(r, "albums", "get", "https://open.spotify.com/album/7ycBtnsMtyVbbwTfJwRjSP?si=x",
        "4EcfbzCtbJDk2wMwhT4D1h", "--json", "--parallel", "2");
    cli_assert_ok(&r);
    const char *paths[] = {"/albums/7ycBtnsMtyVbbwTfJwRjSP", "/albums/4EcfbzCtbJDk2wMwhT4D1h"};
    cli_assert_lines_match(&F, r.out, paths, 2);
    cli_result_free(&r);
}

static void test_tracks_and_artists_get(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "--market", "SE", "tracks", "get", "7Ks4VCY1wFebnOdJrM13t6");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Wesley's Theory"));
    assert_non_null(strstr(r.out, "4:47")); /* m:ss */
    cli_result_free(&r);
    RUN(r, "--json", "tracks", "get", "7Ks4VCY1wFebnOdJrM13t6", "75izAeHlGuOgA865CFDyIv");
    cli_assert_ok(&r);
    const char *tracks[] = {"/tracks/7Ks4VCY1wFebnOdJrM13t6", "/tracks/75izAeHlGuOgA865CFDyIv"};
    cli_assert_lines_match(&F, r.out, tracks, 2);
    cli_result_free(&r);
    RUN(r, "artists", "get", "2YZyLoL8N0Wb9xBt1NhZWg");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Kendrick Lamar"));
    cli_result_free(&r);
    RUN(r, "--json", "artists", "get", "spotify:artist:2YZyLoL8N0Wb9xBt1NhZWg");
    cli_assert_ok(&r);
    const char *artists[] = {"/artists/2YZyLoL8N0Wb9xBt1NhZWg"};
    cli_assert_lines_match(&F, r.out, artists, 1);
    cli_result_free(&r);
}

static void test_albums_tracks(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "albums", "tracks", "7ycBtnsMtyVbbwTfJwRjSP");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 17); /* header + 16 */
    assert_non_null(strstr(r.out, "King Kunta"));
    cli_result_free(&r);
    RUN(r, "--json", "albums", "tracks", "7ycBtnsMtyVbbwTfJwRjSP", "--limit", "3");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 3);
    assert_non_null(strstr(r.out, "\"name\":\"Wesley's Theory\""));
    cli_result_free(&r);
}

static void test_search(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "search", "katatonia", "--type", "artist");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "spotify:artist:2CWWgbxApjbyByxBBCvGTm"));
    cli_result_free(&r);
    RUN(r, "--json", "search", "sky void", "--type", "album,artist");
    cli_assert_ok(&r);
    assert_true(cli_lines(r.out) >= 1);
    assert_true(strncmp(r.out, "{\"type\":\"album\",\"item\":{", 24) == 0);
    cli_result_free(&r);
    RUN(r, "--json", "search", "a", "--type", "track", "--all", "--limit", "25");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 25); /* three pages of at most 10 */
    assert_true(strncmp(r.out, "{\"album\":", 9) == 0);
    cli_result_free(&r);
}

static void test_playlists(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "playlists", "list");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 4);
    assert_non_null(strstr(r.out, "Demo Mix"));
    assert_non_null(strstr(r.out, "Focus"));
    cli_result_free(&r);
    RUN(r, "--json", "playlists", "list");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 3);
    /* the id of "Demo Mix" */
    const char *mix = strstr(r.out, "\"name\":\"Demo Mix\"");
    assert_non_null(mix);
    const char *start = mix;
    while (start > r.out && start[-1] != '\n')
        start--;
    char id[64] = "";
    assert_true(cli_first_string(start, "id", id, sizeof id));
    cli_result_free(&r);

    RUN(r, "playlists", "get", id);
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "137 items"));
    assert_true(cli_lines(r.out) >= 137 + 5);
    cli_result_free(&r);
    /* a playlist that fits its first page: exactly as Spotify sent it */
    RUN(r, "--json", "playlists", "list");
    const char *trip = strstr(r.out, "\"name\":\"Road Trip\"");
    assert_non_null(trip);
    while (trip > r.out && trip[-1] != '\n')
        trip--;
    char trip_id[64] = "";
    assert_true(cli_first_string(trip, "id", trip_id, sizeof trip_id));
    cli_result_free(&r);
    RUN(r, "--json", "playlists", "get", trip_id);
    cli_assert_ok(&r);
    char path[128];
    snprintf(path, sizeof path, "/playlists/%s", trip_id);
    const char *paths[] = {path};
    cli_assert_lines_match(&F, r.out, paths, 1);
    cli_result_free(&r);

    /* create, add, remove */
    RUN(r, "--json", "playlists", "create", "Test list", "--description", "made by a test");
    cli_assert_ok(&r);
    char created[64] = "";
    assert_true(cli_first_string(r.out, "id", created, sizeof created));
    assert_non_null(strstr(r.out, "\"public\":false"));
    cli_result_free(&r);
    RUN(r, "playlists", "create", "Public one", "--public");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Created public playlist \"Public one\""));
    cli_result_free(&r);
    RUN(r, "playlists", "add", created, "spotify:track:7Ks4VCY1wFebnOdJrM13t6",
        "https://open.spotify.com/track/75izAeHlGuOgA865CFDyIv");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Added 2 items"));
    cli_result_free(&r);
    RUN(r, "--json", "playlists", "remove", created, "spotify:track:7Ks4VCY1wFebnOdJrM13t6");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"removed\":1"));
    assert_non_null(strstr(r.out, "\"snapshot_id\":\""));
    cli_result_free(&r);
    RUN(r, "--json", "playlists", "get", created);
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "75izAeHlGuOgA865CFDyIv"));
    assert_null(strstr(r.out, "7Ks4VCY1wFebnOdJrM13t6"));
    cli_result_free(&r);
}

/* --json playlists get pages like the text output and honours --limit:
 * one line, the playlist as Spotify sent it, its page of items (and the
 * deprecated `tracks`, the same page) holding all 137 items of "Demo Mix",
 * or the first N. */
static void test_playlist_json_pages(void **state)
{
    (void)state;
    const char *id = "oS1AuMgJoYKqR76LNoKax7"; /* demo-user's "Demo Mix", 137 items */
    char *last = cli_api_get(&F, "/playlists/oS1AuMgJoYKqR76LNoKax7/items?offset=136&limit=1");
    assert_non_null(last);
    char last_id[64];
    const char *track = strstr(last, "\"track\":{");
    assert_non_null(track);
    assert_true(cli_first_string(track, "uri", last_id, sizeof last_id));
    free(last);
    char *sent = cli_api_get(&F, "/playlists/oS1AuMgJoYKqR76LNoKax7");
    assert_non_null(sent);
    char snapshot[128];
    assert_true(cli_first_string(sent, "snapshot_id", snapshot, sizeof snapshot));
    assert_int_equal(cli_count(sent, "\"added_by\":"), 2 * 100); /* items and tracks */
    free(sent);

    cli_result r;
    RUN(r, "--json", "playlists", "get", id);
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 1);
    assert_true(cli_json_same(r.out, strlen(r.out), r.out, strlen(r.out)));
    assert_non_null(strstr(r.out, "\"name\":\"Demo Mix\""));
    assert_non_null(strstr(r.out, snapshot));
    assert_int_equal(cli_count(r.out, "\"added_by\":"), 2 * 137);
    assert_non_null(strstr(r.out, last_id)); /* the 137th item */
    cli_result_free(&r);

    RUN(r, "--json", "playlists", "get", id, "--limit", "5");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 1);
    assert_true(cli_json_same(r.out, strlen(r.out), r.out, strlen(r.out)));
    assert_int_equal(cli_count(r.out, "\"added_by\":"), 2 * 5);
    cli_result_free(&r);
    RUN(r, "--json", "playlists", "get", id, "--limit", "120");
    cli_assert_ok(&r);
    assert_int_equal(cli_count(r.out, "\"added_by\":"), 2 * 120);
    cli_result_free(&r);
    /* the text output shows the same items */
    RUN(r, "playlists", "get", id, "--limit", "120");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 5 + 1 + 120);
    cli_result_free(&r);
}

/* No control character of a name reaches the terminal in text output:
 * C1 controls (U+009B CSI, U+009D OSC as C2 9B, C2 9D) like C0 ones (ESC,
 * BEL), in tables, in the playlist header and in messages. */
static void assert_no_controls(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            fail_msg("a control character (0x%02x) at offset %d of:\n%s", *p,
                     (int)((const char *)p - text), text);
}

static void test_control_characters(void **state)
{
    (void)state;
    const char *name = "Evil\xc2\x9b"
                       "2J\xc2\x9d"
                       "0;owned\x07 \x1b[31mred\xc2\xa0ok";
    cli_result r;
    RUN(r, "--json", "playlists", "create", name, "--description",
        "d\xc2\x9b"
        "1mx");
    cli_assert_ok(&r);
    char id[64] = "";
    assert_true(cli_first_string(r.out, "id", id, sizeof id));
    cli_result_free(&r);
    RUN(r, "playlists", "create", name);
    cli_assert_ok(&r);
    assert_no_controls(r.out);
    assert_non_null(strstr(r.out, "Evil 2J 0;owned   [31mred\xc2\xa0ok"));
    cli_result_free(&r);
    RUN(r, "playlists", "list");
    cli_assert_ok(&r);
    assert_no_controls(r.out);
    assert_non_null(strstr(r.out, "Evil 2J 0;owned"));
    cli_result_free(&r);
    RUN(r, "playlists", "get", id);
    cli_assert_ok(&r);
    assert_no_controls(r.out);
    assert_true(strncmp(r.out, "Evil 2J 0;owned   [31mred", 25) == 0);
    assert_non_null(strstr(r.out, "\nd 1mx\n"));
    cli_result_free(&r);
    /* --json is data: the name as Spotify sent it (escaped where JSON must) */
    RUN(r, "--json", "playlists", "list");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Evil\xc2\x9b"
                                  "2J"));
    cli_result_free(&r);
}

static void test_library(void **state)
{
    (void)state;
    cli_result r;
    const char *uri = "spotify:album:4EcfbzCtbJDk2wMwhT4D1h";
    const char *link = "https://open.spotify.com/album/4EcfbzCtbJDk2wMwhT4D1h";
    RUN(r, "--json", "library", "contains", link, "spotify:track:7Ks4VCY1wFebnOdJrM13t6");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 2);
    assert_non_null(strstr(r.out, "{\"uri\":\"spotify:album:4EcfbzCtbJDk2wMwhT4D1h\",\"saved\":"));
    cli_result_free(&r);
    RUN(r, "library", "save", uri);
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Saved 1 item to your library."));
    cli_result_free(&r);
    RUN(r, "library", "contains", uri);
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "yes"));
    cli_result_free(&r);
    RUN(r, "--json", "library", "remove", uri);
    cli_assert_ok(&r);
    assert_string_equal(r.out, "{\"removed\":1}\n");
    cli_result_free(&r);
    RUN(r, "--json", "library", "contains", uri);
    cli_assert_ok(&r);
    assert_string_equal(r.out,
                        "{\"uri\":\"spotify:album:4EcfbzCtbJDk2wMwhT4D1h\",\"saved\":false}\n");
    cli_result_free(&r);

    RUN(r, "library", "list");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 138); /* header + 137 saved tracks */
    cli_result_free(&r);
    RUN(r, "--json", "library", "list", "--limit", "5");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 5);
    assert_true(strncmp(r.out, "{\"added_at\":", 12) == 0);
    cli_result_free(&r);
    RUN(r, "--json", "library", "list", "--type", "album");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 2);
    cli_result_free(&r);
}

static void test_player(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "player", "status");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "no active device"));
    cli_result_free(&r);
    RUN(r, "--json", "player", "status");
    cli_assert_ok(&r);
    assert_string_equal(r.out, "null\n");
    cli_result_free(&r);
    RUN(r, "--json", "player", "devices");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 2);
    char device[64] = "";
    assert_true(cli_first_string(r.out, "id", device, sizeof device));
    cli_result_free(&r);
    RUN(r, "player", "devices");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Emulator Speaker"));
    cli_result_free(&r);

    RUN(r, "player", "play", "--device", device, "spotify:album:7ycBtnsMtyVbbwTfJwRjSP");
    cli_assert_ok(&r);
    assert_string_equal(r.out, "Playing.\n");
    cli_result_free(&r);
    RUN(r, "player", "status");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Playing Wesley's Theory - Kendrick Lamar"));
    cli_result_free(&r);
    RUN(r, "player", "next");
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "--json", "player", "status");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"name\":\"For Free? - Interlude\""));
    cli_result_free(&r);
    RUN(r, "player", "previous");
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "player", "volume", "40");
    cli_assert_ok(&r);
    assert_string_equal(r.out, "Volume 40%.\n");
    cli_result_free(&r);
    RUN(r, "player", "pause");
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "player", "status");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Paused:"));
    assert_non_null(strstr(r.out, "volume 40%"));
    cli_result_free(&r);
    RUN(r, "player", "play");
    cli_assert_ok(&r);
    assert_string_equal(r.out, "Resumed.\n");
    cli_result_free(&r);
}

static void test_token(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "token");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "authorization_code"));
    assert_non_null(strstr(r.out, "demo-client"));
    assert_non_null(strstr(r.out, F.cache));
    cli_result_free(&r);
    RUN(r, "--json", "token");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"flow\":\"authorization_code\""));
    assert_non_null(strstr(r.out, "\"has_refresh_token\":true"));
    cli_result_free(&r);
    RUN(r, "token", "--raw");
    assert_int_equal(r.status, 0);
    char want[300];
    snprintf(want, sizeof want, "%s\n", F.access);
    assert_string_equal(r.out, want); /* the one place a token is printed */
    cli_result_free(&r);
    long before = emulator_grant_count(&F.emu, "refresh_token");
    RUN(r, "token", "--refresh", "--json");
    cli_assert_ok(&r);
    assert_int_equal(emulator_grant_count(&F.emu, "refresh_token"), before + 1);
    cli_result_free(&r);
    RUN(r, "token", "--raw");
    assert_int_equal(r.status, 0);
    assert_string_not_equal(r.out, want);
    cli_result_free(&r);
    /* app credentials when nobody is logged in */
    assert_int_equal(unlink(F.cache), 0);
    RUN_APP(r, "--json", "token");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"source\":\"client_credentials\""));
    cli_result_free(&r);
    struct stat sb;
    assert_int_not_equal(stat(F.cache, &sb), 0); /* app tokens are never written */
}

static void test_logout(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "logout");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Logged out"));
    cli_result_free(&r);
    struct stat sb;
    assert_int_not_equal(stat(F.cache, &sb), 0);
    RUN(r, "--json", "logout");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"logged_out\":false"));
    cli_result_free(&r);
    RUN(r, "me");
    assert_int_equal(r.status, 3);
    cli_result_free(&r);
}

static void test_api(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "api", "GET", "/me");
    cli_assert_ok(&r);
    const char *paths[] = {"/me"};
    cli_assert_lines_match(&F, r.out, paths, 1);
    cli_result_free(&r);
    RUN(r, "api", "get", "/search", "--query", "q=katatonia", "--query", "type=artist");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"artists\":{"));
    cli_result_free(&r);
    char body[400];
    snprintf(body, sizeof body, "%s/body.json", F.dir);
    FILE *fp = fopen(body, "w");
    assert_non_null(fp);
    fputs("{\"name\":\"From a file\",\"public\":false}\n", fp);
    fclose(fp);
    char at[410];
    snprintf(at, sizeof at, "@%s", body);
    RUN(r, "api", "POST", "/me/playlists", "--data", at);
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"name\":\"From a file\""));
    cli_result_free(&r);
}

static void test_verbose_trace(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "-v", "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h");
    assert_int_equal(r.status, 0);
    cli_assert_no_secret(&r);
    char want[300];
    snprintf(want, sizeof want, "* GET %s/albums/4EcfbzCtbJDk2wMwhT4D1h -> 200 (", F.api);
    assert_non_null(strstr(r.err, want));
    assert_non_null(strstr(r.err, "attempt 1"));
    cli_result_free(&r);
    /* a retried exchange shows the retry */
    assert_true(cli_fault(&F, "{\"route\":\"/v1/albums/{id}\",\"status\":503}"));
    RUN(r, "--verbose", "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "-> 503 ("));
    assert_non_null(strstr(r.err, "retrying in"));
    cli_result_free(&r);
}

/* --ids-file with 500 IDs and --parallel 16: every result, in input order. */
static void test_ids_file_parallel(void **state)
{
    (void)state;
    emulator_http_response cat;
    assert_true(emulator_control(&F.emu, "GET", "/__emulator/catalog/tracks", NULL, &cat));
    char path[400];
    snprintf(path, sizeof path, "%s/ids.txt", F.dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("# five hundred tracks\n\n", fp);
    char ids[500][64];
    const char *p = cat.body;
    for (int i = 0; i < 500; i++) {
        p = strstr(p, "\"id\":\"");
        assert_non_null(p);
        p += 6;
        memcpy(ids[i], p, 22);
        ids[i][22] = '\0';
        fprintf(fp, i % 3 == 0 ? "spotify:track:%s\n" : "  %s  \n", ids[i]);
    }
    fclose(fp);
    emulator_response_free(&cat);
    cli_result r;
    RUN(r, "--json", "tracks", "get", "--ids-file", path, "--parallel", "16");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 500);
    const char *line = r.out;
    for (int i = 0; i < 500; i++) {
        char want[128];
        snprintf(want, sizeof want, "\"id\":\"%.22s\"", ids[i]);
        const char *end = strchr(line, '\n');
        const char *hit = strstr(line, want);
        assert_true(hit != NULL && hit < end);
        line = end + 1;
    }
    cli_result_free(&r);
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/tracks/{id}", 200), 500);
    /* the same list from stdin */
    const char *argv[] = {"tracks", "get", "--ids-file", "-", NULL};
    assert_true(cli_runv(&r, &F, NULL, path, argv));
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 501);
    cli_result_free(&r);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Ctrl-C during a slow `--parallel` get: the requests in flight are
 * cancelled (not waited for, the emulator takes 5 s each), exit 130 with
 * the interrupted message and nothing on stdout, in text and --json. */
static void test_parallel_interrupted(void **state)
{
    (void)state;
    emulator_http_response cfg;
    assert_true(
        emulator_control(&F.emu, "POST", "/__emulator/config", "{\"latency_ms\":5000}", &cfg));
    emulator_response_free(&cfg);
    for (int json = 0; json < 2; json++) {
        const char *argv[] = {"--json",
                              "albums",
                              "get",
                              "--parallel",
                              "4",
                              "7ycBtnsMtyVbbwTfJwRjSP",
                              "4EcfbzCtbJDk2wMwhT4D1h",
                              "spotify:album:7ycBtnsMtyVbbwTfJwRjSP",
                              "spotify:album:4EcfbzCtbJDk2wMwhT4D1h",
                              NULL};
        const char *tag = json ? "interrupted-json" : "interrupted-text";
        int pid = cli_spawn(&F, tag, NULL, argv + (json ? 0 : 1));
        assert_true(pid > 0);
        struct timespec ts = {0, 500 * 1000000L}; /* the requests are in flight */
        nanosleep(&ts, NULL);
        int64_t start = mono_ms();
        kill(pid, SIGINT);
        cli_result r;
        assert_true(cli_wait(&r, &F, tag, pid));
        int64_t took = mono_ms() - start;
        assert_int_equal(r.status, 130);
        assert_string_equal(r.out, "");
        assert_non_null(strstr(r.err, "spotctl: cancelled: interrupted"));
        assert_true(took < 2500); /* not the 4.5 s left of the requests */
        cli_result_free(&r);
    }
}

/* Eight processes share one expired token: exactly one refresh. */
static void test_concurrent_processes_one_refresh(void **state)
{
    (void)state;
    assert_true(cli_login(&F, NULL, -1));
    enum { N = 8 };
    const char *argv[] = {"me", NULL};
    cli_run_concurrently(&F, NULL, argv, N, "demo-user");
    assert_int_equal(emulator_grant_count(&F.emu, "refresh_token"), 1);
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/me", 200), N);
    struct stat sb;
    assert_int_equal(stat(F.cache, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
}

/* The same through the async engine (`get --parallel`): each process takes
 * the token file's lock with try_lock on its loop's timers. */
static void test_concurrent_parallel_gets_one_refresh(void **state)
{
    (void)state;
    assert_true(cli_login(&F, NULL, -1));
    enum { N = 8 };
    const char *argv[] = {
        "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h", "7ycBtnsMtyVbbwTfJwRjSP", "--parallel",
        "2",      NULL};
    cli_run_concurrently(&F, NULL, argv, N, "To Pimp A Butterfly");
    assert_int_equal(emulator_grant_count(&F.emu, "refresh_token"), 1);
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/albums/{id}", 200), 2 * N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_me, cli_setup_logged_in),
        cmocka_unit_test_setup(test_albums_get, cli_setup_logged_in),
        cmocka_unit_test_setup(test_tracks_and_artists_get, cli_setup_logged_in),
        cmocka_unit_test_setup(test_albums_tracks, cli_setup_logged_in),
        cmocka_unit_test_setup(test_search, cli_setup_logged_in),
        cmocka_unit_test_setup(test_playlists, cli_setup_logged_in),
        cmocka_unit_test_setup(test_playlist_json_pages, cli_setup_logged_in),
        cmocka_unit_test_setup(test_control_characters, cli_setup_logged_in),
        cmocka_unit_test_setup(test_library, cli_setup_logged_in),
        cmocka_unit_test_setup(test_player, cli_setup_logged_in),
        cmocka_unit_test_setup(test_token, cli_setup_logged_in),
        cmocka_unit_test_setup(test_logout, cli_setup_logged_in),
        cmocka_unit_test_setup(test_api, cli_setup_logged_in),
        cmocka_unit_test_setup(test_verbose_trace, cli_setup_logged_in),
        cmocka_unit_test_setup(test_ids_file_parallel, cli_setup_logged_in),
        cmocka_unit_test_setup(test_parallel_interrupted, cli_setup_logged_in),
        cmocka_unit_test_setup(test_concurrent_processes_one_refresh, cli_setup_logged_in),
        cmocka_unit_test_setup(test_concurrent_parallel_gets_one_refresh, cli_setup_logged_in),
    };
    return CLI_RUN_GROUP(tests);
}
