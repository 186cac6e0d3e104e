/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_token_json.c - the token record as JSON (spotify__token_to_json /
 * spotify__token_from_json): round trip, the seed SDK's four-member files,
 * records that must be refused, flow names; plus the token helpers of
 * auth.h (copy, clear, expiry, set_field).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "auth/oauth.h"

static void fill(spotify_token *t)
{
    memset(t, 0, sizeof *t);
    assert_int_equal(spotify_token_set_field(&t->access_token, "BQD-access", NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_set_field(&t->refresh_token, "AQC-refresh", NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_set_field(&t->scope, "user-read-private user-read-email", NULL),
                     SPOTIFY_OK);
    assert_int_equal(spotify_token_set_field(&t->client_id, "app\"id\\", NULL), SPOTIFY_OK);
    t->expires_at = 1700000000.125;
    t->flow = SPOTIFY_FLOW_AUTHORIZATION_CODE;
}

static bool from_text(spotify_token *t, const char *text)
{
    return spotify__token_from_json(t, text, strlen(text));
}

static void test_round_trip(void **state)
{
    (void)state;
    spotify_token t;
    fill(&t);
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__token_to_json(&sb, &t));
    assert_string_equal(spotify__strbuf_cstr(&sb),
                        "{\"version\":1,\"access_token\":\"BQD-access\","
                        "\"expires_at\":1700000000.125,\"refresh_token\":\"AQC-refresh\","
                        "\"scope\":\"user-read-private user-read-email\","
                        "\"client_id\":\"app\\\"id\\\\\",\"flow\":\"authorization_code\"}");
    spotify_token back = {0};
    assert_true(spotify__token_from_json(&back, sb.data, sb.len));
    assert_string_equal(back.access_token, t.access_token);
    assert_string_equal(back.refresh_token, t.refresh_token);
    assert_string_equal(back.scope, t.scope);
    assert_string_equal(back.client_id, t.client_id);
    assert_true(back.expires_at == t.expires_at);
    assert_int_equal(back.flow, t.flow);
    spotify_token_clear(&back);
    spotify_token_clear(&t);
    spotify__strbuf_release_secret(&sb);
}

static void test_round_trip_minimal(void **state)
{
    (void)state;
    spotify_token t = {0};
    assert_int_equal(spotify_token_set_field(&t.access_token, "tok", NULL), SPOTIFY_OK);
    t.expires_at = 5;
    t.flow = SPOTIFY_FLOW_CLIENT_CREDENTIALS;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__token_to_json(&sb, &t));
    assert_string_equal(spotify__strbuf_cstr(&sb),
                        "{\"version\":1,\"access_token\":\"tok\",\"expires_at\":5.0,"
                        "\"refresh_token\":null,\"scope\":null,\"client_id\":null,"
                        "\"flow\":\"client_credentials\"}");
    spotify_token back = {0};
    assert_true(spotify__token_from_json(&back, sb.data, sb.len));
    assert_null(back.refresh_token);
    assert_null(back.scope);
    assert_null(back.client_id);
    assert_int_equal(back.flow, SPOTIFY_FLOW_CLIENT_CREDENTIALS);
    spotify_token_clear(&back);
    spotify_token_clear(&t);
    spotify__strbuf_release(&sb);
}

static void test_no_access_token_not_written(void **state)
{
    (void)state;
    spotify_token t = {0};
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_false(spotify__token_to_json(&sb, &t));
    assert_false(spotify__token_to_json(&sb, NULL));
    spotify__strbuf_release(&sb);
}

static void test_seed_shape_accepted(void **state)
{
    (void)state;
    spotify_token t = {0};
    assert_true(from_text(&t, "{\"access_token\": \"abc\", \"expires_at\": 1700000000.5, "
                              "\"refresh_token\": \"def\", \"scope\": \"user-read-private\"}"));
    assert_string_equal(t.access_token, "abc");
    assert_string_equal(t.refresh_token, "def");
    assert_string_equal(t.scope, "user-read-private");
    assert_null(t.client_id);
    assert_int_equal(t.flow, SPOTIFY_FLOW_UNKNOWN);
    assert_true(t.expires_at == 1700000000.5);
    spotify_token_clear(&t);
    /* The seed writes null for absent members, and integer expiries. */
    assert_true(from_text(&t, "{\"access_token\":\"abc\",\"expires_at\":1700000000,"
                              "\"refresh_token\":null,\"scope\":null,\"extra\":[1,2]}"));
    assert_null(t.refresh_token);
    spotify_token_clear(&t);
}

/* A refused record leaves `out` exactly as it was. */
static void expect_refused(const char *text)
{
    spotify_token t = {0};
    assert_int_equal(spotify_token_set_field(&t.access_token, "keep", NULL), SPOTIFY_OK);
    assert_false(from_text(&t, text));
    assert_string_equal(t.access_token, "keep");
    spotify_token_clear(&t);
}

static void test_missing_members(void **state)
{
    (void)state;
    expect_refused("{\"expires_at\":1}");
    expect_refused("{\"access_token\":\"\",\"expires_at\":1}");
    expect_refused("{\"access_token\":null,\"expires_at\":1}");
    expect_refused("{}");
}

/* spotantic's model allows a token without expires_at: it reads as expired,
 * so its refresh token is used and a token of unknown age never is. */
static void test_missing_expiry_reads_expired(void **state)
{
    (void)state;
    const char *texts[] = {"{\"access_token\":\"a\",\"refresh_token\":\"r\"}",
                           "{\"access_token\":\"a\",\"expires_at\":null,\"refresh_token\":\"r\"}"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        spotify_token t = {0};
        assert_true(from_text(&t, texts[i]));
        assert_true(t.expires_at == 0);
        assert_true(spotify_token_is_expired(&t, 1.0, 0));
        assert_string_equal(t.refresh_token, "r");
        spotify_token_clear(&t);
    }
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_refused("{\"access_token\":1,\"expires_at\":1}");
    expect_refused("{\"access_token\":\"a\",\"expires_at\":\"1\"}");
    expect_refused("{\"access_token\":\"a\",\"expires_at\":1,\"refresh_token\":5}");
    expect_refused("{\"access_token\":\"a\",\"expires_at\":1,\"scope\":[]}");
    expect_refused("{\"access_token\":\"a\",\"expires_at\":1,\"client_id\":{}}");
    expect_refused("{\"access_token\":\"a\",\"expires_at\":1,\"flow\":2}");
    expect_refused("{\"access_token\":\"a\\u0000b\",\"expires_at\":1}");
    /* Out-of-range expiries: no reader may see them. */
    expect_refused("{\"access_token\":\"a\",\"expires_at\":1e308}");
    expect_refused("{\"access_token\":\"a\",\"expires_at\":-1}");
    expect_refused("{\"access_token\":\"a\",\"expires_at\":253402300800}");
    /* Tokens that could not go into a header line as they are. */
    expect_refused("{\"access_token\":\"abc\\r\\nX-Injected: 1\",\"expires_at\":1}");
    expect_refused("{\"access_token\":\"a b\",\"expires_at\":1}");
    expect_refused("{\"access_token\":\"a\",\"expires_at\":1,\"refresh_token\":\"r\\r\\nX: 1\"}");
    expect_refused("{\"version\":2,\"access_token\":\"a\",\"expires_at\":1}");
    expect_refused("{\"version\":\"1\",\"access_token\":\"a\",\"expires_at\":1}");
    expect_refused("[{\"access_token\":\"a\",\"expires_at\":1}]");
}

static void test_corrupt(void **state)
{
    (void)state;
    expect_refused("");
    expect_refused("{\"access_token\":\"a\",\"expires_at\":1");
    expect_refused("not json");
    expect_refused("{\"access_token\":\"a\",\"expires_at\":1}garbage");
    assert_false(spotify__token_from_json(NULL, "{}", 2));
}

static void test_unknown_flow_name(void **state)
{
    (void)state;
    spotify_token t = {0};
    assert_true(from_text(&t, "{\"access_token\":\"a\",\"expires_at\":1,\"flow\":\"device\"}"));
    assert_int_equal(t.flow, SPOTIFY_FLOW_UNKNOWN);
    spotify_token_clear(&t);
}

static void test_flow_names(void **state)
{
    (void)state;
    assert_string_equal(spotify_flow_name(SPOTIFY_FLOW_UNKNOWN), "unknown");
    assert_string_equal(spotify_flow_name(SPOTIFY_FLOW_CLIENT_CREDENTIALS), "client_credentials");
    assert_string_equal(spotify_flow_name(SPOTIFY_FLOW_AUTHORIZATION_CODE), "authorization_code");
    assert_string_equal(spotify_flow_name(SPOTIFY_FLOW_PKCE), "pkce");
    assert_string_equal(spotify_flow_name(SPOTIFY_FLOW_STATIC), "static");
    assert_string_equal(spotify_flow_name((spotify_flow)99), "unknown");
    assert_string_equal(spotify_flow_name((spotify_flow)-1), "unknown");
    for (int f = SPOTIFY_FLOW_UNKNOWN; f <= SPOTIFY_FLOW_STATIC; f++)
        assert_int_equal(spotify__flow_from_name(spotify_flow_name((spotify_flow)f)), f);
    assert_int_equal(spotify__flow_from_name("PKCE"), SPOTIFY_FLOW_UNKNOWN);
    assert_int_equal(spotify__flow_from_name(NULL), SPOTIFY_FLOW_UNKNOWN);
}

static void test_copy_and_clear(void **state)
{
    (void)state;
    spotify_token t;
    fill(&t);
    spotify_token c;
    memset(&c, 0xAB, sizeof c); /* overwritten, not cleared */
    assert_int_equal(spotify_token_copy(&c, &t, NULL), SPOTIFY_OK);
    assert_string_equal(c.access_token, t.access_token);
    assert_ptr_not_equal(c.access_token, t.access_token);
    assert_string_equal(c.client_id, t.client_id);
    assert_true(c.expires_at == t.expires_at);
    assert_int_equal(c.flow, t.flow);
    spotify_token_clear(&c);
    assert_null(c.access_token);
    assert_true(c.expires_at == 0.0);
    spotify_token_clear(&t);
    spotify_token_clear(NULL);
    spotify_error err = {0};
    assert_int_equal(spotify_token_copy(NULL, &t, &err), SPOTIFY_EINVALID);
}

static void test_is_expired(void **state)
{
    (void)state;
    spotify_token t = {0};
    assert_true(spotify_token_is_expired(&t, 0, 0)); /* no access token */
    assert_true(spotify_token_is_expired(NULL, 0, 0));
    assert_int_equal(spotify_token_set_field(&t.access_token, "a", NULL), SPOTIFY_OK);
    t.expires_at = 1000;
    assert_false(spotify_token_is_expired(&t, 969, 30));
    assert_true(spotify_token_is_expired(&t, 970, 30));
    assert_false(spotify_token_is_expired(&t, 999.5, 0));
    assert_true(spotify_token_is_expired(&t, 1000, 0));
    t.expires_at = NAN; /* a broken custom cache */
    assert_true(spotify_token_is_expired(&t, 0, 0));
    spotify_token_clear(&t);
}

static void test_set_field(void **state)
{
    (void)state;
    char *field = NULL;
    assert_int_equal(spotify_token_set_field(&field, "one", NULL), SPOTIFY_OK);
    assert_string_equal(field, "one");
    assert_int_equal(spotify_token_set_field(&field, "two", NULL), SPOTIFY_OK);
    assert_string_equal(field, "two");
    assert_int_equal(spotify_token_set_field(&field, NULL, NULL), SPOTIFY_OK);
    assert_null(field);
    spotify_error err = {0};
    assert_int_equal(spotify_token_set_field(NULL, "x", &err), SPOTIFY_EINVALID);
    spotify_free_secret(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_minimal),
        cmocka_unit_test(test_no_access_token_not_written),
        cmocka_unit_test(test_seed_shape_accepted),
        cmocka_unit_test(test_missing_members),
        cmocka_unit_test(test_missing_expiry_reads_expired),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_corrupt),
        cmocka_unit_test(test_unknown_flow_name),
        cmocka_unit_test(test_flow_names),
        cmocka_unit_test(test_copy_and_clear),
        cmocka_unit_test(test_is_expired),
        cmocka_unit_test(test_set_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
