/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json/json_parse.cpp - spotify__json_parse(): simdjson behind a C interface.
 *
 * This is the SDK's only C++ translation unit. It parses with a thread-local
 * simdjson DOM parser (error-code API only; nothing here throws, and a
 * catch-all keeps any exception from crossing into C) into a simdjson
 * document taken from a small pool. The caller's arena holds the document
 * until it is freed, then hands it back to the pool: the rest of the SDK
 * reads simdjson's tape and strings in place (json_read.c), with no copy.
 *
 * Error messages never quote the input: a body may carry secrets.
 */
/* Only simdjson's error-code API is visible here: the throwing overloads are
 * compiled out, so none can be used by mistake. */
#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include <pthread.h>

#include <cstdint>
#include <cstring>
#include <new>

extern "C" {
#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/error.h"
#include "json.h"
#include "json_doc.h"
}

namespace
{

static_assert(simdjson::SIMDJSON_PADDING <= SPOTIFY__JSON_PADDING,
              "SPOTIFY__JSON_PADDING must cover simdjson's padding");
static_assert(simdjson::internal::JSON_VALUE_MASK == SPOTIFY__JSON_TAPE_PAYLOAD_MASK,
              "tape payload layout changed");
static_assert(simdjson::internal::JSON_COUNT_MASK == SPOTIFY__JSON_COUNT_SATURATED,
              "tape count layout changed");
static_assert(sizeof(uint32_t) == 4, "string length prefix is 4 bytes");

/* json_read.c hard-codes the type characters: check them against simdjson. */
using tape_type = simdjson::internal::tape_type;
static_assert(char(tape_type::ROOT) == 'r' && char(tape_type::START_ARRAY) == '[' &&
                  char(tape_type::START_OBJECT) == '{' && char(tape_type::END_ARRAY) == ']' &&
                  char(tape_type::END_OBJECT) == '}' && char(tape_type::STRING) == '"' &&
                  char(tape_type::INT64) == 'l' && char(tape_type::UINT64) == 'u' &&
                  char(tape_type::DOUBLE) == 'd' && char(tape_type::TRUE_VALUE) == 't' &&
                  char(tape_type::FALSE_VALUE) == 'f' && char(tape_type::NULL_VALUE) == 'n',
              "tape type characters changed");

/* Documents above this size get the parser's buffers released after the
 * parse, so one huge response does not pin memory in a thread forever. */
constexpr size_t kRetainLimit = size_t(1) << 20;

/* simdjson does not count an empty innermost container as a level: with a
 * limit of N it accepts N - 1 nested non-empty containers, plus an empty one
 * inside them. A limit of MAX + 1 therefore lets every document of MAX levels
 * through, and at most one level too many (an empty [] or {} at MAX + 1),
 * which the tape scan below rejects. */
constexpr size_t kSimdjsonDepth = SPOTIFY__JSON_MAX_DEPTH + 1;

/* What the tape scan learns: the deepest nesting, and whether the tape is
 * well formed. */
struct tape_stats {
    size_t max_depth;
    bool ok;
};

/* The parser of the calling thread, allocated lazily with our depth limit. */
simdjson::dom::parser &thread_parser()
{
    thread_local simdjson::dom::parser parser;
    return parser;
}

spotify_status map_error(simdjson::error_code code, spotify_error *err)
{
    using simdjson::error_code;
    switch (code) {
    case error_code::MEMALLOC:
        return spotify__error_oom(err);
    case error_code::CAPACITY:
        return spotify__error_set(err, SPOTIFY_ENOMEM, 0, "JSON document too large to parse");
    case error_code::UTF8_ERROR:
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0, "malformed JSON: invalid UTF-8");
    case error_code::DEPTH_ERROR:
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0,
                                  "malformed JSON: nesting too deep (limit %d)",
                                  SPOTIFY__JSON_MAX_DEPTH);
    case error_code::NUMBER_ERROR:
    case error_code::NUMBER_OUT_OF_RANGE:
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0,
                                  "malformed JSON: invalid number or number out of range");
    case error_code::EMPTY:
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0, "malformed JSON: empty document");
    default:
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0,
                                  "malformed JSON: JSON syntax error (%s)",
                                  simdjson::error_message(code));
    }
}

/*
 * When every child of the container opened at tape[open] is a single word (a
 * string, true, false or null: a number takes two words, a container at
 * least two), the index of its closing word, else 0. Such a container nests
 * nothing, so the scan below steps over it: arrays of market codes are most
 * of an album's tape.
 */
size_t flat_container_close(const uint64_t *tape, size_t open, size_t last)
{
    uint64_t payload = spotify__json_tape_payload(tape[open]);
    size_t past = size_t(payload & UINT32_MAX); /* just past the closing word */
    uint64_t count = payload >> 32;
    bool object = spotify__json_tape_type(tape[open]) == '{';
    if (count >= SPOTIFY__JSON_COUNT_SATURATED || past <= open + 1 || past > last)
        return 0;
    size_t close = past - 1;
    if (close - open - 1 != (object ? 2 * count : count))
        return 0;
    uint64_t close_word = tape[close];
    if (spotify__json_tape_type(close_word) != (object ? '}' : ']') ||
        spotify__json_tape_payload(close_word) != open)
        return 0;
    return close;
}

/*
 * One pass over the tape: the deepest container nesting, and whether the
 * tape is well formed. It runs on every parse, so the per-word work is kept
 * small: containers of single words are stepped over.
 */
tape_stats scan_tape(const uint64_t *tape, size_t tape_len)
{
    tape_stats stats{0, true};
    size_t depth = 0;
    size_t max_depth = 0;
    size_t last = tape_len - 1;
    for (size_t i = 1; i < last; i++) {
        switch (spotify__json_tape_type(tape[i])) {
        case 'l':
        case 'u':
        case 'd':
            i++; /* the value word */
            break;
        case '{':
        case '[': {
            depth++;
            max_depth = depth > max_depth ? depth : max_depth;
            size_t close = flat_container_close(tape, i, last);
            if (close != 0) {
                depth--;
                i = close;
            }
            break;
        }
        case '}':
        case ']':
            stats.ok &= depth != 0;
            depth--;
            break;
        case '"':
        case 't':
        case 'f':
        case 'n':
            break;
        default:
            stats.ok = false;
            break;
        }
    }
    stats.max_depth = max_depth;
    stats.ok &= depth == 0;
    return stats;
}

/*
 * Parsed documents are lent to arenas and come back when the arena is
 * freed, so the next parse reuses their buffers (a document's tape is
 * allocated for the worst case, 8 bytes per input byte, and only the used
 * part is touched). The pool keeps enough for the results of an async
 * context with requests in flight, within a budget of input bytes (a
 * document touches at most about 10 bytes per input byte); documents sized
 * for inputs above kRetainLimit are not kept. Arenas may be freed on any
 * thread: a mutex guards the pool.
 */
constexpr size_t kPoolSlots = 32;
constexpr size_t kPoolBudget = size_t(4) << 20; /* the pooled documents' capacities, summed */

struct document_pool {
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    simdjson::dom::document *free[kPoolSlots] = {};
    size_t count = 0;
    size_t capacity = 0; /* the pooled documents' capacities, summed */
    bool closed = false; /* past static destruction: return means delete */

    ~document_pool()
    {
        pthread_mutex_lock(&lock);
        for (size_t i = 0; i < count; i++)
            delete free[i];
        count = 0;
        capacity = 0;
        closed = true;
        pthread_mutex_unlock(&lock);
    }
};

document_pool g_pool;

/* A document to parse into: a pooled one, or a new empty one (NULL on OOM). */
simdjson::dom::document *document_take()
{
    simdjson::dom::document *doc = nullptr;
    pthread_mutex_lock(&g_pool.lock);
    if (g_pool.count > 0) {
        doc = g_pool.free[--g_pool.count];
        g_pool.capacity -= doc->capacity();
    }
    pthread_mutex_unlock(&g_pool.lock);
    return doc != nullptr ? doc : new (std::nothrow) simdjson::dom::document();
}

/* Hands `doc` back to the pool, or deletes it. Also an arena cleanup. */
void document_return(void *ctx)
{
    auto *doc = static_cast<simdjson::dom::document *>(ctx);
    bool kept = false;
    size_t capacity = doc->capacity();
    if (capacity <= kRetainLimit) {
        pthread_mutex_lock(&g_pool.lock);
        if (!g_pool.closed && g_pool.count < kPoolSlots &&
            g_pool.capacity + capacity <= kPoolBudget) {
            g_pool.free[g_pool.count++] = doc;
            g_pool.capacity += capacity;
            kept = true;
        }
        pthread_mutex_unlock(&g_pool.lock);
    }
    if (!kept)
        delete doc;
}

/* Checks simdjson's document `sdoc` and lends it to `arena` behind a
 * spotify__json_doc header; on failure the caller still owns `sdoc`. */
spotify_status lend_document(simdjson::dom::document *sdoc, spotify__arena *arena,
                             const spotify__json_doc **out, spotify_error *err)
{
    const uint64_t *tape = sdoc->tape.get();
    const uint8_t *strings = sdoc->string_buf.get();
    if (tape == nullptr || spotify__json_tape_type(tape[0]) != 'r')
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0, "malformed JSON: empty document");
    /* tape[0]'s payload is the tape length: the index just past the final
     * root word (as document::dump_raw_tape reads it), not the final root
     * word's index. */
    size_t tape_len = size_t(spotify__json_tape_payload(tape[0]));
    if (tape_len < 3 || spotify__json_tape_type(tape[tape_len - 1]) != 'r')
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0, "malformed JSON: bad parser tape");
    tape_stats stats = scan_tape(tape, tape_len);
    if (!stats.ok)
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0, "malformed JSON: bad parser tape");
    if (stats.max_depth > SPOTIFY__JSON_MAX_DEPTH)
        return map_error(simdjson::error_code::DEPTH_ERROR, err);

    void *header = spotify__arena_alloc(arena, sizeof(spotify__json_doc));
    if (header == nullptr || !spotify__arena_on_free(arena, document_return, sdoc))
        return spotify__error_oom(err);
    *out = new (header) spotify__json_doc{tape, tape_len, strings};
    return SPOTIFY_OK;
}

spotify_status parse_checked(spotify__json *root_out, spotify__arena *arena, const char *data,
                             size_t len, size_t capacity, spotify_error *err)
{
    simdjson::dom::parser &parser = thread_parser();
    if (parser.max_depth() != kSimdjsonDepth) {
        size_t initial = len < 4096 ? 4096 : len;
        simdjson::error_code code = parser.allocate(initial, kSimdjsonDepth);
        if (code != simdjson::SUCCESS)
            return map_error(code, err);
    }
    simdjson::dom::document *sdoc = document_take();
    if (sdoc == nullptr)
        return spotify__error_oom(err);
    bool in_place = capacity - len >= SPOTIFY__JSON_PADDING;
    simdjson::dom::element root;
    simdjson::error_code code = parser.parse_into_document(*sdoc, data, len, !in_place).get(root);
    const spotify__json_doc *doc = nullptr;
    spotify_status status =
        code != simdjson::SUCCESS ? map_error(code, err) : lend_document(sdoc, arena, &doc, err);
    if (status == SPOTIFY_OK) {
        root_out->doc = doc;
        root_out->index = 1;
    } else {
        document_return(sdoc);
    }
    if (len > kRetainLimit)
        parser = simdjson::dom::parser();
    return status;
}

} // namespace

extern "C" spotify_status spotify__json_parse(spotify__json *root_out, spotify__arena *arena,
                                              const char *data, size_t len, size_t capacity,
                                              spotify_error *err)
{
    if (root_out == nullptr || arena == nullptr || (data == nullptr && len > 0) || capacity < len)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify__json_parse: bad argument");
    root_out->doc = nullptr;
    root_out->index = 0;
    if (data == nullptr) {
        data = "";
        capacity = 0;
    }
    try {
        return parse_checked(root_out, arena, data, len, capacity, err);
    } catch (...) {
        root_out->doc = nullptr;
        root_out->index = 0;
        return spotify__error_oom(err);
    }
}
