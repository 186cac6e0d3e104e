/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emulator_process.c - spawning the emulator (posix_spawn), waiting for its
 * ready file, stopping it, and small HTTP/JSON helpers on libcurl and the
 * SDK's JSON reader.
 */
#include "emulator_process.h"

#include <curl/curl.h>

#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "json/json.h"

#define READY_TIMEOUT_MS 10000
#define MAX_ARGS 64

extern char **environ;

const char *emulator_binary(void)
{
    const char *env = getenv("SPOTIFY_EMULATOR");
    if (env != NULL && env[0] != '\0')
        return env;
#ifdef SPOTIFY_EMULATOR_PATH
    return SPOTIFY_EMULATOR_PATH;
#else
    return "spotify-emulator";
#endif
}

char *const *process_argv(const char *const *argv)
{
    union {
        const char *const *in;
        char *const *out;
    } u = {argv};
    return u.out;
}

int loopback_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Reads the ready file once it is complete; true when it holds a URL. */
static bool read_ready(emulator_process *emu)
{
    FILE *f = fopen(emu->ready_file, "r");
    if (f == NULL)
        return false;
    char line[sizeof emu->base_url] = "";
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    if (!ok || strncmp(line, "http://", 7) != 0)
        return false;
    snprintf(emu->base_url, sizeof emu->base_url, "%s", line);
    return true;
}

static int decode_status(int wstatus)
{
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus))
        return 128 + WTERMSIG(wstatus);
    return -1;
}

/* Builds argv: binary, then `first` (NULL-terminated), then `extra`. */
static void build_argv(const char **argv, const char *const *first, const char *const *extra)
{
    size_t n = 0;
    argv[n++] = emulator_binary();
    for (size_t i = 0; first != NULL && first[i] != NULL && n < MAX_ARGS - 1; i++)
        argv[n++] = first[i];
    for (size_t i = 0; extra != NULL && extra[i] != NULL && n < MAX_ARGS - 1; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
}

bool emulator_start(emulator_process *emu, const char *const *extra_args)
{
    memset(emu, 0, sizeof *emu);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *tmp = getenv("TMPDIR");
    snprintf(emu->dir, sizeof emu->dir, "%s/spotify-emu-XXXXXX", tmp ? tmp : "/tmp");
    if (mkdtemp(emu->dir) == NULL) {
        perror("emulator_start: mkdtemp");
        return false;
    }
    snprintf(emu->ready_file, sizeof emu->ready_file, "%s/ready", emu->dir);
    const char *const first[] = {"--port", "0", "--ready-file", emu->ready_file, NULL};
    const char *argv[MAX_ARGS];
    build_argv(argv, first, extra_args);
    double start = now_ms();
    int rc = posix_spawn(&emu->pid, argv[0], NULL, NULL, process_argv(argv), environ);
    if (rc != 0) {
        fprintf(stderr, "emulator_start: cannot run %s: %s\n", argv[0], strerror(rc));
        rmdir(emu->dir);
        return false;
    }
    while (now_ms() - start < READY_TIMEOUT_MS) {
        if (read_ready(emu)) {
            emu->startup_ms = now_ms() - start;
            return true;
        }
        int wstatus;
        if (waitpid(emu->pid, &wstatus, WNOHANG) == emu->pid) {
            fprintf(stderr, "emulator_start: the emulator exited with %d\n",
                    decode_status(wstatus));
            emu->pid = 0;
            rmdir(emu->dir);
            return false;
        }
        sleep_ms(2);
    }
    fprintf(stderr, "emulator_start: no ready file after %d ms\n", READY_TIMEOUT_MS);
    emulator_stop(emu);
    return false;
}

int emulator_stop(emulator_process *emu)
{
    int status = -1;
    if (emu->pid > 0) {
        kill(emu->pid, SIGTERM);
        int wstatus;
        pid_t r;
        do {
            r = waitpid(emu->pid, &wstatus, 0);
        } while (r < 0 && errno == EINTR);
        status = r == emu->pid ? decode_status(wstatus) : -1;
        emu->pid = 0;
    }
    if (emu->dir[0] != '\0') {
        unlink(emu->ready_file);
        rmdir(emu->dir);
        emu->dir[0] = '\0';
    }
    return status;
}

int emulator_run_to_exit(const char *const *args, char *out, size_t out_size)
{
    char path[] = "/tmp/spotify-emu-out-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    unlink(path);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fd, STDOUT_FILENO);
    const char *argv[MAX_ARGS];
    build_argv(argv, args, NULL);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &actions, NULL, process_argv(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    int status = -1;
    int wstatus;
    if (rc == 0 && waitpid(pid, &wstatus, 0) == pid)
        status = decode_status(wstatus);
    if (out != NULL && out_size > 0) {
        ssize_t n = pread(fd, out, out_size - 1, 0);
        out[n > 0 ? n : 0] = '\0';
    }
    close(fd);
    return status;
}

/* ---- HTTP ---- */

typedef struct collected {
    char *data;
    size_t len;
} collected;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *user)
{
    collected *c = user;
    size_t n = size * nmemb;
    char *grown = realloc(c->data, c->len + n + 1);
    if (grown == NULL)
        return 0;
    memcpy(grown + c->len, ptr, n);
    c->len += n;
    grown[c->len] = '\0';
    c->data = grown;
    return n;
}

/* Keeps the value of one interesting response header. */
static void keep_header(char **slot, const char *line, size_t len, const char *name)
{
    size_t n = strlen(name);
    if (len <= n + 1 || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return;
    const char *v = line + n + 1;
    size_t vlen = len - n - 1;
    while (vlen > 0 && (*v == ' ' || *v == '\t'))
        v++, vlen--;
    while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n'))
        vlen--;
    free(*slot);
    *slot = strndup(v, vlen);
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *user)
{
    emulator_http_response *r = user;
    size_t len = size * nmemb;
    keep_header(&r->location, line, len, "Location");
    keep_header(&r->retry_after, line, len, "Retry-After");
    keep_header(&r->content_type, line, len, "Content-Type");
    return len;
}

bool emulator_request(emulator_http_response *out, const char *method, const char *url,
                      const char *const *headers, const char *body)
{
    memset(out, 0, sizeof *out);
    CURL *curl = curl_easy_init();
    if (curl == NULL)
        return false;
    struct curl_slist *list = NULL;
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
        list = curl_slist_append(list, headers[i]);
    list = curl_slist_append(list, "Expect:");
    collected c = {NULL, 0};
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &c);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    CURLcode rc = curl_easy_perform(curl);
    out->curl_code = (int)rc;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &out->seconds);
    out->body = c.data != NULL ? c.data : strdup("");
    out->body_len = c.len;
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK;
}

void emulator_response_free(emulator_http_response *r)
{
    free(r->body);
    free(r->location);
    free(r->retry_after);
    free(r->content_type);
    memset(r, 0, sizeof *r);
}

bool emulator_control(const emulator_process *emu, const char *method, const char *path,
                      const char *json, emulator_http_response *out)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", emu->base_url, path);
    const char *const headers[] = {"Content-Type: application/json", NULL};
    return emulator_request(out, method, url, headers, json);
}

bool emulator_reset(const emulator_process *emu)
{
    emulator_http_response r;
    bool ok = emulator_control(emu, "POST", "/__emulator/reset", NULL, &r) && r.status == 200;
    emulator_response_free(&r);
    return ok;
}

/* ---- JSON ---- */

/* Parses `json` and walks a dotted path ("error.message"). */
static bool json_lookup(spotify__arena *arena, const char *json, const char *path,
                        spotify__json *out)
{
    spotify_error err = {0};
    spotify__json v;
    size_t len = strlen(json);
    if (spotify__json_parse(&v, arena, json, len, len, &err) != SPOTIFY_OK)
        return false;
    char key[128];
    while (*path != '\0') {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key)
            return false;
        memcpy(key, path, n);
        key[n] = '\0';
        v = spotify__json_get(v, key);
        path += n + (path[n] == '.');
    }
    *out = v;
    return spotify__json_valid(v);
}

bool emulator_json_string(const char *json, const char *key, char *out, size_t out_size)
{
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json v;
    const char *s;
    size_t len;
    bool ok = arena != NULL && json_lookup(arena, json, key, &v) &&
              spotify__json_get_string(v, &s, &len) && len < out_size;
    if (ok)
        memcpy(out, s, len + 1);
    spotify__arena_free(arena);
    return ok;
}

bool emulator_json_int(const char *json, const char *key, long long *out)
{
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json v;
    int64_t n = 0;
    bool ok = arena != NULL && json_lookup(arena, json, key, &v) && spotify__json_get_int64(v, &n);
    if (ok)
        *out = n;
    spotify__arena_free(arena);
    return ok;
}

/* True when member `key` of `obj` is the string `want` (or null when want is NULL). */
static bool member_is(spotify__json obj, const char *key, const char *want)
{
    spotify__json v = spotify__json_get(obj, key);
    if (want == NULL)
        return spotify__json_is_null(v);
    const char *s;
    size_t len;
    return spotify__json_get_string(v, &s, &len) && strcmp(s, want) == 0;
}

/* Fetches /__emulator/counters and parses it into `arena`. */
static bool fetch_counters(const emulator_process *emu, spotify__arena *arena, spotify__json *root)
{
    emulator_http_response r;
    spotify_error err = {0};
    bool ok = emulator_control(emu, "GET", "/__emulator/counters", NULL, &r) && r.status == 200 &&
              spotify__json_parse(root, arena, r.body, r.body_len, r.body_len, &err) == SPOTIFY_OK;
    emulator_response_free(&r);
    return ok;
}

long emulator_route_count(const emulator_process *emu, const char *method, const char *route,
                          int status)
{
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root;
    long count = -1;
    if (arena != NULL && fetch_counters(emu, arena, &root)) {
        count = 0;
        spotify__json routes = spotify__json_get(root, "routes");
        for (spotify__json e = spotify__json_first(routes); spotify__json_valid(e);
             e = spotify__json_next(e)) {
            int64_t st = 0, n = 0;
            spotify__json_get_int64(spotify__json_get(e, "status"), &st);
            if (st == status && member_is(e, "method", method) && member_is(e, "route", route) &&
                spotify__json_get_int64(spotify__json_get(e, "count"), &n))
                count += (long)n;
        }
    }
    spotify__arena_free(arena);
    return count;
}

/* An integer at a dotted path of the counters document, or -1. */
static long counters_int(const emulator_process *emu, const char *path)
{
    emulator_http_response r;
    long long n = -1;
    if (!emulator_control(emu, "GET", "/__emulator/counters", NULL, &r) || r.status != 200 ||
        !emulator_json_int(r.body, path, &n))
        n = -1;
    emulator_response_free(&r);
    return (long)n;
}

long emulator_grant_count(const emulator_process *emu, const char *grant)
{
    char path[128];
    snprintf(path, sizeof path, "token_requests.%s", grant);
    return counters_int(emu, path);
}

long emulator_total_count(const emulator_process *emu)
{
    return counters_int(emu, "total");
}

bool emulator_issue_token(const emulator_process *emu, const char *json_spec, char *access,
                          size_t access_size, char *refresh, size_t refresh_size)
{
    emulator_http_response r;
    bool ok = emulator_control(emu, "POST", "/__emulator/tokens", json_spec, &r) &&
              r.status == 200 && emulator_json_string(r.body, "access_token", access, access_size);
    if (ok && refresh != NULL &&
        !emulator_json_string(r.body, "refresh_token", refresh, refresh_size))
        refresh[0] = '\0';
    emulator_response_free(&r);
    return ok;
}
