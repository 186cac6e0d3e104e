/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json/json_parse.cpp - spotify__json_parse(): simdjson behind a C interface.
 *
 * This is the SDK's only C++ translation unit. It parses with a thread-local
 * simdjson DOM parser (error-code API only; nothing here throws, and a
 * catch-all keeps any exception from crossing into C), then copies the used
 * part of simdjson's tape and string buffer into the caller's arena so that
 * the rest of the SDK reads plain C memory (json_read.c).
 *
 * Error messages never quote the input: a body may carry secrets.
 */
/* Only simdjson's error-code API is visible here: the throwing overloads are
 * compiled out, so none can be used by mistake. */
#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <new>

extern "C" {
#include "../core/alloc.h"
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
static_assert(alignof(spotify__json_doc) <= alignof(uint64_t),
              "the document header is placed right after the tape words");

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

/* What the tape scan learns: used string bytes and the deepest nesting. */
struct tape_stats {
    size_t strings_len;
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
 * One pass over the tape: the end of the used string buffer (just past the
 * string with the largest offset: its 4-byte length, bytes and NUL) and the
 * deepest container nesting. It runs on every parse, so the per-word work is
 * kept small: the string length is read once, at the end.
 */
tape_stats scan_tape(const uint64_t *tape, size_t tape_len, const uint8_t *strings)
{
    tape_stats stats{0, 0, true};
    size_t depth = 0;
    size_t max_depth = 0;
    uint64_t max_offset = 0;
    bool any_string = false;
    size_t last = tape_len - 1;
    for (size_t i = 1; i < last; i++) {
        uint64_t word = tape[i];
        switch (spotify__json_tape_type(word)) {
        case '"': {
            uint64_t offset = spotify__json_tape_payload(word);
            max_offset = offset > max_offset ? offset : max_offset;
            any_string = true;
            break;
        }
        case 'l':
        case 'u':
        case 'd':
            i++; /* the value word */
            break;
        case '{':
        case '[':
            depth++;
            max_depth = depth > max_depth ? depth : max_depth;
            break;
        case '}':
        case ']':
            stats.ok &= depth != 0;
            depth--;
            break;
        case 't':
        case 'f':
        case 'n':
            break;
        default:
            stats.ok = false;
            break;
        }
    }
    if (any_string) {
        uint32_t len;
        std::memcpy(&len, strings + max_offset, sizeof len);
        stats.strings_len = size_t(max_offset) + sizeof len + len + 1;
    }
    stats.max_depth = max_depth;
    stats.ok &= depth == 0;
    return stats;
}

/* Copies the used tape and strings of simdjson's document into `arena`. */
spotify_status copy_document(const simdjson::dom::document &sdoc, spotify__arena *arena,
                             const spotify__json_doc **out, spotify_error *err)
{
    const uint64_t *tape = sdoc.tape.get();
    const uint8_t *strings = sdoc.string_buf.get();
    if (tape == nullptr || spotify__json_tape_type(tape[0]) != 'r')
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0, "malformed JSON: empty document");
    /* tape[0]'s payload is the tape length: the index just past the final
     * root word (as document::dump_raw_tape reads it), not the final root
     * word's index. */
    size_t tape_len = size_t(spotify__json_tape_payload(tape[0]));
    if (tape_len < 3 || spotify__json_tape_type(tape[tape_len - 1]) != 'r')
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0, "malformed JSON: bad parser tape");
    tape_stats stats = scan_tape(tape, tape_len, strings);
    if (!stats.ok)
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0, "malformed JSON: bad parser tape");
    if (stats.max_depth > SPOTIFY__JSON_MAX_DEPTH)
        return map_error(simdjson::error_code::DEPTH_ERROR, err);

    /* One block: the tape (8-byte words first, for alignment), the document
     * header, then the strings. */
    size_t tape_bytes = 0;
    size_t total = 0;
    if (!spotify__size_mul(tape_len, sizeof(uint64_t), &tape_bytes) ||
        !spotify__size_add(tape_bytes, sizeof(spotify__json_doc), &total) ||
        !spotify__size_add(total, stats.strings_len, &total))
        return spotify__error_oom(err);
    auto *block = static_cast<unsigned char *>(spotify__arena_alloc(arena, total));
    if (block == nullptr)
        return spotify__error_oom(err);
    unsigned char *strings_copy = block + tape_bytes + sizeof(spotify__json_doc);
    std::memcpy(block, tape, tape_bytes);
    if (stats.strings_len > 0)
        std::memcpy(strings_copy, strings, stats.strings_len);
    *out = new (block + tape_bytes) spotify__json_doc{reinterpret_cast<const uint64_t *>(block),
                                                      tape_len, strings_copy, stats.strings_len};
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
    bool in_place = capacity - len >= SPOTIFY__JSON_PADDING;
    simdjson::dom::element root;
    simdjson::error_code code = parser.parse(data, len, !in_place).get(root);
    spotify_status status;
    if (code != simdjson::SUCCESS) {
        status = map_error(code, err);
    } else {
        const spotify__json_doc *doc = nullptr;
        status = copy_document(parser.doc, arena, &doc, err);
        if (status == SPOTIFY_OK) {
            root_out->doc = doc;
            root_out->index = 1;
        }
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
