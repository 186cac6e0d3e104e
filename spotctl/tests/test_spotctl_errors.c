/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_errors.c - every error path of spotctl with its exit code and
 * message: not logged in, unknown and invalid IDs, rate limit exhausted,
 * server errors, server down, bad --data, usage errors, unsupported token
 * stores; and no secret in any of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "cli.h"
#include "test_server.h"

#define F cli_fx

#define RUN(r, ...) assert_true(cli_run(&(r), &F, __VA_ARGS__, NULL))
#define RUN_APP(r, ...) assert_true(cli_run_app(&(r), &F, __VA_ARGS__, NULL))

static void test_not_logged_in(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "me");
    cli_assert_fails(&r, 3, "spotctl: auth: not logged in");
    assert_non_null(strstr(r.err, "hint: run `spotctl login`"));
    cli_result_free(&r);
    /* catalogue commands without app credentials either */
    RUN(r, "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h");
    cli_assert_fails(&r, 3, "spotctl: auth: not logged in and no app credentials");
    assert_non_null(strstr(r.err, "SPOTIFY_SDK_CLIENT_ID"));
    cli_result_free(&r);
    /* app credentials do not make a user */
    RUN_APP(r, "library", "list");
    cli_assert_fails(&r, 3, "spotctl: auth: not logged in: this command needs a Spotify user");
    cli_result_free(&r);
    RUN(r, "token", "--raw");
    cli_assert_fails(&r, 3, "spotctl: auth:");
    cli_result_free(&r);
    assert_int_equal(emulator_total_count(&F.emu), 0);
}

static void test_login_needs_client_id(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "login");
    cli_assert_fails(&r, 3, "spotctl: config: SPOTIFY_SDK_CLIENT_ID is not set");
    assert_non_null(strstr(r.err, "developer.spotify.com/dashboard"));
    cli_result_free(&r);
}

static void test_saved_login_needs_secret(void **state)
{
    (void)state;
    const char *env[] = {"SPOTIFY_SDK_CLIENT_SECRET=", NULL};
    const char *argv[] = {"me", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &F, env, NULL, argv));
    cli_assert_fails(&r, 3,
                     "spotctl: config: the saved login is refreshed with the app's client "
                     "secret");
    assert_non_null(strstr(r.err, "--pkce"));
    cli_result_free(&r);
}

static void test_revoked_login(void **state)
{
    (void)state;
    /* an expired access token whose refresh token the emulator never issued */
    memset(F.access, 0, sizeof F.access);
    spotify_token t = {0};
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_file_new(&cache, F.cache, NULL), SPOTIFY_OK);
    spotify_token_set_field(&t.access_token, "expired-access", NULL);
    spotify_token_set_field(&t.refresh_token, "unknown-refresh", NULL);
    spotify_token_set_field(&t.client_id, "demo-client", NULL);
    t.flow = SPOTIFY_FLOW_AUTHORIZATION_CODE;
    t.expires_at = 1000;
    assert_int_equal(spotify_token_cache_store(cache, &t, NULL), SPOTIFY_OK);
    spotify_token_clear(&t);
    spotify_token_cache_free(cache);
    cli_result r;
    RUN(r, "me");
    cli_assert_fails(&r, 3, "spotctl: auth:");
    assert_null(strstr(r.err, "unknown-refresh"));
    assert_non_null(strstr(r.err, "hint: run `spotctl login`"));
    cli_result_free(&r);
}

static void test_unknown_id(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "albums", "get", "0000000000000000000000");
    cli_assert_fails(&r, 4, "spotctl: not found: 0000000000000000000000:");
    assert_non_null(strstr(r.err, "Non existing id"));
    cli_result_free(&r);
    /* the others are still printed, the exit code is the failure's */
    RUN(r, "--json", "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h", "0000000000000000000000",
        "7ycBtnsMtyVbbwTfJwRjSP");
    assert_int_equal(r.status, 4);
    assert_int_equal(cli_lines(r.out), 2);
    assert_non_null(strstr(r.err, "spotctl: not found:"));
    cli_result_free(&r);
}

static void test_invalid_id(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h", "not-an-id");
    cli_assert_fails(&r, 4, "spotctl: invalid argument: not-an-id:");
    cli_result_free(&r);
    RUN(r, "tracks", "get", "spotify:album:4EcfbzCtbJDk2wMwhT4D1h");
    cli_assert_fails(&r, 4, "spotctl: invalid argument:");
    assert_non_null(strstr(r.err, "expected a track"));
    cli_result_free(&r);
    RUN(r, "--market", "zz", "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h");
    cli_assert_fails(&r, 4, "spotctl: invalid argument: market: \"ZZ\"");
    cli_result_free(&r);
    RUN(r, "library", "save", "4EcfbzCtbJDk2wMwhT4D1h");
    cli_assert_fails(&r, 4, "spotctl: invalid argument: 4EcfbzCtbJDk2wMwhT4D1h: a bare ID");
    cli_result_free(&r);
    /* nothing was sent: every ID is checked first */
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/albums/{id}", 200), 0);
}

static void test_rate_limit_exhausted(void **state)
{
    (void)state;
    /* a Retry-After beyond what the retry policy waits */
    assert_true(
        cli_fault(&F, "{\"route\":\"/v1/albums/{id}\",\"status\":429,\"retry_after\":600}"));
    cli_result r;
    RUN(r, "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h");
    cli_assert_fails(&r, 5, "spotctl: rate limit:");
    assert_non_null(strstr(r.err, "retry after: 600 s"));
    cli_result_free(&r);
}

static void test_server_errors(void **state)
{
    (void)state;
    assert_true(cli_fault(&F, "{\"route\":\"/v1/me\",\"status\":503,\"count\":4}"));
    cli_result r;
    RUN(r, "me");
    cli_assert_fails(&r, 6, "spotctl: server:");
    cli_result_free(&r);
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/me", 503), 4); /* 3 retries */
}

static void test_server_down(void **state)
{
    (void)state;
    const char *env[] = {"SPOTIFY_SDK_API_BASE_URL=http://127.0.0.1:1/v1", NULL};
    const char *argv[] = {"me", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &F, env, NULL, argv));
    cli_assert_fails(&r, 6, "spotctl: transport:");
    assert_non_null(strstr(r.err, "hint: check the network"));
    cli_result_free(&r);
}

static void test_bad_data(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "api", "POST", "/me/playlists", "--data", "{\"name\":");
    cli_assert_fails(&r, 4, "spotctl: invalid argument: --data is not valid JSON");
    cli_result_free(&r);
    RUN(r, "api", "POST", "/me/playlists", "--data", "@/nonexistent/body.json");
    cli_assert_fails(&r, 1, "spotctl: I/O");
    cli_result_free(&r);
    /* Spotify refuses a body it does not like: 400 */
    RUN(r, "api", "POST", "/me/playlists", "--data", "{\"public\":true}");
    cli_assert_fails(&r, 4, "spotctl: bad request:");
    cli_result_free(&r);
    assert_int_equal(emulator_route_count(&F.emu, "POST", "/v1/me/playlists", 400), 1);
}

/* A login without a scope a command needs: refused before anything is
 * sent, naming the scope, with the `login --add-scope` that adds it (the
 * login keeps what it has). */
static void test_forbidden_scope(void **state)
{
    (void)state;
    assert_true(cli_login(&F, "user-read-private ugc-image-upload", 3600));
    cli_result r;
    RUN(r, "library", "list");
    cli_assert_fails(&r, 4, "spotctl: forbidden:");
    assert_non_null(strstr(r.err, "lacks scope user-library-read"));
    if (strstr(r.err, "hint: the login lacks scope user-library-read: run "
                      "`spotctl login --add-scope user-library-read`\n") == NULL)
        fail_msg("no scope hint: %s", r.err);
    cli_result_free(&r);
    assert_int_equal(emulator_total_count(&F.emu), 0);
}

/* `api` to an operation needing a scope the login lacks: Spotify's 403
 * names no scope, spotctl finds it from the operation table and names it
 * with the `login --add-scope` that adds it. */
static void test_forbidden_scope_api(void **state)
{
    (void)state;
    assert_true(cli_login(&F, "user-read-private user-read-email user-library-read", 3600));
    cli_result r;
    RUN(r, "api", "GET", "/me/top/artists", "--query", "limit=5");
    cli_assert_fails(&r, 4, "spotctl: forbidden: GET /v1/me/top/artists: HTTP 403");
    if (strstr(r.err, "hint: the login lacks scope user-top-read: run `spotctl login --add-scope "
                      "user-top-read`\n") == NULL)
        fail_msg("no scope hint: %s", r.err);
    cli_result_free(&r);
}

/* A 403 that is not about a scope gets no login hint: logging in again
 * cannot help ("Restriction violated": pausing what is paused; another
 * user's playlist). */
static void test_forbidden_not_scope(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "player", "play", "--device", "c9e6d58e1e96618c277d7782000dd0831a967a2d");
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
    RUN(r, "player", "pause");
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
    RUN(r, "player", "pause");
    cli_assert_fails(&r, 4, "spotctl: forbidden: PUT /v1/me/player/pause: HTTP 403");
    assert_non_null(strstr(r.err, "Restriction violated"));
    assert_null(strstr(r.err, "login"));
    assert_null(strstr(r.err, "scope"));
    cli_result_free(&r);
    RUN(r, "api", "PUT", "/me/player/pause");
    cli_assert_fails(&r, 4, "spotctl: forbidden:");
    assert_null(strstr(r.err, "login"));
    cli_result_free(&r);
}

static void test_player_without_device(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "player", "pause");
    cli_assert_fails(&r, 4, "spotctl: not found:");
    assert_non_null(strstr(r.err, "--device"));
    cli_result_free(&r);
}

static void test_usage(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "frobnicate");
    cli_assert_fails(&r, 2, "spotctl: usage: unknown command 'frobnicate'");
    cli_result_free(&r);
    RUN(r, "albums", "frobnicate");
    cli_assert_fails(&r, 2, "spotctl: usage: unknown command 'albums frobnicate'");
    cli_result_free(&r);
    RUN(r, "albums", "get", "--nope", "x");
    cli_assert_fails(&r, 2, "spotctl: usage: unknown option --nope");
    assert_non_null(strstr(r.err, "spotctl albums get --help"));
    cli_result_free(&r);
    RUN(r, "albums", "get");
    cli_assert_fails(&r, 2, "spotctl: usage: give at least one ID");
    cli_result_free(&r);
    RUN(r, "albums", "get", "x", "--parallel", "0");
    cli_assert_fails(&r, 2, "spotctl: usage: --parallel must be between 1 and 64");
    cli_result_free(&r);
    RUN(r, "player", "volume", "101");
    cli_assert_fails(&r, 2, "spotctl: usage:");
    cli_result_free(&r);
    RUN(r, "search", "x", "--type", "song");
    cli_assert_fails(&r, 2, "spotctl: usage: --type: \"song\" is not one of");
    cli_result_free(&r);
    RUN(r, "api", "PATCH", "/me");
    cli_assert_fails(&r, 2, "spotctl: usage: METHOD must be");
    cli_result_free(&r);
    RUN(r, "export", "everything");
    cli_assert_fails(&r, 2, "spotctl: usage:");
    cli_result_free(&r);
    RUN(r, "--cache");
    assert_int_equal(r.status, 2);
    cli_result_free(&r);
    assert_int_equal(emulator_total_count(&F.emu), 0);
}

/* A --cache (or SPOTCTL_CACHE) with a URL scheme spotctl does not know is a
 * usage error naming the schemes it does, and nothing is created for it
 * (it used to become the relative directory "memcached:/..."); a path
 * that merely holds a colon stays a file path. */
static void test_unknown_cache_scheme(void **state)
{
    (void)state;
    struct stat st;
    cli_result r;
    RUN(r, "--cache", "memcached://:pw@127.0.0.1:11211/x", "me");
    cli_assert_fails(&r, 2, "spotctl: usage: --cache: memcached:// is not a token store");
    assert_non_null(strstr(r.err, "redis://, rediss://, redis-sentinel:// or unix://"));
    assert_null(strstr(r.err, "pw@"));
    cli_result_free(&r);
    assert_int_not_equal(stat("memcached:", &st), 0);
    const char *env[] = {"SPOTCTL_CACHE=Redis-Sentinel-X://127.0.0.1:26379/mymaster", NULL};
    assert_true(cli_runv(&r, &F, env, NULL, (const char *const[]){"token", NULL}));
    cli_assert_fails(&r, 2,
                     "spotctl: usage: SPOTCTL_CACHE: Redis-Sentinel-X:// is not a token store");
    cli_result_free(&r);
    assert_int_not_equal(stat("Redis-Sentinel-X:", &st), 0);
    assert_int_equal(emulator_total_count(&F.emu), 0);

    char colon[400];
    snprintf(colon, sizeof colon, "%s/a:b", F.dir);
    assert_int_equal(mkdir(colon, 0700), 0);
    snprintf(colon, sizeof colon, "%s/a:b/token.json", F.dir);
    RUN(r, "--cache", colon, "logout");
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
}

/* A Redis store needs the app id (its keys are per app); without
 * spotify-sdk-redis in the build it is a config error. The rest of
 * --cache redis://: test_spotctl_redis. */
static void test_redis_store_config(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "--cache", "redis://127.0.0.1:6379/0", "me");
#ifdef SPOTCTL_TEST_HAVE_REDIS
    cli_assert_fails(&r, 3,
                     "spotctl: config: a Redis token store is kept per app: set "
                     "SPOTIFY_SDK_CLIENT_ID");
#else
    cli_assert_fails(&r, 3, "spotctl: config: this spotctl was built without Redis support");
#endif
    cli_result_free(&r);
}

static void write_bytes(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
}

/* A child that writes `total` bytes of `pair` (2 bytes) repeated into the
 * FIFO `path` (made here, in the fixture's directory), then closes it: a
 * stream with no size to look at. */
static pid_t stream_fifo(const char *path, size_t total, const char *pair)
{
    assert_int_equal(mkfifo(path, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        int fd = open(path, O_WRONLY);
        char chunk[65536];
        for (size_t i = 0; i < sizeof chunk; i += 2)
            memcpy(chunk + i, pair, 2);
        for (size_t sent = 0; fd >= 0 && sent < total;) {
            size_t n = total - sent < sizeof chunk ? total - sent : sizeof chunk;
            ssize_t w = write(fd, chunk, n);
            if (w <= 0)
                _exit(0); /* the reader stopped reading */
            sent += (size_t)w;
        }
        _exit(0);
    }
    return pid;
}

/* Releases a writer still waiting for a reader, and collects it. */
static void stream_done(const char *path, pid_t pid)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd >= 0)
        close(fd);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    unlink(path);
}

/* --ids-file and --data @FILE: binary input (a NUL byte) is refused, not
 * cut at the NUL; a stream longer than 16 MiB is refused as soon as the
 * limit is passed. Nothing is sent. */
static void test_input_limits(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof path, "%s/ids.txt", F.dir);
    write_bytes(path, "4EcfbzCtbJDk2wMwhT4D1h\nabc\0def\n", 31);
    cli_result r;
    RUN(r, "albums", "get", "--ids-file", path);
    cli_assert_fails(&r, 4, "spotctl: invalid argument: --ids-file ");
    assert_non_null(strstr(r.err, "binary input (a NUL byte at offset 26)"));
    cli_result_free(&r);
    char zeros[4096] = {0};
    write_bytes(path, zeros, sizeof zeros);
    RUN(r, "tracks", "get", "--ids-file", path);
    cli_assert_fails(&r, 4, "spotctl: invalid argument: --ids-file ");
    assert_non_null(strstr(r.err, "binary input"));
    cli_result_free(&r);
    char data[420];
    snprintf(data, sizeof data, "@%s", path);
    write_bytes(path, "{\"name\":\"a\0b\"}", 13);
    RUN(r, "api", "POST", "/me/playlists", "--data", data);
    cli_assert_fails(&r, 4, "spotctl: invalid argument: --data @");
    assert_non_null(strstr(r.err, "binary input"));
    cli_result_free(&r);

    snprintf(path, sizeof path, "%s/stream", F.dir);
    snprintf(data, sizeof data, "@%s", path);
    pid_t writer = stream_fifo(path, ((size_t)17 << 20), "x\n");
    RUN(r, "albums", "get", "--ids-file", path);
    stream_done(path, writer);
    cli_assert_fails(&r, 4, "spotctl: invalid argument: --ids-file ");
    assert_non_null(strstr(r.err, "larger than 16 MiB"));
    cli_result_free(&r);
    writer = stream_fifo(path, ((size_t)17 << 20), "x\n");
    RUN(r, "api", "POST", "/me/playlists", "--data", data);
    stream_done(path, writer);
    cli_assert_fails(&r, 4, "spotctl: invalid argument: --data @");
    assert_non_null(strstr(r.err, "larger than 16 MiB"));
    cli_result_free(&r);
    assert_int_equal(emulator_total_count(&F.emu), 0);

    /* exactly the limit is read (one #comment line: no ID, a usage error) */
    writer = stream_fifo(path, ((size_t)16 << 20), "##");
    RUN(r, "albums", "get", "--ids-file", path);
    stream_done(path, writer);
    cli_assert_fails(&r, 2, "spotctl: usage: give at least one ID");
    cli_result_free(&r);
}

/* A 3xx is an error (exit 6) naming the status and where it points, for
 * `api` and the typed commands alike; redirects are not followed (the
 * bearer token stays with the API host). The "API" here is a local HTTP
 * server answering 301/302/307. */
static void test_redirect(void **state)
{
    (void)state;
    test_server *server = test_server_start();
    char api[256], env_api[300];
    snprintf(api, sizeof api, "%s/v1", test_server_url(server));
    snprintf(env_api, sizeof env_api, "SPOTIFY_SDK_API_BASE_URL=%s", api);
    const char *env[] = {env_api, NULL};
    test_response moved = {.status = 302,
                           .body = "",
                           .content_type = "text/html",
                           .headers = {"Location: https://elsewhere.example/v1/me"}};
    test_server_set_default(server, "/v1/me", &moved);
    const char *api_get[] = {"api", "GET", "/me", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &F, env, NULL, api_get));
    cli_assert_fails(&r, 6,
                     "spotctl: protocol: GET /v1/me: HTTP 302, a redirect to "
                     "https://elsewhere.example/v1/me");
    assert_null(strstr(r.err, "spotctl login"));
    cli_result_free(&r);
    assert_int_equal(test_server_count(server, "/v1/me"), 1); /* not retried */

    const char *me[] = {"me", NULL};
    assert_true(cli_runv(&r, &F, env, NULL, me));
    cli_assert_fails(&r, 6, "spotctl: protocol: GET /v1/me: HTTP 302, a redirect to https://");
    cli_result_free(&r);

    test_response bare = {.status = 307, .body = "{}"};
    test_server_set_default(server, "/v1/me/player/pause", &bare);
    const char *put[] = {"api", "PUT", "/me/player/pause", NULL};
    assert_true(cli_runv(&r, &F, env, NULL, put));
    cli_assert_fails(&r, 6,
                     "spotctl: protocol: PUT /v1/me/player/pause: HTTP 307, a redirect to "
                     "nowhere (no Location header)");
    cli_result_free(&r);
    test_server_stop(server);
}

/* The token endpoint is hostile or busy (a local HTTP server answering
 * /api/token for an app-credentials command): a token with a line break is
 * an auth error (exit 3) and no API request carries it; a 429 keeps its
 * Retry-After, printed as `retry after:` (exit 5). */
static void test_token_endpoint_answers(void **state)
{
    (void)state;
    test_server *server = test_server_start();
    char env_accounts[300], env_api[300];
    snprintf(env_accounts, sizeof env_accounts, "SPOTIFY_SDK_ACCOUNTS_BASE_URL=%s",
             test_server_url(server));
    snprintf(env_api, sizeof env_api, "SPOTIFY_SDK_API_BASE_URL=%s/v1", test_server_url(server));
    const char *env[] = {env_accounts, env_api, "SPOTIFY_SDK_CLIENT_ID=demo-client",
                         "SPOTIFY_SDK_CLIENT_SECRET=demo-secret", NULL};
    test_response injecting = {
        .status = 200,
        .body = "{\"access_token\":\"abc\\r\\nX-Injected: 1\",\"token_type\":\"Bearer\","
                "\"expires_in\":3600}"};
    test_server_enqueue(server, "/api/token", &injecting);
    const char *get[] = {"albums", "get", "7ycBtnsMtyVbbwTfJwRjSP", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &F, env, NULL, get));
    cli_assert_fails(&r, 3, "spotctl: auth: ");
    assert_non_null(strstr(r.err, "RFC 6750"));
    assert_null(strstr(r.err, "X-Injected"));
    cli_result_free(&r);
    assert_int_equal(test_server_count(server, "/v1/albums/7ycBtnsMtyVbbwTfJwRjSP"), 0);

    test_response limited = {
        .status = 429, .body = "{\"error\":\"rate_limited\"}", .headers = {"Retry-After: 120"}};
    test_server_set_default(server, "/api/token", &limited);
    assert_true(cli_runv(&r, &F, env, NULL, get));
    cli_assert_fails(&r, 5, "spotctl: rate limit: ");
    assert_non_null(strstr(r.err, "retry after: 120 s"));
    cli_result_free(&r);
    test_server_stop(server);
}

/* The token file follows --out's rules (the SDK replaces it the same way):
 * a symlink is followed and stays a link when the token is refreshed; a
 * directory is refused before anything is sent. */
static void test_token_file_kinds(void **state)
{
    (void)state;
    char real[400], link[400];
    snprintf(real, sizeof real, "%s/real-token.json", F.dir);
    snprintf(link, sizeof link, "%s/link-token.json", F.dir);
    assert_int_equal(rename(F.cache, real), 0);
    assert_int_equal(symlink("real-token.json", link), 0);
    char env_cache[500];
    snprintf(env_cache, sizeof env_cache, "SPOTCTL_CACHE=%s", link);
    const char *env[] = {env_cache, NULL};
    const char *argv[] = {"token", "--refresh", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &F, env, NULL, argv));
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    cli_result_free(&r);
    struct stat sb;
    assert_int_equal(lstat(link, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_int_equal(lstat(real, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(sb.st_mode & 0777, 0600);
    char *saved = cli_read_file(real);
    assert_non_null(saved);
    assert_null(strstr(saved, F.access)); /* refreshed into the target */
    free(saved);
    unlink(link);
    unlink(real);

    int before = emulator_total_count(&F.emu);
    RUN(r, "--cache", F.dir, "me");
    cli_assert_fails(&r, 3, "spotctl: config: the token file");
    assert_non_null(strstr(r.err, "not a regular file"));
    cli_result_free(&r);
    assert_int_equal(emulator_total_count(&F.emu), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_not_logged_in, cli_setup_fresh),
        cmocka_unit_test_setup(test_login_needs_client_id, cli_setup_fresh),
        cmocka_unit_test_setup(test_saved_login_needs_secret, cli_setup_logged_in),
        cmocka_unit_test_setup(test_revoked_login, cli_setup_fresh),
        cmocka_unit_test_setup(test_unknown_id, cli_setup_logged_in),
        cmocka_unit_test_setup(test_invalid_id, cli_setup_logged_in),
        cmocka_unit_test_setup(test_rate_limit_exhausted, cli_setup_logged_in),
        cmocka_unit_test_setup(test_server_errors, cli_setup_logged_in),
        cmocka_unit_test_setup(test_server_down, cli_setup_logged_in),
        cmocka_unit_test_setup(test_token_endpoint_answers, cli_setup_fresh),
        cmocka_unit_test_setup(test_bad_data, cli_setup_logged_in),
        cmocka_unit_test_setup(test_forbidden_scope, cli_setup_fresh),
        cmocka_unit_test_setup(test_forbidden_scope_api, cli_setup_logged_in),
        cmocka_unit_test_setup(test_forbidden_not_scope, cli_setup_logged_in),
        cmocka_unit_test_setup(test_player_without_device, cli_setup_logged_in),
        cmocka_unit_test_setup(test_usage, cli_setup_fresh),
        cmocka_unit_test_setup(test_redis_store_config, cli_setup_fresh),
        cmocka_unit_test_setup(test_unknown_cache_scheme, cli_setup_fresh),
        cmocka_unit_test_setup(test_token_file_kinds, cli_setup_logged_in),
        cmocka_unit_test_setup(test_input_limits, cli_setup_logged_in),
        cmocka_unit_test_setup(test_redirect, cli_setup_logged_in),
    };
    return CLI_RUN_GROUP(tests);
}
