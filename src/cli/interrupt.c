/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SIGINT as a flag the long loops look at (interrupt.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/time.h>

#include "cli/interrupt.h"

volatile sig_atomic_t cmd_sigint;

/* Between cmd_blocking_begin and _end: whether the ticks may run, and
 * whether they do. */
static volatile sig_atomic_t blocking, ticking;
static struct sigaction old_alrm;

#define TICK_US 100000

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

/* A tick only cuts short the call it lands in (no SA_RESTART). */
static void
on_tick(int sig)
{
	(void)sig;
}

static void
tick(long us)
{
	struct itimerval it = {
		.it_interval = { .tv_sec = 0, .tv_usec = us },
		.it_value = { .tv_sec = 0, .tv_usec = us },
	};

	(void)setitimer(ITIMER_REAL, &it, NULL);
}

void
cmd_blocking_begin(void)
{
	struct sigaction sa = { .sa_handler = on_tick };

	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGALRM, &sa, &old_alrm);
	ticking = 0;
	blocking = 1;
	/* A Ctrl-C between the prompt and here is the command's too. */
	if (cmd_sigint)
		cmd_sigint_kick();
}

void
cmd_blocking_end(void)
{
	blocking = 0;
	if (ticking)
		tick(0);
	ticking = 0;
	(void)sigaction(SIGALRM, &old_alrm, NULL);
}

void
cmd_sigint_kick(void)
{
	/* setitimer is a plain system call: safe in a handler. */
	if (blocking && !ticking) {
		ticking = 1;
		tick(TICK_US);
	}
}

bool
cmd_interrupted(void)
{
	if (cmd_sigint == 0)
		return false;
	if (ticking) {           /* seen: the ticks have done their work */
		tick(0);
		ticking = 0;
	}
	return true;
}

int
cmd_open(const char *path, int flags, mode_t mode)
{
	int fd;

	while ((fd = open(path, flags, mode)) < 0 && errno == EINTR &&
	    !cmd_interrupted())
		;
	return fd;
}
