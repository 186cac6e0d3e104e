/* SPDX-License-Identifier: Apache-2.0 */
/* core/env.c - environment lookup: empty means unset, explicit wins. */
#include "env.h"

#include <stdlib.h>

const char *spotify__env(const char *name)
{
    if (name == NULL || name[0] == '\0')
        return NULL;
    const char *value = getenv(name);
    return value != NULL && value[0] != '\0' ? value : NULL;
}

const char *spotify__setting(const char *explicit_value, const char *env_name)
{
    if (explicit_value != NULL && explicit_value[0] != '\0')
        return explicit_value;
    return spotify__env(env_name);
}
