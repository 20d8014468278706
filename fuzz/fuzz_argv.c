/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for parse_args (src/cli/cmd.c): getopt_long over one
 * command's options, the words of a command line, a batch line or a shell
 * line.
 *
 * data[0] picks the command (cmd_table, then __complete); the rest is
 * split at NUL bytes into words, each copied into a buffer of exactly its
 * size. A word that is the single byte 0xff splits them into two command
 * lines A and B (without one, B is a bundle that fails half-way, "-Zhh").
 * The properties:
 *   - A is parsed, then B, then A again (as a batch parses line after
 *     line): the two results of A are the same, whatever B left behind in
 *     getopt's state;
 *   - argv (the array and the words) is left as it was;
 *   - 0, or CMD_USAGE with a message;
 *   - on success, the positionals are words of argv, in their order; an
 *     option's value points into a word (or is "" for a flag); only the
 *     command's own options (and --help) are set, each once (but --help);
 *     data_opt is the one DATA option given, or -1;
 *   - words none of which starts with '-', or all after a first "--", are
 *     the positionals, exactly. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

#define MAX_WORDS 80

struct parsed {
	int rc;
	char msg[sizeof(((struct cmd_ctx *)0)->usage_msg)];
	struct cmd_args a;
};

/* main.c's, which is not linked (it has main()); parse_args runs no
 * command, so nothing calls it. Weak: a definition moved into the
 * library takes its place. */
__attribute__((weak)) bool
gate_enabled(struct cmd_ctx *ctx)
{
	(void)ctx;
	abort();
}

static void
fail_prop(const char *what, const uint8_t *in, size_t n)
{
	fprintf(stderr, "PROPERTY VIOLATED in parse_args: %s\ninput:", what);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %02x", in[i]);
	fprintf(stderr, "\n");
	abort();
}

#define CHECK(cond) do { \
	if (!(cond)) \
		fail_prop(#cond, in, n); \
} while (0)

static const struct cmd_entry *
pick(uint8_t b)
{
	size_t i = b % (cmd_table_len + 1);

	return i < cmd_table_len ? cmd_table[i] : cmd_find("__complete");
}

/* Is p inside one of the words, and a suffix of it? */
static bool
in_word(char *const *argv, int argc, const char *p)
{
	for (int i = 1; i < argc; i++)
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return true;
	return false;
}

static void
parse(const struct cmd_entry *c, int argc, char **argv, struct parsed *r,
    const uint8_t *in, size_t n)
{
	struct cmd_ctx ctx;
	char **copy = malloc(sizeof(*copy) * (size_t)(argc + 1));
	char *joined;
	size_t total = 0, o = 0;

	if (copy == NULL)
		abort();
	memcpy(copy, argv, sizeof(*copy) * (size_t)(argc + 1));
	for (int i = 0; i < argc; i++)
		total += strlen(argv[i]) + 1;
	if ((joined = malloc(total + 1)) == NULL)
		abort();
	for (int i = 0; i < argc; i++) {
		memcpy(joined + o, argv[i], strlen(argv[i]) + 1);
		o += strlen(argv[i]) + 1;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.cmd = c;
	memset(r, 0, sizeof(*r));
	r->rc = parse_args(&ctx, c, argc, argv, &r->a);
	memcpy(r->msg, ctx.usage_msg, sizeof(r->msg));
	/* argv is left as it was: not permuted, no word changed. */
	CHECK(memcmp(copy, argv, sizeof(*copy) * (size_t)(argc + 1)) == 0);
	o = 0;
	for (int i = 0; i < argc; i++) {
		CHECK(strcmp(joined + o, argv[i]) == 0);
		o += strlen(argv[i]) + 1;
	}
	free(joined);
	free(copy);
}

static void
check(const struct cmd_entry *c, int argc, char **argv, const struct parsed *r,
    const uint8_t *in, size_t n)
{
	const struct cmd_args *a = &r->a;
	int k = 1, ndata = 0, first_dashdash = -1;
	bool any_dash = false;

	CHECK(r->rc == 0 || r->rc == CMD_USAGE);
	CHECK(memchr(r->msg, '\0', sizeof(r->msg)) != NULL);
	if (r->rc != 0) {
		CHECK(r->msg[0] != '\0');
	} else {
		CHECK(a->npos >= 0 && a->npos <= (int)(sizeof(a->pos) / sizeof(a->pos[0])));
		/* Positionals: words of argv, in order. */
		for (int i = 0; i < a->npos; i++) {
			while (k < argc && argv[k] != a->pos[i])
				k++;
			CHECK(k < argc);
			k++;
		}
		for (int id = 0; id < OPT__COUNT; id++) {
			const struct opt_def *d = &opt_defs[id];

			CHECK(d->id == (enum opt_id)id);
			CHECK((a->opt[id] != NULL) == (a->nopt[id] > 0));
			if (a->opt[id] == NULL)
				continue;
			CHECK(id == OPT_HELP || (c->opts & O(id)));
			CHECK(id == OPT_HELP || a->nopt[id] == 1);
			if (d->arg != NULL)
				CHECK(in_word(argv, argc, a->opt[id]));
			else
				CHECK(a->opt[id][0] == '\0');
			if ((O(id) & (OPTS_DATA | O(OPT_VALUE))) && id != OPT_REPEAT) {
				ndata++;
				CHECK(a->data_opt == id);
			}
		}
		CHECK(ndata <= 1);
		CHECK(ndata == 1 || a->data_opt == -1);
	}
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			any_dash = true;
		if (first_dashdash < 0 && strcmp(argv[i], "--") == 0)
			first_dashdash = i;
	}
	/* Plain words, or "--" first: all the rest are positionals. */
	if (c->raw_args || !any_dash || first_dashdash == 1) {
		int from = !c->raw_args && first_dashdash == 1 ? 2 : 1;

		if (argc - from > (int)(sizeof(a->pos) / sizeof(a->pos[0]))) {
			CHECK(r->rc == CMD_USAGE);
			return;
		}
		CHECK(r->rc == 0);
		CHECK(a->npos == argc - from);
		for (int i = 0; i < a->npos; i++)
			CHECK(a->pos[i] == argv[from + i]);
		for (int id = 0; id < OPT__COUNT; id++)
			CHECK(a->opt[id] == NULL);
	}
}

static bool
same(const struct parsed *x, const struct parsed *y)
{
	if (x->rc != y->rc || strcmp(x->msg, y->msg) != 0)
		return false;
	if (x->rc != 0)
		return true;
	if (x->a.npos != y->a.npos || x->a.data_opt != y->a.data_opt)
		return false;
	for (int i = 0; i < x->a.npos; i++)
		if (x->a.pos[i] != y->a.pos[i])
			return false;
	for (int id = 0; id < OPT__COUNT; id++)
		if (x->a.opt[id] != y->a.opt[id] || x->a.nopt[id] != y->a.nopt[id])
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t n)
{
	const struct cmd_entry *c;
	char *words[2 * MAX_WORDS + 4], *av[MAX_WORDS + 2], *bv[MAX_WORDS + 2];
	char fixed[] = "-Zhh";
	int nw = 0, ac = 1, bc = 1, sep = -1;
	struct parsed *r1, *r2, *rb;

	if (n < 1)
		return 0;
	c = pick(in[0]);
	for (size_t i = 1; i <= n && nw < 2 * MAX_WORDS + 1;) {
		const uint8_t *z = i < n ? memchr(in + i, '\0', n - i) : NULL;
		size_t len = z != NULL ? (size_t)(z - in) - i : n - i;

		if (i == n)
			break;
		if ((words[nw] = malloc(len + 1)) == NULL)
			abort();
		memcpy(words[nw], in + i, len);
		words[nw][len] = '\0';
		if (sep < 0 && len == 1 && in[i] == 0xff)
			sep = nw;
		nw++;
		i += len + 1;
	}
	av[0] = bv[0] = (char *)c->name;
	for (int i = 0; i < nw; i++) {
		if (i == sep)
			continue;
		if (sep < 0 || i < sep) {
			if (ac <= MAX_WORDS)
				av[ac++] = words[i];
		} else if (bc <= MAX_WORDS) {
			bv[bc++] = words[i];
		}
	}
	if (sep < 0)
		bv[bc++] = fixed;
	av[ac] = bv[bc] = NULL;
	r1 = malloc(sizeof(*r1));
	r2 = malloc(sizeof(*r2));
	rb = malloc(sizeof(*rb));
	if (r1 == NULL || r2 == NULL || rb == NULL)
		abort();
	parse(c, ac, av, r1, in, n);
	check(c, ac, av, r1, in, n);
	parse(c, bc, bv, rb, in, n);
	check(c, bc, bv, rb, in, n);
	parse(c, ac, av, r2, in, n);
	CHECK(same(r1, r2));
	free(r1);
	free(r2);
	free(rb);
	for (int i = 0; i < nw; i++)
		free(words[i]);
	return 0;
}
