/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_token_cache.c - token caches (auth/cache.h, spotify/auth.h): the
 * memory cache, validation of custom ops, and the file cache's guarantees
 * (modes 0600/0700, exact JSON, unusable files read as "no token" with a
 * warning, "~/" expansion, atomic replacement that keeps the old token when
 * a write fails, flock across processes and threads, remove).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <spotify/log.h>

#include "auth/cache.h"
#include "test_util.h"

#define ACCESS "BQDfileCacheAccessTok3n"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static spotify_token make_token(const char *access)
{
    spotify_token t = {0};
    assert_int_equal(spotify_token_set_field(&t.access_token, access, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_set_field(&t.refresh_token, "AQCrefresh", NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_set_field(&t.scope, "user-read-private", NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_set_field(&t.client_id, "app", NULL), SPOTIFY_OK);
    t.expires_at = 1700000000.5;
    t.flow = SPOTIFY_FLOW_PKCE;
    return t;
}

#define EXPECTED_JSON                                                                              \
    "{\"version\":1,\"access_token\":\"" ACCESS "\",\"expires_at\":1700000000.5,"                  \
    "\"refresh_token\":\"AQCrefresh\",\"scope\":\"user-read-private\",\"client_id\":\"app\","      \
    "\"flow\":\"pkce\"}\n"

static char *path_join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    assert_non_null(p);
    snprintf(p, len, "%s/%s", dir, name);
    return p;
}

/* The whole file, or NULL when it cannot be read. Caller frees. */
static char *slurp(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *data = malloc(65536);
    assert_non_null(data);
    size_t n = fread(data, 1, 65535, f);
    fclose(f);
    data[n] = '\0';
    if (len_out != NULL)
        *len_out = n;
    return data;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* Counts directory entries whose name contains `part`. */
static int count_entries(const char *dir, const char *part)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, part) != NULL)
            count++;
    }
    closedir(d);
    return count;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        continue;
}

/* Log capture. */
typedef struct log_capture {
    int warnings;
    char last[1024];
} log_capture;

static void capture_log(spotify_log_level level, const char *message, void *user)
{
    log_capture *c = user;
    if (level >= SPOTIFY_LOG_WARN) {
        c->warnings++;
        snprintf(c->last, sizeof c->last, "%s", message);
    }
}

/* Loads from a file cache at `path` expecting no token and `warnings`
 * warnings; returns the last warning (static). */
static const char *load_expect_none(const char *path, int warnings)
{
    static log_capture cap;
    memset(&cap, 0, sizeof cap);
    spotify_log_set_handler(capture_log, &cap, SPOTIFY_LOG_DEBUG);
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_file_new(&cache, path, NULL), SPOTIFY_OK);
    spotify_token t = {0};
    bool found = true;
    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, &err), SPOTIFY_OK);
    assert_false(found);
    assert_null(t.access_token);
    spotify_token_cache_free(cache);
    spotify_log_set_handler(NULL, NULL, SPOTIFY_LOG_DEBUG);
    assert_int_equal(cap.warnings, warnings);
    return cap.last;
}

/* ------------------------------------------------------------------------ */
/* Memory cache                                                             */
/* ------------------------------------------------------------------------ */

static void test_memory_cache(void **state)
{
    (void)state;
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_memory_new(&cache, NULL), SPOTIFY_OK);
    assert_false(spotify__token_cache_has_lock(cache));
    assert_int_equal(spotify__token_cache_lock(cache, NULL), SPOTIFY_OK);
    spotify__token_cache_unlock(cache);

    spotify_token t = {0};
    bool found = true;
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_false(found);

    spotify_token a = make_token("first");
    assert_int_equal(spotify_token_cache_store(cache, &a, NULL), SPOTIFY_OK);
    spotify_token_clear(&a); /* the cache keeps its own copy */
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_true(found);
    assert_string_equal(t.access_token, "first");
    assert_string_equal(t.refresh_token, "AQCrefresh");
    assert_int_equal(t.flow, SPOTIFY_FLOW_PKCE);

    spotify_token b = make_token("second");
    assert_int_equal(spotify_token_cache_store(cache, &b, NULL), SPOTIFY_OK);
    spotify_token_clear(&b);
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_string_equal(t.access_token, "second");
    spotify_token_clear(&t);

    assert_int_equal(spotify_token_cache_remove(cache, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_false(found);
    spotify_token_cache_free(cache);
    spotify_token_cache_free(NULL);
}

static void test_cache_argument_checks(void **state)
{
    (void)state;
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_memory_new(&cache, NULL), SPOTIFY_OK);
    spotify_token t = {0};
    bool found;
    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_get(&t, NULL, cache, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_token_cache_get(NULL, &found, cache, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_token_cache_get(&t, &found, NULL, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_token_cache_store(cache, NULL, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_token_cache_store(cache, &t, &err), SPOTIFY_EINVALID); /* empty */
    assert_int_equal(spotify_token_cache_remove(NULL, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_token_cache_memory_new(NULL, &err), SPOTIFY_EINVALID);
    spotify_token_cache_free(cache);
}

/* ------------------------------------------------------------------------ */
/* Custom caches                                                            */
/* ------------------------------------------------------------------------ */

typedef struct custom_state {
    int loads;
    int stores;
    int locks;
    int unlocks;
    int destroys;
    int try_locks;
} custom_state;

static spotify_status custom_load(void *user, spotify_token *out, bool *found, spotify_error *err)
{
    custom_state *s = user;
    s->loads++;
    *found = true;
    out->expires_at = 42;
    return spotify_token_set_field(&out->access_token, "custom", err);
}

static spotify_status custom_store(void *user, const spotify_token *token, spotify_error *err)
{
    (void)token;
    (void)err;
    ((custom_state *)user)->stores++;
    return SPOTIFY_OK;
}

static spotify_status custom_lock(void *user, spotify_error *err)
{
    (void)err;
    ((custom_state *)user)->locks++;
    return SPOTIFY_OK;
}

static void custom_unlock(void *user)
{
    ((custom_state *)user)->unlocks++;
}

static void custom_destroy(void *user)
{
    ((custom_state *)user)->destroys++;
}

/* Finds the lock taken every other time. */
static spotify_status custom_try_lock(void *user, bool *taken, spotify_error *err)
{
    (void)err;
    custom_state *s = user;
    *taken = s->try_locks++ % 2 == 1;
    return SPOTIFY_OK;
}

static void test_custom_ops_validation(void **state)
{
    (void)state;
    custom_state s = {0};
    spotify_token_cache *cache = (spotify_token_cache *)&s; /* must be reset to NULL */
    spotify_error err = {0};
    spotify_token_cache_ops ops = {.version = SPOTIFY_TOKEN_CACHE_OPS_VERSION,
                                   .load = custom_load,
                                   .store = custom_store,
                                   .destroy = custom_destroy};
    assert_int_equal(spotify_token_cache_new(&cache, NULL, &s, &err), SPOTIFY_EINVALID);
    assert_null(cache);
    assert_int_equal(spotify_token_cache_new(NULL, &ops, &s, &err), SPOTIFY_EINVALID);

    ops.version = 0;
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &s, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "version"));
    ops.version = SPOTIFY_TOKEN_CACHE_OPS_VERSION + 1;
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &s, &err), SPOTIFY_EINVALID);
    ops.version = SPOTIFY_TOKEN_CACHE_OPS_VERSION;

    ops.load = NULL;
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &s, &err), SPOTIFY_EINVALID);
    ops.load = custom_load;
    ops.store = NULL;
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &s, &err), SPOTIFY_EINVALID);
    ops.store = custom_store;
    ops.lock = custom_lock; /* without unlock */
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &s, &err), SPOTIFY_EINVALID);
    ops.lock = NULL;
    ops.unlock = custom_unlock; /* without lock */
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &s, &err), SPOTIFY_EINVALID);
    ops.unlock = NULL;
    ops.try_lock = custom_try_lock; /* without lock and unlock */
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &s, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "try_lock"));
    assert_null(cache);
    assert_int_equal(s.destroys, 0); /* a refused cache never owned `user` */
}

static void test_custom_cache(void **state)
{
    (void)state;
    custom_state s = {0};
    spotify_error err = {0};
    spotify_token_cache_ops ops = {.version = SPOTIFY_TOKEN_CACHE_OPS_VERSION,
                                   .load = custom_load,
                                   .store = custom_store,
                                   .lock = custom_lock,
                                   .unlock = custom_unlock,
                                   .destroy = custom_destroy};
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &s, &err), SPOTIFY_OK);
    ops.load = NULL; /* ops were copied */
    assert_true(spotify__token_cache_has_lock(cache));

    spotify_token t = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, &err), SPOTIFY_OK);
    assert_true(found);
    assert_string_equal(t.access_token, "custom");
    assert_true(t.expires_at == 42);
    assert_int_equal(spotify_token_cache_store(cache, &t, &err), SPOTIFY_OK);
    spotify_token_clear(&t);

    assert_int_equal(spotify__token_cache_lock(cache, &err), SPOTIFY_OK);
    spotify__token_cache_unlock(cache);
    assert_int_equal(s.locks, 1);
    assert_int_equal(s.unlocks, 1);

    assert_int_equal(spotify_token_cache_remove(cache, &err), SPOTIFY_EINVALID);
    assert_string_equal(err.message, "this cache cannot remove tokens");

    assert_int_equal(s.loads, 1);
    assert_int_equal(s.stores, 1);
    spotify_token_cache_free(cache);
    assert_int_equal(s.destroys, 1);
}

/* try_lock: a version 2 table's own; a cache with only the blocking lock
 * is locked with it; a cache without a lock is "taken" at once. */
static void test_custom_try_lock(void **state)
{
    (void)state;
    custom_state s = {0};
    spotify_token_cache_ops ops = {.version = SPOTIFY_TOKEN_CACHE_OPS_VERSION,
                                   .load = custom_load,
                                   .store = custom_store,
                                   .lock = custom_lock,
                                   .unlock = custom_unlock,
                                   .try_lock = custom_try_lock};
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &s, NULL), SPOTIFY_OK);
    bool taken = true;
    assert_int_equal(spotify__token_cache_try_lock(cache, &taken, NULL), SPOTIFY_OK);
    assert_false(taken);
    assert_int_equal(spotify__token_cache_try_lock(cache, &taken, NULL), SPOTIFY_OK);
    assert_true(taken);
    assert_int_equal(s.try_locks, 2);
    assert_int_equal(s.locks, 0);
    spotify_token_cache_free(cache);

    /* A version 1 table ends before try_lock: whatever follows it in the
     * caller's memory is never read, and the blocking lock serves. */
    spotify_token_cache_ops v1 = ops;
    v1.version = 1;
    v1.try_lock = (spotify_status(*)(void *, bool *, spotify_error *))(uintptr_t)1;
    assert_int_equal(spotify_token_cache_new(&cache, &v1, &s, NULL), SPOTIFY_OK);
    taken = false;
    assert_int_equal(spotify__token_cache_try_lock(cache, &taken, NULL), SPOTIFY_OK);
    assert_true(taken);
    assert_int_equal(s.locks, 1);
    spotify__token_cache_unlock(cache);
    spotify_token_cache_free(cache);

    assert_int_equal(spotify_token_cache_memory_new(&cache, NULL), SPOTIFY_OK);
    taken = false;
    assert_int_equal(spotify__token_cache_try_lock(cache, &taken, NULL), SPOTIFY_OK);
    assert_true(taken);
    spotify_token_cache_free(cache);
}

/* ------------------------------------------------------------------------ */
/* File cache                                                               */
/* ------------------------------------------------------------------------ */

static void store_token(const char *path, const char *access)
{
    spotify_token_cache *cache = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_file_new(&cache, path, &err), SPOTIFY_OK);
    spotify_token t = make_token(access);
    assert_int_equal(spotify_token_cache_store(cache, &t, &err), SPOTIFY_OK);
    spotify_token_clear(&t);
    spotify_token_cache_free(cache);
}

static void test_file_store_modes_and_json(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "a/b/token.json");
    mode_t old_umask = umask(0);
    store_token(path, ACCESS);
    umask(old_umask);

    assert_int_equal(mode_of(path), 0600);
    char *a = path_join(dir, "a");
    char *ab = path_join(dir, "a/b");
    assert_int_equal(mode_of(a), 0700);
    assert_int_equal(mode_of(ab), 0700);
    char *text = slurp(path, NULL);
    assert_non_null(text);
    assert_string_equal(text, EXPECTED_JSON);
    assert_int_equal(count_entries(ab, ".tmp-"), 0);

    /* Load it back. */
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_file_new(&cache, path, NULL), SPOTIFY_OK);
    assert_true(spotify__token_cache_has_lock(cache));
    spotify_token t = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_true(found);
    assert_string_equal(t.access_token, ACCESS);
    assert_string_equal(t.client_id, "app");
    assert_int_equal(t.flow, SPOTIFY_FLOW_PKCE);
    assert_true(t.expires_at == 1700000000.5);
    spotify_token_clear(&t);
    spotify_token_cache_free(cache);

    free(text);
    free(a);
    free(ab);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

static void test_file_replaces_existing_with_0600(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    write_text(path, "old");
    assert_int_equal(chmod(path, 0644), 0);
    store_token(path, ACCESS);
    assert_int_equal(mode_of(path), 0600);
    char *text = slurp(path, NULL);
    assert_string_equal(text, EXPECTED_JSON);
    free(text);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

static void test_file_load_missing(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "nothing/here.json");
    load_expect_none(path, 0); /* missing is normal: no warning */
    free(path);
    path = path_join(dir, "here.json");
    load_expect_none(path, 0);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

static void test_file_load_corrupt(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    write_text(path, "{\"access_token\":\"" ACCESS "\",\"expires_at\":");
    const char *warning = load_expect_none(path, 1);
    assert_non_null(strstr(warning, path));
    assert_non_null(strstr(warning, "not a valid token record"));
    assert_null(strstr(warning, ACCESS));
    write_text(path, "\x01\x02garbage\xff");
    load_expect_none(path, 1);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

static void test_file_load_empty(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    write_text(path, "");
    const char *warning = load_expect_none(path, 1);
    assert_non_null(strstr(warning, "empty"));
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

static void test_file_load_wrong_types(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    write_text(path, "{\"access_token\":\"" ACCESS "\",\"expires_at\":\"soon\"}");
    const char *warning = load_expect_none(path, 1);
    assert_null(strstr(warning, ACCESS));
    write_text(path, "{\"access_token\":7,\"expires_at\":1}");
    load_expect_none(path, 1);
    write_text(path, "[1,2,3]");
    load_expect_none(path, 1);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

/* A token file holding a token that would break a header line, or an
 * absurd expiry, reads as no token. */
static void test_file_load_header_breaking_token(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    write_text(path, "{\"access_token\":\"abc\\r\\nX-Injected: 1\",\"expires_at\":4102444800}");
    load_expect_none(path, 1);
    write_text(path, "{\"access_token\":\"" ACCESS "\",\"expires_at\":1e308}");
    load_expect_none(path, 1);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

static spotify_status injecting_load(void *user, spotify_token *out, bool *found,
                                     spotify_error *err)
{
    (void)user;
    *found = true;
    out->expires_at = 4102444800.0;
    return spotify_token_set_field(&out->access_token, "abc\r\n\r\nGET /smuggled HTTP/1.1", err);
}

/* Any cache (here custom ops) that yields such a token yields none; storing
 * one is refused. */
static void test_cache_token_syntax_checked(void **state)
{
    (void)state;
    custom_state s = {0};
    spotify_error err = {0};
    spotify_token_cache_ops ops = {.version = SPOTIFY_TOKEN_CACHE_OPS_VERSION,
                                   .load = injecting_load,
                                   .store = custom_store,
                                   .destroy = custom_destroy};
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_new(&cache, &ops, &s, &err), SPOTIFY_OK);
    spotify_token t = {0};
    bool found = true;
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, &err), SPOTIFY_OK);
    assert_false(found);
    assert_null(t.access_token);

    assert_int_equal(spotify_token_set_field(&t.access_token, "abc\nX: 1", NULL), SPOTIFY_OK);
    t.expires_at = 1;
    assert_int_equal(spotify_token_cache_store(cache, &t, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "RFC 6750"));
    assert_null(strstr(err.message, "X: 1"));
    assert_int_equal(s.stores, 0);
    spotify_token_clear(&t);
    spotify_token_cache_free(cache);
}

static void test_file_load_directory(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    const char *warning = load_expect_none(dir, 1); /* a directory is not a token file */
    assert_non_null(strstr(warning, dir));
    test_rmdir_recursive(dir);
    free(dir);
}

static void test_file_load_seed_file(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "seed.json");
    write_text(path, "{\"access_token\": \"seedtok\", \"expires_at\": 1700000000.0, "
                     "\"refresh_token\": \"seedrefresh\", \"scope\": \"user-read-private\"}");
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_file_new(&cache, path, NULL), SPOTIFY_OK);
    spotify_token t = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_true(found);
    assert_string_equal(t.access_token, "seedtok");
    assert_string_equal(t.refresh_token, "seedrefresh");
    assert_int_equal(t.flow, SPOTIFY_FLOW_UNKNOWN);
    spotify_token_clear(&t);
    spotify_token_cache_free(cache);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

static void test_file_home_expansion(void **state)
{
    (void)state;
    char *home = test_mkdtemp();
    const char *saved = getenv("HOME");
    char *saved_home = saved != NULL ? strdup(saved) : NULL;
    setenv("HOME", home, 1);
    store_token("~/.config/spotify/token.json", ACCESS);
    char *expected = path_join(home, ".config/spotify/token.json");
    assert_int_equal(mode_of(expected), 0600);

    unsetenv("HOME");
    spotify_token_cache *cache = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_file_new(&cache, "~/token.json", &err), SPOTIFY_ECONFIG);
    assert_null(cache);
    assert_non_null(strstr(err.message, "HOME"));
    if (saved_home != NULL)
        setenv("HOME", saved_home, 1);
    free(saved_home);
    free(expected);
    test_rmdir_recursive(home);
    free(home);
}

static void test_file_default_path(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_file_new(&cache, NULL, NULL), SPOTIFY_OK);
    spotify_token t = make_token(ACCESS);
    assert_int_equal(spotify_token_cache_store(cache, &t, NULL), SPOTIFY_OK);
    spotify_token_clear(&t);
    spotify_token_cache_free(cache);
    assert_int_equal(mode_of(SPOTIFY_DEFAULT_TOKEN_FILE), 0600);
    assert_int_equal(chdir(cwd), 0);

    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_file_new(&cache, "", &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_token_cache_file_new(NULL, "x", &err), SPOTIFY_EINVALID);
    test_rmdir_recursive(dir);
    free(dir);
}

/* Stores into `cache` expecting SPOTIFY_EIO naming `path`. */
static void expect_store_fails(spotify_token_cache *cache, const char *path)
{
    spotify_token t = make_token("BQDnewTokenThatMustNotLand");
    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_store(cache, &t, &err), SPOTIFY_EIO);
    assert_non_null(strstr(err.message, path));
    assert_null(strstr(err.message, "BQDnew"));
    spotify_token_clear(&t);
}

static void test_file_failed_write_keeps_old(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    store_token(path, ACCESS);
    size_t old_len = 0;
    char *before = slurp(path, &old_len);

    /* write() fails with EFBIG past a tiny file size limit (works as root). */
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_file_new(&cache, path, NULL), SPOTIFY_OK);
    struct rlimit saved;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    struct rlimit tiny = {16, saved.rlim_max};
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    spotify_token t = make_token("BQDnewTokenThatMustNotLand");
    spotify_error err = {0};
    spotify_status st = spotify_token_cache_store(cache, &t, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, old_handler);
    spotify_token_clear(&t);
    assert_int_equal(st, SPOTIFY_EIO);
    assert_non_null(strstr(err.message, path));
    assert_non_null(strstr(err.message, "write failed"));

    size_t after_len = 0;
    char *after = slurp(path, &after_len);
    assert_int_equal(after_len, old_len);
    assert_memory_equal(after, before, old_len);
    assert_int_equal(count_entries(dir, ".tmp-"), 0);
    free(after);

    /* Not root: a read-only directory refuses the temporary file. */
    if (geteuid() != 0) {
        assert_int_equal(chmod(dir, 0500), 0);
        expect_store_fails(cache, path);
        assert_int_equal(chmod(dir, 0700), 0);
        after = slurp(path, &after_len);
        assert_memory_equal(after, before, old_len);
        free(after);
    }
    spotify_token_cache_free(cache);

    /* A directory component that is a file. */
    char *blocker = path_join(dir, "file");
    write_text(blocker, "x");
    char *blocked = path_join(dir, "file/token.json");
    assert_int_equal(spotify_token_cache_file_new(&cache, blocked, NULL), SPOTIFY_OK);
    expect_store_fails(cache, blocked);
    spotify_token_cache_free(cache);

    free(blocker);
    free(blocked);
    free(before);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

/* A FIFO at the cache path: "no token" at once, never a hang in open(). */
static void test_file_load_fifo_does_not_hang(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    assert_int_equal(mkfifo(path, 0600), 0);
    alarm(20); /* without the fix open() blocks forever: fail instead */
    const char *warning = load_expect_none(path, 1);
    alarm(0);
    assert_non_null(strstr(warning, "not a regular file"));
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

/* A symlink at the cache path is not followed for reading (writes replace
 * it, leaving its target alone). */
static void test_file_load_symlink_not_followed(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *target = path_join(dir, "elsewhere.json");
    char *path = path_join(dir, "token.json");
    write_text(target, "{\"access_token\":\"" ACCESS "\",\"expires_at\":1700000000}");
    assert_int_equal(symlink(target, path), 0);
    const char *warning = load_expect_none(path, 1);
    assert_non_null(strstr(warning, "symbolic link"));
    free(target);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

/* A symlink planted at the lock sidecar never makes the cache create (or
 * lock) its target; a lock file owned by another user is refused. */
static void test_file_lock_sidecar_hardened(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    char *lock = path_join(dir, "token.json.lock");
    char *victim = path_join(dir, "victim");
    assert_int_equal(symlink(victim, lock), 0);
    spotify_token_cache *cache = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_file_new(&cache, path, &err), SPOTIFY_OK);
    assert_int_equal(spotify__token_cache_lock(cache, &err), SPOTIFY_EIO);
    assert_non_null(strstr(err.message, "lock file"));
    struct stat st;
    assert_int_not_equal(lstat(victim, &st), 0); /* never created */
    bool taken = true;
    assert_int_not_equal(spotify__token_cache_try_lock(cache, &taken, &err), SPOTIFY_OK);
    assert_false(taken);
    assert_int_not_equal(lstat(victim, &st), 0);

    if (geteuid() == 0) {
        assert_int_equal(unlink(lock), 0);
        write_text(lock, "");
        assert_int_equal(chown(lock, 65534, 65534), 0);
        assert_int_equal(spotify__token_cache_lock(cache, &err), SPOTIFY_EIO);
        assert_non_null(strstr(err.message, "not a regular file owned by this user"));
    }
    spotify_token_cache_free(cache);
    free(victim);
    free(lock);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

/* Temporary files a killed writer left (older than a minute, our name
 * pattern) go at the next write; a fresh one (another writer's) and other
 * names stay. */
static void test_file_store_removes_stale_temps(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    char *stale = path_join(dir, "token.json.tmp-0123456789ab");
    char *fresh = path_join(dir, "token.json.tmp-aaaaaaaaaaaa");
    char *other = path_join(dir, "other.json.tmp-0123456789ab");
    char *odd = path_join(dir, "token.json.tmp-0123456789abc");
    const char *old_files[] = {stale, other, odd};
    for (size_t i = 0; i < 3; i++) {
        write_text(old_files[i], "{\"access_token\":\"x\"}");
        struct timespec times[2] = {{.tv_sec = time(NULL) - 120}, {.tv_sec = time(NULL) - 120}};
        assert_int_equal(utimensat(AT_FDCWD, old_files[i], times, 0), 0);
    }
    write_text(fresh, "{}");
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_file_new(&cache, path, NULL), SPOTIFY_OK);
    spotify_token t = make_token(ACCESS);
    assert_int_equal(spotify_token_cache_store(cache, &t, NULL), SPOTIFY_OK);
    spotify_token_clear(&t);
    spotify_token_cache_free(cache);
    struct stat st;
    assert_int_not_equal(stat(stale, &st), 0);
    assert_int_equal(stat(fresh, &st), 0);
    assert_int_equal(stat(other, &st), 0);
    assert_int_equal(stat(odd, &st), 0);
    free(stale);
    free(fresh);
    free(other);
    free(odd);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

static void test_file_remove(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    store_token(path, ACCESS);
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_file_new(&cache, path, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_cache_remove(cache, NULL), SPOTIFY_OK);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(spotify_token_cache_remove(cache, NULL), SPOTIFY_OK); /* already gone */
    spotify_token t = {0};
    bool found = true;
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_false(found);
    spotify_token_cache_free(cache);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

static void test_file_lock_across_processes(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "sub/token.json");
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        spotify_token_cache *cache = NULL;
        int rc = spotify_token_cache_file_new(&cache, path, NULL) == SPOTIFY_OK &&
                         spotify__token_cache_lock(cache, NULL) == SPOTIFY_OK
                     ? 0
                     : 1;
        char byte = 'L';
        if (write(fds[1], &byte, 1) != 1)
            rc = 1;
        sleep_ms(300);
        spotify__token_cache_unlock(cache);
        spotify_token_cache_free(cache);
        _exit(rc);
    }
    close(fds[1]);
    char byte = 0;
    assert_int_equal(read(fds[0], &byte, 1), 1); /* the child holds the lock */
    close(fds[0]);
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_file_new(&cache, path, NULL), SPOTIFY_OK);
    bool taken = true;
    assert_int_equal(spotify__token_cache_try_lock(cache, &taken, NULL), SPOTIFY_OK);
    assert_false(taken); /* the child has it: no waiting */
    assert_int_equal(spotify__token_cache_lock(cache, NULL), SPOTIFY_OK); /* waits for it */
    spotify__token_cache_unlock(cache);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(spotify__token_cache_try_lock(cache, &taken, NULL), SPOTIFY_OK);
    assert_true(taken); /* the child is gone */
    spotify__token_cache_unlock(cache);

    char *lock_path = path_join(dir, "sub/token.json.lock");
    assert_int_equal(mode_of(lock_path), 0600);
    spotify_token_cache_free(cache);
    free(lock_path);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

typedef struct locker {
    spotify_token_cache *cache;
    volatile int acquired;
} locker;

static void *lock_in_thread(void *arg)
{
    locker *l = arg;
    if (spotify__token_cache_lock(l->cache, NULL) == SPOTIFY_OK) {
        __atomic_store_n(&l->acquired, 1, __ATOMIC_SEQ_CST);
        spotify__token_cache_unlock(l->cache);
    }
    return NULL;
}

/* Another thread locking `other` waits while `held` is locked. */
static void expect_thread_waits(spotify_token_cache *held, spotify_token_cache *other)
{
    assert_int_equal(spotify__token_cache_lock(held, NULL), SPOTIFY_OK);
    locker l = {other, 0};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, lock_in_thread, &l), 0);
    sleep_ms(100);
    assert_int_equal(__atomic_load_n(&l.acquired, __ATOMIC_SEQ_CST), 0);
    spotify__token_cache_unlock(held);
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(l.acquired, 1);
}

static void test_file_lock_across_threads(void **state)
{
    (void)state;
    char *dir = test_mkdtemp();
    char *path = path_join(dir, "token.json");
    spotify_token_cache *a = NULL;
    spotify_token_cache *b = NULL;
    assert_int_equal(spotify_token_cache_file_new(&a, path, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_cache_file_new(&b, path, NULL), SPOTIFY_OK);
    expect_thread_waits(a, a); /* one cache object shared by threads */
    expect_thread_waits(a, b); /* two cache objects on one file */
    /* try_lock never waits: not while this process holds the lock through
     * the same object (its local half) or another one (flock). */
    assert_int_equal(spotify__token_cache_lock(a, NULL), SPOTIFY_OK);
    bool taken = true;
    assert_int_equal(spotify__token_cache_try_lock(a, &taken, NULL), SPOTIFY_OK);
    assert_false(taken);
    assert_int_equal(spotify__token_cache_try_lock(b, &taken, NULL), SPOTIFY_OK);
    assert_false(taken);
    spotify__token_cache_unlock(a);
    assert_int_equal(spotify__token_cache_try_lock(b, &taken, NULL), SPOTIFY_OK);
    assert_true(taken);
    spotify__token_cache_unlock(b);
    spotify_token_cache_free(a);
    spotify_token_cache_free(b);
    free(path);
    test_rmdir_recursive(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_cache),
        cmocka_unit_test(test_cache_argument_checks),
        cmocka_unit_test(test_custom_ops_validation),
        cmocka_unit_test(test_custom_cache),
        cmocka_unit_test(test_custom_try_lock),
        cmocka_unit_test(test_file_store_modes_and_json),
        cmocka_unit_test(test_file_replaces_existing_with_0600),
        cmocka_unit_test(test_file_load_missing),
        cmocka_unit_test(test_file_load_corrupt),
        cmocka_unit_test(test_file_load_empty),
        cmocka_unit_test(test_file_load_wrong_types),
        cmocka_unit_test(test_file_load_fifo_does_not_hang),
        cmocka_unit_test(test_file_load_symlink_not_followed),
        cmocka_unit_test(test_file_lock_sidecar_hardened),
        cmocka_unit_test(test_file_store_removes_stale_temps),
        cmocka_unit_test(test_file_load_header_breaking_token),
        cmocka_unit_test(test_cache_token_syntax_checked),
        cmocka_unit_test(test_file_load_directory),
        cmocka_unit_test(test_file_load_seed_file),
        cmocka_unit_test(test_file_home_expansion),
        cmocka_unit_test(test_file_default_path),
        cmocka_unit_test(test_file_failed_write_keeps_old),
        cmocka_unit_test(test_file_remove),
        cmocka_unit_test(test_file_lock_across_processes),
        cmocka_unit_test(test_file_lock_across_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
