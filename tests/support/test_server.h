/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_server.h - a small scriptable HTTP server on 127.0.0.1 for transport
 * tests (libmicrohttpd, its own thread pool). Responses are queued per path
 * and served in order; requests are recorded so tests can assert what the
 * client sent and how many attempts it made.
 *
 * Threads: every function may be called from the test thread while the
 * server threads run; state is guarded by one mutex.
 */
#ifndef SPOTIFY_TEST_SERVER_H
#define SPOTIFY_TEST_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#define TEST_SERVER_MAX_HEADERS 8

typedef struct test_server test_server;

typedef struct test_response {
    int status;               /* 0 means 200 */
    const char *body;         /* copied; NULL means empty */
    const char *content_type; /* NULL means application/json */
    /* extra headers as "Name: value"; NULL-terminated or full */
    const char *headers[TEST_SERVER_MAX_HEADERS];
    int delay_ms;         /* sleep before answering (tests of timeouts) */
    bool drop_connection; /* close the socket without any response */
    bool chunked;         /* no Content-Length: the body goes out chunked */
} test_response;

/* One request as the server saw it (all strings owned by the server). */
typedef struct test_request {
    char *method;
    char *path;  /* without the query */
    char *query; /* raw query string after '?', "" when none */
    char *body;  /* NUL-terminated; body_len bytes */
    size_t body_len;
    char *headers; /* "name: value\n" lines, names lower-cased */
} test_request;

/* Starts on 127.0.0.1 with a free port. Aborts the test on failure. */
test_server *test_server_start(void);
/* The same, closing a connection that sits idle `idle_timeout_s` seconds
 * (test_server_start: 5), as a server ends kept-alive connections. */
test_server *test_server_start_idle_timeout(unsigned idle_timeout_s);
/* "http://127.0.0.1:PORT" (borrowed). */
const char *test_server_url(const test_server *server);
int test_server_port(const test_server *server);
/* Queues a response for `path` (exact match, query ignored). Responses are
 * served first in, first out; when a path's queue is empty its default
 * response answers (test_server_set_default), else 404 with a JSON error. */
void test_server_enqueue(test_server *server, const char *path, const test_response *response);
void test_server_set_default(test_server *server, const char *path, const test_response *response);
/* Number of requests received for `path` (NULL: all paths). */
int test_server_count(test_server *server, const char *path);
/* A copy of the n-th request (0-based, all paths in arrival order); false if
 * there is none. Free with test_request_free. */
bool test_server_request(test_server *server, int n, test_request *out);
void test_request_free(test_request *request);
/* The value of header `name` (case-insensitive) in a recorded request, copied
 * into `out`; false when absent. */
bool test_request_header(const test_request *request, const char *name, char *out, size_t out_size);
/* Forgets queued responses, defaults and recorded requests. */
void test_server_reset(test_server *server);
/* A client whose Web API is `server`, with the static access token
 * `token` (copied by the client); aborts the test when it cannot be made.
 * Free with spotify_client_free. */
struct spotify_client *test_server_client(const test_server *server, const char *token);
/* Stops the server, waits for its threads and frees everything. */
void test_server_stop(test_server *server);

#endif
