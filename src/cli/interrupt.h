/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ctrl-C that stops a command, not zxmem: in the shell, and in
 * process-watch. The handler only raises cmd_sigint; the long loops
 * (streamed reads and -o copies, process-find, a batch's lines) look at it
 * between pieces and end the command with ZX_ERR_CANCELED, saying what
 * was done. A write is never stopped half-way: it is looked at before the
 * write starts. Where no handler is set (a one-shot command, a batch from
 * the command line) SIGINT keeps its default and ends zxmem.
 *
 * A command blocked in a system call (DATA from a FIFO nobody writes, -o
 * to a FIFO nobody reads, the open of either) sees the flag too: in the
 * shell a command runs without SA_RESTART, so the Ctrl-C cuts the call
 * short (EINTR, or a short count), and the loops that retry (fdio's
 * fd_set_canceled hook, the opens of DATA and -o) look at the flag before
 * each retry. A Ctrl-C that lands between a loop's look and its call is
 * not lost: from the Ctrl-C until a loop has seen it, a timer cuts short
 * whatever the command blocks in every 100 ms. */
#ifndef ZX_CLI_INTERRUPT_H
#define ZX_CLI_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

extern volatile sig_atomic_t cmd_sigint;

/* From now on SIGINT raises cmd_sigint (SA_RESTART: a read or write it
 * lands in goes on, and the loop sees the flag after it); *old gets the
 * action it replaces, for cmd_sigint_restore. */
void cmd_sigint_catch(struct sigaction *old);
void cmd_sigint_restore(const struct sigaction *old);

/* Around a command that a Ctrl-C may find blocked (the shell's): begin
 * sets a SIGALRM action that only cuts calls short, end stops the ticks
 * and puts the old action back. cmd_sigint_kick, from the SIGINT handler
 * (async-signal-safe), starts the ticks; cmd_interrupted stops them. */
void cmd_blocking_begin(void);
void cmd_blocking_end(void);
void cmd_sigint_kick(void);

/* open(2) of a path that may be a FIFO, whose open waits for its peer:
 * EINTR is retried unless a Ctrl-C has come. -1 with errno EINTR means
 * the Ctrl-C ended the wait. */
int cmd_open(const char *path, int flags, mode_t mode);

/* Has a Ctrl-C come (since cmd_sigint was last cleared)? */
bool cmd_interrupted(void);

#endif
