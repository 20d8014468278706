/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the target programs counter, symbols, target and types share:
 * SIGUSR1 asks for a report and SIGTERM for the end, each handler only
 * raising its flag for main to act on; and print_escaped for the strings
 * in a report line.
 */
#ifndef TEST_HELPERS_REPORT_H
#define TEST_HELPERS_REPORT_H

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t want_report, want_exit;

static void
on_usr1(int sig)
{
	(void)sig;
	want_report = 1;
}

static void
on_term(int sig)
{
	(void)sig;
	want_exit = 1;
}

/* on_usr1 for SIGUSR1 and on_term for SIGTERM, without SA_RESTART (a
 * nanosleep or sigsuspend ends on them), or exit 1. */
static inline void
catch_usr1_term(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_usr1;
	if (sigaction(SIGUSR1, &sa, NULL) == -1)
		err(1, "sigaction");
	sa.sa_handler = on_term;
	if (sigaction(SIGTERM, &sa, NULL) == -1)
		err(1, "sigaction");
}

/* s up to its NUL, at most max bytes, each byte outside '!'..'~' and the
 * backslash as \xHH: one word of a report line. */
static inline void
print_escaped(const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c > 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

#endif
