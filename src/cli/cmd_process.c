/* SPDX-License-Identifier: GPL-3.0-or-later */
/* process-read-memory process-write-memory process-maps process-vmos
 * process-symbol process-symbols: TARGET is a PID or an ELF core. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "cli/value.h"
#include "core/procmem.h"
#include "targets/fdio.h"
#include "targets/targets.h"

static const char *const k_target[] = { "target", "vaddr", "number", NULL };

static bool
is_pid(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* --exe and --thread are checked before anything is opened. */
int
process_target_opts(struct cmd_ctx *ctx, struct cmd_args *a)
{
	uint64_t tid;

	if (a->opt[OPT_EXE] != NULL && is_pid(a->pos[0]))
		return usage_error(ctx, "--exe: '%s' is a live process, whose "
		    "executable is /proc/%s/exe; --exe names a core file's "
		    "executable", a->pos[0], a->pos[0]);
	if (a->opt[OPT_THREAD] != NULL &&
	    (arg_number(ctx, a->opt[OPT_THREAD], "--thread", &tid) ||
	    tid == 0 || tid > 0x3fffffff))
		return ctx->usage_msg[0] ? CMD_USAGE : usage_error(ctx,
		    "--thread: '%s' is not a thread ID", a->opt[OPT_THREAD]);
	return 0;
}

struct zx_aspace *
process_target(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_aspace *as = tgt_process(ctx->tgt, a->pos[0], a->opt[OPT_EXE]);
	uint64_t tid = 0;

	if (as == NULL) {
		zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
		return NULL;
	}
	/* Checked by process_target_opts; a cached target forgets the last one. */
	if (a->opt[OPT_THREAD] != NULL)
		arg_number(ctx, a->opt[OPT_THREAD], "--thread", &tid);
	as->thread = (int)tid;
	return as;
}

static int
vaddr_arg(struct cmd_ctx *ctx, const char *text, struct zx_vaddr *va)
{
	char why[WHY_LEN];

	if (parse_vaddr(text, va, why) < 0)
		return usage_error(ctx, "VADDR: '%s': %s", text, why);
	return 0;
}

/* The bytes SIZE defaults to (SPEC §10): the type's, else the symbol's. */
uint64_t
typed_size(const struct zx_vaddr *va)
{
	if (va->type != NULL && va->bit_size != 0)
		return va->obj_size;
	if (va->type != NULL && va->type->sized && va->type->size > 0)
		return va->type->size;
	return va->obj_size;
}

#define READ_PIECE (1u << 20)      /* bytes in memory at once */
#define COPY_PIECE (16u << 20)     /* -o: per kernel copy, between progress */

/* One piece at off of the transfer the check proved. A piece that fails
 * after the first ends the transfer as a short read: the bytes before it
 * were read. */
static zx_status_t
read_piece(struct cmd_ctx *ctx, struct zx_aspace *as,
    const struct zx_procmem_result *res, uint64_t off, uint8_t *buf,
    size_t len, size_t *got)
{
	zx_status_t s = zx_process_read_piece(as, res, off, buf, len, got,
	    &ctx->err);

	if (s != ZX_OK && off != 0) {
		*got = 0;
		return ZX_OK;
	}
	if (s == ZX_OK && off == 0 && *got == 0)
		return zx_fail(&ctx->err, ZX_ERR_OUT_OF_RANGE,
		    "nothing could be read at %#" PRIx64, res->vaddr);
	return s;
}

/* -o FILE: the first piece is read before the file is touched (a read
 * that fails leaves it as it was); the rest by the kernel where the
 * target can copy (a core), else in pieces of /proc/PID/mem. */
static zx_status_t
read_to_file(struct cmd_ctx *ctx, struct zx_aspace *as,
    const struct zx_procmem_result *res, size_t n, uint8_t *buf,
    const char *path, uint64_t *done)
{
	struct out_progress *prog;
	bool kernel = true;
	size_t want = n < READ_PIECE ? n : READ_PIECE, got;
	zx_status_t s;
	int fd, rc;

	*done = 0;
	if ((s = read_piece(ctx, as, res, 0, buf, want, &got)) != ZX_OK)
		return s;
	if ((fd = out_open_file(ctx, path)) < 0)
		return ctx->err.status;
	prog = out_progress_begin(ctx, n);
	for (;;) {
		size_t put;

		if ((rc = fd_write_all(fd, buf, got, &put)) != 0) {
			*done += put;
			s = rc == ECANCELED ? ZX_ERR_CANCELED : zx_fail(&ctx->err,
			    ZX_ERR_IO, "-o %s: %s", out_cut(path), strerror(rc));
			break;
		}
		*done += got;
		out_progress_tick(prog, *done);
		if (got < want)
			break;                  /* a short read */
		while (kernel && *done < n) {
			uint64_t k = n - *done > COPY_PIECE ? COPY_PIECE : n - *done;
			uint64_t moved;

			s = zx_process_copy_out(as, res, *done, k, fd, &moved, &ctx->err);
			if (s == ZX_ERR_NOT_SUPPORTED) {
				kernel = false;
				s = ZX_OK;
				break;
			}
			*done += moved;
			out_progress_tick(prog, *done);
			if (s != ZX_OK || moved < k)
				goto end;
		}
		if (*done == n)
			break;
		if (cmd_interrupted()) {
			s = out_file_canceled(ctx, path, *done, n);
			break;
		}
		want = n - *done < READ_PIECE ? n - *done : READ_PIECE;
		if ((s = read_piece(ctx, as, res, *done, buf, want, &got)) != ZX_OK)
			break;
	}
end:
	/* A Ctrl-C while -o waited for its reader (a FIFO). */
	if (s == ZX_ERR_CANCELED && cmd_interrupted())
		s = out_file_canceled(ctx, path, *done, n);
	out_progress_end(prog);
	if (s != ZX_OK) {
		close(fd);
		return s;
	}
	return out_close_file(ctx, path, fd);
}

/* Through the formatter, a piece at a time; *done the bytes read. */
static zx_status_t
read_to_stdout(struct cmd_ctx *ctx, struct zx_aspace *as,
    const struct zx_procmem_result *res, size_t n, uint8_t *buf,
    enum format fmt, uint64_t *done, size_t *left)
{
	struct out_stream st;
	zx_status_t s = ZX_OK;
	size_t got;

	*done = 0;
	/* The first piece before anything is printed: an error stays one. */
	if ((s = read_piece(ctx, as, res, 0, buf, n < READ_PIECE ? n :
	    READ_PIECE, &got)) != ZX_OK)
		return s;
	out_json_stream(ctx);
	out_stream_begin(&st, ctx, fmt, res->vaddr, n);
	while (got > 0) {
		int r = out_stream_put(&st, buf, got);

		*done += got;
		if (r == ZX_ERR_CANCELED)
			*done = st.pos - st.base;
		if (r != ZX_OK) {
			s = r == 1 ? ZX_OK : r;
			break;
		}
		if (*done == n || got < READ_PIECE)
			break;                  /* the end, or a short read */
		if ((s = read_piece(ctx, as, res, *done, buf, n - *done < READ_PIECE ?
		    n - *done : READ_PIECE, &got)) != ZX_OK)
			break;
	}
	*left = out_stream_end(&st);
	return s;
}

static int
process_read(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_procmem_result res;
	struct zx_types types = { 0 };
	struct zx_vaddr *va;
	struct zx_aspace *as;
	uint64_t size = 0, need, done = 0;
	enum format fmt;
	uint8_t *buf = NULL;
	zx_status_t s;
	size_t n, left = 0;
	bool have_size = a->npos > 2, fmt_given = a->opt[OPT_FORMAT] != NULL;
	int rc;

	if ((va = malloc(sizeof(*va))) == NULL)
		return zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
	if (vaddr_arg(ctx, a->pos[1], va) || (have_size &&
	    arg_number(ctx, a->pos[2], "SIZE", &size)) ||
	    arg_format(ctx, a, &fmt) || process_target_opts(ctx, a)) {
		rc = CMD_USAGE;
		goto out;
	}
	if (va->symbol == NULL && (fmt == FMT_VALUE || !have_size)) {
		rc = usage_error(ctx, "%s: '%s' is a number, which has no type%s",
		    have_size ? "--format value" : "SIZE", a->pos[1],
		    have_size ? "" : ": give SIZE");
		goto out;
	}
	if ((as = process_target(ctx, a)) == NULL) {
		rc = ctx->err.status;
		goto out;
	}
	/* The type is looked up when it decides the size or the format. */
	if (va->symbol != NULL && (!have_size || !fmt_given || fmt == FMT_VALUE))
		va->types = &types;
	va->need_type = fmt == FMT_VALUE;
	/* Without SIZE the symbol step comes first: it gives the size. A SIZE
	 * the rules refuse is refused before the target is looked at. */
	if (!have_size || (va->types != NULL && size > 0 &&
	    size <= ZX_MAX_DEBUG_BLOCK)) {
		if ((rc = zx_process_resolve(as, va, ZX_RIGHT_READ, &ctx->err)) != ZX_OK)
			goto out;
		if (!have_size && (size = typed_size(va)) == 0) {
			rc = usage_error(ctx, "SIZE: '%s' has no DWARF type and no "
			    "ELF size; give SIZE", va->expr);
			goto out;
		}
	}
	if (va->type != NULL && !fmt_given)
		fmt = FMT_VALUE;
	/* Every check and the clamp first; then the bytes, streamed in
	 * pieces (a value, small, in one buffer). */
	if ((rc = zx_process_read_check(as, va, size, &res, &n, &ctx->err)) != ZX_OK)
		goto out;
	need = fmt == FMT_VALUE ? typed_size(va) : 0;
	/* Page-aligned: the kernel copies whole pages of the target into it. */
	if ((buf = aligned_alloc(4096, ((fmt == FMT_VALUE ? n : n < READ_PIECE ?
	    n : READ_PIECE) + 4095) & ~(size_t)4095)) == NULL) {
		rc = zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	out_json_addr(ctx, "address", res.vaddr);
	out_json_u64(ctx, "size", size);
	if (a->opt[OPT_OUTPUT] != NULL) {
		s = read_to_file(ctx, as, &res, n, buf, a->opt[OPT_OUTPUT], &done);
	} else if (fmt != FMT_VALUE) {
		s = read_to_stdout(ctx, as, &res, n, buf, fmt, &done, &left);
	} else if ((s = zx_process_read_piece(as, &res, 0, buf, n, &res.actual,
	    &ctx->err)) == ZX_OK && res.actual == 0) {
		s = zx_fail(&ctx->err, ZX_ERR_OUT_OF_RANGE,
		    "nothing could be read at %#" PRIx64, res.vaddr);
	} else if (s == ZX_OK) {
		done = res.actual;
		out_json_u64(ctx, "actual", done);
		if (need > 0 && res.actual >= need) {
			struct value_src src = { va->bit_offset, va->bit_size, as };

			if (res.actual > need)
				out_note(ctx, "%zu bytes after the %" PRIu64 "-byte value "
				    "are not shown (--format hexdump shows them)",
				    res.actual - (size_t)need, need);
			out_value(ctx, va->type, buf, res.actual, &src);
		} else {
			out_note(ctx, "%zu bytes are too few for '%s' (%s, %"
			    PRIu64 " bytes): shown as bytes", res.actual,
			    va->expr, va->type->name, need);
			(void)out_bytes(ctx, FMT_HEXDUMP, res.vaddr, buf, res.actual);
		}
	}
	if ((a->opt[OPT_OUTPUT] != NULL || fmt != FMT_VALUE) &&
	    (s == ZX_OK || done > 0))
		out_json_u64(ctx, "actual", done);
	/* Where the bytes stopped: the mapping's end, or short of it (an
	 * object shorter than its mapping, a core that leaves the rest out,
	 * a page that failed to read). */
	if (s == ZX_OK && done < size && res.vaddr + done == res.map.end)
		out_note(ctx, "short read: %" PRIu64 " of %" PRIu64 " bytes (the "
		    "mapping %#" PRIx64 "-%#" PRIx64 " ends there)", done, size,
		    res.map.start, res.map.end);
	else if (s == ZX_OK && done < size)
		out_note(ctx, "short read: %" PRIu64 " of %" PRIu64 " bytes (the "
		    "mapping %#" PRIx64 "-%#" PRIx64 " could be read only up to "
		    "%#" PRIx64 ")", done, size, res.map.start, res.map.end,
		    res.vaddr + done);
	if (s == ZX_OK && left != 0)
		out_note(ctx, "%zu trailing bytes do not make a whole %s", left,
		    format_names[fmt]);
	rc = s;
out:
	zx_types_free(&types);
	free(buf);
	free(va);
	return rc;
}

const struct cmd_entry cmd_process_read_memory = {
	.name = "process-read-memory",
	.usage = "TARGET VADDR [SIZE] [--format FORMAT] [-o FILE] [--thread TID] "
	    "[--exe PATH]",
	.summary = "Read up to SIZE bytes (at most 64 MiB, within one mapping) "
	    "of a process or core at VADDR; SIZE defaults to the size of "
	    "VADDR's type or symbol, and a typed VADDR prints as a value.",
	.min_args = 2, .max_args = 3,
	.opts = OPTS_READ | O(OPT_EXE) | O(OPT_THREAD),
	.argkinds = k_target,
	.exec = process_read,
};

/* --value: V encoded by the type the symbol step found. */
struct encode_arg {
	struct cmd_ctx *ctx;
	const char *text;
};

static zx_status_t
encode_value(void *arg, const struct zx_vaddr *va, struct zx_bytes *out,
    struct zx_err *err)
{
	struct encode_arg *e = arg;
	uint8_t *buf;
	size_t len;
	zx_status_t s;

	if ((s = value_encode(e->text, va->expr, va->type, va->bit_size, &buf,
	    &len, err)) != ZX_OK)
		return s;
	/* Freed with the command's DATA. */
	e->ctx->data_buf = buf;
	e->ctx->data_len = len;
	out->data = buf;
	out->len = len;
	out->repeat = 1;
	out->in_file = false;
	return ZX_OK;
}

static int
process_write(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_procmem_result res;
	struct zx_types types = { 0 };
	struct zx_bytes data;
	struct zx_vaddr *va;
	struct zx_aspace *as;
	const char *value = a->opt[OPT_VALUE];
	uint64_t size = 0;
	int rc;

	if ((va = malloc(sizeof(*va))) == NULL)
		return zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
	if (vaddr_arg(ctx, a->pos[1], va) || process_target_opts(ctx, a)) {
		rc = CMD_USAGE;
	} else if (value != NULL && (a->npos > 2 || a->opt[OPT_REPEAT] != NULL)) {
		rc = usage_error(ctx, "--value is the one DATA source: no %s with it",
		    a->npos > 2 ? "DATA argument" : "--repeat");
	} else if (value != NULL && va->symbol == NULL) {
		rc = usage_error(ctx, "--value: VADDR '%s' is a number, which has "
		    "no type (name a symbol or expression)", a->pos[1]);
	} else if (value == NULL && (rc = arg_data_stream(ctx, a, 2, &data,
	    ZX_MAX_DEBUG_BLOCK)) != 0) {
		/* CMD_USAGE, or ZX_ERR_CANCELED while DATA was awaited */
	} else if (cmd_interrupted()) {
		/* A Ctrl-C while DATA was read stops the write before it starts. */
		rc = zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted while DATA "
		    "was read: nothing was written");
	} else if ((as = process_target(ctx, a)) == NULL) {
		rc = ctx->err.status;
	} else {
		va->force = a->opt[OPT_FORCE] != NULL;
		if (value != NULL) {
			struct encode_arg e = { ctx, value };

			va->types = &types;
			rc = zx_process_write_value(gate_enabled(ctx), as, va,
			    encode_value, &e, &res, &ctx->err);
			/* A bitfield is written as the bytes that hold it. */
			size = va->bit_size != 0 ? ((uint64_t)va->bit_offset +
			    va->bit_size + 7) / 8 : ctx->data_len;
		} else {
			rc = zx_process_write_memory(gate_enabled(ctx), as, va, &data,
			    &res, &ctx->err);
			size = zx_bytes_size(&data);
		}
		if (rc == ZX_OK) {
			out_json_addr(ctx, "address", res.vaddr);
			out_json_u64(ctx, "size", size);
			out_u64(ctx, "actual", res.actual);
		}
	}
	zx_types_free(&types);
	free(va);
	return rc;
}

const struct cmd_entry cmd_process_write_memory = {
	.name = "process-write-memory",
	.usage = "TARGET VADDR [DATA] [--value V] [--force] [--thread TID] "
	    "[--exe PATH]",
	.summary = "Write DATA (at most 64 MiB, clamped to one mapping) into a "
	    "process or core at VADDR; print the bytes written. DATA that runs "
	    "past the object VADDR names is refused unless --force.",
	.min_args = 2, .max_args = 3,
	.opts = OPTS_DATA | O(OPT_VALUE) | O(OPT_FORCE) | O(OPT_EXE) |
	    O(OPT_THREAD),
	.argkinds = k_target,
	.exec = process_write,
};

static int
process_maps(struct cmd_ctx *ctx, struct cmd_args *a)
{
	const struct zx_mapping *maps;
	struct zx_aspace *as;
	zx_status_t s;
	size_t n;

	if (process_target_opts(ctx, a))
		return CMD_USAGE;
	if ((as = process_target(ctx, a)) == NULL)
		return ctx->err.status;
	if ((s = tgt_maps(as, &maps, &n, &ctx->err)) != ZX_OK)
		return s;
	out_maps(ctx, maps, n);
	return ZX_OK;
}

const struct cmd_entry cmd_process_maps = {
	.name = "process-maps",
	.usage = "TARGET",
	.summary = "List the mappings of a process or core; writes to those "
	    "marked 'protected' are refused.",
	.min_args = 1, .max_args = 1,
	.argkinds = k_target,
	.exec = process_maps,
};

static int
process_vmos(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct tgt_vmo_info *v;
	struct zx_aspace *as;
	zx_status_t s;
	size_t n;

	if ((as = process_target(ctx, a)) == NULL)
		return ctx->err.status;
	if ((s = tgt_vmos(as, &v, &n, &ctx->err)) != ZX_OK)
		return s;
	out_vmos(ctx, v, n);
	free(v);
	return ZX_OK;
}

const struct cmd_entry cmd_process_vmos = {
	.name = "process-vmos",
	.usage = "TARGET",
	.summary = "List the memfd, shm and file objects of a process, each with "
	    "a path usable as a VMO HANDLE.",
	.min_args = 1, .max_args = 1,
	.argkinds = k_target,
	.exec = process_vmos,
};

static int
process_symbol(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct tgt_symbol sym;
	struct zx_vaddr *va;
	struct zx_aspace *as;
	int rc;

	if ((va = malloc(sizeof(*va))) == NULL)
		return zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
	if (vaddr_arg(ctx, a->pos[1], va) || process_target_opts(ctx, a)) {
		rc = CMD_USAGE;
		goto out;
	}
	if ((as = process_target(ctx, a)) == NULL) {
		rc = ctx->err.status;
		goto out;
	}
	if ((rc = zx_process_resolve(as, va, ZX_RIGHT_READ, &ctx->err)) != ZX_OK)
		goto out;
	if (va->symbol != NULL) {
		out_addr(ctx, "address", va->addr);
		goto out;
	}
	/* An ADDRESS: the symbol that holds it. */
	if ((rc = tgt_symbol_at(as, va->addr, &sym, &ctx->err)) == ZX_OK) {
		out_symbol_at(ctx, va->addr, &sym);
		free(sym.name);
	}
out:
	free(va);
	return rc;
}

const struct cmd_entry cmd_process_symbol = {
	.name = "process-symbol",
	.usage = "TARGET SYMBOL|ADDRESS [--thread TID] [--exe PATH]",
	.summary = "Print the address of [OBJECT!]SYMBOL[+-N] in a process or "
	    "core, or the symbol holding ADDRESS (\"counter+2 (/path/prog)\").",
	.min_args = 2, .max_args = 2,
	.opts = O(OPT_EXE) | O(OPT_THREAD),
	.argkinds = k_target,
	.exec = process_symbol,
};

static int
process_symbols(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static struct zx_vaddr none;    /* no symbol: lookup and state only */
	struct tgt_symbol *v;
	struct zx_aspace *as;
	zx_status_t s;
	size_t n;

	if (process_target_opts(ctx, a))
		return CMD_USAGE;
	if ((as = process_target(ctx, a)) == NULL)
		return ctx->err.status;
	if ((s = zx_process_resolve(as, &none, ZX_RIGHT_READ, &ctx->err)) != ZX_OK)
		return s;
	if ((s = tgt_symbols(as, a->npos > 1 ? a->pos[1] : NULL,
	    a->opt[OPT_OBJECT], &v, &n, &ctx->err)) != ZX_OK)
		return s;
	out_symbols(ctx, v, n);
	tgt_symbols_free(v, n);
	return ZX_OK;
}

static const char *const k_symbols[] = { "target", "vaddr", NULL };

const struct cmd_entry cmd_process_symbols = {
	.name = "process-symbols",
	.usage = "TARGET [GLOB] [--object OBJ] [--exe PATH]",
	.summary = "List the symbols of a process or core matching GLOB "
	    "(demangled names): address, size, kind, name, object.",
	.min_args = 1, .max_args = 2,
	.opts = O(OPT_EXE) | O(OPT_OBJECT),
	.argkinds = k_symbols,
	.exec = process_symbols,
};
