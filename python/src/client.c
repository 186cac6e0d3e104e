/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client.c - SpotifyClient and AsyncSpotifyClient: a spotify_client made
 * from the reference package's constructor arguments (the C library
 * applies the credential rules: one of access_token, client_id/secret or
 * auth_provider; the environment otherwise), its services as attributes,
 * close() and the context-manager protocol. The async client keeps one
 * spotify_async context per running event loop (loop.c).
 */
#include "pysdk.h"

#include <math.h>
#include <stddef.h>

#include <structmember.h>

PyTypeObject *pysdk_client_type;
PyTypeObject *pysdk_async_client_type;

/* What close() keeps to make the client again on the next call (the
 * reference package's clients work after close(), re-opening connections). */
typedef struct client_config {
    PyObject *client_id;
    PyObject *client_secret;
} client_config;

typedef struct client_object {
    pysdk_client base;
    client_config config;
    pysdk_handle *loop_handle; /* the handle the async context uses */
} client_object;

void pysdk_timeouts_from(spotify_timeouts *t, double timeout)
{
    if (!(timeout > 0) || !isfinite(timeout))
        return;
    int64_t ms = (int64_t)ceil(timeout * 1000.0);
    t->connect_ms = ms;
    t->attempt_ms = ms;
    t->call_ms = ms > 120000 ? ms * 4 : 0;
}

static int retries_from(PyObject *max_retries, int *out)
{
    *out = 0; /* the default, 3 */
    if (max_retries == NULL || max_retries == Py_None)
        return 0;
    long n = PyLong_AsLong(max_retries);
    if (n == -1 && PyErr_Occurred())
        return -1;
    *out = n <= 0 ? SPOTIFY_RETRY_NONE : (int)(n > 100 ? 100 : n);
    return 0;
}

static const char *opt_utf8(PyObject *o, const char *what, bool *failed)
{
    if (o == NULL || o == Py_None)
        return NULL;
    const char *u = pysdk_utf8(o, what);
    if (u == NULL)
        *failed = true;
    return u;
}

/* Makes the C client from the object's settings. */
static pysdk_handle *client_open(client_object *self)
{
    pysdk_client *c = &self->base;
    bool failed = false;
    spotify_client_options o = SPOTIFY_CLIENT_OPTIONS_INIT;
    o.access_token = opt_utf8(c->access_token, "access_token", &failed);
    o.client_id = opt_utf8(self->config.client_id, "client_id", &failed);
    o.client_secret = opt_utf8(self->config.client_secret, "client_secret", &failed);
    if (failed)
        return NULL;
    pysdk_timeouts_from(&o.timeouts, c->timeout);
    o.retry.max_retries = c->max_retries;
    spotify_auth *bridge = NULL;
    void *bridge_user = NULL;
    spotify_error err = {0};
    if (c->auth_provider != NULL) {
        o.auth = pysdk_auth_of(c->auth_provider);
        if (o.auth == NULL) {
            if (PyErr_Occurred())
                return NULL;
            spotify_status st =
                pysdk_bridge_auth_new(&bridge, &bridge_user, c->auth_provider, &err);
            if (st != SPOTIFY_OK)
                return pysdk_raise(st, &err), NULL;
            o.auth = bridge;
        }
    }
    if (c->cooldown != NULL)
        o.cooldown_store = pysdk_cooldown_of(c->cooldown);
    PyObject *keep = PyTuple_Pack(2, c->auth_provider != NULL ? c->auth_provider : Py_None,
                                  c->cooldown != NULL ? c->cooldown : Py_None);
    if (keep == NULL) {
        spotify_auth_free(bridge);
        return NULL;
    }
    spotify_client *client = NULL;
    spotify_status st = spotify_client_new(&client, &o, &err);
    if (st != SPOTIFY_OK) {
        Py_DECREF(keep);
        spotify_auth_free(bridge);
        pysdk_raise(st, &err);
        return NULL;
    }
    pysdk_handle *h = pysdk_handle_new(client, bridge);
    if (h == NULL) {
        Py_DECREF(keep);
        spotify_client_free(client);
        spotify_auth_free(bridge);
        return NULL;
    }
    h->bridge_user = bridge_user;
    h->keep = keep;
    return h;
}

pysdk_handle *pysdk_client_acquire(pysdk_client *client)
{
    if (client->handle == NULL) {
        client->handle = client_open((client_object *)client);
        if (client->handle == NULL)
            return NULL;
    }
    pysdk_handle_incref(client->handle);
    return client->handle;
}

static void loop_release(client_object *self)
{
    if (self->base.loop != NULL) {
        pysdk_loop *l = self->base.loop;
        self->base.loop = NULL;
        pysdk_loop_free(l);
    }
    if (self->loop_handle != NULL) {
        pysdk_handle_decref(self->loop_handle);
        self->loop_handle = NULL;
    }
}

pysdk_loop *pysdk_client_loop(pysdk_client *client)
{
    client_object *self = (client_object *)client;
    if (pysdk_ensure_imports() < 0)
        return NULL;
    PyObject *running = PyObject_CallNoArgs(pysdk.asyncio_get_running_loop);
    if (running == NULL)
        return NULL;
    if (running == Py_None) {
        Py_DECREF(running);
        PyErr_SetString(PyExc_RuntimeError,
                        "AsyncSpotifyClient calls must be awaited in a running event loop");
        return NULL;
    }
    if (pysdk_loop_is_current(client->loop, running)) {
        Py_DECREF(running);
        return client->loop;
    }
    loop_release(self);
    pysdk_handle *h = pysdk_client_acquire(client);
    if (h == NULL) {
        Py_DECREF(running);
        return NULL;
    }
    client->loop = pysdk_loop_new(h->client, running);
    Py_DECREF(running);
    if (client->loop == NULL) {
        pysdk_handle_decref(h);
        return NULL;
    }
    self->loop_handle = h;
    return client->loop;
}

/* Whether the provider's get_access_token is a coroutine function. */
static int provider_is_async(PyObject *provider)
{
    PyObject *method = PyObject_GetAttr(provider, pysdk.str_get_access_token);
    if (method == NULL) {
        PyErr_Clear();
        PyErr_SetString(PyExc_TypeError, "auth_provider must have a get_access_token() method");
        return -1;
    }
    PyObject *inspect = PyImport_ImportModule("inspect");
    PyObject *r =
        inspect != NULL ? PyObject_CallMethod(inspect, "iscoroutinefunction", "O", method) : NULL;
    Py_XDECREF(inspect);
    Py_DECREF(method);
    if (r == NULL)
        return -1;
    int yes = PyObject_IsTrue(r);
    Py_DECREF(r);
    return yes;
}

static int client_init(PyObject *op, PyObject *args, PyObject *kwargs)
{
    client_object *self = (client_object *)op;
    pysdk_client *c = &self->base;
    static char *kwlist[] = {"access_token", "client_id",   "client_secret", "auth_provider",
                             "timeout",      "max_retries", "cooldown",      NULL};
    PyObject *access_token = Py_None;
    PyObject *client_id = Py_None;
    PyObject *client_secret = Py_None;
    PyObject *auth_provider = Py_None;
    double timeout = 30.0;
    PyObject *max_retries = NULL;
    PyObject *cooldown = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O$OOOdOO", kwlist, &access_token, &client_id,
                                     &client_secret, &auth_provider, &timeout, &max_retries,
                                     &cooldown))
        return -1;
    if (pysdk_ensure_imports() < 0)
        return -1;
    c->is_async = PyObject_TypeCheck(op, pysdk_async_client_type);
    c->timeout = timeout;
    if (retries_from(max_retries, &c->max_retries) < 0)
        return -1;
    /* The reference package treats empty strings as not given. */
    if (access_token != Py_None && PyObject_IsTrue(access_token) == 1) {
        Py_INCREF(access_token);
        Py_XSETREF(c->access_token, access_token);
    }
    if (client_id != Py_None && PyObject_IsTrue(client_id) == 1) {
        Py_INCREF(client_id);
        Py_XSETREF(self->config.client_id, client_id);
    }
    if (client_secret != Py_None && PyObject_IsTrue(client_secret) == 1) {
        Py_INCREF(client_secret);
        Py_XSETREF(self->config.client_secret, client_secret);
    }
    if (cooldown != Py_None) {
        if (pysdk_cooldown_of(cooldown) == NULL) {
            PyErr_SetString(PyExc_TypeError, "cooldown must be a RedisCooldown");
            return -1;
        }
        Py_INCREF(cooldown);
        Py_XSETREF(c->cooldown, cooldown);
    }
    if (auth_provider != Py_None) {
        Py_INCREF(auth_provider);
        Py_XSETREF(c->auth_provider, auth_provider);
        if (pysdk_auth_of(auth_provider) == NULL) {
            if (PyErr_Occurred())
                return -1;
            int is_async = provider_is_async(auth_provider);
            if (is_async < 0)
                return -1;
            Py_INCREF(auth_provider);
            Py_XSETREF(c->python_provider, auth_provider);
            c->provider_is_async = is_async == 1;
            if (c->provider_is_async && !c->is_async) {
                PyErr_SetString(PyExc_TypeError,
                                "SpotifyClient needs an auth_provider whose get_access_token() "
                                "is not async (use AsyncSpotifyClient)");
                return -1;
            }
        }
    }
    if (c->handle != NULL) {
        pysdk_handle_decref(c->handle);
        c->handle = NULL;
    }
    c->handle = client_open(self);
    if (c->handle == NULL)
        return -1;
    PyObject *services = pysdk_services_new(c);
    if (services == NULL)
        return -1;
    if (c->dict == NULL && (c->dict = PyDict_New()) == NULL) {
        Py_DECREF(services);
        return -1;
    }
    int rc = PyDict_Update(c->dict, services);
    Py_DECREF(services);
    return rc;
}

/* Frees the C client (and async context); returns what the provider's
 * close() returned (an awaitable for async providers) or None. */
static PyObject *client_close_impl(client_object *self, bool close_provider)
{
    pysdk_client *c = &self->base;
    loop_release(self);
    if (c->handle != NULL) {
        pysdk_handle *h = c->handle;
        c->handle = NULL;
        pysdk_handle_decref(h);
    }
    if (!close_provider || c->auth_provider == NULL)
        Py_RETURN_NONE;
    PyObject *close = PyObject_GetAttr(c->auth_provider, pysdk.str_close);
    if (close == NULL) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    PyObject *r = PyObject_CallNoArgs(close);
    Py_DECREF(close);
    return r;
}

static PyObject *client_close(PyObject *self, PyObject *args)
{
    (void)args;
    PyObject *r = client_close_impl((client_object *)self, true);
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    Py_RETURN_NONE;
}

/* AsyncSpotifyClient._close(): the Python shell's `async def close` awaits
 * what this returns when it is awaitable. */
static PyObject *client_close_async(PyObject *self, PyObject *args)
{
    (void)args;
    return client_close_impl((client_object *)self, true);
}

static PyObject *client_enter(PyObject *self, PyObject *args)
{
    (void)args;
    Py_INCREF(self);
    return self;
}

static PyObject *client_exit(PyObject *self, PyObject *args)
{
    (void)args;
    return client_close(self, NULL);
}

static PyObject *client_from_cc(PyObject *cls, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"client_id", "client_secret", "timeout", "max_retries", NULL};
    PyObject *client_id = Py_None;
    PyObject *client_secret = Py_None;
    PyObject *timeout = NULL;
    PyObject *max_retries = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$OOOO", kwlist, &client_id, &client_secret,
                                     &timeout, &max_retries))
        return NULL;
    bool is_async = PyType_IsSubtype((PyTypeObject *)cls, pysdk_async_client_type);
    PyObject *auth_mod =
        PyImport_ImportModule(is_async ? "spotify_sdk._async.auth" : "spotify_sdk._sync.auth");
    PyObject *cc_cls = auth_mod != NULL
                           ? PyObject_GetAttrString(auth_mod, is_async ? "AsyncClientCredentials"
                                                                       : "ClientCredentials")
                           : NULL;
    Py_XDECREF(auth_mod);
    if (cc_cls == NULL)
        return NULL;
    PyObject *cc_kwargs =
        Py_BuildValue("{s:O,s:O}", "client_id", client_id, "client_secret", client_secret);
    PyObject *empty = PyTuple_New(0);
    PyObject *provider =
        cc_kwargs != NULL && empty != NULL ? PyObject_Call(cc_cls, empty, cc_kwargs) : NULL;
    Py_DECREF(cc_cls);
    Py_XDECREF(cc_kwargs);
    PyObject *out = NULL;
    if (provider != NULL) {
        PyObject *kw = Py_BuildValue("{s:O}", "auth_provider", provider);
        if (kw != NULL && timeout != NULL)
            PyDict_SetItemString(kw, "timeout", timeout);
        if (kw != NULL && max_retries != NULL)
            PyDict_SetItemString(kw, "max_retries", max_retries);
        if (kw != NULL)
            out = PyObject_Call(cls, empty, kw);
        Py_XDECREF(kw);
        Py_DECREF(provider);
    }
    Py_XDECREF(empty);
    return out;
}

static int client_traverse(PyObject *op, visitproc visit, void *arg)
{
    client_object *self = (client_object *)op;
    Py_VISIT(self->base.dict);
    Py_VISIT(self->base.auth_provider);
    Py_VISIT(self->base.python_provider);
    Py_VISIT(self->base.cooldown);
    Py_VISIT(Py_TYPE(op));
    return 0;
}

static int client_clear(PyObject *op)
{
    client_object *self = (client_object *)op;
    Py_CLEAR(self->base.dict);
    return 0;
}

static void client_dealloc(PyObject *op)
{
    client_object *self = (client_object *)op;
    PyObject_GC_UnTrack(op);
    /* A failed __init__ deallocates with its exception set: keep it. */
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (self->base.weakrefs != NULL)
        PyObject_ClearWeakRefs(op);
    PyObject *r = client_close_impl(self, false);
    Py_XDECREF(r);
    PyErr_Clear();
    PyErr_Restore(type, value, tb);
    Py_CLEAR(self->base.dict);
    Py_CLEAR(self->base.auth_provider);
    Py_CLEAR(self->base.python_provider);
    Py_CLEAR(self->base.cooldown);
    Py_CLEAR(self->base.access_token);
    Py_CLEAR(self->config.client_id);
    Py_CLEAR(self->config.client_secret);
    PyTypeObject *tp = Py_TYPE(op);
    tp->tp_free(op);
    Py_DECREF(tp);
}

static PyMethodDef client_methods[] = {
    {"close", client_close, METH_NOARGS, "Close the client and release resources."},
    {"__enter__", client_enter, METH_NOARGS, NULL},
    {"__exit__", client_exit, METH_VARARGS, NULL},
    {"from_client_credentials", (PyCFunction)(void (*)(void))client_from_cc,
     METH_VARARGS | METH_KEYWORDS | METH_CLASS,
     "Create a client using the client credentials flow."},
    {NULL, NULL, 0, NULL},
};

/* Requests of the running loop's context not completed yet (tests). */
static PyObject *client_pending(PyObject *self, PyObject *args)
{
    (void)args;
    pysdk_loop *l = ((pysdk_client *)self)->loop;
    spotify_async *async = l != NULL ? pysdk_loop_async(l) : NULL;
    return PyLong_FromSize_t(async != NULL ? spotify_async_pending(async) : 0);
}

static PyMethodDef async_client_methods[] = {
    {"_close", client_close_async, METH_NOARGS, NULL},
    {"_pending", client_pending, METH_NOARGS, NULL},
    {"from_client_credentials", (PyCFunction)(void (*)(void))client_from_cc,
     METH_VARARGS | METH_KEYWORDS | METH_CLASS,
     "Create a client using the client credentials flow."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef client_members[] = {
    {"__dictoffset__", T_PYSSIZET, offsetof(pysdk_client, dict), READONLY, NULL},
    {"__weaklistoffset__", T_PYSSIZET, offsetof(pysdk_client, weakrefs), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot client_slots[] = {
    {Py_tp_doc, "Main client for interacting with the Spotify API."},
    {Py_tp_init, client_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_methods, client_methods},
    {Py_tp_members, client_members},
    {Py_tp_traverse, client_traverse},
    {Py_tp_clear, client_clear},
    {Py_tp_dealloc, client_dealloc},
    {0, NULL},
};

static PyType_Spec client_spec = {
    "spotify_sdk.SpotifyClient",
    sizeof(client_object),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    client_slots,
};

static PyType_Slot async_client_slots[] = {
    {Py_tp_doc, "Async client for interacting with the Spotify API (asyncio)."},
    {Py_tp_init, client_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_methods, async_client_methods},
    {Py_tp_members, client_members},
    {Py_tp_traverse, client_traverse},
    {Py_tp_clear, client_clear},
    {Py_tp_dealloc, client_dealloc},
    {0, NULL},
};

static PyType_Spec async_client_spec = {
    "spotify_sdk._core.AsyncSpotifyClient",
    sizeof(client_object),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    async_client_slots,
};

int pysdk_client_init(PyObject *module)
{
    pysdk_client_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &client_spec, NULL);
    pysdk_async_client_type =
        (PyTypeObject *)PyType_FromModuleAndSpec(module, &async_client_spec, NULL);
    if (pysdk_client_type == NULL || pysdk_async_client_type == NULL)
        return -1;
    Py_INCREF(pysdk_client_type);
    Py_INCREF(pysdk_async_client_type);
    if (PyModule_AddObject(module, "SpotifyClient", (PyObject *)pysdk_client_type) < 0 ||
        PyModule_AddObject(module, "AsyncSpotifyClient", (PyObject *)pysdk_async_client_type) < 0)
        return -1;
    return 0;
}
