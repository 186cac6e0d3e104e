/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.c - see cli.h.
 */
#include "cli.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "core/arena.h"
#include "json/json.h"
#include "test_json_equal.h"
#include "test_util.h"

extern char **environ;

#define ARGS_MAX 64
#define ENV_MAX 48

const char *cli_binary(void)
{
    const char *p = getenv("SPOTCTL");
    return p != NULL && p[0] != '\0' ? p : SPOTCTL_PATH;
}

bool cli_setup(cli_fixture *f, const char *const *emu_args)
{
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/spotctl-test-XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        perror("mkdtemp");
        return false;
    }
    snprintf(f->cache, sizeof f->cache, "%s/token.json", f->dir);
    if (!emulator_start(&f->emu, emu_args))
        return false;
    snprintf(f->api, sizeof f->api, "%s/v1", f->emu.base_url);
    return true;
}

int cli_teardown(cli_fixture *f)
{
    int status = emulator_stop(&f->emu);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    return status;
}

bool cli_login_into(cli_fixture *f, spotify_token_cache *cache, const char *scope,
                    double expires_in)
{
    char spec[1024];
    snprintf(spec, sizeof spec, "{\"client_id\":\"demo-client\",\"user\":true,\"scope\":\"%s\"}",
             scope != NULL ? scope
                           : "user-read-private user-read-email playlist-read-private "
                             "playlist-read-collaborative playlist-modify-public "
                             "playlist-modify-private user-library-read user-library-modify "
                             "user-follow-read user-follow-modify user-read-playback-state "
                             "user-modify-playback-state user-read-currently-playing "
                             "user-top-read user-read-recently-played ugc-image-upload");
    if (!emulator_issue_token(&f->emu, spec, f->access, sizeof f->access, f->refresh,
                              sizeof f->refresh))
        return false;
    spotify_token t = {0};
    spotify_error err = {0};
    bool ok = spotify_token_set_field(&t.access_token, f->access, &err) == SPOTIFY_OK &&
              spotify_token_set_field(&t.refresh_token, f->refresh, &err) == SPOTIFY_OK &&
              spotify_token_set_field(&t.client_id, "demo-client", &err) == SPOTIFY_OK;
    if (ok && scope != NULL)
        ok = spotify_token_set_field(&t.scope, scope, &err) == SPOTIFY_OK;
    t.flow = SPOTIFY_FLOW_AUTHORIZATION_CODE;
    t.expires_at = (double)time(NULL) + (expires_in > 0 ? expires_in : -60);
    if (ok)
        ok = spotify_token_cache_store(cache, &t, &err) == SPOTIFY_OK;
    if (!ok)
        fprintf(stderr, "cli_login: %s\n", err.message);
    spotify_token_clear(&t);
    return ok;
}

bool cli_login(cli_fixture *f, const char *scope, double expires_in)
{
    spotify_token_cache *cache = NULL;
    spotify_error err = {0};
    if (spotify_token_cache_file_new(&cache, f->cache, &err) != SPOTIFY_OK) {
        fprintf(stderr, "cli_login: %s\n", err.message);
        return false;
    }
    bool ok = cli_login_into(f, cache, scope, expires_in);
    spotify_token_cache_free(cache);
    return ok;
}

/* The child's environment: a fixed base plus `env`. Strings are Owned by
 * `storage` (ENV_MAX entries of 512 bytes). */
static void build_env(char **envp, char (*storage)[512], const cli_fixture *f,
                      const char *const *env)
{
    size_t n = 0;
    const char *path = getenv("PATH");
    snprintf(storage[n], 512, "PATH=%s", path != NULL ? path : "/usr/bin:/bin");
    envp[n] = storage[n], n++;
    snprintf(storage[n], 512, "HOME=%s", f->dir);
    envp[n] = storage[n], n++;
    snprintf(storage[n], 512, "SPOTIFY_SDK_API_BASE_URL=%s", f->api);
    envp[n] = storage[n], n++;
    snprintf(storage[n], 512, "SPOTIFY_SDK_ACCOUNTS_BASE_URL=%s", f->emu.base_url);
    envp[n] = storage[n], n++;
    snprintf(storage[n], 512, "SPOTCTL_CACHE=%s", f->cache);
    envp[n] = storage[n], n++;
    snprintf(storage[n], 512, "SPOTIFY_SDK_CLIENT_SECRET=demo-secret");
    envp[n] = storage[n], n++;
    static const char *const pass[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "CHROMIUM"};
    for (size_t i = 0; i < sizeof pass / sizeof pass[0]; i++) {
        const char *v = getenv(pass[i]);
        if (v != NULL) {
            snprintf(storage[n], 512, "%s=%s", pass[i], v);
            envp[n] = storage[n], n++;
        }
    }
    for (size_t i = 0; env != NULL && env[i] != NULL && n + 1 < ENV_MAX; i++) {
        /* a later K=V replaces an earlier one */
        size_t klen = strcspn(env[i], "=");
        size_t j = 0;
        for (; j < n; j++)
            if (strncmp(envp[j], env[i], klen + 1) == 0)
                break;
        snprintf(storage[j], 512, "%s", env[i]);
        envp[j] = storage[j];
        if (j == n)
            n++;
    }
    envp[n] = NULL;
}

/* argv[0] is the program when `program` is true, else spotctl is run. */
static int spawn_prog(const cli_fixture *f, const char *const *env, const char *stdin_path,
                      const char *const *argv, const char *out_path, const char *err_path,
                      bool program, int stdin_flags)
{
    char *args[ARGS_MAX + 2];
    size_t n = 0;
    if (!program)
        args[n++] = (char *)(uintptr_t)cli_binary();
    for (size_t i = 0; argv[i] != NULL && n < ARGS_MAX; i++)
        args[n++] = (char *)(uintptr_t)argv[i];
    args[n] = NULL;
    static __thread char storage[ENV_MAX][512];
    char *envp[ENV_MAX + 1];
    build_env(envp, storage, f, env);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, stdin_path != NULL ? stdin_path : "/dev/null",
                                     stdin_flags, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    int rc = posix_spawnp(&pid, args[0], &fa, NULL, args, envp);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? (int)pid : -1;
}

static int spawn_to(const cli_fixture *f, const char *const *env, const char *stdin_path,
                    const char *const *argv, const char *out_path, const char *err_path)
{
    return spawn_prog(f, env, stdin_path, argv, out_path, err_path, false, O_RDONLY);
}

char *cli_read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (cap - len < 2) {
            char *grown = realloc(buf, cap * 2);
            if (grown == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    fclose(fp);
    if (buf != NULL)
        buf[len] = '\0';
    return buf;
}

static void out_paths(const cli_fixture *f, char *out, char *err, size_t size, const char *tag)
{
    snprintf(out, size, "%s/%s.out", f->dir, tag);
    snprintf(err, size, "%s/%s.err", f->dir, tag);
}

static bool collect(cli_result *r, int pid, const char *out, const char *err)
{
    memset(r, 0, sizeof *r);
    r->status = -1;
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return false;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->out = cli_read_file(out);
    r->err = cli_read_file(err);
    unlink(out);
    unlink(err);
    if (r->out == NULL)
        r->out = strdup("");
    if (r->err == NULL)
        r->err = strdup("");
    return true;
}

bool cli_runv(cli_result *r, const cli_fixture *f, const char *const *env, const char *stdin_path,
              const char *const *argv)
{
    char out[400], err[400], tag[64];
    static int counter;
    snprintf(tag, sizeof tag, "run-%d-%d", (int)getpid(), __atomic_add_fetch(&counter, 1, 0));
    out_paths(f, out, err, sizeof out, tag);
    int pid = spawn_to(f, env, stdin_path, argv, out, err);
    return collect(r, pid, out, err);
}

bool cli_run_program(cli_result *r, const cli_fixture *f, const char *const *env,
                     const char *const *argv)
{
    char out[400], err[400], tag[64];
    static int counter;
    snprintf(tag, sizeof tag, "prog-%d-%d", (int)getpid(), __atomic_add_fetch(&counter, 1, 0));
    out_paths(f, out, err, sizeof out, tag);
    int pid = spawn_prog(f, env, NULL, argv, out, err, true, O_RDONLY);
    return collect(r, pid, out, err);
}

static bool run_va(cli_result *r, const cli_fixture *f, const char *const *env, va_list ap)
{
    const char *argv[ARGS_MAX + 1];
    size_t n = 0;
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && n < ARGS_MAX)
        argv[n++] = a;
    argv[n] = NULL;
    return cli_runv(r, f, env, NULL, argv);
}

bool cli_run(cli_result *r, const cli_fixture *f, ...)
{
    va_list ap;
    va_start(ap, f);
    bool ok = run_va(r, f, NULL, ap);
    va_end(ap);
    return ok;
}

bool cli_run_app(cli_result *r, const cli_fixture *f, ...)
{
    static const char *const env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client", NULL};
    va_list ap;
    va_start(ap, f);
    bool ok = run_va(r, f, env, ap);
    va_end(ap);
    return ok;
}

void cli_result_free(cli_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

size_t cli_lines(const char *text)
{
    size_t n = 0;
    for (; text != NULL && *text != '\0'; text++)
        if (*text == '\n')
            n++;
    return n;
}

int cli_spawn(const cli_fixture *f, const char *tag, const char *const *env,
              const char *const *argv)
{
    char out[400], err[400];
    out_paths(f, out, err, sizeof out, tag);
    return spawn_to(f, env, NULL, argv, out, err);
}

int cli_spawn_fifo(const cli_fixture *f, const char *tag, const char *const *env, const char *fifo,
                   const char *const *argv)
{
    char out[400], err[400];
    out_paths(f, out, err, sizeof out, tag);
    /* O_RDWR: opening a FIFO so never waits for a writer */
    return spawn_prog(f, env, fifo, argv, out, err, false, O_RDWR);
}

bool cli_wait(cli_result *r, const cli_fixture *f, const char *tag, int pid)
{
    char out[400], err[400];
    out_paths(f, out, err, sizeof out, tag);
    return collect(r, pid, out, err);
}

static void concurrent_tag(char *out, size_t size, int i)
{
    snprintf(out, size, "concurrent-%d-%d", (int)getpid(), i % 1000);
}

void cli_run_concurrently(const cli_fixture *f, const char *const *env, const char *const *argv,
                          int n, const char *expect)
{
    int pids[CLI_CONCURRENT_MAX];
    char tag[48];
    assert_true(n > 0 && n <= CLI_CONCURRENT_MAX);
    for (int i = 0; i < n; i++) {
        concurrent_tag(tag, sizeof tag, i);
        pids[i] = cli_spawn(f, tag, env, argv);
        assert_true(pids[i] > 0);
    }
    for (int i = 0; i < n; i++) {
        cli_result r;
        concurrent_tag(tag, sizeof tag, i);
        assert_true(cli_wait(&r, f, tag, pids[i]));
        if (r.status != 0 || r.err[0] != '\0')
            fail_msg("process %d: exit %d, stderr: %s", i, r.status, r.err);
        cli_assert_no_secret(&r);
        assert_non_null(strstr(r.out, expect));
        cli_result_free(&r);
    }
}

bool cli_json_same(const char *a, size_t alen, const char *b, size_t blen)
{
    spotify__arena *arena = spotify__arena_new(4096);
    spotify__json ja, jb;
    bool same = arena != NULL &&
                spotify__json_parse(&ja, arena, a, alen, alen, NULL) == SPOTIFY_OK &&
                spotify__json_parse(&jb, arena, b, blen, blen, NULL) == SPOTIFY_OK &&
                test_json_equal(ja, jb);
    spotify__arena_free(arena);
    return same;
}

char *cli_api_get(const cli_fixture *f, const char *path)
{
    char url[512], auth[400];
    snprintf(url, sizeof url, "%s%s", f->api, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", f->access);
    const char *headers[] = {auth, NULL};
    emulator_http_response r;
    if (!emulator_request(&r, "GET", url, headers, NULL))
        return NULL;
    char *body = r.status == 200 ? strdup(r.body) : NULL;
    emulator_response_free(&r);
    return body;
}

bool cli_first_string(const char *json, const char *key, char *out, size_t size)
{
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *p = strstr(json, pattern);
    if (p == NULL)
        return false;
    p += strlen(pattern);
    size_t len = strcspn(p, "\"");
    if (len >= size)
        return false;
    memcpy(out, p, len);
    out[len] = '\0';
    return true;
}

bool cli_fault(const cli_fixture *f, const char *json)
{
    emulator_http_response r;
    bool ok = emulator_control(&f->emu, "POST", "/__emulator/faults", json, &r) && r.status == 200;
    emulator_response_free(&r);
    return ok;
}

bool cli_wait_for_text(const char *path, const char *needle, int ms)
{
    for (int waited = 0; waited <= ms; waited += 20) {
        char *text = cli_read_file(path);
        bool found = text != NULL && strstr(text, needle) != NULL;
        free(text);
        if (found)
            return true;
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return false;
}

cli_fixture cli_fx;

int cli_group_setup(void **state)
{
    (void)state;
    return cli_setup(&cli_fx, NULL) ? 0 : -1;
}

int cli_group_teardown(void **state)
{
    (void)state;
    return cli_teardown(&cli_fx) == 0 ? 0 : -1;
}

int cli_setup_fresh(void **state)
{
    (void)state;
    unlink(cli_fx.cache);
    memset(cli_fx.access, 0, sizeof cli_fx.access);
    memset(cli_fx.refresh, 0, sizeof cli_fx.refresh);
    return emulator_reset(&cli_fx.emu) ? 0 : -1;
}

int cli_setup_logged_in(void **state)
{
    return cli_setup_fresh(state) == 0 && cli_login(&cli_fx, NULL, 3600) ? 0 : -1;
}

void cli_assert_no_secret(const cli_result *r)
{
    const char *secrets[] = {cli_fx.access, cli_fx.refresh, "demo-secret"};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        if (secrets[i][0] == '\0')
            continue;
        if (strstr(r->out, secrets[i]) != NULL || strstr(r->err, secrets[i]) != NULL)
            fail_msg("a secret was printed");
    }
}

void cli_assert_ok(const cli_result *r)
{
    if (r->status != 0 || r->err[0] != '\0')
        fail_msg("exit %d, stderr: %s", r->status, r->err);
    cli_assert_no_secret(r);
}

void cli_assert_fails(const cli_result *r, int status, const char *prefix)
{
    if (r->status != status || strncmp(r->err, prefix, strlen(prefix)) != 0)
        fail_msg("exit %d (want %d), stderr: %s", r->status, status, r->err);
    assert_string_equal(r->out, "");
    cli_assert_no_secret(r);
}

void cli_assert_lines_match(const cli_fixture *f, const char *out, const char *const *paths,
                            size_t n)
{
    assert_int_equal(cli_lines(out), n);
    const char *line = out;
    for (size_t i = 0; i < n; i++) {
        const char *end = strchr(line, '\n');
        char *want = cli_api_get(f, paths[i]);
        assert_non_null(want);
        if (!cli_json_same(line, (size_t)(end - line), want, strlen(want)))
            fail_msg("line %zu differs from GET %s", i + 1, paths[i]);
        free(want);
        line = end + 1;
    }
}

size_t cli_count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

int cli_run_group(const struct CMUnitTest *tests, size_t count)
{
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    spotify_global_init(NULL);
    int rc = _cmocka_run_group_tests("spotctl", tests, count, cli_group_setup, cli_group_teardown);
    spotify_global_cleanup();
    return rc;
}
