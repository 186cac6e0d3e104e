/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_local_auth_browser.c - end to end in a real browser: the URL handler
 * runs tests/local/approve.mjs (puppeteer-core driving Debian's headless
 * chromium), which opens the emulator's consent page, clicks Approve and
 * lands on the helper's success page (screenshot kept in the build dir as
 * local_auth_success.png); the token then calls /v1/me.
 *
 * Exits 77 (skipped) when chromium, node or puppeteer-core is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spotify/local_auth.h>
#include <spotify/spotify.h>

#include "emulator_process.h"
#include "test_util.h"

extern char **environ;

#define SCREENSHOT ARTEFACT_DIR "/local_auth_success.png"
#define SCRIPT LOCAL_TESTS_DIR "/approve.mjs"

static const char *chromium(void)
{
    const char *c = getenv("CHROMIUM");
    return c != NULL && c[0] != '\0' ? c : "/usr/bin/chromium";
}

static const char *missing(void)
{
    if (access(chromium(), X_OK) != 0)
        return "chromium is not installed (apt-get install -y chromium)";
    if (access("/usr/bin/node", X_OK) != 0 && access("/usr/local/bin/node", X_OK) != 0)
        return "node is not installed";
    if (access(LOCAL_TESTS_DIR "/node_modules/puppeteer-core/package.json", R_OK) != 0)
        return "puppeteer-core is not installed (cd tests/local && npm install)";
    return NULL;
}

/* The URL handler: runs the puppeteer script to completion. */
static void drive_chromium(const char *url, void *user)
{
    int *status = user;
    char node[] = "node", script[] = SCRIPT, shot[] = SCREENSHOT;
    char *copy = strdup(url);
    char *argv[] = {node, script, copy, shot, NULL};
    pid_t pid;
    if (posix_spawnp(&pid, "node", NULL, NULL, argv, environ) != 0)
        *status = -1;
    else
        waitpid(pid, status, 0);
    free(copy);
}

static void test_real_browser_approves(void **state)
{
    (void)state;
    emulator_process emu;
    assert_true(emulator_start(&emu, NULL));
    char redirect[128], api_base[160];
    snprintf(redirect, sizeof redirect, "http://127.0.0.1:%d/callback", loopback_free_port());
    snprintf(api_base, sizeof api_base, "%s/v1", emu.base_url);
    unlink(SCREENSHOT);

    spotify_auth_options o = SPOTIFY_AUTH_OPTIONS_INIT;
    o.client_id = "demo-public";
    o.redirect_uri = redirect;
    o.scope = "user-read-private user-read-email";
    o.accounts_base_url = emu.base_url;
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_pkce_new(&auth, &o, NULL), SPOTIFY_OK);

    int status = -1;
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.timeout_ms = 60000;
    lo.no_browser = true;
    lo.url_handler = drive_chromium;
    lo.url_handler_user = &status;
    spotify_token token = {0};
    spotify_error err = {0};
    spotify_status st = spotify_authorize_local(&token, auth, &lo, &err);
    if (st != SPOTIFY_OK)
        fail_msg("authorize_local: %s", err.message);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_non_null(token.access_token);

    struct stat sb;
    assert_int_equal(stat(SCREENSHOT, &sb), 0);
    assert_true(sb.st_size > 1000);
    print_message("screenshot of the success page: %s\n", SCREENSHOT);

    spotify_client_options copts = SPOTIFY_CLIENT_OPTIONS_INIT;
    copts.api_base_url = api_base;
    copts.auth = auth;
    spotify_client *client = NULL;
    assert_int_equal(spotify_client_new(&client, &copts, NULL), SPOTIFY_OK);
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    spotify_response *response = NULL;
    assert_int_equal(spotify_client_send(&response, client, &request, &err), SPOTIFY_OK);
    assert_non_null(strstr(response->body, "\"id\":\"demo-public-user\""));
    spotify_response_free(response);
    spotify_client_free(client);
    spotify_token_clear(&token);
    spotify_auth_free(auth);
    assert_int_equal(emulator_stop(&emu), 0);
}

int main(void)
{
    const char *why = missing();
    if (why != NULL) {
        printf("SKIP: real-browser test: %s\n", why);
        return 77;
    }
    spotify_global_init(NULL);
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_browser_approves),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    spotify_global_cleanup();
    return rc;
}
