/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis/redis_cache.c - the Redis token cache and its distributed refresh
 * lock, behind the ops of spotify_token_cache (auth.h).
 *
 * Lock protocol: SET LOCK-KEY OWNER NX PX EXPIRY, OWNER 128 CSPRNG bits in
 * hex; waiters poll with jittered exponential backoff up to lock_wait_ms
 * (try_lock makes one attempt, and its callers poll on their own timers);
 * release is a Lua compare-and-delete, so an expired lock taken over by
 * another worker is never released by the old owner. Threads of this
 * process sharing the cache queue on a mutex/condition pair first, so at
 * most one of them talks to Redis about the lock.
 *
 * Fallback: when Redis cannot be reached (a transport failure: refused,
 * unreachable, no answer within timeout_ms), load/store/lock use a memory
 * cache holding the last token this object read or wrote, and the local
 * lock only: the process refreshes on its own, once (its provider's single
 * flight), instead of once per fleet; this is logged once per outage. The
 * first successful Redis call afterwards leaves the fallback (logged) and
 * writes a token stored meanwhile back when it is newer than Redis's.
 * fallback_to_memory only decides whether an unreachable Redis at creation
 * is an error. A lock try that got no answer may still run when a stopped
 * Redis resumes, holding the lock for nobody: its owner is remembered and
 * deleted (compare-and-delete) by the first try once Redis answers again,
 * or, on a loop, by the probe: while the fallback lasts, a GET of the
 * token every PROBE_MS on a timer of the loop that entered it, so the
 * lock nobody holds goes (and a token stored meanwhile is written back)
 * as soon as Redis answers, not at this process's next expiry, which the
 * rest of the fleet would wait for.
 *
 * On a loop (spotify_async_current(): an async context calls), the same
 * commands go through that context's connection (redis_loop.c) and nothing
 * waits for Redis: load answers from the memory copy; try_lock sends the
 * lock's SET NX PX and a GET of the token in one go and answers "not taken"
 * until both answers are in (its callers look again on their timers), then
 * "taken" with the GET's token in the memory copy for the re-read that
 * follows (or the local lock alone when Redis did not answer: the
 * fallback); store and unlock are sent without waiting, in that order on
 * one connection.
 */
#include <errno.h>
#include <hiredis/hiredis.h>
#include <spotify/sys/async.h>
#include <stdatomic.h>
#include <string.h>

#include "../auth/oauth.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/crypto.h"
#include "../core/error.h"
#include "../core/log.h"
#include "redis_internal.h"

static const char UNLOCK_SCRIPT[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
    "return 0";

/* Lock tries without an answer remembered for release (the newest
 * dropped when more pile up: the first SET NX Redis runs takes the lock). */
#define ORPHANS_MAX 4

typedef struct redis_cache {
    spotify__redis_conn conn;
    char *token_key;
    char *lock_key;
    int64_t lock_expiry_ms;
    int64_t lock_wait_ms;
    /* The local half of the lock. */
    pthread_mutex_t mutex;
    pthread_cond_t released;
    bool held;         /* a thread of this process holds (or is taking) it */
    bool redis_locked; /* ... and holds the Redis lock with `owner` */
    /* try_lock: when attempts began finding the lock taken (0: they do not),
     * and when the last attempt was answered, under the local half. */
    int64_t contended_since_ms;
    int64_t last_try_ms;
    char owner[33];
    /* Owners of lock tries that got no answer (under `mutex`): Redis may
     * still run their SET NX when it reads them (a stopped server resuming),
     * leaving a lock nobody would release before lock_expiry_ms. The first
     * try once Redis answers again deletes them (compare-and-delete) before
     * its own SET NX. */
    char orphans[ORPHANS_MAX][33];
    int orphan_count;
    /* Fallback state (under `mutex`): a memory cache (the last token read
     * from or written to Redis, or stored during an outage), whether we are
     * in the fallback, and whether a token was stored there meanwhile. */
    spotify_token_cache *memory;
    bool in_fallback;
    bool dirty;
    /* Connections on async contexts' loops, and the one lock attempt on a
     * loop (under `mutex`; the local half is held while it runs). */
    spotify__redis_loops loops;
    bool loops_ready;
    spotify__redis_loop *attempt_loop; /* NULL: no attempt */
    int attempt_answers;               /* answers in (2: done) */
    spotify_status attempt_status;     /* the first failure, or OK */
    bool attempt_taken;
    spotify_error attempt_err;
    spotify_token attempt_token; /* the GET's answer, applied when the attempt ends */
    bool attempt_found;
    int64_t attempt_over_ms; /* monotonic time both answers were in */
    /* The loop whose timer probes Redis during the fallback (under
     * `mutex`), NULL: none. */
    spotify__redis_loop *probe_loop;
} redis_cache;

/* An attempt over for this long and not ended by its context (which found
 * a token without it) is ended by whoever waits for the local half. */
#define ATTEMPT_ABANDONED_MS 1000
/* try_lock's callers look again at most every 200 ms while they wait; a try
 * after a longer pause begins a new wait (the last one ended with a token
 * found without the lock, which the cache is not told), so lock_wait_ms
 * counts from it, not from a wait of an earlier expiry. */
#define NEW_WAIT_AFTER_MS 1000
/* During a fallback on a loop: how often the probe asks Redis. */
#define PROBE_MS 500

/* The commands, for both connections. */
#define CMD_GET "GET %s"
#define CMD_SET "SET %s %b"
#define CMD_SET_PX "SET %s %b PX %lld"
#define CMD_LOCK "SET %s %s NX PX %lld"
#define CMD_UNLOCK "EVAL %s 1 %s %s"

/* ------------------------------------------------------------------------ */
/* Fallback                                                                 */
/* ------------------------------------------------------------------------ */

/* After a Redis failure `st`: true when the call should go on in memory
 * (Redis cannot be reached; any other failure is the caller's). */
static bool use_fallback(redis_cache *rc, spotify_status st, const spotify_error *cause)
{
    if (st != SPOTIFY_ETRANSPORT)
        return false;
    pthread_mutex_lock(&rc->mutex);
    bool entering = !rc->in_fallback;
    rc->in_fallback = true;
    pthread_mutex_unlock(&rc->mutex);
    if (entering)
        spotify__log(SPOTIFY_LOG_WARN,
                     "token cache: %s; falling back to a process-local memory cache until "
                     "Redis answers again (this process now refreshes on its own: one refresh "
                     "per process instead of per fleet)",
                     cause != NULL ? cause->message : rc->conn.where);
    return true;
}

/* Keeps the token Redis just gave or took in memory, for an outage. */
static void remember(redis_cache *rc, const spotify_token *token)
{
    if (spotify_token_cache_store(rc->memory, token, NULL) != SPOTIFY_OK)
        spotify_token_cache_remove(rc->memory, NULL); /* better none than a stale one */
}

static bool fallback_active(redis_cache *rc)
{
    pthread_mutex_lock(&rc->mutex);
    bool active = rc->in_fallback;
    pthread_mutex_unlock(&rc->mutex);
    return active;
}

/* A GET's answer: the token, or none (a corrupt value warned). The reply's
 * text is wiped. */
static void token_of_reply(redis_cache *rc, const redisReply *reply, spotify_token *out,
                           bool *found)
{
    *found = false;
    if (reply->type != REDIS_REPLY_STRING)
        return;
    *found = reply->len > 0 && spotify__token_from_json(out, reply->str, reply->len);
    if (!*found)
        spotify__log(SPOTIFY_LOG_WARN,
                     "token cache: %s key %s does not hold a token record (corrupt JSON, "
                     "wrong types or missing members); reading it as no token",
                     rc->conn.where, rc->token_key);
    spotify__wipe(reply->str, reply->len);
}

/* Reads the token at the key; a corrupt value is "no token" (warned). */
static spotify_status redis_get(redis_cache *rc, spotify_token *out, bool *found,
                                spotify_error *err)
{
    *found = false;
    redisReply *reply = NULL;
    spotify_status st = spotify__redis_conn_command(&rc->conn, &reply, err, CMD_GET, rc->token_key);
    if (st == SPOTIFY_EPROTOCOL) {
        spotify__log(SPOTIFY_LOG_WARN,
                     "token cache: %s key %s is not a string; reading it as no token",
                     rc->conn.where, rc->token_key);
        return SPOTIFY_OK;
    }
    if (st != SPOTIFY_OK)
        return st;
    token_of_reply(rc, reply, out, found);
    freeReplyObject(reply);
    return SPOTIFY_OK;
}

static spotify_status redis_set(redis_cache *rc, const spotify_token *token, spotify_error *err);

/*
 * Redis answered again after a fallback: leave it, and when a token was
 * stored in memory meanwhile that is newer than Redis's (`current`, found or
 * not), write it back and use it as the loaded token.
 */
static void leave_fallback(redis_cache *rc, spotify_token *current, bool *found)
{
    pthread_mutex_lock(&rc->mutex);
    bool was = rc->in_fallback;
    bool dirty = rc->dirty;
    rc->in_fallback = false;
    rc->dirty = false;
    pthread_mutex_unlock(&rc->mutex);
    if (!was)
        return;
    spotify__log(SPOTIFY_LOG_WARN, "token cache: %s answers again; leaving the memory fallback",
                 rc->conn.where);
    spotify_token mine = {0};
    bool have = false;
    if (!dirty || spotify_token_cache_get(&mine, &have, rc->memory, NULL) != SPOTIFY_OK || !have)
        return;
    if (!*found || mine.expires_at > current->expires_at) {
        spotify_error err = {0};
        if (redis_set(rc, &mine, &err) != SPOTIFY_OK)
            spotify__log(SPOTIFY_LOG_WARN, "token cache: writing back the token failed: %s",
                         err.message);
        spotify_token_clear(current);
        *current = mine;
        *found = true;
        return;
    }
    spotify_token_clear(&mine);
}

/* ------------------------------------------------------------------------ */
/* Ops                                                                      */
/* ------------------------------------------------------------------------ */

/* On a loop (below). */
static spotify__redis_loop *loop_of_caller(redis_cache *rc);
static spotify_status loop_set(redis_cache *rc, spotify__redis_loop *loop,
                               const spotify_token *token, spotify_error *err);
static void loop_failed(redis_cache *rc, spotify_status st, const spotify_error *err,
                        const char *what);

static spotify_status rc_load(void *user, spotify_token *out, bool *found, spotify_error *err)
{
    redis_cache *rc = user;
    if (loop_of_caller(rc) != NULL) /* the copy the last lock attempt refreshed */
        return spotify_token_cache_get(out, found, rc->memory, err);
    spotify_error cause = {0};
    spotify_status st = redis_get(rc, out, found, &cause);
    if (st == SPOTIFY_OK) {
        leave_fallback(rc, out, found);
        if (*found)
            remember(rc, out);
        return SPOTIFY_OK;
    }
    if (use_fallback(rc, st, &cause))
        return spotify_token_cache_get(out, found, rc->memory, err);
    if (err != NULL)
        *err = cause;
    return st;
}

/* The SET of `token`: its record in *json, and the PX (0: none, for a
 * record with a refresh token: its expiry is in the record, and the
 * refresh token must stay). false on OOM. */
static bool set_arguments(const spotify_token *token, spotify__strbuf *json, long long *px)
{
    *px = 0;
    if (token->refresh_token == NULL) {
        double left = (token->expires_at - spotify__wall_seconds()) * 1000.0;
        *px = left > 1000.0 ? (long long)left : 1000;
    }
    return spotify__token_to_json(json, token);
}

static spotify_status redis_set(redis_cache *rc, const spotify_token *token, spotify_error *err)
{
    spotify__strbuf json = SPOTIFY__STRBUF_INIT;
    long long px = 0;
    if (!set_arguments(token, &json, &px)) {
        spotify__strbuf_release_secret(&json);
        return spotify__error_oom(err);
    }
    redisReply *reply = NULL;
    spotify_status st = px == 0
                            ? spotify__redis_conn_command(&rc->conn, &reply, err, CMD_SET,
                                                          rc->token_key, json.data, json.len)
                            : spotify__redis_conn_command(&rc->conn, &reply, err, CMD_SET_PX,
                                                          rc->token_key, json.data, json.len, px);
    spotify__strbuf_release_secret(&json);
    if (reply != NULL)
        freeReplyObject(reply);
    return st;
}

static spotify_status rc_store(void *user, const spotify_token *token, spotify_error *err)
{
    redis_cache *rc = user;
    spotify__redis_loop *loop = loop_of_caller(rc);
    if (loop != NULL) {
        remember(rc, token);
        spotify_error cause = {0};
        if (loop_set(rc, loop, token, &cause) != SPOTIFY_OK) {
            loop_failed(rc, cause.status, &cause, "storing the token");
            pthread_mutex_lock(&rc->mutex);
            rc->dirty = true;
            pthread_mutex_unlock(&rc->mutex);
        }
        return SPOTIFY_OK; /* kept here; Redis gets it without the loop waiting */
    }
    spotify_error cause = {0};
    spotify_status st = redis_set(rc, token, &cause);
    if (st == SPOTIFY_OK) {
        if (fallback_active(rc)) {
            spotify_token none = {0};
            bool found = false;
            leave_fallback(rc, &none, &found);
            spotify_token_clear(&none);
        }
        remember(rc, token);
        return SPOTIFY_OK;
    }
    if (use_fallback(rc, st, &cause)) {
        st = spotify_token_cache_store(rc->memory, token, err);
        pthread_mutex_lock(&rc->mutex);
        rc->dirty = rc->dirty || st == SPOTIFY_OK;
        pthread_mutex_unlock(&rc->mutex);
        return st;
    }
    if (err != NULL)
        *err = cause;
    return st;
}

static spotify_status rc_remove(void *user, spotify_error *err)
{
    redis_cache *rc = user;
    spotify_token_cache_remove(rc->memory, NULL);
    redisReply *reply = NULL;
    spotify_status st =
        spotify__redis_conn_command(&rc->conn, &reply, err, "DEL %s", rc->token_key);
    if (reply != NULL)
        freeReplyObject(reply);
    return st;
}

/* ---- lock ---- */

static void orphans_release(redis_cache *rc);

static bool new_owner(char owner[33])
{
    unsigned char rnd[16];
    if (!spotify__random_bytes(rnd, sizeof rnd))
        return false;
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof rnd; i++) {
        owner[2 * i] = hex[rnd[i] >> 4];
        owner[2 * i + 1] = hex[rnd[i] & 15];
    }
    owner[32] = '\0';
    return true;
}

/* One SET NX PX; *taken tells whether it succeeded. */
static spotify_status try_lock(redis_cache *rc, bool *taken, spotify_error *err)
{
    redisReply *reply = NULL;
    spotify_status st = spotify__redis_conn_command(&rc->conn, &reply, err, CMD_LOCK, rc->lock_key,
                                                    rc->owner, (long long)rc->lock_expiry_ms);
    *taken = st == SPOTIFY_OK && reply->type == REDIS_REPLY_STATUS;
    if (reply != NULL)
        freeReplyObject(reply);
    return st;
}

/* The error of a lock another worker kept longer than lock_wait_ms. */
static spotify_status lock_wait_exceeded(const redis_cache *rc, spotify_error *err)
{
    return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0,
                              "token cache: %s: another worker held the refresh lock %s for more "
                              "than %lld ms",
                              rc->conn.where, rc->lock_key, (long long)rc->lock_wait_ms);
}

static spotify_status no_owner(spotify_error *err)
{
    return spotify__error_set(err, SPOTIFY_EIO, 0,
                              "token cache: no randomness for the lock owner (OpenSSL)");
}

/* Takes the Redis lock, polling with backoff up to lock_wait_ms; *busy
 * tells a failure because another worker kept the lock that long (Redis
 * answered: no reason to fall back) from a Redis failure. */
static spotify_status redis_lock(redis_cache *rc, bool *busy, spotify_error *err)
{
    *busy = false;
    if (!new_owner(rc->owner))
        return no_owner(err);
    orphans_release(rc);
    int64_t start = spotify__monotonic_ms();
    for (int attempt = 0;; attempt++) {
        bool taken = false;
        spotify_status st = try_lock(rc, &taken, err);
        if (st != SPOTIFY_OK || taken)
            return st;
        int64_t left = rc->lock_wait_ms - (spotify__monotonic_ms() - start);
        *busy = left <= 0;
        if (*busy)
            return lock_wait_exceeded(rc, err);
        int64_t wait =
            spotify__redis_lock_backoff_ms(attempt, 0.5 + spotify__random_unit() / 2, left);
        struct timespec ts = {.tv_sec = (time_t)(wait / 1000),
                              .tv_nsec = (long)(wait % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
}

/* After a lock attempt Redis answered (`taken` or not): attempts that find
 * the lock taken count as one wait, bounded by lock_wait_ms like the
 * blocking lock's (*busy and the error when it ran out). */
static spotify_status try_lock_answered(redis_cache *rc, bool taken, bool *busy, spotify_error *err)
{
    *busy = false;
    int64_t now = spotify__monotonic_ms();
    if (now - rc->last_try_ms > NEW_WAIT_AFTER_MS)
        rc->contended_since_ms = 0;
    rc->last_try_ms = now;
    if (taken || rc->contended_since_ms == 0) {
        rc->contended_since_ms = taken ? 0 : now;
        return SPOTIFY_OK;
    }
    *busy = now - rc->contended_since_ms > rc->lock_wait_ms;
    if (!*busy)
        return SPOTIFY_OK;
    rc->contended_since_ms = 0;
    return lock_wait_exceeded(rc, err);
}

/* One attempt at the Redis lock for try_lock. */
static spotify_status redis_try_lock(redis_cache *rc, bool *taken, bool *busy, spotify_error *err)
{
    *busy = false;
    if (!new_owner(rc->owner))
        return no_owner(err);
    orphans_release(rc);
    spotify_status st = try_lock(rc, taken, err);
    if (st != SPOTIFY_OK)
        return st;
    return try_lock_answered(rc, *taken, busy, err);
}

/* The local half of the lock (other threads of this process), waiting for
 * it when `wait`; false when it is held and `wait` is off. */
/* With `mutex` held: a loop's lock attempt that its context did not end
 * (it found a token another way) for ATTEMPT_ABANDONED_MS is ended here:
 * the local half is free again, and a Redis lock it took is released
 * (after `mutex`: *release). */
static void attempt_abandon_stale(redis_cache *rc, bool *release)
{
    if (rc->attempt_loop == NULL || rc->attempt_answers < 2 ||
        spotify__monotonic_ms() - rc->attempt_over_ms < ATTEMPT_ABANDONED_MS)
        return;
    *release = *release || (rc->attempt_status == SPOTIFY_OK && rc->attempt_taken);
    rc->attempt_loop = NULL;
    spotify_token_clear(&rc->attempt_token);
    rc->held = false;
}

static void release_redis_lock(redis_cache *rc);
static void unlock_answered(const redis_cache *rc, const redisReply *reply);

static bool local_take(redis_cache *rc, bool wait)
{
    bool release = false;
    pthread_mutex_lock(&rc->mutex);
    attempt_abandon_stale(rc, &release);
    while (wait && rc->held) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&rc->released, &rc->mutex, &until);
        attempt_abandon_stale(rc, &release);
    }
    bool taken = !rc->held;
    rc->held = true;
    pthread_mutex_unlock(&rc->mutex);
    if (release)
        release_redis_lock(rc); /* the owner is still the attempt's */
    return taken;
}

/* A lock of `owner` that nobody will release: a try that failed for want
 * of an answer (Redis may still run it later), or a lock whose release
 * failed. Remembered for release. */
static void orphan_add(redis_cache *rc, const char owner[33])
{
    pthread_mutex_lock(&rc->mutex);
    if (rc->orphan_count < ORPHANS_MAX)
        memcpy(rc->orphans[rc->orphan_count++], owner, sizeof rc->owner);
    pthread_mutex_unlock(&rc->mutex);
}

/* Once Redis answers again (not in the fallback): the remembered owners,
 * moved to `out`; their count. Redis has run whatever the stopped server
 * had buffered before the answer that ended the fallback, so a delete sent
 * now comes after those SET NX. */
static int orphans_take(redis_cache *rc, char out[ORPHANS_MAX][33])
{
    pthread_mutex_lock(&rc->mutex);
    int n = rc->in_fallback ? 0 : rc->orphan_count;
    memcpy(out, rc->orphans, (size_t)n * sizeof rc->orphans[0]);
    if (n > 0)
        rc->orphan_count = 0;
    pthread_mutex_unlock(&rc->mutex);
    return n;
}

/* Deletes the remembered locks on the blocking connection (a failure
 * leaves them to expire). */
static void orphans_release(redis_cache *rc)
{
    char owners[ORPHANS_MAX][33];
    int n = orphans_take(rc, owners);
    for (int i = 0; i < n; i++) {
        redisReply *reply = NULL;
        spotify_error err = {0};
        spotify__redis_conn_command(&rc->conn, &reply, &err, CMD_UNLOCK, UNLOCK_SCRIPT,
                                    rc->lock_key, owners[i]);
        if (reply != NULL)
            freeReplyObject(reply);
    }
}

/*
 * Ends an attempt at the Redis half, which gave `st` (`busy`: another
 * worker kept it too long) and `cause`: a Redis failure may fall back to
 * the local half alone; when the lock is not held after all, the local half
 * is released. Returns the attempt's status (copied into err on failure).
 */
static spotify_status lock_attempt_end(redis_cache *rc, spotify_status st, bool taken, bool busy,
                                       const spotify_error *cause, bool *held, spotify_error *err)
{
    bool redis_locked = st == SPOTIFY_OK && taken;
    if (st != SPOTIFY_OK && !busy && use_fallback(rc, st, cause)) {
        orphan_add(rc, rc->owner);
        st = SPOTIFY_OK; /* the local lock alone */
        taken = true;
    } else if (st != SPOTIFY_OK && err != NULL) {
        *err = *cause;
    }
    *held = st == SPOTIFY_OK && taken;
    pthread_mutex_lock(&rc->mutex);
    rc->redis_locked = redis_locked;
    if (!*held) {
        rc->held = false;
        pthread_cond_signal(&rc->released);
    }
    pthread_mutex_unlock(&rc->mutex);
    return st;
}

/* ---- on a loop ---- */

/* The unlock script's answer: 0 when the lock had expired (logged). */
static void unlock_answered(const redis_cache *rc, const redisReply *reply)
{
    if (reply->type == REDIS_REPLY_INTEGER && reply->integer == 0)
        spotify__log(SPOTIFY_LOG_WARN,
                     "token cache: the refresh lock %s expired before its release (the "
                     "refresh took longer than lock_expiry_ms = %lld)",
                     rc->lock_key, (long long)rc->lock_expiry_ms);
}

/* The connection of the async context calling, or NULL (a blocking caller;
 * also when it cannot be made: the blocking path then). */
static spotify__redis_loop *loop_of_caller(redis_cache *rc)
{
    spotify__redis_loop *loop = NULL;
    if (rc->loops_ready && spotify_async_current() != NULL)
        spotify__redis_loops_current(&rc->loops, &loop, NULL);
    return loop;
}

static void probe_arm(redis_cache *rc, spotify__redis_loop *loop);
static void orphans_release_on(redis_cache *rc, spotify__redis_loop *loop);

/* A command on a loop failed: Redis cannot be reached (the fallback,
 * warned once) or refused it (warned). */
static void loop_failed(redis_cache *rc, spotify_status st, const spotify_error *err,
                        const char *what)
{
    if (use_fallback(rc, st, err))
        probe_arm(rc, loop_of_caller(rc));
    else
        spotify__log(SPOTIFY_LOG_WARN, "token cache: %s failed: %s", what, err->message);
}

/* A command on a loop was answered: the fallback, if any, is over. */
static void loop_answered(redis_cache *rc)
{
    pthread_mutex_lock(&rc->mutex);
    bool was = rc->in_fallback;
    rc->in_fallback = false;
    pthread_mutex_unlock(&rc->mutex);
    if (!was)
        return;
    spotify__log(SPOTIFY_LOG_WARN, "token cache: %s answers again; leaving the memory fallback",
                 rc->conn.where);
    spotify__redis_loop *loop = loop_of_caller(rc);
    if (loop != NULL) /* the locks nobody holds go now, not at the next try */
        orphans_release_on(rc, loop);
}

static void loop_stored(void *user, spotify_status st, const redisReply *reply,
                        const spotify_error *err)
{
    (void)reply;
    redis_cache *rc = user;
    if (st == SPOTIFY_OK) {
        loop_answered(rc);
        return;
    }
    loop_failed(rc, st, err, "storing the token");
    pthread_mutex_lock(&rc->mutex);
    rc->dirty = true; /* written back when Redis answers again */
    pthread_mutex_unlock(&rc->mutex);
}

/* Sends the SET of `token` on `loop` without waiting. */
static spotify_status loop_set(redis_cache *rc, spotify__redis_loop *loop,
                               const spotify_token *token, spotify_error *err)
{
    spotify__strbuf json = SPOTIFY__STRBUF_INIT;
    long long px = 0;
    if (!set_arguments(token, &json, &px)) {
        spotify__strbuf_release_secret(&json);
        return spotify__error_oom(err);
    }
    spotify_status st = px == 0
                            ? spotify__redis_loop_command(loop, loop_stored, rc, err, CMD_SET,
                                                          rc->token_key, json.data, json.len)
                            : spotify__redis_loop_command(loop, loop_stored, rc, err, CMD_SET_PX,
                                                          rc->token_key, json.data, json.len, px);
    spotify__strbuf_release_secret(&json);
    return st;
}

/* An unlock on a loop: the lock's owner, for its answer (the cache's
 * owner may change before it lands: another context's next attempt). */
typedef struct loop_unlock {
    redis_cache *rc;
    char owner[33];
} loop_unlock;

/* A release that failed leaves the lock held for nobody: an orphan, which
 * the probe or the next try deletes once Redis answers (a context whose
 * connection is in its reconnect pause while Redis is up again held the
 * fleet's lock for lock_expiry_ms). */
static void loop_unlocked(void *user, spotify_status st, const redisReply *reply,
                          const spotify_error *err)
{
    loop_unlock *unlock = user;
    redis_cache *rc = unlock->rc;
    if (st != SPOTIFY_OK) {
        orphan_add(rc, unlock->owner);
        loop_failed(rc, st, err, "releasing the refresh lock");
    } else {
        loop_answered(rc);
        unlock_answered(rc, reply);
    }
    spotify__free(unlock);
}

/* Sends the release of the Redis lock on `loop` without waiting. */
static void loop_unlock_send(redis_cache *rc, spotify__redis_loop *loop)
{
    loop_unlock *unlock = spotify__calloc(1, sizeof *unlock);
    spotify_error err = {0};
    if (unlock == NULL) {
        spotify__error_oom(&err);
    } else {
        unlock->rc = rc;
        memcpy(unlock->owner, rc->owner, sizeof unlock->owner);
        if (spotify__redis_loop_command(loop, loop_unlocked, unlock, &err, CMD_UNLOCK,
                                        UNLOCK_SCRIPT, rc->lock_key, rc->owner) == SPOTIFY_OK)
            return;
        spotify__free(unlock);
    }
    orphan_add(rc, rc->owner);
    loop_failed(rc, err.status, &err, "releasing the refresh lock");
}

/* One answer of the lock attempt (under `mutex`). */
static void attempt_answer(redis_cache *rc, spotify_status st, const spotify_error *err)
{
    if (++rc->attempt_answers == 2)
        rc->attempt_over_ms = spotify__monotonic_ms();
    if (st != SPOTIFY_OK && rc->attempt_status == SPOTIFY_OK) {
        rc->attempt_status = st;
        rc->attempt_err = *err;
    }
}

static void attempt_locked(void *user, spotify_status st, const redisReply *reply,
                           const spotify_error *err)
{
    redis_cache *rc = user;
    pthread_mutex_lock(&rc->mutex);
    attempt_answer(rc, st, err);
    rc->attempt_taken = st == SPOTIFY_OK && reply->type == REDIS_REPLY_STATUS;
    pthread_mutex_unlock(&rc->mutex);
}

/* The GET sent with the lock: kept until the attempt ends (so the cache's
 * load cannot find it before the lock is accounted for). */
static void attempt_read(void *user, spotify_status st, const redisReply *reply,
                         const spotify_error *err)
{
    redis_cache *rc = user;
    spotify_token theirs = {0};
    bool found = false;
    if (st == SPOTIFY_OK) {
        loop_answered(rc);
        token_of_reply(rc, reply, &theirs, &found);
    }
    pthread_mutex_lock(&rc->mutex);
    spotify_token_clear(&rc->attempt_token);
    rc->attempt_token = theirs;
    rc->attempt_found = found;
    attempt_answer(rc, st, err);
    pthread_mutex_unlock(&rc->mutex);
}

/* An attempt ended: Redis's token (from its GET) becomes the memory copy
 * that the re-read after the lock finds, unless this process stored a newer
 * one during an outage, which is written back instead (on `loop`). */
static void attempt_apply(redis_cache *rc, spotify__redis_loop *loop, spotify_token *theirs,
                          bool found)
{
    spotify_token mine = {0};
    bool have = false;
    pthread_mutex_lock(&rc->mutex);
    bool dirty = rc->dirty;
    rc->dirty = false;
    pthread_mutex_unlock(&rc->mutex);
    if (dirty && spotify_token_cache_get(&mine, &have, rc->memory, NULL) == SPOTIFY_OK && have &&
        (!found || mine.expires_at > theirs->expires_at)) {
        spotify_error set_err = {0};
        if (loop_set(rc, loop, &mine, &set_err) != SPOTIFY_OK)
            spotify__log(SPOTIFY_LOG_WARN, "token cache: writing back the token failed: %s",
                         set_err.message);
    } else if (found) {
        remember(rc, theirs);
    }
    spotify_token_clear(&mine);
}

static void orphan_deleted(void *user, spotify_status st, const redisReply *reply,
                           const spotify_error *err)
{
    (void)user;
    (void)st;
    (void)reply;
    (void)err; /* a failure leaves the lock to expire */
}

/* orphans_release on a loop: the deletes go before the try's SET NX on the
 * same connection, without waiting. */
static void orphans_release_on(redis_cache *rc, spotify__redis_loop *loop)
{
    char owners[ORPHANS_MAX][33];
    int n = orphans_take(rc, owners);
    for (int i = 0; i < n; i++) {
        spotify_error err = {0};
        spotify__redis_loop_command(loop, orphan_deleted, rc, &err, CMD_UNLOCK, UNLOCK_SCRIPT,
                                    rc->lock_key, owners[i]);
    }
}

/* ---- the probe ---- */

static void probe_due(void *user, spotify__redis_loop *loop);

/* The probe's GET was answered (Redis answers again: the fallback is over,
 * its orphaned locks deleted, a token stored meanwhile written back), or
 * failed (asked again in PROBE_MS). Runs on the probe's loop. */
static void probe_answered(void *user, spotify_status st, const redisReply *reply,
                           const spotify_error *err)
{
    (void)err;
    redis_cache *rc = user;
    pthread_mutex_lock(&rc->mutex);
    spotify__redis_loop *loop = rc->probe_loop;
    if (st != SPOTIFY_ETRANSPORT)
        rc->probe_loop = NULL;
    pthread_mutex_unlock(&rc->mutex);
    if (loop == NULL) /* its connection went meanwhile */
        return;
    if (st == SPOTIFY_ETRANSPORT) {
        spotify__redis_loop_call_later(loop, PROBE_MS, probe_due, rc);
        return;
    }
    loop_answered(rc); /* the orphaned locks go */
    spotify_token theirs = {0};
    bool found = false;
    if (reply != NULL)
        token_of_reply(rc, reply, &theirs, &found);
    attempt_apply(rc, loop, &theirs, found);
    spotify_token_clear(&theirs);
}

/* The probe's timer: a GET of the token while the fallback lasts. */
static void probe_due(void *user, spotify__redis_loop *loop)
{
    redis_cache *rc = user;
    pthread_mutex_lock(&rc->mutex);
    bool still = rc->in_fallback && rc->probe_loop == loop;
    if (!still && rc->probe_loop == loop)
        rc->probe_loop = NULL;
    pthread_mutex_unlock(&rc->mutex);
    if (!still)
        return;
    spotify_error err = {0};
    if (spotify__redis_loop_command(loop, probe_answered, rc, &err, CMD_GET, rc->token_key) !=
        SPOTIFY_OK) /* the reconnect pause */
        spotify__redis_loop_call_later(loop, PROBE_MS, probe_due, rc);
}

/* In the fallback on `loop` (NULL: a blocking caller, whose next call
 * looks at Redis anyway): arms the probe, unless one is armed. */
static void probe_arm(redis_cache *rc, spotify__redis_loop *loop)
{
    if (loop == NULL)
        return;
    pthread_mutex_lock(&rc->mutex);
    bool arm = rc->in_fallback && rc->probe_loop == NULL;
    if (arm)
        rc->probe_loop = loop;
    pthread_mutex_unlock(&rc->mutex);
    if (arm)
        spotify__redis_loop_call_later(loop, PROBE_MS, probe_due, rc);
}

/*
 * try_lock on a loop: the first call sends SET NX PX and GET and answers
 * "not taken"; calls while the answers are out answer the same; the call
 * after both are in ends the attempt like the blocking try_lock (taken, not
 * taken, the wait bound, or the fallback's local lock). That call may come
 * from any context of the process: the lock and the token are the
 * process's, and the context that sent the attempt may have no call left
 * that looks at it (its request was cancelled or finished another way),
 * which left the others waiting on an attempt nobody would end.
 */
static spotify_status loop_try_lock(redis_cache *rc, spotify__redis_loop *loop, bool *taken,
                                    spotify_error *err)
{
    *taken = false;
    pthread_mutex_lock(&rc->mutex);
    if (rc->attempt_loop != NULL) {
        bool over = rc->attempt_answers == 2;
        spotify_status st = rc->attempt_status;
        bool got = rc->attempt_taken;
        spotify_error cause = rc->attempt_err;
        spotify_token theirs = {0};
        bool found = false;
        if (over) {
            rc->attempt_loop = NULL;
            theirs = rc->attempt_token;
            found = rc->attempt_found;
            memset(&rc->attempt_token, 0, sizeof rc->attempt_token);
        }
        pthread_mutex_unlock(&rc->mutex);
        if (!over)
            return SPOTIFY_OK;
        if (st == SPOTIFY_OK)
            attempt_apply(rc, loop, &theirs, found);
        spotify_token_clear(&theirs);
        bool busy = false;
        if (st == SPOTIFY_OK)
            st = try_lock_answered(rc, got, &busy, &cause);
        st = lock_attempt_end(rc, st, got, busy, &cause, taken, err);
        probe_arm(rc, loop); /* when it fell back */
        return st;
    }
    bool free_now = !rc->held;
    rc->held = true;
    pthread_mutex_unlock(&rc->mutex);
    if (!free_now)
        return SPOTIFY_OK; /* another thread of this process has it */
    spotify_error cause = {0};
    spotify_status st = new_owner(rc->owner) ? SPOTIFY_OK : no_owner(&cause);
    if (st == SPOTIFY_OK) {
        pthread_mutex_lock(&rc->mutex);
        rc->attempt_loop = loop;
        rc->attempt_answers = 0;
        rc->attempt_status = SPOTIFY_OK;
        rc->attempt_taken = false;
        pthread_mutex_unlock(&rc->mutex);
        orphans_release_on(rc, loop);
        st = spotify__redis_loop_command(loop, attempt_locked, rc, &cause, CMD_LOCK, rc->lock_key,
                                         rc->owner, (long long)rc->lock_expiry_ms);
    }
    if (st == SPOTIFY_OK) {
        spotify_error get_err = {0};
        if (spotify__redis_loop_command(loop, attempt_read, rc, &get_err, CMD_GET, rc->token_key) !=
            SPOTIFY_OK) {
            pthread_mutex_lock(&rc->mutex);
            attempt_answer(rc, get_err.status, &get_err);
            pthread_mutex_unlock(&rc->mutex);
        }
        return SPOTIFY_OK; /* the answers land later */
    }
    pthread_mutex_lock(&rc->mutex);
    rc->attempt_loop = NULL;
    pthread_mutex_unlock(&rc->mutex);
    st = lock_attempt_end(rc, st, false, false, &cause, taken, err);
    probe_arm(rc, loop);
    return st;
}

/* A loop connection goes (its context was freed): an attempt of it that
 * nobody will end gives the local half back (a Redis lock it took
 * expires). */
static void loop_closed(void *user, spotify__redis_loop *loop)
{
    redis_cache *rc = user;
    pthread_mutex_lock(&rc->mutex);
    if (rc->probe_loop == loop)
        rc->probe_loop = NULL; /* the next failure on a loop arms another */
    if (rc->attempt_loop == loop) {
        rc->attempt_loop = NULL;
        spotify_token_clear(&rc->attempt_token);
        rc->held = false;
        rc->redis_locked = false;
        pthread_cond_signal(&rc->released);
    }
    pthread_mutex_unlock(&rc->mutex);
}

static spotify_status rc_lock(void *user, spotify_error *err)
{
    redis_cache *rc = user;
    local_take(rc, true);
    spotify_error cause = {0};
    bool busy = false;
    bool held = false;
    spotify_status st = redis_lock(rc, &busy, &cause);
    return lock_attempt_end(rc, st, true, busy, &cause, &held, err);
}

static spotify_status rc_try_lock(void *user, bool *taken, spotify_error *err)
{
    redis_cache *rc = user;
    *taken = false;
    spotify__redis_loop *loop = loop_of_caller(rc);
    if (loop != NULL)
        return loop_try_lock(rc, loop, taken, err);
    if (!local_take(rc, false))
        return SPOTIFY_OK;
    spotify_error cause = {0};
    bool busy = false;
    bool redis_taken = false;
    spotify_status st = redis_try_lock(rc, &redis_taken, &busy, &cause);
    return lock_attempt_end(rc, st, redis_taken, busy, &cause, taken, err);
}

/* Releases the Redis lock of `owner` on the blocking connection (logged
 * when it failed, or had expired). */
static void release_redis_lock(redis_cache *rc)
{
    redisReply *reply = NULL;
    spotify_error err = {0};
    spotify_status st = spotify__redis_conn_command(&rc->conn, &reply, &err, CMD_UNLOCK,
                                                    UNLOCK_SCRIPT, rc->lock_key, rc->owner);
    if (st != SPOTIFY_OK) {
        orphan_add(rc, rc->owner); /* deleted by the next try */
        spotify__log(SPOTIFY_LOG_WARN,
                     "token cache: releasing the refresh lock failed (the next lock try "
                     "deletes it, or it expires): %s",
                     err.message);
    } else
        unlock_answered(rc, reply);
    if (reply != NULL)
        freeReplyObject(reply);
}

static void rc_unlock(void *user)
{
    redis_cache *rc = user;
    pthread_mutex_lock(&rc->mutex);
    bool redis_locked = rc->redis_locked;
    pthread_mutex_unlock(&rc->mutex);
    spotify__redis_loop *loop = redis_locked ? loop_of_caller(rc) : NULL;
    if (loop != NULL)
        loop_unlock_send(rc, loop);
    if (redis_locked && loop == NULL)
        release_redis_lock(rc);
    pthread_mutex_lock(&rc->mutex);
    rc->redis_locked = false;
    rc->held = false;
    pthread_cond_signal(&rc->released);
    pthread_mutex_unlock(&rc->mutex);
}

/* ------------------------------------------------------------------------ */
/* Construction                                                             */
/* ------------------------------------------------------------------------ */

static void rc_destroy(void *user)
{
    redis_cache *rc = user;
    if (rc == NULL)
        return;
    if (rc->loops_ready)
        spotify__redis_loops_release(&rc->loops);
    spotify__redis_conn_release(&rc->conn);
    spotify_token_clear(&rc->attempt_token);
    spotify_token_cache_free(rc->memory);
    pthread_cond_destroy(&rc->released);
    pthread_mutex_destroy(&rc->mutex);
    spotify__free(rc->token_key);
    spotify__free(rc->lock_key);
    spotify__free(rc);
}

static char *key_of(spotify__redis_key_kind kind, const spotify__redis_settings *s)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    if (!spotify__redis_key(&sb, kind, s->key_prefix, s->client_id, s->user_key)) {
        spotify__strbuf_release(&sb);
        return NULL;
    }
    return spotify__strbuf_detach(&sb, NULL);
}

static spotify_status rc_init(redis_cache *rc, const spotify__redis_settings *s, spotify_error *err)
{
    rc->lock_expiry_ms = s->lock_expiry_ms;
    rc->lock_wait_ms = s->lock_wait_ms;
    rc->token_key = key_of(SPOTIFY__REDIS_KEY_TOKEN, s);
    rc->lock_key = key_of(SPOTIFY__REDIS_KEY_LOCK, s);
    if (rc->token_key == NULL || rc->lock_key == NULL)
        return spotify__error_oom(err);
    spotify_status st = spotify_token_cache_memory_new(&rc->memory, err);
    if (st != SPOTIFY_OK)
        return st;
    rc->loops_ready = spotify__redis_loops_init(&rc->loops, &rc->conn, loop_closed, rc);
    if (!rc->loops_ready)
        return spotify__error_oom(err);
    spotify_error cause = {0};
    st = spotify__redis_conn_ready(&rc->conn, &cause);
    /* At creation an unreachable Redis is an error unless asked otherwise:
     * a wrong host or port should not pass for an outage. */
    if (st == SPOTIFY_OK || (s->fallback_to_memory && use_fallback(rc, st, &cause)))
        return SPOTIFY_OK;
    if (err != NULL)
        *err = cause;
    return st;
}

spotify_status spotify_redis_token_cache_new(spotify_token_cache **out,
                                             const spotify_redis_options *opts, spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_redis_token_cache_new: out is NULL");
    *out = NULL;
    spotify__redis_settings s;
    spotify_status st = spotify__redis_settings_resolve(&s, opts, err);
    if (st != SPOTIFY_OK)
        return st;
    redis_cache *rc = spotify__calloc(1, sizeof *rc);
    if (rc == NULL)
        return spotify__error_oom(err);
    if (pthread_mutex_init(&rc->mutex, NULL) != 0 || pthread_cond_init(&rc->released, NULL) != 0) {
        spotify__free(rc);
        return spotify__error_oom(err);
    }
    st = spotify__redis_conn_init(&rc->conn, s.url, s.timeout_ms, err);
    if (st != SPOTIFY_OK) {
        pthread_cond_destroy(&rc->released);
        pthread_mutex_destroy(&rc->mutex);
        spotify__free(rc);
        return st;
    }
    st = rc_init(rc, &s, err);
    static const spotify_token_cache_ops ops = {.version = SPOTIFY_TOKEN_CACHE_OPS_VERSION,
                                                .load = rc_load,
                                                .store = rc_store,
                                                .lock = rc_lock,
                                                .unlock = rc_unlock,
                                                .remove = rc_remove,
                                                .destroy = rc_destroy,
                                                .try_lock = rc_try_lock};
    if (st == SPOTIFY_OK)
        st = spotify_token_cache_new(out, &ops, rc, err);
    if (st != SPOTIFY_OK)
        rc_destroy(rc);
    return st;
}

spotify_status spotify_redis_token_cache_from_url(spotify_token_cache **out, const char *url,
                                                  const char *client_id, const char *user_key,
                                                  spotify_error *err)
{
    if (url == NULL || url[0] == '\0') {
        if (out != NULL)
            *out = NULL;
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_redis_token_cache_from_url: the URL is empty");
    }
    spotify_redis_options opts = SPOTIFY_REDIS_OPTIONS_INIT;
    opts.url = url;
    opts.client_id = client_id;
    opts.user_key = user_key;
    return spotify_redis_token_cache_new(out, &opts, err);
}
