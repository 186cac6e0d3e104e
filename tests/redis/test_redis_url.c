/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_redis_url.c - the pure half of spotify-sdk-redis: Redis URL parsing,
 * descriptions without passwords, key names, name checks, settings and the
 * lock's backoff. No server involved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hiredis/hiredis.h>
#include <spotify/redis.h>

#include "redis/redis_internal.h"

static spotify__redis_url parse_ok(const char *text)
{
    spotify__redis_url u;
    spotify_error err = {0};
    if (spotify__redis_url_parse(&u, text, &err) != SPOTIFY_OK)
        fail_msg("%s: %s", text, err.message);
    return u;
}

static void parse_fails(const char *text, const char *needle)
{
    spotify__redis_url u;
    spotify_error err = {0};
    assert_int_equal(spotify__redis_url_parse(&u, text, &err), SPOTIFY_ECONFIG);
    if (strstr(err.message, needle) == NULL)
        fail_msg("%s: \"%s\" lacks \"%s\"", text, err.message, needle);
    assert_null(strstr(err.message, "s3cret"));
}

static void test_tcp_urls(void **state)
{
    (void)state;
    spotify__redis_url u = parse_ok("redis://localhost");
    assert_false(u.unix_socket);
    assert_string_equal(u.host, "localhost");
    assert_int_equal(u.port, 6379);
    assert_int_equal(u.db, 0);
    assert_false(u.has_password);

    u = parse_ok("redis://10.0.0.5:7000/3");
    assert_string_equal(u.host, "10.0.0.5");
    assert_int_equal(u.port, 7000);
    assert_int_equal(u.db, 3);

    u = parse_ok("REDIS://:s3cret@cache.internal:6380/");
    assert_string_equal(u.host, "cache.internal");
    assert_true(u.has_password);
    assert_string_equal(u.user, "");
    assert_string_equal(u.password, "s3cret");
    assert_int_equal(u.db, 0);

    u = parse_ok("redis://worker:p%40ss%3Aword@[::1]:6381/15");
    assert_string_equal(u.host, "::1");
    assert_int_equal(u.port, 6381);
    assert_string_equal(u.user, "worker");
    assert_string_equal(u.password, "p@ss:word");
    assert_int_equal(u.db, 15);

    /* the last '@' ends the credentials */
    u = parse_ok("redis://:a@b@host");
    assert_string_equal(u.password, "a@b");
    assert_string_equal(u.host, "host");
}

static void test_unix_urls(void **state)
{
    (void)state;
    spotify__redis_url u = parse_ok("unix:///run/redis/redis.sock");
    assert_true(u.unix_socket);
    assert_string_equal(u.path, "/run/redis/redis.sock");
    assert_int_equal(u.db, 0);
    u = parse_ok("unix://:s3cret@/tmp/r.sock?db=2");
    assert_string_equal(u.path, "/tmp/r.sock");
    assert_string_equal(u.password, "s3cret");
    assert_int_equal(u.db, 2);
}

static void test_bad_urls(void **state)
{
    (void)state;
    parse_fails("rediss://:s3cret@host:6380", "hiredis 0.14 has no TLS");
    parse_fails("", "empty URL");
    parse_fails("http://host", "expected redis://");
    parse_fails("redis://", "expected redis://HOST");
    parse_fails("redis://host:0", "port in 1-65535");
    parse_fails("redis://host:65536", "port in 1-65535");
    parse_fails("redis://host:12x", "port in 1-65535");
    parse_fails("redis://host/db", "database must be a number");
    parse_fails("redis://host/-1", "database must be a number");
    parse_fails("redis://host?timeout=1", "query strings");
    parse_fails("redis://s3cret@host", "bad credentials");
    parse_fails("redis://:s3cret%zz@host", "bad credentials");
    parse_fails("redis://:s3cret%0a@host", "bad credentials");
    parse_fails("redis://[::1", "expected redis://HOST");
    parse_fails("unix://", "expected unix:///PATH");
    parse_fails("unix:///", "socket path");
    parse_fails("unix:///tmp/r.sock?database=2", "db=N");
    parse_fails("unix://s3cret/tmp/r.sock", "bad credentials");
}

static void test_sentinel_urls(void **state)
{
    (void)state;
    spotify__redis_url u = parse_ok("redis-sentinel://127.0.0.1:26380/mymaster");
    assert_true(u.sentinel);
    assert_false(u.unix_socket);
    assert_int_equal(u.sentinel_count, 1);
    assert_string_equal(u.sentinels[0].host, "127.0.0.1");
    assert_int_equal(u.sentinels[0].port, 26380);
    assert_string_equal(u.master, "mymaster");
    assert_int_equal(u.db, 0);
    assert_false(u.has_password);

    /* several Sentinels, default port 26379, IPv6, credentials of the data
     * node, a database */
    u = parse_ok("Redis-Sentinel://app:s3c%40ret@s1.internal,[::1]:26400,10.0.0.3/cache-1.eu_w~/4");
    assert_int_equal(u.sentinel_count, 3);
    assert_string_equal(u.sentinels[0].host, "s1.internal");
    assert_int_equal(u.sentinels[0].port, 26379);
    assert_string_equal(u.sentinels[1].host, "::1");
    assert_int_equal(u.sentinels[1].port, 26400);
    assert_string_equal(u.sentinels[2].host, "10.0.0.3");
    assert_int_equal(u.sentinels[2].port, 26379);
    assert_string_equal(u.master, "cache-1.eu_w~");
    assert_string_equal(u.user, "app");
    assert_string_equal(u.password, "s3c@ret");
    assert_int_equal(u.db, 4);
    u = parse_ok("redis-sentinel://:s3cret@h/m/");
    assert_int_equal(u.db, 0);
    assert_string_equal(u.master, "m");

    /* eight Sentinels at most */
    parse_ok("redis-sentinel://a,b,c,d,e,f,g,h/m");
    parse_fails("redis-sentinel://a,b,c,d,e,f,g,h,i/m", "at most 8 Sentinels");
}

static void test_bad_sentinel_urls(void **state)
{
    (void)state;
    parse_fails("redis-sentinel://h:26379", "the master's name is missing");
    parse_fails("redis-sentinel://:s3cret@h:26379", "the master's name is missing");
    parse_fails("redis-sentinel://h:26379/", "master's name must be");
    parse_fails("redis-sentinel://h:26379//2", "master's name must be");
    parse_fails("redis-sentinel://h/my%20master", "master's name must be");
    parse_fails("redis-sentinel://h/m/x", "database must be a number");
    parse_fails("redis-sentinel://h/m?db=1", "query strings");
    parse_fails("redis-sentinel:///m", "expected redis-sentinel://HOST");
    parse_fails("redis-sentinel://a,,b/m", "expected redis-sentinel://HOST");
    parse_fails("redis-sentinel://a,/m", "expected redis-sentinel://HOST");
    parse_fails("redis-sentinel://a:0/m", "ports in 1-65535");
    parse_fails("redis-sentinel://a,b:70000/m", "ports in 1-65535");
    parse_fails("redis-sentinel://[::1/m", "expected redis-sentinel://HOST");
    parse_fails("redis-sentinel://999.1.1.1/m", "the host must be");
    parse_fails("redis-sentinel://ok,[127.0.0.1]/m", "the host must be");
    parse_fails("redis-sentinel://s3cret@h/m", "bad credentials");
    parse_fails("redis-sentinel://:s3c ret@h/m", "bad credentials");
    char name[200];
    snprintf(name, sizeof name, "redis-sentinel://h/%0128d", 5);
    parse_fails(name, "master's name must be");
    snprintf(name, sizeof name, "redis-sentinel://h/%0127d", 5);
    parse_ok(name);
}

/* One Sentinel's answer to SENTINEL get-master-addr-by-name. */
static spotify_status answer(int type, const char *a, const char *b, spotify__redis_endpoint *out,
                             spotify_error *err)
{
    char a_text[320] = "", b_text[32] = "";
    snprintf(a_text, sizeof a_text, "%s", a != NULL ? a : "");
    snprintf(b_text, sizeof b_text, "%s", b != NULL ? b : "");
    redisReply host = {.type = REDIS_REPLY_STRING, .str = a_text, .len = strlen(a_text)};
    redisReply port = {.type = REDIS_REPLY_STRING, .str = b_text, .len = strlen(b_text)};
    redisReply *elements[] = {&host, &port};
    redisReply reply = {.type = type, .elements = 2, .element = elements};
    if (type == REDIS_REPLY_ERROR) {
        reply.str = a_text;
        reply.len = strlen(a_text);
    }
    return spotify__redis_sentinel_answer(&reply, out, err);
}

static void test_sentinel_answer(void **state)
{
    (void)state;
    spotify__redis_endpoint e;
    spotify_error err = {0};
    assert_int_equal(answer(REDIS_REPLY_ARRAY, "127.0.0.1", "6380", &e, &err), SPOTIFY_OK);
    assert_string_equal(e.host, "127.0.0.1");
    assert_int_equal(e.port, 6380);
    assert_int_equal(answer(REDIS_REPLY_ARRAY, "::1", "65535", &e, &err), SPOTIFY_OK);
    assert_string_equal(e.host, "::1");
    assert_int_equal(e.port, 65535);

    assert_int_equal(answer(REDIS_REPLY_NIL, NULL, NULL, &e, &err), SPOTIFY_ENOTFOUND);
    assert_non_null(strstr(err.message, "does not know the master"));
    assert_int_equal(answer(REDIS_REPLY_ERROR, "NOAUTH Authentication required.", NULL, &e, &err),
                     SPOTIFY_EIO);
    assert_non_null(strstr(err.message, "NOAUTH"));

    /* wrong shapes and types */
    assert_int_equal(answer(REDIS_REPLY_STRING, "127.0.0.1", "6380", &e, &err), SPOTIFY_EPROTOCOL);
    assert_int_equal(answer(REDIS_REPLY_INTEGER, NULL, NULL, &e, &err), SPOTIFY_EPROTOCOL);
    char h[] = "h";
    redisReply one = {.type = REDIS_REPLY_STRING, .str = h, .len = 1};
    redisReply *single[] = {&one};
    redisReply short_array = {.type = REDIS_REPLY_ARRAY, .elements = 1, .element = single};
    assert_int_equal(spotify__redis_sentinel_answer(&short_array, &e, &err), SPOTIFY_EPROTOCOL);
    redisReply number = {.type = REDIS_REPLY_INTEGER, .integer = 6380};
    redisReply *mixed[] = {&one, &number};
    redisReply typed = {.type = REDIS_REPLY_ARRAY, .elements = 2, .element = mixed};
    assert_int_equal(spotify__redis_sentinel_answer(&typed, &e, &err), SPOTIFY_EPROTOCOL);
    assert_non_null(strstr(err.message, "[host, port]"));

    /* malformed hosts and ports */
    static const char *const bad[][2] = {
        {"127.0.0.1", "0"}, {"127.0.0.1", "65536"}, {"127.0.0.1", "63x"}, {"127.0.0.1", ""},
        {"", "6379"},       {"a b", "6379"},        {"h\n", "6379"},      {"h\x91", "6379"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(answer(REDIS_REPLY_ARRAY, bad[i][0], bad[i][1], &e, &err),
                         SPOTIFY_EPROTOCOL);
        assert_non_null(strstr(err.message, "malformed"));
    }
    char long_host[300];
    memset(long_host, 'h', sizeof long_host - 1);
    long_host[sizeof long_host - 1] = '\0';
    assert_int_equal(answer(REDIS_REPLY_ARRAY, long_host, "6379", &e, &err), SPOTIFY_EPROTOCOL);
}

/* READONLY is "the master moved" on Sentinel URLs only (elsewhere it stays
 * a rejected write). */
static void test_master_moved(void **state)
{
    (void)state;
    char readonly[] = "READONLY You can't write against a read only replica.";
    char other[] = "ERR something else";
    redisReply ro = {.type = REDIS_REPLY_ERROR, .str = readonly, .len = strlen(readonly)};
    redisReply err_reply = {.type = REDIS_REPLY_ERROR, .str = other, .len = strlen(other)};
    redisReply text = {.type = REDIS_REPLY_STATUS, .str = readonly, .len = strlen(readonly)};
    spotify__redis_url sentinel = parse_ok("redis-sentinel://h/m");
    spotify__redis_url plain = parse_ok("redis://h");
    assert_true(spotify__redis_master_moved(&sentinel, &ro));
    assert_false(spotify__redis_master_moved(&plain, &ro));
    assert_false(spotify__redis_master_moved(&sentinel, &err_reply));
    assert_false(spotify__redis_master_moved(&sentinel, &text));
    spotify__redis_endpoint master = {.host = "::1", .port = 6380};
    spotify_error err = {0};
    assert_int_equal(spotify__redis_master_moved_error(&err, "Redis master m", &master),
                     SPOTIFY_ETRANSPORT);
    assert_string_equal(err.message, "Redis master m: the master at [::1]:6380 is a replica now "
                                     "(a failover)");
}

/* Hosts are validated like the hostnames they name: a DNS name, an IPv4
 * literal or a bracketed IPv6 literal; and credentials carry no raw spaces
 * or non-ASCII bytes (percent-encoded ones are fine). */
static void test_hosts_validated(void **state)
{
    (void)state;
    static const char *const good[] = {
        "redis://my-redis.internal", "redis://redis_1:7000", "redis://localhost.",
        "redis://10.1.2.3",          "redis://[::1]",        "redis://[2001:db8::7]:6380/1",
        "redis://r2d2.example.com",  "redis://a.b-c.d",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        parse_ok(good[i]);
    static const char *const bad[] = {
        "redis://\x91\x91\x91\x91",
        "redis://h\xc3\xa9te",
        "redis://999.1.1.1",
        "redis://1.2.3",
        "redis://-bad.example",
        "redis://bad-.example",
        "redis://a..b",
        "redis://.a",
        "redis://[not-ipv6]",
        "redis://[127.0.0.1]",
        "redis://h%41st",
        "redis://ho\x01st",
        "redis://a*b",
        "redis://a,b:6379",
        "redis://:s3cret@\x91\x91:6379",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        parse_fails(bad[i], "the host must be a DNS name, an IPv4 address or an IPv6 address");
    char label[96];
    snprintf(label, sizeof label, "redis://%064d.example", 7);
    parse_fails(label, "the host must be");
    snprintf(label, sizeof label, "redis://%063d.example", 7);
    parse_ok(label);

    /* the fuzzer's find: a raw space and non-ASCII bytes around the '@' */
    parse_fails("redis://: \x91\x91\x91\x91\x91\x91\x91@\x91\x91\x91\x91\x91\x91\x91\x91",
                "bad credentials");
    parse_fails("redis://:s3c ret@host", "bad credentials");
    parse_fails("redis://:s3cret\xa0@host", "bad credentials");
    spotify__redis_url u = parse_ok("redis://:%20s3cret@host");
    assert_string_equal(u.password, " s3cret");
}

static void test_describe_never_shows_the_password(void **state)
{
    (void)state;
    char buf[320];
    spotify__redis_url u = parse_ok("redis://user:s3cret@cache:6390/2");
    spotify__redis_url_describe(&u, buf, sizeof buf);
    assert_string_equal(buf, "Redis at cache:6390 (db 2)");
    u = parse_ok("redis://[::1]");
    spotify__redis_url_describe(&u, buf, sizeof buf);
    assert_string_equal(buf, "Redis at [::1]:6379");
    u = parse_ok("unix://:s3cret@/tmp/r.sock");
    spotify__redis_url_describe(&u, buf, sizeof buf);
    assert_string_equal(buf, "Redis at unix:/tmp/r.sock");
    u = parse_ok("redis-sentinel://app:s3cret@s1:26380,[::1]/mymaster/3");
    spotify__redis_url_describe(&u, buf, sizeof buf);
    assert_string_equal(buf, "Redis master mymaster via Sentinel s1:26380,[::1]:26379 (db 3)");
    /* eight long Sentinels are cut short, never overflowing */
    char url[2200] = "redis-sentinel://:s3cret@";
    for (int i = 0; i < 8; i++)
        snprintf(url + strlen(url), sizeof url - strlen(url), "%s%060d.%060d.%060d.x:26379",
                 i > 0 ? "," : "", i, i, i);
    strcat(url, "/m");
    u = parse_ok(url);
    spotify__redis_url_describe(&u, buf, sizeof buf);
    assert_non_null(strstr(buf, "Redis master m via Sentinel 0000"));
    assert_null(strstr(buf, "s3cret"));
}

static void test_url_is_redis(void **state)
{
    (void)state;
    assert_true(spotify_redis_url_is_redis("redis://h"));
    assert_true(spotify_redis_url_is_redis("Rediss://h"));
    assert_true(spotify_redis_url_is_redis("unix:///s"));
    assert_true(spotify_redis_url_is_redis("REDIS-SENTINEL://h/m"));
    assert_false(spotify_redis_url_is_redis("redis-sentinel-x://h/m"));
    assert_false(spotify_redis_url_is_redis("/home/me/.token.json"));
    assert_false(spotify_redis_url_is_redis("redis.json"));
    assert_false(spotify_redis_url_is_redis(NULL));
}

static void assert_key(spotify__redis_key_kind kind, const char *prefix, const char *user,
                       const char *expected)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__redis_key(&sb, kind, prefix, "abc123", user));
    assert_string_equal(spotify__strbuf_cstr(&sb), expected);
    spotify__strbuf_release(&sb);
}

static void test_key_names(void **state)
{
    (void)state;
    assert_key(SPOTIFY__REDIS_KEY_TOKEN, "spotify-sdk:", NULL, "spotify-sdk:token:abc123:app");
    assert_key(SPOTIFY__REDIS_KEY_TOKEN, "spotify-sdk:", "alice",
               "spotify-sdk:token:abc123:user:alice");
    assert_key(SPOTIFY__REDIS_KEY_LOCK, "p/", "alice", "p/lock:abc123:user:alice");
    assert_key(SPOTIFY__REDIS_KEY_LOCK, "", NULL, "lock:abc123:app");
    assert_key(SPOTIFY__REDIS_KEY_COOLDOWN, "x:", "alice", "x:cooldown:abc123");
    /* a user key that looks like a lock key stays in the token namespace */
    assert_key(SPOTIFY__REDIS_KEY_TOKEN, "", "alice:lock", "token:abc123:user:alice:lock");
}

static void test_name_checks(void **state)
{
    (void)state;
    spotify_error err = {0};
    assert_int_equal(spotify__redis_names_check("p:", "abc", "user 1", &err), SPOTIFY_OK);
    assert_int_equal(spotify__redis_names_check(NULL, "abc", NULL, &err), SPOTIFY_OK);
    assert_int_equal(spotify__redis_names_check("p", "a:b", NULL, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "client id"));
    assert_int_equal(spotify__redis_names_check("p", "a b", NULL, &err), SPOTIFY_ECONFIG);
    assert_int_equal(spotify__redis_names_check("p", "", NULL, &err), SPOTIFY_ECONFIG);
    assert_int_equal(spotify__redis_names_check("p", NULL, NULL, &err), SPOTIFY_ECONFIG);
    assert_int_equal(spotify__redis_names_check("p", "abc", "", &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "user key"));
    assert_int_equal(spotify__redis_names_check("p", "abc", "a\nb", &err), SPOTIFY_ECONFIG);
    assert_int_equal(spotify__redis_names_check("p\r", "abc", NULL, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "prefix"));
    char long_key[300];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    assert_int_equal(spotify__redis_names_check("p", "abc", long_key, &err), SPOTIFY_ECONFIG);
}

static void test_settings(void **state)
{
    (void)state;
    unsetenv("SPOTIFY_SDK_REDIS_URL");
    unsetenv("SPOTIFY_SDK_CLIENT_ID");
    spotify__redis_settings s;
    spotify_error err = {0};
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    assert_int_equal(spotify__redis_settings_resolve(&s, &o, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "SPOTIFY_SDK_REDIS_URL"));
    setenv("SPOTIFY_SDK_REDIS_URL", "redis://env-host", 1);
    assert_int_equal(spotify__redis_settings_resolve(&s, &o, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "client id"));
    setenv("SPOTIFY_SDK_CLIENT_ID", "env-client", 1);
    assert_int_equal(spotify__redis_settings_resolve(&s, &o, &err), SPOTIFY_OK);
    assert_string_equal(s.url, "redis://env-host");
    assert_string_equal(s.client_id, "env-client");
    assert_string_equal(s.key_prefix, "spotify-sdk:");
    assert_int_equal(s.timeout_ms, 2000);
    assert_int_equal(s.lock_expiry_ms, 10000);
    assert_int_equal(s.lock_wait_ms, 21000);
    assert_int_equal(s.cooldown_poll_ms, 500);
    o.url = "redis://explicit";
    o.lock_expiry_ms = 1000;
    o.timeout_ms = 50;
    assert_int_equal(spotify__redis_settings_resolve(&s, &o, &err), SPOTIFY_OK);
    assert_string_equal(s.url, "redis://explicit");
    assert_int_equal(s.lock_wait_ms, 3000);
    assert_int_equal(s.timeout_ms, 50);
    o.version = 7;
    assert_int_equal(spotify__redis_settings_resolve(&s, &o, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_redis_options_init(&o, SPOTIFY_REDIS_OPTIONS_VERSION), SPOTIFY_OK);
    assert_null(o.url);
    assert_int_equal(spotify_redis_options_init(&o, 9), SPOTIFY_EINVALID);
    unsetenv("SPOTIFY_SDK_REDIS_URL");
    unsetenv("SPOTIFY_SDK_CLIENT_ID");
}

static void test_lock_backoff(void **state)
{
    (void)state;
    assert_int_equal(spotify__redis_lock_backoff_ms(0, 1.0, 1000), 10);
    assert_int_equal(spotify__redis_lock_backoff_ms(1, 1.0, 1000), 20);
    assert_int_equal(spotify__redis_lock_backoff_ms(4, 1.0, 1000), 160);
    assert_int_equal(spotify__redis_lock_backoff_ms(5, 1.0, 1000), 200);
    assert_int_equal(spotify__redis_lock_backoff_ms(50, 1.0, 1000), 200);
    assert_int_equal(spotify__redis_lock_backoff_ms(50, 0.5, 1000), 100);
    assert_int_equal(spotify__redis_lock_backoff_ms(50, 0.1, 1000), 100); /* clamped jitter */
    assert_int_equal(spotify__redis_lock_backoff_ms(50, 1.0, 30), 30); /* bounded by what is left */
    assert_int_equal(spotify__redis_lock_backoff_ms(0, 0.5, 0), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_urls),
        cmocka_unit_test(test_unix_urls),
        cmocka_unit_test(test_bad_urls),
        cmocka_unit_test(test_sentinel_urls),
        cmocka_unit_test(test_bad_sentinel_urls),
        cmocka_unit_test(test_sentinel_answer),
        cmocka_unit_test(test_master_moved),
        cmocka_unit_test(test_hosts_validated),
        cmocka_unit_test(test_describe_never_shows_the_password),
        cmocka_unit_test(test_url_is_redis),
        cmocka_unit_test(test_key_names),
        cmocka_unit_test(test_name_checks),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_lock_backoff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
