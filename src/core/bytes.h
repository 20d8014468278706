/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A byte source to write: a pattern repeated N times. Sizes are checked
 * before anything is made, so "--hex 00 --repeat 1T" never allocates 1 TiB;
 * writers walk it in views that point straight at the pattern when it is
 * not repeated. */
#ifndef ZX_BYTES_H
#define ZX_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct zx_bytes {
	const uint8_t *data;
	size_t len;        /* pattern length */
	uint64_t repeat;   /* >= 1 */
	/* Or the pattern is the len bytes of a file from file_off, which
	 * the targets layer reads (or copies by the kernel) piece by piece
	 * while writing: a large file is never held in memory. */
	bool in_file;
	int fd;
	uint64_t file_off;
};

/* Total length; the CLI guarantees len * repeat does not overflow. */
uint64_t zx_bytes_size(const struct zx_bytes *);

/* Bytes starting at logical offset off: returns how many (at most max,
 * at least 1 while off < size) and points *out either into the pattern or
 * into scratch, which must hold scratch_len >= 1 bytes. Not for in_file
 * patterns. */
size_t zx_bytes_view(const struct zx_bytes *, uint64_t off, size_t max,
    uint8_t *scratch, size_t scratch_len, const uint8_t **out);

#endif
