/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_oauth_url.c - the authorization URL (spotify__authorize_url_build):
 * required parameters, optional scope/state/show_dialog, percent-encoding
 * of every value, PKCE parameters only with a challenge; and the Basic
 * client authentication header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/oauth.h"
#include "core/alloc.h"

#define BASE "https://accounts.spotify.com"
#define REDIRECT "http://127.0.0.1:8080/callback"
#define REDIRECT_ENC "http%3A%2F%2F127.0.0.1%3A8080%2Fcallback"

static spotify__authorize_params base_params(void)
{
    spotify__authorize_params p = {0};
    p.accounts_base_url = BASE;
    p.client_id = "my-client";
    p.redirect_uri = REDIRECT;
    return p;
}

/* Builds the URL; caller frees. */
static char *build(const spotify__authorize_params *p)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__authorize_url_build(&sb, p));
    return spotify__strbuf_detach(&sb, NULL);
}

static void test_required_only(void **state)
{
    (void)state;
    spotify__authorize_params p = base_params();
    char *url = build(&p);
    assert_string_equal(url, BASE "/authorize?response_type=code&client_id=my-client"
                                  "&redirect_uri=" REDIRECT_ENC);
    assert_null(strstr(url, "scope="));
    assert_null(strstr(url, "state="));
    assert_null(strstr(url, "show_dialog"));
    assert_null(strstr(url, "code_challenge"));
    spotify__free(url);
}

static void test_all_optional(void **state)
{
    (void)state;
    spotify__authorize_params p = base_params();
    p.scope = "user-read-private playlist-read-private";
    p.state = "xyz";
    p.show_dialog = true;
    char *url = build(&p);
    assert_string_equal(url, BASE "/authorize?response_type=code&client_id=my-client"
                                  "&redirect_uri=" REDIRECT_ENC
                                  "&scope=user-read-private%20playlist-read-private"
                                  "&state=xyz&show_dialog=true");
    spotify__free(url);
}

static void test_empty_scope_left_out(void **state)
{
    (void)state;
    spotify__authorize_params p = base_params();
    p.scope = "";
    char *url = build(&p);
    assert_null(strstr(url, "scope"));
    spotify__free(url);
}

static void test_state_reserved_and_utf8(void **state)
{
    (void)state;
    spotify__authorize_params p = base_params();
    p.state = "a&b=c?d#e/f+g h%\xc3\xa9";
    char *url = build(&p);
    assert_non_null(strstr(url, "&state=a%26b%3Dc%3Fd%23e%2Ff%2Bg%20h%25%C3%A9"));
    spotify__free(url);
}

static void test_client_id_encoded(void **state)
{
    (void)state;
    spotify__authorize_params p = base_params();
    p.client_id = "id with space";
    char *url = build(&p);
    assert_non_null(strstr(url, "&client_id=id%20with%20space&"));
    spotify__free(url);
}

static void test_pkce_params_only_with_challenge(void **state)
{
    (void)state;
    spotify__authorize_params p = base_params();
    p.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    char *url = build(&p);
    assert_non_null(strstr(url, "&code_challenge_method=S256&code_challenge="
                                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    spotify__free(url);
    p.code_challenge = NULL;
    url = build(&p);
    assert_null(strstr(url, "code_challenge"));
    spotify__free(url);
}

static void test_trailing_slash_of_base(void **state)
{
    (void)state;
    spotify__authorize_params p = base_params();
    p.accounts_base_url = "http://127.0.0.1:9000/";
    char *url = build(&p);
    assert_int_equal(strncmp(url, "http://127.0.0.1:9000/authorize?", 32), 0);
    spotify__free(url);
}

static void test_missing_required(void **state)
{
    (void)state;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__authorize_params p = base_params();
    p.client_id = NULL;
    assert_false(spotify__authorize_url_build(&sb, &p));
    p = base_params();
    p.redirect_uri = NULL;
    assert_false(spotify__authorize_url_build(&sb, &p));
    assert_false(spotify__authorize_url_build(&sb, NULL));
    spotify__strbuf_release(&sb);
}

static void test_basic_auth_header(void **state)
{
    (void)state;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    /* base64("client:secret") */
    assert_true(spotify__basic_auth_header(&sb, "client", "secret"));
    assert_string_equal(spotify__strbuf_cstr(&sb), "Authorization: Basic Y2xpZW50OnNlY3JldA==");
    spotify__strbuf_release(&sb);
    assert_false(spotify__basic_auth_header(&sb, NULL, "secret"));
    assert_false(spotify__basic_auth_header(&sb, "client", NULL));
    spotify__strbuf_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_required_only),
        cmocka_unit_test(test_all_optional),
        cmocka_unit_test(test_empty_scope_left_out),
        cmocka_unit_test(test_state_reserved_and_utf8),
        cmocka_unit_test(test_client_id_encoded),
        cmocka_unit_test(test_pkce_params_only_with_challenge),
        cmocka_unit_test(test_trailing_slash_of_base),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_basic_auth_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
