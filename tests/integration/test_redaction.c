/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_redaction.c - a hostile server that echoes every secret the SDK holds
 * (client secret, Basic credential, access and refresh tokens, code, PKCE
 * verifier) without any "key=" label, in each error shape (token endpoint
 * `error_description`, Web API `error.message`, plain text): no error
 * message, body excerpt or log line may show any of them, nor the
 * beginning of one cut off at a buffer's edge.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spotify/spotify.h>

#include "core/crypto.h"
#include "core/strbuf.h"
#include "test_server.h"
#include "test_util.h"

#define CLIENT_ID "redaction-client"
#define SECRET "Cl1entSecretValue42"
#define ACCESS "BQAccessTok3nEchoedBack"
#define REFRESH "AQRefreshTok3nEchoedBack"
#define CODE "AuthCodeEchoedBack77"

#define CODE_TOKEN                                                                                 \
    "{\"access_token\":\"" ACCESS "\",\"token_type\":\"Bearer\",\"expires_in\":5,"                 \
    "\"refresh_token\":\"" REFRESH "\"}"

typedef struct log_capture {
    char lines[8192];
} log_capture;

typedef struct fixture {
    test_server *server;
    spotify_auth_options opts;
    log_capture log;
    char basic[128]; /* base64(id:secret) */
} fixture;

static void capture_log(spotify_log_level level, const char *message, void *user)
{
    (void)level;
    log_capture *cap = user;
    size_t used = strlen(cap->lines);
    snprintf(cap->lines + used, sizeof cap->lines - used, "%s\n", message);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->server = test_server_start();
    spotify_auth_options defaults = SPOTIFY_AUTH_OPTIONS_INIT;
    f->opts = defaults;
    f->opts.client_id = CLIENT_ID;
    f->opts.client_secret = SECRET;
    f->opts.redirect_uri = "http://127.0.0.1:8080/callback";
    f->opts.accounts_base_url = test_server_url(f->server);
    f->opts.retry.max_retries = SPOTIFY_RETRY_NONE;
    spotify__strbuf pair = SPOTIFY__STRBUF_INIT, b64 = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_append_str(&pair, CLIENT_ID ":" SECRET);
    assert_true(spotify__base64_encode(&b64, pair.data, pair.len));
    snprintf(f->basic, sizeof f->basic, "%s", spotify__strbuf_cstr(&b64));
    spotify__strbuf_release(&pair);
    spotify__strbuf_release(&b64);
    spotify_log_set_handler(capture_log, &f->log, SPOTIFY_LOG_DEBUG);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    spotify_log_set_handler(NULL, NULL, SPOTIFY_LOG_DEBUG);
    test_server_stop(f->server);
    free(f);
    return 0;
}

/* No secret, and no 6-byte-or-longer beginning of one, in `text`. */
static void assert_clean(const char *what, const char *text, const char *const *secrets,
                         size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char head[7] = {0};
        memcpy(head, secrets[i], 6);
        if (strstr(text, head) != NULL)
            fail_msg("%s shows (the beginning of) secret #%zu: %s", what, i, text);
    }
}

static void assert_error_clean(fixture *f, const spotify_error *err, const char *const *secrets,
                               size_t count)
{
    assert_clean("message", err->message, secrets, count);
    assert_clean("body", err->body, secrets, count);
    assert_clean("log", f->log.lines, secrets, count);
}

static void token_reply(fixture *f, int status, const char *body)
{
    test_response r = {.status = status, .body = body};
    test_server_enqueue(f->server, "/api/token", &r);
}

/* A code provider holding ACCESS and REFRESH (expired, so the next use
 * refreshes). */
static spotify_auth *logged_in(fixture *f)
{
    spotify_auth *auth = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_code_new(&auth, &f->opts, &err), SPOTIFY_OK);
    token_reply(f, 200, CODE_TOKEN);
    assert_int_equal(spotify_auth_exchange(NULL, auth, CODE, &err), SPOTIFY_OK);
    return auth;
}

/* The token endpoint's error shape: every secret of a refresh echoed in
 * error_description (and the Basic credential beside it). */
static void test_token_endpoint_echo(void **state)
{
    fixture *f = *state;
    spotify_auth *auth = logged_in(f);
    char body[1024];
    snprintf(body, sizeof body,
             "{\"error\":\"invalid_grant\",\"error_description\":\"bad " REFRESH " and " CLIENT_ID
             ":" SECRET " (%s), last token " ACCESS ", code " CODE "\"}",
             f->basic);
    token_reply(f, 400, body);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify_error err = {0};
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, auth, &err), SPOTIFY_EAUTH);
    const char *secrets[] = {REFRESH, SECRET, f->basic, ACCESS, CODE};
    assert_error_clean(f, &err, secrets, 5);
    assert_non_null(strstr(err.message, "invalid_grant"));
    assert_non_null(strstr(err.message, "[REDACTED]"));
    spotify_auth_free(auth);
}

/* The Web API's error shape: the access token quoted in error.message, and
 * a plain-text body doing the same. */
static void test_api_error_echo(void **state)
{
    fixture *f = *state;
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.access_token = ACCESS;
    opts.api_base_url = test_server_url(f->server);
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_OK);
    test_response json = {
        .status = 403, .body = "{\"error\":{\"status\":403,\"message\":\"bad token " ACCESS "\"}}"};
    test_response text = {.status = 400, .content_type = "text/plain", .body = "token: " ACCESS};
    test_server_enqueue(f->server, "/v1/me", &json);
    test_server_enqueue(f->server, "/v1/me", &text);
    const char *secrets[] = {ACCESS};
    for (int i = 0; i < 2; i++) {
        spotify_request request = SPOTIFY_REQUEST_INIT;
        request.path = "/v1/me";
        spotify_response *response = NULL;
        assert_int_not_equal(spotify_client_send(&response, client, &request, &err), SPOTIFY_OK);
        assert_error_clean(f, &err, secrets, 1);
        assert_non_null(strstr(i == 0 ? err.message : err.body, "[REDACTED]"));
    }
    spotify_client_free(client);
}

/* The code exchange: the code and (PKCE) the verifier echoed back. */
static void test_exchange_echo(void **state)
{
    fixture *f = *state;
    spotify_auth *auth = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_pkce_new(&auth, &f->opts, &err), SPOTIFY_OK);
    char *url = NULL;
    spotify_authorize_url_options url_opts = SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT;
    url_opts.state = "state-1";
    assert_int_equal(spotify_auth_authorize_url(&url, auth, &url_opts, &err), SPOTIFY_OK);
    spotify_free_secret(url);
    /* The server learns the verifier from the exchange, then echoes it on a
     * second exchange. */
    token_reply(f, 400, "{\"error\":\"invalid_grant\"}");
    assert_int_equal(spotify_auth_exchange(NULL, auth, CODE, &err), SPOTIFY_EAUTH);
    test_request seen;
    assert_true(test_server_request(f->server, 0, &seen));
    const char *v = strstr(seen.body, "code_verifier=");
    assert_non_null(v);
    char verifier[128];
    snprintf(verifier, sizeof verifier, "%.*s", (int)strcspn(v + 14, "&"), v + 14);
    test_request_free(&seen);
    char body[512];
    snprintf(body, sizeof body,
             "{\"error\":\"invalid_grant\",\"error_description\":\"code " CODE
             " does not match verifier %s\"}",
             verifier);
    token_reply(f, 400, body);
    url = NULL;
    assert_int_equal(spotify_auth_authorize_url(&url, auth, &url_opts, &err), SPOTIFY_OK);
    spotify_free_secret(url);
    assert_int_equal(spotify_auth_exchange(NULL, auth, CODE, &err), SPOTIFY_EAUTH);
    /* The echoed verifier is the spent one of the first exchange: the SDK
     * still knows it. */
    const char *secrets[] = {CODE, verifier};
    assert_error_clean(f, &err, secrets, 2);
    assert_non_null(strstr(err.message, "[REDACTED]"));
    spotify_auth_free(auth);
}

/* A secret cut off by the message buffer's end still does not show its
 * beginning. */
static void test_secret_cut_at_buffer_edge(void **state)
{
    fixture *f = *state;
    spotify_auth *auth = logged_in(f);
    char body[1024];
    for (size_t pad = 180; pad < 260; pad += 7) {
        char padding[300];
        memset(padding, 'x', pad);
        padding[pad] = '\0';
        snprintf(body, sizeof body,
                 "{\"error\":\"invalid_grant\",\"error_description\":\"%s " REFRESH "\"}", padding);
        token_reply(f, 400, body);
        spotify_error err = {0};
        assert_int_equal(spotify_auth_refresh(auth, &err), SPOTIFY_EAUTH);
        const char *secrets[] = {REFRESH};
        assert_error_clean(f, &err, secrets, 1);
    }
    spotify_auth_free(auth);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_token_endpoint_echo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_error_echo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exchange_echo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secret_cut_at_buffer_edge, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
