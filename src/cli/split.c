/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "cli/split.h"

void
words_free(struct words *w)
{
	free(w->v);
	free(w->store);
	memset(w, 0, sizeof(*w));
}

static int
fail(char *why, size_t len, const char *msg, struct words *w)
{
	strlcpy(why, msg, len);
	words_free(w);
	return SPLIT_ERROR;
}

/* Words never add bytes, so one buffer the size of the line holds them
 * all, each NUL-terminated; v[] points at their starts. */
int
split_line(const char *line, struct words *w, char *why, size_t whylen)
{
	enum { NORMAL, SQ, DQ } state = NORMAL;
	size_t n = strlen(line), o = 0, cap = 8, start = 0;
	int nwords = 0, in_word = 0;
	char **nv;

	memset(w, 0, sizeof(*w));
	if ((w->store = malloc(n + 1)) == NULL ||
	    (w->v = calloc(cap, sizeof(*w->v))) == NULL)
		return fail(why, whylen, "out of memory", w);
	for (const char *p = line;; p++) {
		char c = *p;

		if (state == SQ) {
			if (c == '\0')
				return fail(why, whylen, "unterminated ' quote", w);
			if (c == '\'')
				state = NORMAL;
			else
				w->store[o++] = c;
			continue;
		}
		if (state == DQ) {
			if (c == '\0')
				return fail(why, whylen, "unterminated \" quote", w);
			if (c == '"')
				state = NORMAL;
			else if (c == '\\' && (p[1] == '"' || p[1] == '\\'))
				w->store[o++] = *++p;
			else
				w->store[o++] = c;
			continue;
		}
		if (c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			if (in_word) {
				w->store[o++] = '\0';
				if ((size_t)nwords + 2 > cap) {
					cap *= 2;
					if ((nv = reallocarray(w->v, cap, sizeof(*nv))) == NULL)
						return fail(why, whylen, "out of memory", w);
					w->v = nv;
				}
				w->v[nwords++] = w->store + start;
				in_word = 0;
			}
			if (c == '\0')
				break;
			continue;
		}
		if (c == '#' && !in_word)
			break;   /* a comment runs to the end of the line */
		if (!in_word) {
			in_word = 1;
			start = o;
		}
		if (c == '\'') {
			state = SQ;
		} else if (c == '"') {
			state = DQ;
		} else if (c == '\\') {
			if (p[1] == '\0') {
				words_free(w);
				return SPLIT_CONTINUE;
			}
			w->store[o++] = *++p;
		} else {
			w->store[o++] = c;
		}
	}
	w->v[nwords] = NULL;
	w->n = nwords;
	return SPLIT_OK;
}
