/*
 * api_catalog.c - GET /v1/albums/{id}, /v1/artists/{id}, /v1/tracks/{id}:
 * the pre-rendered catalog objects. The market parameter is accepted and
 * ignored (every catalog item is available everywhere).
 */
#include <string.h>

#include "api.h"

void emu_api_album(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_api_serve_item(app, req, reply, EMU_ALBUM);
}

void emu_api_artist(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_api_serve_item(app, req, reply, EMU_ARTIST);
}

void emu_api_track(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_api_serve_item(app, req, reply, EMU_TRACK);
}

void emu_api_album_tracks(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_page page;
    if (!emu_api_authorize(app, req, reply, &grant) || !emu_api_id_param(req, reply, 0) ||
        !emu_api_page_params(req, reply, 20, 50, &page))
        return;
    const emu_item *album =
        emu_catalog_find(app->catalog, EMU_ALBUM, req->params[0], strlen(req->params[0]), NULL);
    if (album == NULL) {
        emu_reply_api_error(reply, 404, "Non existing id");
        return;
    }
    page.total = album->track_count;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    emu_api_page_begin(&w, app, req, &page);
    for (size_t i = page.offset; i < page.total && i < page.offset + page.limit; i++)
        spotify__jw_value(&w,
                          emu_catalog_at(app->catalog, EMU_TRACK, album->tracks[i])->simplified);
    emu_api_page_end(&w, app, req, &page);
    emu_reply_json(reply, 200);
}
