/* vmo-create vmo-read vmo-write vmo-get-size */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "core/vmo.h"
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
	if ((s = tgt_vmo_create(ctx->tgt, rounded, size,
	    a->opt[OPT_RESIZABLE] != NULL, name, out, sizeof(out),
	    &ctx->err)) != ZX_OK)
		return s;
	out_string(ctx, "handle", out);
	return ZX_OK;
}

const struct cmd_entry cmd_vmo_create = {
	.name = "vmo-create",
	.usage = "SIZE [--resizable] [--name NAME]",
	.summary = "Create a VMO of SIZE bytes (rounded up to a page) and print "
	    "its handle name.",
	.min_args = 1, .max_args = 1,
	.opts = O(OPT_RESIZABLE) | O(OPT_NAME),
	.argkinds = k_size,
	.exec = vmo_create,
};

static int
vmo_read(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_handle *h = tgt_vmo(ctx->tgt, a->pos[0]);
	uint64_t off, size;
	enum format fmt;
	uint8_t *buf;
	zx_status_t s;

	if (arg_number(ctx, a->pos[1], "OFFSET", &off) ||
	    arg_number(ctx, a->pos[2], "SIZE", &size) || arg_format(ctx, a, &fmt))
		return CMD_USAGE;
	s = zx_vmo_read(h, off, size, &buf, &ctx->err);
	if (s == ZX_OK) {
		if (a->opt[OPT_OUTPUT] != NULL)
			s = out_to_file(ctx, a->opt[OPT_OUTPUT], buf, size);
		else
			out_bytes(ctx, fmt, off, buf, size);
	}
	free(buf);
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
	uint64_t off;

	if (arg_number(ctx, a->pos[1], "OFFSET", &off) ||
	    arg_data(ctx, a, 2, &data))
		return CMD_USAGE;
	h = tgt_vmo(ctx->tgt, a->pos[0]);
	return zx_vmo_write(h, off, &data, &ctx->err);
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
	return zx_vmo_set_cache_policy(tgt_vmo(ctx->tgt, a->pos[0]),
	    policy > UINT32_MAX ? UINT32_MAX : (uint32_t)policy, &ctx->err);
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
