/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emulator_process.h - for tests: run spotify-emulator as a child process on
 * a free port, talk to it over HTTP, and drive its control API.
 *
 *   emulator_process emu;
 *   if (!emulator_start(&emu, NULL)) ...;        // --port 0 --ready-file ...
 *   emulator_http_response r;
 *   emulator_request(&r, "GET", url, headers, NULL);
 *   long n = emulator_route_count(&emu, "GET", "/v1/albums/{id}", 200);
 *   int status = emulator_stop(&emu);            // SIGTERM + waitpid: 0 is clean
 *
 * The binary is $SPOTIFY_EMULATOR, else the path compiled in by CMake
 * (SPOTIFY_EMULATOR_PATH). HTTP goes through libcurl's easy interface;
 * redirects are never followed, so tests can read Location.
 *
 * Threads: one process object per thread; emulator_request is thread-safe
 * once curl_global_init has run (emulator_start runs it).
 */
#ifndef SPOTIFY_EMULATOR_PROCESS_H
#define SPOTIFY_EMULATOR_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct emulator_process {
    pid_t pid;
    char base_url[128]; /* "http://127.0.0.1:PORT", no trailing slash */
    char dir[256];      /* a temporary directory holding the ready file */
    char ready_file[300];
    double startup_ms; /* spawn -> ready file seen */
} emulator_process;

/* Spawns the emulator with --port 0 --ready-file DIR/ready plus
 * `extra_args` (NULL-terminated list, or NULL) and waits (up to 10 s) for
 * the ready file. false when it could not start (a message is printed). */
bool emulator_start(emulator_process *emu, const char *const *extra_args);
/* Sends SIGTERM and waits. Returns the exit status, 128 + N if killed by
 * signal N, or -1 on error; removes the temporary directory. */
int emulator_stop(emulator_process *emu);
/* The binary the helpers run. */
const char *emulator_binary(void);
/* Runs the emulator with `args` (NULL-terminated; argv[0] added) and
 * waits; stdout goes to `out` (capacity out_size, may be NULL). Returns
 * the exit status or -1. For --help and usage tests. */
int emulator_run_to_exit(const char *const *args, char *out, size_t out_size);

/* Shared by the tests and benchmarks that start processes and servers. */
/* A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0 and
 * released: another process may take it first); -1 on error. */
int loopback_free_port(void);
/* `argv` (string constants) as posix_spawn's char *const argv[]. */
char *const *process_argv(const char *const *argv);

typedef struct emulator_http_response {
    long status; /* 0 when the request failed at the transport level */
    char *body;  /* NUL-terminated */
    size_t body_len;
    char *location;     /* Location header or NULL */
    char *retry_after;  /* Retry-After header or NULL */
    char *content_type; /* Content-Type header or NULL */
    double seconds;     /* total time */
    int curl_code;      /* CURLcode of the transfer */
} emulator_http_response;

/* One request. `headers` is a NULL-terminated list of "Name: value" (or
 * NULL); `body` NULL sends none. true when an HTTP response arrived. */
bool emulator_request(emulator_http_response *out, const char *method, const char *url,
                      const char *const *headers, const char *body);
void emulator_response_free(emulator_http_response *r);

/* A request to base_url + path with a JSON body (or none). */
bool emulator_control(const emulator_process *emu, const char *method, const char *path,
                      const char *json, emulator_http_response *out);
/* POST /__emulator/reset; true on 200. */
bool emulator_reset(const emulator_process *emu);
/* The count of (method, route, status) in /__emulator/counters, 0 when
 * absent, -1 on error. route NULL means requests that matched no route. */
long emulator_route_count(const emulator_process *emu, const char *method, const char *route,
                          int status);
/* token_requests[grant] from /__emulator/counters, -1 on error. */
long emulator_grant_count(const emulator_process *emu, const char *grant);
/* "total" from /__emulator/counters, -1 on error. */
long emulator_total_count(const emulator_process *emu);
/* POST /__emulator/tokens with `json_spec`; copies access_token (and
 * refresh_token when present and `refresh` is non-NULL) into the buffers.
 * true on success. */
bool emulator_issue_token(const emulator_process *emu, const char *json_spec, char *access,
                          size_t access_size, char *refresh, size_t refresh_size);
/* The string member `key` of a flat JSON object body, copied into `out`;
 * false when absent or not a string. */
bool emulator_json_string(const char *json, const char *key, char *out, size_t out_size);
/* The integer member `key` of a JSON object body; false when absent. */
bool emulator_json_int(const char *json, const char *key, long long *out);

#endif
