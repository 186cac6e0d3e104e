/* SPDX-License-Identifier: Apache-2.0 */
/*
 * form.h - query strings and application/x-www-form-urlencoded bodies,
 * decoded into a small list of key/value pairs.
 *
 * Built on spotify__query_parse (core/urlencode.h): '+' is a space, %XX
 * escapes are decoded, a malformed escape or an encoded NUL byte rejects the
 * whole input, empty pairs ("a=1&&b=2") are skipped. At most EMU_FORM_MAX
 * pairs are kept; more is an error (the emulator's forms are small, and a
 * cap keeps hostile input cheap). Repeated keys are kept in order;
 * emu_form_count tells how often a key occurs (OAuth forbids repeats).
 *
 * Ownership: a form owns its decoded strings; emu_form_free releases them.
 * Threads: a form belongs to one thread at a time; parsing is reentrant.
 */
#ifndef SPOTIFY_EMULATOR_FORM_H
#define SPOTIFY_EMULATOR_FORM_H

#include <stdbool.h>
#include <stddef.h>

#define EMU_FORM_MAX 32

typedef enum emu_form_status {
    EMU_FORM_OK = 0,
    EMU_FORM_MALFORMED, /* bad %-escape or encoded NUL */
    EMU_FORM_TOO_MANY,  /* more than EMU_FORM_MAX pairs */
    EMU_FORM_NOMEM
} emu_form_status;

typedef struct emu_form_pair {
    char *key;
    char *value;
} emu_form_pair;

typedef struct emu_form {
    emu_form_pair pairs[EMU_FORM_MAX];
    size_t count;
} emu_form;

/* Parses `len` bytes of `text` (a leading '?' is skipped) into `form`, which
 * is initialised first. On any failure the form is left empty. */
emu_form_status emu_form_parse(emu_form *form, const char *text, size_t len);
/* The first value of `key`, or NULL. */
const char *emu_form_get(const emu_form *form, const char *key);
/* How many pairs have `key`. */
size_t emu_form_count(const emu_form *form, const char *key);
/* The first key among `keys` (NULL-terminated list) that occurs more than
 * once, or NULL. */
const char *emu_form_repeated(const emu_form *form, const char *const *keys);
/* Removes the pairs whose value is empty ("market="), keeping the order. */
void emu_form_drop_empty(emu_form *form);
/* Frees the strings (wiping them: forms carry secrets) and empties the form. */
void emu_form_free(emu_form *form);

#endif
