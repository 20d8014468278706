#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#define LIBBSD_OPENBSD_VIS 1   /* strvis/strvisx only; silence the strnvis note */
#include <vis.h>

#include "cli/output.h"
#include "cli/value.h"
#include "core/rights.h"
#include "core/vmo.h"
#include "targets/targets.h"

void
out_begin(struct cmd_ctx *ctx)
{
	ctx->jf = NULL;
	ctx->jbuf = NULL;
	ctx->jlen = 0;
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

int
out_end(struct cmd_ctx *ctx, int rc)
{
	const char *name = ctx->cmd ? ctx->cmd->name : NULL;
	int status;

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

/* Like hexdump -C: offset, 8 + 8 bytes, the printable column; repeated
 * lines squeezed to "*"; the end offset last. */
static void
hexdump(FILE *f, uint64_t base, const uint8_t *buf, size_t len)
{
	bool squeezing = false;

	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;
		char line[80], *p = line;

		if (off >= 16 && n == 16 && memcmp(buf + off, buf + off - 16, 16) == 0) {
			if (!squeezing)
				fputs("*\n", f);
			squeezing = true;
			continue;
		}
		squeezing = false;
		for (size_t i = 0; i < 16; i++) {
			if (i < n)
				p += sprintf(p, "%02x ", buf[off + i]);
			else
				p += sprintf(p, "   ");
			if (i == 7)
				*p++ = ' ';
		}
		*p = '\0';
		fprintf(f, "%08" PRIx64 "  %s |", base + off, line);
		for (size_t i = 0; i < n; i++) {
			uint8_t c = buf[off + i];

			fputc(c >= 0x20 && c < 0x7f ? c : '.', f);
		}
		fputs("|\n", f);
	}
	if (len > 0)
		fprintf(f, "%08" PRIx64 "\n", base + len);
}

static void
value_at(const uint8_t *p, enum format fmt, char *buf, size_t len, double *d,
    bool *is_float, int64_t *i, uint64_t *u, bool *is_signed)
{
	*is_float = *is_signed = false;
	switch (fmt) {
	case FMT_U8: *u = p[0]; break;
	case FMT_U16: { uint16_t v; memcpy(&v, p, 2); *u = v; break; }
	case FMT_U32: { uint32_t v; memcpy(&v, p, 4); *u = v; break; }
	case FMT_U64: memcpy(u, p, 8); break;
	case FMT_I8: { int8_t v; memcpy(&v, p, 1); *i = v; *is_signed = true; break; }
	case FMT_I16: { int16_t v; memcpy(&v, p, 2); *i = v; *is_signed = true; break; }
	case FMT_I32: { int32_t v; memcpy(&v, p, 4); *i = v; *is_signed = true; break; }
	case FMT_I64: memcpy(i, p, 8); *is_signed = true; break;
	case FMT_F32: { float v; memcpy(&v, p, 4); *d = v; *is_float = true;
		snprintf(buf, len, "%.9g", *d); return; }
	case FMT_F64: memcpy(d, p, 8); *is_float = true;
		snprintf(buf, len, "%.17g", *d); return;
	default: break;
	}
	if (*is_signed)
		snprintf(buf, len, "%" PRId64, *i);
	else
		snprintf(buf, len, "%" PRIu64, *u);
}

static size_t
format_width(enum format fmt)
{
	switch (fmt) {
	case FMT_U8: case FMT_I8: return 1;
	case FMT_U16: case FMT_I16: return 2;
	case FMT_U32: case FMT_I32: case FMT_F32: return 4;
	case FMT_U64: case FMT_I64: case FMT_F64: return 8;
	default: return 0;
	}
}

size_t
out_bytes(struct cmd_ctx *ctx, enum format fmt, uint64_t base,
    const uint8_t *buf, size_t len)
{
	size_t w, left;
	char *vis;

	if (fmt == FMT_VALUE)        /* no type to print by: the bytes */
		fmt = FMT_HEXDUMP;
	w = format_width(fmt);
	left = w ? len % w : 0;

	if (ctx->json) {
		jw_key(&ctx->jw, "data_hex");
		jw_hex_bytes(&ctx->jw, buf, len);
		if (w != 0) {
			jw_key(&ctx->jw, "values");
			jw_start_array(&ctx->jw);
			for (size_t o = 0; o + w <= len; o += w) {
				char s[64];
				double d;
				int64_t i;
				uint64_t u;
				bool isf, iss;

				value_at(buf + o, fmt, s, sizeof(s), &d, &isf, &i, &u, &iss);
				if (isf)
					jw_double(&ctx->jw, d);
				else if (iss)
					jw_i64(&ctx->jw, i);
				else
					jw_u64(&ctx->jw, u);
			}
			jw_end_array(&ctx->jw);
		}
		return left;
	}
	if (ctx->quiet)
		return left;
	switch (fmt) {
	case FMT_HEXDUMP:
		hexdump(stdout, base, buf, len);
		break;
	case FMT_RAW:
		fwrite(buf, 1, len, stdout);
		break;
	case FMT_HEX: {
		struct jw w;

		/* The JSON writer's hex run, without its quotes. */
		jw_init(&w, stdout);
		jw_hex_run(&w, buf, len);
		fputc('\n', stdout);
		break;
	}
	case FMT_STRING:
		if (len > (SIZE_MAX - 1) / 4 || (vis = malloc(len * 4 + 1)) == NULL) {
			fputs("(out of memory)\n", stdout);
			break;
		}
		strvisx(vis, (const char *)buf, len, VIS_CSTYLE | VIS_OCTAL |
		    VIS_NL | VIS_TAB);
		printf("%s\n", vis);
		free(vis);
		break;
	default:
		for (size_t o = 0; o + w <= len; o += w) {
			char s[64];
			double d;
			int64_t i;
			uint64_t u;
			bool isf, iss;

			value_at(buf + o, fmt, s, sizeof(s), &d, &isf, &i, &u, &iss);
			puts(s);
		}
		break;
	}
	return left;
}

int
out_to_file(struct cmd_ctx *ctx, const char *path, const uint8_t *buf,
    size_t len)
{
	size_t off = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY,
	    0666);

	if (fd < 0)
		return zx_fail(&ctx->err, ZX_ERR_IO, "-o %s: %s", path,
		    strerror(errno));
	while (off < len) {
		ssize_t r = write(fd, buf + off, len - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			return zx_fail(&ctx->err, ZX_ERR_IO, "-o %s: %s", path,
			    strerror(e));
		}
		off += (size_t)r;
	}
	if (close(fd) < 0)
		return zx_fail(&ctx->err, ZX_ERR_IO, "-o %s: %s", path,
		    strerror(errno));
	return ZX_OK;
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
			jw_string_field(&ctx->jw, "name", h[i].name);
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
			jw_addr_field(&ctx->jw, "offset", m[i].offset);
			jw_string_field(&ctx->jw, "name", m[i].name);
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
		jw_addr_field(&ctx->jw, "tls_offset", s->addr);
	else
		jw_addr_field(&ctx->jw, "address", s->addr);
	jw_u64_field(&ctx->jw, "size", s->size);
	jw_string_field(&ctx->jw, "kind", s->kind);
	jw_string_field(&ctx->jw, "name", s->name);
	jw_string_field(&ctx->jw, "object", s->object);
}

void
out_symbol_at(struct cmd_ctx *ctx, uint64_t addr, const struct tgt_symbol *s)
{
	if (ctx->json) {
		jw_addr_field(&ctx->jw, "address", addr);
		jw_string_field(&ctx->jw, "symbol", s->name);
		jw_u64_field(&ctx->jw, "offset", s->offset);
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
		jw_addr_field(&ctx->jw, "offset", off);
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
