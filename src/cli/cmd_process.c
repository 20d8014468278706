/* process-read-memory process-write-memory process-maps process-vmos
 * process-symbol: TARGET is a PID or an ELF core. */
#include <inttypes.h>
#include <stdlib.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "core/procmem.h"
#include "targets/targets.h"

static const char *const k_target[] = { "target", "vaddr", "number", NULL };

static struct zx_aspace *
target(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_aspace *as = tgt_process(ctx->tgt, a->pos[0], a->opt[OPT_EXE]);

	if (as == NULL)
		zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
	return as;
}

static int
vaddr_arg(struct cmd_ctx *ctx, char *text, struct zx_vaddr *va)
{
	char why[WHY_LEN];

	if (parse_vaddr(text, va, why) < 0)
		return usage_error(ctx, "VADDR: '%s': %s", text, why);
	return 0;
}

static int
process_read(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_procmem_result res;
	struct zx_vaddr va;
	struct zx_aspace *as;
	uint64_t size;
	enum format fmt;
	uint8_t *buf = NULL;
	zx_status_t s;
	size_t left;

	if (vaddr_arg(ctx, a->pos[1], &va) ||
	    arg_number(ctx, a->pos[2], "SIZE", &size) || arg_format(ctx, a, &fmt))
		return CMD_USAGE;
	if ((as = target(ctx, a)) == NULL)
		return ctx->err.status;
	/* Sizes the rules refuse are refused before anything is allocated. */
	if (size > 0 && size <= ZX_MAX_DEBUG_BLOCK && (buf = malloc(size)) == NULL)
		return zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
	s = zx_process_read_memory(as, &va, buf, size, &res, &ctx->err);
	if (s == ZX_OK) {
		if (res.actual < size)
			out_note(ctx, "short read: %zu of %" PRIu64 " bytes (the "
			    "mapping %#" PRIx64 "-%#" PRIx64 " ends at %#" PRIx64 ")",
			    res.actual, size, res.map.start, res.map.end,
			    res.vaddr + res.actual);
		out_json_addr(ctx, "address", res.vaddr);
		out_json_u64(ctx, "size", size);
		out_json_u64(ctx, "actual", res.actual);
		if (a->opt[OPT_OUTPUT] != NULL)
			s = out_to_file(ctx, a->opt[OPT_OUTPUT], buf, res.actual);
		else if ((left = out_bytes(ctx, fmt, res.vaddr, buf, res.actual)) != 0)
			out_note(ctx, "%zu trailing bytes do not make a whole %s",
			    left, format_names[fmt]);
	}
	free(buf);
	return s;
}

const struct cmd_entry cmd_process_read_memory = {
	.name = "process-read-memory",
	.usage = "TARGET VADDR SIZE [--format FORMAT] [-o FILE] [--exe PATH]",
	.summary = "Read up to SIZE bytes (at most 64 MiB, within one mapping) "
	    "of a process or core at VADDR.",
	.min_args = 3, .max_args = 3,
	.opts = OPTS_READ | O(OPT_EXE),
	.argkinds = k_target,
	.exec = process_read,
};

static int
process_write(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_procmem_result res;
	struct zx_bytes data;
	struct zx_vaddr va;
	struct zx_aspace *as;
	zx_status_t s;

	if (vaddr_arg(ctx, a->pos[1], &va) || arg_data(ctx, a, 2, &data))
		return CMD_USAGE;
	if ((as = target(ctx, a)) == NULL)
		return ctx->err.status;
	s = zx_process_write_memory(gate_enabled(ctx), as, &va, &data, &res,
	    &ctx->err);
	if (s != ZX_OK)
		return s;
	out_json_addr(ctx, "address", res.vaddr);
	out_u64(ctx, "actual", res.actual);
	return ZX_OK;
}

const struct cmd_entry cmd_process_write_memory = {
	.name = "process-write-memory",
	.usage = "TARGET VADDR [DATA] [--exe PATH]",
	.summary = "Write DATA (at most 64 MiB, clamped to one mapping) into a "
	    "process or core at VADDR; print the bytes written.",
	.min_args = 2, .max_args = 3,
	.opts = OPTS_DATA | O(OPT_EXE),
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

	if ((as = target(ctx, a)) == NULL)
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

	if ((as = target(ctx, a)) == NULL)
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
	struct zx_vaddr va;
	struct zx_aspace *as;
	zx_status_t s;

	if (vaddr_arg(ctx, a->pos[1], &va))
		return CMD_USAGE;
	if ((as = target(ctx, a)) == NULL)
		return ctx->err.status;
	if ((s = zx_process_resolve(as, &va, ZX_RIGHT_READ, &ctx->err)) != ZX_OK)
		return s;
	out_addr(ctx, "address", va.addr);
	return ZX_OK;
}

const struct cmd_entry cmd_process_symbol = {
	.name = "process-symbol",
	.usage = "TARGET SYMBOL [--exe PATH]",
	.summary = "Print the address of [OBJECT!]SYMBOL[+-N] in a process or "
	    "core.",
	.min_args = 2, .max_args = 2,
	.opts = O(OPT_EXE),
	.argkinds = k_target,
	.exec = process_symbol,
};
