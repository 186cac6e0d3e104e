/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rate_limit.c - --rate-limit N: at most N Web API requests per
 * client id in a rolling window (30 s, --rate-limit-window), then 429
 * "API rate limit exceeded" with a Retry-After after which the next
 * request gets through; windows are per client, not per token; refused
 * requests do not count; the counters report it; the control API and the
 * config file set it and reset restores it. Short windows keep the test to
 * a few seconds; the waits follow Retry-After, so they cannot be too short.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#define PATH "/v1/albums/7ycBtnsMtyVbbwTfJwRjSP"

static void app_token(const emulator_process *emu, const char *client, char token[128])
{
    char spec[128];
    snprintf(spec, sizeof spec, "{\"client_id\":\"%s\",\"user\":false}", client);
    assert_true(emulator_issue_token(emu, spec, token, 128, NULL, 0));
}

/* GET PATH with `token` on `emu`: the status; *retry_after the header's
 * value (-1 when absent). */
static long get(const emulator_process *emu, const char *token, long *retry_after)
{
    char url[256], auth[200];
    snprintf(url, sizeof url, "%s%s", emu->base_url, PATH);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *const headers[] = {auth, NULL};
    emulator_http_response r;
    assert_true(emulator_request(&r, "GET", url, headers, NULL));
    long status = r.status;
    if (retry_after != NULL)
        *retry_after = r.retry_after != NULL ? strtol(r.retry_after, NULL, 10) : -1;
    if (status == 429) {
        char message[128];
        assert_true(emulator_json_string(r.body, "error.message", message, sizeof message));
        assert_string_equal(message, "API rate limit exceeded");
    }
    emulator_response_free(&r);
    return status;
}

/* The counters' rate_limit member, as text. */
static void counters(const emulator_process *emu, char *out, size_t size)
{
    emulator_http_response r;
    assert_true(emulator_control(emu, "GET", "/__emulator/counters", NULL, &r));
    const char *rl = strstr(r.body, "\"rate_limit\":");
    assert_non_null(rl);
    snprintf(out, size, "%s", rl);
    emulator_response_free(&r);
}

/* Without --rate-limit nothing is limited. */
static void off_by_default(void **state)
{
    (void)state;
    emulator_process emu;
    char token[128], text[512];
    assert_true(emulator_start(&emu, NULL));
    app_token(&emu, "demo-client", token);
    for (int i = 0; i < 100; i++)
        assert_int_equal(get(&emu, token, NULL), 200);
    counters(&emu, text, sizeof text);
    assert_non_null(strstr(text, "\"limit\":0,\"window_s\":30,\"rejected\":0"));
    assert_int_equal(emulator_stop(&emu), 0);
}

/* N per window, then 429 with Retry-After; waiting that long is enough. */
static void window_fills_and_drains(void **state)
{
    (void)state;
    emulator_process emu;
    char a[128], a_user[128], b[128], text[1024];
    const char *const args[] = {"--rate-limit", "5", "--rate-limit-window", "3", NULL};
    assert_true(emulator_start(&emu, args));
    app_token(&emu, "demo-client", a);
    assert_true(emulator_issue_token(&emu, "{\"client_id\":\"demo-client\",\"user\":true}", a_user,
                                     sizeof a_user, NULL, 0));
    assert_true(emulator_issue_token(&emu, "{\"client_id\":\"demo-public\",\"user\":true}", b,
                                     sizeof b, NULL, 0));
    for (int i = 0; i < 5; i++)
        assert_int_equal(get(&emu, i % 2 ? a : a_user, NULL), 200); /* one client, two tokens */
    long retry_after = -1;
    for (int i = 0; i < 4; i++) { /* refused requests do not count */
        assert_int_equal(get(&emu, a, &retry_after), 429);
        assert_true(retry_after >= 1 && retry_after <= 3);
    }
    assert_int_equal(get(&emu, a_user, NULL), 429);
    assert_int_equal(get(&emu, b, NULL), 200); /* another client has its own window */
    /* requests the limiter cannot attribute are not counted */
    assert_int_equal(get(&emu, "not-a-token", NULL), 401);

    counters(&emu, text, sizeof text);
    assert_non_null(strstr(text, "\"limit\":5,\"window_s\":3,\"rejected\":5"));
    assert_non_null(strstr(text, "{\"client_id\":\"demo-client\",\"in_window\":5,\"rejected\":5}"));
    assert_non_null(strstr(text, "{\"client_id\":\"demo-public\",\"in_window\":1,\"rejected\":0}"));
    assert_int_equal(emulator_route_count(&emu, "GET", "/v1/albums/{id}", 429), 5);

    sleep((unsigned)retry_after);
    assert_int_equal(get(&emu, a, NULL), 200);
    assert_int_equal(emulator_stop(&emu), 0);
}

/* The default window is 30 s: Retry-After says so. */
static void thirty_second_window(void **state)
{
    (void)state;
    emulator_process emu;
    char token[128];
    const char *const args[] = {"--rate-limit", "3", NULL};
    assert_true(emulator_start(&emu, args));
    app_token(&emu, "demo-client", token);
    for (int i = 0; i < 3; i++)
        assert_int_equal(get(&emu, token, NULL), 200);
    long retry_after = -1;
    assert_int_equal(get(&emu, token, &retry_after), 429);
    assert_true(retry_after >= 20 && retry_after <= 30);
    assert_int_equal(emulator_stop(&emu), 0);
}

/* The control API turns it on and off; reset restores the start value;
 * the config file sets it too. */
static void control_and_config(void **state)
{
    (void)state;
    emulator_process emu;
    char token[128], dir[] = "/tmp/emu-rate-XXXXXX", path[300];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/config.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"rate_limit\": 2, \"rate_limit_window\": 60}", f);
    fclose(f);
    const char *const args[] = {"--config", path, NULL};
    assert_true(emulator_start(&emu, args));
    unlink(path);
    rmdir(dir);
    app_token(&emu, "demo-client", token);
    assert_int_equal(get(&emu, token, NULL), 200);
    assert_int_equal(get(&emu, token, NULL), 200);
    assert_int_equal(get(&emu, token, NULL), 429);

    emulator_http_response r;
    assert_true(emulator_control(&emu, "POST", "/__emulator/config", "{\"rate_limit\":0}", &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"rate_limit\":0,\"rate_limit_window\":60"));
    emulator_response_free(&r);
    assert_int_equal(get(&emu, token, NULL), 200);
    assert_true(emulator_control(&emu, "POST", "/__emulator/config", "{\"rate_limit\":-1}", &r));
    assert_int_equal(r.status, 400);
    emulator_response_free(&r);

    assert_true(emulator_reset(&emu)); /* back to the config's 2 per 60 s, windows emptied */
    app_token(&emu, "demo-client", token);
    assert_int_equal(get(&emu, token, NULL), 200);
    assert_int_equal(get(&emu, token, NULL), 200);
    long retry_after = -1;
    assert_int_equal(get(&emu, token, &retry_after), 429);
    assert_true(retry_after > 30 && retry_after <= 60);
    assert_int_equal(emulator_stop(&emu), 0);

    const char *const bad[][3] = {{"--rate-limit", "0", NULL},
                                  {"--rate-limit", "x", NULL},
                                  {"--rate-limit-window", "0", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(emulator_run_to_exit(bad[i], NULL, 0), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(off_by_default),
        cmocka_unit_test(window_fills_and_drains),
        cmocka_unit_test(thirty_second_window),
        cmocka_unit_test(control_and_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
