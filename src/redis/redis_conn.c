/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis/redis_conn.c - one hiredis connection: connect (AUTH, SELECT, PING)
 * with the call timeout, run commands one at a time under a mutex, map
 * failures to categorised errors naming Redis, drop the connection after a
 * transport failure and reconnect on the next call, at most once per
 * SPOTIFY__REDIS_RECONNECT_MS.
 *
 * Sentinel URLs: every connect first asks the Sentinels for the master's
 * address (spotify__redis_sentinel_resolve, blocking; redis_loop.c asks
 * them on the loop with the same answer parser and tally of failures); a
 * connection the server closed while idle (Sentinel kills the clients of a
 * master it demotes) is reopened before the next command, and a command
 * answered with READONLY (a demoted master) is sent once more after
 * reconnecting to the master Sentinel names then.
 */
#include <errno.h>
#include <hiredis/hiredis.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

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

/* Why the context `c` failed (connect, send or receive), into `out`. */
static void failure_reason(const redisContext *c, int64_t timeout_ms, char *out, size_t size)
{
    const char *why = c != NULL && c->errstr[0] != '\0' ? c->errstr : "unknown error";
    bool timed_out = c != NULL && c->err == REDIS_ERR_IO &&
                     (strstr(why, "temporarily unavailable") != NULL ||
                      strstr(why, "timed out") != NULL || strstr(why, "would block") != NULL);
    if (c != NULL && c->err == REDIS_ERR_EOF)
        why = "the server closed the connection";
    if (timed_out)
        snprintf(out, size, "no answer within %lld ms", (long long)timeout_ms);
    else
        snprintf(out, size, "%s", why);
}

/* The error of a context that failed (connect, send or receive). */
static spotify_status transport_error(spotify__redis_conn *conn, spotify_error *err,
                                      const char *step)
{
    char why[160];
    failure_reason(conn->ctx, conn->timeout_ms, why, sizeof why);
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

/* A blocking connection to HOST:PORT, or to the unix socket `path` when not
 * NULL, with `timeout_ms` on connect, send and receive. NULL without
 * memory; a failure is in ->err. */
static redisContext *open_context(const char *host, int port, const char *path, int64_t timeout_ms)
{
    struct timeval tv = timeval_of(timeout_ms);
    redisContext *c = path != NULL ? redisConnectUnixWithTimeout(path, tv)
                                   : redisConnectWithTimeout(host, port, tv);
    if (c != NULL && c->err == 0)
        redisSetTimeout(c, tv); /* a failure sets c->err */
    return c;
}

static spotify_status connect_now(spotify__redis_conn *conn, spotify_error *err)
{
    const spotify__redis_url *url = &conn->url;
    char step[SPOTIFY__REDIS_HOST_MAX + 48] = "cannot connect";
    if (url->sentinel) {
        spotify_status st =
            spotify__redis_sentinel_resolve(url, conn->timeout_ms, conn->where, &conn->master, err);
        if (st != SPOTIFY_OK)
            return st;
        char master[SPOTIFY__REDIS_HOST_MAX + 16];
        spotify__redis_endpoint_describe(conn->master.host, conn->master.port, master,
                                         sizeof master);
        snprintf(step, sizeof step, "cannot connect to the master at %s", master);
    }
    conn->ctx = url->sentinel
                    ? open_context(conn->master.host, conn->master.port, NULL, conn->timeout_ms)
                    : open_context(url->host, url->port, url->unix_socket ? url->path : NULL,
                                   conn->timeout_ms);
    if (conn->ctx == NULL)
        return spotify__error_oom(err);
    if (conn->ctx->err != 0)
        return transport_error(conn, err, step);
    spotify_status st = SPOTIFY_OK;
    if (url->has_password && url->user[0] != '\0')
        st = setup_command(conn, err, "AUTH", "AUTH %s %s", url->user, url->password);
    else if (url->has_password)
        st = setup_command(conn, err, "AUTH", "AUTH %s", url->password);
    if (st == SPOTIFY_OK && url->db != 0)
        st = setup_command(conn, err, "SELECT", "SELECT %ld", url->db);
    if (st == SPOTIFY_OK)
        st = setup_command(conn, err, "PING", "PING");
    return st;
}

/* ---- Sentinel ---- */

/* One Sentinel's answer (spotify__redis_sentinel_answer), or
 * SPOTIFY_ETRANSPORT when it cannot be reached. */
static spotify_status ask_sentinel(const spotify__redis_endpoint *sentinel, const char *master,
                                   int64_t timeout_ms, spotify__redis_endpoint *out,
                                   spotify_error *err)
{
    redisContext *c = open_context(sentinel->host, sentinel->port, NULL, timeout_ms);
    if (c == NULL)
        return spotify__error_oom(err);
    redisReply *reply =
        c->err == 0 ? redisCommand(c, "SENTINEL get-master-addr-by-name %s", master) : NULL;
    spotify_status st;
    if (reply == NULL) {
        char why[160];
        failure_reason(c, timeout_ms, why, sizeof why);
        st = spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s", why);
    } else {
        st = spotify__redis_sentinel_answer(reply, out, err);
        freeReplyObject(reply);
    }
    redisFree(c);
    return st;
}

void spotify__redis_sentinel_tally_add(spotify__redis_sentinel_tally *tally,
                                       const spotify__redis_url *url, int i, spotify_status st,
                                       const char *why)
{
    tally->unreachable = tally->unreachable || st == SPOTIFY_ETRANSPORT;
    char sentinel[SPOTIFY__REDIS_HOST_MAX + 16];
    spotify__redis_endpoint_describe(url->sentinels[i].host, url->sentinels[i].port, sentinel,
                                     sizeof sentinel);
    size_t room = sizeof tally->reasons - tally->used;
    int n = snprintf(tally->reasons + tally->used, room, "%s%s %s", tally->used > 0 ? "; " : "",
                     sentinel, why);
    tally->used = n < 0 || (size_t)n >= room ? sizeof tally->reasons - 1 : tally->used + (size_t)n;
}

spotify_status spotify__redis_sentinel_tally_error(const spotify__redis_sentinel_tally *tally,
                                                   const char *where, spotify_error *err)
{
    return spotify__error_set(err, tally->unreachable ? SPOTIFY_ETRANSPORT : SPOTIFY_ECONFIG, 0,
                              "%s: no Sentinel gave the master's address (%s)", where,
                              tally->reasons);
}

spotify_status spotify__redis_sentinel_resolve(const spotify__redis_url *url, int64_t timeout_ms,
                                               const char *where, spotify__redis_endpoint *out,
                                               spotify_error *err)
{
    spotify__redis_sentinel_tally tally = {0};
    for (int i = 0; i < url->sentinel_count; i++) {
        spotify_error why = {0};
        spotify_status st = ask_sentinel(&url->sentinels[i], url->master, timeout_ms, out, &why);
        if (st == SPOTIFY_OK || st == SPOTIFY_ENOMEM)
            return st == SPOTIFY_OK ? SPOTIFY_OK : spotify__error_oom(err);
        spotify__redis_sentinel_tally_add(&tally, url, i, st, why.message);
    }
    return spotify__redis_sentinel_tally_error(&tally, where, err);
}

bool spotify__redis_closed_by_server(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    if (poll(&pfd, 1, 0) <= 0)
        return false;
    char byte;
    ssize_t n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* With the mutex held. */
static spotify_status ready_locked(spotify__redis_conn *conn, spotify_error *err)
{
    if (conn->ctx != NULL && conn->url.sentinel && spotify__redis_closed_by_server(conn->ctx->fd))
        disconnect(conn);
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

/* One command on the ready connection; *moved (the connection dropped) when
 * the master moved. */
static spotify_status run_locked(spotify__redis_conn *conn, redisReply **reply, bool *moved,
                                 spotify_error *err, const char *fmt, va_list ap)
{
    redisReply *r = redisvCommand(conn->ctx, fmt, ap);
    spotify_status st = SPOTIFY_OK;
    *moved = r != NULL && spotify__redis_master_moved(&conn->url, r);
    if (r == NULL) {
        st = transport_error(conn, err, "command failed");
        disconnect(conn);
    } else if (*moved) {
        st = spotify__redis_master_moved_error(err, conn->where, &conn->master);
        freeReplyObject(r);
        disconnect(conn);
    } else if (r->type == REDIS_REPLY_ERROR) {
        st = spotify__redis_reply_error(conn, r, err);
        freeReplyObject(r);
    } else {
        *reply = r;
    }
    return st;
}

spotify_status spotify__redis_conn_command(spotify__redis_conn *conn, redisReply **reply,
                                           spotify_error *err, const char *fmt, ...)
{
    *reply = NULL;
    pthread_mutex_lock(&conn->mutex);
    spotify_status st;
    bool moved = false;
    /* A master that moved is asked once more, on the address Sentinel
     * gives now. */
    for (int attempt = 0; attempt == 0 || (moved && attempt < 2); attempt++) {
        moved = false;
        st = ready_locked(conn, err);
        if (st == SPOTIFY_OK) {
            va_list ap;
            va_start(ap, fmt);
            st = run_locked(conn, reply, &moved, err, fmt, ap);
            va_end(ap);
        }
    }
    pthread_mutex_unlock(&conn->mutex);
    return st;
}
