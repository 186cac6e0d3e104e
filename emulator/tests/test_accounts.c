/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_accounts.c - the accounts service: every grant of POST /api/token
 * (success and each error), /authorize validation, the consent page
 * (approve, deny), auto-approve, strict redirects, refresh-token rotation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "helpers.h"

#define REDIRECT "http://127.0.0.1:8888/callback"
#define REDIRECT_ENC "http%3A%2F%2F127.0.0.1%3A8888%2Fcallback"

static void auto_approve(void)
{
    test_emu_control("POST", "/__emulator/config", "{\"auto_approve\":true}");
}

/* Redeems `code` as the confidential demo client; returns the response. */
static void redeem(emulator_http_response *r, const char *code, const char *redirect)
{
    char form[512];
    snprintf(form, sizeof form, "grant_type=authorization_code&code=%s&redirect_uri=%s", code,
             redirect);
    test_token_request(r, "demo-client:demo-secret", form);
}

/* ---- client_credentials ---- */

static void cc_success(void **state)
{
    (void)state;
    emulator_http_response r;
    char token[128], type[32];
    long long expires = 0;
    test_token_request(&r, "demo-client:demo-secret", "grant_type=client_credentials");
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "access_token", token, sizeof token));
    assert_int_equal(strlen(token), 43);
    assert_true(emulator_json_string(r.body, "token_type", type, sizeof type));
    assert_string_equal(type, "Bearer");
    assert_true(emulator_json_int(r.body, "expires_in", &expires));
    assert_int_equal(expires, 3600);
    assert_null(strstr(r.body, "refresh_token"));
    assert_null(strstr(r.body, "scope"));
    emulator_response_free(&r);
    assert_int_equal(emulator_grant_count(&test_emu, "client_credentials"), 1);
}

static void cc_body_credentials(void **state)
{
    (void)state;
    emulator_http_response r;
    test_token_request(
        &r, NULL, "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret");
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

static void cc_wrong_secret(void **state)
{
    (void)state;
    emulator_http_response r;
    test_token_request(&r, "demo-client:wrong", "grant_type=client_credentials");
    assert_oauth_error(&r, 400, "invalid_client", "Invalid client secret");
    emulator_response_free(&r);
}

static void cc_unknown_client(void **state)
{
    (void)state;
    emulator_http_response r;
    test_token_request(&r, "nobody:secret", "grant_type=client_credentials");
    assert_oauth_error(&r, 400, "invalid_client", "Invalid client");
    emulator_response_free(&r);
}

static void cc_malformed_basic(void **state)
{
    (void)state;
    emulator_http_response r;
    const char *const headers[] = {"Content-Type: application/x-www-form-urlencoded",
                                   "Authorization: Basic !!!notbase64", NULL};
    assert_true(emulator_request(&r, "POST", test_url("/api/token"), headers,
                                 "grant_type=client_credentials"));
    assert_oauth_error(&r, 400, "invalid_client", "Invalid client");
    emulator_response_free(&r);
}

static void cc_no_client(void **state)
{
    (void)state;
    emulator_http_response r;
    test_token_request(&r, NULL, "grant_type=client_credentials");
    assert_oauth_error(&r, 400, "invalid_client", "Invalid client");
    emulator_response_free(&r);
}

static void cc_public_client_fails(void **state)
{
    (void)state;
    emulator_http_response r;
    test_token_request(&r, NULL, "grant_type=client_credentials&client_id=demo-public");
    assert_oauth_error(&r, 400, "invalid_client", NULL);
    emulator_response_free(&r);
    test_token_request(&r, "demo-public:anything", "grant_type=client_credentials");
    assert_oauth_error(&r, 400, "invalid_client", "Invalid client secret");
    emulator_response_free(&r);
}

/* ---- request-level errors ---- */

static void missing_grant_type(void **state)
{
    (void)state;
    emulator_http_response r;
    test_token_request(&r, "demo-client:demo-secret", "code=abc");
    assert_oauth_error(&r, 400, "unsupported_grant_type", "grant_type parameter is missing");
    emulator_response_free(&r);
}

static void unsupported_grant_type(void **state)
{
    (void)state;
    emulator_http_response r;
    test_token_request(&r, "demo-client:demo-secret", "grant_type=password&username=a");
    assert_oauth_error(&r, 400, "unsupported_grant_type", NULL);
    emulator_response_free(&r);
    assert_int_equal(emulator_grant_count(&test_emu, "other"), 1);
}

static void wrong_content_type(void **state)
{
    (void)state;
    emulator_http_response r;
    const char *const headers[] = {"Content-Type: application/json", NULL};
    assert_true(emulator_request(&r, "POST", test_url("/api/token"), headers,
                                 "{\"grant_type\":\"client_credentials\"}"));
    assert_oauth_error(&r, 400, "invalid_request", NULL);
    emulator_response_free(&r);
}

static void malformed_form(void **state)
{
    (void)state;
    emulator_http_response r;
    test_token_request(&r, "demo-client:demo-secret", "grant_type=client%zzcredentials");
    assert_oauth_error(&r, 400, "invalid_request", "Malformed request body");
    emulator_response_free(&r);
    test_token_request(&r, "demo-client:demo-secret",
                       "grant_type=client_credentials&grant_type=client_credentials");
    assert_oauth_error(&r, 400, "invalid_request", NULL);
    emulator_response_free(&r);
}

/* ---- authorization_code ---- */

static void code_success_and_single_use(void **state)
{
    (void)state;
    char code[64], token[128], refresh[128], scope[128];
    emulator_http_response r;
    auto_approve();
    test_get_code("demo-client", REDIRECT, "user-read-email user-read-private", NULL, code);
    redeem(&r, code, REDIRECT_ENC);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "access_token", token, sizeof token));
    assert_true(emulator_json_string(r.body, "refresh_token", refresh, sizeof refresh));
    assert_true(emulator_json_string(r.body, "scope", scope, sizeof scope));
    assert_string_equal(scope, "user-read-private user-read-email");
    emulator_response_free(&r);
    redeem(&r, code, REDIRECT_ENC); /* reused */
    assert_oauth_error(&r, 400, "invalid_grant", "Invalid authorization code");
    emulator_response_free(&r);
    assert_int_equal(emulator_grant_count(&test_emu, "authorization_code"), 2);
}

static void code_unknown(void **state)
{
    (void)state;
    emulator_http_response r;
    redeem(&r, "not-a-code", REDIRECT_ENC);
    assert_oauth_error(&r, 400, "invalid_grant", "Invalid authorization code");
    emulator_response_free(&r);
}

static void code_other_redirect(void **state)
{
    (void)state;
    char code[64];
    emulator_http_response r;
    auto_approve();
    test_get_code("demo-client", REDIRECT, "", NULL, code);
    redeem(&r, code, "http%3A%2F%2F127.0.0.1%3A8888%2Fother");
    assert_oauth_error(&r, 400, "invalid_grant", "Invalid redirect URI");
    emulator_response_free(&r);
    redeem(&r, code, REDIRECT_ENC); /* a failed attempt does not consume it */
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

static void code_missing_params(void **state)
{
    (void)state;
    emulator_http_response r;
    test_token_request(&r, "demo-client:demo-secret",
                       "grant_type=authorization_code&redirect_uri=" REDIRECT_ENC);
    assert_oauth_error(&r, 400, "invalid_request", "code must be supplied");
    emulator_response_free(&r);
    test_token_request(&r, "demo-client:demo-secret", "grant_type=authorization_code&code=x");
    assert_oauth_error(&r, 400, "invalid_request", "redirect_uri must be supplied");
    emulator_response_free(&r);
}

static void code_expired(void **state)
{
    (void)state;
    char code[64];
    emulator_http_response r;
    auto_approve();
    test_get_code("demo-client", REDIRECT, "", NULL, code);
    test_emu_control("POST", "/__emulator/expire-codes", NULL);
    redeem(&r, code, REDIRECT_ENC);
    assert_oauth_error(&r, 400, "invalid_grant", "Authorization code expired");
    emulator_response_free(&r);
}

static void code_of_another_client(void **state)
{
    (void)state;
    char code[64], verifier[65], challenge[44], form[512];
    emulator_http_response r;
    auto_approve();
    test_pkce_pair(verifier, challenge);
    test_get_code("demo-public", REDIRECT, "", challenge, code);
    redeem(&r, code, REDIRECT_ENC); /* demo-client presents demo-public's code */
    assert_oauth_error(&r, 400, "invalid_grant", "Invalid authorization code");
    emulator_response_free(&r);
    snprintf(form, sizeof form,
             "grant_type=authorization_code&code=%s&redirect_uri=%s&client_id=demo-public"
             "&code_verifier=%s",
             code, REDIRECT_ENC, verifier);
    test_token_request(&r, NULL, form);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

static void code_confidential_without_secret(void **state)
{
    (void)state;
    char code[64], form[512];
    emulator_http_response r;
    auto_approve();
    test_get_code("demo-client", REDIRECT, "", NULL, code);
    snprintf(form, sizeof form,
             "grant_type=authorization_code&code=%s&redirect_uri=%s&client_id=demo-client", code,
             REDIRECT_ENC);
    test_token_request(&r, NULL, form);
    assert_oauth_error(&r, 400, "invalid_client", "Invalid client secret");
    emulator_response_free(&r);
}

/* ---- PKCE ---- */

static void pkce_form(char *form, size_t size, const char *client, const char *code,
                      const char *verifier)
{
    snprintf(form, size,
             "grant_type=authorization_code&code=%s&redirect_uri=%s&client_id=%s"
             "&code_verifier=%s",
             code, REDIRECT_ENC, client, verifier);
}

static void pkce_success(void **state)
{
    (void)state;
    char code[64], verifier[65], challenge[44], form[512], refresh[128];
    emulator_http_response r;
    auto_approve();
    test_pkce_pair(verifier, challenge);
    test_get_code("demo-public", REDIRECT, "user-library-read", challenge, code);
    pkce_form(form, sizeof form, "demo-public", code, verifier);
    test_token_request(&r, NULL, form);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "refresh_token", refresh, sizeof refresh));
    emulator_response_free(&r);
    /* a PKCE refresh needs only client_id */
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s&client_id=demo-public",
             refresh);
    test_token_request(&r, NULL, form);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

static void pkce_confidential_client(void **state)
{
    (void)state;
    char code[64], verifier[65], challenge[44], form[512];
    emulator_http_response r;
    auto_approve();
    test_pkce_pair(verifier, challenge);
    test_get_code("demo-client", REDIRECT, "", challenge, code);
    pkce_form(form, sizeof form, "demo-client", code, verifier);
    test_token_request(&r, NULL, form);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

static void pkce_wrong_verifier(void **state)
{
    (void)state;
    char code[64], verifier[65], challenge[44], other[65], other_challenge[44], form[512];
    emulator_http_response r;
    auto_approve();
    test_pkce_pair(verifier, challenge);
    test_pkce_pair(other, other_challenge);
    test_get_code("demo-public", REDIRECT, "", challenge, code);
    pkce_form(form, sizeof form, "demo-public", code, other);
    test_token_request(&r, NULL, form);
    assert_oauth_error(&r, 400, "invalid_grant", "code_verifier was incorrect");
    emulator_response_free(&r);
    pkce_form(form, sizeof form, "demo-public", code, "short");
    test_token_request(&r, NULL, form);
    assert_oauth_error(&r, 400, "invalid_grant", "code_verifier was incorrect");
    emulator_response_free(&r);
}

static void pkce_missing_verifier(void **state)
{
    (void)state;
    char code[64], verifier[65], challenge[44], form[512];
    emulator_http_response r;
    auto_approve();
    test_pkce_pair(verifier, challenge);
    test_get_code("demo-public", REDIRECT, "", challenge, code);
    snprintf(form, sizeof form,
             "grant_type=authorization_code&code=%s&redirect_uri=%s&client_id=demo-public", code,
             REDIRECT_ENC);
    test_token_request(&r, NULL, form);
    assert_oauth_error(&r, 400, "invalid_request", "code_verifier required");
    emulator_response_free(&r);
}

static void pkce_client_with_basic(void **state)
{
    (void)state;
    char code[64], verifier[65], challenge[44], form[512];
    emulator_http_response r;
    auto_approve();
    test_pkce_pair(verifier, challenge);
    test_get_code("demo-public", REDIRECT, "", challenge, code);
    snprintf(form, sizeof form,
             "grant_type=authorization_code&code=%s&redirect_uri=%s&code_verifier=%s", code,
             REDIRECT_ENC, verifier);
    test_token_request(&r, "demo-public:", form);
    assert_oauth_error(&r, 400, "invalid_client", "Invalid client secret");
    emulator_response_free(&r);
}

static void pkce_required_for_public_client(void **state)
{
    (void)state;
    char location[2048], error[64], st[32];
    auto_approve();
    test_authorize_redirect("response_type=code&client_id=demo-public&redirect_uri=" REDIRECT_ENC
                            "&state=s9",
                            location, sizeof location);
    assert_true(test_query_param(location, "error", error, sizeof error));
    assert_string_equal(error, "invalid_request");
    assert_true(test_query_param(location, "state", st, sizeof st));
    assert_string_equal(st, "s9");
    test_authorize_redirect("response_type=code&client_id=demo-public&redirect_uri=" REDIRECT_ENC
                            "&code_challenge_method=plain&code_challenge=abc",
                            location, sizeof location);
    assert_true(test_query_param(location, "error", error, sizeof error));
    assert_string_equal(error, "invalid_request");
}

/* ---- refresh_token ---- */

/* Runs the code flow for demo-client and returns its refresh token. */
static void get_refresh(char refresh[128])
{
    char code[64];
    emulator_http_response r;
    auto_approve();
    test_get_code("demo-client", REDIRECT, "user-read-private", NULL, code);
    redeem(&r, code, REDIRECT_ENC);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "refresh_token", refresh, 128));
    emulator_response_free(&r);
}

static void refresh(emulator_http_response *r, const char *token)
{
    char form[256];
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s", token);
    test_token_request(r, "demo-client:demo-secret", form);
}

static void refresh_without_rotation(void **state)
{
    (void)state;
    char token[128], scope[64], access[128];
    emulator_http_response r;
    get_refresh(token);
    refresh(&r, token);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "refresh_token"));
    assert_true(emulator_json_string(r.body, "access_token", access, sizeof access));
    assert_true(emulator_json_string(r.body, "scope", scope, sizeof scope));
    assert_string_equal(scope, "user-read-private");
    emulator_response_free(&r);
    refresh(&r, token); /* still valid */
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    assert_int_equal(emulator_grant_count(&test_emu, "refresh_token"), 2);
}

static void refresh_with_rotation(void **state)
{
    (void)state;
    char token[128], rotated[128];
    emulator_http_response r;
    get_refresh(token);
    test_emu_control("POST", "/__emulator/config", "{\"rotate_refresh_tokens\":true}");
    refresh(&r, token);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "refresh_token", rotated, sizeof rotated));
    assert_string_not_equal(rotated, token);
    emulator_response_free(&r);
    refresh(&r, token); /* the old one is revoked */
    assert_oauth_error(&r, 400, "invalid_grant", "Invalid refresh token");
    emulator_response_free(&r);
    refresh(&r, rotated);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

static void refresh_errors(void **state)
{
    (void)state;
    char token[128], form[256];
    emulator_http_response r;
    refresh(&r, "bogus");
    assert_oauth_error(&r, 400, "invalid_grant", "Invalid refresh token");
    emulator_response_free(&r);
    test_token_request(&r, "demo-client:demo-secret", "grant_type=refresh_token");
    assert_oauth_error(&r, 400, "invalid_request", "refresh_token must be supplied");
    emulator_response_free(&r);
    get_refresh(token);
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s&client_id=demo-client",
             token);
    test_token_request(&r, NULL, form); /* confidential: the secret is required */
    assert_oauth_error(&r, 400, "invalid_client", "Invalid client secret");
    emulator_response_free(&r);
}

/* ---- /authorize and the consent page ---- */

/* Fetches the consent page and extracts its request_id. */
static void consent_request_id(const char *state_value, char id[64])
{
    char path[1024];
    emulator_http_response r;
    snprintf(path, sizeof path,
             "/authorize?response_type=code&client_id=demo-client&redirect_uri=%s"
             "&scope=user-read-email&state=%s",
             REDIRECT_ENC, state_value);
    test_get(&r, path, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.content_type, "text/html"));
    assert_non_null(strstr(r.body, "Demo App"));
    assert_non_null(strstr(r.body, "user-read-email"));
    assert_non_null(strstr(r.body, "value=\"approve\""));
    assert_non_null(strstr(r.body, "value=\"deny\""));
    const char *p = strstr(r.body, "name=\"request_id\" value=\"");
    assert_non_null(p);
    p += strlen("name=\"request_id\" value=\"");
    size_t n = strcspn(p, "\"");
    assert_true(n > 0 && n < 64);
    memcpy(id, p, n);
    id[n] = '\0';
    emulator_response_free(&r);
}

static void submit_decision(emulator_http_response *r, const char *id, const char *decision)
{
    char form[256];
    const char *const headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    snprintf(form, sizeof form, "request_id=%s&decision=%s", id, decision);
    assert_true(emulator_request(r, "POST", test_url("/authorize/decision"), headers, form));
}

static void consent_approve(void **state)
{
    (void)state;
    char id[64], code[64], st[32];
    emulator_http_response r;
    consent_request_id("abc%20def", id);
    submit_decision(&r, id, "approve");
    assert_int_equal(r.status, 303);
    assert_non_null(r.location);
    assert_true(strncmp(r.location, REDIRECT "?", strlen(REDIRECT) + 1) == 0);
    assert_true(test_query_param(r.location, "code", code, sizeof code));
    assert_true(test_query_param(r.location, "state", st, sizeof st));
    assert_string_equal(st, "abc def");
    emulator_response_free(&r);
    redeem(&r, code, REDIRECT_ENC);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    submit_decision(&r, id, "approve"); /* a request is answered once */
    assert_int_equal(r.status, 400);
    emulator_response_free(&r);
}

static void consent_deny(void **state)
{
    (void)state;
    char id[64], error[64], st[32];
    emulator_http_response r;
    consent_request_id("xyz", id);
    submit_decision(&r, id, "deny");
    assert_int_equal(r.status, 303);
    assert_true(test_query_param(r.location, "error", error, sizeof error));
    assert_string_equal(error, "access_denied");
    assert_true(test_query_param(r.location, "state", st, sizeof st));
    assert_string_equal(st, "xyz");
    assert_false(test_query_param(r.location, "code", error, sizeof error));
    emulator_response_free(&r);
}

static void auto_approve_carries_state(void **state)
{
    (void)state;
    char location[2048], st[64], code[64];
    auto_approve();
    test_authorize_redirect("response_type=code&client_id=demo-client&redirect_uri="
                            "http%3A%2F%2F%5B%3A%3A1%5D%3A9000%2Fcb%3Fx%3D1&state=a%26b",
                            location, sizeof location);
    assert_true(strncmp(location, "http://[::1]:9000/cb?x=1&", 25) == 0);
    assert_true(test_query_param(location, "state", st, sizeof st));
    assert_string_equal(st, "a&b");
    assert_true(test_query_param(location, "code", code, sizeof code));
}

static void authorize_page_errors(void **state)
{
    (void)state;
    emulator_http_response r;
    test_get(&r, "/authorize?response_type=code&client_id=nobody&redirect_uri=" REDIRECT_ENC, NULL);
    assert_int_equal(r.status, 400);
    assert_null(r.location);
    assert_non_null(strstr(r.body, "Invalid client"));
    emulator_response_free(&r);
    test_get(&r,
             "/authorize?response_type=code&client_id=demo-client&redirect_uri="
             "https%3A%2F%2Fevil.example%2Fcb",
             NULL);
    assert_int_equal(r.status, 400);
    assert_null(r.location);
    assert_non_null(strstr(r.body, "Invalid redirect URI"));
    emulator_response_free(&r);
    test_get(&r, "/authorize?response_type=code&client_id=demo-client", NULL);
    assert_int_equal(r.status, 400);
    emulator_response_free(&r);
}

static void authorize_redirect_errors(void **state)
{
    (void)state;
    char location[2048], error[64];
    test_authorize_redirect("response_type=token&client_id=demo-client&redirect_uri=" REDIRECT_ENC,
                            location, sizeof location);
    assert_true(test_query_param(location, "error", error, sizeof error));
    assert_string_equal(error, "unsupported_response_type");
    test_authorize_redirect("response_type=code&client_id=demo-client&scope=user-read-mind"
                            "&redirect_uri=" REDIRECT_ENC,
                            location, sizeof location);
    assert_true(test_query_param(location, "error", error, sizeof error));
    assert_string_equal(error, "invalid_scope");
}

static void strict_redirects(void **state)
{
    (void)state;
    char location[2048], code[64];
    emulator_http_response r;
    const char *localhost = "/authorize?response_type=code&client_id=demo-client&redirect_uri="
                            "http%3A%2F%2Flocalhost%3A8888%2Fcb";
    auto_approve();
    test_get(&r, localhost, NULL); /* accepted by default */
    assert_int_equal(r.status, 302);
    emulator_response_free(&r);
    test_emu_control("POST", "/__emulator/config", "{\"strict_redirects\":true}");
    test_get(&r, localhost, NULL);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "Invalid redirect URI"));
    emulator_response_free(&r);
    test_authorize_redirect("response_type=code&client_id=demo-client&redirect_uri=" REDIRECT_ENC,
                            location, sizeof location);
    assert_true(test_query_param(location, "code", code, sizeof code));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(cc_success, test_emu_reset),
        cmocka_unit_test_setup(cc_body_credentials, test_emu_reset),
        cmocka_unit_test_setup(cc_wrong_secret, test_emu_reset),
        cmocka_unit_test_setup(cc_unknown_client, test_emu_reset),
        cmocka_unit_test_setup(cc_malformed_basic, test_emu_reset),
        cmocka_unit_test_setup(cc_no_client, test_emu_reset),
        cmocka_unit_test_setup(cc_public_client_fails, test_emu_reset),
        cmocka_unit_test_setup(missing_grant_type, test_emu_reset),
        cmocka_unit_test_setup(unsupported_grant_type, test_emu_reset),
        cmocka_unit_test_setup(wrong_content_type, test_emu_reset),
        cmocka_unit_test_setup(malformed_form, test_emu_reset),
        cmocka_unit_test_setup(code_success_and_single_use, test_emu_reset),
        cmocka_unit_test_setup(code_unknown, test_emu_reset),
        cmocka_unit_test_setup(code_other_redirect, test_emu_reset),
        cmocka_unit_test_setup(code_missing_params, test_emu_reset),
        cmocka_unit_test_setup(code_expired, test_emu_reset),
        cmocka_unit_test_setup(code_of_another_client, test_emu_reset),
        cmocka_unit_test_setup(code_confidential_without_secret, test_emu_reset),
        cmocka_unit_test_setup(pkce_success, test_emu_reset),
        cmocka_unit_test_setup(pkce_confidential_client, test_emu_reset),
        cmocka_unit_test_setup(pkce_wrong_verifier, test_emu_reset),
        cmocka_unit_test_setup(pkce_missing_verifier, test_emu_reset),
        cmocka_unit_test_setup(pkce_client_with_basic, test_emu_reset),
        cmocka_unit_test_setup(pkce_required_for_public_client, test_emu_reset),
        cmocka_unit_test_setup(refresh_without_rotation, test_emu_reset),
        cmocka_unit_test_setup(refresh_with_rotation, test_emu_reset),
        cmocka_unit_test_setup(refresh_errors, test_emu_reset),
        cmocka_unit_test_setup(consent_approve, test_emu_reset),
        cmocka_unit_test_setup(consent_deny, test_emu_reset),
        cmocka_unit_test_setup(auto_approve_carries_state, test_emu_reset),
        cmocka_unit_test_setup(authorize_page_errors, test_emu_reset),
        cmocka_unit_test_setup(authorize_redirect_errors, test_emu_reset),
        cmocka_unit_test_setup(strict_redirects, test_emu_reset),
    };
    return cmocka_run_group_tests(tests, test_emu_group_setup, test_emu_group_teardown);
}
