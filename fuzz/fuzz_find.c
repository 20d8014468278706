/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for process-find's scan (src/core/find.c): a
 * differential check against a naive search. A fake address space of up
 * to four mappings (with gaps, permissions, a backed end and a point where
 * reads are refused) is scanned with small chunks, so patterns straddle
 * chunk boundaries; every hit must be the naive search's, in order, with
 * --max, --align, --writable, --in and a START-END range applied, and
 * zx_find_check must agree with it at each hit and just after it. The
 * scan runs again with opts.canceled saying yes at its Nth question (a
 * Ctrl-C, N from byte [0] and [1]): it must stop with stats.canceled and
 * the hits so far a prefix of the full scan's, or, asked fewer times, give
 * the full scan's hits without it; it is asked before every read and
 * after every hit, and never again once it has said yes.
 *
 * Input layout (missing bytes read as zero):
 *   [0] pattern length - 1 (mod 40)    [1] chunk - 1 (mod 32)
 *   [2] align - 1 (mod 8)              [3] max (0: 1000)
 *   [4] flags: 1 writable, 2 range, 4 --in "[m1]"
 *   [5] lo offset   [6] hi offset (range, from the first mapping)
 *   [7] mappings - 1 (mod 4)
 *   [8 + 4i ..] per mapping: size, gap, perms (1 r, 2 w), refuse point
 *   [24] where the pattern comes from: 0..127 the memory, else the input
 *   [25..] memory bytes, used cyclically (a default if none)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/find.h"

#define NMAP 4
#define HDR 25

struct fake {
	struct zx_aspace as;
	struct zx_mapping m[NMAP];
	uint8_t *mem[NMAP];
	size_t refuse[NMAP];     /* reads at or past this offset fail */
	size_t n;
};

static zx_status_t
f_lookup(struct zx_aspace *as, struct zx_err *err)
{
	(void)err;
	as->rights = ZX_RIGHT_READ;
	return ZX_OK;
}

static zx_status_t
f_state(struct zx_aspace *as, struct zx_err *err)
{
	(void)as;
	(void)err;
	return ZX_OK;
}

static int
index_of(const struct fake *f, uint64_t vaddr)
{
	for (size_t i = 0; i < f->n; i++)
		if (vaddr >= f->m[i].start && vaddr < f->m[i].end)
			return (int)i;
	return -1;
}

static zx_status_t
f_find(struct zx_aspace *as, uint64_t vaddr, struct zx_mapping *out,
    struct zx_err *err)
{
	struct fake *f = (struct fake *)as;
	int i = index_of(f, vaddr);

	if (i < 0)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "unmapped");
	*out = f->m[i];
	return ZX_OK;
}

static zx_status_t
f_next(struct zx_aspace *as, uint64_t vaddr, struct zx_mapping *out)
{
	struct fake *f = (struct fake *)as;

	for (size_t i = 0; i < f->n; i++)
		if (f->m[i].end > vaddr) {
			*out = f->m[i];
			return ZX_OK;
		}
	return ZX_ERR_NOT_FOUND;
}

static unsigned reads;          /* f_read calls */

static zx_status_t
f_read(struct zx_aspace *as, const struct zx_mapping *m, uint64_t vaddr,
    void *buf, size_t len, size_t *actual, struct zx_err *err)
{
	struct fake *f = (struct fake *)as;
	int i = index_of(f, vaddr);
	size_t off;

	reads++;
	*actual = 0;
	if (i < 0 || f->m[i].start != m->start || vaddr + len > m->backed_end) {
		fprintf(stderr, "read outside the mapping: %#llx + %zu\n",
		    (unsigned long long)vaddr, len);
		abort();
	}
	off = (size_t)(vaddr - m->start);
	if (off >= f->refuse[i])
		return zx_fail(err, ZX_ERR_BAD_STATE, "refused");
	*actual = len < f->refuse[i] - off ? len : f->refuse[i] - off;
	memcpy(buf, f->mem[i] + off, *actual);
	return ZX_OK;
}

static const struct zx_aspace_ops ops = {
	.lookup = f_lookup, .state = f_state, .find = f_find, .next = f_next,
	.read = f_read,
};

struct hits {
	uint64_t v[4096];
	size_t n;
};

static bool
collect(void *arg, uint64_t addr, const struct zx_mapping *m)
{
	struct hits *h = arg;

	if (addr < m->start || addr >= m->end) {
		fprintf(stderr, "hit %#llx outside its mapping\n",
		    (unsigned long long)addr);
		abort();
	}
	if (h->n < sizeof(h->v) / sizeof(h->v[0]))
		h->v[h->n++] = addr;
	return true;
}

/* opts.canceled: yes from the cancel_at-th question on. */
static unsigned cancel_at, asked;

static bool
cancel_now(void)
{
	return ++asked >= cancel_at;
}

static uint8_t
at(const uint8_t *d, size_t size, size_t i)
{
	return i < size ? d[i] : 0;
}

/* Every match, no --max: the reference. */
static void
naive(const struct fake *f, const struct zx_find_opts *o, struct hits *h)
{
	h->n = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct zx_mapping *m = &f->m[i];
		uint64_t from = m->start > o->lo ? m->start : o->lo;
		uint64_t to = m->backed_end < o->hi ? m->backed_end : o->hi;

		if (m->start + f->refuse[i] < to)
			to = m->start + f->refuse[i];
		if (!zx_find_wants(o, m))
			continue;
		for (uint64_t a = from; a + o->len <= to; a++)
			if (a % o->align == 0 && memcmp(f->mem[i] + (a - m->start),
			    o->pat, o->len) == 0 && h->n < 4096)
				h->v[h->n++] = a;
	}
}

static bool
in_set(const struct hits *h, uint64_t a)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i] == a)
			return true;
	return false;
}

static void
fail(const char *what, uint64_t a, const struct zx_find_opts *o)
{
	fprintf(stderr, "process-find: %s at %#llx (len %zu chunk %zu align "
	    "%llu max %llu)\n", what, (unsigned long long)a, o->len, o->chunk,
	    (unsigned long long)o->align, (unsigned long long)o->max);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	static const char *names[NMAP] = { "[m0]", "[m1]", "/lib/m2.so", "" };
	static const uint8_t dflt[] = { 0, 1, 0, 1, 2 };
	const uint8_t *src = size > HDR ? d + HDR : dflt;
	size_t srclen = size > HDR ? size - HDR : sizeof(dflt);
	struct fake f = { .as.ops = &ops };
	struct zx_find_opts o = { 0 };
	struct zx_find_stats st;
	struct zx_err err;
	struct hits *got = calloc(1, sizeof(*got)), *want = calloc(1,
	    sizeof(*want));
	uint8_t *pat, *buf;
	uint64_t addr = 0x10000;
	size_t k = 0;

	if (got == NULL || want == NULL)
		abort();
	o.len = at(d, size, 0) % 40 + 1;
	o.chunk = at(d, size, 1) % 32 + 1;
	o.align = at(d, size, 2) % 8 + 1;
	o.max = at(d, size, 3) ? at(d, size, 3) : 1000;
	o.writable = at(d, size, 4) & 1;
	o.lo = 0;
	o.hi = UINT64_MAX;
	if (at(d, size, 4) & 2) {
		o.lo = addr + at(d, size, 5);
		o.hi = o.lo + at(d, size, 6) + 1;
	}
	o.in = (at(d, size, 4) & 4) ? "[m1]" : NULL;
	f.n = at(d, size, 7) % NMAP + 1;
	for (size_t i = 0; i < f.n; i++) {
		size_t len = (size_t)at(d, size, 8 + 4 * i) + 1;
		uint8_t perms = at(d, size, 10 + 4 * i);

		addr += at(d, size, 9 + 4 * i) % 4 == 0 ? 0 : 0x100;
		f.m[i].start = addr;
		f.m[i].end = addr + len;
		f.m[i].backed_end = addr + len - (len > 4 ? perms >> 6 : 0);
		f.m[i].name = names[i];
		snprintf(f.m[i].perms, sizeof(f.m[i].perms), "%c%c-p",
		    (perms & 1) || !(perms & 4) ? 'r' : '-', perms & 2 ? 'w' : '-');
		f.refuse[i] = at(d, size, 11 + 4 * i) ?
		    at(d, size, 11 + 4 * i) : len;
		if ((f.mem[i] = malloc(len)) == NULL)
			abort();
		for (size_t j = 0; j < len; j++)
			f.mem[i][j] = src[k++ % srclen];
		addr = f.m[i].end;
	}
	/* The pattern: usually bytes of the memory, so it is found. */
	if ((pat = malloc(o.len)) == NULL ||
	    (buf = malloc(o.chunk + o.len - 1)) == NULL)
		abort();
	for (size_t j = 0; j < o.len; j++)
		pat[j] = at(d, size, 24) < 128 ?
		    src[(at(d, size, 24) + j) % srclen] : at(d, size, HDR + j);
	o.pat = pat;

	if (zx_find_begin(&f.as, &o, &err) != ZX_OK)
		fail("begin failed", 0, &o);
	if (zx_process_find(&f.as, &o, collect, got, &st, &err) != ZX_OK)
		fail("scan failed", 0, &o);
	naive(&f, &o, want);
	if (st.hits != got->n)
		fail("hit count differs from the callbacks", st.hits, &o);
	if (got->n != (want->n < o.max ? want->n : o.max))
		fail("number of hits differs from the naive search", got->n, &o);
	if (st.truncated != (want->n > o.max))
		fail("truncated is wrong", want->n, &o);
	for (size_t i = 0; i < got->n; i++)
		if (got->v[i] != want->v[i])
			fail("hit differs from the naive search", got->v[i], &o);
	if (st.canceled)
		fail("canceled with no canceled function", 0, &o);

	/* Stopped part way: a prefix of the same hits, and said so. */
	{
		struct zx_find_opts oc = o;
		struct zx_find_stats sc;
		struct hits *part = calloc(1, sizeof(*part));

		if (part == NULL)
			abort();
		oc.canceled = cancel_now;
		cancel_at = (unsigned)(at(d, size, 0) ^ at(d, size, 1)) % 16 + 1;
		asked = 0;
		reads = 0;
		if (zx_process_find(&f.as, &oc, collect, part, &sc, &err) != ZX_OK)
			fail("canceled scan failed", 0, &o);
		/* One question a read and a hit; one more when a question
		 * before a read said yes. */
		if (asked != reads + part->n && !(sc.canceled &&
		    asked == reads + part->n + 1))
			fail("canceled was not asked before each read and after "
			    "each hit", asked, &o);
		if (sc.canceled != (asked >= cancel_at))
			fail("stats.canceled disagrees with the answers", asked, &o);
		if (sc.canceled ? part->n > got->n : part->n != got->n)
			fail("canceled scan's hit count", part->n, &o);
		if (sc.canceled && asked != cancel_at)
			fail("asked again after the scan was canceled", asked, &o);
		for (size_t i = 0; i < part->n; i++)
			if (part->v[i] != got->v[i])
				fail("canceled scan's hit differs", part->v[i], &o);
		free(part);
	}
	for (size_t i = 0; i < want->n && i < 64; i++)
		for (uint64_t a = want->v[i]; a <= want->v[i] + 1; a++) {
			struct zx_mapping m;
			bool match;

			free(buf);
			if ((buf = malloc(o.len)) == NULL)
				abort();
			if (zx_find_check(&f.as, &o, a, buf, &match, &m, &err) !=
			    ZX_OK)
				fail("check failed", a, &o);
			if (match != in_set(want, a))
				fail("check disagrees with the naive search", a, &o);
		}
	for (size_t i = 0; i < f.n; i++)
		free(f.mem[i]);
	free(pat);
	free(buf);
	free(got);
	free(want);
	return 0;
}
