/* SPDX-License-Identifier: Apache-2.0 */
/*
 * form.c - the form/query decoder on top of spotify__query_parse.
 */
#include "form.h"

#include <string.h>

#include "core/alloc.h"
#include "core/urlencode.h"

typedef struct collector {
    emu_form *form;
    emu_form_status status;
} collector;

static bool collect(const char *key, const char *value, void *user)
{
    collector *c = user;
    if (c->form->count == EMU_FORM_MAX) {
        c->status = EMU_FORM_TOO_MANY;
        return false;
    }
    char *k = spotify__strdup(key);
    char *v = spotify__strdup(value);
    if (k == NULL || v == NULL) {
        spotify__free(k);
        spotify__free(v);
        c->status = EMU_FORM_NOMEM;
        return false;
    }
    c->form->pairs[c->form->count].key = k;
    c->form->pairs[c->form->count].value = v;
    c->form->count++;
    return true;
}

emu_form_status emu_form_parse(emu_form *form, const char *text, size_t len)
{
    form->count = 0;
    if (text == NULL || len == 0)
        return EMU_FORM_OK;
    collector c = {form, EMU_FORM_OK};
    bool malformed = false;
    if (!spotify__query_parse(text, len, collect, &c, &malformed)) {
        emu_form_free(form);
        if (c.status != EMU_FORM_OK)
            return c.status;
        return malformed ? EMU_FORM_MALFORMED : EMU_FORM_NOMEM;
    }
    return EMU_FORM_OK;
}

const char *emu_form_get(const emu_form *form, const char *key)
{
    for (size_t i = 0; i < form->count; i++)
        if (strcmp(form->pairs[i].key, key) == 0)
            return form->pairs[i].value;
    return NULL;
}

size_t emu_form_count(const emu_form *form, const char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < form->count; i++)
        if (strcmp(form->pairs[i].key, key) == 0)
            n++;
    return n;
}

const char *emu_form_repeated(const emu_form *form, const char *const *keys)
{
    for (size_t i = 0; keys[i] != NULL; i++)
        if (emu_form_count(form, keys[i]) > 1)
            return keys[i];
    return NULL;
}

void emu_form_drop_empty(emu_form *form)
{
    size_t kept = 0;
    for (size_t i = 0; i < form->count; i++) {
        if (form->pairs[i].value[0] == '\0') {
            spotify__free_secret(form->pairs[i].key);
            spotify__free_secret(form->pairs[i].value);
        } else {
            form->pairs[kept++] = form->pairs[i];
        }
    }
    form->count = kept;
}

void emu_form_free(emu_form *form)
{
    for (size_t i = 0; i < form->count; i++) {
        spotify__free_secret(form->pairs[i].key);
        spotify__free_secret(form->pairs[i].value);
    }
    form->count = 0;
}
