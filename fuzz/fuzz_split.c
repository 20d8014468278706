/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the batch line splitter (src/cli/split.c).
 *
 * The input, up to its first NUL, is copied into a buffer of exactly
 * strlen + 1 bytes so that ASan sees any read past the terminator, and
 * given to split_line. Besides crashes and leaks (-detect_leaks=1), the
 * result is checked, abort() on a violation:
 *   - SPLIT_OK: v[n] == NULL, every word lies inside the store (which
 *     never needs more than strlen(line) + 1 bytes), words do not overlap
 *     and together take at most strlen(line) + 1 bytes;
 *   - SPLIT_ERROR: why is NUL-terminated and non-empty;
 *   - the return code and the words equal those of a reference splitter
 *     written here (a word is a run of segments, each read by its own
 *     function) from the rules of src/cli/split.h;
 *   - round trip: the words, each put in '...' (a ' as '\''), joined with
 *     spaces, split back to the same words. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/split.h"

#define WHY_SIZE 128

static void
put_text(const char *label, const char *s)
{
	fprintf(stderr, "%s\"", label);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		fprintf(stderr, isprint(*p) && *p != '"' && *p != '\\' ? "%c" :
		    "\\x%02x", *p);
	fprintf(stderr, "\"\n");
}

static void
fail_prop(const char *what, const char *input)
{
	fprintf(stderr, "PROPERTY VIOLATED in split_line: %s\n", what);
	put_text("input: ", input);
	abort();
}

#define CHECK(cond, input) do { \
	if (!(cond)) \
		fail_prop(#cond, input); \
} while (0)

/* ---- reference splitter ------------------------------------------------
 * Words are kept in a list of separately allocated strings. Each word is
 * read segment by segment: a bare run (strcspn up to a blank or a special
 * character), a '...' segment (strchr for the closing quote), a "..."
 * segment, or a backslash escape. */

struct ref {
	char **w;
	size_t n, cap;
	char *buf;          /* the word being built */
	size_t len;
};

static const char BLANKS[] = " \t\r\n";

static bool
ref_blank(char c)
{
	return c != '\0' && strchr(BLANKS, c) != NULL;
}

static void
ref_put(struct ref *r, char c)
{
	r->buf[r->len++] = c;
}

/* s points just after the opening '. Returns just after the closing ', or
 * NULL when there is none. */
static const char *
ref_single(struct ref *r, const char *s)
{
	const char *end = strchr(s, '\'');

	if (end == NULL)
		return NULL;
	memcpy(r->buf + r->len, s, (size_t)(end - s));
	r->len += (size_t)(end - s);
	return end + 1;
}

/* s points just after the opening ". */
static const char *
ref_double(struct ref *r, const char *s)
{
	for (;;) {
		switch (*s) {
		case '\0':
			return NULL;
		case '"':
			return s + 1;
		case '\\':
			if (s[1] == '\\' || s[1] == '"') {
				ref_put(r, s[1]);
				s += 2;
				break;
			}
			/* FALLTHROUGH */
		default:
			ref_put(r, *s++);
			break;
		}
	}
}

/* Reads one word starting at s (not a blank, not '#', not the end).
 * *rc gets SPLIT_OK, SPLIT_CONTINUE or SPLIT_ERROR; returns where the word
 * ends on OK. */
static const char *
ref_word(struct ref *r, const char *s, int *rc)
{
	*rc = SPLIT_OK;
	while (*s != '\0' && !ref_blank(*s)) {
		size_t run = strcspn(s, " \t\r\n'\"\\");

		if (run > 0) {          /* bare characters, '#' included */
			memcpy(r->buf + r->len, s, run);
			r->len += run;
			s += run;
			continue;
		}
		if (*s == '\\') {
			if (s[1] == '\0') {
				*rc = SPLIT_CONTINUE;
				return NULL;
			}
			ref_put(r, s[1]);
			s += 2;
			continue;
		}
		s = *s == '\'' ? ref_single(r, s + 1) : ref_double(r, s + 1);
		if (s == NULL) {
			*rc = SPLIT_ERROR;
			return NULL;
		}
	}
	return s;
}

static void
ref_free(struct ref *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->w[i]);
	free(r->w);
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

/* Returns the reference return code; on SPLIT_OK, r holds the words. On
 * allocation failure returns 2 (the caller then skips the comparison). */
static int
ref_split(const char *line, struct ref *r)
{
	const char *s = line;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((r->buf = malloc(strlen(line) + 1)) == NULL)
		return 2;
	for (;;) {
		s += strspn(s, BLANKS);
		if (*s == '\0' || *s == '#')
			return SPLIT_OK;
		r->len = 0;
		s = ref_word(r, s, &rc);
		if (rc != SPLIT_OK) {
			ref_free(r);
			return rc;
		}
		if (r->n == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 8;
			char **nw = realloc(r->w, cap * sizeof(*nw));

			if (nw == NULL) {
				ref_free(r);
				return 2;
			}
			r->w = nw;
			r->cap = cap;
		}
		if ((r->w[r->n] = malloc(r->len + 1)) == NULL) {
			ref_free(r);
			return 2;
		}
		memcpy(r->w[r->n], r->buf, r->len);
		r->w[r->n++][r->len] = '\0';
	}
}

/* ---- checks ------------------------------------------------------------ */

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(char *const *)a, y = (uintptr_t)*(char *const *)b;

	return x < y ? -1 : x > y;
}

/* The words of an OK result against the store of a line of n bytes. */
static void
check_store(const struct words *w, size_t n, const char *line)
{
	uintptr_t lo = (uintptr_t)w->store, hi = lo + n + 1;
	size_t total = 0;
	char **sorted;

	CHECK(w->n >= 0, line);
	CHECK(w->v != NULL, line);
	CHECK(w->v[w->n] == NULL, line);
	if (w->n == 0)
		return;
	CHECK(w->store != NULL, line);
	for (int i = 0; i < w->n; i++) {
		const char *p = w->v[i];
		size_t len;

		CHECK(p != NULL, line);
		CHECK((uintptr_t)p >= lo && (uintptr_t)p < hi, line);
		/* NUL-terminated inside the store (ASan also watches strlen). */
		CHECK(memchr(p, '\0', hi - (uintptr_t)p) != NULL, line);
		len = strlen(p);
		total += len + 1;
	}
	CHECK(total <= n + 1, line);
	/* No two words share bytes. */
	if ((sorted = malloc((size_t)w->n * sizeof(*sorted))) == NULL)
		return;
	memcpy(sorted, w->v, (size_t)w->n * sizeof(*sorted));
	qsort(sorted, (size_t)w->n, sizeof(*sorted), cmp_ptr);
	for (int i = 0; i + 1 < w->n; i++)
		CHECK((uintptr_t)sorted[i] + strlen(sorted[i]) <
		    (uintptr_t)sorted[i + 1], line);
	free(sorted);
}

static void
check_why(const char *why, const char *line)
{
	CHECK(memchr(why, '\0', WHY_SIZE) != NULL, line);
	CHECK(why[0] != '\0', line);
}

/* Each word in '...', a ' written as '\'', joined with spaces. */
static char *
quote_words(const struct words *w)
{
	size_t size = 1;
	char *out, *o;

	for (int i = 0; i < w->n; i++) {
		size += 3;   /* the quotes and a space */
		for (const char *p = w->v[i]; *p; p++)
			size += *p == '\'' ? 4 : 1;
	}
	if ((out = malloc(size)) == NULL)
		return NULL;
	o = out;
	for (int i = 0; i < w->n; i++) {
		if (i > 0)
			*o++ = ' ';
		*o++ = '\'';
		for (const char *p = w->v[i]; *p; p++) {
			if (*p == '\'') {
				memcpy(o, "'\\''", 4);
				o += 4;
			} else {
				*o++ = *p;
			}
		}
		*o++ = '\'';
	}
	*o = '\0';
	return out;
}

static void
check_round_trip(const struct words *w, const char *line)
{
	char why[WHY_SIZE];
	struct words back;
	char *q = quote_words(w);
	int rc;

	if (q == NULL)
		return;
	memset(why, 0x5a, sizeof(why));
	rc = split_line(q, &back, why, sizeof(why));
	if (rc != SPLIT_OK || back.n != w->n) {
		put_text("quoted: ", q);
		fail_prop("round trip: rc == SPLIT_OK && back.n == w->n", line);
	}
	check_store(&back, strlen(q), q);
	for (int i = 0; i < w->n; i++)
		if (strcmp(back.v[i], w->v[i]) != 0) {
			put_text("quoted: ", q);
			fail_prop("round trip: same words", line);
		}
	words_free(&back);
	free(q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = strnlen((const char *)data, size);
	char why[WHY_SIZE];
	struct words w;
	struct ref r;
	char *line;
	int rc, want;

	if ((line = malloc(n + 1)) == NULL)
		return 0;
	memcpy(line, data, n);
	line[n] = '\0';

	memset(why, 0x5a, sizeof(why));
	memset(&w, 0xa5, sizeof(w));
	rc = split_line(line, &w, why, sizeof(why));
	CHECK(rc == SPLIT_OK || rc == SPLIT_CONTINUE || rc == SPLIT_ERROR, line);
	if (rc == SPLIT_OK)
		check_store(&w, n, line);
	else if (rc == SPLIT_ERROR)
		check_why(why, line);

	want = ref_split(line, &r);
	if (want != 2) {
		if (rc != want) {
			fprintf(stderr, "split_line returned %d, reference %d\n",
			    rc, want);
			fail_prop("rc == want", line);
		}
		if (rc == SPLIT_OK) {
			if ((size_t)w.n != r.n) {
				fprintf(stderr, "split_line: %d words, reference %zu\n",
				    w.n, r.n);
				fail_prop("w.n == r.n", line);
			}
			for (size_t i = 0; i < r.n; i++)
				if (strcmp(w.v[i], r.w[i]) != 0) {
					fprintf(stderr, "word %zu differs\n", i);
					put_text("split_line: ", w.v[i]);
					put_text("reference:  ", r.w[i]);
					fail_prop("same words", line);
				}
		}
		ref_free(&r);
	}

	if (rc == SPLIT_OK) {
		check_round_trip(&w, line);
		words_free(&w);
	}
	free(line);
	return 0;
}
