/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_test_server.c - the support server itself (tests/support/test_server.c),
 * driven with libcurl's easy interface: queued and default responses, the 404
 * fallback, request recording (headers, query, bodies), dropped connections,
 * extra headers, delays, keep-alive reuse, reset and stop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "test_server.h"

#define NOT_QUEUED_BODY "{\"error\":{\"status\":404,\"message\":\"no response queued\"}}"

/* What one transfer brought back. */
typedef struct reply {
    CURLcode code;
    long status;
    char *body;
    size_t body_len;
    char *headers; /* raw response header lines */
    size_t headers_len;
} reply;

static void grow_append(char **data, size_t *len, const char *add, size_t add_len)
{
    char *grown = realloc(*data, *len + add_len + 1);
    assert_non_null(grown);
    memcpy(grown + *len, add, add_len);
    *len += add_len;
    grown[*len] = '\0';
    *data = grown;
}

static size_t on_body(char *data, size_t size, size_t count, void *userdata)
{
    reply *r = userdata;
    grow_append(&r->body, &r->body_len, data, size * count);
    return size * count;
}

static size_t on_header(char *data, size_t size, size_t count, void *userdata)
{
    reply *r = userdata;
    grow_append(&r->headers, &r->headers_len, data, size * count);
    return size * count;
}

static void reply_free(reply *r)
{
    free(r->body);
    free(r->headers);
    memset(r, 0, sizeof *r);
}

static char *make_url(const test_server *server, const char *path)
{
    size_t size = strlen(test_server_url(server)) + strlen(path) + 1;
    char *url = malloc(size);
    assert_non_null(url);
    snprintf(url, size, "%s%s", test_server_url(server), path);
    return url;
}

/* Runs one transfer on `curl` (already configured for method and body). */
static reply perform(CURL *curl, const test_server *server, const char *path)
{
    reply r;
    memset(&r, 0, sizeof r);
    grow_append(&r.body, &r.body_len, "", 0);
    grow_append(&r.headers, &r.headers_len, "", 0);
    char *url = make_url(server, path);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    r.code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
    free(url);
    return r;
}

/* A GET on a fresh connection. */
static reply get(const test_server *server, const char *path)
{
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    reply r = perform(curl, server, path);
    curl_easy_cleanup(curl);
    return r;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- fixtures ---------------------------------------------------------- */

static int group_setup(void **state)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    *state = test_server_start();
    return 0;
}

static int group_teardown(void **state)
{
    test_server_stop(*state);
    curl_global_cleanup();
    return 0;
}

static int reset_server(void **state)
{
    test_server_reset(*state);
    return 0;
}

/* ---- tests ------------------------------------------------------------- */

static void test_url_and_port(void **state)
{
    test_server *server = *state;
    assert_true(test_server_port(server) > 0);
    char expect[64];
    snprintf(expect, sizeof expect, "http://127.0.0.1:%d", test_server_port(server));
    assert_string_equal(test_server_url(server), expect);
}

static void test_queued_in_order(void **state)
{
    test_server *server = *state;
    test_response one = {.body = "one"};
    test_response two = {.status = 201, .body = "two"};
    test_response three = {.status = 500, .body = "three"};
    test_server_enqueue(server, "/queue", &one);
    test_server_enqueue(server, "/queue", &two);
    test_server_enqueue(server, "/queue", &three);

    static const struct {
        long status;
        const char *body;
    } expected[] = {{200, "one"}, {201, "two"}, {500, "three"}, {404, NOT_QUEUED_BODY}};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        reply r = get(server, "/queue?attempt=1");
        assert_int_equal(r.code, CURLE_OK);
        assert_int_equal(r.status, expected[i].status);
        assert_string_equal(r.body, expected[i].body);
        reply_free(&r);
    }
    assert_int_equal(test_server_count(server, "/queue"), 4);
    assert_int_equal(test_server_count(server, NULL), 4);
    assert_int_equal(test_server_count(server, "/other"), 0);
}

static void test_default_response(void **state)
{
    test_server *server = *state;
    test_response first = {.body = "first"};
    test_response fallback = {.status = 202, .body = "default"};
    test_server_enqueue(server, "/d", &first);
    test_server_set_default(server, "/d", &fallback);

    const char *bodies[] = {"first", "default", "default"};
    for (size_t i = 0; i < 3; i++) {
        reply r = get(server, "/d");
        assert_int_equal(r.code, CURLE_OK);
        assert_string_equal(r.body, bodies[i]);
        assert_int_equal(r.status, i == 0 ? 200 : 202);
        reply_free(&r);
    }
    test_response replaced = {.body = "replaced"};
    test_server_set_default(server, "/d", &replaced);
    reply r = get(server, "/d");
    assert_string_equal(r.body, "replaced");
    reply_free(&r);
    assert_int_equal(test_server_count(server, "/d"), 4);
}

static void test_not_queued_is_404(void **state)
{
    test_server *server = *state;
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    reply r = perform(curl, server, "/nothing/here");
    assert_int_equal(r.code, CURLE_OK);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, NOT_QUEUED_BODY);
    char *type = NULL;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    assert_non_null(type);
    assert_string_equal(type, "application/json");
    reply_free(&r);
    curl_easy_cleanup(curl);
}

static void test_records_headers_and_query(void **state)
{
    test_server *server = *state;
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    struct curl_slist *headers = curl_slist_append(NULL, "X-Custom-Thing: Hello there");
    headers = curl_slist_append(headers, "Authorization: Bearer abc");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    reply r = perform(curl, server, "/h/x?b=2&a=%20x");
    assert_int_equal(r.code, CURLE_OK);
    reply_free(&r);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);

    test_request req;
    assert_true(test_server_request(server, 0, &req));
    assert_string_equal(req.method, "GET");
    assert_string_equal(req.path, "/h/x");
    assert_string_equal(req.query, "b=2&a=%20x");
    assert_int_equal(req.body_len, 0);
    assert_string_equal(req.body, "");
    assert_non_null(strstr(req.headers, "x-custom-thing: Hello there\n"));
    assert_non_null(strstr(req.headers, "authorization: Bearer abc\n"));
    char value[64];
    assert_true(test_request_header(&req, "X-CUSTOM-THING", value, sizeof value));
    assert_string_equal(value, "Hello there");
    assert_true(test_request_header(&req, "host", value, sizeof value));
    assert_true(test_request_header(&req, "authorization", value, 8));
    assert_string_equal(value, "Bearer "); /* truncated to fit */
    assert_false(test_request_header(&req, "x-custom", value, sizeof value));
    assert_false(test_request_header(&req, "x-missing", value, sizeof value));
    test_request_free(&req);

    assert_false(test_server_request(server, 1, &req));
    assert_false(test_server_request(server, -1, &req));
    test_request_free(&req);

    r = get(server, "/plain");
    reply_free(&r);
    assert_true(test_server_request(server, 1, &req));
    assert_string_equal(req.path, "/plain");
    assert_string_equal(req.query, "");
    test_request_free(&req);
}

static void post(test_server *server, const char *path, const char *body, size_t len)
{
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    reply r = perform(curl, server, path);
    assert_int_equal(r.code, CURLE_OK);
    assert_int_equal(r.status, 200);
    reply_free(&r);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
}

static void test_records_post_body(void **state)
{
    test_server *server = *state;
    test_response ok = {.body = "{}"};
    test_server_set_default(server, "/p", &ok);
    const char *small = "{\"name\":\"a playlist\"}";
    post(server, "/p", small, strlen(small));

    /* a large body arrives in several chunks (and after Expect: 100-continue) */
    size_t big_len = 300000;
    char *big = malloc(big_len + 1);
    assert_non_null(big);
    for (size_t i = 0; i < big_len; i++)
        big[i] = (char)('a' + (char)(i % 26));
    big[big_len] = '\0';
    post(server, "/p", big, big_len);

    test_request req;
    assert_true(test_server_request(server, 0, &req));
    assert_string_equal(req.method, "POST");
    assert_int_equal(req.body_len, strlen(small));
    assert_string_equal(req.body, small);
    char value[64];
    assert_true(test_request_header(&req, "content-type", value, sizeof value));
    assert_string_equal(value, "application/json");
    test_request_free(&req);

    assert_true(test_server_request(server, 1, &req));
    assert_int_equal(req.body_len, big_len);
    assert_memory_equal(req.body, big, big_len);
    assert_int_equal(req.body[big_len], '\0');
    test_request_free(&req);
    free(big);
}

static void test_drop_connection(void **state)
{
    test_server *server = *state;
    test_response drop = {.body = "never sent", .drop_connection = true};
    test_response fine = {.body = "fine"};
    test_server_enqueue(server, "/drop", &drop);
    test_server_enqueue(server, "/drop", &fine);
    reply r = get(server, "/drop");
    assert_int_equal(r.code, CURLE_GOT_NOTHING);
    reply_free(&r);
    assert_int_equal(test_server_count(server, "/drop"), 1);
    r = get(server, "/drop");
    assert_int_equal(r.code, CURLE_OK);
    assert_string_equal(r.body, "fine");
    reply_free(&r);
}

static void test_extra_headers(void **state)
{
    test_server *server = *state;
    test_response limited = {
        .status = 429,
        .body = "{\"error\":{\"status\":429}}",
        .content_type = "text/plain; charset=utf-8",
        .headers = {"Retry-After: 120", "X-Spaced:   value with spaces", NULL},
    };
    test_server_enqueue(server, "/limited", &limited);
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    reply r = perform(curl, server, "/limited");
    assert_int_equal(r.code, CURLE_OK);
    assert_int_equal(r.status, 429);
    assert_non_null(strstr(r.headers, "Retry-After: 120\r\n"));
    assert_non_null(strstr(r.headers, "X-Spaced: value with spaces\r\n"));
    char *type = NULL;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    assert_non_null(type);
    assert_string_equal(type, "text/plain; charset=utf-8");
    reply_free(&r);
    curl_easy_cleanup(curl);
}

static void test_full_header_array(void **state)
{
    test_server *server = *state;
    test_response full = {
        .body = "",
        .headers = {"A-0: 0", "A-1: 1", "A-2: 2", "A-3: 3", "A-4: 4", "A-5: 5", "A-6: 6", "A-7: 7"},
    };
    test_server_enqueue(server, "/full", &full);
    reply r = get(server, "/full");
    assert_int_equal(r.code, CURLE_OK);
    assert_non_null(strstr(r.headers, "A-0: 0\r\n"));
    assert_non_null(strstr(r.headers, "A-7: 7\r\n"));
    assert_int_equal(r.body_len, 0);
    reply_free(&r);
}

static void test_delay(void **state)
{
    test_server *server = *state;
    test_response slow = {.body = "slow", .delay_ms = 400};
    test_server_enqueue(server, "/slow", &slow);
    test_server_enqueue(server, "/slow", &slow);

    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 100L);
    reply r = perform(curl, server, "/slow");
    assert_int_equal(r.code, CURLE_OPERATION_TIMEDOUT);
    reply_free(&r);
    curl_easy_cleanup(curl);

    int64_t start = now_ms();
    r = get(server, "/slow");
    int64_t took = now_ms() - start;
    assert_int_equal(r.code, CURLE_OK);
    assert_string_equal(r.body, "slow");
    assert_true(took >= 390);
    reply_free(&r);
}

static void test_keep_alive(void **state)
{
    test_server *server = *state;
    test_response a = {.body = "a"};
    test_response b = {.body = "b"};
    test_server_enqueue(server, "/k", &a);
    test_server_enqueue(server, "/k", &b);
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    long connects = -1;

    reply r = perform(curl, server, "/k");
    assert_int_equal(r.code, CURLE_OK);
    assert_string_equal(r.body, "a");
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
    assert_int_equal(connects, 1);
    reply_free(&r);

    r = perform(curl, server, "/k");
    assert_int_equal(r.code, CURLE_OK);
    assert_string_equal(r.body, "b");
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
    assert_int_equal(connects, 0);
    reply_free(&r);
    curl_easy_cleanup(curl);
}

static void test_decoded_path_matches(void **state)
{
    test_server *server = *state;
    test_response hit = {.body = "hit"};
    test_server_enqueue(server, "/v1/users/a b", &hit);
    reply r = get(server, "/v1/users/a%20b?x=1");
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "hit");
    reply_free(&r);
    test_request req;
    assert_true(test_server_request(server, 0, &req));
    assert_string_equal(req.path, "/v1/users/a%20b"); /* as sent */
    test_request_free(&req);
    assert_int_equal(test_server_count(server, "/v1/users/a%20b"), 1);
    assert_int_equal(test_server_count(server, "/v1/users/a b"), 1);
}

static void test_reset(void **state)
{
    test_server *server = *state;
    test_response queued = {.body = "queued"};
    test_server_enqueue(server, "/r", &queued);
    test_server_enqueue(server, "/r", &queued);
    test_server_set_default(server, "/r", &queued);
    reply r = get(server, "/r");
    reply_free(&r);
    assert_int_equal(test_server_count(server, NULL), 1);

    test_server_reset(server);
    assert_int_equal(test_server_count(server, NULL), 0);
    test_request req;
    assert_false(test_server_request(server, 0, &req));
    test_request_free(&req);
    r = get(server, "/r");
    assert_int_equal(r.status, 404);
    reply_free(&r);
}

static void test_stop_with_open_connection(void **state)
{
    (void)state;
    test_server *other = test_server_start();
    test_response slow = {.body = "x"};
    test_server_enqueue(other, "/x", &slow);
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    reply r = perform(curl, other, "/x"); /* leaves an idle keep-alive connection */
    assert_int_equal(r.code, CURLE_OK);
    reply_free(&r);

    int64_t start = now_ms();
    test_server_stop(other);
    assert_true(now_ms() - start < 10000); /* not the 120 s connection timeout */
    curl_easy_cleanup(curl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_url_and_port, reset_server),
        cmocka_unit_test_setup(test_queued_in_order, reset_server),
        cmocka_unit_test_setup(test_default_response, reset_server),
        cmocka_unit_test_setup(test_not_queued_is_404, reset_server),
        cmocka_unit_test_setup(test_records_headers_and_query, reset_server),
        cmocka_unit_test_setup(test_records_post_body, reset_server),
        cmocka_unit_test_setup(test_drop_connection, reset_server),
        cmocka_unit_test_setup(test_extra_headers, reset_server),
        cmocka_unit_test_setup(test_full_header_array, reset_server),
        cmocka_unit_test_setup(test_delay, reset_server),
        cmocka_unit_test_setup(test_keep_alive, reset_server),
        cmocka_unit_test_setup(test_decoded_path_matches, reset_server),
        cmocka_unit_test_setup(test_reset, reset_server),
        cmocka_unit_test_setup(test_stop_with_open_connection, reset_server),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
