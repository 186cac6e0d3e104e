/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_redis_url.c - libFuzzer target for spotify__redis_url_parse and the
 * key naming of spotify-sdk-redis (redis/redis_internal.h).
 *
 * The input is the URL. On success the parsed URL must be usable (TCP: a
 * host of printable ASCII and a port in 1-65535; redis-sentinel://: 1-8
 * such Sentinels and a master name; unix: an absolute path; db >= 0) and its description must not
 * depend on the password (described again with another password, it reads the same: exact, where a
 * search for the password in it gave false alarms when the text around a host spelled it); on
 * failure the error must be SPOTIFY_ECONFIG. The input is also tried as a user key: names that pass
 * the check give a key ending in ":user:" + the input.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redis/redis_internal.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A host the parser accepted: printable ASCII without the URL's
 * delimiters or spaces (the parser's own rules are stricter). */
static bool host_valid(const char *host)
{
    for (const char *p = host; *p != '\0'; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("/?#@[]", *p) != NULL)
            return false;
    return host[0] != '\0';
}

/* A TCP address the parser accepted (also without ',', which separates
 * Sentinels). */
static bool endpoint_valid(const char *host, int port)
{
    return host_valid(host) && strchr(host, ',') == NULL && port >= 1 && port <= 65535;
}

static void check_url(const char *text)
{
    spotify__redis_url u;
    spotify_error err = {0};
    spotify_status st = spotify__redis_url_parse(&u, text, &err);
    if (st != SPOTIFY_OK) {
        FUZZ_CHECK(st == SPOTIFY_ECONFIG && err.status == SPOTIFY_ECONFIG);
        return;
    }
    FUZZ_CHECK(u.db >= 0);
    if (u.unix_socket)
        FUZZ_CHECK(u.path[0] == '/');
    else if (!u.sentinel)
        FUZZ_CHECK(endpoint_valid(u.host, u.port));
    if (u.sentinel) {
        FUZZ_CHECK(u.master[0] != '\0' && strpbrk(u.master, "/?#@, ") == NULL);
        FUZZ_CHECK(u.sentinel_count >= 1 && u.sentinel_count <= SPOTIFY__REDIS_MAX_SENTINELS);
        for (int i = 0; i < u.sentinel_count; i++)
            FUZZ_CHECK(endpoint_valid(u.sentinels[i].host, u.sentinels[i].port));
    }
    /* Exact: the description does not depend on the password. Described
     * again with the password replaced, it must read the same, so the
     * password can appear in it only where the host or path spells it. */
    char where[320], again[320];
    spotify__redis_url_describe(&u, where, sizeof where);
    spotify__redis_url other = u;
    for (size_t i = 0; i < sizeof other.password - 1; i++)
        other.password[i] = u.password[i] == 'x' ? 'y' : 'x';
    other.password[sizeof other.password - 1] = '\0';
    other.has_password = !u.has_password;
    spotify__redis_url_describe(&other, again, sizeof again);
    FUZZ_CHECK(strcmp(where, again) == 0);
}

static void check_key(const char *text)
{
    if (spotify__redis_names_check("p:", "client", text, NULL) != SPOTIFY_OK)
        return;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    FUZZ_CHECK(spotify__redis_key(&sb, SPOTIFY__REDIS_KEY_TOKEN, "p:", "client", text));
    const char *key = spotify__strbuf_cstr(&sb);
    size_t len = strlen(text);
    FUZZ_CHECK(strncmp(key, "p:token:client:user:", 20) == 0 && strlen(key) == 20 + len &&
               strcmp(key + 20, text) == 0);
    spotify__strbuf_release(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    check_url(text);
    check_key(text);
    free(text);
    return 0;
}
