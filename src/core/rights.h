/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Handle rights (ZIRCON.md §13.2) and their names on the command line. */
#ifndef ZX_RIGHTS_H
#define ZX_RIGHTS_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t zx_rights_t;

#define ZX_RIGHT_NONE          0u
#define ZX_RIGHT_DUPLICATE     (1u << 0)
#define ZX_RIGHT_TRANSFER      (1u << 1)
#define ZX_RIGHT_READ          (1u << 2)
#define ZX_RIGHT_WRITE         (1u << 3)
#define ZX_RIGHT_EXECUTE       (1u << 4)
#define ZX_RIGHT_MAP           (1u << 5)
#define ZX_RIGHT_GET_PROPERTY  (1u << 6)
#define ZX_RIGHT_SET_PROPERTY  (1u << 7)
#define ZX_RIGHT_SIGNAL        (1u << 12)
#define ZX_RIGHT_WAIT          (1u << 14)
#define ZX_RIGHT_INSPECT       (1u << 15)
#define ZX_RIGHT_RESIZE        (1u << 22)
#define ZX_RIGHT_SAME_RIGHTS   (1u << 31)

#define ZX_RIGHTS_BASIC    (ZX_RIGHT_TRANSFER | ZX_RIGHT_DUPLICATE | \
                            ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT)
#define ZX_RIGHTS_IO       (ZX_RIGHT_READ | ZX_RIGHT_WRITE)
#define ZX_RIGHTS_PROPERTY (ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY)
#define ZX_DEFAULT_VMO_RIGHTS (ZX_RIGHTS_BASIC | ZX_RIGHTS_IO | \
                               ZX_RIGHTS_PROPERTY | ZX_RIGHT_MAP | ZX_RIGHT_SIGNAL)

/* The names accepted by --rights, in bit order. */
struct zx_right_name {
	const char *name;
	zx_rights_t bit;
};
extern const struct zx_right_name zx_right_names[];
extern const size_t zx_right_names_len;

/* zx_handle_duplicate/replace: the rights of the new handle. want is a
 * set of rights or ZX_RIGHT_SAME_RIGHTS; a duplicate may only drop rights
 * (0 on success, -1 when want adds one: ZX_ERR_INVALID_ARGS). */
int zx_rights_derive(zx_rights_t have, zx_rights_t want, zx_rights_t *out);

/* "read,write,..." for the set bits, into buf; returns buf. */
char *zx_rights_format(zx_rights_t, char *buf, size_t len);

/* Parse a comma list of right names, "same", "none", or a numeric mask
 * (decimal or 0x hex); 0 on success, -1 with the offending word copied
 * into bad. */
int zx_rights_parse(const char *, zx_rights_t *, char *bad, size_t badlen);

#endif
