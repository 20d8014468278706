/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmo-create vmo-read vmo-write vmo-get-size vmo-set-size vmo-op-range
 * vmo-create-child vmo-set-cache-policy */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "core/procmem.h"
#include "core/vmo.h"
#include "targets/fdio.h"
#include "targets/targets.h"

static const char *const k_handle[] = { "handle", "number", "number", NULL };
static const char *const k_size[] = { "number", NULL };

static int
vmo_create(struct cmd_ctx *ctx, struct cmd_args *a)
{
	const char *name;
	uint64_t size, rounded;
	char out[80];
	zx_status_t s;

	if (arg_number(ctx, a->pos[0], "SIZE", &size) || arg_name(ctx, a, &name))
		return CMD_USAGE;
	if ((s = zx_vmo_round_size(size, &rounded, &ctx->err)) != ZX_OK)
		return s;
	/* ZX_VMO_DISCARDABLE with ZX_VMO_RESIZABLE: INVALID_ARGS. */
	if (a->opt[OPT_DISCARDABLE] != NULL && a->opt[OPT_RESIZABLE] != NULL)
		return zx_fail(&ctx->err, ZX_ERR_INVALID_ARGS, "a VMO cannot be "
		    "both discardable and resizable");
	if ((s = tgt_vmo_create(ctx->tgt, rounded, size,
	    a->opt[OPT_RESIZABLE] != NULL, a->opt[OPT_DISCARDABLE] != NULL, name,
	    out, sizeof(out), &ctx->err)) != ZX_OK)
		return s;
	out_string(ctx, "handle", out);
	return ZX_OK;
}

const struct cmd_entry cmd_vmo_create = {
	.name = "vmo-create",
	.usage = "SIZE [--resizable] [--discardable] [--name NAME]",
	.summary = "Create a VMO of SIZE bytes (rounded up to a page) and print "
	    "its handle name.",
	.min_args = 1, .max_args = 1,
	.opts = O(OPT_RESIZABLE) | O(OPT_DISCARDABLE) | O(OPT_NAME),
	.argkinds = k_size,
	.exec = vmo_create,
};

#define READ_PIECE (1u << 20)      /* bytes in memory at once */
#define COPY_PIECE (64ull << 20)   /* -o: per kernel copy, between progress */

/* -o FILE: the kernel copies (copy_file_range, sendfile) where the
 * backing can; else pieces through a bounded buffer. */
static int
read_to_file(struct cmd_ctx *ctx, struct zx_handle *h, uint64_t off,
    uint64_t size, const char *path)
{
	struct out_progress *prog;
	uint8_t *buf = NULL;
	uint64_t done = 0;
	zx_status_t s = ZX_OK;
	size_t put;
	int fd, rc;

	if ((fd = out_open_file(ctx, path)) < 0)
		return ctx->err.status;
	prog = out_progress_begin(ctx, size);
	while (done < size && s == ZX_OK) {
		uint64_t n = size - done > COPY_PIECE ? COPY_PIECE : size - done;

		if (cmd_interrupted()) {
			s = out_file_canceled(ctx, path, done, size);
			break;
		}
		if (buf == NULL) {
			uint64_t moved;

			s = zx_vmo_copy_out(h, off + done, n, fd, &moved, &ctx->err);
			if (s == ZX_ERR_CANCELED)
				done += moved;
			if (s == ZX_ERR_NOT_SUPPORTED) {
				if ((buf = malloc(READ_PIECE)) == NULL)
					s = zx_fail(&ctx->err, ZX_ERR_NO_MEMORY,
					    "out of memory");
				else
					s = ZX_OK;
				continue;
			}
		} else {
			if (n > READ_PIECE)
				n = READ_PIECE;
			s = zx_vmo_read_piece(h, off + done, buf, (size_t)n,
			    &ctx->err);
			if (s == ZX_OK && (rc = fd_write_all(fd, buf, (size_t)n,
			    &put)) != 0) {
				done += put;
				s = rc == ECANCELED ? ZX_ERR_CANCELED :
				    zx_fail(&ctx->err, ZX_ERR_IO, "-o %s: %s",
				    out_cut(path), strerror(rc));
			}
		}
		/* A Ctrl-C while -o waited for its reader (a FIFO). */
		if (s == ZX_ERR_CANCELED)
			s = out_file_canceled(ctx, path, done, size);
		if (s == ZX_OK)
			done += n;
		out_progress_tick(prog, done);
	}
	out_progress_end(prog);
	free(buf);
	if (s != ZX_OK) {
		close(fd);
		return s;
	}
	return out_close_file(ctx, path, fd);
}

/* Any SIZE in bounded memory: the checks once, then pieces of a MiB
 * through the formatter. */
static int
vmo_read(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_handle *h = tgt_vmo(ctx->tgt, a->pos[0]);
	struct out_stream st;
	uint64_t off, size, done = 0;
	enum format fmt;
	uint8_t *buf;
	zx_status_t s;
	size_t left;

	if (arg_number(ctx, a->pos[1], "OFFSET", &off) ||
	    arg_number(ctx, a->pos[2], "SIZE", &size) || arg_format(ctx, a, &fmt))
		return CMD_USAGE;
	if ((s = zx_vmo_read_check(h, off, size, &ctx->err)) != ZX_OK)
		return s;
	out_json_u64(ctx, "offset", off);
	out_json_u64(ctx, "size", size);
	if (a->opt[OPT_OUTPUT] != NULL) {
		s = read_to_file(ctx, h, off, size, a->opt[OPT_OUTPUT]);
		zx_vmo_read_done(h);
		if (s == ZX_OK)
			out_json_u64(ctx, "actual", size);
		return s;
	}
	if ((buf = malloc(size < READ_PIECE ? (size ? size : 1) : READ_PIECE)) == NULL) {
		zx_vmo_read_done(h);
		return zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
	}
	out_json_stream(ctx);
	out_stream_begin(&st, ctx, fmt, off, size);
	while (done < size) {
		size_t n = size - done > READ_PIECE ? READ_PIECE :
		    (size_t)(size - done);

		if ((s = zx_vmo_read_piece(h, off + done, buf, n, &ctx->err)) != ZX_OK)
			break;
		if ((s = out_stream_put(&st, buf, n)) != ZX_OK) {
			if (s == 1)
				s = ZX_OK;
			if (s == ZX_ERR_CANCELED)
				done = st.pos - st.base;
			break;
		}
		done += n;
	}
	left = out_stream_end(&st);
	out_json_u64(ctx, "actual", done);
	zx_vmo_read_done(h);
	free(buf);
	if (s == ZX_OK && left != 0)
		out_note(ctx, "%zu trailing bytes do not make a whole %s", left,
		    format_names[fmt]);
	return s;
}

const struct cmd_entry cmd_vmo_read = {
	.name = "vmo-read",
	.usage = "HANDLE OFFSET SIZE [--format FORMAT] [-o FILE]",
	.summary = "Read SIZE bytes of a VMO at OFFSET and print them.",
	.min_args = 3, .max_args = 3,
	.opts = OPTS_READ,
	.argkinds = k_handle,
	.exec = vmo_read,
};

static int
vmo_write(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_bytes data;
	struct zx_handle *h;
	struct zx_err ignored;
	uint64_t off, size, max = ZX_MAX_DEBUG_BLOCK;
	zx_status_t s;
	int rc;

	if (arg_number(ctx, a->pos[1], "OFFSET", &off))
		return CMD_USAGE;
	/* A file or stdin is read only as far as the VMO can take it. */
	h = tgt_vmo(ctx->tgt, a->pos[0]);
	if (zx_vmo_get_size(h, &size, &ignored) == ZX_OK)
		max = off < size ? size - off : 0;
	if ((rc = arg_data_stream(ctx, a, 2, &data, max)) != 0)
		return rc;
	/* A Ctrl-C while DATA was read (a FIFO, a terminal) stops the write
	 * before it starts; once started it runs to its end. */
	if (cmd_interrupted())
		return zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted while DATA "
		    "was read: nothing was written");
	if ((s = zx_vmo_write(h, off, &data, &ctx->err)) != ZX_OK)
		return s;
	/* All or nothing: what moved is what was asked. */
	out_json_u64(ctx, "offset", off);
	out_json_u64(ctx, "size", zx_bytes_size(&data));
	out_json_u64(ctx, "actual", zx_bytes_size(&data));
	return ZX_OK;
}

const struct cmd_entry cmd_vmo_write = {
	.name = "vmo-write",
	.usage = "HANDLE OFFSET [DATA]",
	.summary = "Write DATA into a VMO at OFFSET; nothing is written unless "
	    "all of it fits.",
	.min_args = 2, .max_args = 3,
	.opts = OPTS_DATA,
	.argkinds = k_handle,
	.exec = vmo_write,
};

static int
vmo_get_size(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_handle *h = tgt_vmo(ctx->tgt, a->pos[0]);
	uint64_t size;
	zx_status_t s;

	if ((s = zx_vmo_get_size(h, &size, &ctx->err)) != ZX_OK)
		return s;
	out_u64(ctx, "size", size);
	return ZX_OK;
}

const struct cmd_entry cmd_vmo_get_size = {
	.name = "vmo-get-size",
	.usage = "HANDLE",
	.summary = "Print the size of a VMO in bytes (a whole number of pages).",
	.min_args = 1, .max_args = 1,
	.argkinds = k_handle,
	.exec = vmo_get_size,
};

static int
vmo_set_size(struct cmd_ctx *ctx, struct cmd_args *a)
{
	uint64_t size;

	if (arg_number(ctx, a->pos[1], "SIZE", &size))
		return CMD_USAGE;
	return zx_vmo_set_size(tgt_vmo(ctx->tgt, a->pos[0]), size, &ctx->err);
}

const struct cmd_entry cmd_vmo_set_size = {
	.name = "vmo-set-size",
	.usage = "HANDLE SIZE",
	.summary = "Resize a resizable VMO to SIZE (rounded up to a page); what "
	    "lies past SIZE reads as zeros.",
	.min_args = 2, .max_args = 2,
	.argkinds = k_handle,
	.exec = vmo_set_size,
};

/* In ZIRCON §7's order; discard is zxmem's: the kernel's reclaim. */
static const struct { const char *name; uint32_t op; } ops[] = {
	{ "commit", ZX_VMO_OP_COMMIT }, { "decommit", ZX_VMO_OP_DECOMMIT },
	{ "lock", ZX_VMO_OP_LOCK }, { "unlock", ZX_VMO_OP_UNLOCK },
	{ "cache-sync", ZX_VMO_OP_CACHE_SYNC },
	{ "cache-invalidate", ZX_VMO_OP_CACHE_INVALIDATE },
	{ "cache-clean", ZX_VMO_OP_CACHE_CLEAN },
	{ "cache-clean-invalidate", ZX_VMO_OP_CACHE_CLEAN_INVALIDATE },
	{ "zero", ZX_VMO_OP_ZERO }, { "try-lock", ZX_VMO_OP_TRY_LOCK },
	{ "dont-need", ZX_VMO_OP_DONT_NEED },
	{ "always-need", ZX_VMO_OP_ALWAYS_NEED },
	{ "prefetch", ZX_VMO_OP_PREFETCH }, { "discard", ZX_VMO_OP_DISCARD },
};
static const char *const k_op[] = { "handle", "op", "number", "number", NULL };

static int
vmo_op_range(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_vmo_lock_state ls = { 0 };
	uint64_t off, size, op = UINT64_MAX;
	char why[WHY_LEN];
	zx_status_t s;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(a->pos[1], ops[i].name) == 0)
			op = ops[i].op;
	/* A number reaches Zircon's own check of the op. */
	if (op == UINT64_MAX && parse_number(a->pos[1], &op, why) < 0)
		return usage_error(ctx, "OP: '%s' is not a VMO op (commit decommit "
		    "zero lock try-lock unlock cache-sync cache-invalidate "
		    "cache-clean cache-clean-invalidate prefetch dont-need "
		    "always-need discard) or a number", a->pos[1]);
	if (arg_number(ctx, a->pos[2], "OFFSET", &off) ||
	    arg_number(ctx, a->pos[3], "SIZE", &size))
		return CMD_USAGE;
	s = zx_vmo_op_range(tgt_vmo(ctx->tgt, a->pos[0]),
	    op > UINT32_MAX ? 0 : (uint32_t)op, off, size, gate_enabled(ctx), &ls,
	    &ctx->err);
	if (s == ZX_OK && (op == ZX_VMO_OP_LOCK || op == ZX_VMO_OP_TRY_LOCK)) {
		out_u64(ctx, "offset", ls.offset);
		out_u64(ctx, "size", ls.size);
		out_u64(ctx, "discarded_offset", ls.discarded_offset);
		out_u64(ctx, "discarded_size", ls.discarded_size);
	}
	return s;
}

const struct cmd_entry cmd_vmo_op_range = {
	.name = "vmo-op-range",
	.usage = "HANDLE OP OFFSET SIZE",
	.summary = "Run an operation on a range of a VMO: commit decommit zero "
	    "lock try-lock unlock cache-sync cache-invalidate cache-clean "
	    "cache-clean-invalidate prefetch dont-need always-need, or discard "
	    "(the kernel's reclaim of an unlocked discardable VMO).",
	.min_args = 4, .max_args = 4,
	.argkinds = k_op,
	.exec = vmo_op_range,
};

static const struct { const char *name; uint32_t bit; } child_opts[] = {
	{ "snapshot", ZX_VMO_CHILD_SNAPSHOT },
	{ "snapshot-at-least-on-write", ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE },
	{ "snapshot-modified", ZX_VMO_CHILD_SNAPSHOT_MODIFIED },
	{ "slice", ZX_VMO_CHILD_SLICE }, { "reference", ZX_VMO_CHILD_REFERENCE },
	{ "no-write", ZX_VMO_CHILD_NO_WRITE },
	{ "resizable", ZX_VMO_CHILD_RESIZABLE },
};
static const char *const k_child[] = { "handle", "childopts", "number",
	"number", NULL };

static int
vmo_create_child(struct cmd_ctx *ctx, struct cmd_args *a)
{
	const char *name, *p = a->pos[1];
	uint64_t off, size;
	uint32_t options = 0;
	char out[80];
	zx_status_t s;

	for (;;) {
		size_t n = strcspn(p, ","), i;

		for (i = 0; i < sizeof(child_opts) / sizeof(child_opts[0]); i++)
			if (strlen(child_opts[i].name) == n &&
			    strncmp(child_opts[i].name, p, n) == 0)
				break;
		if (i == sizeof(child_opts) / sizeof(child_opts[0]))
			return usage_error(ctx, "OPTIONS: '%.*s' is not a child option "
			    "(snapshot snapshot-at-least-on-write snapshot-modified "
			    "slice reference no-write resizable)", (int)n, p);
		options |= child_opts[i].bit;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	if (arg_number(ctx, a->pos[2], "OFFSET", &off) ||
	    arg_number(ctx, a->pos[3], "SIZE", &size) || arg_name(ctx, a, &name))
		return CMD_USAGE;
	if ((s = zx_vmo_create_child(tgt_vmo(ctx->tgt, a->pos[0]), options, off,
	    size, name, out, sizeof(out), &ctx->err)) != ZX_OK)
		return s;
	out_string(ctx, "handle", out);
	return ZX_OK;
}

const struct cmd_entry cmd_vmo_create_child = {
	.name = "vmo-create-child",
	.usage = "HANDLE OPTIONS OFFSET SIZE [--name NAME]",
	.summary = "Create a child VMO (OPTIONS: a comma list of snapshot "
	    "snapshot-at-least-on-write snapshot-modified slice reference "
	    "no-write resizable) and print its handle name.",
	.min_args = 4, .max_args = 4,
	.opts = O(OPT_NAME),
	.argkinds = k_child,
	.exec = vmo_create_child,
};

static const char *const policies[] = {
	"cached", "uncached", "uncached-device", "write-combining", NULL,
};
static const char *const k_policy[] = { "handle", "policy", NULL };

static int
vmo_set_cache_policy(struct cmd_ctx *ctx, struct cmd_args *a)
{
	uint64_t policy;
	char why[WHY_LEN];

	for (policy = 0; policies[policy] != NULL; policy++)
		if (strcmp(a->pos[1], policies[policy]) == 0)
			break;
	/* A number reaches Zircon's own check of the policy bits. */
	if (policies[policy] == NULL && parse_number(a->pos[1], &policy, why) < 0)
		return usage_error(ctx, "POLICY: '%s' is not cached, uncached, "
		    "uncached-device, write-combining or a number", a->pos[1]);
	return zx_vmo_set_cache_policy(tgt_vmo(ctx->tgt, a->pos[0]), policy,
	    &ctx->err);
}

const struct cmd_entry cmd_vmo_set_cache_policy = {
	.name = "vmo-set-cache-policy",
	.usage = "HANDLE POLICY",
	.summary = "Set a VMO's cache policy: cached, uncached, uncached-device "
	    "or write-combining (needs the map right).",
	.min_args = 2, .max_args = 2,
	.argkinds = k_policy,
	.exec = vmo_set_cache_policy,
};

const char *
vmo_enum_name(const char *kind, size_t i)
{
	if (strcmp(kind, "op") == 0)
		return i < sizeof(ops) / sizeof(ops[0]) ? ops[i].name : NULL;
	if (strcmp(kind, "childopts") == 0)
		return i < sizeof(child_opts) / sizeof(child_opts[0]) ?
		    child_opts[i].name : NULL;
	if (strcmp(kind, "policy") == 0)
		return i < sizeof(policies) / sizeof(policies[0]) ? policies[i] :
		    NULL;
	return NULL;
}
