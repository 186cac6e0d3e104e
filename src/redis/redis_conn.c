/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis/redis_conn.c - one hiredis connection: connect (AUTH, SELECT, PING)
 * with the call timeout, run commands one at a time under a mutex, map
 * failures to categorised errors naming Redis, drop the connection after a
 * transport failure and reconnect on the next call, at most once per
 * SPOTIFY__REDIS_RECONNECT_MS.
 */
#include <errno.h>
#include <hiredis/hiredis.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/error.h"
#include "../core/secrets.h"
#include "redis_internal.h"

static struct timeval timeval_of(int64_t ms)
{
    struct timeval tv = {.tv_sec = (time_t)(ms / 1000), .tv_usec = (suseconds_t)(ms % 1000) * 1000};
    return tv;
}

spotify_status spotify__redis_conn_init(spotify__redis_conn *conn, const char *url,
                                        int64_t timeout_ms, spotify_error *err)
{
    memset(conn, 0, sizeof *conn);
    spotify_status st = spotify__redis_url_parse(&conn->url, url, err);
    if (st != SPOTIFY_OK)
        return st;
    spotify__redis_url_describe(&conn->url, conn->where, sizeof conn->where);
    conn->timeout_ms = timeout_ms;
    if (conn->url.has_password) {
        if (!spotify__secret_pin(conn->url.password))
            return spotify__error_oom(err);
        conn->password_pinned = true;
    }
    if (pthread_mutex_init(&conn->mutex, NULL) != 0) {
        spotify__secret_unpin(conn->url.password);
        conn->password_pinned = false;
        return spotify__error_oom(err);
    }
    return SPOTIFY_OK;
}

void spotify__redis_conn_release(spotify__redis_conn *conn)
{
    if (conn->ctx != NULL)
        redisFree(conn->ctx);
    conn->ctx = NULL;
    pthread_mutex_destroy(&conn->mutex);
    if (conn->password_pinned)
        spotify__secret_unpin(conn->url.password);
    conn->password_pinned = false;
    spotify__wipe(&conn->url, sizeof conn->url);
}

/* ---- error mapping ---- */

/* The error of a context that failed (connect, send or receive). */
static spotify_status transport_error(spotify__redis_conn *conn, spotify_error *err,
                                      const char *step)
{
    const redisContext *c = conn->ctx;
    const char *why = c != NULL && c->errstr[0] != '\0' ? c->errstr : "unknown error";
    bool timed_out = c != NULL && c->err == REDIS_ERR_IO &&
                     (strstr(why, "temporarily unavailable") != NULL ||
                      strstr(why, "timed out") != NULL || strstr(why, "would block") != NULL);
    if (c != NULL && c->err == REDIS_ERR_EOF)
        why = "the server closed the connection";
    if (timed_out)
        return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s: %s: no answer within %lld ms",
                                  conn->where, step, (long long)conn->timeout_ms);
    return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s: %s: %s", conn->where, step, why);
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

spotify_status spotify__redis_reply_error(const spotify__redis_conn *conn, const redisReply *reply,
                                          spotify_error *err)
{
    const char *text = reply->str != NULL ? reply->str : "";
    if (starts_with(text, "NOAUTH"))
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "%s requires a password: put it in the URL "
                                  "(redis://:PASSWORD@HOST or redis://USER:PASSWORD@HOST)",
                                  conn->where);
    if (starts_with(text, "WRONGPASS") || strstr(text, "invalid password") != NULL ||
        strstr(text, "invalid username-password") != NULL)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "%s rejected the user name or password in the URL", conn->where);
    if (strstr(text, "without any password configured") != NULL)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "%s has no password set, but the URL gives one", conn->where);
    if (strstr(text, "DB index is out of range") != NULL || strstr(text, "invalid DB") != NULL)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "%s: database %ld does not exist (%.80s)", conn->where,
                                  conn->url.db, text);
    if (starts_with(text, "WRONGTYPE"))
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0, "%s: %.160s", conn->where, text);
    if (starts_with(text, "NOPERM"))
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "%s: the URL's user may not run this command (%.120s)",
                                  conn->where, text);
    return spotify__error_set(err, SPOTIFY_EIO, 0, "%s answered with an error: %.160s", conn->where,
                              text);
}

/* ---- connecting ---- */

static void disconnect(spotify__redis_conn *conn)
{
    if (conn->ctx != NULL)
        redisFree(conn->ctx);
    conn->ctx = NULL;
}

/* Runs one set-up command on the fresh connection; a non-error reply is OK. */
static spotify_status setup_command(spotify__redis_conn *conn, spotify_error *err, const char *step,
                                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *reply = redisvCommand(conn->ctx, fmt, ap);
    va_end(ap);
    if (reply == NULL)
        return transport_error(conn, err, step);
    spotify_status st = reply->type == REDIS_REPLY_ERROR
                            ? spotify__redis_reply_error(conn, reply, err)
                            : SPOTIFY_OK;
    freeReplyObject(reply);
    return st;
}

static spotify_status connect_now(spotify__redis_conn *conn, spotify_error *err)
{
    struct timeval tv = timeval_of(conn->timeout_ms);
    conn->ctx = conn->url.unix_socket ? redisConnectUnixWithTimeout(conn->url.path, tv)
                                      : redisConnectWithTimeout(conn->url.host, conn->url.port, tv);
    if (conn->ctx == NULL)
        return spotify__error_oom(err);
    if (conn->ctx->err != 0)
        return transport_error(conn, err, "cannot connect");
    if (redisSetTimeout(conn->ctx, tv) != REDIS_OK)
        return transport_error(conn, err, "cannot set the timeout");
    spotify_status st = SPOTIFY_OK;
    if (conn->url.has_password && conn->url.user[0] != '\0')
        st = setup_command(conn, err, "AUTH", "AUTH %s %s", conn->url.user, conn->url.password);
    else if (conn->url.has_password)
        st = setup_command(conn, err, "AUTH", "AUTH %s", conn->url.password);
    if (st == SPOTIFY_OK && conn->url.db != 0)
        st = setup_command(conn, err, "SELECT", "SELECT %ld", conn->url.db);
    if (st == SPOTIFY_OK)
        st = setup_command(conn, err, "PING", "PING");
    return st;
}

/* With the mutex held. */
static spotify_status ready_locked(spotify__redis_conn *conn, spotify_error *err)
{
    if (conn->ctx != NULL)
        return SPOTIFY_OK;
    int64_t now = spotify__monotonic_ms();
    if (conn->last_status != SPOTIFY_OK && now < conn->retry_at_ms)
        return spotify__error_set(err, conn->last_status, 0, "%s", conn->last_message);
    spotify_error local = {0};
    spotify_status st = connect_now(conn, &local);
    if (st == SPOTIFY_OK) {
        conn->last_status = SPOTIFY_OK;
        return SPOTIFY_OK;
    }
    disconnect(conn);
    conn->last_status = st;
    conn->retry_at_ms = now + SPOTIFY__REDIS_RECONNECT_MS;
    snprintf(conn->last_message, sizeof conn->last_message, "%s", local.message);
    return spotify__error_set(err, st, 0, "%s", local.message);
}

spotify_status spotify__redis_conn_ready(spotify__redis_conn *conn, spotify_error *err)
{
    pthread_mutex_lock(&conn->mutex);
    spotify_status st = ready_locked(conn, err);
    pthread_mutex_unlock(&conn->mutex);
    return st;
}

spotify_status spotify__redis_conn_command(spotify__redis_conn *conn, redisReply **reply,
                                           spotify_error *err, const char *fmt, ...)
{
    *reply = NULL;
    pthread_mutex_lock(&conn->mutex);
    spotify_status st = ready_locked(conn, err);
    if (st == SPOTIFY_OK) {
        va_list ap;
        va_start(ap, fmt);
        redisReply *r = redisvCommand(conn->ctx, fmt, ap);
        va_end(ap);
        if (r == NULL) {
            st = transport_error(conn, err, "command failed");
            disconnect(conn);
        } else if (r->type == REDIS_REPLY_ERROR) {
            st = spotify__redis_reply_error(conn, r, err);
            freeReplyObject(r);
        } else {
            *reply = r;
        }
    }
    pthread_mutex_unlock(&conn->mutex);
    return st;
}
