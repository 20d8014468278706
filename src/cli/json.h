/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A streaming JSON writer in bpftool's shape: the writer tracks commas and
 * nesting; every string is escaped (all bytes below 0x20, invalid UTF-8). */
#ifndef CLI_JSON_H
#define CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct jw {
	FILE *f;
	int depth;
	bool first[16];
};

void jw_init(struct jw *, FILE *);
void jw_start_object(struct jw *);
void jw_end_object(struct jw *);
void jw_start_array(struct jw *);
void jw_end_array(struct jw *);
void jw_key(struct jw *, const char *);
void jw_string(struct jw *, const char *);
void jw_string_len(struct jw *, const char *, size_t);
void jw_u64(struct jw *, uint64_t);
void jw_i64(struct jw *, int64_t);
void jw_double(struct jw *, double);
void jw_bool(struct jw *, bool);
void jw_null(struct jw *);
void jw_hex_bytes(struct jw *, const uint8_t *, size_t);
/* A value already in JSON form, written as is (after its comma). */
void jw_raw(struct jw *, const char *, size_t);
/* Bare lowercase hex digits, no quotes or comma (for --format hex). */
void jw_hex_run(struct jw *, const uint8_t *, size_t);

/* key + value in one call */
void jw_string_field(struct jw *, const char *, const char *);
void jw_u64_field(struct jw *, const char *, uint64_t);
void jw_i64_field(struct jw *, const char *, int64_t);
void jw_bool_field(struct jw *, const char *, bool);
void jw_addr_field(struct jw *, const char *, uint64_t);   /* "0x..." */

#endif
