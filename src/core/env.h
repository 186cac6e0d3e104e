/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/env.h - environment lookup with the SDK's rules: an empty variable
 * counts as unset, and an explicit setting always wins over the environment.
 *
 * Threads: getenv is not safe against a concurrent setenv; like every C
 * library, the SDK assumes the environment is not modified while it runs.
 */
#ifndef SPOTIFY_CORE_ENV_H
#define SPOTIFY_CORE_ENV_H

#include "export.h"

#define SPOTIFY_ENV_CLIENT_ID "SPOTIFY_SDK_CLIENT_ID"
#define SPOTIFY_ENV_CLIENT_SECRET "SPOTIFY_SDK_CLIENT_SECRET"
#define SPOTIFY_ENV_REDIRECT_URI "SPOTIFY_SDK_REDIRECT_URI"
#define SPOTIFY_ENV_API_BASE_URL "SPOTIFY_SDK_API_BASE_URL"
#define SPOTIFY_ENV_ACCOUNTS_BASE_URL "SPOTIFY_SDK_ACCOUNTS_BASE_URL"

/* The variable's value, or NULL when it is unset or empty. Borrowed from the
 * environment. */
const char *spotify__env(const char *name);

/* `explicit_value` when it is non-NULL and non-empty, else spotify__env(name)
 * (name may be NULL: then no environment fallback), else NULL. */
SPOTIFY__EXPORT const char *spotify__setting(const char *explicit_value, const char *env_name);

#endif
