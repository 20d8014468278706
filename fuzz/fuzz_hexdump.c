/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for parse_hexdump (src/cli/args.c), the reader of
 * --hexdump PATH: text that hexdump -C or --format hexdump printed, maybe
 * edited, back to bytes.
 *
 * Bit 0 of data[0] picks one of two properties:
 *
 *   0  any text: the rest of the input (NULs included, in a buffer of
 *      exactly its size) is parsed with a max picked by data[0] >> 1; the
 *      result (status, bytes, *more) must be what an independent reference
 *      parser written here from the grammar gets: lines cut at the first
 *      '|', blank-separated tokens, an offset of 1-16 hex digits then at
 *      most 16 pairs; "*" alone repeats the full line before it up to the
 *      next offset; every offset is the one the bytes before it reach
 *      (contiguous), never past 2^64; a lone offset ends the dump. A
 *      refusal leaves a reason. The same text fed to the incremental
 *      parser in pieces of 1 to 8 characters (a line cut anywhere, as
 *      reads from a pipe cut it) gives the same status, reason, bytes
 *      and *more.
 *   1  round trip: the rest of the input (after an 8-byte start offset)
 *      is dumped the way hexdump -C prints it, in variants picked by
 *      data[0] >> 1 (squeezed or not, CRLF, no ASCII column, upper-case
 *      hex, no end offset after a last data line, 16-digit offsets); parsing that dump with
 *      max = its size gives the bytes back exactly, and with a smaller
 *      max gives *more and a prefix of at most max bytes.
 * A disagreement calls abort(). */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"

/* Each is small enough that a "*" up to offset 2^64 stays cheap. */
static const uint64_t maxes[8] = { 0, 1, 15, 16, 17, 100, 4096, 65536 };

static void
fail_prop(const char *what, const uint8_t *in, size_t n)
{
	fprintf(stderr, "PROPERTY VIOLATED in parse_hexdump: %s\ninput: \"", what);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, isprint(in[i]) && in[i] != '"' && in[i] != '\\' ?
		    "%c" : "\\x%02x", in[i]);
	fprintf(stderr, "\"\n");
	abort();
}

#define CHECK(cond) do { \
	if (!(cond)) \
		fail_prop(#cond, in, n); \
} while (0)

static int
ref_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* What the reference makes, given max: bytes appended unit by unit (a
 * line's bytes, or one 16-byte repeat of a "*"); a unit that would pass
 * max stops everything with *more, before any later error is seen. */
struct ref {
	uint64_t max;
	uint8_t *buf;
	size_t len;
	bool more;
};

/* Append a unit of k bytes count times; false once *more is set. */
static bool
ref_units(struct ref *r, const uint8_t *b, size_t k, uint64_t count)
{
	for (uint64_t i = 0; i < count; i++) {
		if (r->len + k > r->max) {
			r->more = true;
			return false;
		}
		memcpy(r->buf + r->len, b, k);
		r->len += k;
	}
	return true;
}

/* 0 when the text parses (r->more possibly set), -1 when refused. */
static int
ref_parse(const char *text, size_t tlen, struct ref *r)
{
	const char *p = text, *end = text + tlen;
	bool started = false, star = false, ended = false;
	uint8_t prev[16];
	size_t nprev = 0;
	uint64_t expect = 0;

	while (p < end) {
		size_t linelen = (size_t)(end - p), ntok = 0, nbytes = 0;
		const char *nl = memchr(p, '\n', linelen);
		const char *tok[18];
		size_t toklen[18];
		uint8_t bytes[16];
		uint64_t off = 0;

		if (nl != NULL)
			linelen = (size_t)(nl - p);
		/* The |ASCII| column is not read. */
		for (size_t i = 0; i < linelen; i++)
			if (p[i] == '|') {
				linelen = i;
				break;
			}
		for (size_t i = 0; i < linelen;) {
			size_t j = i;

			if (blank(p[i])) {
				i++;
				continue;
			}
			while (j < linelen && !blank(p[j]))
				j++;
			if (ntok == 18)
				return -1;      /* more than offset + 16 pairs */
			tok[ntok] = p + i;
			toklen[ntok++] = j - i;
			i = j;
		}
		p = nl != NULL ? nl + 1 : end;
		if (ntok == 0)
			continue;
		if (ended)
			return -1;
		if (toklen[0] == 1 && tok[0][0] == '*') {
			if (ntok != 1 || nprev != 16)
				return -1;
			star = true;
			continue;
		}
		if (toklen[0] > 16)
			return -1;
		for (size_t i = 0; i < toklen[0]; i++) {
			int v = ref_hexval((unsigned char)tok[0][i]);

			if (v < 0)
				return -1;
			off = off * 16 + (uint64_t)v;
		}
		if (ntok > 17)
			return -1;
		for (size_t t = 1; t < ntok; t++) {
			if (toklen[t] != 2 || ref_hexval((unsigned char)tok[t][0]) < 0 ||
			    ref_hexval((unsigned char)tok[t][1]) < 0)
				return -1;
			bytes[nbytes++] = (uint8_t)(ref_hexval((unsigned char)tok[t][0]) * 16 +
			    ref_hexval((unsigned char)tok[t][1]));
		}
		if (!started) {
			started = true;
			expect = off;
		}
		if (star) {
			if (off < expect || (off - expect) % 16 != 0)
				return -1;
			if (!ref_units(r, prev, 16, (off - expect) / 16))
				return 0;
			expect = off;
			star = false;
		}
		if (off != expect)
			return -1;
		if (nbytes == 0) {
			ended = true;
			continue;
		}
		/* The last byte's offset, and the next, fit in 64 bits. */
		if (expect > UINT64_MAX - nbytes)
			return -1;
		if (!ref_units(r, bytes, nbytes, 1))
			return 0;
		memcpy(prev, bytes, nbytes);
		nprev = nbytes;
		expect += nbytes;
	}
	if (star || !started)
		return -1;
	return 0;
}

static int
piece_emit(void *arg, const uint8_t *b, size_t n)
{
	struct ref *r = arg;

	if (r->len + n > r->max)
		abort();
	memcpy(r->buf + r->len, b, n);
	r->len += n;
	return 0;
}

/* The text in pieces whose sizes come from the text itself. */
static int
parse_pieces(const char *text, size_t tlen, uint64_t max, struct ref *r,
    char *why)
{
	struct hexdump_parser hp;
	size_t at = 0;
	int rc = 0;

	hexdump_begin(&hp, max, piece_emit, r);
	while (at < tlen && rc == 0 && !hp.more) {
		size_t k = 1 + ((unsigned char)text[at] * 7u + at) % 8;

		if (k > tlen - at)
			k = tlen - at;
		rc = hexdump_feed(&hp, text + at, k, why);
		at += k;
	}
	if (rc == 0)
		rc = hexdump_finish(&hp, why);
	r->more = hp.more;
	hexdump_free(&hp);
	return rc;
}

/* Property 0: any text parses as the reference says, or is refused with
 * a reason. */
static void
any_text(const uint8_t *in, size_t n, uint64_t max)
{
	const char *text = (const char *)in + 1;
	size_t tlen = n - 1, len = (size_t)-1;
	char why[WHY_LEN] = "";
	struct ref r = { .max = max };
	uint8_t *out = (uint8_t *)"sentinel";
	bool more = true;
	int rc, want;

	if ((r.buf = malloc(max + 16)) == NULL)
		return;
	want = ref_parse(text, tlen, &r);
	rc = parse_hexdump(text, tlen, max, &out, &len, &more, why);
	CHECK(rc == 0 || rc == -1);
	CHECK(rc == want);
	if (rc == 0) {
		CHECK(more == r.more);
		CHECK(len <= max);
		CHECK(len == r.len);
		CHECK(len == 0 || out != NULL);
		CHECK(len == 0 || memcmp(out, r.buf, len) == 0);
	} else {
		CHECK(memchr(why, '\0', WHY_LEN) != NULL && why[0] != '\0');
	}
	{
		struct ref pr = { .max = max, .buf = malloc(max + 16) };
		char pwhy[WHY_LEN] = "";
		int prc;

		if (pr.buf != NULL) {
			prc = parse_pieces(text, tlen, max, &pr, pwhy);
			CHECK(prc == rc);
			CHECK(rc != 0 || (pr.more == more && pr.len == len &&
			    (len == 0 || memcmp(pr.buf, out, len) == 0)));
			CHECK(rc == 0 || strcmp(pwhy, why) == 0);
			free(pr.buf);
		}
	}
	if (rc == 0)
		free(out);
	free(r.buf);
}

static char *
put_hex(char *p, uint64_t v, int digits, const char *hexd)
{
	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		p[i] = hexd[v & 15];
	return p + digits;
}

/* The bytes b[0..len) from offset base, as hexdump -C prints them (flags
 * pick the variants); returns the text's length. */
static size_t
dump(char *t, uint64_t base, const uint8_t *b, size_t len, unsigned flags)
{
	const char *hexd = flags & 8 ? "0123456789ABCDEF" : "0123456789abcdef";
	const char *eol = flags & 2 ? "\r\n" : "\n";
	bool squeeze = !(flags & 1), squeezing = false;
	char *p = t;

	for (size_t o = 0; o < len; o += 16) {
		size_t k = len - o < 16 ? len - o : 16;
		uint64_t a = base + o;
		int digits = 8;

		if (squeeze && k == 16 && o >= 16 && memcmp(b + o, b + o - 16, 16) == 0) {
			if (!squeezing)
				p += sprintf(p, "*%s", eol);
			squeezing = true;
			continue;
		}
		squeezing = false;
		while (digits < 16 && ((flags & 32) || a >> (4 * digits) != 0))
			digits++;
		p = put_hex(p, a, digits, hexd);
		*p++ = ' ';
		for (size_t i = 0; i < 16; i++) {
			if (i == 8)
				*p++ = ' ';
			*p++ = ' ';
			if (i < k) {
				*p++ = hexd[b[o + i] >> 4];
				*p++ = hexd[b[o + i] & 15];
			} else {
				*p++ = ' ';
				*p++ = ' ';
			}
		}
		if (!(flags & 4)) {
			p += sprintf(p, "  |");
			for (size_t i = 0; i < k; i++)
				*p++ = b[o + i] >= 0x20 && b[o + i] < 0x7f ?
				    (char)b[o + i] : '.';
			*p++ = '|';
		}
		p += sprintf(p, "%s", eol);
	}
	/* hexdump always ends with it; a trailing "*" needs it. */
	if ((!(flags & 16) || squeezing) && len > 0) {
		uint64_t a = base + len;
		int digits = 8;

		while (digits < 16 && ((flags & 32) || a >> (4 * digits) != 0))
			digits++;
		p = put_hex(p, a, digits, hexd);
		p += sprintf(p, "%s", eol);
	}
	return (size_t)(p - t);
}

/* Property 1: dump, then parse, is the identity. */
static void
round_trip(const uint8_t *in, size_t n, unsigned flags)
{
	const uint8_t *b;
	size_t len, tlen, got = (size_t)-1;
	uint64_t base = 0;
	char why[WHY_LEN] = "", *text, *exact;
	uint8_t *out = NULL;
	bool more = true;
	int rc;

	if (n < 9)
		return;
	memcpy(&base, in + 1, 8);
	b = in + 9;
	len = n - 9;
	if (len == 0)
		return;
	/* The end offset base + len fits in 64 bits (in 16 hex digits). */
	if (base > UINT64_MAX - len)
		base = UINT64_MAX - len;
	/* At most 16 + 1 + 50 + 2 + 16 + 1 + 2 bytes a line, and the end. */
	if ((text = malloc((len / 16 + 2) * 88 + 20)) == NULL)
		return;
	tlen = dump(text, base, b, len, flags);
	/* In a buffer of exactly its size, as --hexdump reads a file. */
	if ((exact = malloc(tlen)) == NULL) {
		free(text);
		return;
	}
	memcpy(exact, text, tlen);
	free(text);
	rc = parse_hexdump(exact, tlen, len, &out, &got, &more, why);
	if (rc != 0)
		fprintf(stderr, "refused: %s\n", why);
	CHECK(rc == 0);
	CHECK(!more);
	CHECK(got == len && out != NULL && memcmp(out, b, len) == 0);
	free(out);
	/* One byte short: *more, and what was made is a prefix. */
	out = NULL;
	rc = parse_hexdump(exact, tlen, len - 1, &out, &got, &more, why);
	CHECK(rc == 0);
	CHECK(more);
	CHECK(got <= len - 1);
	CHECK(got == 0 || (out != NULL && memcmp(out, b, got) == 0));
	free(out);
	free(exact);
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t n)
{
	if (n < 1)
		return 0;
	if (in[0] & 1)
		round_trip(in, n, in[0] >> 1);
	else
		any_text(in, n, maxes[(in[0] >> 1) & 7]);
	return 0;
}
