/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the kernel command line parser (src/core/kcmdline.c).
 *
 * The input, up to its first NUL, is copied into a buffer of exactly
 * strlen + 1 bytes and given to zx_kcmdline_parse and, whole, to
 * zx_kcmdline_word. The warn callback does nothing but look at what it is
 * given; the final option value and the number of warnings are compared
 * with a small reference parser (SPEC §6), abort() on a mismatch. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kcmdline.h"

#define KEY "kernel.enable-debugging-syscalls"
#define SOURCE "fuzz"

struct warn_ctx {
	size_t count;
	int last_line;
	int max_line;
};

static volatile size_t sink;

static void
warn_cb(void *ctx, const char *source, int line, const char *msg)
{
	struct warn_ctx *w = ctx;

	if (w == NULL || source == NULL || strcmp(source, SOURCE) != 0 ||
	    msg == NULL || msg[0] == '\0' || line < 1 || line < w->last_line ||
	    line > w->max_line) {
		fprintf(stderr, "bad warn callback: line %d (last %d, max %d)\n",
		    line, w ? w->last_line : -1, w ? w->max_line : -1);
		abort();
	}
	sink += strlen(msg);
	w->last_line = line;
	w->count++;
}

/* Reference for one word: 1 if it sets the option true, 0 if false, and
 * whether the parser should warn about it. */
static void
ref_word(const char *w, size_t n, bool *opt, size_t *warns)
{
	static const char *const yes[] = { "true", "1", "on" };
	static const char *const no[] = { "false", "0", "off" };
	const char *eq = memchr(w, '=', n);
	size_t klen = strlen(KEY);

	if (eq == NULL || eq == w || (size_t)(eq - w) != klen ||
	    memcmp(w, KEY, klen) != 0) {
		(*warns)++;
		return;
	}
	for (size_t i = 0; i < 3; i++) {
		size_t vl = n - klen - 1;

		if (strlen(yes[i]) == vl && memcmp(eq + 1, yes[i], vl) == 0) {
			*opt = true;
			return;
		}
		if (strlen(no[i]) == vl && memcmp(eq + 1, no[i], vl) == 0) {
			*opt = false;
			return;
		}
	}
	*opt = false;
	(*warns)++;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = strnlen((const char *)data, size), warns = 0, lines = 1;
	struct zx_kopts o = { .debugging_syscalls = false };
	struct warn_ctx w = { 0, 1, 1 };
	bool want = false;
	char *s;

	if ((s = malloc(n + 1)) == NULL)
		return 0;
	memcpy(s, data, n);
	s[n] = '\0';
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';

	/* Reference: words are runs of non-blanks; one starting with '#'
	 * starts a comment to the end of the line; words of 256 bytes or
	 * more are ignored with a warning. */
	for (size_t i = 0; i < n;) {
		size_t j;

		if (blank(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '#') {
			while (i < n && s[i] != '\n')
				i++;
			continue;
		}
		for (j = i; j < n && !blank(s[j]); j++)
			;
		if (j - i >= 256)
			warns++;
		else
			ref_word(s + i, j - i, &want, &warns);
		i = j;
	}

	w.max_line = (int)(lines > 0x7fffffff ? 0x7fffffff : lines);
	zx_kcmdline_parse(&o, s, SOURCE, warn_cb, &w);
	if (o.debugging_syscalls != want || w.count != warns) {
		fprintf(stderr, "kcmdline mismatch: option %d want %d, %zu warnings "
		    "want %zu\n", o.debugging_syscalls, want, w.count, warns);
		abort();
	}

	/* The whole text as one -k word: exactly one of "set" or "warn". */
	{
		struct zx_kopts o2 = { .debugging_syscalls = !want };
		struct warn_ctx w2 = { 0, 7, 7 };
		size_t warns2 = 0;
		bool want2 = o2.debugging_syscalls;

		ref_word(s, n, &want2, &warns2);
		zx_kcmdline_word(&o2, s, SOURCE, 7, warn_cb, &w2);
		if (o2.debugging_syscalls != want2 || w2.count != warns2) {
			fprintf(stderr, "kcmdline_word mismatch: option %d want %d, "
			    "%zu warnings want %zu\n", o2.debugging_syscalls, want2,
			    w2.count, warns2);
			abort();
		}
	}
	free(s);
	return 0;
}
