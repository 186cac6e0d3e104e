/* SPDX-License-Identifier: Apache-2.0 */
/* redis_test_util.c - see redis_test_util.h. */
#include "redis_test_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <spotify/redis.h>
#include <spotify/spotify.h>

#include "core/clock.h"

extern char **environ;

static void die(const char *what)
{
    fprintf(stderr, "redis_test_util: %s\n", what);
    abort();
}

emulator_process redis_test_emu;

int redis_test_emu_setup(void **state)
{
    (void)state;
    spotify_global_init(NULL);
    return emulator_start(&redis_test_emu, NULL) ? 0 : -1;
}

int redis_test_emu_teardown(void **state)
{
    (void)state;
    int status = emulator_stop(&redis_test_emu);
    spotify_global_cleanup();
    return status == 0 ? 0 : -1;
}

int redis_test_emu_reset(void **state)
{
    (void)state;
    return emulator_reset(&redis_test_emu) ? 0 : -1;
}

int redis_fixture_port(const char *name)
{
    const char *dir = getenv("SPOTIFY_TEST_REDIS_DIR");
    if (dir == NULL)
        die("SPOTIFY_TEST_REDIS_DIR is not set (run through ctest)");
    char path[512];
    snprintf(path, sizeof path, "%s/%s.port", dir, name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        die("the Redis fixture's port file is missing");
    int port = 0;
    if (fscanf(f, "%d", &port) != 1)
        port = 0;
    fclose(f);
    if (port <= 0)
        die("bad port file");
    return port;
}

const char *redis_fixture_url(void)
{
    static char url[64];
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", redis_fixture_port("plain"));
    return url;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static bool port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

int redis_test_closed_port(void)
{
    int port = loopback_free_port();
    if (port < 0)
        die("bind");
    return port;
}

/* Spawns redis-server with `argv` (its output to /dev/null: ctest waits
 * for the test's to close) and waits until srv->port accepts connections. */
static bool spawn_server(redis_server *srv, const char *const *argv)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawnp(&srv->pid, "redis-server", &fa, NULL, process_argv(argv), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return false;
    for (int i = 0; i < 200; i++) {
        if (port_open(srv->port))
            return true;
        if (waitpid(srv->pid, NULL, WNOHANG) == srv->pid)
            break;
        sleep_ms(25);
    }
    redis_server_stop(srv);
    return false;
}

bool redis_server_start_in(redis_server *srv, int port, const char *dir, const char *const *extra)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        srv->port = port != 0 ? port : redis_test_closed_port();
        char port_text[16];
        snprintf(port_text, sizeof port_text, "%d", srv->port);
        const char *argv[32] = {
            "redis-server", "--port", port_text, "--bind", "127.0.0.1",  "--save", "",
            "--appendonly", "no",     "--dir",   dir,      "--loglevel", "warning"};
        size_t n = 13;
        for (size_t i = 0; extra != NULL && extra[i] != NULL && n + 1 < 32; i++)
            argv[n++] = extra[i];
        argv[n] = NULL;
        if (spawn_server(srv, argv))
            return true;
        if (port != 0)
            sleep_ms(200);
    }
    return false;
}

bool redis_server_start(redis_server *srv, int port)
{
    return redis_server_start_in(srv, port, "/tmp", NULL);
}

bool redis_sentinel_start(redis_server *srv, const char *dir, const char *master, int master_port)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        srv->port = redis_test_closed_port();
        char conf[512];
        snprintf(conf, sizeof conf, "%s/sentinel-%d.conf", dir, srv->port);
        FILE *f = fopen(conf, "w");
        if (f == NULL)
            return false;
        fprintf(f,
                "port %d\nbind 127.0.0.1\ndir %s\nlogfile %s/sentinel-%d.log\n"
                "sentinel monitor %s 127.0.0.1 %d 1\n"
                "sentinel down-after-milliseconds %s 1000\n"
                "sentinel failover-timeout %s 5000\n",
                srv->port, dir, dir, srv->port, master, master_port, master, master);
        fclose(f);
        const char *argv[] = {"redis-server", conf, "--sentinel", NULL};
        if (spawn_server(srv, argv))
            return true;
    }
    return false;
}

void redis_server_stop(redis_server *srv)
{
    if (srv->pid <= 0)
        return;
    kill(srv->pid, SIGTERM);
    kill(srv->pid, SIGCONT);
    waitpid(srv->pid, NULL, 0);
    srv->pid = 0;
}

void redis_server_pause(redis_server *srv, bool paused)
{
    if (srv->pid > 0)
        kill(srv->pid, paused ? SIGSTOP : SIGCONT);
}

bool redis_test_control(const char *method, const char *path, const char *json)
{
    emulator_http_response r;
    if (!emulator_control(&redis_test_emu, method, path, json, &r))
        return false;
    bool ok = r.status == 200;
    emulator_response_free(&r);
    return ok;
}

static pthread_mutex_t warnings_mutex = PTHREAD_MUTEX_INITIALIZER;
static char warnings[16384];

static void warning_capture(spotify_log_level level, const char *message, void *user)
{
    (void)user;
    if (level < SPOTIFY_LOG_WARN)
        return;
    pthread_mutex_lock(&warnings_mutex);
    size_t used = strlen(warnings);
    snprintf(warnings + used, sizeof warnings - used, "%s\n", message);
    pthread_mutex_unlock(&warnings_mutex);
}

void redis_test_warnings_capture(bool on)
{
    pthread_mutex_lock(&warnings_mutex);
    warnings[0] = '\0';
    pthread_mutex_unlock(&warnings_mutex);
    spotify_log_set_handler(on ? warning_capture : NULL, NULL, SPOTIFY_LOG_WARN);
}

int redis_test_warning_count(const char *needle)
{
    int n = 0;
    pthread_mutex_lock(&warnings_mutex);
    for (const char *p = strstr(warnings, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    pthread_mutex_unlock(&warnings_mutex);
    return n;
}

redisContext *redis_test_connect(int port, const char *password)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    if (c == NULL || c->err != 0)
        die("cannot connect to the test Redis");
    if (password != NULL) {
        redisReply *r = redisCommand(c, "AUTH %s", password);
        if (r == NULL || r->type == REDIS_REPLY_ERROR)
            die("AUTH failed");
        freeReplyObject(r);
    }
    return c;
}

long long redis_test_integer(redisContext *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    long long v = r != NULL && r->type == REDIS_REPLY_INTEGER ? r->integer : -1000;
    if (r != NULL)
        freeReplyObject(r);
    return v;
}

const char *redis_test_role(int port)
{
    static char role[16];
    role[0] = '\0';
    redisContext *c = redisConnect("127.0.0.1", port);
    redisReply *r = c != NULL && c->err == 0 ? redisCommand(c, "ROLE") : NULL;
    if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
        r->element[0]->type == REDIS_REPLY_STRING)
        snprintf(role, sizeof role, "%s", r->element[0]->str);
    if (r != NULL)
        freeReplyObject(r);
    if (c != NULL)
        redisFree(c);
    return role;
}

int redis_test_sentinel_master_port(int sentinel_port, const char *master)
{
    redisContext *c = redisConnect("127.0.0.1", sentinel_port);
    redisReply *r = c != NULL && c->err == 0
                        ? redisCommand(c, "SENTINEL get-master-addr-by-name %s", master)
                        : NULL;
    int port = r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 2
                   ? atoi(r->element[1]->str)
                   : 0;
    if (r != NULL)
        freeReplyObject(r);
    if (c != NULL)
        redisFree(c);
    return port;
}

bool redis_test_wait(bool (*done)(void *user), void *user, long timeout_ms)
{
    for (long waited = 0; waited < timeout_ms; waited += 50) {
        if (done(user))
            return true;
        sleep_ms(50);
    }
    return done(user);
}

void redis_test_sleep_ms(long ms)
{
    sleep_ms(ms);
}

spotify_token_cache *redis_test_user_cache(const char *url, const char *prefix)
{
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = url;
    o.key_prefix = prefix;
    o.client_id = "demo-client";
    o.user_key = "demo-user";
    spotify_token_cache *cache = NULL;
    spotify_error err = {0};
    if (spotify_redis_token_cache_new(&cache, &o, &err) != SPOTIFY_OK) {
        fprintf(stderr, "redis_test_util: the cache: %s\n", err.message);
        die("cannot create the Redis cache");
    }
    return cache;
}

void redis_test_seed_expired_user_token(spotify_token_cache *cache)
{
    char access[256], refresh[256], scope[] = "user-read-private", client[] = "demo-client";
    if (!emulator_issue_token(&redis_test_emu,
                              "{\"client_id\":\"demo-client\",\"user\":true,"
                              "\"scope\":\"user-read-private\",\"expires_in\":0}",
                              access, sizeof access, refresh, sizeof refresh))
        die("the emulator issued no token");
    spotify_token t = {.access_token = access,
                       .expires_at = spotify__wall_seconds() - 60,
                       .refresh_token = refresh,
                       .scope = scope,
                       .client_id = client,
                       .flow = SPOTIFY_FLOW_AUTHORIZATION_CODE};
    if (spotify_token_cache_store(cache, &t, NULL) != SPOTIFY_OK)
        die("cannot store the seed token");
}

void redis_test_prefix(char *out, size_t size)
{
    static int counter;
    snprintf(out, size, "t%ld-%d:", (long)getpid(), ++counter);
}

pid_t worker_spawn(const char *const *argv)
{
    pid_t pid;
    if (posix_spawn(&pid, argv[0], NULL, NULL, process_argv(argv), environ) != 0)
        die("cannot spawn the worker");
    return pid;
}

int worker_wait(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

const char *worker_binary(void)
{
    return SPOTIFY_REDIS_WORKER_PATH;
}

pid_t worker_spawn_mode(const char *mode, const char *url, const char *prefix, const char *extra)
{
    const char *argv[] = {worker_binary(), mode, url, redis_test_emu.base_url, prefix, extra, NULL};
    return worker_spawn(argv);
}
