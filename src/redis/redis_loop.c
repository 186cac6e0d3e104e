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
 * in spotify_async_free, not in the loop (commands waiting for a Sentinel
 * lookup have no master to go to: they fail).
 *
 * Sentinel URLs: each connect first asks the Sentinels for the master's
 * address without blocking: a hiredis async connection to one Sentinel at
 * a time, in the URL's order, watched through the same source (and under
 * the same timeout, timeout_ms for its connect and answer) as the data
 * connection, its answer read by spotify__redis_sentinel_answer; the data
 * connection then goes to the address the first one gives. Commands sent
 * meanwhile wait (formatted) and follow the connection's AUTH and SELECT;
 * when no Sentinel gives an address they fail with every Sentinel's reason
 * (as the blocking lookup's error), and reconnecting pauses. A lost
 * connection reconnects without the pause (the master may have moved), one
 * closed while the loop was not watching (an idle context) is noticed
 * before the next command is queued, and a READONLY answer (a demoted
 * master) fails that command and drops the connection, so the next command
 * asks the Sentinels again.
 *
 * Host names (the URL's node, a Sentinel's, the master a Sentinel names)
 * are looked up on a thread of their own (redis_resolve.c), its answer an
 * eventfd the source watches, under the same timeout_ms; commands sent
 * meanwhile wait as during a Sentinel lookup, and a failed lookup fails
 * them ("cannot resolve the host name") or moves on to the next Sentinel.
 * The loop thread never waits for DNS.
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

/* A command queued while the connection is being made (the Sentinels
 * asked, or a host name looked up): sent (formatted) once it is, or failed
 * with the reason it is not. */
typedef struct pending_command {
    struct loop_command *cmd;
    char *text; /* redisvFormatCommand's */
    int len;
    struct pending_command *next;
} pending_command;

/* Sentinel URLs: the lookup of the master's address on the loop, one
 * Sentinel at a time, through the same source as the data connection. */
typedef struct sentinel_lookup {
    bool active;                    /* asking; loop->ac is the Sentinel's */
    int asking;                     /* the Sentinel asked (index in the URL) */
    bool over;                      /* its exchange ended: status, why, answer */
    spotify_status status;          /* spotify__redis_sentinel_answer's, or ETRANSPORT */
    char why[256];                  /* its failure */
    spotify__redis_endpoint answer; /* the master's address, on SPOTIFY_OK */
    spotify__redis_sentinel_tally tally;
} sentinel_lookup;

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
    sentinel_lookup lookup;
    /* A host name being looked up (NULL: none), for the data connection
     * (resolving_for -1) or the Sentinel of that index. */
    spotify__redis_resolve *resolving;
    int resolving_for;
    pending_command *pending_head, **pending_tail; /* waiting for the connection */
    /* One call for later (spotify__redis_loop_call_later), NULL: none. */
    void (*later_fn)(void *user, spotify__redis_loop *loop);
    void *later_user;
    int64_t later_at_ms; /* monotonic */
    spotify__redis_loop *next;
};

/* One command waiting for its answer. */
typedef struct loop_command {
    spotify__redis_loop *loop;
    spotify__redis_loop_fn done;
    void *user;
} loop_command;

/* The connection is being made (Sentinels asked, or a name looked up):
 * commands queue, and the source's descriptor and timeout are the
 * connecting step's. */
static bool connecting(const spotify__redis_loop *loop)
{
    return loop->lookup.active || loop->resolving != NULL;
}

/* ---- the source's timeout ---- */

/* The source's one timeout serves, in this order: the Sentinel lookup (its
 * code arms it), the commands waiting for answers (timeout_ms from the
 * last answer), and the call for later. With no lookup and no command
 * waiting, arms it for the call for later, or disarms it. */
static void later_arm(spotify__redis_loop *loop)
{
    if (loop->source == NULL || connecting(loop) || loop->waiting > 0)
        return;
    int64_t ms = -1;
    if (loop->later_fn != NULL) {
        ms = loop->later_at_ms - spotify__monotonic_ms();
        if (ms < 0)
            ms = 0;
    }
    spotify_async_source_timeout(loop->source, ms);
}

/* The timeout fired with no lookup and no command waiting: the call for
 * later, when it is due. */
static void later_run(spotify__redis_loop *loop)
{
    if (loop->later_fn == NULL || spotify__monotonic_ms() < loop->later_at_ms) {
        later_arm(loop);
        return;
    }
    void (*fn)(void *user, spotify__redis_loop *loop) = loop->later_fn;
    loop->later_fn = NULL;
    fn(loop->later_user, loop);
    later_arm(loop);
}

void spotify__redis_loop_call_later(spotify__redis_loop *loop, int64_t after_ms,
                                    void (*fn)(void *user, spotify__redis_loop *loop), void *user)
{
    loop->later_fn = fn;
    loop->later_user = user;
    loop->later_at_ms = spotify__monotonic_ms() + after_ms;
    later_arm(loop);
}

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
    if (connecting(loop) || loop->waiting > 0)
        spotify_async_source_timeout(loop->source, -1); /* re-armed by who goes on */
    else
        later_arm(loop);
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

/* The data connection's connect (a Sentinel's: its reply callback). */
static void on_connect(const redisAsyncContext *ac, int status)
{
    spotify__redis_loop *loop = ac->data;
    if (status != REDIS_OK && !loop->lookup.active) /* hiredis frees the context after this */
        failed(loop, "cannot connect", ac->errstr[0] != '\0' ? ac->errstr : "unknown error");
}

/* The data connection went (a Sentinel's: its reply callback). */
static void on_disconnect(const redisAsyncContext *ac, int status)
{
    spotify__redis_loop *loop = ac->data;
    if (loop->lookup.active)
        return;
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
        later_arm(loop);
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

/* A new command's record; NULL without memory. */
static loop_command *command_new(spotify__redis_loop *loop, spotify__redis_loop_fn done, void *user)
{
    loop_command *cmd = spotify__calloc(1, sizeof *cmd);
    if (cmd != NULL) {
        cmd->loop = loop;
        cmd->done = done;
        cmd->user = user;
    }
    return cmd;
}

/* A command handed to hiredis (`queued`: redisvAsyncCommand's or
 * redisAsyncFormattedCommand's result) now waits for its answer, under the
 * timeout; a refusal frees it and is the error. */
static spotify_status sent(spotify__redis_loop *loop, loop_command *cmd, int queued,
                           spotify_error *err)
{
    if (queued != REDIS_OK) {
        spotify__free(cmd);
        return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s: cannot queue the command",
                                  loop->owner->conn->where);
    }
    if (loop->waiting++ == 0)
        spotify_async_source_timeout(loop->source, loop->owner->conn->timeout_ms);
    return SPOTIFY_OK;
}

static spotify_status vsend(spotify__redis_loop *loop, spotify__redis_loop_fn done, void *user,
                            spotify_error *err, const char *fmt, va_list ap)
{
    loop_command *cmd = command_new(loop, done, user);
    if (cmd == NULL)
        return spotify__error_oom(err);
    return sent(loop, cmd, redisvAsyncCommand(loop->ac, command_reply, cmd, fmt, ap), err);
}

static spotify_status send_setup(spotify__redis_loop *loop, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    spotify_status st = vsend(loop, setup_reply, loop, NULL, fmt, ap);
    va_end(ap);
    return st;
}

/* Hands a new hiredis context (the data connection's, or a Sentinel's
 * during a lookup: one at a time) to the loop's source: its descriptor is
 * watched from now on, starting with the connect. */
static void attach(spotify__redis_loop *loop, redisAsyncContext *ac)
{
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
}

/* The data connection's TCP node: the URL's, or the master the Sentinels
 * named. */
static const spotify__redis_endpoint *data_node(const spotify__redis_loop *loop,
                                                spotify__redis_endpoint *scratch)
{
    const spotify__redis_url *url = &loop->owner->conn->url;
    if (url->sentinel)
        return &loop->master;
    snprintf(scratch->host, sizeof scratch->host, "%s", url->host);
    scratch->port = url->port;
    return scratch;
}

/* Starts looking up `host`, for the data connection (`index` -1) or the
 * Sentinel of that index, through the source: commands queue meanwhile,
 * and resolve_ready goes on with the answer (or timeout_ms without one). */
static spotify_status resolve_start(spotify__redis_loop *loop, const char *host, int index,
                                    spotify_error *err)
{
    spotify_status st = spotify__redis_resolve_start(&loop->resolving, host, err);
    if (st != SPOTIFY_OK)
        return st;
    loop->resolving_for = index;
    spotify_async_source_watch(loop->source, spotify__redis_resolve_fd(loop->resolving),
                               SPOTIFY_ASYNC_IN);
    spotify_async_source_timeout(loop->source, loop->owner->conn->timeout_ms);
    return SPOTIFY_OK;
}

/* Starts the data connection (non-blocking) to `address` (numeric; NULL:
 * the URL's unix socket) and queues AUTH and SELECT ahead of everything
 * else. */
static spotify_status connect_data_at(spotify__redis_loop *loop, const char *address, int port,
                                      spotify_error *err)
{
    const spotify__redis_url *url = &loop->owner->conn->url;
    redisAsyncContext *ac =
        address == NULL ? redisAsyncConnectUnix(url->path) : redisAsyncConnect(address, port);
    if (ac == NULL)
        return spotify__error_oom(err);
    loop->failure[0] = '\0';
    if (ac->err != 0) {
        failed(loop, "cannot connect", ac->errstr);
        redisAsyncFree(ac);
        return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s", loop->failure);
    }
    attach(loop, ac);
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

/* Starts the data connection: a host name is looked up first, off the
 * loop thread (commands queue until the connection is made). */
static spotify_status connect_data(spotify__redis_loop *loop, spotify_error *err)
{
    if (loop->owner->conn->url.unix_socket)
        return connect_data_at(loop, NULL, 0, err);
    spotify__redis_endpoint scratch;
    const spotify__redis_endpoint *node = data_node(loop, &scratch);
    if (!spotify__redis_host_is_name(node->host))
        return connect_data_at(loop, node->host, node->port, err);
    loop->failure[0] = '\0';
    return resolve_start(loop, node->host, -1, err);
}

/* ---- the Sentinel lookup ---- */

/* Queues a command until the lookup ends. */
static spotify_status queue_pending(spotify__redis_loop *loop, spotify__redis_loop_fn done,
                                    void *user, spotify_error *err, const char *fmt, va_list ap)
{
    pending_command *p = spotify__calloc(1, sizeof *p);
    loop_command *cmd = command_new(loop, done, user);
    int len = p != NULL && cmd != NULL ? redisvFormatCommand(&p->text, fmt, ap) : -1;
    if (len < 0) {
        spotify__free(p);
        spotify__free(cmd);
        return spotify__error_oom(err);
    }
    p->len = len;
    p->cmd = cmd;
    *loop->pending_tail = p;
    loop->pending_tail = &p->next;
    return SPOTIFY_OK;
}

/* Takes the queued commands (oldest first). */
static pending_command *take_pending(spotify__redis_loop *loop)
{
    pending_command *head = loop->pending_head;
    loop->pending_head = NULL;
    loop->pending_tail = &loop->pending_head;
    return head;
}

/* Frees a queued command's text and record (not its loop_command). */
static void pending_free(pending_command *p)
{
    redisFreeCommand(p->text);
    spotify__free(p);
}

/* The lookup failed (or the context is closing): every queued command
 * fails with `err`. */
static void fail_pending(spotify__redis_loop *loop, spotify_status st, const spotify_error *err)
{
    pending_command *p = take_pending(loop);
    while (p != NULL) {
        pending_command *next = p->next;
        if (p->cmd->done != NULL)
            p->cmd->done(p->cmd->user, st, NULL, err);
        spotify__free(p->cmd);
        pending_free(p);
        p = next;
    }
}

/* The master's connection is made: the queued commands follow its
 * set-up, in order. */
static void send_pending(spotify__redis_loop *loop)
{
    pending_command *p = take_pending(loop);
    while (p != NULL) {
        pending_command *next = p->next;
        spotify_error err = {0};
        loop_command *cmd = p->cmd;
        int queued = loop->ac != NULL ? redisAsyncFormattedCommand(loop->ac, command_reply, cmd,
                                                                   p->text, (size_t)p->len)
                                      : REDIS_ERR;
        pending_free(p);
        spotify__redis_loop_fn done = cmd->done;
        void *user = cmd->user;
        spotify_status st = sent(loop, cmd, queued, &err); /* frees cmd on failure */
        if (st != SPOTIFY_OK && done != NULL)
            done(user, st, NULL, &err);
        p = next;
    }
}

/* No Sentinel gave the address: the error (every reason), remembered for
 * the reconnect pause. */
static spotify_status lookup_failed(spotify__redis_loop *loop, spotify_error *err)
{
    loop->lookup.active = false;
    spotify_status st =
        spotify__redis_sentinel_tally_error(&loop->lookup.tally, loop->owner->conn->where, err);
    snprintf(loop->failure, sizeof loop->failure, "%s", err->message);
    loop->retry_at_ms = spotify__monotonic_ms() + SPOTIFY__REDIS_RECONNECT_MS;
    return st;
}

/* The Sentinel's answer, or NULL when its connection failed or was freed
 * (after the timeout, which set the reason first): its exchange is over,
 * and source_ready moves on once hiredis has returned. */
static void sentinel_reply(redisAsyncContext *ac, void *r, void *privdata)
{
    sentinel_lookup *lookup = &((spotify__redis_loop *)privdata)->lookup;
    if (lookup->over)
        return;
    lookup->over = true;
    if (r == NULL) {
        lookup->status = SPOTIFY_ETRANSPORT;
        snprintf(lookup->why, sizeof lookup->why, "%s",
                 ac->err == REDIS_ERR_EOF ? "the server closed the connection"
                 : ac->errstr[0] != '\0'  ? ac->errstr
                                          : "the connection was closed");
        return;
    }
    spotify_error err = {0};
    lookup->status = spotify__redis_sentinel_answer(r, &lookup->answer, &err);
    snprintf(lookup->why, sizeof lookup->why, "%s", err.message);
}

/* Connects to Sentinel `index` at `address` (numeric) and asks it, with
 * timeout_ms for the connect and the answer. SPOTIFY_ETRANSPORT: the
 * connect failed at once (tallied; the caller moves on). */
static spotify_status ask_sentinel_at(spotify__redis_loop *loop, int index, const char *address,
                                      spotify_error *err)
{
    const spotify__redis_conn *conn = loop->owner->conn;
    sentinel_lookup *lookup = &loop->lookup;
    redisAsyncContext *ac = redisAsyncConnect(address, conn->url.sentinels[index].port);
    if (ac == NULL) {
        lookup->active = false;
        return spotify__error_oom(err);
    }
    if (ac->err != 0) {
        spotify__redis_sentinel_tally_add(&lookup->tally, &conn->url, index, SPOTIFY_ETRANSPORT,
                                          ac->errstr);
        redisAsyncFree(ac);
        return SPOTIFY_ETRANSPORT;
    }
    attach(loop, ac);
    lookup->asking = index;
    lookup->over = false;
    if (redisAsyncCommand(ac, sentinel_reply, loop, "SENTINEL get-master-addr-by-name %s",
                          conn->url.master) != REDIS_OK) {
        drop(loop); /* never: a connecting context queues */
        lookup->active = false;
        return spotify__error_oom(err);
    }
    spotify_async_source_timeout(loop->source, conn->timeout_ms);
    return SPOTIFY_OK;
}

/* Asks Sentinel `from`, or the first after it whose connect does not fail
 * at once (a host name is looked up first, off the loop thread); after the
 * last, the lookup failed. SPOTIFY_OK: the question (or the lookup of its
 * name) is on its way. */
static spotify_status ask_sentinels(spotify__redis_loop *loop, int from, spotify_error *err)
{
    const spotify__redis_conn *conn = loop->owner->conn;
    sentinel_lookup *lookup = &loop->lookup;
    for (int i = from; i < conn->url.sentinel_count; i++) {
        const spotify__redis_endpoint *sentinel = &conn->url.sentinels[i];
        spotify_status st = spotify__redis_host_is_name(sentinel->host)
                                ? resolve_start(loop, sentinel->host, i, err)
                                : ask_sentinel_at(loop, i, sentinel->host, err);
        if (st == SPOTIFY_EIO) /* no thread for the lookup */
            spotify__redis_sentinel_tally_add(&lookup->tally, &conn->url, i, SPOTIFY_ETRANSPORT,
                                              err->message);
        else if (st != SPOTIFY_ETRANSPORT) /* asked (or asking its name), or out of memory */
            return st;
    }
    return lookup_failed(loop, err);
}

/* Starts a lookup: the commands sent meanwhile wait for its end. */
static spotify_status lookup_start(spotify__redis_loop *loop, spotify_error *err)
{
    sentinel_lookup *lookup = &loop->lookup;
    memset(&lookup->tally, 0, sizeof lookup->tally);
    lookup->active = true;
    return ask_sentinels(loop, 0, err);
}

/* The Sentinel asked answered or failed (its connection may be gone):
 * connects to the master it named, or asks the next one; the queued
 * commands go to the master, or fail with the lookup. */
static void lookup_next(spotify__redis_loop *loop)
{
    sentinel_lookup *lookup = &loop->lookup;
    drop(loop);          /* the Sentinel's connection, if still there: over now */
    if (!lookup->over) { /* never: hiredis answers every command */
        lookup->status = SPOTIFY_ETRANSPORT;
        snprintf(lookup->why, sizeof lookup->why, "the connection was closed");
    }
    spotify_error err = {0};
    spotify_status st;
    if (lookup->status == SPOTIFY_OK) {
        lookup->active = false;
        loop->master = lookup->answer;
        st = connect_data(loop, &err);
        if (st == SPOTIFY_OK && loop->resolving == NULL) /* else once the name is looked up */
            send_pending(loop);
    } else {
        spotify__redis_sentinel_tally_add(&lookup->tally, &loop->owner->conn->url, lookup->asking,
                                          lookup->status, lookup->why);
        st = ask_sentinels(loop, lookup->asking + 1, &err);
    }
    if (st != SPOTIFY_OK)
        fail_pending(loop, st, &err);
}

/* The Sentinel asked gave no answer within timeout_ms. */
static void lookup_timed_out(spotify__redis_loop *loop)
{
    sentinel_lookup *lookup = &loop->lookup;
    lookup->over = true;
    lookup->status = SPOTIFY_ETRANSPORT;
    snprintf(lookup->why, sizeof lookup->why, "no answer within %lld ms",
             (long long)loop->owner->conn->timeout_ms);
    lookup_next(loop);
}

/* ---- host names ---- */

/* The lookup of a Sentinel's name ended: ask it at the address found, or
 * move on to the next Sentinel. */
static spotify_status sentinel_resolved(spotify__redis_loop *loop, int index, const char *address,
                                        const char *why, spotify_error *err)
{
    if (address != NULL) {
        spotify_status st = ask_sentinel_at(loop, index, address, err);
        if (st != SPOTIFY_ETRANSPORT)
            return st;
    } else {
        spotify__redis_sentinel_tally_add(&loop->lookup.tally, &loop->owner->conn->url, index,
                                          SPOTIFY_ETRANSPORT, why);
    }
    return ask_sentinels(loop, index + 1, err);
}

/* The lookup of the data connection's name ended: connect to the address
 * found, then send what queued. */
static spotify_status data_resolved(spotify__redis_loop *loop, const char *address, const char *why,
                                    spotify_error *err)
{
    if (address == NULL) {
        failed(loop, "cannot resolve the host name", why);
        return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s", loop->failure);
    }
    spotify__redis_endpoint scratch;
    spotify_status st = connect_data_at(loop, address, data_node(loop, &scratch)->port, err);
    if (st == SPOTIFY_OK)
        send_pending(loop);
    return st;
}

/* The name looked up has its answer (or none within timeout_ms): the
 * connection goes on, or the queued commands fail with the reason. */
static void resolve_ready(spotify__redis_loop *loop, bool timed_out)
{
    char address[64] = "", why[256] = "";
    bool found = false;
    if (timed_out) {
        snprintf(why, sizeof why, "no answer within %lld ms",
                 (long long)loop->owner->conn->timeout_ms);
    } else {
        spotify__redis_resolved answer = spotify__redis_resolve_answer(
            loop->resolving, address, sizeof address, why, sizeof why);
        if (answer == SPOTIFY__RESOLVE_PENDING)
            return;
        found = answer == SPOTIFY__RESOLVE_FOUND;
    }
    spotify__redis_resolve_drop(loop->resolving);
    loop->resolving = NULL;
    spotify_async_source_watch(loop->source, -1, SPOTIFY_ASYNC_NONE);
    spotify_async_source_timeout(loop->source, -1);
    spotify_error err = {0};
    const char *at = found ? address : NULL;
    spotify_status st = loop->resolving_for < 0
                            ? data_resolved(loop, at, why, &err)
                            : sentinel_resolved(loop, loop->resolving_for, at, why, &err);
    if (st != SPOTIFY_OK)
        fail_pending(loop, st, &err);
}

/* Starts a connection: for Sentinel URLs, the lookup first (the data
 * connection follows from the loop). */
static spotify_status connect_start(spotify__redis_loop *loop, spotify_error *err)
{
    if (loop->owner->conn->url.sentinel)
        return lookup_start(loop, err);
    return connect_data(loop, err);
}

spotify_status spotify__redis_loop_command(spotify__redis_loop *loop, spotify__redis_loop_fn done,
                                           void *user, spotify_error *err, const char *fmt, ...)
{
    if (loop->source == NULL)
        return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s: the async context is closing",
                                  loop->owner->conn->where);
    if (loop->ac != NULL && !connecting(loop) && loop->waiting == 0 &&
        loop->owner->conn->url.sentinel && spotify__redis_closed_by_server(loop->ac->c.fd))
        drop(loop); /* closed while the loop was not looking: reconnect now */
    if (loop->ac == NULL && !connecting(loop)) {
        if (spotify__monotonic_ms() < loop->retry_at_ms)
            return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "%s", loop->failure);
        spotify_status st = connect_start(loop, err);
        if (st != SPOTIFY_OK)
            return st;
    }
    va_list ap;
    va_start(ap, fmt);
    spotify_status st = connecting(loop) ? queue_pending(loop, done, user, err, fmt, ap)
                                         : vsend(loop, done, user, err, fmt, ap);
    va_end(ap);
    return st;
}

/* ---- the context's source ---- */

static void source_ready(void *user, spotify_async_events events)
{
    spotify__redis_loop *loop = user;
    if (loop->resolving != NULL) {
        resolve_ready(loop, events == SPOTIFY_ASYNC_NONE);
        later_arm(loop);
        return;
    }
    if (events == SPOTIFY_ASYNC_NONE && !loop->lookup.active && loop->waiting == 0) {
        later_run(loop);
        return;
    }
    if (loop->ac == NULL)
        return;
    if (events == SPOTIFY_ASYNC_NONE && loop->lookup.active) {
        lookup_timed_out(loop);
        return;
    }
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
    if (loop->lookup.active && (loop->lookup.over || loop->ac == NULL))
        lookup_next(loop);
    later_arm(loop); /* a lookup that ended may leave nothing waiting */
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
    if (connecting(loop)) { /* no connection to write to yet */
        spotify__redis_resolve_drop(loop->resolving);
        loop->resolving = NULL;
        drop(loop);
        loop->lookup.active = false;
        spotify_error closing = {0};
        spotify_status st =
            spotify__error_set(&closing, SPOTIFY_ETRANSPORT, 0, "%s: the async context is closing",
                               loop->owner->conn->where);
        fail_pending(loop, st, &closing);
    }
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
        loop->pending_tail = &loop->pending_head;
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
