/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/redis.h - spotify-sdk-redis: the token cache, refresh lock and
 * rate-limit cooldown of a fleet of workers (many processes on many hosts,
 * one Spotify app) kept in one Redis. A separate library, so programs that
 * use only the core never link hiredis:
 *
 *   cc app.c $(pkg-config --cflags --libs spotify-sdk-redis)
 *   find_package(spotify-sdk REQUIRED COMPONENTS redis)  -> spotify::sdk-redis
 *
 * Redis is reached through Debian 12's hiredis (0.14): redis://, unix://
 * and redis-sentinel:// URLs; it has no TLS, so rediss:// is refused with
 * SPOTIFY_ECONFIG.
 *
 * Sentinel (redis-sentinel://HOST[:PORT][,HOST[:PORT]...]/MASTER): every
 * connection asks the Sentinels, in the URL's order, for MASTER's address
 * (SENTINEL get-master-addr-by-name, each with timeout_ms; the first
 * address wins) and connects there. After a failover it follows: a
 * connection the server closed is reopened (asking again) before the next
 * command, and a command answered READONLY (a demoted master) is sent
 * once more to the master the Sentinels name then. Sentinels are asked
 * without a password (the URL's is the data node's). On an async context
 * the Sentinels are asked without blocking the loop (hiredis's async API;
 * only a Sentinel given by hostname costs a blocking DNS lookup): see
 * docs/fleets.md, "Sentinel". No
 * Sentinel reachable is SPOTIFY_ETRANSPORT (an outage, as for Redis
 * itself); every Sentinel answering without an address (an unknown
 * master, a Sentinel wanting a password) is SPOTIFY_ECONFIG.
 *
 * Keys (PREFIX defaults to "spotify-sdk:"; the client id must not hold ':'):
 *   PREFIX token:CLIENT_ID:app            the app's client-credentials token
 *   PREFIX token:CLIENT_ID:user:USER_KEY  a user's token (user_key set)
 *   PREFIX lock:CLIENT_ID:app|user:USER_KEY   the refresh lock of that token
 *   PREFIX cooldown:CLIENT_ID             the app's rate-limit cooldown
 * Token values are the file cache's JSON record. A record holding a refresh
 * token has no TTL (expiry comes from expires_at: a TTL would delete the
 * refresh token and log the fleet out); a record without one (client
 * credentials) expires with its access token.
 *
 * Failures (see docs/fleets.md): at creation, Redis unreachable or not
 * answering within timeout_ms is SPOTIFY_ETRANSPORT with a message naming
 * Redis (never Spotify); wrong password, a missing password, a database
 * that does not exist and bad URLs are SPOTIFY_ECONFIG; a value that is not
 * a token record reads as "no token" (with a logged warning). Once created,
 * a cache that cannot reach Redis falls back to a process-local copy (the
 * last token it saw) and a process-local lock, so the process refreshes on
 * its own, once, instead of once per fleet, until Redis answers again (one
 * warning each way); the cooldown answers from its last reading and the
 * client's own cooldown (one warning). After a failed connection the next
 * attempt waits at least one second. Messages never contain the password.
 *
 * Event loops: called from a spotify_async context (spotify_async_current()
 * is not NULL), a cache or cooldown sends its commands through hiredis's
 * async API on a connection of that context, driven by the context's loop,
 * and never blocks it (see docs/fleets.md, "On an event loop"); blocking
 * callers use the synchronous connection. Freeing a context writes out the
 * commands its connections still hold, waiting at most timeout_ms.
 *
 * Threads: caches and cooldowns are safe to share between threads. Each
 * object has one blocking Redis connection guarded by a mutex (one command
 * at a time per object; create several objects for more parallel Redis
 * traffic), plus one connection per async context that called it, used on
 * that context's thread only.
 * Allocation: the SDK's objects use the allocator hooks of
 * spotify_set_allocator(); hiredis 0.14 itself always uses malloc.
 */
#ifndef SPOTIFY_REDIS_H
#define SPOTIFY_REDIS_H

#include "auth.h"
#include "common.h"
#include "error.h"
#include "http.h"

SPOTIFY_BEGIN_DECLS

/*
 * Options of the Redis cache and cooldown. NULL strings and zero numbers mean
 * the default. Strings are copied.
 */
typedef struct spotify_redis_options {
    /* SPOTIFY_REDIS_OPTIONS_VERSION (the INIT macro sets it). */
    unsigned int version;
    /* redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] (IPv6 hosts in brackets,
     * port 6379, db 0 by default; user and password percent-decoded),
     * redis-sentinel://[[USER]:PASSWORD@]HOST[:PORT][,HOST[:PORT]...]/MASTER[/DB]
     * (1-8 Sentinels, port 26379 by default; MASTER is 1-127 letters,
     * digits, '.', '_', '-' or '~'; the credentials are the master's) or
     * unix://[[USER]:PASSWORD@]/PATH/TO.sock[?db=N]. NULL:
     * $SPOTIFY_SDK_REDIS_URL; still missing: SPOTIFY_ECONFIG. */
    const char *url;
    /* Prepended to every key; NULL: "spotify-sdk:". "" is allowed. */
    const char *key_prefix;
    /* The app whose tokens and cooldown these are. NULL:
     * $SPOTIFY_SDK_CLIENT_ID; still missing: SPOTIFY_ECONFIG. Give the same
     * client id as the auth provider. */
    const char *client_id;
    /* Whose user token the cache holds (any non-empty string without
     * control characters, at most 256 bytes, e.g. the Spotify user id or your
     * own account id). NULL: the app's client-credentials token. Not used by
     * the cooldown. */
    const char *user_key;
    /* Timeout of every Redis call (connect, send, receive); <= 0: 2000. */
    int64_t timeout_ms;
    /* How long the refresh lock lives if its holder dies; <= 0: 10000. Keep
     * it above the auth provider's token-request deadline
     * (spotify_auth_options.timeouts.call_ms), else a slow refresh can lose
     * the lock to a second worker. */
    int64_t lock_expiry_ms;
    /* How long lock() waits for another worker's lock before failing with
     * SPOTIFY_ETRANSPORT; <= 0: 2 * lock_expiry_ms + 1000. Waiters poll
     * with exponential backoff (10 ms doubling up to 200 ms, jittered). */
    int64_t lock_wait_ms;
    /* When Redis cannot be reached at creation: false (default) fails
     * spotify_redis_token_cache_new / spotify_redis_cooldown_new with
     * SPOTIFY_ETRANSPORT (a wrong host or port is caught at once); true
     * logs a warning and starts in the fallback. Later outages always fall
     * back: a process-local copy and lock until Redis answers again, then a
     * token refreshed meanwhile is written back when it is newer than
     * Redis's. While falling back, each process refreshes on its own (with
     * refresh-token rotation, processes may then invalidate each other's
     * refresh tokens). */
    bool fallback_to_memory;
    /* Cooldown only: read the shared cooldown from Redis at most this often
     * (per cooldown object); <= 0: 500. A 429 seen by one worker reaches
     * the others within this interval; in between, requests cost no Redis
     * round trip. */
    int64_t cooldown_poll_ms;
} spotify_redis_options;

/* The version of spotify_redis_options this header describes. */
#define SPOTIFY_REDIS_OPTIONS_VERSION 1
/* The default timeout_ms. */
#define SPOTIFY_REDIS_DEFAULT_TIMEOUT_MS 2000
/* The default lock_expiry_ms. */
#define SPOTIFY_REDIS_DEFAULT_LOCK_EXPIRY_MS 10000
/* The default cooldown_poll_ms. */
#define SPOTIFY_REDIS_DEFAULT_COOLDOWN_POLL_MS 500
/* The default key_prefix. */
#define SPOTIFY_REDIS_DEFAULT_KEY_PREFIX "spotify-sdk:"
/* The defaults of spotify_redis_options: every string NULL and every number
 * 0 (each meaning its default), no fallback. */
#define SPOTIFY_REDIS_OPTIONS_INIT                                                                 \
    {                                                                                              \
        SPOTIFY_REDIS_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, 0, 0, false, 0                   \
    }

/* Fills `opts` with the defaults of `version` (for bindings).
 * SPOTIFY_EINVALID for an unknown version. */
SPOTIFY_API spotify_status spotify_redis_options_init(spotify_redis_options *opts,
                                                      unsigned int version);

/* True when `url` names Redis (redis://, rediss://, redis-sentinel:// or
 * unix://, any case), so a tool taking "--cache PATH-OR-URL" knows which
 * cache to build. Pure and thread-safe; NULL is false. */
SPOTIFY_API bool spotify_redis_url_is_redis(const char *url);

/*
 * A token cache in Redis (the interface of <spotify/auth.h>: give it to a
 * provider as spotify_auth_options.token_cache). Connects at once: bad URLs,
 * wrong passwords and missing databases fail here with SPOTIFY_ECONFIG, an
 * unreachable Redis with SPOTIFY_ETRANSPORT (unless fallback_to_memory,
 * which logs a warning and starts in the fallback).
 *
 *   load    one GET; a corrupt value is "no token"; Redis unreachable: the
 *           last token this cache read or wrote (the fallback).
 *   store   one SET (with PX for records without a refresh token).
 *   lock    SET lock-key OWNER NX PX lock_expiry_ms, OWNER 128 random bits
 *           from the CSPRNG; waiters poll with backoff up to lock_wait_ms.
 *           Threads of this process sharing the cache queue on a mutex
 *           first. The provider re-reads the cache after acquiring it.
 *   unlock  an atomic compare-and-delete (Lua), so only the owner releases;
 *           a lock that expired meanwhile is logged as a warning.
 *   remove  DEL.
 * The provider keeps the token it uses in memory until it nears expiry, so
 * most requests never reach Redis; the cache adds no second copy (a refresh
 * must see what other workers stored).
 *
 * *out is owned: free it with spotify_token_cache_free() after every
 * provider using it.
 */
SPOTIFY_API spotify_status spotify_redis_token_cache_new(spotify_token_cache **out,
                                                         const spotify_redis_options *opts,
                                                         spotify_error *err);

/*
 * The same from a URL alone (for command-line tools: `--cache redis://...`):
 * default options with `url`, `client_id` (NULL: $SPOTIFY_SDK_CLIENT_ID) and
 * `user_key` (NULL: the app token).
 */
SPOTIFY_API spotify_status spotify_redis_token_cache_from_url(spotify_token_cache **out,
                                                              const char *url,
                                                              const char *client_id,
                                                              const char *user_key,
                                                              spotify_error *err);

/* A rate-limit cooldown shared through Redis by every worker of one app. */
typedef struct spotify_redis_cooldown spotify_redis_cooldown;

/*
 * Creates the cooldown of `opts->client_id` (user_key and the lock settings
 * are ignored). Connects at once, with the same errors as the cache;
 * fallback_to_memory makes an unreachable Redis a warning instead of an
 * error. At run time Redis failures never fail a request: the store then
 * answers with what it last read (logged once per outage).
 *
 * A 429 with Retry-After (or the policy's backoff) on any client using it
 * sets PREFIX cooldown:CLIENT_ID to expire that far ahead (a Lua script that
 * only ever lengthens it; the wait is relative, so hosts' clocks need not
 * agree). Each cooldown object reads the key's remaining time (PTTL) at most
 * every cooldown_poll_ms, on the thread of the request that finds the last
 * reading too old (a blocking round trip of at most timeout_ms).
 *
 * *out is owned: free it with spotify_redis_cooldown_free() after every
 * client using it.
 */
SPOTIFY_API spotify_status spotify_redis_cooldown_new(spotify_redis_cooldown **out,
                                                      const spotify_redis_options *opts,
                                                      spotify_error *err);

/* The store to put in spotify_client_options.cooldown_store. Borrowed: valid
 * until the cooldown is freed. */
SPOTIFY_API const spotify_cooldown_store *
spotify_redis_cooldown_store(const spotify_redis_cooldown *cooldown);

/* Frees the cooldown and closes its connection. NULL is accepted. */
SPOTIFY_API void spotify_redis_cooldown_free(spotify_redis_cooldown *cooldown);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_REDIS_H */
