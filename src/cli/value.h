/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Values by DWARF type (SPEC §10): printed as gdb's print shows them,
 * written as nested JSON, and --value V parsed into the type's bytes. They
 * walk the neutral struct zx_type; the target is reached only through
 * core/procmem.h (pointer labels, the strings char pointers point at). */
#ifndef CLI_VALUE_H
#define CLI_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/json.h"
#include "core/aspace.h"
#include "core/status.h"
#include "core/ztype.h"

/* Where a value came from: the bitfield it is, and the target its pointers
 * point into (NULL: print pointers bare). */
struct value_src {
	uint32_t bit_offset, bit_size;
	struct zx_aspace *as;
};

/* gdb's print of buf (len bytes) as t, with the type in front of a
 * top-level pointer as gdb does: "(int *) 0x... <counter>". A part the
 * bytes do not hold (a member past them, by malformed DWARF) prints as
 * <unavailable>. */
void value_print(FILE *, const struct zx_type *, const uint8_t *buf,
    size_t len, const struct value_src *);
/* The same value as JSON, mirroring the type (null where unavailable). */
void value_json(struct jw *, const struct zx_type *, const uint8_t *buf,
    size_t len, const struct value_src *);

/* V parsed by t into a malloc'd buffer of t->size bytes: INVALID_ARGS for
 * a value of the wrong kind or out of the type's range, OUT_OF_RANGE for a
 * string longer than a char array, NOT_SUPPORTED for a bitfield. */
zx_status_t value_encode(const char *v, const char *name,
    const struct zx_type *t, uint32_t bit_size, uint8_t **out, size_t *len,
    struct zx_err *);

#endif
