/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_http.c - client CPU per call when fetching one JSON document over a
 * keep-alive connection from a local server, in one run:
 *
 *   curl        a bare libcurl easy loop (one handle, body into a buffer)
 *   curl+cjson  the same, plus cJSON_ParseWithLength + cJSON_Delete
 *   sdk raw     spotify_client_send (pooled handle, retry driver, headers)
 *   sdk+parse   spotify_client_send + our simdjson parse into an arena
 *
 * CPU is user+system time of this process (getrusage), so the server's work
 * does not count. Usage: bench_http URL [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <spotify/spotify.h>

#include "core/arena.h"
#include "json/json.h"

#include "bench_util.h"

static double wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

typedef struct result {
    double cpu_per_call;
    double wall_per_call;
} result;

static result bare_curl(const char *url, int n, int parse)
{
    CURL *easy = curl_easy_init();
    bench_body body = {0};
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, bench_on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    double c0 = bench_cpu_us(), w0 = wall_us();
    for (int i = 0; i < n; i++) {
        body.len = 0;
        if (curl_easy_perform(easy) != CURLE_OK) {
            fprintf(stderr, "curl failed\n");
            exit(1);
        }
        if (parse) {
            cJSON *doc = cJSON_ParseWithLength(body.data, body.len);
            if (doc == NULL)
                exit(1);
            cJSON_Delete(doc);
        }
    }
    result r = {(bench_cpu_us() - c0) / n, (wall_us() - w0) / n};
    curl_easy_cleanup(easy);
    free(body.data);
    return r;
}

static result sdk(const char *base, const char *path, int n, int parse)
{
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = base;
    opts.access_token = "bench-token";
    spotify_client *client = NULL;
    spotify_error err = {0};
    if (spotify_client_new(&client, &opts, &err) != SPOTIFY_OK) {
        fprintf(stderr, "client: %s\n", err.message);
        exit(1);
    }
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = path;
    double c0 = bench_cpu_us(), w0 = wall_us();
    for (int i = 0; i < n; i++) {
        spotify_response *response = NULL;
        if (spotify_client_send(&response, client, &request, &err) != SPOTIFY_OK) {
            fprintf(stderr, "sdk: %s\n", err.message);
            exit(1);
        }
        if (parse) {
            spotify__arena *arena = spotify__arena_new(0);
            spotify__json root;
            if (spotify__json_parse(&root, arena, response->body, response->body_len,
                                    response->body_len, &err) != SPOTIFY_OK)
                exit(1);
            spotify__arena_free(arena);
        }
        spotify_response_free(response);
    }
    result r = {(bench_cpu_us() - c0) / n, (wall_us() - w0) / n};
    spotify_client_free(client);
    return r;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s URL [N]\n", argv[0]);
        return 2;
    }
    const char *url = argv[1];
    int n = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 2000;
    /* Split URL into base (scheme://host:port) and path for the SDK. */
    const char *path = strchr(strstr(url, "://") + 3, '/');
    char base[256];
    snprintf(base, sizeof base, "%.*s", (int)(path - url), url);

    spotify_global_init(NULL);
    bare_curl(url, n / 10 + 1, 0); /* warm-up */
    result curl_only = bare_curl(url, n, 0);
    result curl_cjson = bare_curl(url, n, 1);
    result sdk_raw = sdk(base, path, n, 0);
    result sdk_parse = sdk(base, path, n, 1);
    printf("| loop | client CPU per call | wall per call | CPU vs bare libcurl |\n");
    printf("| --- | ---: | ---: | ---: |\n");
    const struct {
        const char *name;
        result r;
    } rows[] = {{"bare libcurl", curl_only},
                {"libcurl + cJSON parse", curl_cjson},
                {"SDK raw request", sdk_raw},
                {"SDK raw request + simdjson parse", sdk_parse}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        printf("| %s | %.1f µs | %.1f µs | %.2fx |\n", rows[i].name, rows[i].r.cpu_per_call,
               rows[i].r.wall_per_call, rows[i].r.cpu_per_call / curl_only.cpu_per_call);
    spotify_global_cleanup();
    return 0;
}
