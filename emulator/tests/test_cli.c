/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cli.c - the program itself: --help, --version, usage errors, the
 * ready file, start-up time, SIGTERM, --host ::1, the config file and
 * --client flags, --no-demo-clients, start-up failures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#define OUT_SIZE 65536

static void help_exits_zero(void **state)
{
    (void)state;
    char *out = malloc(OUT_SIZE);
    const char *const args[] = {"--help", NULL};
    assert_int_equal(emulator_run_to_exit(args, out, OUT_SIZE), 0);
    const char *sections[] = {"NAME",
                              "SYNOPSIS",
                              "DESCRIPTION",
                              "OPTIONS",
                              "CONTROL API",
                              "BUILT-IN CLIENTS",
                              "CONFIG FILE",
                              "EXAMPLES",
                              "EXIT STATUS",
                              "--ready-file",
                              "--latency-ms",
                              "--token-lifetime",
                              "--config",
                              "--auto-approve",
                              "--strict-redirects",
                              "/__emulator/faults",
                              "--rate-limit",
                              "--rate-limit-window",
                              "demo-client",
                              "demo-public"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        if (strstr(out, sections[i]) == NULL)
            fprintf(stderr, "--help lacks %s\n", sections[i]);
        assert_non_null(strstr(out, sections[i]));
    }
    free(out);
}

static void version_and_usage_errors(void **state)
{
    (void)state;
    char out[256];
    const char *const version[] = {"--version", NULL};
    assert_int_equal(emulator_run_to_exit(version, out, sizeof out), 0);
    assert_true(strncmp(out, "spotify-emulator ", 17) == 0);
    const char *const bad[][3] = {{"--bogus", NULL, NULL},      {"--port", "70000", NULL},
                                  {"--latency-ms", "-5", NULL}, {"--token-lifetime", "0", NULL},
                                  {"--port", "12abc", NULL},    {"stray", NULL, NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(emulator_run_to_exit(bad[i], NULL, 0), 2);
}

static void ready_file_and_sigterm(void **state)
{
    (void)state;
    emulator_process emu;
    assert_true(emulator_start(&emu, NULL));
    printf("# start-up (spawn to ready file): %.1f ms\n", emu.startup_ms);
    assert_true(emu.startup_ms < 5000.0);
    FILE *f = fopen(emu.ready_file, "r");
    assert_non_null(f);
    char content[256] = "";
    size_t n = fread(content, 1, sizeof content - 1, f);
    fclose(f);
    content[n] = '\0';
    unsigned port = 0;
    char rest[8] = "";
    assert_int_equal(sscanf(content, "http://127.0.0.1:%u%7s", &port, rest), 1);
    assert_true(port > 0 && port < 65536);
    assert_int_equal(content[n - 1], '\n');
    char ready[300];
    snprintf(ready, sizeof ready, "%s", emu.ready_file);
    emulator_http_response r;
    assert_true(emulator_control(&emu, "GET", "/__emulator/health", NULL, &r));
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    assert_int_equal(access(ready, F_OK), 0);
    assert_int_equal(emulator_stop(&emu), 0);
}

typedef struct pending_get {
    const emulator_process *emu;
    emulator_http_response response;
} pending_get;

static void *get_health_later(void *arg)
{
    pending_get *p = arg;
    char url[256];
    snprintf(url, sizeof url, "%s/v1/me", p->emu->base_url);
    emulator_request(&p->response, "GET", url, NULL, NULL);
    return NULL;
}

/* Whether a request comes to wait out its latency (counters' "held"),
 * polled for up to 10 s. */
static bool wait_until_held(const emulator_process *emu)
{
    for (int waited_ms = 0; waited_ms < 10000; waited_ms += 10) {
        emulator_http_response r;
        bool held = emulator_control(emu, "GET", "/__emulator/counters", NULL, &r) &&
                    r.body != NULL && strstr(r.body, "\"held\":1") != NULL;
        emulator_response_free(&r);
        if (held)
            return true;
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return false;
}

/* SIGTERM while a request sits suspended by latency: it is still answered,
 * and the process exits cleanly (status 0, no leaks under ASan). */
static void sigterm_while_delayed(void **state)
{
    (void)state;
    emulator_process emu;
    const char *const args[] = {"--latency-ms", "10000", NULL};
    assert_true(emulator_start(&emu, args));
    pending_get p = {&emu, {0}};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, get_health_later, &p), 0);
    assert_true(wait_until_held(&emu));
    assert_int_equal(emulator_stop(&emu), 0);
    pthread_join(thread, NULL);
    printf("# request in flight at SIGTERM: HTTP %ld after %.0f ms\n", p.response.status,
           p.response.seconds * 1000);
    assert_int_equal(p.response.status, 401);
    assert_true(p.response.seconds < 9.0); /* not the 10 s latency */
    emulator_response_free(&p.response);
}

static void ipv6_loopback(void **state)
{
    (void)state;
    emulator_process emu;
    const char *const args[] = {"--host", "::1", NULL};
    if (!emulator_start(&emu, args)) {
        printf("# no IPv6 loopback here; skipped\n");
        skip();
    }
    assert_true(strncmp(emu.base_url, "http://[::1]:", 13) == 0);
    emulator_http_response r;
    assert_true(emulator_control(&emu, "GET", "/__emulator/health", NULL, &r));
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    assert_int_equal(emulator_stop(&emu), 0);
}

/* Writes `text` to a temporary file; the path goes to `path`. */
static void write_temp(char path[64], const char *text)
{
    snprintf(path, 64, "/tmp/spotify-emu-config-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static const char config_text[] =
    "{\"token_lifetime\": 77, \"auto_approve\": true, \"builtin_clients\": false,\n"
    " \"clients\": [{\"id\": \"my-app\", \"secret\": \"s3cret\", \"name\": \"My App\",\n"
    "   \"redirect_uris\": [\"http://127.0.0.1:7000/cb\"],\n"
    "   \"user\": {\"id\": \"alice\", \"display_name\": \"Alice\"}}]}";

static void config_file(void **state)
{
    (void)state;
    char path[64], location[512], token[128], name[64];
    write_temp(path, config_text);
    const char *const args[] = {"--config", path, "--client",
                                "cli-app:pw=http://127.0.0.1:7001/a,http://127.0.0.1:7001/b", NULL};
    emulator_process saved = test_emu;
    assert_true(emulator_start(&test_emu, args));
    emulator_http_response r;
    long long expires = 0;
    test_token_request(&r, "my-app:s3cret", "grant_type=client_credentials");
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_int(r.body, "expires_in", &expires));
    assert_int_equal(expires, 77);
    emulator_response_free(&r);
    test_token_request(&r, "cli-app:pw", "grant_type=client_credentials");
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    test_token_request(&r, "demo-client:demo-secret", "grant_type=client_credentials");
    assert_oauth_error(&r, 400, "invalid_client", "Invalid client");
    emulator_response_free(&r);
    /* exact redirect matching, and the configured user */
    test_get(&r,
             "/authorize?response_type=code&client_id=my-app&redirect_uri="
             "http%3A%2F%2F127.0.0.1%3A7000%2Fcb2",
             NULL);
    assert_int_equal(r.status, 400);
    emulator_response_free(&r);
    test_authorize_redirect("response_type=code&client_id=cli-app&redirect_uri="
                            "http%3A%2F%2F127.0.0.1%3A7001%2Fb",
                            location, sizeof location);
    assert_true(emulator_issue_token(&test_emu, "{\"client_id\":\"my-app\"}", token, sizeof token,
                                     NULL, 0));
    test_get(&r, "/v1/me", token);
    assert_true(emulator_json_string(r.body, "display_name", name, sizeof name));
    assert_string_equal(name, "Alice");
    emulator_response_free(&r);
    assert_int_equal(emulator_stop(&test_emu), 0);
    test_emu = saved;
    unlink(path);
}

static void startup_failures(void **state)
{
    (void)state;
    char path[64];
    write_temp(path, "{\"clients\": [{\"id\": \"x\"}]}"); /* no redirect_uris */
    const char *const bad_config[] = {"--config", path, NULL};
    assert_int_equal(emulator_run_to_exit(bad_config, NULL, 0), 1);
    unlink(path);
    write_temp(path, "{\"tokn_lifetime\": 5}");
    assert_int_equal(emulator_run_to_exit(bad_config, NULL, 0), 1);
    unlink(path);
    const char *const missing[] = {"--config", "/nonexistent/emu.json", NULL};
    assert_int_equal(emulator_run_to_exit(missing, NULL, 0), 1);
    const char *const bad_host[] = {"--host", "example.com", NULL};
    assert_int_equal(emulator_run_to_exit(bad_host, NULL, 0), 1);
    const char *const bad_client[] = {"--client", "nouris", NULL};
    assert_int_equal(emulator_run_to_exit(bad_client, NULL, 0), 1);
    emulator_process emu;
    assert_true(emulator_start(&emu, NULL));
    char port[16];
    snprintf(port, sizeof port, "%s", strrchr(emu.base_url, ':') + 1);
    const char *const in_use[] = {"--port", port, NULL};
    assert_int_equal(emulator_run_to_exit(in_use, NULL, 0), 1);
    assert_int_equal(emulator_stop(&emu), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_exits_zero),        cmocka_unit_test(version_and_usage_errors),
        cmocka_unit_test(ready_file_and_sigterm), cmocka_unit_test(sigterm_while_delayed),
        cmocka_unit_test(ipv6_loopback),          cmocka_unit_test(config_file),
        cmocka_unit_test(startup_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
