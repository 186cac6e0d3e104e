/* SPDX-License-Identifier: Apache-2.0 */
/*
 * authorization_code.c - user login without a local helper: print the
 * consent URL, read back the URL the browser was redirected to, exchange the
 * code, keep the tokens in a file and call /me. Later runs reuse the file
 * and refresh the token when it expires.
 *
 *   export SPOTIFY_SDK_CLIENT_ID=... SPOTIFY_SDK_CLIENT_SECRET=...
 *   export SPOTIFY_SDK_REDIRECT_URI=http://127.0.0.1:8888/callback
 *   ./authorization_code            # add --pkce for an app without a secret
 */
#include <spotify/spotify.h>

#include <stdio.h>
#include <string.h>

/* Asks the user to open the URL and paste the redirect; returns the code. */
static spotify_status login(spotify_auth *auth, spotify_error *err)
{
    char *state = NULL; /* a fresh random value per login: it protects against CSRF */
    spotify_status st = spotify_auth_state_new(&state, err);
    if (st != SPOTIFY_OK)
        return st;
    spotify_authorize_url_options url_opts = SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT;
    url_opts.state = state;
    char *url = NULL;
    st = spotify_auth_authorize_url(&url, auth, &url_opts, err);
    if (st != SPOTIFY_OK) {
        spotify_free(state);
        return st;
    }
    printf("Open this URL, approve, then paste the address you land on:\n%s\n> ", url);
    spotify_free(url);
    char callback[4096];
    if (fgets(callback, sizeof callback, stdin) == NULL) {
        spotify_free(state);
        return SPOTIFY_ECANCELLED;
    }
    callback[strcspn(callback, "\r\n")] = '\0';
    char *code = NULL;
    st = spotify_auth_callback_parse(&code, callback, state, err);
    spotify_free(state);
    if (st == SPOTIFY_OK)
        st = spotify_auth_exchange(NULL, auth, code, err);
    spotify_free_secret(code);
    return st;
}

int main(int argc, char **argv)
{
    int pkce = argc > 1 && strcmp(argv[1], "--pkce") == 0;
    spotify_error err = {0};
    spotify_global_init(&err);
    spotify_token_cache *cache = NULL;
    spotify_auth *auth = NULL;
    spotify_client *client = NULL;
    spotify_auth_options auth_opts = SPOTIFY_AUTH_OPTIONS_INIT;
    auth_opts.scope = "user-read-private user-read-email";
    spotify_status st = spotify_token_cache_file_new(&cache, "~/.config/example/token.json", &err);
    auth_opts.token_cache = cache;
    if (st == SPOTIFY_OK)
        st = pkce ? spotify_auth_pkce_new(&auth, &auth_opts, &err)
                  : spotify_auth_code_new(&auth, &auth_opts, &err);
    /* A token from an earlier run? Otherwise log in. */
    spotify_token token = {0};
    if (st == SPOTIFY_OK && spotify_auth_token_get(&token, auth, NULL) != SPOTIFY_OK)
        st = login(auth, &err);
    spotify_token_clear(&token);

    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.auth = auth; /* borrowed: freed below, after the client */
    if (st == SPOTIFY_OK)
        st = spotify_client_new(&client, &opts, &err);
    spotify_response *me = NULL;
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = "/me";
    if (st == SPOTIFY_OK)
        st = spotify_client_send(&me, client, &request, &err);
    if (st == SPOTIFY_OK)
        printf("%s\n", me->body);
    else
        fprintf(stderr, "%s: %s\n", spotify_status_category(st), err.message);
    spotify_response_free(me);
    spotify_client_free(client);
    spotify_auth_free(auth);
    spotify_token_cache_free(cache);
    spotify_global_cleanup();
    return st == SPOTIFY_OK ? 0 : 1;
}
