/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for zx_bytes_view (src/core/bytes.c): a differential
 * check that every byte of a view equals pattern[(off + i) % len].
 *
 * Input layout (missing bytes read as zero):
 *   [0]      pattern length selector
 *   [1..8]   repeat            (little endian, reduced so len * repeat fits)
 *   [9..16]  offset            (reduced modulo the total size)
 *   [17..24] max               (0 is taken as 1)
 *   [25..26] scratch length    (1 .. 65536)
 *   [27..]   pattern bytes     (at least one; a default byte if none)
 *
 * The pattern and the scratch buffer are malloc'd at exactly their size
 * so ASan catches any access outside them. Besides one view at the
 * offset, the harness walks up to WALK bytes (WALK_VIEWS views) from it
 * the way fd_write_bytes_at does, checking each view. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"

#define HDR 27
#define WALK (64u * 1024u)
#define WALK_VIEWS 1024

static uint64_t
le(const uint8_t *data, size_t size, size_t at, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		if (at + i < size)
			v |= (uint64_t)data[at + i] << (8 * i);
	return v;
}

static void
bad(const char *what, const struct zx_bytes *b, uint64_t off, size_t max,
    size_t scratch_len, size_t n, size_t i)
{
	fprintf(stderr, "zx_bytes_view: %s\n  len %zu repeat %llu off %llu max %zu "
	    "scratch_len %zu -> n %zu (at byte %zu)\n", what, b->len,
	    (unsigned long long)b->repeat, (unsigned long long)off, max,
	    scratch_len, n, i);
	abort();
}

/* One view at off, checked in full. Returns its length. */
static size_t
check_view(const struct zx_bytes *b, uint64_t off, size_t max,
    uint8_t *scratch, size_t scratch_len)
{
	const uint8_t *out = NULL;
	uint64_t total = zx_bytes_size(b), left = total - off;
	size_t n = zx_bytes_view(b, off, max, scratch, scratch_len, &out);

	if (n == 0)
		bad("returned 0 bytes before the end", b, off, max, scratch_len, n, 0);
	if (n > max)
		bad("returned more than max", b, off, max, scratch_len, n, 0);
	if (n > left)
		bad("returned more than is left", b, off, max, scratch_len, n, 0);
	if (out == scratch) {
		if (n > scratch_len)
			bad("overran scratch", b, off, max, scratch_len, n, 0);
	} else if (out < b->data || out + n > b->data + b->len) {
		bad("points outside the pattern and scratch", b, off, max,
		    scratch_len, n, 0);
	}
	for (size_t i = 0; i < n; i++)
		if (out[i] != b->data[(off + i) % b->len])
			bad("byte differs from pattern[(off + i) % len]", b, off, max,
			    scratch_len, n, i);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t avail = size > HDR ? size - HDR : 0, plen, scratch_len, max;
	uint64_t repeat, off, total, maxrep;
	uint8_t *pattern, *scratch;
	struct zx_bytes b;

	plen = avail == 0 ? 1 : 1 + (size > 0 ? data[0] : 0) % avail;
	if ((pattern = malloc(plen)) == NULL)
		return 0;
	if (avail == 0)
		pattern[0] = 0x5a;
	else
		memcpy(pattern, data + HDR, plen);

	/* The CLI guarantees len * repeat fits in 64 bits and repeat >= 1. */
	maxrep = UINT64_MAX / plen;
	repeat = le(data, size, 1, 8);
	repeat = repeat == 0 ? 1 : (repeat - 1) % maxrep + 1;
	total = (uint64_t)plen * repeat;
	off = le(data, size, 9, 8) % total;
	max = (size_t)le(data, size, 17, 8);
	if (max == 0)
		max = 1;
	scratch_len = (size_t)le(data, size, 25, 2) + 1;
	if ((scratch = malloc(scratch_len)) == NULL) {
		free(pattern);
		return 0;
	}

	b.data = pattern;
	b.len = plen;
	b.repeat = repeat;
	if (zx_bytes_size(&b) != total)
		bad("zx_bytes_size is not len * repeat", &b, off, max, scratch_len, 0, 0);

	check_view(&b, off, max, scratch, scratch_len);

	/* Walk on from off as the writers do: views of up to max bytes
	 * until the end or WALK bytes. */
	for (uint64_t pos = off, end = total - off > WALK ? off + WALK : total,
	    views = 0; pos < end && views < WALK_VIEWS; views++) {
		size_t want = end - pos < max ? (size_t)(end - pos) : max;

		pos += check_view(&b, pos, want, scratch, scratch_len);
	}

	free(scratch);
	free(pattern);
	return 0;
}
