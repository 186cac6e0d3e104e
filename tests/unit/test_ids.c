/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ids.c - spotify_id_parse and friends (spotify/ids.h): every accepted
 * form (bare ID, URI, legacy URI, links with locale, embed, query, fragment)
 * and every rejection, plus building URIs and links.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <spotify/ids.h>

#define ID "4aawyAB9vmqN3uQ7FjRGTy"

static void expect_ok(const char *input, spotify_id_type expected, spotify_id_type type,
                      const char *id)
{
    spotify_id out;
    spotify_error err = {0};
    if (spotify_id_parse(&out, input, expected, &err) != SPOTIFY_OK)
        fail_msg("%s: %s", input, err.message);
    assert_int_equal(out.type, type);
    assert_string_equal(out.id, id);
}

/* Rejected, with `fragment` in the message. */
static void expect_bad(const char *input, spotify_id_type expected, const char *fragment)
{
    spotify_id out;
    spotify_error err = {0};
    spotify_status st = spotify_id_parse(&out, input, expected, &err);
    if (st != SPOTIFY_EINVALID)
        fail_msg("%s: accepted (type %d, id %s)", input ? input : "(null)", out.type, out.id);
    assert_int_equal(err.status, SPOTIFY_EINVALID);
    if (strstr(err.message, fragment) == NULL)
        fail_msg("%s: message \"%s\" lacks \"%s\"", input ? input : "(null)", err.message,
                 fragment);
    assert_int_equal(out.type, SPOTIFY_ID_ANY);
    assert_string_equal(out.id, "");
}

static void test_bare_ids(void **state)
{
    (void)state;
    expect_ok(ID, SPOTIFY_ID_ALBUM, SPOTIFY_ID_ALBUM, ID);
    expect_ok(ID, SPOTIFY_ID_TRACK, SPOTIFY_ID_TRACK, ID);
    expect_ok(ID, SPOTIFY_ID_ANY, SPOTIFY_ID_ANY, ID); /* a bare ID does not say its type */
    expect_ok("smedjan", SPOTIFY_ID_USER, SPOTIFY_ID_USER, "smedjan");
    expect_ok("1234567890", SPOTIFY_ID_USER, SPOTIFY_ID_USER, "1234567890");
    expect_ok("a.b-c_d~e+f", SPOTIFY_ID_USER, SPOTIFY_ID_USER, "a.b-c_d~e+f");
}

static void test_uris(void **state)
{
    (void)state;
    expect_ok("spotify:album:" ID, SPOTIFY_ID_ALBUM, SPOTIFY_ID_ALBUM, ID);
    expect_ok("spotify:track:" ID, SPOTIFY_ID_ANY, SPOTIFY_ID_TRACK, ID);
    expect_ok("spotify:artist:" ID, SPOTIFY_ID_ARTIST, SPOTIFY_ID_ARTIST, ID);
    expect_ok("spotify:playlist:" ID, SPOTIFY_ID_PLAYLIST, SPOTIFY_ID_PLAYLIST, ID);
    expect_ok("spotify:show:" ID, SPOTIFY_ID_SHOW, SPOTIFY_ID_SHOW, ID);
    expect_ok("spotify:episode:" ID, SPOTIFY_ID_EPISODE, SPOTIFY_ID_EPISODE, ID);
    expect_ok("spotify:audiobook:" ID, SPOTIFY_ID_AUDIOBOOK, SPOTIFY_ID_AUDIOBOOK, ID);
    expect_ok("spotify:chapter:" ID, SPOTIFY_ID_CHAPTER, SPOTIFY_ID_CHAPTER, ID);
    expect_ok("spotify:user:smedjan", SPOTIFY_ID_ANY, SPOTIFY_ID_USER, "smedjan");
    /* the legacy playlist URI names the playlist */
    expect_ok("spotify:user:smedjan:playlist:" ID, SPOTIFY_ID_PLAYLIST, SPOTIFY_ID_PLAYLIST, ID);
}

static void test_links(void **state)
{
    (void)state;
    expect_ok("https://open.spotify.com/album/" ID, SPOTIFY_ID_ALBUM, SPOTIFY_ID_ALBUM, ID);
    expect_ok("https://open.spotify.com/track/" ID "?si=9fb6a0fdc77b4ba0", SPOTIFY_ID_TRACK,
              SPOTIFY_ID_TRACK, ID);
    expect_ok("http://open.spotify.com/track/" ID, SPOTIFY_ID_TRACK, SPOTIFY_ID_TRACK, ID);
    expect_ok("https://OPEN.spotify.com/track/" ID "/", SPOTIFY_ID_TRACK, SPOTIFY_ID_TRACK, ID);
    expect_ok("https://open.spotify.com/track/" ID "#t=10", SPOTIFY_ID_TRACK, SPOTIFY_ID_TRACK, ID);
    expect_ok("https://open.spotify.com/intl-de/track/" ID "?si=x", SPOTIFY_ID_TRACK,
              SPOTIFY_ID_TRACK, ID);
    expect_ok("https://open.spotify.com/intl-pt-br/album/" ID, SPOTIFY_ID_ALBUM, SPOTIFY_ID_ALBUM,
              ID);
    expect_ok("https://open.spotify.com/embed/playlist/" ID, SPOTIFY_ID_PLAYLIST,
              SPOTIFY_ID_PLAYLIST, ID);
    expect_ok("https://open.spotify.com/user/smedjan?si=1", SPOTIFY_ID_USER, SPOTIFY_ID_USER,
              "smedjan");
    expect_ok("https://open.spotify.com/user/smedjan/playlist/" ID, SPOTIFY_ID_PLAYLIST,
              SPOTIFY_ID_PLAYLIST, ID);
    expect_ok("https://open.spotify.com/episode/" ID, SPOTIFY_ID_ANY, SPOTIFY_ID_EPISODE, ID);
}

static void test_rejections(void **state)
{
    (void)state;
    expect_bad(NULL, SPOTIFY_ID_TRACK, "is empty");
    expect_bad("", SPOTIFY_ID_TRACK, "is empty");
    /* type check */
    expect_bad("spotify:album:" ID, SPOTIFY_ID_TRACK, "expected a track, got an album");
    expect_bad("https://open.spotify.com/artist/" ID, SPOTIFY_ID_ALBUM,
               "expected an album, got an artist");
    expect_bad("spotify:user:smedjan", SPOTIFY_ID_PLAYLIST, "expected a playlist, got a user");
    /* IDs */
    expect_bad("4aawyAB9vmqN3uQ7FjRGT", SPOTIFY_ID_ALBUM, "is not a Spotify ID");   /* 21 */
    expect_bad("4aawyAB9vmqN3uQ7FjRGTyy", SPOTIFY_ID_ALBUM, "is not a Spotify ID"); /* 23 */
    expect_bad("4aawyAB9vmqN3uQ7FjRG-y", SPOTIFY_ID_ALBUM, "is not a Spotify ID");  /* '-' */
    expect_bad(" 4aawyAB9vmqN3uQ7FjRGTy", SPOTIFY_ID_ALBUM, "is not a Spotify ID"); /* space */
    expect_bad("smedjan", SPOTIFY_ID_ANY, "is not a Spotify ID"); /* a user needs its URI */
    expect_bad("spotify:album:4aawyAB9vmqN3uQ7FjRGT", SPOTIFY_ID_ALBUM, "holds no valid ID");
    expect_bad("spotify:user:bad/name", SPOTIFY_ID_USER, "holds no valid user ID");
    expect_bad("bad name", SPOTIFY_ID_USER, "is not a Spotify user ID");
    /* URIs */
    expect_bad("spotify:album", SPOTIFY_ID_ALBUM, "is not a Spotify URI");
    expect_bad("spotify:album:" ID ":extra", SPOTIFY_ID_ALBUM, "is not a Spotify URI");
    expect_bad("spotify:song:" ID, SPOTIFY_ID_ANY, "names an unknown type");
    expect_bad("spotify:local:artist:album:title:180", SPOTIFY_ID_TRACK, "is not a Spotify URI");
    expect_bad("SPOTIFY:album:" ID, SPOTIFY_ID_ALBUM, "is not a Spotify ID");
    /* links */
    expect_bad("https://example.com/album/" ID, SPOTIFY_ID_ALBUM, "is not an open.spotify.com");
    expect_bad("https://open.spotify.com.evil.com/album/" ID, SPOTIFY_ID_ALBUM,
               "is not an open.spotify.com");
    expect_bad("https://open.spotify.com/", SPOTIFY_ID_ALBUM, "is not a link to a Spotify item");
    expect_bad("https://open.spotify.com/album/" ID "/tracks", SPOTIFY_ID_ALBUM,
               "is not a link to a Spotify item");
    expect_bad("https://open.spotify.com/genre/" ID, SPOTIFY_ID_ANY,
               "is not a link to a Spotify item");
    expect_bad("ftp://open.spotify.com/album/" ID, SPOTIFY_ID_ALBUM, "is not a Spotify ID");
}

static void test_bad_arguments(void **state)
{
    (void)state;
    spotify_error err = {0};
    spotify_id out;
    assert_int_equal(spotify_id_parse(NULL, ID, SPOTIFY_ID_ANY, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_id_parse(&out, ID, (spotify_id_type)42, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_id_parse(&out, ID, SPOTIFY_ID_ALBUM, NULL), SPOTIFY_OK);
}

static void test_long_input_is_quoted_short(void **state)
{
    (void)state;
    char input[400];
    memset(input, 'x', sizeof input - 1);
    input[sizeof input - 1] = '\0';
    spotify_error err = {0};
    spotify_id out;
    assert_int_equal(spotify_id_parse(&out, input, SPOTIFY_ID_ALBUM, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "...\""));
    assert_true(strlen(err.message) < 200);
}

static void test_build_uri_and_link(void **state)
{
    (void)state;
    char buf[SPOTIFY_URI_MAX];
    spotify_error err = {0};
    assert_int_equal(spotify_id_uri(buf, sizeof buf, SPOTIFY_ID_TRACK, ID, &err), SPOTIFY_OK);
    assert_string_equal(buf, "spotify:track:" ID);
    assert_int_equal(spotify_id_link(buf, sizeof buf, SPOTIFY_ID_ALBUM, ID, &err), SPOTIFY_OK);
    assert_string_equal(buf, "https://open.spotify.com/album/" ID);
    assert_int_equal(spotify_id_uri(buf, sizeof buf, SPOTIFY_ID_USER, "smedjan", &err), SPOTIFY_OK);
    assert_string_equal(buf, "spotify:user:smedjan");
    /* round trip */
    spotify_id id;
    assert_int_equal(spotify_id_parse(&id, buf, SPOTIFY_ID_ANY, &err), SPOTIFY_OK);
    assert_int_equal(id.type, SPOTIFY_ID_USER);
    /* rejections */
    assert_int_equal(spotify_id_uri(buf, sizeof buf, SPOTIFY_ID_ANY, ID, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_id_uri(buf, sizeof buf, SPOTIFY_ID_TRACK, "short", &err),
                     SPOTIFY_EINVALID);
    assert_int_equal(spotify_id_uri(buf, sizeof buf, SPOTIFY_ID_TRACK, NULL, &err),
                     SPOTIFY_EINVALID);
    assert_int_equal(spotify_id_uri(buf, 10, SPOTIFY_ID_TRACK, ID, &err), SPOTIFY_EINVALID);
    assert_string_equal(buf, "");
    assert_int_equal(spotify_id_link(NULL, 0, SPOTIFY_ID_TRACK, ID, &err), SPOTIFY_EINVALID);
}

static void test_type_names(void **state)
{
    (void)state;
    for (int t = SPOTIFY_ID_TRACK; t <= SPOTIFY_ID_TYPE_MAX; t++)
        assert_int_equal(spotify_id_type_from_name(spotify_id_type_name((spotify_id_type)t)), t);
    assert_string_equal(spotify_id_type_name(SPOTIFY_ID_ANY), "any");
    assert_string_equal(spotify_id_type_name((spotify_id_type)99), "unknown");
    assert_int_equal(spotify_id_type_from_name("song"), SPOTIFY_ID_ANY);
    assert_int_equal(spotify_id_type_from_name(NULL), SPOTIFY_ID_ANY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bare_ids),
        cmocka_unit_test(test_uris),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_long_input_is_quoted_short),
        cmocka_unit_test(test_build_uri_and_link),
        cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
