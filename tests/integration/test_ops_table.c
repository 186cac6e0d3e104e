/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ops_table.c - every operation of spotify/api.h called once through
 * its typed function (tests/integration/ops_calls.h, generated with the
 * API), with minimal valid arguments, against the test server answering a
 * canned example of the result type: the method and path on the wire must
 * be the operation's, and the answer must decode.
 *
 * Pointed at another server with SPOTIFY_OPS_TEST_BASE_URL (its Web API
 * base, e.g. http://127.0.0.1:8765/v1) and SPOTIFY_OPS_TEST_TOKEN, it sends
 * the same calls there and fails only on the SDK's side (invalid arguments,
 * an answer that does not decode); HTTP errors are printed, not failed.
 *
 * test_every_operation_emulator starts a fresh spotify-emulator and sends
 * the table there with a token holding every scope: the test ids of the
 * table exist in the emulator, so every call must succeed (2xx) and every
 * operation with a result type must return one, except the two player reads
 * that answer 204 while nothing plays (the table asks before it plays).
 */
#define SPOTIFY_NO_DEPRECATION_WARNINGS 1

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spotify/spotify.h>

#include "../unit/decode_examples.h"
#include "api/models_desc.h"
#include "emulator_process.h"
#include "ops_calls.h"
#include "test_server.h"

/* The example document of model spotify_<c_name>, joined; NULL when there
 * is none. Free with free(). */
static char *example_of(const char *c_name)
{
    char want[128];
    snprintf(want, sizeof want, "spotify_%s", c_name);
    for (size_t i = 0; i < sizeof decode_examples / sizeof decode_examples[0]; i++) {
        const decode_example *ex = &decode_examples[i];
        if (strcmp(ex->type->c_name, want) != 0)
            continue;
        size_t len = 0;
        for (size_t k = 0; ex->parts[k] != NULL; k++)
            len += strlen(ex->parts[k]);
        char *text = malloc(len + 1);
        text[0] = '\0';
        for (size_t k = 0; ex->parts[k] != NULL; k++)
            strcat(text, ex->parts[k]);
        return text;
    }
    return NULL;
}

/* The canned answer of a call (see ops_call.answer); free with free(). */
static char *answer_text(const ops_call *call)
{
    if (call->answer == NULL)
        return NULL;
    if (strncmp(call->answer, "example:", 8) == 0) {
        char *text = example_of(call->answer + 8);
        return text != NULL ? text : strdup("{}");
    }
    if (strncmp(call->answer, "array:", 6) == 0) {
        char *one = example_of(call->answer + 6);
        assert_non_null(one);
        size_t len = strlen(one);
        char *text = malloc(2 * len + 4);
        snprintf(text, 2 * len + 4, "[%s,%s]", one, one);
        free(one);
        return text;
    }
    return strdup(call->answer);
}

static void test_table_covers_every_operation(void **state)
{
    (void)state;
    size_t count = sizeof ops_calls / sizeof ops_calls[0];
    assert_int_equal(count, spotify_operation_count());
    assert_int_equal(count, 97);
    size_t deprecated = 0;
    for (size_t i = 0; i < count; i++) {
        const spotify_operation *op = spotify_operation_at(i);
        assert_string_equal(spotify_operation_id(op), ops_calls[i].op_id);
        assert_string_equal(spotify_operation_method(op), ops_calls[i].method);
        assert_ptr_equal(spotify_operation_find(ops_calls[i].op_id), op);
        char name[96];
        snprintf(name, sizeof name, "spotify_%s", spotify_operation_name(op));
        assert_ptr_equal(spotify_operation_find(name), op);
        assert_non_null(strstr(spotify_operation_reference(op), ops_calls[i].op_id));
        deprecated += spotify_operation_deprecated(op);
    }
    assert_int_equal(deprecated, 48);
    assert_null(spotify_operation_at(count));
    assert_null(spotify_operation_find("no-such-operation"));
    assert_null(spotify_operation_find(NULL));
}

static void test_every_operation_once(void **state)
{
    (void)state;
    test_server *server = test_server_start();
    spotify_client *client = test_server_client(server, "token");
    spotify_error err = {0};
    for (size_t i = 0; i < sizeof ops_calls / sizeof ops_calls[0]; i++) {
        const ops_call *call = &ops_calls[i];
        test_server_reset(server);
        char *body = answer_text(call);
        test_response r = {.status = call->status, .body = body};
        test_server_enqueue(server, call->path, &r);
        void *result = NULL;
        spotify_status st = call->call(client, &result, &err);
        if (st != SPOTIFY_OK)
            fail_msg("%s: %s: %s", call->op_id, spotify_status_name(st), err.message);
        if (call->has_result && body != NULL && result == NULL)
            fail_msg("%s: no result", call->op_id);
        if (!call->has_result && result != NULL)
            fail_msg("%s: unexpected result", call->op_id);
        spotify_model_free(result);
        free(body);
        test_request seen;
        assert_true(test_server_request(server, 0, &seen));
        if (strcmp(seen.method, call->method) != 0 || strcmp(seen.path, call->path) != 0)
            fail_msg("%s: sent %s %s, expected %s %s", call->op_id, seen.method, seen.path,
                     call->method, call->path);
        test_request_free(&seen);
        assert_int_equal(test_server_count(server, NULL), 1);
    }
    spotify_client_free(client);
    test_server_stop(server);
}

/* Player reads the emulator answers with 204 before the table plays. */
static bool may_be_empty(const char *op_id)
{
    return strcmp(op_id, "get-information-about-the-users-current-playback") == 0 ||
           strcmp(op_id, "get-the-users-currently-playing-track") == 0;
}

/* Against a real server: every call sent, SDK-side failures fail; with
 * `strict` every call must succeed and give its result. Returns the number
 * of failures (each printed). */
static int test_every_operation_against(const char *base_url, const char *token, bool strict)
{
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = base_url;
    opts.access_token = token;
    opts.retry.max_retries = SPOTIFY_RETRY_NONE;
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_OK);
    int ok = 0, failures = 0;
    for (size_t i = 0; i < sizeof ops_calls / sizeof ops_calls[0]; i++) {
        const ops_call *call = &ops_calls[i];
        void *result = NULL;
        spotify_status st = call->call(client, &result, &err);
        bool missing = call->has_result && result == NULL && !may_be_empty(call->op_id);
        spotify_model_free(result);
        if (st == SPOTIFY_EINVALID || st == SPOTIFY_EPROTOCOL || st == SPOTIFY_ENOMEM ||
            (strict && st != SPOTIFY_OK)) {
            printf("FAIL %s: %s: %s\n", call->op_id, spotify_status_name(st), err.message);
            failures++;
            continue;
        }
        if (strict && missing) {
            printf("FAIL %s: no result\n", call->op_id);
            failures++;
        }
        if (st == SPOTIFY_OK)
            ok++;
        else
            printf("  %-45s %s %s: %s\n", call->op_id, call->method, call->path, err.message);
    }
    printf("%d of %zu operations answered 2xx\n", ok, sizeof ops_calls / sizeof ops_calls[0]);
    spotify_client_free(client);
    return failures;
}

static void test_every_operation(void **state)
{
    const char *base = getenv("SPOTIFY_OPS_TEST_BASE_URL");
    const char *token = getenv("SPOTIFY_OPS_TEST_TOKEN");
    if (base != NULL && base[0] != '\0')
        assert_int_equal(test_every_operation_against(base, token != NULL ? token : "token", false),
                         0);
    else
        test_every_operation_once(state);
}

static void test_every_operation_emulator(void **state)
{
    (void)state;
    emulator_process emu;
    char token[128], base[160];
    assert_true(emulator_start(&emu, NULL));
    assert_true(emulator_issue_token(
        &emu,
        "{\"scope\":\"app-remote-control playlist-modify-private playlist-modify-public "
        "playlist-read-collaborative playlist-read-private streaming ugc-image-upload "
        "user-follow-modify user-follow-read user-library-modify user-library-read "
        "user-modify-playback-state user-read-currently-playing user-read-email "
        "user-read-playback-position user-read-playback-state user-read-private "
        "user-read-recently-played user-top-read\"}",
        token, sizeof token, NULL, 0));
    snprintf(base, sizeof base, "%s/v1", emu.base_url);
    int failures = test_every_operation_against(base, token, true);
    assert_int_equal(emulator_stop(&emu), 0);
    assert_int_equal(failures, 0);
}

int main(void)
{
    spotify_error err = {0};
    spotify_global_init(&err);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_covers_every_operation),
        cmocka_unit_test(test_every_operation),
        cmocka_unit_test(test_every_operation_emulator),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    spotify_global_cleanup();
    return failed;
}
