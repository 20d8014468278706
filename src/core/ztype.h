/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A DWARF type as the rest of zxmem sees it: a small neutral description
 * (kind, name, size, members, elements, enumerators, pointee) that
 * expression evaluation, printing and --value parsing walk. src/targets/
 * builds it from libdw; nothing outside targets ever sees a Dwarf_Die. All
 * nodes and strings live in one arena (struct zx_types), freed at once, so
 * a recursive type (a list node pointing at its own kind) is just a cycle. */
#ifndef ZX_ZTYPE_H
#define ZX_ZTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum zx_tkind {
	ZX_T_INT,       /* integers and characters (is_char) */
	ZX_T_BOOL,
	ZX_T_FLOAT,
	ZX_T_ENUM,
	ZX_T_POINTER,
	ZX_T_STRUCT,
	ZX_T_UNION,
	ZX_T_ARRAY,
	ZX_T_FUNC,
	ZX_T_VOID,
	ZX_T_OTHER,
};

struct zx_type;

struct zx_member {
	const char *name;              /* "" for an anonymous struct/union */
	uint64_t offset;               /* bytes from the start of the aggregate */
	uint32_t bit_offset;           /* bitfields: LSB-numbered bits from offset */
	uint32_t bit_size;             /* 0: not a bitfield */
	const struct zx_type *type;
};

struct zx_enumerator {
	const char *name;
	int64_t value;
};

struct zx_type {
	enum zx_tkind kind;
	const char *name;              /* as C writes it: "uint8_t", "struct point" */
	uint64_t size;                 /* bytes */
	bool sized;                    /* false: void, functions, int d[] */
	bool is_signed;                /* INT, ENUM */
	bool is_char;                  /* INT with a character encoding */
	bool is_const;                 /* a const qualifier was peeled (noted) */
	/* STRUCT, UNION */
	const struct zx_member *members;
	size_t nmembers;
	/* ENUM */
	const struct zx_enumerator *enums;
	size_t nenums;
	/* ARRAY: count elements of elem (the remaining dimensions for int[2][3]) */
	const struct zx_type *elem;
	uint64_t count;
	bool count_known;              /* false for a flexible array member */
	/* POINTER: the pointee; NULL for void * */
	const struct zx_type *target;
};

/* The arena. */
struct zx_types {
	void **blocks;
	size_t n, cap;
};

/* Zeroed memory owned by the arena; NULL when out of memory. */
void *zx_types_alloc(struct zx_types *, size_t);
char *zx_types_strdup(struct zx_types *, const char *);
void zx_types_free(struct zx_types *);

/* Member by name; anonymous struct/union members are searched through, with
 * the offsets added up in *offset. NULL when there is none. */
const struct zx_member *zx_type_member(const struct zx_type *, const char *,
    uint64_t *offset);

/* Character types: a char array prints as a string, takes one as --value. */
bool zx_type_is_char_array(const struct zx_type *);

#endif
