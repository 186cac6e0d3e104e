/* SPDX-License-Identifier: Apache-2.0 */
/*
 * request.h - one HTTP request as handlers see it (emu_request) and the
 * answer they build (emu_reply), independent of libmicrohttpd.
 *
 * The server (server.c) fills an emu_request, calls the route's handler,
 * and turns the emu_reply into a response. Handlers never touch MHD.
 *
 * Ownership: the server owns the request and everything it points to for
 * the duration of the handler call; a reply owns its body and location.
 * Threads: a request and its reply belong to the thread running the handler.
 */
#ifndef SPOTIFY_EMULATOR_REQUEST_H
#define SPOTIFY_EMULATOR_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"
#include "form.h"
#include "json/json.h"

#define EMU_MAX_PARAMS 4

struct emu_route;

/* Looks up a request header (case-insensitive); NULL when absent. */
typedef const char *(*emu_header_fn)(void *conn, const char *name);

typedef struct emu_request {
    const char *method; /* "GET", "POST"... */
    const char *path;   /* as sent, not decoded, without the query */
    size_t path_len;    /* without the query and a trailing slash */
    bool web_api;       /* under /v1/: empty query values read as absent */
    const char *query;  /* raw query string after '?', "" when none */
    const char *body;   /* NUL-terminated, body_len bytes */
    size_t body_len;
    const struct emu_route *route;
    char *params[EMU_MAX_PARAMS]; /* the {param} segments, percent-decoded */
    size_t param_count;
    emu_header_fn header_fn;
    void *conn;
    /* query parsed on first use by emu_request_query() */
    emu_form query_form;
    bool query_parsed;
    bool query_bad;
    bool rate_counted; /* the rate limiter has seen this request */
    /* the market the request asked for ("SE"; from_token resolved to the
     * user's country), "" when none: set by emu_api_authorize */
    char market[3];
} emu_request;

/* The value of header `name`, or NULL. */
const char *emu_request_header(const emu_request *req, const char *name);
/* The decoded query string, parsed once; NULL when it is malformed. On the
 * Web API a parameter with an empty value ("market=") is left out, as if
 * it had not been sent (docs/emulator.md, "Leniency"). */
const emu_form *emu_request_query(emu_request *req);
/* Frees what the request owns (params, parsed query). */
void emu_request_release(emu_request *req);

/* What a text member of a JSON request body holds (emu_json_text). */
typedef enum emu_text_status {
    EMU_TEXT_OK = 0,
    EMU_TEXT_ABSENT,     /* no such member (or obj is INVALID): *out untouched */
    EMU_TEXT_NOT_STRING, /* a member of another type */
    EMU_TEXT_NUL,        /* it holds a NUL (\u0000), which a C string would cut */
    EMU_TEXT_TOO_LONG    /* more than max_chars characters */
} emu_text_status;
/* Member `key` of object `obj` as a C string (*out borrows the parsed
 * document) of at most `max_chars` characters (0: no limit). Characters
 * are Unicode code points, as Spotify counts them, not bytes (the parser
 * has checked the UTF-8). Every name and text a handler keeps is read
 * through this, so none is silently cut at an embedded NUL. */
emu_text_status emu_json_text(spotify__json obj, const char *key, size_t max_chars,
                              const char **out);
/* The message for a status other than OK and ABSENT, about `what` ("Playlist
 * name"): "<what> must be a string", "<what> must not contain a NUL
 * character", "<what> is too long (at most N characters)". */
void emu_text_problem(emu_text_status status, const char *what, size_t max_chars, char *out,
                      size_t size);

typedef struct emu_reply {
    int status;               /* 0 until a helper sets it */
    const char *content_type; /* static string */
    spotify__strbuf body;     /* owned text (used unless static_body is set) */
    const char *static_body;  /* borrowed, outlives the response (catalog JSON) */
    size_t static_len;
    char *location;  /* owned; sent as Location */
    int retry_after; /* seconds for Retry-After; < 0: none */
    bool no_store;   /* Cache-Control: no-store (token responses) */
} emu_reply;

/* An empty reply (no status yet, retry_after -1). */
void emu_reply_init(emu_reply *reply);
/* Frees the body and location. */
void emu_reply_release(emu_reply *reply);

/* JSON built into reply->body: the helper sets status and content type;
 * if the body failed (OOM) it becomes a 500 instead. */
void emu_reply_json(emu_reply *reply, int status);
/* 204 No Content: no body, no content type. */
void emu_reply_no_content(emu_reply *reply);
/* A borrowed JSON body (e.g. pre-rendered catalog objects). */
void emu_reply_json_static(emu_reply *reply, int status, const char *json, size_t len);
/* Web API error: {"error":{"status":N,"message":"..."}}. */
void emu_reply_api_error(emu_reply *reply, int status, const char *message);
/* The same with Spotify's player "reason" member (NULL: none):
 * {"error":{"status":N,"message":"...","reason":"NO_ACTIVE_DEVICE"}}. */
void emu_reply_api_error_reason(emu_reply *reply, int status, const char *message,
                                const char *reason);
/* Accounts error: {"error":"...","error_description":"..."}. */
void emu_reply_oauth_error(emu_reply *reply, int status, const char *error,
                           const char *description);
/* HTML built into reply->body. */
void emu_reply_html(emu_reply *reply, int status);
/* A redirect to `location` (copied). */
void emu_reply_redirect(emu_reply *reply, int status, const char *location);
/* Appends `s` to `sb` with &, <, >, " and ' escaped for HTML. */
void emu_html_escape(spotify__strbuf *sb, const char *s);

#endif
