/* help, and the hidden __complete that the shell completions call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "targets/targets.h"

static const char *const k_command[] = { "command", NULL };

void
print_help(FILE *f)
{
	fputs("usage: zxmem [-jq] [-k KEY=VALUE] [--runtime-dir DIR] COMMAND [ARGS...]\n"
	    "       zxmem help [COMMAND] | COMMAND --help | --version\n\n"
	    "Zircon's memory system calls on Linux: VMOs backed by memfd, and the\n"
	    "memory of live processes.\n\ncommands:\n", f);
	for (size_t i = 0; i < cmd_table_len; i++)
		fprintf(f, "  %-21s %s\n", cmd_table[i]->name, cmd_table[i]->usage);
	fputs("\nglobal options:\n"
	    "  -j, --json                 one JSON object per command on stdout\n"
	    "  -q, --quiet                print nothing on success\n"
	    "  -k, --kernel-option K=V    a kernel command line option, e.g.\n"
	    "                             kernel.enable-debugging-syscalls=true\n"
	    "  --runtime-dir DIR          the handle namespace directory\n"
	    "  -h, --help, -V, --version\n\n"
	    "See zxmem(1) for the rules, errors and examples.\n", f);
}

static int
help(struct cmd_ctx *ctx, struct cmd_args *a)
{
	const struct cmd_entry *c;

	if (a->opt[OPT_COMMANDS] != NULL) {
		for (size_t i = 0; i < cmd_table_len; i++)
			printf("%s\n", cmd_table[i]->name);
		return ZX_OK;
	}
	if (a->npos == 0) {
		print_help(stdout);
		return ZX_OK;
	}
	if ((c = cmd_find(a->pos[0])) == NULL || c == &cmd_complete)
		return usage_error(ctx, "'%s' is not a zxmem command", a->pos[0]);
	print_usage(stdout, c);
	printf("%s\n", c->summary);
	return ZX_OK;
}

const struct cmd_entry cmd_help = {
	.name = "help",
	.usage = "[COMMAND] [--commands]",
	.summary = "Show the commands, or one command's usage.",
	.min_args = 0, .max_args = 1,
	.opts = O(OPT_COMMANDS),
	.argkinds = k_command,
	.exec = help,
};

static void
candidate(const char *cur, const char *word)
{
	if (strncmp(word, cur, strlen(cur)) == 0)
		printf("%s\n", word);
}

static const struct opt_def *
opt_named(const char *w)
{
	for (int i = 0; i < OPT__COUNT; i++) {
		const struct opt_def *d = &opt_defs[i];

		if ((w[0] == '-' && w[1] == '-' && strcmp(w + 2, d->lname) == 0) ||
		    (d->sname && w[0] == '-' && w[1] == d->sname && w[2] == '\0'))
			return d;
	}
	return NULL;
}

static void
complete_kind(struct cmd_ctx *ctx, const char *kind, const char *cur)
{
	if (strcmp(kind, "command") == 0) {
		for (size_t i = 0; i < cmd_table_len; i++)
			candidate(cur, cmd_table[i]->name);
	} else if (strcmp(kind, "handle") == 0) {
		struct tgt_handle_info *info;
		size_t n;

		if (tgt_handle_list(ctx->tgt, &info, &n, NULL) != ZX_OK)
			return;
		for (size_t i = 0; i < n; i++)
			candidate(cur, info[i].name);
		free(info);
	}
}

/* __complete WORD... CUR: candidates for CUR given the words before it. */
static int
complete(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const char *globals[] = { "--json", "--quiet", "--kernel-option",
	    "--runtime-dir", "--help", "--version", NULL };
	const struct cmd_entry *c = NULL;
	const char *cur = a->npos > 0 ? a->pos[a->npos - 1] : "";
	int n = a->npos > 0 ? a->npos - 1 : 0, i = 0, npos = 0;
	const struct opt_def *pending = NULL;

	/* Global options, then the command. */
	for (; i < n && c == NULL; i++) {
		const char *w = a->pos[i];

		if (strcmp(w, "-k") == 0 || strcmp(w, "--kernel-option") == 0 ||
		    strcmp(w, "--runtime-dir") == 0) {
			if (i + 1 == n)
				return ZX_OK;   /* completing their value */
			i++;
			if (strcmp(w, "--runtime-dir") == 0) {
				struct tgt *t = tgt_new(a->pos[i]);

				if (t != NULL) {
					tgt_free(ctx->tgt);
					ctx->tgt = t;
				}
			}
		} else if (w[0] != '-') {
			c = cmd_find(w);
			if (c == NULL)
				return ZX_OK;
		}
	}
	if (c == NULL) {
		if (cur[0] == '-')
			for (int g = 0; globals[g]; g++)
				candidate(cur, globals[g]);
		else
			complete_kind(ctx, "command", cur);
		return ZX_OK;
	}
	for (; i < n; i++) {
		const struct opt_def *d = a->pos[i][0] == '-' ? opt_named(a->pos[i]) : NULL;

		pending = NULL;
		if (d != NULL && d->arg != NULL)
			pending = d;
		if (d != NULL && d->arg != NULL && i + 1 < n) {
			i++;
			pending = NULL;
		} else if (d == NULL) {
			npos++;
		}
	}
	if (pending != NULL) {
		if (pending->id == OPT_FORMAT)
			for (int f = 0; f < FMT_COUNT; f++)
				candidate(cur, format_names[f]);
		return ZX_OK;
	}
	if (cur[0] == '-') {
		candidate(cur, "--help");
		for (int o = 0; o < OPT__COUNT; o++)
			if (c->opts & O(o)) {
				char w[40];

				snprintf(w, sizeof(w), "--%s", opt_defs[o].lname);
				candidate(cur, w);
			}
		return ZX_OK;
	}
	if (c->argkinds != NULL) {
		int k = 0;

		while (k < npos && c->argkinds[k + 1] != NULL)
			k++;
		if (npos < c->max_args || c->argkinds[k + 1] == NULL)
			complete_kind(ctx, c->argkinds[k], cur);
	}
	return ZX_OK;
}

const struct cmd_entry cmd_complete = {
	.name = "__complete",
	.usage = "WORD... CUR",
	.summary = "Print completion candidates (used by the shell completions).",
	.min_args = 0, .max_args = 64,
	.raw_args = true,
	.exec = complete,
};
