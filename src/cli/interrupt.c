/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SIGINT as a flag the long loops look at (interrupt.h). */
#include <signal.h>
#include <stddef.h>

#include "cli/interrupt.h"

volatile sig_atomic_t cmd_sigint;

static void
on_sigint(int sig)
{
	(void)sig;
	cmd_sigint = 1;
}

void
cmd_sigint_catch(struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = on_sigint, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, old);
}

void
cmd_sigint_restore(const struct sigaction *old)
{
	(void)sigaction(SIGINT, old, NULL);
}

bool
cmd_interrupted(void)
{
	return cmd_sigint != 0;
}
