/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"

const char *const value_type_names[VT_COUNT] = {
	"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64",
};
const char *const format_names[FMT_COUNT] = {
	"hexdump", "raw", "hex", "string", "u8", "u16", "u32", "u64",
	"i8", "i16", "i32", "i64", "f32", "f64", "value", "x8", "x16", "x32",
	"x64", "cstring",
};

static int
fail(char *why, const char *msg)
{
	strlcpy(why, msg, WHY_LEN);
	return -1;
}

/* The grammar is checked here; expand_number does the arithmetic. It is
 * given only what the grammar allows: its strtoumax would otherwise take
 * leading blanks, a sign, octal and junk after the suffix. */
int
parse_number(const char *s, uint64_t *out, char *why)
{
	char buf[40];
	size_t n = strlen(s), digits;
	const char *p = s;
	bool hex = false;

	if (n == 0)
		return fail(why, "empty number");
	if (n >= sizeof(buf))
		return fail(why, "number too long");
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		hex = true;
		p += 2;
	}
	digits = hex ? strspn(p, "0123456789abcdefABCDEF") : strspn(p, "0123456789");
	if (digits == 0)
		return fail(why, hex ? "no hex digits after 0x" : "not a number");
	if (p[digits] != '\0' && (p[digits + 1] != '\0' ||
	    strchr("KMGTkmgt", p[digits]) == NULL))
		return fail(why, "not a number (decimal, 0x hex, optional K M G T)");
	/* "00000010" is how hexdump and /proc/PID/maps print 0x10: reading
	 * it as decimal (or octal) would silently pick another address. */
	if (!hex && digits >= 2 && p[0] == '0') {
		snprintf(why, WHY_LEN, "a number with a leading zero is ambiguous "
		    "(write 0x%s for hex, or drop the zeros for decimal)", p);
		return -1;
	}
	strlcpy(buf, s, sizeof(buf));
	/* expand_number does not notice a mantissa over 64 bits. */
	errno = 0;
	(void)strtoull(buf, NULL, hex ? 16 : 10);
	if (errno == ERANGE)
		return fail(why, "number does not fit in 64 bits");
	if (expand_number(buf, out) < 0)
		return fail(why, errno == ERANGE ? "number does not fit in 64 bits" :
		    "not a number");
	return 0;
}

/* "at 'X'" for a message about the byte at p, vis'd when not printable. */
static int
fail_at(char *why, const char *what, const char *p)
{
	char msg[WHY_LEN];

	if (*p == '\0')
		snprintf(msg, sizeof(msg), "%s at the end", what);
	else if (isprint((unsigned char)*p))
		snprintf(msg, sizeof(msg), "%s at '%.32s'", what, p);
	else
		snprintf(msg, sizeof(msg), "%s at byte \\x%02x", what,
		    (unsigned char)*p);
	return fail(why, msg);
}

/* Bytes a SYMBOL may hold: anything but the expression's operators and
 * blanks; a '.' followed by a digit stays in it (gcc's "counter.0"). */
static size_t
symbol_span(const char *p)
{
	size_t n = 0;

	for (; p[n] != '\0'; n++) {
		unsigned char c = (unsigned char)p[n];

		if (c == '.' && isdigit((unsigned char)p[n + 1]))
			continue;
		if (isspace(c) || strchr(".[]+-*!", c) != NULL)
			break;
	}
	return n;
}

static size_t
ident_span(const char *p)
{
	size_t n = 0;

	if (!isalpha((unsigned char)p[0]) && p[0] != '_')
		return 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

/* Copy n bytes of src into va->buf at *used; NULL when it is full. */
static const char *
keep(struct zx_vaddr *va, size_t *used, const char *src, size_t n)
{
	char *dst = va->buf + *used;

	if (n + 1 > sizeof(va->buf) - *used)
		return NULL;
	memcpy(dst, src, n);
	dst[n] = '\0';
	*used += n + 1;
	return dst;
}

int
parse_vaddr(const char *text, struct zx_vaddr *va, char *why)
{
	const char *p = text, *q;
	size_t used = 0, stars = 0, n;

	memset(va, 0, sizeof(*va));
	if (isdigit((unsigned char)text[0]))
		return parse_number(text, &va->addr, why);
	if (strlen(text) >= sizeof(va->buf) / 2)
		return fail(why, "expression too long");
	while (*p == '*')
		stars++, p++;
	if (*p == '&')
		return fail(why, "an expression already names an address: drop "
		    "the '&'");
	if ((q = strchr(p, '!')) != NULL) {
		if (q == p)
			return fail(why, "empty object name before '!'");
		va->object = keep(va, &used, p, (size_t)(q - p));
		p = q + 1;
		while (*p == '*')
			stars++, p++;
	}
	if ((n = symbol_span(p)) == 0)
		return *p == '\0' ? fail(why, "empty symbol name") :
		    fail_at(why, "expected a symbol name", p);
	va->symbol = keep(va, &used, p, n);
	for (p += n;;) {
		struct zx_step *st = &va->steps[va->nsteps];

		if (*p != '.' && *p != '[' && !(p[0] == '-' && p[1] == '>'))
			break;
		if (va->nsteps + stars >= ZX_MAX_STEPS)
			return fail(why, "too many steps in the expression");
		if (*p == '[') {
			char num[40];

			q = strchr(p + 1, ']');
			if (q == NULL)
				return fail_at(why, "'[' without ']'", p);
			if ((size_t)(q - p - 1) >= sizeof(num))
				return fail_at(why, "index too long", p + 1);
			memcpy(num, p + 1, (size_t)(q - p - 1));
			num[q - p - 1] = '\0';
			if (parse_number(num, &st->index, why) < 0) {
				char msg[WHY_LEN];

				snprintf(msg, sizeof(msg), "index '%s': %s", num, why);
				return fail(why, msg);
			}
			st->op = ZX_STEP_INDEX;
			p = q + 1;
		} else {
			st->op = *p == '.' ? ZX_STEP_FIELD : ZX_STEP_ARROW;
			p += *p == '.' ? 1 : 2;
			if ((n = ident_span(p)) == 0)
				return fail_at(why, "expected a member name", p);
			st->name = keep(va, &used, p, n);
			p += n;
		}
		va->nsteps++;
	}
	va->expr = keep(va, &used, text, (size_t)(p - text));
	if (*p == '+' || *p == '-') {
		if (parse_number(p + 1, &va->delta, why) < 0) {
			char msg[WHY_LEN];

			snprintf(msg, sizeof(msg), "offset '%.40s': %s", p, why);
			return fail(why, msg);
		}
		va->negative = *p == '-';
	} else if (*p != '\0') {
		return fail_at(why, "unexpected character", p);
	}
	for (size_t i = 0; i < stars; i++) {
		if (va->nsteps >= ZX_MAX_STEPS)
			return fail(why, "too many steps in the expression");
		va->steps[va->nsteps++].op = ZX_STEP_DEREF;
	}
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
parse_escapes(const char *s, uint8_t **out, size_t *lenp, char *why)
{
	size_t n = strlen(s), o = 0;
	uint8_t *b = malloc(n ? n : 1);

	if (b == NULL)
		return fail(why, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int v, k;

		if (s[i] != '\\') {
			b[o++] = (uint8_t)s[i];
			continue;
		}
		switch (s[++i]) {
		case 'n': b[o++] = '\n'; break;
		case 't': b[o++] = '\t'; break;
		case 'r': b[o++] = '\r'; break;
		case '\\': b[o++] = '\\'; break;
		case '"': b[o++] = '"'; break;
		case 'x':
			if (hexval(s[i + 1]) < 0) {
				free(b);
				return fail(why, "\\x needs hex digits");
			}
			v = hexval(s[++i]);
			if (hexval(s[i + 1]) >= 0)
				v = v * 16 + hexval(s[++i]);
			b[o++] = (uint8_t)v;
			break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7':
			for (v = 0, k = 0; k < 3 && s[i] >= '0' && s[i] <= '7'; k++, i++)
				v = v * 8 + (s[i] - '0');
			i--;
			if (v > 0377) {
				free(b);
				return fail(why, "octal escape over \\377");
			}
			b[o++] = (uint8_t)v;
			break;
		case '\0':
			free(b);
			return fail(why, "trailing backslash");
		default: {
			char msg[64];

			snprintf(msg, sizeof(msg), "unknown escape '\\%c'", s[i]);
			free(b);
			return fail(why, msg);
		}
		}
	}
	*out = b;
	*lenp = o;
	return 0;
}

int
parse_hex(const char *s, uint8_t **out, size_t *lenp, char *why)
{
	size_t n = strlen(s), o = 0;
	uint8_t *b = malloc(n / 2 + 1);
	int hi = -1;

	if (b == NULL)
		return fail(why, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int v;

		if (s[i] == ' ' || s[i] == ':' || s[i] == '\t' || s[i] == '\n')
			continue;
		if ((v = hexval(s[i])) < 0) {
			char msg[64];

			snprintf(msg, sizeof(msg), "'%c' is not a hex digit", s[i]);
			free(b);
			return fail(why, isprint((unsigned char)s[i]) ? msg :
			    "not a hex digit");
		}
		if (hi < 0) {
			hi = v;
		} else {
			b[o++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		free(b);
		return fail(why, "odd number of hex digits");
	}
	*out = b;
	*lenp = o;
	return 0;
}

size_t
value_type_size(enum value_type t)
{
	static const size_t sz[VT_COUNT] = { 1, 2, 4, 8, 1, 2, 4, 8, 4, 8 };

	return sz[t];
}

static int
parse_one(const char *s, enum value_type t, uint8_t *dst, char *why)
{
	size_t size = value_type_size(t);
	uint64_t u;

	if (t == VT_F32 || t == VT_F64) {
		char *end;
		double d = 0;
		float f = 0;

		/* An f32 is rounded once, from the text: (float)strtod() would
		 * round twice and can miss the nearest float. */
		errno = 0;
		if (t == VT_F32)
			f = strtof(s, &end);
		else
			d = strtod(s, &end);
		if (end == s || *end != '\0' || isspace((unsigned char)s[0]))
			return fail(why, "not a floating-point number");
		if (errno == ERANGE && (t == VT_F32 ? isinf(f) : isinf(d)))
			return fail(why, t == VT_F32 ? "out of range for f32" :
			    "out of range for its type");
		if (t == VT_F32)
			memcpy(dst, &f, 4);
		else
			memcpy(dst, &d, 8);
		return 0;
	}
	if (t >= VT_I8) {
		bool neg = s[0] == '-';
		uint64_t lim = (uint64_t)1 << (size * 8 - 1);

		if (parse_number(neg ? s + 1 : s, &u, why) < 0)
			return -1;
		if (neg ? u > lim : u >= lim)
			return fail(why, "out of range for its type");
		u = neg ? (uint64_t)0 - u : u;
	} else {
		if (parse_number(s, &u, why) < 0)
			return -1;
		if (size < 8 && u >> (size * 8) != 0)
			return fail(why, "out of range for its type");
	}
	/* Native byte order: the low bytes of u, as the host lays them out. */
	switch (size) {
	case 1: { uint8_t v = (uint8_t)u; memcpy(dst, &v, 1); break; }
	case 2: { uint16_t v = (uint16_t)u; memcpy(dst, &v, 2); break; }
	case 4: { uint32_t v = (uint32_t)u; memcpy(dst, &v, 4); break; }
	default: memcpy(dst, &u, 8); break;
	}
	return 0;
}

int
parse_values(const char *s, enum value_type t, uint8_t **out, size_t *lenp,
    char *why)
{
	size_t count = 1, size = value_type_size(t), o = 0;
	char item[64];
	uint8_t *b;

	for (const char *p = s; *p; p++)
		count += *p == ',';
	if ((b = malloc(count * size)) == NULL)
		return fail(why, "out of memory");
	for (const char *p = s;;) {
		size_t n = strcspn(p, ",");

		if (n == 0 || n >= sizeof(item)) {
			free(b);
			return fail(why, n == 0 ? "empty value in the list" :
			    "value too long");
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (parse_one(item, t, b + o, why) < 0) {
			char msg[WHY_LEN];

			snprintf(msg, sizeof(msg), "'%s': %s", item, why);
			strlcpy(why, msg, WHY_LEN);
			free(b);
			return -1;
		}
		o += size;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	*out = b;
	*lenp = o;
	return 0;
}

int
parse_format(const char *s, enum format *f)
{
	for (int i = 0; i < FMT_COUNT; i++)
		if (strcmp(s, format_names[i]) == 0) {
			*f = (enum format)i;
			return 0;
		}
	return -1;
}

static int
fail_line(char *why, size_t lineno, const char *msg)
{
	snprintf(why, WHY_LEN, "line %zu: %s", lineno, msg);
	return -1;
}

static int
fail_errno(char *why, int e)
{
	return fail(why, strerror(e));
}

/* One hexdump line (no newline) into bytes handed to emit. */
static int
hexdump_line(struct hexdump_parser *hp, const char *p, const char *eol,
    char *why)
{
	const char *q = p, *stop;
	uint64_t off = 0;
	uint8_t line[16];
	size_t n = 0, digits = 0, lineno = ++hp->lineno;

	stop = memchr(p, '|', (size_t)(eol - p));
	if (stop == NULL)
		stop = eol;
	while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	if (q == stop)
		return 0;
	if (hp->ended)
		return fail_line(why, lineno, "text after the end offset");
	if (*q == '*') {
		/* Alone, as hexdump prints it: "*00000010 41" is not a
		 * repeat that would drop the bytes after it. */
		for (q++; q < stop && (*q == ' ' || *q == '\t' || *q == '\r');
		    q++)
			;
		if (q != stop)
			return fail_line(why, lineno, "text after '*'");
		if (hp->nprev != 16)
			return fail_line(why, lineno, "'*' with no full line "
			    "before it");
		hp->star = true;
		return 0;
	}
	for (; q < stop && hexval((unsigned char)*q) >= 0; q++, digits++) {
		if (digits == 16)
			return fail_line(why, lineno, "offset too long");
		off = off << 4 | (uint64_t)hexval((unsigned char)*q);
	}
	if (digits == 0 || (q < stop && *q != ' ' && *q != '\t' && *q != '\r'))
		return fail_line(why, lineno, "not a hexdump line (an offset, "
		    "then hex bytes)");
	for (;;) {
		while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q == stop)
			break;
		if (n == 16 || stop - q < 2 || hexval((unsigned char)q[0]) < 0 ||
		    hexval((unsigned char)q[1]) < 0 || (stop - q > 2 &&
		    q[2] != ' ' && q[2] != '\t' && q[2] != '\r'))
			return fail_line(why, lineno, "expected at most 16 bytes "
			    "as hex pairs");
		line[n++] = (uint8_t)(hexval((unsigned char)q[0]) << 4 |
		    hexval((unsigned char)q[1]));
		q += 2;
	}
	if (!hp->started) {
		hp->started = true;
		hp->expect = off;
	}
	/* "*": the line before, again, up to this offset; handed on in
	 * runs of whole lines, not a call per line. */
	if (hp->star) {
		uint8_t run[4096];
		size_t fill = 0;

		if (off < hp->expect || (off - hp->expect) % 16 != 0) {
			snprintf(why, WHY_LEN, "line %zu: offset %#" PRIx64 " does "
			    "not follow the repeated line at %#" PRIx64, lineno,
			    off, hp->expect);
			return -1;
		}
		while (hp->expect < off) {
			uint64_t lines = (off - hp->expect) / 16, room;
			size_t k;
			int e;

			room = (hp->max - hp->made) / 16;
			if (room == 0) {
				hp->more = true;
				return 0;
			}
			if (lines > room)
				lines = room;
			if (lines > sizeof(run) / 16)
				lines = sizeof(run) / 16;
			for (; fill < lines * 16; fill += 16)
				memcpy(run + fill, hp->prev, 16);
			k = (size_t)lines * 16;
			if ((e = hp->emit(hp->arg, run, k)) != 0)
				return fail_errno(why, e);
			hp->made += k;
			hp->expect += k;
		}
		hp->star = false;
	}
	if (off != hp->expect) {
		snprintf(why, WHY_LEN, "line %zu: offset %#" PRIx64 " is not "
		    "contiguous (expected %#" PRIx64 ")", lineno, off,
		    hp->expect);
		return -1;
	}
	if (n == 0) {
		hp->ended = true;
	} else {
		int e;

		/* Offsets are 64 bits: the end offset of these bytes too,
		 * or a wrapped one would pass as contiguous. */
		if (hp->expect > UINT64_MAX - n)
			return fail_line(why, lineno, "the bytes go past offset "
			    "0xffffffffffffffff");
		if (n > hp->max - hp->made) {
			hp->more = true;
			return 0;
		}
		if ((e = hp->emit(hp->arg, line, n)) != 0)
			return fail_errno(why, e);
		hp->made += n;
		memcpy(hp->prev, line, n);
		hp->nprev = n;
		hp->expect += n;
	}
	return 0;
}

void
hexdump_begin(struct hexdump_parser *hp, uint64_t max,
    int (*emit)(void *, const uint8_t *, size_t), void *arg)
{
	memset(hp, 0, sizeof(*hp));
	hp->max = max;
	hp->emit = emit;
	hp->arg = arg;
}

int
hexdump_feed(struct hexdump_parser *hp, const char *text, size_t tlen,
    char *why)
{
	const char *p = text, *end = text + tlen;

	while (p < end && !hp->more) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t k = (size_t)((eol ? eol : end) - p);

		if (hp->npart + k > HEXDUMP_LINE_MAX) {
			snprintf(why, WHY_LEN, "line %zu: longer than %d "
			    "characters, which no hexdump line is",
			    hp->lineno + 1, HEXDUMP_LINE_MAX);
			return -1;
		}
		if (eol != NULL && hp->npart == 0) {
			/* The usual case: a whole line in the text. */
			if (hexdump_line(hp, p, eol, why) < 0)
				return -1;
		} else {
			/* A line cut by the end of this piece of text. */
			if (hp->part == NULL &&
			    (hp->part = malloc(HEXDUMP_LINE_MAX)) == NULL)
				return fail_errno(why, ENOMEM);
			memcpy(hp->part + hp->npart, p, k);
			hp->npart += k;
			if (eol != NULL) {
				size_t whole = hp->npart;

				hp->npart = 0;
				if (hexdump_line(hp, hp->part, hp->part + whole,
				    why) < 0)
					return -1;
			}
		}
		p += k + (eol != NULL);
	}
	return 0;
}

int
hexdump_finish(struct hexdump_parser *hp, char *why)
{
	if (hp->npart > 0 && !hp->more) {
		size_t k = hp->npart;

		hp->npart = 0;
		if (hexdump_line(hp, hp->part, hp->part + k, why) < 0)
			return -1;
	}
	if (hp->more)
		return 0;
	if (hp->star) {
		snprintf(why, WHY_LEN, "'*' at the end: the end offset is missing");
		return -1;
	}
	if (!hp->started) {
		snprintf(why, WHY_LEN, "no hexdump lines");
		return -1;
	}
	return 0;
}

void
hexdump_free(struct hexdump_parser *hp)
{
	free(hp->part);
	hp->part = NULL;
}

/* parse_hexdump's sink: a growing buffer. */
struct grow {
	uint8_t *buf;
	size_t len, cap;
};

static int
grow_emit(void *arg, const uint8_t *b, size_t n)
{
	struct grow *g = arg;

	if (g->len + n > g->cap) {
		size_t nc = g->cap ? g->cap : 4096;
		uint8_t *nb;

		while (nc < g->len + n)
			nc *= 2;
		if ((nb = realloc(g->buf, nc)) == NULL)
			return ENOMEM;
		g->buf = nb;
		g->cap = nc;
	}
	memcpy(g->buf + g->len, b, n);
	g->len += n;
	return 0;
}

int
parse_hexdump(const char *text, size_t tlen, uint64_t max, uint8_t **out,
    size_t *lenp, bool *more, char *why)
{
	struct hexdump_parser hp;
	struct grow g = { NULL, 0, 0 };
	int rc;

	hexdump_begin(&hp, max, grow_emit, &g);
	rc = hexdump_feed(&hp, text, tlen, why);
	if (rc == 0)
		rc = hexdump_finish(&hp, why);
	hexdump_free(&hp);
	*more = hp.more;
	if (rc < 0) {
		free(g.buf);
		return -1;
	}
	*out = g.buf;
	*lenp = g.len;
	return 0;
}
