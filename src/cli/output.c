/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#define LIBBSD_OPENBSD_VIS 1   /* strvis/strvisx only; silence the strnvis note */
#include <vis.h>

#include "cli/fmtfloat.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "cli/value.h"
#include "core/rights.h"
#include "core/vmo.h"
#include "targets/fdio.h"
#include "targets/targets.h"

void
out_begin(struct cmd_ctx *ctx)
{
	ctx->jf = NULL;
	ctx->jbuf = NULL;
	ctx->jlen = 0;
	ctx->jstreamed = false;
	if (!ctx->json)
		return;
	if ((ctx->jf = open_memstream(&ctx->jbuf, &ctx->jlen)) == NULL)
		return;
	jw_init(&ctx->jw, ctx->jf);
	ctx->jw.first[0] = false;   /* fields follow "status", after a comma */
}

void
out_discard(struct cmd_ctx *ctx)
{
	if (ctx->jf != NULL)
		fclose(ctx->jf);
	free(ctx->jbuf);
	ctx->jf = NULL;
	ctx->jbuf = NULL;
	ctx->jlen = 0;
}

static void
json_error(struct cmd_ctx *ctx, const char *status, int code, const char *msg)
{
	struct jw w;

	jw_init(&w, stdout);
	jw_start_object(&w);
	jw_string_field(&w, "command", ctx->cmd ? ctx->cmd->name : "zxmem");
	jw_string_field(&w, "status", status);
	jw_i64_field(&w, "code", code);
	jw_string_field(&w, "message", msg);
	if (ctx->where_file != NULL) {
		jw_string_field(&w, "file", ctx->where_file);
		jw_i64_field(&w, "line", ctx->where_line);
	}
	jw_end_object(&w);
	fputc('\n', stdout);
}

/* Text that may carry the user's bytes (a word, a path, a line of a file)
 * on a terminal: control bytes and bytes past ASCII as vis(3) escapes, so
 * an error line cannot drive the terminal or hide what was typed. */
void
out_text(FILE *f, const char *s)
{
	size_t n = strlen(s);
	char *v = reallocarray(NULL, n + 1, 4);   /* strvis's worst case */

	if (v == NULL) {
		fputs("(out of memory)", f);
		return;
	}
	strvis(v, s, VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL | VIS_NOSLASH);
	fputs(v, f);
	free(v);
}

/* A word quoted in a message, cut to its first 64 bytes when it is long
 * (the rest of the message still fits, and a 10 MB word is not echoed). */
const char *
out_cut(const char *s)
{
	static char ring[4][96];
	static unsigned next;
	size_t n = strlen(s);
	char *b;

	if (n <= 80)
		return s;
	b = ring[next++ % 4];
	snprintf(b, sizeof(ring[0]), "%.64s... (%zu bytes)", s, n);
	return b;
}

/* "FILE:LINE: " before an error line of a batch. */
static void
where(struct cmd_ctx *ctx)
{
	if (ctx->where_file != NULL) {
		out_text(stderr, ctx->where_file);
		fprintf(stderr, ":%d: ", ctx->where_line);
	}
}

void
out_json_stream(struct cmd_ctx *ctx)
{
	struct jw w;

	if (!ctx->json || ctx->jstreamed || ctx->jf == NULL)
		return;
	fclose(ctx->jf);
	ctx->jf = NULL;
	jw_init(&w, stdout);
	jw_start_object(&w);
	jw_string_field(&w, "command", ctx->cmd ? ctx->cmd->name : "zxmem");
	if (ctx->jbuf != NULL)
		fwrite(ctx->jbuf, 1, ctx->jlen, stdout);
	free(ctx->jbuf);
	ctx->jbuf = NULL;
	ctx->jlen = 0;
	/* The fields so far are at the object's level, after a comma. */
	ctx->jw.f = stdout;
	ctx->jstreamed = true;
}

/* The end of a streamed object: the status, and an error's code and
 * message (the fields before say how far the transfer got). */
static int
json_stream_end(struct cmd_ctx *ctx, int rc)
{
	int status = rc == ZX_OK ? 0 : rc == CMD_USAGE ? EXIT_USAGE : -rc;

	ctx->jstreamed = false;
	if (rc == ZX_OK) {
		jw_string_field(&ctx->jw, "status", "ZX_OK");
	} else if (rc == CMD_USAGE) {
		jw_string_field(&ctx->jw, "status", "USAGE");
		jw_i64_field(&ctx->jw, "code", EXIT_USAGE);
		jw_string_field(&ctx->jw, "message", ctx->usage_msg);
	} else {
		jw_string_field(&ctx->jw, "status", zx_status_name(rc));
		jw_i64_field(&ctx->jw, "code", rc);
		jw_string_field(&ctx->jw, "message", ctx->err.msg);
	}
	if (rc != ZX_OK && ctx->where_file != NULL) {
		jw_string_field(&ctx->jw, "file", ctx->where_file);
		jw_i64_field(&ctx->jw, "line", ctx->where_line);
	}
	fputs("}\n", stdout);
	return status;
}

int
out_end(struct cmd_ctx *ctx, int rc)
{
	const char *name = ctx->cmd ? ctx->cmd->name : NULL;
	int status;

	if (ctx->jstreamed && rc != CMD_SILENT)
		return json_stream_end(ctx, rc);
	if (ctx->jf != NULL)
		fclose(ctx->jf);
	ctx->jf = NULL;
	if (rc == CMD_SILENT) {
		free(ctx->jbuf);
		ctx->jbuf = NULL;
		return ctx->silent_status;
	}
	if (rc == CMD_USAGE) {
		status = EXIT_USAGE;
		if (ctx->json) {
			json_error(ctx, "USAGE", EXIT_USAGE, ctx->usage_msg);
		} else {
			where(ctx);
			fprintf(stderr, "zxmem: %s%s", name ? name : "",
			    name ? ": " : "");
			out_text(stderr, ctx->usage_msg);
			fputc('\n', stderr);
			if (ctx->cmd != NULL && !ctx->printed_usage)
				print_usage(stderr, ctx->cmd);
		}
	} else if (rc != ZX_OK) {
		status = -rc;
		if (ctx->json)
			json_error(ctx, zx_status_name(rc), rc, ctx->err.msg);
		else {
			where(ctx);
			fprintf(stderr, "zxmem: %s: %s: ", name ? name : "zxmem",
			    zx_status_name(rc));
			out_text(stderr, ctx->err.msg);
			fputc('\n', stderr);
		}
	} else {
		status = 0;
		if (ctx->json) {
			struct jw w;

			jw_init(&w, stdout);
			jw_start_object(&w);
			jw_string_field(&w, "command", name ? name : "zxmem");
			jw_string_field(&w, "status", "ZX_OK");
			if (ctx->jbuf != NULL)
				fwrite(ctx->jbuf, 1, ctx->jlen, stdout);
			jw_end_object(&w);
			fputc('\n', stdout);
		}
	}
	free(ctx->jbuf);
	ctx->jbuf = NULL;
	return status;
}

FILE *
out_text_begin(struct cmd_ctx *ctx, struct out_textbuf *tb)
{
	tb->buf = NULL;
	tb->len = 0;
	tb->f = stdout;
	if (ctx->json && (tb->f = open_memstream(&tb->buf, &tb->len)) == NULL)
		tb->f = stdout;
	return tb->f;
}

int
out_text_end(struct cmd_ctx *ctx, struct out_textbuf *tb, const char *key)
{
	if (tb->f == stdout)
		return ctx->json ? zx_fail(&ctx->err, ZX_ERR_NO_MEMORY,
		    "out of memory") : ZX_OK;
	fclose(tb->f);
	tb->f = NULL;
	out_string(ctx, key, tb->buf);
	free(tb->buf);
	tb->buf = NULL;
	return ZX_OK;
}

void
out_names(struct cmd_ctx *ctx, const char *key,
    const struct cmd_entry *const *c, size_t n)
{
	if (ctx->json) {
		jw_key(&ctx->jw, key);
		jw_start_array(&ctx->jw);
		for (size_t i = 0; i < n; i++)
			jw_string(&ctx->jw, c[i]->name);
		jw_end_array(&ctx->jw);
		return;
	}
	for (size_t i = 0; i < n; i++)
		printf("%s\n", c[i]->name);
}

void
out_note(struct cmd_ctx *ctx, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "zxmem: %s: ", ctx->cmd ? ctx->cmd->name : "zxmem");
	out_text(stderr, msg);
	fputc('\n', stderr);
}

void
out_string(struct cmd_ctx *ctx, const char *key, const char *value)
{
	if (ctx->json)
		jw_string_field(&ctx->jw, key, value);
	else if (!ctx->quiet)
		printf("%s\n", value);
}

void
out_u64(struct cmd_ctx *ctx, const char *key, uint64_t value)
{
	if (ctx->json)
		jw_u64_field(&ctx->jw, key, value);
	else if (!ctx->quiet)
		printf("%" PRIu64 "\n", value);
}

void
out_addr(struct cmd_ctx *ctx, const char *key, uint64_t value)
{
	if (ctx->json)
		jw_addr_field(&ctx->jw, key, value);
	else if (!ctx->quiet)
		printf("0x%" PRIx64 "\n", value);
}

void
out_json_u64(struct cmd_ctx *ctx, const char *key, uint64_t value)
{
	if (ctx->json)
		jw_u64_field(&ctx->jw, key, value);
}

void
out_json_addr(struct cmd_ctx *ctx, const char *key, uint64_t value)
{
	if (ctx->json)
		jw_addr_field(&ctx->jw, key, value);
}

static const char hexd[] = "0123456789abcdef";

/* One line like hexdump -C: the address in at least 8 hex digits, 8 + 8
 * bytes, the printable column. Returns the end of what it wrote (at most
 * 16 + 2 + 49 + 2 + 18 bytes). */
static char *
hex_line(char *p, uint64_t addr, const uint8_t *b, size_t n)
{
	int digits = 8;

	while (digits < 16 && (addr >> (4 * digits)) != 0)
		digits++;
	for (int i = digits - 1; i >= 0; i--, addr >>= 4)
		p[i] = hexd[addr & 15];
	p += digits;
	*p++ = ' ';
	for (size_t i = 0; i < 16; i++) {
		if (i == 0 || i == 8)
			*p++ = ' ';
		if (i < n) {
			*p++ = hexd[b[i] >> 4];
			*p++ = hexd[b[i] & 15];
		} else {
			*p++ = ' ';
			*p++ = ' ';
		}
		*p++ = ' ';
	}
	*p++ = ' ';
	*p++ = '|';
	for (size_t i = 0; i < n; i++)
		*p++ = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.';
	*p++ = '|';
	*p++ = '\n';
	return p;
}

static size_t
format_width(enum format fmt)
{
	switch (fmt) {
	case FMT_U8: case FMT_I8: case FMT_X8: return 1;
	case FMT_U16: case FMT_I16: case FMT_X16: return 2;
	case FMT_U32: case FMT_I32: case FMT_F32: case FMT_X32: return 4;
	case FMT_U64: case FMT_I64: case FMT_F64: case FMT_X64: return 8;
	default: return 0;
	}
}

static const char pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* v in decimal: two digits per division. */
static char *
put_u64(char *p, uint64_t v)
{
	char t[20];
	int n = 20;

	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);

		v /= 100;
		t[--n] = pairs[2 * r + 1];
		t[--n] = pairs[2 * r];
	}
	if (v >= 10) {
		t[--n] = pairs[2 * v + 1];
		t[--n] = pairs[2 * v];
	} else {
		t[--n] = (char)('0' + v);
	}
	memcpy(p, t + n, (size_t)(20 - n));
	return p + (20 - n);
}

static char *
put_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, (uint64_t)0 - (uint64_t)v);
	}
	return put_u64(p, (uint64_t)v);
}

/* One value of a typed format at b, as text. */
static char *
put_value(char *p, enum format fmt, const uint8_t *b)
{
	switch (fmt) {
	/* %.9g and %.17g: fmt_g is snprintf's text, faster */
	case FMT_F32: { float v; memcpy(&v, b, 4);
		return fmt_g(p, (double)v, 9); }
	case FMT_F64: { double v; memcpy(&v, b, 8);
		return fmt_g(p, v, 17); }
	case FMT_I8: { int8_t v; memcpy(&v, b, 1); return put_i64(p, v); }
	case FMT_I16: { int16_t v; memcpy(&v, b, 2); return put_i64(p, v); }
	case FMT_I32: { int32_t v; memcpy(&v, b, 4); return put_i64(p, v); }
	case FMT_I64: { int64_t v; memcpy(&v, b, 8); return put_i64(p, v); }
	case FMT_U8: return put_u64(p, b[0]);
	case FMT_U16: { uint16_t v; memcpy(&v, b, 2); return put_u64(p, v); }
	case FMT_U32: { uint32_t v; memcpy(&v, b, 4); return put_u64(p, v); }
	case FMT_U64: { uint64_t v; memcpy(&v, b, 8); return put_u64(p, v); }
	default: break;
	}
	/* x8 ... x64: 0x and every digit of the width. */
	{
		size_t w = format_width(fmt);
		uint64_t u = 0;

		if (w == 1) {
			u = b[0];
		} else if (w == 2) {
			uint16_t v;

			memcpy(&v, b, 2);
			u = v;
		} else if (w == 4) {
			uint32_t v;

			memcpy(&v, b, 4);
			u = v;
		} else {
			memcpy(&u, b, 8);
		}
		*p++ = '0';
		*p++ = 'x';
		for (size_t k = 2 * w; k > 0; k--)
			*p++ = hexd[(u >> (4 * (k - 1))) & 15];
		return p;
	}
}

/* The same for JSON: a NaN or an infinity has no JSON number; null. */
static char *
json_value(char *p, enum format fmt, const uint8_t *b)
{
	bool finite = true;

	if (fmt == FMT_F32) {
		float v;

		memcpy(&v, b, 4);
		finite = isfinite(v);
	} else if (fmt == FMT_F64) {
		double v;

		memcpy(&v, b, 8);
		finite = isfinite(v);
	}
	if (!finite) {
		memcpy(p, "null", 4);
		return p + 4;
	}
	return put_value(p, fmt, b);
}

#define OUT_CHUNK 65536
#define VIS_FLAGS (VIS_CSTYLE | VIS_OCTAL | VIS_NL | VIS_TAB)

static bool
isoctal_(uint8_t c)
{
	return c >= '0' && c <= '7';
}

/* string and cstring: vis(3) escapes. In the C locale a byte's escape
 * depends on no other byte but a NUL's (\0, or \000 before an octal
 * digit), so each byte's escape is asked of strvisx once and then copied:
 * runs of printable bytes are copied as they are. A NUL at the end of what
 * is known waits for the next piece. */
static char vis_esc[256][4];
static uint8_t vis_len[256];

static int
vis_table(void)
{
	char dst[8];

	if (vis_len['a'] != 0)
		return 0;
	for (int c = 0; c < 256; c++) {
		/* libbsd's strvisx hands mbtowc more than the one byte it
		 * escapes: the bytes after it are defined, and NUL. */
		char src[8] = { (char)c };
		int r = strvisx(dst, src, 1, VIS_FLAGS);

		if (r < 1 || r > 4)
			return -1;
		memcpy(vis_esc[c], dst, (size_t)r);
		vis_len[c] = (uint8_t)r;
	}
	return 0;
}

static int
put_vis(struct out_stream *st, const uint8_t *b, size_t n)
{
	char out[OUT_CHUNK + 8], *p = out;

	if (vis_table() < 0)
		return zx_fail(&st->ctx->err, ZX_ERR_INTERNAL, "strvisx cannot "
		    "escape single bytes for --format %s", format_names[st->fmt]);
	if (st->nul_held && n > 0) {
		size_t k = isoctal_(b[0]) ? 4 : 2;

		memcpy(p, "\\000", k);
		p += k;
		st->nul_held = false;
	}
	if (n > 0 && b[n - 1] == '\0') {
		st->nul_held = true;
		n--;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t c = b[i];

		if (c == '\0' && isoctal_(b[i + 1])) {
			memcpy(p, "\\000", 4);
			p += 4;
		} else if (vis_len[c] == 1) {
			*p++ = (char)c;
		} else {
			memcpy(p, vis_esc[c], 4);
			p += vis_len[c];
		}
		if (p - out >= OUT_CHUNK) {
			fwrite(out, 1, (size_t)(p - out), stdout);
			p = out;
		}
	}
	fwrite(out, 1, (size_t)(p - out), stdout);
	return ZX_OK;
}

void
out_stream_begin(struct out_stream *st, struct cmd_ctx *ctx, enum format fmt,
    uint64_t base, uint64_t total)
{
	memset(st, 0, sizeof(*st));
	st->ctx = ctx;
	st->fmt = fmt;
	st->base = st->pos = base;
	st->total = total;
	if (ctx->json) {
		jw_key(&ctx->jw, "data_hex");
		jw_raw(&ctx->jw, "\"", 1);
		/* The "values" array follows data_hex: built aside, in a
		 * temporary file when the object streams (bounded memory). */
		if (format_width(fmt) != 0 && ctx->jstreamed &&
		    (st->values = tmpfile()) != NULL)
			st->values_tmp = true;
		if (format_width(fmt) != 0 && st->values == NULL)
			st->values = open_memstream(&st->vbuf, &st->vlen);
		if (st->values != NULL)
			fputc('[', st->values);
		return;
	}
	if (!ctx->quiet && !isatty(STDOUT_FILENO))
		st->prog = out_progress_begin(ctx, total);
}

static int
put_slice(struct out_stream *st, const uint8_t *b, size_t n)
{
	struct cmd_ctx *ctx = st->ctx;
	size_t w = format_width(st->fmt), o = 0;
	char out[OUT_CHUNK + 256], *p = out;

	if (st->done)
		return 1;
	if (ctx->json) {
		jw_hex_run(&ctx->jw, b, n);
		/* JSON numbers are decimal, whatever the text form. */
		enum format jf = st->fmt == FMT_X8 ? FMT_U8 :
		    st->fmt == FMT_X16 ? FMT_U16 : st->fmt == FMT_X32 ? FMT_U32 :
		    st->fmt == FMT_X64 ? FMT_U64 : st->fmt;

		for (; st->values != NULL && o + w <= n; o += w) {
			p = json_value(out, jf, b + o);
			if (st->pos + o != st->base)
				fputc(',', st->values);
			fwrite(out, 1, (size_t)(p - out), st->values);
		}
		st->left = w ? n % w : 0;
		st->pos += n;
		return ZX_OK;
	}
	if (ctx->quiet) {
		st->left = w ? n % w : 0;
		st->pos += n;
		return ZX_OK;
	}
	switch (st->fmt) {
	case FMT_HEXDUMP:
		for (o = 0; o < n; o += 16) {
			size_t k = n - o < 16 ? n - o : 16;

			if (k == 16 && st->have_prev &&
			    memcmp(b + o, st->prev, 16) == 0) {
				if (!st->squeezing) {
					*p++ = '*';
					*p++ = '\n';
				}
				st->squeezing = true;
			} else {
				st->squeezing = false;
				p = hex_line(p, st->pos + o, b + o, k);
			}
			if (k == 16) {
				memcpy(st->prev, b + o, 16);
				st->have_prev = true;
			}
			if (p - out >= OUT_CHUNK) {
				fwrite(out, 1, (size_t)(p - out), stdout);
				p = out;
			}
		}
		break;
	case FMT_RAW:
		fwrite(b, 1, n, stdout);
		break;
	case FMT_HEX: {
		struct jw j;

		jw_init(&j, stdout);
		jw_hex_run(&j, b, n);
		break;
	}
	case FMT_CSTRING: {
		const uint8_t *nul = memchr(b, '\0', n);

		if (nul != NULL) {
			n = (size_t)(nul - b);
			st->done = true;
		}
		if (put_vis(st, b, n) != ZX_OK)
			return ctx->err.status;
		break;
	}
	case FMT_STRING:
		if (put_vis(st, b, n) != ZX_OK)
			return ctx->err.status;
		break;
	default:
		for (o = 0; o + w <= n; o += w) {
			p = put_value(p, st->fmt, b + o);
			*p++ = '\n';
			if (p - out >= OUT_CHUNK) {
				fwrite(out, 1, (size_t)(p - out), stdout);
				p = out;
			}
		}
		st->left = n - o;
		break;
	}
	if (p != out)
		fwrite(out, 1, (size_t)(p - out), stdout);
	st->pos += n;
	if (st->prog != NULL)
		out_progress_tick(st->prog, st->pos - st->base);
	return st->done ? 1 : ZX_OK;
}

/* Bytes formatted between looks at Ctrl-C (a whole number of lines and
 * values): a MiB read is printed in 16 slices, so a stopped read stops
 * within about 200 KiB of text. */
#define OUT_SLICE (64u << 10)

int
out_stream_put(struct out_stream *st, const uint8_t *b, size_t n)
{
	size_t o = 0;
	int r;

	do {
		size_t k = n - o < OUT_SLICE ? n - o : OUT_SLICE;

		if (cmd_interrupted())
			return zx_fail(&st->ctx->err, ZX_ERR_CANCELED, "interrupted "
			    "after %" PRIu64 " of %" PRIu64 " bytes",
			    st->pos - st->base, st->total);
		if ((r = put_slice(st, b + o, k)) != ZX_OK)
			return r;
		o += k;
	} while (o < n);
	return ZX_OK;
}

size_t
out_stream_end(struct out_stream *st)
{
	struct cmd_ctx *ctx = st->ctx;

	out_progress_end(st->prog);
	st->prog = NULL;
	if (ctx->json) {
		fputc('"', ctx->jw.f);
		if (st->values != NULL) {
			fputc(']', st->values);
			jw_key(&ctx->jw, "values");
			if (st->values_tmp) {
				char buf[65536];
				size_t n;

				jw_raw(&ctx->jw, "", 0);
				rewind(st->values);
				while ((n = fread(buf, 1, sizeof(buf), st->values)) > 0)
					fwrite(buf, 1, n, ctx->jw.f);
				fclose(st->values);
			} else {
				fclose(st->values);     /* the memstream's buffer is set */
				jw_raw(&ctx->jw, st->vbuf, st->vlen);
			}
			free(st->vbuf);
			st->values = NULL;
			st->vbuf = NULL;
		}
		return st->left;
	}
	if (ctx->quiet)
		return st->left;
	switch (st->fmt) {
	case FMT_HEXDUMP:
		if (st->pos != st->base) {
			char line[24], *p = line;
			uint64_t a = st->pos;
			int digits = 8;

			while (digits < 16 && (a >> (4 * digits)) != 0)
				digits++;
			for (int i = digits - 1; i >= 0; i--, a >>= 4)
				p[i] = hexd[a & 15];
			p[digits] = '\n';
			fwrite(line, 1, (size_t)digits + 1, stdout);
		}
		break;
	case FMT_HEX:
	case FMT_STRING:
	case FMT_CSTRING:
		if (st->nul_held)
			fputs("\\0", stdout);
		st->nul_held = false;
		fputc('\n', stdout);
		break;
	default:
		break;
	}
	return st->left;
}

size_t
out_bytes(struct cmd_ctx *ctx, enum format fmt, uint64_t base,
    const uint8_t *buf, size_t len)
{
	struct out_stream st;

	if (fmt == FMT_VALUE)        /* no type to print by: the bytes */
		fmt = FMT_HEXDUMP;
	out_stream_begin(&st, ctx, fmt, base, len);
	(void)out_stream_put(&st, buf, len);
	return out_stream_end(&st);
}

struct out_progress {
	struct cmd_ctx *ctx;
	uint64_t total;
	struct timespec start, last;
	bool shown;
};

static double
since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

struct out_progress *
out_progress_begin(struct cmd_ctx *ctx, uint64_t total)
{
	struct out_progress *p;

	if (ctx->quiet || ctx->json || ctx->in_batch || total < (1u << 20) ||
	    !isatty(STDERR_FILENO) || (p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->ctx = ctx;
	p->total = total;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	return p;
}

/* After about a second, a line redrawn at most five times a second. */
void
out_progress_tick(struct out_progress *p, uint64_t done)
{
	struct timespec now;

	if (p == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since(&p->start, &now) < 1.0 ||
	    (p->shown && since(&p->last, &now) < 0.2))
		return;
	p->last = now;
	p->shown = true;
	fprintf(stderr, "\rzxmem: %s: %" PRIu64 " of %" PRIu64 " MiB (%d%%)",
	    p->ctx->cmd ? p->ctx->cmd->name : "zxmem", done >> 20,
	    p->total >> 20, (int)(p->total ? done * 100.0 / (double)p->total : 100));
	fflush(stderr);
}

void
out_progress_end(struct out_progress *p)
{
	if (p == NULL)
		return;
	if (p->shown)
		fputs("\r\033[K", stderr);
	free(p);
}

int
out_open_file(struct cmd_ctx *ctx, const char *path)
{
	/* A FIFO's open waits for its reader: a Ctrl-C ends the wait. */
	int fd = cmd_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOCTTY, 0666);

	if (fd < 0 && errno == EINTR)
		zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted while -o %s "
		    "waited for a reader: nothing was written to it",
		    out_cut(path));
	else if (fd < 0)
		zx_fail(&ctx->err, ZX_ERR_IO, "-o %s: %s", out_cut(path),
		    strerror(errno));
	return fd;
}

int
out_close_file(struct cmd_ctx *ctx, const char *path, int fd)
{
	if (close(fd) < 0)
		return zx_fail(&ctx->err, ZX_ERR_IO, "-o %s: %s", out_cut(path),
		    strerror(errno));
	return ZX_OK;
}

int
out_to_file(struct cmd_ctx *ctx, const char *path, const uint8_t *buf,
    size_t len)
{
	int fd = out_open_file(ctx, path), rc;
	size_t put;

	if (fd < 0)
		return ctx->err.status;
	if ((rc = fd_write_all(fd, buf, len, &put)) != 0) {
		close(fd);
		if (rc == ECANCELED)
			return out_file_canceled(ctx, path, put, len);
		return zx_fail(&ctx->err, ZX_ERR_IO, "-o %s: %s", out_cut(path),
		    strerror(rc));
	}
	return out_close_file(ctx, path, fd);
}

int
out_file_canceled(struct cmd_ctx *ctx, const char *path, uint64_t done,
    uint64_t total)
{
	return zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted after %" PRIu64
	    " of %" PRIu64 " bytes (-o %s holds them)", done, total,
	    out_cut(path));
}

void
out_handles(struct cmd_ctx *ctx, const struct tgt_handle_info *h, size_t n)
{
	char rights[256];

	if (ctx->json) {
		jw_key(&ctx->jw, "handles");
		jw_start_array(&ctx->jw);
		for (size_t i = 0; i < n; i++) {
			jw_start_object(&ctx->jw);
			jw_string_field(&ctx->jw, "handle", h[i].name);
			jw_u64_field(&ctx->jw, "koid", h[i].koid);
			jw_string_field(&ctx->jw, "type", "vmo");
			jw_key(&ctx->jw, "rights");
			jw_start_array(&ctx->jw);
			for (size_t r = 0; r < zx_right_names_len; r++)
				if (h[i].rights & zx_right_names[r].bit)
					jw_string(&ctx->jw, zx_right_names[r].name);
			jw_end_array(&ctx->jw);
			if (h[i].gone) {
				jw_key(&ctx->jw, "size");
				jw_null(&ctx->jw);
				jw_bool_field(&ctx->jw, "gone", true);
			} else {
				jw_u64_field(&ctx->jw, "size", h[i].size);
			}
			jw_end_object(&ctx->jw);
		}
		jw_end_array(&ctx->jw);
		return;
	}
	if (ctx->quiet)
		return;
	for (size_t i = 0; i < n; i++) {
		zx_rights_format(h[i].rights, rights, sizeof(rights));
		if (h[i].gone)
			printf("%s %" PRIu64 " vmo %s gone\n", h[i].name, h[i].koid,
			    rights);
		else
			printf("%s %" PRIu64 " vmo %s %" PRIu64 "\n", h[i].name,
			    h[i].koid, rights, h[i].size);
	}
}

void
out_maps(struct cmd_ctx *ctx, const struct zx_mapping *m, size_t n)
{
	if (ctx->json) {
		jw_key(&ctx->jw, "maps");
		jw_start_array(&ctx->jw);
		for (size_t i = 0; i < n; i++) {
			jw_start_object(&ctx->jw);
			jw_addr_field(&ctx->jw, "start", m[i].start);
			jw_addr_field(&ctx->jw, "end", m[i].end);
			jw_string_field(&ctx->jw, "perms", m[i].perms);
			jw_u64_field(&ctx->jw, "offset", m[i].offset);
			jw_string_field(&ctx->jw, "mapping", m[i].name);
			jw_bool_field(&ctx->jw, "protected", m[i].protected_);
			if (m[i].source != NULL)
				jw_string_field(&ctx->jw, "source", m[i].source);
			jw_end_object(&ctx->jw);
		}
		jw_end_array(&ctx->jw);
		return;
	}
	if (ctx->quiet)
		return;
	for (size_t i = 0; i < n; i++)
		printf("%08" PRIx64 "-%08" PRIx64 " %s %08" PRIx64 "%s%s%s%s%s\n",
		    m[i].start, m[i].end, m[i].perms, m[i].offset,
		    m[i].name[0] ? " " : "", m[i].name,
		    m[i].protected_ ? " protected" : "",
		    m[i].source ? " " : "", m[i].source ? m[i].source : "");
}

void
out_vmos(struct cmd_ctx *ctx, const struct tgt_vmo_info *v, size_t n)
{
	if (ctx->json) {
		jw_key(&ctx->jw, "vmos");
		jw_start_array(&ctx->jw);
		for (size_t i = 0; i < n; i++) {
			jw_start_object(&ctx->jw);
			jw_string_field(&ctx->jw, "handle", v[i].handle);
			jw_u64_field(&ctx->jw, "koid", v[i].koid);
			jw_u64_field(&ctx->jw, "size", v[i].size);
			jw_string_field(&ctx->jw, "kind", v[i].kind);
			jw_string_field(&ctx->jw, "name", v[i].name);
			jw_end_object(&ctx->jw);
		}
		jw_end_array(&ctx->jw);
		return;
	}
	if (ctx->quiet)
		return;
	for (size_t i = 0; i < n; i++)
		printf("%s %" PRIu64 " %" PRIu64 " %s %s\n", v[i].handle, v[i].koid,
		    v[i].size, v[i].kind, v[i].name);
}

void
out_object_info(struct cmd_ctx *ctx, const struct zx_vmo_info *i)
{
	static const struct { const char *name; uint32_t bit; } flag_names[] = {
		{ "paged", ZX_INFO_VMO_TYPE_PAGED },
		{ "resizable", ZX_INFO_VMO_RESIZABLE },
		{ "cow-clone", ZX_INFO_VMO_IS_COW_CLONE },
		{ "discardable", ZX_INFO_VMO_DISCARDABLE },
		{ "immutable", ZX_INFO_VMO_IMMUTABLE },
	};
	char rights[256], flags[128] = "";
	size_t used = 0;

	if (ctx->json) {
		jw_u64_field(&ctx->jw, "koid", i->koid);
		jw_string_field(&ctx->jw, "type", "vmo");
		jw_key(&ctx->jw, "rights");
		jw_start_array(&ctx->jw);
		for (size_t r = 0; r < zx_right_names_len; r++)
			if (i->rights & zx_right_names[r].bit)
				jw_string(&ctx->jw, zx_right_names[r].name);
		jw_end_array(&ctx->jw);
		jw_u64_field(&ctx->jw, "size", i->size);
		jw_u64_field(&ctx->jw, "content_size", i->content_size);
		jw_u64_field(&ctx->jw, "committed_bytes", i->committed);
		jw_string_field(&ctx->jw, "cache_policy",
		    zx_cache_policy_name(i->cache_policy));
		jw_u64_field(&ctx->jw, "parent_koid", i->parent_koid);
		jw_u64_field(&ctx->jw, "children", i->children);
		jw_u64_field(&ctx->jw, "mappings", i->mappings);
		jw_key(&ctx->jw, "flags");
		jw_start_array(&ctx->jw);
		for (size_t f = 0; f < sizeof(flag_names) / sizeof(flag_names[0]); f++)
			if (i->flags & flag_names[f].bit)
				jw_string(&ctx->jw, flag_names[f].name);
		jw_end_array(&ctx->jw);
		return;
	}
	if (ctx->quiet)
		return;
	zx_rights_format(i->rights, rights, sizeof(rights));
	for (size_t f = 0; f < sizeof(flag_names) / sizeof(flag_names[0]); f++)
		if (i->flags & flag_names[f].bit)
			used = strlcat(flags, used ? "," : "", sizeof(flags)),
			used = strlcat(flags, flag_names[f].name, sizeof(flags));
	printf("koid %" PRIu64 "\ntype vmo\nrights %s\nsize %" PRIu64
	    "\ncontent_size %" PRIu64 "\ncommitted_bytes %" PRIu64
	    "\ncache_policy %s\nparent_koid %" PRIu64 "\nchildren %" PRIu64
	    "\nmappings %" PRIu64 "\nflags %s\n", i->koid, rights, i->size,
	    i->content_size, i->committed, zx_cache_policy_name(i->cache_policy),
	    i->parent_koid, i->children, i->mappings, flags);
}

/* A name from an object file, made printable (a hostile file's names must
 * not send escape sequences to the terminal). */
static void
print_name(const char *name)
{
	size_t n = strlen(name);
	char *v = n < SIZE_MAX / 4 ? malloc(4 * n + 1) : NULL;

	if (v == NULL) {
		fputs("?", stdout);
		return;
	}
	strvis(v, name, VIS_SAFE | VIS_OCTAL | VIS_NOSLASH);
	fputs(v, stdout);
	free(v);
}

static void
json_symbol(struct cmd_ctx *ctx, const struct tgt_symbol *s)
{
	if (strcmp(s->kind, "tls") == 0)
		jw_u64_field(&ctx->jw, "tls_offset", s->addr);
	else
		jw_addr_field(&ctx->jw, "address", s->addr);
	jw_u64_field(&ctx->jw, "size", s->size);
	jw_string_field(&ctx->jw, "kind", s->kind);
	jw_string_field(&ctx->jw, "symbol", s->name);
	jw_string_field(&ctx->jw, "object", s->object);
}

void
out_symbol_at(struct cmd_ctx *ctx, uint64_t addr, const struct tgt_symbol *s)
{
	if (ctx->json) {
		jw_addr_field(&ctx->jw, "address", addr);
		jw_string_field(&ctx->jw, "symbol", s->name);
		jw_u64_field(&ctx->jw, "symbol_offset", s->offset);
		jw_addr_field(&ctx->jw, "symbol_address", s->addr);
		jw_u64_field(&ctx->jw, "size", s->size);
		jw_string_field(&ctx->jw, "kind", s->kind);
		jw_string_field(&ctx->jw, "object", s->object);
		return;
	}
	if (ctx->quiet)
		return;
	print_name(s->name);
	if (s->offset != 0)
		printf("+%" PRIu64, s->offset);
	fputs(" (", stdout);
	print_name(s->object);
	fputs(")\n", stdout);
}

void
out_symbols(struct cmd_ctx *ctx, const struct tgt_symbol *s, size_t n)
{
	if (ctx->json) {
		jw_key(&ctx->jw, "symbols");
		jw_start_array(&ctx->jw);
		for (size_t i = 0; i < n; i++) {
			jw_start_object(&ctx->jw);
			json_symbol(ctx, &s[i]);
			jw_end_object(&ctx->jw);
		}
		jw_end_array(&ctx->jw);
		return;
	}
	if (ctx->quiet)
		return;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(s[i].kind, "tls") == 0)
			printf("tls+%#-10" PRIx64, s[i].addr);
		else
			printf("0x%012" PRIx64, s[i].addr);
		printf(" %6" PRIu64 " %-6s ", s[i].size, s[i].kind);
		print_name(s[i].name);
		putchar(' ');
		print_name(s[i].object);
		putchar('\n');
	}
}

void
out_find_begin(struct cmd_ctx *ctx)
{
	if (ctx->json) {
		jw_key(&ctx->jw, "hits");
		jw_start_array(&ctx->jw);
	}
}

void
out_find_hit(struct cmd_ctx *ctx, uint64_t addr, const char *sym,
    const char *object, const struct zx_mapping *m)
{
	/* Where in the mapping: a file offset for a file, else from its start. */
	uint64_t off = (m->name[0] == '/' ? m->offset : 0) + (addr - m->start);

	if (ctx->json) {
		jw_start_object(&ctx->jw);
		jw_addr_field(&ctx->jw, "address", addr);
		if (sym[0] != '\0') {
			jw_string_field(&ctx->jw, "symbol", sym);
			jw_string_field(&ctx->jw, "object", object);
		}
		jw_string_field(&ctx->jw, "mapping", m->name);
		jw_u64_field(&ctx->jw, "offset", off);
		jw_end_object(&ctx->jw);
		return;
	}
	if (ctx->quiet)
		return;
	/* Names are vis'd: a line is always the address, then one word. */
	printf("0x%" PRIx64, addr);
	if (sym[0] != '\0') {
		putchar(' ');
		out_text(stdout, sym);
		fputs(" (", stdout);
		out_text(stdout, object);
		putchar(')');
	} else if (m->name[0] != '\0') {
		putchar(' ');
		out_text(stdout, m->name);
		printf("+%#" PRIx64, off);
	}
	putchar('\n');
}

void
out_find_end(struct cmd_ctx *ctx, uint64_t count, bool truncated)
{
	if (!ctx->json)
		return;
	jw_end_array(&ctx->jw);
	jw_u64_field(&ctx->jw, "count", count);
	jw_bool_field(&ctx->jw, "truncated", truncated);
}

void
out_watch_begin(struct cmd_ctx *ctx)
{
	if (ctx->json) {
		/* Each change reaches the reader as it happens, not when
		 * the watch ends: the object streams, "status" last. */
		out_json_stream(ctx);
		jw_key(&ctx->jw, "changes");
		jw_start_array(&ctx->jw);
	}
}

void
out_watch_value(struct cmd_ctx *ctx, enum format fmt, uint64_t addr,
    const uint8_t *buf, size_t len, const struct zx_type *type,
    const struct value_src *src)
{
	struct timespec ts;
	struct tm tm;
	char when[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%03ldZ",
	    ts.tv_nsec / 1000000);
	if (ctx->json) {
		jw_start_object(&ctx->jw);
		jw_string_field(&ctx->jw, "time", when);
		if (fmt == FMT_VALUE)
			out_value(ctx, type, buf, len, src);
		else
			(void)out_bytes(ctx, fmt, addr, buf, len);
		jw_end_object(&ctx->jw);
		fflush(stdout);
		return;
	}
	if (ctx->quiet)
		return;
	printf("%s%c", when, fmt == FMT_HEXDUMP ? '\n' : ' ');
	if (fmt == FMT_VALUE)
		out_value(ctx, type, buf, len, src);
	else
		(void)out_bytes(ctx, fmt, addr, buf, len);
	if (fmt == FMT_RAW)
		putchar('\n');
	fflush(stdout);
}

void
out_watch_end(struct cmd_ctx *ctx, uint64_t addr, uint64_t size, bool matched)
{
	if (!ctx->json)
		return;
	jw_end_array(&ctx->jw);
	jw_addr_field(&ctx->jw, "address", addr);
	jw_u64_field(&ctx->jw, "size", size);
	jw_bool_field(&ctx->jw, "matched", matched);
}

void
out_value(struct cmd_ctx *ctx, const struct zx_type *t, const uint8_t *buf,
    size_t len, const struct value_src *src)
{
	if (ctx->json) {
		jw_key(&ctx->jw, "data_hex");
		jw_hex_bytes(&ctx->jw, buf, len);
		jw_string_field(&ctx->jw, "type", t->name);
		jw_key(&ctx->jw, "value");
		value_json(&ctx->jw, t, buf, len, src);
		return;
	}
	if (!ctx->quiet)
		value_print(stdout, t, buf, len, src);
}
