/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis/redis_cooldown.c - the app-wide rate-limit cooldown in Redis, as a
 * spotify_cooldown_store.
 *
 * The key PREFIX cooldown:CLIENT_ID exists while the cooldown runs; its TTL
 * is the time left, on Redis's clock only, so hosts need not agree on the
 * time. A 429 lengthens it (never shortens: a Lua script compares PTTL).
 * Readers cache the last PTTL they saw as an end time on their monotonic
 * clock and ask Redis again at most every poll_ms: between polls a request
 * costs two atomic loads. The thread that finds the reading stale (and wins
 * a compare-and-swap on next_poll) does the one PTTL; the others go on with
 * the cached value. Redis failures keep the cached value and are logged once
 * per outage.
 *
 * Called from an async context's loop (spotify_async_current()), the same
 * commands go through that context's connection on the loop (redis_loop.c)
 * and never block it: the poll's answer updates the cached value when it
 * lands, and an extension is sent without waiting for its answer.
 */
#include <hiredis/hiredis.h>
#include <spotify/sys/async.h>
#include <stdatomic.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/error.h"
#include "../core/log.h"
#include "redis_internal.h"

static const char EXTEND_SCRIPT[] =
    "local left = redis.call('PTTL', KEYS[1]) "
    "if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[1]) "
    "return 1 end return 0";

struct spotify_redis_cooldown {
    spotify__redis_conn conn;
    spotify__redis_loops loops; /* connections on async contexts' loops */
    bool loops_ready;
    char *key;
    int64_t poll_ms;
    _Atomic int64_t until_ms;     /* monotonic end of the shared cooldown; 0: none */
    _Atomic int64_t next_poll_ms; /* monotonic time of the next PTTL */
    atomic_bool failing;          /* the last Redis call failed (warned once) */
    spotify_cooldown_store store;
};

/* Records the outcome of a Redis call: warns on the first failure of an
 * outage, and once when Redis answers again. */
static void note_outcome(spotify_redis_cooldown *cd, spotify_status st, const spotify_error *err)
{
    bool was_failing = atomic_exchange(&cd->failing, st != SPOTIFY_OK);
    if (st != SPOTIFY_OK && !was_failing)
        spotify__log(SPOTIFY_LOG_WARN,
                     "rate-limit cooldown: %s; using this process's own cooldown until Redis "
                     "answers again",
                     err->message);
    else if (st == SPOTIFY_OK && was_failing)
        spotify__log(SPOTIFY_LOG_WARN, "rate-limit cooldown: %s answers again", cd->conn.where);
}

static void extend_until(spotify_redis_cooldown *cd, int64_t until)
{
    int64_t current = atomic_load(&cd->until_ms);
    while (current < until && !atomic_compare_exchange_weak(&cd->until_ms, &current, until)) {
    }
}

/* A PTTL's answer, read at monotonic time `now`. */
static void apply_pttl(spotify_redis_cooldown *cd, int64_t now, const redisReply *reply)
{
    if (reply->type == REDIS_REPLY_INTEGER)
        atomic_store(&cd->until_ms, reply->integer > 0 ? now + reply->integer : 0);
}

/* The answer of a command sent on a loop. */
static void loop_polled(void *user, spotify_status st, const redisReply *reply,
                        const spotify_error *err)
{
    spotify_redis_cooldown *cd = user;
    note_outcome(cd, st, err);
    if (st == SPOTIFY_OK)
        apply_pttl(cd, spotify__monotonic_ms(), reply);
}

static void loop_extended(void *user, spotify_status st, const redisReply *reply,
                          const spotify_error *err)
{
    (void)reply;
    note_outcome(user, st, err);
}

/* The connection of the async context running on this thread, or NULL
 * (a blocking caller, or a failure: noted). */
static spotify__redis_loop *loop_of_caller(spotify_redis_cooldown *cd, bool *on_loop)
{
    spotify__redis_loop *loop = NULL;
    spotify_error err = {0};
    *on_loop = spotify_async_current() != NULL;
    if (*on_loop && spotify__redis_loops_current(&cd->loops, &loop, &err) != SPOTIFY_OK)
        note_outcome(cd, SPOTIFY_ETRANSPORT, &err);
    return loop;
}

static void poll_redis(spotify_redis_cooldown *cd, int64_t now)
{
    bool on_loop = false;
    spotify__redis_loop *loop = loop_of_caller(cd, &on_loop);
    spotify_error err = {0};
    if (on_loop) {
        if (loop != NULL && spotify__redis_loop_command(loop, loop_polled, cd, &err, "PTTL %s",
                                                        cd->key) != SPOTIFY_OK)
            note_outcome(cd, SPOTIFY_ETRANSPORT, &err);
        return;
    }
    redisReply *reply = NULL;
    spotify_status st = spotify__redis_conn_command(&cd->conn, &reply, &err, "PTTL %s", cd->key);
    note_outcome(cd, st, &err);
    if (st != SPOTIFY_OK)
        return;
    apply_pttl(cd, now, reply);
    freeReplyObject(reply);
}

static int64_t cd_remaining(void *user)
{
    spotify_redis_cooldown *cd = user;
    int64_t now = spotify__monotonic_ms();
    int64_t next = atomic_load(&cd->next_poll_ms);
    if (now >= next && atomic_compare_exchange_strong(&cd->next_poll_ms, &next, now + cd->poll_ms))
        poll_redis(cd, now);
    int64_t until = atomic_load(&cd->until_ms);
    return until > now ? until - now : 0;
}

static void cd_extend(void *user, int64_t ms)
{
    spotify_redis_cooldown *cd = user;
    if (ms <= 0)
        return;
    extend_until(cd, spotify__monotonic_ms() + ms);
    bool on_loop = false;
    spotify__redis_loop *loop = loop_of_caller(cd, &on_loop);
    spotify_error err = {0};
    if (on_loop) {
        if (loop != NULL &&
            spotify__redis_loop_command(loop, loop_extended, cd, &err, "EVAL %s 1 %s %lld",
                                        EXTEND_SCRIPT, cd->key, (long long)ms) != SPOTIFY_OK)
            note_outcome(cd, SPOTIFY_ETRANSPORT, &err);
        return;
    }
    redisReply *reply = NULL;
    spotify_status st = spotify__redis_conn_command(&cd->conn, &reply, &err, "EVAL %s 1 %s %lld",
                                                    EXTEND_SCRIPT, cd->key, (long long)ms);
    note_outcome(cd, st, &err);
    if (reply != NULL)
        freeReplyObject(reply);
}

void spotify_redis_cooldown_free(spotify_redis_cooldown *cooldown)
{
    if (cooldown == NULL)
        return;
    if (cooldown->loops_ready)
        spotify__redis_loops_release(&cooldown->loops);
    spotify__redis_conn_release(&cooldown->conn);
    spotify__free(cooldown->key);
    spotify__free(cooldown);
}

static spotify_status cooldown_connect(spotify_redis_cooldown *cd, const spotify__redis_settings *s,
                                       spotify_error *err)
{
    spotify__strbuf key = SPOTIFY__STRBUF_INIT;
    if (!spotify__redis_key(&key, SPOTIFY__REDIS_KEY_COOLDOWN, s->key_prefix, s->client_id, NULL)) {
        spotify__strbuf_release(&key);
        return spotify__error_oom(err);
    }
    cd->key = spotify__strbuf_detach(&key, NULL);
    if (cd->key == NULL)
        return spotify__error_oom(err);
    /* The first reading, on the blocking connection: a process starting
     * during a cooldown knows it before its first request, even on a loop
     * (where later readings land after the request that asked). */
    spotify_error cause = {0};
    redisReply *reply = NULL;
    int64_t now = spotify__monotonic_ms();
    spotify_status st = spotify__redis_conn_command(&cd->conn, &reply, &cause, "PTTL %s", cd->key);
    if (st == SPOTIFY_OK) {
        apply_pttl(cd, now, reply);
        freeReplyObject(reply); /* the first request polls again all the same */
    }
    if (st == SPOTIFY_ETRANSPORT && s->fallback_to_memory) {
        note_outcome(cd, st, &cause);
        return SPOTIFY_OK;
    }
    if (err != NULL && st != SPOTIFY_OK)
        *err = cause;
    return st;
}

spotify_status spotify_redis_cooldown_new(spotify_redis_cooldown **out,
                                          const spotify_redis_options *opts, spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_redis_cooldown_new: out is NULL");
    *out = NULL;
    spotify__redis_settings s;
    spotify_redis_options app_opts = SPOTIFY_REDIS_OPTIONS_INIT;
    if (opts != NULL && opts->version == SPOTIFY_REDIS_OPTIONS_VERSION) {
        app_opts = *opts;
        app_opts.user_key = NULL; /* one cooldown per app */
    } else if (opts != NULL) {
        app_opts.version = opts->version;
    }
    spotify_status st = spotify__redis_settings_resolve(&s, &app_opts, err);
    if (st != SPOTIFY_OK)
        return st;
    spotify_redis_cooldown *cd = spotify__calloc(1, sizeof *cd);
    if (cd == NULL)
        return spotify__error_oom(err);
    st = spotify__redis_conn_init(&cd->conn, s.url, s.timeout_ms, err);
    if (st != SPOTIFY_OK) {
        spotify__free(cd);
        return st;
    }
    cd->loops_ready = spotify__redis_loops_init(&cd->loops, &cd->conn, NULL, NULL);
    if (!cd->loops_ready) {
        spotify_redis_cooldown_free(cd);
        return spotify__error_oom(err);
    }
    cd->poll_ms = s.cooldown_poll_ms;
    atomic_init(&cd->until_ms, 0);
    atomic_init(&cd->next_poll_ms, 0);
    atomic_init(&cd->failing, false);
    cd->store.version = SPOTIFY_COOLDOWN_STORE_VERSION;
    cd->store.remaining_ms = cd_remaining;
    cd->store.extend_ms = cd_extend;
    cd->store.user = cd;
    st = cooldown_connect(cd, &s, err);
    if (st != SPOTIFY_OK) {
        spotify_redis_cooldown_free(cd);
        return st;
    }
    *out = cd;
    return SPOTIFY_OK;
}

const spotify_cooldown_store *spotify_redis_cooldown_store(const spotify_redis_cooldown *cooldown)
{
    return cooldown != NULL ? &cooldown->store : NULL;
}
