/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_transport.c - the client's HTTP path (transport, retry driver,
 * cooldown, observer, error records) against a real HTTP server on
 * 127.0.0.1. Waits run on an injected clock: no test sleeps for real
 * except the two timeout tests (a few hundred milliseconds).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "http/transport.h"
#include "test_server.h"
#include "test_util.h"

#define TOKEN "test-access-token-123"

typedef struct fixture {
    test_server *server;
    test_clock clock;
    spotify_clock clock_hooks;
    spotify_client_options opts;
    spotify_client *client;
    int events;
    spotify_http_event last_event;
    char last_url[512];
    int connections_opened;
} fixture;

static void on_event(const spotify_http_event *event, void *user)
{
    fixture *f = user;
    f->events++;
    f->last_event = *event;
    snprintf(f->last_url, sizeof f->last_url, "%s", event->url);
    f->last_event.url = f->last_url;
    f->connections_opened += event->new_connections;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->server = test_server_start();
    f->clock.now_ms = 1000000;
    f->clock_hooks = (spotify_clock){test_clock_now, test_clock_sleep, &f->clock};
    spotify_client_options defaults = SPOTIFY_CLIENT_OPTIONS_INIT;
    f->opts = defaults;
    f->opts.api_base_url = test_server_url(f->server);
    f->opts.access_token = TOKEN;
    f->opts.clock = &f->clock_hooks;
    f->opts.observer = on_event;
    f->opts.observer_user = f;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    spotify_client_free(f->client);
    test_server_stop(f->server);
    free(f);
    return 0;
}

static void client_open(fixture *f)
{
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&f->client, &f->opts, &err), SPOTIFY_OK);
}

static spotify_status get(fixture *f, const char *path, spotify_response **out, spotify_error *err)
{
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = path;
    return spotify_client_send(out, f->client, &request, err);
}

static spotify_status post(fixture *f, const char *path, spotify_error *err)
{
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.method = "POST";
    request.path = path;
    request.body = "{\"name\":\"x\"}";
    request.body_len = strlen(request.body);
    spotify_response *response = NULL;
    spotify_status st = spotify_client_send(&response, f->client, &request, err);
    spotify_response_free(response);
    return st;
}

/* A port on 127.0.0.1 that nothing listens on. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, (struct sockaddr *)&addr, &len);
    close(fd);
    return ntohs(addr.sin_port);
}

static void test_success_sends_token_user_agent_and_query(void **state)
{
    fixture *f = *state;
    f->opts.accept_language = "sv-SE";
    client_open(f);
    test_response ok = {.status = 200, .body = "{\"id\":\"abc\"}"};
    test_server_enqueue(f->server, "/albums/abc", &ok);
    spotify_param params[] = {{"market", "SE"}, {"q", "Beyoncé & co/?"}, {"skip", NULL}};
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/albums/abc";
    request.query = params;
    request.query_count = 3;
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_send(&response, f->client, &request, &err), SPOTIFY_OK);
    assert_int_equal(response->http_status, 200);
    assert_string_equal(response->body, "{\"id\":\"abc\"}");
    assert_int_equal(response->body_len, 12);
    assert_int_equal(response->attempts, 1);
    assert_non_null(strstr(response->content_type, "application/json"));
    spotify_response_free(response);

    test_request seen;
    assert_true(test_server_request(f->server, 0, &seen));
    char value[256];
    assert_true(test_request_header(&seen, "authorization", value, sizeof value));
    assert_string_equal(value, "Bearer " TOKEN);
    assert_true(test_request_header(&seen, "user-agent", value, sizeof value));
    assert_non_null(strstr(value, "spotify-sdk-c/"));
    assert_true(test_request_header(&seen, "accept-language", value, sizeof value));
    assert_string_equal(value, "sv-SE");
    assert_string_equal(seen.method, "GET");
    assert_string_equal(seen.query, "market=SE&q=Beyonc%C3%A9%20%26%20co%2F%3F");
    test_request_free(&seen);
}

static void test_accept_language_per_call_override(void **state)
{
    fixture *f = *state;
    f->opts.accept_language = "sv-SE";
    client_open(f);
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    request.accept_language = "ja";
    test_response ok = {.status = 200, .body = "{}"};
    test_server_enqueue(f->server, "/me", &ok);
    spotify_response *response = NULL;
    assert_int_equal(spotify_client_send(&response, f->client, &request, NULL), SPOTIFY_OK);
    spotify_response_free(response);
    test_request seen;
    assert_true(test_server_request(f->server, 0, &seen));
    char value[64];
    assert_true(test_request_header(&seen, "accept-language", value, sizeof value));
    assert_string_equal(value, "ja");
    test_request_free(&seen);
}

static void test_connection_refused_is_transport_error_after_retries(void **state)
{
    fixture *f = *state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", closed_port());
    f->opts.api_base_url = url;
    client_open(f);
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(get(f, "/me", &response, &err), SPOTIFY_ETRANSPORT);
    assert_null(response);
    assert_int_equal(err.status, SPOTIFY_ETRANSPORT);
    assert_int_equal(err.http_status, 0);
    assert_int_equal(err.attempts, 4);
    assert_int_equal(f->events, 4);
    assert_int_equal(f->clock.sleeps, 3);
    /* backoff 500, 1000, 2000 ms, each times a jitter in [0.5, 1.0] */
    assert_in_range(f->clock.slept_ms, 1750, 3500);
    assert_non_null(strstr(err.message, "/v1/me"));
}

static void test_post_retried_when_connection_refused(void **state)
{
    fixture *f = *state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_port());
    f->opts.api_base_url = url;
    f->opts.retry.max_retries = 2;
    client_open(f);
    spotify_error err = {0};
    assert_int_equal(post(f, "/me/playlists", &err), SPOTIFY_ETRANSPORT);
    assert_int_equal(err.attempts, 3);
}

static void test_503_then_200_succeeds_with_two_attempts(void **state)
{
    fixture *f = *state;
    client_open(f);
    test_response unavailable = {.status = 503, .body = "{}"};
    test_response ok = {.status = 200, .body = "{\"ok\":true}"};
    test_server_enqueue(f->server, "/tracks/t", &unavailable);
    test_server_enqueue(f->server, "/tracks/t", &ok);
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(get(f, "/tracks/t", &response, &err), SPOTIFY_OK);
    assert_int_equal(response->attempts, 2);
    assert_int_equal(test_server_count(f->server, "/tracks/t"), 2);
    assert_int_equal(f->clock.sleeps, 1);
    assert_in_range(f->clock.slept_ms, 250, 500);
    spotify_response_free(response);
}

static void test_429_waits_retry_after_on_the_clock(void **state)
{
    fixture *f = *state;
    client_open(f);
    test_response limited = {.status = 429, .body = "{}", .headers = {"Retry-After: 1"}};
    test_response ok = {.status = 200, .body = "{}"};
    test_server_enqueue(f->server, "/search", &limited);
    test_server_enqueue(f->server, "/search", &ok);
    spotify_response *response = NULL;
    assert_int_equal(get(f, "/search", &response, NULL), SPOTIFY_OK);
    assert_int_equal(f->clock.slept_ms, 1000);
    assert_int_equal(test_server_count(f->server, "/search"), 2);
    spotify_response_free(response);
}

static void test_429_beyond_cap_fails_at_once_with_the_wait(void **state)
{
    fixture *f = *state;
    client_open(f);
    test_response limited = {
        .status = 429,
        .body = "{\"error\":{\"status\":429,\"message\":\"API rate limit exceeded\"}}",
        .headers = {"Retry-After: 120"}};
    test_server_enqueue(f->server, "/search", &limited);
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(get(f, "/search", &response, &err), SPOTIFY_ERATELIMIT);
    assert_int_equal(err.retry_after_ms, 120000);
    assert_int_equal(err.http_status, 429);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(f->clock.slept_ms, 0);
    assert_non_null(strstr(err.message, "API rate limit exceeded"));
}

static void test_cooldown_is_shared_by_later_calls(void **state)
{
    fixture *f = *state;
    f->opts.retry.max_retries = SPOTIFY_RETRY_NONE;
    client_open(f);
    test_response limited = {.status = 429, .body = "{}", .headers = {"Retry-After: 2"}};
    test_response ok = {.status = 200, .body = "{}"};
    test_server_enqueue(f->server, "/a", &limited);
    test_server_set_default(f->server, "/b", &ok);
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(get(f, "/a", &response, &err), SPOTIFY_ERATELIMIT);
    assert_int_equal(f->clock.slept_ms, 0);
    /* Another call on the same client waits out the cooldown before sending. */
    f->clock.now_ms += 500;
    assert_int_equal(get(f, "/b", &response, &err), SPOTIFY_OK);
    assert_int_equal(f->clock.slept_ms, 1500);
    assert_int_equal(f->clock.sleeps, 1);
    spotify_response_free(response);
}

static void test_cooldown_fail_fast_sends_nothing(void **state)
{
    fixture *f = *state;
    f->opts.retry.fail_fast = true;
    client_open(f);
    test_response limited = {.status = 429, .body = "{}", .headers = {"Retry-After: 5"}};
    test_server_enqueue(f->server, "/a", &limited);
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(get(f, "/a", &response, &err), SPOTIFY_ERATELIMIT);
    assert_int_equal(err.retry_after_ms, 5000);
    assert_int_equal(get(f, "/b", &response, &err), SPOTIFY_ERATELIMIT);
    assert_int_equal(err.retry_after_ms, 5000);
    assert_int_equal(err.attempts, 0);
    /* Named like every other HTTP error: method and path, then why. */
    assert_non_null(strstr(err.message, "GET /b: not sent: the client is cooling down"));
    assert_int_equal(test_server_count(f->server, "/b"), 0);
    assert_int_equal(f->clock.slept_ms, 0);
}

static void test_deadline_ends_retries(void **state)
{
    fixture *f = *state;
    f->opts.timeouts.call_ms = 1500;
    client_open(f);
    test_response limited = {.status = 429, .body = "{}", .headers = {"Retry-After: 1"}};
    test_server_set_default(f->server, "/a", &limited);
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(get(f, "/a", &response, &err), SPOTIFY_ERATELIMIT);
    assert_int_equal(test_server_count(f->server, "/a"), 2);
    assert_int_equal(f->clock.slept_ms, 1000);
    assert_int_equal(err.retry_after_ms, 1000);
}

static void test_404_is_not_retried_and_carries_spotify_message(void **state)
{
    fixture *f = *state;
    client_open(f);
    test_response missing = {
        .status = 404, .body = "{\"error\":{\"status\":404,\"message\":\"Non existing id\"}}"};
    test_server_enqueue(f->server, "/albums/zzz", &missing);
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(get(f, "/albums/zzz", &response, &err), SPOTIFY_ENOTFOUND);
    assert_int_equal(err.http_status, 404);
    assert_int_equal(err.attempts, 1);
    assert_non_null(strstr(err.message, "Non existing id"));
    assert_non_null(strstr(err.body, "Non existing id"));
    assert_int_equal(test_server_count(f->server, "/albums/zzz"), 1);
}

static void test_status_categories(void **state)
{
    fixture *f = *state;
    f->opts.retry.max_retries = SPOTIFY_RETRY_NONE;
    client_open(f);
    struct {
        int http;
        spotify_status expected;
    } cases[] = {{400, SPOTIFY_EBADREQUEST}, {401, SPOTIFY_EAUTH},       {403, SPOTIFY_EFORBIDDEN},
                 {404, SPOTIFY_ENOTFOUND},   {409, SPOTIFY_EBADREQUEST}, {500, SPOTIFY_ESERVER},
                 {502, SPOTIFY_ESERVER}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_response r = {.status = cases[i].http, .body = "{}"};
        test_server_enqueue(f->server, "/x", &r);
        spotify_response *response = NULL;
        spotify_error err = {0};
        assert_int_equal(get(f, "/x", &response, &err), cases[i].expected);
        assert_int_equal(err.status, cases[i].expected);
        assert_int_equal(err.http_status, cases[i].http);
    }
}

static void test_post_500_not_retried_but_503_with_retry_after_is(void **state)
{
    fixture *f = *state;
    client_open(f);
    test_response failing = {.status = 500, .body = "{}"};
    test_server_enqueue(f->server, "/p", &failing);
    spotify_error err = {0};
    assert_int_equal(post(f, "/p", &err), SPOTIFY_ESERVER);
    assert_int_equal(test_server_count(f->server, "/p"), 1);

    test_response busy = {.status = 503, .body = "{}", .headers = {"Retry-After: 2"}};
    test_response created = {.status = 201, .body = "{}"};
    test_server_enqueue(f->server, "/q", &busy);
    test_server_enqueue(f->server, "/q", &created);
    assert_int_equal(post(f, "/q", &err), SPOTIFY_OK);
    assert_int_equal(test_server_count(f->server, "/q"), 2);
    assert_int_equal(f->clock.slept_ms, 2000);
}

static void test_post_timeout_is_not_retried(void **state)
{
    fixture *f = *state;
    f->opts.timeouts.attempt_ms = 200;
    client_open(f);
    test_response slow = {.status = 201, .body = "{}", .delay_ms = 600};
    test_server_set_default(f->server, "/slow", &slow);
    spotify_error err = {0};
    assert_int_equal(post(f, "/slow", &err), SPOTIFY_ETRANSPORT);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(test_server_count(f->server, "/slow"), 1);
}

static void test_get_timeout_is_retried(void **state)
{
    fixture *f = *state;
    f->opts.timeouts.attempt_ms = 200;
    f->opts.retry.max_retries = 1;
    client_open(f);
    test_response slow = {.status = 200, .body = "{}", .delay_ms = 600};
    test_response ok = {.status = 200, .body = "{}"};
    test_server_enqueue(f->server, "/slow", &slow);
    test_server_enqueue(f->server, "/slow", &ok);
    spotify_response *response = NULL;
    assert_int_equal(get(f, "/slow", &response, NULL), SPOTIFY_OK);
    assert_int_equal(response->attempts, 2);
    spotify_response_free(response);
}

static void test_dropped_connection_is_retried_for_get(void **state)
{
    fixture *f = *state;
    client_open(f);
    test_response drop = {.drop_connection = true};
    test_response ok = {.status = 200, .body = "{}"};
    test_server_enqueue(f->server, "/d", &drop);
    test_server_enqueue(f->server, "/d", &ok);
    spotify_response *response = NULL;
    assert_int_equal(get(f, "/d", &response, NULL), SPOTIFY_OK);
    assert_int_equal(response->attempts, 2);
    spotify_response_free(response);
}

static void test_error_body_is_redacted(void **state)
{
    fixture *f = *state;
    client_open(f);
    test_response bad = {.status = 400,
                         .body =
                             "{\"error\":\"invalid_request\",\"access_token\":\"leaked-secret\"}"};
    test_server_enqueue(f->server, "/x", &bad);
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(get(f, "/x", &response, &err), SPOTIFY_EBADREQUEST);
    assert_null(strstr(err.body, "leaked-secret"));
    assert_null(strstr(err.message, "leaked-secret"));
    assert_non_null(strstr(err.body, "[REDACTED]"));
}

static void test_observer_sees_each_attempt_with_redacted_url(void **state)
{
    fixture *f = *state;
    client_open(f);
    test_response unavailable = {.status = 502, .body = "{}"};
    test_response ok = {.status = 200, .body = "{\"a\":1}"};
    test_server_enqueue(f->server, "/o", &unavailable);
    test_server_enqueue(f->server, "/o", &ok);
    spotify_param params[] = {{"code", "secret-code"}};
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/o";
    request.query = params;
    request.query_count = 1;
    spotify_response *response = NULL;
    assert_int_equal(spotify_client_send(&response, f->client, &request, NULL), SPOTIFY_OK);
    spotify_response_free(response);
    assert_int_equal(f->events, 2);
    assert_int_equal(f->last_event.attempt, 2);
    assert_int_equal(f->last_event.http_status, 200);
    assert_int_equal(f->last_event.result, SPOTIFY_OK);
    assert_false(f->last_event.will_retry);
    assert_int_equal(f->last_event.bytes_received, 7);
    assert_string_equal(f->last_event.method, "GET");
    assert_null(strstr(f->last_url, "secret-code"));
    assert_non_null(strstr(f->last_url, "[REDACTED]"));
}

typedef struct worker_args {
    fixture *f;
    int failures;
} worker_args;

static void *worker(void *arg)
{
    worker_args *args = arg;
    for (int i = 0; i < 25; i++) {
        spotify_response *response = NULL;
        if (get(args->f, "/shared", &response, NULL) != SPOTIFY_OK)
            args->failures++;
        spotify_response_free(response);
    }
    return NULL;
}

static void test_connections_are_reused_across_calls_and_threads(void **state)
{
    fixture *f = *state;
    client_open(f);
    test_response ok = {.status = 200, .body = "{}"};
    test_server_set_default(f->server, "/shared", &ok);
    spotify_response *response = NULL;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(get(f, "/shared", &response, NULL), SPOTIFY_OK);
        spotify_response_free(response);
    }
    assert_int_equal(f->connections_opened, 1);

    /* The observer counter is not atomic: give each thread a private one. */
    f->opts.observer = NULL;
    spotify_client_free(f->client);
    f->client = NULL;
    client_open(f);
    pthread_t threads[4];
    worker_args args[4] = {{f, 0}, {f, 0}, {f, 0}, {f, 0}};
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, worker, &args[i]);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(args[i].failures, 0);
    }
    assert_int_equal(test_server_count(f->server, "/shared"), 105);
}

#define INJECTING "abc\r\nX-Injected: 1"
#define SMUGGLING "abc\r\n\r\nGET /smuggled HTTP/1.1"

/* True when any request the server saw carried the injected header or went
 * to the smuggled path. */
static bool saw_injection(fixture *f)
{
    test_request seen;
    for (int n = 0; test_server_request(f->server, n, &seen); n++) {
        bool bad =
            strstr(seen.headers, "x-injected") != NULL || strcmp(seen.path, "/smuggled") == 0;
        test_request_free(&seen);
        if (bad)
            return true;
    }
    return false;
}

/* A client-credentials client whose token endpoint (this server) answers
 * `body` (chunked or not): the status and error of a GET /v1/me. */
static spotify_status get_with_token_answer(fixture *f, const char *body, bool chunked,
                                            spotify_error *err)
{
    test_server_reset(f->server);
    test_response r = {.status = 200, .body = body, .chunked = chunked};
    test_server_enqueue(f->server, "/api/token", &r);
    f->opts.access_token = NULL;
    f->opts.client_id = "my-client";
    f->opts.client_secret = "my-secret";
    f->opts.accounts_base_url = test_server_url(f->server);
    spotify_client_free(f->client);
    client_open(f);
    spotify_response *response = NULL;
    spotify_status st = get(f, "/v1/me", &response, err);
    spotify_response_free(response);
    spotify_client_free(f->client);
    f->client = NULL;
    return st;
}

/* A token endpoint answering a token with CR/LF: the token is refused as an
 * auth error and no API request is made with it. */
static void test_token_endpoint_header_injection_refused(void **state)
{
    fixture *f = *state;
    const char *bodies[] = {
        "{\"access_token\":\"abc\\r\\nX-Injected: "
        "1\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
        "{\"access_token\":\"abc\\r\\n\\r\\nGET /smuggled HTTP/1.1\",\"token_type\":\"Bearer\","
        "\"expires_in\":3600}"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        spotify_error err = {0};
        assert_int_equal(get_with_token_answer(f, bodies[i], false, &err), SPOTIFY_EAUTH);
        assert_non_null(strstr(err.message, "RFC 6750"));
        assert_null(strstr(err.message, "X-Injected"));
        assert_int_equal(test_server_count(f->server, "/v1/me"), 0);
        assert_false(saw_injection(f));
    }
}

static spotify_status injecting_provider(void *user, bool force, char *buf, size_t size,
                                         spotify_error *err)
{
    (void)user;
    (void)force;
    (void)err;
    snprintf(buf, size, "%s", SMUGGLING);
    return SPOTIFY_OK;
}

/* Every other source of a token or header value: refused before sending. */
static void test_header_values_from_options_and_providers_refused(void **state)
{
    fixture *f = *state;
    spotify_client *client = NULL;
    spotify_error err = {0};
    f->opts.access_token = INJECTING;
    assert_int_equal(spotify_client_new(&client, &f->opts, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "RFC 6750"));
    f->opts.access_token = TOKEN;
    f->opts.user_agent = "my-app/1.0\r\nX-Injected: 1";
    assert_int_equal(spotify_client_new(&client, &f->opts, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "user_agent"));
    f->opts.user_agent = NULL;

    spotify_auth_ops ops = {.version = SPOTIFY_AUTH_OPS_VERSION, .get_token = injecting_provider};
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_custom_new(&auth, &ops, NULL, &err), SPOTIFY_OK);
    f->opts.access_token = NULL;
    f->opts.auth = auth;
    client_open(f);
    spotify_response *response = NULL;
    assert_int_equal(get(f, "/v1/me", &response, &err), SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "custom auth provider"));
    spotify_client_free(f->client);
    f->client = NULL;
    spotify_auth_free(auth);
    assert_int_equal(test_server_count(f->server, NULL), 0);
}

/* The transport's own guard: a header with a line break never reaches
 * libcurl, whoever built it. */
static void test_transport_refuses_header_with_line_break(void **state)
{
    fixture *f = *state;
    spotify__transport *transport = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify__transport_new(&transport, NULL, &err), SPOTIFY_OK);
    char url[256];
    snprintf(url, sizeof url, "%s/v1/me", test_server_url(f->server));
    spotify__http_request request = {.method = "GET",
                                     .url = url,
                                     .timeout_ms = 5000,
                                     .connect_timeout_ms = 5000,
                                     .idempotent = true};
    request.headers[request.header_count++] = "Authorization: Bearer " SMUGGLING;
    spotify__http_response response;
    spotify__http_response_init(&response);
    spotify__transport_attempt attempt;
    assert_int_equal(spotify__attempt_begin(&attempt, transport, &request, &response, false, &err),
                     SPOTIFY_EINVALID);
    assert_null(strstr(err.message, "smuggled"));
    spotify__http_response_release(&response);
    spotify__transport_free(transport);
    assert_int_equal(test_server_count(f->server, NULL), 0);
}

/* A token endpoint answering more than 64 KiB (announced or chunked) is a
 * protocol error with a message saying so, read no further. */
static void test_token_response_capped_at_64k(void **state)
{
    fixture *f = *state;
    size_t big = 200 * 1024;
    char *body = malloc(big + 1);
    memset(body, ' ', big);
    memcpy(body, "{\"access_token\":\"x\",", 20);
    body[big - 1] = '}';
    body[big] = '\0';
    for (int chunked = 0; chunked < 2; chunked++) {
        spotify_error err = {0};
        assert_int_equal(get_with_token_answer(f, body, chunked == 1, &err), SPOTIFY_EPROTOCOL);
        assert_non_null(strstr(err.message, "larger than the 65536-byte limit"));
        assert_null(strstr(err.message, "Failure writing output"));
        assert_int_equal(test_server_count(f->server, "/api/token"), 1); /* not retried */
    }
    free(body);
}

/* An API body past the transport's limit: a clear message, not curl's
 * "Failure writing output" (limit lowered on the request to keep the test
 * small; the API's own limit is SPOTIFY__HTTP_MAX_BODY). */
static void test_body_over_limit_is_a_clear_protocol_error(void **state)
{
    fixture *f = *state;
    char body[5000];
    memset(body, 'a', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    spotify__transport *transport = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify__transport_new(&transport, NULL, &err), SPOTIFY_OK);
    char url[256];
    snprintf(url, sizeof url, "%s/big", test_server_url(f->server));
    for (int chunked = 0; chunked < 2; chunked++) {
        test_response r = {.status = 200, .body = body, .chunked = chunked == 1};
        test_server_enqueue(f->server, "/big", &r);
        spotify__http_request request = {.method = "GET",
                                         .url = url,
                                         .timeout_ms = 5000,
                                         .connect_timeout_ms = 5000,
                                         .idempotent = true,
                                         .max_body = 1000};
        spotify__http_response response;
        spotify__http_response_init(&response);
        spotify__transport_attempt attempt;
        assert_int_equal(
            spotify__attempt_begin(&attempt, transport, &request, &response, false, &err),
            SPOTIFY_OK);
        CURLcode rc = curl_easy_perform(attempt.easy);
        assert_int_equal(spotify__attempt_end(&attempt, rc, &err), SPOTIFY_OK);
        assert_int_equal(response.failure, SPOTIFY__FAILURE_TOO_LARGE);
        assert_non_null(strstr(response.error, "larger than the 1000-byte limit"));
        assert_true(response.body.len <= 1000);
        spotify__http_response_release(&response);
    }
    spotify__transport_free(transport);
}

static void test_invalid_requests_are_rejected_before_sending(void **state)
{
    fixture *f = *state;
    client_open(f);
    spotify_response *response = NULL;
    spotify_error err = {0};
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "no-slash";
    assert_int_equal(spotify_client_send(&response, f->client, &request, &err), SPOTIFY_EINVALID);
    request.path = "/x";
    request.method = "PATCH";
    assert_int_equal(spotify_client_send(&response, f->client, &request, &err), SPOTIFY_EINVALID);
    request.method = "GET";
    request.accept_language = "en\r\nX-Evil: 1";
    assert_int_equal(spotify_client_send(&response, f->client, &request, &err), SPOTIFY_EINVALID);
    request.accept_language = NULL;
    request.version = 99;
    assert_int_equal(spotify_client_send(&response, f->client, &request, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_client_send(NULL, f->client, &request, &err), SPOTIFY_EINVALID);
    assert_int_equal(test_server_count(f->server, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_success_sends_token_user_agent_and_query),
        T(test_token_endpoint_header_injection_refused),
        T(test_header_values_from_options_and_providers_refused),
        T(test_transport_refuses_header_with_line_break),
        T(test_token_response_capped_at_64k),
        T(test_body_over_limit_is_a_clear_protocol_error),
        T(test_accept_language_per_call_override),
        T(test_connection_refused_is_transport_error_after_retries),
        T(test_post_retried_when_connection_refused),
        T(test_503_then_200_succeeds_with_two_attempts),
        T(test_429_waits_retry_after_on_the_clock),
        T(test_429_beyond_cap_fails_at_once_with_the_wait),
        T(test_cooldown_is_shared_by_later_calls),
        T(test_cooldown_fail_fast_sends_nothing),
        T(test_deadline_ends_retries),
        T(test_404_is_not_retried_and_carries_spotify_message),
        T(test_status_categories),
        T(test_post_500_not_retried_but_503_with_retry_after_is),
        T(test_post_timeout_is_not_retried),
        T(test_get_timeout_is_retried),
        T(test_dropped_connection_is_retried_for_get),
        T(test_error_body_is_redacted),
        T(test_observer_sees_each_attempt_with_redacted_url),
        T(test_connections_are_reused_across_calls_and_threads),
        T(test_invalid_requests_are_rejected_before_sending),
#undef T
    };
    spotify_global_init(NULL);
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    spotify_global_cleanup();
    return failed;
}
