/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry.c - clients and users: the built-ins, the config file and
 * --client flags.
 */
#include "registry.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "json/json.h"
#include "oauth.h"

#define MAX_ID_LEN 128

struct emu_registry {
    spotify__arena *arena; /* every string */
    emu_client *clients;
    size_t client_count, client_cap;
    emu_user_profile *users;
    size_t user_count, user_cap;
};

static void set_error(char *err, size_t size, const char *fmt, ...) SPOTIFY_PRINTF(3, 4);

static void set_error(char *err, size_t size, const char *fmt, ...)
{
    if (err == NULL || size == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}

emu_registry *emu_registry_new(void)
{
    emu_registry *reg = spotify__calloc(1, sizeof *reg);
    if (reg == NULL)
        return NULL;
    reg->arena = spotify__arena_new(4096);
    if (reg->arena == NULL) {
        spotify__free(reg);
        return NULL;
    }
    return reg;
}

void emu_registry_free(emu_registry *reg)
{
    if (reg == NULL)
        return;
    spotify__free(reg->clients);
    spotify__free(reg->users);
    spotify__arena_free(reg->arena);
    spotify__free(reg);
}

/* Grows an array of `item` bytes to hold one more; false on OOM. */
static bool reserve_one(void **items, size_t count, size_t *cap, size_t item)
{
    if (count < *cap)
        return true;
    size_t new_cap = *cap == 0 ? 4 : *cap * 2;
    size_t bytes;
    if (!spotify__size_mul(new_cap, item, &bytes))
        return false;
    void *grown = spotify__realloc(*items, bytes);
    if (grown == NULL)
        return false;
    *items = grown;
    *cap = new_cap;
    return true;
}

/* Finds or adds the user `profile->id` (strings already in the arena). */
static bool intern_user(emu_registry *reg, const emu_user_profile *profile, size_t *index)
{
    if (emu_registry_user(reg, profile->id, index) != NULL)
        return true;
    void *users = reg->users;
    if (!reserve_one(&users, reg->user_count, &reg->user_cap, sizeof *reg->users))
        return false;
    reg->users = users;
    reg->users[reg->user_count] = *profile;
    *index = reg->user_count++;
    return true;
}

/* Appends a client whose strings are in the arena; fails on a duplicate id. */
static bool add_client(emu_registry *reg, const emu_client *client, const emu_user_profile *user,
                       char *err, size_t err_size)
{
    if (emu_registry_client(reg, client->id, NULL) != NULL) {
        set_error(err, err_size, "client \"%s\" is defined twice", client->id);
        return false;
    }
    void *clients = reg->clients;
    size_t user_index = 0;
    if (!intern_user(reg, user, &user_index) ||
        !reserve_one(&clients, reg->client_count, &reg->client_cap, sizeof *reg->clients)) {
        set_error(err, err_size, "out of memory");
        return false;
    }
    reg->clients = clients;
    reg->clients[reg->client_count] = *client;
    reg->clients[reg->client_count].user = user_index;
    reg->client_count++;
    return true;
}

/* Default profile fields for a user `id`, shown as `display_name`. */
static emu_user_profile default_user(emu_registry *reg, const char *id, const char *display_name)
{
    emu_user_profile u;
    u.id = spotify__arena_strdup(reg->arena, id);
    u.display_name = spotify__arena_strdup(reg->arena, display_name);
    size_t len = strlen(id);
    char *email = spotify__arena_alloc(reg->arena, len + sizeof "@example.com");
    if (email != NULL) {
        memcpy(email, id, len);
        memcpy(email + len, "@example.com", sizeof "@example.com");
    }
    u.email = email;
    u.country = "SE";
    u.product = "premium";
    u.followers = 0;
    return u;
}

bool emu_registry_add_builtin(emu_registry *reg)
{
    emu_client confidential = {"demo-client", "demo-secret", "Demo App", NULL, 0, true, 0};
    emu_user_profile user = default_user(reg, "demo-user", "Demo User");
    user.followers = 12;
    if (user.id == NULL || !add_client(reg, &confidential, &user, NULL, 0))
        return false;
    emu_client pkce = {"demo-public", NULL, "Demo PKCE App", NULL, 0, true, 0};
    emu_user_profile pkce_user = default_user(reg, "demo-public-user", "Demo Public User");
    pkce_user.country = "US";
    pkce_user.product = "free";
    pkce_user.followers = 3;
    return pkce_user.id != NULL && add_client(reg, &pkce, &pkce_user, NULL, 0);
}

/* Client ids and secrets: printable ASCII, no ':' (Basic splits there). */
static bool credential_ok(const char *s, bool is_id)
{
    size_t len = strlen(s);
    if (len == 0 || len > MAX_ID_LEN)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || (is_id && (c == ':' || c == '=')))
            return false;
    }
    return true;
}

/* A config string member (arena copy) or NULL when absent; *bad on a wrong type. */
static const char *member_string(emu_registry *reg, spotify__json obj, const char *key, bool *bad)
{
    spotify__json v = spotify__json_get(obj, key);
    const char *s;
    size_t len;
    if (!spotify__json_valid(v) || spotify__json_is_null(v))
        return NULL;
    if (!spotify__json_get_string(v, &s, &len) || strlen(s) != len) {
        *bad = true;
        return NULL;
    }
    return spotify__arena_strndup(reg->arena, s, len);
}

/* Rejects members of `obj` not in `allowed` (NULL-terminated). */
static bool only_known_keys(spotify__json obj, const char *const *allowed, const char *where,
                            char *err, size_t err_size)
{
    for (spotify__json m = spotify__json_first(obj); spotify__json_valid(m);
         m = spotify__json_next(m)) {
        const char *key;
        size_t len;
        spotify__json_key(m, &key, &len);
        bool known = false;
        for (size_t i = 0; allowed[i] != NULL && !known; i++)
            known = strlen(allowed[i]) == len && memcmp(allowed[i], key, len) == 0;
        if (!known) {
            set_error(err, err_size, "config: unknown key \"%.*s\" in %s", (int)len, key, where);
            return false;
        }
    }
    return true;
}

/* Reads a client's "user" object over the defaults in `u`. */
static bool load_user(emu_registry *reg, spotify__json obj, emu_user_profile *u, char *err,
                      size_t err_size)
{
    static const char *const keys[] = {"id",      "display_name", "email", "country",
                                       "product", "followers",    NULL};
    if (spotify__json_type_of(obj) != SPOTIFY__JSON_OBJECT) {
        set_error(err, err_size, "config: a client's \"user\" must be an object");
        return false;
    }
    if (!only_known_keys(obj, keys, "a user", err, err_size))
        return false;
    bool bad = false;
    const char *id = member_string(reg, obj, "id", &bad);
    const char *name = member_string(reg, obj, "display_name", &bad);
    const char *email = member_string(reg, obj, "email", &bad);
    const char *country = member_string(reg, obj, "country", &bad);
    const char *product = member_string(reg, obj, "product", &bad);
    spotify__json followers = spotify__json_get(obj, "followers");
    if (spotify__json_valid(followers) &&
        (!spotify__json_get_int64(followers, &u->followers) || u->followers < 0))
        bad = true;
    if (bad || (id != NULL && !credential_ok(id, true))) {
        set_error(err, err_size, "config: a user has a malformed field");
        return false;
    }
    if (id != NULL) {
        *u = default_user(reg, id, name != NULL ? name : id);
        spotify__json_get_int64(followers, &u->followers);
    }
    u->display_name = name != NULL ? name : u->display_name;
    u->email = email != NULL ? email : u->email;
    u->country = country != NULL ? country : u->country;
    u->product = product != NULL ? product : u->product;
    return true;
}

/* Reads "redirect_uris": a non-empty array of strings. */
static bool load_redirects(emu_registry *reg, spotify__json arr, emu_client *c, char *err,
                           size_t err_size)
{
    size_t n = spotify__json_count(arr);
    if (spotify__json_type_of(arr) != SPOTIFY__JSON_ARRAY || n == 0) {
        set_error(err, err_size, "config: client \"%s\" needs a non-empty \"redirect_uris\" array",
                  c->id);
        return false;
    }
    const char **uris = spotify__arena_calloc(reg->arena, n, sizeof *uris);
    if (uris == NULL)
        return false;
    size_t i = 0;
    for (spotify__json v = spotify__json_first(arr); spotify__json_valid(v);
         v = spotify__json_next(v)) {
        const char *s;
        size_t len;
        if (!spotify__json_get_string(v, &s, &len) || len == 0 || strlen(s) != len) {
            set_error(err, err_size,
                      "config: client \"%s\" has a redirect URI that is not a string", c->id);
            return false;
        }
        uris[i++] = spotify__arena_strndup(reg->arena, s, len);
    }
    c->redirect_uris = uris;
    c->redirect_count = i;
    return true;
}

static bool load_client(emu_registry *reg, spotify__json obj, char *err, size_t err_size)
{
    static const char *const keys[] = {"id", "secret", "name", "redirect_uris", "user", NULL};
    if (spotify__json_type_of(obj) != SPOTIFY__JSON_OBJECT) {
        set_error(err, err_size, "config: each entry of \"clients\" must be an object");
        return false;
    }
    if (!only_known_keys(obj, keys, "a client", err, err_size))
        return false;
    bool bad = false;
    emu_client c = {0};
    c.id = member_string(reg, obj, "id", &bad);
    c.secret = member_string(reg, obj, "secret", &bad);
    c.name = member_string(reg, obj, "name", &bad);
    if (bad || c.id == NULL || !credential_ok(c.id, true) ||
        (c.secret != NULL && !credential_ok(c.secret, false))) {
        set_error(err, err_size,
                  "config: a client needs an \"id\" (and an optional \"secret\") of printable "
                  "ASCII without spaces; ids may not contain ':' or '='");
        return false;
    }
    if (c.name == NULL)
        c.name = c.id;
    if (!load_redirects(reg, spotify__json_get(obj, "redirect_uris"), &c, err, err_size))
        return false;
    char user_id[MAX_ID_LEN + 8];
    snprintf(user_id, sizeof user_id, "%s-user", c.id);
    emu_user_profile user = default_user(reg, user_id, user_id);
    spotify__json u = spotify__json_get(obj, "user");
    if (spotify__json_valid(u) && !load_user(reg, u, &user, err, err_size))
        return false;
    return add_client(reg, &c, &user, err, err_size);
}

/* Reads an optional integer switch within [min, max]. */
static bool load_int(spotify__json root, const char *key, int min, int max, int *out, char *err,
                     size_t err_size)
{
    spotify__json v = spotify__json_get(root, key);
    int64_t n;
    if (!spotify__json_valid(v))
        return true;
    if (!spotify__json_get_int64(v, &n) || n < min || n > max) {
        set_error(err, err_size, "config: \"%s\" must be an integer from %d to %d", key, min, max);
        return false;
    }
    *out = (int)n;
    return true;
}

/* Reads an optional boolean switch. */
static bool load_bool(spotify__json root, const char *key, bool *out, char *err, size_t err_size)
{
    spotify__json v = spotify__json_get(root, key);
    if (spotify__json_valid(v) && !spotify__json_get_bool(v, out)) {
        set_error(err, err_size, "config: \"%s\" must be true or false", key);
        return false;
    }
    return true;
}

static bool load_switches(spotify__json root, emu_settings_values *s, bool *builtin, char *err,
                          size_t err_size)
{
    return load_int(root, "token_lifetime", EMU_TOKEN_LIFETIME_MIN, EMU_TOKEN_LIFETIME_MAX,
                    &s->token_lifetime_s, err, err_size) &&
           load_int(root, "latency_ms", 0, EMU_LATENCY_MAX_MS, &s->latency_ms, err, err_size) &&
           load_bool(root, "rotate_refresh_tokens", &s->rotate_refresh_tokens, err, err_size) &&
           load_bool(root, "auto_approve", &s->auto_approve, err, err_size) &&
           load_bool(root, "strict_redirects", &s->strict_redirects, err, err_size) &&
           load_int(root, "rate_limit", 0, EMU_RATE_LIMIT_MAX, &s->rate_limit, err, err_size) &&
           load_int(root, "rate_limit_window", 1, EMU_RATE_WINDOW_MAX_S, &s->rate_window_s, err,
                    err_size) &&
           load_bool(root, "builtin_clients", builtin, err, err_size);
}

bool emu_registry_load_config(emu_registry *reg, const char *text, size_t len,
                              emu_settings_values *settings, bool *builtin, char *err,
                              size_t err_size)
{
    static const char *const keys[] = {"clients",
                                       "builtin_clients",
                                       "token_lifetime",
                                       "latency_ms",
                                       "auto_approve",
                                       "strict_redirects",
                                       "rotate_refresh_tokens",
                                       "rate_limit",
                                       "rate_limit_window",
                                       NULL};
    spotify__arena *scratch = spotify__arena_new(0);
    spotify_error jerr = {0};
    spotify__json root = {NULL, 0};
    bool ok =
        scratch != NULL && spotify__json_parse(&root, scratch, text, len, len, &jerr) == SPOTIFY_OK;
    if (!ok)
        set_error(err, err_size, "config: not valid JSON (%s)", jerr.message);
    if (ok && spotify__json_type_of(root) != SPOTIFY__JSON_OBJECT) {
        set_error(err, err_size, "config: the top level must be a JSON object");
        ok = false;
    }
    ok = ok && only_known_keys(root, keys, "the top level", err, err_size) &&
         load_switches(root, settings, builtin, err, err_size);
    spotify__json clients = spotify__json_get(root, "clients");
    if (ok && spotify__json_valid(clients) &&
        spotify__json_type_of(clients) != SPOTIFY__JSON_ARRAY) {
        set_error(err, err_size, "config: \"clients\" must be an array");
        ok = false;
    }
    for (spotify__json c = ok ? spotify__json_first(clients) : clients;
         ok && spotify__json_valid(c); c = spotify__json_next(c))
        ok = load_client(reg, c, err, err_size);
    spotify__arena_free(scratch);
    return ok;
}

bool emu_registry_add_spec(emu_registry *reg, const char *spec, char *err, size_t err_size)
{
    const char *eq = strchr(spec, '=');
    if (eq == NULL || eq == spec || eq[1] == '\0') {
        set_error(err, err_size, "--client: expected ID[:SECRET]=URI[,URI...]");
        return false;
    }
    const char *colon = memchr(spec, ':', (size_t)(eq - spec));
    emu_client c = {0};
    c.id = spotify__arena_strndup(reg->arena, spec, (size_t)((colon ? colon : eq) - spec));
    c.secret =
        colon ? spotify__arena_strndup(reg->arena, colon + 1, (size_t)(eq - colon - 1)) : NULL;
    if (c.id == NULL || !credential_ok(c.id, true) ||
        (colon != NULL && (c.secret == NULL || !credential_ok(c.secret, false)))) {
        set_error(err, err_size, "--client: malformed client id or secret");
        return false;
    }
    c.name = c.id;
    size_t n = 1;
    for (const char *p = eq + 1; *p != '\0'; p++)
        n += *p == ',';
    const char **uris = spotify__arena_calloc(reg->arena, n, sizeof *uris);
    if (uris == NULL)
        return false;
    const char *p = eq + 1;
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(p, ",");
        if (len == 0) {
            set_error(err, err_size, "--client: empty redirect URI");
            return false;
        }
        uris[c.redirect_count++] = spotify__arena_strndup(reg->arena, p, len);
        p += len + (p[len] == ',');
    }
    c.redirect_uris = uris;
    char user_id[MAX_ID_LEN + 8];
    snprintf(user_id, sizeof user_id, "%s-user", c.id);
    emu_user_profile user = default_user(reg, user_id, user_id);
    return add_client(reg, &c, &user, err, err_size);
}

size_t emu_registry_client_count(const emu_registry *reg)
{
    return reg->client_count;
}

const emu_client *emu_registry_client_at(const emu_registry *reg, size_t index)
{
    return index < reg->client_count ? &reg->clients[index] : NULL;
}

const emu_client *emu_registry_client(const emu_registry *reg, const char *id, size_t *index_out)
{
    for (size_t i = 0; id != NULL && i < reg->client_count; i++) {
        if (strcmp(reg->clients[i].id, id) == 0) {
            if (index_out != NULL)
                *index_out = i;
            return &reg->clients[i];
        }
    }
    return NULL;
}

size_t emu_registry_user_count(const emu_registry *reg)
{
    return reg->user_count;
}

const emu_user_profile *emu_registry_user_at(const emu_registry *reg, size_t index)
{
    return index < reg->user_count ? &reg->users[index] : NULL;
}

const emu_user_profile *emu_registry_user(const emu_registry *reg, const char *id,
                                          size_t *index_out)
{
    for (size_t i = 0; id != NULL && i < reg->user_count; i++) {
        if (strcmp(reg->users[i].id, id) == 0) {
            if (index_out != NULL)
                *index_out = i;
            return &reg->users[i];
        }
    }
    return NULL;
}

bool emu_client_redirect_ok(const emu_client *client, const char *uri, bool strict)
{
    if (strict && !emu_redirect_strict_ok(uri))
        return false;
    if (client->demo_loopback && emu_redirect_is_demo_loopback(uri, strict))
        return true;
    for (size_t i = 0; i < client->redirect_count; i++)
        if (strcmp(client->redirect_uris[i], uri) == 0)
            return true;
    return false;
}
