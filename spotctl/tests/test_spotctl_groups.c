/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_groups.c - the command groups of spotctl's second pass
 * against spotify-emulator, in text and --json: shows, episodes,
 * audiobooks and chapters (get and lists); follow, unfollow, following
 * list and contains; me top and recent; the player's queue, seek, repeat,
 * shuffle, volume, transfer and recent, --device by ID or name prefix;
 * playlists named by their name, rename, describe, public, private,
 * reorder, add/remove from stdin and --ids-file, cover get/set (size and
 * format checked before sending), delete (unfollow) and follow again.
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

/* Runs spotctl, expects success, returns stdout (free it). */
static char *ok_out(const char *const *argv)
{
    cli_result r;
    assert_true(cli_runv(&r, &F, NULL, NULL, argv));
    cli_assert_ok(&r);
    free(r.err);
    return r.out;
}

static void test_spoken_word(void **state)
{
    (void)state;
    static const struct {
        const char *group, *id, *path, *text;
    } gets[] = {
        {"shows", "5CfCWKI5pZ28U0uOzXkDHe", "/shows/5CfCWKI5pZ28U0uOzXkDHe", "PUBLISHER"},
        {"episodes", "spotify:episode:512ojhOuo1ktJprKbVcKyQ", "/episodes/512ojhOuo1ktJprKbVcKyQ",
         "SHOW"},
        {"audiobooks", "7iHfbu1YPACw6oZPAFJtqe", "/audiobooks/7iHfbu1YPACw6oZPAFJtqe", "AUTHORS"},
        {"chapters", "0D5wENdkdwbqlrHoaJ9g29", "/chapters/0D5wENdkdwbqlrHoaJ9g29", "AUDIOBOOK"},
    };
    for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++) {
        const char *text[] = {gets[i].group, "get", gets[i].id, NULL};
        char *out = ok_out(text);
        assert_int_equal(cli_lines(out), 2);
        assert_non_null(strstr(out, gets[i].text));
        free(out);
        const char *json[] = {"--json", gets[i].group, "get", gets[i].id, NULL};
        out = ok_out(json);
        const char *paths[] = {gets[i].path};
        cli_assert_lines_match(&F, out, paths, 1);
        free(out);
    }
    const char *episodes[] = {"--json", "shows", "episodes", "5CfCWKI5pZ28U0uOzXkDHe", NULL};
    char *out = ok_out(episodes);
    char *sent = cli_api_get(&F, "/shows/5CfCWKI5pZ28U0uOzXkDHe");
    const char *total = strstr(sent, "\"total_episodes\":");
    assert_non_null(total);
    assert_int_equal(cli_lines(out), strtol(total + 17, NULL, 10));
    assert_non_null(strstr(out, "\"id\":\"512ojhOuo1ktJprKbVcKyQ\""));
    free(sent);
    free(out);
    const char *chapters[] = {"audiobooks", "chapters", "7iHfbu1YPACw6oZPAFJtqe",
                              "--limit",    "2",        NULL};
    out = ok_out(chapters);
    assert_int_equal(cli_lines(out), 3);
    assert_non_null(strstr(out, "0D5wENdkdwbqlrHoaJ9g29"));
    free(out);
}

static void test_follow(void **state)
{
    (void)state;
    const char *kendrick = "2YZyLoL8N0Wb9xBt1NhZWg";
    cli_result r;
    RUN(r, "following", "list", "--limit", "100");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 61); /* 60 followed artists and a header */
    cli_result_free(&r);
    RUN(r, "unfollow", "artists", kendrick);
    cli_assert_ok(&r);
    assert_string_equal(r.out, "Unfollowed 1 artist.\n");
    cli_result_free(&r);
    RUN(r, "--json", "following", "contains", "artists", kendrick,
        "spotify:artist:2CWWgbxApjbyByxBBCvGTm");
    cli_assert_ok(&r);
    assert_string_equal(r.out, "{\"id\":\"2YZyLoL8N0Wb9xBt1NhZWg\",\"following\":false}\n"
                               "{\"id\":\"2CWWgbxApjbyByxBBCvGTm\",\"following\":true}\n");
    cli_result_free(&r);
    RUN(r, "--json", "following", "list");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 59);
    cli_result_free(&r);
    RUN(r, "--json", "follow", "artists", "https://open.spotify.com/artist/2YZyLoL8N0Wb9xBt1NhZWg");
    cli_assert_ok(&r);
    assert_string_equal(r.out, "{\"followed\":1}\n");
    cli_result_free(&r);
    /* users and playlists, through the library; IDs from stdin */
    char ids[400];
    snprintf(ids, sizeof ids, "%s/follow.txt", F.dir);
    FILE *fp = fopen(ids, "w");
    assert_non_null(fp);
    fputs("# users\ndemo-public-user\n", fp);
    fclose(fp);
    const char *users[] = {"follow", "users", "-", NULL};
    assert_true(cli_runv(&r, &F, NULL, ids, users));
    cli_assert_ok(&r);
    assert_string_equal(r.out, "Followed 1 user.\n");
    cli_result_free(&r);
    RUN(r, "following", "contains", "users", "spotify:user:demo-public-user");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "yes  "));
    cli_result_free(&r);
    const char *mix = "oS1AuMgJoYKqR76LNoKax7";
    RUN(r, "unfollow", "playlists", mix);
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "following", "contains", "playlists", mix);
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "no   "));
    cli_result_free(&r);
    RUN(r, "follow", "albums", mix);
    assert_int_equal(r.status, 2);
    cli_result_free(&r);
    RUN(r, "follow", "artists", "not-an-id");
    assert_int_equal(r.status, 4);
    cli_result_free(&r);
}

static void test_me_top_and_recent(void **state)
{
    (void)state;
    const char *top[] = {"--json", "me",      "top", "artists", "--range",
                         "short",  "--limit", "3",   NULL};
    char *out = ok_out(top);
    assert_int_equal(cli_lines(out), 3);
    assert_true(strncmp(out, "{\"external_urls\":", 17) == 0 || strstr(out, "\"type\":\"artist\""));
    free(out);
    const char *tracks[] = {"me", "top", "tracks", "--limit", "2", NULL};
    out = ok_out(tracks);
    assert_int_equal(cli_lines(out), 3);
    assert_non_null(strstr(out, "DURATION"));
    free(out);
    cli_result r;
    RUN(r, "me", "top", "songs");
    assert_int_equal(r.status, 2);
    cli_result_free(&r);
    RUN(r, "me", "top", "tracks", "--range", "forever");
    assert_int_equal(r.status, 2);
    cli_result_free(&r);
    /* nothing played yet: no results; then two tracks played */
    RUN(r, "me", "recent");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "No results.\n");
    cli_result_free(&r);
    RUN(r, "player", "play", "--device", "emulator sp", "spotify:album:4EcfbzCtbJDk2wMwhT4D1h");
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "player", "next");
    cli_assert_ok(&r);
    cli_result_free(&r);
    const char *recent[] = {"--json", "me", "recent", NULL};
    out = ok_out(recent);
    assert_int_equal(cli_lines(out), 2);
    assert_non_null(strstr(out, "\"played_at\":"));
    free(out);
    const char *after[] = {"player",  "recent", "--after", "2001-01-01T00:00:00Z",
                           "--limit", "1",      NULL};
    out = ok_out(after);
    assert_int_equal(cli_lines(out), 2);
    free(out);
    RUN(r, "me", "recent", "--before", "1990-01-01");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    cli_result_free(&r);
    RUN(r, "me", "recent", "--after", "yesterday");
    assert_int_equal(r.status, 2);
    cli_result_free(&r);
}

static void test_player(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "player", "play", "--device", "Emulator", "spotify:album:7ycBtnsMtyVbbwTfJwRjSP");
    assert_int_equal(r.status, 4); /* two devices' names start so */
    assert_non_null(strstr(r.err, "several devices"));
    cli_result_free(&r);
    RUN(r, "player", "play", "--device", "EMULATOR SPEAKER",
        "spotify:album:7ycBtnsMtyVbbwTfJwRjSP");
    cli_assert_ok(&r);
    cli_result_free(&r);
    static const struct {
        const char *argv[4];
        const char *said;
    } steps[] = {
        {{"player", "seek", "1:23", NULL}, "Seeked to 1:23.\n"},
        {{"player", "repeat", "track", NULL}, "Repeat track.\n"},
        {{"player", "shuffle", "on", NULL}, "Shuffle on.\n"},
        {{"player", "volume", "35", NULL}, "Volume 35%.\n"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        assert_true(cli_runv(&r, &F, NULL, NULL, steps[i].argv));
        cli_assert_ok(&r);
        assert_string_equal(r.out, steps[i].said);
        cli_result_free(&r);
    }
    RUN(r, "player", "status");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Playing Wesley's Theory"));
    assert_non_null(strstr(r.out, " 1:2")); /* 1:23 on, a moment later */
    assert_non_null(strstr(r.out, "shuffle on, repeat track"));
    assert_non_null(strstr(r.out, "volume 35%"));
    cli_result_free(&r);
    RUN(r, "player", "queue", "add", "spotify:track:75izAeHlGuOgA865CFDyIv");
    cli_assert_ok(&r);
    assert_string_equal(r.out, "Queued 1 item.\n");
    cli_result_free(&r);
    RUN(r, "player", "queue");
    cli_assert_ok(&r);
    assert_true(strncmp(r.out, "Now playing: Wesley's Theory - Kendrick Lamar", 45) == 0);
    assert_non_null(strstr(r.out, "\n 1  For Free? - Interlude"));
    cli_result_free(&r);
    RUN(r, "--json", "player", "queue");
    cli_assert_ok(&r);
    assert_true(strncmp(r.out, "{\"currently_playing\":{", 22) == 0);
    cli_result_free(&r);
    RUN(r, "player", "transfer", "emulator p", "--play");
    cli_assert_ok(&r);
    assert_string_equal(r.out, "Playback moved to Emulator Phone, playing.\n");
    cli_result_free(&r);
    RUN(r, "--json", "player", "status");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"name\":\"Emulator Phone\""));
    cli_result_free(&r);
    /* --json: what was done, as a small object */
    static const struct {
        const char *argv[5];
        const char *said;
    } json_steps[] = {
        {{"--json", "player", "seek", "0:05", NULL}, "{\"position_ms\":5000}\n"},
        {{"--json", "player", "repeat", "context", NULL}, "{\"repeat\":\"context\"}\n"},
        {{"--json", "player", "shuffle", "off", NULL}, "{\"shuffle\":false}\n"},
        {{"--json", "player", "volume", "7", NULL}, "{\"volume_percent\":7}\n"},
        {{"--json", "player", "pause", NULL}, "{\"paused\":true}\n"},
    };
    for (size_t i = 0; i < sizeof json_steps / sizeof json_steps[0]; i++) {
        assert_true(cli_runv(&r, &F, NULL, NULL, json_steps[i].argv));
        cli_assert_ok(&r);
        assert_string_equal(r.out, json_steps[i].said);
        cli_result_free(&r);
    }
    const char *bad[][4] = {{"player", "seek", "1:75", NULL},
                            {"player", "repeat", "all", NULL},
                            {"player", "shuffle", "yes", NULL},
                            {"player", "queue", "clear", NULL}};
    for (size_t i = 0; i < 4; i++) {
        assert_true(cli_runv(&r, &F, NULL, NULL, bad[i]));
        assert_int_equal(r.status, 2);
        cli_result_free(&r);
    }
}

/* Writes `n` bytes of a JPEG (its magic, then filler) to dir/name. */
static void write_jpeg(char *path, size_t size, const char *name, size_t n)
{
    snprintf(path, size, "%s/%s", F.dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite("\xff\xd8\xff\xe0", 1, 4, fp);
    for (size_t i = 4; i < n; i++)
        fputc((int)(i % 251), fp);
    fclose(fp);
}

static void test_playlists(void **state)
{
    (void)state;
    cli_result r;
    /* named by their exact name */
    RUN(r, "--json", "playlists", "get", "Road Trip");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"name\":\"Road Trip\""));
    cli_result_free(&r);
    RUN(r, "playlists", "get", "road trip");
    assert_int_equal(r.status, 4);
    assert_non_null(strstr(r.err, "no playlist of yours has that name"));
    cli_result_free(&r);
    RUN(r, "playlists", "rename", "Road Trip", "Trip");
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "--json", "playlists", "describe", "Trip", "Long drives");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"description\":\"Long drives\""));
    cli_result_free(&r);
    RUN(r, "playlists", "private", "Trip");
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "--json", "playlists", "get", "Trip", "--limit", "1");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"name\":\"Trip\""));
    assert_non_null(strstr(r.out, "\"description\":\"Long drives\""));
    assert_non_null(strstr(r.out, "\"public\":false"));
    cli_result_free(&r);
    /* reorder: the 5th item first, then the first two to the end */
    char *before = cli_api_get(&F, "/playlists/OiT5aVA65VLVsMajDdy22V/items?limit=8");
    assert_non_null(before);
    RUN(r, "playlists", "reorder", "Trip", "5", "1");
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "playlists", "reorder", "OiT5aVA65VLVsMajDdy22V", "1", "9", "--count", "2");
    cli_assert_ok(&r);
    cli_result_free(&r);
    char *after = cli_api_get(&F, "/playlists/OiT5aVA65VLVsMajDdy22V/items?limit=8");
    assert_non_null(after);
    /* the track ids in order, before and after */
    char ids_before[8][32], ids_after[8][32];
    const char *p = before, *q = after;
    for (int i = 0; i < 8; i++) {
        p = strstr(p, "\"track\":{");
        q = strstr(q, "\"track\":{");
        assert_true(p != NULL && q != NULL);
        const char *pid = strstr(p, "\"type\":\"track\",\"uri\":\"spotify:track:");
        const char *qid = strstr(q, "\"type\":\"track\",\"uri\":\"spotify:track:");
        assert_true(pid != NULL && qid != NULL);
        snprintf(ids_before[i], 32, "%.22s", pid + 38);
        snprintf(ids_after[i], 32, "%.22s", qid + 38);
        p = pid + 1, q = qid + 1;
    }
    /* [4,0,1,2,3,5,6,7] then the first two to the end: [1,2,3,5,6,7,4,0] */
    const int order[] = {1, 2, 3, 5, 6, 7, 4, 0};
    for (int i = 0; i < 8; i++)
        assert_string_equal(ids_after[i], ids_before[order[i]]);
    free(before);
    free(after);
    /* add and remove from stdin and --ids-file */
    char list[400];
    snprintf(list, sizeof list, "%s/uris.txt", F.dir);
    FILE *fp = fopen(list, "w");
    assert_non_null(fp);
    fputs("spotify:track:7Ks4VCY1wFebnOdJrM13t6\nhttps://open.spotify.com/track/"
          "75izAeHlGuOgA865CFDyIv\n",
          fp);
    fclose(fp);
    const char *add[] = {"playlists", "add", "Trip", "-", NULL};
    assert_true(cli_runv(&r, &F, NULL, list, add));
    cli_assert_ok(&r);
    assert_string_equal(r.out, "Added 2 items to playlist OiT5aVA65VLVsMajDdy22V.\n");
    cli_result_free(&r);
    RUN(r, "--json", "playlists", "remove", "Trip", "--ids-file", list);
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"removed\":2"));
    cli_result_free(&r);
    /* two playlists of one name: refused, naming both */
    RUN(r, "playlists", "create", "Twice");
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "playlists", "create", "Twice");
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "playlists", "rename", "Twice", "Once");
    assert_int_equal(r.status, 4);
    assert_non_null(strstr(r.err, "2 of your playlists have that name"));
    cli_result_free(&r);
    /* cover: set a small JPEG, get it back; too large or not a JPEG is
     * refused before anything is sent */
    char jpeg[400], big[400];
    write_jpeg(jpeg, sizeof jpeg, "cover.jpg", 2000);
    write_jpeg(big, sizeof big, "big.jpg", 200 * 1024);
    RUN(r, "playlists", "cover", "set", "Trip", jpeg);
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "--json", "playlists", "cover", "get", "Trip");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 1);
    assert_true(strncmp(r.out, "{\"", 2) == 0 && strstr(r.out, "\"url\":\"") != NULL);
    cli_result_free(&r);
    RUN(r, "playlists", "cover", "set", "Trip", big);
    assert_int_equal(r.status, 4);
    assert_non_null(strstr(r.err, "more than Spotify's 256 KB limit"));
    cli_result_free(&r);
    RUN(r, "playlists", "cover", "set", "Trip", list);
    assert_int_equal(r.status, 4);
    assert_non_null(strstr(r.err, "not a JPEG image"));
    cli_result_free(&r);
    assert_int_equal(emulator_route_count(&F.emu, "PUT", "/v1/playlists/{id}/images", 202), 1);
    /* delete: unfollowed; follow brings it back */
    RUN(r, "playlists", "delete", "Trip");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "Spotify deletes nothing"));
    cli_result_free(&r);
    RUN(r, "playlists", "get", "Trip");
    assert_int_equal(r.status, 4);
    cli_result_free(&r);
    RUN(r, "follow", "playlists", "OiT5aVA65VLVsMajDdy22V");
    cli_assert_ok(&r);
    cli_result_free(&r);
    RUN(r, "playlists", "get", "Trip", "--limit", "1");
    cli_assert_ok(&r);
    cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_spoken_word, cli_setup_logged_in),
        cmocka_unit_test_setup(test_follow, cli_setup_logged_in),
        cmocka_unit_test_setup(test_me_top_and_recent, cli_setup_logged_in),
        cmocka_unit_test_setup(test_player, cli_setup_logged_in),
        cmocka_unit_test_setup(test_playlists, cli_setup_logged_in),
    };
    return CLI_RUN_GROUP(tests);
}
