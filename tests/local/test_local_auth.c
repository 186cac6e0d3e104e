/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_local_auth.c - spotify_authorize_local against spotify-emulator (the
 * consent page, not auto-approve) with a scripted browser (fake_browser) as
 * $BROWSER or driven from the URL handler: both providers, deny, a forged
 * callback, a callback without code, a wrong path, timeout, cancel, a taken
 * port, every invalid redirect URI, $BROWSER fallbacks, the async guard, 200
 * idle connections on the callback port; and the async variant on a
 * self-driven context (success, login started from a completion callback,
 * deny, forged state, timeout, cancel, free, idle connections, port in use).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <spotify/local_auth.h>
#include <spotify/spotify.h>

#include "auth/local_auth.h"
#include "core/loop_guard.h"
#include "emulator_fixture.h"

extern char **environ;

static char log_path[512];

/* ---- helpers ---- */

static int free_port(int family)
{
    int fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    }
    int port = -1;
    if (bind(fd, (struct sockaddr *)&ss, len) == 0 &&
        getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                        : ((struct sockaddr_in *)&ss)->sin_port);
    close(fd);
    return port;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static spotify_auth *provider(const char *client, const char *secret, const char *redirect)
{
    spotify_auth_options o = SPOTIFY_AUTH_OPTIONS_INIT;
    o.client_id = client;
    o.client_secret = secret;
    o.redirect_uri = redirect;
    o.scope = "user-read-private user-read-email";
    o.accounts_base_url = test_emu.base_url;
    spotify_auth *auth = NULL;
    spotify_error err = {0};
    spotify_status st = secret != NULL ? spotify_auth_code_new(&auth, &o, &err)
                                       : spotify_auth_pkce_new(&auth, &o, &err);
    if (st != SPOTIFY_OK)
        fail_msg("provider: %s", err.message);
    return auth;
}

static spotify_auth *pkce_on_port(char *redirect, size_t size, const char *host, int port)
{
    snprintf(redirect, size, "http://%s:%d/callback", host, port);
    return provider("demo-public", NULL, redirect);
}

/* The fake browser's log, "" when empty. */
static char *log_read(void)
{
    static char buf[4096];
    buf[0] = '\0';
    FILE *f = fopen(log_path, "r");
    if (f != NULL) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    return buf;
}

/* Whether the fake browser's log comes to contain `needle`. The browser is
 * a separate process that logs after it has read the result page, which can
 * be just after the login returned: wait for it, up to 10 s. */
static bool log_shows(const char *needle)
{
    for (int waited_ms = 0; waited_ms < 10000; waited_ms += 20) {
        if (strstr(log_read(), needle) != NULL)
            return true;
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return false;
}

/* $BROWSER: two entries that fail (one cannot start, one exits 1), then
 * the fake browser approving. */
static void use_browser_list_failing_first(void)
{
    char list[512];
    snprintf(list, sizeof list, "/nonexistent/browser:false %%s:%s", FAKE_BROWSER_PATH);
    setenv("BROWSER", list, 1);
    setenv("FAKE_BROWSER_MODE", "approve", 1);
}

static void use_fake_browser(const char *mode)
{
    setenv("BROWSER", FAKE_BROWSER_PATH, 1);
    setenv("FAKE_BROWSER_MODE", mode, 1);
}

/* GET /v1/me through a client on `auth`. */
static spotify_status call_me(spotify_auth *auth)
{
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = test_api_base;
    opts.auth = auth;
    spotify_client *client = NULL;
    assert_int_equal(spotify_client_new(&client, &opts, NULL), SPOTIFY_OK);
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    spotify_response *response = NULL;
    spotify_status st = spotify_client_send(&response, client, &request, NULL);
    spotify_response_free(response);
    spotify_client_free(client);
    return st;
}

/* A URL handler that runs fake_browser to completion (no_browser set). */
static void run_fake_browser(const char *url, void *user)
{
    (void)user;
    char path[] = FAKE_BROWSER_PATH;
    char *copy = strdup(url);
    char *argv[] = {path, copy, NULL};
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, FAKE_BROWSER_PATH, NULL, NULL, argv, environ), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    free(copy);
}

/* A URL handler that keeps the URL. */
static void keep_url(const char *url, void *user)
{
    snprintf(user, 4096, "%s", url);
}

/* True when a new listener can take the port (SO_REUSEADDR: connections the
 * server closed may sit in TIME_WAIT, which does not block a listener). */
static bool port_is_free(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 1) == 0;
    close(fd);
    return ok;
}

/* Idle connections to the callback port: opened by the URL handler (the
 * server listens, the browser is not started yet), never sending a byte. */
#define IDLE_CONNECTIONS 200
typedef struct idle_connections {
    int port;
    int fds[IDLE_CONNECTIONS];
    int opened;
} idle_connections;

static void open_idle_connections(const char *url, void *user)
{
    (void)url;
    idle_connections *idle = user;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)idle->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < IDLE_CONNECTIONS; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
            idle->fds[idle->opened++] = fd;
        else if (fd >= 0)
            close(fd);
    }
}

static void close_idle_connections(idle_connections *idle)
{
    for (int i = 0; i < idle->opened; i++)
        close(idle->fds[i]);
    idle->opened = 0;
}

/* Login options whose URL handler opens the idle connections, with a 20 s
 * timeout and the fake browser approving. */
static spotify_local_auth_options idle_flood_options(idle_connections *idle)
{
    use_fake_browser("approve");
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 20000;
    lo.url_handler = open_idle_connections;
    lo.url_handler_user = idle;
    return lo;
}

/* After a login started at `t0` under the flood: closes the connections,
 * then requires that every one had been opened and the login succeeded
 * well before its 20 s timeout (the failure mode). */
static void idle_flood_end(idle_connections *idle, int64_t t0, spotify_status st,
                           const char *message)
{
    int64_t took = now_ms() - t0;
    int opened = idle->opened;
    close_idle_connections(idle);
    if (st != SPOTIFY_OK)
        fail_msg("login: %s (%s)", message, log_read());
    assert_int_equal(opened, IDLE_CONNECTIONS);
    assert_true(took < 10000);
}

/* Log lines go here to check that nothing secret is logged. */
static char logged[16384];
static void log_handler(spotify_log_level level, const char *message, void *user)
{
    (void)level;
    (void)user;
    size_t n = strlen(logged);
    snprintf(logged + n, sizeof logged - n, "%s\n", message);
}

/* ---- fixtures ---- */

static int group_setup(void **state)
{
    (void)state;
    if (test_emu_start(NULL) != 0)
        return -1;
    snprintf(log_path, sizeof log_path, "%s/fake_browser.log", test_emu.dir);
    setenv("FAKE_BROWSER_LOG", log_path, 1);
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    return 0;
}

static int group_teardown(void **state)
{
    unlink(log_path);
    return test_emu_group_teardown(state);
}

static int reset(void **state)
{
    unlink(log_path);
    unsetenv("BROWSER");
    unsetenv("FAKE_BROWSER_MODE");
    logged[0] = '\0';
    return test_emu_reset(state);
}

static spotify_local_auth_options quick_options(void)
{
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 1000;
    return lo;
}

/* ---- success ---- */

static void test_pkce_success_via_browser_env(void **state)
{
    (void)state;
    char redirect[128];
    int port = free_port(AF_INET);
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", port);
    use_fake_browser("approve");
    spotify_log_set_handler(log_handler, NULL, SPOTIFY_LOG_DEBUG);
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 10000;
    lo.state = "my-state-0123456789";
    spotify_token token = {0};
    spotify_error err = {0};
    spotify_status st = spotify_authorize_local(&token, auth, &lo, &err);
    spotify_log_set_handler(NULL, NULL, SPOTIFY_LOG_ERROR);
    if (st != SPOTIFY_OK)
        fail_msg("authorize_local: %s (%s)", err.message, log_read());
    assert_non_null(token.access_token);
    assert_non_null(token.refresh_token);
    assert_int_equal(token.flow, SPOTIFY_FLOW_PKCE);
    /* Cached in the provider: the same token, no second request. */
    spotify_token cached = {0};
    assert_int_equal(spotify_auth_token_get(&cached, auth, NULL), SPOTIFY_OK);
    assert_string_equal(cached.access_token, token.access_token);
    assert_int_equal(emulator_grant_count(&test_emu, "authorization_code"), 1); /* PKCE verified */
    assert_int_equal(call_me(auth), SPOTIFY_OK);
    /* The browser got the success page, with no code or state on it. */
    assert_true(log_shows("callback ok 200"));
    assert_null(strstr(log_read(), "leak"));
    /* Nothing secret logged; the port is released. */
    assert_null(strstr(logged, "my-state-0123456789"));
    assert_null(strstr(logged, token.access_token));
    assert_true(port_is_free(port));
    spotify_token_clear(&cached);
    spotify_token_clear(&token);
    spotify_auth_free(auth);
}

static void test_code_flow_success_via_handler(void **state)
{
    (void)state;
    char redirect[128];
    snprintf(redirect, sizeof redirect, "http://127.0.0.1:%d/cb/path", free_port(AF_INET));
    spotify_auth *auth = provider("demo-client", "demo-secret", redirect);
    setenv("FAKE_BROWSER_MODE", "approve", 1);
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 10000;
    lo.no_browser = true;
    lo.url_handler = run_fake_browser;
    spotify_error err = {0};
    spotify_status st = spotify_authorize_local(NULL, auth, &lo, &err);
    if (st != SPOTIFY_OK)
        fail_msg("authorize_local: %s (%s)", err.message, log_read());
    spotify_token cached = {0};
    assert_int_equal(spotify_auth_token_get(&cached, auth, NULL), SPOTIFY_OK);
    assert_int_equal(cached.flow, SPOTIFY_FLOW_AUTHORIZATION_CODE);
    assert_non_null(cached.refresh_token);
    assert_int_equal(emulator_grant_count(&test_emu, "authorization_code"), 1);
    assert_int_equal(call_me(auth), SPOTIFY_OK);
    spotify_token_clear(&cached);
    spotify_auth_free(auth);
}

static void test_localhost_and_ipv6_redirects(void **state)
{
    (void)state;
    const char *hosts[] = {"localhost", "[::1]"};
    for (size_t i = 0; i < 2; i++) {
        int port = free_port(i == 0 ? AF_INET : AF_INET6);
        if (port < 0) {
            print_message("skipping %s: no loopback address for it\n", hosts[i]);
            continue;
        }
        char redirect[128];
        spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, hosts[i], port);
        use_fake_browser("approve");
        spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
        lo.timeout_ms = 10000;
        spotify_error err = {0};
        spotify_status st = spotify_authorize_local(NULL, auth, &lo, &err);
        if (st != SPOTIFY_OK)
            fail_msg("%s: %s (%s)", hosts[i], err.message, log_read());
        spotify_auth_free(auth);
    }
}

static void test_wrong_path_404_then_success(void **state)
{
    (void)state;
    char redirect[128];
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", free_port(AF_INET));
    use_fake_browser("wrongpath");
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 10000;
    spotify_error err = {0};
    spotify_status st = spotify_authorize_local(NULL, auth, &lo, &err);
    if (st != SPOTIFY_OK)
        fail_msg("authorize_local: %s (%s)", err.message, log_read());
    assert_true(log_shows("wrongpath 404"));
    assert_true(log_shows("callback ok 200"));
    spotify_auth_free(auth);
}

static void test_browser_list_first_entry_fails(void **state)
{
    (void)state;
    char redirect[128];
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", free_port(AF_INET));
    use_browser_list_failing_first();
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 10000;
    spotify_error err = {0};
    spotify_status st = spotify_authorize_local(NULL, auth, &lo, &err);
    if (st != SPOTIFY_OK)
        fail_msg("authorize_local: %s (%s)", err.message, log_read());
    assert_int_equal(emulator_grant_count(&test_emu, "authorization_code"), 1);
    spotify_auth_free(auth);
}

/* The launcher in steps (what the async helper uses): start never waits for
 * a command, poll never waits either and moves down the list. */
static void test_browser_launch_steps(void **state)
{
    (void)state;
    spotify__browser_launch l;
    /* `yes URL` runs until killed: watched, then started once the grace
     * is over, and left running for the caller. */
    int64_t t0 = now_ms();
    spotify__browser_launch_start(&l, "http://127.0.0.1:9/x", "yes", t0, 500);
    assert_int_equal(l.state, SPOTIFY__BROWSER_WATCHING);
    pid_t pid = l.pid;
    assert_true(pid > 0);
    spotify__browser_launch_poll(&l, l.settle_by_ms, 500);
    assert_int_equal(l.state, SPOTIFY__BROWSER_OPENED);
    assert_int_equal(l.pid, pid);
    spotify__browser_launch_release(&l);
    assert_int_equal(kill(pid, SIGTERM), 0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);

    /* A failing entry, then one that exits 0 (as xdg-open does). The grace
     * is long, so only the exits move the launch on. */
    spotify__browser_launch_start(&l, "http://127.0.0.1:9/x", "/nonexistent/browser:false:true",
                                  now_ms(), 60000);
    while (l.state == SPOTIFY__BROWSER_WATCHING && now_ms() - t0 < 10000) {
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
        spotify__browser_launch_poll(&l, now_ms(), 60000);
    }
    assert_int_equal(l.state, SPOTIFY__BROWSER_OPENED);
    assert_string_equal(l.command, "true");
    assert_int_equal(l.pid, -1);
    spotify__browser_launch_release(&l);

    /* Nothing that starts. */
    spotify__browser_launch_start(&l, "http://127.0.0.1:9/x", "/nonexistent/a:/nonexistent/b",
                                  now_ms(), 500);
    assert_int_equal(l.state, SPOTIFY__BROWSER_FAILED);
    spotify__browser_launch_release(&l);
}

/* 200 connections that never send a request hold the callback port when
 * the browser comes back: the server drops the oldest idle ones, so the
 * callback is served at once instead of after the login's timeout. */
static void test_idle_connections_do_not_starve_the_callback(void **state)
{
    (void)state;
    char redirect[128];
    idle_connections idle = {.port = free_port(AF_INET)};
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", idle.port);
    spotify_local_auth_options lo = idle_flood_options(&idle);
    spotify_error err = {0};
    int64_t t0 = now_ms();
    spotify_status st = spotify_authorize_local(NULL, auth, &lo, &err);
    idle_flood_end(&idle, t0, st, err.message);
    assert_true(log_shows("callback ok 200"));
    spotify_auth_free(auth);
}

/* ---- failures from the browser side ---- */

static void test_deny_is_access_denied(void **state)
{
    (void)state;
    char redirect[128];
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", free_port(AF_INET));
    use_fake_browser("deny");
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 10000;
    spotify_error err = {0};
    assert_int_equal(spotify_authorize_local(NULL, auth, &lo, &err), SPOTIFY_EAUTH);
    assert_string_equal(err.code, "access_denied");
    assert_true(log_shows("callback failed 400"));
    assert_int_equal(emulator_grant_count(&test_emu, "authorization_code"), 0);
    spotify_auth_free(auth);
}

static void test_forged_state_never_exchanges(void **state)
{
    (void)state;
    char redirect[128];
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", free_port(AF_INET));
    use_fake_browser("forge");
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 10000;
    spotify_error err = {0};
    assert_int_equal(spotify_authorize_local(NULL, auth, &lo, &err), SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "state"));
    assert_null(strstr(err.message, "forged"));
    assert_true(log_shows("forge 400"));
    assert_int_equal(emulator_grant_count(&test_emu, "authorization_code"), 0);
    long total = emulator_route_count(&test_emu, "POST", "/api/token", 200) +
                 emulator_route_count(&test_emu, "POST", "/api/token", 400);
    assert_int_equal(total, 0);
    spotify_auth_free(auth);
}

static void test_missing_code_400_then_timeout(void **state)
{
    (void)state;
    char redirect[128];
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", free_port(AF_INET));
    use_fake_browser("nocode");
    spotify_local_auth_options lo = quick_options();
    spotify_error err = {0};
    assert_int_equal(spotify_authorize_local(NULL, auth, &lo, &err), SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "did not come back within 1 second"));
    assert_true(log_shows("nocode 400"));
    spotify_auth_free(auth);
}

static void test_timeout_releases_port(void **state)
{
    (void)state;
    char redirect[128];
    int port = free_port(AF_INET);
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", port);
    char url[4096] = "";
    spotify_local_auth_options lo = quick_options();
    lo.no_browser = true;
    lo.show_dialog = true;
    lo.url_handler = keep_url;
    lo.url_handler_user = url;
    spotify_error err = {0};
    int64_t t0 = now_ms();
    assert_int_equal(spotify_authorize_local(NULL, auth, &lo, &err), SPOTIFY_EAUTH);
    int64_t took = now_ms() - t0;
    assert_true(took >= 900 && took < 3000);
    assert_non_null(strstr(err.message, "did not come back within 1 second"));
    assert_true(port_is_free(port));
    /* A generated state: 128 bits as base64url = 22 characters. */
    const char *s = strstr(url, "&state=");
    assert_non_null(s);
    s += 7;
    size_t n = strcspn(s, "&");
    assert_int_equal(n, 22);
    for (size_t i = 0; i < n; i++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", s[i]));
    assert_non_null(strstr(url, "code_challenge_method=S256"));
    assert_non_null(strstr(url, "show_dialog=true"));
    spotify_auth_free(auth);
}

/* ---- cancel ---- */

static volatile sig_atomic_t cancel_flag;

static void *set_flag_later(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 200 * 1000000L};
    nanosleep(&ts, NULL);
    cancel_flag = 1;
    return NULL;
}

static bool cancel_after_three(void *user)
{
    int *calls = user;
    return ++*calls >= 3;
}

static void test_cancel_flag_and_callback(void **state)
{
    (void)state;
    char redirect[128];
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", free_port(AF_INET));
    char url[4096];
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 30000;
    lo.no_browser = true;
    lo.url_handler = keep_url;
    lo.url_handler_user = url;
    lo.cancel_flag = &cancel_flag;
    cancel_flag = 0;
    pthread_t t;
    pthread_create(&t, NULL, set_flag_later, NULL);
    spotify_error err = {0};
    int64_t t0 = now_ms();
    assert_int_equal(spotify_authorize_local(NULL, auth, &lo, &err), SPOTIFY_ECANCELLED);
    assert_true(now_ms() - t0 < 10000); /* not the 30 s timeout */
    pthread_join(t, NULL);

    int calls = 0;
    lo.cancel_flag = NULL;
    lo.cancel = cancel_after_three;
    lo.cancel_user = &calls;
    t0 = now_ms();
    assert_int_equal(spotify_authorize_local(NULL, auth, &lo, &err), SPOTIFY_ECANCELLED);
    assert_true(now_ms() - t0 < 10000); /* not the 30 s timeout */
    assert_int_equal(calls, 3);
    spotify_auth_free(auth);
}

/* ---- set-up errors ---- */

static void test_port_in_use_names_port(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 4), 0);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    int port = ntohs(a.sin_port);
    char redirect[128];
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", port);
    spotify_local_auth_options lo = quick_options();
    lo.no_browser = true;
    lo.url_handler = keep_url;
    char url[4096];
    lo.url_handler_user = url;
    spotify_error err = {0};
    assert_int_equal(spotify_authorize_local(NULL, auth, &lo, &err), SPOTIFY_EIO);
    char want[64];
    snprintf(want, sizeof want, "port %d", port);
    assert_non_null(strstr(err.message, want));
    assert_non_null(strstr(err.message, "already in use"));
    close(fd);
    spotify_auth_free(auth);
}

static void test_invalid_redirect_uris(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "https://127.0.0.1:8888/callback", "http://example.com:8888/callback",
        "http://0.0.0.0:8888/callback",    "http://127.0.0.1/callback",
        "http://127.0.0.1:0/callback",     "http://user@127.0.0.1:8888/callback",
        "http://127.0.0.1:8888/cb#frag",   "http://127.0.0.1:http/callback",
        "http://192.168.1.2:8888/cb",      "myapp://callback",
        "http://[::2]:8888/callback",      "http://127.0.0.1:70000/callback",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        spotify_auth *auth = provider("demo-public", NULL, bad[i]);
        spotify_error err = {0};
        spotify_status st = spotify_authorize_local(NULL, auth, NULL, &err);
        if (st != SPOTIFY_EINVALID)
            fail_msg("%s: status %d (%s)", bad[i], st, err.message);
        assert_non_null(strstr(err.message, "redirect URI"));
        spotify_auth_free(auth);
    }
}

/* The browser would normalise these paths and request another one, so the
 * login would wait for its timeout: refused before anything starts, also
 * when the URI comes from SPOTIFY_SDK_REDIRECT_URI. */
static void test_redirect_uri_paths_not_normalised(void **state)
{
    (void)state;
    static const char *const paths[] = {"/../x", "/cb/./", "/a/%2e%2E/cb", "//cb", "/a\\cb"};
    int port = free_port(AF_INET);
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char redirect[128];
        snprintf(redirect, sizeof redirect, "http://127.0.0.1:%d%s", port, paths[i]);
        setenv("SPOTIFY_SDK_REDIRECT_URI", redirect, 1);
        spotify_auth *auth = provider("demo-public", NULL, NULL);
        char url[4096] = "";
        spotify_local_auth_options lo = quick_options();
        lo.no_browser = true;
        lo.url_handler = keep_url;
        lo.url_handler_user = url;
        spotify_error err = {0};
        spotify_status st = spotify_authorize_local(NULL, auth, &lo, &err);
        if (st != SPOTIFY_EINVALID)
            fail_msg("%s: status %d (%s)", redirect, st, err.message);
        assert_non_null(strstr(err.message, "redirect URI"));
        assert_string_equal(url, ""); /* nothing was started */
        spotify_auth_free(auth);
    }
    unsetenv("SPOTIFY_SDK_REDIRECT_URI");
}

static void test_invalid_options(void **state)
{
    (void)state;
    spotify_auth *auth = provider("demo-public", NULL, "http://127.0.0.1:8888/callback");
    spotify_error err = {0};
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.no_browser = true;
    assert_int_equal(spotify_authorize_local(NULL, auth, &lo, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "url_handler"));
    lo = quick_options();
    lo.timeout_ms = -1;
    assert_int_equal(spotify_authorize_local(NULL, auth, &lo, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "timeout_ms"));
    assert_int_equal(spotify_authorize_local(NULL, NULL, NULL, &err), SPOTIFY_EINVALID);
    spotify_local_auth_options init;
    assert_int_equal(spotify_local_auth_options_init(&init, SPOTIFY_LOCAL_AUTH_OPTIONS_VERSION),
                     SPOTIFY_OK);
    assert_int_equal(init.timeout_ms, 0); /* zero: the 5-minute default */
    assert_false(init.no_browser);
    assert_int_equal(spotify_local_auth_options_init(&init, 99), SPOTIFY_EINVALID);
    spotify_auth_free(auth);

    spotify_auth_options o = SPOTIFY_AUTH_OPTIONS_INIT;
    o.client_id = "demo-client";
    o.client_secret = "demo-secret";
    o.accounts_base_url = test_emu.base_url;
    assert_int_equal(spotify_auth_client_credentials_new(&auth, &o, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_authorize_local(NULL, auth, NULL, &err), SPOTIFY_EINVALID);
    spotify_auth_free(auth);
}

static void test_refuses_inside_async_callback(void **state)
{
    (void)state;
    spotify_auth *auth = provider("demo-public", NULL, "http://127.0.0.1:8888/callback");
    spotify__in_async_callback = true;
    spotify_error err = {0};
    spotify_status st = spotify_authorize_local(NULL, auth, NULL, &err);
    spotify__in_async_callback = false;
    assert_int_equal(st, SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "async"));
    spotify_auth_free(auth);
}

/* ---- the async variant (spotify_authorize_local_async) ---- */

typedef struct async_login {
    int calls;
    spotify_status status;
    char access_token[SPOTIFY_ACCESS_TOKEN_MAX];
    char code[64];
    char message[256];
} async_login;

static void on_login(spotify_status status, spotify_token *token, const spotify_error *err,
                     void *user)
{
    async_login *l = user;
    l->calls++;
    l->status = status;
    if (status == SPOTIFY_OK) {
        assert_non_null(token);
        assert_null(err);
        snprintf(l->access_token, sizeof l->access_token, "%s", token->access_token);
    } else {
        assert_null(token);
        snprintf(l->code, sizeof l->code, "%s", err->code);
        snprintf(l->message, sizeof l->message, "%s", err->message);
    }
}

/* A self-driven context on a client whose provider is `auth`. */
static spotify_async *async_for(spotify_auth *auth, spotify_client **client)
{
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = test_api_base;
    opts.auth = auth;
    assert_int_equal(spotify_client_new(client, &opts, NULL), SPOTIFY_OK);
    spotify_async *async = NULL;
    assert_int_equal(spotify_async_new(&async, *client, NULL, NULL), SPOTIFY_OK);
    return async;
}

static void drive(spotify_async *async)
{
    int64_t end = now_ms() + 20000;
    while (spotify_async_pending(async) > 0 && now_ms() < end)
        assert_int_equal(spotify_async_run(async, 1000, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_async_pending(async), 0);
}

/* Starts an async login (10 s timeout) and drives the loop until it ends. */
static void login_and_drive(spotify_async *async, spotify_auth *auth, async_login *l)
{
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 10000;
    assert_int_equal(spotify_authorize_local_async(async, auth, &lo, on_login, l, NULL),
                     SPOTIFY_OK);
    drive(async);
}

static void test_async_pkce_success(void **state)
{
    (void)state;
    char redirect[128];
    int port = free_port(AF_INET);
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", port);
    spotify_client *client = NULL;
    spotify_async *async = async_for(auth, &client);
    use_fake_browser("approve");
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 10000;
    async_login l = {0};
    spotify_error err = {0};
    assert_int_equal(spotify_authorize_local_async(async, auth, &lo, on_login, &l, &err),
                     SPOTIFY_OK);
    assert_int_equal(spotify_async_pending(async), 1);
    assert_int_equal(l.calls, 0);
    drive(async);
    if (l.status != SPOTIFY_OK)
        fail_msg("authorize_local_async: %s (%s)", l.message, log_read());
    assert_int_equal(l.calls, 1);
    /* The provider holds the token: the next request uses it. */
    spotify_token cached = {0};
    assert_int_equal(spotify_auth_token_get(&cached, auth, NULL), SPOTIFY_OK);
    assert_string_equal(cached.access_token, l.access_token);
    assert_int_equal(cached.flow, SPOTIFY_FLOW_PKCE);
    assert_int_equal(emulator_grant_count(&test_emu, "authorization_code"), 1);
    assert_true(log_shows("callback ok 200"));
    assert_true(port_is_free(port));
    spotify_token_clear(&cached);
    spotify_async_free(async);
    spotify_client_free(client);
    spotify_auth_free(auth);
}

/* A $BROWSER list whose first entries fail: the async helper moves down it
 * on the loop and the login completes. */
static void test_async_browser_list(void **state)
{
    (void)state;
    char redirect[128];
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", free_port(AF_INET));
    spotify_client *client = NULL;
    spotify_async *async = async_for(auth, &client);
    use_browser_list_failing_first();
    async_login l = {0};
    login_and_drive(async, auth, &l);
    if (l.status != SPOTIFY_OK)
        fail_msg("authorize_local_async: %s (%s)", l.message, log_read());
    assert_int_equal(l.calls, 1);
    assert_int_equal(emulator_grant_count(&test_emu, "authorization_code"), 1);
    spotify_async_free(async);
    spotify_client_free(client);
    spotify_auth_free(auth);
}

/* Logging in from a completion callback: the first request fails for want
 * of a user token, its callback starts the login on the same loop. */
typedef struct relogin {
    spotify_async *async;
    spotify_auth *auth;
    spotify_local_auth_options options;
    async_login login;
    spotify_status first;
} relogin;

static void on_first_request(spotify_status status, void *result, const spotify_error *err,
                             void *user)
{
    (void)err;
    relogin *r = user;
    r->first = status;
    spotify_response_free(result);
    spotify_error e = {0};
    assert_int_equal(
        spotify_authorize_local_async(r->async, r->auth, &r->options, on_login, &r->login, &e),
        SPOTIFY_OK);
}

static void test_async_login_from_a_completion_callback(void **state)
{
    (void)state;
    char redirect[128];
    snprintf(redirect, sizeof redirect, "http://127.0.0.1:%d/cb", free_port(AF_INET));
    spotify_auth *auth = provider("demo-client", "demo-secret", redirect);
    spotify_client *client = NULL;
    relogin r = {0};
    r.async = async_for(auth, &client);
    r.auth = auth;
    r.options = quick_options();
    r.options.timeout_ms = 10000;
    use_fake_browser("approve");
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    assert_int_equal(spotify_async_send(r.async, &request, on_first_request, &r, NULL, NULL),
                     SPOTIFY_OK);
    drive(r.async);
    assert_int_equal(r.first, SPOTIFY_EAUTH); /* no user token yet */
    if (r.login.status != SPOTIFY_OK)
        fail_msg("login: %s (%s)", r.login.message, log_read());
    assert_int_equal(call_me(auth), SPOTIFY_OK);
    spotify_async_free(r.async);
    spotify_client_free(client);
    spotify_auth_free(auth);
}

static void test_async_deny_and_forged_state(void **state)
{
    (void)state;
    const char *modes[] = {"deny", "forge"};
    for (int i = 0; i < 2; i++) {
        char redirect[128];
        spotify_auth *auth =
            pkce_on_port(redirect, sizeof redirect, "127.0.0.1", free_port(AF_INET));
        spotify_client *client = NULL;
        spotify_async *async = async_for(auth, &client);
        use_fake_browser(modes[i]);
        async_login l = {0};
        login_and_drive(async, auth, &l);
        assert_int_equal(l.calls, 1);
        assert_int_equal(l.status, SPOTIFY_EAUTH);
        if (i == 0)
            assert_string_equal(l.code, "access_denied");
        else
            assert_non_null(strstr(l.message, "state"));
        spotify_async_free(async);
        spotify_client_free(client);
        spotify_auth_free(auth);
    }
    /* Neither reached the token endpoint. */
    assert_int_equal(emulator_route_count(&test_emu, "POST", "/api/token", 200) +
                         emulator_route_count(&test_emu, "POST", "/api/token", 400),
                     0);
}

static void test_async_timeout_cancel_and_free(void **state)
{
    (void)state;
    for (int variant = 0; variant < 3; variant++) {
        char redirect[128];
        int port = free_port(AF_INET);
        spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", port);
        spotify_client *client = NULL;
        spotify_async *async = async_for(auth, &client);
        char url[4096];
        volatile sig_atomic_t cancel = 0;
        spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
        lo.timeout_ms = variant == 0 ? 300 : 60000;
        lo.no_browser = true;
        lo.url_handler = keep_url;
        lo.url_handler_user = url;
        lo.cancel_flag = &cancel;
        async_login l = {0};
        assert_int_equal(spotify_authorize_local_async(async, auth, &lo, on_login, &l, NULL),
                         SPOTIFY_OK);
        assert_non_null(strstr(url, "code_challenge="));
        assert_false(port_is_free(port)); /* listening */
        if (variant == 0) {
            drive(async); /* the timeout */
            assert_int_equal(l.status, SPOTIFY_EAUTH);
            assert_non_null(strstr(l.message, "did not come back"));
        } else if (variant == 1) {
            assert_int_equal(spotify_async_run(async, 50, NULL), SPOTIFY_OK);
            cancel = 1;
            drive(async);
            assert_int_equal(l.status, SPOTIFY_ECANCELLED);
        } else {
            assert_int_equal(spotify_async_run(async, 50, NULL), SPOTIFY_OK);
            spotify_async_free(async);
            async = NULL;
            assert_int_equal(l.status, SPOTIFY_ECANCELLED);
        }
        assert_int_equal(l.calls, 1);
        assert_true(port_is_free(port));
        spotify_async_free(async);
        spotify_client_free(client);
        spotify_auth_free(auth);
    }
}

/* The same flood against the async helper's server. */
static void test_async_idle_connections_do_not_starve_the_callback(void **state)
{
    (void)state;
    char redirect[128];
    idle_connections idle = {.port = free_port(AF_INET)};
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", idle.port);
    spotify_client *client = NULL;
    spotify_async *async = async_for(auth, &client);
    spotify_local_auth_options lo = idle_flood_options(&idle);
    async_login l = {0};
    int64_t t0 = now_ms();
    assert_int_equal(spotify_authorize_local_async(async, auth, &lo, on_login, &l, NULL),
                     SPOTIFY_OK);
    drive(async);
    idle_flood_end(&idle, t0, l.status, l.message);
    assert_int_equal(l.calls, 1);
    spotify_async_free(async);
    spotify_client_free(client);
    spotify_auth_free(auth);
}

static void test_async_port_in_use_fails_at_once(void **state)
{
    (void)state;
    char redirect[128];
    int port = free_port(AF_INET);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 1), 0);
    spotify_auth *auth = pkce_on_port(redirect, sizeof redirect, "127.0.0.1", port);
    spotify_client *client = NULL;
    spotify_async *async = async_for(auth, &client);
    async_login l = {0};
    spotify_error err = {0};
    spotify_local_auth_options lo = quick_options();
    assert_int_equal(spotify_authorize_local_async(async, auth, &lo, on_login, &l, &err),
                     SPOTIFY_EIO);
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%d", port);
    assert_non_null(strstr(err.message, port_text));
    assert_int_equal(spotify_async_pending(async), 0);
    close(fd);
    spotify_async_free(async);
    assert_int_equal(l.calls, 0);
    spotify_client_free(client);
    spotify_auth_free(auth);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_pkce_success_via_browser_env, reset),
        cmocka_unit_test_setup(test_code_flow_success_via_handler, reset),
        cmocka_unit_test_setup(test_localhost_and_ipv6_redirects, reset),
        cmocka_unit_test_setup(test_wrong_path_404_then_success, reset),
        cmocka_unit_test_setup(test_browser_list_first_entry_fails, reset),
        cmocka_unit_test_setup(test_browser_launch_steps, reset),
        cmocka_unit_test_setup(test_idle_connections_do_not_starve_the_callback, reset),
        cmocka_unit_test_setup(test_deny_is_access_denied, reset),
        cmocka_unit_test_setup(test_forged_state_never_exchanges, reset),
        cmocka_unit_test_setup(test_missing_code_400_then_timeout, reset),
        cmocka_unit_test_setup(test_timeout_releases_port, reset),
        cmocka_unit_test_setup(test_cancel_flag_and_callback, reset),
        cmocka_unit_test_setup(test_port_in_use_names_port, reset),
        cmocka_unit_test_setup(test_invalid_redirect_uris, reset),
        cmocka_unit_test_setup(test_redirect_uri_paths_not_normalised, reset),
        cmocka_unit_test_setup(test_invalid_options, reset),
        cmocka_unit_test_setup(test_refuses_inside_async_callback, reset),
        cmocka_unit_test_setup(test_async_pkce_success, reset),
        cmocka_unit_test_setup(test_async_browser_list, reset),
        cmocka_unit_test_setup(test_async_login_from_a_completion_callback, reset),
        cmocka_unit_test_setup(test_async_deny_and_forged_state, reset),
        cmocka_unit_test_setup(test_async_timeout_cancel_and_free, reset),
        cmocka_unit_test_setup(test_async_idle_connections_do_not_starve_the_callback, reset),
        cmocka_unit_test_setup(test_async_port_in_use_fails_at_once, reset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
