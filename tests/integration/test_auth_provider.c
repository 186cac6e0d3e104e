/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_auth_provider.c - auth providers and the client's credential rules
 * against a real token endpoint on 127.0.0.1 (the scriptable test server):
 * request shapes, caching, refresh on expiry, refresh-token preservation and
 * rotation, error mapping, retries, single-flight under 32 threads and
 * across processes, and 401 -> refresh-once in the client.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "core/crypto.h"
#include "core/strbuf.h"
#include "core/urlencode.h"
#include "test_server.h"
#include "test_util.h"

#define CC_OK "{\"access_token\":\"cc-token-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}"
#define CODE_OK                                                                                    \
    "{\"access_token\":\"user-token-1\",\"token_type\":\"Bearer\",\"expires_in\":3600,"            \
    "\"refresh_token\":\"refresh-1\",\"scope\":\"user-read-private\"}"
#define REFRESHED_KEEP                                                                             \
    "{\"access_token\":\"user-token-2\",\"token_type\":\"Bearer\",\"expires_in\":3600}"
#define REFRESHED_ROTATE                                                                           \
    "{\"access_token\":\"user-token-3\",\"token_type\":\"Bearer\",\"expires_in\":3600,"            \
    "\"refresh_token\":\"refresh-2\"}"
/* A token that is already inside the 30-second skew window. */
#define SHORT_LIVED(token)                                                                         \
    "{\"access_token\":\"" token "\",\"token_type\":\"bearer\",\"expires_in\":5,"                  \
    "\"refresh_token\":\"refresh-1\"}"

typedef struct fixture {
    test_server *server;
    test_clock clock;
    spotify_clock clock_hooks;
    spotify_auth_options opts;
    spotify_auth *auth;
    char *dir;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->server = test_server_start();
    f->clock_hooks = (spotify_clock){test_clock_now, test_clock_sleep, &f->clock};
    spotify_auth_options defaults = SPOTIFY_AUTH_OPTIONS_INIT;
    f->opts = defaults;
    f->opts.client_id = "my-client";
    f->opts.client_secret = "my-secret";
    f->opts.redirect_uri = "http://127.0.0.1:8080/callback";
    f->opts.accounts_base_url = test_server_url(f->server);
    f->opts.clock = &f->clock_hooks;
    unsetenv("SPOTIFY_SDK_CLIENT_ID");
    unsetenv("SPOTIFY_SDK_CLIENT_SECRET");
    unsetenv("SPOTIFY_SDK_REDIRECT_URI");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    spotify_auth_free(f->auth);
    test_server_stop(f->server);
    if (f->dir != NULL) {
        test_rmdir_recursive(f->dir);
        free(f->dir);
    }
    free(f);
    return 0;
}

static void token_reply(fixture *f, int status, const char *body)
{
    test_response r = {.status = status, .body = body};
    test_server_enqueue(f->server, "/api/token", &r);
}

static int token_requests(fixture *f)
{
    return test_server_count(f->server, "/api/token");
}

static void expect_token(spotify_auth *auth, const char *expected)
{
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify_error err = {0};
    spotify_status st = spotify_auth_access_token_get(token, sizeof token, auth, &err);
    if (st != SPOTIFY_OK)
        fail_msg("access token: %s: %s", spotify_status_name(st), err.message);
    assert_string_equal(token, expected);
}

/* The n-th recorded request's body and a header. */
static void request_body(fixture *f, int n, char *out, size_t size)
{
    test_request seen;
    assert_true(test_server_request(f->server, n, &seen));
    snprintf(out, size, "%s", seen.body);
    test_request_free(&seen);
}

static bool request_header(fixture *f, int n, const char *name, char *out, size_t size)
{
    test_request seen;
    assert_true(test_server_request(f->server, n, &seen));
    bool found = test_request_header(&seen, name, out, size);
    test_request_free(&seen);
    return found;
}

static void code_provider(fixture *f)
{
    spotify_error err = {0};
    assert_int_equal(spotify_auth_code_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
}

static void exchange(fixture *f, const char *body)
{
    token_reply(f, 200, body);
    spotify_error err = {0};
    assert_int_equal(spotify_auth_exchange(NULL, f->auth, "the-code", &err), SPOTIFY_OK);
}

/* ---- client credentials ---- */

static void test_client_credentials_fetches_once_and_caches(void **state)
{
    fixture *f = *state;
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    token_reply(f, 200, CC_OK);
    expect_token(f->auth, "cc-token-1");
    expect_token(f->auth, "cc-token-1");
    assert_int_equal(token_requests(f), 1);

    char body[256], header[256];
    request_body(f, 0, body, sizeof body);
    assert_string_equal(body, "grant_type=client_credentials");
    assert_true(request_header(f, 0, "authorization", header, sizeof header));
    assert_string_equal(header, "Basic bXktY2xpZW50Om15LXNlY3JldA=="); /* my-client:my-secret */
    assert_true(request_header(f, 0, "content-type", header, sizeof header));
    assert_string_equal(header, "application/x-www-form-urlencoded");
}

static void test_client_credentials_refetch_inside_skew(void **state)
{
    fixture *f = *state;
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    token_reply(f, 200, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":30}");
    token_reply(f, 200, "{\"access_token\":\"b\",\"token_type\":\"Bearer\",\"expires_in\":40}");
    expect_token(f->auth, "a");
    /* expires_in 30 with a 30 s skew is already due: the next call asks again */
    expect_token(f->auth, "b");
    /* 40 s leaves 10 s before the skew window: served from the cache */
    expect_token(f->auth, "b");
    assert_int_equal(token_requests(f), 2);
}

static void test_client_credentials_invalid_client_is_auth_error(void **state)
{
    fixture *f = *state;
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    token_reply(f, 400,
                "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client secret\"}");
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify_error err = {0};
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err),
                     SPOTIFY_EAUTH);
    assert_string_equal(err.code, "invalid_client");
    assert_non_null(strstr(err.message, "Invalid client secret"));
    assert_int_equal(err.http_status, 400);
    assert_int_equal(token_requests(f), 1); /* 4xx is never retried */
}

static void test_token_endpoint_5xx_retried_then_server_error(void **state)
{
    fixture *f = *state;
    f->opts.retry.max_retries = 2;
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    test_response down = {.status = 503, .body = "{}"};
    test_server_set_default(f->server, "/api/token", &down);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify_error err = {0};
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err),
                     SPOTIFY_ESERVER);
    assert_int_equal(token_requests(f), 3);
    assert_int_equal(f->clock.sleeps, 2);
}

static void test_token_endpoint_5xx_then_success(void **state)
{
    fixture *f = *state;
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    token_reply(f, 502, "<html>bad gateway</html>");
    token_reply(f, 200, CC_OK);
    expect_token(f->auth, "cc-token-1");
    assert_int_equal(token_requests(f), 2);
}

/* A token endpoint that stalls past the attempt timeout twice, then
 * answers: two timed-out attempts, the third gets the token (backoff waits
 * on the injected clock; the stalls are real, 300 ms each). */
static void test_token_endpoint_timeouts_retried(void **state)
{
    fixture *f = *state;
    f->opts.timeouts.attempt_ms = 100;
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    test_response stall = {.status = 200, .body = CC_OK, .delay_ms = 300};
    test_server_enqueue(f->server, "/api/token", &stall);
    test_server_enqueue(f->server, "/api/token", &stall);
    token_reply(f, 200, CC_OK);
    expect_token(f->auth, "cc-token-1");
    assert_int_equal(token_requests(f), 3);
    assert_true(f->clock.now_ms > 0); /* the backoff waited on the test clock */
}

static void test_token_endpoint_refused_is_transport_error(void **state)
{
    fixture *f = *state;
    f->opts.accounts_base_url = "http://127.0.0.1:9";
    f->opts.retry.max_retries = 1;
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify_error err = {0};
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err),
                     SPOTIFY_ETRANSPORT);
    assert_int_equal(err.attempts, 2);
}

static void test_malformed_token_response_is_auth_error_without_secret(void **state)
{
    fixture *f = *state;
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    token_reply(f, 200,
                "{\"access_token\":\"leaky-secret-token\",\"token_type\":\"mac\","
                "\"expires_in\":3600}");
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify_error err = {0};
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err),
                     SPOTIFY_EAUTH);
    assert_null(strstr(err.message, "leaky-secret-token"));
    assert_null(strstr(err.body, "leaky-secret-token"));
}

/* ---- authorization code ---- */

static void test_exchange_sends_code_and_stores_token(void **state)
{
    fixture *f = *state;
    code_provider(f);
    token_reply(f, 200, CODE_OK);
    spotify_token token = {0};
    spotify_error err = {0};
    assert_int_equal(spotify_auth_exchange(&token, f->auth, "the-code", &err), SPOTIFY_OK);
    assert_string_equal(token.access_token, "user-token-1");
    assert_string_equal(token.refresh_token, "refresh-1");
    assert_string_equal(token.scope, "user-read-private");
    assert_string_equal(token.client_id, "my-client");
    assert_int_equal(token.flow, SPOTIFY_FLOW_AUTHORIZATION_CODE);
    spotify_token_clear(&token);
    char body[512];
    request_body(f, 0, body, sizeof body);
    assert_string_equal(body, "grant_type=authorization_code&code=the-code&redirect_uri="
                              "http%3A%2F%2F127.0.0.1%3A8080%2Fcallback");
    expect_token(f->auth, "user-token-1");
    assert_int_equal(token_requests(f), 1);
}

/* An exchange answered without a refresh token is kept (as the seed keeps
 * it): the token serves until it expires, then a clear auth error says the
 * user must authorize again, and nothing is sent. */
static void test_exchange_without_refresh_token_is_kept(void **state)
{
    fixture *f = *state;
    code_provider(f);
    token_reply(f, 200,
                "{\"access_token\":\"no-refresh-1\",\"token_type\":\"Bearer\","
                "\"expires_in\":3600}");
    spotify_token token = {0};
    spotify_error err = {0};
    assert_int_equal(spotify_auth_exchange(&token, f->auth, "c", &err), SPOTIFY_OK);
    assert_string_equal(token.access_token, "no-refresh-1");
    assert_null(token.refresh_token);
    spotify_token_clear(&token);
    expect_token(f->auth, "no-refresh-1");
    assert_int_equal(token_requests(f), 1);

    /* A second login whose token is already inside the refresh skew. */
    token_reply(f, 200,
                "{\"access_token\":\"no-refresh-2\",\"token_type\":\"Bearer\","
                "\"expires_in\":5}");
    assert_int_equal(spotify_auth_exchange(NULL, f->auth, "c2", &err), SPOTIFY_OK);
    char buf[SPOTIFY_ACCESS_TOKEN_MAX];
    assert_int_equal(spotify_auth_access_token_get(buf, sizeof buf, f->auth, &err), SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "no refresh token"));
    assert_non_null(strstr(err.message, "authorization URL again"));
    assert_int_equal(token_requests(f), 2);
}

static void test_exchange_invalid_grant(void **state)
{
    fixture *f = *state;
    code_provider(f);
    token_reply(f, 400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid "
                "authorization code\"}");
    spotify_error err = {0};
    assert_int_equal(spotify_auth_exchange(NULL, f->auth, "used-code", &err), SPOTIFY_EAUTH);
    assert_string_equal(err.code, "invalid_grant");
    assert_null(strstr(err.message, "used-code"));
}

static void test_no_token_and_no_refresh_token_says_exchange_first(void **state)
{
    fixture *f = *state;
    code_provider(f);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify_error err = {0};
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err),
                     SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "exchange"));
    assert_int_equal(token_requests(f), 0);
}

static void test_refresh_on_expiry_keeps_refresh_token_and_scope(void **state)
{
    fixture *f = *state;
    code_provider(f);
    exchange(f, "{\"access_token\":\"user-token-1\",\"token_type\":\"Bearer\",\"expires_in\":5,"
                "\"refresh_token\":\"refresh-1\",\"scope\":\"user-read-private\"}");
    token_reply(f, 200, REFRESHED_KEEP);
    expect_token(f->auth, "user-token-2");
    char body[256];
    request_body(f, 1, body, sizeof body);
    assert_string_equal(body, "grant_type=refresh_token&refresh_token=refresh-1");
    spotify_token token = {0};
    assert_int_equal(spotify_auth_token_get(&token, f->auth, NULL), SPOTIFY_OK);
    assert_string_equal(token.refresh_token, "refresh-1");
    assert_string_equal(token.scope, "user-read-private");
    spotify_token_clear(&token);
}

static void test_refresh_rotation_uses_the_new_refresh_token(void **state)
{
    fixture *f = *state;
    code_provider(f);
    exchange(f, SHORT_LIVED("user-token-1"));
    token_reply(f, 200,
                "{\"access_token\":\"user-token-3\",\"token_type\":\"Bearer\",\"expires_in\":5,"
                "\"refresh_token\":\"refresh-2\"}");
    token_reply(f, 200, REFRESHED_KEEP);
    expect_token(f->auth, "user-token-3");
    expect_token(f->auth, "user-token-2");
    char body[256];
    request_body(f, 2, body, sizeof body);
    assert_string_equal(body, "grant_type=refresh_token&refresh_token=refresh-2");
}

static void test_refresh_error_mapping(void **state)
{
    fixture *f = *state;
    f->opts.retry.max_retries = SPOTIFY_RETRY_NONE;
    code_provider(f);
    exchange(f, SHORT_LIVED("user-token-1"));
    struct {
        int http;
        spotify_status expected;
    } cases[] = {{400, SPOTIFY_EAUTH},
                 {401, SPOTIFY_EAUTH},
                 {500, SPOTIFY_ESERVER},
                 {429, SPOTIFY_ERATELIMIT}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        token_reply(f, cases[i].http, "{\"error\":\"invalid_grant\"}");
        char token[SPOTIFY_ACCESS_TOKEN_MAX];
        spotify_error err = {0};
        assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err),
                         cases[i].expected);
        assert_int_equal(err.http_status, cases[i].http);
    }
}

/* A 429 from the token endpoint keeps its Retry-After in the error record
 * (docs/auth.md), once the driver has given up on it. */
static void test_token_endpoint_429_keeps_retry_after(void **state)
{
    fixture *f = *state;
    f->opts.retry.max_retries = SPOTIFY_RETRY_NONE;
    code_provider(f);
    exchange(f, SHORT_LIVED("user-token-1"));
    test_response r = {
        .status = 429, .body = "{\"error\":\"rate_limited\"}", .headers = {"Retry-After: 7"}};
    test_server_enqueue(f->server, "/api/token", &r);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify_error err = {0};
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err),
                     SPOTIFY_ERATELIMIT);
    assert_int_equal(err.http_status, 429);
    assert_int_equal(err.retry_after_ms, 7000);
    assert_int_equal(err.attempts, 1);
}

static void test_bootstrap_refresh_token(void **state)
{
    fixture *f = *state;
    f->opts.refresh_token = "refresh-1";
    code_provider(f);
    token_reply(f, 200, REFRESHED_KEEP);
    expect_token(f->auth, "user-token-2");
    char body[256];
    request_body(f, 0, body, sizeof body);
    assert_string_equal(body, "grant_type=refresh_token&refresh_token=refresh-1");
}

static void test_forced_refresh(void **state)
{
    fixture *f = *state;
    code_provider(f);
    exchange(f, CODE_OK);
    token_reply(f, 200, REFRESHED_KEEP);
    assert_int_equal(spotify_auth_refresh(f->auth, NULL), SPOTIFY_OK);
    expect_token(f->auth, "user-token-2");
    assert_int_equal(token_requests(f), 2);
}

/* ---- custom providers ---- */

typedef struct custom_provider {
    int calls;
    int forced;
    int destroyed;
} custom_provider;

static spotify_status custom_get_token(void *user, bool force, char *buf, size_t size,
                                       spotify_error *err)
{
    (void)err;
    custom_provider *p = user;
    p->calls++;
    if (force)
        p->forced++;
    snprintf(buf, size, "custom-token-%d", p->forced + 1);
    return SPOTIFY_OK;
}

static void custom_destroy(void *user)
{
    ((custom_provider *)user)->destroyed++;
}

/* A custom provider behind a client: its token goes out as the bearer; a
 * 401 makes the client ask it once with force_refresh and replay with the
 * new token; destroy runs once when the provider is freed. */
static void test_custom_provider_401_forces_refresh(void **state)
{
    fixture *f = *state;
    custom_provider p = {0};
    spotify_auth_ops ops = {.version = SPOTIFY_AUTH_OPS_VERSION,
                            .get_token = custom_get_token,
                            .destroy = custom_destroy};
    spotify_auth *auth = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_custom_new(&auth, &ops, &p, &err), SPOTIFY_OK);
    assert_true(spotify_auth_can_refresh(auth));
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.auth = auth;
    opts.api_base_url = test_server_url(f->server);
    spotify_client *client = NULL;
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_OK);
    test_response expired = {.status = 401,
                             .body = "{\"error\":{\"status\":401,\"message\":\"expired\"}}"};
    test_response ok = {.status = 200, .body = "{\"id\":\"me\"}"};
    test_server_enqueue(f->server, "/me", &expired);
    test_server_enqueue(f->server, "/me", &ok);
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    spotify_response *response = NULL;
    assert_int_equal(spotify_client_send(&response, client, &request, &err), SPOTIFY_OK);
    spotify_response_free(response);
    assert_int_equal(p.calls, 2);
    assert_int_equal(p.forced, 1);
    char header[64];
    assert_true(request_header(f, 0, "authorization", header, sizeof header));
    assert_string_equal(header, "Bearer custom-token-1");
    assert_true(request_header(f, 1, "authorization", header, sizeof header));
    assert_string_equal(header, "Bearer custom-token-2");
    spotify_client_free(client);
    spotify_auth_free(auth);
    assert_int_equal(p.destroyed, 1);
}

/* ---- PKCE ---- */

/* Pulls the value of `key` out of a URL's query (decoded) into `out`. */
static void query_value(const char *url, const char *key, char *out, size_t size)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "%s=", key);
    const char *p = strstr(url, pattern);
    assert_non_null(p);
    p += strlen(pattern);
    size_t n = strcspn(p, "&");
    spotify__strbuf decoded = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__url_decode(&decoded, p, n, true));
    snprintf(out, size, "%s", spotify__strbuf_cstr(&decoded));
    spotify__strbuf_release(&decoded);
}

/* spotify_auth_state_new: 128 CSPRNG bits as 22 base64url characters, a
 * new value each time. */
static void test_state_new(void **state)
{
    (void)state;
    char *a = NULL, *b = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_state_new(&a, &err), SPOTIFY_OK);
    assert_int_equal(spotify_auth_state_new(&b, &err), SPOTIFY_OK);
    assert_int_equal(strlen(a), 22);
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     22);
    assert_string_not_equal(a, b);
    spotify_free(a);
    spotify_free(b);
    assert_int_equal(spotify_auth_state_new(NULL, &err), SPOTIFY_EINVALID);
}

/* The authorization URL's scopes: the provider's, or an override given as
 * one string or as a list (the seed's `scope: str | list | tuple`). */
static void test_authorize_url_scope_override(void **state)
{
    fixture *f = *state;
    f->opts.scope = "user-read-private";
    code_provider(f);
    char *url = NULL, scope[256];
    assert_int_equal(spotify_auth_authorize_url(&url, f->auth, NULL, NULL), SPOTIFY_OK);
    query_value(url, "scope", scope, sizeof scope);
    assert_string_equal(scope, "user-read-private");
    spotify_free(url);

    spotify_authorize_url_options u = SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT;
    const char *list[] = {"playlist-read-private", "user-library-read,user-top-read"};
    u.scopes = list;
    u.scope_count = 2;
    assert_int_equal(spotify_auth_authorize_url(&url, f->auth, &u, NULL), SPOTIFY_OK);
    query_value(url, "scope", scope, sizeof scope);
    assert_string_equal(scope, "playlist-read-private user-library-read user-top-read");
    spotify_free(url);

    u.scope = "user-follow-read"; /* the string wins over the list */
    assert_int_equal(spotify_auth_authorize_url(&url, f->auth, &u, NULL), SPOTIFY_OK);
    query_value(url, "scope", scope, sizeof scope);
    assert_string_equal(scope, "user-follow-read");
    spotify_free(url);

    u.scope = NULL;
    u.scopes = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_authorize_url(&url, f->auth, &u, &err), SPOTIFY_EINVALID);
    assert_null(url);
}

static void test_pkce_flow_sends_verifier_and_no_secret(void **state)
{
    fixture *f = *state;
    f->opts.client_secret = NULL;
    assert_int_equal(spotify_auth_pkce_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    char *url = NULL;
    spotify_authorize_url_options url_opts = SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT;
    url_opts.state = "xyz";
    assert_int_equal(spotify_auth_authorize_url(&url, f->auth, &url_opts, NULL), SPOTIFY_OK);
    char challenge[64], method[16];
    query_value(url, "code_challenge", challenge, sizeof challenge);
    query_value(url, "code_challenge_method", method, sizeof method);
    assert_string_equal(method, "S256");
    spotify_free(url);

    exchange(f, SHORT_LIVED("pkce-token-1"));
    char body[512], verifier[160], client_id[64], header[64];
    request_body(f, 0, body, sizeof body);
    query_value(body, "code_verifier", verifier, sizeof verifier);
    query_value(body, "client_id", client_id, sizeof client_id);
    assert_string_equal(client_id, "my-client");
    assert_in_range(strlen(verifier), 43, 128);
    assert_false(request_header(f, 0, "authorization", header, sizeof header));
    /* The verifier sent matches the challenge in the URL (S256). */
    uint8_t digest[32];
    assert_true(spotify__sha256(verifier, strlen(verifier), digest));
    spotify__strbuf expected = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__base64url_encode(&expected, digest, sizeof digest));
    assert_string_equal(spotify__strbuf_cstr(&expected), challenge);
    spotify__strbuf_release(&expected);

    token_reply(f, 200, REFRESHED_KEEP);
    expect_token(f->auth, "user-token-2");
    request_body(f, 1, body, sizeof body);
    assert_string_equal(body,
                        "grant_type=refresh_token&refresh_token=refresh-1&client_id=my-client");
    assert_false(request_header(f, 1, "authorization", header, sizeof header));
}

static void test_pkce_exchange_without_url_is_invalid(void **state)
{
    fixture *f = *state;
    f->opts.client_secret = NULL;
    assert_int_equal(spotify_auth_pkce_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    spotify_error err = {0};
    assert_int_equal(spotify_auth_exchange(NULL, f->auth, "c", &err), SPOTIFY_EINVALID);
    assert_int_equal(token_requests(f), 0);
}

/* ---- configuration ---- */

static void test_env_fallback_and_precedence(void **state)
{
    fixture *f = *state;
    f->opts.client_secret = NULL;
    f->opts.redirect_uri = NULL;
    setenv("SPOTIFY_SDK_CLIENT_ID", "env-client", 1);
    setenv("SPOTIFY_SDK_CLIENT_SECRET", "env-secret", 1);
    setenv("SPOTIFY_SDK_REDIRECT_URI", "http://127.0.0.1:9999/cb", 1);
    code_provider(f); /* explicit id, secret and redirect from the environment */
    assert_string_equal(spotify_auth_client_id(f->auth), "my-client");
    char *url = NULL;
    assert_int_equal(spotify_auth_authorize_url(&url, f->auth, NULL, NULL), SPOTIFY_OK);
    assert_non_null(strstr(url, "redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Fcb"));
    spotify_free(url);
    token_reply(f, 200, CC_OK);
    spotify_auth *cc = NULL;
    spotify_auth_options opts = f->opts;
    opts.client_id = NULL;
    assert_int_equal(spotify_auth_client_credentials_new(&cc, &opts, NULL), SPOTIFY_OK);
    assert_string_equal(spotify_auth_client_id(cc), "env-client");
    expect_token(cc, "cc-token-1");
    char header[128];
    assert_true(request_header(f, 0, "authorization", header, sizeof header));
    assert_string_equal(header, "Basic ZW52LWNsaWVudDplbnYtc2VjcmV0"); /* env-client:env-secret */
    spotify_auth_free(cc);
}

static void test_missing_settings_are_config_errors_naming_them(void **state)
{
    fixture *f = *state;
    setenv("SPOTIFY_SDK_CLIENT_ID", "", 1); /* empty counts as unset */
    spotify_auth_options opts = f->opts;
    opts.client_id = NULL;
    spotify_auth *auth = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_code_new(&auth, &opts, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "SPOTIFY_SDK_CLIENT_ID"));
    opts = f->opts;
    opts.redirect_uri = NULL;
    assert_int_equal(spotify_auth_code_new(&auth, &opts, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "SPOTIFY_SDK_REDIRECT_URI"));
    opts = f->opts;
    opts.client_secret = NULL;
    assert_int_equal(spotify_auth_client_credentials_new(&auth, &opts, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "SPOTIFY_SDK_CLIENT_SECRET"));
    /* PKCE needs no secret, and client credentials no redirect URI. */
    assert_int_equal(spotify_auth_pkce_new(&auth, &opts, &err), SPOTIFY_OK);
    spotify_auth_free(auth);
    opts = f->opts;
    opts.redirect_uri = NULL;
    assert_int_equal(spotify_auth_client_credentials_new(&auth, &opts, &err), SPOTIFY_OK);
    spotify_auth_free(auth);
}

static void test_cached_token_of_another_app_is_ignored(void **state)
{
    fixture *f = *state;
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_memory_new(&cache, NULL), SPOTIFY_OK);
    char access[] = "other-app-token", refresh[] = "other-refresh", client[] = "other-client";
    spotify_token other = {.access_token = access,
                           .expires_at = 4e9,
                           .refresh_token = refresh,
                           .client_id = client,
                           .flow = SPOTIFY_FLOW_AUTHORIZATION_CODE};
    assert_int_equal(spotify_token_cache_store(cache, &other, NULL), SPOTIFY_OK);
    f->opts.token_cache = cache;
    f->opts.refresh_token = "refresh-1";
    code_provider(f);
    token_reply(f, 200, REFRESHED_KEEP);
    expect_token(f->auth, "user-token-2");
    char body[256];
    request_body(f, 0, body, sizeof body);
    assert_string_equal(body, "grant_type=refresh_token&refresh_token=refresh-1");
    spotify_auth_free(f->auth);
    f->auth = NULL;
    spotify_token_cache_free(cache);
}

/* A cache that counts its loads, over a memory cache. */
typedef struct counting_cache {
    spotify_token_cache *inner;
    int loads;
} counting_cache;

static spotify_status counting_load(void *user, spotify_token *out, bool *found, spotify_error *err)
{
    counting_cache *c = user;
    c->loads++;
    return spotify_token_cache_get(out, found, c->inner, err);
}

static spotify_status counting_store(void *user, const spotify_token *token, spotify_error *err)
{
    counting_cache *c = user;
    return spotify_token_cache_store(c->inner, token, err);
}

/* spotify_auth_options.cached_token: a token the caller already read is
 * where the provider starts (no second read of the cache for a valid one);
 * one of another app, or a malformed one, is ignored and the cache read. */
static void test_cached_token_handed_over_is_not_read_again(void **state)
{
    fixture *f = *state;
    counting_cache counter = {0};
    assert_int_equal(spotify_token_cache_memory_new(&counter.inner, NULL), SPOTIFY_OK);
    spotify_token_cache_ops ops = {
        .version = SPOTIFY_TOKEN_CACHE_OPS_VERSION, .load = counting_load, .store = counting_store};
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &counter, NULL), SPOTIFY_OK);
    char access[] = "handed-over", refresh[] = "refresh-1", client[] = "my-client";
    spotify_token saved = {.access_token = access,
                           .expires_at = 4e9,
                           .refresh_token = refresh,
                           .client_id = client,
                           .flow = SPOTIFY_FLOW_AUTHORIZATION_CODE};
    assert_int_equal(spotify_token_cache_store(cache, &saved, NULL), SPOTIFY_OK);
    f->opts.token_cache = cache;
    f->opts.cached_token = &saved;
    code_provider(f);
    expect_token(f->auth, "handed-over");
    assert_int_equal(counter.loads, 0);
    assert_int_equal(token_requests(f), 0);
    spotify_auth_free(f->auth);
    f->auth = NULL;

    char other_client[] = "other-client", bad_access[] = "bad\r\ntoken";
    spotify_token other = saved;
    other.client_id = other_client;
    spotify_token malformed = saved;
    malformed.access_token = bad_access;
    const spotify_token *ignored[] = {&other, &malformed};
    for (size_t i = 0; i < 2; i++) {
        counter.loads = 0;
        f->opts.cached_token = ignored[i];
        code_provider(f);
        expect_token(f->auth, "handed-over"); /* from the cache, read once */
        assert_int_equal(counter.loads, 1);
        spotify_auth_free(f->auth);
        f->auth = NULL;
    }
    spotify_token_cache_free(cache);
    spotify_token_cache_free(counter.inner);
}

/* Options of version 1 (1.0's layout, which ends before cached_token) are
 * still accepted and read no further than their end: the struct is
 * allocated at exactly that size, so ASan sees any read past it. */
static void test_options_of_version_1_still_accepted(void **state)
{
    fixture *f = *state;
    size_t v1_size = offsetof(spotify_auth_options, cached_token);
    unsigned char *v1 = malloc(v1_size);
    assert_int_equal(spotify_auth_options_init((spotify_auth_options *)(void *)v1, 1), SPOTIFY_OK);
    spotify_auth_options seen = {0};
    memcpy(&seen, v1, v1_size);
    assert_int_equal(seen.version, 1);
    assert_int_equal(seen.settings_source, SPOTIFY_SETTINGS_SDK);
    spotify_auth_options local = f->opts;
    local.version = 1;
    memcpy(v1, &local, v1_size);
    spotify_error err = {0};
    assert_int_equal(spotify_auth_client_credentials_new(
                         &f->auth, (const spotify_auth_options *)(const void *)v1, &err),
                     SPOTIFY_OK);
    token_reply(f, 200, CC_OK);
    expect_token(f->auth, "cc-token-1");
    free(v1);

    spotify_auth_options current;
    assert_int_equal(spotify_auth_options_init(&current, SPOTIFY_AUTH_OPTIONS_VERSION), SPOTIFY_OK);
    assert_null(current.cached_token);
    assert_int_equal(spotify_auth_options_init(&current, SPOTIFY_AUTH_OPTIONS_VERSION + 1),
                     SPOTIFY_EINVALID);
    current.version = 0;
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_client_credentials_new(&auth, &current, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "unknown options version 0"));
}

/* ---- single flight ---- */

typedef struct thread_args {
    spotify_auth *auth;
    spotify_status status;
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
} thread_args;

static void *get_token_thread(void *arg)
{
    thread_args *a = arg;
    a->status = spotify_auth_access_token_get(a->token, sizeof a->token, a->auth, NULL);
    return NULL;
}

static void test_32_threads_one_token_request(void **state)
{
    fixture *f = *state;
    code_provider(f);
    exchange(f, SHORT_LIVED("user-token-1"));
    test_response slow = {.status = 200, .body = REFRESHED_KEEP, .delay_ms = 150};
    test_server_enqueue(f->server, "/api/token", &slow);
    enum { THREADS = 32 };
    pthread_t threads[THREADS];
    thread_args args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (thread_args){.auth = f->auth};
        pthread_create(&threads[i], NULL, get_token_thread, &args[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(args[i].status, SPOTIFY_OK);
        assert_string_equal(args[i].token, "user-token-2");
    }
    assert_int_equal(token_requests(f), 2); /* the exchange and one refresh */
}

static void test_two_processes_sharing_a_file_refresh_once(void **state)
{
    fixture *f = *state;
    f->dir = test_mkdtemp();
    char path[4096];
    snprintf(path, sizeof path, "%s/token.json", f->dir);
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_file_new(&cache, path, NULL), SPOTIFY_OK);
    char access[] = "old-token", refresh[] = "refresh-1", client[] = "my-client";
    spotify_token expired = {.access_token = access,
                             .expires_at = 1000.0,
                             .refresh_token = refresh,
                             .client_id = client,
                             .flow = SPOTIFY_FLOW_AUTHORIZATION_CODE};
    assert_int_equal(spotify_token_cache_store(cache, &expired, NULL), SPOTIFY_OK);
    spotify_token_cache_free(cache);
    test_response slow = {.status = 200, .body = REFRESHED_KEEP, .delay_ms = 300};
    test_server_enqueue(f->server, "/api/token", &slow);

    pid_t children[2];
    for (int i = 0; i < 2; i++) {
        children[i] = fork();
        assert_true(children[i] >= 0);
        if (children[i] == 0) {
            spotify_token_cache *c = NULL;
            spotify_auth *auth = NULL;
            spotify_auth_options opts = f->opts;
            char token[SPOTIFY_ACCESS_TOKEN_MAX] = "";
            int ok = spotify_token_cache_file_new(&c, path, NULL) == SPOTIFY_OK;
            opts.token_cache = c;
            ok = ok && spotify_auth_code_new(&auth, &opts, NULL) == SPOTIFY_OK;
            ok = ok && spotify_auth_access_token_get(token, sizeof token, auth, NULL) == SPOTIFY_OK;
            ok = ok && strcmp(token, "user-token-2") == 0;
            spotify_auth_free(auth);
            spotify_token_cache_free(c);
            _exit(ok ? 0 : 1);
        }
    }
    for (int i = 0; i < 2; i++) {
        int status = 0;
        assert_int_equal(waitpid(children[i], &status, 0), children[i]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    assert_int_equal(token_requests(f), 1);
}

/* ---- the client's credential rules and 401 handling ---- */

static spotify_status client_try(fixture *f, spotify_client_options *opts, spotify_client **out,
                                 spotify_error *err)
{
    opts->api_base_url = test_server_url(f->server);
    opts->accounts_base_url = test_server_url(f->server);
    opts->clock = &f->clock_hooks;
    return spotify_client_new(out, opts, err);
}

static void test_client_rejects_ambiguous_credentials(void **state)
{
    fixture *f = *state;
    code_provider(f);
    struct {
        const char *token, *id, *secret;
        bool provider;
    } cases[] = {{"t", NULL, NULL, true},
                 {"t", "id", NULL, false},
                 {"t", NULL, "s", false},
                 {NULL, "id", NULL, true},
                 {NULL, NULL, "s", true}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
        opts.access_token = cases[i].token;
        opts.client_id = cases[i].id;
        opts.client_secret = cases[i].secret;
        opts.auth = cases[i].provider ? f->auth : NULL;
        spotify_client *client = NULL;
        spotify_error err = {0};
        assert_int_equal(client_try(f, &opts, &client, &err), SPOTIFY_ECONFIG);
        assert_null(client);
        assert_non_null(strstr(err.message, "ambiguous"));
    }
}

static void test_client_credentials_from_environment_or_config_error(void **state)
{
    fixture *f = *state;
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(client_try(f, &opts, &client, &err), SPOTIFY_ECONFIG);
    setenv("SPOTIFY_SDK_CLIENT_ID", "env-client", 1);
    setenv("SPOTIFY_SDK_CLIENT_SECRET", "env-secret", 1);
    assert_int_equal(client_try(f, &opts, &client, &err), SPOTIFY_OK);
    token_reply(f, 200, CC_OK);
    test_response me = {.status = 200, .body = "{\"id\":\"x\"}"};
    test_server_enqueue(f->server, "/me", &me);
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    spotify_response *response = NULL;
    assert_int_equal(spotify_client_send(&response, client, &request, &err), SPOTIFY_OK);
    spotify_response_free(response);
    char header[128];
    assert_true(request_header(f, 1, "authorization", header, sizeof header));
    assert_string_equal(header, "Bearer cc-token-1");
    spotify_client_free(client);
}

static void test_client_401_refreshes_once_then_succeeds(void **state)
{
    fixture *f = *state;
    code_provider(f);
    exchange(f, CODE_OK);
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.auth = f->auth;
    spotify_client *client = NULL;
    assert_int_equal(client_try(f, &opts, &client, NULL), SPOTIFY_OK);
    test_response expired = {.status = 401,
                             .body = "{\"error\":{\"status\":401,\"message\":\"The access token "
                                     "expired\"}}"};
    test_response ok = {.status = 200, .body = "{}"};
    test_server_enqueue(f->server, "/me", &expired);
    test_server_enqueue(f->server, "/me", &ok);
    token_reply(f, 200, REFRESHED_KEEP);
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_send(&response, client, &request, &err), SPOTIFY_OK);
    spotify_response_free(response);
    assert_int_equal(token_requests(f), 2);
    char header[128];
    assert_true(request_header(f, 3, "authorization", header, sizeof header));
    assert_string_equal(header, "Bearer user-token-2");
    spotify_client_free(client);
}

static void test_client_401_twice_is_auth_error(void **state)
{
    fixture *f = *state;
    code_provider(f);
    exchange(f, CODE_OK);
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.auth = f->auth;
    spotify_client *client = NULL;
    assert_int_equal(client_try(f, &opts, &client, NULL), SPOTIFY_OK);
    test_response expired = {.status = 401, .body = "{}"};
    test_server_set_default(f->server, "/me", &expired);
    token_reply(f, 200, REFRESHED_KEEP);
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    spotify_response *response = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_send(&response, client, &request, &err), SPOTIFY_EAUTH);
    assert_int_equal(err.http_status, 401);
    assert_int_equal(test_server_count(f->server, "/me"), 2);
    assert_int_equal(token_requests(f), 2);
    spotify_client_free(client);
}

static void test_static_token_401_is_not_retried(void **state)
{
    fixture *f = *state;
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.access_token = "static-token";
    spotify_client *client = NULL;
    assert_int_equal(client_try(f, &opts, &client, NULL), SPOTIFY_OK);
    test_response expired = {.status = 401, .body = "{}"};
    test_server_set_default(f->server, "/me", &expired);
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    spotify_response *response = NULL;
    assert_int_equal(spotify_client_send(&response, client, &request, NULL), SPOTIFY_EAUTH);
    assert_int_equal(test_server_count(f->server, "/me"), 1);
    spotify_client_free(client);
}

static void count_connections(const spotify_http_event *event, void *user)
{
    *(int *)user += event->new_connections;
}

static void test_client_shares_its_pool_with_its_provider(void **state)
{
    fixture *f = *state;
    int connections = 0;
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.client_id = "my-client";
    opts.client_secret = "my-secret";
    opts.observer = count_connections;
    opts.observer_user = &connections;
    spotify_client *client = NULL;
    assert_int_equal(client_try(f, &opts, &client, NULL), SPOTIFY_OK);
    token_reply(f, 200, CC_OK);
    test_response ok = {.status = 200, .body = "{}"};
    test_server_set_default(f->server, "/albums/x", &ok);
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/albums/x";
    for (int i = 0; i < 3; i++) {
        spotify_response *response = NULL;
        assert_int_equal(spotify_client_send(&response, client, &request, NULL), SPOTIFY_OK);
        spotify_response_free(response);
    }
    /* One connection served the token request and the three API calls. */
    assert_int_equal(token_requests(f), 1);
    assert_int_equal(connections, 1);
    spotify_client_free(client);

    /* A pool of the caller's own, given to a provider and a client. */
    spotify_http_pool *pool = NULL;
    assert_int_equal(spotify_http_pool_new(&pool, NULL, NULL), SPOTIFY_OK);
    f->opts.http_pool = pool;
    f->opts.observer = count_connections;
    f->opts.observer_user = &connections;
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, NULL), SPOTIFY_OK);
    spotify_client_options shared = SPOTIFY_CLIENT_OPTIONS_INIT;
    shared.auth = f->auth;
    shared.http_pool = pool;
    shared.observer = count_connections;
    shared.observer_user = &connections;
    assert_int_equal(client_try(f, &shared, &client, NULL), SPOTIFY_OK);
    token_reply(f, 200, CC_OK);
    connections = 0;
    spotify_response *response = NULL;
    assert_int_equal(spotify_client_send(&response, client, &request, NULL), SPOTIFY_OK);
    spotify_response_free(response);
    assert_int_equal(connections, 1);
    spotify_client_free(client);
    spotify_auth_free(f->auth);
    f->auth = NULL;
    spotify_http_pool_free(pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_client_credentials_fetches_once_and_caches),
        T(test_client_credentials_refetch_inside_skew),
        T(test_client_credentials_invalid_client_is_auth_error),
        T(test_token_endpoint_5xx_retried_then_server_error),
        T(test_token_endpoint_5xx_then_success),
        T(test_token_endpoint_timeouts_retried),
        T(test_token_endpoint_refused_is_transport_error),
        T(test_malformed_token_response_is_auth_error_without_secret),
        T(test_exchange_sends_code_and_stores_token),
        T(test_exchange_without_refresh_token_is_kept),
        T(test_exchange_invalid_grant),
        T(test_no_token_and_no_refresh_token_says_exchange_first),
        T(test_refresh_on_expiry_keeps_refresh_token_and_scope),
        T(test_refresh_rotation_uses_the_new_refresh_token),
        T(test_refresh_error_mapping),
        T(test_token_endpoint_429_keeps_retry_after),
        T(test_bootstrap_refresh_token),
        T(test_forced_refresh),
        T(test_custom_provider_401_forces_refresh),
        T(test_state_new),
        T(test_authorize_url_scope_override),
        T(test_pkce_flow_sends_verifier_and_no_secret),
        T(test_pkce_exchange_without_url_is_invalid),
        T(test_env_fallback_and_precedence),
        T(test_missing_settings_are_config_errors_naming_them),
        T(test_cached_token_of_another_app_is_ignored),
        T(test_cached_token_handed_over_is_not_read_again),
        T(test_options_of_version_1_still_accepted),
        T(test_32_threads_one_token_request),
        T(test_two_processes_sharing_a_file_refresh_once),
        T(test_client_rejects_ambiguous_credentials),
        T(test_client_credentials_from_environment_or_config_error),
        T(test_client_401_refreshes_once_then_succeeds),
        T(test_client_401_twice_is_auth_error),
        T(test_static_token_401_is_not_retried),
        T(test_client_shares_its_pool_with_its_provider),
#undef T
    };
    spotify_global_init(NULL);
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    spotify_global_cleanup();
    return failed;
}
