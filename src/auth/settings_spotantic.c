/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/settings_spotantic.c - spotantic's AuthSettings as a source of a
 * provider's settings (spotify_auth_options.settings_source =
 * SPOTIFY_SETTINGS_SPOTANTIC): the variables SPOTANTIC_AUTH_CLIENT_ID,
 * _CLIENT_SECRET, _REDIRECT_URI, _SCOPE, _STORE_ACCESS_TOKEN and
 * _ACCESS_TOKEN_FILE_PATH, named in any letter case as pydantic-settings
 * reads them, from the process environment and from a ".env" file in the
 * working directory (the environment wins). An empty value counts as unset,
 * as everywhere in this SDK.
 */
#include "settings_spotantic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "../core/dotenv.h"
#include "../core/error.h"
#include "../core/log.h"

extern char **environ;

#define PREFIX "SPOTANTIC_AUTH_"

/* The settings' names after the prefix, in the order of the struct's
 * string slots. */
static const char *const names[] = {"CLIENT_ID", "CLIENT_SECRET",      "REDIRECT_URI",
                                    "SCOPE",     "STORE_ACCESS_TOKEN", "ACCESS_TOKEN_FILE_PATH"};
#define SETTING_COUNT (sizeof names / sizeof names[0])

/* The slot of a variable name (any case), or -1. */
static int slot_of(const char *name, size_t len)
{
    size_t prefix = sizeof PREFIX - 1;
    if (len <= prefix || strncasecmp(name, PREFIX, prefix) != 0)
        return -1;
    for (size_t i = 0; i < SETTING_COUNT; i++)
        if (strlen(names[i]) == len - prefix &&
            strncasecmp(name + prefix, names[i], len - prefix) == 0)
            return (int)i;
    return -1;
}

/* Replaces slot `i` with a copy of `value` (empty: unset). */
static void slot_set(char **slots, int i, const char *value, size_t len, bool *oom)
{
    spotify__free_secret(slots[i]);
    slots[i] = NULL;
    if (len == 0)
        return;
    slots[i] = spotify__strndup(value, len);
    *oom |= slots[i] == NULL;
}

typedef struct collect {
    char **slots;
    bool oom;
} collect;

static void from_dotenv(const char *key, const char *value, void *user)
{
    collect *c = user;
    int i = slot_of(key, strlen(key));
    if (i >= 0)
        slot_set(c->slots, i, value, strlen(value), &c->oom);
}

/* ./.env when it is a regular file of at most SPOTIFY__DOTENV_MAX bytes;
 * NULL otherwise (a missing file is normal; other problems are logged). */
static char *dotenv_read(size_t *len)
{
    int fd = open(".env", O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno != ENOENT)
            spotify__log(SPOTIFY_LOG_WARN, "spotantic settings: cannot open ./.env; ignoring it");
        return NULL;
    }
    struct stat st;
    char *data = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= SPOTIFY__DOTENV_MAX &&
        (data = spotify__malloc((size_t)st.st_size + 1)) != NULL) {
        ssize_t got = read(fd, data, (size_t)st.st_size);
        *len = got > 0 ? (size_t)got : 0;
        data[*len] = '\0';
    } else {
        spotify__log(SPOTIFY_LOG_WARN, "spotantic settings: ./.env is not a regular file of at "
                                       "most 64 KiB; ignoring it");
    }
    close(fd);
    return data;
}

/* pydantic's booleans. */
static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"1", "true", "t", "yes", "y", "on"};
    static const char *const no[] = {"0", "false", "f", "no", "n", "off"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

spotify_status spotify__spotantic_settings_load(spotify__spotantic_settings *out,
                                                spotify_error *err)
{
    memset(out, 0, sizeof *out);
    char *slots[SETTING_COUNT] = {0};
    collect c = {slots, false};
    size_t len = 0;
    char *text = dotenv_read(&len);
    if (text != NULL) {
        size_t bad = 0, first_bad = 0;
        c.oom |= !spotify__dotenv_parse(text, len, from_dotenv, &c, &bad, &first_bad);
        if (bad > 0)
            spotify__log(SPOTIFY_LOG_WARN,
                         "spotantic settings: ./.env: %zu malformed line(s), the first at line "
                         "%zu; skipped",
                         bad, first_bad);
        spotify__wipe(text, len);
        spotify__free(text);
    }
    for (char **e = environ; e != NULL && *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        int i = eq != NULL ? slot_of(*e, (size_t)(eq - *e)) : -1;
        if (i >= 0)
            slot_set(slots, i, eq + 1, strlen(eq + 1), &c.oom);
    }
    out->client_id = slots[0];
    out->client_secret = slots[1];
    out->redirect_uri = slots[2];
    out->scope = slots[3];
    out->token_file = slots[5];
    bool store_ok = slots[4] == NULL || parse_bool(slots[4], &out->store_access_token);
    spotify__free(slots[4]);
    if (c.oom) {
        spotify__spotantic_settings_release(out);
        return spotify__error_oom(err);
    }
    if (!store_ok) {
        spotify__spotantic_settings_release(out);
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "SPOTANTIC_AUTH_STORE_ACCESS_TOKEN is not a boolean (true/false, "
                                  "1/0, yes/no, on/off)");
    }
    return SPOTIFY_OK;
}

void spotify__spotantic_settings_release(spotify__spotantic_settings *s)
{
    spotify__free(s->client_id);
    spotify__free_secret(s->client_secret);
    spotify__free(s->redirect_uri);
    spotify__free(s->scope);
    spotify__free(s->token_file);
    memset(s, 0, sizeof *s);
}
