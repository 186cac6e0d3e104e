/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_async_http2.c - the async API multiplexes over HTTP/2 when the server
 * offers it: Debian's nginx with http2 and TLS (a throwaway self-signed
 * certificate, trusted by this test alone through the pool's ca_file) in
 * front of spotify-emulator (which speaks HTTP/1.1). 64 requests in flight
 * share one connection; nginx's log shows HTTP/2.0 for each.
 *
 * Skips (exit 77) when nginx or openssl is not installed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "emulator_process.h"
#include "test_util.h"

#define NGINX "/usr/sbin/nginx"
#define TPAB "7ycBtnsMtyVbbwTfJwRjSP"
#define REQUESTS 64

static emulator_process emu;
static char *dir;
static pid_t nginx_pid;
static int nginx_port;
static char path_buf[1024];

static const char *in_dir(const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
    return path_buf;
}

static bool certificate_make(void)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
             "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 1 "
             "-keyout %s/key.pem -out %s/cert.pem >/dev/null 2>&1",
             dir, dir);
    return system(cmd) == 0;
}

static bool nginx_config_write(int emulator_port)
{
    FILE *f = fopen(in_dir("nginx.conf"), "w");
    if (f == NULL)
        return false;
    fprintf(f,
            "worker_processes 1;\n"
            "pid %s/nginx.pid;\n"
            "error_log %s/error.log;\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            "  log_format proto '$server_protocol $connection $status';\n"
            "  access_log %s/access.log proto;\n"
            "  client_body_temp_path %s; proxy_temp_path %s;\n"
            "  fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;\n"
            "  upstream emulator { server 127.0.0.1:%d; keepalive 16; }\n"
            "  server {\n"
            "    listen 127.0.0.1:%d ssl http2;\n"
            "    ssl_certificate %s/cert.pem; ssl_certificate_key %s/key.pem;\n"
            "    http2_max_concurrent_streams 128;\n"
            "    location / { proxy_pass http://emulator; proxy_http_version 1.1;\n"
            "                 proxy_set_header Connection \"\"; }\n"
            "  }\n"
            "}\n",
            dir, dir, dir, dir, dir, dir, dir, dir, emulator_port, nginx_port, dir, dir);
    return fclose(f) == 0;
}

static bool nginx_start(void)
{
    nginx_pid = fork();
    if (nginx_pid == 0) {
        execl(NGINX, NGINX, "-p", dir, "-c", in_dir("nginx.conf"), "-g", "daemon off;",
              (char *)NULL);
        _exit(127);
    }
    if (nginx_pid < 0)
        return false;
    /* Ready when it answers. */
    char url[128];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", nginx_port);
    for (int i = 0; i < 100; i++) {
        emulator_http_response r;
        bool up = emulator_request(&r, "GET", url, NULL, NULL) || r.curl_code != 7;
        emulator_response_free(&r);
        if (up)
            return true;
        usleep(50 * 1000);
    }
    return false;
}

static int group_setup(void **state)
{
    (void)state;
    if (access(NGINX, X_OK) != 0 || system("openssl version >/dev/null 2>&1") != 0) {
        fprintf(stderr, "test_async_http2: SKIPPED: nginx or openssl is not installed\n");
        exit(77);
    }
    spotify_global_init(NULL);
    dir = test_mkdtemp();
    if (!emulator_start(&emu, NULL) || !certificate_make())
        return -1;
    int emulator_port = (int)strtol(strrchr(emu.base_url, ':') + 1, NULL, 10);
    nginx_port = loopback_free_port();
    if (!nginx_config_write(emulator_port) || !nginx_start())
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    if (nginx_pid > 0) {
        kill(nginx_pid, SIGTERM);
        waitpid(nginx_pid, NULL, 0);
    }
    int status = emulator_stop(&emu);
    test_rmdir_recursive(dir);
    free(dir);
    spotify_global_cleanup();
    return status == 0 ? 0 : -1;
}

typedef struct tally {
    int done;
    int ok;
    int new_connections;
} tally;

static void on_attempt(const spotify_http_event *event, void *user)
{
    tally *t = user;
    t->new_connections += event->new_connections;
}

static void on_album(spotify_status status, spotify_album *album, const spotify_error *err,
                     void *user)
{
    (void)err;
    tally *t = user;
    t->done++;
    if (status == SPOTIFY_OK && album != NULL && album->name != NULL &&
        strcmp(album->name, "To Pimp A Butterfly") == 0)
        t->ok++;
    spotify_album_free(album);
}

/* Counts the access-log lines, and those that are HTTP/2.0. */
static void access_log_count(int *lines, int *http2)
{
    *lines = *http2 = 0;
    FILE *f = fopen(in_dir("access.log"), "r");
    assert_non_null(f);
    char line[256];
    while (fgets(line, sizeof line, f) != NULL) {
        (*lines)++;
        if (strncmp(line, "HTTP/2.0 ", 9) == 0)
            (*http2)++;
    }
    fclose(f);
}

static void test_requests_multiplexed_over_one_connection(void **state)
{
    (void)state;
    char token[128];
    assert_true(emulator_issue_token(&emu, "{\"user\":false}", token, sizeof token, NULL, 0));
    char base[160];
    snprintf(base, sizeof base, "https://127.0.0.1:%d/v1", nginx_port);
    tally t = {0, 0, 0};
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = base;
    opts.access_token = token;
    opts.ca_file = in_dir("cert.pem");
    opts.observer = on_attempt;
    opts.observer_user = &t;
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_OK);
    spotify_async *async = NULL;
    spotify_async_options aopts = SPOTIFY_ASYNC_OPTIONS_INIT;
    aopts.max_in_flight = REQUESTS;
    assert_int_equal(spotify_async_new(&async, client, &aopts, &err), SPOTIFY_OK);
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = TPAB;
    for (int i = 0; i < REQUESTS; i++)
        assert_int_equal(spotify_albums_get_async(async, &a, on_album, &t, NULL, &err), SPOTIFY_OK);
    for (int turns = 0; spotify_async_pending(async) > 0 && turns < 1000; turns++)
        assert_int_equal(spotify_async_run(async, 1000, &err), SPOTIFY_OK);
    assert_int_equal(t.done, REQUESTS);
    assert_int_equal(t.ok, REQUESTS);
    /* One TLS connection carried every request. */
    assert_int_equal(t.new_connections, 1);
    spotify_async_free(async);
    spotify_client_free(client);
    int lines, http2;
    access_log_count(&lines, &http2);
    assert_int_equal(lines, REQUESTS);
    assert_int_equal(http2, REQUESTS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_requests_multiplexed_over_one_connection),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
