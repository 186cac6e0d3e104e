/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hello.c - the smallest program on libspotify-sdk: prints the library
 * version, creates a client and shows how errors are reported.
 *
 *   SPOTIFY_ACCESS_TOKEN=... ./hello
 */
#include <spotify/spotify.h>

#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    spotify_error err = {0};
    if (spotify_global_init(&err) != SPOTIFY_OK) {
        fprintf(stderr, "init: %s\n", err.message);
        return 1;
    }
    printf("libspotify-sdk %s (headers %s)\n", spotify_version(), SPOTIFY_VERSION_STRING);

    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.access_token = getenv("SPOTIFY_ACCESS_TOKEN");
    spotify_client *client = NULL;
    spotify_status st = spotify_client_new(&client, &opts, &err);
    if (st != SPOTIFY_OK) {
        /* Without a token this prints a config error: every failure carries a
         * category, a readable message and, for HTTP errors, the status. */
        printf("no client: %s: %s\n", spotify_status_category(st), err.message);
    } else {
        printf("client ready for %s\n", spotify_client_api_base_url(client));
        spotify_client_free(client);
    }
    spotify_global_cleanup();
    return 0;
}
