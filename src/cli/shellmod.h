/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zxmem-shell.so: the readline shell (shell.c), loaded by the shell
 * command only (shell_entry.c), so that no other command loads readline. */
#ifndef CLI_SHELLMOD_H
#define CLI_SHELLMOD_H

#include "cli/cmd.h"
#include "targets/module.h"

#define SHELLMOD_FILE   "zxmem-shell.so"
#define SHELLMOD_SYMBOL "zxmem_module_shell"

struct shellmod_ops {
	struct zx_module_head head;
	int (*shell)(struct cmd_ctx *, struct cmd_args *);
};

#endif
