/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry.h - the registered clients (Spotify "apps") and their users.
 *
 * Two built-in demo clients exist unless the config file turns them off:
 *   demo-client   secret demo-secret   confidential; user "demo-user"
 *   demo-public   no secret            public, PKCE only; user "demo-public-user"
 * Both accept any loopback redirect URI (http://127.0.0.1[:PORT]/...,
 * http://[::1][:PORT]/..., and http://localhost[:PORT]/... unless strict
 * mode). Other clients come from the config file (--config) or --client
 * flags and accept only their exact registered redirect URIs.
 *
 * Every client has one user: the person who "logs in" on the consent page.
 * Clients that name the same user id share that user.
 *
 * Ownership: the registry owns every string (one arena).
 * Threads: built once at start-up, read-only afterwards: safe to read from
 * any thread without a lock.
 */
#ifndef SPOTIFY_EMULATOR_REGISTRY_H
#define SPOTIFY_EMULATOR_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "settings.h"

typedef struct emu_user_profile {
    const char *id;
    const char *display_name;
    const char *email;
    const char *country; /* ISO 3166-1 alpha-2 */
    const char *product; /* "premium", "free" */
    int64_t followers;
} emu_user_profile;

typedef struct emu_client {
    const char *id;
    const char *secret; /* NULL: a public client (PKCE only) */
    const char *name;   /* shown on the consent page */
    const char **redirect_uris;
    size_t redirect_count;
    bool demo_loopback; /* accepts any loopback redirect URI */
    size_t user;        /* index into the registry's users */
} emu_client;

typedef struct emu_registry emu_registry;

/* An empty registry; NULL on OOM. */
emu_registry *emu_registry_new(void);
void emu_registry_free(emu_registry *reg);

/* Adds demo-client and demo-public (and their users). false on OOM or when
 * a client with one of those ids exists. */
bool emu_registry_add_builtin(emu_registry *reg);

/*
 * Loads a JSON config file's text: clients (added to `reg`), the switches
 * (written into `settings` when present) and "builtin_clients" (into
 * *builtin, left untouched when absent). Unknown keys are errors, so typos
 * are caught. On failure returns false with a message in `err`.
 */
bool emu_registry_load_config(emu_registry *reg, const char *text, size_t len,
                              emu_settings_values *settings, bool *builtin, char *err,
                              size_t err_size);

/*
 * Adds a client from a --client flag: "ID[:SECRET]=URI[,URI...]". Its user
 * is "ID-user". false with a message in `err` on a malformed spec or a
 * duplicate id.
 */
bool emu_registry_add_spec(emu_registry *reg, const char *spec, char *err, size_t err_size);

size_t emu_registry_client_count(const emu_registry *reg);
const emu_client *emu_registry_client_at(const emu_registry *reg, size_t index);
/* The client with `id`, or NULL; *index_out (may be NULL) gets its index. */
const emu_client *emu_registry_client(const emu_registry *reg, const char *id, size_t *index_out);
size_t emu_registry_user_count(const emu_registry *reg);
const emu_user_profile *emu_registry_user_at(const emu_registry *reg, size_t index);
/* The user with `id`, or NULL. */
const emu_user_profile *emu_registry_user(const emu_registry *reg, const char *id,
                                          size_t *index_out);
/* True when `uri` is a redirect URI registered for `client` (exact match,
 * or any loopback URI for a demo client), and allowed by strict mode. */
bool emu_client_redirect_ok(const emu_client *client, const char *uri, bool strict);

#endif
