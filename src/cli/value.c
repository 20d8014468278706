/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/value.h"
#include "core/procmem.h"

#define PRINT_MAX 200          /* gdb's "print elements" */
#define REPEATS 10             /* gdb's "print repeats" */
#define DEPTH_MAX 12           /* nesting printed; JSON's writer holds 16 */
#define STRING_MAX 200         /* bytes read behind a char pointer */

/* Integers: the host's byte order is the target's (SPEC §2). */
static uint64_t
load(const uint8_t *p, uint64_t size)
{
	uint64_t v = 0;

	memcpy(&v, p, size < 8 ? size : 8);
	return v;
}

/* A scalar's bits: the bitfield's when src says so, else size bytes. */
static uint64_t
scalar_bits(const struct zx_type *t, const uint8_t *p, uint32_t bit_offset,
    uint32_t bit_size, bool *neg)
{
	unsigned bits = bit_size ? bit_size : (unsigned)(t->size < 8 ? t->size * 8 : 64);
	uint64_t v;

	if (bit_size != 0) {
		uint64_t span = (bit_offset + bit_size + 7) / 8;

		v = load(p, span) >> bit_offset;
	} else {
		v = load(p, t->size);
	}
	if (bits < 64)
		v &= ((uint64_t)1 << bits) - 1;
	*neg = false;
	if (t->is_signed && bits < 64 && (v >> (bits - 1)) & 1) {
		v |= ~(((uint64_t)1 << bits) - 1);
		*neg = true;
	} else if (t->is_signed && bits == 64) {
		*neg = (int64_t)v < 0;
	}
	return v;
}

/* One character as gdb writes it inside quotes q (' or "). */
static void
emit_char(FILE *f, unsigned char c, char q)
{
	static const char esc[] = "\aa\bb\ff\nn\rr\tt\vv\\\\";
	const char *e;

	if (c == (unsigned char)q) {
		fprintf(f, "\\%c", q);
		return;
	}
	if (c != '\0' && (e = strchr(esc, c)) != NULL && (e - esc) % 2 == 0) {
		fprintf(f, "\\%c", e[1]);
		return;
	}
	if (c == 033)
		fputs("\\033", f);
	else if (c >= 0x20 && c < 0x7f)
		fputc(c, f);
	else
		fprintf(f, "\\%03o", c);
}

/* A char array as gdb prints it: the final NUL dropped, runs of more than
 * REPEATS equal bytes as 'c' <repeats N times>, at most PRINT_MAX. */
static void
print_chars(FILE *f, const uint8_t *p, uint64_t n)
{
	uint64_t i = 0, things = 0;
	bool in_quote = false, any = false;

	if (n > 0 && p[n - 1] == '\0')
		n--;
	while (i < n && things < PRINT_MAX) {
		uint64_t reps = 1;

		while (i + reps < n && p[i + reps] == p[i])
			reps++;
		if (reps > REPEATS) {
			if (in_quote)
				fputs("\", ", f);
			else if (any)
				fputs(", ", f);
			fputc('\'', f);
			emit_char(f, p[i], '\'');
			fprintf(f, "' <repeats %" PRIu64 " times>", reps);
			in_quote = false;
			i += reps;
			things += REPEATS;
		} else {
			if (!in_quote) {
				if (any)
					fputs(", ", f);
				fputc('"', f);
				in_quote = true;
			}
			emit_char(f, p[i], '"');
			i++;
			things++;
		}
		any = true;
	}
	if (in_quote)
		fputc('"', f);
	else if (!any)
		fputs("\"\"", f);
	if (i < n)
		fputs("...", f);
}

static void print_value(FILE *, const struct zx_type *, const uint8_t *,
    uint64_t avail, uint32_t, uint32_t, const struct value_src *, int depth);

/* Bytes a value of t (or its bitfield) needs from where it starts. */
static uint64_t
need_bytes(const struct zx_type *t, uint32_t bit_offset, uint32_t bit_size)
{
	if (bit_size != 0)
		return ((uint64_t)bit_offset + bit_size + 7) / 8;
	return t->sized ? t->size : 0;
}

/* A pointer: 0x..., then <symbol> or, for char *, the string. */
static void
print_pointer(FILE *f, const struct zx_type *t, const uint8_t *p,
    const struct value_src *src)
{
	uint64_t v = load(p, t->size);
	char label[512];

	fprintf(f, "0x%" PRIx64, v);
	if (v == 0 || src->as == NULL)
		return;
	if (t->target != NULL && t->target->kind == ZX_T_INT &&
	    t->target->is_char && t->target->size == 1) {
		struct zx_procmem_result res;
		struct zx_vaddr va;
		struct zx_err err;
		uint8_t buf[STRING_MAX];
		size_t n;

		memset(&va, 0, sizeof(va));
		va.addr = v;
		if (zx_process_read_memory(src->as, &va, buf, sizeof(buf), &res,
		    &err) != ZX_OK) {
			fprintf(f, " <error: Cannot access memory at address %#" PRIx64 ">", v);
			return;
		}
		n = strnlen((const char *)buf, res.actual);
		fputs(" \"", f);
		for (size_t i = 0; i < n; i++)
			emit_char(f, buf[i], '"');
		fputs(n == res.actual ? "\"..." : "\"", f);
		return;
	}
	if (zx_process_label(src->as, v, label, sizeof(label)))
		fprintf(f, " <%s>", label);
}

static void
print_elements(FILE *f, const struct zx_type *t, const uint8_t *p,
    uint64_t avail, const struct value_src *src, int depth)
{
	const struct zx_type *e = t->elem;
	uint64_t n = t->count_known ? t->count : 0, i = 0, things = 0;
	uint64_t es = e->size;

	/* Only the elements the bytes hold (malformed DWARF may claim more). */
	if (es > 0 && n > avail / es)
		n = avail / es;

	fputc('{', f);
	while (i < n && things < PRINT_MAX) {
		uint64_t reps = 1;

		if (i > 0)
			fputs(", ", f);
		while (es > 0 && i + reps < n &&
		    memcmp(p + (i + reps) * es, p + i * es, es) == 0)
			reps++;
		print_value(f, e, p + i * es, avail - i * es, 0, 0, src, depth + 1);
		if (reps > REPEATS) {
			fprintf(f, " <repeats %" PRIu64 " times>", reps);
			i += reps;
			things += REPEATS;
		} else {
			i++;
			things++;
		}
	}
	if (i < n)
		fputs("...", f);
	fputc('}', f);
}

static void
print_value(FILE *f, const struct zx_type *t, const uint8_t *p,
    uint64_t avail, uint32_t bit_offset, uint32_t bit_size,
    const struct value_src *src, int depth)
{
	uint64_t v;
	bool neg;

	if (depth > DEPTH_MAX) {
		fputs("{...}", f);
		return;
	}
	if (need_bytes(t, bit_offset, bit_size) > avail) {
		fputs("<unavailable>", f);
		return;
	}
	switch (t->kind) {
	case ZX_T_INT:
		if (t->size > 8 && bit_size == 0) {
			fputs("0x", f);
			for (uint64_t i = t->size; i-- > 0;)
				fprintf(f, "%02x", p[i]);
			break;
		}
		v = scalar_bits(t, p, bit_offset, bit_size, &neg);
		if (neg)
			fprintf(f, "%" PRId64, (int64_t)v);
		else
			fprintf(f, "%" PRIu64, v);
		if (t->is_char && t->size == 1 && bit_size == 0) {
			fputs(" '", f);
			emit_char(f, (unsigned char)v, '\'');
			fputc('\'', f);
		}
		break;
	case ZX_T_BOOL:
		v = scalar_bits(t, p, bit_offset, bit_size, &neg);
		if (v <= 1)
			fputs(v ? "true" : "false", f);
		else
			fprintf(f, "%" PRIu64, v);
		break;
	case ZX_T_FLOAT:
		if (t->size == 4) {
			float x;

			memcpy(&x, p, 4);
			fprintf(f, "%.9g", (double)x);
		} else if (t->size == 8) {
			double x;

			memcpy(&x, p, 8);
			fprintf(f, "%.17g", x);
		} else {
			long double x;

			if (t->size == sizeof(x)) {
				memcpy(&x, p, sizeof(x));
				fprintf(f, "%.21Lg", x);
			} else {
				fputs("<unsupported float>", f);
			}
		}
		break;
	case ZX_T_ENUM: {
		const char *name = NULL;

		v = scalar_bits(t, p, bit_offset, bit_size, &neg);
		for (size_t i = 0; i < t->nenums && name == NULL; i++)
			if ((uint64_t)t->enums[i].value == v)
				name = t->enums[i].name;
		if (name != NULL)
			fputs(name, f);
		else if (neg)
			fprintf(f, "%" PRId64, (int64_t)v);
		else
			fprintf(f, "%" PRIu64, v);
		break;
	}
	case ZX_T_POINTER:
		print_pointer(f, t, p, src);
		break;
	case ZX_T_STRUCT:
	case ZX_T_UNION:
		fputc('{', f);
		for (size_t i = 0; i < t->nmembers; i++) {
			const struct zx_member *m = &t->members[i];

			if (i > 0)
				fputs(", ", f);
			if (m->name[0] != '\0')
				fprintf(f, "%s = ", m->name);
			print_value(f, m->type, p + (m->offset < avail ? m->offset :
			    avail), m->offset < avail ? avail - m->offset : 0,
			    m->bit_offset, m->bit_size, src, depth + 1);
		}
		fputc('}', f);
		break;
	case ZX_T_ARRAY:
		if (zx_type_is_char_array(t) && t->count_known)
			print_chars(f, p, t->count < avail ? t->count : avail);
		else if (t->elem != NULL && t->elem->sized)
			print_elements(f, t, p, avail, src, depth);
		else
			fputs("{}", f);
		break;
	case ZX_T_FUNC:
		fputs("{function}", f);
		break;
	case ZX_T_VOID:
	case ZX_T_OTHER:
		fputs("<unknown type>", f);
		break;
	}
}

void
value_print(FILE *f, const struct zx_type *t, const uint8_t *buf, size_t len,
    const struct value_src *src)
{
	/* gdb names the type of a top-level pointer, except a string's. */
	if (t->kind == ZX_T_POINTER && !(t->target != NULL &&
	    t->target->kind == ZX_T_INT && t->target->is_char &&
	    t->target->size == 1))
		fprintf(f, "(%s) ", t->name);
	print_value(f, t, buf, len, src->bit_offset, src->bit_size, src, 0);
	fputc('\n', f);
}

static void
json_value(struct jw *w, const struct zx_type *t, const uint8_t *p,
    uint64_t avail, uint32_t bit_offset, uint32_t bit_size,
    const struct value_src *src, int depth)
{
	uint64_t v;
	bool neg;

	if (depth > DEPTH_MAX || need_bytes(t, bit_offset, bit_size) > avail) {
		jw_null(w);
		return;
	}
	switch (t->kind) {
	case ZX_T_INT:
		if (t->size > 8 && bit_size == 0) {
			jw_hex_bytes(w, p, t->size);
			break;
		}
		v = scalar_bits(t, p, bit_offset, bit_size, &neg);
		if (neg)
			jw_i64(w, (int64_t)v);
		else
			jw_u64(w, v);
		break;
	case ZX_T_BOOL:
		v = scalar_bits(t, p, bit_offset, bit_size, &neg);
		if (v <= 1)
			jw_bool(w, v != 0);
		else
			jw_u64(w, v);
		break;
	case ZX_T_FLOAT:
		if (t->size == 4) {
			float x;

			memcpy(&x, p, 4);
			jw_double(w, (double)x);
		} else if (t->size == 8) {
			double x;

			memcpy(&x, p, 8);
			jw_double(w, x);
		} else {
			jw_hex_bytes(w, p, t->size);
		}
		break;
	case ZX_T_ENUM: {
		const char *name = NULL;

		v = scalar_bits(t, p, bit_offset, bit_size, &neg);
		for (size_t i = 0; i < t->nenums && name == NULL; i++)
			if ((uint64_t)t->enums[i].value == v)
				name = t->enums[i].name;
		if (name != NULL)
			jw_string(w, name);
		else if (neg)
			jw_i64(w, (int64_t)v);
		else
			jw_u64(w, v);
		break;
	}
	case ZX_T_POINTER: {
		char s[32];

		snprintf(s, sizeof(s), "0x%" PRIx64, load(p, t->size));
		jw_string(w, s);
		break;
	}
	case ZX_T_STRUCT:
	case ZX_T_UNION:
		jw_start_object(w);
		for (size_t i = 0; i < t->nmembers; i++) {
			const struct zx_member *m = &t->members[i];
			char anon[32];

			snprintf(anon, sizeof(anon), "#%zu", i);
			jw_key(w, m->name[0] ? m->name : anon);
			json_value(w, m->type, p + (m->offset < avail ? m->offset :
			    avail), m->offset < avail ? avail - m->offset : 0,
			    m->bit_offset, m->bit_size, src, depth + 1);
		}
		jw_end_object(w);
		break;
	case ZX_T_ARRAY:
		if (zx_type_is_char_array(t) && t->count_known) {
			jw_string_len(w, (const char *)p, strnlen((const char *)p,
			    t->count < avail ? t->count : avail));
			break;
		}
		jw_start_array(w);
		for (uint64_t i = 0; t->count_known && t->elem != NULL &&
		    t->elem->sized && i < t->count &&
		    (t->elem->size == 0 || i < avail / t->elem->size) &&
		    i < ZX_MAX_DEBUG_BLOCK; i++)
			json_value(w, t->elem, p + i * t->elem->size,
			    avail - i * t->elem->size, 0, 0, src, depth + 1);
		jw_end_array(w);
		break;
	default:
		jw_null(w);
		break;
	}
}

void
value_json(struct jw *w, const struct zx_type *t, const uint8_t *buf,
    size_t len, const struct value_src *src)
{
	json_value(w, t, buf, len, src->bit_offset, src->bit_size, src, 0);
}

/* An integer of size bytes: a NUMBER with an optional '-' when signed. */
/* An integer of t, or of its bitfield of bit_size bits. */
static zx_status_t
encode_int(const char *v, const char *name, const struct zx_type *t,
    uint32_t bit_size, uint64_t *out, struct zx_err *err)
{
	char why[WHY_LEN], tn[96];
	bool neg = v[0] == '-';
	unsigned bits = bit_size ? bit_size : (unsigned)(t->size * 8);
	uint64_t u;

	if (t->size == 0 || t->size > 8)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "--value: '%s' is a %"
		    PRIu64 "-byte integer (%s); give the bytes with --hex", name,
		    t->size, t->name);
	if (bit_size != 0)
		snprintf(tn, sizeof(tn), "%s, %u bits", t->name, bits);
	else
		snprintf(tn, sizeof(tn), "%s", t->name);
	if (parse_number(neg ? v + 1 : v, &u, why) < 0)
		return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: '%s' is not an "
		    "integer for '%s' (%s): %s", v, name, tn, why);
	if (t->is_signed) {
		uint64_t lim = (uint64_t)1 << (bits - 1);

		if (neg ? u > lim : u >= lim)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: %s is out "
			    "of range for '%s' (%s: %" PRId64 "..%" PRIu64 ")", v,
			    name, tn, (int64_t)((uint64_t)0 - lim), lim - 1);
		u = neg ? (uint64_t)0 - u : u;
	} else {
		uint64_t max = bits < 64 ? ((uint64_t)1 << bits) - 1 : UINT64_MAX;

		if ((neg && u != 0) || u > max)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: %s is out "
			    "of range for '%s' (%s: 0..%" PRIu64 ")", v, name,
			    tn, max);
	}
	*out = u;
	return ZX_OK;
}

zx_status_t
value_encode(const char *v, const char *name, const struct zx_type *t,
    uint32_t bit_size, uint8_t **out, size_t *lenp, struct zx_err *err)
{
	uint8_t *b;
	uint64_t u = 0;
	zx_status_t st = ZX_OK;

	if (bit_size != 0 && t->kind != ZX_T_INT && t->kind != ZX_T_BOOL &&
	    t->kind != ZX_T_ENUM)
		return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: '%s' is a "
		    "bitfield of %s; --value takes an integer, bool or enum for "
		    "one", name, t->name);
	if (!t->sized || t->size == 0 || t->size > ZX_MAX_DEBUG_BLOCK)
		return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: '%s' (%s) has "
		    "no size to write", name, t->name);
	switch (t->kind) {
	case ZX_T_INT:
		st = encode_int(v, name, t, bit_size, &u, err);
		break;
	case ZX_T_BOOL:
		if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
			u = 1;
		else if (strcmp(v, "false") != 0 && strcmp(v, "0") != 0)
			st = zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: '%s' is not "
			    "true or false for '%s' (%s)", v, name, t->name);
		break;
	case ZX_T_ENUM:
		for (size_t i = 0; i < t->nenums; i++)
			if (strcmp(t->enums[i].name, v) == 0) {
				u = (uint64_t)t->enums[i].value;
				goto encoded;
			}
		if (!isdigit((unsigned char)v[0]) && v[0] != '-') {
			char names[200] = "";

			for (size_t i = 0; i < t->nenums; i++) {
				if (i > 0)
					strlcat(names, " ", sizeof(names));
				strlcat(names, t->enums[i].name, sizeof(names));
			}
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: '%s' is "
			    "not a constant of %s (%s)", v, t->name, names);
		}
		st = encode_int(v, name, t, bit_size, &u, err);
		break;
	case ZX_T_POINTER: {
		char why[WHY_LEN];

		if (strcmp(v, "NULL") == 0 || strcmp(v, "nullptr") == 0)
			u = 0;
		else if (parse_number(v, &u, why) < 0)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: '%s' is not "
			    "an address for '%s' (%s): %s", v, name, t->name, why);
		if (t->size < 8 && u >> (t->size * 8) != 0)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: %s does not "
			    "fit in '%s' (%s)", v, name, t->name);
		break;
	}
	case ZX_T_FLOAT: {
		char *end;
		double d;

		errno = 0;
		d = strtod(v, &end);
		if (end == v || *end != '\0' || isspace((unsigned char)v[0]))
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: '%s' is not "
			    "a number for '%s' (%s)", v, name, t->name);
		if ((errno == ERANGE && isinf(d)) ||
		    (t->size == 4 && isinf((float)d) && !isinf(d)))
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: %s is out "
			    "of range for '%s' (%s)", v, name, t->name);
		if (t->size != 4 && t->size != 8)
			return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "--value: '%s' is a "
			    "%" PRIu64 "-byte float (%s); give the bytes with --hex",
			    name, t->size, t->name);
		if ((b = calloc(1, t->size)) == NULL)
			return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
		if (t->size == 4) {
			float x = (float)d;

			memcpy(b, &x, 4);
		} else {
			memcpy(b, &d, 8);
		}
		*out = b;
		*lenp = t->size;
		return ZX_OK;
	}
	case ZX_T_ARRAY:
		if (zx_type_is_char_array(t) && t->count_known) {
			char why[WHY_LEN];
			uint8_t *s;
			size_t n;

			if (parse_escapes(v, &s, &n, why) < 0)
				return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: %s",
				    why);
			if (n > t->count) {
				free(s);
				return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "--value: the "
				    "string is %zu bytes; '%s' (%s) holds %" PRIu64, n,
				    name, t->name, t->count);
			}
			if ((b = calloc(1, t->size)) == NULL) {
				free(s);
				return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
			}
			memcpy(b, s, n);
			free(s);
			*out = b;
			*lenp = t->size;
			return ZX_OK;
		}
		/* FALLTHROUGH */
	default:
		return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: '%s' is %s; "
		    "--value takes a number, bool, enum constant, pointer or a "
		    "string for a char array (name a member or an element)", name,
		    t->name);
	}
encoded:
	if (st != ZX_OK)
		return st;
	if (bit_size != 0 && bit_size < 64) {
		/* A bitfield: its value, in the low bit_size bits of 8
		 * bytes; the write puts them among the bits around it. */
		int64_t sv = (int64_t)u;
		bool fits = t->is_signed ?
		    sv >= -((int64_t)1 << (bit_size - 1)) &&
		    sv < ((int64_t)1 << (bit_size - 1)) : u >> bit_size == 0;

		if (t->kind == ZX_T_ENUM && !fits)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: %s does not "
			    "fit in '%s' (%s, %" PRIu32 " bits)", v, name, t->name,
			    bit_size);
		u &= ((uint64_t)1 << bit_size) - 1;
	}
	if (bit_size != 0) {
		if ((b = malloc(8)) == NULL)
			return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
		memcpy(b, &u, 8);
		*out = b;
		*lenp = 8;
		return ZX_OK;
	}
	if (t->kind == ZX_T_ENUM && t->size < 8) {
		/* The enum's bytes hold the constant (sign-extended or not). */
		int64_t sv = (int64_t)u;
		unsigned bits = (unsigned)(t->size * 8);

		if (sv < -((int64_t)1 << (bits - 1)) ||
		    (sv >= 0 && (uint64_t)sv >> bits != 0))
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "--value: %s does not "
			    "fit in '%s' (%s)", v, name, t->name);
	}
	if ((b = calloc(1, t->size)) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	memcpy(b, &u, t->size < 8 ? t->size : 8);
	*out = b;
	*lenp = t->size;
	return ZX_OK;
}
