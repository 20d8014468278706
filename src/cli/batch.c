/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zxmem batch [FILE|-] [--keep-going]: one command a line, through the same
 * run_argv() as the command line, with the same global options and the
 * same opened objects for the whole run. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "cli/split.h"

static const char *const k_file[] = { "file", NULL };

/* Lines read with read(2) into our own buffer, not stdio: no FILE state
 * exists for a forked child's exit handlers to re-sync (glibc seeks a
 * shared descriptor back to an input stream's position at exit). */
struct lines {
	int fd;
	char *buf;
	size_t len, cap, pos;
	bool eof;
};

/* The next line without its newline (LF or CRLF), in *out (valid until the
 * next call) and its length in *lenp (a NUL byte inside makes it longer
 * than strlen); -1 at the end, -2 with errno on a read error. */
static int
next_line(struct lines *l, char **out, size_t *lenp)
{
	for (;;) {
		char *nl = l->buf == NULL ? NULL :
		    memchr(l->buf + l->pos, '\n', l->len - l->pos);
		ssize_t r;

		if (nl != NULL || (l->eof && l->pos < l->len)) {
			char *start = l->buf + l->pos;

			if (nl == NULL) {   /* last line, no newline: make room */
				nl = l->buf + l->len;
				l->len++;
			}
			*nl = '\0';
			l->pos = (size_t)(nl - l->buf) + 1;
			/* A script saved with CRLF ends its lines the same way
			 * ("\\" before CRLF continues the line). */
			if (nl > start && nl[-1] == '\r')
				*--nl = '\0';
			*out = start;
			*lenp = (size_t)(nl - start);
			return 0;
		}
		if (l->eof)
			return -1;
		/* Keep the partial line, then read more behind it. */
		if (l->pos > 0) {
			memmove(l->buf, l->buf + l->pos, l->len - l->pos);
			l->len -= l->pos;
			l->pos = 0;
		}
		if (l->cap - l->len < 4096 + 1) {
			char *nb = realloc(l->buf, l->cap * 2 + 8192);

			if (nb == NULL)
				return -2;
			l->buf = nb;
			l->cap = l->cap * 2 + 8192;
		}
		/* A Ctrl-C in the shell ends a wait for the next line. */
		if (cmd_interrupted()) {
			errno = ECANCELED;
			return -2;
		}
		r = read(l->fd, l->buf + l->len, l->cap - l->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -2;
		if (r == 0)
			l->eof = true;
		l->len += (size_t)r;
	}
}

int
run_line(struct cmd_ctx *ctx, char *logical, bool *more, bool *quit)
{
	struct words w;
	char why[128];
	int rc, st = 0;

	*more = false;
	rc = split_line(logical, &w, why, sizeof(why));
	if (rc == SPLIT_CONTINUE) {
		logical[strlen(logical) - 1] = '\0';   /* drop the backslash */
		*more = true;
		return 0;
	}
	if (rc == SPLIT_ERROR) {
		ctx->cmd = NULL;
		out_begin(ctx);
		return out_end(ctx, usage_error(ctx, "%s", why));
	}
	if (quit != NULL && w.n == 1 && (strcmp(w.v[0], "exit") == 0 ||
	    strcmp(w.v[0], "quit") == 0))
		*quit = true;
	else if (w.n > 0)
		st = run_argv(ctx, w.n, w.v);
	words_free(&w);
	return st;
}

/* Keep the first failure's status; true when st is a failure. */
static bool
first_status(int *status, int st)
{
	if (st != 0 && *status == 0)
		*status = st;
	return st != 0;
}

static int
batch(struct cmd_ctx *ctx, struct cmd_args *a)
{
	const char *path = a->npos > 0 ? a->pos[0] : "-";
	bool keep_going = a->opt[OPT_KEEP_GOING] != NULL, from_stdin;
	char *line, *logical = NULL;
	struct lines in = { .fd = -1 };
	size_t len = 0, linelen;
	int lineno = 0, first = 0, status = 0, got;

	if (ctx->in_batch)
		return usage_error(ctx, "a batch cannot run another batch");
	if (ctx->in_shell && (a->npos == 0 || strcmp(a->pos[0], "-") == 0))
		return usage_error(ctx, "in the shell, give batch a FILE");
	from_stdin = strcmp(path, "-") == 0;
	/* A FIFO's open waits for a writer: a Ctrl-C in the shell ends it. */
	in.fd = from_stdin ? STDIN_FILENO : cmd_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (in.fd < 0 && errno == EINTR)
		return zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted while "
		    "'%s' waited for a writer: no line ran", path);
	if (in.fd < 0)
		return usage_error(ctx, "FILE: cannot open '%s': %s", path,
		    strerror(errno));
	/* Each line prints its own result; the batch prints none of its own. */
	out_discard(ctx);
	ctx->in_batch = true;
	ctx->stdin_taken = from_stdin;
	ctx->where_file = from_stdin ? "-" : path;
	while ((got = next_line(&in, &line, &linelen)) == 0) {
		char *joined;
		bool more;
		int st;

		lineno++;
		if (logical == NULL)
			first = lineno;
		if (memchr(line, '\0', linelen) != NULL) {
			/* Not text: cutting the line there would run part of it. */
			ctx->where_line = lineno;
			ctx->cmd = NULL;
			out_begin(ctx);
			st = out_end(ctx, usage_error(ctx, "a NUL byte at column "
			    "%zu: a script is text", strlen(line) + 1));
			free(logical);
			logical = NULL;
			len = 0;
			if (first_status(&status, st) && !keep_going)
				break;
			continue;
		}
		joined = realloc(logical, len + strlen(line) + 1);
		if (joined == NULL) {
			status = 4;
			break;
		}
		logical = joined;
		strcpy(logical + len, line);
		len += strlen(line);
		ctx->where_line = first;
		st = run_line(ctx, logical, &more, NULL);
		/* Each line's result reaches a pipe as it is made (a reader
		 * acting between lines, as a coprocess does, sees it). */
		fflush(stdout);
		if (more) {
			len--;
			continue;
		}
		free(logical);
		logical = NULL;
		len = 0;
		if (st != 0 && first_status(&status, st) && !keep_going)
			break;
		/* A Ctrl-C in the shell ends the batch it runs, --keep-going
		 * or not (outside the shell SIGINT ends zxmem). */
		if (cmd_interrupted()) {
			if (st == 0) {
				ctx->cmd = &cmd_batch;
				out_begin(ctx);
				first_status(&status, out_end(ctx, zx_fail(&ctx->err,
				    ZX_ERR_CANCELED, "interrupted: the lines after "
				    "this one did not run")));
			}
			break;
		}
	}
	if (got == -2) {
		const char *src = from_stdin ? "standard input" : path;
		int e = errno;

		ctx->where_line = lineno + 1;
		ctx->cmd = &cmd_batch;
		out_begin(ctx);
		first_status(&status, out_end(ctx, e == ECANCELED ?
		    zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted while "
		    "waiting for line %d of %s", lineno + 1, src) :
		    zx_fail(&ctx->err, ZX_ERR_IO, "reading %s: %s", src,
		    strerror(e))));
	} else if (logical != NULL) {   /* a continuation at end of file */
		ctx->where_line = first;
		ctx->cmd = NULL;
		out_begin(ctx);
		first_status(&status, out_end(ctx, usage_error(ctx,
		    "the last line ends in a backslash")));
	}
	free(logical);
	free(in.buf);
	if (!from_stdin)
		close(in.fd);
	ctx->in_batch = false;
	ctx->stdin_taken = false;
	ctx->where_file = NULL;
	ctx->cmd = &cmd_batch;
	ctx->silent_status = status;
	return CMD_SILENT;
}

const struct cmd_entry cmd_batch = {
	.name = "batch",
	.usage = "[FILE] [--keep-going]",
	.summary = "Run commands from FILE (or standard input), one a line; stop "
	    "at the first failure unless --keep-going.",
	.min_args = 0, .max_args = 1,
	.opts = O(OPT_KEEP_GOING),
	.argkinds = k_file,
	.exec = batch,
};
