/* SPDX-License-Identifier: Apache-2.0 */
/*
 * local_login.c - log a user in from a command-line program: open the
 * browser on Spotify's consent page, catch the redirect on 127.0.0.1, keep
 * the token in a file, then call /v1/me.
 *
 *   SPOTIFY_SDK_CLIENT_ID=<your app's client id> ./local_login
 *
 * Register http://127.0.0.1:8888/callback as a redirect URI of your app in
 * Spotify's dashboard (or set SPOTIFY_SDK_REDIRECT_URI to the one you
 * registered). The token is kept in ~/.config/spotify-sdk-example/token.json
 * (mode 0600): the next run uses it, or its refresh token, without the
 * browser. Ctrl-C while waiting cancels cleanly. PKCE: no client secret.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <spotify/local_auth.h>
#include <spotify/spotify.h>

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Prints the URL too, for machines where no browser opens (SSH sessions). */
static void show_url(const char *url, void *user)
{
    (void)user;
    fprintf(stderr, "If no browser opens, visit:\n  %s\n", url);
}

/* Logs the user in unless the cache already holds a usable token. */
static spotify_status ensure_login(spotify_auth *auth, spotify_error *err)
{
    spotify_token token = {0};
    if (spotify_auth_token_get(&token, auth, NULL) == SPOTIFY_OK) {
        spotify_token_clear(&token);
        return SPOTIFY_OK; /* cached or refreshed: no browser needed */
    }
    signal(SIGINT, on_sigint);
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.url_handler = show_url;
    lo.cancel_flag = &interrupted;
    return spotify_authorize_local(NULL, auth, &lo, err);
}

static spotify_status print_me(spotify_auth *auth, spotify_error *err)
{
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.auth = auth;
    spotify_client *client = NULL;
    spotify_status st = spotify_client_new(&client, &opts, err);
    if (st != SPOTIFY_OK)
        return st;
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    spotify_response *response = NULL;
    st = spotify_client_send(&response, client, &request, err);
    if (st == SPOTIFY_OK)
        printf("%s\n", response->body);
    spotify_response_free(response);
    spotify_client_free(client);
    return st;
}

int main(void)
{
    spotify_error err = {0};
    if (spotify_global_init(&err) != SPOTIFY_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    spotify_token_cache *cache = NULL;
    spotify_auth *auth = NULL;
    spotify_status st =
        spotify_token_cache_file_new(&cache, "~/.config/spotify-sdk-example/token.json", &err);
    if (st == SPOTIFY_OK) {
        spotify_auth_options o = SPOTIFY_AUTH_OPTIONS_INIT;
        o.client_id = NULL; /* $SPOTIFY_SDK_CLIENT_ID */
        o.redirect_uri = getenv("SPOTIFY_SDK_REDIRECT_URI") != NULL
                             ? NULL /* taken from the environment */
                             : "http://127.0.0.1:8888/callback";
        o.scope = "user-read-private user-read-email";
        o.token_cache = cache;
        st = spotify_auth_pkce_new(&auth, &o, &err);
    }
    if (st == SPOTIFY_OK)
        st = ensure_login(auth, &err);
    if (st == SPOTIFY_OK)
        st = print_me(auth, &err);
    if (st != SPOTIFY_OK)
        fprintf(stderr, "%s: %s\n", spotify_status_category(st), err.message);
    spotify_auth_free(auth);
    spotify_token_cache_free(cache);
    spotify_global_cleanup();
    return st == SPOTIFY_OK ? 0 : 1;
}
