/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/settings_spotantic.h - spotantic's AuthSettings (seed 004) read the
 * way pydantic-settings reads them: SPOTANTIC_AUTH_* variables in any
 * letter case, from the process environment and from ./.env (the
 * environment wins). Used by providers made with
 * settings_source = SPOTIFY_SETTINGS_SPOTANTIC (auth/provider_new.c), where
 * they rank below explicit options and SPOTIFY_SDK_* variables.
 *
 * Threads: reads the environment and the working directory; like every
 * environment lookup in the SDK, assumes neither changes while it runs.
 */
#ifndef SPOTIFY_AUTH_SETTINGS_SPOTANTIC_H
#define SPOTIFY_AUTH_SETTINGS_SPOTANTIC_H

#include <stdbool.h>

#include <spotify/error.h>

/* The names of the settings, for messages. */
#define SPOTIFY__SPOTANTIC_CLIENT_ID "SPOTANTIC_AUTH_CLIENT_ID"
#define SPOTIFY__SPOTANTIC_CLIENT_SECRET "SPOTANTIC_AUTH_CLIENT_SECRET"
#define SPOTIFY__SPOTANTIC_REDIRECT_URI "SPOTANTIC_AUTH_REDIRECT_URI"
#define SPOTIFY__SPOTANTIC_SCOPE "SPOTANTIC_AUTH_SCOPE"
/* spotantic's default access_token_file_path. */
#define SPOTIFY__SPOTANTIC_DEFAULT_TOKEN_FILE ".token_info_cache"

/* The settings found; every string owned (NULL when unset or empty). */
typedef struct spotify__spotantic_settings {
    char *client_id;
    char *client_secret; /* a secret: wiped when released */
    char *redirect_uri;
    char *scope;
    char *token_file; /* SPOTANTIC_AUTH_ACCESS_TOKEN_FILE_PATH as given */
    bool store_access_token;
} spotify__spotantic_settings;

/*
 * Reads the settings into *out (zeroed first). A missing ./.env is normal;
 * an unreadable or oversized one, and malformed lines, are logged (by line
 * number, never by value) and skipped. SPOTIFY_ECONFIG when
 * SPOTANTIC_AUTH_STORE_ACCESS_TOKEN is not one of pydantic's booleans;
 * SPOTIFY_ENOMEM. On failure *out holds nothing to release.
 */
spotify_status spotify__spotantic_settings_load(spotify__spotantic_settings *out,
                                                spotify_error *err);

/* Frees (and wipes the secret of) what load filled; zeroes *s. */
void spotify__spotantic_settings_release(spotify__spotantic_settings *s);

#endif
