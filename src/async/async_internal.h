/* SPDX-License-Identifier: Apache-2.0 */
/*
 * async/async_internal.h - the async driver's objects.
 *
 * A context (struct spotify_async) owns a curl multi handle, a list of live
 * calls, a FIFO of calls ready to start a transfer, a FIFO of calls whose
 * transfer just ended (decoded after the freed slots are refilled, so the
 * next requests leave first), a sorted list of timers
 * (backoff, cooldown waits, token polling) on the client's clock, and an
 * eventfd for wake-ups. A call (spotify__async_call) is one request moving
 * through the same steps as the blocking driver, each step a function the
 * loop runs when the call's event arrives:
 *
 *   TOKEN (API calls) -> ADMIT (cooldown) -> READY (queued for a transfer
 *   slot) -> TRANSFER -> FINISHED -> done: finish, or 401 -> TOKEN (forced)
 *   once, or retry -> BACKOFF timer -> ADMIT
 *
 * The decisions are the blocking driver's pure functions (http/execute.h,
 * http/retry.h); token acquisition is the provider's non-blocking step
 * (auth/provider.h), with one internal token call per flight.
 *
 * Threads: everything here runs on the context's thread.
 */
#ifndef SPOTIFY_ASYNC_INTERNAL_H
#define SPOTIFY_ASYNC_INTERNAL_H

#include <curl/curl.h>
#include <spotify/async.h>
#include <spotify/sys/async.h>

#include "../api/execute.h"
#include "../auth/provider.h"
#include "../client/client_internal.h"
#include "../http/execute.h"

typedef enum spotify__call_state {
    SPOTIFY__CALL_TOKEN_WAIT, /* waiting for the context's token flight */
    SPOTIFY__CALL_TIMER,      /* waiting on its timer (backoff, cooldown, token poll) */
    SPOTIFY__CALL_READY,      /* queued for a transfer slot */
    SPOTIFY__CALL_TRANSFER,   /* its easy handle is in the multi handle */
    SPOTIFY__CALL_FINISHED,   /* its transfer ended; queued for its next step */
    SPOTIFY__CALL_DONE
} spotify__call_state;

typedef struct spotify__async_call spotify__async_call;
typedef struct spotify__async_source spotify__async_source;

/* What a public call delivers: an API result, or (the async token
 * operations of spotify/async.h) a token record. */
typedef enum spotify__call_result {
    SPOTIFY__RESULT_API = 0, /* a response or an operation's typed result */
    SPOTIFY__RESULT_TOKEN,   /* the provider's token: no transfer of its own */
    SPOTIFY__RESULT_EXCHANGE /* a code exchange: its transfer is the token request */
} spotify__call_result;

/*
 * Something besides curl that a context waits for (the async loopback
 * helper's HTTP server, an extension's connection: spotify/sys/async.h's
 * spotify_async_source): a descriptor watched for `events` (0: input) and/or
 * a time on the client's clock. `ready` runs on the loop when the
 * descriptor is ready (`fired` says for what) or the time has come (`fired`
 * is SPOTIFY_ASYNC_NONE); it may change fd, events and due_ms through
 * spotify__async_source_update. `cancel` runs when the context is freed
 * with the source still added, and must remove it.
 */
struct spotify__async_source {
    int fd;                      /* -1: none */
    spotify_async_events events; /* what to watch fd for; NONE: input */
    int64_t due_ms;              /* -1: none */
    spotify_async_events fired;  /* for `ready`: what happened */
    void (*ready)(spotify__async_source *source);
    void (*cancel)(spotify__async_source *source);
    spotify__async_source *next;
    int watched_fd;                      /* what the host loop watches for it; -1: nothing */
    spotify_async_events watched_events; /* and for what */
};

/* What a call does when its timer fires. */
typedef void (*spotify__timer_fn)(spotify__async_call *call);

struct spotify__async_call {
    spotify_async *async;
    spotify_async_id id;
    spotify__call_state state;
    bool internal; /* the token flight's own call: no callback, not counted */
    spotify__call_result result_kind;
    /* RESULT_EXCHANGE: the answer read, waiting to be adopted */
    spotify_token exchange_token;
    spotify_status exchange_status;
    /* the context's live list, and the ready queue or timer list */
    spotify__async_call *prev, *next;
    spotify__async_call *queue_prev, *queue_next;
    int64_t timer_due_ms;
    spotify__timer_fn timer_fn;
    /* what to send */
    const spotify__http_context *http;
    spotify__http_request *request; /* web.http or token_call.http; headers[0]:
                                       Authorization, per attempt */
    spotify__web_request web;       /* API calls: the one request record */
    spotify__token_call token_call; /* token calls */
    const spotify_operation *op;    /* NULL: a raw request or a token call */
    /* progress */
    int64_t started_ms;
    int attempt_number;
    bool refreshed; /* a 401 has caused its one refresh */
    bool force_token;
    bool check_scopes;
    bool landing;  /* marked to resume when the token flight lands */
    bool deferred; /* an operation delivering its spotify_answer undecoded */
    /* internal calls (no callback): what to do with the outcome */
    void (*internal_done)(spotify__async_call *call, spotify_status status);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    char authorization[SPOTIFY_ACCESS_TOKEN_MAX + 32];
    spotify__transport_attempt attempt;
    CURLcode transfer_rc; /* FINISHED: how the transfer ended */
    spotify__http_response response;
    /* completion */
    void (*callback)(void);
    spotify_async_deliver_fn deliver;
    void *user;
    spotify_error err;
};

/* Response bodies a context keeps for reuse: at most this many. */
#define SPOTIFY__ASYNC_SPARE_BODIES 32

struct spotify_async {
    spotify_client *client;
    spotify_auth *auth;
    CURLM *multi;
    int max_in_flight;
    int in_flight;
    size_t pending; /* API calls whose callbacks have not run */
    spotify_async_id last_id;
    spotify__async_call *calls;                         /* live calls */
    spotify__async_call *ready_head, *ready_tail;       /* FIFO */
    spotify__async_call *finished_head, *finished_tail; /* FIFO of FINISHED calls */
    spotify__async_call *timers;                        /* sorted by due time */
    spotify__async_call *flight;                        /* the token call in flight, or NULL */
    spotify__async_source *sources;                     /* see spotify__async_source */
    int64_t sources_seen_ms; /* self-driven: when a poll last looked at them */
    bool has_loop;
    spotify_async_loop loop;
    int64_t curl_due_ms; /* curl's timeout on the monotonic clock; -1: none */
    bool pump_more;      /* the last pump used its time budget with work left */
    int wake_fd;         /* eventfd: its counter is the pending wake-up */
    void (*on_wakeup)(void *user);
    void *on_wakeup_user;
    bool closing;
    /* spotify_async_free was called inside an entry point (from one of the
     * context's callbacks): the outermost entry point frees the context
     * when it unwinds (spotify__async_leave). */
    bool free_deferred;
    int depth; /* nesting of the context's entry points */
    /* The context spotify_async_current() named when this one was entered
     * (restored when the outermost entry point leaves). */
    spotify_async *outer_current;
    size_t delivered; /* callbacks run so far */
    /* Response-body buffers of finished calls, kept for the next ones, so a
     * steady stream of requests does not allocate (and give back to the
     * kernel) a large buffer each time. */
    spotify__strbuf spare_bodies[SPOTIFY__ASYNC_SPARE_BODIES];
    size_t spare_count;
    /* With a host loop: what the loop watches on each of libcurl's
     * descriptors, indexed by descriptor number (async/sockets.c). */
    uint8_t *socket_states;
    size_t socket_state_count;
};

/* Every public entry point that may run callbacks brackets its work with
 * these. Leave returns true when it freed the context (a callback asked for
 * it): the caller must not touch `async` again. */
void spotify__async_enter(spotify_async *async);
bool spotify__async_leave(spotify_async *async);

/* ---- async/call.c: the steps of one call ---- */

/* Starts a new call's journey (token or admission). */
void spotify__call_begin(spotify__async_call *call);
/* Its transfer ended with `rc`. */
void spotify__call_transfer_done(spotify__async_call *call, CURLcode rc);
/* Ends the call with `status` (err filled) and runs its callback. */
void spotify__call_fail(spotify__async_call *call, spotify_status status);
/* Runs the callback of a finished public call with `result` (Owned by the
 * callback's thunk), then frees the call. */
void spotify__call_deliver(spotify__async_call *call, spotify_status status, void *result);
/* The token flight landed: every call waiting for it goes on with `token`,
 * or fails with `err`. */
void spotify__calls_token_landed(spotify_async *async, spotify_status status, const char *token,
                                 const spotify_error *err);
/* Frees a call that is out of every list. */
void spotify__call_free(spotify__async_call *call);
/* Starts the transfer of a READY call; one that cannot start is finished
 * with its error. */
void spotify__call_transfer_start(spotify__async_call *call);
/* The same without finishing: false, with *status and the call's err set,
 * when the transfer cannot start (the call is as it was). */
bool spotify__call_transfer_begin(spotify__async_call *call, spotify_status *status);

/* ---- async/context.c: lists, timers, transfers ---- */

spotify__async_call *spotify__call_new(spotify_async *async);
/* Keeps a finished call's response body for reuse (or frees it). */
void spotify__async_body_recycle(spotify_async *async, spotify__strbuf *body);
/* Links a new call into the live list and begins it. */
void spotify__call_submit(spotify__async_call *call);
void spotify__timer_arm(spotify__async_call *call, int64_t delay_ms, spotify__timer_fn fn);
void spotify__ready_push(spotify__async_call *call, bool front);
/* Unlinks the call from the queue or timer list it is in, and stops its
 * transfer. */
void spotify__call_detach(spotify__async_call *call);
/* Unlinks from the live list. */
void spotify__call_unlink(spotify__async_call *call);
int64_t spotify__async_now(const spotify_async *async);

/* Around one completion callback: enter counts the delivery (one fewer
 * pending) and marks the thread as inside a callback, returning the mark
 * it had; leave restores it. */
bool spotify__async_callback_enter(spotify_async *async);
void spotify__async_callback_leave(bool outer);
/* Tells the host loop there is work, unless the context is already running. */
void spotify__async_kick(spotify_async *async);

/* Sources (see spotify__async_source): add, re-read fd/due_ms after a
 * change, remove. */
void spotify__async_source_add(spotify_async *async, spotify__async_source *source);
void spotify__async_source_update(spotify_async *async, spotify__async_source *source);
void spotify__async_source_remove(spotify_async *async, spotify__async_source *source);
/* ---- async/sockets.c: libcurl's descriptors on a host loop ---- */

/* CURLMOPT_SOCKETFUNCTION of a context with a host loop (`user` is the
 * context): an idle connection stays watched for input between requests. */
int spotify__async_curl_socket(CURL *easy, curl_socket_t fd, int what, void *user,
                               void *socket_user);
/* Sets the callbacks that tell connection sockets apart and unwatch a
 * socket before libcurl closes it, on an easy handle about to join the
 * context's multi handle (nothing without a host loop). False on failure. */
bool spotify__async_sockets_adopt(spotify_async *async, CURL *easy);
/* A host-loop event on `fd`: true when it is an idle connection libcurl is
 * not using (its watch is dropped; libcurl needs no call). */
bool spotify__async_socket_idle_event(spotify_async *async, int fd);
/* After curl_multi_cleanup: frees the descriptor table. */
void spotify__async_sockets_free(spotify_async *async);

/* An internal call sending `request` (a token call) on the provider's HTTP
 * context; `done` gets its outcome (call->response holds the answer when
 * call->response.attempt > 0). NULL when out of memory. */
spotify__async_call *
spotify__async_internal_call(spotify_async *async, spotify__token_call *token_call,
                             void (*done)(spotify__async_call *call, spotify_status status),
                             void *user);

#endif
