/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client_credentials.c - app-only access: the client fetches, caches and
 * refreshes tokens from a client id and secret, here taken from the
 * environment (SPOTIFY_SDK_CLIENT_ID, SPOTIFY_SDK_CLIENT_SECRET).
 *
 *   ./client_credentials /artists/2YZyLoL8N0Wb9xBt1NhZWg
 */
#include <spotify/spotify.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/artists/2YZyLoL8N0Wb9xBt1NhZWg";
    spotify_error err = {0};
    spotify_global_init(&err);

    /* No credential option set: client credentials from the environment. */
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    spotify_client *client = NULL;
    if (spotify_client_new(&client, &opts, &err) != SPOTIFY_OK) {
        fprintf(stderr, "%s: %s\n", spotify_status_category(err.status), err.message);
        spotify_global_cleanup();
        return 3;
    }
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = path;
    spotify_response *response = NULL;
    spotify_status st = spotify_client_send(&response, client, &request, &err);
    if (st == SPOTIFY_OK)
        printf("%s\n", response->body);
    else
        fprintf(stderr, "%s: %s\n", spotify_status_category(st), err.message);
    spotify_response_free(response);
    spotify_client_free(client);
    spotify_global_cleanup();
    return st == SPOTIFY_OK ? 0 : 1;
}
