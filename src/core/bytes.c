/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "core/bytes.h"

uint64_t
zx_bytes_size(const struct zx_bytes *b)
{
	return (uint64_t)b->len * b->repeat;
}

size_t
zx_bytes_view(const struct zx_bytes *b, uint64_t off, size_t max,
    uint8_t *scratch, size_t scratch_len, const uint8_t **out)
{
	uint64_t left = zx_bytes_size(b) - off;
	size_t n = left < max ? (size_t)left : max;
	size_t pos, done;

	if (b->repeat == 1) {
		*out = b->data + off;
		return n;
	}
	if (n > scratch_len)
		n = scratch_len;
	pos = (size_t)(off % b->len);
	/* One period, rotated to start at pos, then doubled: the filled part
	 * is always a whole number of periods, so copying it forward keeps
	 * the pattern in phase. */
	done = b->len < n ? b->len : n;
	for (size_t i = 0; i < done; i++)
		scratch[i] = b->data[(pos + i) % b->len];
	while (done < n) {
		size_t k = done < n - done ? done : n - done;

		memcpy(scratch + done, scratch, k);
		done += k;
	}
	*out = scratch;
	return n;
}
