/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/args.c - command-line options: --name, --name VALUE,
 * --name=VALUE, -x, repeatable options and positionals. Pure: no output.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spotctl.h"

size_t spotctl_edit_distance(const char *a, const char *b)
{
    /* optimal string alignment: insertions, deletions, substitutions and
     * swaps of two neighbours cost 1 each; three rows of the matrix */
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return la > lb ? la : lb;
    size_t rows[3][65], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        size_t *t = prev2;
        prev2 = prev, prev = cur, cur = t;
    }
    return prev[lb];
}

const char *spotctl_suggest(const char *word, const char *const *candidates, size_t n)
{
    size_t len = strlen(word);
    size_t limit = len <= 3 ? 1 : len <= 5 ? 2 : 3, best = limit + 1;
    const char *found = NULL;
    for (size_t i = 0; i < n; i++) {
        if (candidates[i] == NULL)
            continue;
        size_t d = spotctl_edit_distance(word, candidates[i]);
        if (d < best && d < len) {
            best = d;
            found = candidates[i];
        }
    }
    return found;
}

/* " (did you mean --NAME?)" for an unknown option, or "". */
static void option_hint(char *out, size_t size, const spotctl_opt *opts, size_t n, const char *name,
                        size_t len)
{
    const char *names[SPOTCTL_OPT_MAX];
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)len, name);
    for (size_t i = 0; i < n && i < SPOTCTL_OPT_MAX; i++)
        names[i] = opts[i].name;
    const char *s = spotctl_suggest(word, names, n < SPOTCTL_OPT_MAX ? n : SPOTCTL_OPT_MAX);
    if (s != NULL)
        snprintf(out, size, " (did you mean --%s?)", s);
    else
        out[0] = '\0';
}

static int find_long(const spotctl_opt *opts, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

static int find_short(const spotctl_opt *opts, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (opts[i].short_name != 0 && opts[i].short_name == c)
            return (int)i;
    return -1;
}

static bool push(const char ***array, size_t *count, const char *value)
{
    const char **grown = realloc((void *)*array, (*count + 1) * sizeof **array);
    if (grown == NULL)
        return false;
    grown[(*count)++] = value;
    *array = grown;
    return true;
}

/* Records option `i` with `value` (NULL for flags). */
static bool record(spotctl_args *a, int i, const char *value)
{
    a->count[i]++;
    if (a->opts[i].kind == SPOTCTL_MULTI) {
        size_t n = (size_t)a->count[i] - 1;
        if (!push(&a->multi[i], &n, value)) {
            snprintf(a->error, sizeof a->error, "out of memory");
            return false;
        }
    } else {
        a->value[i] = value;
    }
    return true;
}

bool spotctl_args_parse(spotctl_args *a, const spotctl_opt *opts, size_t opt_count, int argc,
                        char **argv)
{
    memset(a, 0, sizeof *a);
    a->opts = opts;
    a->opt_count = opt_count < SPOTCTL_OPT_MAX ? opt_count : SPOTCTL_OPT_MAX;
    bool options_done = false;
    for (int k = 0; k < argc; k++) {
        const char *arg = argv[k];
        if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (!push(&a->pos, &a->npos, arg)) {
                snprintf(a->error, sizeof a->error, "out of memory");
                return false;
            }
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        int i;
        const char *inline_value = NULL;
        if (arg[1] == '-') {
            const char *name = arg + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
            i = find_long(a->opts, a->opt_count, name, len);
            if (i < 0) {
                char hint[96];
                option_hint(hint, sizeof hint, a->opts, a->opt_count, name, len);
                snprintf(a->error, sizeof a->error, "unknown option --%.*s%s", (int)len, name,
                         hint);
                return false;
            }
            if (eq != NULL)
                inline_value = eq + 1;
        } else {
            if (arg[2] != '\0') {
                /* -vv: repeated short flags */
                for (const char *c = arg + 1; *c != '\0'; c++) {
                    i = find_short(a->opts, a->opt_count, *c);
                    if (i < 0 || a->opts[i].kind != SPOTCTL_FLAG) {
                        snprintf(a->error, sizeof a->error, "unknown option %s", arg);
                        return false;
                    }
                    record(a, i, NULL);
                }
                continue;
            }
            i = find_short(a->opts, a->opt_count, arg[1]);
            if (i < 0) {
                snprintf(a->error, sizeof a->error, "unknown option %s", arg);
                return false;
            }
        }
        const spotctl_opt *o = &a->opts[i];
        if (o->kind == SPOTCTL_FLAG) {
            if (inline_value != NULL) {
                snprintf(a->error, sizeof a->error, "option --%s takes no value", o->name);
                return false;
            }
            record(a, i, NULL);
            continue;
        }
        const char *value = inline_value;
        if (value == NULL) {
            if (k + 1 >= argc) {
                snprintf(a->error, sizeof a->error, "option --%s needs a value", o->name);
                return false;
            }
            value = argv[++k];
        }
        if (!record(a, i, value))
            return false;
    }
    return true;
}

void spotctl_args_free(spotctl_args *a)
{
    for (size_t i = 0; i < SPOTCTL_OPT_MAX; i++)
        free((void *)a->multi[i]);
    free((void *)a->pos);
    a->pos = NULL;
    a->npos = 0;
    memset(a->multi, 0, sizeof a->multi);
}

int spotctl_args_index(const spotctl_args *a, const char *name)
{
    return find_long(a->opts, a->opt_count, name, strlen(name));
}

bool spotctl_args_has(const spotctl_args *a, const char *name)
{
    int i = spotctl_args_index(a, name);
    return i >= 0 && a->count[i] > 0;
}

const char *spotctl_args_get(const spotctl_args *a, const char *name)
{
    int i = spotctl_args_index(a, name);
    return i >= 0 ? a->value[i] : NULL;
}

const char *const *spotctl_args_multi(const spotctl_args *a, const char *name, size_t *n)
{
    int i = spotctl_args_index(a, name);
    *n = i >= 0 ? (size_t)a->count[i] : 0;
    return i >= 0 ? a->multi[i] : NULL;
}

bool spotctl_market(char *out, size_t size, const char *text)
{
    if (strcasecmp(text, "from_token") == 0) {
        snprintf(out, size, "from_token");
        return true;
    }
    if (strlen(text) != 2 || !isalpha((unsigned char)text[0]) || !isalpha((unsigned char)text[1]))
        return false;
    snprintf(out, size, "%c%c", toupper((unsigned char)text[0]), toupper((unsigned char)text[1]));
    return true;
}

bool spotctl_parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
    if (text == NULL || text[0] == '\0')
        return false;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
        return false;
    *out = (int64_t)v;
    return true;
}
