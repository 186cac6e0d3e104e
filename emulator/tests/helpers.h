/* SPDX-License-Identifier: Apache-2.0 */
/*
 * helpers.h - shared pieces of the emulator's integration tests, on the
 * fixture every emulator test uses (emulator_fixture.h): URL building, form
 * and bearer requests, error-body assertions, PKCE pairs, and the OAuth
 * dance.
 *
 * Threads: the tests are single-threaded except where a test says so.
 */
#ifndef EMULATOR_TEST_HELPERS_H
#define EMULATOR_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>

#include "emulator_fixture.h" /* test_emu and its setup/teardown */

/* base URL + path, in a rotating set of static buffers. */
const char *test_url(const char *path);

/* POST `form` to /api/token as application/x-www-form-urlencoded, with
 * Basic credentials "id:secret" when `basic` is non-NULL. */
void test_token_request(emulator_http_response *r, const char *basic, const char *form);
/* GET `path` with "Authorization: Bearer token" (token NULL: no header). */
void test_get(emulator_http_response *r, const char *path, const char *token);
/* A token of `client`'s user holding `scope` (POST /__emulator/tokens). */
void test_user_token(const char *client, const char *scope, char token[128]);
/* `method` on `path` with "Authorization: Bearer token", a JSON content type
 * and `body` (NULL: none). */
void test_send(emulator_http_response *r, const char *method, const char *path, const char *token,
               const char *body);

/* Assert an accounts error {"error":..,"error_description":..}
 * (description NULL: not checked). */
void assert_oauth_error(const emulator_http_response *r, long status, const char *error,
                        const char *description);
/* Assert a Web API error {"error":{"status":..,"message":..}}. */
void assert_api_error(const emulator_http_response *r, long status, const char *message);

/* A PKCE pair: a 64-char verifier and its S256 challenge. */
void test_pkce_pair(char verifier[65], char challenge[44]);

/* The value of query parameter `key` in URL `url`, decoded; false when absent. */
bool test_query_param(const char *url, const char *key, char *out, size_t out_size);

/* GET /authorize with `query` (after "?"), which must redirect (302); the
 * Location is copied to `location`. */
void test_authorize_redirect(const char *query, char *location, size_t size);
/* With auto-approve on: authorize `client` for `redirect`/`scope` (PKCE
 * challenge optional) and return the code. */
void test_get_code(const char *client, const char *redirect, const char *scope,
                   const char *challenge, char code[64]);

#endif
