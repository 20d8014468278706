/* SPDX-License-Identifier: GPL-3.0-or-later */
/* handle-list handle-close reset */
#include <stdlib.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "core/rights.h"
#include "core/vmo.h"
#include "targets/targets.h"

static const char *const k_handles[] = { "handle", NULL };

static int
derive(struct cmd_ctx *ctx, struct cmd_args *a, bool replace)
{
	const char *name, *rights = a->opt[OPT_RIGHTS];
	zx_rights_t want = ZX_RIGHT_SAME_RIGHTS;
	char bad[64], out[80];
	zx_status_t s;

	if (rights == NULL && replace)
		return usage_error(ctx, "--rights is required (a comma list, or "
		    "same)");
	if (rights != NULL && zx_rights_parse(rights, &want, bad, sizeof(bad)) < 0)
		return usage_error(ctx, "--rights: '%s' is not a right (duplicate "
		    "transfer read write execute map get-property set-property "
		    "signal wait inspect resize, or same, none, a number)", bad);
	if (arg_name(ctx, a, &name))
		return CMD_USAGE;
	if ((s = tgt_handle_derive(ctx->tgt, a->pos[0], want, replace, name, out,
	    sizeof(out), &ctx->err)) != ZX_OK)
		return s;
	out_string(ctx, "handle", out);
	return ZX_OK;
}

static int
handle_duplicate(struct cmd_ctx *ctx, struct cmd_args *a)
{
	return derive(ctx, a, false);
}

const struct cmd_entry cmd_handle_duplicate = {
	.name = "handle-duplicate",
	.usage = "HANDLE [--rights RIGHTS] [--name NAME]",
	.summary = "Make a second handle to the same object, with the same or "
	    "fewer rights (needs the duplicate right); print its name.",
	.min_args = 1, .max_args = 1,
	.opts = O(OPT_RIGHTS) | O(OPT_NAME),
	.argkinds = k_handles,
	.exec = handle_duplicate,
};

static int
handle_replace(struct cmd_ctx *ctx, struct cmd_args *a)
{
	return derive(ctx, a, true);
}

const struct cmd_entry cmd_handle_replace = {
	.name = "handle-replace",
	.usage = "HANDLE --rights RIGHTS [--name NAME]",
	.summary = "Replace a handle by one with the same or fewer rights; the "
	    "old handle is gone even if this fails.",
	.min_args = 1, .max_args = 1,
	.opts = O(OPT_RIGHTS) | O(OPT_NAME),
	.argkinds = k_handles,
	.exec = handle_replace,
};

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
	.summary = "Close handles; an object ends with its last handle. Every "
	    "valid handle is closed, then a name that is no handle (or is given "
	    "twice) is ZX_ERR_BAD_HANDLE.",
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

static int
object_info(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_handle *h = tgt_vmo(ctx->tgt, a->pos[0]);
	struct zx_vmo_info info;
	zx_status_t s;

	if ((s = zx_vmo_info(h, &info, &ctx->err)) != ZX_OK)
		return s;
	out_object_info(ctx, &info);
	return ZX_OK;
}

const struct cmd_entry cmd_object_info = {
	.name = "object-info",
	.usage = "HANDLE",
	.summary = "Show a VMO: koid, type, rights, size, content size, "
	    "committed bytes, cache policy, parent koid, children, mappings, "
	    "flags (needs no right).",
	.min_args = 1, .max_args = 1,
	.argkinds = k_handles,
	.exec = object_info,
};
