/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parsers for the argument grammar of SPEC §2. Each returns 0, or -1 with
 * a message in why that names what is wrong (the caller names the
 * argument). They read untrusted text and are fuzzed (fuzz/). */
#ifndef CLI_ARGS_H
#define CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/procmem.h"

#define WHY_LEN 256

/* NUMBER: decimal, 0x hex, optional K M G T binary suffix, 64 bits. */
int parse_number(const char *, uint64_t *, char *why);

/* VADDR: NUMBER, or [*...][OBJECT!]SYMBOL, then .member ->member [N]
 * steps, then (+|-)NUMBER (SPEC §2, §10). The pieces are copied into the
 * zx_vaddr; text is not modified. */
int parse_vaddr(const char *text, struct zx_vaddr *, char *why);

/* C escapes of SPEC §2 into a malloc'd buffer. */
int parse_escapes(const char *, uint8_t **, size_t *, char *why);
/* Hex digit pairs; spaces and ':' ignored. */
int parse_hex(const char *, uint8_t **, size_t *, char *why);

/* The text hexdump -C (and --format hexdump) prints, back to bytes: each
 * line an offset, up to 16 hex pairs and an ignored |ASCII| column; "*"
 * repeats the line before up to the next offset; a last lone offset ends
 * it. Offsets must be contiguous. At most max bytes are made; *more is set
 * when the dump holds more than max (the parse stops there).
 *
 * Incrementally: begin, feed the text in pieces of any size (a line may
 * be cut anywhere), finish. Bytes go to emit as they are made, which
 * returns 0 or an errno. Lines are at most HEXDUMP_LINE_MAX characters. */
#define HEXDUMP_LINE_MAX 65536
struct hexdump_parser {
	uint64_t max, made, expect;
	int (*emit)(void *, const uint8_t *, size_t);
	void *arg;
	char *part;                 /* a line cut between two pieces */
	size_t npart, lineno, nprev;
	uint8_t prev[16];
	bool started, star, ended, more;
};
void hexdump_begin(struct hexdump_parser *, uint64_t max,
    int (*emit)(void *, const uint8_t *, size_t), void *arg);
int hexdump_feed(struct hexdump_parser *, const char *, size_t, char *why);
int hexdump_finish(struct hexdump_parser *, char *why);
void hexdump_free(struct hexdump_parser *);
/* All of text at once, into a malloc'd buffer. */
int parse_hexdump(const char *text, size_t len, uint64_t max, uint8_t **,
    size_t *, bool *more, char *why);

enum value_type { VT_U8, VT_U16, VT_U32, VT_U64, VT_I8, VT_I16, VT_I32,
    VT_I64, VT_F32, VT_F64, VT_COUNT };
extern const char *const value_type_names[VT_COUNT];
size_t value_type_size(enum value_type);
/* A comma list of values of one type, native byte order. */
int parse_values(const char *, enum value_type, uint8_t **, size_t *, char *why);

enum format { FMT_HEXDUMP, FMT_RAW, FMT_HEX, FMT_STRING, FMT_U8, FMT_U16,
    FMT_U32, FMT_U64, FMT_I8, FMT_I16, FMT_I32, FMT_I64, FMT_F32, FMT_F64,
    FMT_VALUE, FMT_X8, FMT_X16, FMT_X32, FMT_X64, FMT_CSTRING, FMT_COUNT };
extern const char *const format_names[FMT_COUNT];
int parse_format(const char *, enum format *);

#endif
