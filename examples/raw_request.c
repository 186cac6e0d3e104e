/* SPDX-License-Identifier: Apache-2.0 */
/*
 * raw_request.c - one authenticated Web API call with retries, printing the
 * JSON Spotify returns.
 *
 *   SPOTIFY_ACCESS_TOKEN=... ./raw_request /albums/4aawyAB9vmqN3uQ7FjRGTy market=SE
 *
 * SPOTIFY_SDK_API_BASE_URL points it at another server (the emulator, a proxy).
 */
#include <spotify/spotify.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 16

/* Turns "key=value" arguments into query parameters (pointing into argv). */
static size_t params_from_args(spotify_param *params, int argc, char **argv)
{
    size_t count = 0;
    for (int i = 0; i < argc && count < MAX_PARAMS; i++) {
        char *eq = strchr(argv[i], '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        params[count].key = argv[i];
        params[count].value = eq + 1;
        count++;
    }
    return count;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH [key=value...]\n", argv[0]);
        return 2;
    }
    spotify_error err = {0};
    spotify_global_init(&err);
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.access_token = getenv("SPOTIFY_ACCESS_TOKEN");
    opts.user_agent = "raw_request-example/1.0";
    spotify_client *client = NULL;
    if (spotify_client_new(&client, &opts, &err) != SPOTIFY_OK) {
        fprintf(stderr, "raw_request: %s\n", err.message);
        spotify_global_cleanup();
        return 3;
    }

    spotify_param params[MAX_PARAMS];
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = argv[1];
    request.query = params;
    request.query_count = params_from_args(params, argc - 2, argv + 2);

    spotify_response *response = NULL;
    spotify_status st = spotify_client_send(&response, client, &request, &err);
    int exit_code = 0;
    if (st == SPOTIFY_OK) {
        printf("%s\n", response->body);
    } else {
        fprintf(stderr, "raw_request: %s: %s\n", spotify_status_category(st), err.message);
        if (err.retry_after_ms >= 0)
            fprintf(stderr, "  retry after %lld ms\n", (long long)err.retry_after_ms);
        exit_code = 1;
    }
    spotify_response_free(response);
    spotify_client_free(client);
    spotify_global_cleanup();
    return exit_code;
}
