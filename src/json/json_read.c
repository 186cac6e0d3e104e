/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json/json_read.c - walking a parsed document: pure C reads of simdjson's
 * tape, which json_parse.cpp lent to the arena (layout in json_doc.h).
 *
 * Every function accepts any handle, including INVALID ones and handles of
 * the wrong type, and then returns false / INVALID / 0.
 */
#include "json.h"

#include <string.h>

#include "json_doc.h"

/* The value type of each tape type character; INVALID for the characters
 * that do not start a value ('r', ']', '}') and for anything else. */
static const uint8_t type_of_char[256] = {
    ['{'] = SPOTIFY__JSON_OBJECT, ['['] = SPOTIFY__JSON_ARRAY, ['"'] = SPOTIFY__JSON_STRING,
    ['l'] = SPOTIFY__JSON_INT,    ['u'] = SPOTIFY__JSON_UINT,  ['d'] = SPOTIFY__JSON_DOUBLE,
    ['t'] = SPOTIFY__JSON_BOOL,   ['f'] = SPOTIFY__JSON_BOOL,  ['n'] = SPOTIFY__JSON_NULL,
};

/* The type of the value a handle points at, and its tape index (member flag
 * removed) in *index; INVALID when the handle points at no value. */
static spotify__json_type resolve(spotify__json v, size_t *index)
{
    if (v.doc == NULL)
        return SPOTIFY__JSON_INVALID;
    size_t i = v.index & ~SPOTIFY__JSON_MEMBER_FLAG;
    /* 1 <= i <= tape_len - 2: not a root word, not past the end (i == 0
     * wraps around and fails too). */
    if (v.doc->tape_len < 3 || i - 1 >= v.doc->tape_len - 2)
        return SPOTIFY__JSON_INVALID;
    *index = i;
    return (spotify__json_type)type_of_char[(unsigned char)spotify__json_tape_type(v.doc->tape[i])];
}

/* The tape index a handle points at, or 0 when it points at no value. */
static size_t value_index(spotify__json v)
{
    size_t index = 0;
    return resolve(v, &index) == SPOTIFY__JSON_INVALID ? 0 : index;
}

static spotify__json invalid_handle(void)
{
    spotify__json v = {NULL, 0};
    return v;
}

static spotify__json make_handle(const spotify__json_doc *doc, size_t index)
{
    spotify__json v = {doc, index};
    return v;
}

/* The index just past the value starting at `index`. */
static size_t skip_value(const spotify__json_doc *doc, size_t index)
{
    uint64_t word = doc->tape[index];
    switch (spotify__json_tape_type(word)) {
    case '{':
    case '[':
        return (size_t)(uint32_t)spotify__json_tape_payload(word);
    case 'l':
    case 'u':
    case 'd':
        return index + 2;
    default:
        return index + 1;
    }
}

/* The raw bits of the number stored after the type word at `index`. */
static uint64_t number_bits(const spotify__json_doc *doc, size_t index)
{
    return doc->tape[index + 1];
}

static double bits_to_double(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* The string stored at string-buffer offset `payload`. */
static const char *string_at(const spotify__json_doc *doc, uint64_t payload, size_t *len)
{
    uint32_t n;
    memcpy(&n, doc->strings + payload, sizeof n);
    *len = n;
    return (const char *)(doc->strings + payload + sizeof n);
}

spotify__json_type spotify__json_type_of(spotify__json v)
{
    size_t index;
    return resolve(v, &index);
}

const char *spotify__json_type_name(spotify__json_type type)
{
    switch (type) {
    case SPOTIFY__JSON_NULL:
        return "null";
    case SPOTIFY__JSON_BOOL:
        return "boolean";
    case SPOTIFY__JSON_INT:
    case SPOTIFY__JSON_UINT:
        return "integer";
    case SPOTIFY__JSON_DOUBLE:
        return "number";
    case SPOTIFY__JSON_STRING:
        return "string";
    case SPOTIFY__JSON_ARRAY:
        return "array";
    case SPOTIFY__JSON_OBJECT:
        return "object";
    case SPOTIFY__JSON_INVALID:
    default:
        return "missing";
    }
}

bool spotify__json_get_bool(spotify__json v, bool *out)
{
    size_t index;
    if (resolve(v, &index) != SPOTIFY__JSON_BOOL)
        return false;
    *out = spotify__json_tape_type(v.doc->tape[index]) == 't';
    return true;
}

bool spotify__json_get_int64(spotify__json v, int64_t *out)
{
    size_t index;
    spotify__json_type type = resolve(v, &index);
    if (type != SPOTIFY__JSON_INT && type != SPOTIFY__JSON_UINT)
        return false;
    uint64_t bits = number_bits(v.doc, index);
    if (type == SPOTIFY__JSON_UINT && bits > (uint64_t)INT64_MAX)
        return false;
    *out = (int64_t)bits;
    return true;
}

bool spotify__json_get_uint64(spotify__json v, uint64_t *out)
{
    size_t index;
    spotify__json_type type = resolve(v, &index);
    if (type != SPOTIFY__JSON_INT && type != SPOTIFY__JSON_UINT)
        return false;
    uint64_t bits = number_bits(v.doc, index);
    if (type == SPOTIFY__JSON_INT && (int64_t)bits < 0)
        return false;
    *out = bits;
    return true;
}

bool spotify__json_get_double(spotify__json v, double *out)
{
    size_t index;
    switch (resolve(v, &index)) {
    case SPOTIFY__JSON_INT:
        *out = (double)(int64_t)number_bits(v.doc, index);
        return true;
    case SPOTIFY__JSON_UINT:
        *out = (double)number_bits(v.doc, index);
        return true;
    case SPOTIFY__JSON_DOUBLE:
        *out = bits_to_double(number_bits(v.doc, index));
        return true;
    default:
        return false;
    }
}

bool spotify__json_get_string(spotify__json v, const char **out, size_t *len)
{
    size_t index;
    if (resolve(v, &index) != SPOTIFY__JSON_STRING)
        return false;
    size_t n;
    *out = string_at(v.doc, spotify__json_tape_payload(v.doc->tape[index]), &n);
    if (len != NULL)
        *len = n;
    return true;
}

size_t spotify__json_strings(spotify__json array, const char **out, size_t max)
{
    size_t index;
    if (resolve(array, &index) != SPOTIFY__JSON_ARRAY)
        return 0;
    const spotify__json_doc *doc = array.doc;
    /* The array word's payload is the index just past its closing word. */
    size_t end = (size_t)(uint32_t)spotify__json_tape_payload(doc->tape[index]) - 1;
    if (end >= doc->tape_len)
        return 0;
    size_t n = 0;
    for (size_t i = index + 1; n < max && i < end; i++) {
        uint64_t word = doc->tape[i];
        if (spotify__json_tape_type(word) != '"')
            break;
        size_t len;
        out[n++] = string_at(doc, spotify__json_tape_payload(word), &len);
    }
    return n;
}

bool spotify__json_is_null(spotify__json v)
{
    size_t index;
    return resolve(v, &index) == SPOTIFY__JSON_NULL;
}

/* Counts the elements or members of the container at `index` one by one. */
static size_t count_by_walking(const spotify__json_doc *doc, size_t index)
{
    bool object = spotify__json_tape_type(doc->tape[index]) == '{';
    size_t end = skip_value(doc, index) - 1; /* the closing word */
    size_t count = 0;
    size_t i = index + 1;
    while (i < end) {
        if (object)
            i++; /* the key */
        i = skip_value(doc, i);
        count++;
    }
    return count;
}

size_t spotify__json_count(spotify__json v)
{
    size_t index;
    spotify__json_type type = resolve(v, &index);
    if (type != SPOTIFY__JSON_ARRAY && type != SPOTIFY__JSON_OBJECT)
        return 0;
    uint64_t word = v.doc->tape[index];
    uint32_t count =
        (uint32_t)(spotify__json_tape_payload(word) >> 32) & SPOTIFY__JSON_COUNT_SATURATED;
    if (count < SPOTIFY__JSON_COUNT_SATURATED)
        return count;
    return count_by_walking(v.doc, index);
}

spotify__json spotify__json_first(spotify__json container)
{
    size_t index;
    spotify__json_type type = resolve(container, &index);
    const spotify__json_doc *doc = container.doc;
    if (type == SPOTIFY__JSON_ARRAY && spotify__json_tape_type(doc->tape[index + 1]) != ']')
        return make_handle(doc, index + 1);
    if (type == SPOTIFY__JSON_OBJECT && spotify__json_tape_type(doc->tape[index + 1]) != '}')
        return make_handle(doc, (index + 2) | SPOTIFY__JSON_MEMBER_FLAG);
    return invalid_handle();
}

spotify__json spotify__json_next(spotify__json element_or_member)
{
    size_t index;
    spotify__json_type type = resolve(element_or_member, &index);
    const spotify__json_doc *doc = element_or_member.doc;
    size_t after;
    switch (type) {
    case SPOTIFY__JSON_INVALID:
        return invalid_handle();
    case SPOTIFY__JSON_ARRAY:
    case SPOTIFY__JSON_OBJECT:
        after = (size_t)(uint32_t)spotify__json_tape_payload(doc->tape[index]);
        break;
    case SPOTIFY__JSON_INT:
    case SPOTIFY__JSON_UINT:
    case SPOTIFY__JSON_DOUBLE:
        after = index + 2;
        break;
    default:
        after = index + 1;
        break;
    }
    /* What follows is the next element or key, or the container's end. */
    if (after + 1 >= doc->tape_len)
        return invalid_handle();
    char next = spotify__json_tape_type(doc->tape[after]);
    if (next == ']' || next == '}' || next == 'r')
        return invalid_handle();
    if ((element_or_member.index & SPOTIFY__JSON_MEMBER_FLAG) != 0)
        return make_handle(doc, (after + 1) | SPOTIFY__JSON_MEMBER_FLAG);
    return make_handle(doc, after);
}

bool spotify__json_valid(spotify__json v)
{
    return value_index(v) != 0;
}

bool spotify__json_key(spotify__json member, const char **key, size_t *len)
{
    if ((member.index & SPOTIFY__JSON_MEMBER_FLAG) == 0)
        return false;
    size_t index = value_index(member);
    if (index < 2)
        return false;
    uint64_t word = member.doc->tape[index - 1];
    if (spotify__json_tape_type(word) != '"')
        return false;
    size_t n;
    const char *s = string_at(member.doc, spotify__json_tape_payload(word), &n);
    *key = s;
    if (len != NULL)
        *len = n;
    return true;
}

spotify__json spotify__json_member_value(spotify__json member)
{
    if ((member.index & SPOTIFY__JSON_MEMBER_FLAG) == 0)
        return invalid_handle();
    size_t index = value_index(member);
    return index == 0 ? invalid_handle() : make_handle(member.doc, index);
}

spotify__json spotify__json_get(spotify__json object, const char *key)
{
    size_t index;
    if (resolve(object, &index) != SPOTIFY__JSON_OBJECT || key == NULL)
        return invalid_handle();
    const spotify__json_doc *doc = object.doc;
    size_t key_len = strlen(key);
    size_t end = skip_value(doc, index) - 1;
    size_t i = index + 1;
    while (i < end) {
        size_t n;
        const char *k = string_at(doc, spotify__json_tape_payload(doc->tape[i]), &n);
        if (n == key_len && memcmp(k, key, n) == 0)
            return make_handle(doc, i + 1);
        i = skip_value(doc, i + 1);
    }
    return invalid_handle();
}
