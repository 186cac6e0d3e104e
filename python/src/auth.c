/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth.c - spotify_sdk's auth layer on libspotify-sdk's providers and token
 * caches:
 *
 *   TokenInfo <-> spotify_token
 *   InMemoryTokenCache, FileTokenCache   the C memory and file caches
 *   any object with get()/set()          bridged into spotify_token_cache_ops
 *   ClientCredentials, AuthorizationCode (pkce=True: PKCE) and the Async*
 *   twins                                 a spotify_auth each; the async
 *                                         methods run on a private client's
 *                                         async context on the running loop
 *   any object with get_access_token()   bridged into spotify_auth_ops
 *   authorize_local                      spotify_authorize_local(_async)
 *
 * Nothing here talks HTTP or reads JSON: every token request, refresh,
 * lock, retry and file write is the C library's.
 */
#include "pysdk.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#ifdef PYSDK_HAVE_REDIS
#include <spotify/redis.h>
#endif

/* ---------- TokenInfo ---------- */

static PyObject *opt_str(const char *s)
{
    if (s == NULL)
        Py_RETURN_NONE;
    return PyUnicode_FromString(s);
}

PyObject *pysdk_token_to_python(const spotify_token *token)
{
    if (pysdk_ensure_imports() < 0)
        return NULL;
    PyObject *access = opt_str(token->access_token);
    PyObject *refresh = opt_str(token->refresh_token);
    PyObject *scope = opt_str(token->scope);
    PyObject *out = NULL;
    if (access != NULL && refresh != NULL && scope != NULL)
        out = PyObject_CallFunction(pysdk.token_info, "OdOO", access, token->expires_at, refresh,
                                    scope);
    Py_XDECREF(access);
    Py_XDECREF(refresh);
    Py_XDECREF(scope);
    return out;
}

static int token_field(PyObject *info, const char *name, char **field, bool required)
{
    PyObject *v = PyObject_GetAttrString(info, name);
    if (v == NULL)
        return -1;
    int rc = 0;
    if (v == Py_None) {
        if (required) {
            PyErr_Format(PyExc_TypeError, "TokenInfo.%s must be a str", name);
            rc = -1;
        }
    } else {
        const char *u = pysdk_utf8(v, name);
        if (u == NULL || spotify_token_set_field(field, u, NULL) != SPOTIFY_OK)
            rc = -1;
        if (u != NULL && rc < 0)
            PyErr_NoMemory();
    }
    Py_DECREF(v);
    return rc;
}

/* A TokenInfo (or any object with its attributes) -> spotify_token. */
static int token_from_python(PyObject *info, spotify_token *out)
{
    memset(out, 0, sizeof *out);
    PyObject *exp = PyObject_GetAttrString(info, "expires_at");
    if (exp == NULL)
        return -1;
    out->expires_at = PyFloat_AsDouble(exp);
    Py_DECREF(exp);
    if (out->expires_at == -1.0 && PyErr_Occurred())
        return -1;
    if (token_field(info, "access_token", &out->access_token, true) < 0 ||
        token_field(info, "refresh_token", &out->refresh_token, false) < 0 ||
        token_field(info, "scope", &out->scope, false) < 0) {
        spotify_token_clear(out);
        return -1;
    }
    return 0;
}

/* ---------- caches ---------- */

typedef struct cache_object {
    PyObject_HEAD
    spotify_token_cache *cache;
    PyObject *path;
} cache_object;

static PyTypeObject *memory_cache_type;
static PyTypeObject *file_cache_type;
#ifdef PYSDK_HAVE_REDIS
static PyTypeObject *redis_cache_type;
#endif

static bool is_c_cache(PyObject *o)
{
    return PyObject_TypeCheck(o, memory_cache_type) || PyObject_TypeCheck(o, file_cache_type)
#ifdef PYSDK_HAVE_REDIS
           || PyObject_TypeCheck(o, redis_cache_type)
#endif
        ;
}

static PyObject *cache_get(PyObject *self, PyObject *args)
{
    (void)args;
    cache_object *c = (cache_object *)self;
    spotify_token token = {0};
    bool found = false;
    spotify_error err = {0};
    spotify_status st;
    Py_BEGIN_ALLOW_THREADS
    st = spotify_token_cache_get(&token, &found, c->cache, &err);
    Py_END_ALLOW_THREADS
    if (st != SPOTIFY_OK)
        return pysdk_raise(st, &err);
    if (!found)
        Py_RETURN_NONE;
    PyObject *out = pysdk_token_to_python(&token);
    spotify_token_clear(&token);
    return out;
}

static PyObject *cache_set(PyObject *self, PyObject *info)
{
    cache_object *c = (cache_object *)self;
    spotify_token token;
    if (token_from_python(info, &token) < 0)
        return NULL;
    spotify_error err = {0};
    spotify_status st;
    Py_BEGIN_ALLOW_THREADS
    st = spotify_token_cache_store(c->cache, &token, &err);
    Py_END_ALLOW_THREADS
    spotify_token_clear(&token);
    if (st != SPOTIFY_OK)
        return pysdk_raise(st, &err);
    Py_RETURN_NONE;
}

static PyObject *cache_path(PyObject *self, void *closure)
{
    (void)closure;
    PyObject *p = ((cache_object *)self)->path;
    if (p == NULL)
        Py_RETURN_NONE;
    Py_INCREF(p);
    return p;
}

static void cache_dealloc(PyObject *self)
{
    cache_object *c = (cache_object *)self;
    spotify_token_cache_free(c->cache);
    Py_XDECREF(c->path);
    PyTypeObject *tp = Py_TYPE(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static int memory_cache_init(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "", kwlist))
        return -1;
    cache_object *c = (cache_object *)self;
    spotify_token_cache_free(c->cache);
    c->cache = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_token_cache_memory_new(&c->cache, &err);
    if (st != SPOTIFY_OK) {
        pysdk_raise(st, &err);
        return -1;
    }
    return 0;
}

static int file_cache_init(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"path", NULL};
    PyObject *path = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O", kwlist, &path))
        return -1;
    cache_object *c = (cache_object *)self;
    PyObject *fs = NULL;
    if (path != NULL && path != Py_None) {
        fs = PyOS_FSPath(path);
        if (fs == NULL)
            return -1;
    } else {
        fs = PyUnicode_FromString(SPOTIFY_DEFAULT_TOKEN_FILE);
        if (fs == NULL)
            return -1;
    }
    const char *p = pysdk_utf8(fs, "path");
    if (p == NULL) {
        Py_DECREF(fs);
        return -1;
    }
    spotify_token_cache_free(c->cache);
    c->cache = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_token_cache_file_new(&c->cache, p, &err);
    if (st != SPOTIFY_OK) {
        Py_DECREF(fs);
        pysdk_raise(st, &err);
        return -1;
    }
    Py_XSETREF(c->path, fs);
    return 0;
}

static PyMethodDef cache_methods[] = {
    {"get", cache_get, METH_NOARGS, "The cached token, or None."},
    {"set", cache_set, METH_O, "Store a token (TokenInfo)."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef cache_getset[] = {
    {"path", cache_path, NULL, "The token file.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot memory_cache_slots[] = {
    {Py_tp_doc, "Simple in-memory token cache (thread-safe, process-local)."},
    {Py_tp_init, memory_cache_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_methods, cache_methods},
    {Py_tp_dealloc, cache_dealloc},
    {0, NULL},
};

static PyType_Spec memory_cache_spec = {
    "spotify_sdk._auth_shared.InMemoryTokenCache", sizeof(cache_object), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,      memory_cache_slots,
};

static PyType_Slot file_cache_slots[] = {
    {Py_tp_doc, "JSON file-backed token cache: mode 0600, atomic writes, a cross-process "
                "lock around refreshes (libspotify-sdk's file cache)."},
    {Py_tp_init, file_cache_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_methods, cache_methods},
    {Py_tp_getset, cache_getset},
    {Py_tp_dealloc, cache_dealloc},
    {0, NULL},
};

static PyType_Spec file_cache_spec = {
    "spotify_sdk._auth_shared.FileTokenCache", sizeof(cache_object), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,  file_cache_slots,
};

#ifdef PYSDK_HAVE_REDIS
static int redis_cache_init(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"url", "client_id", "user_key", "key_prefix", NULL};
    const char *url = NULL;
    const char *client_id = NULL;
    const char *user_key = NULL;
    const char *key_prefix = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|z$zzz", kwlist, &url, &client_id, &user_key,
                                     &key_prefix))
        return -1;
    cache_object *c = (cache_object *)self;
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = url;
    o.client_id = client_id;
    o.user_key = user_key;
    o.key_prefix = key_prefix;
    spotify_token_cache_free(c->cache);
    c->cache = NULL;
    spotify_error err = {0};
    spotify_status st;
    Py_BEGIN_ALLOW_THREADS
    st = spotify_redis_token_cache_new(&c->cache, &o, &err);
    Py_END_ALLOW_THREADS
    if (st != SPOTIFY_OK) {
        pysdk_raise(st, &err);
        return -1;
    }
    return 0;
}

static PyType_Slot redis_cache_slots[] = {
    {Py_tp_doc, "Redis token cache (libspotify-sdk-redis): one token and one refresh per "
                "expiry for a fleet of workers. Beyond the reference package."},
    {Py_tp_init, redis_cache_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_methods, cache_methods},
    {Py_tp_dealloc, cache_dealloc},
    {0, NULL},
};

static PyType_Spec redis_cache_spec = {
    "spotify_sdk._auth_shared.RedisTokenCache", sizeof(cache_object), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,   redis_cache_slots,
};

/* RedisCooldown: a rate-limit cooldown shared through Redis by every
 * client (and process) of one app, for SpotifyClient(cooldown=...). */
typedef struct cooldown_object {
    PyObject_HEAD
    spotify_redis_cooldown *cooldown;
} cooldown_object;

static PyTypeObject *cooldown_type;

static int cooldown_init(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"url", "client_id", "key_prefix", NULL};
    const char *url = NULL;
    const char *client_id = NULL;
    const char *key_prefix = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|z$zz", kwlist, &url, &client_id, &key_prefix))
        return -1;
    cooldown_object *c = (cooldown_object *)self;
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = url;
    o.client_id = client_id;
    o.key_prefix = key_prefix;
    spotify_redis_cooldown_free(c->cooldown);
    c->cooldown = NULL;
    spotify_error err = {0};
    spotify_status st;
    Py_BEGIN_ALLOW_THREADS
    st = spotify_redis_cooldown_new(&c->cooldown, &o, &err);
    Py_END_ALLOW_THREADS
    if (st != SPOTIFY_OK) {
        pysdk_raise(st, &err);
        return -1;
    }
    return 0;
}

static void cooldown_dealloc(PyObject *self)
{
    spotify_redis_cooldown_free(((cooldown_object *)self)->cooldown);
    PyTypeObject *tp = Py_TYPE(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot cooldown_slots[] = {
    {Py_tp_doc, "A 429 cooldown shared through Redis by every client of one app "
                "(libspotify-sdk-redis; beyond the reference package): "
                "SpotifyClient(..., cooldown=RedisCooldown(url, client_id=...))."},
    {Py_tp_init, cooldown_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_dealloc, cooldown_dealloc},
    {0, NULL},
};

static PyType_Spec cooldown_spec = {
    "spotify_sdk._auth_shared.RedisCooldown", sizeof(cooldown_object), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, cooldown_slots,
};
#endif

const spotify_cooldown_store *pysdk_cooldown_of(PyObject *o)
{
#ifdef PYSDK_HAVE_REDIS
    if (o != NULL && PyObject_TypeCheck(o, cooldown_type) &&
        ((cooldown_object *)o)->cooldown != NULL)
        return spotify_redis_cooldown_store(((cooldown_object *)o)->cooldown);
#else
    (void)o;
#endif
    return NULL;
}

/* A Python object with get()/set() as cache operations. The provider calls
 * them under its lock, from whichever thread needs a token. */
static spotify_status pycache_load(void *user, spotify_token *out, bool *found, spotify_error *err)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    spotify_status st = SPOTIFY_OK;
    *found = false;
    PyObject *r = PyObject_CallMethodNoArgs((PyObject *)user, pysdk.str_get);
    if (r == NULL) {
        pysdk_pending_set_from_current();
        st = SPOTIFY_EIO;
    } else if (r != Py_None) {
        if (token_from_python(r, out) == 0) {
            *found = true;
        } else {
            pysdk_pending_set_from_current();
            st = SPOTIFY_EIO;
        }
    }
    Py_XDECREF(r);
    PyGILState_Release(gil);
    if (st != SPOTIFY_OK && err != NULL) {
        spotify_error_clear(err);
        err->status = st;
        snprintf(err->message, sizeof err->message, "the token cache's get() failed");
    }
    return st;
}

static spotify_status pycache_store(void *user, const spotify_token *token, spotify_error *err)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    spotify_status st = SPOTIFY_OK;
    PyObject *info = pysdk_token_to_python(token);
    PyObject *r =
        info != NULL ? PyObject_CallMethodOneArg((PyObject *)user, pysdk.str_set, info) : NULL;
    if (r == NULL) {
        pysdk_pending_set_from_current();
        st = SPOTIFY_EIO;
    }
    Py_XDECREF(r);
    Py_XDECREF(info);
    PyGILState_Release(gil);
    if (st != SPOTIFY_OK && err != NULL) {
        spotify_error_clear(err);
        err->status = st;
        snprintf(err->message, sizeof err->message, "the token cache's set() failed");
    }
    return st;
}

static void pycache_destroy(void *user)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    Py_XDECREF((PyObject *)user);
    PyGILState_Release(gil);
}

/* The C cache for a token_cache argument: ours (borrowed from it), or a
 * new bridge (*owned set, freed by the caller). NULL cache for None. */
static int cache_for(PyObject *token_cache, spotify_token_cache **out, bool *owned)
{
    *out = NULL;
    *owned = false;
    if (token_cache == NULL || token_cache == Py_None)
        return 0;
    if (is_c_cache(token_cache)) {
        *out = ((cache_object *)token_cache)->cache;
        return 0;
    }
    if (!PyObject_HasAttr(token_cache, pysdk.str_get) ||
        !PyObject_HasAttr(token_cache, pysdk.str_set)) {
        PyErr_SetString(PyExc_TypeError, "token_cache must have get() and set() methods");
        return -1;
    }
    spotify_token_cache_ops ops;
    memset(&ops, 0, sizeof ops);
    ops.version = 1;
    ops.load = pycache_load;
    ops.store = pycache_store;
    ops.destroy = pycache_destroy;
    spotify_error err = {0};
    Py_INCREF(token_cache);
    spotify_status st = spotify_token_cache_new(out, &ops, token_cache, &err);
    if (st != SPOTIFY_OK) {
        Py_DECREF(token_cache);
        pysdk_raise(st, &err);
        return -1;
    }
    *owned = true;
    return 0;
}

/* ---------- providers ---------- */

typedef enum flow { FLOW_CC = 1, FLOW_CODE, FLOW_PKCE } flow;

typedef struct auth_object {
    PyObject_HEAD
    spotify_auth *auth;
    spotify_token_cache *cache; /* our own: a memory cache or a bridge */
    PyObject *token_cache;      /* the object given */
    flow flow;
    bool is_async;
    pysdk_handle *handle; /* async: a private client for the token operations */
    pysdk_loop *loop;
} auth_object;

static PyTypeObject *auth_types[2][2]; /* [flow == CC ? 0 : 1][is_async] */

spotify_auth *pysdk_auth_of(PyObject *provider)
{
    for (int f = 0; f < 2; f++)
        for (int a = 0; a < 2; a++)
            if (auth_types[f][a] != NULL && PyObject_TypeCheck(provider, auth_types[f][a]))
                return ((auth_object *)provider)->auth;
    return NULL;
}

/* scope: str | list[str] | tuple[str, ...] | None -> one space-separated
 * string in `*keep` (the C library normalises spaces and commas). */
static int scope_arg(PyObject *scope, PyObject **keep, const char **out)
{
    *keep = NULL;
    *out = NULL;
    if (scope == NULL || scope == Py_None)
        return 0;
    if (PyUnicode_Check(scope)) {
        Py_INCREF(scope);
        *keep = scope;
    } else {
        PyObject *sep = PyUnicode_FromString(" ");
        if (sep == NULL)
            return -1;
        *keep = PyUnicode_Join(sep, scope);
        Py_DECREF(sep);
        if (*keep == NULL) {
            PyErr_Clear();
            PyErr_SetString(PyExc_TypeError, "scope must be a str or a list or tuple of str");
            return -1;
        }
    }
    *out = PyUnicode_AsUTF8(*keep);
    return *out == NULL ? -1 : 0;
}

static const char *arg_utf8(PyObject *o, const char *what, bool *failed)
{
    if (o == NULL || o == Py_None)
        return NULL;
    if (PyUnicode_Check(o) && PyUnicode_GET_LENGTH(o) == 0)
        return NULL; /* the reference package reads "" as not given */
    const char *u = pysdk_utf8(o, what);
    if (u == NULL)
        *failed = true;
    return u;
}

static void auth_release(auth_object *self)
{
    if (self->loop != NULL) {
        pysdk_loop_free(self->loop);
        self->loop = NULL;
    }
    if (self->handle != NULL) {
        pysdk_handle_decref(self->handle);
        self->handle = NULL;
    }
}

static int auth_init_common(PyObject *op, PyObject *args, PyObject *kwargs, flow f)
{
    auth_object *self = (auth_object *)op;
    static char *cc_kwlist[] = {"client_id",   "client_secret", "token_cache", "timeout",
                                "max_retries", "skew_seconds",  "http_client", NULL};
    static char *code_kwlist[] = {"client_id",     "client_secret", "redirect_uri", "scope",
                                  "refresh_token", "token_cache",   "timeout",      "max_retries",
                                  "skew_seconds",  "http_client",   "pkce",         NULL};
    PyObject *client_id = Py_None, *client_secret = Py_None, *redirect_uri = Py_None;
    PyObject *scope = Py_None, *refresh_token = Py_None, *token_cache = Py_None;
    PyObject *max_retries = Py_None, *http_client = Py_None;
    double timeout = 30.0;
    long long skew = 30;
    int pkce = 0;
    if (f == FLOW_CC) {
        if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO$OdOLO", cc_kwlist, &client_id,
                                         &client_secret, &token_cache, &timeout, &max_retries,
                                         &skew, &http_client))
            return -1;
    } else {
        if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OOO$OOOdOLOp", code_kwlist, &client_id,
                                         &client_secret, &redirect_uri, &scope, &refresh_token,
                                         &token_cache, &timeout, &max_retries, &skew, &http_client,
                                         &pkce))
            return -1;
        if (pkce)
            f = FLOW_PKCE;
    }
    if (pysdk_ensure_imports() < 0)
        return -1;
    auth_release(self);
    spotify_auth_free(self->auth);
    self->auth = NULL;
    spotify_token_cache_free(self->cache);
    self->cache = NULL;
    self->flow = f;
    self->is_async =
        PyObject_TypeCheck(op, auth_types[0][1]) || PyObject_TypeCheck(op, auth_types[1][1]);

    bool failed = false;
    spotify_auth_options o = SPOTIFY_AUTH_OPTIONS_INIT;
    o.client_id = arg_utf8(client_id, "client_id", &failed);
    o.client_secret = arg_utf8(client_secret, "client_secret", &failed);
    o.redirect_uri = arg_utf8(redirect_uri, "redirect_uri", &failed);
    o.refresh_token = arg_utf8(refresh_token, "refresh_token", &failed);
    if (failed)
        return -1;
    PyObject *scope_keep = NULL;
    if (scope_arg(scope, &scope_keep, &o.scope) < 0)
        return -1;
    o.skew_seconds = skew > 0 ? (int64_t)skew : -1;
    pysdk_timeouts_from(&o.timeouts, timeout);
    if (max_retries != Py_None) {
        long n = PyLong_AsLong(max_retries);
        if (n == -1 && PyErr_Occurred()) {
            Py_XDECREF(scope_keep);
            return -1;
        }
        o.retry.max_retries = n <= 0 ? SPOTIFY_RETRY_NONE : (int)(n > 100 ? 100 : n);
    }
    bool owned = false;
    spotify_token_cache *cache = NULL;
    if (cache_for(token_cache, &cache, &owned) < 0) {
        Py_XDECREF(scope_keep);
        return -1;
    }
    if (cache == NULL) {
        spotify_error err = {0};
        if (spotify_token_cache_memory_new(&cache, &err) != SPOTIFY_OK) {
            Py_XDECREF(scope_keep);
            pysdk_raise(err.status, &err);
            return -1;
        }
        owned = true;
    }
    if (owned)
        self->cache = cache;
    if (token_cache != Py_None) {
        Py_INCREF(token_cache);
        Py_XSETREF(self->token_cache, token_cache);
    }
    o.token_cache = cache;
    spotify_error err = {0};
    spotify_status st;
    switch (f) {
    case FLOW_CC:
        st = spotify_auth_client_credentials_new(&self->auth, &o, &err);
        break;
    case FLOW_CODE:
        st = spotify_auth_code_new(&self->auth, &o, &err);
        break;
    default:
        st = spotify_auth_pkce_new(&self->auth, &o, &err);
        break;
    }
    Py_XDECREF(scope_keep);
    if (st != SPOTIFY_OK) {
        pysdk_raise(st, &err);
        return -1;
    }
    return 0;
}

static int cc_init(PyObject *op, PyObject *args, PyObject *kwargs)
{
    return auth_init_common(op, args, kwargs, FLOW_CC);
}

static int code_init(PyObject *op, PyObject *args, PyObject *kwargs)
{
    return auth_init_common(op, args, kwargs, FLOW_CODE);
}

static auth_object *ready(PyObject *op)
{
    auth_object *self = (auth_object *)op;
    if (self->auth == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the provider was not initialised");
        return NULL;
    }
    return self;
}

/* get_access_token() (blocking). */
static PyObject *auth_get_access_token(PyObject *op, PyObject *args)
{
    (void)args;
    auth_object *self = ready(op);
    if (self == NULL)
        return NULL;
    char buf[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify_error err = {0};
    spotify_status st;
    spotify_auth *auth = self->auth;
    Py_BEGIN_ALLOW_THREADS
    st = spotify_auth_access_token_get(buf, sizeof buf, auth, &err);
    Py_END_ALLOW_THREADS
    if (st != SPOTIFY_OK)
        return pysdk_raise(st, &err);
    PyObject *out = PyUnicode_FromString(buf);
    memset(buf, 0, sizeof buf);
    return out;
}

static PyObject *auth_close(PyObject *op, PyObject *args)
{
    (void)args;
    auth_release((auth_object *)op);
    Py_RETURN_NONE;
}

static PyObject *auth_get_authorization_url(PyObject *op, PyObject *args, PyObject *kwargs)
{
    auth_object *self = ready(op);
    if (self == NULL)
        return NULL;
    static char *kwlist[] = {"state", "scope", "show_dialog", NULL};
    PyObject *state = Py_None, *scope = Py_None;
    int show_dialog = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$OOp", kwlist, &state, &scope, &show_dialog))
        return NULL;
    spotify_authorize_url_options u = SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT;
    if (state != Py_None && (u.state = pysdk_utf8(state, "state")) == NULL)
        return NULL;
    PyObject *scope_keep = NULL;
    if (scope_arg(scope, &scope_keep, &u.scope) < 0)
        return NULL;
    u.show_dialog = show_dialog != 0;
    char *url = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_auth_authorize_url(&url, self->auth, &u, &err);
    Py_XDECREF(scope_keep);
    if (st != SPOTIFY_OK)
        return pysdk_raise(st, &err);
    PyObject *out = PyUnicode_FromString(url);
    spotify_free(url);
    return out;
}

static PyObject *auth_parse_response_url(PyObject *cls, PyObject *args, PyObject *kwargs)
{
    (void)cls;
    static char *kwlist[] = {"url", "expected_state", NULL};
    const char *url;
    const char *expected = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s|$z", kwlist, &url, &expected))
        return NULL;
    if (pysdk_ensure_imports() < 0)
        return NULL;
    char *code = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_auth_callback_parse(&code, url, expected, &err);
    if (st != SPOTIFY_OK)
        return pysdk_raise(st, &err);
    PyObject *out = PyUnicode_FromString(code);
    spotify_free_secret(code);
    return out;
}

static PyObject *auth_exchange_code(PyObject *op, PyObject *arg)
{
    auth_object *self = ready(op);
    if (self == NULL)
        return NULL;
    const char *code = pysdk_utf8(arg, "code");
    if (code == NULL)
        return NULL;
    if (code[0] == '\0') {
        PyErr_SetString(pysdk.exc_invalid, "code must not be empty.");
        return NULL;
    }
    spotify_token token = {0};
    spotify_error err = {0};
    spotify_status st;
    spotify_auth *auth = self->auth;
    Py_BEGIN_ALLOW_THREADS
    st = spotify_auth_exchange(&token, auth, code, &err);
    Py_END_ALLOW_THREADS
    if (st != SPOTIFY_OK)
        return pysdk_raise(st, &err);
    PyObject *out = pysdk_token_to_python(&token);
    spotify_token_clear(&token);
    return out;
}

/* ---------- local authorization ---------- */

typedef struct local_ctx {
    PyObject *handler;
    volatile sig_atomic_t cancel;
} local_ctx;

static void local_url_handler(const char *url, void *user)
{
    local_ctx *ctx = user;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *r = PyObject_CallFunction(ctx->handler, "s", url);
    if (r == NULL) {
        /* The handler failed: stop waiting and raise its exception. */
        pysdk_pending_set_from_current();
        ctx->cancel = 1;
    }
    Py_XDECREF(r);
    PyGILState_Release(gil);
}

typedef struct local_args {
    PyObject *state;
    int show_dialog;
    double timeout;
    int open_browser;
    PyObject *handler;
} local_args;

static int local_parse(PyObject *args, PyObject *kwargs, local_args *a, bool with_auth,
                       PyObject **auth)
{
    static char *kwlist_m[] = {
        "state", "show_dialog", "timeout", "open_browser", "authorization_url_handler", NULL};
    static char *kwlist_f[] = {"auth",    "state",        "show_dialog",
                               "timeout", "open_browser", "authorization_url_handler",
                               NULL};
    a->state = Py_None;
    a->show_dialog = 0;
    a->timeout = 300.0;
    a->open_browser = 1;
    a->handler = Py_None;
    if (with_auth)
        return PyArg_ParseTupleAndKeywords(args, kwargs, "O|$OpdpO", kwlist_f, auth, &a->state,
                                           &a->show_dialog, &a->timeout, &a->open_browser,
                                           &a->handler)
                   ? 0
                   : -1;
    return PyArg_ParseTupleAndKeywords(args, kwargs, "|$OpdpO", kwlist_m, &a->state,
                                       &a->show_dialog, &a->timeout, &a->open_browser, &a->handler)
               ? 0
               : -1;
}

static int local_options(const local_args *a, spotify_local_auth_options *lo, local_ctx *ctx)
{
    if (!(a->timeout > 0)) {
        PyErr_SetString(pysdk.exc_invalid, "timeout must be greater than 0.");
        return -1;
    }
    if (!a->open_browser && a->handler == Py_None) {
        PyErr_SetString(pysdk.exc_invalid,
                        "Set open_browser=True or provide authorization_url_handler.");
        return -1;
    }
    lo->state = NULL;
    if (a->state != Py_None && PyObject_IsTrue(a->state) == 1 &&
        (lo->state = pysdk_utf8(a->state, "state")) == NULL)
        return -1;
    lo->show_dialog = a->show_dialog != 0;
    double ms = ceil(a->timeout * 1000.0);
    lo->timeout_ms = ms > 2147483647.0 ? 2147483647L : (long)ms;
    lo->no_browser = !a->open_browser;
    ctx->handler = a->handler;
    ctx->cancel = 0;
    if (a->handler != Py_None) {
        lo->url_handler = local_url_handler;
        lo->url_handler_user = ctx;
    }
    lo->cancel_flag = &ctx->cancel;
    return 0;
}

static PyObject *authorize_local_impl(auth_object *self, const local_args *a)
{
    if (self->flow == FLOW_CC) {
        PyErr_SetString(PyExc_TypeError, "authorize_local needs an AuthorizationCode provider");
        return NULL;
    }
    PyObject *running = PyObject_CallNoArgs(pysdk.asyncio_get_running_loop);
    if (running == NULL)
        return NULL;
    bool in_loop = running != Py_None;
    Py_DECREF(running);
    if (in_loop) {
        PyErr_SetString(PyExc_RuntimeError,
                        "authorize_local() cannot run inside an active async event loop. Use "
                        "async_authorize_local() instead.");
        return NULL;
    }
    spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    local_ctx ctx;
    if (local_options(a, &lo, &ctx) < 0)
        return NULL;
    spotify_token token = {0};
    spotify_error err = {0};
    spotify_status st;
    spotify_auth *auth = self->auth;
    Py_BEGIN_ALLOW_THREADS
    st = spotify_authorize_local(&token, auth, &lo, &err);
    Py_END_ALLOW_THREADS
    if (st != SPOTIFY_OK) {
        if (st == SPOTIFY_EINVALID && pysdk.exc_invalid != NULL && !pysdk_pending_take())
            return pysdk_raise(st, &err); /* a redirect URI that is not loopback: ValueError */
        if (PyErr_Occurred())
            return NULL;
        return pysdk_raise(st, &err);
    }
    pysdk_pending_clear();
    PyObject *out = pysdk_token_to_python(&token);
    spotify_token_clear(&token);
    return out;
}

static PyObject *auth_authorize_local(PyObject *op, PyObject *args, PyObject *kwargs)
{
    auth_object *self = ready(op);
    local_args a;
    if (self == NULL || pysdk_ensure_imports() < 0 ||
        local_parse(args, kwargs, &a, false, NULL) < 0)
        return NULL;
    return authorize_local_impl(self, &a);
}

/* authorize_local(auth, ...), the module function. */
static PyObject *authorize_local_fn(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    local_args a;
    PyObject *auth = NULL;
    if (pysdk_ensure_imports() < 0 || local_parse(args, kwargs, &a, true, &auth) < 0)
        return NULL;
    if (pysdk_auth_of(auth) == NULL) {
        PyErr_SetString(PyExc_TypeError, "authorize_local expects an AuthorizationCode provider");
        return NULL;
    }
    if (((auth_object *)auth)->is_async) {
        PyObject *method = PyObject_GetAttrString(auth, "authorize_local");
        PyObject *out = method != NULL ? PyObject_Call(method, PyTuple_New(0), kwargs) : NULL;
        Py_XDECREF(method);
        return out;
    }
    return authorize_local_impl((auth_object *)auth, &a);
}

/* ---------- the async forms ---------- */

static pysdk_loop *auth_loop(auth_object *self)
{
    PyObject *running = PyObject_CallNoArgs(pysdk.asyncio_get_running_loop);
    if (running == NULL)
        return NULL;
    if (running == Py_None) {
        Py_DECREF(running);
        PyErr_SetString(PyExc_RuntimeError, "must be awaited in a running event loop");
        return NULL;
    }
    if (pysdk_loop_is_current(self->loop, running)) {
        Py_DECREF(running);
        return self->loop;
    }
    if (self->loop != NULL) {
        pysdk_loop_free(self->loop);
        self->loop = NULL;
    }
    if (self->handle == NULL) {
        spotify_client_options o = SPOTIFY_CLIENT_OPTIONS_INIT;
        o.auth = self->auth;
        spotify_client *client = NULL;
        spotify_error err = {0};
        spotify_status st = spotify_client_new(&client, &o, &err);
        if (st != SPOTIFY_OK) {
            Py_DECREF(running);
            return pysdk_raise(st, &err), NULL;
        }
        self->handle = pysdk_handle_new(client, NULL);
        if (self->handle == NULL) {
            spotify_client_free(client);
            Py_DECREF(running);
            return NULL;
        }
    }
    self->loop = pysdk_loop_new(self->handle->client, running);
    Py_DECREF(running);
    return self->loop;
}

static PyObject *token_to_access(const void *ctx, void *result)
{
    (void)ctx;
    const spotify_token *token = result;
    return PyUnicode_FromString(token->access_token != NULL ? token->access_token : "");
}

static PyObject *token_to_info(const void *ctx, void *result)
{
    (void)ctx;
    return pysdk_token_to_python(result);
}

typedef enum async_op { OP_TOKEN, OP_EXCHANGE, OP_LOCAL } async_op;

static PyObject *auth_async(auth_object *self, async_op op, const char *code, const local_args *la)
{
    pysdk_loop *l = auth_loop(self);
    if (l == NULL)
        return NULL;
    pysdk_req *req = pysdk_req_new(l, op == OP_TOKEN ? token_to_access : token_to_info, NULL);
    if (req == NULL)
        return NULL;
    spotify_async *async = pysdk_loop_async(l);
    spotify_async_id id = 0;
    spotify_error err = {0};
    spotify_status st;
    local_ctx *ctx = NULL;
    pysdk_req_hold(req);
    switch (op) {
    case OP_TOKEN:
        st = spotify_auth_token_async(async, false, pysdk_req_deliver_token, req, &id, &err);
        break;
    case OP_EXCHANGE:
        st = spotify_auth_exchange_code_async(async, code, pysdk_req_deliver_token, req, &id, &err);
        break;
    default: {
        spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
        static local_ctx async_ctx; /* the URL handler runs before submit returns */
        ctx = &async_ctx;
        if (local_options(la, &lo, ctx) < 0) {
            pysdk_req_abandon(req);
            pysdk_req_abandon(req);
            return NULL;
        }
        lo.cancel_flag = NULL;
        st = spotify_authorize_local_async(async, self->auth, &lo, pysdk_req_deliver_local, req,
                                           &err);
        break;
    }
    }
    if (st != SPOTIFY_OK) {
        pysdk_req_abandon(req); /* the callback's reference */
        pysdk_req_abandon(req);
        if (pysdk_pending_take())
            return NULL;
        return pysdk_raise(st, &err);
    }
    if (ctx != NULL && pysdk_pending_take()) {
        /* The URL handler failed after the server started: the request is
         * pending in the context; it ends with the timeout or close(). */
        pysdk_req_submitted(req, id);
        pysdk_req_abandon(req);
        return NULL;
    }
    PyObject *fut = NULL;
    if (pysdk_req_submitted(req, id) == 0) {
        fut = pysdk_req_future(req);
        Py_INCREF(fut);
    }
    pysdk_req_abandon(req);
    return fut;
}

static PyObject *auth_token_future(PyObject *op, PyObject *args)
{
    (void)args;
    auth_object *self = ready(op);
    if (self == NULL || pysdk_ensure_imports() < 0)
        return NULL;
    return auth_async(self, OP_TOKEN, NULL, NULL);
}

static PyObject *auth_exchange_future(PyObject *op, PyObject *arg)
{
    auth_object *self = ready(op);
    if (self == NULL || pysdk_ensure_imports() < 0)
        return NULL;
    const char *code = pysdk_utf8(arg, "code");
    if (code == NULL)
        return NULL;
    if (code[0] == '\0') {
        PyErr_SetString(pysdk.exc_invalid, "code must not be empty.");
        return NULL;
    }
    return auth_async(self, OP_EXCHANGE, code, NULL);
}

static PyObject *auth_local_future(PyObject *op, PyObject *args, PyObject *kwargs)
{
    auth_object *self = ready(op);
    local_args a;
    if (self == NULL || pysdk_ensure_imports() < 0 ||
        local_parse(args, kwargs, &a, false, NULL) < 0)
        return NULL;
    if (self->flow == FLOW_CC) {
        PyErr_SetString(PyExc_TypeError, "authorize_local needs an AuthorizationCode provider");
        return NULL;
    }
    return auth_async(self, OP_LOCAL, NULL, &a);
}

/* ---------- the types ---------- */

static void auth_dealloc(PyObject *op)
{
    auth_object *self = (auth_object *)op;
    PyObject_GC_UnTrack(op);
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    auth_release(self);
    PyErr_Restore(type, value, tb);
    spotify_auth *auth = self->auth;
    spotify_token_cache *cache = self->cache;
    self->auth = NULL;
    self->cache = NULL;
    Py_BEGIN_ALLOW_THREADS
    spotify_auth_free(auth);
    spotify_token_cache_free(cache);
    Py_END_ALLOW_THREADS
    Py_CLEAR(self->token_cache);
    PyTypeObject *tp = Py_TYPE(op);
    tp->tp_free(op);
    Py_DECREF(tp);
}

static int auth_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(((auth_object *)op)->token_cache);
    Py_VISIT(Py_TYPE(op));
    return 0;
}

static PyMethodDef sync_methods[] = {
    {"get_access_token", auth_get_access_token, METH_NOARGS,
     "A valid access token, fetched or refreshed when needed."},
    {"close", auth_close, METH_NOARGS, "Release the provider's resources."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef sync_code_methods[] = {
    {"get_access_token", auth_get_access_token, METH_NOARGS,
     "A valid access token, refreshed with the refresh token when needed."},
    {"close", auth_close, METH_NOARGS, "Release the provider's resources."},
    {"get_authorization_url", (PyCFunction)(void (*)(void))auth_get_authorization_url,
     METH_VARARGS | METH_KEYWORDS, "The URL of Spotify's consent page."},
    {"parse_response_url", (PyCFunction)(void (*)(void))auth_parse_response_url,
     METH_VARARGS | METH_KEYWORDS | METH_STATIC,
     "The authorization code of a callback URL (or its query string)."},
    {"exchange_code", auth_exchange_code, METH_O,
     "Exchange an authorization code for tokens (TokenInfo)."},
    {"authorize_local", (PyCFunction)(void (*)(void))auth_authorize_local,
     METH_VARARGS | METH_KEYWORDS,
     "Browser, loopback callback server and code exchange in one call (TokenInfo)."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef async_methods[] = {
    {"_token_future", auth_token_future, METH_NOARGS, NULL},
    {"_close", auth_close, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef async_code_methods[] = {
    {"_token_future", auth_token_future, METH_NOARGS, NULL},
    {"_close", auth_close, METH_NOARGS, NULL},
    {"_exchange_future", auth_exchange_future, METH_O, NULL},
    {"_local_future", (PyCFunction)(void (*)(void))auth_local_future, METH_VARARGS | METH_KEYWORDS,
     NULL},
    {"get_authorization_url", (PyCFunction)(void (*)(void))auth_get_authorization_url,
     METH_VARARGS | METH_KEYWORDS, "The URL of Spotify's consent page."},
    {"parse_response_url", (PyCFunction)(void (*)(void))auth_parse_response_url,
     METH_VARARGS | METH_KEYWORDS | METH_STATIC,
     "The authorization code of a callback URL (or its query string)."},
    {NULL, NULL, 0, NULL},
};

#define AUTH_SPEC(var, name, doc, init, methods)                                                   \
    static PyType_Slot var##_slots[] = {                                                           \
        {Py_tp_doc, doc},                                                                          \
        {Py_tp_init, init},                                                                        \
        {Py_tp_new, PyType_GenericNew},                                                            \
        {Py_tp_methods, methods},                                                                  \
        {Py_tp_dealloc, auth_dealloc},                                                             \
        {Py_tp_traverse, auth_traverse},                                                           \
        {0, NULL},                                                                                 \
    };                                                                                             \
    static PyType_Spec var##_spec = {                                                              \
        name, sizeof(auth_object), 0,                                                              \
        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, var##_slots}

AUTH_SPEC(cc, "spotify_sdk._core.ClientCredentials", "Client credentials auth provider.", cc_init,
          sync_methods);
AUTH_SPEC(code, "spotify_sdk._core.AuthorizationCode",
          "Authorization code auth provider with refresh token support (pkce=True: PKCE, no "
          "client secret).",
          code_init, sync_code_methods);
AUTH_SPEC(acc, "spotify_sdk._core.AsyncClientCredentials",
          "Client credentials auth provider (asyncio).", cc_init, async_methods);
AUTH_SPEC(acode, "spotify_sdk._core.AsyncAuthorizationCode",
          "Authorization code auth provider (asyncio).", code_init, async_code_methods);

/* ---------- bridging Python providers ---------- */

typedef struct bridge {
    PyObject *provider;
    bool is_async;
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
} bridge;

static spotify_status bridge_fail(spotify_error *err, const char *message)
{
    if (err != NULL) {
        spotify_error_clear(err);
        err->status = SPOTIFY_EAUTH;
        snprintf(err->message, sizeof err->message, "%s", message);
    }
    return SPOTIFY_EAUTH;
}

static spotify_status bridge_get_token(void *user, bool force_refresh, char *buf, size_t size,
                                       spotify_error *err)
{
    (void)force_refresh;
    bridge *b = user;
    PyGILState_STATE gil = PyGILState_Ensure();
    spotify_status st = SPOTIFY_OK;
    if (b->is_async) {
        if (b->token[0] == '\0')
            st = bridge_fail(err, "the auth_provider gave no access token");
        else
            snprintf(buf, size, "%s", b->token);
    } else {
        PyObject *r = PyObject_CallMethodNoArgs(b->provider, pysdk.str_get_access_token);
        if (r == NULL) {
            pysdk_pending_set_from_current();
            st = bridge_fail(err, "the auth_provider's get_access_token() failed");
        } else if (!PyUnicode_Check(r)) {
            st = bridge_fail(err, "the auth_provider's get_access_token() did not return a str");
        } else {
            const char *u = PyUnicode_AsUTF8(r);
            if (u == NULL || strlen(u) >= size) {
                PyErr_Clear();
                st = bridge_fail(err, "the auth_provider's access token is too long");
            } else {
                memcpy(buf, u, strlen(u) + 1);
            }
        }
        Py_XDECREF(r);
    }
    PyGILState_Release(gil);
    return st;
}

static void bridge_destroy(void *user)
{
    bridge *b = user;
    PyGILState_STATE gil = PyGILState_Ensure();
    Py_XDECREF(b->provider);
    memset(b->token, 0, sizeof b->token);
    PyMem_RawFree(b);
    PyGILState_Release(gil);
}

spotify_status pysdk_bridge_auth_new(spotify_auth **out, void **user, PyObject *provider,
                                     spotify_error *err)
{
    bridge *b = PyMem_RawCalloc(1, sizeof *b);
    if (b == NULL)
        return SPOTIFY_ENOMEM;
    PyObject *method = PyObject_GetAttr(provider, pysdk.str_get_access_token);
    if (method != NULL) {
        PyObject *inspect = PyImport_ImportModule("inspect");
        PyObject *r = inspect != NULL
                          ? PyObject_CallMethod(inspect, "iscoroutinefunction", "O", method)
                          : NULL;
        b->is_async = r == Py_True;
        Py_XDECREF(r);
        Py_XDECREF(inspect);
        Py_DECREF(method);
    }
    PyErr_Clear();
    Py_INCREF(provider);
    b->provider = provider;
    spotify_auth_ops ops = {SPOTIFY_AUTH_OPS_VERSION, bridge_get_token, bridge_destroy};
    spotify_status st = spotify_auth_custom_new(out, &ops, b, err);
    if (st != SPOTIFY_OK) {
        Py_DECREF(provider);
        PyMem_RawFree(b);
        return st;
    }
    *user = b;
    return SPOTIFY_OK;
}

int pysdk_bridge_set_token(void *user, PyObject *token)
{
    bridge *b = user;
    const char *u = pysdk_utf8(token, "get_access_token()'s result");
    if (u == NULL)
        return -1;
    if (strlen(u) >= sizeof b->token) {
        PyErr_SetString(PyExc_ValueError, "the access token is too long");
        return -1;
    }
    memcpy(b->token, u, strlen(u) + 1);
    return 0;
}

/* ---------- module ---------- */

static PyMethodDef auth_functions[] = {
    {"authorize_local", (PyCFunction)(void (*)(void))authorize_local_fn,
     METH_VARARGS | METH_KEYWORDS,
     "authorize_local(auth, *, state=None, show_dialog=False, timeout=300.0, open_browser=True, "
     "authorization_url_handler=None) -> TokenInfo"},
    {NULL, NULL, 0, NULL},
};

static int add_type(PyObject *module, PyType_Spec *spec, const char *name, PyTypeObject **out)
{
    *out = (PyTypeObject *)PyType_FromModuleAndSpec(module, spec, NULL);
    if (*out == NULL)
        return -1;
    Py_INCREF(*out);
    return PyModule_AddObject(module, name, (PyObject *)*out);
}

int pysdk_auth_init(PyObject *module)
{
    if (add_type(module, &memory_cache_spec, "InMemoryTokenCache", &memory_cache_type) < 0 ||
        add_type(module, &file_cache_spec, "FileTokenCache", &file_cache_type) < 0 ||
        add_type(module, &cc_spec, "ClientCredentials", &auth_types[0][0]) < 0 ||
        add_type(module, &acc_spec, "AsyncClientCredentials", &auth_types[0][1]) < 0 ||
        add_type(module, &code_spec, "AuthorizationCode", &auth_types[1][0]) < 0 ||
        add_type(module, &acode_spec, "AsyncAuthorizationCode", &auth_types[1][1]) < 0)
        return -1;
#ifdef PYSDK_HAVE_REDIS
    if (add_type(module, &redis_cache_spec, "RedisTokenCache", &redis_cache_type) < 0 ||
        add_type(module, &cooldown_spec, "RedisCooldown", &cooldown_type) < 0)
        return -1;
#endif
    if (PyModule_AddIntConstant(module, "HAVE_REDIS",
#ifdef PYSDK_HAVE_REDIS
                                1
#else
                                0
#endif
                                ) < 0)
        return -1;
    return PyModule_AddFunctions(module, auth_functions);
}
