/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_redirect_uri.c - spotify__loopback_uri_parse: which redirect URIs the
 * local authorization helper can serve, and the messages for those it
 * cannot. Also the result page (self-contained, escaped).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "auth/local_auth.h"

static void ok(const char *uri, bool ipv6, bool localhost, unsigned int port, const char *path)
{
    spotify__loopback_uri u;
    spotify_error err = {0};
    spotify_status st = spotify__loopback_uri_parse(&u, uri, &err);
    if (st != SPOTIFY_OK)
        fail_msg("%s: %s", uri, err.message);
    assert_int_equal(u.ipv6, ipv6);
    assert_int_equal(u.localhost, localhost);
    assert_int_equal(u.port, port);
    assert_string_equal(u.path, path);
}

static void bad(const char *uri, const char *why)
{
    spotify__loopback_uri u;
    spotify_error err = {0};
    spotify_status st = spotify__loopback_uri_parse(&u, uri, &err);
    if (st != SPOTIFY_EINVALID)
        fail_msg("%s: accepted", uri ? uri : "(null)");
    if (strstr(err.message, why) == NULL)
        fail_msg("%s: message \"%s\" lacks \"%s\"", uri ? uri : "(null)", err.message, why);
}

static void test_accepted(void **state)
{
    (void)state;
    ok("http://127.0.0.1:8888/callback", false, false, 8888, "/callback");
    ok("http://[::1]:8888/callback", true, false, 8888, "/callback");
    /* Accepted, though Spotify refuses localhost for new apps (logged). */
    ok("http://localhost:8888/callback", false, true, 8888, "/callback");
    ok("http://LOCALHOST:1/x", false, true, 1, "/x");
    ok("HTTP://127.0.0.1:65535", false, false, 65535, "/");
    ok("http://127.0.0.1:8888/", false, false, 8888, "/");
    ok("http://127.0.0.1:8888/a%20b/c", false, false, 8888, "/a b/c");
    ok("http://127.0.0.1:8888/cb/", false, false, 8888, "/cb/");
    ok("http://127.0.0.1:8888/a.b/..c/.../d.", false, false, 8888, "/a.b/..c/.../d.");
    ok("http://127.0.0.1:8888/x-_~!$&'()*+,;=:@y", false, false, 8888, "/x-_~!$&'()*+,;=:@y");
}

static void test_scheme(void **state)
{
    (void)state;
    bad("https://127.0.0.1:8888/callback", "not https");
    bad("myapp://callback", "must start with http://");
    bad("ftp://127.0.0.1:8888/", "must start with http://");
    bad("127.0.0.1:8888/callback", "must start with http://");
    bad("", "no redirect URI");
    bad(NULL, "no redirect URI");
}

static void test_hosts(void **state)
{
    (void)state;
    bad("http://example.com:8888/callback", "loopback host");
    bad("http://192.168.1.10:8888/callback", "loopback host");
    bad("http://127.0.0.2:8888/callback", "loopback host");
    bad("http://0.0.0.0:8888/callback", "0.0.0.0");
    bad("http://[::]:8888/callback", "loopback host");
    bad("http://[::2]:8888/callback", "loopback host");
    bad("http://[::1:8888/callback", "unterminated");
    bad("http://:8888/callback", "no host");
    bad("http://localhost.example.com:8888/", "loopback host");
}

static void test_ports(void **state)
{
    (void)state;
    bad("http://127.0.0.1/callback", "explicit port");
    bad("http://127.0.0.1:/callback", "explicit port");
    bad("http://[::1]/callback", "explicit port");
    bad("http://localhost", "explicit port");
    bad("http://127.0.0.1:0/callback", "1 to 65535");
    bad("http://127.0.0.1:65536/callback", "1 to 65535");
    bad("http://127.0.0.1:123456/callback", "1 to 65535");
    bad("http://127.0.0.1:http/callback", "1 to 65535");
    bad("http://127.0.0.1:-1/callback", "1 to 65535");
    bad("http://127.0.0.1:88a8/callback", "1 to 65535");
}

static void test_other_parts(void **state)
{
    (void)state;
    bad("http://user@127.0.0.1:8888/callback", "user information");
    bad("http://user:pw@127.0.0.1:8888/callback", "user information");
    bad("http://127.0.0.1:8888/callback#frag", "fragment");
    bad("http://127.0.0.1:8888/callback?x=1", "query");
    bad("http://127.0.0.1:8888/a%zz", "%-escape");
    bad("http://127.0.0.1:8888/a%00", "%-escape");
    char long_uri[700] = "http://127.0.0.1:8888/";
    memset(long_uri + strlen(long_uri), 'a', 600);
    long_uri[sizeof long_uri - 1] = '\0';
    bad(long_uri, "too long");
}

/* Browsers normalise the path before requesting it (dot segments resolved,
 * '\\' read as '/', other characters percent-encoded or dropped), so the
 * callback would never reach the path the server waits on: refused. */
static void test_path_not_normalised(void **state)
{
    (void)state;
    static const char *const dots[] = {
        "http://127.0.0.1:8888/../x",       "http://127.0.0.1:8888/./x",
        "http://127.0.0.1:8888/a/..",       "http://127.0.0.1:8888/a/.",
        "http://127.0.0.1:8888/a/../b",     "http://127.0.0.1:8888/a/./",
        "http://127.0.0.1:8888/%2e%2e/x",   "http://127.0.0.1:8888/%2E./x",
        "http://127.0.0.1:8888/.%2e",       "http://127.0.0.1:8888/cb/%2e",
        "http://[::1]:8888/callback/../x",  "http://localhost:8888/a/%2e%2E/",
        "http://127.0.0.1:8888/a%2f..%2fb",
    };
    for (size_t i = 0; i < sizeof dots / sizeof dots[0]; i++)
        bad(dots[i], "dot segment");
    bad("http://127.0.0.1:8888//callback", "empty segment");
    bad("http://127.0.0.1:8888/a//b", "empty segment");
    bad("http://127.0.0.1:8888/a%2F%2Fb", "empty segment");
    bad("http://127.0.0.1:8888/a\\b", "backslash");
    bad("http://127.0.0.1:8888\\callback", "backslash");
    bad("http://127.0.0.1:8888/a%5cb", "backslash");
    bad("http://127.0.0.1:8888/a b", "percent-encoded");
    bad("http://127.0.0.1:8888/ca\tllback", "percent-encoded");
    bad("http://127.0.0.1:8888/cb\n", "percent-encoded");
    bad("http://127.0.0.1:8888/caf\xc3\xa9", "percent-encoded");
    bad("http://127.0.0.1:8888/a<b>", "percent-encoded");
    bad("http://127.0.0.1:8888/a|b", "percent-encoded");
    bad("http://127.0.0.1:8888/a`b", "percent-encoded");
}

static void test_page(void **state)
{
    (void)state;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__local_auth_page(&sb, true, NULL));
    assert_non_null(strstr(sb.data, "You are signed in"));
    assert_non_null(strstr(sb.data, "close this tab"));
    assert_non_null(strstr(sb.data, "<style>"));
    assert_null(strstr(sb.data, "src="));
    assert_null(strstr(sb.data, "href="));
    assert_null(strstr(sb.data, "<script"));
    spotify__strbuf_reset(&sb);
    assert_true(spotify__local_auth_page(&sb, false, "<b>&\"'</b>"));
    assert_non_null(strstr(sb.data, "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;"));
    assert_non_null(strstr(sb.data, "Sign-in failed"));
    spotify__strbuf_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),    cmocka_unit_test(test_scheme),
        cmocka_unit_test(test_hosts),       cmocka_unit_test(test_ports),
        cmocka_unit_test(test_other_parts), cmocka_unit_test(test_path_not_normalised),
        cmocka_unit_test(test_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
