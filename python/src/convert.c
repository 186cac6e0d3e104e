/* SPDX-License-Identifier: Apache-2.0 */
/*
 * convert.c - the one generic converter: a model the C decoder produced
 * becomes Python objects through the model descriptor tables
 * (spotify/sys/model.h) and the generated class tables (gen_tables.c).
 * There is no per-type code: every member is read by its kind at its
 * offset, a JSON member `type` becomes the attribute `type_`, members the
 * type does not know are read from the JSON document the model keeps, and
 * the reference package's annotations (gen_tables.c) pick the class of
 * nested objects, datetimes and dicts.
 *
 * Conversion is lazy: a model object made from a C result is a shell that
 * points at its C struct and holds the result (result_owner) alive; its
 * members become Python attributes the first time anything reads the
 * object (an attribute, its __dict__, model_dump, repr, equality...), and
 * nested objects are shells again. A program that reads album.id makes a
 * dozen objects instead of the album's two hundred. The C result is freed
 * when the last shell that still points into it is converted or freed.
 *
 * Also here: SpotifyModel, the base of every model class (attributes in the
 * instance dict; model_dump, model_dump_json, model_extra, equality, repr).
 */
#include "pysdk.h"

#include <stddef.h>
#include <string.h>

#include <structmember.h>

/* The layout of every ENUM member (spotify/sys/model.h). */
typedef struct enum_layout {
    int value;
    const char *text;
} enum_layout;

PyTypeObject *pysdk_model_type;

/* ---------- per-type information, built once ---------- */

typedef struct tinfo tinfo;

typedef struct tfield {
    spotify_model_field f;
    PyObject *attr;      /* interned attribute name ("type_" for "type") */
    PyObject *json_key;  /* interned JSON name */
    tinfo *sub;          /* OBJECT, UNION and lists of them */
    PyObject *enums[16]; /* ENUM: the str of known values 1..15, made on first use */
} tfield;

/* How a type's members convert for one class (the class's annotations). */
typedef struct tres {
    int class_index;
    int16_t *classes; /* per member: -1 or a model class */
    uint8_t *flags;   /* per member: PYSDK_F_* */
    PyObject **attrs; /* per member: attribute name */
    struct tres *next;
} tres;

typedef struct talt {
    size_t offset;
    tinfo *type;
} talt;

struct tinfo {
    const spotify_model_type *type;
    spotify_model_kind kind;
    size_t nfields;
    tfield *fields;
    size_t nalts;
    talt *alts;
    size_t kind_offset;
    int default_class;
    tres *res;
};

#define TINFO_SLOTS 512
static tinfo *tinfo_table[TINFO_SLOTS];

static size_t ptr_slot(const void *p)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 7) & (TINFO_SLOTS - 1);
}

static int default_class_of(const spotify_model_type *type)
{
    for (size_t i = 0; i < pysdk_type_class_count; i++)
        if (pysdk_type_classes[i].type == type)
            return pysdk_type_classes[i].class_index;
    return -1;
}

static tinfo *tinfo_get(const spotify_model_type *type);

static PyObject *attr_name_for(const char *json)
{
    if (strcmp(json, "type") == 0) {
        Py_INCREF(pysdk.str_type_);
        return pysdk.str_type_;
    }
    return PyUnicode_InternFromString(json);
}

static tinfo *tinfo_build(const spotify_model_type *type)
{
    tinfo *t = PyMem_Calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->type = type;
    t->kind = spotify_model_type_kind(type);
    t->default_class = default_class_of(type);
    /* Register first: types refer to themselves (nested recursion). */
    size_t slot = ptr_slot(type);
    while (tinfo_table[slot] != NULL)
        slot = (slot + 1) & (TINFO_SLOTS - 1);
    tinfo_table[slot] = t;
    if (t->kind == SPOTIFY_MODEL_KIND_UNION) {
        t->nalts = spotify_model_type_alt_count(type);
        t->alts = PyMem_Calloc(t->nalts ? t->nalts : 1, sizeof *t->alts);
        if (t->alts == NULL)
            return NULL;
        t->kind_offset = spotify_model_type_kind_offset(type);
        for (size_t i = 0; i < t->nalts; i++) {
            const spotify_model_type *alt = NULL;
            spotify_model_type_alt(NULL, &t->alts[i].offset, &alt, type, i);
            t->alts[i].type = tinfo_get(alt);
            if (t->alts[i].type == NULL)
                return NULL;
        }
        return t;
    }
    t->nfields = spotify_model_type_field_count(type);
    t->fields = PyMem_Calloc(t->nfields ? t->nfields : 1, sizeof *t->fields);
    if (t->fields == NULL)
        return NULL;
    for (size_t i = 0; i < t->nfields; i++) {
        tfield *f = &t->fields[i];
        spotify_model_type_field(&f->f, type, i);
        f->attr = attr_name_for(f->f.name);
        f->json_key = PyUnicode_InternFromString(f->f.name);
        if (f->attr == NULL || f->json_key == NULL)
            return NULL;
        if (f->f.type != NULL) {
            f->sub = tinfo_get(f->f.type);
            if (f->sub == NULL)
                return NULL;
        }
    }
    return t;
}

static tinfo *tinfo_get(const spotify_model_type *type)
{
    size_t slot = ptr_slot(type);
    while (tinfo_table[slot] != NULL) {
        if (tinfo_table[slot]->type == type)
            return tinfo_table[slot];
        slot = (slot + 1) & (TINFO_SLOTS - 1);
    }
    tinfo *t = tinfo_build(type);
    if (t == NULL && !PyErr_Occurred())
        PyErr_NoMemory();
    return t;
}

/* The members of `t` as class `class_index` converts them. */
static tres *tres_get(tinfo *t, int class_index)
{
    for (tres *r = t->res; r != NULL; r = r->next)
        if (r->class_index == class_index)
            return r;
    tres *r = PyMem_Calloc(1, sizeof *r);
    if (r == NULL)
        return (tres *)PyErr_NoMemory();
    size_t n = t->nfields ? t->nfields : 1;
    r->class_index = class_index;
    r->classes = PyMem_Calloc(n, sizeof *r->classes);
    r->flags = PyMem_Calloc(n, sizeof *r->flags);
    r->attrs = PyMem_Calloc(n, sizeof *r->attrs);
    if (r->classes == NULL || r->flags == NULL || r->attrs == NULL)
        return (tres *)PyErr_NoMemory();
    const pysdk_model_class *mc = class_index >= 0 ? &pysdk_model_classes[class_index] : NULL;
    for (size_t i = 0; i < t->nfields; i++) {
        r->classes[i] = -1;
        r->attrs[i] = t->fields[i].attr;
        if (mc == NULL)
            continue;
        for (size_t k = 0; k < mc->note_count; k++) {
            const pysdk_field_note *note = &mc->notes[k];
            if (strcmp(note->json, t->fields[i].f.name) != 0)
                continue;
            r->classes[i] = note->class_index;
            r->flags[i] = note->flags;
            if (note->attr != NULL) {
                r->attrs[i] = PyUnicode_InternFromString(note->attr);
                if (r->attrs[i] == NULL)
                    return NULL;
            }
            break;
        }
    }
    r->next = t->res;
    t->res = r;
    return r;
}

/* ---------- scalars ---------- */

/* Two-byte ASCII strings (market codes: hundreds per album) are shared. */
static PyObject **short_strings;

static PyObject *str_from(const char *s)
{
    size_t len = strlen(s);
    if (len == 2 && (unsigned char)s[0] < 0x80 && (unsigned char)s[1] < 0x80) {
        if (short_strings == NULL) {
            short_strings = PyMem_Calloc(1u << 14, sizeof *short_strings);
            if (short_strings == NULL)
                return PyErr_NoMemory();
        }
        unsigned idx = ((unsigned)(unsigned char)s[0] << 7) | (unsigned char)s[1];
        PyObject *cached = short_strings[idx];
        if (cached == NULL) {
            cached = PyUnicode_FromStringAndSize(s, 2);
            if (cached == NULL)
                return NULL;
            short_strings[idx] = cached;
        }
        Py_INCREF(cached);
        return cached;
    }
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, NULL);
}

static PyObject *datetime_from(const char *s)
{
    PyObject *text = str_from(s);
    if (text == NULL)
        return NULL;
    PyObject *dt = PyObject_CallOneArg(pysdk.fromisoformat, text);
    if (dt == NULL && PyErr_ExceptionMatches(PyExc_ValueError)) {
        /* Not ISO 8601 as Python reads it: keep the text. */
        PyErr_Clear();
        return text;
    }
    Py_DECREF(text);
    return dt;
}

static const void *ptr_at(const char *p)
{
    const void *v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* ---------- JSON ---------- */

PyObject *pysdk_json_to_python(spotify_json_value v)
{
    const char *s;
    size_t len;
    int64_t i64;
    uint64_t u64;
    double d;
    bool b;
    switch (spotify_json_type_of(v)) {
    case SPOTIFY_JSON_NULL:
        Py_RETURN_NONE;
    case SPOTIFY_JSON_BOOL:
        spotify_json_get_bool(&b, v);
        return PyBool_FromLong(b);
    case SPOTIFY_JSON_INT:
        spotify_json_get_int64(&i64, v);
        return PyLong_FromLongLong(i64);
    case SPOTIFY_JSON_UINT:
        spotify_json_get_uint64(&u64, v);
        return PyLong_FromUnsignedLongLong(u64);
    case SPOTIFY_JSON_DOUBLE:
        spotify_json_get_double(&d, v);
        return PyFloat_FromDouble(d);
    case SPOTIFY_JSON_STRING:
        spotify_json_get_string(&s, &len, v);
        return PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, NULL);
    case SPOTIFY_JSON_ARRAY: {
        PyObject *list = PyList_New((Py_ssize_t)spotify_json_count(v));
        if (list == NULL)
            return NULL;
        Py_ssize_t i = 0;
        for (spotify_json_value e = spotify_json_first(v); spotify_json_valid(e);
             e = spotify_json_next(e), i++) {
            PyObject *item = pysdk_json_to_python(e);
            if (item == NULL) {
                Py_DECREF(list);
                return NULL;
            }
            PyList_SET_ITEM(list, i, item);
        }
        return list;
    }
    case SPOTIFY_JSON_OBJECT: {
        PyObject *dict = PyDict_New();
        if (dict == NULL)
            return NULL;
        for (spotify_json_value m = spotify_json_first(v); spotify_json_valid(m);
             m = spotify_json_next(m)) {
            spotify_json_key(&s, &len, m);
            PyObject *key = PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, NULL);
            PyObject *value = key != NULL ? pysdk_json_to_python(m) : NULL;
            int rc = value != NULL ? PyDict_SetItem(dict, key, value) : -1;
            Py_XDECREF(key);
            Py_XDECREF(value);
            if (rc < 0) {
                Py_DECREF(dict);
                return NULL;
            }
        }
        return dict;
    }
    default:
        Py_RETURN_NONE;
    }
}

PyObject *pysdk_json_text_to_python(const char *text, size_t len)
{
    spotify_json_document *doc = NULL;
    spotify_json_value root;
    if (text == NULL || len == 0 ||
        spotify_json_document_parse(&doc, &root, text, len, NULL) != SPOTIFY_OK)
        return NULL;
    PyObject *out = pysdk_json_to_python(root);
    spotify_json_document_free(doc);
    return out;
}

/* ---------- models ---------- */

static PyObject *convert_object(const void *object, tinfo *t, int class_index, PyObject *owner);
static PyObject *convert_value(const char *src, const tfield *f, spotify_field_kind kind,
                               int class_index, unsigned flags, PyObject *owner);

static PyTypeObject *class_object(int class_index)
{
    if (class_index >= 0 && pysdk.classes != NULL && pysdk.classes[class_index] != NULL)
        return (PyTypeObject *)pysdk.classes[class_index];
    return pysdk_model_type;
}

/* A model instance whose attributes are the members of JSON object `v`
 * (a oneOf alternative this version does not know). */
static PyObject *model_from_json(spotify_json_value v, int class_index)
{
    PyTypeObject *cls = class_object(class_index);
    PyObject *dict = pysdk_json_to_python(v);
    if (dict == NULL)
        return NULL;
    if (!PyDict_Check(dict))
        return dict;
    PyObject *type = PyDict_GetItemString(dict, "type");
    if (type != NULL) {
        Py_INCREF(type);
        if (PyDict_SetItem(dict, pysdk.str_type_, type) < 0 ||
            PyDict_DelItemString(dict, "type") < 0) {
            Py_DECREF(type);
            Py_DECREF(dict);
            return NULL;
        }
        Py_DECREF(type);
    }
    PyObject *obj = cls->tp_alloc(cls, 0);
    if (obj == NULL) {
        Py_DECREF(dict);
        return NULL;
    }
    PyObject **slot = _PyObject_GetDictPtr(obj);
    Py_XSETREF(*slot, dict);
    return obj;
}

static PyObject *convert_union(const void *object, tinfo *t, int class_index, PyObject *owner)
{
    int kind;
    memcpy(&kind, (const char *)object + t->kind_offset, sizeof kind);
    if (kind > 0 && (size_t)kind <= t->nalts) {
        const talt *alt = &t->alts[kind - 1];
        const void *chosen = ptr_at((const char *)object + alt->offset);
        if (chosen != NULL)
            return convert_object(chosen, alt->type, class_index, owner);
    }
    spotify_json_value v;
    if (!spotify_model_json(&v, object))
        Py_RETURN_NONE;
    return model_from_json(v, -1);
}

static PyObject *convert_pointer(const void *p, const tfield *f, int class_index, unsigned flags,
                                 PyObject *owner)
{
    if (p == NULL)
        Py_RETURN_NONE;
    if (flags & PYSDK_F_DICT) {
        spotify_json_value v;
        if (!spotify_model_json(&v, p))
            Py_RETURN_NONE;
        return pysdk_json_to_python(v);
    }
    if (f->sub->kind == SPOTIFY_MODEL_KIND_UNION)
        return convert_union(p, f->sub, class_index, owner);
    return convert_object(p, f->sub, class_index, owner);
}

static PyObject *convert_list(const char *src, const tfield *f, int class_index, unsigned flags,
                              PyObject *owner)
{
    void *items;
    size_t count;
    memcpy(&items, src, sizeof items);
    memcpy(&count, src + sizeof items, sizeof count);
    PyObject *list = PyList_New((Py_ssize_t)count);
    if (list == NULL)
        return NULL;
    const char *base = items;
    size_t size = f->f.elem_size;
    for (size_t i = 0; i < count; i++) {
        const char *e = base + i * size;
        PyObject *item;
        switch (f->f.elem_kind) {
        case SPOTIFY_FIELD_STRING: {
            const char *s = ptr_at(e);
            if (s == NULL) {
                Py_INCREF(Py_None);
                item = Py_None;
            } else {
                item = str_from(s);
            }
            break;
        }
        case SPOTIFY_FIELD_OBJECT:
        case SPOTIFY_FIELD_UNION:
            if ((((const spotify_object_meta *)(const void *)e)->flags_ & SPOTIFY_META_JSON_NULL) !=
                0) {
                Py_INCREF(Py_None);
                item = Py_None;
            } else if (flags & PYSDK_F_DICT) {
                spotify_json_value v;
                item = spotify_model_json(&v, e) ? pysdk_json_to_python(v)
                                                 : (Py_INCREF(Py_None), Py_None);
            } else if (f->f.elem_kind == SPOTIFY_FIELD_UNION) {
                item = convert_union(e, f->sub, class_index, owner);
            } else {
                item = convert_object(e, f->sub, class_index, owner);
            }
            break;
        default:
            item = convert_value(e, f, f->f.elem_kind, class_index, flags, owner);
            break;
        }
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    return list;
}

/* The member at `src` of kind `kind` (a list element when called from
 * convert_list). */
static PyObject *convert_value(const char *src, const tfield *f, spotify_field_kind kind,
                               int class_index, unsigned flags, PyObject *owner)
{
    switch (kind) {
    case SPOTIFY_FIELD_STRING: {
        const char *s = ptr_at(src);
        if (s == NULL)
            Py_RETURN_NONE;
        return (flags & PYSDK_F_DATETIME) ? datetime_from(s) : str_from(s);
    }
    case SPOTIFY_FIELD_INT: {
        int64_t v;
        memcpy(&v, src, sizeof v);
        return PyLong_FromLongLong(v);
    }
    case SPOTIFY_FIELD_NUMBER: {
        double v;
        memcpy(&v, src, sizeof v);
        return PyFloat_FromDouble(v);
    }
    case SPOTIFY_FIELD_BOOL: {
        bool v;
        memcpy(&v, src, sizeof v);
        return PyBool_FromLong(v);
    }
    case SPOTIFY_FIELD_ENUM: {
        int value;
        const char *text;
        memcpy(&value, src, sizeof value);
        memcpy(&text, src + offsetof(enum_layout, text), sizeof text);
        if (text == NULL)
            Py_RETURN_NONE;
        if (value > 0 && value < 16) {
            tfield *mf = (tfield *)f;
            if (mf->enums[value] == NULL) {
                mf->enums[value] = PyUnicode_InternFromString(text);
                if (mf->enums[value] == NULL)
                    return NULL;
            }
            Py_INCREF(mf->enums[value]);
            return mf->enums[value];
        }
        return str_from(text);
    }
    case SPOTIFY_FIELD_OBJECT:
    case SPOTIFY_FIELD_UNION:
        return convert_pointer(ptr_at(src), f, class_index, flags, owner);
    case SPOTIFY_FIELD_LIST:
        return convert_list(src, f, class_index, flags, owner);
    default:
        Py_RETURN_NONE;
    }
}

/* A JSON member's value, read from the document of `object`. */
static PyObject *json_member(const void *object, const char *name)
{
    spotify_json_value v;
    if (!spotify_model_json(&v, object))
        Py_RETURN_NONE;
    return pysdk_json_to_python(spotify_json_get(v, name));
}

/* Members Spotify sent that the type does not know, into `dict`. */
static int add_extras(PyObject *dict, const void *object, tinfo *t)
{
    spotify_json_value v;
    if (!spotify_model_json(&v, object))
        return 0;
    for (spotify_json_value m = spotify_json_first(v); spotify_json_valid(m);
         m = spotify_json_next(m)) {
        const char *key;
        size_t len;
        if (!spotify_json_key(&key, &len, m) ||
            spotify_model_type_find_field(t->type, key, len) >= 0)
            continue;
        PyObject *name = len == 4 && memcmp(key, "type", 4) == 0
                             ? (Py_INCREF(pysdk.str_type_), pysdk.str_type_)
                             : PyUnicode_DecodeUTF8(key, (Py_ssize_t)len, NULL);
        PyObject *value = name != NULL ? pysdk_json_to_python(m) : NULL;
        int rc = value != NULL ? PyDict_SetItem(dict, name, value) : -1;
        Py_XDECREF(name);
        Py_XDECREF(value);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* The attributes of `object` (a struct of `t`, converted as `r` says) in a
 * new dict; nested objects are shells on `owner`. */
static PyObject *members_dict(const void *object, tinfo *t, const tres *r, PyObject *owner)
{
    const spotify_object_meta *meta = object;
    uint64_t present = meta->present;
    uint64_t nulls = meta->null;
    PyObject *dict = PyDict_New();
    if (dict == NULL)
        return NULL;
    const char *base = object;
    for (size_t i = 0; i < t->nfields; i++) {
        const tfield *f = &t->fields[i];
        uint64_t bit = (uint64_t)1 << f->f.index;
        if ((present & bit) == 0)
            continue;
        PyObject *value;
        if (nulls & bit) {
            Py_INCREF(Py_None);
            value = Py_None;
        } else if (f->f.kind == SPOTIFY_FIELD_JSON) {
            value = json_member(object, f->f.name);
        } else {
            value =
                convert_value(base + f->f.offset, f, f->f.kind, r->classes[i], r->flags[i], owner);
        }
        if (value == NULL || PyDict_SetItem(dict, r->attrs[i], value) < 0) {
            Py_XDECREF(value);
            Py_DECREF(dict);
            return NULL;
        }
        Py_DECREF(value);
    }
    if (spotify_model_json_member_count(object) > (size_t)__builtin_popcountll(present) &&
        add_extras(dict, object, t) < 0) {
        Py_DECREF(dict);
        return NULL;
    }
    return dict;
}

static PyObject *shell_new(PyTypeObject *cls, const void *object, tinfo *t, const tres *r,
                           PyObject *owner);

static PyObject *convert_object(const void *object, tinfo *t, int class_index, PyObject *owner)
{
    if (t->kind == SPOTIFY_MODEL_KIND_UNION)
        return convert_union(object, t, class_index, owner);
    if (class_index < 0)
        class_index = t->default_class;
    if (t->kind == SPOTIFY_MODEL_KIND_ARRAY) {
        const tfield *f = &t->fields[0];
        return convert_list((const char *)object + f->f.offset, f, class_index, 0, owner);
    }
    tres *r = tres_get(t, class_index);
    if (r == NULL)
        return NULL;
    return shell_new(class_object(class_index), object, t, r, owner);
}

/* ---------- the C result lazy models read ---------- */

typedef struct result_owner {
    PyObject_HEAD
    void *result; /* a model of the C library, freed with the owner */
} result_owner;

static PyTypeObject *owner_type;
static Py_ssize_t owners_alive; /* for the tests: _live_results() */

static void owner_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    spotify_model_free(((result_owner *)self)->result);
    owners_alive--;
    PyObject_Free(self);
    Py_DECREF(tp);
}

static PyType_Slot owner_slots[] = {
    {Py_tp_dealloc, owner_dealloc},
    {0, NULL},
};

static PyType_Spec owner_spec = {
    "spotify_sdk._core._Result", sizeof(result_owner), 0, Py_TPFLAGS_DEFAULT, owner_slots,
};

/* An owner of `result` (which it frees); on failure `result` is freed. */
static PyObject *owner_new(void *result)
{
    result_owner *o = PyObject_New(result_owner, owner_type);
    if (o == NULL) {
        spotify_model_free(result);
        return NULL;
    }
    o->result = result;
    owners_alive++;
    return (PyObject *)o;
}

/* _live_results(): how many C results models still read (tests). */
static PyObject *live_results(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyLong_FromSsize_t(owners_alive);
}

/* The owner of `result` (of C `type`) and the type's tinfo; NULL with an
 * exception, `result` freed. */
static PyObject *result_owner_for(void *result, const spotify_model_type *type, tinfo **t)
{
    *t = tinfo_get(type);
    if (*t == NULL) {
        spotify_model_free(result);
        return NULL;
    }
    return owner_new(result);
}

PyObject *pysdk_convert(void *result, const spotify_model_type *type, int class_index)
{
    if (result == NULL)
        Py_RETURN_NONE;
    tinfo *t;
    PyObject *owner = result_owner_for(result, type, &t);
    if (owner == NULL)
        return NULL;
    PyObject *out = convert_object(result, t, class_index, owner);
    Py_DECREF(owner); /* the shells hold it now */
    return out;
}

/* One member `name` of `object` (a struct of `t`) on `owner`. */
static PyObject *convert_named_member(const void *object, tinfo *t, const char *name,
                                      int class_index, PyObject *owner)
{
    for (size_t i = 0; i < t->nfields; i++) {
        const tfield *f = &t->fields[i];
        if (strcmp(f->f.name, name) != 0)
            continue;
        const spotify_object_meta *meta = object;
        uint64_t bit = (uint64_t)1 << f->f.index;
        if ((meta->present & bit) == 0 || (meta->null & bit) != 0)
            Py_RETURN_NONE;
        if (f->f.kind == SPOTIFY_FIELD_JSON)
            return json_member(object, name);
        return convert_value((const char *)object + f->f.offset, f, f->f.kind, class_index, 0,
                             owner);
    }
    return json_member(object, name);
}

PyObject *pysdk_convert_member(void *result, const spotify_model_type *type, const char *name,
                               int class_index)
{
    if (result == NULL)
        Py_RETURN_NONE;
    tinfo *t;
    PyObject *owner = result_owner_for(result, type, &t);
    if (owner == NULL)
        return NULL;
    PyObject *out = convert_named_member(result, t, name, class_index, owner);
    Py_DECREF(owner); /* the shells hold it now */
    return out;
}

/* ---------- SpotifyModel ---------- */

typedef struct model_object {
    PyObject_HEAD
    PyObject *dict;
    /* A shell not yet converted: the result it reads (NULL once converted,
     * and for models made by Python code), its struct and how to read it. */
    PyObject *owner;
    const void *object;
    tinfo *type;
    const tres *res;
} model_object;

static PyObject *shell_new(PyTypeObject *cls, const void *object, tinfo *t, const tres *r,
                           PyObject *owner)
{
    PyObject *obj = cls->tp_alloc(cls, 0);
    if (obj == NULL)
        return NULL;
    model_object *mo = (model_object *)obj;
    Py_INCREF(owner);
    mo->owner = owner;
    mo->object = object;
    mo->type = t;
    mo->res = r;
    return obj;
}

/* Converts a shell's members into its instance dict (attributes a program
 * already set win) and lets go of the result. 0, or -1 with an exception
 * (the shell stays a shell). */
static int materialize(PyObject *self)
{
    model_object *mo = (model_object *)self;
    if (mo->owner == NULL)
        return 0;
    PyObject *members = members_dict(mo->object, mo->type, mo->res, mo->owner);
    if (members == NULL)
        return -1;
    PyObject **slot = _PyObject_GetDictPtr(self);
    if (*slot == NULL) {
        *slot = members;
    } else {
        PyObject *key;
        PyObject *value;
        Py_ssize_t pos = 0;
        while (PyDict_Next(members, &pos, &key, &value))
            if (PyDict_SetDefault(*slot, key, value) == NULL) {
                Py_DECREF(members);
                return -1;
            }
        Py_DECREF(members);
    }
    mo->object = NULL;
    Py_CLEAR(mo->owner);
    return 0;
}

/* The declared fields of a model class: {attribute: default} where the
 * default is None or a factory (dict), from the generated models module. */
static PyObject *declared_fields(PyTypeObject *cls)
{
    return PyObject_GetAttrString((PyObject *)cls, "__spotify_fields__");
}

static PyObject *model_getattro(PyObject *self, PyObject *name)
{
    if (materialize(self) < 0)
        return NULL;
    PyObject *v = PyObject_GenericGetAttr(self, name);
    if (v != NULL || !PyErr_ExceptionMatches(PyExc_AttributeError))
        return v;
    /* A declared member Spotify did not send reads as its default. */
    PyObject *fields = declared_fields(Py_TYPE(self));
    if (fields == NULL || !PyDict_Check(fields)) {
        Py_XDECREF(fields);
        PyErr_Clear();
        PyErr_Format(PyExc_AttributeError, "'%.100s' object has no attribute '%U'",
                     Py_TYPE(self)->tp_name, name);
        return NULL;
    }
    PyObject *dflt = PyDict_GetItemWithError(fields, name);
    if (dflt == NULL) {
        Py_DECREF(fields);
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_AttributeError, "'%.100s' object has no attribute '%U'",
                         Py_TYPE(self)->tp_name, name);
        return NULL;
    }
    PyErr_Clear();
    PyObject *out = dflt == Py_None ? (Py_INCREF(Py_None), Py_None) : PyObject_CallNoArgs(dflt);
    Py_DECREF(fields);
    return out;
}

static int model_setattro(PyObject *self, PyObject *name, PyObject *value)
{
    if (materialize(self) < 0)
        return -1;
    return PyObject_GenericSetAttr(self, name, value);
}

/* The instance dict, converted first when the model is a shell (borrowed). */
static PyObject *model_dict(PyObject *self)
{
    if (materialize(self) < 0)
        return NULL;
    PyObject **slot = _PyObject_GetDictPtr(self);
    if (slot == NULL)
        return NULL;
    if (*slot == NULL) {
        *slot = PyDict_New();
        if (*slot == NULL)
            return NULL;
    }
    return *slot;
}

typedef struct dump_opts {
    bool by_alias;
    bool exclude_none;
    bool json_mode;
} dump_opts;

static PyObject *dump_value(PyObject *v, const dump_opts *o);

/* The attribute -> output key of a class ("type_" -> "type" by alias). */
static PyObject *alias_of(PyTypeObject *cls, PyObject *attr, const dump_opts *o)
{
    if (o->by_alias) {
        PyObject *aliases = PyObject_GetAttrString((PyObject *)cls, "__spotify_aliases__");
        if (aliases == NULL)
            PyErr_Clear();
        PyObject *alias =
            aliases != NULL && PyDict_Check(aliases) ? PyDict_GetItem(aliases, attr) : NULL;
        Py_XINCREF(alias);
        Py_XDECREF(aliases);
        if (alias != NULL)
            return alias;
        if (PyUnicode_CompareWithASCIIString(attr, "type_") == 0)
            return PyUnicode_FromString("type");
    }
    Py_INCREF(attr);
    return attr;
}

static PyObject *dump_model(PyObject *self, const dump_opts *o)
{
    PyObject *dict = model_dict(self);
    if (dict == NULL)
        return NULL;
    PyObject *out = PyDict_New();
    PyObject *fields = declared_fields(Py_TYPE(self));
    if (fields == NULL)
        PyErr_Clear();
    if (out == NULL)
        goto fail;
    /* Declared fields first, in declaration order, then the others. */
    if (fields != NULL && PyDict_Check(fields)) {
        PyObject *key;
        PyObject *dflt;
        Py_ssize_t pos = 0;
        while (PyDict_Next(fields, &pos, &key, &dflt)) {
            PyObject *v = PyDict_GetItem(dict, key);
            PyObject *value;
            if (v != NULL)
                value = dump_value(v, o);
            else if (dflt == Py_None)
                value = (Py_INCREF(Py_None), Py_None);
            else
                value = PyObject_CallNoArgs(dflt);
            if (value == NULL)
                goto fail;
            if (value == Py_None && o->exclude_none) {
                Py_DECREF(value);
                continue;
            }
            PyObject *k = alias_of(Py_TYPE(self), key, o);
            int rc = k != NULL ? PyDict_SetItem(out, k, value) : -1;
            Py_XDECREF(k);
            Py_DECREF(value);
            if (rc < 0)
                goto fail;
        }
    }
    PyObject *key;
    PyObject *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(dict, &pos, &key, &v)) {
        if (fields != NULL && PyDict_Check(fields) && PyDict_Contains(fields, key) == 1)
            continue;
        if (v == Py_None && o->exclude_none)
            continue;
        PyObject *value = dump_value(v, o);
        PyObject *k = value != NULL ? alias_of(Py_TYPE(self), key, o) : NULL;
        int rc = k != NULL ? PyDict_SetItem(out, k, value) : -1;
        Py_XDECREF(k);
        Py_XDECREF(value);
        if (rc < 0)
            goto fail;
    }
    Py_XDECREF(fields);
    return out;
fail:
    Py_XDECREF(fields);
    Py_XDECREF(out);
    return NULL;
}

static PyObject *dump_value(PyObject *v, const dump_opts *o)
{
    if (PyObject_TypeCheck(v, pysdk_model_type))
        return dump_model(v, o);
    if (PyList_Check(v)) {
        Py_ssize_t n = PyList_GET_SIZE(v);
        PyObject *out = PyList_New(n);
        if (out == NULL)
            return NULL;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = dump_value(PyList_GET_ITEM(v, i), o);
            if (item == NULL) {
                Py_DECREF(out);
                return NULL;
            }
            PyList_SET_ITEM(out, i, item);
        }
        return out;
    }
    if (PyDict_Check(v)) {
        PyObject *out = PyDict_New();
        PyObject *key;
        PyObject *item;
        Py_ssize_t pos = 0;
        while (out != NULL && PyDict_Next(v, &pos, &key, &item)) {
            PyObject *d = dump_value(item, o);
            if (d == NULL || PyDict_SetItem(out, key, d) < 0) {
                Py_XDECREF(d);
                Py_CLEAR(out);
                break;
            }
            Py_DECREF(d);
        }
        return out;
    }
    if (o->json_mode && !PyUnicode_Check(v) && !PyLong_Check(v) && !PyFloat_Check(v) &&
        v != Py_None && PyObject_HasAttrString(v, "isoformat"))
        return PyObject_CallMethod(v, "isoformat", NULL);
    Py_INCREF(v);
    return v;
}

static int parse_dump_opts(PyObject *kwargs, dump_opts *o)
{
    o->by_alias = false;
    o->exclude_none = false;
    o->json_mode = false;
    if (kwargs == NULL)
        return 0;
    PyObject *v;
    if ((v = PyDict_GetItemString(kwargs, "by_alias")) != NULL)
        o->by_alias = PyObject_IsTrue(v) == 1;
    if ((v = PyDict_GetItemString(kwargs, "exclude_none")) != NULL)
        o->exclude_none = PyObject_IsTrue(v) == 1;
    if ((v = PyDict_GetItemString(kwargs, "mode")) != NULL)
        o->json_mode = PyUnicode_Check(v) && PyUnicode_CompareWithASCIIString(v, "json") == 0;
    return 0;
}

static PyObject *model_dump(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)args;
    dump_opts o;
    parse_dump_opts(kwargs, &o);
    return dump_model(self, &o);
}

static PyObject *model_dump_json(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)args;
    dump_opts o;
    parse_dump_opts(kwargs, &o);
    o.json_mode = true;
    PyObject *data = dump_model(self, &o);
    if (data == NULL)
        return NULL;
    PyObject *indent = kwargs != NULL ? PyDict_GetItemString(kwargs, "indent") : NULL;
    PyObject *call_args = PyTuple_Pack(1, data);
    PyObject *call_kwargs = PyDict_New();
    PyObject *out = NULL;
    if (call_args != NULL && call_kwargs != NULL &&
        (indent == NULL || PyDict_SetItemString(call_kwargs, "indent", indent) == 0) &&
        (indent != NULL ||
         PyDict_SetItemString(call_kwargs, "separators", Py_BuildValue("(ss)", ",", ":")) == 0) &&
        PyDict_SetItemString(call_kwargs, "ensure_ascii", Py_False) == 0)
        out = PyObject_Call(pysdk.json_dumps, call_args, call_kwargs);
    Py_XDECREF(call_args);
    Py_XDECREF(call_kwargs);
    Py_DECREF(data);
    return out;
}

static PyObject *model_extra(PyObject *self, void *closure)
{
    (void)closure;
    PyObject *dict = model_dict(self);
    if (dict == NULL)
        return NULL;
    PyObject *fields = declared_fields(Py_TYPE(self));
    if (fields == NULL)
        PyErr_Clear();
    PyObject *out = PyDict_New();
    PyObject *key;
    PyObject *v;
    Py_ssize_t pos = 0;
    while (out != NULL && PyDict_Next(dict, &pos, &key, &v)) {
        if (fields != NULL && PyDict_Check(fields) && PyDict_Contains(fields, key) == 1)
            continue;
        if (PyDict_SetItem(out, key, v) < 0)
            Py_CLEAR(out);
    }
    Py_XDECREF(fields);
    return out;
}

static PyObject *model_fields_set(PyObject *self, void *closure)
{
    (void)closure;
    PyObject *dict = model_dict(self);
    return dict == NULL ? NULL : PySet_New(dict);
}

static PyObject *model_richcompare(PyObject *a, PyObject *b, int op)
{
    if ((op != Py_EQ && op != Py_NE) || !PyObject_TypeCheck(b, pysdk_model_type))
        Py_RETURN_NOTIMPLEMENTED;
    if (Py_TYPE(a) != Py_TYPE(b))
        return PyBool_FromLong(op == Py_NE);
    PyObject *da = model_dict(a);
    PyObject *db = model_dict(b);
    if (da == NULL || db == NULL)
        return NULL;
    return PyObject_RichCompare(da, db, op);
}

static PyObject *model_repr(PyObject *self)
{
    PyObject *dict = model_dict(self);
    if (dict == NULL)
        return NULL;
    int rc = Py_ReprEnter(self);
    if (rc != 0)
        return rc > 0 ? PyUnicode_FromFormat("%s(...)", Py_TYPE(self)->tp_name) : NULL;
    PyObject *parts = PyList_New(0);
    PyObject *key;
    PyObject *v;
    Py_ssize_t pos = 0;
    while (parts != NULL && PyDict_Next(dict, &pos, &key, &v)) {
        PyObject *part = PyUnicode_FromFormat("%U=%R", key, v);
        if (part == NULL || PyList_Append(parts, part) < 0)
            Py_CLEAR(parts);
        Py_XDECREF(part);
    }
    PyObject *out = NULL;
    if (parts != NULL) {
        PyObject *sep = PyUnicode_FromString(", ");
        PyObject *joined = sep != NULL ? PyUnicode_Join(sep, parts) : NULL;
        if (joined != NULL)
            out = PyUnicode_FromFormat("%s(%U)", Py_TYPE(self)->tp_name, joined);
        Py_XDECREF(sep);
        Py_XDECREF(joined);
        Py_DECREF(parts);
    }
    Py_ReprLeave(self);
    return out;
}

/* SpotifyModel(**data): a model from keyword arguments, as attributes. */
static int model_init(PyObject *self, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) != 0) {
        PyErr_SetString(PyExc_TypeError, "models take keyword arguments only");
        return -1;
    }
    if (kwargs == NULL)
        return 0;
    PyObject *dict = model_dict(self);
    if (dict == NULL)
        return -1;
    PyObject *key;
    PyObject *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(kwargs, &pos, &key, &v)) {
        PyObject *k = key;
        if (PyUnicode_CompareWithASCIIString(key, "type") == 0)
            k = pysdk.str_type_;
        if (PyDict_SetItem(dict, k, v) < 0)
            return -1;
    }
    return 0;
}

static PyObject *model_iter(PyObject *self)
{
    PyObject *dict = model_dict(self);
    if (dict == NULL)
        return NULL;
    PyObject *items = PyDict_Items(dict);
    if (items == NULL)
        return NULL;
    PyObject *it = PyObject_GetIter(items);
    Py_DECREF(items);
    return it;
}

/* __dict__: the attributes, members converted first. */
static PyObject *model_get_dict(PyObject *self, void *closure)
{
    (void)closure;
    PyObject *dict = model_dict(self);
    Py_XINCREF(dict);
    return dict;
}

/* __getstate__: the same, so copy and pickle see a shell's members (and
 * its C-level fields do not make it unpicklable). */
static PyObject *model_getstate(PyObject *self, PyObject *unused)
{
    (void)unused;
    return model_get_dict(self, NULL);
}

static PyMethodDef model_methods[] = {
    {"__getstate__", model_getstate, METH_NOARGS, "The attributes, for copy and pickle."},
    {"model_dump", (PyCFunction)(void (*)(void))model_dump, METH_VARARGS | METH_KEYWORDS,
     "model_dump(*, by_alias=False, exclude_none=False, mode='python'): the model as a dict "
     "(nested models as dicts)."},
    {"model_dump_json", (PyCFunction)(void (*)(void))model_dump_json, METH_VARARGS | METH_KEYWORDS,
     "model_dump_json(*, indent=None, by_alias=False, exclude_none=False): the model as JSON "
     "text."},
    {"dict", (PyCFunction)(void (*)(void))model_dump, METH_VARARGS | METH_KEYWORDS,
     "dict(): model_dump() under pydantic v1's name."},
    {NULL, NULL, 0, NULL},
};

static int model_set_dict(PyObject *self, PyObject *value, void *closure)
{
    return materialize(self) < 0 ? -1 : PyObject_GenericSetDict(self, value, closure);
}

static PyGetSetDef model_getset[] = {
    {"__dict__", model_get_dict, model_set_dict, "The attributes (members) of the model.", NULL},
    {"model_extra", model_extra, NULL,
     "The members that are not fields of the class (Spotify's additions).", NULL},
    {"model_fields_set", model_fields_set, NULL, "The names of the members Spotify sent.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef model_members[] = {
    {"__dictoffset__", T_PYSSIZET, offsetof(model_object, dict), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static int model_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((model_object *)self)->dict);
    Py_VISIT(((model_object *)self)->owner);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int model_clear(PyObject *self)
{
    Py_CLEAR(((model_object *)self)->dict);
    Py_CLEAR(((model_object *)self)->owner);
    return 0;
}

static void model_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    model_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot model_slots[] = {
    {Py_tp_doc, "The base of every model: Spotify's JSON objects as attributes (a member "
                "`type` is `type_`), members Spotify added included."},
    {Py_tp_getattro, model_getattro},
    {Py_tp_setattro, model_setattro},
    {Py_tp_methods, model_methods},
    {Py_tp_getset, model_getset},
    {Py_tp_members, model_members},
    {Py_tp_richcompare, model_richcompare},
    {Py_tp_repr, model_repr},
    {Py_tp_init, model_init},
    {Py_tp_iter, model_iter},
    {Py_tp_traverse, model_traverse},
    {Py_tp_clear, model_clear},
    {Py_tp_dealloc, model_dealloc},
    {0, NULL},
};

static PyType_Spec model_spec = {
    "spotify_sdk.models.SpotifyModel",
    sizeof(model_object),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    model_slots,
};

/* _register_models(namespace): the generated models module hands its
 * classes over, by the names of the class table. */
static PyObject *register_models(PyObject *self, PyObject *ns)
{
    (void)self;
    if (!PyDict_Check(ns)) {
        PyErr_SetString(PyExc_TypeError, "_register_models expects a dict");
        return NULL;
    }
    if (pysdk.classes == NULL) {
        pysdk.classes = PyMem_Calloc(pysdk_model_class_count ? pysdk_model_class_count : 1,
                                     sizeof *pysdk.classes);
        if (pysdk.classes == NULL)
            return PyErr_NoMemory();
    }
    for (size_t i = 0; i < pysdk_model_class_count; i++) {
        PyObject *cls = PyDict_GetItemString(ns, pysdk_model_classes[i].name);
        if (cls == NULL || !PyType_Check(cls) ||
            !PyType_IsSubtype((PyTypeObject *)cls, pysdk_model_type)) {
            PyErr_Format(PyExc_RuntimeError, "models module lacks the model class %s",
                         pysdk_model_classes[i].name);
            return NULL;
        }
        Py_INCREF(cls);
        Py_XSETREF(pysdk.classes[i], cls);
    }
    Py_RETURN_NONE;
}

static PyMethodDef convert_functions[] = {
    {"_register_models", register_models, METH_O, NULL},
    {"_live_results", live_results, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int pysdk_convert_init(PyObject *module)
{
    pysdk_model_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &model_spec, NULL);
    owner_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &owner_spec, NULL);
    if (pysdk_model_type == NULL || owner_type == NULL)
        return -1;
    pysdk.model_base = (PyObject *)pysdk_model_type;
    Py_INCREF(pysdk_model_type);
    if (PyModule_AddObject(module, "SpotifyModel", (PyObject *)pysdk_model_type) < 0)
        return -1;
    return PyModule_AddFunctions(module, convert_functions);
}
