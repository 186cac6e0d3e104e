/* SPDX-License-Identifier: Apache-2.0 */
/*
 * catalog_media.c - the spoken-word part of the catalog: shows with their
 * episodes and audiobooks with their chapters, generated from a fixed seed
 * like catalog_gen.c, so ids and contents are identical on every run.
 *
 * The first show, episode, audiobook and chapter carry pinned ids: the test
 * ids of the generated operation table (tools/gen/gen_ops.py, TEST_IDS), so
 * tests can name them without asking the emulator first.
 *
 * Chapters follow the specification: "type" is "episode" (ChapterObject's
 * only enum value); their uri is "spotify:chapter:ID".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "catalog_internal.h"
#include "core/alloc.h"

#define MEDIA_SHOWS 6
#define MEDIA_BOOKS 4
#define MEDIA_MAX_CHILDREN 10
#define MEDIA_SEED UINT64_C(0x70dca57b00c5)

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The first show, episode, audiobook and chapter (gen_ops.py TEST_IDS). */
static const char pinned_show[] = "5CfCWKI5pZ28U0uOzXkDHe";
static const char pinned_episode[] = "512ojhOuo1ktJprKbVcKyQ";
static const char pinned_book[] = "7iHfbu1YPACw6oZPAFJtqe";
static const char pinned_chapter[] = "0D5wENdkdwbqlrHoaJ9g29";

static const char *const topics[] = {"Science", "History", "Cooking", "Code",  "Travel",
                                     "Music",   "Design",  "Space",   "Money", "Language"};
static const char *const formats[] = {"Weekly",     "Daily",     "Late Night",
                                      "Unfiltered", "Deep Dive", "Field Notes"};
static const char *const people[] = {"Ada Lind",  "Ben Okafor",  "Clara Rossi", "Dev Sato",
                                     "Elin Holm", "Felix Varga", "Greta Dahl",  "Hugo Quinn"};
static const char *const markets[] = {"DE", "GB", "SE", "US"};

/* A show or an audiobook. */
typedef struct media_parent {
    char id[EMU_ID_LEN + 1];
    char name[80];
    const char *person; /* publisher / author */
    const char *narrator;
    bool explicit_content;
    size_t first, count; /* its children in media_gen.children[kind] */
    size_t index;        /* in the catalog */
} media_parent;

/* An episode or a chapter. */
typedef struct media_child {
    char id[EMU_ID_LEN + 1];
    char name[96];
    int number; /* 1-based within the parent */
    int duration_ms;
    int year, month, day;
    size_t parent;
    size_t index;
} media_child;

typedef struct media_gen {
    emu__gen_base base;
    media_parent parents[2][MEDIA_SHOWS > MEDIA_BOOKS ? MEDIA_SHOWS : MEDIA_BOOKS];
    size_t parent_count[2];
    media_child children[2][MEDIA_SHOWS * MEDIA_MAX_CHILDREN];
    size_t child_count[2];
} media_gen;

/* Index 0: shows and episodes; 1: audiobooks and chapters. */
enum { SHOWS = 0, BOOKS = 1 };

static int pick(media_gen *g, size_t n)
{
    return (int)(emu__gen_next(&g->base.state) % n);
}

static bool plan(media_gen *g, int kind)
{
    size_t parents = kind == SHOWS ? MEDIA_SHOWS : MEDIA_BOOKS;
    for (size_t i = 0; i < parents; i++) {
        media_parent *p = &g->parents[kind][i];
        const char *pin = i > 0 ? NULL : kind == SHOWS ? pinned_show : pinned_book;
        if (!emu__gen_id(&g->base, pin, p->id))
            return false;
        const char *topic = topics[pick(g, COUNT_OF(topics))];
        if (kind == SHOWS)
            snprintf(p->name, sizeof p->name, "%s %s", formats[pick(g, COUNT_OF(formats))], topic);
        else
            snprintf(p->name, sizeof p->name, "A Short Book of %s", topic);
        p->person = people[pick(g, COUNT_OF(people))];
        p->narrator = people[pick(g, COUNT_OF(people))];
        p->explicit_content = pick(g, 5) == 0;
        p->first = g->child_count[kind];
        p->count = (size_t)(3 + pick(g, MEDIA_MAX_CHILDREN - 2));
        for (size_t n = 0; n < p->count; n++) {
            media_child *c = &g->children[kind][g->child_count[kind]++];
            const char *cpin = i > 0 || n > 0  ? NULL
                               : kind == SHOWS ? pinned_episode
                                               : pinned_chapter;
            if (!emu__gen_id(&g->base, cpin, c->id))
                return false;
            c->number = (int)n + 1;
            if (kind == SHOWS)
                snprintf(c->name, sizeof c->name, "#%d: %s and %s", c->number,
                         topics[pick(g, COUNT_OF(topics))], topics[pick(g, COUNT_OF(topics))]);
            else
                snprintf(c->name, sizeof c->name, "Chapter %d", c->number);
            c->duration_ms = 600000 + pick(g, 3000000);
            c->year = 2015 + pick(g, 11);
            c->month = 1 + pick(g, 12);
            c->day = 1 + pick(g, 28);
            c->parent = i;
        }
    }
    g->parent_count[kind] = parents;
    return true;
}

static void write_string_array(spotify__json_writer *w, const char *const *items, size_t n)
{
    spotify__jw_begin_array(w);
    for (size_t i = 0; i < n; i++)
        spotify__jw_cstring(w, items[i]);
    spotify__jw_end_array(w);
}

/* description and html_description. */
static void write_descriptions(spotify__json_writer *w, const char *name)
{
    char text[192];
    snprintf(text, sizeof text, "%s, made up by spotify-emulator.", name);
    spotify__jw_key(w, "description");
    spotify__jw_cstring(w, text);
    snprintf(text, sizeof text, "<p>%s, made up by spotify-emulator.</p>", name);
    spotify__jw_key(w, "html_description");
    spotify__jw_cstring(w, text);
}

static void write_media_images(spotify__json_writer *w, const char *id)
{
    static const char *const prefixes[3] = {"ab6765630000ba8a", "ab67656300005f1f",
                                            "ab6765630000f68d"};
    static const int sizes[3] = {640, 300, 64};
    spotify__jw_key(w, "images");
    emu__gen_images(w, prefixes, sizes, id);
}

static void write_people(spotify__json_writer *w, const char *key, const char *name)
{
    spotify__jw_key(w, key);
    spotify__jw_begin_array(w);
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "name");
    spotify__jw_cstring(w, name);
    spotify__jw_end_object(w);
    spotify__jw_end_array(w);
}

static void write_child(media_gen *g, spotify__json_writer *w, int kind, const media_child *c,
                        bool full);

/* The full object's "episodes" / "chapters": one page holding every child. */
static void write_children_page(media_gen *g, spotify__json_writer *w, int kind,
                                const media_parent *p)
{
    char href[256];
    snprintf(href, sizeof href, "%s/%s/%s/%s?offset=0&limit=50", g->base.api,
             kind == SHOWS ? "shows" : "audiobooks", p->id,
             kind == SHOWS ? "episodes" : "chapters");
    spotify__jw_key(w, kind == SHOWS ? "episodes" : "chapters");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "href");
    spotify__jw_cstring(w, href);
    spotify__jw_key(w, "items");
    spotify__jw_begin_array(w);
    for (size_t i = 0; i < p->count; i++)
        write_child(g, w, kind, &g->children[kind][p->first + i], false);
    spotify__jw_end_array(w);
    spotify__jw_key(w, "limit");
    spotify__jw_int64(w, 50);
    spotify__jw_key(w, "next");
    spotify__jw_null(w);
    spotify__jw_key(w, "offset");
    spotify__jw_int64(w, 0);
    spotify__jw_key(w, "previous");
    spotify__jw_null(w);
    spotify__jw_key(w, "total");
    spotify__jw_int64(w, (int64_t)p->count);
    spotify__jw_end_object(w);
}

/* A show (ShowObject / SimplifiedShowObject) or an audiobook. */
static void write_parent(media_gen *g, spotify__json_writer *w, int kind, const media_parent *p,
                         bool full)
{
    static const char *const languages[] = {"en"};
    const char *type = kind == SHOWS ? "show" : "audiobook";
    char text[128];
    spotify__jw_begin_object(w);
    if (kind == BOOKS)
        write_people(w, "authors", p->person);
    spotify__jw_key(w, "available_markets");
    write_string_array(w, markets, COUNT_OF(markets));
    spotify__jw_key(w, "copyrights");
    spotify__jw_begin_array(w);
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "text");
    snprintf(text, sizeof text, "(C) %s", p->person);
    spotify__jw_cstring(w, text);
    spotify__jw_key(w, "type");
    spotify__jw_cstring(w, "C");
    spotify__jw_end_object(w);
    spotify__jw_end_array(w);
    write_descriptions(w, p->name);
    if (kind == BOOKS) {
        spotify__jw_key(w, "edition");
        spotify__jw_cstring(w, "Unabridged");
    }
    spotify__jw_key(w, "explicit");
    spotify__jw_bool(w, p->explicit_content);
    emu__gen_links(w, g->base.api, type, p->id);
    write_media_images(w, p->id);
    if (kind == SHOWS) {
        spotify__jw_key(w, "is_externally_hosted");
        spotify__jw_bool(w, false);
    }
    spotify__jw_key(w, "languages");
    write_string_array(w, languages, 1);
    spotify__jw_key(w, "media_type");
    spotify__jw_cstring(w, "audio");
    spotify__jw_key(w, "name");
    spotify__jw_cstring(w, p->name);
    if (kind == BOOKS)
        write_people(w, "narrators", p->narrator);
    spotify__jw_key(w, "publisher");
    spotify__jw_cstring(w, p->person);
    spotify__jw_key(w, kind == SHOWS ? "total_episodes" : "total_chapters");
    spotify__jw_int64(w, (int64_t)p->count);
    if (full)
        write_children_page(g, w, kind, p);
    emu__gen_type_uri(w, type, p->id);
    spotify__jw_end_object(w);
}

/* An episode (EpisodeObject / SimplifiedEpisodeObject) or a chapter. */
static void write_child(media_gen *g, spotify__json_writer *w, int kind, const media_child *c,
                        bool full)
{
    static const char *const languages[] = {"en"};
    char text[64];
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "audio_preview_url");
    spotify__jw_null(w);
    if (kind == BOOKS) {
        spotify__jw_key(w, "available_markets");
        write_string_array(w, markets, COUNT_OF(markets));
        spotify__jw_key(w, "chapter_number");
        spotify__jw_int64(w, c->number);
    }
    write_descriptions(w, c->name);
    spotify__jw_key(w, "duration_ms");
    spotify__jw_int64(w, c->duration_ms);
    spotify__jw_key(w, "explicit");
    spotify__jw_bool(w, g->parents[kind][c->parent].explicit_content);
    emu__gen_links(w, g->base.api, kind == SHOWS ? "episode" : "chapter", c->id);
    write_media_images(w, c->id);
    if (kind == SHOWS) {
        spotify__jw_key(w, "is_externally_hosted");
        spotify__jw_bool(w, false);
    }
    spotify__jw_key(w, "is_playable");
    spotify__jw_bool(w, true);
    if (kind == SHOWS) {
        spotify__jw_key(w, "language");
        spotify__jw_cstring(w, "en");
    }
    spotify__jw_key(w, "languages");
    write_string_array(w, languages, 1);
    spotify__jw_key(w, "name");
    spotify__jw_cstring(w, c->name);
    snprintf(text, sizeof text, "%04d-%02d-%02d", c->year, c->month, c->day);
    spotify__jw_key(w, "release_date");
    spotify__jw_cstring(w, text);
    spotify__jw_key(w, "release_date_precision");
    spotify__jw_cstring(w, "day");
    spotify__jw_key(w, "resume_point");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "fully_played");
    spotify__jw_bool(w, false);
    spotify__jw_key(w, "resume_position_ms");
    spotify__jw_int64(w, 0);
    spotify__jw_end_object(w);
    if (full) {
        spotify__jw_key(w, kind == SHOWS ? "show" : "audiobook");
        write_parent(g, w, kind, &g->parents[kind][c->parent], false);
    }
    if (kind == SHOWS) {
        emu__gen_type_uri(w, "episode", c->id);
    } else {
        spotify__jw_key(w, "type");
        spotify__jw_cstring(w, "episode");
        spotify__jw_key(w, "uri");
        snprintf(text, sizeof text, "spotify:chapter:%s", c->id);
        spotify__jw_cstring(w, text);
    }
    spotify__jw_end_object(w);
}

/* Renders one object in both forms and adds it; EMU_NONE on failure. */
static size_t add_one(media_gen *g, int kind, bool parent, size_t i, spotify__strbuf *bufs[2])
{
    for (int form = 0; form < 2; form++) {
        spotify__strbuf_reset(bufs[form]);
        spotify__json_writer w;
        spotify__jw_init(&w, bufs[form]);
        if (parent)
            write_parent(g, &w, kind, &g->parents[kind][i], form == 0);
        else
            write_child(g, &w, kind, &g->children[kind][i], form == 0);
        if (!spotify__jw_ok(&w))
            return EMU_NONE;
    }
    static const emu_kind kinds[2][2] = {{EMU_EPISODE, EMU_SHOW}, {EMU_CHAPTER, EMU_AUDIOBOOK}};
    const char *id = parent ? g->parents[kind][i].id : g->children[kind][i].id;
    return emu__catalog_add(g->base.cat, kinds[kind][parent], id, bufs[0], bufs[1], 50);
}

/* Adds every parent and child of `kind` and relates them. */
static bool add_kind(media_gen *g, int kind, spotify__strbuf *bufs[2])
{
    static const emu_kind parent_kind[2] = {EMU_SHOW, EMU_AUDIOBOOK};
    static const emu_kind child_kind[2] = {EMU_EPISODE, EMU_CHAPTER};
    for (size_t i = 0; i < g->parent_count[kind]; i++)
        if ((g->parents[kind][i].index = add_one(g, kind, true, i, bufs)) == EMU_NONE)
            return false;
    for (size_t i = 0; i < g->child_count[kind]; i++)
        if ((g->children[kind][i].index = add_one(g, kind, false, i, bufs)) == EMU_NONE)
            return false;
    for (size_t i = 0; i < g->parent_count[kind]; i++) {
        const media_parent *p = &g->parents[kind][i];
        size_t children[MEDIA_MAX_CHILDREN];
        for (size_t n = 0; n < p->count; n++)
            children[n] = g->children[kind][p->first + n].index;
        if (!emu__catalog_relate(g->base.cat, parent_kind[kind], p->index, EMU_NONE, children,
                                 p->count, NULL, 0))
            return false;
        for (size_t n = 0; n < p->count; n++)
            if (!emu__catalog_relate(g->base.cat, child_kind[kind], children[n], p->index, NULL, 0,
                                     NULL, 0))
                return false;
    }
    return true;
}

bool emu__catalog_generate_media(emu_catalog *catalog)
{
    media_gen *g = spotify__calloc(1, sizeof *g);
    if (g == NULL)
        return false;
    spotify__strbuf full = SPOTIFY__STRBUF_INIT;
    spotify__strbuf simple = SPOTIFY__STRBUF_INIT;
    spotify__strbuf *bufs[2] = {&full, &simple};
    bool ok = emu__gen_begin(&g->base, catalog, MEDIA_SEED) && plan(g, SHOWS) && plan(g, BOOKS) &&
              add_kind(g, SHOWS, bufs) && add_kind(g, BOOKS, bufs);
    spotify__strbuf_release(&full);
    spotify__strbuf_release(&simple);
    emu__gen_end(&g->base);
    spotify__free(g);
    return ok;
}
