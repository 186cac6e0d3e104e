/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_dotenv.c - the .env reader: the forms python-dotenv accepts
 * (comments, export, quotes and escapes, multi-line quoted values, inline
 * comments, empty and bare keys, CRLF, ${NAME} interpolation), later
 * assignments after earlier ones, and malformed lines counted by number without stopping the rest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dotenv.h"

/* The assignments seen, as "KEY=value\n" lines. */
typedef struct seen {
    char text[1024];
} seen;

static void record(const char *key, const char *value, void *user)
{
    seen *s = user;
    size_t used = strlen(s->text);
    snprintf(s->text + used, sizeof s->text - used, "%s=%s\n", key, value);
}

/* Parses `text`, returning the bad-line count and first bad line. */
static void parse(const char *text, seen *out, size_t *bad, size_t *first_bad)
{
    memset(out, 0, sizeof *out);
    assert_true(spotify__dotenv_parse(text, strlen(text), record, out, bad, first_bad));
}

static void expect(const char *text, const char *assignments)
{
    seen s;
    size_t bad = 99, first = 99;
    parse(text, &s, &bad, &first);
    assert_string_equal(s.text, assignments);
    assert_int_equal(bad, 0);
    assert_int_equal(first, 0);
}

static void test_plain_assignments_and_comments(void **state)
{
    (void)state;
    expect("# settings\n\nA=1\n  B = two words  \n\t# indented comment\nC=3",
           "A=1\nB=two words\nC=3\n");
}

static void test_export_prefix(void **state)
{
    (void)state;
    expect("export A=1\nexport\tB=2\nexporter=3\n", "A=1\nB=2\nexporter=3\n");
}

static void test_inline_comment_needs_a_blank_before_it(void **state)
{
    (void)state;
    expect("A=value # note\nB=pass#word\n", "A=value\nB=pass#word\n");
}

static void test_single_quotes_are_literal(void **state)
{
    (void)state;
    expect("A='x \\n # y'\n", "A=x \\n # y\n");
}

static void test_double_quotes_take_escapes(void **state)
{
    (void)state;
    expect("A=\"say \\\"hi\\\"\\tnow\\\\\" # trailing\n", "A=say \"hi\"\tnow\\\n");
    expect("A=\"one\\ntwo\"\n", "A=one\ntwo\n");
}

static void test_quoted_values_may_span_lines(void **state)
{
    (void)state;
    expect("A=\"line one\nline two\"\nB=after\n", "A=line one\nline two\nB=after\n");
}

static void test_empty_and_bare_keys(void **state)
{
    (void)state;
    expect("A=\nB=''\nC\nD=4\n", "A=\nB=\nD=4\n");
}

static void test_quoted_keys(void **state)
{
    (void)state;
    expect("'Q K'=v #c\nexport 'X'=\"y\"\n", "Q K=v\nX=y\n");
}

static void test_crlf_line_ends(void **state)
{
    (void)state;
    expect("A=1\r\nB=\"2\"\r\n\r\nC=3\r\n", "A=1\nB=2\nC=3\n");
}

static void test_repeated_key_reported_in_file_order(void **state)
{
    (void)state;
    expect("A=first\nA=second\n", "A=first\nA=second\n");
}

static void test_interpolation(void **state)
{
    (void)state;
    setenv("SPOTIFY_TEST_DOTENV_HOME", "/home/u", 1);
    setenv("SPOTIFY_TEST_DOTENV_BOTH", "from-env", 1);
    unsetenv("SPOTIFY_TEST_DOTENV_UNSET");
    expect("SPOTIFY_TEST_DOTENV_BOTH=from-file\n"
           "A=${SPOTIFY_TEST_DOTENV_HOME}/tokens\n"
           "B=\"${SPOTIFY_TEST_DOTENV_BOTH}\"\n"
           "C=${SPOTIFY_TEST_DOTENV_UNSET:-fallback}+${SPOTIFY_TEST_DOTENV_UNSET}.\n"
           "D='${SPOTIFY_TEST_DOTENV_HOME}'\n"
           "E=$HOME ${A:x} ${\n",
           "SPOTIFY_TEST_DOTENV_BOTH=from-file\n"
           "A=/home/u/tokens\n"
           "B=from-file\n" /* the file's earlier value wins */
           "C=fallback+.\n"
           "D=/home/u\n"           /* single-quoted values too, as python-dotenv 1.2 */
           "E=$HOME ${A:x} ${\n"); /* not variables */
    unsetenv("SPOTIFY_TEST_DOTENV_HOME");
    unsetenv("SPOTIFY_TEST_DOTENV_BOTH");
}

static void test_malformed_lines_counted_and_skipped(void **state)
{
    (void)state;
    seen s;
    size_t bad = 0, first = 0;
    parse("A=1\n=no key\n9LIVES=x\nB=2\nC=\"closed\" junk\nD=4\n", &s, &bad, &first);
    assert_string_equal(s.text, "A=1\n9LIVES=x\nB=2\nD=4\n"); /* as python-dotenv */
    assert_int_equal(bad, 2);
    assert_int_equal(first, 2);
}

static void test_unclosed_quote_is_malformed(void **state)
{
    (void)state;
    seen s;
    size_t bad = 0, first = 0;
    parse("A=1\nB=\"never closed\nC=3\n", &s, &bad, &first);
    assert_string_equal(s.text, "A=1\n");
    assert_int_equal(bad, 1);
    assert_int_equal(first, 2);
}

static void test_nul_bytes_are_malformed(void **state)
{
    (void)state;
    static const char text[] = "A=x\0y\n'\0K'=v\nB=2\n";
    seen s = {{0}};
    size_t bad = 0, first = 0;
    assert_true(spotify__dotenv_parse(text, sizeof text - 1, record, &s, &bad, &first));
    assert_string_equal(s.text, "B=2\n");
    assert_int_equal(bad, 2);
    assert_int_equal(first, 1);
}

static void test_empty_and_null_text(void **state)
{
    (void)state;
    seen s = {{0}};
    size_t bad = 1, first = 1;
    assert_true(spotify__dotenv_parse(NULL, 5, record, &s, &bad, &first));
    assert_true(spotify__dotenv_parse("", 0, record, &s, &bad, &first));
    assert_string_equal(s.text, "");
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_assignments_and_comments),
        cmocka_unit_test(test_export_prefix),
        cmocka_unit_test(test_inline_comment_needs_a_blank_before_it),
        cmocka_unit_test(test_single_quotes_are_literal),
        cmocka_unit_test(test_double_quotes_take_escapes),
        cmocka_unit_test(test_quoted_values_may_span_lines),
        cmocka_unit_test(test_empty_and_bare_keys),
        cmocka_unit_test(test_quoted_keys),
        cmocka_unit_test(test_crlf_line_ends),
        cmocka_unit_test(test_repeated_key_reported_in_file_order),
        cmocka_unit_test(test_interpolation),
        cmocka_unit_test(test_malformed_lines_counted_and_skipped),
        cmocka_unit_test(test_unclosed_quote_is_malformed),
        cmocka_unit_test(test_nul_bytes_are_malformed),
        cmocka_unit_test(test_empty_and_null_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
