/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the argument parsers of src/cli/args.c.
 *
 * data[0] picks the parser (and, for parse_values, the type); the rest,
 * up to its first NUL, is copied into a buffer of exactly strlen + 1 bytes
 * so that ASan sees any read past the terminator. Besides crashes, each
 * parser's result is checked against an independent reference written
 * here from the grammar of SPEC §2; a disagreement calls abort(). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"

enum { OP_NUMBER, OP_VADDR, OP_ESCAPES, OP_HEX, OP_VALUES, OP_FORMAT, OP_COUNT };

/* parse_number rejects strings of 40 bytes or more ("number too long")
 * before looking at them, so the reference only demands success below. */
#define NUMBER_MAX_LEN 39
/* parse_values rejects items of 64 bytes or more ("value too long"). */
#define ITEM_MAX_LEN 63

static void
fail_prop(const char *parser, const char *what, const char *input)
{
	fprintf(stderr, "PROPERTY VIOLATED in %s: %s\ninput: \"", parser, what);
	for (const unsigned char *p = (const unsigned char *)input; *p; p++)
		fprintf(stderr, isprint(*p) && *p != '"' && *p != '\\' ? "%c" :
		    "\\x%02x", *p);
	fprintf(stderr, "\"\n");
	abort();
}

#define CHECK(cond, parser, input) do { \
	if (!(cond)) \
		fail_prop(parser, #cond, input); \
} while (0)

/* why must be a NUL-terminated, non-empty message after a failure. */
static void
check_why(const char *why, const char *parser, const char *input)
{
	CHECK(memchr(why, '\0', WHY_LEN) != NULL, parser, input);
	CHECK(why[0] != '\0', parser, input);
}

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

/* ^(0[xX][0-9a-fA-F]+|[0-9]+)[KMGTkmgt]?$ with the value in 64 bits,
 * computed with explicit overflow checks. Returns false when the text does
 * not match the grammar or the value does not fit. */
static bool
ref_number(const char *s, uint64_t *out)
{
	const char *p = s;
	uint64_t v = 0, base = 10, mult = 1;
	size_t digits = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (;; p++, digits++) {
		int d = ref_hexval((unsigned char)*p);

		if (d < 0 || (base == 10 && d > 9))
			break;
		if (__builtin_mul_overflow(v, base, &v) ||
		    __builtin_add_overflow(v, (uint64_t)d, &v))
			return false;
	}
	if (digits == 0)
		return false;
	/* SPEC §2: "00000010" is ambiguous, not decimal. */
	if (base == 10 && digits >= 2 && s[0] == '0')
		return false;
	switch (*p) {
	case '\0': break;
	case 'K': case 'k': mult = (uint64_t)1 << 10; p++; break;
	case 'M': case 'm': mult = (uint64_t)1 << 20; p++; break;
	case 'G': case 'g': mult = (uint64_t)1 << 30; p++; break;
	case 'T': case 't': mult = (uint64_t)1 << 40; p++; break;
	default: return false;
	}
	if (*p != '\0')
		return false;
	if (__builtin_mul_overflow(v, mult, &v))
		return false;
	*out = v;
	return true;
}

static void
fuzz_number(const char *s)
{
	char why[WHY_LEN] = "";
	uint64_t got = 0xdeadbeefcafef00dull, want = 0;
	bool ref_ok = ref_number(s, &want);
	int rc = parse_number(s, &got, why);

	CHECK(rc == 0 || rc == -1, "parse_number", s);
	if (rc == 0) {
		CHECK(ref_ok, "parse_number", s);      /* grammar + fits */
		CHECK(got == want, "parse_number", s);
	} else {
		check_why(why, "parse_number", s);
		if (strlen(s) <= NUMBER_MAX_LEN)
			CHECK(!ref_ok, "parse_number", s);
	}
}

/* Is p inside [base, base + n)? */
static bool
within(const char *p, const char *base, size_t n)
{
	return (uintptr_t)p >= (uintptr_t)base && (uintptr_t)p < (uintptr_t)base + n;
}

/* A NUL-terminated string inside va's own buffer. */
static bool
in_buf(const struct zx_vaddr *va, const char *p)
{
	return p != NULL && within(p, va->buf, sizeof(va->buf)) &&
	    memchr(p, '\0', sizeof(va->buf) - (size_t)(p - va->buf)) != NULL;
}

/* A NUMBER of the grammar at *pp ending where stop says; moves *pp past it. */
static bool
ref_number_until(const char **pp, const char *stop, uint64_t *out)
{
	size_t n = strcspn(*pp, stop);
	char buf[NUMBER_MAX_LEN + 1];

	if (n == 0 || n > NUMBER_MAX_LEN)
		return false;
	memcpy(buf, *pp, n);
	buf[n] = '\0';
	*pp += n;
	return ref_number(buf, out);
}

/* A rejection must not hit the plain form of SPEC §2 that every version
 * of the grammar takes: [OBJECT!]SYMBOL[(+|-)NUMBER] with OBJECT of
 * letters, digits, '_' and '.' starting with a letter or '_' (libc.so.6),
 * SYMBOL a C identifier, and NUMBER valid and within 64 bits; shorter
 * than the parser's limit. */
static bool
ref_simple_vaddr(const char *s)
{
	const char *p = s, *bang = strchr(s, '!');
	uint64_t d;

	/* parse_vaddr refuses longer text ("expression too long"). */
	if (strlen(s) >= sizeof(((struct zx_vaddr *)0)->buf) / 2)
		return false;
	if (bang != NULL) {
		if (!isalpha((unsigned char)*p) && *p != '_')
			return false;
		for (; p < bang; p++)
			if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
				return false;
		p = bang + 1;
	}
	if (!isalpha((unsigned char)*p) && *p != '_')
		return false;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (*p == '\0')
		return true;
	if (*p != '+' && *p != '-')
		return false;
	p++;
	return strlen(p) <= NUMBER_MAX_LEN && ref_number(p, &d);
}

static void
fuzz_vaddr(const char *s)
{
	size_t n = strlen(s);
	char *text = malloc(n + 1);
	char why[WHY_LEN] = "";
	struct zx_vaddr *va = malloc(sizeof(*va));
	const char *p;
	size_t len, stars = 0, derefs = 0;
	int rc;

	if (text == NULL || va == NULL) {
		free(text);
		free(va);
		return;
	}
	memcpy(text, s, n + 1);
	memset(va, 0xa5, sizeof(*va));
	rc = parse_vaddr(text, va, why);
	CHECK(rc == 0 || rc == -1, "parse_vaddr", s);
	CHECK(strcmp(text, s) == 0, "parse_vaddr", s);      /* left as it was */
	if (isdigit((unsigned char)s[0])) {
		/* A plain NUMBER, exactly as parse_number takes it. */
		uint64_t want = 0;
		bool ref_ok = ref_number(s, &want);

		if (rc == 0) {
			CHECK(ref_ok && va->addr == want, "parse_vaddr", s);
			CHECK(va->symbol == NULL && va->object == NULL, "parse_vaddr", s);
			CHECK(va->delta == 0 && !va->negative, "parse_vaddr", s);
			CHECK(va->nsteps == 0, "parse_vaddr", s);
		} else {
			check_why(why, "parse_vaddr", s);
			if (n <= NUMBER_MAX_LEN)
				CHECK(!ref_ok, "parse_vaddr", s);
		}
		goto out;
	}
	if (rc != 0) {
		check_why(why, "parse_vaddr", s);
		CHECK(!ref_simple_vaddr(s), "parse_vaddr", s);
		goto out;
	}
	/* [*...][OBJECT!][*...]SYMBOL{.m|->m|[N]}[(+|-)NUMBER]: walk the text
	 * and check each piece the parser reported against it. */
	CHECK(va->addr == 0 && va->nsteps <= ZX_MAX_STEPS, "parse_vaddr", s);
	p = s;
	while (*p == '*')
		p++, stars++;
	if (va->object != NULL) {
		CHECK(in_buf(va, va->object), "parse_vaddr", s);
		len = strlen(va->object);
		CHECK(len > 0 && memchr(va->object, '!', len) == NULL, "parse_vaddr", s);
		CHECK(strncmp(p, va->object, len) == 0 && p[len] == '!',
		    "parse_vaddr", s);
		p += len + 1;
		while (*p == '*')
			p++, stars++;
	} else {
		CHECK(strchr(s, '!') == NULL, "parse_vaddr", s);
	}
	CHECK(in_buf(va, va->symbol), "parse_vaddr", s);
	len = strlen(va->symbol);
	CHECK(len > 0, "parse_vaddr", s);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)va->symbol[i];

		CHECK(!isspace(c) && strchr("[]+-*!", c) == NULL, "parse_vaddr", s);
		CHECK(c != '.' || isdigit((unsigned char)va->symbol[i + 1]),
		    "parse_vaddr", s);
	}
	CHECK(strncmp(p, va->symbol, len) == 0, "parse_vaddr", s);
	p += len;
	for (size_t i = 0; i < va->nsteps; i++) {
		const struct zx_step *st = &va->steps[i];
		uint64_t want;

		switch (st->op) {
		case ZX_STEP_FIELD:
		case ZX_STEP_ARROW:
			CHECK(derefs == 0, "parse_vaddr", s);
			if (st->op == ZX_STEP_FIELD) {
				CHECK(*p == '.', "parse_vaddr", s);
				p++;
			} else {
				CHECK(p[0] == '-' && p[1] == '>', "parse_vaddr", s);
				p += 2;
			}
			CHECK(in_buf(va, st->name), "parse_vaddr", s);
			len = strlen(st->name);
			CHECK(len > 0 && (isalpha((unsigned char)st->name[0]) ||
			    st->name[0] == '_'), "parse_vaddr", s);
			for (size_t k = 0; k < len; k++)
				CHECK(isalnum((unsigned char)st->name[k]) ||
				    st->name[k] == '_', "parse_vaddr", s);
			CHECK(strncmp(p, st->name, len) == 0, "parse_vaddr", s);
			p += len;
			break;
		case ZX_STEP_INDEX:
			CHECK(derefs == 0 && *p == '[', "parse_vaddr", s);
			p++;
			CHECK(ref_number_until(&p, "]", &want) && want == st->index,
			    "parse_vaddr", s);
			CHECK(*p == ']', "parse_vaddr", s);
			p++;
			break;
		case ZX_STEP_DEREF:
			derefs++;
			break;
		default:
			CHECK(!"a step of no known kind", "parse_vaddr", s);
		}
	}
	CHECK(derefs == stars, "parse_vaddr", s);
	/* expr is the text up to here. */
	CHECK(in_buf(va, va->expr) && strlen(va->expr) == (size_t)(p - s) &&
	    strncmp(va->expr, s, (size_t)(p - s)) == 0, "parse_vaddr", s);
	if (*p == '\0') {
		CHECK(va->delta == 0 && !va->negative, "parse_vaddr", s);
	} else {
		uint64_t want = 0;

		CHECK(*p == '+' || *p == '-', "parse_vaddr", s);
		CHECK(va->negative == (*p == '-'), "parse_vaddr", s);
		p++;
		CHECK(ref_number_until(&p, "", &want) && va->delta == want,
		    "parse_vaddr", s);
	}
out:
	free(va);
	free(text);
}

/* SPEC §2 escapes: \n \t \r \\ \" \xH[H] \o[o[o]] (<= 0377). */
static bool
ref_escapes(const char *s, uint8_t *out, size_t *lenp)
{
	size_t o = 0;

	for (const char *p = s; *p;) {
		if (*p != '\\') {
			out[o++] = (uint8_t)*p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'n': out[o++] = '\n'; p++; break;
		case 't': out[o++] = '\t'; p++; break;
		case 'r': out[o++] = '\r'; p++; break;
		case '\\': out[o++] = '\\'; p++; break;
		case '"': out[o++] = '"'; p++; break;
		case 'x': {
			int v = 0, k = 0;

			p++;
			while (k < 2 && ref_hexval((unsigned char)*p) >= 0)
				v = v * 16 + ref_hexval((unsigned char)*p++), k++;
			if (k == 0)
				return false;
			out[o++] = (uint8_t)v;
			break;
		}
		default:
			if (*p >= '0' && *p <= '7') {
				int v = 0, k = 0;

				while (k < 3 && *p >= '0' && *p <= '7')
					v = v * 8 + (*p++ - '0'), k++;
				if (v > 0377)
					return false;
				out[o++] = (uint8_t)v;
				break;
			}
			return false;
		}
	}
	*lenp = o;
	return true;
}

static void
fuzz_escapes(const char *s)
{
	size_t n = strlen(s), len = (size_t)-1, rlen = 0;
	uint8_t *out = NULL, *ref = malloc(n + 1);
	char why[WHY_LEN] = "";
	bool ref_ok;
	int rc;

	if (ref == NULL)
		return;
	ref_ok = ref_escapes(s, ref, &rlen);
	rc = parse_escapes(s, &out, &len, why);
	CHECK(rc == 0 || rc == -1, "parse_escapes", s);
	if (rc == 0) {
		CHECK(out != NULL, "parse_escapes", s);
		CHECK(len <= n, "parse_escapes", s);
		CHECK(ref_ok && len == rlen && memcmp(out, ref, len) == 0,
		    "parse_escapes", s);
		free(out);
	} else {
		check_why(why, "parse_escapes", s);
		CHECK(!ref_ok, "parse_escapes", s);
	}
	free(ref);
}

static void
fuzz_hex(const char *s)
{
	size_t n = strlen(s), len = (size_t)-1, digits = 0, o = 0;
	uint8_t *out = NULL, *ref = malloc(n / 2 + 1);
	char why[WHY_LEN] = "";
	bool ref_ok = true;
	int hi = -1, rc;

	if (ref == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		int v = ref_hexval((unsigned char)s[i]);

		if (s[i] == ' ' || s[i] == ':' || s[i] == '\t' || s[i] == '\n')
			continue;
		if (v < 0) {
			ref_ok = false;
			break;
		}
		digits++;
		if (hi < 0) {
			hi = v;
		} else {
			ref[o++] = (uint8_t)(hi * 16 + v);
			hi = -1;
		}
	}
	if (digits % 2 != 0)
		ref_ok = false;
	rc = parse_hex(s, &out, &len, why);
	CHECK(rc == 0 || rc == -1, "parse_hex", s);
	if (rc == 0) {
		CHECK(out != NULL, "parse_hex", s);
		CHECK(ref_ok && len == digits / 2, "parse_hex", s);
		CHECK(memcmp(out, ref, len) == 0, "parse_hex", s);
		free(out);
	} else {
		check_why(why, "parse_hex", s);
		CHECK(!ref_ok, "parse_hex", s);
	}
	free(ref);

	/* The same text as hexdump -C output (--hexdump): never more than
	 * max bytes, *more when it would be, a reason when refused. */
	bool more;
	uint64_t max = n % 97;

	out = NULL;
	rc = parse_hexdump(s, n, max, &out, &len, &more, why);
	CHECK(rc == 0 || rc == -1, "parse_hexdump", s);
	if (rc == 0) {
		CHECK(len <= max, "parse_hexdump", s);
		CHECK(len == 0 || out != NULL, "parse_hexdump", s);
		free(out);
	} else {
		check_why(why, "parse_hexdump", s);
	}
}

static bool
is_int_type(enum value_type t)
{
	return t != VT_F32 && t != VT_F64;
}

/* One integer item of type t, or false. Host byte order into dst. */
static bool
ref_int_item(const char *item, size_t n, enum value_type t, uint8_t *dst)
{
	static const unsigned bits[VT_COUNT] = { 8, 16, 32, 64, 8, 16, 32, 64 };
	bool sgn = t >= VT_I8, neg = false;
	char buf[ITEM_MAX_LEN + 1];
	const char *num = buf;
	uint64_t u, v;

	if (n == 0 || n > ITEM_MAX_LEN)
		return false;
	memcpy(buf, item, n);
	buf[n] = '\0';
	if (sgn && buf[0] == '-') {
		neg = true;
		num++;
	}
	if (strlen(num) > NUMBER_MAX_LEN || !ref_number(num, &u))
		return false;
	if (!sgn) {
		if (bits[t] < 64 && u >> bits[t] != 0)
			return false;
		v = u;
	} else {
		uint64_t lim = (uint64_t)1 << (bits[t] - 1);

		if (neg ? u > lim : u >= lim)
			return false;
		v = neg ? (uint64_t)0 - u : u;
	}
	switch (bits[t]) {
	case 8: { uint8_t x = (uint8_t)v; memcpy(dst, &x, 1); break; }
	case 16: { uint16_t x = (uint16_t)v; memcpy(dst, &x, 2); break; }
	case 32: { uint32_t x = (uint32_t)v; memcpy(dst, &x, 4); break; }
	default: memcpy(dst, &v, 8); break;
	}
	return true;
}

/* One f32 or f64 item, or false: the whole item in C's floating-point
 * syntax (strtod's: decimal, hex, inf, nan), no leading blank, and finite
 * unless written as infinity. An f32 is rounded once, from the text
 * (strtof), never through a double. Host byte order into dst. */
static bool
ref_float_item(const char *item, size_t n, enum value_type t, uint8_t *dst)
{
	char buf[ITEM_MAX_LEN + 1], *end;

	if (n == 0 || n > ITEM_MAX_LEN || isspace((unsigned char)item[0]))
		return false;
	memcpy(buf, item, n);
	buf[n] = '\0';
	errno = 0;
	if (t == VT_F32) {
		float f = strtof(buf, &end);

		if (end == buf || *end != '\0' || (errno == ERANGE && isinf(f)))
			return false;
		memcpy(dst, &f, 4);
	} else {
		double d = strtod(buf, &end);

		if (end == buf || *end != '\0' || (errno == ERANGE && isinf(d)))
			return false;
		memcpy(dst, &d, 8);
	}
	return true;
}

/* Equal as values of type t: NaNs are equal whatever their payload. */
static bool
same_float(const uint8_t *a, const uint8_t *b, enum value_type t)
{
	if (t == VT_F32) {
		float x, y;

		memcpy(&x, a, 4);
		memcpy(&y, b, 4);
		return isnan(x) ? isnan(y) : memcmp(a, b, 4) == 0;
	}
	double x, y;

	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return isnan(x) ? isnan(y) : memcmp(a, b, 8) == 0;
}

static void
fuzz_values(const char *s, enum value_type t)
{
	size_t n = strlen(s), size = value_type_size(t), items = 1, len = (size_t)-1;
	uint8_t *out = NULL, *ref = NULL;
	char why[WHY_LEN] = "";
	bool ref_ok = true;
	int rc;

	CHECK(size == 1 || size == 2 || size == 4 || size == 8, "value_type_size", s);
	for (size_t i = 0; i < n; i++)
		items += s[i] == ',';
	{
		const char *p = s;

		if ((ref = malloc(items * size)) == NULL)
			return;
		for (size_t k = 0; k < items; k++) {
			size_t m = strcspn(p, ",");

			if (!(is_int_type(t) ? ref_int_item(p, m, t, ref + k * size) :
			    ref_float_item(p, m, t, ref + k * size))) {
				ref_ok = false;
				break;
			}
			p += m + (p[m] == ',');
		}
	}
	rc = parse_values(s, t, &out, &len, why);
	CHECK(rc == 0 || rc == -1, "parse_values", s);
	if (rc == 0) {
		CHECK(out != NULL, "parse_values", s);
		CHECK(len % size == 0, "parse_values", s);
		CHECK(len == items * size, "parse_values", s);
		CHECK(ref_ok, "parse_values", s);
		if (is_int_type(t))
			CHECK(memcmp(out, ref, len) == 0, "parse_values", s);
		else
			for (size_t k = 0; k < items; k++)
				CHECK(same_float(out + k * size, ref + k * size, t),
				    "parse_values", s);
		free(out);
	} else {
		check_why(why, "parse_values", s);
		CHECK(!ref_ok, "parse_values", s);
	}
	free(ref);
}

static void
fuzz_format(const char *s)
{
	static const char *const names[] = {
		"hexdump", "raw", "hex", "string", "u8", "u16", "u32", "u64",
		"i8", "i16", "i32", "i64", "f32", "f64", "value", "x8", "x16",
		"x32", "x64", "cstring",
	};
	enum format f = FMT_COUNT;

	/* A format added to args.c is added here too. */
	_Static_assert(sizeof(names) / sizeof(names[0]) == FMT_COUNT,
	    "fuzz_format's reference lacks a format");
	int want = -1, rc;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			want = (int)i;
	rc = parse_format(s, &f);
	if (want < 0) {
		CHECK(rc == -1, "parse_format", s);
	} else {
		CHECK(rc == 0 && (int)f == want, "parse_format", s);
		CHECK(strcmp(format_names[f], s) == 0, "parse_format", s);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *rest;
	size_t n;
	char *s;

	if (size < 1)
		return 0;
	rest = (const char *)data + 1;
	n = strnlen(rest, size - 1);
	if ((s = malloc(n + 1)) == NULL)
		return 0;
	memcpy(s, rest, n);
	s[n] = '\0';
	switch (data[0] % OP_COUNT) {
	case OP_NUMBER: fuzz_number(s); break;
	case OP_VADDR: fuzz_vaddr(s); break;
	case OP_ESCAPES: fuzz_escapes(s); break;
	case OP_HEX: fuzz_hex(s); break;
	case OP_VALUES:
		fuzz_values(s, (enum value_type)(data[0] / OP_COUNT % VT_COUNT));
		break;
	case OP_FORMAT: fuzz_format(s); break;
	}
	free(s);
	return 0;
}
