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
 * is an error.
 */
#include <errno.h>
#include <hiredis/hiredis.h>
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
     * under the local half. */
    int64_t contended_since_ms;
    char owner[33];
    /* Fallback state (under `mutex`): a memory cache (the last token read
     * from or written to Redis, or stored during an outage), whether we are
     * in the fallback, and whether a token was stored there meanwhile. */
    spotify_token_cache *memory;
    bool in_fallback;
    bool dirty;
} redis_cache;

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

/* Reads the token at the key; a corrupt value is "no token" (warned). */
static spotify_status redis_get(redis_cache *rc, spotify_token *out, bool *found,
                                spotify_error *err)
{
    *found = false;
    redisReply *reply = NULL;
    spotify_status st =
        spotify__redis_conn_command(&rc->conn, &reply, err, "GET %s", rc->token_key);
    if (st == SPOTIFY_EPROTOCOL) {
        spotify__log(SPOTIFY_LOG_WARN,
                     "token cache: %s key %s is not a string; reading it as no token",
                     rc->conn.where, rc->token_key);
        return SPOTIFY_OK;
    }
    if (st != SPOTIFY_OK)
        return st;
    if (reply->type == REDIS_REPLY_STRING) {
        *found = reply->len > 0 && spotify__token_from_json(out, reply->str, reply->len);
        if (!*found)
            spotify__log(SPOTIFY_LOG_WARN,
                         "token cache: %s key %s does not hold a token record (corrupt JSON, "
                         "wrong types or missing members); reading it as no token",
                         rc->conn.where, rc->token_key);
        spotify__wipe(reply->str, reply->len);
    }
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

static spotify_status rc_load(void *user, spotify_token *out, bool *found, spotify_error *err)
{
    redis_cache *rc = user;
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

static spotify_status redis_set(redis_cache *rc, const spotify_token *token, spotify_error *err)
{
    spotify__strbuf json = SPOTIFY__STRBUF_INIT;
    if (!spotify__token_to_json(&json, token)) {
        spotify__strbuf_release_secret(&json);
        return spotify__error_oom(err);
    }
    redisReply *reply = NULL;
    spotify_status st;
    if (token->refresh_token != NULL) {
        /* No TTL: expiry is in the record, and the refresh token must stay. */
        st = spotify__redis_conn_command(&rc->conn, &reply, err, "SET %s %b", rc->token_key,
                                         json.data, json.len);
    } else {
        double left = (token->expires_at - spotify__wall_seconds()) * 1000.0;
        long long px = left > 1000.0 ? (long long)left : 1000;
        st = spotify__redis_conn_command(&rc->conn, &reply, err, "SET %s %b PX %lld", rc->token_key,
                                         json.data, json.len, px);
    }
    spotify__strbuf_release_secret(&json);
    if (reply != NULL)
        freeReplyObject(reply);
    return st;
}

static spotify_status rc_store(void *user, const spotify_token *token, spotify_error *err)
{
    redis_cache *rc = user;
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
    spotify_status st =
        spotify__redis_conn_command(&rc->conn, &reply, err, "SET %s %s NX PX %lld", rc->lock_key,
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

/* One attempt at the Redis lock for try_lock. Attempts that find it taken
 * count as one wait, bounded by lock_wait_ms like the blocking lock's. */
static spotify_status redis_try_lock(redis_cache *rc, bool *taken, bool *busy, spotify_error *err)
{
    *busy = false;
    if (!new_owner(rc->owner))
        return no_owner(err);
    spotify_status st = try_lock(rc, taken, err);
    if (st != SPOTIFY_OK)
        return st;
    int64_t now = spotify__monotonic_ms();
    if (*taken || rc->contended_since_ms == 0) {
        rc->contended_since_ms = *taken ? 0 : now;
        return SPOTIFY_OK;
    }
    *busy = now - rc->contended_since_ms > rc->lock_wait_ms;
    if (!*busy)
        return SPOTIFY_OK;
    rc->contended_since_ms = 0;
    return lock_wait_exceeded(rc, err);
}

/* The local half of the lock (other threads of this process), waiting for
 * it when `wait`; false when it is held and `wait` is off. */
static bool local_take(redis_cache *rc, bool wait)
{
    pthread_mutex_lock(&rc->mutex);
    while (wait && rc->held)
        pthread_cond_wait(&rc->released, &rc->mutex);
    bool taken = !rc->held;
    rc->held = true;
    pthread_mutex_unlock(&rc->mutex);
    return taken;
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
    if (!local_take(rc, false))
        return SPOTIFY_OK;
    spotify_error cause = {0};
    bool busy = false;
    bool redis_taken = false;
    spotify_status st = redis_try_lock(rc, &redis_taken, &busy, &cause);
    return lock_attempt_end(rc, st, redis_taken, busy, &cause, taken, err);
}

static void rc_unlock(void *user)
{
    redis_cache *rc = user;
    pthread_mutex_lock(&rc->mutex);
    bool redis_locked = rc->redis_locked;
    pthread_mutex_unlock(&rc->mutex);
    if (redis_locked) {
        redisReply *reply = NULL;
        spotify_error err = {0};
        spotify_status st = spotify__redis_conn_command(&rc->conn, &reply, &err, "EVAL %s 1 %s %s",
                                                        UNLOCK_SCRIPT, rc->lock_key, rc->owner);
        if (st != SPOTIFY_OK)
            spotify__log(SPOTIFY_LOG_WARN,
                         "token cache: releasing the refresh lock failed (it expires on its "
                         "own): %s",
                         err.message);
        else if (reply->type == REDIS_REPLY_INTEGER && reply->integer == 0)
            spotify__log(SPOTIFY_LOG_WARN,
                         "token cache: the refresh lock %s expired before its release (the "
                         "refresh took longer than lock_expiry_ms = %lld)",
                         rc->lock_key, (long long)rc->lock_expiry_ms);
        if (reply != NULL)
            freeReplyObject(reply);
    }
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
    spotify__redis_conn_release(&rc->conn);
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
