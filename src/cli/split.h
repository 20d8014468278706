/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Splitting a batch or shell line into words, shell-like: '...' keeps
 * everything, "..." lets \" and \\ through, a backslash outside quotes
 * takes the next character, '#' at the start of a word begins a comment.
 * It reads untrusted text and is fuzzed (fuzz/fuzz_split.c). */
#ifndef CLI_SPLIT_H
#define CLI_SPLIT_H

#include <stddef.h>

#define SPLIT_OK        0
#define SPLIT_CONTINUE  1   /* ends in an unescaped backslash: join the next line */
#define SPLIT_ERROR    -1   /* why says what */

struct words {
	char **v;           /* NULL-terminated */
	int n;
	char *store;        /* one buffer holding every word */
};

int split_line(const char *line, struct words *, char *why, size_t whylen);
void words_free(struct words *);

#endif
