/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_login_browser.c - `spotctl login` end to end in a real
 * browser: $BROWSER is chromium-browser.sh, which runs tests/local/approve.mjs
 * (puppeteer-core driving Debian's headless chromium) through the
 * emulator's consent page; spotctl catches the redirect, saves the token,
 * and `spotctl me` then works. The screenshot of the success page is kept
 * in the build directory (spotctl_login_success.png).
 *
 * Exits 77 (skipped) when chromium, node or puppeteer-core is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "cli.h"
#include "test_util.h"

#define SCREENSHOT SPOTCTL_ARTEFACT_DIR "/spotctl_login_success.png"

static const char *missing(void)
{
    const char *c = getenv("CHROMIUM");
    if (access(c != NULL && c[0] ? c : "/usr/bin/chromium", X_OK) != 0)
        return "chromium is not installed (apt-get install -y chromium)";
    if (access("/usr/bin/node", X_OK) != 0 && access("/usr/local/bin/node", X_OK) != 0)
        return "node is not installed";
    if (access(LOCAL_TESTS_DIR "/node_modules/puppeteer-core/package.json", R_OK) != 0)
        return "puppeteer-core is not installed (scripts/bootstrap.sh)";
    return NULL;
}

static void test_login_in_chromium(void **state)
{
    (void)state;
    cli_fixture f;
    assert_true(cli_setup(&f, NULL));
    unlink(SCREENSHOT);
    char redirect[128];
    snprintf(redirect, sizeof redirect, "SPOTIFY_SDK_REDIRECT_URI=http://127.0.0.1:%d/callback",
             loopback_free_port());
    const char *env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client",
                         "BROWSER=" SPOTCTL_TESTS_DIR "/chromium-browser.sh",
                         "SPOTCTL_APPROVE_SCRIPT=" LOCAL_TESTS_DIR "/approve.mjs",
                         "SPOTCTL_SCREENSHOT=" SCREENSHOT,
                         redirect,
                         NULL};
    const char *argv[] = {"login", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &f, env, NULL, argv));
    if (r.status != 0)
        fail_msg("spotctl login: exit %d: %s", r.status, r.err);
    assert_non_null(strstr(r.out, "Logged in as Demo User (demo-user)"));
    cli_result_free(&r);
    struct stat sb;
    /* approve.mjs takes its screenshot after the redirect: wait for it */
    for (int i = 0; i < 100 && (stat(SCREENSHOT, &sb) != 0 || sb.st_size < 1000); i++)
        usleep(100000);
    assert_int_equal(stat(SCREENSHOT, &sb), 0);
    assert_true(sb.st_size > 1000);
    print_message("screenshot of the success page: %s\n", SCREENSHOT);

    assert_true(cli_run(&r, &f, "me", NULL));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "demo-user"));
    cli_result_free(&r);
    assert_int_equal(cli_teardown(&f), 0);
}

int main(void)
{
    const char *why = missing();
    if (why != NULL) {
        printf("SKIP: real-browser login: %s\n", why);
        return 77;
    }
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    spotify_global_init(NULL);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_login_in_chromium)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    spotify_global_cleanup();
    return rc;
}
