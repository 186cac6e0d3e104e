/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_json_equal.h - structural equality of two parsed JSON values: same
 * types, same values (doubles bit for bit), same keys in the same order.
 */
#ifndef SPOTIFY_TEST_JSON_EQUAL_H
#define SPOTIFY_TEST_JSON_EQUAL_H

#include <stdbool.h>

#include "json/json.h"

bool test_json_equal(spotify__json a, spotify__json b);

#endif
