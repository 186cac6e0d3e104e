/* SPDX-License-Identifier: Apache-2.0 */
/*
 * async/context.c - the async context: curl multi handle, live calls, the
 * ready queue and its in-flight limit, timers on the client's clock, the
 * wake-up eventfd, and the two ways of driving it (spotify_async_run, or the
 * host loop's socket and timer callbacks).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/error.h"
#include "../core/log.h"
#include "../core/loop_guard.h"
#include "async_internal.h"

#define DEFAULT_MAX_IN_FLIGHT 64
/* Response bodies kept for reuse are at most this big. */
#define SPARE_BODY_BYTES_MAX ((size_t)1024 * 1024)
/* The longest single wait of spotify_async_run when nothing is scheduled. */
#define IDLE_WAIT_MS 1000

int64_t spotify__async_now(const spotify_async *async)
{
    const spotify_clock *clock = &spotify__client_http(async->client)->clock;
    return clock->now_ms(clock->user);
}

/* ---- lists ---- */

spotify__async_call *spotify__call_new(spotify_async *async)
{
    spotify__async_call *call = spotify__calloc(1, sizeof *call);
    if (call == NULL)
        return NULL;
    call->async = async;
    call->id = ++async->last_id; /* the zeroed strbufs and response are empty ones */
    if (async->spare_count > 0) {
        call->response.body = async->spare_bodies[--async->spare_count];
        spotify__strbuf_reset(&call->response.body);
    }
    return call;
}

bool spotify__async_callback_enter(spotify_async *async)
{
    async->pending--;
    async->delivered++;
    bool outer = spotify__in_async_callback;
    spotify__in_async_callback = true;
    return outer;
}

void spotify__async_callback_leave(bool outer)
{
    spotify__in_async_callback = outer;
}

void spotify__async_body_recycle(spotify_async *async, spotify__strbuf *body)
{
    if (body->data == NULL || body->failed || body->cap > SPARE_BODY_BYTES_MAX ||
        async->spare_count == SPOTIFY__ASYNC_SPARE_BODIES)
        return;
    async->spare_bodies[async->spare_count++] = *body;
    spotify__strbuf_init(body);
}

void spotify__call_submit(spotify__async_call *call)
{
    spotify_async *async = call->async;
    call->next = async->calls;
    if (async->calls != NULL)
        async->calls->prev = call;
    async->calls = call;
    if (!call->internal)
        async->pending++;
    spotify__call_begin(call);
}

void spotify__call_unlink(spotify__async_call *call)
{
    spotify_async *async = call->async;
    if (call->prev != NULL)
        call->prev->next = call->next;
    else if (async->calls == call)
        async->calls = call->next;
    if (call->next != NULL)
        call->next->prev = call->prev;
    call->prev = call->next = NULL;
}

static void queue_unlink(spotify__async_call **head, spotify__async_call **tail,
                         spotify__async_call *call)
{
    if (call->queue_prev != NULL)
        call->queue_prev->queue_next = call->queue_next;
    else
        *head = call->queue_next;
    if (call->queue_next != NULL)
        call->queue_next->queue_prev = call->queue_prev;
    else if (tail != NULL)
        *tail = call->queue_prev;
    call->queue_prev = call->queue_next = NULL;
}

static void queue_append(spotify__async_call **head, spotify__async_call **tail,
                         spotify__async_call *call)
{
    call->queue_prev = *tail;
    call->queue_next = NULL;
    if (*tail != NULL)
        (*tail)->queue_next = call;
    else
        *head = call;
    *tail = call;
}

void spotify__ready_push(spotify__async_call *call, bool front)
{
    spotify_async *async = call->async;
    call->state = SPOTIFY__CALL_READY;
    if (!front || async->ready_head == NULL) {
        queue_append(&async->ready_head, &async->ready_tail, call);
        return;
    }
    call->queue_next = async->ready_head;
    async->ready_head->queue_prev = call;
    async->ready_head = call;
}

void spotify__timer_arm(spotify__async_call *call, int64_t delay_ms, spotify__timer_fn fn)
{
    spotify_async *async = call->async;
    call->state = SPOTIFY__CALL_TIMER;
    call->timer_fn = fn;
    call->timer_due_ms = spotify__async_now(async) + (delay_ms > 0 ? delay_ms : 0);
    spotify__async_call **link = &async->timers;
    spotify__async_call *before = NULL;
    while (*link != NULL && (*link)->timer_due_ms <= call->timer_due_ms) {
        before = *link;
        link = &(*link)->queue_next;
    }
    call->queue_prev = before;
    call->queue_next = *link;
    if (*link != NULL)
        (*link)->queue_prev = call;
    *link = call;
}

void spotify__call_detach(spotify__async_call *call)
{
    spotify_async *async = call->async;
    switch (call->state) {
    case SPOTIFY__CALL_READY:
        queue_unlink(&async->ready_head, &async->ready_tail, call);
        break;
    case SPOTIFY__CALL_TIMER:
        queue_unlink(&async->timers, NULL, call);
        break;
    case SPOTIFY__CALL_FINISHED:
        /* Out of the multi handle, but its attempt still holds the easy
         * handle until the finished step would have ended it. */
        queue_unlink(&async->finished_head, &async->finished_tail, call);
        spotify__attempt_discard(&call->attempt);
        break;
    case SPOTIFY__CALL_TRANSFER:
        curl_multi_remove_handle(async->multi, call->attempt.easy);
        spotify__attempt_discard(&call->attempt);
        async->in_flight--;
        break;
    default:
        break;
    }
}

static spotify__async_call *call_find(spotify_async *async, spotify_async_id id)
{
    for (spotify__async_call *c = async->calls; c != NULL; c = c->next)
        if (c->id == id && !c->internal)
            return c;
    return NULL;
}

/* ---- sources ---- */

static spotify_async_events source_events(const spotify__async_source *source)
{
    return source->events != SPOTIFY_ASYNC_NONE ? source->events : SPOTIFY_ASYNC_IN;
}

static void source_watch(spotify_async *async, spotify__async_source *source)
{
    spotify_async_events events = source->fd >= 0 ? source_events(source) : SPOTIFY_ASYNC_NONE;
    if (source->watched_fd == source->fd && source->watched_events == events)
        return;
    if (async->has_loop && source->watched_fd >= 0 && source->watched_fd != source->fd)
        async->loop.watch(async->loop.user, source->watched_fd, SPOTIFY_ASYNC_NONE);
    if (async->has_loop && source->fd >= 0)
        async->loop.watch(async->loop.user, source->fd, events);
    source->watched_fd = source->fd;
    source->watched_events = events;
}

void spotify__async_source_add(spotify_async *async, spotify__async_source *source)
{
    source->watched_fd = -1;
    source->watched_events = SPOTIFY_ASYNC_NONE;
    source->next = async->sources;
    async->sources = source;
    source_watch(async, source);
    spotify__async_kick(async);
}

void spotify__async_source_update(spotify_async *async, spotify__async_source *source)
{
    source_watch(async, source);
    spotify__async_kick(async);
}

void spotify__async_source_remove(spotify_async *async, spotify__async_source *source)
{
    for (spotify__async_source **link = &async->sources; *link != NULL; link = &(*link)->next)
        if (*link == source) {
            *link = source->next;
            break;
        }
    source->fd = -1;
    source_watch(async, source);
    source->next = NULL;
}

/* Runs the first source whose time has come; true when one ran. One at a
 * time: `ready` may remove sources. */
static bool source_fire_due(spotify_async *async)
{
    int64_t now = spotify__async_now(async);
    for (spotify__async_source *source = async->sources; source != NULL; source = source->next)
        if (source->due_ms >= 0 && source->due_ms <= now) {
            source->fired = SPOTIFY_ASYNC_NONE;
            source->ready(source);
            return true;
        }
    return false;
}

static bool sources_fire(spotify_async *async)
{
    bool fired = false;
    for (int i = 0; i < 16 && !async->closing && source_fire_due(async); i++)
        fired = true;
    return fired;
}

static spotify__async_source *source_of_fd(spotify_async *async, int fd)
{
    for (spotify__async_source *source = async->sources; source != NULL; source = source->next)
        if (source->fd == fd)
            return source;
    return NULL;
}

/* What a poll of a source's descriptor asks for, in poll(2)'s bits (which
 * curl_waitfd's are). */
static short source_poll_bits(const spotify__async_source *source)
{
    spotify_async_events events = source_events(source);
    return (short)(((events & SPOTIFY_ASYNC_IN) ? POLLIN : 0) |
                   ((events & SPOTIFY_ASYNC_OUT) ? POLLOUT : 0));
}

/* A poll found a source's descriptor `fd` ready (`revents`: poll(2)'s
 * bits): runs its source, if it still has one (looked up each time: a
 * source's step may remove sources). Errors and hang-ups wake whatever
 * the source waits for. */
static void source_fire_ready(spotify_async *async, int fd, short revents)
{
    spotify__async_source *source = source_of_fd(async, fd);
    if (revents == 0 || source == NULL || async->closing)
        return;
    source->fired = (spotify_async_events)(((revents & (POLLIN | POLLPRI)) ? SPOTIFY_ASYNC_IN : 0) |
                                           ((revents & POLLOUT) ? SPOTIFY_ASYNC_OUT : 0));
    if (source->fired == SPOTIFY_ASYNC_NONE)
        source->fired = source_events(source);
    source->ready(source);
}

/* ---- making progress ---- */

/* Runs the timers that are due; true when any ran. */
static bool timers_fire(spotify_async *async)
{
    bool fired = false;
    int64_t now = spotify__async_now(async);
    while (!async->closing && async->timers != NULL && async->timers->timer_due_ms <= now) {
        spotify__async_call *call = async->timers;
        queue_unlink(&async->timers, NULL, call);
        call->state = SPOTIFY__CALL_TIMER; /* still: the step sets the next state */
        call->timer_fn(call);
        fired = true;
    }
    return fired;
}

/* Starts queued calls while there are transfer slots; true when any started. */
static bool transfers_start(spotify_async *async)
{
    bool started = false;
    while (async->ready_head != NULL && async->in_flight < async->max_in_flight) {
        spotify__async_call *call = async->ready_head;
        queue_unlink(&async->ready_head, &async->ready_tail, call);
        spotify__call_transfer_start(call);
        started = true;
    }
    return started;
}

/* Takes finished transfers out of the multi handle into the FIFO of
 * finished calls; true when any finished. */
static bool transfers_reap(spotify_async *async)
{
    bool reaped = false;
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(async->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        CURLcode rc = msg->data.result;
        char *private_data = NULL;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &private_data);
        spotify__async_call *call =
            (spotify__async_call *)(private_data - offsetof(spotify__async_call, attempt));
        curl_multi_remove_handle(async->multi, easy);
        async->in_flight--;
        call->transfer_rc = rc;
        call->state = SPOTIFY__CALL_FINISHED;
        queue_append(&async->finished_head, &async->finished_tail, call);
        reaped = true;
    }
    return reaped;
}

/* Hands every finished call its transfer's end (decode, callback, retry). */
static void finished_run(spotify_async *async)
{
    while (!async->closing && async->finished_head != NULL) {
        spotify__async_call *call = async->finished_head;
        queue_unlink(&async->finished_head, &async->finished_tail, call);
        call->state = SPOTIFY__CALL_TIMER; /* out of the multi; the step decides */
        spotify__call_transfer_done(call, call->transfer_rc);
    }
}

/* Lets libcurl send, receive and finish what it can. With a host loop,
 * that is libcurl's timer once due: a transfer just added asks for a zero
 * timeout to start, and acting on it here sends the request in this
 * iteration of the loop instead of the next one. */
static void multi_perform(spotify_async *async)
{
    int running = 0;
    if (!async->has_loop) {
        curl_multi_perform(async->multi, &running);
    } else if (async->curl_due_ms >= 0 && async->curl_due_ms <= spotify__monotonic_ms()) {
        async->curl_due_ms = -1;
        curl_multi_socket_action(async->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
}

/* `timeout` (-1: none yet) shortened to what is left until `due_ms` at `now_ms`. */
static int64_t earliest(int64_t timeout, int64_t due_ms, int64_t now_ms)
{
    int64_t left = due_ms > now_ms ? due_ms - now_ms : 0;
    return timeout < 0 || left < timeout ? left : timeout;
}

/* The wait until the next thing the context must do, in ms (0: now; -1:
 * nothing scheduled). Timers and sources run on the client's clock, curl on
 * the monotonic one. */
static int64_t next_timeout(spotify_async *async)
{
    if (async->pump_more || (async->ready_head != NULL && async->in_flight < async->max_in_flight))
        return 0;
    int64_t now = spotify__async_now(async);
    int64_t timeout = -1;
    if (async->timers != NULL)
        timeout = earliest(timeout, async->timers->timer_due_ms, now);
    for (spotify__async_source *source = async->sources; source != NULL; source = source->next)
        if (source->due_ms >= 0)
            timeout = earliest(timeout, source->due_ms, now);
    if (async->curl_due_ms >= 0)
        timeout = earliest(timeout, async->curl_due_ms, spotify__monotonic_ms());
    return timeout;
}

static void host_timer_update(spotify_async *async)
{
    if (!async->has_loop || async->closing)
        return;
    async->loop.timer(async->loop.user, next_timeout(async));
}

/* How long one pump may run while work keeps arriving before it hands the
 * thread back to the loop (with a zero timeout, so it resumes at once): a
 * fast server could otherwise keep one iteration busy for 64 rounds of
 * answers (tens of milliseconds), stalling everything else on the loop. */
#define PUMP_BUDGET_MS 10

/* Runs every step that is due until nothing moves, or the budget is used. */
static void pump(spotify_async *async)
{
    int64_t started = spotify__monotonic_ms();
    bool more = true; /* still moving when the rounds or the budget ran out */
    for (int round = 0; round < 64 && !async->closing; round++) {
        bool moved = timers_fire(async);
        moved = sources_fire(async) || moved;
        moved = transfers_start(async) || moved;
        multi_perform(async);
        if (transfers_reap(async) || async->finished_head != NULL) {
            /* The freed slots go to queued calls first, and their requests
             * leave before the finished calls are decoded: decoding a batch
             * of answers then overlaps the next round trips. */
            if (transfers_start(async))
                multi_perform(async);
            finished_run(async);
            moved = true;
        }
        if (!moved) {
            more = false;
            break;
        }
        if (spotify__monotonic_ms() - started >= PUMP_BUDGET_MS)
            break;
    }
    /* The next iteration of the loop resumes what is left (a zero timeout). */
    async->pump_more = more && !async->closing;
    host_timer_update(async);
}

/* ---- wake-ups ---- */

/* Resets the eventfd's counter; true when a wake-up was pending. */
static bool wake_drain(spotify_async *async)
{
    uint64_t count = 0;
    return read(async->wake_fd, &count, sizeof count) == (ssize_t)sizeof count;
}

static void wakeup_handle(spotify_async *async)
{
    if (wake_drain(async) && async->on_wakeup != NULL)
        async->on_wakeup(async->on_wakeup_user);
}

spotify_status spotify_async_wakeup(spotify_async *async)
{
    if (async == NULL)
        return SPOTIFY_EINVALID;
    uint64_t one = 1;
    ssize_t n;
    do {
        n = write(async->wake_fd, &one, sizeof one);
    } while (n < 0 && errno == EINTR);
    /* EAGAIN: the counter is already non-zero, a wake-up is pending. */
    return n == (ssize_t)sizeof one || errno == EAGAIN ? SPOTIFY_OK : SPOTIFY_EIO;
}

int spotify_async_wakeup_fd(const spotify_async *async)
{
    return async != NULL ? async->wake_fd : -1;
}

/* ---- event-loop integration: curl's callbacks ---- */

static int curl_timer_cb(CURLM *multi, long timeout_ms, void *user)
{
    (void)multi;
    spotify_async *async = user;
    async->curl_due_ms = timeout_ms < 0 ? -1 : spotify__monotonic_ms() + timeout_ms;
    return 0;
}

spotify_status spotify_async_on_socket(spotify_async *async, int fd, spotify_async_events events,
                                       spotify_error *err)
{
    if (async == NULL || !async->has_loop)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_async_on_socket: needs a context with a loop");
    spotify__async_enter(async);
    spotify__async_source *source = source_of_fd(async, fd);
    if (fd == async->wake_fd) {
        wakeup_handle(async);
    } else if (source != NULL) {
        source->fired = events;
        source->ready(source);
    } else if (!async->closing && !spotify__async_socket_idle_event(async, fd)) {
        int mask = ((events & SPOTIFY_ASYNC_IN) ? CURL_CSELECT_IN : 0) |
                   ((events & SPOTIFY_ASYNC_OUT) ? CURL_CSELECT_OUT : 0);
        int running = 0;
        curl_multi_socket_action(async->multi, fd, mask, &running);
    }
    pump(async);
    spotify__async_leave(async);
    return SPOTIFY_OK;
}

spotify_status spotify_async_on_timer(spotify_async *async, spotify_error *err)
{
    if (async == NULL || !async->has_loop)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_async_on_timer: needs a context with a loop");
    spotify__async_enter(async);
    pump(async); /* libcurl's timer among the rest, when due (multi_perform) */
    spotify__async_leave(async);
    return SPOTIFY_OK;
}

/* Sends what can leave now, from a submit made outside the context's own
 * steps on a host loop: the request goes out inside the submitting call
 * instead of in the loop's next iteration. Under a burst (100 tasks woken
 * together, each submitting its next request), the requests then leave one
 * by one as the tasks run rather than all together after them, which
 * spreads the answers out again. Nothing is delivered here (callbacks never
 * run inside a submit): a call that cannot start goes back to the front of
 * the queue for the next pump to end, and a transfer that finished in the
 * meantime waits in the finished queue behind a zero timeout. */
static void transfers_send_now(spotify_async *async)
{
    bool started = false;
    while (async->ready_head != NULL && async->in_flight < async->max_in_flight) {
        spotify__async_call *call = async->ready_head;
        queue_unlink(&async->ready_head, &async->ready_tail, call);
        spotify_status status;
        if (!spotify__call_transfer_begin(call, &status)) {
            spotify__ready_push(call, true);
            break;
        }
        started = true;
    }
    if (!started)
        return;
    multi_perform(async);
    if (transfers_reap(async))
        async->pump_more = true;
}

/* After a submit or cancel from outside the context's own steps: start what
 * can start and let the host loop know what is left. */
void spotify__async_kick(spotify_async *async)
{
    if (async->depth != 0)
        return;
    if (async->has_loop && !async->closing) {
        spotify__async_enter(async);
        transfers_send_now(async);
        if (spotify__async_leave(async))
            return; /* freed (cannot happen: nothing here calls the user) */
    }
    host_timer_update(async);
}

/* ---- self-driven ---- */

/* Waits for network activity, a wake-up or `wait_ms` (the next timer).
 * True when woken. */
#define MAX_SOURCE_FDS 8

static bool wait_for_events(spotify_async *async, int64_t wait_ms)
{
    const spotify_clock *clock = &spotify__client_http(async->client)->clock;
    bool only_timers = async->in_flight == 0 && async->ready_head == NULL && async->sources == NULL;
    if (only_timers && wait_ms > 0 && !spotify__clock_is_real(clock)) {
        /* An injected clock: its sleep decides what waiting means. */
        clock->sleep_ms(clock->user, wait_ms);
        return false;
    }
    struct curl_waitfd fds[1 + MAX_SOURCE_FDS];
    unsigned count = 0;
    fds[count++] = (struct curl_waitfd){.fd = async->wake_fd, .events = CURL_WAIT_POLLIN};
    for (spotify__async_source *s = async->sources; s != NULL && count < 1 + MAX_SOURCE_FDS;
         s = s->next)
        if (s->fd >= 0)
            fds[count++] = (struct curl_waitfd){.fd = s->fd, .events = source_poll_bits(s)};
    int ready = 0;
    curl_multi_poll(async->multi, fds, count, (int)(wait_ms > INT32_MAX ? INT32_MAX : wait_ms),
                    &ready);
    if (count > 1)
        async->sources_seen_ms = spotify__monotonic_ms();
    for (unsigned i = 1; i < count; i++) /* curl_waitfd's bits are poll(2)'s */
        source_fire_ready(async, (int)fds[i].fd, fds[i].revents);
    if ((fds[0].revents & CURL_WAIT_POLLIN) == 0)
        return false;
    wakeup_handle(async);
    return true;
}

/* Looks at the sources' descriptors without waiting and runs the ready
 * ones: a run that does not wait (it delivered at once, found nothing
 * pending or had no time left) would otherwise leave an extension's input
 * (a Redis answer) unread until one has to wait. One poll(2), at most once
 * a millisecond (a busy context runs far more often: the look cost the
 * fleet soak about a tenth of its rate when every run made it). */
static void sources_look(spotify_async *async)
{
    if (async->sources == NULL)
        return;
    int64_t now = spotify__monotonic_ms();
    if (now == async->sources_seen_ms)
        return;
    async->sources_seen_ms = now;
    struct pollfd fds[MAX_SOURCE_FDS];
    nfds_t count = 0;
    for (spotify__async_source *s = async->sources; s != NULL && count < MAX_SOURCE_FDS;
         s = s->next)
        if (s->fd >= 0)
            fds[count++] = (struct pollfd){.fd = s->fd, .events = source_poll_bits(s)};
    if (count == 0 || poll(fds, count, 0) <= 0)
        return;
    for (nfds_t i = 0; i < count; i++)
        source_fire_ready(async, fds[i].fd, fds[i].revents);
}

spotify_status spotify_async_run(spotify_async *async, int64_t timeout_ms, spotify_error *err)
{
    if (async == NULL || async->has_loop)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_async_run: needs a self-driven context (no loop)");
    int64_t deadline = timeout_ms >= 0 ? spotify__monotonic_ms() + timeout_ms : -1;
    size_t delivered = async->delivered;
    spotify__async_enter(async);
    bool waited = false; /* the last step was a wait, not a pump */
    for (;;) {
        pump(async);
        waited = false;
        int64_t left = deadline >= 0 ? deadline - spotify__monotonic_ms() : IDLE_WAIT_MS;
        if (async->closing || async->delivered != delivered ||
            (async->pending == 0 && async->flight == NULL) || left <= 0) {
            if (!async->closing)
                sources_look(async);
            break;
        }
        long curl_timeout = -1;
        curl_multi_timeout(async->multi, &curl_timeout);
        int64_t wait = next_timeout(async);
        if (curl_timeout >= 0 && (wait < 0 || curl_timeout < wait))
            wait = curl_timeout;
        if (wait < 0 || wait > left)
            wait = left;
        waited = true;
        if (wait_for_events(async, wait))
            break;
    }
    if (waited) /* what the wait found */
        pump(async);
    spotify__async_leave(async);
    return SPOTIFY_OK;
}

size_t spotify_async_pending(const spotify_async *async)
{
    return async != NULL ? async->pending : 0;
}

/* ---- cancel ---- */

spotify_status spotify_async_cancel(spotify_async *async, spotify_async_id id)
{
    if (async == NULL)
        return SPOTIFY_EINVALID;
    spotify__async_call *call = call_find(async, id);
    if (call == NULL || call->state == SPOTIFY__CALL_DONE)
        return SPOTIFY_ENOTFOUND;
    spotify__call_detach(call);
    spotify__error_set(&call->err, SPOTIFY_ECANCELLED, 0, "the request was cancelled");
    spotify__async_enter(async);
    spotify__call_fail(call, SPOTIFY_ECANCELLED);
    if (!spotify__async_leave(async))
        spotify__async_kick(async);
    return SPOTIFY_OK;
}

/* ---- lifetime ---- */

static spotify_status multi_setup(spotify_async *async, spotify_error *err)
{
    async->multi = curl_multi_init();
    if (async->multi == NULL)
        return spotify__error_oom(err);
    CURLMcode rc = curl_multi_setopt(async->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    /* Keep a connection per transfer slot (and one for the accounts
     * service) between bursts: libcurl's default keeps 4 per transfer in
     * the multi, so a draining burst closed connections the next reopened. */
    if (rc == CURLM_OK)
        rc = curl_multi_setopt(async->multi, CURLMOPT_MAXCONNECTS, (long)async->max_in_flight + 1);
    if (rc == CURLM_OK && async->has_loop) {
        rc = curl_multi_setopt(async->multi, CURLMOPT_SOCKETFUNCTION, spotify__async_curl_socket);
        if (rc == CURLM_OK)
            rc = curl_multi_setopt(async->multi, CURLMOPT_SOCKETDATA, async);
        if (rc == CURLM_OK)
            rc = curl_multi_setopt(async->multi, CURLMOPT_TIMERFUNCTION, curl_timer_cb);
        if (rc == CURLM_OK)
            rc = curl_multi_setopt(async->multi, CURLMOPT_TIMERDATA, async);
    }
    if (rc != CURLM_OK)
        return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0, "curl multi setup: %s",
                                  curl_multi_strerror(rc));
    return SPOTIFY_OK;
}

static spotify_status options_check(const spotify_async_options *opts, spotify_error *err)
{
    if (opts->version != SPOTIFY_ASYNC_OPTIONS_VERSION)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_async_new: unknown options version %u "
                                  "(use SPOTIFY_ASYNC_OPTIONS_INIT)",
                                  opts->version);
    if (opts->loop != NULL && (opts->loop->watch == NULL || opts->loop->timer == NULL))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_async_new: a loop needs both watch and timer");
    return SPOTIFY_OK;
}

spotify_status spotify_async_new(spotify_async **out, spotify_client *client,
                                 const spotify_async_options *opts, spotify_error *err)
{
    if (out == NULL || client == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_async_new: out and client must not be NULL");
    *out = NULL;
    spotify_async_options defaults = SPOTIFY_ASYNC_OPTIONS_INIT;
    if (opts == NULL)
        opts = &defaults;
    spotify_status st = options_check(opts, err);
    if (st != SPOTIFY_OK)
        return st;
    spotify_async *async = spotify__calloc(1, sizeof *async);
    if (async == NULL)
        return spotify__error_oom(err);
    async->client = client;
    async->auth = spotify__client_auth(client);
    async->max_in_flight = opts->max_in_flight > 0 ? opts->max_in_flight : DEFAULT_MAX_IN_FLIGHT;
    async->has_loop = opts->loop != NULL;
    if (async->has_loop)
        async->loop = *opts->loop;
    async->on_wakeup = opts->on_wakeup;
    async->on_wakeup_user = opts->on_wakeup_user;
    async->curl_due_ms = -1;
    async->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (async->wake_fd < 0) {
        spotify__free(async);
        return spotify__error_set(err, SPOTIFY_EIO, 0, "spotify_async_new: eventfd: %s",
                                  strerror(errno));
    }
    st = multi_setup(async, err);
    if (st != SPOTIFY_OK) {
        spotify_async_free(async);
        return st;
    }
    if (async->has_loop)
        async->loop.watch(async->loop.user, async->wake_fd, SPOTIFY_ASYNC_IN);
    *out = async;
    return SPOTIFY_OK;
}

/* Ends the token flight without an answer: blocking waiters stop waiting. */
static void flight_abandon(spotify_async *async)
{
    spotify__async_call *flight = async->flight;
    if (flight == NULL)
        return;
    spotify__call_detach(flight);
    spotify__error_set(&flight->err, SPOTIFY_ECANCELLED, 0, "the async context was freed");
    spotify__call_fail(flight, SPOTIFY_ECANCELLED);
}

/* The context whose entry point runs on this thread (innermost). */
static _Thread_local spotify_async *current_context;

void spotify__async_enter(spotify_async *async)
{
    if (async->depth++ == 0) {
        async->outer_current = current_context;
        current_context = async;
    }
}

spotify_async *spotify_async_current(void)
{
    return current_context;
}

static void context_destroy(spotify_async *async);

bool spotify__async_leave(spotify_async *async)
{
    if (--async->depth > 0)
        return false;
    current_context = async->outer_current;
    if (!async->free_deferred)
        return false;
    context_destroy(async);
    return true;
}

void spotify_async_free(spotify_async *async)
{
    if (async == NULL)
        return;
    async->closing = true;
    if (async->depth > 0) {
        /* From one of the context's own callbacks: nothing more runs, and
         * the outermost entry point finishes the free as it unwinds. */
        async->free_deferred = true;
        return;
    }
    context_destroy(async);
}

/* Cancels everything (each pending callback runs once with
 * SPOTIFY_ECANCELLED), unwatches every descriptor and frees the context. */
static void context_destroy(spotify_async *async)
{
    async->closing = true;
    async->depth++;
    while (async->sources != NULL)
        async->sources->cancel(async->sources);
    flight_abandon(async);
    while (async->calls != NULL) {
        spotify__async_call *call = async->calls;
        spotify__call_detach(call);
        spotify__error_set(&call->err, SPOTIFY_ECANCELLED, 0,
                           "the async context was freed with the request pending");
        spotify__call_fail(call, SPOTIFY_ECANCELLED);
    }
    if (async->has_loop && async->wake_fd >= 0)
        async->loop.watch(async->loop.user, async->wake_fd, SPOTIFY_ASYNC_NONE);
    if (async->has_loop)
        async->loop.timer(async->loop.user, -1);
    if (async->multi != NULL)
        curl_multi_cleanup(async->multi);
    spotify__async_sockets_free(async);
    if (async->wake_fd >= 0)
        close(async->wake_fd);
    for (size_t i = 0; i < async->spare_count; i++)
        spotify__strbuf_release(&async->spare_bodies[i]);
    spotify__free(async);
}
