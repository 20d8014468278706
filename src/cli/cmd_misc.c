/* SPDX-License-Identifier: GPL-3.0-or-later */
/* help, and the hidden __complete that the shell completions call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "core/procmem.h"
#include "core/rights.h"
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
	const struct cmd_entry *c = NULL;
	struct out_textbuf tb;
	FILE *f;

	if (a->opt[OPT_COMMANDS] != NULL) {
		out_names(ctx, "commands", cmd_table, cmd_table_len);
		return ZX_OK;
	}
	if (a->npos > 0 && ((c = cmd_find(a->pos[0])) == NULL ||
	    c == &cmd_complete))
		return usage_error(ctx, "'%s' is not a zxmem command", a->pos[0]);
	f = out_text_begin(ctx, &tb);
	if (a->npos == 0) {
		print_help(f);
	} else {
		print_usage(f, c);
		fprintf(f, "%s\n", c->summary);
	}
	return out_text_end(ctx, &tb, "help");
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

struct cands {
	const char *cur;
	void (*emit)(void *, const char *);
	void *arg;
};

static void
candidate(const struct cands *c, const char *word)
{
	if (strncmp(word, c->cur, strlen(c->cur)) == 0)
		c->emit(c->arg, word);
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

/* Symbol names of TARGET for a VADDR: "prefix" or "OBJECT!prefix". */
static void
complete_symbols(struct cmd_ctx *ctx, const char *target, const struct cands *c)
{
	struct zx_vaddr none = { 0 };
	struct zx_err err;
	const char *bang = strchr(c->cur, '!');
	char object[256] = "", glob[512], word[1024];
	struct tgt_symbol *v;
	struct zx_aspace *as;
	size_t n;

	if (target == NULL || (c->cur[0] >= '0' && c->cur[0] <= '9'))
		return;
	if (bang != NULL && (size_t)(bang - c->cur) < sizeof(object))
		memcpy(object, c->cur, (size_t)(bang - c->cur));
	snprintf(glob, sizeof(glob), "%s*", bang ? bang + 1 : c->cur);
	/* A glob's own wildcards in what was typed match literally. */
	for (char *p = glob; p[1] != '\0'; p++)
		if (strchr("*?[\\", *p) != NULL)
			return;
	if ((as = tgt_process(ctx->tgt, target, NULL)) == NULL ||
	    zx_process_resolve(as, &none, ZX_RIGHT_READ, &err) != ZX_OK ||
	    tgt_symbols(as, glob, object[0] ? object : NULL, &v, &n, &err) != ZX_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(v[i].name, v[j].name) == 0;
		if (seen)
			continue;
		snprintf(word, sizeof(word), "%s%s%s", object, object[0] ? "!" : "",
		    v[i].name);
		candidate(c, word);
	}
	tgt_symbols_free(v, n);
}

static void
complete_kind(struct cmd_ctx *ctx, const char *kind, const char *target,
    const struct cands *c)
{
	if (strcmp(kind, "vaddr") == 0) {
		complete_symbols(ctx, target, c);
		return;
	}
	if (strcmp(kind, "command") == 0) {
		for (size_t i = 0; i < cmd_table_len; i++)
			candidate(c, cmd_table[i]->name);
	} else if (strcmp(kind, "policy") == 0) {
		static const char *const p[] = { "cached", "uncached",
		    "uncached-device", "write-combining", NULL };

		for (int i = 0; p[i] != NULL; i++)
			candidate(c, p[i]);
	} else if (strcmp(kind, "op") == 0) {
		static const char *const o[] = { "commit", "decommit", "zero",
		    "lock", "try-lock", "unlock", "cache-sync", "cache-invalidate",
		    "cache-clean", "cache-clean-invalidate", "prefetch",
		    "dont-need", "always-need", "discard", NULL };

		for (int i = 0; o[i] != NULL; i++)
			candidate(c, o[i]);
	} else if (strcmp(kind, "childopts") == 0) {
		static const char *const o[] = { "snapshot",
		    "snapshot-at-least-on-write", "snapshot-modified", "slice",
		    "reference", "no-write", "resizable", NULL };
		const char *comma = strrchr(c->cur, ',');
		size_t keep = comma ? (size_t)(comma - c->cur) + 1 : 0;
		char word[256];

		/* A comma list: complete its last word. */
		for (int i = 0; o[i] != NULL; i++) {
			snprintf(word, sizeof(word), "%.*s%s", (int)keep, c->cur, o[i]);
			candidate(c, word);
		}
	} else if (strcmp(kind, "handle") == 0) {
		struct tgt_handle_info *info;
		size_t n;

		if (tgt_handle_list(ctx->tgt, &info, &n, NULL) != ZX_OK)
			return;
		for (size_t i = 0; i < n; i++)
			candidate(c, info[i].name);
		free(info);
	}
}

void
complete_words(struct cmd_ctx *ctx, int n, char **words, const char *cur,
    bool globals_allowed, void (*emit)(void *, const char *), void *arg)
{
	static const char *globals[] = { "--json", "--quiet", "--kernel-option",
	    "--runtime-dir", "--help", "--version", NULL };
	const struct cands c = { cur, emit, arg };
	const struct cmd_entry *cmd = NULL;
	const struct opt_def *pending = NULL;
	const char *first_pos = NULL;
	int i = 0, npos = 0;

	/* Global options, then the command. */
	for (; i < n && cmd == NULL; i++) {
		const char *w = words[i];

		if (globals_allowed && (strcmp(w, "-k") == 0 ||
		    strcmp(w, "--kernel-option") == 0 ||
		    strcmp(w, "--runtime-dir") == 0)) {
			if (i + 1 == n)
				return;   /* completing their value */
			i++;
			if (strcmp(w, "--runtime-dir") == 0) {
				struct tgt *t = tgt_new(words[i]);

				if (t != NULL) {
					tgt_free(ctx->tgt);
					ctx->tgt = t;
				}
			}
		} else if (w[0] != '-') {
			cmd = cmd_find(w);
			if (cmd == NULL || cmd == &cmd_complete)
				return;
		}
	}
	if (cmd == NULL) {
		if (cur[0] == '-' && globals_allowed)
			for (int g = 0; globals[g]; g++)
				candidate(&c, globals[g]);
		else if (cur[0] != '-')
			complete_kind(ctx, "command", NULL, &c);
		return;
	}
	for (; i < n; i++) {
		const struct opt_def *d = words[i][0] == '-' ? opt_named(words[i]) : NULL;

		pending = NULL;
		if (d != NULL && d->arg != NULL)
			pending = d;
		if (d != NULL && d->arg != NULL && i + 1 < n) {
			i++;
			pending = NULL;
		} else if (d == NULL) {
			if (npos++ == 0)
				first_pos = words[i];
		}
	}
	if (pending != NULL) {
		if (pending->id == OPT_FORMAT)
			for (int f = 0; f < FMT_COUNT; f++)
				candidate(&c, format_names[f]);
		if (pending->id == OPT_IN) {
			candidate(&c, "[heap]");
			candidate(&c, "[stack]");
		}
		if (pending->id == OPT_RIGHTS) {
			candidate(&c, "same");
			for (size_t r = 0; r < zx_right_names_len; r++)
				candidate(&c, zx_right_names[r].name);
		}
		return;
	}
	if (cur[0] == '-') {
		candidate(&c, "--help");
		for (int o = 0; o < OPT__COUNT; o++)
			if (cmd->opts & O(o)) {
				char w[40];

				snprintf(w, sizeof(w), "--%s", opt_defs[o].lname);
				candidate(&c, w);
			}
		return;
	}
	if (cmd->argkinds != NULL) {
		int k = 0;

		while (k < npos && cmd->argkinds[k + 1] != NULL)
			k++;
		if (npos < cmd->max_args || cmd->argkinds[k + 1] == NULL)
			complete_kind(ctx, cmd->argkinds[k], first_pos, &c);
	}
}

static void
print_candidate(void *arg, const char *word)
{
	(void)arg;
	printf("%s\n", word);
}

/* __complete WORD... CUR: candidates for CUR given the words before it. */
static int
complete(struct cmd_ctx *ctx, struct cmd_args *a)
{
	const char *cur = a->npos > 0 ? a->pos[a->npos - 1] : "";

	complete_words(ctx, a->npos > 0 ? a->npos - 1 : 0, a->pos, cur, true,
	    print_candidate, NULL);
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
