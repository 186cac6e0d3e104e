/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/scopes.c - what to say when Spotify (or the SDK's scope check)
 * refuses a request for a missing scope: which scopes are missing, and the
 * `spotctl login --scope` that would add them. Only a refusal that names a
 * missing scope gets that hint; any other 403 ("Restriction violated",
 * another user's playlist) gets none, since logging in again cannot help.
 * Pure functions, on the public operation table (spotify/operation.h).
 */
#include <string.h>

#include "spotctl.h"

/* The next word of a scope list (separated by spaces, commas, parentheses)
 * into `word`; false at the end. */
static bool next_word(const char **cursor, char *word, size_t size)
{
    const char *p = *cursor;
    while (*p == ' ' || *p == ',' || *p == '(' || *p == ')')
        p++;
    size_t len = strcspn(p, " ,()");
    if (len == 0)
        return false;
    snprintf(word, size, "%.*s", (int)len, p);
    *cursor = p + len;
    return true;
}

/* True when the space-separated list `list` holds `word`. */
static bool has_word(const char *list, const char *word)
{
    char w[64];
    for (const char *p = list; next_word(&p, w, sizeof w);)
        if (strcmp(w, word) == 0)
            return true;
    return false;
}

/* Appends `word` to the list in out (space-separated) unless there. */
static void add_word(char *out, size_t size, const char *word)
{
    if (has_word(out, word))
        return;
    size_t len = strlen(out);
    snprintf(out + len, size - len, "%s%s", len > 0 ? " " : "", word);
}

bool spotctl_scopes_from_message(char *missing, size_t missing_size, char *granted,
                                 size_t granted_size, const char *message)
{
    missing[0] = granted[0] = '\0';
    /* "...: the token lacks scope A, one of (B C) (granted: D E)" */
    const char *lacks = strstr(message, "lacks scope ");
    const char *end = lacks != NULL ? strstr(lacks, " (granted: ") : NULL;
    if (end == NULL)
        return false;
    char list[512], word[64];
    snprintf(list, sizeof list, "%.*s", (int)(end - lacks - 12), lacks + 12);
    for (const char *p = list; next_word(&p, word, sizeof word);)
        if (strcmp(word, "one") != 0 && strcmp(word, "of") != 0)
            add_word(missing, missing_size, word);
    const char *g = end + strlen(" (granted: ");
    if (strncmp(g, "none", 4) != 0)
        snprintf(granted, granted_size, "%.*s", (int)strcspn(g, ")"), g);
    return missing[0] != '\0';
}

/* True when `path` ("/me/top/artists") fits the template `tmpl`
 * ("/me/top/{type}"): the same segments, a {name} matching any one. */
static bool path_fits(const char *tmpl, const char *path)
{
    while (*tmpl != '\0' && *path != '\0' && *path != '?') {
        if (*tmpl == '{') {
            tmpl += strcspn(tmpl, "}");
            tmpl += *tmpl == '}';
            size_t seg = strcspn(path, "/?");
            if (seg == 0)
                return false;
            path += seg;
        } else if (*tmpl++ != *path++) {
            return false;
        }
    }
    return *tmpl == '\0' && (*path == '\0' || *path == '?');
}

bool spotctl_scopes_lacking(char *missing, size_t size, const char *method, const char *path,
                            const char *granted)
{
    missing[0] = '\0';
    if (granted == NULL)
        granted = "";
    for (size_t i = 0; i < spotify_operation_count(); i++) {
        const spotify_operation *op = spotify_operation_at(i);
        if (strcmp(spotify_operation_method(op), method) != 0 ||
            !path_fits(spotify_operation_path(op), path))
            continue;
        char word[64];
        const char *all = spotify_operation_scopes_required(op);
        const char *any = spotify_operation_scopes_any(op);
        for (const char *p = all; next_word(&p, word, sizeof word);)
            if (!has_word(granted, word))
                add_word(missing, size, word);
        bool one = any[0] == '\0';
        for (const char *p = any; !one && next_word(&p, word, sizeof word);)
            one = has_word(granted, word);
        for (const char *p = any; !one && next_word(&p, word, sizeof word);)
            add_word(missing, size, word);
        /* the specification's scopes, when the check's required ones are
         * all granted (a scope Spotify wants for some fields only) */
        if (missing[0] == '\0')
            for (const char *p = spotify_operation_scopes(op); next_word(&p, word, sizeof word);)
                if (!has_word(granted, word))
                    add_word(missing, size, word);
        return missing[0] != '\0';
    }
    return false;
}

void spotctl_scope_union(char *out, size_t size, const char *base, const char *const *more,
                         size_t n)
{
    char word[64];
    out[0] = '\0';
    for (const char *p = base != NULL ? base : ""; next_word(&p, word, sizeof word);)
        add_word(out, size, word);
    for (size_t i = 0; i < n; i++)
        for (const char *p = more[i]; next_word(&p, word, sizeof word);)
            add_word(out, size, word);
}

void spotctl_scope_hint(char *out, size_t size, const char *missing, const char *granted)
{
    (void)granted; /* --add-scope keeps them */
    snprintf(out, size, "the login lacks %s %s: run `spotctl login --add-scope %s`",
             strchr(missing, ' ') != NULL ? "scopes" : "scope", missing, missing);
}

bool spotctl_command_lacks(char *missing, size_t size, const spotctl_command *cmd,
                           const char *granted)
{
    char all[512] = "", anys[512] = "", name[96], word[64];
    granted = granted != NULL ? granted : "";
    for (const char *p = cmd->ops != NULL ? cmd->ops : ""; next_word(&p, name, sizeof name);) {
        const spotify_operation *op = spotify_operation_find(name);
        if (op == NULL)
            continue;
        for (const char *q = spotify_operation_scopes_required(op);
             next_word(&q, word, sizeof word);)
            if (!has_word(granted, word))
                add_word(all, sizeof all, word);
        const char *any = spotify_operation_scopes_any(op);
        bool one = any[0] == '\0';
        for (const char *q = any; !one && next_word(&q, word, sizeof word);)
            one = has_word(granted, word);
        if (!one && strstr(anys, any) == NULL) {
            size_t used = strlen(anys);
            snprintf(anys + used, sizeof anys - used, "%sone of %s", used ? "; " : "", any);
        }
    }
    snprintf(missing, size, "%s%s%s", all, all[0] && anys[0] ? "; " : "", anys);
    return missing[0] != '\0';
}
