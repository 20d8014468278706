/* SPDX-License-Identifier: GPL-3.0-or-later */
/* help, and the hidden __complete that the shell completions call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "core/kcmdline.h"
#include "core/procmem.h"
#include "core/rights.h"
#include "targets/targets.h"

static const char *const k_command[] = { "command", NULL };

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

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
	const char *cur;       /* what is typed of the value */
	const char *prefix;    /* kept before each candidate: "--opt=", "a," */
	size_t plen;
	void (*emit)(void *, const char *, const char *);
	void *arg;
};

static void
candidate_desc(const struct cands *c, const char *word, const char *desc)
{
	char buf[1024];

	if (strncmp(word, c->cur, strlen(c->cur)) != 0)
		return;
	if (c->plen == 0) {
		c->emit(c->arg, word, desc);
	} else if ((size_t)snprintf(buf, sizeof(buf), "%.*s%s", (int)c->plen,
	    c->prefix, word) < sizeof(buf)) {
		c->emit(c->arg, buf, desc);
	}
}

static void
candidate(const struct cands *c, const char *word)
{
	candidate_desc(c, word, NULL);
}

/* The global options, as main.c's getopt_long takes them. */
static const struct {
	const char *lname;
	char sname;
	bool arg;
	const char *help;
} globals[] = {
	{ "json", 'j', false, "one JSON object per command on stdout" },
	{ "quiet", 'q', false, "print nothing on success" },
	{ "kernel-option", 'k', true, "a kernel command line option KEY=VALUE" },
	{ "runtime-dir", 0, true, "the handle namespace directory" },
	{ "help", 'h', false, "print the usage" },
	{ "version", 'V', false, "print the version" },
};
#define NGLOBALS (sizeof(globals) / sizeof(globals[0]))

/* The option a word "--name[=value]" names among n long names (an exact
 * name, else a unique prefix, as getopt_long takes it), or -1. */
static int
long_match(const char *w, const char *(*name)(size_t, const void *),
    const void *arg, size_t n)
{
	size_t len = strcspn(w + 2, "=");
	int found = -1;

	for (size_t i = 0; i < n; i++) {
		const char *lname = name(i, arg);

		if (lname == NULL || strncmp(lname, w + 2, len) != 0)
			continue;
		if (strlen(lname) == len)
			return (int)i;
		found = found == -1 ? (int)i : -2;
	}
	return found < 0 ? -1 : found;
}

static const char *
global_name(size_t i, const void *arg)
{
	(void)arg;
	return globals[i].lname;
}

/* The command's own options (and --help). */
static const char *
cmd_opt_name(size_t i, const void *arg)
{
	const struct cmd_entry *cmd = arg;

	return i == OPT_HELP || (cmd->opts & O(i)) ? opt_defs[i].lname : NULL;
}

static const struct opt_def *
cmd_short(const struct cmd_entry *cmd, char ch)
{
	for (int i = 0; i < OPT__COUNT; i++)
		if (opt_defs[i].sname == ch && ch != 0 &&
		    (i == OPT_HELP || (cmd->opts & O(i))))
			return &opt_defs[i];
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

/* A mapping --in (any named one) or --object (a file with code; a core
 * may not know, '?') names. */
static bool
mapping_wanted(const struct zx_mapping *m, bool objects)
{
	if (!objects)
		return m->name[0] != '\0';
	return m->name[0] == '/' && (m->perms[2] == 'x' || m->perms[2] == '?');
}

/* The mappings of TARGET by name, as --in and --object take them: the
 * basename, or the whole path once a '/' is typed; for --object only the
 * files with code (the objects). False if TARGET's mappings cannot be
 * read. */
static bool
complete_mappings(struct cmd_ctx *ctx, const char *target, bool files,
    const struct cands *c)
{
	const struct zx_mapping *m;
	struct zx_aspace *as;
	struct zx_err err;
	bool full = strchr(c->cur, '/') != NULL;
	size_t n;

	if (target == NULL || (as = tgt_process(ctx->tgt, target, NULL)) == NULL ||
	    tgt_maps(as, &m, &n, &err) != ZX_OK)
		return false;
	for (size_t i = 0; i < n; i++) {
		const char *name = m[i].name, *base = strrchr(name, '/');
		const char *word = full || base == NULL ? name : base + 1;
		bool seen = false;

		if (!mapping_wanted(&m[i], files))
			continue;
		for (size_t j = i; j-- > 0 && !seen;)
			seen = mapping_wanted(&m[j], files) &&
			    strcmp(m[j].name, name) == 0;
		if (!seen)
			candidate(c, word);
	}
	return true;
}

/* Live processes (pid NULL) or the threads of pid, described by their
 * command names. */
static void
complete_ids(const char *pid, const struct cands *c)
{
	struct tgt_proc_entry *v;
	char id[16];
	size_t n;

	if (c->cur[strspn(c->cur, "0123456789")] != '\0' ||
	    tgt_proc_list(pid, &v, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%d", v[i].pid);
		candidate_desc(c, id, v[i].comm);
	}
	free(v);
}

/* A comma list (rights, child options): complete its last word. */
static struct cands
comma_list(const struct cands *c)
{
	const char *comma = strrchr(c->cur, ',');
	struct cands l = *c;

	if (comma != NULL) {
		/* The prefix runs on into cur, which starts right after it
		 * (c->prefix + c->plen == c->cur, or plen 0). */
		l.prefix = c->plen ? c->prefix : c->cur;
		l.plen = c->plen + (size_t)(comma + 1 - c->cur);
		l.cur = comma + 1;
	}
	return l;
}

static void
complete_kind(struct cmd_ctx *ctx, struct tgt *ns, const char *kind,
    const char *target, const struct cands *c, struct complete_more *more)
{
	const char *name;

	if (strcmp(kind, "vaddr") == 0) {
		complete_symbols(ctx, target, c);
	} else if (strcmp(kind, "command") == 0) {
		for (size_t i = 0; i < cmd_table_len; i++)
			candidate_desc(c, cmd_table[i]->name, cmd_table[i]->summary);
	} else if (strcmp(kind, "policy") == 0 || strcmp(kind, "op") == 0) {
		for (size_t i = 0; (name = vmo_enum_name(kind, i)) != NULL; i++)
			candidate(c, name);
	} else if (strcmp(kind, "childopts") == 0) {
		struct cands l = comma_list(c);

		for (size_t i = 0; (name = vmo_enum_name(kind, i)) != NULL; i++)
			candidate(&l, name);
	} else if (strcmp(kind, "target") == 0) {
		/* A PID, or the path of a core. */
		complete_ids(NULL, c);
		more->paths = COMPLETE_PATHS;
	} else if (strcmp(kind, "file") == 0) {
		more->paths = COMPLETE_PATHS;
	} else if (strcmp(kind, "handle") == 0) {
		char **names;
		size_t n;

		/* A path names an external VMO. */
		if (strchr(c->cur, '/') != NULL) {
			more->paths = COMPLETE_PATHS;
			return;
		}
		if (tgt_handle_names(ns, &names, &n) != 0)
			return;
		qsort(names, n, sizeof(*names), cmp_str);
		for (size_t i = 0; i < n; i++)
			candidate(c, names[i]);
		tgt_handle_names_free(names, n);
	}
}

/* The value of a command's option d. */
static void
complete_value(struct cmd_ctx *ctx, const struct opt_def *d,
    const char *target, const struct cands *c, struct complete_more *more)
{
	switch (d->id) {
	case OPT_FORMAT:
		for (int f = 0; f < FMT_COUNT; f++)
			candidate(c, format_names[f]);
		break;
	case OPT_IN:
		if (!complete_mappings(ctx, target, false, c)) {
			candidate(c, "[heap]");
			candidate(c, "[stack]");
		}
		break;
	case OPT_OBJECT:
		(void)complete_mappings(ctx, target, true, c);
		break;
	case OPT_RIGHTS: {
		struct cands l = comma_list(c);

		if (l.cur == c->cur) {
			candidate(c, "same");
			candidate(c, "none");
		}
		for (size_t r = 0; r < zx_right_names_len; r++)
			candidate(&l, zx_right_names[r].name);
		break;
	}
	case OPT_THREAD:
		if (target != NULL)
			complete_ids(target, c);
		break;
	case OPT_OUTPUT: case OPT_FILE: case OPT_HEXDUMP: case OPT_EXE:
	case OPT_AMONG:
		more->paths = COMPLETE_PATHS;
		break;
	default:
		break;
	}
}

/* A global option's value: -k KEY=VALUE, --runtime-dir DIR. */
static void
complete_global_value(size_t g, const struct cands *c,
    struct complete_more *more)
{
	const char *const *k;
	char word[256];

	if (!globals[g].arg)
		return;
	if (globals[g].sname != 'k') {
		more->paths = COMPLETE_DIRS;
		return;
	}
	for (k = zx_kcmdline_keys; *k != NULL; k++) {
		size_t n = strlen(*k);

		if (strncmp(c->cur, *k, n) == 0 && c->cur[n] == '=') {
			snprintf(word, sizeof(word), "%s=true", *k);
			candidate(c, word);
			snprintf(word, sizeof(word), "%s=false", *k);
			candidate(c, word);
		} else {
			snprintf(word, sizeof(word), "%s=", *k);
			candidate(c, word);
		}
	}
}

/* cur is "--name=value": complete value after the '=' (as the value of
 * option index idx), keeping "--name=" in front. */
static struct cands
after_equals(const struct cands *c)
{
	struct cands v = *c;
	const char *eq = strchr(c->cur, '=');

	v.prefix = c->cur;
	v.plen = (size_t)(eq + 1 - c->cur);
	v.cur = eq + 1;
	return v;
}

void
complete_words(struct cmd_ctx *ctx, int n, char **words, const char *cur,
    bool globals_allowed, void (*emit)(void *, const char *, const char *),
    void *arg, struct complete_more *more)
{
	const struct cands c = { cur, NULL, 0, emit, arg };
	const struct cmd_entry *cmd = NULL;
	const struct opt_def *pending = NULL;
	const char *first_pos = NULL, *rdir = NULL;
	struct tgt *ns = ctx->tgt, *own = NULL;
	int i = 0, npos = 0, gpending = -1;
	bool dashdash = false;

	more->paths = COMPLETE_NO_PATHS;
	more->path_prefix = 0;
	/* Global options, then the command. */
	for (; i < n && cmd == NULL; i++) {
		const char *w = words[i];
		int g;

		gpending = -1;
		if (!globals_allowed || dashdash || w[0] != '-' || w[1] == '\0') {
			if ((cmd = cmd_find(w)) == NULL || cmd == &cmd_complete)
				return;
		} else if (strcmp(w, "--") == 0) {
			dashdash = true;
		} else if (w[1] == '-') {
			if ((g = long_match(w, global_name, NULL, NGLOBALS)) < 0)
				continue;
			if (strchr(w, '=') != NULL) {
				if (globals[g].sname == 0)
					rdir = strchr(w, '=') + 1;
			} else if (globals[g].arg && i + 1 < n) {
				if (globals[g].sname == 0)
					rdir = words[i + 1];
				i++;
			} else if (globals[g].arg) {
				gpending = g;
			}
		} else {
			/* A bundle: -jq, -jk KEY=VALUE, -kKEY=VALUE. */
			for (const char *p = w + 1; *p != '\0'; p++)
				if (*p == 'k') {
					if (p[1] == '\0' && i + 1 < n)
						i++;
					else if (p[1] == '\0')
						gpending = long_match("--kernel-option",
						    global_name, NULL, NGLOBALS);
					break;
				}
		}
	}
	if (cmd == NULL) {
		if (gpending >= 0) {
			complete_global_value((size_t)gpending, &c, more);
		} else if (globals_allowed && !dashdash && cur[0] == '-' &&
		    cur[1] == '-' && strchr(cur, '=') != NULL) {
			int g = long_match(cur, global_name, NULL, NGLOBALS);
			struct cands v = after_equals(&c);

			if (g >= 0)
				complete_global_value((size_t)g, &v, more);
			more->path_prefix = v.plen;
		} else if (globals_allowed && !dashdash && cur[0] == '-') {
			char w[40];

			for (size_t g = 0; g < NGLOBALS; g++) {
				snprintf(w, sizeof(w), "--%s", globals[g].lname);
				candidate_desc(&c, w, globals[g].help);
			}
		} else {
			complete_kind(ctx, ns, "command", NULL, &c, more);
		}
		return;
	}
	/* The namespace the command would use, looked at read-only. */
	if (rdir != NULL) {
		const char *home = getenv("HOME");
		char path[4096];

		/* The shells pass the word as typed: "~/ns" is not yet
		 * expanded. */
		if (home != NULL && *home != '\0' && rdir[0] == '~' &&
		    (rdir[1] == '/' || rdir[1] == '\0') &&
		    (size_t)snprintf(path, sizeof(path), "%s%s", home, rdir + 1) <
		    sizeof(path))
			rdir = path;
		if ((own = tgt_new(rdir)) != NULL)
			ns = own;
	}
	dashdash = false;
	for (; i < n; i++) {
		const char *w = words[i];
		const struct opt_def *d = NULL;

		pending = NULL;
		if (dashdash || w[0] != '-' || w[1] == '\0' ||
		    (w[1] >= '0' && w[1] <= '9')) {
			if (npos++ == 0)
				first_pos = w;
			continue;
		}
		if (strcmp(w, "--") == 0) {
			dashdash = true;
			continue;
		}
		if (w[1] == '-') {
			int o = long_match(w, cmd_opt_name, cmd, OPT__COUNT);

			if (o >= 0 && strchr(w, '=') == NULL && opt_defs[o].arg)
				d = &opt_defs[o];
		} else {
			for (const char *p = w + 1; *p != '\0'; p++) {
				const struct opt_def *s = cmd_short(cmd, *p);

				if (s != NULL && s->arg != NULL) {
					if (p[1] == '\0')
						d = s;
					break;
				}
			}
		}
		if (d != NULL && i + 1 < n)
			i++;
		else if (d != NULL)
			pending = d;
	}
	if (pending != NULL) {
		complete_value(ctx, pending, first_pos, &c, more);
	} else if (!dashdash && cur[0] == '-' && cur[1] == '-' &&
	    strchr(cur, '=') != NULL) {
		int o = long_match(cur, cmd_opt_name, cmd, OPT__COUNT);
		struct cands v = after_equals(&c);

		if (o >= 0 && opt_defs[o].arg != NULL)
			complete_value(ctx, &opt_defs[o], first_pos, &v, more);
		more->path_prefix = v.plen;
	} else if (!dashdash && cur[0] == '-' && !(cur[1] >= '0' && cur[1] <= '9')) {
		char w[40];

		for (int o = 0; o < OPT__COUNT; o++)
			if (o == OPT_HELP || (cmd->opts & O(o))) {
				snprintf(w, sizeof(w), "--%s", opt_defs[o].lname);
				candidate_desc(&c, w, opt_defs[o].help);
			}
	} else if (cmd->argkinds != NULL) {
		int k = 0;

		while (k < npos && cmd->argkinds[k + 1] != NULL)
			k++;
		if (npos < cmd->max_args || cmd->argkinds[k + 1] == NULL)
			complete_kind(ctx, ns, cmd->argkinds[k], first_pos, &c, more);
	}
	tgt_free(own);
}

/* One candidate a line, "WORD" or "WORD<TAB>DESCRIPTION"; a word that
 * could be mistaken for the closing directive or split is left out. */
static void
print_candidate(void *arg, const char *word, const char *desc)
{
	(void)arg;
	if (word[0] == ':' || word[strcspn(word, "\t\n")] != '\0')
		return;
	if (desc != NULL && desc[0] != '\0' && strchr(desc, '\n') == NULL)
		printf("%s\t%s\n", word, desc);
	else
		printf("%s\n", word);
}

/* __complete WORD... CUR: the candidates for CUR given the words before
 * it, then, when file names complete CUR too, a last line ":path" or
 * ":dir" (":path<TAB>PREFIX" when the name follows PREFIX, as in
 * --output=FILE). */
static int
complete(struct cmd_ctx *ctx, struct cmd_args *a)
{
	const char *cur = a->npos > 0 ? a->pos[a->npos - 1] : "";
	struct complete_more more;

	complete_words(ctx, a->npos > 0 ? a->npos - 1 : 0, a->pos, cur, true,
	    print_candidate, NULL, &more);
	if (more.paths != COMPLETE_NO_PATHS)
		printf(":%s%s%.*s\n", more.paths == COMPLETE_DIRS ? "dir" : "path",
		    more.path_prefix ? "\t" : "", (int)more.path_prefix, cur);
	/* The candidates are all of the output, under -j and -q too. */
	out_discard(ctx);
	ctx->silent_status = 0;
	return CMD_SILENT;
}

const struct cmd_entry cmd_complete = {
	.name = "__complete",
	.usage = "WORD... CUR",
	.summary = "Print completion candidates (used by the shell completions).",
	.min_args = 0, .max_args = 64,
	.raw_args = true,
	.exec = complete,
};
