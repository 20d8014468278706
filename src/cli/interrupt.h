/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ctrl-C that stops a command, not zxmem: in the shell, and in
 * process-watch. The handler only raises cmd_sigint; the long loops
 * (streamed reads and -o copies, process-find, a batch's lines) look at it
 * between pieces and end the command with ZX_ERR_CANCELED, saying what
 * was done. A write is never stopped half-way: it is looked at before the
 * write starts. Where no handler is set (a one-shot command, a batch from
 * the command line) SIGINT keeps its default and ends zxmem. */
#ifndef ZX_CLI_INTERRUPT_H
#define ZX_CLI_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>

extern volatile sig_atomic_t cmd_sigint;

/* From now on SIGINT raises cmd_sigint (SA_RESTART: a read or write it
 * lands in goes on, and the loop sees the flag after it); *old gets the
 * action it replaces, for cmd_sigint_restore. */
void cmd_sigint_catch(struct sigaction *old);
void cmd_sigint_restore(const struct sigaction *old);

/* Has a Ctrl-C come (since cmd_sigint was last cleared)? */
bool cmd_interrupted(void);

#endif
