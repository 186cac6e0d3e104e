/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loop.c - a spotify_async context driven by a running asyncio event loop.
 *
 * The context reports which descriptors to watch and when its one timer
 * should fire (spotify_async_loop); here those become loop.add_reader /
 * add_writer / remove_* and loop.call_later, and the loop's callbacks call
 * spotify_async_on_socket / on_timer. No thread per request: the transfers
 * are libcurl's multi handle on the loop's thread. Every request is an
 * asyncio Future of the loop; cancelling the Future cancels the transfer.
 *
 * The GIL is released around every call into the context (it may wait on
 * the provider's lock, which a thread running a Python cache holds while
 * it waits for the GIL); callbacks from the context take it back.
 */
#include "pysdk.h"

#include <time.h>

typedef struct watch {
    int fd;
    int events;
} watch;

struct pysdk_loop {
    PyObject_HEAD
    spotify_async *async;
    PyObject *loop;         /* the asyncio loop */
    PyObject *timer_handle; /* asyncio.TimerHandle / Handle, or NULL */
    int64_t timer_due_ns;   /* when it fires (CLOCK_MONOTONIC, asyncio's clock) */
    PyObject *cb_readable;  /* bound methods of this object, made once */
    PyObject *cb_writable;  /* (cleared at free: they refer to it) */
    PyObject *cb_timer;
    watch *watches;
    size_t nwatches;
    size_t capacity;
    bool closed;
};

static PyTypeObject *loop_type;
static PyTypeObject *req_type;

static void report_unraisable(const char *where)
{
    if (PyErr_Occurred()) {
        PyObject *ctx = PyUnicode_FromString(where);
        PyErr_WriteUnraisable(ctx);
        Py_XDECREF(ctx);
    }
}

static watch *watch_find(pysdk_loop *l, int fd)
{
    for (size_t i = 0; i < l->nwatches; i++)
        if (l->watches[i].fd == fd)
            return &l->watches[i];
    if (l->nwatches == l->capacity) {
        size_t cap = l->capacity ? l->capacity * 2 : 8;
        watch *grown = PyMem_Realloc(l->watches, cap * sizeof *grown);
        if (grown == NULL)
            return NULL;
        l->watches = grown;
        l->capacity = cap;
    }
    watch *w = &l->watches[l->nwatches++];
    w->fd = fd;
    w->events = 0;
    return w;
}

/* Interned method names. */
static PyObject *s_add_reader, *s_add_writer, *s_remove_reader, *s_remove_writer, *s_call_soon,
    *s_call_later, *s_cancel, *s_set_result, *s_set_exception, *s_create_future,
    *s_add_done_callback, *s_cancelled;

static PyObject *bound(pysdk_loop *l, const char *name)
{
    PyObject **slot = name[1] == 'r'   ? &l->cb_readable
                      : name[1] == 'w' ? &l->cb_writable
                                       : &l->cb_timer;
    if (*slot == NULL)
        *slot = PyObject_GetAttrString((PyObject *)l, name);
    Py_XINCREF(*slot);
    return *slot;
}

/* spotify_async_loop.watch */
static void on_watch(void *user, int fd, spotify_async_events events)
{
    pysdk_loop *l = user;
    PyGILState_STATE gil = PyGILState_Ensure();
    watch *w = watch_find(l, fd);
    if (w == NULL) {
        PyGILState_Release(gil);
        return;
    }
    int old = w->events;
    int now = (int)events;
    struct {
        int bit;
        PyObject *add;
        PyObject *remove;
        const char *method;
    } kinds[] = {
        {SPOTIFY_ASYNC_IN, s_add_reader, s_remove_reader, "_readable"},
        {SPOTIFY_ASYNC_OUT, s_add_writer, s_remove_writer, "_writable"},
    };
    PyObject *fdobj = PyLong_FromLong(fd);
    for (size_t k = 0; k < 2 && fdobj != NULL; k++) {
        int bit = kinds[k].bit;
        PyObject *r = NULL;
        if ((now & bit) && !(old & bit)) {
            PyObject *cb = bound(l, kinds[k].method);
            if (cb != NULL)
                r = PyObject_CallMethodObjArgs(l->loop, kinds[k].add, fdobj, cb, fdobj, NULL);
            Py_XDECREF(cb);
        } else if (!(now & bit) && (old & bit)) {
            r = PyObject_CallMethodOneArg(l->loop, kinds[k].remove, fdobj);
        } else {
            continue;
        }
        if (r == NULL)
            report_unraisable("spotify_sdk: watching a socket on the event loop");
        Py_XDECREF(r);
    }
    Py_XDECREF(fdobj);
    w->events = now;
    if (now == 0)
        *w = l->watches[--l->nwatches];
    PyGILState_Release(gil);
}

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* spotify_async_loop.timer. The context re-arms its timer several times
 * per request (after every submit and every pump), mostly for "now" or for
 * a transfer's far timeout: a pending timer that fires no later than the
 * new deadline serves it (when it fires early, the context arms the timer
 * again), so it is kept instead of being cancelled and replaced. */
static void on_timer_arm(void *user, int64_t timeout_ms)
{
    pysdk_loop *l = user;
    PyGILState_STATE gil = PyGILState_Ensure();
    int64_t due_ns = timeout_ms >= 0 ? monotonic_ns() + timeout_ms * 1000000 : -1;
    if (timeout_ms >= 0 && l->timer_handle != NULL && l->timer_due_ns <= due_ns && !l->closed) {
        PyGILState_Release(gil);
        return;
    }
    if (l->timer_handle != NULL) {
        PyObject *r = PyObject_CallMethodNoArgs(l->timer_handle, s_cancel);
        Py_XDECREF(r);
        Py_CLEAR(l->timer_handle);
        PyErr_Clear();
    }
    if (timeout_ms >= 0 && !l->closed) {
        PyObject *cb = bound(l, "_timer");
        if (cb != NULL) {
            l->timer_due_ns = due_ns;
            if (timeout_ms == 0) {
                l->timer_handle = PyObject_CallMethodOneArg(l->loop, s_call_soon, cb);
            } else {
                PyObject *delay = PyFloat_FromDouble((double)timeout_ms / 1000.0);
                if (delay != NULL)
                    l->timer_handle =
                        PyObject_CallMethodObjArgs(l->loop, s_call_later, delay, cb, NULL);
                Py_XDECREF(delay);
            }
            Py_DECREF(cb);
        }
        if (l->timer_handle == NULL)
            report_unraisable("spotify_sdk: arming a timer on the event loop");
    }
    PyGILState_Release(gil);
}

static PyObject *loop_socket_ready(pysdk_loop *l, PyObject *arg, spotify_async_events events)
{
    int fd = (int)PyLong_AsLong(arg);
    if (fd == -1 && PyErr_Occurred())
        return NULL;
    if (l->closed || l->async == NULL)
        Py_RETURN_NONE;
    spotify_error err = {0};
    Py_BEGIN_ALLOW_THREADS
    spotify_async_on_socket(l->async, fd, events, &err);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *loop_readable(PyObject *self, PyObject *arg)
{
    return loop_socket_ready((pysdk_loop *)self, arg, SPOTIFY_ASYNC_IN);
}

static PyObject *loop_writable(PyObject *self, PyObject *arg)
{
    return loop_socket_ready((pysdk_loop *)self, arg, SPOTIFY_ASYNC_OUT);
}

static PyObject *loop_timer(PyObject *self, PyObject *args)
{
    (void)args;
    pysdk_loop *l = (pysdk_loop *)self;
    Py_CLEAR(l->timer_handle);
    if (l->closed || l->async == NULL)
        Py_RETURN_NONE;
    spotify_error err = {0};
    Py_BEGIN_ALLOW_THREADS
    spotify_async_on_timer(l->async, &err);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

pysdk_loop *pysdk_loop_new(spotify_client *client, PyObject *loop)
{
    pysdk_loop *l = PyObject_New(pysdk_loop, loop_type);
    if (l == NULL)
        return NULL;
    l->async = NULL;
    Py_INCREF(loop);
    l->loop = loop;
    l->timer_handle = NULL;
    l->timer_due_ns = -1;
    l->cb_readable = l->cb_writable = l->cb_timer = NULL;
    l->watches = NULL;
    l->nwatches = l->capacity = 0;
    l->closed = false;
    spotify_async_loop hooks = {on_watch, on_timer_arm, l};
    spotify_async_options opts = SPOTIFY_ASYNC_OPTIONS_INIT;
    opts.loop = &hooks;
    /* httpx's default pool (the reference package's transport) allows 100
     * connections; the context's default is 64 transfers in flight. */
    opts.max_in_flight = PYSDK_MAX_IN_FLIGHT;
    spotify_error err = {0};
    spotify_status st;
    Py_BEGIN_ALLOW_THREADS
    st = spotify_async_new(&l->async, client, &opts, &err);
    Py_END_ALLOW_THREADS
    if (st != SPOTIFY_OK) {
        l->closed = true;
        Py_DECREF(l);
        pysdk_raise(st, &err);
        return NULL;
    }
    return l;
}

void pysdk_loop_free(pysdk_loop *l)
{
    if (l == NULL)
        return;
    if (!l->closed) {
        l->closed = true;
        spotify_async *async = l->async;
        l->async = NULL;
        Py_BEGIN_ALLOW_THREADS
        spotify_async_free(async);
        Py_END_ALLOW_THREADS
        /* Watches it still had (none: free stops them) and the timer. */
        for (size_t i = 0; i < l->nwatches; i++) {
            PyObject *r = NULL;
            if (l->watches[i].events & SPOTIFY_ASYNC_IN)
                r = PyObject_CallMethod(l->loop, "remove_reader", "i", l->watches[i].fd);
            Py_XDECREF(r);
            r = NULL;
            if (l->watches[i].events & SPOTIFY_ASYNC_OUT)
                r = PyObject_CallMethod(l->loop, "remove_writer", "i", l->watches[i].fd);
            Py_XDECREF(r);
            PyErr_Clear();
        }
        l->nwatches = 0;
        if (l->timer_handle != NULL) {
            PyObject *r = PyObject_CallMethod(l->timer_handle, "cancel", NULL);
            Py_XDECREF(r);
            PyErr_Clear();
            Py_CLEAR(l->timer_handle);
        }
        Py_CLEAR(l->cb_readable);
        Py_CLEAR(l->cb_writable);
        Py_CLEAR(l->cb_timer);
    }
    Py_DECREF(l);
}

spotify_async *pysdk_loop_async(pysdk_loop *l)
{
    return l->closed ? NULL : l->async;
}

PyObject *pysdk_loop_loop(pysdk_loop *l)
{
    return l->loop;
}

bool pysdk_loop_is_current(pysdk_loop *l, PyObject *running)
{
    return l != NULL && !l->closed && l->loop == running;
}

static void loop_dealloc(PyObject *self)
{
    pysdk_loop *l = (pysdk_loop *)self;
    if (!l->closed && l->async != NULL) {
        l->closed = true;
        spotify_async_free(l->async);
    }
    Py_XDECREF(l->timer_handle);
    Py_XDECREF(l->cb_readable);
    Py_XDECREF(l->cb_writable);
    Py_XDECREF(l->cb_timer);
    Py_XDECREF(l->loop);
    PyMem_Free(l->watches);
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_Free(self);
    Py_DECREF(tp);
}

static PyMethodDef loop_methods[] = {
    {"_readable", loop_readable, METH_O, NULL},
    {"_writable", loop_writable, METH_O, NULL},
    {"_timer", loop_timer, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot loop_slots[] = {
    {Py_tp_dealloc, loop_dealloc},
    {Py_tp_methods, loop_methods},
    {0, NULL},
};

static PyType_Spec loop_spec = {
    "spotify_sdk._core._LoopDriver", sizeof(pysdk_loop), 0, Py_TPFLAGS_DEFAULT, loop_slots,
};

/* ---------- requests ---------- */

/* One request in flight: the Future the caller awaits. Held by the C side
 * (the completion callback's user pointer) until the callback ran. */
typedef struct pysdk_req {
    PyObject_HEAD
    PyObject *future;
    pysdk_loop *loop;
    spotify_async_id id;
    bool completed;
    pysdk_req_convert convert;
    const void *ctx;
} pysdk_req;

/* Fails the future with an exception object (stolen) unless it is done. */
static void future_fail(PyObject *fut, PyObject *exc)
{
    if (exc == NULL) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        if (tb != NULL && value != NULL)
            PyException_SetTraceback(value, tb);
        Py_XDECREF(type);
        Py_XDECREF(tb);
        exc = value;
        if (exc == NULL)
            return;
    }
    /* A future already done (cancelled) refuses: nothing to tell. */
    PyObject *r = PyObject_CallMethodOneArg(fut, s_set_exception, exc);
    Py_XDECREF(r);
    Py_DECREF(exc);
    PyErr_Clear();
}

static void future_succeed(PyObject *fut, PyObject *value)
{
    PyObject *r = PyObject_CallMethodOneArg(fut, s_set_result, value);
    Py_XDECREF(r);
    Py_DECREF(value);
    PyErr_Clear();
}

void pysdk_req_complete(pysdk_req *req, spotify_status status, void *result,
                        const spotify_error *err)
{
    req->completed = true;
    if (status == SPOTIFY_OK) {
        PyObject *value = req->convert(req->ctx, result);
        if (value == NULL)
            future_fail(req->future, NULL);
        else
            future_succeed(req->future, value);
    } else {
        PyObject *exc = NULL;
        if (pysdk_pending_take()) {
            future_fail(req->future, NULL);
            return;
        }
        exc = pysdk_error_object(status, err);
        future_fail(req->future, exc);
    }
}

/* spotify_async_callback: operations and raw requests. The converter takes
 * a successful result (pysdk_convert); any other is freed here. */
void pysdk_req_deliver(spotify_status status, void *result, const spotify_error *err, void *user)
{
    pysdk_req *req = user;
    PyGILState_STATE gil = PyGILState_Ensure();
    pysdk_req_complete(req, status, result, err);
    if (status != SPOTIFY_OK)
        spotify_model_free(result);
    Py_DECREF(req);
    PyGILState_Release(gil);
}

/* spotify_auth_token_callback */
void pysdk_req_deliver_token(spotify_status status, const spotify_token *token,
                             const spotify_error *err, void *user)
{
    pysdk_req *req = user;
    PyGILState_STATE gil = PyGILState_Ensure();
    pysdk_req_complete(req, status, (void *)token, err);
    Py_DECREF(req);
    PyGILState_Release(gil);
}

/* spotify_authorize_local_callback */
void pysdk_req_deliver_local(spotify_status status, spotify_token *token, const spotify_error *err,
                             void *user)
{
    pysdk_req_deliver_token(status, token, err, user);
}

/* Done callback of the future: a cancelled future cancels its transfer. */
static PyObject *req_on_done(PyObject *self, PyObject *fut)
{
    pysdk_req *req = (pysdk_req *)self;
    if (req->completed || req->loop->closed)
        Py_RETURN_NONE;
    PyObject *cancelled = PyObject_CallMethodNoArgs(fut, s_cancelled);
    if (cancelled == NULL)
        return NULL;
    bool yes = cancelled == Py_True;
    Py_DECREF(cancelled);
    if (yes)
        pysdk_req_cancel(req);
    Py_RETURN_NONE;
}

void pysdk_req_cancel(pysdk_req *req)
{
    if (req->completed || req->loop->closed || req->id == 0)
        return;
    spotify_async *async = req->loop->async;
    spotify_async_id id = req->id;
    Py_BEGIN_ALLOW_THREADS
    spotify_async_cancel(async, id);
    Py_END_ALLOW_THREADS
}

static void req_dealloc(PyObject *self)
{
    pysdk_req *req = (pysdk_req *)self;
    Py_XDECREF(req->future);
    Py_XDECREF(req->loop);
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_Free(self);
    Py_DECREF(tp);
}

static PyMethodDef req_methods[] = {
    {"_on_done", req_on_done, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot req_slots[] = {
    {Py_tp_dealloc, req_dealloc},
    {Py_tp_methods, req_methods},
    {0, NULL},
};

static PyType_Spec req_spec = {
    "spotify_sdk._core._Request", sizeof(pysdk_req), 0, Py_TPFLAGS_DEFAULT, req_slots,
};

pysdk_req *pysdk_req_new(pysdk_loop *l, pysdk_req_convert convert, const void *ctx)
{
    PyObject *fut = PyObject_CallMethodNoArgs(l->loop, s_create_future);
    if (fut == NULL)
        return NULL;
    pysdk_req *req = PyObject_New(pysdk_req, req_type);
    if (req == NULL) {
        Py_DECREF(fut);
        return NULL;
    }
    req->future = fut;
    Py_INCREF(l);
    req->loop = l;
    req->id = 0;
    req->completed = false;
    req->convert = convert;
    req->ctx = ctx;
    return req;
}

PyObject *pysdk_req_future(pysdk_req *req)
{
    return req->future;
}

void pysdk_req_hold(pysdk_req *req)
{
    Py_INCREF(req); /* the C side's reference, dropped by the callback */
}

void pysdk_req_started(pysdk_req *req, spotify_async_id id)
{
    req->id = id;
}

int pysdk_req_submitted(pysdk_req *req, spotify_async_id id)
{
    req->id = id;
    if (req->completed)
        return 0;
    PyObject *cb = PyObject_GetAttrString((PyObject *)req, "_on_done");
    if (cb == NULL)
        return -1;
    PyObject *r = PyObject_CallMethodOneArg(req->future, s_add_done_callback, cb);
    Py_DECREF(cb);
    if (r == NULL)
        return -1;
    Py_DECREF(r);
    return 0;
}

void pysdk_req_abandon(pysdk_req *req)
{
    Py_DECREF(req);
}

int pysdk_loop_init(PyObject *module)
{
    struct {
        PyObject **slot;
        const char *name;
    } names[] = {
        {&s_add_reader, "add_reader"},
        {&s_add_writer, "add_writer"},
        {&s_remove_reader, "remove_reader"},
        {&s_remove_writer, "remove_writer"},
        {&s_call_soon, "call_soon"},
        {&s_call_later, "call_later"},
        {&s_cancel, "cancel"},
        {&s_set_result, "set_result"},
        {&s_set_exception, "set_exception"},
        {&s_create_future, "create_future"},
        {&s_add_done_callback, "add_done_callback"},
        {&s_cancelled, "cancelled"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((*names[i].slot = PyUnicode_InternFromString(names[i].name)) == NULL)
            return -1;
    loop_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &loop_spec, NULL);
    req_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &req_spec, NULL);
    return loop_type != NULL && req_type != NULL ? 0 : -1;
}
