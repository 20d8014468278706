/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "cli/json.h"

void
jw_init(struct jw *w, FILE *f)
{
	w->f = f;
	w->depth = 0;
	w->first[0] = true;
}

/* A comma before every value but the first at this level; after a key the
 * value follows directly. */
static void
sep(struct jw *w)
{
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
}

static void
open_(struct jw *w, int c)
{
	sep(w);
	fputc(c, w->f);
	if (w->depth < 15)
		w->depth++;
	w->first[w->depth] = true;
}

static void
close_(struct jw *w, int c)
{
	fputc(c, w->f);
	if (w->depth > 0)
		w->depth--;
}

void jw_start_object(struct jw *w) { open_(w, '{'); }
void jw_end_object(struct jw *w) { close_(w, '}'); }
void jw_start_array(struct jw *w) { open_(w, '['); }
void jw_end_array(struct jw *w) { close_(w, ']'); }

/* The length of the well-formed UTF-8 sequence at p (n bytes left), or 0:
 * no overlong forms, no surrogates, nothing past U+10FFFF (Unicode's
 * table 3-7, which is what JSON parsers check). */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	unsigned lo = 0x80, hi = 0xbf;
	size_t len;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* A JSON string. Bytes are not always text (paths, symbol names, messages
 * quoting them): well-formed UTF-8 passes as is, and every other byte of
 * 0x80 and above becomes U+FFFD, one for each byte, so the output always
 * parses. */
static void
put_string(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i];
		size_t len;

		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc((int)c, f);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c == '\r') {
			fputs("\\r", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else if (c < 0x80) {
			fputc((int)c, f);
		} else if ((len = utf8_len(p + i, n - i)) == 0) {
			fputs("\\ufffd", f);
		} else {
			fwrite(p + i, 1, len, f);
			i += len - 1;
		}
	}
	fputc('"', f);
}

void
jw_key(struct jw *w, const char *k)
{
	sep(w);
	put_string(w->f, k, strlen(k));
	fputc(':', w->f);
	w->first[w->depth] = true;   /* the value takes no comma */
}

void
jw_string_len(struct jw *w, const char *s, size_t n)
{
	sep(w);
	put_string(w->f, s, n);
}

void jw_string(struct jw *w, const char *s) { jw_string_len(w, s, strlen(s)); }

void
jw_u64(struct jw *w, uint64_t v)
{
	sep(w);
	fprintf(w->f, "%" PRIu64, v);
}

void
jw_i64(struct jw *w, int64_t v)
{
	sep(w);
	fprintf(w->f, "%" PRId64, v);
}

void
jw_double(struct jw *w, double v)
{
	sep(w);
	if (isfinite(v))
		fprintf(w->f, "%.17g", v);
	else
		fputs("null", w->f);
}

void
jw_null(struct jw *w)
{
	sep(w);
	fputs("null", w->f);
}

void
jw_bool(struct jw *w, bool v)
{
	sep(w);
	fputs(v ? "true" : "false", w->f);
}

void
jw_hex_run(struct jw *w, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char chunk[8192];
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		chunk[o++] = digits[b[i] >> 4];
		chunk[o++] = digits[b[i] & 15];
		if (o == sizeof(chunk)) {
			fwrite(chunk, 1, o, w->f);
			o = 0;
		}
	}
	fwrite(chunk, 1, o, w->f);
}

void
jw_raw(struct jw *w, const char *s, size_t n)
{
	sep(w);
	fwrite(s, 1, n, w->f);
}

void
jw_hex_bytes(struct jw *w, const uint8_t *b, size_t n)
{
	sep(w);
	fputc('"', w->f);
	jw_hex_run(w, b, n);
	fputc('"', w->f);
}

void jw_string_field(struct jw *w, const char *k, const char *v) { jw_key(w, k); jw_string(w, v); }
void jw_u64_field(struct jw *w, const char *k, uint64_t v) { jw_key(w, k); jw_u64(w, v); }
void jw_i64_field(struct jw *w, const char *k, int64_t v) { jw_key(w, k); jw_i64(w, v); }
void jw_bool_field(struct jw *w, const char *k, bool v) { jw_key(w, k); jw_bool(w, v); }

void
jw_addr_field(struct jw *w, const char *k, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	jw_string_field(w, k, buf);
}
