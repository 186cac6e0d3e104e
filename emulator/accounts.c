/* SPDX-License-Identifier: Apache-2.0 */
/*
 * accounts.c - the accounts service: /authorize with its consent page,
 * the decision form, and /api/token with its three grants.
 */
#include "accounts.h"

#include <string.h>
#include <strings.h>

#include "authorize.h"
#include "core/alloc.h"
#include "core/urlencode.h"
#include "json/json_write.h"
#include "oauth.h"

#define FORM_TYPE "application/x-www-form-urlencoded"

/* How the client proved who it is at the token endpoint. */
typedef enum client_auth {
    AUTH_ID_ONLY, /* client_id alone (public clients, PKCE) */
    AUTH_SECRET   /* Basic header, or client_id + client_secret in the body */
} client_auth;

/* ---- shared helpers ---- */

/* True when the request's Content-Type is a form (parameters allowed). */
static bool is_form(const emu_request *req)
{
    const char *type = emu_request_header(req, "Content-Type");
    size_t n = sizeof FORM_TYPE - 1;
    return type != NULL && strncasecmp(type, FORM_TYPE, n) == 0 &&
           (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/* Appends "?k=v&..." (or "&..." when `base` has a query) to `base`. */
static bool build_redirect(spotify__strbuf *sb, const char *base, const spotify__param *params,
                           size_t count)
{
    spotify__strbuf_append_str(sb, base);
    spotify__strbuf_append_char(sb, strchr(base, '?') != NULL ? '&' : '?');
    return spotify__form_encode(sb, params, count);
}

/* Redirects to `base` with `params` added to its query. */
static void redirect_with(emu_reply *reply, int status, const char *base,
                          const spotify__param *params, size_t count)
{
    spotify__strbuf url = SPOTIFY__STRBUF_INIT;
    if (build_redirect(&url, base, params, count))
        emu_reply_redirect(reply, status, spotify__strbuf_cstr(&url));
    else
        emu_reply_api_error(reply, 500, "Out of memory");
    spotify__strbuf_release_secret(&url);
}

static const char PAGE_HEAD[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>spotify-emulator</title><style>"
    "body{font-family:sans-serif;background:#121212;color:#fff;display:flex;"
    "justify-content:center;padding:3em 1em}main{max-width:28em}"
    "h1{font-size:1.4em}li{margin:.3em 0}button{font-size:1em;padding:.6em 2em;"
    "border-radius:2em;border:0;margin:.5em .5em 0 0;cursor:pointer}"
    "button[value=approve]{background:#1ed760}.note{color:#aaa;font-size:.85em}"
    "</style></head><body><main>\n";
static const char PAGE_TAIL[] =
    "<p class=\"note\">Served by spotify-emulator, a local stand-in for Spotify.</p>"
    "</main></body></html>\n";

/* An HTML error page (the user sees it; nothing is redirected). */
static void error_page(emu_reply *reply, int status, const char *heading, const char *text)
{
    spotify__strbuf *sb = &reply->body;
    spotify__strbuf_append_str(sb, PAGE_HEAD);
    spotify__strbuf_append_str(sb, "<h1>");
    emu_html_escape(sb, heading);
    spotify__strbuf_append_str(sb, "</h1>\n<p id=\"error\">");
    emu_html_escape(sb, text);
    spotify__strbuf_append_str(sb, "</p>\n");
    spotify__strbuf_append_str(sb, PAGE_TAIL);
    emu_reply_html(reply, status);
}

/* The consent page: who asks, for what, and an Approve / Deny form. */
static void consent_page(emu_app *app, emu_reply *reply, const emu_authz *authz,
                         const char *request_id)
{
    const emu_user_profile *user = emu_registry_user_at(app->registry, authz->client->user);
    spotify__strbuf *sb = &reply->body;
    spotify__strbuf_append_str(sb, PAGE_HEAD);
    spotify__strbuf_append_str(sb, "<h1 id=\"client\">");
    emu_html_escape(sb, authz->client->name);
    spotify__strbuf_append_str(sb, "</h1>\n<p>wants to access the account of <strong "
                                   "id=\"user\">");
    emu_html_escape(sb, user->display_name);
    spotify__strbuf_append_str(sb, "</strong>.</p>\n<ul id=\"scopes\">");
    for (int i = 0; i < EMU_SCOPE_COUNT; i++) {
        if ((authz->scopes & (UINT32_C(1) << i)) == 0)
            continue;
        spotify__strbuf_append_str(sb, "<li>");
        spotify__strbuf_append_str(sb, emu_scope_name(i));
        spotify__strbuf_append_str(sb, "</li>");
    }
    if (authz->scopes == 0)
        spotify__strbuf_append_str(sb, "<li>Public profile information</li>");
    spotify__strbuf_append_str(sb, "</ul>\n<form method=\"post\" action=\"/authorize/decision\">"
                                   "<input type=\"hidden\" name=\"request_id\" value=\"");
    spotify__strbuf_append_str(sb, request_id); /* base64url: nothing to escape */
    spotify__strbuf_append_str(sb, "\"><button type=\"submit\" name=\"decision\" "
                                   "value=\"approve\">Approve</button><button type=\"submit\" "
                                   "name=\"decision\" value=\"deny\">Deny</button></form>\n");
    spotify__strbuf_append_str(sb, PAGE_TAIL);
    emu_reply_html(reply, 200);
}

/* Issues a code for an approved request and redirects back with it. */
static void approve(emu_app *app, emu_reply *reply, int status, const emu_grant *grant,
                    const char *redirect_uri, const char *state, const char *challenge)
{
    char code[EMU_SECRET_LEN + 1];
    if (!emu_state_issue_code(app->state, grant, redirect_uri, challenge, code)) {
        emu_reply_api_error(reply, 500, "Could not issue a code");
        return;
    }
    spotify__param params[2] = {{"code", code}, {"state", state}};
    redirect_with(reply, status, redirect_uri, params, 2);
}

/* ---- GET /authorize ---- */

void emu_accounts_authorize(emu_app *app, emu_request *req, emu_reply *reply)
{
    const emu_form *query = emu_request_query(req);
    if (query == NULL) {
        error_page(reply, 400, "Error", "Malformed query string");
        return;
    }
    emu_authz authz;
    bool strict = atomic_load(&app->settings.strict_redirects);
    emu_authz_outcome outcome = emu_authorize_validate(query, app->registry, strict, &authz);
    if (outcome == EMU_AUTHZ_PAGE_ERROR) {
        error_page(reply, 400, "INVALID_CLIENT", authz.description);
        return;
    }
    if (outcome == EMU_AUTHZ_REDIRECT_ERROR) {
        spotify__param params[3] = {{"error", authz.error},
                                    {"error_description", authz.description},
                                    {"state", authz.state}};
        redirect_with(reply, 302, authz.redirect_uri, params, 3);
        return;
    }
    emu_grant grant = {authz.client_index, authz.client->user, authz.scopes,
                       authz.code_challenge != NULL};
    if (atomic_load(&app->settings.auto_approve)) {
        approve(app, reply, 302, &grant, authz.redirect_uri, authz.state, authz.code_challenge);
        return;
    }
    char request_id[EMU_SECRET_LEN + 1];
    if (!emu_state_add_consent(app->state, &grant, authz.redirect_uri, authz.state,
                               authz.code_challenge, request_id)) {
        emu_reply_api_error(reply, 500, "Out of memory");
        return;
    }
    consent_page(app, reply, &authz, request_id);
}

/* ---- POST /authorize/decision ---- */

void emu_accounts_decision(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_form form;
    if (!is_form(req) || emu_form_parse(&form, req->body, req->body_len) != EMU_FORM_OK) {
        error_page(reply, 400, "Error", "Expected the consent form");
        return;
    }
    const char *id = emu_form_get(&form, "request_id");
    const char *decision = emu_form_get(&form, "decision");
    emu_consent consent;
    bool known_decision =
        decision != NULL && (strcmp(decision, "approve") == 0 || strcmp(decision, "deny") == 0);
    if (!known_decision) {
        error_page(reply, 400, "Error", "decision must be approve or deny");
    } else if (id == NULL || !emu_state_take_consent(app->state, id, &consent)) {
        error_page(reply, 400, "Error",
                   "This authorization request has expired or was already answered");
    } else {
        if (strcmp(decision, "approve") == 0) {
            approve(app, reply, 303, &consent.grant, consent.redirect_uri, consent.state,
                    consent.code_challenge);
        } else {
            spotify__param params[2] = {{"error", "access_denied"}, {"state", consent.state}};
            redirect_with(reply, 303, consent.redirect_uri, params, 2);
        }
        emu_consent_clear(&consent);
    }
    emu_form_free(&form);
}

/* ---- POST /api/token ---- */

/* Compares secrets without leaking where they differ. */
static bool secret_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;
    for (size_t i = 0; i < la && i < lb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* Checks a claimed id/secret pair; fills the reply on failure. */
static bool check_secret(emu_app *app, const char *id, const char *secret, size_t *client,
                         emu_reply *reply)
{
    const emu_client *c = emu_registry_client(app->registry, id, client);
    if (c == NULL) {
        emu_reply_oauth_error(reply, 400, "invalid_client", "Invalid client");
        return false;
    }
    if (c->secret == NULL || !secret_equal(c->secret, secret)) {
        emu_reply_oauth_error(reply, 400, "invalid_client", "Invalid client secret");
        return false;
    }
    return true;
}

/* Authenticates the client by Basic header, body secret or body id. */
static bool authenticate(emu_app *app, const emu_request *req, const emu_form *form, size_t *client,
                         client_auth *auth, emu_reply *reply)
{
    const char *header = emu_request_header(req, "Authorization");
    const char *body_id = emu_form_get(form, "client_id");
    const char *body_secret = emu_form_get(form, "client_secret");
    *auth = AUTH_SECRET;
    if (header != NULL) {
        spotify__strbuf id = SPOTIFY__STRBUF_INIT, secret = SPOTIFY__STRBUF_INIT;
        bool ok = false;
        if (body_secret != NULL)
            emu_reply_oauth_error(reply, 400, "invalid_request",
                                  "Use one client authentication method, not two");
        else if (!emu_basic_decode(header, &id, &secret) ||
                 (body_id != NULL && strcmp(body_id, spotify__strbuf_cstr(&id)) != 0))
            emu_reply_oauth_error(reply, 400, "invalid_client", "Invalid client");
        else
            ok = check_secret(app, spotify__strbuf_cstr(&id), spotify__strbuf_cstr(&secret), client,
                              reply);
        spotify__strbuf_release_secret(&id);
        spotify__strbuf_release_secret(&secret);
        return ok;
    }
    if (body_id == NULL) {
        emu_reply_oauth_error(reply, 400, "invalid_client", "Invalid client");
        return false;
    }
    if (body_secret != NULL)
        return check_secret(app, body_id, body_secret, client, reply);
    if (emu_registry_client(app->registry, body_id, client) == NULL) {
        emu_reply_oauth_error(reply, 400, "invalid_client", "Invalid client");
        return false;
    }
    *auth = AUTH_ID_ONLY;
    return true;
}

void emu_reply_token(emu_reply *reply, const char *access, const char *refresh, int64_t lifetime,
                     const uint32_t *scopes)
{
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "access_token");
    spotify__jw_cstring(&w, access);
    spotify__jw_key(&w, "token_type");
    spotify__jw_cstring(&w, "Bearer");
    spotify__jw_key(&w, "expires_in");
    spotify__jw_int64(&w, lifetime);
    if (refresh != NULL) {
        spotify__jw_key(&w, "refresh_token");
        spotify__jw_cstring(&w, refresh);
    }
    if (scopes != NULL) {
        spotify__strbuf scope = SPOTIFY__STRBUF_INIT;
        emu_scopes_format(&scope, *scopes);
        spotify__jw_key(&w, "scope");
        spotify__jw_string(&w, spotify__strbuf_cstr(&scope), scope.len);
        spotify__strbuf_release(&scope);
    }
    spotify__jw_end_object(&w);
    reply->no_store = true;
    emu_reply_json(reply, 200);
}

/* Issues an access token for `grant` and answers with it; refresh_token may
 * be NULL. */
static void token_response(emu_app *app, emu_reply *reply, const emu_grant *grant,
                           const char *refresh_token, bool with_scope)
{
    int lifetime = atomic_load(&app->settings.token_lifetime_s);
    char access[EMU_SECRET_LEN + 1];
    if (!emu_state_issue_access(app->state, grant, lifetime, access)) {
        emu_reply_oauth_error(reply, 500, "server_error", "Could not issue a token");
        return;
    }
    emu_reply_token(reply, access, refresh_token, lifetime, with_scope ? &grant->scopes : NULL);
    spotify__wipe(access, sizeof access);
}

static void grant_client_credentials(emu_app *app, emu_reply *reply, size_t client,
                                     client_auth auth)
{
    if (auth != AUTH_SECRET) {
        emu_reply_oauth_error(reply, 400, "invalid_client", "Invalid client secret");
        return;
    }
    emu_grant grant = {client, EMU_NO_USER, 0, false};
    token_response(app, reply, &grant, NULL, false);
}

/* What a code redemption must match; the check's verdict lands here. */
typedef struct code_check {
    size_t client;
    const char *redirect_uri;
    const char *verifier;
    client_auth auth;
    const char *error;
    const char *description;
} code_check;

static int reject(code_check *c, const char *error, const char *description)
{
    c->error = error;
    c->description = description;
    return 1;
}

static int check_code(const emu_code_view *code, void *user)
{
    code_check *c = user;
    if (code->grant.client != c->client)
        return reject(c, "invalid_grant", "Invalid authorization code");
    if (strcmp(code->redirect_uri, c->redirect_uri) != 0)
        return reject(c, "invalid_grant", "Invalid redirect URI");
    if (code->code_challenge != NULL) {
        if (c->verifier == NULL)
            return reject(c, "invalid_request", "code_verifier required");
        if (!emu_pkce_verify(c->verifier, code->code_challenge))
            return reject(c, "invalid_grant", "code_verifier was incorrect");
        return 0;
    }
    if (c->verifier != NULL)
        return reject(c, "invalid_grant", "code_verifier was incorrect");
    if (c->auth != AUTH_SECRET)
        return reject(c, "invalid_client", "Invalid client secret");
    return 0;
}

static void grant_authorization_code(emu_app *app, const emu_form *form, emu_reply *reply,
                                     size_t client, client_auth auth)
{
    const char *code = emu_form_get(form, "code");
    const char *redirect_uri = emu_form_get(form, "redirect_uri");
    if (code == NULL || code[0] == '\0') {
        emu_reply_oauth_error(reply, 400, "invalid_request", "code must be supplied");
        return;
    }
    if (redirect_uri == NULL) {
        emu_reply_oauth_error(reply, 400, "invalid_request", "redirect_uri must be supplied");
        return;
    }
    code_check check = {client, redirect_uri, emu_form_get(form, "code_verifier"),
                        auth,   NULL,         NULL};
    int verdict = 0;
    emu_grant grant;
    emu_code_result result =
        emu_state_redeem_code(app->state, code, check_code, &check, &verdict, &grant);
    if (result == EMU_CODE_UNKNOWN) {
        emu_reply_oauth_error(reply, 400, "invalid_grant", "Invalid authorization code");
        return;
    }
    if (result == EMU_CODE_EXPIRED) {
        emu_reply_oauth_error(reply, 400, "invalid_grant", "Authorization code expired");
        return;
    }
    if (result == EMU_CODE_REJECTED) {
        emu_reply_oauth_error(reply, 400, check.error, check.description);
        return;
    }
    grant.pkce = auth != AUTH_SECRET;
    char refresh[EMU_SECRET_LEN + 1];
    if (!emu_state_issue_refresh(app->state, &grant, refresh)) {
        emu_reply_oauth_error(reply, 500, "server_error", "Could not issue a token");
        return;
    }
    token_response(app, reply, &grant, refresh, true);
    spotify__wipe(refresh, sizeof refresh);
}

static void grant_refresh_token(emu_app *app, const emu_form *form, emu_reply *reply, size_t client,
                                client_auth auth)
{
    const char *token = emu_form_get(form, "refresh_token");
    emu_grant grant;
    if (token == NULL || token[0] == '\0') {
        emu_reply_oauth_error(reply, 400, "invalid_request", "refresh_token must be supplied");
        return;
    }
    if (!emu_state_lookup_refresh(app->state, token, &grant) || grant.client != client) {
        emu_reply_oauth_error(reply, 400, "invalid_grant", "Invalid refresh token");
        return;
    }
    if (auth != AUTH_SECRET && !grant.pkce) {
        emu_reply_oauth_error(reply, 400, "invalid_client", "Invalid client secret");
        return;
    }
    char rotated[EMU_SECRET_LEN + 1];
    bool rotate = atomic_load(&app->settings.rotate_refresh_tokens);
    if (rotate && !emu_state_rotate_refresh(app->state, token, rotated)) {
        emu_reply_oauth_error(reply, 400, "invalid_grant", "Invalid refresh token");
        return;
    }
    token_response(app, reply, &grant, rotate ? rotated : NULL, true);
    spotify__wipe(rotated, sizeof rotated);
}

static emu_grant_type grant_type_of(const char *name)
{
    if (name == NULL)
        return EMU_GRANT_OTHER;
    if (strcmp(name, "client_credentials") == 0)
        return EMU_GRANT_CLIENT_CREDENTIALS;
    if (strcmp(name, "authorization_code") == 0)
        return EMU_GRANT_AUTHORIZATION_CODE;
    if (strcmp(name, "refresh_token") == 0)
        return EMU_GRANT_REFRESH_TOKEN;
    return EMU_GRANT_OTHER;
}

static void run_grant(emu_app *app, const emu_form *form, emu_reply *reply, emu_grant_type type,
                      size_t client, client_auth auth)
{
    if (type == EMU_GRANT_CLIENT_CREDENTIALS)
        grant_client_credentials(app, reply, client, auth);
    else if (type == EMU_GRANT_AUTHORIZATION_CODE)
        grant_authorization_code(app, form, reply, client, auth);
    else
        grant_refresh_token(app, form, reply, client, auth);
}

/* Rejects bodies that are not a well-formed form; false when rejected. */
static bool parse_token_form(const emu_request *req, emu_form *form, emu_reply *reply)
{
    static const char *const single[] = {
        "grant_type",    "code",          "redirect_uri",  "client_id",
        "client_secret", "code_verifier", "refresh_token", NULL};
    if (!is_form(req)) {
        emu_reply_oauth_error(reply, 400, "invalid_request", "Content-Type must be " FORM_TYPE);
        return false;
    }
    emu_form_status st = emu_form_parse(form, req->body, req->body_len);
    if (st != EMU_FORM_OK) {
        emu_reply_oauth_error(reply, 400, "invalid_request", "Malformed request body");
        return false;
    }
    if (emu_form_repeated(form, single) != NULL) {
        emu_reply_oauth_error(reply, 400, "invalid_request", "A parameter is repeated");
        emu_form_free(form);
        return false;
    }
    return true;
}

void emu_accounts_token(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_form form;
    if (!parse_token_form(req, &form, reply)) {
        emu_stats_count_grant(app->stats, EMU_GRANT_OTHER);
        return;
    }
    const char *name = emu_form_get(&form, "grant_type");
    emu_grant_type type = grant_type_of(name);
    emu_stats_count_grant(app->stats, type);
    size_t client = 0;
    client_auth auth = AUTH_ID_ONLY;
    if (name == NULL)
        emu_reply_oauth_error(reply, 400, "unsupported_grant_type",
                              "grant_type parameter is missing");
    else if (type == EMU_GRANT_OTHER)
        emu_reply_oauth_error(reply, 400, "unsupported_grant_type",
                              "grant_type must be client_credentials, authorization_code or "
                              "refresh_token");
    else if (authenticate(app, req, &form, &client, &auth, reply))
        run_grant(app, &form, reply, type, client, auth);
    emu_form_free(&form);
}
