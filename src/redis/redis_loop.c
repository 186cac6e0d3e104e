/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis/redis_loop.c - Redis connections on spotify_async contexts' loops:
 * hiredis's async API (redisAsyncContext) driven by a spotify_async_source
 * of the context, so a cache or cooldown called from a loop never blocks
 * it. hiredis 0.14's async API has no timeouts: the source's timeout is
 * armed while commands wait for answers, and when it fires the connection
 * is dropped (every waiting command fails with "no answer within N ms").
 * After any failure, commands fail at once for SPOTIFY__REDIS_RECONNECT_MS,
 * like the blocking connection's. When a connection goes (its context or
 * its object is freed), the commands it still has to send are written out
 * first, waiting at most timeout_ms: that is the one wait, and it happens
 * in spotify_async_free, not in the loop.
 *
 * Sentinel URLs: each connect first asks the Sentinels for the master's
 * address with the blocking query of redis_conn.c, on the loop thread (at
 * most timeout_ms per Sentinel, like a hostname's getaddrinfo); a lost
 * connection reconnects without the pause (the master may have moved), one
 * closed while the loop was not watching (an idle context) is noticed
 * before the next command is queued, and
 * a READONLY answer (a demoted master) fails that command and drops the
 * connection, so the next command asks the Sentinels again.
 *
 * Threads: the list of connections is guarded by a mutex; each connection
 * is used only on its context's thread.
 */
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <poll.h>
#include <spotify/sys/async.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/error.h"
#include "redis_internal.h"

struct spotify__redis_loop {
    spotify__redis_loops *owner;
    spotify_async *async;
    spotify_async_source *source; /* NULL once the context closed it */
    redisAsyncContext *ac;        /* NULL while disconnected */
    bool reading, writing;
    int waiting;                    /* commands sent, answers not yet in */
    int64_t retry_at_ms;            /* monotonic: no reconnect before this */
    char failure[640];              /* why the last connection failed */
    spotify__redis_endpoint master; /* Sentinel URLs: the master's last address */
    spotify__redis_loop *next;
};

/* One command waiting for its answer. */
typedef struct loop_command {
    spotify__redis_loop *loop;
    spotify__redis_loop_fn done;
    void *user;
} loop_command;

/* ---- watching ---- */

static void watch(spotify__redis_loop *loop)
{
    int events = (loop->reading ? SPOTIFY_ASYNC_IN : 0) | (loop->writing ? SPOTIFY_ASYNC_OUT : 0);
    int fd = loop->ac != NULL ? loop->ac->c.fd : -1;
    spotify_async_source_watch(loop->source, fd, (spotify_async_events)events);
}

static void ev_add_read(void *data)
{
    spotify__redis_loop *loop = data;
    loop->reading = true;
    watch(loop);
}

static void ev_del_read(void *data)
{
    spotify__redis_loop *loop = data;
    loop->reading = false;
    watch(loop);
}

static void ev_add_write(void *data)
{
    spotify__redis_loop *loop = data;
    loop->writing = true;
    watch(loop);
}

static void ev_del_write(void *data)
{
    spotify__redis_loop *loop = data;
    loop->writing = false;
    watch(loop);
}

/* hiredis frees the context (after an error, or redisAsyncFree). */
static void ev_cleanup(void *data)
{
    spotify__redis_loop *loop = data;
    loop->reading = loop->writing = false;
    spotify_async_source_watch(loop->source, -1, SPOTIFY_ASYNC_NONE);
    spotify_async_source_timeout(loop->source, -1);
    loop->ac = NULL;
}

/* ---- failures ---- */

/* Remembers why the connection failed and pauses reconnecting. */
static void failed(spotify__redis_loop *loop, const char *step, const char *why)
{
    if (loop->failure[0] == '\0')
        snprintf(loop->failure, sizeof loop->failure, "%s: %s: %s", loop->owner->conn->where, step,
                 why);
    loop->retry_at_ms = spotify__monotonic_ms() + SPOTIFY__REDIS_RECONNECT_MS;
}

/* Drops the connection: every waiting command fails with the failure. */
static void drop(spotify__redis_loop *loop)
{
    redisAsyncContext *ac = loop->ac;
    if (ac != NULL)
        redisAsyncFree(ac); /* runs the waiting callbacks, then ev_cleanup */
}

static void on_connect(const redisAsyncContext *ac, int status)
{
    spotify__redis_loop *loop = ac->data;
    if (status != REDIS_OK) /* hiredis frees the context after this */
        failed(loop, "cannot connect", ac->errstr[0] != '\0' ? ac->errstr : "unknown error");
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    spotify__redis_loop *loop = ac->data;
    if (status != REDIS_OK)
        failed(loop, "connection lost", ac->errstr[0] != '\0' ? ac->errstr : "unknown error");
    if (loop->owner->conn->url.sentinel)
        loop->retry_at_ms = 0; /* Sentinel may name another master: ask at once */
}

/* A demoted master's READONLY (Sentinel URLs): the connection goes, without
 * the reconnect pause, so the next command asks the Sentinels again. */
static bool master_moved(spotify__redis_loop *loop, const redisReply *reply)
{
    if (!spotify__redis_master_moved(&loop->owner->conn->url, reply))
        return false;
    if (loop->failure[0] == '\0') {
        spotify_error moved = {0};
        spotify__redis_master_moved_error(&moved, loop->owner->conn->where, &loop->master);
        snprintf(loop->failure, sizeof loop->failure, "%s", moved.message);
    }
    if (loop->ac != NULL)
        redisAsyncDisconnect(loop->ac); /* inside a callback: hiredis defers it */
    return true;
}

/* ---- commands ---- */

static void command_reply(redisAsyncContext *ac, void *r, void *privdata)
{
    loop_command *cmd = privdata;
    spotify__redis_loop *loop = cmd->loop;
    redisReply *reply = r;
    spotify_error err = {0};
    spotify_status st = SPOTIFY_OK;
    if (--loop->waiting > 0)
        spotify_async_source_timeout(loop->source, loop->owner->conn->timeout_ms);
    else
        spotify_async_source_timeout(loop->source, -1);
    if (reply == NULL) {
        if (loop->failure[0] == '\0')
            failed(loop, "command failed",
                   ac->err == REDIS_ERR_EOF ? "the server closed the connection"
                   : ac->errstr[0] != '\0'  ? ac->errstr
                                            : "the connection was closed");
        st = spotify__error_set(&err, SPOTIFY_ETRANSPORT, 0, "%s", loop->failure);
    } else if (master_moved(loop, reply)) {
        st = spotify__error_set(&err, SPOTIFY_ETRANSPORT, 0, "%s", loop->failure);
    } else if (reply->type == REDIS_REPLY_ERROR) {
        st = spotify__redis_reply_error(loop->owner->conn, reply, &err);
    }
    if (cmd->done != NULL)
        cmd->done(cmd->user, st, st == SPOTIFY_OK ? reply : NULL, &err);
    spotify__free(cmd);
}

/* A set-up command's answer (AUTH, SELECT): an error ends the connection. */
static void setup_reply(void *user, spotify_status st, const redisReply *reply,
                        const spotify_error *err)
{
    (void)reply;
    spotify__redis_loop *loop = user;
    if (st == SPOTIFY_OK)
        return;
    snprintf(loop->failure, sizeof loop->failure, "%s", err->message);
    loop->retry_at_ms = spotify__monotonic_ms() + SPOTIFY__REDIS_RECONNECT_MS;
    if (loop->ac != NULL)
        redisAsyncDisconnect(loop->ac); /* inside a callback: hiredis defers it */
}

static spotify_status vsend(spotify__redis_loop *loop, spotify__redis_loop_fn done, void *user,
                            spotify_error *err, const char *fmt, va_list ap)
{
    loop_command *cmd = spotify__calloc(1, sizeof *cmd);
    if (cmd == NULL)
        return spotify__error_oom(err);
    cmd->loop = loop;
    cmd->done = done;
    cmd->user = user;
    if (redisvAsyncCommand(loop->ac, command_reply, cmd, fmt, ap) != REDIS_OK) {
        spotify__free(cmd);
        return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s: cannot queue the command",
                                  loop->owner->conn->where);
    }
    if (loop->waiting++ == 0)
        spotify_async_source_timeout(loop->source, loop->owner->conn->timeout_ms);
    return SPOTIFY_OK;
}

static spotify_status send_setup(spotify__redis_loop *loop, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    spotify_status st = vsend(loop, setup_reply, loop, NULL, fmt, ap);
    va_end(ap);
    return st;
}

/* Asks the Sentinels for the master's address (blocking the loop, at most
 * timeout_ms per Sentinel); a failure pauses reconnecting. */
static spotify_status resolve_master(spotify__redis_loop *loop, spotify_error *err)
{
    const spotify__redis_conn *conn = loop->owner->conn;
    spotify_error why = {0};
    spotify_status st = spotify__redis_sentinel_resolve(&conn->url, conn->timeout_ms, conn->where,
                                                        &loop->master, &why);
    if (st == SPOTIFY_OK)
        return SPOTIFY_OK;
    snprintf(loop->failure, sizeof loop->failure, "%s", why.message);
    loop->retry_at_ms = spotify__monotonic_ms() + SPOTIFY__REDIS_RECONNECT_MS;
    return spotify__error_set(err, st, 0, "%s", why.message);
}

/* Starts a connection (non-blocking; hostnames resolve with getaddrinfo,
 * Sentinel URLs ask the Sentinels first) and queues AUTH and SELECT ahead
 * of everything else. */
static spotify_status connect_start(spotify__redis_loop *loop, spotify_error *err)
{
    const spotify__redis_url *url = &loop->owner->conn->url;
    spotify_status resolved = url->sentinel ? resolve_master(loop, err) : SPOTIFY_OK;
    if (resolved != SPOTIFY_OK)
        return resolved;
    redisAsyncContext *ac = url->unix_socket ? redisAsyncConnectUnix(url->path)
                            : url->sentinel
                                ? redisAsyncConnect(loop->master.host, loop->master.port)
                                : redisAsyncConnect(url->host, url->port);
    if (ac == NULL)
        return spotify__error_oom(err);
    if (ac->err != 0) {
        loop->failure[0] = '\0';
        failed(loop, "cannot connect", ac->errstr);
        redisAsyncFree(ac);
        return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s", loop->failure);
    }
    loop->failure[0] = '\0';
    loop->ac = ac;
    ac->data = loop;
    ac->ev.data = loop;
    ac->ev.addRead = ev_add_read;
    ac->ev.delRead = ev_del_read;
    ac->ev.addWrite = ev_add_write;
    ac->ev.delWrite = ev_del_write;
    ac->ev.cleanup = ev_cleanup;
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    ev_add_write(loop); /* the connect completes when the socket is writable */
    spotify_status st = SPOTIFY_OK;
    if (url->has_password && url->user[0] != '\0')
        st = send_setup(loop, "AUTH %s %s", url->user, url->password);
    else if (url->has_password)
        st = send_setup(loop, "AUTH %s", url->password);
    if (st == SPOTIFY_OK && url->db != 0)
        st = send_setup(loop, "SELECT %ld", url->db);
    if (st != SPOTIFY_OK) {
        drop(loop);
        return spotify__error_set(err, st, 0, "%s: cannot queue the connection's set-up",
                                  loop->owner->conn->where);
    }
    return SPOTIFY_OK;
}

spotify_status spotify__redis_loop_command(spotify__redis_loop *loop, spotify__redis_loop_fn done,
                                           void *user, spotify_error *err, const char *fmt, ...)
{
    if (loop->source == NULL)
        return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s: the async context is closing",
                                  loop->owner->conn->where);
    if (loop->ac != NULL && loop->waiting == 0 && loop->owner->conn->url.sentinel &&
        spotify__redis_closed_by_server(loop->ac->c.fd))
        drop(loop); /* closed while the loop was not looking: reconnect now */
    if (loop->ac == NULL) {
        if (spotify__monotonic_ms() < loop->retry_at_ms)
            return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s", loop->failure);
        spotify_status st = connect_start(loop, err);
        if (st != SPOTIFY_OK)
            return st;
    }
    va_list ap;
    va_start(ap, fmt);
    spotify_status st = vsend(loop, done, user, err, fmt, ap);
    va_end(ap);
    return st;
}

/* ---- the context's source ---- */

static void source_ready(void *user, spotify_async_events events)
{
    spotify__redis_loop *loop = user;
    if (loop->ac == NULL)
        return;
    if (events == SPOTIFY_ASYNC_NONE) { /* the timeout: no answer */
        char why[64];
        snprintf(why, sizeof why, "no answer within %lld ms",
                 (long long)loop->owner->conn->timeout_ms);
        loop->failure[0] = '\0';
        failed(loop, "command failed", why);
        drop(loop);
        return;
    }
    if ((events & SPOTIFY_ASYNC_IN) != 0)
        redisAsyncHandleRead(loop->ac);
    if ((events & SPOTIFY_ASYNC_OUT) != 0 && loop->ac != NULL)
        redisAsyncHandleWrite(loop->ac);
}

static void unlink_loop(spotify__redis_loop *loop)
{
    spotify__redis_loops *loops = loop->owner;
    pthread_mutex_lock(&loops->mutex);
    for (spotify__redis_loop **link = &loops->head; *link != NULL; link = &(*link)->next)
        if (*link == loop) {
            *link = loop->next;
            break;
        }
    pthread_mutex_unlock(&loops->mutex);
}

/* Before a connection goes: hands the commands still queued to Redis (a
 * 429's extension sent just before the program freed its context), waiting
 * at most timeout_ms for the socket. Their answers are not awaited. */
static void flush(spotify__redis_loop *loop)
{
    int64_t deadline = spotify__monotonic_ms() + loop->owner->conn->timeout_ms;
    while (loop->ac != NULL && loop->writing) {
        int64_t left = deadline - spotify__monotonic_ms();
        struct pollfd pfd = {.fd = loop->ac->c.fd, .events = POLLOUT};
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return;
        redisAsyncHandleWrite(loop->ac); /* completes the connect, then writes */
    }
}

/* Frees a connection that is out of the list. */
static void loop_free(spotify__redis_loop *loop)
{
    spotify_async_source *source = loop->source;
    flush(loop);
    drop(loop); /* waiting commands fail */
    if (loop->owner->closed != NULL)
        loop->owner->closed(loop->owner->closed_user, loop);
    loop->source = NULL;
    spotify_async_source_free(source);
    spotify__free(loop);
}

/* The context is freed: so is its connection (the SDK frees the source). */
static void source_closed(void *user)
{
    spotify__redis_loop *loop = user;
    unlink_loop(loop);
    loop->source = NULL; /* freed by the SDK */
    loop_free(loop);
}

/* ---- the list ---- */

bool spotify__redis_loops_init(spotify__redis_loops *loops, const spotify__redis_conn *conn,
                               void (*closed)(void *user, spotify__redis_loop *loop),
                               void *closed_user)
{
    loops->head = NULL;
    loops->conn = conn;
    loops->closed = closed;
    loops->closed_user = closed_user;
    return pthread_mutex_init(&loops->mutex, NULL) == 0;
}

void spotify__redis_loops_release(spotify__redis_loops *loops)
{
    while (loops->head != NULL) {
        spotify__redis_loop *loop = loops->head;
        loops->head = loop->next;
        loop_free(loop);
    }
    pthread_mutex_destroy(&loops->mutex);
}

spotify_status spotify__redis_loops_current(spotify__redis_loops *loops, spotify__redis_loop **out,
                                            spotify_error *err)
{
    *out = NULL;
    spotify_async *async = spotify_async_current();
    if (async == NULL)
        return SPOTIFY_OK;
    pthread_mutex_lock(&loops->mutex);
    spotify__redis_loop *loop = loops->head;
    while (loop != NULL && loop->async != async)
        loop = loop->next;
    pthread_mutex_unlock(&loops->mutex);
    if (loop == NULL) {
        loop = spotify__calloc(1, sizeof *loop);
        if (loop == NULL)
            return spotify__error_oom(err);
        loop->owner = loops;
        loop->async = async;
        spotify_status st =
            spotify_async_source_new(&loop->source, async, source_ready, source_closed, loop, err);
        if (st != SPOTIFY_OK) {
            spotify__free(loop);
            return st;
        }
        pthread_mutex_lock(&loops->mutex);
        loop->next = loops->head;
        loops->head = loop;
        pthread_mutex_unlock(&loops->mutex);
    }
    *out = loop;
    return SPOTIFY_OK;
}
