/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_control.c - the control API: every fault switch (status N times,
 * 429 + Retry-After, drop, FIFO order, method filter, "*"), latency
 * (a delayed request, and many delayed requests in parallel), counters,
 * the request log, config, direct token issue and reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "helpers.h"

#define TPAB_PATH "/v1/albums/7ycBtnsMtyVbbwTfJwRjSP"
#define PARALLEL 16

static char token[128];

/* Reset, then a fresh app token. */
static int setup(void **state)
{
    if (test_emu_reset(state) != 0)
        return -1;
    return emulator_issue_token(&test_emu, "{\"user\":false}", token, sizeof token, NULL, 0) ? 0
                                                                                             : -1;
}

static long get_status(const char *path)
{
    emulator_http_response r;
    test_get(&r, path, token);
    long status = r.status;
    emulator_response_free(&r);
    return status;
}

static void fault_status_count(void **state)
{
    (void)state;
    emulator_http_response r;
    test_emu_control("POST", "/__emulator/faults",
                     "{\"route\":\"/v1/albums/{id}\",\"status\":503,\"count\":2}");
    test_get(&r, TPAB_PATH, token);
    assert_api_error(&r, 503, "Service unavailable");
    emulator_response_free(&r);
    assert_int_equal(get_status(TPAB_PATH), 503);
    assert_int_equal(get_status(TPAB_PATH), 200);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 503), 2);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 200), 1);
}

static void fault_other_route_untouched(void **state)
{
    (void)state;
    test_emu_control("POST", "/__emulator/faults",
                     "{\"route\":\"/v1/tracks/{id}\",\"status\":500}");
    assert_int_equal(get_status(TPAB_PATH), 200);
    assert_int_equal(get_status("/v1/tracks/7Ks4VCY1wFebnOdJrM13t6"), 500);
}

static void fault_429_retry_after(void **state)
{
    (void)state;
    emulator_http_response r;
    test_emu_control("POST", "/__emulator/faults",
                     "{\"route\":\"/v1/albums/{id}\",\"status\":429,\"retry_after\":7}");
    test_get(&r, TPAB_PATH, token);
    assert_api_error(&r, 429, "API rate limit exceeded");
    assert_non_null(r.retry_after);
    assert_string_equal(r.retry_after, "7");
    emulator_response_free(&r);
    test_emu_control("POST", "/__emulator/faults", "{\"route\":\"*\",\"status\":429}");
    test_get(&r, TPAB_PATH, token);
    assert_int_equal(r.status, 429);
    assert_string_equal(r.retry_after, "1"); /* the default */
    emulator_response_free(&r);
}

static void fault_on_token_endpoint(void **state)
{
    (void)state;
    emulator_http_response r;
    test_emu_control("POST", "/__emulator/faults",
                     "{\"route\":\"/api/token\",\"status\":502,\"count\":1}");
    test_token_request(&r, "demo-client:demo-secret", "grant_type=client_credentials");
    assert_oauth_error(&r, 502, "server_error", NULL);
    emulator_response_free(&r);
    test_token_request(&r, "demo-client:demo-secret", "grant_type=client_credentials");
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

static void fault_drop(void **state)
{
    (void)state;
    emulator_http_response r;
    test_emu_control("POST", "/__emulator/faults",
                     "{\"route\":\"/v1/albums/{id}\",\"drop\":true,\"count\":1}");
    char auth[200];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *const headers[] = {auth, NULL};
    assert_false(emulator_request(&r, "GET", test_url(TPAB_PATH), headers, NULL));
    assert_int_equal(r.status, 0); /* no HTTP response at all */
    emulator_response_free(&r);
    assert_int_equal(get_status(TPAB_PATH), 200);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 0), 1);
}

static void faults_fifo_and_method(void **state)
{
    (void)state;
    emulator_http_response r;
    test_emu_control("POST", "/__emulator/faults",
                     "{\"route\":\"*\",\"method\":\"POST\",\"status\":500}");
    test_emu_control("POST", "/__emulator/faults", "{\"route\":\"*\",\"status\":502}");
    test_emu_control("POST", "/__emulator/faults", "{\"route\":\"*\",\"status\":503}");
    assert_int_equal(get_status(TPAB_PATH), 502); /* the POST-only fault is skipped */
    assert_int_equal(get_status(TPAB_PATH), 503);
    assert_int_equal(get_status(TPAB_PATH), 200);
    assert_true(emulator_control(&test_emu, "GET", "/__emulator/faults", NULL, &r));
    assert_non_null(strstr(r.body, "\"method\":\"POST\""));
    emulator_response_free(&r);
    test_token_request(&r, "demo-client:demo-secret", "grant_type=client_credentials");
    assert_int_equal(r.status, 500);
    emulator_response_free(&r);
    test_emu_control("POST", "/__emulator/faults", "{\"route\":\"*\",\"status\":500}");
    test_emu_control("DELETE", "/__emulator/faults", NULL);
    assert_int_equal(get_status(TPAB_PATH), 200);
}

static void fault_spec_errors(void **state)
{
    (void)state;
    const char *bad[] = {"{\"route\":\"/v1/nope\",\"status\":503}",
                         "{\"route\":\"*\"}",
                         "{\"route\":\"*\",\"status\":200}",
                         "{\"route\":\"*\",\"status\":503,\"drop\":true}",
                         "{\"route\":\"*\",\"status\":503,\"count\":0}",
                         "{\"route\":\"/__emulator/reset\",\"status\":503}",
                         "{\"route\":\"*\",\"status\":503,\"colour\":1}",
                         "not json",
                         "[1]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        emulator_http_response r;
        assert_true(emulator_control(&test_emu, "POST", "/__emulator/faults", bad[i], &r));
        if (r.status != 400)
            fprintf(stderr, "accepted: %s\n", bad[i]);
        assert_int_equal(r.status, 400);
        emulator_response_free(&r);
    }
}

static void latency_single(void **state)
{
    (void)state;
    emulator_http_response r;
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":150}");
    test_get(&r, TPAB_PATH, token);
    assert_int_equal(r.status, 200);
    printf("# latency 150 ms: request took %.1f ms\n", r.seconds * 1000);
    assert_true(r.seconds >= 0.150);
    emulator_response_free(&r);
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":10000}");
    assert_true(emulator_control(&test_emu, "GET", "/__emulator/counters", NULL, &r));
    assert_true(r.seconds < 5.0); /* control requests are never delayed */
    emulator_response_free(&r);
}

static void *parallel_get(void *arg)
{
    emulator_http_response *r = arg;
    char auth[200];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *const headers[] = {auth, NULL};
    emulator_request(r, "GET", test_url(TPAB_PATH), headers, NULL);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 16 requests delayed 1 s each, at once: a server that slept per request
 * on its 2 threads would need 8 s. */
static void latency_does_not_block(void **state)
{
    (void)state;
    pthread_t threads[PARALLEL];
    emulator_http_response responses[PARALLEL];
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":1000}");
    double start = now_s();
    for (int i = 0; i < PARALLEL; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, parallel_get, &responses[i]), 0);
    for (int i = 0; i < PARALLEL; i++)
        pthread_join(threads[i], NULL);
    double elapsed = now_s() - start;
    printf("# %d parallel requests with 1 s latency: %.0f ms\n", PARALLEL, elapsed * 1000);
    for (int i = 0; i < PARALLEL; i++) {
        assert_int_equal(responses[i].status, 200);
        assert_true(responses[i].seconds >= 1.0);
        emulator_response_free(&responses[i]);
    }
    assert_true(elapsed < 5.0);
}

static void counters_and_reset(void **state)
{
    (void)state;
    emulator_http_response r;
    char refresh[128], access[128], form[256];
    assert_true(emulator_issue_token(&test_emu, "{\"scope\":\"user-read-private\"}", access,
                                     sizeof access, refresh, sizeof refresh));
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s", refresh);
    test_token_request(&r, "demo-client:demo-secret", form);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    get_status(TPAB_PATH);
    get_status("/v1/albums/bad");
    assert_int_equal(emulator_grant_count(&test_emu, "refresh_token"), 1);
    assert_int_equal(emulator_grant_count(&test_emu, "client_credentials"), 0);
    assert_int_equal(emulator_route_count(&test_emu, "POST", "/api/token", 200), 1);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 200), 1);
    assert_int_equal(emulator_route_count(&test_emu, "GET", "/v1/albums/{id}", 400), 1);
    assert_int_equal(emulator_total_count(&test_emu), 3);
    test_emu_control("POST", "/__emulator/faults", "{\"route\":\"*\",\"status\":500}");
    test_emu_control("POST", "/__emulator/config", "{\"latency_ms\":5000}");
    assert_true(emulator_reset(&test_emu));
    assert_int_equal(emulator_total_count(&test_emu), 0);
    assert_int_equal(emulator_grant_count(&test_emu, "refresh_token"), 0);
    test_get(&r, TPAB_PATH, token); /* tokens are forgotten, faults and latency gone */
    assert_api_error(&r, 401, "Invalid access token");
    assert_true(r.seconds < 4.0); /* not the 5 s latency */
    emulator_response_free(&r);
}

static void request_log(void **state)
{
    (void)state;
    emulator_http_response r;
    get_status(TPAB_PATH);
    test_get(&r, "/authorize?client_id=demo-client&state=secret-state&code_challenge=x", NULL);
    emulator_response_free(&r);
    assert_true(emulator_control(&test_emu, "GET", "/__emulator/log", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"path\":\"" TPAB_PATH "\""));
    assert_non_null(strstr(r.body, "\"route\":\"/v1/albums/{id}\""));
    assert_non_null(strstr(r.body, "\"path\":\"/authorize\""));
    assert_non_null(strstr(r.body, "\"t_ms\":"));
    assert_null(strstr(r.body, "secret-state"));
    assert_null(strstr(r.body, token));
    assert_null(strstr(r.body, "__emulator"));
    emulator_response_free(&r);
}

static void config_roundtrip(void **state)
{
    (void)state;
    emulator_http_response r;
    long long n = 0;
    assert_true(emulator_control(&test_emu, "POST", "/__emulator/config",
                                 "{\"token_lifetime\":60,\"auto_approve\":true}", &r));
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_int(r.body, "token_lifetime", &n));
    assert_int_equal(n, 60);
    assert_non_null(strstr(r.body, "\"auto_approve\":true"));
    emulator_response_free(&r);
    const char *bad[] = {"{\"token_lifetime\":0}", "{\"latency_ms\":-1}",
                         "{\"auto_approve\":\"yes\"}", "{\"what\":1}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_true(emulator_control(&test_emu, "POST", "/__emulator/config", bad[i], &r));
        assert_int_equal(r.status, 400);
        emulator_response_free(&r);
    }
    assert_true(emulator_control(&test_emu, "GET", "/__emulator/config", NULL, &r));
    assert_true(emulator_json_int(r.body, "token_lifetime", &n));
    assert_int_equal(n, 60);
    emulator_response_free(&r);
}

static void direct_tokens(void **state)
{
    (void)state;
    emulator_http_response r;
    char scope[128], access[128];
    long long expires = 0;
    assert_true(emulator_control(&test_emu, "POST", "/__emulator/tokens",
                                 "{\"client_id\":\"demo-client\",\"user\":true,\"scope\":"
                                 "\"user-read-email\",\"expires_in\":120}",
                                 &r));
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "scope", scope, sizeof scope));
    assert_string_equal(scope, "user-read-email");
    assert_true(emulator_json_int(r.body, "expires_in", &expires));
    assert_int_equal(expires, 120);
    assert_non_null(strstr(r.body, "refresh_token"));
    emulator_response_free(&r);
    assert_true(
        emulator_issue_token(&test_emu, "{\"expires_in\":0}", access, sizeof access, NULL, 0));
    test_get(&r, "/v1/me", access);
    assert_api_error(&r, 401, "The access token expired");
    emulator_response_free(&r);
    const char *bad[] = {"{\"client_id\":\"nobody\"}", "{\"scope\":\"user-read-mind\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_true(emulator_control(&test_emu, "POST", "/__emulator/tokens", bad[i], &r));
        assert_int_equal(r.status, 400);
        emulator_response_free(&r);
    }
}

static void catalog_listing(void **state)
{
    (void)state;
    emulator_http_response r;
    assert_true(emulator_control(&test_emu, "GET", "/__emulator/catalog/artists", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"name\":\"Kendrick Lamar\""));
    emulator_response_free(&r);
    assert_true(emulator_control(&test_emu, "GET", "/__emulator/catalog/users", NULL, &r));
    assert_int_equal(r.status, 400);
    emulator_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(fault_status_count, setup),
        cmocka_unit_test_setup(fault_other_route_untouched, setup),
        cmocka_unit_test_setup(fault_429_retry_after, setup),
        cmocka_unit_test_setup(fault_on_token_endpoint, setup),
        cmocka_unit_test_setup(fault_drop, setup),
        cmocka_unit_test_setup(faults_fifo_and_method, setup),
        cmocka_unit_test_setup(fault_spec_errors, setup),
        cmocka_unit_test_setup(latency_single, setup),
        cmocka_unit_test_setup(latency_does_not_block, setup),
        cmocka_unit_test_setup(counters_and_reset, setup),
        cmocka_unit_test_setup(request_log, setup),
        cmocka_unit_test_setup(config_roundtrip, setup),
        cmocka_unit_test_setup(direct_tokens, setup),
        cmocka_unit_test_setup(catalog_listing, setup),
    };
    return cmocka_run_group_tests(tests, test_emu_group_setup, test_emu_group_teardown);
}
