/* SPDX-License-Identifier: Apache-2.0 */
/* test_log.c - the log handler: redaction, level filtering, removal,
 * truncation and replacing the handler while other threads log. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <spotify/log.h>

#include "core/log.h"

/* What a capturing handler saw. */
typedef struct capture {
    int calls;
    spotify_log_level level;
    void *user;
    char message[2048];
} capture;

static void capture_handler(spotify_log_level level, const char *message, void *user)
{
    capture *c = user;
    c->calls++;
    c->level = level;
    c->user = user;
    size_t len = strlen(message);
    assert_true(len < sizeof c->message);
    memcpy(c->message, message, len + 1);
}

static int remove_handler(void **state)
{
    (void)state;
    spotify_log_set_handler(NULL, NULL, SPOTIFY_LOG_DEBUG);
    return 0;
}

static void test_handler_receives_redacted_text(void **state)
{
    (void)state;
    capture c = {0};
    spotify_log_set_handler(capture_handler, &c, SPOTIFY_LOG_DEBUG);
    spotify__log(SPOTIFY_LOG_INFO, "request %s with %s", "/api/token?code=abc123",
                 "Authorization: Bearer tok456");
    assert_int_equal(c.calls, 1);
    assert_int_equal(c.level, SPOTIFY_LOG_INFO);
    assert_ptr_equal(c.user, &c);
    assert_string_equal(c.message,
                        "request /api/token?code=[REDACTED] with Authorization: Bearer [REDACTED]");
    spotify__log(SPOTIFY_LOG_DEBUG, "body %s", "{\"refresh_token\":\"r1\",\"expires_in\":3600}");
    assert_int_equal(c.calls, 2);
    assert_string_equal(c.message, "body {\"refresh_token\":\"[REDACTED]\",\"expires_in\":3600}");
}

static void test_level_filtering(void **state)
{
    (void)state;
    capture c = {0};
    spotify_log_set_handler(capture_handler, &c, SPOTIFY_LOG_WARN);
    assert_false(spotify__log_enabled(SPOTIFY_LOG_DEBUG));
    assert_false(spotify__log_enabled(SPOTIFY_LOG_INFO));
    assert_true(spotify__log_enabled(SPOTIFY_LOG_WARN));
    assert_true(spotify__log_enabled(SPOTIFY_LOG_ERROR));
    spotify__log(SPOTIFY_LOG_DEBUG, "debug");
    spotify__log(SPOTIFY_LOG_INFO, "info");
    assert_int_equal(c.calls, 0);
    spotify__log(SPOTIFY_LOG_WARN, "warn %d", 1);
    assert_int_equal(c.calls, 1);
    assert_int_equal(c.level, SPOTIFY_LOG_WARN);
    assert_string_equal(c.message, "warn 1");
    spotify__log(SPOTIFY_LOG_ERROR, "error %d", 2);
    assert_int_equal(c.calls, 2);
    assert_int_equal(c.level, SPOTIFY_LOG_ERROR);
    assert_string_equal(c.message, "error 2");
}

static void test_removing_the_handler(void **state)
{
    (void)state;
    capture c = {0};
    spotify_log_set_handler(capture_handler, &c, SPOTIFY_LOG_DEBUG);
    spotify__log(SPOTIFY_LOG_ERROR, "one");
    assert_int_equal(c.calls, 1);
    spotify_log_set_handler(NULL, &c, SPOTIFY_LOG_DEBUG);
    assert_false(spotify__log_enabled(SPOTIFY_LOG_ERROR));
    spotify__log(SPOTIFY_LOG_ERROR, "two");
    assert_int_equal(c.calls, 1);
    assert_string_equal(c.message, "one");
}

static void test_replacing_the_handler(void **state)
{
    (void)state;
    capture a = {0};
    capture b = {0};
    spotify_log_set_handler(capture_handler, &a, SPOTIFY_LOG_DEBUG);
    spotify__log(SPOTIFY_LOG_INFO, "to a");
    spotify_log_set_handler(capture_handler, &b, SPOTIFY_LOG_DEBUG);
    spotify__log(SPOTIFY_LOG_INFO, "to b");
    assert_int_equal(a.calls, 1);
    assert_string_equal(a.message, "to a");
    assert_int_equal(b.calls, 1);
    assert_string_equal(b.message, "to b");
}

static void test_trailing_newline_stripped(void **state)
{
    (void)state;
    capture c = {0};
    spotify_log_set_handler(capture_handler, &c, SPOTIFY_LOG_DEBUG);
    spotify__log(SPOTIFY_LOG_INFO, "line\r\n");
    assert_string_equal(c.message, "line");
    spotify__log(SPOTIFY_LOG_INFO, "a\nb\n\n");
    assert_string_equal(c.message, "a\nb");
}

static void test_long_line_truncated(void **state)
{
    (void)state;
    capture c = {0};
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    spotify_log_set_handler(capture_handler, &c, SPOTIFY_LOG_DEBUG);
    spotify__log(SPOTIFY_LOG_INFO, "%s", big);
    assert_int_equal(c.calls, 1);
    assert_int_equal(strlen(c.message), 1023);
    assert_string_equal(c.message + 1020, "...");
    assert_memory_equal(c.message, big, 1020);
}

static void test_secret_cut_by_truncation_stays_hidden(void **state)
{
    (void)state;
    capture c = {0};
    char pad[1001];
    memset(pad, 'x', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    spotify_log_set_handler(capture_handler, &c, SPOTIFY_LOG_DEBUG);
    /* The line is cut inside the secret value. */
    spotify__log(SPOTIFY_LOG_INFO, "%s code=abcdefghijklmnop", pad);
    assert_int_equal(c.calls, 1);
    assert_null(strstr(c.message, "abc"));
    assert_non_null(strstr(c.message, " code=[REDACTED]"));
    spotify__log(SPOTIFY_LOG_INFO, "%s {\"access_token\":\"abcdefghijk\"}", pad);
    assert_null(strstr(c.message, "abc"));
    assert_non_null(strstr(c.message, "\"access_token\":\"[REDACTED]"));
}

static void test_level_names(void **state)
{
    (void)state;
    assert_string_equal(spotify_log_level_name(SPOTIFY_LOG_DEBUG), "DEBUG");
    assert_string_equal(spotify_log_level_name(SPOTIFY_LOG_INFO), "INFO");
    assert_string_equal(spotify_log_level_name(SPOTIFY_LOG_WARN), "WARN");
    assert_string_equal(spotify_log_level_name(SPOTIFY_LOG_ERROR), "ERROR");
    assert_string_equal(spotify_log_level_name((spotify_log_level)99), "UNKNOWN");
}

/* A handler that removes itself: it must not deadlock, and it must not be
 * called again. */
static void self_removing_handler(spotify_log_level level, const char *message, void *user)
{
    (void)level;
    (void)message;
    atomic_fetch_add((atomic_int *)user, 1);
    spotify_log_set_handler(NULL, NULL, SPOTIFY_LOG_DEBUG);
    spotify__log(SPOTIFY_LOG_ERROR, "logged from inside the handler");
}

static void test_handler_may_replace_itself(void **state)
{
    (void)state;
    atomic_int calls = 0;
    spotify_log_set_handler(self_removing_handler, &calls, SPOTIFY_LOG_DEBUG);
    spotify__log(SPOTIFY_LOG_INFO, "first");
    spotify__log(SPOTIFY_LOG_INFO, "second");
    assert_int_equal(atomic_load(&calls), 1);
}

/* Two handlers, each with its own user record: a call must always pair a
 * handler with the user installed alongside it. */
typedef struct tagged {
    int tag;
    atomic_int calls;
    atomic_int mismatches;
} tagged;

static void handler_one(spotify_log_level level, const char *message, void *user)
{
    (void)level;
    (void)message;
    tagged *t = user;
    atomic_fetch_add(&t->calls, 1);
    if (t->tag != 1)
        atomic_fetch_add(&t->mismatches, 1);
}

static void handler_two(spotify_log_level level, const char *message, void *user)
{
    (void)level;
    (void)message;
    tagged *t = user;
    atomic_fetch_add(&t->calls, 1);
    if (t->tag != 2)
        atomic_fetch_add(&t->mismatches, 1);
}

#define LOGGER_THREADS 4
#define LINES_PER_THREAD 5000

static void *logger_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < LINES_PER_THREAD; i++)
        spotify__log(SPOTIFY_LOG_INFO, "line %d code=secret%d", i, i);
    return NULL;
}

static void test_set_handler_concurrent_with_logging(void **state)
{
    (void)state;
    tagged one = {1, 0, 0};
    tagged two = {2, 0, 0};
    pthread_t threads[LOGGER_THREADS];
    spotify_log_set_handler(handler_one, &one, SPOTIFY_LOG_DEBUG);
    for (int i = 0; i < LOGGER_THREADS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, logger_thread, NULL), 0);
    for (int round = 0; round < 3000; round++) {
        if (round % 3 == 0)
            spotify_log_set_handler(handler_two, &two, SPOTIFY_LOG_DEBUG);
        else if (round % 3 == 1)
            spotify_log_set_handler(NULL, NULL, SPOTIFY_LOG_DEBUG);
        else
            spotify_log_set_handler(handler_one, &one, SPOTIFY_LOG_INFO);
    }
    for (int i = 0; i < LOGGER_THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    spotify_log_set_handler(NULL, NULL, SPOTIFY_LOG_DEBUG);
    assert_int_equal(atomic_load(&one.mismatches), 0);
    assert_int_equal(atomic_load(&two.mismatches), 0);
    assert_true(atomic_load(&one.calls) + atomic_load(&two.calls) <=
                LOGGER_THREADS * LINES_PER_THREAD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_handler_receives_redacted_text, remove_handler),
        cmocka_unit_test_teardown(test_level_filtering, remove_handler),
        cmocka_unit_test_teardown(test_removing_the_handler, remove_handler),
        cmocka_unit_test_teardown(test_replacing_the_handler, remove_handler),
        cmocka_unit_test_teardown(test_trailing_newline_stripped, remove_handler),
        cmocka_unit_test_teardown(test_long_line_truncated, remove_handler),
        cmocka_unit_test_teardown(test_secret_cut_by_truncation_stays_hidden, remove_handler),
        cmocka_unit_test(test_level_names),
        cmocka_unit_test_teardown(test_handler_may_replace_itself, remove_handler),
        cmocka_unit_test_teardown(test_set_handler_concurrent_with_logging, remove_handler),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
