/* SPDX-License-Identifier: Apache-2.0 */
/* test_json_equal.c - structural equality of parsed JSON values for tests. */
#include "test_json_equal.h"

#include <stdint.h>
#include <string.h>

static bool strings_equal(spotify__json a, spotify__json b)
{
    const char *sa, *sb;
    size_t la, lb;
    if (!spotify__json_get_string(a, &sa, &la) || !spotify__json_get_string(b, &sb, &lb))
        return false;
    return la == lb && memcmp(sa, sb, la) == 0;
}

static bool containers_equal(spotify__json a, spotify__json b, bool object)
{
    if (spotify__json_count(a) != spotify__json_count(b))
        return false;
    spotify__json x = spotify__json_first(a), y = spotify__json_first(b);
    for (; spotify__json_valid(x) && spotify__json_valid(y);
         x = spotify__json_next(x), y = spotify__json_next(y)) {
        if (object) {
            const char *ka, *kb;
            size_t la, lb;
            if (!spotify__json_key(x, &ka, &la) || !spotify__json_key(y, &kb, &lb) || la != lb ||
                memcmp(ka, kb, la) != 0)
                return false;
        }
        if (!test_json_equal(object ? spotify__json_member_value(x) : x,
                             object ? spotify__json_member_value(y) : y))
            return false;
    }
    return !spotify__json_valid(x) && !spotify__json_valid(y);
}

/* Structural equality: same types, same values, same keys in the same order. */
bool test_json_equal(spotify__json a, spotify__json b)
{
    spotify__json_type type = spotify__json_type_of(a);
    if (type != spotify__json_type_of(b))
        return false;
    bool ba, bb;
    int64_t ia, ib;
    double da, db;
    switch (type) {
    case SPOTIFY__JSON_NULL:
        return true;
    case SPOTIFY__JSON_BOOL:
        return spotify__json_get_bool(a, &ba) && spotify__json_get_bool(b, &bb) && ba == bb;
    case SPOTIFY__JSON_INT:
        return spotify__json_get_int64(a, &ia) && spotify__json_get_int64(b, &ib) && ia == ib;
    case SPOTIFY__JSON_UINT:
    case SPOTIFY__JSON_DOUBLE:
        return spotify__json_get_double(a, &da) && spotify__json_get_double(b, &db) &&
               memcmp(&da, &db, sizeof da) == 0;
    case SPOTIFY__JSON_STRING:
        return strings_equal(a, b);
    case SPOTIFY__JSON_ARRAY:
        return containers_equal(a, b, false);
    case SPOTIFY__JSON_OBJECT:
        return containers_equal(a, b, true);
    case SPOTIFY__JSON_INVALID:
    default:
        return false;
    }
}
