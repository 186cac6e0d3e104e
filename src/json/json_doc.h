/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json/json_doc.h - the private layout of a parsed JSON document, shared by
 * json_parse.cpp (which builds it) and json_read.c / json_write.c (which walk
 * it). Nothing outside src/json/ should include this header; tests may, to
 * build synthetic tapes.
 *
 * The document is simdjson's "tape" (see simdjson's doc/tape.md), read in
 * place: the arena that owns this header holds simdjson's buffers until it
 * is freed (json_parse.cpp). The tape is an array of 64-bit words whose
 * top 8 bits hold a type character and whose low 56 bits hold a payload:
 *
 *   'r'      root; tape[0] and tape[tape_len - 1]. tape[0]'s payload is
 *            tape_len (the index just past the final root word), the final
 *            root word's payload is 0.
 *   '{' '['  payload bits 0..31: index just past the matching '}' / ']';
 *            bits 32..55: element (array) or member (object) count,
 *            saturated at SPOTIFY__JSON_COUNT_SATURATED.
 *   '}' ']'  payload: index of the opening word.
 *   '"'      payload: offset into `strings`, where a 4-byte native-endian
 *            length, the unescaped bytes and a NUL are stored.
 *   'l' 'u' 'd'  int64 / uint64 / double; the value is the NEXT tape word.
 *   't' 'f' 'n'  true / false / null; no payload.
 *
 * An object's members are laid out as key string word, value word(s).
 *
 * Handles (spotify__json) hold a tape index. Iterating an object yields
 * "member" handles: the index of the member's VALUE with
 * SPOTIFY__JSON_MEMBER_FLAG set, so that spotify__json_key() finds the key
 * just before it and spotify__json_next() knows it is walking an object.
 * Value functions ignore the flag, so a member handle reads as its value.
 *
 * Threads: a document is immutable once built and may be read concurrently.
 */
#ifndef SPOTIFY_JSON_DOC_H
#define SPOTIFY_JSON_DOC_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct spotify__json_doc {
    const uint64_t *tape;   /* tape_len words, held by the owning arena */
    size_t tape_len;        /* both root words included */
    const uint8_t *strings; /* held by the owning arena */
};

/* Marks a handle produced by iterating an object (see above). */
#define SPOTIFY__JSON_MEMBER_FLAG ((size_t)1 << (sizeof(size_t) * CHAR_BIT - 1))

/* Tape word layout (checked against simdjson's constants in json_parse.cpp). */
#define SPOTIFY__JSON_TAPE_TYPE_SHIFT 56
#define SPOTIFY__JSON_TAPE_PAYLOAD_MASK UINT64_C(0x00FFFFFFFFFFFFFF)
#define SPOTIFY__JSON_COUNT_SATURATED UINT32_C(0xFFFFFF)

/* The type character of a tape word. */
static inline char spotify__json_tape_type(uint64_t word)
{
    return (char)(word >> SPOTIFY__JSON_TAPE_TYPE_SHIFT);
}

/* The 56-bit payload of a tape word. */
static inline uint64_t spotify__json_tape_payload(uint64_t word)
{
    return word & SPOTIFY__JSON_TAPE_PAYLOAD_MASK;
}

/* The bytes of `strings` the document uses: up to just past its last string
 * (4-byte length, bytes, NUL; simdjson writes strings in document order).
 * Nothing in the SDK needs it; tests compare documents with it. */
static inline size_t spotify__json_doc_strings_used(const struct spotify__json_doc *doc)
{
    size_t used = 0;
    for (size_t i = 1; i + 1 < doc->tape_len; i++) {
        char type = spotify__json_tape_type(doc->tape[i]);
        if (type == 'l' || type == 'u' || type == 'd') {
            i++; /* the value word */
        } else if (type == '"') {
            uint64_t offset = spotify__json_tape_payload(doc->tape[i]);
            uint32_t len;
            memcpy(&len, doc->strings + offset, sizeof len);
            used = (size_t)offset + sizeof len + len + 1;
        }
    }
    return used;
}

#endif
