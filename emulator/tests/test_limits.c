/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_limits.c - hostile input: a body over 1 MiB is refused with 413 as
 * soon as its announced length (or the bytes read so far) passes the limit,
 * never read whole; names holding a NUL are refused instead of cut;
 * playlist names and descriptions have Spotify's limits (100 and 300
 * characters, counted as code points); the control API's seed-playlist
 * is bounded in all.
 *
 * The body tests talk raw HTTP over a socket, so they see when the 413
 * arrives and how much of the body had been sent by then.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#define MIB (1024 * 1024)
#define CHUNK (64 * 1024)
#define RW "playlist-read-private playlist-modify-public playlist-modify-private"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A connection to the emulator (blocking). */
static int connect_emulator(void)
{
    const char *port = strrchr(test_emu.base_url, ':');
    assert_non_null(port);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port + 1))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* What came back for a request whose body was streamed. */
typedef struct streamed {
    char response[4096]; /* as much of the response as arrived (NUL-terminated) */
    size_t sent;         /* body bytes sent before the first response byte */
    int64_t waited_ms;   /* from the end of the headers to the first response byte */
} streamed;

/* Reads what is there; true once the server closed or sent 4 KB. */
static bool read_some(int fd, streamed *out, size_t *got)
{
    ssize_t n = recv(fd, out->response + *got, sizeof out->response - 1 - *got, MSG_DONTWAIT);
    if (n > 0)
        *got += (size_t)n;
    out->response[*got] = '\0';
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) ||
           *got == sizeof out->response - 1;
}

/*
 * Sends `head`, then up to `body_max` bytes of body slowly (CHUNK bytes,
 * then 2 ms to look for an answer; in chunked framing when `chunked`),
 * until the response starts, the server stops reading or 10 s pass; then
 * reads the response until the server closes (10 s at most). The body is
 * never finished, so only a server that answers before the end answers.
 */
static void stream_request(const char *head, bool chunked, size_t body_max, streamed *out)
{
    memset(out, 0, sizeof *out);
    int fd = connect_emulator();
    assert_int_equal(send(fd, head, strlen(head), MSG_NOSIGNAL), (ssize_t)strlen(head));
    static char chunk[CHUNK + 32];
    size_t framing = 0;
    if (chunked)
        framing = (size_t)snprintf(chunk, sizeof chunk, "%x\r\n", CHUNK);
    memset(chunk + framing, 'a', CHUNK);
    if (chunked)
        memcpy(chunk + framing + CHUNK, "\r\n", 2);
    size_t chunk_len = framing + CHUNK + (chunked ? 2 : 0);
    int64_t start = now_ms(), deadline = start + 10000;
    size_t got = 0;
    bool sending = true, done = false;
    while (!done && got == 0 && now_ms() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, sending ? 2 : 100) > 0)
            done = read_some(fd, out, &got);
        if (got > 0 || done)
            break;
        if (sending && out->sent < body_max &&
            send(fd, chunk, chunk_len, MSG_NOSIGNAL) == (ssize_t)chunk_len)
            out->sent += CHUNK;
        else
            sending = false; /* all sent, or the server stopped reading */
    }
    out->waited_ms = now_ms() - start;
    while (!done && now_ms() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 100) > 0)
            done = read_some(fd, out, &got);
    }
    close(fd);
}

/* The response is a 413 with the body shape of the service. */
static void assert_413(const streamed *s, const char *body_part)
{
    if (strncmp(s->response, "HTTP/1.1 413 ", 13) != 0)
        fail_msg("not a 413 after %zu body bytes: \"%.60s\"", s->sent, s->response);
    print_message("413 after %zu body bytes, %lld ms\n", s->sent, (long long)s->waited_ms);
    assert_non_null(strstr(s->response, body_part));
}

/* Content-Length: 999999999999 and no body at all: the 413 comes at once
 * (the old server waited for the body until its 120 s timeout). The
 * Web API and the accounts service each in their own error shape; with
 * "Expect: 100-continue" no 100 comes first. */
static void announced_length_refused_at_once(void **state)
{
    (void)state;
    static const struct {
        const char *head, *body_part;
    } cases[] = {
        {"POST /v1/me/playlists HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: 999999999999\r\n\r\n",
         "{\"error\":{\"status\":413,\"message\":\"Request entity too large\"}}"},
        {"POST /api/token HTTP/1.1\r\nHost: x\r\n"
         "Content-Type: application/x-www-form-urlencoded\r\n"
         "Content-Length: 999999999999\r\nExpect: 100-continue\r\n\r\n",
         "\"error\":\"invalid_request\""},
        {"POST /__emulator/config HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n", "413"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        streamed s;
        stream_request(cases[i].head, false, 0, &s);
        assert_413(&s, cases[i].body_part);
        assert_true(s.waited_ms < 5000);
    }
    assert_int_equal(emulator_route_count(&test_emu, "POST", "/v1/me/playlists", 413), 1);
}

/* 100 MB announced and streamed: refused before (nearly) any of it. */
static void streamed_body_with_length_refused_early(void **state)
{
    (void)state;
    streamed s;
    stream_request("POST /v1/me/playlists HTTP/1.1\r\nHost: x\r\n"
                   "Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n",
                   false, 100 * (size_t)MIB, &s);
    assert_413(&s, "Request entity too large");
    if (s.sent >= 4 * MIB)
        fail_msg("the 413 came after %zu body bytes", s.sent);
}

/* A chunked body has no length to check first: the 413 comes once the
 * bytes read pass 1 MiB, not after the 100 MB. */
static void chunked_body_refused_at_the_limit(void **state)
{
    (void)state;
    streamed s;
    stream_request("POST /v1/me/playlists HTTP/1.1\r\nHost: x\r\n"
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                   true, 100 * (size_t)MIB, &s);
    assert_413(&s, "{\"error\":{\"status\":413,\"message\":\"Request entity too large\"}}");
    assert_true(s.sent > MIB);
    if (s.sent >= 4 * MIB)
        fail_msg("the 413 came after %zu body bytes", s.sent);
    /* The emulator is fine afterwards. */
    emulator_http_response r;
    assert_true(emulator_control(&test_emu, "GET", "/__emulator/health", NULL, &r));
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

/* A body of exactly 1 MiB is read (and then judged by its handler). */
static void body_at_the_limit_is_read(void **state)
{
    (void)state;
    char *body = malloc(MIB + 1);
    assert_non_null(body);
    memset(body, ' ', MIB);
    memcpy(body, "{}", 2);
    body[MIB] = '\0';
    char token[128];
    test_user_token("demo-client", RW, token);
    emulator_http_response r;
    test_send(&r, "POST", "/v1/me/playlists", token, body);
    assert_api_error(&r, 400, "Missing required field: name");
    emulator_response_free(&r);
    free(body);
}

/* "name":"a\u0000b" was kept as "a": now 400, on create and change. */
static void names_with_nul_refused(void **state)
{
    (void)state;
    char token[128], path[96], id[64];
    test_user_token("demo-client", RW, token);
    emulator_http_response r;
    test_send(&r, "POST", "/v1/me/playlists", token, "{\"name\":\"a\\u0000b\"}");
    assert_api_error(&r, 400, "Playlist name must not contain a NUL character");
    emulator_response_free(&r);
    test_send(&r, "POST", "/v1/me/playlists", token,
              "{\"name\":\"ok\",\"description\":\"x\\u0000\"}");
    assert_api_error(&r, 400, "Playlist description must not contain a NUL character");
    emulator_response_free(&r);
    test_send(&r, "POST", "/v1/me/playlists", token, "{\"name\":\"ok\"}");
    assert_int_equal(r.status, 201);
    assert_true(emulator_json_string(r.body, "id", id, sizeof id));
    emulator_response_free(&r);
    snprintf(path, sizeof path, "/v1/playlists/%s", id);
    test_send(&r, "PUT", path, token, "{\"name\":\"\\u0000\"}");
    assert_api_error(&r, 400, "Playlist name must not contain a NUL character");
    emulator_response_free(&r);
    test_send(&r, "GET", path, token, NULL);
    assert_non_null(strstr(r.body, "\"name\":\"ok\""));
    emulator_response_free(&r);
}

/* `count` times `unit` as a JSON member "key":"...". */
static char *member_of(const char *key, const char *unit, size_t count)
{
    size_t len = strlen(key) + strlen(unit) * count + 16;
    char *out = malloc(len);
    assert_non_null(out);
    int n = snprintf(out, len, "\"%s\":\"", key);
    for (size_t i = 0; i < count; i++)
        n += snprintf(out + n, len - (size_t)n, "%s", unit);
    snprintf(out + n, len - (size_t)n, "\"");
    return out;
}

/* Sends {"name":..., ...} made of `count` times `unit` for `key`. */
static void send_detail(emulator_http_response *r, const char *method, const char *path,
                        const char *token, const char *key, const char *unit, size_t count)
{
    char *member = member_of(key, unit, count);
    char *body = malloc(strlen(member) + 32);
    assert_non_null(body);
    if (strcmp(key, "name") == 0)
        sprintf(body, "{%s}", member);
    else
        sprintf(body, "{\"name\":\"n\",%s}", member);
    test_send(r, method, path, token, body);
    free(body);
    free(member);
}

/* Spotify's limits: a name of 100 characters, a description of 300, where
 * a character is a code point (U+00E9 is 2 bytes of UTF-8, U+1D11E 4): one
 * more is 400. */
static void name_and_description_limits(void **state)
{
    (void)state;
    char token[128], id[64], path[96];
    test_user_token("demo-client", RW, token);
    emulator_http_response r;
    send_detail(&r, "POST", "/v1/me/playlists", token, "name", "\xc3\xa9", 100);
    assert_int_equal(r.status, 201);
    assert_true(emulator_json_string(r.body, "id", id, sizeof id));
    char *kept = member_of("name", "\xc3\xa9", 100);
    assert_non_null(strstr(r.body, kept));
    free(kept);
    emulator_response_free(&r);
    send_detail(&r, "POST", "/v1/me/playlists", token, "name", "a", 101);
    assert_api_error(&r, 400, "Playlist name is too long (at most 100 characters)");
    emulator_response_free(&r);
    send_detail(&r, "POST", "/v1/me/playlists", token, "description", "\xf0\x9d\x84\x9e", 300);
    assert_int_equal(r.status, 201);
    emulator_response_free(&r);
    send_detail(&r, "POST", "/v1/me/playlists", token, "description", "\xc3\xbc", 301);
    assert_api_error(&r, 400, "Playlist description is too long (at most 300 characters)");
    emulator_response_free(&r);
    /* The same on a change, which leaves the playlist as it was. */
    snprintf(path, sizeof path, "/v1/playlists/%s", id);
    send_detail(&r, "PUT", path, token, "name", "x", 101);
    assert_api_error(&r, 400, "Playlist name is too long (at most 100 characters)");
    emulator_response_free(&r);
    send_detail(&r, "PUT", path, token, "description", "x", 301);
    assert_api_error(&r, 400, "Playlist description is too long (at most 300 characters)");
    emulator_response_free(&r);
    send_detail(&r, "PUT", path, token, "description", "x", 300);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    test_send(&r, "GET", path, token, NULL);
    kept = member_of("description", "x", 300);
    assert_non_null(strstr(r.body, kept));
    free(kept);
    emulator_response_free(&r);
}

static void control_error_is(const char *path, const char *json, const char *message)
{
    emulator_http_response r;
    assert_true(emulator_control(&test_emu, "POST", path, json, &r));
    assert_int_equal(r.status, 400);
    char error[256];
    assert_true(emulator_json_string(r.body, "error", error, sizeof error));
    if (strstr(error, message) == NULL)
        fail_msg("%s %s: \"%s\" lacks \"%s\"", path, json, error, message);
    emulator_response_free(&r);
}

/* seed-playlist: names as the Web API's, no NUL in any control string
 * ("demo-user\u0000x" used to be demo-user), and a bound on the items all
 * playlists hold (1,000,000 a seed, 2,000,000 in all) until a reset. */
static void seed_playlist_bounded(void **state)
{
    (void)state;
    static const char seed[] = "/__emulator/seed-playlist";
    char *name = member_of("name", "\xc3\xa9", 101);
    char json[512];
    snprintf(json, sizeof json, "{\"user\":\"demo-user\",%s}", name);
    free(name);
    control_error_is(seed, json, "\"name\" is too long (at most 100 characters)");
    control_error_is(seed, "{\"user\":\"demo-user\",\"name\":\"a\\u0000\"}",
                     "\"name\" must not contain a NUL character");
    control_error_is(seed, "{\"user\":\"demo-user\\u0000x\"}",
                     "\"user\" must not contain a NUL character");
    control_error_is("/__emulator/tokens", "{\"client_id\":\"demo-client\\u0000\"}",
                     "\"client_id\" must not contain a NUL character");
    control_error_is(seed, "{\"user\":\"demo-user\",\"items\":1000001}", "\"items\"");

    emulator_http_response r;
    const char *million = "{\"user\":\"demo-user\",\"items\":1000000}";
    assert_true(emulator_control(&test_emu, "POST", seed, million, &r));
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    control_error_is(seed, million, "more than 2000000 items in all");
    assert_true(emulator_reset(&test_emu));
    assert_true(emulator_control(&test_emu, "POST", seed, million, &r));
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(announced_length_refused_at_once, test_emu_reset),
        cmocka_unit_test_setup(streamed_body_with_length_refused_early, test_emu_reset),
        cmocka_unit_test_setup(chunked_body_refused_at_the_limit, test_emu_reset),
        cmocka_unit_test_setup(body_at_the_limit_is_read, test_emu_reset),
        cmocka_unit_test_setup(names_with_nul_refused, test_emu_reset),
        cmocka_unit_test_setup(name_and_description_limits, test_emu_reset),
        cmocka_unit_test_setup(seed_playlist_bounded, test_emu_reset),
    };
    return cmocka_run_group_tests(tests, test_emu_group_setup, test_emu_group_teardown);
}
