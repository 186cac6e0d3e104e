/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_login.c - `spotctl login` end to end against the emulator
 * with a scripted browser ($BROWSER = the SDK tests' fake_browser, which
 * clicks Approve or Deny on the consent page): authorization code and PKCE,
 * --no-browser, denial, Ctrl-C; the paste-back login (--paste: the address
 * the browser went to pasted on stdin; denied; another login's address
 * refused for its state); --add-scope and what `token` says the scopes
 * allow; the app token kept for the next run; the token file it leaves
 * (0600, the flow) and that later commands refresh with that flow. No
 * secret is printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "cli.h"
#include "test_util.h"

#define F cli_fx
static char redirect_env[128];

static int fresh(void **state)
{
    snprintf(redirect_env, sizeof redirect_env,
             "SPOTIFY_SDK_REDIRECT_URI=http://127.0.0.1:%d/callback", loopback_free_port());
    return cli_setup_fresh(state);
}

/* The saved tokens never appear in `r`. */
static void assert_no_saved_secret(const cli_result *r)
{
    spotify_token_cache *cache = NULL;
    spotify_token t = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_file_new(&cache, F.cache, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    if (found) {
        assert_null(strstr(r->out, t.access_token));
        assert_null(strstr(r->err, t.access_token));
        assert_null(strstr(r->out, t.refresh_token));
        assert_null(strstr(r->err, t.refresh_token));
    }
    assert_null(strstr(r->err, "demo-secret"));
    assert_null(strstr(r->err, "code="));
    spotify_token_clear(&t);
    spotify_token_cache_free(cache);
}

static void login(cli_result *r, const char *client, const char *secret, const char *mode,
                  const char *extra)
{
    char id[64], sec[64], browser[300], fake[64];
    snprintf(id, sizeof id, "SPOTIFY_SDK_CLIENT_ID=%s", client);
    snprintf(sec, sizeof sec, "SPOTIFY_SDK_CLIENT_SECRET=%s", secret);
    snprintf(browser, sizeof browser, "BROWSER=%s", FAKE_BROWSER_PATH);
    snprintf(fake, sizeof fake, "FAKE_BROWSER_MODE=%s", mode);
    const char *env[] = {id, sec, browser, fake, redirect_env, NULL};
    const char *argv[] = {"login", extra, NULL};
    assert_true(cli_runv(r, &F, env, NULL, argv));
}

/* Makes the emulator treat every access token it issued as expired. */
static void expire_tokens(void)
{
    emulator_http_response x;
    assert_true(emulator_control(&F.emu, "POST", "/__emulator/expire-tokens", NULL, &x));
    emulator_response_free(&x);
}

static void test_login_authorization_code(void **state)
{
    (void)state;
    cli_result r;
    login(&r, "demo-client", "demo-secret", "approve", NULL);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    char want[400];
    snprintf(want, sizeof want, "Logged in as Demo User (demo-user). Token saved to %s.\n",
             F.cache);
    assert_string_equal(r.out, want);
    assert_non_null(strstr(r.err, "Opening your browser"));
    assert_no_saved_secret(&r);
    cli_result_free(&r);
    struct stat sb;
    assert_int_equal(stat(F.cache, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(emulator_grant_count(&F.emu, "authorization_code"), 1);

    assert_true(cli_run(&r, &F, "--json", "token", NULL));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"flow\":\"authorization_code\""));
    assert_non_null(strstr(r.out, "user-modify-playback-state")); /* the default scopes */
    cli_result_free(&r);
    /* later commands refresh with the secret */
    expire_tokens();
    assert_true(cli_run(&r, &F, "me", NULL));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "demo-user"));
    cli_result_free(&r);
    assert_int_equal(emulator_grant_count(&F.emu, "refresh_token"), 1);
}

static void test_login_pkce(void **state)
{
    (void)state;
    cli_result r;
    login(&r, "demo-public", "", "approve", NULL); /* no secret: PKCE */
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_non_null(strstr(r.out, "Logged in as Demo Public User (demo-public-user)"));
    assert_non_null(strstr(r.err, "(PKCE)"));
    assert_no_saved_secret(&r);
    cli_result_free(&r);
    expire_tokens();
    /* refreshed as a public client: no secret anywhere in the environment */
    const char *env[] = {"SPOTIFY_SDK_CLIENT_SECRET=", NULL};
    const char *argv[] = {"--json", "token", "--refresh", NULL};
    assert_true(cli_runv(&r, &F, env, NULL, argv));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"flow\":\"pkce\""));
    assert_non_null(strstr(r.out, "\"client_id\":\"demo-public\""));
    cli_result_free(&r);
    assert_int_equal(emulator_grant_count(&F.emu, "refresh_token"), 1);
}

static void test_login_pkce_flag(void **state)
{
    (void)state;
    cli_result r;
    login(&r, "demo-client", "demo-secret", "approve", "--pkce");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "(PKCE)"));
    cli_result_free(&r);
    assert_true(cli_run(&r, &F, "--json", "token", NULL));
    assert_non_null(strstr(r.out, "\"flow\":\"pkce\""));
    cli_result_free(&r);
}

static void test_login_denied(void **state)
{
    (void)state;
    cli_result r;
    login(&r, "demo-client", "demo-secret", "deny", NULL);
    assert_int_equal(r.status, 3);
    assert_true(strncmp(r.err, "Opening your browser", 20) == 0);
    assert_non_null(strstr(r.err, "spotctl: auth:"));
    assert_non_null(strstr(r.err, "access_denied"));
    assert_string_equal(r.out, "");
    cli_result_free(&r);
    struct stat sb;
    assert_int_not_equal(stat(F.cache, &sb), 0);
}

/* --no-browser: the URL on stderr, opened by someone else. */
static void test_login_no_browser(void **state)
{
    (void)state;
    const char *env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client", redirect_env, "BROWSER=/bin/false",
                         NULL};
    const char *argv[] = {"login", "--no-browser", NULL};
    int pid = cli_spawn(&F, "nobrowser", env, argv);
    assert_true(pid > 0);
    char err_path[400];
    snprintf(err_path, sizeof err_path, "%s/nobrowser.err", F.dir);
    assert_true(cli_wait_for_text(err_path, "/authorize?", 10000));
    char *text = cli_read_file(err_path);
    char url[2048] = "";
    const char *start = strstr(text, "http://");
    assert_non_null(start);
    snprintf(url, sizeof url, "%.*s", (int)strcspn(start, " \n"), start);
    free(text);
    const char *browser[] = {FAKE_BROWSER_PATH, url, NULL};
    cli_result b;
    assert_true(cli_run_program(&b, &F, NULL, browser));
    assert_int_equal(b.status, 0);
    cli_result_free(&b);
    cli_result r;
    assert_true(cli_wait(&r, &F, "nobrowser", pid));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "Open this URL in a browser"));
    assert_non_null(strstr(r.out, "Logged in as Demo User"));
    cli_result_free(&r);
}

static void test_login_interrupted(void **state)
{
    (void)state;
    const char *env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client", redirect_env, NULL};
    const char *argv[] = {"login", "--no-browser", NULL};
    int pid = cli_spawn(&F, "ctrlc", env, argv);
    assert_true(pid > 0);
    char err_path[400];
    snprintf(err_path, sizeof err_path, "%s/ctrlc.err", F.dir);
    assert_true(cli_wait_for_text(err_path, "/authorize?", 10000));
    kill(pid, SIGINT);
    cli_result r;
    assert_true(cli_wait(&r, &F, "ctrlc", pid));
    assert_int_equal(r.status, 130);
    assert_non_null(strstr(r.err, "spotctl: cancelled: interrupted"));
    cli_result_free(&r);
}

/* A paste-back login (--paste): spotctl prints the URL and waits on stdin
 * (a FIFO); the scripted browser approves (or denies) and writes the
 * address it was sent to, which the test pastes. `address` NULL: the
 * browser's; else that text is pasted instead. Returns the result. */
static void paste_login(cli_result *r, const char *mode, const char *address, const char *extra)
{
    char fifo[400], addr_path[400], tag[32];
    static int n;
    snprintf(tag, sizeof tag, "paste-%d", ++n);
    snprintf(fifo, sizeof fifo, "%s/%s.fifo", F.dir, tag);
    snprintf(addr_path, sizeof addr_path, "%s/%s.address", F.dir, tag);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const char *env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client", redirect_env, "BROWSER=/bin/false",
                         NULL};
    const char *argv[] = {"login", "--paste", extra, NULL};
    int pid = cli_spawn_fifo(&F, tag, env, fifo, argv);
    assert_true(pid > 0);
    char err_path[400];
    snprintf(err_path, sizeof err_path, "%s/%s.err", F.dir, tag);
    assert_true(cli_wait_for_text(err_path, "Address: ", 10000));
    char *text = cli_read_file(err_path);
    const char *start = strstr(text, "http://");
    assert_non_null(start);
    char url[2048], browser_mode[64], browser_address[460];
    snprintf(url, sizeof url, "%.*s", (int)strcspn(start, " \n"), start);
    free(text);
    snprintf(browser_mode, sizeof browser_mode, "FAKE_BROWSER_MODE=%s", mode);
    snprintf(browser_address, sizeof browser_address, "FAKE_BROWSER_ADDRESS=%s", addr_path);
    const char *benv[] = {browser_mode, browser_address, NULL};
    const char *browser[] = {FAKE_BROWSER_PATH, url, NULL};
    cli_result b;
    assert_true(cli_run_program(&b, &F, benv, browser));
    assert_int_equal(b.status, 0);
    cli_result_free(&b);
    char *pasted = address != NULL ? strdup(address) : cli_read_file(addr_path);
    assert_non_null(pasted);
    FILE *w = fopen(fifo, "w");
    assert_non_null(w);
    fprintf(w, "  %s%s", pasted, strchr(pasted, '\n') ? "" : "\n");
    fclose(w);
    free(pasted);
    assert_true(cli_wait(r, &F, tag, pid));
    unlink(fifo);
}

/* --paste: approved in a browser anywhere, the address pasted back. */
static void test_login_paste(void **state)
{
    (void)state;
    cli_result r;
    paste_login(&r, "approve", NULL, NULL);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_non_null(strstr(r.err, "Open this URL in a browser, on this machine or any other"));
    assert_non_null(strstr(r.out, "Logged in as Demo User (demo-user)"));
    assert_no_saved_secret(&r);
    cli_result_free(&r);
    assert_int_equal(emulator_grant_count(&F.emu, "authorization_code"), 1);
    struct stat sb;
    assert_int_equal(stat(F.cache, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* denied in the browser */
    assert_int_equal(unlink(F.cache), 0);
    paste_login(&r, "deny", NULL, NULL);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "access_denied"));
    cli_result_free(&r);
    /* an address from another login (its state differs): refused */
    char forged[300];
    snprintf(forged, sizeof forged, "%s?code=forged-code&state=forged-state",
             strchr(redirect_env, '=') + 1);
    paste_login(&r, "approve", forged, "--pkce");
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "spotctl: auth:"));
    assert_non_null(strstr(r.err, "state"));
    assert_null(strstr(r.err, "forged-code"));
    cli_result_free(&r);
    assert_int_not_equal(stat(F.cache, &sb), 0);
    assert_int_equal(emulator_grant_count(&F.emu, "authorization_code"), 1);
}

/* --add-scope: the saved login's scopes and the new one, consented again;
 * `token` names the commands a scope is missing for. */
static void test_login_add_scope(void **state)
{
    (void)state;
    cli_result r;
    login(&r, "demo-client", "demo-secret", "approve",
          "--scope=user-read-private,user-library-read");
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
    assert_true(cli_run(&r, &F, "token", NULL));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "  me top               needs user-top-read\n"));
    assert_non_null(strstr(r.out, "`spotctl login --add-scope SCOPE`"));
    cli_result_free(&r);
    assert_true(cli_run(&r, &F, "me", "top", "artists", NULL));
    assert_int_equal(r.status, 4);
    assert_non_null(strstr(r.err, "hint: the login lacks scope user-top-read: run `spotctl login "
                                  "--add-scope user-top-read`"));
    cli_result_free(&r);
    login(&r, "demo-client", "demo-secret", "approve", "--add-scope=user-top-read");
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
    assert_true(cli_run(&r, &F, "--json", "token", NULL));
    const char *scope = strstr(r.out, "\"scope\":\"");
    assert_non_null(scope); /* the three of them, in Spotify's order */
    const char *end = strchr(scope + 9, '"');
    const char *want[] = {"user-read-private", "user-library-read", "user-top-read"};
    for (size_t i = 0; i < 3; i++) {
        const char *hit = strstr(scope, want[i]);
        assert_true(hit != NULL && hit < end);
    }
    assert_int_equal(end - scope - 9, strlen(want[0]) + strlen(want[1]) + strlen(want[2]) + 2);
    assert_non_null(strstr(r.out, "\"me top\""));
    assert_null(strstr(r.out, "\"me top\":"));
    assert_non_null(strstr(r.out, "\"player play\":\"user-modify-playback-state\""));
    cli_result_free(&r);
    assert_true(cli_run(&r, &F, "me", "top", "artists", "--limit", "1", NULL));
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
}

/* The app's client-credentials token is kept in the store (0600) and
 * reused by the next run: one token request for three commands. */
static void test_app_token_kept(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        cli_result r;
        assert_true(cli_run_app(&r, &F, "albums", "get", "4EcfbzCtbJDk2wMwhT4D1h", NULL));
        assert_int_equal(r.status, 0);
        cli_result_free(&r);
    }
    assert_int_equal(emulator_grant_count(&F.emu, "client_credentials"), 1);
    char path[400];
    snprintf(path, sizeof path, "%s/token.app-demo-client.json", F.dir);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_not_equal(stat(F.cache, &sb), 0); /* no user login made */
    cli_result r;
    assert_true(cli_run_app(&r, &F, "token", NULL));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "kept in "));
    assert_non_null(strstr(r.out, "  me                   needs a login\n"));
    cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_login_authorization_code, fresh),
        cmocka_unit_test_setup(test_login_pkce, fresh),
        cmocka_unit_test_setup(test_login_pkce_flag, fresh),
        cmocka_unit_test_setup(test_login_denied, fresh),
        cmocka_unit_test_setup(test_login_no_browser, fresh),
        cmocka_unit_test_setup(test_login_interrupted, fresh),
        cmocka_unit_test_setup(test_login_paste, fresh),
        cmocka_unit_test_setup(test_login_add_scope, fresh),
        cmocka_unit_test_setup(test_app_token_kept, fresh),
    };
    return CLI_RUN_GROUP(tests);
}
