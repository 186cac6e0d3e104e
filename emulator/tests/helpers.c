/* SPDX-License-Identifier: Apache-2.0 */
/*
 * helpers.c - see helpers.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/strbuf.h"
#include "core/urlencode.h"

const char *test_url(const char *path)
{
    static char buffers[8][2048];
    static int next;
    char *buf = buffers[next++ % 8];
    int n = snprintf(buf, sizeof buffers[0], "%s%s", test_emu.base_url, path);
    assert_true(n > 0 && (size_t)n < sizeof buffers[0]);
    return buf;
}

void test_token_request(emulator_http_response *r, const char *basic, const char *form)
{
    char auth[512];
    const char *headers[3] = {"Content-Type: application/x-www-form-urlencoded", NULL, NULL};
    if (basic != NULL) {
        spotify__strbuf b64 = SPOTIFY__STRBUF_INIT;
        spotify__base64_encode(&b64, basic, strlen(basic));
        snprintf(auth, sizeof auth, "Authorization: Basic %s", spotify__strbuf_cstr(&b64));
        spotify__strbuf_release(&b64);
        headers[1] = auth;
    }
    assert_true(emulator_request(r, "POST", test_url("/api/token"), headers, form));
}

void test_get(emulator_http_response *r, const char *path, const char *token)
{
    char auth[512];
    const char *headers[2] = {NULL, NULL};
    if (token != NULL) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        headers[0] = auth;
    }
    assert_true(emulator_request(r, "GET", test_url(path), headers, NULL));
}

void assert_oauth_error(const emulator_http_response *r, long status, const char *error,
                        const char *description)
{
    char text[256];
    if (r->status != status)
        fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status, r->body);
    assert_int_equal(r->status, status);
    assert_true(emulator_json_string(r->body, "error", text, sizeof text));
    assert_string_equal(text, error);
    if (description != NULL) {
        assert_true(emulator_json_string(r->body, "error_description", text, sizeof text));
        assert_string_equal(text, description);
    }
}

void assert_api_error(const emulator_http_response *r, long status, const char *message)
{
    char text[256];
    long long st = 0;
    if (r->status != status)
        fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status, r->body);
    assert_int_equal(r->status, status);
    assert_true(emulator_json_int(r->body, "error.status", &st));
    assert_int_equal(st, status);
    assert_true(emulator_json_string(r->body, "error.message", text, sizeof text));
    assert_string_equal(text, message);
}

void test_pkce_pair(char verifier[65], char challenge[44])
{
    uint8_t bytes[48];
    uint8_t digest[32];
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__random_bytes(bytes, sizeof bytes));
    assert_true(spotify__base64url_encode(&sb, bytes, sizeof bytes));
    assert_int_equal(sb.len, 64);
    memcpy(verifier, sb.data, 65);
    spotify__strbuf_reset(&sb);
    assert_true(spotify__sha256(verifier, 64, digest));
    assert_true(spotify__base64url_encode(&sb, digest, sizeof digest));
    assert_int_equal(sb.len, 43);
    memcpy(challenge, sb.data, 44);
    spotify__strbuf_release(&sb);
}

typedef struct param_search {
    const char *key;
    char *out;
    size_t size;
    bool found;
} param_search;

static bool find_param(const char *key, const char *value, void *user)
{
    param_search *s = user;
    if (!s->found && strcmp(key, s->key) == 0 && strlen(value) < s->size) {
        memcpy(s->out, value, strlen(value) + 1);
        s->found = true;
    }
    return true;
}

bool test_query_param(const char *url, const char *key, char *out, size_t out_size)
{
    const char *q = strchr(url, '?');
    if (q == NULL)
        return false;
    param_search s = {key, out, out_size, false};
    bool malformed = false;
    spotify__query_parse(q + 1, strlen(q + 1), find_param, &s, &malformed);
    return s.found;
}

void test_authorize_redirect(const char *query, char *location, size_t size)
{
    char path[2048];
    emulator_http_response r;
    int n = snprintf(path, sizeof path, "/authorize?%s", query);
    assert_true(n > 0 && (size_t)n < sizeof path);
    assert_true(emulator_request(&r, "GET", test_url(path), NULL, NULL));
    if (r.status != 302)
        fprintf(stderr, "authorize: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 302);
    assert_non_null(r.location);
    int n2 = snprintf(location, size, "%s", r.location);
    assert_true(n2 > 0 && (size_t)n2 < size);
    emulator_response_free(&r);
}

void test_get_code(const char *client, const char *redirect, const char *scope,
                   const char *challenge, char code[64])
{
    char query[1024], location[2048];
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__param params[] = {
        {"response_type", "code"},    {"client_id", client},
        {"redirect_uri", redirect},   {"scope", scope},
        {"state", "st-123"},          {"code_challenge_method", challenge ? "S256" : NULL},
        {"code_challenge", challenge}};
    assert_true(spotify__form_encode(&sb, params, sizeof params / sizeof params[0]));
    int n = snprintf(query, sizeof query, "%s", spotify__strbuf_cstr(&sb));
    assert_true(n > 0 && (size_t)n < sizeof query);
    spotify__strbuf_release(&sb);
    test_authorize_redirect(query, location, sizeof location);
    char state[64];
    assert_true(test_query_param(location, "state", state, sizeof state));
    assert_string_equal(state, "st-123");
    assert_true(test_query_param(location, "code", code, 64));
}

void test_user_token(const char *client, const char *scope, char token[128])
{
    char spec[512];
    snprintf(spec, sizeof spec, "{\"client_id\":\"%s\",\"user\":true,\"scope\":\"%s\"}", client,
             scope);
    assert_true(emulator_issue_token(&test_emu, spec, token, 128, NULL, 0));
}

void test_send(emulator_http_response *r, const char *method, const char *path, const char *token,
               const char *body)
{
    char auth[200];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *const headers[] = {auth, "Content-Type: application/json", NULL};
    assert_true(emulator_request(r, method, test_url(path), headers, body));
}
