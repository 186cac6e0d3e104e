/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_auth.c - login, logout and token: the token file and the
 * providers behind it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spotctl.h"

static void print_login_url(const char *url, void *user)
{
    (void)user;
    fprintf(stderr, "Open this URL in a browser to log in to Spotify:\n\n    %s\n\n", url);
}

/* "Logged in as Demo User (demo-user)." from GET /me, best effort. */
static int report_login(spotctl_ctx *ctx)
{
    spotify_error err = {0};
    if (spotctl_make_client(ctx, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    spotify_private_user *me = NULL;
    spotify_status st = spotify_me_get(&me, ctx->client, NULL, &err);
    if (ctx->json) {
        if (st == SPOTIFY_OK)
            st = spotctl_print_raw(me, &err);
    } else if (st == SPOTIFY_OK) {
        char name[256], id[128];
        printf("Logged in as %s (%s). Token saved to %s.\n",
               spotctl_clean(name, sizeof name, me->display_name ? me->display_name : "?"),
               spotctl_clean(id, sizeof id, me->id ? me->id : "?"), ctx->cache_shown);
    } else {
        printf("Logged in. Token saved to %s.\n", ctx->cache_shown);
        st = SPOTIFY_OK;
    }
    spotify_model_free(me);
    return st == SPOTIFY_OK ? 0 : spotctl_fail(st, &err, NULL);
}

/* --add-scope: the saved login's scopes (the defaults without one) and
 * the added ones, into `out`; 0 or an exit code. */
static int added_scopes(spotctl_ctx *ctx, const spotctl_args *args, char *out, size_t size)
{
    size_t n = 0;
    const char *const *added = spotctl_args_multi(args, "add-scope", &n);
    spotify_token saved = {0};
    bool found = false;
    spotify_error err = {0};
    if (spotify_token_cache_get(&saved, &found, ctx->cache, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    spotctl_scope_union(out, size,
                        found && saved.scope != NULL && saved.scope[0] != '\0'
                            ? saved.scope
                            : spotctl_default_scopes,
                        added, n);
    spotify_token_clear(&saved);
    return 0;
}

/* --paste: the authorization URL for any browser, then the address it was
 * sent to, pasted on stdin; the state is checked, the code exchanged. */
static int login_paste(spotctl_ctx *ctx, const char *redirect_uri, bool pkce)
{
    char *state = NULL, *url = NULL, *code = NULL;
    spotify_error err = {0};
    spotify_authorize_url_options uo = SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT;
    spotify_status st = spotify_auth_state_new(&state, &err);
    uo.state = state;
    if (st == SPOTIFY_OK)
        st = spotify_auth_authorize_url(&url, ctx->auth, &uo, &err);
    if (st != SPOTIFY_OK) {
        spotify_free(state);
        return spotctl_fail(st, &err, NULL);
    }
    fprintf(stderr,
            "Open this URL in a browser, on this machine or any other (%s):\n\n    %s\n\n"
            "After you approve, the browser goes to %s..., which will not load\n"
            "here. Copy the whole address from its address bar and paste it below.\n"
            "Address: ",
            pkce ? "PKCE" : "authorization code", url, redirect_uri);
    fflush(stderr);
    spotify_free(url);
    char line[8192];
    int rc = 0;
    if (fgets(line, sizeof line, stdin) == NULL)
        rc = spotctl_interrupted ? spotctl_fail(SPOTIFY_ECANCELLED, NULL, NULL)
                                 : spotctl_failf(SPOTIFY_EAUTH, "run `spotctl login --paste` again",
                                                 "no address was pasted (end of input)");
    if (rc == 0) {
        line[strcspn(line, "\r\n")] = '\0';
        const char *pasted = line + strspn(line, " \t");
        st = spotify_auth_callback_parse(&code, pasted, state, &err);
        if (st == SPOTIFY_OK)
            st = spotify_auth_exchange(NULL, ctx->auth, code, &err);
        if (st != SPOTIFY_OK)
            rc = spotctl_fail(st, &err,
                              "paste the address the browser went to after you approved, "
                              "from this login (each login makes a new URL)");
    }
    spotify_free_secret(code);
    spotify_free_secret(state);
    explicit_bzero(line, sizeof line);
    return rc;
}

int spotctl_cmd_login(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 0)
        return spotctl_usage("login", "unexpected argument \"%s\"", args->pos[0]);
    const char *scope = spotctl_args_get(args, "scope");
    bool paste = spotctl_args_has(args, "paste");
    if (scope != NULL && spotctl_args_has(args, "add-scope"))
        return spotctl_usage("login", "give --scope (the whole list) or --add-scope, not both");
    if (paste && spotctl_args_has(args, "no-browser"))
        return spotctl_usage("login", "--paste opens no browser already; give one of them");
    if (ctx->env.client_id == NULL)
        return spotctl_failf(SPOTIFY_ECONFIG,
                             "register an app at https://developer.spotify.com/dashboard, add "
                             "the redirect URI, and export SPOTIFY_SDK_CLIENT_ID",
                             "SPOTIFY_SDK_CLIENT_ID is not set");
    bool pkce = spotctl_args_has(args, "pkce") || ctx->env.client_secret == NULL;
    char scopes[2048];
    if (spotctl_args_has(args, "add-scope")) {
        int rc = added_scopes(ctx, args, scopes, sizeof scopes);
        if (rc != 0)
            return rc;
        scope = scopes;
    }

    spotify_auth_options o = SPOTIFY_AUTH_OPTIONS_INIT;
    spotctl_auth_options(ctx, &o);
    o.client_id = ctx->env.client_id;
    o.scope = scope != NULL ? scope : spotctl_default_scopes;
    spotify_error err = {0};
    spotify_status st = pkce ? spotify_auth_pkce_new(&ctx->auth, &o, &err)
                             : spotify_auth_code_new(&ctx->auth, &o, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    if (paste) {
        int rc = login_paste(ctx, o.redirect_uri, pkce);
        return rc != 0 ? rc : report_login(ctx);
    }

    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    lo.cancel_flag = &spotctl_interrupted;
    if (spotctl_args_has(args, "no-browser")) {
        lo.no_browser = true;
        lo.url_handler = print_login_url;
    } else {
        fprintf(stderr, "Opening your browser to log in to Spotify (%s)...\n",
                pkce ? "PKCE" : "authorization code");
    }
    st = spotify_authorize_local(NULL, ctx->auth, &lo, &err);
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err,
                            st == SPOTIFY_EIO ? "set SPOTIFY_SDK_REDIRECT_URI to a free port "
                                                "registered for your app, or log in with --paste"
                                              : NULL);
    return report_login(ctx);
}

int spotctl_cmd_logout(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 0)
        return spotctl_usage("logout", "unexpected argument \"%s\"", args->pos[0]);
    spotify_error err = {0};
    spotify_token token = {0};
    bool found = false;
    if (spotify_token_cache_get(&token, &found, ctx->cache, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    spotify_token_clear(&token);
    if (found && spotify_token_cache_remove(ctx->cache, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    if (ctx->json) {
        spotctl_buf b = {0};
        spotctl_buf_str(&b, "{\"logged_out\":");
        spotctl_buf_str(&b, found ? "true" : "false");
        spotctl_buf_str(&b, ",\"path\":");
        spotctl_buf_json_string(&b, ctx->cache_shown);
        spotctl_buf_str(&b, "}");
        printf("%s\n", b.data ? b.data : "{}");
        spotctl_buf_free(&b);
    } else if (found) {
        printf("Logged out: deleted %s.\n", ctx->cache_shown);
    } else {
        printf("Not logged in (no token at %s).\n", ctx->cache_shown);
    }
    return 0;
}

/* "in 59m 12s" / "3m 4s ago" (pure). */
static void relative_time(char *out, size_t size, double seconds)
{
    long long s = (long long)(seconds < 0 ? -seconds : seconds);
    char span[48];
    if (s >= 3600)
        snprintf(span, sizeof span, "%lldh %02lldm", s / 3600, s / 60 % 60);
    else
        snprintf(span, sizeof span, "%lldm %02llds", s / 60, s % 60);
    if (seconds >= 0)
        snprintf(out, size, "in %s", span);
    else
        snprintf(out, size, "%s ago", span);
}

/* What a command needs beyond the token, into `why` ("user-top-read", "a
 * login"); false when the token allows it (or the scopes are unknown). */
static bool command_needs(char *why, size_t size, const spotctl_command *c, const spotify_token *t,
                          bool user)
{
    why[0] = '\0';
    if (!user && c->needs == SPOTCTL_NEEDS_USER) {
        snprintf(why, size, "a login");
        return true;
    }
    return user && t->scope != NULL && spotctl_command_lacks(why, size, c, t->scope);
}

/* The commands the token allows, and the others with what they need: text
 * lines, or the members "allowed" and "not_allowed" of the JSON object. */
static void print_commands(const spotify_token *t, bool user, spotctl_buf *json)
{
    char name[64], why[512];
    size_t denied = 0;
    if (json != NULL)
        spotctl_buf_str(json, ",\"commands\":{\"allowed\":[");
    for (size_t i = 0, n = 0; json != NULL && i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (c->ops == NULL || command_needs(why, sizeof why, c, t, user))
            continue;
        spotctl_command_name(name, sizeof name, c);
        spotctl_buf_str(json, n++ > 0 ? "," : "");
        spotctl_buf_json_string(json, name);
    }
    if (json != NULL)
        spotctl_buf_str(json, "],\"not_allowed\":{");
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (c->ops == NULL || !command_needs(why, sizeof why, c, t, user))
            continue;
        spotctl_command_name(name, sizeof name, c);
        if (json != NULL) {
            spotctl_buf_str(json, denied++ > 0 ? "," : "");
            spotctl_buf_json_string(json, name);
            spotctl_buf_str(json, ":");
            spotctl_buf_json_string(json, why);
            continue;
        }
        if (denied++ == 0)
            printf("\nCommands these %s do not allow (the rest they do):\n",
                   user ? "scopes" : "app credentials");
        printf("  %-20s needs %s\n", name, why);
    }
    if (json != NULL)
        spotctl_buf_str(json, "}}");
    else if (denied == 0 && t->scope != NULL)
        printf("\nThese scopes allow every command.\n");
    else if (user && denied > 0)
        printf("Add a scope with `spotctl login --add-scope SCOPE`.\n");
}

static void print_status_text(const spotctl_ctx *ctx, const spotify_token *t, bool from_file)
{
    double now = (double)time(NULL);
    char when[64], stamp[64] = "";
    relative_time(when, sizeof when, t->expires_at - now);
    time_t at = (time_t)t->expires_at;
    struct tm tm;
    if (gmtime_r(&at, &tm) != NULL)
        strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S UTC", &tm);
    spotctl_table table;
    spotctl_table_init(&table, NULL, 2); /* key: value, no header */
    char source[1200];
    if (from_file)
        snprintf(source, sizeof source, "saved login (%s)", ctx->cache_shown);
    else if (ctx->app_cache_shown[0] != '\0')
        snprintf(source, sizeof source, "app credentials (client credentials, kept in %s)",
                 ctx->app_cache_shown);
    else
        snprintf(source, sizeof source, "app credentials (client credentials, memory only)");
    char expires[160];
    snprintf(expires, sizeof expires, "%s (%s)%s", when, stamp,
             t->expires_at <= now ? ", refreshed on next use" : "");
    const char *rows[][2] = {
        {"source", source},
        {"flow", spotify_flow_name(t->flow)},
        {"app", t->client_id},
        {"scopes", t->scope != NULL && t->scope[0] ? t->scope : "(none)"},
        {"expires", expires},
        {"refresh token", t->refresh_token != NULL ? "saved (not shown)" : "none"},
        {"access token", t->access_token != NULL ? "present (not shown; --raw prints it)" : "none"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        spotctl_table_add(&table, rows[i]);
    spotctl_table_print(&table, stdout, (size_t)ctx->term_width);
    spotctl_table_free(&table);
    print_commands(t, from_file, NULL);
}

static void print_status_json(const spotctl_ctx *ctx, const spotify_token *t, bool from_file)
{
    double now = (double)time(NULL);
    spotctl_buf b = {0};
    char num[64];
    spotctl_buf_str(&b, "{\"source\":");
    bool redis = spotctl_store_kind_of(ctx->cache_path) == SPOTCTL_STORE_REDIS;
    spotctl_buf_str(&b, !from_file ? "\"client_credentials\",\"path\":"
                        : redis    ? "\"redis\",\"path\":"
                                   : "\"file\",\"path\":");
    spotctl_buf_json_string(&b, from_file                         ? ctx->cache_shown
                                : ctx->app_cache_shown[0] != '\0' ? ctx->app_cache_shown
                                                                  : NULL);
    spotctl_buf_str(&b, ",\"flow\":");
    spotctl_buf_json_string(&b, spotify_flow_name(t->flow));
    spotctl_buf_str(&b, ",\"client_id\":");
    spotctl_buf_json_string(&b, t->client_id);
    spotctl_buf_str(&b, ",\"scope\":");
    spotctl_buf_json_string(&b, t->scope);
    snprintf(num, sizeof num, ",\"expires_at\":%.0f,\"expires_in\":%.0f", t->expires_at,
             t->expires_at - now);
    spotctl_buf_str(&b, num);
    spotctl_buf_str(&b, ",\"expired\":");
    spotctl_buf_str(&b, t->expires_at <= now ? "true" : "false");
    spotctl_buf_str(&b, ",\"has_refresh_token\":");
    spotctl_buf_str(&b, t->refresh_token != NULL ? "true" : "false");
    print_commands(t, from_file, &b);
    spotctl_buf_str(&b, "}");
    printf("%s\n", b.data ? b.data : "{}");
    spotctl_buf_free(&b);
}

int spotctl_cmd_token(spotctl_ctx *ctx, spotctl_args *args)
{
    if (args->npos != 0)
        return spotctl_usage("token", "unexpected argument \"%s\"", args->pos[0]);
    bool raw = spotctl_args_has(args, "raw"), refresh = spotctl_args_has(args, "refresh");
    /* The provider the next command would use (errors say what is missing). */
    int rc = spotctl_session_open(ctx, SPOTCTL_NEEDS_ANY);
    if (rc != 0)
        return rc;
    spotify_error err = {0};
    spotify_status st = SPOTIFY_OK;
    if (refresh)
        st = spotify_auth_refresh(ctx->auth, &err);
    if (st == SPOTIFY_OK && raw) {
        char token[SPOTIFY_ACCESS_TOKEN_MAX];
        st = spotify_auth_access_token_get(token, sizeof token, ctx->auth, &err);
        if (st == SPOTIFY_OK)
            printf("%s\n", token);
        memset(token, 0, sizeof token);
        return st == SPOTIFY_OK ? 0 : spotctl_fail(st, &err, NULL);
    }
    if (st != SPOTIFY_OK)
        return spotctl_fail(st, &err, NULL);
    spotify_token t = {0};
    bool from_file = ctx->creds == SPOTCTL_CREDS_USER;
    if (from_file) {
        bool found = false;
        st = spotify_token_cache_get(&t, &found, ctx->cache, &err);
    } else {
        st = spotify_auth_token_get(&t, ctx->auth, &err); /* app tokens: fetch one */
    }
    if (st != SPOTIFY_OK) {
        spotify_token_clear(&t);
        return spotctl_fail(st, &err, NULL);
    }
    if (t.client_id == NULL)
        spotify_token_set_field(&t.client_id, spotify_auth_client_id(ctx->auth), NULL);
    if (ctx->json)
        print_status_json(ctx, &t, from_file);
    else
        print_status_text(ctx, &t, from_file);
    spotify_token_clear(&t);
    return 0;
}
