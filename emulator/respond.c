/* SPDX-License-Identifier: Apache-2.0 */
/*
 * respond.c - emu_request accessors and emu_reply helpers: the two Spotify
 * error shapes, JSON, HTML and redirects.
 */
#include "request.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "json/json_write.h"

#define OOM_BODY "{\"error\":{\"status\":500,\"message\":\"Out of memory\"}}"

const char *emu_request_header(const emu_request *req, const char *name)
{
    return req->header_fn == NULL ? NULL : req->header_fn(req->conn, name);
}

const emu_form *emu_request_query(emu_request *req)
{
    if (!req->query_parsed) {
        req->query_parsed = true;
        req->query_bad =
            emu_form_parse(&req->query_form, req->query, strlen(req->query)) != EMU_FORM_OK;
        if (req->web_api)
            emu_form_drop_empty(&req->query_form);
    }
    return req->query_bad ? NULL : &req->query_form;
}

void emu_request_release(emu_request *req)
{
    for (size_t i = 0; i < req->param_count; i++) {
        spotify__free(req->params[i]);
        req->params[i] = NULL;
    }
    req->param_count = 0;
    if (req->query_parsed)
        emu_form_free(&req->query_form);
    req->query_parsed = false;
}

emu_text_status emu_json_text(spotify__json obj, const char *key, size_t max_chars,
                              const char **out)
{
    spotify__json v = spotify__json_get(obj, key);
    if (!spotify__json_valid(v))
        return EMU_TEXT_ABSENT;
    const char *text;
    size_t len;
    if (!spotify__json_get_string(v, &text, &len))
        return EMU_TEXT_NOT_STRING;
    if (memchr(text, '\0', len) != NULL)
        return EMU_TEXT_NUL;
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)text[i] & 0xC0) != 0x80; /* not a continuation byte */
    if (max_chars > 0 && chars > max_chars)
        return EMU_TEXT_TOO_LONG;
    *out = text;
    return EMU_TEXT_OK;
}

void emu_text_problem(emu_text_status status, const char *what, size_t max_chars, char *out,
                      size_t size)
{
    if (status == EMU_TEXT_NUL)
        snprintf(out, size, "%s must not contain a NUL character", what);
    else if (status == EMU_TEXT_TOO_LONG)
        snprintf(out, size, "%s is too long (at most %zu characters)", what, max_chars);
    else
        snprintf(out, size, "%s must be a string", what);
}

void emu_reply_init(emu_reply *reply)
{
    memset(reply, 0, sizeof *reply);
    spotify__strbuf_init(&reply->body);
    reply->retry_after = -1;
}

void emu_reply_release(emu_reply *reply)
{
    spotify__strbuf_release_secret(&reply->body); /* bodies carry tokens */
    spotify__free(reply->location);
    reply->location = NULL;
}

void emu_reply_json(emu_reply *reply, int status)
{
    reply->content_type = "application/json; charset=utf-8";
    reply->status = status;
    if (reply->body.failed) {
        spotify__strbuf_release(&reply->body);
        emu_reply_json_static(reply, 500, OOM_BODY, sizeof OOM_BODY - 1);
    }
}

void emu_reply_no_content(emu_reply *reply)
{
    reply->status = 204;
    reply->content_type = NULL;
}

void emu_reply_json_static(emu_reply *reply, int status, const char *json, size_t len)
{
    reply->content_type = "application/json; charset=utf-8";
    reply->status = status;
    reply->static_body = json;
    reply->static_len = len;
}

void emu_reply_api_error_reason(emu_reply *reply, int status, const char *message,
                                const char *reason)
{
    spotify__strbuf_reset(&reply->body);
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "error");
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "status");
    spotify__jw_int64(&w, status);
    spotify__jw_key(&w, "message");
    spotify__jw_cstring(&w, message);
    if (reason != NULL) {
        spotify__jw_key(&w, "reason");
        spotify__jw_cstring(&w, reason);
    }
    spotify__jw_end_object(&w);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, status);
}

void emu_reply_api_error(emu_reply *reply, int status, const char *message)
{
    emu_reply_api_error_reason(reply, status, message, NULL);
}

void emu_reply_oauth_error(emu_reply *reply, int status, const char *error, const char *description)
{
    spotify__strbuf_reset(&reply->body);
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "error");
    spotify__jw_cstring(&w, error);
    if (description != NULL) {
        spotify__jw_key(&w, "error_description");
        spotify__jw_cstring(&w, description);
    }
    spotify__jw_end_object(&w);
    emu_reply_json(reply, status);
}

void emu_reply_html(emu_reply *reply, int status)
{
    reply->content_type = "text/html; charset=utf-8";
    reply->status = status;
    if (reply->body.failed) {
        spotify__strbuf_release(&reply->body);
        emu_reply_json_static(reply, 500, OOM_BODY, sizeof OOM_BODY - 1);
    }
}

void emu_reply_redirect(emu_reply *reply, int status, const char *location)
{
    spotify__free(reply->location);
    reply->location = spotify__strdup(location);
    if (reply->location == NULL) {
        emu_reply_json_static(reply, 500, OOM_BODY, sizeof OOM_BODY - 1);
        return;
    }
    reply->status = status;
    reply->content_type = "text/plain; charset=utf-8";
}

void emu_html_escape(spotify__strbuf *sb, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        switch (*s) {
        case '&':
            spotify__strbuf_append_str(sb, "&amp;");
            break;
        case '<':
            spotify__strbuf_append_str(sb, "&lt;");
            break;
        case '>':
            spotify__strbuf_append_str(sb, "&gt;");
            break;
        case '"':
            spotify__strbuf_append_str(sb, "&quot;");
            break;
        case '\'':
            spotify__strbuf_append_str(sb, "&#39;");
            break;
        default:
            spotify__strbuf_append_char(sb, *s);
        }
    }
}
