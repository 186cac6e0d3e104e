/* SPDX-License-Identifier: Apache-2.0 */
/*
 * module.c - spotify_sdk._core: module set-up and the helpers every part
 * shares (lazy imports, the pending-exception slot, client handles).
 */
#include "pysdk.h"

pysdk_state pysdk;

/* ---------- lazy imports ---------- */

static PyObject *import_attr(const char *module, const char *name)
{
    PyObject *m = PyImport_ImportModule(module);
    if (m == NULL)
        return NULL;
    PyObject *attr = PyObject_GetAttrString(m, name);
    Py_DECREF(m);
    return attr;
}

int pysdk_ensure_imports(void)
{
    if (pysdk.exc_spotify != NULL)
        return 0;
    static const struct {
        PyObject **slot;
        const char *module;
        const char *name;
    } wanted[] = {
        {&pysdk.exc_auth, "spotify_sdk.exceptions", "AuthenticationError"},
        {&pysdk.exc_bad_request, "spotify_sdk.exceptions", "BadRequestError"},
        {&pysdk.exc_forbidden, "spotify_sdk.exceptions", "ForbiddenError"},
        {&pysdk.exc_not_found, "spotify_sdk.exceptions", "NotFoundError"},
        {&pysdk.exc_rate_limit, "spotify_sdk.exceptions", "RateLimitError"},
        {&pysdk.exc_server, "spotify_sdk.exceptions", "ServerError"},
        {&pysdk.exc_invalid, "spotify_sdk.exceptions", "InvalidArgumentError"},
        {&pysdk.exc_config, "spotify_sdk.exceptions", "ConfigurationError"},
        {&pysdk.token_info, "spotify_sdk._auth_shared", "TokenInfo"},
        {&pysdk.asyncio_get_running_loop, "asyncio", "_get_running_loop"},
        {&pysdk.asyncio_ensure_future, "asyncio", "ensure_future"},
        {&pysdk.inspect_isawaitable, "inspect", "isawaitable"},
        {&pysdk.json_dumps, "json", "dumps"},
        /* Last: it marks the set as complete. */
        {&pysdk.exc_spotify, "spotify_sdk.exceptions", "SpotifyError"},
    };
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        if (*wanted[i].slot != NULL)
            continue;
        PyObject *attr = import_attr(wanted[i].module, wanted[i].name);
        if (attr == NULL)
            return -1;
        *wanted[i].slot = attr;
    }
    return 0;
}

/* ---------- the pending exception of a callback ---------- */

static _Thread_local PyObject *pending_type;
static _Thread_local PyObject *pending_value;
static _Thread_local PyObject *pending_tb;

void pysdk_pending_set_from_current(void)
{
    if (pending_type != NULL) {
        PyErr_Clear(); /* the first failure explains the call */
        return;
    }
    PyErr_Fetch(&pending_type, &pending_value, &pending_tb);
}

bool pysdk_pending_take(void)
{
    if (pending_type == NULL)
        return false;
    PyErr_Restore(pending_type, pending_value, pending_tb);
    pending_type = pending_value = pending_tb = NULL;
    return true;
}

void pysdk_pending_clear(void)
{
    Py_CLEAR(pending_type);
    Py_CLEAR(pending_value);
    Py_CLEAR(pending_tb);
}

const char *pysdk_utf8(PyObject *o, const char *what)
{
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be a str, not %.100s", what, Py_TYPE(o)->tp_name);
        return NULL;
    }
    return PyUnicode_AsUTF8(o);
}

/* ---------- client handles ---------- */

pysdk_handle *pysdk_handle_new(spotify_client *client, spotify_auth *bridge)
{
    pysdk_handle *h = PyMem_Calloc(1, sizeof *h);
    if (h == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    h->client = client;
    h->bridge_auth = bridge;
    h->refs = 1;
    return h;
}

void pysdk_handle_incref(pysdk_handle *h)
{
    h->refs++;
}

void pysdk_handle_decref(pysdk_handle *h)
{
    if (h == NULL || --h->refs > 0)
        return;
    spotify_client *client = h->client;
    spotify_auth *bridge = h->bridge_auth;
    PyObject *keep = h->keep;
    PyMem_Free(h);
    /* Freeing joins nothing and never calls Python back but may close
     * sockets: no reason to hold the GIL. The bridge (a custom provider)
     * releases its Python object in destroy, which takes the GIL itself. */
    Py_BEGIN_ALLOW_THREADS
    spotify_client_free(client);
    spotify_auth_free(bridge);
    Py_END_ALLOW_THREADS
    Py_XDECREF(keep);
}

/* ---------- the module ---------- */

static PyObject *core_version(PyObject *self, PyObject *args)
{
    (void)self;
    (void)args;
    return PyUnicode_FromString(SPOTIFY_VERSION_STRING);
}

static PyObject *core_token_is_expired(PyObject *self, PyObject *args)
{
    (void)self;
    double expires_at;
    long long skew;
    double now;
    if (!PyArg_ParseTuple(args, "dLd", &expires_at, &skew, &now))
        return NULL;
    spotify_token token = {0};
    token.access_token = (char *)"x";
    token.expires_at = expires_at;
    return PyBool_FromLong(spotify_token_is_expired(&token, now, (int64_t)skew));
}

static PyMethodDef core_functions[] = {
    {"version", core_version, METH_NOARGS, "The version of libspotify-sdk in use."},
    {"_token_is_expired", core_token_is_expired, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT,
    "spotify_sdk._core",
    "The C extension behind spotify_sdk: libspotify-sdk for Python.",
    -1,
    core_functions,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC PyInit__core(void)
{
    spotify_error err = {0};
    if (spotify_global_init(&err) != SPOTIFY_OK) {
        PyErr_Format(PyExc_ImportError, "libspotify-sdk: %s", err.message);
        return NULL;
    }
    PyObject *module = PyModule_Create(&core_module);
    if (module == NULL)
        return NULL;
    pysdk.module = module;
    pysdk.str_type_ = PyUnicode_InternFromString("type_");
    pysdk.str_get_access_token = PyUnicode_InternFromString("get_access_token");
    pysdk.str_close = PyUnicode_InternFromString("close");
    pysdk.str_get = PyUnicode_InternFromString("get");
    pysdk.str_set = PyUnicode_InternFromString("set");
    pysdk.fromisoformat = NULL;
    PyObject *datetime = PyImport_ImportModule("datetime");
    if (datetime != NULL) {
        PyObject *cls = PyObject_GetAttrString(datetime, "datetime");
        if (cls != NULL)
            pysdk.fromisoformat = PyObject_GetAttrString(cls, "fromisoformat");
        Py_XDECREF(cls);
        Py_DECREF(datetime);
    }
    if (pysdk.str_type_ == NULL || pysdk.fromisoformat == NULL || pysdk_errors_init(module) < 0 ||
        pysdk_convert_init(module) < 0 || pysdk_service_init(module) < 0 ||
        pysdk_client_init(module) < 0 || pysdk_auth_init(module) < 0 ||
        pysdk_loop_init(module) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
