/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_unit.c - spotctl's pure parts: option parsing, the token-file
 * location and store kind, the credential rules, exit codes, durations,
 * truncation, tables, JSON/CSV escaping, progress and trace lines, and the
 * parallel window (the runner: test_spotctl_parallel).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

static const spotctl_opt opts[] = {{.name = "limit", .kind = SPOTCTL_VALUE},
                                   {.name = "all", .kind = SPOTCTL_FLAG},
                                   {.name = "query", .kind = SPOTCTL_MULTI},
                                   {.name = "verbose", .short_name = 'v'},
                                   {.name = "json", .kind = SPOTCTL_FLAG}};

/* A writable argv from literals (freed with free_argv). */
static char **make_argv(const char *const *in, int n)
{
    char **argv = calloc((size_t)n + 1, sizeof *argv);
    for (int i = 0; i < n; i++)
        argv[i] = strdup(in[i]);
    return argv;
}

static void free_argv(char **argv)
{
    for (int i = 0; argv[i] != NULL; i++)
        free(argv[i]);
    free(argv);
}

/* Values point into argv: it lives until the next call or parse_done(). */
static char **parsed_argv;

static void parse_done(void)
{
    if (parsed_argv != NULL)
        free_argv(parsed_argv);
    parsed_argv = NULL;
}

static bool parse(spotctl_args *a, const char *const *in, int n)
{
    parse_done();
    parsed_argv = make_argv(in, n);
    return spotctl_args_parse(a, opts, 5, n, parsed_argv);
}

static void test_args(void **state)
{
    (void)state;
    const char *const argv[] = {"x",   "--limit", "5",  "--query=a=b", "-vv", "--query",
                                "c=d", "y",       "--", "--all",       "-"};
    spotctl_args a;
    assert_true(parse(&a, argv, 11));
    assert_string_equal(spotctl_args_get(&a, "limit"), "5");
    assert_false(spotctl_args_has(&a, "all"));
    assert_int_equal(a.count[spotctl_args_index(&a, "verbose")], 2);
    size_t n;
    const char *const *q = spotctl_args_multi(&a, "query", &n);
    assert_int_equal(n, 2);
    assert_string_equal(q[0], "a=b");
    assert_string_equal(q[1], "c=d");
    assert_int_equal(a.npos, 4);
    assert_string_equal(a.pos[0], "x");
    assert_string_equal(a.pos[2], "--all");
    assert_string_equal(a.pos[3], "-");
    spotctl_args_free(&a);

    const char *const bad1[] = {"--nope"};
    assert_false(parse(&a, bad1, 1));
    assert_string_equal(a.error, "unknown option --nope");
    spotctl_args_free(&a);
    const char *const bad2[] = {"--limit"};
    assert_false(parse(&a, bad2, 1));
    assert_string_equal(a.error, "option --limit needs a value");
    spotctl_args_free(&a);
    const char *const bad3[] = {"--all=1"};
    assert_false(parse(&a, bad3, 1));
    spotctl_args_free(&a);
    parse_done();

    int64_t v;
    assert_true(spotctl_parse_int("40", 0, 100, &v));
    assert_int_equal(v, 40);
    assert_false(spotctl_parse_int("101", 0, 100, &v));
    assert_false(spotctl_parse_int("4x", 0, 100, &v));
    assert_false(spotctl_parse_int("", 0, 100, &v));
}

static void test_cache_location(void **state)
{
    (void)state;
    spotctl_env env = {0};
    char out[256], why[128];
    env.home = "/home/u";
    assert_true(spotctl_cache_location(out, sizeof out, NULL, &env, why, sizeof why));
    assert_string_equal(out, "/home/u/.config/spotctl/token.json");
    env.xdg_config = "/xdg";
    assert_true(spotctl_cache_location(out, sizeof out, NULL, &env, why, sizeof why));
    assert_string_equal(out, "/xdg/spotctl/token.json");
    env.cache = "/env/token.json";
    assert_true(spotctl_cache_location(out, sizeof out, NULL, &env, why, sizeof why));
    assert_string_equal(out, "/env/token.json");
    assert_true(spotctl_cache_location(out, sizeof out, "/flag.json", &env, why, sizeof why));
    assert_string_equal(out, "/flag.json");
    spotctl_env none = {0};
    assert_false(spotctl_cache_location(out, sizeof out, NULL, &none, why, sizeof why));
    assert_non_null(strstr(why, "HOME"));

    assert_int_equal(spotctl_store_kind_of("/a/token.json"), SPOTCTL_STORE_FILE);
    assert_int_equal(spotctl_store_kind_of("redis://localhost:6379/0"), SPOTCTL_STORE_REDIS);
    assert_int_equal(spotctl_store_kind_of("rediss://localhost"), SPOTCTL_STORE_REDIS);
    assert_int_equal(spotctl_store_kind_of("unix:///run/redis.sock"), SPOTCTL_STORE_REDIS);
    assert_int_equal(spotctl_store_kind_of("redis.json"), SPOTCTL_STORE_FILE);
    assert_int_equal(spotctl_store_kind_of("REDIS://h"), SPOTCTL_STORE_REDIS);
    assert_int_equal(spotctl_store_kind_of("redis-sentinel://127.0.0.1:26379,s2/mymaster"),
                     SPOTCTL_STORE_REDIS);
    /* any other SCHEME:// is no file path; a colon elsewhere is */
    assert_int_equal(spotctl_store_kind_of("redis-sentinel-x://127.0.0.1:26379/m"),
                     SPOTCTL_STORE_UNKNOWN);
    assert_int_equal(spotctl_store_kind_of("file:///tmp/t.json"), SPOTCTL_STORE_UNKNOWN);
    assert_int_equal(spotctl_store_kind_of("s3+x.y-z://b"), SPOTCTL_STORE_UNKNOWN);
    assert_int_equal(spotctl_store_kind_of("tok:en.json"), SPOTCTL_STORE_FILE);
    assert_int_equal(spotctl_store_kind_of("/a:b/token.json"), SPOTCTL_STORE_FILE);
    assert_int_equal(spotctl_store_kind_of("dir:/token.json"), SPOTCTL_STORE_FILE);
    assert_int_equal(spotctl_store_kind_of("./x://y"), SPOTCTL_STORE_FILE);
    assert_int_equal(spotctl_store_kind_of("1abc://y"), SPOTCTL_STORE_FILE);
    assert_int_equal(spotctl_store_kind_of("://y"), SPOTCTL_STORE_FILE);
    assert_int_equal(spotctl_store_kind_of("a b://y"), SPOTCTL_STORE_FILE);
    spotctl_store_scheme(out, sizeof out, "memcached://:pw@h/0");
    assert_string_equal(out, "memcached");
    spotctl_store_scheme(out, sizeof out, "/a:b");
    assert_string_equal(out, "");

    /* how a location is printed: never a password */
    spotctl_store_display(out, sizeof out, "redis://:pw@h:6379/2");
    assert_string_equal(out, "redis://[REDACTED]@h:6379/2");
    spotctl_store_display(out, sizeof out, "redis://user:p%40ss@h");
    assert_string_equal(out, "redis://[REDACTED]@h");
    spotctl_store_display(out, sizeof out, "unix://:pw@/run/redis.sock?db=1");
    assert_string_equal(out, "unix://[REDACTED]@/run/redis.sock?db=1");
    spotctl_store_display(out, sizeof out, "redis://:p@s/s@h/0");
    assert_string_equal(out, "redis://[REDACTED]@h/0");
    spotctl_store_display(out, sizeof out, "redis://h:6379/0");
    assert_string_equal(out, "redis://h:6379/0");
    spotctl_store_display(out, sizeof out, "/home/u/a@b/token.json");
    assert_string_equal(out, "/home/u/a@b/token.json");

    /* whose token a Redis store holds */
    assert_string_equal(spotctl_redis_user(&env), "spotctl");
    env.redis_user = "alice";
    assert_string_equal(spotctl_redis_user(&env), "alice");
}

static void test_credentials(void **state)
{
    (void)state;
    spotctl_creds_choice c;
    spotctl_env env = {0};
    spotify_token user = {0};
    char refresh[] = "r", client[] = "app1";
    user.refresh_token = refresh;
    user.client_id = client;
    user.flow = SPOTIFY_FLOW_PKCE;

    spotctl_choose_creds(&c, &user, &env, true);
    assert_int_equal(c.creds, SPOTCTL_CREDS_USER);
    assert_int_equal(c.flow, SPOTIFY_FLOW_PKCE);
    assert_string_equal(c.client_id, "app1");

    user.flow = SPOTIFY_FLOW_AUTHORIZATION_CODE; /* needs the secret */
    spotctl_choose_creds(&c, &user, &env, false);
    assert_int_equal(c.creds, SPOTCTL_CREDS_NONE);
    assert_int_equal(c.status, SPOTIFY_ECONFIG);
    assert_non_null(strstr(c.hint, "SPOTIFY_SDK_CLIENT_SECRET"));
    env.client_secret = "s";
    spotctl_choose_creds(&c, &user, &env, false);
    assert_int_equal(c.creds, SPOTCTL_CREDS_USER);

    env.client_id = "app2"; /* another app's login */
    spotctl_choose_creds(&c, &user, &env, false);
    assert_int_equal(c.creds, SPOTCTL_CREDS_NONE);
    assert_int_equal(c.status, SPOTIFY_EAUTH);

    /* no login: app credentials for catalogue commands only */
    spotctl_choose_creds(&c, NULL, &env, false);
    assert_int_equal(c.creds, SPOTCTL_CREDS_APP);
    spotctl_choose_creds(&c, NULL, &env, true);
    assert_int_equal(c.creds, SPOTCTL_CREDS_NONE);
    assert_non_null(strstr(c.hint, "spotctl login"));
    spotctl_env empty = {0};
    spotctl_choose_creds(&c, NULL, &empty, false);
    assert_int_equal(c.creds, SPOTCTL_CREDS_NONE);
    assert_non_null(strstr(c.hint, "SPOTIFY_SDK_CLIENT_ID"));

    /* a seed-SDK file (flow unknown): the secret decides */
    user.flow = SPOTIFY_FLOW_UNKNOWN;
    user.client_id = NULL;
    env.client_id = "app1";
    env.client_secret = NULL;
    spotctl_choose_creds(&c, &user, &env, true);
    assert_int_equal(c.flow, SPOTIFY_FLOW_PKCE);
    assert_string_equal(c.client_id, "app1");
}

static void test_exit_codes(void **state)
{
    (void)state;
    assert_int_equal(spotctl_exit_code(SPOTIFY_OK), 0);
    assert_int_equal(spotctl_exit_code(SPOTIFY_ECONFIG), 3);
    assert_int_equal(spotctl_exit_code(SPOTIFY_EAUTH), 3);
    assert_int_equal(spotctl_exit_code(SPOTIFY_EINVALID), 4);
    assert_int_equal(spotctl_exit_code(SPOTIFY_EBADREQUEST), 4);
    assert_int_equal(spotctl_exit_code(SPOTIFY_EFORBIDDEN), 4);
    assert_int_equal(spotctl_exit_code(SPOTIFY_ENOTFOUND), 4);
    assert_int_equal(spotctl_exit_code(SPOTIFY_ERATELIMIT), 5);
    assert_int_equal(spotctl_exit_code(SPOTIFY_ESERVER), 6);
    assert_int_equal(spotctl_exit_code(SPOTIFY_ETRANSPORT), 6);
    assert_int_equal(spotctl_exit_code(SPOTIFY_EPROTOCOL), 6);
    assert_int_equal(spotctl_exit_code(SPOTIFY_ECANCELLED), 130);
    assert_int_equal(spotctl_exit_code(SPOTIFY_ENOMEM), 1);
    assert_int_equal(spotctl_exit_code(SPOTIFY_EIO), 1);
}

static void test_text(void **state)
{
    (void)state;
    char out[64];
    spotctl_format_duration(out, sizeof out, 287000);
    assert_string_equal(out, "4:47");
    spotctl_format_duration(out, sizeof out, 59499);
    assert_string_equal(out, "0:59");
    spotctl_format_duration(out, sizeof out, 3723000);
    assert_string_equal(out, "1:02:03");
    assert_int_equal(spotctl_text_width("Bj\xc3\xb6rk"), 5);
    spotctl_truncate(out, sizeof out, "Sky Void of Stars", 8);
    assert_string_equal(out, "Sky Voi\xe2\x80\xa6");
    spotctl_truncate(out, sizeof out, "Bj\xc3\xb6rk Gu\xc3\xb0", 4);
    assert_string_equal(out, "Bj\xc3\xb6\xe2\x80\xa6");
    spotctl_truncate(out, sizeof out, "short", 8);
    assert_string_equal(out, "short");

    spotctl_buf b = {0};
    assert_true(spotctl_buf_json_string(&b, "a\"b\\c\n\x01"));
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001\"");
    b.len = 0;
    assert_true(spotctl_buf_csv_field(&b, "plain"));
    assert_true(spotctl_buf_str(&b, ","));
    assert_true(spotctl_buf_csv_field(&b, "Hello, \"World\""));
    assert_string_equal(b.data, "plain,\"Hello, \"\"World\"\"\"");
    spotctl_buf_free(&b);
}

/* What a table prints at `width` (Owned). */
static char *table_text(const spotctl_table *t, size_t width)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    spotctl_table_print(t, f, width);
    fclose(f);
    return text;
}

/* C0, DEL and C1 controls (UTF-8 C2 80..C2 9F) become one space each;
 * other UTF-8 (C2 A0, a lone C2 at the end) is kept. */
static void test_clean_controls(void **state)
{
    (void)state;
    char out[64];
    assert_string_equal(spotctl_clean(out, sizeof out,
                                      "a\xc2\x9b"
                                      "31mb\x7f"
                                      "c\x1b]0;t\x07"),
                        "a 31mb c ]0;t ");
    assert_string_equal(spotctl_clean(out, sizeof out, "\xc2\x80\xc2\x9f\xc2\xa0\xc3\xb6\xc2"),
                        "  \xc2\xa0\xc3\xb6\xc2");
    assert_string_equal(spotctl_clean(out, sizeof out, NULL), "");
    static const char *const headers[] = {"NAME"};
    spotctl_table t;
    spotctl_table_init(&t, headers, 1);
    const char *row[] = {"x\xc2\x9b"
                         "2Jy\xc2\x9d"
                         "0;z"};
    assert_true(spotctl_table_add(&t, row));
    char *text = table_text(&t, 0);
    assert_string_equal(text, "NAME\nx 2Jy 0;z\n");
    free(text);
    spotctl_table_free(&t);
}

/* Missing scopes: from the SDK's check message, from the operation table
 * for a raw request, and the hint with the login that adds them. */
static void test_scopes(void **state)
{
    (void)state;
    char missing[256], granted[256], hint[1200];
    assert_true(spotctl_scopes_from_message(
        missing, sizeof missing, granted, sizeof granted,
        "spotify_playlists_add_items: the token lacks scope user-library-read, one of "
        "(playlist-modify-public playlist-modify-private) (granted: user-read-private)"));
    assert_string_equal(missing,
                        "user-library-read playlist-modify-public playlist-modify-private");
    assert_string_equal(granted, "user-read-private");
    assert_true(spotctl_scopes_from_message(missing, sizeof missing, granted, sizeof granted,
                                            "x: the token lacks scope user-modify-playback-state "
                                            "(granted: none, an app-only token)"));
    assert_string_equal(granted, "");
    assert_false(spotctl_scopes_from_message(missing, sizeof missing, granted, sizeof granted,
                                             "PUT /v1/me/player/pause: HTTP 403: Player command "
                                             "failed: Restriction violated"));
    assert_false(spotctl_scopes_from_message(missing, sizeof missing, granted, sizeof granted,
                                             "GET /v1/me: HTTP 403: Insufficient client scope"));

    assert_true(spotctl_scopes_lacking(missing, sizeof missing, "GET", "/me/top/artists?limit=5",
                                       "user-read-private user-library-read"));
    assert_string_equal(missing, "user-top-read");
    assert_false(
        spotctl_scopes_lacking(missing, sizeof missing, "GET", "/me/top/artists", "user-top-read"));
    assert_true(spotctl_scopes_lacking(missing, sizeof missing, "PUT", "/me/player/pause", ""));
    assert_string_equal(missing, "user-modify-playback-state");
    assert_false(spotctl_scopes_lacking(missing, sizeof missing, "GET", "/no/such/path", ""));
    assert_false(spotctl_scopes_lacking(missing, sizeof missing, "GET", "/me/top", ""));

    spotctl_scope_hint(hint, sizeof hint, "user-top-read", "user-read-private ugc-image-upload");
    assert_string_equal(hint, "the login lacks scope user-top-read: run `spotctl login "
                              "--add-scope user-top-read`");
    spotctl_scope_hint(hint, sizeof hint, "a-b c-d", NULL);
    assert_string_equal(hint, "the login lacks scopes a-b c-d: run `spotctl login --add-scope "
                              "a-b c-d`");
    const char *more[] = {"c,d", "a e"};
    char all[128];
    spotctl_scope_union(all, sizeof all, "a b", more, 2);
    assert_string_equal(all, "a b c d e");
    static const spotctl_command top = {.name = "top", .ops = "me_top_tracks_list library_save"};
    char why[256];
    assert_true(spotctl_command_lacks(why, sizeof why, &top, "user-read-private"));
    assert_string_equal(why, "user-top-read; one of playlist-modify-public user-follow-modify "
                             "user-library-modify");
    assert_false(spotctl_command_lacks(why, sizeof why, &top, "user-top-read user-library-modify"));
    char path[256];
    assert_true(spotctl_app_cache_path(path, sizeof path, "/h/token.json", "demo-client"));
    assert_string_equal(path, "/h/token.app-demo-client.json");
    assert_true(spotctl_app_cache_path(path, sizeof path, "/h/tok", "a1.b_c"));
    assert_string_equal(path, "/h/tok.app-a1.b_c");
    assert_false(spotctl_app_cache_path(path, sizeof path, "/h/token.json", "../x"));
    assert_false(spotctl_app_cache_path(path, sizeof path, "/h/token.json", "a/b"));
}

static void test_table(void **state)
{
    (void)state;
    static const char *const headers[] = {"ID", "NAME", "N"};
    spotctl_table t;
    spotctl_table_init(&t, headers, 3);
    t.right_aligned = 1u << 2;
    const char *r1[] = {"a", "To Pimp A Butterfly", "16"};
    const char *r2[] = {"bb", NULL, "7"};
    assert_true(spotctl_table_add(&t, r1));
    assert_true(spotctl_table_add(&t, r2));
    char *text = table_text(&t, 0);
    assert_string_equal(text, "ID  NAME                  N\n"
                              "a   To Pimp A Butterfly  16\n"
                              "bb  -                     7\n");
    free(text);
    text = table_text(&t, 20); /* the widest column gives way */
    assert_string_equal(text, "ID  NAME           N\n"
                              "a   To Pimp A B\xe2\x80\xa6  16\n"
                              "bb  -              7\n");
    free(text);
    spotctl_table_free(&t);
}

static void test_progress_and_trace(void **state)
{
    (void)state;
    char line[256];
    spotctl_progress_render(line, sizeof line, "library", 50, 100, 10.0, 0);
    assert_string_equal(line, "library  50/100  5.0/s  ETA 0:10");
    spotctl_progress_render(line, sizeof line, "items", 7, -1, 0.0, 0);
    assert_string_equal(line, "items  7");
    spotctl_progress_render(line, sizeof line, "x", 1, 4, 1.0, 40);
    assert_non_null(strstr(line, "[#"));

    spotify_http_event e = {0};
    e.method = "GET";
    e.url = "http://127.0.0.1:1/v1/me?access_token=SECRET";
    e.http_status = 503;
    e.attempt = 1;
    e.duration_us = 1500;
    e.will_retry = true;
    e.retry_wait_ms = 500;
    spotctl_trace_format(line, sizeof line, &e);
    assert_null(strstr(line, "SECRET"));
    assert_non_null(strstr(line, "-> 503 (1.5 ms, attempt 1, retrying in 500 ms)"));
}

/* A fixture wrapped as {"added_at":...,"KEY":FIXTURE}, decoded as `type`. */
static void *decode_wrapped(const spotify_model_type *type, const char *key, const char *fixture)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", FIXTURES_DIR, fixture);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char body[200000];
    int n = snprintf(body, sizeof body, "{\"added_at\":\"2024-05-06T07:08:09Z\",\"%s\":", key);
    size_t len = (size_t)n + fread(body + n, 1, sizeof body - (size_t)n - 2, f);
    fclose(f);
    body[len++] = '}';
    void *model = NULL;
    assert_int_equal(spotify_model_decode(&model, type, body, len, NULL), SPOTIFY_OK);
    return model;
}

static void test_fields(void **state)
{
    (void)state;
    spotctl_fields f;
    void *saved = decode_wrapped(SPOTIFY_MODEL_SAVED_TRACK, "track", "track-wesleys-theory.json");
    spotctl_fields_saved(&f, SPOTCTL_SAVED_TRACK, saved);
    assert_string_equal(f.type, "track");
    assert_string_equal(f.added_at, "2024-05-06T07:08:09Z");
    assert_string_equal(f.name, "Wesley's Theory");
    assert_string_equal(f.by, "Kendrick Lamar, George Clinton, Thundercat");
    assert_string_equal(f.album, "To Pimp A Butterfly");
    assert_int_equal(f.duration_ms, 287360);
    assert_string_equal(f.uri, "spotify:track:7Ks4VCY1wFebnOdJrM13t6");
    spotify_model_free(saved);

    saved = decode_wrapped(SPOTIFY_MODEL_SAVED_ALBUM, "album", "album-tpab.json");
    spotctl_fields_saved(&f, SPOTCTL_SAVED_ALBUM, saved);
    assert_string_equal(f.type, "album");
    assert_string_equal(f.name, "To Pimp A Butterfly");
    assert_string_equal(f.by, "Kendrick Lamar");
    assert_true(f.duration_ms < 0);
    spotify_model_free(saved);

    void *item = decode_wrapped(SPOTIFY_MODEL_PLAYLIST_TRACK, "item", "track-wesleys-theory.json");
    spotctl_fields_playlist_item(&f, item);
    assert_string_equal(f.type, "track");
    assert_string_equal(f.name, "Wesley's Theory");
    spotify_model_free(item);

    assert_int_equal(spotctl_saved_kind_from_name("show", 4), SPOTCTL_SAVED_SHOW);
    assert_int_equal(spotctl_saved_kind_from_name("shows", 5), -1);
    assert_string_equal(spotctl_saved_kind_name(SPOTCTL_SAVED_AUDIOBOOK), "audiobook");
}

/* Did you mean: edit distance with swaps, and how close is close enough. */
static void test_suggest(void **state)
{
    (void)state;
    assert_int_equal(spotctl_edit_distance("albums", "albums"), 0);
    assert_int_equal(spotctl_edit_distance("albms", "albums"), 1);
    assert_int_equal(spotctl_edit_distance("plyalists", "playlists"), 1); /* a swap */
    assert_int_equal(spotctl_edit_distance("", "me"), 2);
    assert_int_equal(spotctl_edit_distance("kitten", "sitting"), 3);
    const char *words[] = {"albums", "artists", "api", "me", "search"};
    assert_string_equal(spotctl_suggest("albms", words, 5), "albums");
    assert_string_equal(spotctl_suggest("artsits", words, 5), "artists");
    assert_string_equal(spotctl_suggest("mw", words, 5), "me");
    assert_null(spotctl_suggest("frobnicate", words, 5));
    assert_null(spotctl_suggest("x", words, 5));
    const char *switches[] = {"on", "off"};
    assert_string_equal(spotctl_suggest("of", switches, 2), "off"); /* a tie: the longer start */
    assert_null(spotctl_suggest("o", switches, 2));                 /* too short to guess */
    assert_string_equal(spotctl_suggest_command(NULL, "serch"), "search");
    assert_string_equal(spotctl_suggest_command("albums", "gte"), "get");
    assert_null(spotctl_suggest_command("albums", "zzzzzz"));
    /* the words a command takes first */
    char like[32];
    const spotctl_command *top = spotctl_find_command("me", "top");
    assert_non_null(top);
    assert_string_equal(spotctl_suggest_first_arg(like, sizeof like, top, "trakcs"), "tracks");
    assert_null(spotctl_suggest_first_arg(like, sizeof like, top, "artists"));
    assert_null(
        spotctl_suggest_first_arg(like, sizeof like, top, "Artists")); /* the command's call */
    assert_null(spotctl_suggest_first_arg(like, sizeof like, top, "zzzzzz"));
    const spotctl_command *api = spotctl_find_command("api", NULL);
    assert_string_equal(spotctl_suggest_first_arg(like, sizeof like, api, "GTE"), "GET");
    assert_null(spotctl_suggest_first_arg(like, sizeof like, api, "me")); /* a path */
    assert_null(spotctl_suggest_first_arg(like, sizeof like, api, "/me/player"));
    assert_null(spotctl_suggest_first_arg(like, sizeof like, spotctl_find_command("albums", "get"),
                                          "4EcfbzCtbJDk2wMwhT4D1h"));
}

/* seek's POSITION and recent's TIME. */
static void test_positions_and_times(void **state)
{
    (void)state;
    int64_t ms = -1;
    assert_true(spotctl_parse_position("1:23", &ms));
    assert_int_equal(ms, 83000);
    assert_true(spotctl_parse_position("83000", &ms));
    assert_int_equal(ms, 83000);
    assert_true(spotctl_parse_position("1:02:03", &ms));
    assert_int_equal(ms, 3723000);
    assert_true(spotctl_parse_position("0:00", &ms));
    assert_int_equal(ms, 0);
    static const char *const bad_positions[] = {
        "",
        "1:75",
        "1:60:00",
        "1::2",
        ":30",
        "1:2:3:4",
        "-5",
        "1:-5",
        "x",
        "1:23s",
        "2562047788015:00:00", /* would overflow */
    };
    for (size_t i = 0; i < sizeof bad_positions / sizeof bad_positions[0]; i++)
        if (spotctl_parse_position(bad_positions[i], &ms))
            fail_msg("position \"%s\" accepted", bad_positions[i]);

    assert_true(spotctl_parse_time("1714588200000", &ms));
    assert_int_equal(ms, 1714588200000);
    assert_true(spotctl_parse_time("2024-05-01", &ms));
    assert_int_equal(ms, 1714521600000);
    assert_true(spotctl_parse_time("2024-05-01T18:30:00Z", &ms));
    assert_int_equal(ms, 1714588200000);
    assert_true(spotctl_parse_time("2024-05-01 18:30", &ms));
    assert_int_equal(ms, 1714588200000);
    static const char *const bad_times[] = {
        "yesterday", "2024-13-01", "2024-05-01T25:00", "2024-05-01T-1:30", "2024-05-01T18:30:00+02",
        "2024-5-1",  "",
    };
    for (size_t i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++)
        if (spotctl_parse_time(bad_times[i], &ms))
            fail_msg("time \"%s\" accepted", bad_times[i]);
}

/* --market, the SDK's function names out of messages, --type lists. */
static void test_consistency(void **state)
{
    (void)state;
    char m[16];
    assert_true(spotctl_market(m, sizeof m, "se"));
    assert_string_equal(m, "SE");
    assert_true(spotctl_market(m, sizeof m, "From_Token"));
    assert_string_equal(m, "from_token");
    assert_false(spotctl_market(m, sizeof m, "swe"));
    assert_false(spotctl_market(m, sizeof m, "s1"));
    char msg[] = "ID: spotify_albums_get: market: bad (spotify__token_parse: x) my_spotify_x: y";
    spotctl_strip_function_names(msg);
    assert_string_equal(msg, "ID: market: bad (x) my_spotify_x: y");

    static const spotctl_opt type_opt[] = {{.name = "type", .kind = SPOTCTL_VALUE}};
    const char *names[] = {"track", "album", "show"};
    const char *in[] = {"--type", "show,track,show"};
    char **argv = make_argv(in, 2);
    spotctl_args a;
    assert_true(spotctl_args_parse(&a, type_opt, 1, 2, argv));
    size_t chosen[3];
    assert_int_equal(spotctl_type_arg(&a, "x", names, 3, false, "track", chosen), 2);
    assert_int_equal(chosen[0], 2);
    assert_int_equal(chosen[1], 0);
    spotctl_args_free(&a);
    free_argv(argv);
    const char *all[] = {"--type=album,all"};
    argv = make_argv(all, 1);
    assert_true(spotctl_args_parse(&a, type_opt, 1, 1, argv));
    assert_int_equal(spotctl_type_arg(&a, "x", names, 3, true, "track", chosen), 3);
    assert_int_equal(chosen[0], 1); /* album first, as given, then the rest */
    assert_int_equal(chosen[1], 0);
    assert_int_equal(chosen[2], 2);
    spotctl_args_free(&a);
    free_argv(argv);
    assert_true(spotctl_args_parse(&a, type_opt, 1, 0, NULL));
    assert_int_equal(spotctl_type_arg(&a, "x", names, 3, true, "album", chosen), 1);
    assert_int_equal(chosen[0], 1);
    spotctl_args_free(&a);
}

/* Every operation the command table names exists (token's scope list). */
static void test_command_ops(void **state)
{
    (void)state;
    size_t named = 0;
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const char *ops = spotctl_commands[i].ops;
        for (const char *p = ops != NULL ? ops : ""; *p != '\0';) {
            char name[64];
            size_t len = strcspn(p, " ");
            snprintf(name, sizeof name, "%.*s", (int)len, p);
            if (spotify_operation_find(name) == NULL)
                fail_msg("%s: no operation %s", spotctl_commands[i].name, name);
            named++;
            p += len;
            p += *p == ' ';
        }
    }
    assert_true(named >= 50);
}

/* The body `api -f/-F` builds (gh's syntax, typed values). */
static void assert_body(const spotctl_field *fields, size_t n, const char *want)
{
    spotctl_buf b = {0};
    char why[256];
    bool ok = spotctl_json_body(&b, fields, n, why, sizeof why);
    if (!ok)
        fail_msg("%s", why);
    assert_string_equal(b.data, want);
    spotctl_buf_free(&b);
}

static void test_json_body(void **state)
{
    (void)state;
    const spotctl_field flat[] = {{"name", "Mix", true},   {"public", "false", true},
                                  {"n", "-1.5e3", true},   {"none", "null", true},
                                  {"id", "007x", true},    {"raw", "true", false},
                                  {"q", "a \"b\"\n", true}};
    assert_body(flat, 7,
                "{\"name\":\"Mix\",\"public\":false,\"n\":-1.5e3,\"none\":null,\"id\":\"007x\","
                "\"raw\":\"true\",\"q\":\"a \\\"b\\\"\\n\"}");
    const spotctl_field nested[] = {
        {"uris[]", "spotify:track:a", true},
        {"uris[]", "spotify:track:b", true},
        {"offset[position]", "5", true},
        {"items[][uri]", "u1", true},
        {"items[][pos]", "1", true},
        {"items[][uri]", "u2", true},
        {"empty[]", NULL, true},
    };
    assert_body(nested, 7,
                "{\"uris\":[\"spotify:track:a\",\"spotify:track:b\"],\"offset\":{\"position\":5},"
                "\"items\":[{\"uri\":\"u1\",\"pos\":1},{\"uri\":\"u2\"}],\"empty\":[]}");
    assert_body(NULL, 0, "{}");
    const spotctl_field twice[] = {{"a", "1", true}, {"a", "2", true}};
    const spotctl_field bad[] = {{"a[b", "1", true}};
    const spotctl_field mixed[] = {{"a", "1", true}, {"a[b]", "2", true}};
    const spotctl_field *fails[] = {twice, bad, mixed};
    const size_t counts[] = {2, 1, 2};
    for (size_t i = 0; i < 3; i++) {
        spotctl_buf b = {0};
        char why[256];
        assert_false(spotctl_json_body(&b, fails[i], counts[i], why, sizeof why));
        assert_true(why[0] != '\0');
        spotctl_buf_free(&b);
    }
    assert_true(spotctl_json_is_literal("0"));
    assert_false(spotctl_json_is_literal("01"));
    assert_false(spotctl_json_is_literal("1."));
    assert_false(spotctl_json_is_literal("True"));
}

/* Reading pages of raw JSON: members, arrays, strings, one-line output. */
static void test_json_scan(void **state)
{
    (void)state;
    const char *doc = "{ \"artists\" : {\"items\": [ {\"a\": \"x y\"} , 2, null ],\n"
                      "  \"next\": \"http:\\/\\/h\\/v1?after=\\u00e9\", \"total\": 3 } }";
    const char *end = doc + strlen(doc), *v, *v_end, *page, *page_end;
    assert_true(spotctl_json_member(doc, end, "artists", &page, &page_end));
    assert_false(spotctl_json_member(doc, end, "items", &v, &v_end));
    assert_true(spotctl_json_member(page, page_end, "next", &v, &v_end));
    char next[64];
    assert_true(spotctl_json_string(next, sizeof next, v, v_end));
    assert_string_equal(next, "http://h/v1?after=\xc3\xa9");
    assert_true(spotctl_json_member(page, page_end, "total", &v, &v_end));
    int64_t total = 0;
    assert_true(spotctl_json_int(v, v_end, &total));
    assert_int_equal(total, 3);
    assert_true(spotctl_json_member(page, page_end, "items", &v, &v_end));
    const char *cursor = v, *item, *item_end;
    const char *want[] = {"{\"a\":\"x y\"}", "2", "null"};
    size_t n = 0;
    while (spotctl_json_next(&cursor, v_end, NULL, NULL, &item, &item_end)) {
        spotctl_buf b = {0};
        assert_true(spotctl_json_compact(&b, item, item_end));
        assert_string_equal(b.data, want[n++]);
        spotctl_buf_free(&b);
    }
    assert_int_equal(n, 3);
    const char *cut = "[1, \"]"; /* a string that never ends */
    assert_null(spotctl_json_skip(cut, cut + strlen(cut)));
}

/* `api` takes a full URL only on the API base's origin and below its path. */
static void test_api_urls(void **state)
{
    (void)state;
    char path[256];
    const char *base = "https://api.spotify.com/v1";
    assert_true(spotctl_api_path_of_url(path, sizeof path,
                                        "https://api.spotify.com/v1/me/tracks?offset=20", base));
    assert_string_equal(path, "/me/tracks?offset=20");
    assert_true(
        spotctl_api_path_of_url(path, sizeof path, "HTTPS://API.Spotify.com:443/v1/me#x", base));
    assert_string_equal(path, "/me");
    const char *refused[] = {
        "http://api.spotify.com/v1/me",       "https://api.spotify.com:8443/v1/me",
        "https://api.spotify.com.evil/v1/me", "https://evil.example/v1/me",
        "https://api.spotify.com/v10/me",     "https://api.spotify.com/me",
        "https://user@api.spotify.com/v1/me", "https://api.spotify.com",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        if (spotctl_api_path_of_url(path, sizeof path, refused[i], base))
            fail_msg("%s was accepted", refused[i]);
    assert_true(spotctl_api_path_of_url(path, sizeof path, "http://127.0.0.1:8/v1/x",
                                        "http://127.0.0.1:8/v1"));
    spotctl_env env;
    memset(&env, 0, sizeof env);
    spotctl_api_base(path, sizeof path, &env);
    assert_string_equal(path, "https://api.spotify.com/v1");
    env.api_base = "http://127.0.0.1:9/v1//";
    spotctl_api_base(path, sizeof path, &env);
    assert_string_equal(path, "http://127.0.0.1:9/v1");
}

/* The window of --parallel (the runner itself: test_spotctl_parallel). */
static void test_parallel_window(void **state)
{
    (void)state;
    assert_int_equal(spotctl_parallel_window(1), 1);
    assert_int_equal(spotctl_parallel_window(16), 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_args),
        cmocka_unit_test(test_cache_location),
        cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_clean_controls),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_progress_and_trace),
        cmocka_unit_test(test_parallel_window),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_json_body),
        cmocka_unit_test(test_command_ops),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_positions_and_times),
        cmocka_unit_test(test_consistency),
        cmocka_unit_test(test_json_scan),
        cmocka_unit_test(test_api_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
