/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis/redis_internal.h - the pieces of spotify-sdk-redis: the pure URL
 * parser and key naming (redis_url.c, unit-tested without a server), and one
 * mutex-guarded hiredis connection with error mapping and reconnection
 * (redis_conn.c) that the cache and the cooldown each own.
 *
 * Threads: the pure functions are thread-safe; a connection serialises its
 * commands on its mutex.
 */
#ifndef SPOTIFY_REDIS_INTERNAL_H
#define SPOTIFY_REDIS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <spotify/redis.h>

#include "../core/strbuf.h"

/* ------------------------------------------------------------------------ */
/* URL                                                                      */
/* ------------------------------------------------------------------------ */

#define SPOTIFY__REDIS_DEFAULT_PORT 6379
#define SPOTIFY__REDIS_SENTINEL_PORT 26379
#define SPOTIFY__REDIS_HOST_MAX 256
#define SPOTIFY__REDIS_MAX_SENTINELS 8

/* A TCP address: a name or address (IPv6 without brackets) and a port. */
typedef struct spotify__redis_endpoint {
    char host[SPOTIFY__REDIS_HOST_MAX];
    int port; /* 1-65535 */
} spotify__redis_endpoint;

typedef struct spotify__redis_url {
    bool unix_socket;
    bool sentinel;                      /* redis-sentinel://: host/port unused */
    char host[SPOTIFY__REDIS_HOST_MAX]; /* TCP: name or address, IPv6 without brackets */
    int port;                           /* TCP: 1-65535 */
    char path[256];                     /* unix: the socket's path */
    char user[128];                     /* "" when the URL has none */
    char password[256];
    bool has_password; /* also true for an empty password ("redis://:@h") */
    long db;           /* >= 0 */
    /* redis-sentinel://: the master's name and the Sentinels to ask, in
     * order (port 26379 by default). */
    char master[128];
    int sentinel_count;
    spotify__redis_endpoint sentinels[SPOTIFY__REDIS_MAX_SENTINELS];
} spotify__redis_url;

/*
 * Parses redis://[[USER]:PASSWORD@]HOST[:PORT][/DB],
 * redis-sentinel://[[USER]:PASSWORD@]HOST[:PORT][,HOST[:PORT]]...]/MASTER[/DB]
 * (up to SPOTIFY__REDIS_MAX_SENTINELS; the credentials are the data
 * node's, Sentinels are asked without any) and
 * unix://[[USER]:PASSWORD@]/PATH[?db=N]. rediss:// is SPOTIFY_ECONFIG with
 * "no TLS in hiredis 0.14"; anything malformed is SPOTIFY_ECONFIG with a
 * message that never repeats the password. `out` is wiped on failure.
 */
spotify_status spotify__redis_url_parse(spotify__redis_url *out, const char *url,
                                        spotify_error *err);

/* "Redis at HOST:PORT" / "Redis at unix:PATH" / "Redis master NAME via
 * Sentinel HOST:PORT,...", plus " (db N)" when N != 0, into `out` (for every
 * message; never holds the password). */
void spotify__redis_url_describe(const spotify__redis_url *url, char *out, size_t size);
/* "HOST:PORT", or "[IPV6]:PORT", into `out`. */
void spotify__redis_endpoint_describe(const char *host, int port, char *out, size_t size);

/* ------------------------------------------------------------------------ */
/* Sentinel                                                                 */
/* ------------------------------------------------------------------------ */

struct redisReply;

/*
 * One Sentinel's answer to SENTINEL get-master-addr-by-name (pure): SPOTIFY_OK
 * with the master's address in *out (two bulk strings: a host of printable
 * ASCII without spaces, a port in 1-65535); SPOTIFY_ENOTFOUND for nil (it
 * does not monitor that master); SPOTIFY_EIO for an error reply (NOAUTH, an
 * unknown command: no Sentinel); SPOTIFY_EPROTOCOL for anything else. The
 * message says what the Sentinel did ("does not know the master"), for the
 * caller to prefix with the Sentinel's address.
 */
spotify_status spotify__redis_sentinel_answer(const struct redisReply *reply,
                                              spotify__redis_endpoint *out, spotify_error *err);

/* The server closed the idle connection on `fd` (Sentinel's CLIENT KILL
 * when it demotes a master): both connections check it before a command of
 * a Sentinel URL, so the command goes to the new master instead of failing.
 * One non-blocking poll (and a peek when readable). */
bool spotify__redis_closed_by_server(int fd);

/* A demoted master's READONLY to a write, on a Sentinel URL: nothing ran,
 * and the master is elsewhere now (any other URL: false). */
bool spotify__redis_master_moved(const spotify__redis_url *url, const struct redisReply *reply);
/* SPOTIFY_ETRANSPORT, "WHERE: the master at HOST:PORT is a replica now". */
spotify_status spotify__redis_master_moved_error(spotify_error *err, const char *where,
                                                 const spotify__redis_endpoint *master);

/* Why the Sentinels asked so far gave no address (both lookups: the
 * blocking one below and the loop's, redis_loop.c). Zero-initialise. */
typedef struct spotify__redis_sentinel_tally {
    char reasons[512]; /* "HOST:PORT why; HOST:PORT why" */
    size_t used;
    bool unreachable; /* some Sentinel could not be reached */
} spotify__redis_sentinel_tally;

/* Notes that the URL's Sentinel `i` gave no address: `st` is
 * spotify__redis_sentinel_answer's status, or SPOTIFY_ETRANSPORT when it
 * could not be reached; `why` its reason. */
void spotify__redis_sentinel_tally_add(spotify__redis_sentinel_tally *tally,
                                       const spotify__redis_url *url, int i, spotify_status st,
                                       const char *why);
/* The error once no Sentinel gave an address (see below). */
spotify_status spotify__redis_sentinel_tally_error(const spotify__redis_sentinel_tally *tally,
                                                   const char *where, spotify_error *err);

/*
 * Asks the URL's Sentinels, in order, for the master's address (blocking:
 * each connect and answer bounded by timeout_ms); the first address wins.
 * None: SPOTIFY_ECONFIG when every Sentinel answered but none gave an
 * address (a wrong master name, a Sentinel wanting a password),
 * SPOTIFY_ETRANSPORT when some could not be reached (an outage); the
 * message starts with `where` and names each Sentinel's failure.
 */
spotify_status spotify__redis_sentinel_resolve(const spotify__redis_url *url, int64_t timeout_ms,
                                               const char *where, spotify__redis_endpoint *out,
                                               spotify_error *err);

/* ------------------------------------------------------------------------ */
/* Keys                                                                     */
/* ------------------------------------------------------------------------ */

typedef enum spotify__redis_key_kind {
    SPOTIFY__REDIS_KEY_TOKEN,
    SPOTIFY__REDIS_KEY_LOCK,
    SPOTIFY__REDIS_KEY_COOLDOWN
} spotify__redis_key_kind;

/* Checks a client id (non-empty, printable ASCII without ':' or spaces, at
 * most 128 bytes) and a user key (NULL, or non-empty without control
 * characters, at most 256 bytes) and a prefix (at most 256 bytes, no control
 * characters). SPOTIFY_ECONFIG with a message naming the bad one. */
spotify_status spotify__redis_names_check(const char *prefix, const char *client_id,
                                          const char *user_key, spotify_error *err);

/* Appends the key (see redis.h): PREFIX token:ID:app, PREFIX
 * token:ID:user:USER, PREFIX lock:..., PREFIX cooldown:ID (user ignored).
 * Arguments must have passed spotify__redis_names_check. false on OOM. */
bool spotify__redis_key(spotify__strbuf *out, spotify__redis_key_kind kind, const char *prefix,
                        const char *client_id, const char *user_key);

/* ------------------------------------------------------------------------ */
/* Settings                                                                 */
/* ------------------------------------------------------------------------ */

#define SPOTIFY__REDIS_ENV_URL "SPOTIFY_SDK_REDIS_URL"

/* Options with the defaults and the environment applied; strings borrowed
 * from the options or the environment. */
typedef struct spotify__redis_settings {
    const char *url;
    const char *key_prefix;
    const char *client_id;
    const char *user_key;
    int64_t timeout_ms;
    int64_t lock_expiry_ms;
    int64_t lock_wait_ms;
    bool fallback_to_memory;
    int64_t cooldown_poll_ms;
} spotify__redis_settings;

/* Resolves `opts` (NULL: defaults); SPOTIFY_EINVALID for an unknown version,
 * SPOTIFY_ECONFIG for a missing URL or client id or bad names. */
spotify_status spotify__redis_settings_resolve(spotify__redis_settings *out,
                                               const spotify_redis_options *opts,
                                               spotify_error *err);

/* The lock's backoff: 10 ms doubling per `attempt` (0-based) up to 200 ms,
 * times `jitter` in [0.5, 1]; never more than `left_ms` (>= 1). */
int64_t spotify__redis_lock_backoff_ms(int attempt, double jitter, int64_t left_ms);

/* ------------------------------------------------------------------------ */
/* Connection                                                               */
/* ------------------------------------------------------------------------ */

struct redisContext;
struct redisReply;

/* After a failed connection, the next attempt waits this long. */
#define SPOTIFY__REDIS_RECONNECT_MS 1000

typedef struct spotify__redis_conn {
    pthread_mutex_t mutex;    /* guards everything below */
    struct redisContext *ctx; /* NULL while disconnected */
    spotify__redis_url url;
    char where[320];                /* spotify__redis_url_describe */
    spotify__redis_endpoint master; /* Sentinel URLs: the master's last address */
    int64_t timeout_ms;
    int64_t retry_at_ms;        /* monotonic: no reconnect before this */
    spotify_status last_status; /* of the failed connection */
    char last_message[256];
    bool password_pinned; /* the URL's password is known to redaction */
} spotify__redis_conn;

/* Parses the URL and initialises; no I/O. */
spotify_status spotify__redis_conn_init(spotify__redis_conn *conn, const char *url,
                                        int64_t timeout_ms, spotify_error *err);
/* Connects when not connected (AUTH, SELECT, PING); SPOTIFY_OK when ready. */
spotify_status spotify__redis_conn_ready(spotify__redis_conn *conn, spotify_error *err);
/*
 * Runs one command (hiredis format, binary-safe %b and %s). *reply is the
 * answer (free with freeReplyObject) unless it is an error reply, which
 * becomes SPOTIFY_ECONFIG (authentication, missing database, ACL),
 * SPOTIFY_EPROTOCOL (WRONGTYPE: the key holds another type) or SPOTIFY_EIO
 * (anything else, e.g. a read-only replica). Transport failures close the connection and
 * are SPOTIFY_ETRANSPORT naming Redis. Sentinel URLs: READONLY (the master
 * was demoted) reconnects through the Sentinels and sends the command once
 * more; READONLY again is SPOTIFY_ETRANSPORT (an outage while Sentinel
 * catches up).
 */
spotify_status spotify__redis_conn_command(spotify__redis_conn *conn, struct redisReply **reply,
                                           spotify_error *err, const char *fmt, ...);
void spotify__redis_conn_release(spotify__redis_conn *conn);
/* The error of an error reply (the mapping described above). */
spotify_status spotify__redis_reply_error(const spotify__redis_conn *conn,
                                          const struct redisReply *reply, spotify_error *err);

/* ------------------------------------------------------------------------ */
/* Host names looked up off the loop thread (redis_resolve.c)               */
/* ------------------------------------------------------------------------ */

/* One lookup of a host name's address, for a connection on a loop. */
typedef struct spotify__redis_resolve spotify__redis_resolve;

/* Whether `host` is a name to look up (not an IPv4 or IPv6 address). */
bool spotify__redis_host_is_name(const char *host);
/* Starts looking `host` up (getaddrinfo) on a thread of its own; the
 * descriptor of spotify__redis_resolve_fd turns readable when the answer
 * is in. *out is the caller's to drop. */
spotify_status spotify__redis_resolve_start(spotify__redis_resolve **out, const char *host,
                                            spotify_error *err);
int spotify__redis_resolve_fd(const spotify__redis_resolve *r);
/* The answer, once the descriptor is readable: the first address,
 * numeric, in `address`, or why there is none in `why`; PENDING when the
 * answer is not in after all (a readiness meant for a descriptor closed
 * before, whose number the eventfd took). */
typedef enum spotify__redis_resolved {
    SPOTIFY__RESOLVE_FOUND,
    SPOTIFY__RESOLVE_FAILED,
    SPOTIFY__RESOLVE_PENDING
} spotify__redis_resolved;
spotify__redis_resolved spotify__redis_resolve_answer(spotify__redis_resolve *r, char *address,
                                                      size_t size, char *why, size_t why_size);
/* Lets go of the lookup, answered or not (a thread still looking frees it
 * when it ends); NULL is a no-op. */
void spotify__redis_resolve_drop(spotify__redis_resolve *r);

/* ------------------------------------------------------------------------ */
/* Connections on async contexts' loops (redis_loop.c)                      */
/* ------------------------------------------------------------------------ */

/*
 * When a cache or cooldown is called from a spotify_async context's loop
 * (spotify_async_current() is not NULL), its commands go through hiredis's
 * async API on a connection of that context, watched through a
 * spotify_async_source: nothing blocks the loop. Each object keeps one such
 * connection per context (created on first use, freed with the context or
 * the object), with the settings of its blocking connection: the same URL,
 * AUTH and SELECT, the same timeout (a command without an answer after
 * timeout_ms fails, and the connection is dropped) and the same reconnect
 * pause after a failure.
 */
typedef struct spotify__redis_loop spotify__redis_loop;

typedef struct spotify__redis_loops {
    pthread_mutex_t mutex; /* guards the list (contexts on many threads) */
    spotify__redis_loop *head;
    const spotify__redis_conn *conn; /* the settings (url, where, timeout) */
    /* Optional: told (on the loop's thread) when a connection goes, after
     * its waiting commands failed. */
    void (*closed)(void *user, spotify__redis_loop *loop);
    void *closed_user;
} spotify__redis_loops;

/* What a command on a loop gives: its reply (borrowed for the call; an
 * error reply is already mapped into st/err), or the failure. */
typedef void (*spotify__redis_loop_fn)(void *user, spotify_status st,
                                       const struct redisReply *reply, const spotify_error *err);

bool spotify__redis_loops_init(spotify__redis_loops *loops, const spotify__redis_conn *conn,
                               void (*closed)(void *user, spotify__redis_loop *loop),
                               void *closed_user);
/* Frees every connection left (their contexts must be gone, or idle on
 * this thread). */
void spotify__redis_loops_release(spotify__redis_loops *loops);
/* The connection of the context running on this thread (created on first
 * use); *out NULL when no context runs here (a blocking caller). */
spotify_status spotify__redis_loops_current(spotify__redis_loops *loops, spotify__redis_loop **out,
                                            spotify_error *err);
/* Queues one command (hiredis format); `done` runs later, on the loop, with
 * the answer. A failure now (the reconnect pause, out of memory) returns
 * the error and `done` never runs. */
spotify_status spotify__redis_loop_command(spotify__redis_loop *loop, spotify__redis_loop_fn done,
                                           void *user, spotify_error *err, const char *fmt, ...);
/* Runs fn(user, loop) once, on the loop, after_ms from now or later: at a
 * moment no command of the connection waits for its answer and no Sentinel
 * is being asked (the source's one timeout serves those first). A second
 * call replaces the first; a connection that goes first never runs it. */
void spotify__redis_loop_call_later(spotify__redis_loop *loop, int64_t after_ms,
                                    void (*fn)(void *user, spotify__redis_loop *loop), void *user);

#endif
