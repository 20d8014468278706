/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/find.h"

bool
zx_mapping_named(const struct zx_mapping *m, const char *name)
{
	const char *base = strrchr(m->name, '/');
	size_t n = strlen(name);

	base = base != NULL ? base + 1 : m->name;
	if (n == 0)
		return false;
	if (strcmp(m->name, name) == 0 || strcmp(base, name) == 0)
		return true;
	return strncmp(base, name, n) == 0 && base[n] == '.';
}

bool
zx_find_wants(const struct zx_find_opts *o, const struct zx_mapping *m)
{
	if (m->perms[0] != 'r')
		return false;
	if (o->writable && m->perms[1] != 'w')
		return false;
	if (o->in != NULL)
		return zx_mapping_named(m, o->in);
	/* [vvar] and its kin refuse every read; the vDSO is the kernel's. */
	return !m->protected_;
}

zx_status_t
zx_find_begin(struct zx_aspace *as, const struct zx_find_opts *o,
    struct zx_err *err)
{
	zx_status_t st;

	if (o->len == 0)
		return zx_fail(err, ZX_ERR_INVALID_ARGS, "DATA is empty");
	if (o->len > ZX_FIND_MAX_PATTERN)
		return zx_fail(err, ZX_ERR_INVALID_ARGS, "DATA is %zu bytes, over "
		    "the 64 MiB limit (%u bytes)", o->len, ZX_FIND_MAX_PATTERN);
	if ((st = as->ops->lookup(as, err)) != ZX_OK)
		return st;
	if (!(as->rights & ZX_RIGHT_READ))
		return zx_fail(err, ZX_ERR_ACCESS_DENIED, "%s",
		    as->no_read[0] ? as->no_read : "no READ right on the target");
	return as->ops->state(as, err);
}

/* A read failed: is the target still there? Refreshes what lookup caches
 * (the mappings), so the caller keeps only addresses across it. */
static zx_status_t
still_there(struct zx_aspace *as, struct zx_err *err)
{
	zx_status_t st;

	if ((st = as->ops->lookup(as, err)) != ZX_OK)
		return st;
	return as->ops->state(as, err);
}

/* The pattern byte to look for first: one that is neither 0x00 nor 0xff
 * when there is one, since memory is mostly those. */
static size_t
anchor_of(const uint8_t *pat, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (pat[i] != 0x00 && pat[i] != 0xff)
			return i;
	return 0;
}

struct scan {
	const struct zx_find_opts *o;
	size_t anchor;
	zx_find_hit_fn hit;
	void *arg;
	struct zx_find_stats *stats;
	const struct zx_mapping *m;
};

/* Does opts->canceled stop the scan? Noted in the stats. */
static bool
canceled(const struct scan *s)
{
	if (s->o->canceled == NULL || !s->o->canceled())
		return false;
	s->stats->canceled = true;
	return true;
}

/* Matches that start in buf[0, total - len], buf[0] being at base.
 * Returns false when the scan is to stop. */
static bool
scan_buf(struct scan *s, const uint8_t *buf, size_t total, uint64_t base)
{
	const struct zx_find_opts *o = s->o;
	const uint8_t *p, *end;
	uint8_t c = o->pat[s->anchor];

	if (total < o->len)
		return true;
	p = buf + s->anchor;
	end = buf + (total - o->len) + s->anchor + 1;
	while (p < end) {
		const uint8_t *q = memchr(p, c, (size_t)(end - p));
		size_t at;

		if (q == NULL)
			break;
		at = (size_t)(q - buf) - s->anchor;
		p = q + 1;
		if ((base + at) % o->align != 0 ||
		    memcmp(buf + at, o->pat, o->len) != 0)
			continue;
		if (s->stats->hits == o->max) {
			s->stats->truncated = true;
			return false;
		}
		s->stats->hits++;
		if (!s->hit(s->arg, base + at, s->m) || canceled(s))
			return false;
	}
	return true;
}

/* One mapping, [from, to), in chunks read to dst; the last len - 1 bytes
 * of the data so far are kept just before dst, so a match across chunks is
 * found once, in one window. */
static zx_status_t
scan_mapping(struct zx_aspace *as, struct scan *s, uint64_t from, uint64_t to,
    uint8_t *dst, size_t chunk, bool *stop, struct zx_err *err)
{
	size_t carry = 0, keep = s->o->len - 1;
	uint64_t a = from;

	s->stats->mappings++;
	while (a < to) {
		size_t n = to - a < chunk ? (size_t)(to - a) : chunk;
		size_t got = 0, total, next;
		const uint8_t *win = dst - carry;
		zx_status_t st;
		struct zx_err rerr;

		if (canceled(s)) {
			*stop = true;
			return ZX_OK;
		}
		st = as->ops->read(as, s->m, a, dst, n, &got, &rerr);
		if (st != ZX_OK)
			got = 0;
		total = carry + got;
		s->stats->bytes += got;
		if (!scan_buf(s, win, total, a - carry)) {
			*stop = true;
			return ZX_OK;
		}
		if (got < n) {
			/* The kernel refused the rest (a file mapping past its
			 * end, device memory), or the target went away. */
			s->stats->refused++;
			return still_there(as, err);
		}
		a += got;
		next = total < keep ? total : keep;
		memmove(dst - next, win + total - next, next);
		carry = next;
	}
	return ZX_OK;
}

zx_status_t
zx_process_find(struct zx_aspace *as, const struct zx_find_opts *o,
    zx_find_hit_fn hit, void *arg, struct zx_find_stats *stats,
    struct zx_err *err)
{
	struct scan s = { .o = o, .hit = hit, .arg = arg, .stats = stats };
	size_t chunk = o->chunk ? o->chunk : ZX_FIND_CHUNK;
	/* The kernel copies /proc/PID/mem a page at a time: reads land on a
	 * page boundary (twice as fast), with room for the kept bytes before. */
	size_t lead = (o->len - 1 + ZX_FIND_ALIGN - 1) / ZX_FIND_ALIGN *
	    ZX_FIND_ALIGN;
	struct zx_mapping m;
	uint64_t a = o->lo;
	bool stop = false;
	zx_status_t st = ZX_OK;
	uint8_t *mem;

	memset(stats, 0, sizeof(*stats));
	if ((mem = aligned_alloc(ZX_FIND_ALIGN, lead + (chunk + ZX_FIND_ALIGN - 1) /
	    ZX_FIND_ALIGN * ZX_FIND_ALIGN)) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory for a %zu-byte "
		    "scan buffer", lead + chunk);
	s.anchor = anchor_of(o->pat, o->len);
	while (!stop && a < o->hi && as->ops->next(as, a, &m) == ZX_OK) {
		uint64_t from = m.start > a ? m.start : a;
		uint64_t to = m.backed_end < o->hi ? m.backed_end : o->hi;
		uint64_t end = m.end;

		if (from < to && zx_find_wants(o, &m)) {
			s.m = &m;
			if ((st = scan_mapping(as, &s, from, to, mem + lead, chunk,
			    &stop, err)) != ZX_OK)
				break;
		}
		a = end;
		if (a == 0)     /* the last mapping ends at 2^64 */
			break;
	}
	free(mem);
	return st;
}

zx_status_t
zx_find_check(struct zx_aspace *as, const struct zx_find_opts *o,
    uint64_t addr, uint8_t *buf, bool *match, struct zx_mapping *m,
    struct zx_err *err)
{
	struct zx_err ferr;
	size_t got = 0;
	zx_status_t st;

	*match = false;
	if (addr < o->lo || addr >= o->hi || addr % o->align != 0)
		return ZX_OK;
	if (as->ops->find(as, addr, m, &ferr) != ZX_OK || !zx_find_wants(o, m))
		return ZX_OK;
	if (addr > m->backed_end || m->backed_end - addr < o->len ||
	    (o->hi != UINT64_MAX && o->hi - addr < o->len))
		return ZX_OK;
	st = as->ops->read(as, m, addr, buf, o->len, &got, &ferr);
	if (st != ZX_OK || got < o->len)
		return still_there(as, err);
	*match = memcmp(buf, o->pat, o->len) == 0;
	return ZX_OK;
}
