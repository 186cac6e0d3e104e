/* SPDX-License-Identifier: Apache-2.0 */
/* core/version.c - the version of the linked library. */
#include <spotify/version.h>

const char *spotify_version(void)
{
    return SPOTIFY_VERSION_STRING;
}

unsigned int spotify_version_num(void)
{
    return SPOTIFY_VERSION_NUM;
}
