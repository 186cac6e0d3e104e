/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_me.c - GET /v1/me: the token's user as a PrivateUserObject. country,
 * product and explicit_content need user-read-private; email needs
 * user-read-email (as on Spotify). GET /v1/users/{id}: any registry user as
 * a PublicUserObject. GET /v1/me/top/{artists,tracks} (user-top-read): the
 * user's followed artists / saved tracks, most popular first; time_range
 * (short_term, medium_term, long_term) is validated and does not change
 * the answer.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"

#include "api.h"
#include "json/json_write.h"
#include "oauth.h"

/* A stable 10-character account_id derived from the user id. */
static void account_id(const char *user_id, char out[11])
{
    static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint64_t h = UINT64_C(1469598103934665603);
    for (const char *p = user_id; *p != '\0'; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    for (int i = 0; i < 10; i++) {
        out[i] = base62[h % 62];
        h /= 62;
    }
    out[10] = '\0';
}

/* "key":"value". */
static void write_string_member(spotify__json_writer *w, const char *key, const char *value)
{
    spotify__jw_key(w, key);
    spotify__jw_cstring(w, value);
}

/* country, explicit_content and product: the user-read-private fields. */
static void write_private_fields(spotify__json_writer *w, const emu_user_profile *u)
{
    write_string_member(w, "country", u->country);
    spotify__jw_key(w, "explicit_content");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "filter_enabled");
    spotify__jw_bool(w, false);
    spotify__jw_key(w, "filter_locked");
    spotify__jw_bool(w, false);
    spotify__jw_end_object(w);
    write_string_member(w, "product", u->product);
}

/* external_urls, followers, href, id, images, type, uri. */
static void write_public_fields(spotify__json_writer *w, const emu_app *app,
                                const emu_user_profile *u)
{
    char text[256];
    spotify__jw_key(w, "external_urls");
    spotify__jw_begin_object(w);
    snprintf(text, sizeof text, "https://open.spotify.com/user/%s", u->id);
    write_string_member(w, "spotify", text);
    spotify__jw_end_object(w);
    spotify__jw_key(w, "followers");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "href");
    spotify__jw_null(w);
    spotify__jw_key(w, "total");
    spotify__jw_int64(w, u->followers);
    spotify__jw_end_object(w);
    snprintf(text, sizeof text, "%s/v1/users/%s", app->base_url, u->id);
    write_string_member(w, "href", text);
    write_string_member(w, "id", u->id);
    spotify__jw_key(w, "images");
    spotify__jw_begin_array(w);
    spotify__jw_end_array(w);
    write_string_member(w, "type", "user");
    snprintf(text, sizeof text, "spotify:user:%s", u->id);
    write_string_member(w, "uri", text);
}

void emu_api_me(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_require_user(app, req, reply, 0, &grant))
        return;
    const emu_user_profile *u = emu_registry_user_at(app->registry, grant.user);
    char account[11];
    account_id(u->id, account);
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    write_string_member(&w, "account_id", account);
    write_string_member(&w, "display_name", u->display_name);
    if ((grant.scopes & EMU_SCOPE(USER_READ_EMAIL)) != 0)
        write_string_member(&w, "email", u->email);
    if ((grant.scopes & EMU_SCOPE(USER_READ_PRIVATE)) != 0)
        write_private_fields(&w, u);
    write_public_fields(&w, app, u);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

void emu_api_user(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_authorize(app, req, reply, &grant))
        return;
    const emu_user_profile *u = emu_registry_user(app->registry, req->params[0], NULL);
    if (u == NULL) {
        emu_reply_api_error(reply, 404, "Non existing id");
        return;
    }
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    write_string_member(&w, "display_name", u->display_name);
    write_public_fields(&w, app, u);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

/* GET /me/top/{type}: a page of the user's library items of `kind`, most
 * popular first. */
static void me_top(emu_app *app, emu_request *req, emu_reply *reply, emu_kind kind)
{
    emu_grant grant;
    emu_page page;
    if (!emu_api_require_user(app, req, reply, EMU_SCOPE(USER_TOP_READ), &grant) ||
        !emu_api_page_params(req, reply, &page))
        return;
    const char *range = emu_form_get(emu_request_query(req), "time_range");
    if (range != NULL && strcmp(range, "short_term") != 0 && strcmp(range, "medium_term") != 0 &&
        strcmp(range, "long_term") != 0) {
        emu_reply_api_error(reply, 400, "Invalid time range");
        return;
    }
    emu_state_lock(app->state);
    const emu_user_data *u = emu_state_user(app->state, grant.user);
    size_t *items = spotify__calloc(u->library_count + 1, sizeof *items);
    size_t count = 0;
    for (size_t i = 0; items != NULL && i < u->library_count; i++)
        if (u->library[i].kind == kind)
            items[count++] = u->library[i].index;
    emu_state_unlock(app->state);
    if (items == NULL) {
        emu_reply_api_error(reply, 500, "Out of memory");
        return;
    }
    emu_api_sort_by_popularity(app->catalog, kind, items, count);
    page.total = count;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    emu_api_page_begin(&w, app, req, &page);
    for (size_t i = page.offset; i < count && i < page.offset + page.limit; i++)
        spotify__jw_value(&w, emu_catalog_at(app->catalog, kind, items[i])->full);
    emu_api_page_end(&w, app, req, &page);
    spotify__free(items);
    emu_reply_json(reply, 200);
}

void emu_api_top_artists(emu_app *app, emu_request *req, emu_reply *reply)
{
    me_top(app, req, reply, EMU_ARTIST);
}

void emu_api_top_tracks(emu_app *app, emu_request *req, emu_reply *reply)
{
    me_top(app, req, reply, EMU_TRACK);
}
