/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shell command as the binary knows it: its entry, and the loading of
 * zxmem-shell.so (shellmod.h), where readline and the shell itself live. */
#include "cli/shellmod.h"

static int
shell_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	const struct shellmod_ops *m;

	if ((m = tgt_module(SHELLMOD_FILE, SHELLMOD_SYMBOL, &ctx->err)) == NULL)
		return ctx->err.status;
	return m->shell(ctx, a);
}

const struct cmd_entry cmd_shell = {
	.name = "shell",
	.usage = "",
	.summary = "An interactive shell: readline editing, history and Tab "
	    "completion; exit, quit or Ctrl-D leave it.",
	.min_args = 0, .max_args = 0,
	.exec = shell_exec,
};
