/* SPDX-License-Identifier: Apache-2.0 */
/*
 * service.c - the services of a client (client.albums, client.player...)
 * and their methods, all made from the generated tables (gen_tables.c):
 * one method object type whose call binds the Python arguments by the
 * table's parameters, converts them into the operation's args struct (and
 * JSON body struct), checks the table's argument rules, and runs the
 * operation: blocking with the GIL released (SpotifyClient), or submitted
 * to the running loop's async context with a Future to await
 * (AsyncSpotifyClient). Results go through the one converter (convert.c).
 */
#include "pysdk.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <structmember.h>

#define MAX_PARAMS 16

/* ---------- per-call scratch memory ---------- */

typedef struct scratch {
    void *ptrs[48];
    int n;
} scratch;

static void *scratch_alloc(scratch *s, size_t size)
{
    if (s->n == (int)(sizeof s->ptrs / sizeof s->ptrs[0])) {
        PyErr_SetString(PyExc_ValueError, "too many list arguments");
        return NULL;
    }
    void *p = PyMem_Calloc(1, size ? size : 1);
    if (p == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    s->ptrs[s->n++] = p;
    return p;
}

static void scratch_free(scratch *s)
{
    for (int i = 0; i < s->n; i++)
        PyMem_Free(s->ptrs[i]);
    s->n = 0;
}

/* ---------- the objects ---------- */

typedef struct service_object {
    PyObject_HEAD
    pysdk_client *client;
    const pysdk_service *svc;
} service_object;

typedef struct method_object {
    PyObject_HEAD
    const pysdk_method *m;
    vectorcallfunc vectorcall;
    PyObject *doc;
} method_object;

static PyTypeObject *service_type;
static PyTypeObject *method_type;
static PyTypeObject *call_type;
/* Marks a parameter that was not passed, in tuples of bound values. */
static PyObject *not_given;
/* The service classes: sync, then async, per pysdk_services entry. */
static PyObject **service_classes;

/* ---------- argument conversion ---------- */

static bool given(PyObject *v)
{
    return v != NULL && v != Py_None;
}

static int arg_error(const pysdk_param *p, const char *what)
{
    PyErr_Format(PyExc_TypeError, "%s must be %s", p->name, what);
    return -1;
}

static void store_ptr(char *dst, const void *p)
{
    memcpy(dst, &p, sizeof p);
}

/* A list of str -> an array of their UTF-8 (borrowed from the str objects,
 * which the caller keeps alive). */
static int strings_of(PyObject *v, const pysdk_param *p, scratch *s, const char ***out,
                      size_t *count, PyObject **keep)
{
    PyObject *seq = PySequence_Fast(v, "");
    if (seq == NULL) {
        PyErr_Clear();
        return arg_error(p, "a list of str");
    }
    *keep = seq;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    const char **items = n > 0 ? scratch_alloc(s, (size_t)n * sizeof *items) : NULL;
    if (n > 0 && items == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(item))
            return arg_error(p, "a list of str");
        items[i] = PyUnicode_AsUTF8(item);
        if (items[i] == NULL)
            return -1;
    }
    *out = items;
    *count = (size_t)n;
    return 0;
}

/* JSON string text for `s` into `out` (quotes included). */
static char *json_quote(const char *s, scratch *sc)
{
    size_t len = strlen(s);
    char *out = scratch_alloc(sc, len * 6 + 3);
    if (out == NULL)
        return NULL;
    char *w = out;
    *w++ = '"';
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') {
            *w++ = '\\';
            *w++ = (char)*c;
        } else if (*c < 0x20) {
            w += snprintf(w, 7, "\\u%04x", *c);
        } else {
            *w++ = (char)*c;
        }
    }
    *w++ = '"';
    *w = '\0';
    return out;
}

/* Converts one given argument into `dst` (a member of the args or body
 * struct). `keep` collects objects that must live until the call ends. */
static int convert_arg(const pysdk_param *p, PyObject *v, char *dst, scratch *s, PyObject *keep)
{
    switch (p->kind) {
    case PYSDK_ARG_STR: {
        if (!PyUnicode_Check(v))
            return arg_error(p, "a str");
        const char *u = PyUnicode_AsUTF8(v);
        if (u == NULL)
            return -1;
        store_ptr(dst, u);
        return 0;
    }
    case PYSDK_ARG_INT: {
        if (!PyLong_Check(v))
            return arg_error(p, "an int");
        long long n = PyLong_AsLongLong(v);
        if (n == -1 && PyErr_Occurred())
            return -1;
        int64_t n64 = (int64_t)n;
        memcpy(dst, &n64, sizeof n64);
        return 0;
    }
    case PYSDK_ARG_BOOL: {
        int truth = PyObject_IsTrue(v);
        if (truth < 0)
            return -1;
        if (p->flags & PYSDK_P_BODY) {
            bool b = truth != 0;
            memcpy(dst, &b, sizeof b);
        } else {
            memcpy(dst, &truth, sizeof truth);
        }
        return 0;
    }
    case PYSDK_ARG_STRLIST:
    case PYSDK_ARG_JOIN: {
        const char **items = NULL;
        size_t count = 0;
        PyObject *seq = NULL;
        int rc = strings_of(v, p, s, &items, &count, &seq);
        if (seq != NULL) {
            PyList_Append(keep, seq);
            Py_DECREF(seq);
        }
        if (rc < 0)
            return -1;
        if (p->kind == PYSDK_ARG_STRLIST) {
            spotify_string_list list = {items, count};
            memcpy(dst, &list, sizeof list);
            return 0;
        }
        size_t total = 1;
        for (size_t i = 0; i < count; i++)
            total += strlen(items[i]) + 1;
        char *joined = scratch_alloc(s, total);
        if (joined == NULL)
            return -1;
        char *w = joined;
        for (size_t i = 0; i < count; i++) {
            size_t n = strlen(items[i]);
            if (i > 0)
                *w++ = ',';
            memcpy(w, items[i], n);
            w += n;
        }
        *w = '\0';
        store_ptr(dst, joined);
        return 0;
    }
    case PYSDK_ARG_ONE_LIST: {
        if (!PyUnicode_Check(v))
            return arg_error(p, "a str");
        const char **one = scratch_alloc(s, sizeof *one);
        if (one == NULL || (one[0] = PyUnicode_AsUTF8(v)) == NULL)
            return -1;
        spotify_string_list list = {one, 1};
        memcpy(dst, &list, sizeof list);
        return 0;
    }
    case PYSDK_ARG_OFFSET: {
        char *json;
        if (PyLong_Check(v) && !PyBool_Check(v)) {
            long long n = PyLong_AsLongLong(v);
            if (n == -1 && PyErr_Occurred())
                return -1;
            if (n < 0) {
                PyErr_SetString(pysdk.exc_invalid != NULL ? pysdk.exc_invalid : PyExc_ValueError,
                                "offset position must be greater than or equal to 0");
                return -1;
            }
            json = scratch_alloc(s, 48);
            if (json == NULL)
                return -1;
            snprintf(json, 48, "{\"position\":%lld}", n);
        } else if (PyUnicode_Check(v)) {
            const char *u = PyUnicode_AsUTF8(v);
            char *quoted = u != NULL ? json_quote(u, s) : NULL;
            if (quoted == NULL)
                return -1;
            size_t n = strlen(quoted) + 16;
            json = scratch_alloc(s, n);
            if (json == NULL)
                return -1;
            snprintf(json, n, "{\"uri\":%s}", quoted);
        } else {
            return arg_error(p, "an int or a str");
        }
        store_ptr(dst, json);
        return 0;
    }
    case PYSDK_ARG_URI_ITEMS: {
        PyObject *seq = PySequence_Fast(v, "");
        if (seq == NULL) {
            PyErr_Clear();
            return arg_error(p, (p->flags & PYSDK_P_DICTS) ? "a list of dict" : "a list of str");
        }
        PyList_Append(keep, seq);
        Py_DECREF(seq);
        Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
        char *items = n > 0 ? scratch_alloc(s, (size_t)n * p->item_size) : NULL;
        if (n > 0 && items == NULL)
            return -1;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
            PyObject *uri = item;
            if (p->flags & PYSDK_P_DICTS) {
                if (!PyDict_Check(item))
                    return arg_error(p, "a list of dict");
                uri = PyDict_GetItemString(item, "uri");
                if (PyDict_GetItemString(item, "positions") != NULL) {
                    PyErr_SetString(pysdk.exc_invalid != NULL ? pysdk.exc_invalid
                                                              : PyExc_ValueError,
                                    "items: \"positions\" is not part of the Web API any more; "
                                    "give the URIs only");
                    return -1;
                }
                if (uri == NULL) {
                    PyErr_SetString(pysdk.exc_invalid != NULL ? pysdk.exc_invalid
                                                              : PyExc_ValueError,
                                    "each item must have a uri");
                    return -1;
                }
            }
            if (!PyUnicode_Check(uri))
                return arg_error(p, "made of str URIs");
            const char *u = PyUnicode_AsUTF8(uri);
            if (u == NULL)
                return -1;
            store_ptr(items + (size_t)i * p->item_size + p->item_uri_offset, u);
        }
        struct {
            void *items;
            size_t count;
        } list = {items, (size_t)n};
        memcpy(dst, &list, sizeof list);
        return 0;
    }
    default:
        PyErr_SetString(PyExc_SystemError, "unknown argument kind");
        return -1;
    }
}

static int check_rules(const pysdk_method *m, PyObject **values)
{
    for (uint8_t r = 0; r < m->rule_count; r++) {
        const pysdk_rule *rule = &m->rules[r];
        int n = 0;
        bool broken = false;
        for (int k = 0; k < 4; k++)
            if (rule->params[k] >= 0 && given(values[rule->params[k]]))
                n++;
        switch (rule->kind) {
        case PYSDK_RULE_EXCLUSIVE:
            broken = n > 1;
            break;
        case PYSDK_RULE_EXACTLY_ONE:
            broken = n != 1;
            break;
        case PYSDK_RULE_ANY:
            broken = n == 0;
            break;
        case PYSDK_RULE_REQUIRES:
            broken = given(values[rule->params[0]]) &&
                     !(rule->params[1] >= 0 && given(values[rule->params[1]])) &&
                     !(rule->params[2] >= 0 && given(values[rule->params[2]]));
            break;
        case PYSDK_RULE_NOT_BOTH_TRUE:
            broken = values[rule->params[0]] == Py_True && values[rule->params[1]] == Py_True;
            break;
        default:
            break;
        }
        if (broken) {
            PyErr_SetString(pysdk.exc_invalid, rule->message);
            return -1;
        }
    }
    return 0;
}

/* The args struct of `m` from the bound Python values, into `buf`. */
static int build_args(const pysdk_method *m, PyObject **values, char *buf, scratch *s,
                      PyObject *keep)
{
    if (pysdk_ensure_imports() < 0 || check_rules(m, values) < 0)
        return -1;
    memcpy(buf, m->args_init, m->args_size);
    char *body = NULL;
    bool body_used = false;
    if (m->body_size > 0) {
        body = scratch_alloc(s, m->body_size);
        if (body == NULL)
            return -1;
    }
    for (uint8_t i = 0; i < m->param_count; i++) {
        const pysdk_param *p = &m->params[i];
        bool in_body = (p->flags & PYSDK_P_BODY) != 0;
        char *base = in_body ? body : buf;
        PyObject *v = values[i];
        if (p->kind == PYSDK_ARG_FIXED) {
            store_ptr(base + p->offset, p->fixed);
        } else if (given(v)) {
            if (convert_arg(p, v, base + p->offset, s, keep) < 0)
                return -1;
        } else if (v == NULL && (p->flags & PYSDK_P_HAS_DEFAULT)) {
            int64_t n = p->default_int;
            memcpy(base + p->offset, &n, sizeof n);
        } else {
            continue;
        }
        if (in_body) {
            body_used = true;
            ((spotify_object_meta *)(void *)body)->present |= (uint64_t)1 << p->field_index;
        }
    }
    if (body_used)
        store_ptr(buf + m->body_offset, body);
    return 0;
}

/* Binds positional and keyword arguments to the method's parameters. */
static int bind(const pysdk_method *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                PyObject **values)
{
    memset(values, 0, sizeof(PyObject *) * MAX_PARAMS);
    Py_ssize_t pos = 0;
    for (uint8_t i = 0; i < m->param_count && pos < nargs; i++) {
        const pysdk_param *p = &m->params[i];
        if (p->kind == PYSDK_ARG_FIXED || (p->flags & PYSDK_P_KWONLY))
            break;
        values[i] = args[pos++];
    }
    if (pos < nargs) {
        PyErr_Format(PyExc_TypeError, "%s%s takes %zd positional arguments but %zd were given",
                     m->name, m->signature, pos, nargs);
        return -1;
    }
    Py_ssize_t nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < nkw; k++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, k);
        bool found = false;
        for (uint8_t i = 0; i < m->param_count; i++) {
            const pysdk_param *p = &m->params[i];
            if (p->kind == PYSDK_ARG_FIXED || PyUnicode_CompareWithASCIIString(name, p->name) != 0)
                continue;
            if (values[i] != NULL) {
                PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", m->name,
                             p->name);
                return -1;
            }
            values[i] = args[nargs + k];
            found = true;
            break;
        }
        if (!found) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", m->name,
                         name);
            return -1;
        }
    }
    for (uint8_t i = 0; i < m->param_count; i++) {
        const pysdk_param *p = &m->params[i];
        if ((p->flags & PYSDK_P_REQUIRED) && values[i] == NULL) {
            PyErr_Format(PyExc_TypeError, "%s() missing 1 required argument: '%s'", m->name,
                         p->name);
            return -1;
        }
    }
    return 0;
}

/* ---------- results ---------- */

/* Takes `result` (pysdk_convert). */
static PyObject *convert_result(const void *ctx, void *result)
{
    const pysdk_method *m = ctx;
    if ((m->flags & PYSDK_M_NONE_RESULT) || result == NULL) {
        spotify_model_free(result);
        Py_RETURN_NONE;
    }
    const spotify_model_type *type = spotify_operation_result_type(m->op);
    if (m->unwrap != NULL)
        return pysdk_convert_member(result, type, m->unwrap, m->result_class);
    return pysdk_convert(result, type, m->result_class);
}

/* ---------- deferred answers ---------- */

/* The result of an async request's Future: the operation's answer, not
 * decoded yet. The _Call awaiting the Future decodes it (answer_finish):
 * asyncio runs every reader callback of a batch before the tasks they
 * wake, so decoding in the callback made 100 answers arriving together
 * wait for all 100 decodes; decoded by the awaiting task, each answer's
 * decode runs just before that task sends its next request. */
typedef struct answer_object {
    PyObject_HEAD
    spotify_answer *answer;
    const pysdk_method *m;
} answer_object;

static PyTypeObject *answer_type;

/* pysdk_req_convert of service requests: takes `result`, a spotify_answer. */
static PyObject *answer_wrap(const void *ctx, void *result)
{
    answer_object *a = PyObject_New(answer_object, answer_type);
    if (a == NULL) {
        spotify_answer_free(result);
        return NULL;
    }
    a->answer = result;
    a->m = ctx;
    return (PyObject *)a;
}

static void answer_dealloc(PyObject *self)
{
    spotify_answer_free(((answer_object *)self)->answer);
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_Free(self);
    Py_DECREF(tp);
}

static PyType_Slot answer_slots[] = {
    {Py_tp_dealloc, answer_dealloc},
    {0, NULL},
};

static PyType_Spec answer_spec = {
    "spotify_sdk._core._Answer", sizeof(answer_object), 0, Py_TPFLAGS_DEFAULT, answer_slots,
};

static PyObject *convert_result(const void *ctx, void *result);

/* Decodes and converts a deferred answer (new reference), NULL with the
 * mapped exception. */
static PyObject *answer_decode(answer_object *a)
{
    spotify_answer *answer = a->answer;
    a->answer = NULL;
    if (answer == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the answer was already decoded");
        return NULL;
    }
    void *result = NULL;
    spotify_error err = {0};
    spotify_status st;
    Py_BEGIN_ALLOW_THREADS /* the parse and typed decode: other threads may run */
    st = spotify_answer_decode(&result, answer, &err);
    Py_END_ALLOW_THREADS
    if (st != SPOTIFY_OK) {
        pysdk_raise(st, &err);
        return NULL;
    }
    return convert_result(a->m, result);
}

/* What an await step of the Future returned (`value`, NULL when it ended
 * with an exception): a deferred answer in the StopIteration that ends it
 * is replaced by its decoded result. */
static PyObject *answer_finish(PyObject *value)
{
    if (value != NULL || !PyErr_ExceptionMatches(PyExc_StopIteration))
        return value;
    PyObject *type, *exc, *tb;
    PyErr_Fetch(&type, &exc, &tb);
    PyErr_NormalizeException(&type, &exc, &tb);
    PyObject *result = exc != NULL ? PyObject_GetAttrString(exc, "value") : NULL;
    if (result == NULL || !PyObject_TypeCheck(result, answer_type)) {
        Py_XDECREF(result);
        PyErr_Restore(type, exc, tb);
        return NULL;
    }
    Py_XDECREF(type);
    Py_XDECREF(exc);
    Py_XDECREF(tb);
    PyObject *decoded = answer_decode((answer_object *)result);
    Py_DECREF(result);
    if (decoded == NULL)
        return NULL;
    PyObject *stop = PyObject_CallOneArg(PyExc_StopIteration, decoded);
    Py_DECREF(decoded);
    if (stop != NULL) {
        PyErr_SetObject(PyExc_StopIteration, stop);
        Py_DECREF(stop);
    }
    return NULL;
}

/* ---------- calls ---------- */

typedef union args_buffer {
    char bytes[PYSDK_MAX_ARGS_SIZE];
    max_align_t align;
} args_buffer;

static PyObject *call_sync(service_object *svc, const pysdk_method *m, PyObject **values)
{
    args_buffer buf;
    scratch s = {{0}, 0};
    PyObject *keep = PyList_New(0);
    if (keep == NULL)
        return NULL;
    PyObject *out = NULL;
    if (build_args(m, values, buf.bytes, &s, keep) == 0) {
        pysdk_handle *h = pysdk_client_acquire(svc->client);
        if (h != NULL) {
            void *result = NULL;
            spotify_error err = {0};
            spotify_status st;
            spotify_client *client = h->client;
            Py_BEGIN_ALLOW_THREADS
            st = spotify_operation_call(&result, client, m->op, buf.bytes, &err);
            Py_END_ALLOW_THREADS
            pysdk_handle_decref(h);
            if (st == SPOTIFY_OK) {
                out = convert_result(m, result);
            } else {
                pysdk_raise(st, &err);
            }
        }
    }
    scratch_free(&s);
    Py_DECREF(keep);
    return out;
}

/* Submits `m` to the context of `l` (the client's loop for the running
 * event loop, looked up once per call by the caller: each lookup asks
 * asyncio for the running loop, a getpid() system call on 3.11); the
 * Future of the request. */
static PyObject *submit(pysdk_loop *l, const pysdk_method *m, PyObject **values, pysdk_req *req)
{
    args_buffer buf;
    scratch s = {{0}, 0};
    PyObject *keep = PyList_New(0);
    if (keep == NULL)
        return NULL;
    PyObject *out = NULL;
    if (build_args(m, values, buf.bytes, &s, keep) == 0) {
        spotify_async *async = pysdk_loop_async(l);
        if (async != NULL) {
            spotify_async_id id = 0;
            spotify_error err = {0};
            spotify_status st;
            pysdk_req_hold(req);
            Py_BEGIN_ALLOW_THREADS
            st = spotify_async_submit_deferred(async, m->op, buf.bytes, pysdk_req_deliver, req, &id,
                                               &err);
            Py_END_ALLOW_THREADS
            if (st != SPOTIFY_OK) {
                pysdk_req_abandon(req);
                pysdk_raise(st, &err);
            } else {
                pysdk_req_started(req, id);
                out = pysdk_req_future(req);
            }
        } else if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_RuntimeError, "the client's async context is closed");
        }
    }
    scratch_free(&s);
    Py_DECREF(keep);
    Py_XINCREF(out);
    return out;
}

/* A call of an async client whose auth_provider is a Python object with
 * an async get_access_token(): the token is awaited first, handed to the
 * bridge provider, then the request goes out. */
typedef struct continuation {
    PyObject_HEAD
    pysdk_client *client;
    const pysdk_method *m;
    PyObject *values; /* tuple of the bound values (None for not given) */
    pysdk_req *req;
    PyObject *outer; /* the Future the caller awaits */
} continuation;

static PyTypeObject *continuation_type;

static PyObject *continuation_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)kwargs;
    continuation *c = (continuation *)self;
    PyObject *fut = PyTuple_GET_ITEM(args, 0);
    PyObject *done = PyObject_CallMethod(c->outer, "done", NULL);
    bool outer_done = done == Py_True;
    Py_XDECREF(done);
    if (outer_done)
        Py_RETURN_NONE;
    PyObject *token = PyObject_CallMethod(fut, "result", NULL);
    PyObject *inner = NULL;
    if (token != NULL && c->client->handle != NULL &&
        pysdk_bridge_set_token(c->client->handle->bridge_user, token) == 0) {
        PyObject *values[MAX_PARAMS] = {0};
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(c->values) && i < MAX_PARAMS; i++) {
            PyObject *v = PyTuple_GET_ITEM(c->values, i);
            values[i] = v == not_given ? NULL : v;
        }
        pysdk_loop *l = pysdk_client_loop(c->client);
        inner = l != NULL ? submit(l, c->m, values, c->req) : NULL;
    } else if (token != NULL && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_RuntimeError, "the client is closed");
    }
    Py_XDECREF(token);
    if (inner == NULL) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        if (value != NULL) {
            PyObject *r = PyObject_CallMethod(c->outer, "set_exception", "O", value);
            Py_XDECREF(r);
        }
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        PyErr_Clear();
    }
    Py_XDECREF(inner);
    Py_RETURN_NONE;
}

static void continuation_dealloc(PyObject *self)
{
    continuation *c = (continuation *)self;
    Py_XDECREF(c->client);
    Py_XDECREF(c->values);
    if (c->req != NULL)
        pysdk_req_abandon(c->req);
    Py_XDECREF(c->outer);
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_Free(self);
    Py_DECREF(tp);
}

static PyType_Slot continuation_slots[] = {
    {Py_tp_call, continuation_call},
    {Py_tp_dealloc, continuation_dealloc},
    {0, NULL},
};

static PyType_Spec continuation_spec = {
    "spotify_sdk._core._TokenThen", sizeof(continuation), 0, Py_TPFLAGS_DEFAULT, continuation_slots,
};

/* Submits `m` (after the Python provider's token when it is async): the
 * Future of the request; *req_out (a new reference) its request. */
static PyObject *call_async(service_object *svc, const pysdk_method *m, PyObject **values,
                            pysdk_req **req_out)
{
    pysdk_client *client = svc->client;
    pysdk_loop *l = pysdk_client_loop(client);
    if (l == NULL)
        return NULL;
    pysdk_req *req = pysdk_req_new(l, answer_wrap, m);
    if (req == NULL)
        return NULL;
    pysdk_req_hold(req);
    *req_out = req;
    if (client->python_provider == NULL || !client->provider_is_async) {
        PyObject *fut = submit(l, m, values, req);
        pysdk_req_abandon(req);
        return fut;
    }
    /* Await the provider's token first. */
    PyObject *awaitable =
        PyObject_CallMethodNoArgs(client->python_provider, pysdk.str_get_access_token);
    PyObject *token_fut =
        awaitable != NULL
            ? PyObject_CallFunctionObjArgs(pysdk.asyncio_ensure_future, awaitable, NULL)
            : NULL;
    Py_XDECREF(awaitable);
    continuation *c = token_fut != NULL ? PyObject_New(continuation, continuation_type) : NULL;
    if (c == NULL) {
        Py_XDECREF(token_fut);
        pysdk_req_abandon(req);
        return NULL;
    }
    Py_INCREF(client);
    c->client = client;
    c->m = m;
    c->values = PyTuple_New(m->param_count);
    c->req = req;
    c->outer = pysdk_req_future(req);
    Py_INCREF(c->outer);
    if (c->values == NULL) {
        Py_DECREF(c);
        Py_DECREF(token_fut);
        return NULL;
    }
    for (uint8_t i = 0; i < m->param_count; i++) {
        PyObject *v = values[i] != NULL ? values[i] : not_given;
        Py_INCREF(v);
        PyTuple_SET_ITEM(c->values, i, v);
    }
    PyObject *r = PyObject_CallMethod(token_fut, "add_done_callback", "O", (PyObject *)c);
    Py_DECREF(token_fut);
    PyObject *outer = c->outer;
    Py_INCREF(outer);
    Py_DECREF(c);
    if (r == NULL) {
        Py_DECREF(outer);
        return NULL;
    }
    Py_DECREF(r);
    return outer;
}

/* What an async client's method returns: a coroutine-like object (it has
 * __await__, send, throw and close, so asyncio.create_task and asyncio.run
 * take it) that starts the request when first awaited, on the loop that
 * awaits it, and then waits on the request's Future. */
typedef struct call_object {
    PyObject_HEAD
    service_object *svc;
    const pysdk_method *m;
    PyObject *values; /* bound values, not_given for the others */
    PyObject *future;
    pysdk_req *req;  /* the request behind the Future */
    PyObject *inner; /* the Future's __await__ iterator */
    bool finished;
} call_object;

static int call_start(call_object *c)
{
    if (c->inner != NULL)
        return 0;
    if (c->finished) {
        PyErr_SetString(PyExc_RuntimeError, "cannot reuse already awaited coroutine");
        return -1;
    }
    PyObject *values[MAX_PARAMS] = {0};
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(c->values) && i < MAX_PARAMS; i++) {
        PyObject *v = PyTuple_GET_ITEM(c->values, i);
        values[i] = v == not_given ? NULL : v;
    }
    c->finished = true;
    c->future = call_async(c->svc, c->m, values, &c->req);
    if (c->future == NULL)
        return -1;
    c->inner = PyObject_CallMethod(c->future, "__await__", NULL);
    return c->inner == NULL ? -1 : 0;
}

static PyObject *call_iternext(PyObject *self)
{
    call_object *c = (call_object *)self;
    if (call_start(c) < 0)
        return NULL;
    return answer_finish(Py_TYPE(c->inner)->tp_iternext(c->inner));
}

static PyObject *call_send(PyObject *self, PyObject *value)
{
    call_object *c = (call_object *)self;
    if (call_start(c) < 0)
        return NULL;
    return answer_finish(PyObject_CallMethod(c->inner, "send", "O", value));
}

static PyObject *call_throw(PyObject *self, PyObject *args)
{
    call_object *c = (call_object *)self;
    if (c->inner != NULL) {
        /* A cancelled task: asyncio cancelled the Future it waited on, then
         * throws CancelledError here. */
        PyObject *cancelled = PyObject_CallMethod(c->future, "cancelled", NULL);
        if (cancelled == Py_True && c->req != NULL)
            pysdk_req_cancel(c->req);
        Py_XDECREF(cancelled);
        PyErr_Clear();
        return answer_finish(
            PyObject_CallMethod(c->inner, "throw", "O", PyTuple_GET_ITEM(args, 0)));
    }
    c->finished = true;
    PyObject *typ = PyTuple_GET_SIZE(args) > 0 ? PyTuple_GET_ITEM(args, 0) : PyExc_RuntimeError;
    if (PyExceptionInstance_Check(typ))
        PyErr_SetObject((PyObject *)Py_TYPE(typ), typ);
    else
        PyErr_SetObject(typ, PyTuple_GET_SIZE(args) > 1 ? PyTuple_GET_ITEM(args, 1) : NULL);
    return NULL;
}

static PyObject *call_close(PyObject *self, PyObject *args)
{
    (void)args;
    call_object *c = (call_object *)self;
    c->finished = true;
    if (c->future != NULL) {
        PyObject *r = PyObject_CallMethod(c->future, "cancel", NULL);
        Py_XDECREF(r);
    }
    if (c->req != NULL)
        pysdk_req_cancel(c->req);
    Py_RETURN_NONE;
}

static PyObject *call_await(PyObject *self)
{
    Py_INCREF(self);
    return self;
}

static void call_dealloc(PyObject *self)
{
    call_object *c = (call_object *)self;
    Py_XDECREF(c->svc);
    Py_XDECREF(c->values);
    Py_XDECREF(c->future);
    if (c->req != NULL)
        pysdk_req_abandon(c->req);
    Py_XDECREF(c->inner);
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_Free(self);
    Py_DECREF(tp);
}

static PyMethodDef call_methods[] = {
    {"send", call_send, METH_O, NULL},
    {"throw", call_throw, METH_VARARGS, NULL},
    {"close", call_close, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot call_slots[] = {
    {Py_am_await, call_await},     {Py_tp_iter, call_await},      {Py_tp_iternext, call_iternext},
    {Py_tp_methods, call_methods}, {Py_tp_dealloc, call_dealloc}, {0, NULL},
};

static PyType_Spec call_spec = {
    "spotify_sdk._core._Call", sizeof(call_object), 0, Py_TPFLAGS_DEFAULT, call_slots,
};

static PyObject *call_new(service_object *svc, const pysdk_method *m, PyObject **values)
{
    call_object *c = PyObject_New(call_object, call_type);
    if (c == NULL)
        return NULL;
    Py_INCREF(svc);
    c->svc = svc;
    c->m = m;
    c->future = NULL;
    c->req = NULL;
    c->inner = NULL;
    c->finished = false;
    c->values = PyTuple_New(m->param_count);
    if (c->values == NULL) {
        Py_DECREF(c);
        return NULL;
    }
    for (uint8_t i = 0; i < m->param_count; i++) {
        PyObject *v = values[i] != NULL ? values[i] : not_given;
        Py_INCREF(v);
        PyTuple_SET_ITEM(c->values, i, v);
    }
    return (PyObject *)c;
}

static PyObject *method_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                                   PyObject *kwnames)
{
    const pysdk_method *m = ((method_object *)callable)->m;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs < 1 || !PyObject_TypeCheck(args[0], service_type)) {
        PyErr_Format(PyExc_TypeError, "%s() must be called on a service", m->name);
        return NULL;
    }
    service_object *svc = (service_object *)args[0];
    PyObject *values[MAX_PARAMS];
    if (bind(m, args + 1, nargs - 1, kwnames, values) < 0)
        return NULL;
    if (svc->client->is_async)
        return call_new(svc, m, values);
    return call_sync(svc, m, values);
}

static PyObject *method_get(PyObject *self, PyObject *obj, PyObject *type)
{
    (void)type;
    if (obj == NULL || obj == Py_None) {
        Py_INCREF(self);
        return self;
    }
    return PyMethod_New(self, obj);
}

static PyObject *method_doc(PyObject *self, void *closure)
{
    (void)closure;
    method_object *mo = (method_object *)self;
    Py_INCREF(mo->doc);
    return mo->doc;
}

/* "($self, id, market=None, *, uris=None)": the parameters the binder takes,
 * from the method's table (inspect.signature and help() read it). */
static PyObject *method_text_signature(PyObject *self, void *closure)
{
    (void)closure;
    const pysdk_method *m = ((method_object *)self)->m;
    PyObject *parts = Py_BuildValue("[s]", "$self");
    bool kwonly = false;
    for (uint8_t i = 0; parts != NULL && i < m->param_count; i++) {
        const pysdk_param *p = &m->params[i];
        if (p->kind == PYSDK_ARG_FIXED)
            break;
        PyObject *text = NULL;
        if ((p->flags & PYSDK_P_KWONLY) && !kwonly) {
            kwonly = true;
            text = PyUnicode_FromString("*");
            if (text == NULL || PyList_Append(parts, text) < 0)
                Py_CLEAR(parts);
            Py_XDECREF(text);
            if (parts == NULL)
                break;
        }
        if (p->flags & PYSDK_P_REQUIRED)
            text = PyUnicode_FromString(p->name);
        else if (p->flags & PYSDK_P_HAS_DEFAULT)
            text = PyUnicode_FromFormat("%s=%lld", p->name, (long long)p->default_int);
        else
            text = PyUnicode_FromFormat("%s=None", p->name);
        if (text == NULL || PyList_Append(parts, text) < 0)
            Py_CLEAR(parts);
        Py_XDECREF(text);
    }
    if (parts == NULL)
        return NULL;
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *joined = sep != NULL ? PyUnicode_Join(sep, parts) : NULL;
    PyObject *result = joined != NULL ? PyUnicode_FromFormat("(%U)", joined) : NULL;
    Py_XDECREF(joined);
    Py_XDECREF(sep);
    Py_DECREF(parts);
    return result;
}

static PyObject *method_name(PyObject *self, void *closure)
{
    (void)closure;
    return PyUnicode_FromString(((method_object *)self)->m->name);
}

static void method_dealloc(PyObject *self)
{
    Py_XDECREF(((method_object *)self)->doc);
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_Free(self);
    Py_DECREF(tp);
}

static PyGetSetDef method_getset[] = {
    {"__doc__", method_doc, NULL, NULL, NULL},
    {"__name__", method_name, NULL, NULL, NULL},
    {"__text_signature__", method_text_signature, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef method_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(method_object, vectorcall), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot method_slots[] = {
    {Py_tp_call, PyVectorcall_Call}, {Py_tp_descr_get, method_get},   {Py_tp_getset, method_getset},
    {Py_tp_members, method_members}, {Py_tp_dealloc, method_dealloc}, {0, NULL},
};

static PyType_Spec method_spec = {
    "spotify_sdk._core.ServiceMethod",
    sizeof(method_object),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    method_slots,
};

static PyObject *method_new(const pysdk_method *m)
{
    method_object *mo = PyObject_New(method_object, method_type);
    if (mo == NULL)
        return NULL;
    mo->m = m;
    mo->vectorcall = method_vectorcall;
    mo->doc = PyUnicode_FromFormat("%s%s\n\n%s", m->name, m->signature, m->doc);
    if (mo->doc == NULL) {
        Py_DECREF(mo);
        return NULL;
    }
    return (PyObject *)mo;
}

/* ---------- services ---------- */

static void service_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((service_object *)self)->client);
    PyTypeObject *tp = Py_TYPE(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static int service_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((service_object *)self)->client);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int service_clear(PyObject *self)
{
    Py_CLEAR(((service_object *)self)->client);
    return 0;
}

static PyType_Slot service_slots[] = {
    {Py_tp_doc, "A group of Web API operations of a client (client.albums...)."},
    {Py_tp_dealloc, service_dealloc},
    {Py_tp_traverse, service_traverse},
    {Py_tp_clear, service_clear},
    {0, NULL},
};

static PyType_Spec service_spec = {
    "spotify_sdk._core.BaseService",
    sizeof(service_object),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    service_slots,
};

PyObject *pysdk_services_new(pysdk_client *client)
{
    PyObject *dict = PyDict_New();
    if (dict == NULL)
        return NULL;
    for (size_t i = 0; i < pysdk_service_count; i++) {
        PyTypeObject *cls = (PyTypeObject *)service_classes[2 * i + (client->is_async ? 1 : 0)];
        service_object *svc = (service_object *)cls->tp_alloc(cls, 0);
        if (svc == NULL) {
            Py_DECREF(dict);
            return NULL;
        }
        Py_INCREF(client);
        svc->client = client;
        svc->svc = &pysdk_services[i];
        int rc = PyDict_SetItemString(dict, pysdk_services[i].attr, (PyObject *)svc);
        Py_DECREF(svc);
        if (rc < 0) {
            Py_DECREF(dict);
            return NULL;
        }
    }
    return dict;
}

int pysdk_service_init(PyObject *module)
{
    service_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &service_spec, NULL);
    method_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &method_spec, NULL);
    continuation_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &continuation_spec, NULL);
    call_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &call_spec, NULL);
    answer_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &answer_spec, NULL);
    not_given = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    if (service_type == NULL || method_type == NULL || continuation_type == NULL ||
        call_type == NULL || answer_type == NULL || not_given == NULL)
        return -1;
    Py_INCREF(service_type);
    if (PyModule_AddObject(module, "BaseService", (PyObject *)service_type) < 0)
        return -1;
    service_classes = PyMem_Calloc(2 * pysdk_service_count, sizeof *service_classes);
    if (service_classes == NULL)
        return -1;
    for (size_t i = 0; i < pysdk_service_count; i++) {
        const pysdk_service *svc = &pysdk_services[i];
        PyObject *ns = PyDict_New();
        if (ns == NULL)
            return -1;
        for (size_t k = 0; k < svc->method_count; k++) {
            PyObject *mo = method_new(&svc->methods[k]);
            if (mo == NULL || PyDict_SetItemString(ns, svc->methods[k].name, mo) < 0) {
                Py_XDECREF(mo);
                Py_DECREF(ns);
                return -1;
            }
            Py_DECREF(mo);
        }
        if (PyDict_SetItemString(ns, "__module__", PyModule_GetNameObject(module)) < 0) {
            Py_DECREF(ns);
            return -1;
        }
        for (int async = 0; async < 2; async++) {
            char name[96];
            snprintf(name, sizeof name, "%s%s", async ? "Async" : "", svc->class_name);
            PyObject *cls = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O)O", name,
                                                  (PyObject *)service_type, ns);
            if (cls == NULL) {
                Py_DECREF(ns);
                return -1;
            }
            service_classes[2 * i + (size_t)async] = cls;
            Py_INCREF(cls);
            if (PyModule_AddObject(module, name, cls) < 0) {
                Py_DECREF(cls);
                Py_DECREF(ns);
                return -1;
            }
        }
        Py_DECREF(ns);
    }
    return 0;
}
