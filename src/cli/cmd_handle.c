/* handle-list handle-close reset */
#include <stdlib.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "targets/targets.h"

static const char *const k_handles[] = { "handle", NULL };

static int
handle_list(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct tgt_handle_info *info;
	zx_status_t s;
	size_t n;

	(void)a;
	if ((s = tgt_handle_list(ctx->tgt, &info, &n, &ctx->err)) != ZX_OK)
		return s;
	out_handles(ctx, info, n);
	free(info);
	return ZX_OK;
}

const struct cmd_entry cmd_handle_list = {
	.name = "handle-list",
	.usage = "",
	.summary = "List the handles of the namespace: name, koid, type, rights, "
	    "size (or 'gone').",
	.min_args = 0, .max_args = 0,
	.exec = handle_list,
};

static int
handle_close(struct cmd_ctx *ctx, struct cmd_args *a)
{
	return tgt_handle_close(ctx->tgt, a->pos, (size_t)a->npos, &ctx->err);
}

const struct cmd_entry cmd_handle_close = {
	.name = "handle-close",
	.usage = "HANDLE...",
	.summary = "Close handles; an object ends with its last handle. Nothing "
	    "is closed unless every name is a handle.",
	.min_args = 1, .max_args = 64,
	.argkinds = k_handles,
	.exec = handle_close,
};

static int
reset(struct cmd_ctx *ctx, struct cmd_args *a)
{
	(void)a;
	return tgt_reset(ctx->tgt, &ctx->err);
}

const struct cmd_entry cmd_reset = {
	.name = "reset",
	.usage = "",
	.summary = "Close every handle and end every object in the namespace.",
	.min_args = 0, .max_args = 0,
	.exec = reset,
};
